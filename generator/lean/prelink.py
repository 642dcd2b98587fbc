"""The last build's files, published into a new site while this build still loads its content.

perf (issue 5): a warm district build publishes ~37,000 files (pages, ``.ics`` feeds, QR
codes) as hard links to cache entries (``cache.Store``). Making their ~21,000 folders and
links cost ~4 CPU-s when the pages were known, while the other core idled through loading
and validation. So every build records what it published (``record``: path, entry, and the
entry's stamp), and the next one forks a process at its start (``Prelink.start``) that links
every entry still as it was written to its path in a staging folder. Publishing a page or a
file whose entry is already at its path is then a dictionary lookup (``Prelink.holds``).

What this build does not publish again is unlinked before the site is swapped in (``prune``);
what MkDocs writes itself is unlinked before it writes (``release``): MkDocs writes files in
place, and through a link it would write into the cache entry and the previous site.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from ..plan import check_output_path
from .cache import Stamp, replace_json

MANIFEST = "published.json"
"""In the cache folder: {site path: [entry path in the cache folder, size, mtime_ns]}."""

Manifest = dict[str, tuple[str, int, int]]


def record(folder: Path, published: Mapping[str, tuple[str, Stamp]]) -> None:
    """Keep what a build published (site path -> entry in ``folder`` and its stamp)."""
    entries = {rel: [entry, stamp[0], stamp[1]] for rel, (entry, stamp) in published.items()}
    replace_json(folder / MANIFEST, dict(sorted(entries.items())))


def read_manifest(folder: Path) -> Manifest:
    """The last build's manifest, less anything that is not a safe relative path."""
    try:
        raw = orjson.loads((folder / MANIFEST).read_bytes())
        found: Manifest = {}
        for rel, (entry, size, mtime) in raw.items():
            check_output_path(rel)
            check_output_path(entry)
            found[str(rel)] = (str(entry), int(size), int(mtime))
        return found
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def link_all(manifest: Manifest, folder: str, site: str) -> dict[str, str]:
    """Link each trusted entry to its path under ``site``; site path -> entry of those linked.
    Where links cannot be made (the site on another file system than the cache), nothing is
    linked and ``site`` is left empty: the build publishes copies, as it always did there."""
    linked: dict[str, str] = {}
    for rel, (entry, size, mtime) in manifest.items():
        source, target = os.path.join(folder, entry), os.path.join(site, rel)
        try:
            info = os.stat(source)
            if (info.st_size, info.st_mtime_ns) != (size, mtime):
                continue  # changed since it was written: made afresh by the build
            try:
                os.link(source, target)
            except FileNotFoundError:  # its folder is not made yet
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.link(source, target)
        except FileNotFoundError:
            continue  # the entry is gone
        except OSError as error:
            if error.errno in (errno.EXDEV, errno.EPERM, errno.ENOTSUP):  # no links here
                empty(site)
                return {}
            continue
        linked[rel] = entry
    return linked


def empty(folder: str) -> None:
    for child in os.listdir(folder):
        path = os.path.join(folder, child)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            os.unlink(path)


def staging_prefix(site: Path) -> str:
    """How a build's folder beside the site ``site`` is named: it names the building process,
    so a later build tells one left behind (interrupted, killed) from one still in use."""
    return f"{staging_base(site)}{os.getpid()}-"


def staging_base(site: Path) -> str:
    """How the name of every build folder of ``site`` starts, this version's or an older's."""
    return f".{site.name}.building-"


def staging_owner(site: Path, folder: Path) -> int | None:
    """The process that named the build folder ``folder`` of ``site`` (None: an older yizhan's)."""
    pid = folder.name.removeprefix(staging_base(site)).split("-", 1)[0]
    return int(pid) if pid.isdigit() else None


@dataclass
class Prelink:
    """A linking process under way into ``staging``, then what it linked (``join``)."""

    staging: Path
    pid: int | None = None
    reader: int | None = None
    linked: dict[str, str] = field(default_factory=dict)
    """Site path -> cache entry (path in the cache folder), for the files in place."""

    @classmethod
    def start(cls, folder: Path, site: Path) -> Prelink | None:
        """Fork the linking process into a new folder beside the site ``site``, if the last
        build left a manifest in the cache ``folder`` (Linux). The process reads the manifest
        too: the build goes on at once."""
        if not (folder / MANIFEST).is_file() or not hasattr(os, "fork"):
            return None
        site.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=staging_prefix(site), dir=site.parent))
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: link, report, and leave without running the parent's exits
            code = 1
            try:
                os.close(reader)
                linked = link_all(read_manifest(folder), str(folder), str(staging))
                with os.fdopen(writer, "wb") as out:
                    out.write(orjson.dumps(linked))
                code = 0
            finally:
                os._exit(code)
        os.close(writer)
        return cls(staging, pid, reader)

    def join(self) -> None:
        """Wait for the linking process. If it failed, nothing it may have linked is kept."""
        if self.pid is None:
            return
        assert self.reader is not None
        with os.fdopen(self.reader, "rb") as report:
            data = report.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = self.reader = None
        try:
            if os.waitstatus_to_exitcode(status) == 0:
                self.linked = {str(k): str(v) for k, v in orjson.loads(data).items()}
                return
        except (orjson.JSONDecodeError, AttributeError):
            pass
        # what it linked is unknown: start from an empty folder (the build's own, still)
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging.mkdir()
        self.linked = {}

    def cancel(self) -> None:
        """Stop the linking process (a failed build); the staging folder is the caller's."""
        if self.pid is not None:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            if self.reader is not None:
                os.close(self.reader)
            self.pid = self.reader = None
        self.linked = {}

    def move_into(self, site: Path) -> None:
        """Make the linked files those of the (empty) folder ``site``, MkDocs' output."""
        self.join()
        if not self.staging.is_dir():
            return
        for child in self.staging.iterdir():
            os.replace(child, site / child.name)
        self.staging.rmdir()
        self.staging = site

    def holds(self, rel: str, entry: str) -> bool:
        """Whether the cache entry ``entry`` is already linked at the site path ``rel``."""
        return self.linked.get(rel) == entry

    def release(self, paths: Iterable[str]) -> None:
        """Unlink the linked files at ``paths``: something else writes them."""
        for rel in paths:
            if self.linked.pop(rel, None) is not None:
                with contextlib.suppress(OSError):
                    os.unlink(self.staging / rel)

    def prune(self, published: Iterable[str]) -> None:
        """Unlink what the last build published and this one did not, and the folders
        that leaves empty."""
        stale = set(self.linked) - set(published)
        for rel in stale:
            with contextlib.suppress(OSError):
                os.unlink(self.staging / rel)
            del self.linked[rel]
        for folder in sorted({os.path.dirname(rel) for rel in stale}, key=len, reverse=True):
            while folder:
                try:
                    os.rmdir(self.staging / folder)
                except OSError:
                    break
                folder = os.path.dirname(folder)
