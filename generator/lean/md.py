"""Markdown -> page HTML with one converter per process, as MkDocs 1.6 renders a page.

MkDocs builds a new ``markdown.Markdown`` for every page, and setting up the extensions costs
more than converting a short article. Here one converter is made per process and ``reset()``
between pages. Links to other documentation files are rewritten the way MkDocs'
``_RelativePathTreeprocessor`` does (``news/a.md`` -> ``../a/``), so both engines give the same
``page.content``; a test compares them.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit
from xml.etree import ElementTree as etree

import markdown
from markdown.treeprocessors import Treeprocessor

from ..views import plainmd
from ..views.text import join_cjk_lines
from .links import relative_url

AMP_SUBSTITUTE = "\x02amp\x03"  # python-markdown's stand-in for '&' in e-mail links


@dataclass
class TocItem:
    """An entry of a page's table of contents, shaped like MkDocs' ``AnchorLink``."""

    title: str
    id: str
    level: int
    children: list[TocItem] = field(default_factory=list)
    active: bool = False

    @property
    def url(self) -> str:
        return "#" + self.id


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: list[TocItem]
    warnings: tuple[str, ...] = ()


class LinkRewriter(Treeprocessor):
    """Relative links to documentation files become URLs relative to the page (MkDocs' rule)."""

    def __init__(self, md: markdown.Markdown, files: Mapping[str, str], directory_urls: bool):
        super().__init__(md)
        self.files = files
        self.directory_urls = directory_urls
        self.src_uri = ""
        self.page_url = ""
        self.warnings: list[str] = []

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "a":
                key = "href"
            elif element.tag == "img":
                key = "src"
            else:
                continue
            url = element.get(key)
            if url is not None:
                element.set(key, self.rewrite(url))

    def rewrite(self, url: str) -> str:
        scheme, netloc, path, query, anchor = urlsplit(url)
        if scheme or netloc or url.startswith(("/", "\\")) or AMP_SUBSTITUTE in url or not path:
            return url
        path = unquote(path)
        target = posixpath.normpath(
            posixpath.join(posixpath.dirname(self.src_uri), path).lstrip("/")
        )
        dest = self.files.get(target)
        if dest is None:
            # MkDocs' defaults: a missing file is a warning, a link without a suffix is info.
            if posixpath.splitext(path)[-1]:
                self.warnings.append(
                    f"Doc file '{self.src_uri}' contains a link '{url}', but the target "
                    f"'{target}' is not found among documentation files."
                )
            return url
        return urlunsplit(("", "", relative_url(dest, self.page_url), query, anchor))


class PageMarkdown:
    """One reusable converter with the site's extensions and MkDocs' link rule."""

    def __init__(
        self,
        extensions: list[Any],
        configs: Mapping[str, Any],
        files: Mapping[str, str],
        directory_urls: bool = True,
    ) -> None:
        self.md = markdown.Markdown(extensions=extensions, extension_configs=dict(configs))
        self.links = LinkRewriter(self.md, files, directory_urls)
        # MkDocs registers its link processor at priority 0: after every extension's.
        self.md.treeprocessors.register(self.links, "relpath", 0)
        # perf (issue 5): bodies of plain paragraphs, headings and lists skip python-markdown
        self.plain = plainmd.for_converter(self.md.reset())

    def render(self, text: str, src_uri: str, url: str) -> Rendered:
        made = self.plain.convert(text) if self.plain is not None else None
        if made is not None:  # no link to rewrite, nothing to warn about
            return Rendered(join_cjk_lines(made[0]), toc_items(made[1]))
        self.md.reset()
        self.links.src_uri, self.links.page_url, self.links.warnings = src_uri, url, []
        html = join_cjk_lines(self.md.convert(text))
        toc = toc_items(getattr(self.md, "toc_tokens", []))
        return Rendered(html, toc, tuple(self.links.warnings))


def toc_items(tokens: list[dict[str, Any]]) -> list[TocItem]:
    toc = [toc_item(token) for token in tokens]
    if toc:
        toc[0].active = True
    return toc


def toc_item(token: Mapping[str, Any]) -> TocItem:
    item = TocItem(token["name"], token["id"], token["level"])
    item.children = [toc_item(child) for child in token["children"]]
    return item
