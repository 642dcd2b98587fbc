"""Editor Markdown as readers outside the page see it: HTML for feeds, plain text, cut summaries.

Chinese has no spaces, so text is cut and counted by characters, never by words. Feeds are read
away from the site, so every relative link of a body is made absolute under ``site_url``.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from posixpath import dirname, normpath
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin, urlsplit

import markdown

from .. import i18n, memo, parallel, urls
from ..urls import url_escaped
from . import plainmd

if TYPE_CHECKING:
    from ..model import Branch, Club, Event, NewsItem, Site, Source, Venue
from pymdownx.slugs import slugify

# The Markdown dialect of the site. mkdocs.yml lists the same extensions, so a body reads the
# same in a feed as on its page. The Unicode slugify keeps Chinese headings as anchors
# (#活动简介); python-markdown's default would give #_1.
MARKDOWN_EXTENSIONS: tuple[str, ...] = (
    "abbr",
    "admonition",
    "attr_list",
    "def_list",
    "footnotes",
    "md_in_html",
    "tables",
    "toc",
    "pymdownx.details",
    "pymdownx.superfences",
    "pymdownx.tilde",
    "pymdownx.tasklist",
)
MARKDOWN_CONFIG: dict[str, dict[str, object]] = {
    "toc": {"slugify": slugify(case="lower")},
}

# Reading speeds for the "x 分钟" hint: about 400 Chinese characters or 200 other words a minute.
HAN_PER_MINUTE = 400
WORDS_PER_MINUTE = 200

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
"""Chinese characters (the CJK ideograph blocks), for character classes."""
HAN_RE = re.compile(f"[{HAN}]")
HAN_RUN_RE = re.compile(HAN_RE.pattern + "+")
WORD_RE = re.compile(r"[A-Za-z0-9À-ɏ]+(?:['’.-][A-Za-z0-9À-ɏ]+)*")
SPACE_RE = re.compile(r"\s+")
BLOCK_BREAK = "\x00"
LINE_IN_HAN_RE = re.compile(rf"(?<={HAN_RE.pattern})[ \t]*\r?\n\s*(?={HAN_RE.pattern})")
# Characters XML 1.0 forbids (C0 controls but tab/LF/CR, surrogates, U+FFFE/U+FFFF).
XML_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Where a cut summary may end naturally: after a Chinese or Western sentence or clause mark.
BREAK_MARKS = "。！？；!?;…"
SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


RENDERED = ("render_html", "Markdown", "pymdown-extensions")
"""The memo table of ``render_html``, which ``prerender`` fills."""


CJK = "\u3040-\u30ff" + HAN  # kana too
CJK_MARKS = "\u3000-\u303f\uff00-\uffef"
CJK_BREAK = re.compile(f"(?<=[{CJK_MARKS}])\n(?!\n)|(?<=[{CJK}])\n(?=[{CJK}{CJK_MARKS}])")
"""A line break inside a Chinese sentence: after a full-width mark, or between two Chinese
characters. Browsers but Firefox show it as a space (CSS Text's segment break rule for East
Asian text is Firefox's alone): an editor's text wrapped in the middle of a sentence
(``部门、\n60 家``) read ``部门、 60 家``. Between a character and a Latin word or a number
the break stays a space, as Chinese text written with spaces around them has one."""
VERBATIM = re.compile(r"(<(pre|script|style|textarea)\b.*?</\2>)", re.S | re.I)


def join_cjk_lines(html: str) -> str:
    """Rendered HTML without the line breaks inside Chinese sentences (``CJK_BREAK``); code
    blocks, scripts and form text are left as written."""
    if "\n" not in html:
        return html
    parts = VERBATIM.split(html)
    # split keeps each match and its tag name: text, match, name, text, match, name, ...
    return "".join(
        CJK_BREAK.sub("", part) if i % 3 == 0 else part if i % 3 == 1 else ""
        for i, part in enumerate(parts)
    )


@lru_cache(maxsize=8192)
@memo.remembered(*RENDERED)
def render_html(text: str) -> str:
    """HTML of a Markdown body, with the site's extensions.

    perf (issue 5): one converter, reset between bodies, instead of building a new one per call
    (the extensions' set-up cost more than converting a short body); the same body is rendered
    for its page, its feed entry and its summary, so results are memoised too, and kept
    between builds (a district's 5,000 articles take ~2.5 s for the feeds alone).
    """
    return convert(text)


def markdown_table() -> memo.Table:
    return memo.table(*RENDERED)


def convert(text: str) -> str:
    made = plain_html(text)
    if made is not None:  # perf (issue 5): a plain body skips python-markdown (plainmd)
        return join_cjk_lines(made)
    return join_cjk_lines(shared_converter().reset().convert(text))


def convert_all(texts: list[str]) -> list[str]:
    return [convert(t) for t in texts]


PRERENDER_FORK_FROM = 64


def prerender(texts: Iterable[str]) -> None:
    """Render the bodies ``texts`` not rendered yet, half of them in a forked process, so that
    ``render_html`` finds them (perf, issue 5: on a cold build the summaries and the feeds,
    made in different processes, would each convert every article)."""
    table = markdown_table()
    todo = [t for t in dict.fromkeys(texts) if table.get(table.key(t)) is None]
    if len(todo) < PRERENDER_FORK_FROM:  # forking a district's heap costs ~0.3 s itself
        for text in todo:
            table.put(table.key(text), convert(text))
        return
    middle = len(todo) // 2
    others = parallel.beside(convert_all, todo[middle:])
    for text in todo[:middle]:
        table.put(table.key(text), convert(text))
    for text, made in zip(todo[middle:], others(), strict=True):
        table.put(table.key(text), made)


@lru_cache(maxsize=1)
def shared_converter() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=list(MARKDOWN_EXTENSIONS), extension_configs=MARKDOWN_CONFIG
    )


@lru_cache(maxsize=1)
def shared_plain() -> plainmd.Plain | None:
    return plainmd.for_converter(shared_converter().reset())


def plain_html(text: str) -> str | None:
    """The HTML of ``text`` when it is plain (``plainmd``) for the site's dialect, else None."""
    plain = shared_plain()
    made = plain.convert(text) if plain is not None else None
    return made[0] if made is not None else None


class TextExtractor(HTMLParser):
    """Collects the visible text of an HTML fragment; block ends become spaces.

    Footnotes are left out, their marks and their notes: a summary read ``研究表明1，…`` (the
    mark's number glued to the text) and ended ``见报告。 ↩`` when the text was short."""

    SKIP = frozenset({"script", "style", "template"})
    BLOCKS = frozenset(
        {
            "p",
            "div",
            "li",
            "br",
            "tr",
            "td",
            "th",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "blockquote",
            "pre",
            "dd",
            "dt",
            "figcaption",
            "summary",
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.skipped = ""
        """The tag whose element is being left out (``skipping`` counts its nesting)."""

    @staticmethod
    def footnote(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        """A footnote's mark or its notes, as python-markdown's footnotes extension writes
        them (``<sup id="fnref:1">``, ``<div class="footnote">``)."""
        found = dict(attrs)
        if tag == "sup":
            return (found.get("id") or "").startswith("fnref")
        return tag == "div" and "footnote" in (found.get("class") or "").split()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            self.skipping += tag == self.skipped
        elif tag in self.SKIP or self.footnote(tag, attrs):
            self.skipped, self.skipping = tag, 1
        elif tag in self.BLOCKS:
            self.parts.append(BLOCK_BREAK)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            self.skipping -= tag == self.skipped
        elif tag in self.BLOCKS:
            self.parts.append(BLOCK_BREAK)

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    extractor = TextExtractor()
    extractor.feed(fragment)
    extractor.close()
    return joined_text("".join(extractor.parts))


def joined_text(parts: str) -> str:
    # Join lines first, so the break between two blocks is never taken for one inside a sentence.
    text = LINE_IN_HAN_RE.sub("", parts)
    return collapse_spaces(text.replace(BLOCK_BREAK, " "))


PLAIN_TAG_RE = re.compile(r"</?([a-z0-9]+)[^>]*>")


def plain_html_to_text(fragment: str) -> str:
    """``html_to_text`` of what ``plainmd`` writes (tags without ``>`` in them, text without
    ``&`` or ``<``), without an HTML parser (perf, issue 5: ~0.25 ms an article)."""
    blocks = TextExtractor.BLOCKS
    parts = PLAIN_TAG_RE.sub(lambda m: BLOCK_BREAK if m.group(1) in blocks else "", fragment)
    return joined_text(parts)


def collapse_spaces(text: str) -> str:
    return SPACE_RE.sub(" ", text).strip()


FOOTNOTE_BACK_RE = re.compile(r'title="Jump back to footnote (\d+) in the text"')
"""python-markdown's footnotes extension's default title of a link back to the text."""


def localise_footnotes(fragment: str, language: str) -> str:
    """``fragment`` (HTML of a body) with its footnotes' links back to the text titled in the
    site's language (the site's converter writes python-markdown's English default)."""
    if "footnote-backref" not in fragment:
        return fragment
    title = i18n.label("footnote_back", language)
    return FOOTNOTE_BACK_RE.sub(lambda m: f'title="{title.format(m[1])}"', fragment)


def plain_text(body: str) -> str:
    """The readable text of a Markdown body, on one line."""
    made = plain_html(body)
    if made is not None:
        return plain_html_to_text(made)
    return html_to_text(render_html(body))


def cut(text: str, limit: int) -> str:
    """``text`` shortened to at most ``limit`` characters, ending with '…' when cut.

    Prefers to end at a sentence or clause mark in the last third, so a summary does not stop
    in the middle of a phrase when a natural end is near.
    """
    text = collapse_spaces(text)
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    floor = (limit * 2) // 3
    natural = max(head.rfind(mark) for mark in BREAK_MARKS)
    if natural >= floor:
        return head[: natural + 1].rstrip() + ("" if head[natural] == "…" else "…")
    return head.rstrip(" ，,、：:（(“\"'") + "…"


def reading_minutes(text: str) -> int:
    """Minutes to read ``text``: Chinese characters and other words counted separately."""
    # by runs of characters, not one match per character (perf, issue 5: same counts)
    han = sum(map(len, HAN_RUN_RE.findall(text)))
    words = len(WORD_RE.findall(HAN_RUN_RE.sub(" ", text)))
    return max(1, math.ceil(han / HAN_PER_MINUTE + words / WORDS_PER_MINUTE))


def xml_safe(text: str) -> str:
    """``text`` without the control characters XML 1.0 cannot carry (a pasted \\x0b, \\x1f …)."""
    return XML_ILLEGAL_RE.sub("", text)


def page_path_of_markdown(docs_relative: str) -> str:
    """The page a Markdown file becomes with directory URLs: ``about.md`` -> ``about/``."""
    stem = docs_relative[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def absolute_url(
    url: str,
    site_url: str,
    source_path: str,
    page_path: str,
    pages_by_source: Mapping[str, str] | None = None,
) -> str:
    """Where a link written in ``source_path`` (inside the docs folder) leads, as an absolute URL.

    Relative links resolve against the content file's folder, as MkDocs resolves them;
    ``/images/a.png`` means the site's root (a site may live under ``/repo/``); a link to another
    ``.md`` file becomes that page's URL; ``#anchor`` stays on the page.
    """
    url = url.strip()
    if not url or SCHEME_RE.match(url) or url.startswith("//"):
        return url_escaped(url)
    if url.startswith("#"):
        return url_escaped(urljoin(site_url, page_path) + url)
    parts = urlsplit(url)
    target = parts.path
    if target.startswith("/"):
        resolved = normpath(target.lstrip("/")) if target.strip("/") else ""
    else:
        folder = dirname(source_path)
        resolved = normpath(f"{folder}/{target}" if folder else target)
        if resolved.startswith(".."):
            resolved = ""  # above the site root: the best reading is the root itself
    if resolved == ".":
        resolved = ""
    if resolved.endswith(".md"):
        # ``%``-escapes read, as MkDocs reads them: a link copied from GitHub's web editor
        # (``%E5%9E%83….md``) led the page to the article and the feeds to a missing page.
        known = (pages_by_source or {}).get(unquote(resolved))
        resolved = known if known is not None else page_path_of_markdown(resolved)
    elif target.endswith("/") and resolved:
        resolved += "/"
    result = urljoin(site_url, resolved)
    if parts.query:
        result += "?" + parts.query
    if parts.fragment:
        result += "#" + parts.fragment
    return url_escaped(result)


PAGE_OF_KIND: dict[str, Callable[[str], str]] = {
    "events": urls.event,
    "branches": urls.branch,
    "clubs": urls.club,
    "venues": urls.venue,
}
"""The page of an activity's, branch's, club's or venue's file, by its folder and slug."""


def entities_by_kind(site: Site) -> dict[str, Mapping[str, Event | Branch | Club | Venue]]:
    return {"events": site.events, "branches": site.branches, "clubs": site.clubs,
            "venues": site.venues}  # fmt: skip


def pages_by_source(site: Site) -> dict[str, str]:
    """Docs-relative Markdown path -> page path, so ``[见](../events/x.md)`` links to its page."""
    found = {n.source.docs_path: urls.news(n.slug) for n in site.news}
    for kind, entities in entities_by_kind(site).items():
        page = PAGE_OF_KIND[kind]
        found |= {e.source.docs_path: page(e.slug) for e in entities.values()}
    return found


def entity_pages(site: Site, docs_paths: Iterable[str]) -> dict[str, str]:
    """``pages_by_source`` for ``docs_paths`` alone, each found by its id (its file name)
    instead of by going through every entity of the site."""
    found = {}
    tables = entities_by_kind(site)
    for path in docs_paths:
        kind = path.split("/", 1)[0]
        if kind == "news":
            item = next((n for n in site.news if n.source.docs_path == path), None)
            if item is not None:
                found[path] = urls.news(item.slug)
            continue
        entity = tables.get(kind, {}).get(path.rsplit("/", 1)[-1].removesuffix(".md"))
        if entity is not None and entity.source.docs_path == path:
            found[path] = PAGE_OF_KIND[kind](entity.slug)
    return found


def rewrite_srcset(value: str, rewrite: Callable[[str], str]) -> str:
    """A ``srcset`` (``a.png 1x, b.png 2x``) with each candidate's URL rewritten, read as
    HTML reads it (https://html.spec.whatwg.org/#parse-a-srcset-attribute): a URL is a run
    without spaces, its trailing commas end the candidate; descriptors run to the next comma."""
    candidates: list[str] = []
    pos, size = 0, len(value)
    while pos < size:
        while pos < size and (value[pos].isspace() or value[pos] == ","):
            pos += 1
        start = pos
        while pos < size and not value[pos].isspace():
            pos += 1
        url, descriptor = value[start:pos], ""
        if not url:
            break
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            comma = value.find(",", pos)
            end = size if comma < 0 else comma
            descriptor, pos = value[pos:end].strip(), end + 1
        candidates.append(rewrite(url) + (" " + descriptor if descriptor else ""))
    return ", ".join(candidates)


class LinkRewriter(HTMLParser):
    """Copies HTML as it is, re-writing only start tags whose URL attributes change."""

    URL_ATTRS = frozenset({"href", "src", "poster", "cite", "srcset"})

    def __init__(self, rewrite: Callable[[str], str]) -> None:
        super().__init__(convert_charrefs=False)
        self.rewrite = rewrite
        self.out: list[str] = []

    def starttag(self, tag: str, attrs: list[tuple[str, str | None]], closing: str) -> None:
        raw = self.get_starttag_text() or ""
        if not any(name in self.URL_ATTRS and value for name, value in attrs):
            self.out.append(raw)
            return
        parts = [tag]
        for name, value in attrs:
            if value is None:
                parts.append(name)
                continue
            if name == "srcset":  # an <img>'s or <picture> <source>'s pictures for each size
                value = rewrite_srcset(value, self.rewrite)
            elif name in self.URL_ATTRS:
                value = self.rewrite(value)
            parts.append(f'{name}="{html.escape(value, quote=True)}"')
        self.out.append("<" + " ".join(parts) + closing + ">")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starttag(tag, attrs, "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starttag(tag, attrs, " /")

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.out.append(f"<![{data}]>")


SIMPLE_TAG_RE = re.compile(r'</?[a-z][a-z0-9]*(?: [a-z][a-z0-9-]*="[^"<>&]*")*>')
ANY_TAG_RE = re.compile(r"<[^>]*>")


def has_no_links(fragment: str) -> bool:
    """Whether ``LinkRewriter`` would copy ``fragment`` unchanged: no entity, every "<" opens
    a lower-case tag with double-quoted attributes and no end-tag attributes, none of them a
    URL attribute (the HTML ``plainmd`` writes)."""
    if "&" in fragment:
        return False
    tags = ANY_TAG_RE.findall(fragment)
    if len(tags) != fragment.count("<"):
        return False
    for tag in tags:
        if not SIMPLE_TAG_RE.fullmatch(tag) or (tag[1] == "/" and " " in tag):
            return False
        if " " in tag and any(f" {name}=" in tag for name in LinkRewriter.URL_ATTRS):
            return False
    return True


def absolutize_links(
    fragment: str,
    site_url: str,
    source_path: str,
    page_path: str,
    pages_by_source: Mapping[str, str] | None = None,
) -> str:
    """``fragment`` with every href/src made absolute (see ``absolute_url``).

    Parsed, not matched with a pattern: a title like ``x src='y'`` inside an ``alt`` stays text.
    """
    if has_no_links(fragment):  # perf (issue 5): a plain body, which parsing copies as it is
        return fragment
    rewriter = LinkRewriter(
        lambda url: absolute_url(url, site_url, source_path, page_path, pages_by_source)
    )
    rewriter.feed(fragment)
    rewriter.close()
    return "".join(rewriter.out)


@lru_cache(maxsize=8192)
@memo.remembered("text.body_text", "Markdown", "pymdown-extensions")  # perf (issue 5): kept
def body_text(body: str) -> str:
    """Plain text of a body; cached because one article is listed on many pages."""
    return plain_text(body)


@lru_cache(maxsize=8192)
@memo.remembered("text.body_minutes", "Markdown", "pymdown-extensions")
def body_minutes(body: str) -> str:
    """``reading_minutes`` of a body's text, as text for the memo (perf, issue 5: counting a
    district's 5,000 articles again took ~0.3 s of every build)."""
    return str(reading_minutes(body_text(body)))


def summary_of(item: NewsItem | Event | Branch | Club | Venue, limit: int) -> str:
    """The editor's ``summary``, or the body's text cut by characters: what a page's
    description (search results, a shared link's preview) and a feed's summary say. A body
    that is only pictures is described by their words (a feed reader showed an empty item)."""
    return cut(item.summary or body_text(item.body) or pictures_text(item.body), limit)


PICTURE_ALT_RE = re.compile(r'<img\b[^>]*?\balt="([^"]+)"')


def pictures_text(body: str) -> str:
    """The words of a body's pictures (their ``alt``), one after another."""
    if "<" not in body and "![" not in body:
        return ""
    words = (html.unescape(alt).strip() for alt in PICTURE_ALT_RE.findall(render_html(body)))
    return "；".join(dict.fromkeys(w for w in words if w))


def asset_url(site_url: str, source: Source, value: str) -> str:
    """Where a front-matter file reference (``image: images/a.jpg``) of the file ``source``
    leads.

    Editors name files from the content root (``images/a.jpg`` or ``/images/a.jpg``); only a
    path starting with ``./`` or ``../`` is read relative to the content file, inside the docs
    folder as MkDocs publishes it. Returns a site-relative path for the ``url`` filter, or the
    absolute URL an editor gave.
    """
    if not value:
        return ""
    # an address (``https://mmbiz.qpic.cn/…``) as written: made ``/https://…``, then a path of
    # this site, it was a broken cover, og:image and feed image (``field.remote-image`` tells)
    if not value.startswith(("./", "../", "//")) and not SCHEME_RE.match(value):
        value = "/" + value.lstrip("/")
    resolved = absolute_url(value, site_url, source.docs_path, "")
    return site_relative(resolved, site_url)


IMAGE_IN_TEXT = re.compile(r"!\[[^\]\n]*\]\(\s*<?([^()\s<>]+)")
"""A Markdown image's target: ``![海报](../../images/a.jpg "title")``."""


def text_image(
    site_url: str,
    source: Source,
    body: str,
    leading: bool = False,
    accept: Callable[[str], bool] = lambda url: True,
) -> str:
    """The first image of a text (``leading``: only one that opens it; ``accept``: the first
    it accepts), as ``asset_url`` gives a cover: site-relative, or the absolute URL written;
    "" for none or pasted data."""
    matches = [IMAGE_IN_TEXT.match(body.lstrip())] if leading else IMAGE_IN_TEXT.finditer(body)
    for match in matches:
        if match is None or match[1].lower().startswith("data:"):
            continue
        url = site_relative(absolute_url(match[1], site_url, source.docs_path, ""), site_url)
        if accept(url):
            return url
    return ""


def shareable(url: str) -> bool:
    """Whether link previews can show the picture: WeChat's, Facebook's, X's and most others
    draw no SVG (https://developers.facebook.com/docs/sharing/webmasters/images/), and a card
    whose picture fails shows none or a broken one. Any other picture, even one whose address
    names no format, is offered."""
    return not urlsplit(url).path.lower().endswith((".svg", ".svgz"))


@dataclass(frozen=True)
class Cover:
    """An article's pictures: ``shown`` above its text (its ``image``, unless the text opens
    with that very picture, as a WeChat article copied whole does: shown once, not twice, on
    the page and in the feeds), ``shared``, the picture of its structured data and JSON Feed
    entry (its ``image``, else the first picture of its text: an article of a picture alone
    had a card without one), and ``card``, that of its link previews (``og:image``): the
    first of those that previews can draw (``shareable``), or none."""

    shown: str
    shared: str
    card: str

    @classmethod
    def of(cls, site_url: str, source: Source, image: str, body: str) -> Cover:
        cover = asset_url(site_url, source, image)
        card = cover if cover and shareable(cover) else ""
        card = card or text_image(site_url, source, body, accept=shareable)
        if cover and cover == text_image(site_url, source, body, leading=True):
            return cls(shown="", shared=cover, card=card)
        return cls(shown=cover, shared=cover or text_image(site_url, source, body), card=card)


def site_relative(url: str, site_url: str) -> str:
    return url[len(site_url) :] if url.startswith(site_url) else url
