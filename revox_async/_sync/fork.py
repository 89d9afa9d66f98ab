"""Surviving ``fork``: what a child process inherits from its parent must stay untouched.

A forked child gets copies of the parent's sockets, event loop and thread objects, but not the
threads themselves. Right after ``os.fork()`` every client lets go of what it inherited (an
at-fork hook), and before each use it also compares the pid it started in with the current one,
for forks the hook does not see; either way it starts over with fresh resources on first use.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Callable
from typing import Protocol


class ForkAware(Protocol):
    def forget_parent(self) -> None:
        """In a forked child: let go of the parent's resources without touching them."""


_inherited: list[object] = []
_tracked: weakref.WeakSet[ForkAware] = weakref.WeakSet()
_module_resets: list[Callable[[], None]] = []

reset_lock = threading.Lock()
"""Serializes the start-over in a child whose threads race to make the first call."""


def abandon(*resources: object) -> None:
    """Keep resources inherited from the parent alive for the rest of this process.

    Collecting them would run their finalizers, which close sockets and pipes the parent still
    uses (or warn about them); closing them could send a FIN or a TLS close_notify on the
    parent's connections. Holding them costs a little memory once per client and fork.
    """
    _inherited.extend(resource for resource in resources if resource is not None)


def track(resource: ForkAware) -> None:
    """Have ``resource.forget_parent()`` called in every child forked from now on."""
    _tracked.add(resource)


def reset_in_child(reset: Callable[[], None]) -> None:
    """Have ``reset()`` put a module's process-wide state back in every child forked from now
    on, before any client lets go of what it inherited."""
    _module_resets.append(reset)


def _after_fork_in_child() -> None:
    global reset_lock
    # Another thread of the parent may have held the lock at the moment of the fork; that thread
    # does not exist here, so the lock would never be released.
    reset_lock = threading.Lock()
    for reset in _module_resets:
        reset()
    # At once, not on first use: a client the child never uses would otherwise be finalized
    # with the parent's connections still in it, and close them.
    for resource in list(_tracked):
        resource.forget_parent()


os.register_at_fork(after_in_child=_after_fork_in_child)
