"""The parts of the ``revox-async`` command line; its entry point is :mod:`revox_async.cli`."""
