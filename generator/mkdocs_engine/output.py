"""Writing outputs into the site folder, and swapping a finished build in place of the old one."""

from __future__ import annotations

import contextlib
import ctypes
import glob
import os
import secrets
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from ..lean.cache import FileCache
from ..lean.prelink import Prelink, staging_base, staging_owner, staging_prefix
from ..plan import FileSpec, check_output_path


def write_files(
    site_dir: Path,
    files: Iterable[FileSpec],
    cache: FileCache | None = None,
    prelinked: Prelink | None = None,
) -> None:
    """Write every file under ``site_dir``; with a ``cache``, files unchanged since the last
    build are hard links to its entries (perf, issue 5: 15,000 ``event.ics`` on a district),
    and those ``prelinked`` are in place already."""
    cache = cache or FileCache(None)
    root = site_dir.resolve()
    folders: dict[str, Path] = {"": root}
    for spec in files:
        rel = check_output_path(spec.path)
        entry = cache.name_for(spec.content, rel)
        if entry and prelinked is not None and prelinked.holds(rel, cache.entry_id(entry)):
            cache.use(entry, rel)  # linked at the build's start
            continue
        folder, _, name = rel.rpartition("/")
        parent = folders.get(folder)
        if parent is None:
            parent = inside(root, folder, spec.path, folders)
        cache.write(spec.content, parent / name, rel, entry)
    cache.prune()


def inside(root: Path, folder: str, path: str, known: dict[str, Path]) -> Path:
    """The folder ``folder`` of the site at ``root``, made if missing; ValueError if it is
    (through a link) outside the site. ``known``: folders already checked, by name (perf,
    issue 5: 15,000 ``event.ics`` each in its own folder; one ``mkdir`` per new folder
    instead of resolving every path). A link in place of a file is harmless: files are
    unlinked before they are written, never written through (``cache.place``)."""
    found = known.get(folder)
    if found is not None:
        return found
    head, _, last = folder.rpartition("/")
    target = inside(root, head, path, known) / last
    try:
        target.mkdir()  # made here: a real folder inside its checked parent
    except FileExistsError:
        # there before, made by MkDocs or a page, or a link: where does a link lead?
        if not stat.S_ISDIR(os.lstat(target).st_mode):
            target = target.resolve()
            if not target.is_relative_to(root):
                raise ValueError(f"output path escapes the site folder: {path!r}") from None
            target.mkdir(parents=True, exist_ok=True)
    known[folder] = target
    return target


def followed(site: Path) -> Path:
    """The folder ``site`` names: where it is a symbolic link (to a web server's folder), the
    one it leads to. MkDocs writes through such a link; a build replacing the link itself
    by renames would cut the web server off its site, so it replaces what the link leads to."""
    return Path(os.path.realpath(site)) if site.is_symlink() else site


def swap_in(built: Path, final: Path) -> None:
    """Replace ``final`` with ``built`` by renames, so readers never see a half-written site."""
    if final.is_symlink() or final.is_file():
        raise ValueError(f"site_dir is not a folder: {final}")
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    kept = keep_hidden(final, built)
    if final.exists() and exchange(built, final):
        # One step: a build killed now leaves the old site in the staging folder, which the
        # next build deletes. With two renames, one killed between them left no site at all.
        discard([built, *final.parent.glob(f".{final.name}.old-*")])
        return
    if final.exists():
        os.replace(final, old)
    try:
        os.replace(built, final)
    except OSError:
        if old.exists():
            for name in kept:  # back where they were
                os.replace(built / name, old / name)
            os.replace(old, final)
        raise
    discard(final.parent.glob(f".{final.name}.old-*"))  # this one, and any left before


RENAME_EXCHANGE = 2
AT_FDCWD = -100


def exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux's ``renameat2`` with ``RENAME_EXCHANGE``); False
    where the system or its file system cannot (macOS, Windows, an old kernel or libc)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):  # a libc without it (glibc before 2.28, some musl)
        return False
    names = [os.fsencode(first), os.fsencode(second)]
    done = renameat2(AT_FDCWD, names[0], AT_FDCWD, names[1], RENAME_EXCHANGE)
    return bool(done == 0)


def keep_hidden(final: Path, built: Path) -> list[str]:
    """Move the hidden entries of the site being replaced (``.git`` of a gh-pages worktree,
    ``.htaccess``) into the new one, as MkDocs' own clean leaves them; their names."""
    if not final.is_dir():
        return []
    moved = []
    for entry in sorted(final.iterdir()):
        if entry.name.startswith(".") and not (built / entry.name).exists():
            os.replace(entry, built / entry.name)
            moved.append(entry.name)
    return moved


def staging_folder(final: Path) -> Path:
    """A new folder beside ``final`` to build into; folders earlier builds left behind (their
    process is gone: Ctrl-C, a killed CI job) are deleted first, in the background: each holds
    a whole site (~500 MB on a district)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    discard(abandoned_builds(final))
    while True:
        # Not ``mkdtemp``, whose folder only its owner may read: once renamed to the site, a
        # web server running as another user (nginx as www-data) could not serve it.
        folder = final.parent / f"{staging_prefix(final)}{secrets.token_hex(4)}"
        with contextlib.suppress(FileExistsError):
            folder.mkdir()  # 0777 less the umask, as every folder inside it
            return folder


ABANDONED_AFTER = 24 * 3600
"""Age after which a build folder of a yizhan that did not name its process is left behind."""


def abandoned_builds(final: Path) -> list[Path]:
    found = []
    for path in final.parent.glob(glob.escape(staging_base(final)) + "*"):
        pid = staging_owner(final, path)
        if pid is not None:
            if not process_alive(pid):
                found.append(path)
        elif age(path) > ABANDONED_AFTER:
            found.append(path)
    return found


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # another user's process, or not knowable: keep its folder
    return True


def age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return 0.0


def discard(folders: Iterable[Path]) -> None:
    """Delete replaced sites in a detached process (perf, issue 5): removing a district's
    45,000 files takes ~10 s on a journaling file system, and the new site is already in
    place. A removal cut short leaves a hidden ``.<site>.old-*`` folder, which the next
    build removes."""
    names = [str(f) for f in folders if f.is_dir() and not f.is_symlink()]
    if not names:
        return
    # At the lowest priority: ``yizhan serve``'s next rebuild, or the build that replaced
    # this site, comes first (deleting a district's site is ~4.5 s of a core).
    remove = (
        "import os, shutil, sys\n"
        "os.nice(19)\n"
        "for f in sys.argv[1:]: shutil.rmtree(f, ignore_errors=True)"
    )
    try:
        subprocess.Popen(
            [sys.executable, "-c", remove, *names],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        for name in names:
            shutil.rmtree(name, ignore_errors=True)
