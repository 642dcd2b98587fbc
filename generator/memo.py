"""Results of pure, costly functions kept between builds (``.cache/yizhan/memo/``).

Some outputs of the core never change from one build to the next although they cost much to
make: a feed address's QR code takes ~10 ms of pure-Python mask scoring, and a district has a
thousand feeds. ``remembered`` keeps such a result under a digest of its arguments in a
``Table``; the build's engine chooses the folder with ``use`` (no folder: nothing is kept).
The result is the function's own, so output does not depend on whether the cache was warm.

A ``Table`` keeps many small results in one file (a file per result costs ~0.3 ms to
create on a virtual disk, and a district has 15,000 activities): results are kept in memory,
and ``flush`` writes those used by this build, merged with the ones other processes of the same
build wrote, so entries nothing uses any more go away.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import shutil
import tempfile
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import fields, is_dataclass
from functools import cache, wraps
from importlib import metadata
from pathlib import Path
from typing import Any, Generic, TypeVar

import orjson

try:
    import fcntl
except ImportError:  # Windows: tables are written without a lock
    fcntl = None  # type: ignore[assignment]

V = TypeVar("V")
FOLDER: Path | None = None
BUILD = ""
"""Shared by the processes of one build (forked children inherit it)."""
TABLES: dict[str, Table] = {}
SHELVES: dict[str, Shelf] = {}


def use(folder: Path | None) -> None:
    global FOLDER, BUILD
    FOLDER = folder
    BUILD = uuid.uuid4().hex
    TABLES.clear()
    SHELVES.clear()
    if folder is not None:
        drop_result_folders(folder)


def drop_result_folders(folder: Path) -> None:
    """Remove the folders of results kept a file each by yizhan before tables held them all
    (``<function>/<xx>/<digest>``: ~6,000 files on a district that nothing reads any more).
    A table folder holds files only, so any folder in it is such a leftover."""
    try:
        leftovers = [entry.path for entry in os.scandir(folder) if entry.is_dir()]
    except OSError:
        return
    for path in leftovers:
        shutil.rmtree(path, ignore_errors=True)


def remembered(name: str, *packages: str) -> Callable[[Callable[..., str]], Callable[..., str]]:
    """Keep the results of a function of strings returning a string in the table ``name``.

    Entries are keyed by the arguments, every module of this package and the versions of
    ``packages`` whose output the function returns (see ``table``). perf (issue 5): a table,
    not a file per result: a district's 5,000 article texts cost ~2.5 s of file creation."""

    def decorate(function: Callable[..., str]) -> Callable[..., str]:
        @wraps(function)
        def recalled(*args: str) -> str:
            kept = table(name, *packages)
            key = kept.key(*args)
            value = kept.get(key)
            if value is None:
                value = function(*args)
                kept.put(key, value)
            return value

        return recalled

    return decorate


STABLE = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def stable_json(value: object) -> bytes:
    """``value`` written out whole for a cache key: deterministic JSON (keys sorted);
    dataclasses as their class name and every field, dates and times and other objects by
    their repr less memory addresses (a date's repr names its zone, which its JSON drops).

    perf (issue 5): orjson, ~3x faster than the standard library and ~4x faster than repr,
    on a district's 21,000 page specs and 15,000 activities every build. What orjson cannot
    write (keys that are not strings, integers beyond 64 bits) goes through ``json``, marked
    apart."""
    try:
        return orjson.dumps(value, option=STABLE, default=stable_default)
    except (orjson.JSONEncodeError, TypeError):
        text = json.dumps(
            value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=stable_default
        )
        return b"json:" + text.encode("utf-8", errors="surrogatepass")


def stable_default(value: object) -> object:
    names = FIELD_NAMES.get(type(value))
    if names is None and is_dataclass(value) and not isinstance(value, type):
        names = FIELD_NAMES[type(value)] = tuple(f.name for f in fields(value))
    if names is not None:
        return [type(value).__qualname__, *(getattr(value, n) for n in names)]
    return stable_repr(value)


FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def stable_repr(value: object) -> str:
    """``repr(value)`` without memory addresses (a function's differs in every process)."""
    return re.sub(r" at 0x[0-9a-fA-F]+", "", repr(value))


class Entries(Generic[V]):
    """Values by key, read from one file when first asked; what this build used is ``used``
    (``flush`` writes it, so entries nothing uses any more go away)."""

    def __init__(self, version: str) -> None:
        self.version = version
        """Digest of the code (and packages) the values depend on: part of every key."""
        self.loaded: dict[str, V] | None = None
        self.used: dict[str, V] = {}

    def key(self, *parts: str | bytes) -> str:
        """The key of ``parts``, kept apart (each part's length goes in before it)."""
        h = hashlib.blake2b(digest_size=20)
        for part in (self.version, *parts):
            data = part if isinstance(part, bytes) else part.encode("utf-8")
            h.update(len(data).to_bytes(8, "little") + data)
        return h.hexdigest()

    def get(self, key: str) -> V | None:
        if key in self.used:
            return self.used[key]
        value = self.load().get(key)
        if value is not None:
            self.used[key] = value
        return value

    def put(self, key: str, value: V) -> None:
        self.used[key] = value  # kept for this build even without a folder

    def load(self) -> dict[str, V]:
        """The entries the file held when first asked (read once)."""
        if self.loaded is None:
            self.loaded = self.read() if FOLDER is not None else {}
        return self.loaded

    def read(self) -> dict[str, V]:
        raise NotImplementedError


class Table(Entries[str]):
    """Results by key, in ``<folder>/<name>.json``; see the module docstring."""

    def __init__(self, name: str, packages: Iterable[str]) -> None:
        super().__init__(package_version(tuple(packages)))
        self.name = name
        self.loaded_stamp: tuple[int, int, int] | None = None
        """The table file's inode, size and modification time when ``loaded`` was read."""
        self.written = 0
        """How many of ``used`` the last ``flush`` wrote."""
        self.added = False
        """Whether this build put an entry (``unchanged``)."""

    def put(self, key: str, value: str) -> None:
        super().put(key, value)
        self.added = True

    def read(self) -> dict[str, str]:
        self.loaded_stamp = file_stamp(self.path())
        return read_table(self.path())

    def size(self) -> int:
        """How many entries the table's file held (before this build added any)."""
        return len(self.load())

    def unchanged(self) -> bool:
        """Whether the table file holds exactly what this build used: every entry read from
        it was used, none was added, and no process has written it since it was read."""
        return (
            not self.added
            and self.loaded is not None
            and len(self.used) == len(self.loaded)
            and self.loaded_stamp is not None
            and file_stamp(self.path()) == self.loaded_stamp
        )

    def path(self) -> Path:
        assert FOLDER is not None
        return FOLDER / f"{self.name}.json"

    def flush(self) -> None:
        """Write the entries this process used, beside those of this build's other processes."""
        if FOLDER is None or len(self.used) == self.written:
            return
        try:
            FOLDER.mkdir(parents=True, exist_ok=True)
            with open(FOLDER / f".{self.name}.lock", "w") as lock:
                if fcntl is not None:
                    fcntl.flock(lock, fcntl.LOCK_EX)
                if self.unchanged():
                    # perf (issue 5): an unchanged table (20,000 front matters) is not written
                    # again; it is marked as this build's, for its other processes to merge.
                    claim(self.path(), BUILD)
                    self.written = len(self.used)
                    return
                entries = read_table(self.path(), BUILD)
                entries.update(self.used)
                replace_file(self.path(), orjson.dumps({"build": BUILD, "entries": entries}))
            self.written = len(self.used)
        except OSError:
            pass  # a read-only checkout still builds


def read_table(path: Path, build: str | None = None) -> dict[str, str]:
    """A table's entries (only if written or claimed by the build ``build``, when given)."""
    try:
        data = orjson.loads(path.read_bytes())
        entries = data["entries"]
        if build is not None and build not in (data.get("build"), claimed(path)):
            return {}
        return {str(k): str(v) for k, v in entries.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def file_stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns)


def replace_file(path: Path, data: bytes) -> None:
    """Write ``data`` as ``path`` at once: to a new file beside it, then renamed over it, so
    a reader (another build's process) never sees half of it. Raises OSError, leaving no
    temporary file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def claim_path(path: Path) -> Path:
    return path.with_name(f".{path.stem}.build")


def claim(path: Path, build: str) -> None:
    """Mark the table at ``path`` as holding what the build ``build`` used."""
    replace_file(claim_path(path), build.encode("utf-8"))


def claimed(path: Path) -> str | None:
    try:
        return claim_path(path).read_text(encoding="utf-8")
    except OSError:
        return None


def table(name: str, *packages: str) -> Table:
    """This process's table ``name``; entries depend on every module of this package (any
    change to the code starts afresh) and on the versions of ``packages``."""
    if name not in TABLES:
        TABLES[name] = Table(name, packages)
    return TABLES[name]


def flush() -> None:
    """Write every table this process used (the end of a build's step)."""
    for t in TABLES.values():
        t.flush()
    for kept in SHELVES.values():
        kept.flush()


def shelf(name: str, *modules: str) -> Shelf:
    """This build's shelf ``name``, whose values are built of the classes of ``modules``."""
    if name not in SHELVES:
        SHELVES[name] = Shelf(name, modules)
    return SHELVES[name]


class Shelf(Entries[Any]):
    """Values made of this package's frozen dataclasses, by key, in ``<folder>/<name>.<x>.pickle``.

    For results that are not strings (a document's validated entity). One process owns it:
    the one that made it (forked children inherit it but never write it). Only the classes
    of ``modules``, dates, times and time zones can be read back (``SafeUnpickler``): a
    cache folder restored by CI cannot make the build run anything else. Entries this build
    did not use are dropped when it is written. Entries are spread over 16 files by their
    key's first digit, and only the files whose entries changed are written again (perf,
    issue 5: after one edit, ~2.5 MB of a district's 40 MB, ~0.03 s instead of ~0.4 s)."""

    SHARDS = "0123456789abcdef"

    def __init__(self, name: str, modules: Iterable[str]) -> None:
        super().__init__(package_version(()))
        self.name = name
        self.modules = frozenset(modules)
        self.owner = os.getpid()
        self.changed: set[str] = set()
        """Shards to which this build added an entry."""

    def put(self, key: str, value: Any) -> None:
        super().put(key, value)
        self.changed.add(key[:1])

    def path(self, shard: str) -> Path:
        assert FOLDER is not None
        return FOLDER / f"{self.name}.{shard}.pickle"

    def read(self) -> dict[str, Any]:
        entries: dict[str, Any] = {}
        for shard in self.SHARDS:
            entries.update(self.read_shard(shard))
        return entries

    def read_shard(self, shard: str) -> dict[str, Any]:
        try:
            with open(self.path(shard), "rb") as f:
                data = SafeUnpickler(f, self.modules).load()
        except Exception:  # a missing or damaged cache file: start afresh
            return {}
        if not isinstance(data, dict) or data.get("version") != self.version:
            return {}
        entries = data.get("entries")
        if not isinstance(entries, dict):
            return {}
        return {k: v for k, v in entries.items() if isinstance(k, str) and k[:1] == shard}

    def flush(self) -> None:
        if FOLDER is None or os.getpid() != self.owner:
            return
        used: dict[str, dict[str, Any]] = {shard: {} for shard in self.SHARDS}
        for key, value in self.used.items():
            used[key[:1]][key] = value
        held = Counter(key[:1] for key in self.load())
        for shard, entries in used.items():
            if shard in self.changed or len(entries) != held[shard]:
                self.write_shard(shard, entries)
        self.loaded = dict(self.used)
        self.changed.clear()

    def write_shard(self, shard: str, entries: dict[str, Any]) -> None:
        if not entries:
            with suppress(OSError):
                self.path(shard).unlink(missing_ok=True)
            return
        payload = {"version": self.version, "entries": entries}
        try:
            data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            return  # nothing kept: the next build makes it again
        try:
            self.path(shard).parent.mkdir(parents=True, exist_ok=True)
            replace_file(self.path(shard), data)
        except OSError:
            return  # a read-only checkout still builds


SAFE_GLOBALS = {
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("datetime", "time"),
    ("datetime", "timedelta"),
    ("datetime", "timezone"),
    ("zoneinfo", "ZoneInfo"),
}


class SafeUnpickler(pickle.Unpickler):
    """Reads back only what a ``Shelf`` writes: the dataclasses of its modules, dates, times,
    time zones and builtin containers; any other global is refused."""

    def __init__(self, file: Any, modules: frozenset[str]) -> None:
        super().__init__(file)
        self.modules = modules

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in SAFE_GLOBALS:
            return super().find_class(module, name)
        if module in self.modules and "." not in name:
            found = super().find_class(module, name)
            if isinstance(found, type) and is_dataclass(found):
                return found
        if (module, name) == ("builtins", "getattr"):
            return zone_unpickler  # how a ZoneInfo is pickled: getattr(ZoneInfo, "_unpickle")
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache")


def zone_unpickler(owner: object, name: str) -> Any:
    from zoneinfo import ZoneInfo

    if owner is not ZoneInfo or name != "_unpickle":
        raise pickle.UnpicklingError(f"getattr({owner!r}, {name!r}) is not allowed in a cache")
    return ZoneInfo._unpickle  # type: ignore[attr-defined]


def code_digest() -> bytes:
    """The digest of every module of this package as it is on disk."""
    h = hashlib.blake2b(digest_size=12)
    root = Path(__file__).resolve().parent
    for source in sorted(root.rglob("*.py")):
        h.update(source.relative_to(root).as_posix().encode() + b"\0" + source.read_bytes())
    return h.digest()


CODE = code_digest()
"""Read when this module is imported, with the rest of the package: results are kept under
the code that made them, even if the files change while a long preview runs (an upgrade)."""


@cache
def package_version(packages: tuple[str, ...]) -> str:
    h = hashlib.blake2b(CODE, digest_size=12)
    add_versions(h, packages)
    return h.hexdigest()


def add_versions(h: Any, packages: Iterable[str]) -> None:
    """Feed the installed versions of ``packages`` (``?`` when missing) into the digest ``h``."""
    for package in packages:
        try:
            h.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{package}=?".encode())
