"""Plain bodies (paragraphs, ``##`` headings, ``-`` lists) written without python-markdown
(issue 5) give python-markdown's bytes and table of contents: thousands of random bodies,
near-plain ones included, through the feeds' converter and the page converter of a site."""

from __future__ import annotations

import random
from typing import Any

import markdown
import pytest
from pymdownx.slugs import slugify

from generator.lean.md import PageMarkdown
from generator.views import plainmd, text

# The lean renderer's converter as a site configures it (MkDocs adds toc, tables, fenced_code).
SITE_EXTENSIONS = [
    "toc", "tables", "fenced_code", "abbr", "admonition", "attr_list", "def_list", "footnotes",
    "md_in_html", "pymdownx.details", "pymdownx.superfences", "pymdownx.tilde",
    "pymdownx.tasklist",
]  # fmt: skip
SITE_CONFIGS: dict[str, Any] = {"toc": {"permalink": False, "slugify": slugify(case="lower")}}

HAN = "党群服务中心驿站活动志愿者社区居民楼宇青年读书分享会健康义诊"
WORDS = [
    *HAN,
    "，", "。", "、", "；", "！", "？", "：", "“", "”", "（", "）", "《", "》", "—", "…", "·",
    "abc", "Yizhan", "2026", "19", "5", " ", "  ", ",", ".", ";", "?", "!", "(", ")", "'", '"',
    "%", "/", "@", "-",
]  # fmt: skip
# Rarer pieces that are Markdown (or may be), so the shortcut must say no or agree.
TRICKY = [
    "*", "_", "**加粗**", "`代码`", "[链接](a.md)", "<b>", "&amp;", "&", ">", "#", ":", "=", "+",
    "~~删~~", "^", "|", "{: #x}", "\\", "\t", "\u3000", "\u00a0", "\u200b", "\ufeff", "\ue000",
    "1. ", "- ", "* ", "+ ", "> ", "    ", "!!! note", "??? note", "///", "[^1]", "*[HTML]: 超文本",
    "[TOC]", "---", "===", "http://example.org", "a@b.cn", ":smile:", "(c)", "1/2", "-->",
]  # fmt: skip


def sentence(rng: random.Random, tricky: float) -> str:
    n = rng.randrange(1, 14)
    pieces = [rng.choice(TRICKY) if rng.random() < tricky else rng.choice(WORDS) for _ in range(n)]
    if rng.random() < 0.7:  # most lines read as text does: a word first, a full stop last
        pieces = [rng.choice(HAN), *pieces, "。"]
    return "".join(pieces)


def block(rng: random.Random, tricky: float) -> str:
    kind = rng.random()
    if kind < 0.2:
        title = rng.choice(
            ["下一步", "活动简介", "活动简介", "！？", "abc  def", sentence(rng, tricky)]
        )
        return "#" * rng.randrange(1, 8) + rng.choice([" ", " ", "", "  "]) + title
    if kind < 0.35:
        return "\n".join("- " + sentence(rng, tricky) for _ in range(rng.randrange(1, 5)))
    return "\n".join(sentence(rng, tricky) for _ in range(rng.randrange(1, 4)))


def body(rng: random.Random) -> str:
    tricky = rng.choice([0.0, 0.0, 0.02, 0.1])
    gaps = ["\n\n", "\n\n", "\n\n", "\n\n\n", "\n"]
    blocks = [block(rng, tricky) for _ in range(rng.randrange(0, 7))]
    joined = "".join(b + rng.choice(gaps) for b in blocks)
    return rng.choice(["", "\n", "\n\n"]) + joined + rng.choice(["", "\n", "\n", "  "])


def compare(md: markdown.Markdown, convert: Any, seed: int, count: int) -> tuple[int, int]:
    rng = random.Random(seed)
    taken = refused = 0
    for _ in range(count):
        source = body(rng)
        made = convert(source)
        if made is None:
            refused += 1
            continue
        taken += 1
        expected = md.reset().convert(source)
        assert made[0] == expected, source
        assert made[1] == getattr(md, "toc_tokens", []), source
    return taken, refused


def test_the_feeds_converter_agrees_with_python_markdown() -> None:
    md = markdown.Markdown(
        extensions=list(text.MARKDOWN_EXTENSIONS), extension_configs=text.MARKDOWN_CONFIG
    )
    plain = plainmd.for_converter(md.reset())
    assert plain is not None
    taken, refused = compare(md, plain.convert, seed=1, count=10000)
    assert taken > 2500 and refused > 2500  # both ways are exercised


def test_the_page_converter_agrees_with_python_markdown() -> None:
    page = PageMarkdown(SITE_EXTENSIONS, SITE_CONFIGS, files={"a.md": "a/"})
    plain = plainmd.for_converter(page.md.reset())
    assert plain is not None
    taken, refused = compare(page.md, plain.convert, seed=2, count=10000)
    assert taken > 2500 and refused > 2500
    # and PageMarkdown uses it: the same page and table of contents either way
    rng = random.Random(3)
    for _ in range(300):
        source = body(rng)
        fast = page.render(source, "events/a.md", "events/a/")
        page.plain = None
        slow = page.render(source, "events/a.md", "events/a/")
        page.plain = plain
        assert (fast.html, fast.toc) == (slow.html, slow.toc), source


def test_the_common_shapes_are_taken() -> None:
    plain = plainmd.for_converter(text.shared_converter().reset())
    assert plain is not None
    body = "活动简介第一段。\n第二行。\n\n## 活动安排\n\n- 报名\n- 签到\n\n## 活动安排\n\n结束。\n"
    made = plain.convert(body)
    assert made is not None
    assert made[0] == (
        "<p>活动简介第一段。\n第二行。</p>\n"
        '<h2 id="活动安排">活动安排</h2>\n'
        "<ul>\n<li>报名</li>\n<li>签到</li>\n</ul>\n"
        '<h2 id="活动安排_1">活动安排</h2>\n'
        "<p>结束。</p>"
    )
    assert [t["id"] for t in made[1]] == ["活动安排", "活动安排_1"]


@pytest.mark.parametrize(
    ("extensions", "configs"),
    [
        (["smarty"], {}),  # quotes and dashes in plain text
        (["nl2br"], {}),  # line breaks
        (["pymdownx.magiclink"], {}),  # bare addresses
        (["toc"], {"toc": {"permalink": True}}),
        (["toc"], {"toc": {"baselevel": 2}}),
        (["toc"], {"toc": {"marker": "目录"}}),
        (["abbr"], {"abbr": {"glossary": {"驿站": "党群服务驿站"}}}),
    ],
)
def test_converters_that_read_plain_text_otherwise_get_no_shortcut(
    extensions: list[str], configs: dict[str, Any]
) -> None:
    md = markdown.Markdown(extensions=extensions, extension_configs=configs)
    assert plainmd.for_converter(md.reset()) is None


def test_the_text_of_a_plain_body_is_the_one_an_html_parser_reads() -> None:
    """Summaries, reading times and calendar descriptions take a plain body's text without
    parsing its HTML: the same text as ``html_to_text``."""
    plain = plainmd.for_converter(text.shared_converter().reset())
    assert plain is not None
    rng = random.Random(4)
    taken = 0
    for _ in range(5000):
        made = plain.convert(body(rng))
        if made is not None:
            taken += 1
            assert text.plain_html_to_text(made[0]) == text.html_to_text(made[0]), made[0]
    assert taken > 1000
    assert text.plain_text("第一段。\n\n## 标题\n\n- 一\n- 二") == "第一段。 标题 一 二"


def test_feeds_copy_a_body_without_links_as_their_parser_would() -> None:
    """``absolutize_links`` returns a plain body's HTML without parsing it: what its parser
    writes back. Bodies with links, entities and odd tags are parsed as before."""
    rng = random.Random(6)
    shortcut = 0
    converter = markdown.Markdown(
        extensions=list(text.MARKDOWN_EXTENSIONS), extension_configs=text.MARKDOWN_CONFIG
    )
    odd = ['<P>x</P>', '<a href="b.md">b</a>', "<img src='c.png'>", "<br/>", "<p>a &amp; b</p>",
           "<p>1 < 2</p>", "<!-- c -->", '<div class="x">y</div >', "<p data-src=\"x\">y</p>"]  # fmt: skip
    for i in range(4000):
        source = body(rng)
        fragment = converter.reset().convert(source) if i % 3 else rng.choice(odd) + source
        parsed = text.LinkRewriter(
            lambda url: text.absolute_url(url, "https://example.org/", "news/a.md", "news/a/")
        )
        parsed.feed(fragment)
        parsed.close()
        made = text.absolutize_links(fragment, "https://example.org/", "news/a.md", "news/a/")
        assert made == "".join(parsed.out), fragment
        shortcut += text.has_no_links(fragment)
    assert shortcut > 1000
    assert not text.has_no_links('<p><a href="x">y</a></p>')
