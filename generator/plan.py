"""The build plan: every page and file of the site, independent of any rendering engine."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PageSpec:
    """One HTML page: an engine renders ``markdown`` and wraps it in ``template`` with ``data``.

    ``path`` is the page's URL path relative to ``site_url`` with a trailing slash
    (``events/salon/``), or ``""`` for the home page. ``data`` holds only JSON values, already
    formatted for reading, so templates stay dumb and the plan can be written to disk.
    """

    path: str
    template: str
    title: str
    markdown: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""
    source: str = ""
    """Content file the page was made from (relative to the site root), if any."""
    updated: str = ""
    """The day (``YYYY-MM-DD``) the page's content last changed, for the sitemap's
    ``<lastmod>``; "" where no such day is known (a listing that changes with the day): no
    ``<lastmod>`` then. Never the build's day: crawlers would read every page as changed on
    every build and stop trusting the dates (Google's sitemap guide)."""

    @property
    def src_uri(self) -> str:
        """The virtual source file name an engine with directory URLs maps to ``path``."""
        return f"{self.path}index.md"


@dataclass(frozen=True)
class FileSpec:
    """One non-HTML output (a feed, a redirect stub, JSON), written as it is."""

    path: str
    content: bytes
    source: str = ""


@dataclass(frozen=True)
class Plan:
    pages: tuple[PageSpec, ...]
    files: tuple[FileSpec, ...]


def check_output_path(path: str) -> str:
    """Return ``path`` if it stays inside the output folder; raise ValueError otherwise.

    Every output path comes from slugs that are already restricted, but this is the last line
    of defence: no content may make the build write outside the output folder.
    """
    # plain string tests (perf, issue 5: every page and file is checked, ~80,000 paths)
    if (
        path.startswith("/")
        or "\\" in path
        or any(part in ("..", ".") for part in path.split("/"))
        or ":" in path
        or "\x00" in path
    ):
        raise ValueError(f"unsafe output path: {path!r}")
    return path


def find_conflicts(
    pages: Iterable[PageSpec], files: Iterable[FileSpec]
) -> list[tuple[str, str, str]]:
    """Output paths claimed twice, as (output path, first source, second source)."""
    seen: dict[str, str] = {}
    conflicts = []
    # pages as the files they become, so a page and a redirect stub at one address clash
    outputs = [(f"{p.path}index.html", p.source or p.path) for p in pages]
    outputs += [(f.path, f.source or f.path) for f in files]
    for out, src in outputs:
        if out in seen:
            conflicts.append((out, seen[out], src))
        else:
            seen[out] = src
    return conflicts
