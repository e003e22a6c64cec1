"""The cycle collector kept out of work that builds many long-lived objects and no garbage cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Keep the cycle collector out of a parse or an analysis, and restore it as it was.

    A parse allocates millions of container objects (posts, token lists, runs, quotes) that all
    live until the thread is built and hold no reference cycles worth collecting (28 cyclic
    objects on the 10 MB benchmark thread); an analysis builds rows and frames and leaves no
    cyclic garbage (none on the 3,000-post benchmark thread). Each collection walks every object
    still alive, so on a big thread the collector's hundreds of passes cost CPU seconds and give
    nothing back. The first collection afterwards still walks what survived, once. Reference
    counting frees everything else as usual, so memory is unchanged. If the caller had the
    collector off, it stays off.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
