"""Relative URLs exactly as MkDocs 1.6 makes them (``mkdocs.utils.normalize_url``), without
importing MkDocs: the lean renderer's pages must link the same way MkDocs' pages do, so a site
works under a base path such as ``/repo/``. A test compares both on many paths."""

from __future__ import annotations

import posixpath
from functools import lru_cache
from urllib.parse import urlsplit


@lru_cache(maxsize=65536)
def norm_parts(path: str) -> tuple[str, ...]:
    if not path.startswith("/"):
        path = "/" + path
    path = posixpath.normpath(path)[1:]
    return tuple(path.split("/")) if path else ()


# perf (issue 5): not cached by (url, page) pair: every page is another page, so such a cache
# only churns; the parts of each URL and of each page are cached instead.
def relative_url(url: str, other: str) -> str:
    """``url`` relative to the page URL ``other`` (``mkdocs.utils.get_relative_url``)."""
    other_parts = page_parts(other)
    dest_parts = norm_parts(url)
    common = 0
    for a, b in zip(other_parts, dest_parts, strict=False):
        if a != b:
            break
        common += 1
    rel_parts = [".."] * (len(other_parts) - common) + list(dest_parts[common:])
    relurl = "/".join(rel_parts) or "."
    return relurl + "/" if url.endswith("/") else relurl


def page_parts(url: str) -> tuple[str, ...]:
    """The parts of the folder relative URLs start from on the page at ``url``."""
    dirname, _, basename = url.rpartition("/")
    return norm_parts(dirname if "." in basename else url)


@lru_cache(maxsize=4096)
def norm_url(path: str) -> tuple[str, int]:
    if not path:
        path = "."
    elif "\\" in path:
        path = path.replace("\\", "/")
    parsed = urlsplit(path)
    if parsed.scheme or parsed.netloc or path.startswith(("/", "#")):
        return path, -1
    norm = posixpath.normpath(path) + "/"
    level = 0
    while norm.startswith("../", level * 3):
        level += 1
    return path, level


def page_url(path: str, page: str) -> str:
    """What MkDocs' ``url`` template filter returns for ``path`` on the page at URL ``page``."""
    path, level = norm_url(path)
    if level == -1:
        return path
    result = relative_url(path, page)
    if level > 0:
        result = "../" * level + result
    return result


def output_path(url: str) -> str:
    """The file a page at the site-relative URL ``url`` is written to."""
    return f"{url}index.html"
