"""Relative links in editors' Markdown, moved with the page they are in.

An article written at ``content/news/2026/x.md`` is published at ``news/x/``; a link it holds to
``../../about.md`` or ``../../events/salon.md`` must keep pointing at the same thing. Links to
other entity files are turned into links to the pages made from them.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

from .urls import url_escaped

# [text](url "title"), ![alt](url), and <a href="…"> / <img src="…"> in raw HTML. As in
# python-markdown, the url may hold spaces (a Windows file name's: ``![图](../images/a b.png)``)
# and balanced parentheses (``a (1).png``), and ends at an optional "title" and the ``)``.
INLINE_LINK = re.compile(
    r"(!?\[[^\]\n]*\]\(\s*)"
    r"((?:[^()\s<>]|\([^()\n]*\))(?:[^()\n<>]|\([^()\n]*\))*?)"
    r"((?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?\s*\))"
)
# [text](<url with spaces> "title"): Markdown's way to write a file name with spaces
ANGLE_LINK = re.compile(r"(!?\[[^\]\n]*\]\(\s*<)([^<>\n]+)(>(?:\s+[\"'(][^)\n]*)?\s*\))")
# A footnote (``[^1]: text``) is no reference link: its text is not a URL.
REFERENCE_LINK = re.compile(r"^( {0,3}\[(?!\^)[^\]\n]+\]:\s*<?)(\S+?)(>?(?:\s+.*)?)$", re.M)
HTML_ATTRIBUTE = re.compile(r"(\b(?:href|src)=[\"'])([^\"']+)([\"'])")
LINK_MARKS = ("](", "]:", "href=", "src=")
"""Text each of the four patterns needs: a body with none of them has no link to move."""
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def is_relative(url: str) -> bool:
    return not (url.startswith(("/", "#", "?")) or SCHEME.match(url) or url.startswith("//"))


def rebase_url(url: str, source: str, target: str, moved: Mapping[str, str]) -> str:
    """``url`` as written in docs file ``source``, rewritten for a page whose file is ``target``.

    ``moved`` maps docs paths of editors' entity files to the src_uri of their pages.
    """
    found = docs_target(url, source, moved)
    if found is None:
        return url
    resolved, rest = found
    moved_to = posixpath.relpath(resolved, posixpath.dirname(target) or ".")
    # a folder's address keeps its "/" (``subscribe/``): without it, the host redirects
    slash = "/" if split_rest(url)[0].endswith("/") and not moved_to.endswith("/") else ""
    return moved_to + slash + rest


def docs_target(url: str, source: str, moved: Mapping[str, str]) -> tuple[str, str] | None:
    """The docs path a relative ``url`` written in ``source`` names (an entity file's page
    source when ``moved`` has it, ``%``-escapes read), and its ``#…``/``?…`` rest; None for
    other URLs and paths out of the docs folder."""
    if not is_relative(url):
        return None
    path, rest = split_rest(url)
    if not path:
        return None
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
    if outside_docs(resolved):
        return None
    return moved.get(unquote(resolved), resolved), rest


def split_rest(url: str) -> tuple[str, str]:
    """``url``'s path and its ``#…``/``?…`` rest."""
    cut = min((i for i in (url.find("#"), url.find("?")) if i >= 0), default=len(url))
    return url[:cut], url[cut:]


def outside_docs(resolved: str) -> bool:
    """Whether a normalised docs-relative path leads out of the docs folder."""
    return resolved.startswith("../") or resolved == ".."


def rebase_markdown(
    markdown: str, source: str, target: str, moved: Mapping[str, str], directory_urls: bool = True
) -> str:
    """``markdown``'s relative links, written in docs file ``source``, rewritten for the page
    whose file is ``target``. Markdown links stay links to files (MkDocs turns those into page
    addresses); raw HTML's (``<a href="../x.md">``), which MkDocs leaves as written, become the
    addresses themselves, relative to the page's own (``directory_urls``)."""

    def swap(match: re.Match[str]) -> str:
        # a space (a Windows file name's) %-escaped: no URL holds one as it is
        url = url_escaped(rebase_url(match.group(2), source, target, moved))
        return match.group(1) + url + match.group(3)

    if not any(mark in markdown for mark in LINK_MARKS):  # perf (issue 5): most bodies
        return markdown
    for pattern in (INLINE_LINK, ANGLE_LINK, REFERENCE_LINK):
        markdown = pattern.sub(swap, markdown)
    if directory_urls:
        return rebase_html(markdown, source, target, moved)
    return HTML_ATTRIBUTE.sub(swap, markdown)


def rebase_html(fragment: str, source: str, target: str, moved: Mapping[str, str]) -> str:
    """The ``href``/``src`` URLs of HTML written in docs file ``source`` (raw HTML of a body,
    or a body we render ourselves), made the addresses a browser opens from the page whose
    file is ``target`` (``rebase_html_url``)."""

    def swap(match: re.Match[str]) -> str:
        url = url_escaped(rebase_html_url(match.group(2), source, target, moved))
        return match.group(1) + url + match.group(3)

    return HTML_ATTRIBUTE.sub(swap, fragment)


def html_targets(fragment: str, source: str) -> list[str]:
    """The docs paths that the relative ``href``/``src`` URLs of HTML written in ``source``
    name (``%``-escapes read)."""
    found = []
    for match in HTML_ATTRIBUTE.finditer(fragment):
        named = docs_target(match.group(2), source, {})
        if named is not None:
            found.append(unquote(named[0]))
    return found


def rebase_html_url(url: str, source: str, target: str, moved: Mapping[str, str]) -> str:
    """``rebase_url`` for raw HTML: the address a browser opens, from the page's address (a
    directory: ``about.md`` is at ``about/``), with a page's ``.md`` file as its address."""
    found = docs_target(url, source, moved)
    if found is None:
        return url
    resolved, rest = found
    if resolved.endswith(".md"):
        resolved = page_address(unquote(resolved))
    new = posixpath.relpath(resolved or ".", page_address(target) or ".")
    if resolved.endswith("/") or not resolved:
        new = "./" if new == "." else f"{new}/"
    return f"{new}{rest}"


def page_address(docs_path: str) -> str:
    """Where MkDocs publishes a Markdown file with directory URLs: ``about.md`` -> ``about/``,
    ``news/x/index.md`` -> ``news/x/``, ``index.md`` -> ``""``."""
    stem = docs_path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return f"{stem}/"


def missing_asset(value: str, source: str, known: frozenset[str]) -> bool:
    """Whether a front-matter file reference (``image: images/a.jpg``) of docs file ``source``
    names a file the docs folder does not have. Read as ``views.text.asset_url`` reads it: from
    the docs folder, or relative to ``source`` when it starts with ``./`` or ``../``. URLs and
    paths out of the docs folder are not judged."""
    if not value or SCHEME.match(value) or value.startswith(("//", "#", "?")):
        return False
    path = unquote(split_rest(value)[0])
    if path.startswith(("./", "../")):
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
    else:
        resolved = posixpath.normpath(path.lstrip("/"))
    if outside_docs(resolved) or resolved == ".":
        return False
    return resolved not in known


def missing_targets(markdown: str, source: str, known: frozenset[str]) -> list[str]:
    """The relative links of ``markdown`` (written in docs file ``source``) to a file that is
    not in ``known`` (docs paths): ``[见](../events/no-such.md)``, ``![图](images/none.png)``.
    As MkDocs, only links naming a file (with a suffix) count; links out of the docs folder,
    absolute ones, anchors and links to ``index.md`` files (the generated pages' sources, such
    as ``subscribe/index.md``) are left alone."""
    if not any(mark in markdown for mark in LINK_MARKS):  # perf (issue 5): most bodies
        return []
    found: list[str] = []
    for pattern in (INLINE_LINK, ANGLE_LINK, REFERENCE_LINK, HTML_ATTRIBUTE):
        for match in pattern.finditer(without_code(markdown)):
            url = match.group(2)
            if not is_relative(url):
                continue
            path = unquote(split_rest(url)[0])
            if not posixpath.splitext(path)[1]:
                continue
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
            if outside_docs(resolved) or posixpath.basename(resolved) == "index.md":
                continue  # out of the docs, or a generated page's (``news/index.md`` …)
            if resolved not in known and url not in found:
                found.append(url)
    return found


def case_twin(url: str, source: str, known: frozenset[str], rooted: bool = False) -> str | None:
    """What to write for ``url`` (written in docs file ``source``, missing) when a file of
    ``known`` has its path but for letter case (``images/Salon.jpg`` for ``images/salon.jpg``),
    else None. Windows' disks ignore case, so the editor's preview showed the picture and the
    published site, on a host where case counts, did not: "no such file" was all it said of a
    file the editor could see. ``rooted``: a front-matter path, from the docs folder unless
    it starts with ``./`` or ``../`` (``missing_asset``)."""
    path, rest = split_rest(url)
    path = unquote(path)
    relative = not rooted or path.startswith(("./", "../"))
    folder = posixpath.dirname(source)
    resolved = posixpath.normpath(posixpath.join(folder, path) if relative else path.lstrip("/"))
    twin = by_lower_case(known).get(resolved.lower())
    if twin is None or twin == resolved:
        return None
    written = posixpath.relpath(twin, folder or ".") if relative else twin
    if relative and path.startswith("./") and not written.startswith("."):
        written = f"./{written}"
    return url_escaped(written) + rest


@lru_cache(maxsize=1)
def by_lower_case(known: frozenset[str]) -> dict[str, str]:
    """Docs paths by their lower case (made once per build's set of files, when a link is
    missing: rare)."""
    return {path.lower(): path for path in sorted(known, reverse=True)}


CODE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1[^\n]*$|`[^`\n]+`", re.M | re.S)


def without_code(markdown: str) -> str:
    """``markdown`` with fenced blocks and code spans blanked: a link shown as code is text."""
    if "`" not in markdown and "~~~" not in markdown:
        return markdown
    return CODE.sub(lambda m: " " * len(m.group(0)), markdown)


def line_of(text: str, url: str, start: int, default: int) -> int:
    """The number of the first line of ``text``, from line ``start`` on, that writes the link
    ``url`` whole (not ``x.md#报名`` in ``x.md#报名须知``); ``default`` when none does."""
    written = re.compile(re.escape(url) + r"(?=[\s)>\"']|$)")
    lines = text.split("\n")
    return next((n for n in range(start, len(lines) + 1) if written.search(lines[n - 1])), default)


@dataclass(frozen=True)
class Written:
    """A text that links: its file (as problems name it), its Markdown, the file's whole text
    (for the link's line) and the line to search from."""

    path: str
    markdown: str
    whole: Callable[[], str] | None = None
    """None: ``markdown`` is the whole file."""
    start: int = 1

    def line_of(self, url: str) -> int:
        """The line of the file that writes the link ``url`` (``line_of``), read when asked."""
        whole = self.whole() if self.whole else self.markdown
        return line_of(whole, url, self.start, self.start)


def rooted_links(markdown: str) -> list[str]:
    """The links of ``markdown`` written from the site's root (``/events/x/``, ``/images/a.png``),
    which miss a site published under a base path (``https://org.github.io/repo/``)."""
    if (
        "](/" not in markdown
        and '="/' not in markdown
        and "='/" not in markdown
        and "]: /" not in markdown
    ):
        return []  # perf (issue 5): most bodies
    found: list[str] = []
    for pattern in (INLINE_LINK, ANGLE_LINK, REFERENCE_LINK, HTML_ATTRIBUTE):
        for match in pattern.finditer(without_code(markdown)):
            url = match.group(2)
            if url.startswith("/") and not url.startswith("//") and url not in found:
                found.append(url)
    return found
