"""The sync facade: ``Revox`` runs the async client's coroutines on an event loop thread.

``client`` is the ``Revox`` class, ``methods`` declares the sync twin of each resource method,
``portal`` is the loop thread and the crossing into it, and ``fork`` lets clients start over in
a forked child. Nothing is imported here, so the transport can use ``fork`` without loading the
sync client.
"""
