"""Links to a place in a page (``x.md#报名方式``, ``#开放时间``) checked against the ids the
page's text will have.

A heading's id is made by the ``toc`` extension with the slugify ``mkdocs.yml`` names, so the
check makes the ids the same way: the text is rendered with the site's dialect and that slugify.
A site whose slugify is none we know (a function of its own) gets no check rather than wrong
warnings. The ids of a generated page's frame (``yz-…``, Material's ``__…``) are taken as there.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

import markdown
from markdown.extensions import toc
from pymdownx import slugs

from .links import (
    ANGLE_LINK,
    HTML_ATTRIBUTE,
    INLINE_LINK,
    LINK_MARKS,
    REFERENCE_LINK,
    Written,
    is_relative,
    outside_docs,
    without_code,
)
from .load import PythonTag
from .problems import Origin, Problem, problem
from .validate import closest_id
from .views.text import MARKDOWN_EXTENSIONS


@dataclass(frozen=True)
class HeadingIds:
    """How the site's ``toc`` extension makes a heading's id, as ``mkdocs.yml`` says."""

    slugify: str = "markdown.extensions.toc.slugify"
    options: tuple[tuple[str, Any], ...] = ()
    separator: str = "-"


PYTHON_MARKDOWN_IDS = HeadingIds()
"""Ids as MkDocs makes them when ``mkdocs.yml`` does not set ``toc``'s ``slugify``."""

FUNCTIONS: dict[str, Callable[[str, str], str]] = {
    "markdown.extensions.toc.slugify": toc.slugify,
    "markdown.extensions.toc.slugify_unicode": toc.slugify_unicode,
}
"""The slugify functions a site may name (``!!python/name:…``)."""
FACTORIES: dict[str, Callable[..., Callable[[str, str], str]]] = {
    "pymdownx.slugs.slugify": slugs.slugify,
}
"""The slugify factories a site may call (``!!python/object/apply:…`` with ``kwds``)."""

FRAME_IDS = re.compile(r"^(?:yz-|__)")
"""Ids of the generated pages' own parts, which no editor's text makes."""

ID_ATTRIBUTE = re.compile(r"""\s(?:id|name)=(["'])(.*?)\1""")


def heading_rule(extensions: object) -> HeadingIds | None:
    """The site's heading ids from ``markdown_extensions`` as ``load.read_config_file`` reads
    it; None when its slugify is one this check cannot make."""
    settings: object = {}
    for entry in extensions if isinstance(extensions, list) else []:
        if isinstance(entry, dict) and "toc" in entry:
            settings = entry["toc"] or {}
    return toc_rule(settings) if isinstance(settings, dict) else None


def toc_rule(settings: Mapping[str, Any]) -> HeadingIds | None:
    """The heading ids of ``toc``'s settings, whose ``slugify`` is a ``PythonTag`` (read from
    ``mkdocs.yml``) or the function MkDocs made of it; None when it is none we know."""
    separator = str(settings.get("separator", "-"))
    slugify = settings.get("slugify")
    if slugify is None:
        return HeadingIds(separator=separator)
    if isinstance(slugify, PythonTag):
        kind, _, name = slugify.name.partition(":")
        if kind == "name" and name in FUNCTIONS:
            return HeadingIds(name, (), separator)
        options = slugify.value.get("kwds", {}) if isinstance(slugify.value, dict) else None
        if kind == "object/apply" and name in FACTORIES and isinstance(options, dict):
            return HeadingIds(name, tuple(sorted(options.items())), separator)
        return None
    for name, function in FUNCTIONS.items():
        if slugify is function:
            return HeadingIds(name, (), separator)
    options = getattr(slugify, "keywords", None)
    for name, factory in FACTORIES.items():
        if isinstance(options, dict) and same_partial(slugify, factory(**options)):
            return HeadingIds(name, tuple(sorted(options.items())), separator)
    return None


def same_partial(one: object, other: object) -> bool:
    """Whether two ``functools.partial`` call one function with the same keywords."""
    return (
        getattr(one, "func", None) is getattr(other, "func", object())
        and getattr(one, "keywords", None) == getattr(other, "keywords", None)
        and getattr(one, "args", None) == getattr(other, "args", None)
    )


@lru_cache(maxsize=4)
def converter(rule: HeadingIds) -> markdown.Markdown:
    if rule.slugify in FACTORIES:
        slugify = FACTORIES[rule.slugify](**dict(rule.options))
    else:
        slugify = FUNCTIONS[rule.slugify]
    settings = {"toc": {"slugify": slugify, "separator": rule.separator}}
    return markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS), extension_configs=settings)


def page_ids(text: str, rule: HeadingIds) -> frozenset[str]:
    """The ids ``text`` (a page's Markdown) gives its page: headings', ``{#id}``, footnotes',
    and raw HTML's ``id``/``name``."""
    made = converter(rule).reset().convert(text)
    return frozenset(html.unescape(match.group(2)) for match in ID_ATTRIBUTE.finditer(made))


@dataclass(frozen=True)
class PlaceLink:
    """A link to a place in a page: as written, the page's docs path, and the place's id."""

    url: str
    page: str
    place: str


def place_links(text: str, source: str) -> list[PlaceLink]:
    """The links of ``text`` (written in docs file ``source``) to a place in a Markdown page:
    ``x.md#报名方式`` or, in the page itself, ``#开放时间`` (``%``-escapes read). Images, links
    out of the docs folder and to generated pages (``index.md``) are not judged."""
    if "#" not in text or not any(mark in text for mark in LINK_MARKS):  # perf (issue 5)
        return []
    found: list[PlaceLink] = []
    for pattern in (INLINE_LINK, ANGLE_LINK, REFERENCE_LINK, HTML_ATTRIBUTE):
        for match in pattern.finditer(without_code(text)):
            if match.group(1).startswith(("!", "src")):
                continue
            url = match.group(2)
            path, _, place = url.partition("#")
            path = path.partition("?")[0]
            if not place or not (is_relative(url) or url.startswith("#")):
                continue
            page = source
            if path:
                if not path.endswith(".md"):
                    continue
                page = posixpath.normpath(posixpath.join(posixpath.dirname(source), unquote(path)))
                if outside_docs(page) or posixpath.basename(page) == "index.md":
                    continue
            found.append(PlaceLink(url, page, unquote(place)))
    return found


def missing_places(
    writings: Mapping[str, Iterable[Written]],
    pages: Mapping[str, str],
    rule: HeadingIds | None,
) -> list[Problem]:
    """A warning for each link, in ``writings`` (by docs path of the page they are on, or of
    their file), to a place its page does not have. ``pages`` gives a page's Markdown by docs
    path (none: not a page this check knows, as a draft's or a timeline's)."""
    if rule is None:
        return []
    ids: dict[str, frozenset[str] | None] = {}

    def ids_of(page: str) -> frozenset[str] | None:
        if page not in ids:
            text = pages.get(page)
            ids[page] = None if text is None else page_ids(text, rule)
        return ids[page]

    found: list[Problem] = []
    for source, texts in writings.items():
        for written in texts:
            for link in place_links(written.markdown, source):
                known = ids_of(link.page)
                if known is None or link.place in known or FRAME_IDS.match(link.place):
                    continue
                found.append(place_problem(written, link, known))
    return found


def place_problem(written: Written, link: PlaceLink, known: frozenset[str]) -> Problem:
    """``link.anchor`` at the first line of the written text naming the link."""
    line = written.line_of(link.url)
    headings = sorted(i for i in known if not i.startswith(("fn:", "fnref:")))
    return problem(
        Origin(written.path, line),
        "link.anchor",
        "body",
        "warning",
        url=link.url,
        place=link.place,
        suggestion=f"#{close}" if (close := closest_id(link.place, headings)) else "",
    )
