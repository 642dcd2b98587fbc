"""Page chrome (header, tabs, drawer, footer, scripts) rendered once per distinct set of links.

On a page outside the navigation, Material's header, tabs, drawer and footer differ from page
to page only in the page title and in the relative form of the links they make (``../../``).
The first page of each link set renders a fragment with a placeholder title while the ``url``
filter records which paths it links; later pages whose recorded paths resolve to the same
relative URLs reuse the text with their own title. Each new variant, and the first few reuses
of each fragment, are checked against a normal render; any difference (a template that shows
something else of the page) switches caching off for that fragment, so the output is always
what the templates alone would give.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape

from .links import norm_parts, norm_url, page_parts, page_url

TITLE = Markup("\ue000yz-title\ue001")
CHECKS = 3
"""Reuses of each fragment compared with a normal render before it is trusted."""


class Fragments:
    def __init__(self) -> None:
        self.entries: dict[tuple[Any, ...], str] = {}
        self.paths: dict[str, tuple[str, ...]] = {}
        self.checked: dict[str, int] = defaultdict(int)
        self.disabled: set[str] = set()
        self.recording: list[str] | None = None

    def record(self, path: str) -> None:
        if self.recording is not None:
            self.recording.append(path)

    def render(self, context: Any, name: str, caller: Callable[[], str]) -> str:
        page = context.get("page")
        if page is None or name in self.disabled or self.recording is not None:
            return caller()
        title = str(escape(page.meta.get("title") or page.title))
        paths = self.paths.get(name)
        if paths is not None:
            key = self.key(context, name, paths)
            cached = self.entries.get(key)
            if cached is not None:
                out = cached.replace(TITLE, title)
                if self.checked[name] < CHECKS:
                    self.checked[name] += 1
                    return self.verified(name, out, caller)
                return out
        templated, used = self.templated(page, caller)
        if paths is None:
            paths = self.paths[name] = used
        elif used != paths:
            self.disabled.add(name)
            return caller()
        self.entries[self.key(context, name, paths)] = templated
        return self.verified(name, templated.replace(TITLE, title), caller)

    def key(self, context: Any, name: str, paths: tuple[str, ...]) -> tuple[Any, ...]:
        url = context["page"].url
        folder = sibling_folder(url, paths)
        if folder is not None:  # perf (issue 5): ~50 relative URLs a page, made only once
            return (name, context.get("base_url"), "siblings", folder)
        return (name, context.get("base_url"), tuple(page_url(p, url) for p in paths))

    def templated(self, page: Any, caller: Callable[[], str]) -> tuple[str, tuple[str, ...]]:
        """The fragment rendered with the placeholder title, and the paths it linked."""
        saved = page.title, page.meta
        page.title, page.meta = TITLE, {**page.meta, "title": TITLE}
        self.recording = []
        try:
            out = str(caller())
            used = tuple(self.recording)
        finally:
            page.title, page.meta = saved
            self.recording = None
        return out, used

    def verified(self, name: str, out: str, caller: Callable[[], str]) -> str:
        actual = str(caller())
        if actual != out:
            self.disabled.add(name)
        return actual


def sibling_folder(url: str, paths: tuple[str, ...]) -> tuple[str, ...] | None:
    """The folder of the page at ``url`` when every path in ``paths`` has the same relative URL
    from each page of that folder (at that depth): none of them lies in the page itself.
    ``events/a/`` and ``events/b/`` then link ``assets/x.css``, ``events/`` or
    ``events/2026/12/`` alike (``../../assets/x.css``, ``../``, ``../2026/12/``). None
    otherwise (the home page, or a page linked from inside its own folder)."""
    parts = page_parts(url)
    if not parts or parts in linked_prefixes(paths):
        return None
    return parts[:-1]


@lru_cache(maxsize=256)
def linked_prefixes(paths: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    """Every leading run of path parts of the site-relative ``paths``."""
    found: set[tuple[str, ...]] = set()
    for path in paths:
        normal, level = norm_url(path)
        if level == -1:
            continue
        parts = norm_parts(normal)
        found.update(parts[:i] for i in range(1, len(parts) + 1))
    return frozenset(found)
