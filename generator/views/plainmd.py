"""Plain Markdown bodies to HTML without running python-markdown (perf, issue 5).

Most activity notices and many articles are paragraphs of Chinese text, ``##`` headings and
short ``-`` lists. python-markdown spends ~0.13 ms on each such paragraph (its block parser,
~20 inline patterns, its table-of-contents and serialiser passes): on a district's 20,000
bodies that was ~15 CPU-s of a cold build, counting the feeds' second conversion.

A body written only of such blocks, in characters no Markdown syntax uses, has one reading,
and this module writes it directly: the same bytes and the same table of contents as the
converter it stands in for (tests compare both on thousands of random bodies). Anything else
(emphasis, links, code, tables, raw HTML, indentation, a line starting ``1.`` …) returns None
and goes through python-markdown as before. Only a converter whose processors are all known
by name gets the shortcut: an extension that could change plain text (``smarty``,
``nl2br``, ``magiclink`` …) turns it off, and so do an abbreviation glossary and table of
contents options other than ids on headings.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import markdown
from markdown.extensions.toc import nest_toc_tokens, unique

# What python-markdown, with the site's extensions, registers (by name): a converter with any
# other processor may change plain text, and keeps the long way.
KNOWN = {
    "preprocessors": {"normalize_whitespace", "html_block", "fenced_code_block"},
    "blockprocessors": {
        "empty", "indent", "code", "hashheader", "setextheader", "hr", "olist", "ulist",
        "quote", "reference", "paragraph", "admonition", "markdown_block", "details",
        "defindent", "deflist", "table", "footnote", "abbr",
    },
    "inlinePatterns": {
        "backtick", "escape", "reference", "link", "image_link", "image_reference",
        "short_reference", "short_image_ref", "autolink", "automail", "linebreak", "html",
        "entity", "not_strong", "em_strong", "em_strong2", "footnote", "tilde", "delimiter",
    },
    "treeprocessors": {
        "inline", "prettify", "unescape", "toc", "abbr", "attr_list", "footnote",
        "footnote-duplicate", "task-list", "relpath",
    },
    "postprocessors": {"raw_html", "amp_substitute", "unescape", "footnote"},
}  # fmt: skip
KNOWN_MODULES = ("markdown.", "pymdownx.", "generator.")
"""Where those processors' classes come from: another package's, under a known name, is not
known."""

# Characters no Markdown syntax of those processors starts with, anywhere in a line: CJK and
# other non-ASCII text except white space, controls, private use and specials; ASCII letters,
# digits, the space and a few marks. "&", "<" and ">" are out too, so nothing needs escaping.
NON_ASCII = (
    "\u00a1-\u167f\u1681-\u1fff\u200b-\u2027\u202a-\u202e\u2030-\u205e\u2060-\u2fff"
    "\u3001-\ud7ff\uf900-\ufefe\uff00-\ufff8\U00010000-\U000effff"
)
MARK = rf"\-A-Za-z0-9,.;?!()'\"%/@{NON_ASCII}"
TEXT = rf"[{MARK} ]"
# A line starts with a letter, a digit or non-ASCII text (no ">", "-", "!!!", "???", "///",
# indentation …), ends without a space (no "  " line break) and is not "1." (a numbered list).
LINE = rf"(?!\d+\.)[A-Za-z0-9{NON_ASCII}](?:{TEXT}*[{MARK}])?"
PARAGRAPH_RE = re.compile(rf"{LINE}(?:\n{LINE})*")
HEADING_RE = re.compile(rf"(#{{1,6}}) ({LINE})")
LIST_RE = re.compile(rf"- {LINE}(?:\n- {LINE})*")
ITEM_PREFIX = "- "
BLANK_LINES_RE = re.compile(r"\n{2,}")
ATTRIBUTE_UNSAFE = re.compile(r'[&<>"\n]')


@dataclass(frozen=True)
class Toc:
    """What the converter's table-of-contents processor would do with headings."""

    slugify: Callable[[str, str], str]
    separator: str
    top: int
    bottom: int


@dataclass(frozen=True)
class Plain:
    """The shortcut for one converter (see ``for_converter``)."""

    toc: Toc | None

    def convert(self, text: str) -> tuple[str, list[dict[str, Any]]] | None:
        """HTML and table-of-contents tokens (python-markdown's ``toc_tokens``) of ``text``,
        or None when ``text`` is not plain."""
        blocks = BLANK_LINES_RE.split(text.strip("\n"))
        if blocks == [""]:
            return "", []
        parts: list[str] = []
        tokens: list[dict[str, Any]] = []
        used: set[str] = set()
        after_list = False
        for block in blocks:
            if PARAGRAPH_RE.fullmatch(block):
                parts.append(f"<p>{block}</p>")
                after_list = False
            elif LIST_RE.fullmatch(block):
                if after_list:  # two lists a blank line apart make one loose list
                    return None
                items = "\n".join(
                    f"<li>{line[len(ITEM_PREFIX) :]}</li>" for line in block.split("\n")
                )
                parts.append(f"<ul>\n{items}\n</ul>")
                after_list = True
            else:
                heading = HEADING_RE.fullmatch(block)
                if heading is None or self.toc is None:
                    return None
                level, title = len(heading.group(1)), heading.group(2)
                name = " ".join(title.split())  # python-markdown's strip_tags
                slug = unique(self.toc.slugify(html.unescape(name), self.toc.separator), used)
                if ATTRIBUTE_UNSAFE.search(slug):
                    return None
                parts.append(f'<h{level} id="{slug}">{title}</h{level}>')
                if self.toc.top <= level <= self.toc.bottom:
                    tokens.append(
                        {
                            "level": level,
                            "id": slug,
                            "name": name,
                            "html": title,
                            "data-toc-label": "",
                        }
                    )
                after_list = False
        return "\n".join(parts), nest_toc_tokens(tokens)


def for_converter(md: markdown.Markdown) -> Plain | None:
    """The shortcut for ``md``, or None when its processors could read plain text otherwise
    (call it on a converter set up for its next document: ``md.reset()``)."""
    registries = {
        "preprocessors": md.preprocessors,
        "blockprocessors": md.parser.blockprocessors,
        "inlinePatterns": md.inlinePatterns,
        "treeprocessors": md.treeprocessors,
        "postprocessors": md.postprocessors,
    }
    for name, registry in registries.items():
        for item in registry._priority:
            module = type(registry[item.name]).__module__
            if item.name not in KNOWN[name] or not module.startswith(KNOWN_MODULES):
                return None
    trees = md.treeprocessors
    if "abbr" in trees and getattr(trees["abbr"], "abbrs", None) != {}:
        return None  # a glossary: its words are marked up in any text
    if "toc" not in trees:
        return Plain(None)  # headings without ids: they keep the long way
    toc = trees["toc"]
    if toc.marker not in ("[TOC]", "") or toc.use_anchors or toc.base_level != 0:
        return None
    if toc.use_permalinks not in (False, None):
        return None
    return Plain(Toc(toc.slugify, toc.sep, toc.toc_top, toc.toc_bottom))
