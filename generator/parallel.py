"""Run one pure, expensive step of the build in a forked process beside the main one.

The build's stages are single-threaded Python; on a machine with two or more cores, a step
whose result does not feed the next one (the feeds, while the pages are planned) can run in a
child process at the same time. The child is a fork of this process, so it starts with the
validated site in memory and only its result travels back (pickled through a pipe). The
result is the same object the step would have returned here, so output is unchanged.

Where fork is unavailable (Windows, macOS), with a single core, or with ``YIZHAN_WORKERS=1``,
the step simply runs in this process when its result is asked for. Under ``mkdocs serve`` other
threads exist (server, watcher); the child touches none of their state, and CPython resets the
import and logging locks in a forked child, so forking there is safe in practice.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar, cast

from . import memo

T = TypeVar("T")

DISABLED = os.environ.get("YIZHAN_WORKERS", "").strip() == "1"


def can_fork() -> bool:
    return (
        hasattr(os, "fork")
        and sys.platform.startswith("linux")
        and (os.cpu_count() or 1) > 1
        and not DISABLED
    )


YIELD = 5
"""A niceness for children whose result is needed later than the parent's own work."""


class Beside(Generic[T]):
    """A step running in a forked child: call it for the result, or ``cancel`` it."""

    def __init__(self, step: Callable[..., T], pid: int, read_fd: int) -> None:
        self.step, self.pid, self.read_fd = step, pid, read_fd

    def __call__(self) -> T:
        with os.fdopen(self.read_fd, "rb") as pipe:
            payload = pipe.read()
        os.waitpid(self.pid, 0)
        if not payload:
            raise RuntimeError(f"{self.step.__name__} stopped without a result")
        ok, value = pickle.loads(payload)
        if not ok:
            raise value
        return cast(T, value)

    def cancel(self) -> None:
        """Stop the child now and reap it (a build given up: its result is not wanted)."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.read_fd)


def beside(step: Callable[..., T], *args: Any, nice: int = 0) -> Callable[[], T]:
    """Start ``step(*args)`` in a forked child now; the returned function waits for its result
    (a ``Beside``, which can also be cancelled, when a child was forked).

    An exception in the child is raised again by the returned function. A child with a
    positive ``nice`` yields the processor to this process when both want it.
    """
    if not can_fork():
        return lambda: step(*args)
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, and leave without running the parent's cleanup
        os.close(read_fd)
        code = 0
        try:
            try:
                if nice:
                    os.nice(nice)
                value = step(*args)
                memo.flush()  # what the step remembered, for the next build
                payload = pickle.dumps((True, value), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException as error:  # every failure goes to the parent, as it was
                code = 1
                try:
                    payload = pickle.dumps((False, error))
                except Exception:
                    payload = pickle.dumps((False, RuntimeError(traceback.format_exc())))
            with os.fdopen(write_fd, "wb") as pipe:
                pipe.write(payload)
        finally:
            os._exit(code)
    os.close(write_fd)
    return Beside(step, pid, read_fd)


def cancel(result: Callable[[], Any]) -> None:
    """Stop a step started by ``beside`` if it runs in a child (else it never ran)."""
    if isinstance(result, Beside):
        result.cancel()
