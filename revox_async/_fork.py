"""Surviving ``fork``: what a child process inherits from its parent must stay untouched.

A forked child gets copies of the parent's sockets, event loop and thread objects, but not the
threads themselves. Clients compare the pid they started in with the current one before each
use, and in a new process start over with fresh resources, leaving the inherited ones alone.
"""

from __future__ import annotations

import os
import threading

_inherited: list[object] = []

reset_lock = threading.Lock()
"""Serializes the start-over in a child whose threads race to make the first call."""


def abandon(*resources: object) -> None:
    """Keep resources inherited from the parent alive for the rest of this process.

    Collecting them would run their finalizers, which close sockets and pipes the parent still
    uses (or warn about them); closing them could send a FIN or a TLS close_notify on the
    parent's connections. Holding them costs a little memory once per client and fork.
    """
    _inherited.extend(resource for resource in resources if resource is not None)


def _after_fork_in_child() -> None:
    global reset_lock
    # Another thread of the parent may have held the lock at the moment of the fork; that thread
    # does not exist here, so the lock would never be released.
    reset_lock = threading.Lock()


os.register_at_fork(after_in_child=_after_fork_in_child)
