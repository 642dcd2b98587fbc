"""The cyclic garbage collector during the build's core stages (perf, issue 5).

Loading, validating and planning a district make millions of small objects that live until
the pages are written and form no reference cycles. CPython's collector, triggered by those
allocations, scans the whole growing heap again and again (~2 s of a 15 s warm build), and
finds nothing to free. So it is paused while they run; memory stays the same (measured: the
same peak on a 20,000-page site).

In a one-shot build the objects made by then are also frozen: the collector never scans them
again, and forked workers do not copy the pages that scanning would have written to.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused(freeze: bool = False) -> Iterator[None]:
    """Run the block without cyclic collection; ``freeze``: keep what it made out of later
    collections too (a long-running ``serve`` does not: its old builds must be collectable)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


def start_worker() -> None:
    """A forked render worker's collector: what it inherited from the build process is frozen
    (never scanned, so those memory pages stay shared instead of being copied; under
    ``yizhan serve`` the heap holds the last build too), what it makes itself is collected."""
    gc.freeze()
    gc.enable()
