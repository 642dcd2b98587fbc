"""Content-addressed cache of rendered pages: key = digest of everything a page is made from.

A page's HTML depends on its spec (path, template, title, Markdown, data, description), on the
build's ``Setup`` (configuration, navigation, templates, Markdown extensions, library versions:
``setup_fingerprint``) and, through MkDocs' ``.md`` link rule, on whether the files its body
links to exist. All of that goes into the key, so a page is re-rendered exactly when something
it shows could have changed: a venue renamed changes the data of every page naming it, a
template edited changes every key.

Entries are files under ``<root>/pages/ab/<key>.html``, hard-linked into the output (``Store``):
on this kind of virtual disk creating a file costs ~0.3 ms and linking one ~0.015 ms, and a
district writes 40,000 files. Since a published file and its entry are then one file, each
entry's size and modification time are recorded when it is written, and an entry that no longer
matches (a published page edited in place) is never reused: the page is rendered again.
``prune`` drops entries the last build did not use. The same ``Store`` keeps the feeds and
other files (by content digest) and the search index.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from ..memo import stable_json, stable_repr
from ..plan import PageSpec

VERSION = "2"
"""Bump when the lean renderer's output changes for the same inputs."""

LEAN_DIR = Path(__file__).resolve().parent
LIBRARIES = (
    "mkdocs",
    "mkdocs-material",
    "Markdown",
    "pymdown-extensions",
    "Jinja2",
    "orjson",
    "yizhan",
)

# Every place a body can name a relative URL python-markdown turns into a link or image:
# inline links and images, reference definitions, and attributes of Markdown-in-HTML blocks.
LINK_RE = re.compile(
    r"\]\(\s*<?([^)\s>]+)"
    r"|^[ ]{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)"
    r"|(?:href|src)\s*=\s*[\"']([^\"']+)",
    re.MULTILINE,
)


def digest(*parts: bytes | str) -> str:
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def tree_digest(folders: Iterable[str | Path], skip: Iterable[str] = ()) -> str:
    """Digest of every file (name and bytes) under ``folders``, in a stable order."""
    skipped = {str(Path(s).resolve()) for s in skip}
    h = hashlib.blake2b(digest_size=20)
    for folder in folders:
        root = Path(folder)
        if str(root.resolve()) in skipped or not root.is_dir():
            h.update(f"\0{folder}\0-".encode())
            continue
        for path in sorted(
            p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts
        ):
            h.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
            h.update(path.read_bytes())
    return h.hexdigest()


def library_versions() -> str:
    found = []
    for name in LIBRARIES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=?")
    return ";".join(found)


def setup_fingerprint(
    config: Mapping[str, Any],
    plugins: Mapping[str, Any],
    nav: Any,
    markdown: Any,
    theme_dirs: Iterable[str],
    packaged_dirs: Iterable[str],
    config_file: bytes,
    extra: Any = None,
) -> str:
    """Digest of what every page depends on.

    ``packaged_dirs`` are template folders of installed packages (Material's own, with its
    thousands of icons): their library versions stand for their contents. The site's own and
    yizhan's folders are read file by file, and so is this package (code and ``lean/``
    templates), so editing any template or the renderer invalidates every page.
    """
    own_dirs = [d for d in theme_dirs if d not in set(packaged_dirs)]
    return digest(
        VERSION,
        library_versions(),
        stable_json(config),
        stable_json(plugins),
        stable_json(nav),
        stable_repr(markdown),
        config_file,
        tree_digest(own_dirs),
        tree_digest([LEAN_DIR]),
        stable_json(extra),
    )


def link_targets(spec: PageSpec, files: Mapping[str, str]) -> list[tuple[str, str | None]]:
    """The relative URLs a body may link to, each with the URL it resolves to (or None)."""
    found = []
    base = posixpath.dirname(spec.src_uri)
    for match in LINK_RE.finditer(spec.markdown):
        url = next(g for g in match.groups() if g is not None)
        scheme, netloc, path, _, _ = urlsplit(url)
        if scheme or netloc or not path or url.startswith(("/", "\\")):
            continue
        target = posixpath.normpath(posixpath.join(base, unquote(path)).lstrip("/"))
        found.append((target, files.get(target)))
    return found


def page_key(fingerprint: str, spec: PageSpec, files: Mapping[str, str]) -> str:
    return digest(
        fingerprint,
        stable_json(
            [
                spec.path,
                spec.template,
                spec.title,
                spec.markdown,
                spec.data,
                spec.description,
                link_targets(spec, files),
            ]
        ),
    )


Stamp = tuple[int, int]
"""An entry's size and modification time (ns) when it was written."""
STAMPS = "stamps.json"


class Store:
    """Cache entries published into sites by hard link, each trusted only while its size and
    modification time are the ones recorded when it was written (see the module docstring).

    Forked workers share the stamps they inherited; entries they add come back in ``made``
    (merged by the parent with ``record``) and are saved by ``save``."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        self.stamps: dict[str, Stamp] = self.load() if root is not None else {}
        self.made: dict[str, Stamp] = {}
        self.folders: set[Path] = set()
        """Entry folders known to exist (in this process)."""

    def load(self) -> dict[str, Stamp]:
        assert self.root is not None
        try:
            raw = json.loads((self.root / STAMPS).read_text(encoding="utf-8"))
            return {str(k): (int(v[0]), int(v[1])) for k, v in raw.items()}
        except (OSError, ValueError, TypeError, IndexError, AttributeError):
            return {}

    def entry(self, name: str) -> Path | None:
        return None if self.root is None else self.root / name[:2] / name

    def entry_id(self, name: str) -> str:
        """The entry ``name`` as a path in the cache folder (``prelink``'s manifest)."""
        return f"{self.root.name if self.root is not None else ''}/{name[:2]}/{name}"

    def published(self, placed: Mapping[str, str]) -> dict[str, tuple[str, Stamp]]:
        """Site path -> (entry, stamp) of the entries ``placed`` (site path -> name) that
        are kept, for ``prelink.record``."""
        if self.root is None:
            return {}
        return {
            rel: (self.entry_id(name), self.stamps[name])
            for rel, name in placed.items()
            if name in self.stamps
        }

    def trusted(self, name: str) -> Path | None:
        """The entry ``name`` if it is there as it was written."""
        path = self.entry(name)
        stamp = self.stamps.get(name) or self.made.get(name)
        if path is None or stamp is None:
            return None
        try:
            info = path.stat()
        except OSError:
            return None
        return path if (info.st_size, info.st_mtime_ns) == stamp else None

    def publish(self, name: str, target: Path) -> bool:
        """Put the trusted entry ``name`` at ``target`` (a link, or a copy across file
        systems); False when there is no such entry."""
        path = self.trusted(name)
        if path is None:
            return False
        place(path, target)
        return True

    def add(self, name: str, data: bytes, target: Path) -> dict[str, Stamp]:
        """Write ``data`` to ``target`` and keep it as the entry ``name``; returns the new
        entry's stamp by name (nothing without a folder)."""
        write_new(target, data)
        path = self.entry(name)
        if path is None:
            return {}
        if path.parent not in self.folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(path.parent)
        try:
            link(target, path)  # replaces an entry no longer trusted
        except OSError:  # another file system, or no hard links: the entry is a copy
            tmp = path.with_name(f".tmp-{os.getpid()}-{name}")
            tmp.write_bytes(data)
            os.replace(tmp, path)
        info = path.stat()
        self.made[name] = (info.st_size, info.st_mtime_ns)
        return {name: self.made[name]}

    def record(self, made: Mapping[str, Stamp]) -> None:
        self.made.update(made)

    def save(self, keep: Iterable[str]) -> None:
        """Keep the entries ``keep`` (with their stamps), delete every other one."""
        if self.root is None:
            return
        keep = set(keep)
        stamps = {k: v for k, v in {**self.stamps, **self.made}.items() if k in keep}
        if self.root.is_dir():
            for folder in self.root.iterdir():
                if folder.is_dir():
                    for entry in folder.iterdir():
                        if entry.name not in stamps:
                            entry.unlink(missing_ok=True)
        self.root.mkdir(parents=True, exist_ok=True)
        replace_json(self.root / STAMPS, stamps)
        self.stamps, self.made = stamps, {}


def replace_json(path: Path, data: object) -> None:
    """Write ``data`` as compact JSON to ``path`` by a rename: a reader never sees half."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    os.replace(tmp, path)


def place(source: Path, target: Path) -> None:
    """Hard-link ``source`` to ``target``, or copy it where links fail. Whatever was at
    ``target`` is unlinked first, never written through (it may be another entry's link)."""
    try:
        link(source, target)
    except OSError:
        write_new(target, source.read_bytes())


def link(source: Path, target: Path) -> None:
    """Hard-link ``source`` to ``target``, unlinking what was at ``target`` first. (perf,
    issue 5: a new site's files are new, so the link is tried before any unlink.)"""
    try:
        os.link(source, target)
    except FileExistsError:
        target.unlink(missing_ok=True)
        os.link(source, target)


def write_new(target: Path, data: bytes) -> None:
    """Write ``data`` as a new file at ``target`` (see ``place``)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(target, flags, 0o666)
    except FileExistsError:
        target.unlink(missing_ok=True)
        fd = os.open(target, flags, 0o666)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def page_entry(key: str) -> str:
    return f"{key}.html"


class PageCache(Store):
    """Rendered pages by key under ``<root>/pages/``; a cache without a folder keeps nothing.

    Beside each search result's entry it keeps the digest of what Pagefind reads of it
    (``search.indexed_digest``, in ``searched.json``), so a reused page's part of the search
    index is keyed without reading the page again."""

    def __init__(self, root: Path | None) -> None:
        super().__init__(root / "pages" if root is not None else None)
        self.searched: dict[str, str] = self.load_searched() if self.root is not None else {}

    def load_searched(self) -> dict[str, str]:
        assert self.root is not None
        try:
            raw = json.loads((self.root / SEARCHED).read_text(encoding="utf-8"))
            return {str(k): str(v) for k, v in raw.items()}
        except (OSError, ValueError, TypeError, AttributeError):
            return {}

    def publish_page(self, key: str, target: Path) -> bool:
        return self.publish(page_entry(key), target)

    def add_page(self, key: str, html: bytes, target: Path) -> dict[str, Stamp]:
        return self.add(page_entry(key), html, target)

    def record(self, made: Mapping[str, Stamp], searched: Mapping[str, str] | None = None) -> None:
        super().record(made)
        self.searched.update(searched or {})

    def prune(self, keys: Iterable[str]) -> None:
        """Keep the entries of ``keys`` (the pages of the last build), delete the rest."""
        keys = set(keys)
        self.save(page_entry(k) for k in keys)
        if self.root is None:
            return
        self.searched = {k: v for k, v in self.searched.items() if k in keys}
        replace_json(self.root / SEARCHED, self.searched)


SEARCHED = "searched.json"


class FileCache(Store):
    """Files (feeds, QR codes …) by digest of their bytes under ``<root>/files/``."""

    def __init__(self, root: Path | None) -> None:
        super().__init__(root / "files" if root is not None else None)
        self.used: set[str] = set()
        self.placed: dict[str, str] = {}
        """Site path -> entry name of each file written (``prelink``)."""

    def name_for(self, data: bytes, rel: str) -> str | None:
        """The entry name of ``data`` published at the site path ``rel`` (None: no cache)."""
        return None if self.root is None else entry_name(data, rel)

    def use(self, name: str, rel: str) -> None:
        """Count the entry ``name`` as published at ``rel`` (linked there already)."""
        self.used.add(name)
        self.placed[rel] = name

    def write(self, data: bytes, target: Path, rel: str = "", name: str | None = None) -> None:
        """Publish ``data`` at ``target`` (the site path ``rel``; ``name``: its entry name,
        if known) from the cache, or write it and keep it there."""
        if self.root is None:
            write_new(target, data)
            return
        name = name or entry_name(data, target.name)
        self.used.add(name)
        if rel:
            self.placed[rel] = name
        if not self.publish(name, target):
            self.add(name, data, target)

    def prune(self) -> None:
        self.save(self.used)


def entry_name(data: bytes, path: str) -> str:
    """A file's entry: the digest of its bytes, with the suffix of its name."""
    return digest(data) + PurePosixPath(path).suffix
