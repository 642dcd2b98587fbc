"""Content-addressed cache of rendered pages: key = digest of everything a page is made from.

A page's HTML depends on its spec (path, template, title, Markdown, data, description), on the
build's ``Setup`` (configuration, navigation, templates, Markdown extensions, library versions:
``setup_fingerprint``) and, through MkDocs' ``.md`` link rule, on whether the files its body
links to exist. All of that goes into the key, so a page is re-rendered exactly when something
it shows could have changed: a venue renamed changes the data of every page naming it, a
template edited changes every key.

Entries are files under ``<root>/pages/ab/<key>.html``, copied (never hard-linked) into the
output, so nothing done to a published site can alter the cache. ``yizhan serve`` links them
(``links``): its folders are its own, and its quick pages replace files, never change them.
``prune`` drops entries the last build did not use.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import tempfile
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..plan import PageSpec

VERSION = "2"
"""Bump when the lean renderer's output changes for the same inputs."""

LEAN_DIR = Path(__file__).resolve().parent
LIBRARIES = ("mkdocs", "mkdocs-material", "Markdown", "pymdown-extensions", "Jinja2", "yizhan")

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


def canonical(value: Any) -> str:
    """Deterministic JSON; objects without a JSON form by their repr minus memory addresses."""
    return json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=stable_repr
    )


def stable_repr(value: object) -> str:
    return re.sub(r" at 0x[0-9a-fA-F]+", "", repr(value))


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
        canonical(config),
        canonical(plugins),
        canonical(nav),
        stable_repr(markdown),
        config_file,
        tree_digest(own_dirs),
        tree_digest([LEAN_DIR]),
        canonical(extra),
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
        canonical(
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


class PageCache:
    """``get``/``put`` rendered pages by key; a cache without a folder keeps nothing."""

    def __init__(self, root: Path | None, links: bool = False) -> None:
        self.root = root / "pages" if root is not None else None
        self.links = links

    def link(self, key: str, target: Path) -> bool:
        """Hard-link the entry to ``target`` when the cache links (serve); False otherwise."""
        path = self.entry(key)
        if not self.links or path is None:
            return False
        try:
            os.link(path, target)
        except OSError:
            return False
        return True

    def entry(self, key: str) -> Path | None:
        return None if self.root is None else self.root / key[:2] / f"{key}.html"

    def get(self, key: str) -> bytes | None:
        path = self.entry(key)
        if path is None:
            return None
        try:
            return path.read_bytes()
        except OSError:
            return None

    def put(self, key: str, html: bytes) -> None:
        path = self.entry(key)
        if path is None or path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename: a build killed half-way never leaves a truncated entry behind.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as f:
            f.write(html)
        os.replace(tmp, path)

    def prune(self, keep: set[str]) -> int:
        """Delete entries whose key is not in ``keep``; returns how many."""
        if self.root is None or not self.root.is_dir():
            return 0
        removed = 0
        for folder in self.root.iterdir():
            if not folder.is_dir():
                continue
            for entry in folder.iterdir():
                if entry.suffix == ".html" and entry.stem not in keep:
                    entry.unlink(missing_ok=True)
                    removed += 1
        return removed
