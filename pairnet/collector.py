"""Pausing Python's cyclic garbage collector while a bulk of acyclic objects is made.

Reading a national file or register, or a store's snapshot, makes millions of records
without reference cycles; every full collection would rescan all of those already in
memory, which makes such work two to three times slower.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the ``with`` block (if it was running).

    >>> with collector_paused():
    ...     gc.isenabled()
    False
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
