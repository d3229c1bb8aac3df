"""Python's cycle collector paused while the places capability builds or walks large structures.

Reading the built-in index (millions of tuples and strings) and geocoding a batch of documents
make no reference cycles: reference counting frees all they drop. Left running, the collector
walks the growing structures again and again (it doubled the time to read the index and took a
fifth to a third of a geocoding batch).
"""

from __future__ import annotations

import gc
import os
import threading
from contextlib import contextmanager
from typing import Iterator

__all__ = ["collector_paused"]

_GC_LOCK = threading.Lock()
_GC_DEPTH = 0  # batches under way (in any thread) that paused the cycle collector
_GC_WAS_ENABLED = False


def _after_fork_in_child() -> None:
    global _GC_LOCK
    _GC_LOCK = threading.Lock()  # a lock another thread held at the fork would never be released here


os.register_at_fork(after_in_child=_after_fork_in_child)


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector paused for the block; enabled again, if it was, when the last such block
    running in the process (in any thread) ends."""
    global _GC_DEPTH, _GC_WAS_ENABLED
    with _GC_LOCK:
        if _GC_DEPTH == 0:
            _GC_WAS_ENABLED = gc.isenabled()
            gc.disable()
        _GC_DEPTH += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_DEPTH -= 1
            if _GC_DEPTH == 0 and _GC_WAS_ENABLED:
                gc.enable()
