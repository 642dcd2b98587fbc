"""Results of pure, costly functions kept between builds (``.cache/yizhan/memo/``).

Some outputs of the core never change from one build to the next although they cost much to
make: a feed address's QR code takes ~10 ms of pure-Python mask scoring, and a district has a
thousand feeds. ``persistent`` stores such a result under a digest of the function's name and
arguments; the build's engine chooses the folder with ``use`` (no folder: nothing is kept).
The result is the function's own, so output does not depend on whether the cache was warm.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import tempfile
from collections.abc import Callable, Iterable
from functools import wraps
from importlib import metadata
from pathlib import Path

FOLDER: Path | None = None


def use(folder: Path | None) -> None:
    global FOLDER
    FOLDER = folder


def persistent(*packages: str) -> Callable[[Callable[..., str]], Callable[..., str]]:
    """Keep the results of a function of strings returning a string.

    Entries are keyed by the arguments, the source of the function's module (any change to
    the code starts afresh) and the versions of ``packages`` whose output it returns."""

    def decorate(function: Callable[..., str]) -> Callable[..., str]:
        name = f"{function.__module__}.{function.__qualname__}"
        version = code_version(function, packages)

        @wraps(function)
        def remembered(*args: str) -> str:
            if FOLDER is None:
                return function(*args)
            h = hashlib.blake2b(digest_size=20)
            for part in (name, version, *args):
                data = part.encode("utf-8")
                h.update(len(data).to_bytes(8, "little") + data)
            key = h.hexdigest()
            path = FOLDER / name / key[:2] / key
            try:
                return path.read_text(encoding="utf-8")
            except OSError:
                pass
            value = function(*args)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    f.write(value)
                os.replace(tmp, path)
            except OSError:
                pass  # a read-only checkout still builds
            return value

        return remembered

    return decorate


def code_version(function: Callable[..., str], packages: Iterable[str]) -> str:
    source = inspect.getsourcefile(function)
    h = hashlib.blake2b(Path(source).read_bytes() if source else b"", digest_size=12)
    for package in packages:
        try:
            h.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{package}=?".encode())
    return h.hexdigest()
