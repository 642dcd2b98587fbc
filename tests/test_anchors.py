"""Links to a place in a page (``x.md#报名方式``): ``check`` warns about those whose page does
not have that place, judged against the ids the built pages really have."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from buildtools import FIXTURE_SITE, copy_site, set_fast, yizhan
from mkdocs.config import load_config

from generator import anchors, load

REPO = Path(__file__).parent.parent
# The demo's Markdown dialect, with the heading ids each case puts in its place.
DIALECT = """markdown_extensions:
  - abbr
  - admonition
  - attr_list
  - def_list
  - footnotes
  - md_in_html
  - tables
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.tilde
  - pymdownx.tasklist
  - toc:
      permalink: false
{toc}
"""
PYMDOWNX = """      slugify: !!python/object/apply:pymdownx.slugs.slugify
        kwds:
          case: lower"""
UNICODE = "      slugify: !!python/name:markdown.extensions.toc.slugify_unicode"

GUIDE = """# 办事指南

## 开放时间 {#hours}

周一至周五。

## 报名方式

## 报名方式

现场报名[^1]。

[^1]: 以通知为准。

<div id="map">地图</div>

[开放](#hours)、[报名](#报名方式)、[第二个](#报名方式_1)、[地图](#map)、[脚注](#fn:1)、
[错一](#开放时间)、[沙龙订阅](events/salon.md#yz-dates-title)、[图](images/dot.svg#x)

`[代码](#不算)`
"""
ARTICLE = """---
title: 指南上线
date: 2026-11-01
---
见[报名](../guide.md#%E6%8A%A5%E5%90%8D%E6%96%B9%E5%BC%8F)和[沙龙须知](../events/salon.md#报名须知)。

又见[沙龙](../events/salon.md#报名)、[关于](../about.md#关于我们)。
"""
SALON_TAIL = "\n\n## 报名须知\n\n请[提前报名](#报名须知)，[见上](#须知)。\n"
MILESTONE = "- date: 2026-11-20\n  title: 指南上线\n  body: 见[须知](../events/salon.md#无此处)。\n"


def site_with_places(tmp_path: Path, toc: str) -> Path:
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    config = site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"markdown_extensions:\n(?:  .*\n)+", DIALECT.format(toc=toc), text)
    config.write_text(text, encoding="utf-8")
    (site / "content/guide.md").write_text(GUIDE, encoding="utf-8")
    (site / "content/news/guide.md").write_text(ARTICLE, encoding="utf-8")
    salon = site / "content/events/salon.md"
    salon.write_text(salon.read_text(encoding="utf-8") + SALON_TAIL, encoding="utf-8")
    timeline = site / "content/timeline/main.yml"
    timeline.write_text(timeline.read_text(encoding="utf-8") + MILESTONE, encoding="utf-8")
    return site


class Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(value for name, value in attrs if name == "id" and value)


def built_ids(page: Path) -> set[str]:
    parser = Ids()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.ids


MISSING_LINES = [
    "content/guide.md:18: 正文: 链接 #开放时间 指向的位置“#开放时间”在页面上不存在"
    "（访问者只会打开页面的开头；标题的位置是“#”加上标题文字） [警告 link.anchor]",
    "content/news/guide.md:7: 正文: 链接 ../events/salon.md#报名 指向的位置“#报名”在页面上"
    "不存在（是否想写 #报名须知？）（访问者只会打开页面的开头；标题的位置是“#”加上标题文字）"
    " [警告 link.anchor]",
    "content/events/salon.md:25: 正文: 链接 #须知 指向的位置“#须知”在页面上不存在"
    "（是否想写 #报名须知？）（访问者只会打开页面的开头；标题的位置是“#”加上标题文字） [警告 link.anchor]",
    "content/timeline/main.yml:14: 正文: 链接 ../events/salon.md#无此处 指向的位置“#无此处”在页面上"
    "不存在（访问者只会打开页面的开头；标题的位置是“#”加上标题文字） [警告 link.anchor]",
]


@pytest.mark.parametrize("fast", ["false", "true"])
def test_links_to_missing_places_are_told_and_match_the_built_pages(
    tmp_path: Path, fast: str
) -> None:
    """``check`` names each link to a place its page lacks, at its line, with the heading it
    likely meant; every other link's place is in the page as MkDocs (or the lean path)
    builds it, and none of the missing ones is."""
    site = site_with_places(tmp_path, PYMDOWNX)
    set_fast(site, fast)
    result = yizhan(site, "check")
    assert result.returncode == 1
    told = [line for line in result.stderr.splitlines() if "link.anchor" in line]
    assert sorted(told) == sorted(MISSING_LINES)
    build = yizhan(site, "build")
    assert build.returncode == 0, build.stderr
    assert sum("link.anchor" in line for line in build.stderr.splitlines()) == len(MISSING_LINES)
    assert "does not contain an anchor" not in build.stderr  # MkDocs' English one: not twice
    guide = built_ids(site / "site/guide/index.html")
    salon = built_ids(site / "site/events/salon/index.html")
    assert {"hours", "报名方式", "报名方式_1", "map", "fn:1"} <= guide
    assert {"报名须知", "yz-dates-title"} <= salon
    assert "开放时间" not in guide
    assert not {"报名", "须知", "无此处"} & salon


def test_a_site_with_python_markdowns_ids_is_checked_with_them(tmp_path: Path) -> None:
    """With no ``slugify`` set, a Chinese heading's id is ``_1``, not the heading: a link to
    ``#报名方式`` is told, one to ``#_1`` is not (as the built page has it)."""
    site = site_with_places(tmp_path, "")
    (site / "content/guide.md").write_text(
        "# 指南\n\n## 报名方式\n\n[一](#报名方式) [二](#_1)\n", encoding="utf-8"
    )
    (site / "content/news/guide.md").unlink()
    told = [line for line in yizhan(site, "check").stderr.splitlines() if "link.anchor" in line]
    assert [line.split(" 指向")[0] for line in told if "content/guide.md" in line] == [
        "content/guide.md:5: 正文: 链接 #报名方式"
    ]
    assert yizhan(site, "build").returncode == 0
    ids = built_ids(site / "site/guide/index.html")
    assert "_1" in ids and "报名方式" not in ids


def test_the_rule_read_from_mkdocs_yml_is_the_one_mkdocs_builds_with(tmp_path: Path) -> None:
    """``check`` reads ``mkdocs.yml`` safely (a ``!!python`` tag is kept by name, never run);
    the build gets MkDocs' function: both give one rule, for each slugify a site may name."""
    for toc, expected in [
        (PYMDOWNX, anchors.HeadingIds("pymdownx.slugs.slugify", (("case", "lower"),))),
        (UNICODE, anchors.HeadingIds("markdown.extensions.toc.slugify_unicode")),
        ("", anchors.PYTHON_MARKDOWN_IDS),
    ]:
        config = tmp_path / "mkdocs.yml"
        config.write_text(
            "site_name: t\ndocs_dir: content\n" + DIALECT.format(toc=toc), encoding="utf-8"
        )
        (tmp_path / "content").mkdir(exist_ok=True)
        read = anchors.heading_rule(load.read_config_file(config)["markdown_extensions"])
        loaded = load_config(str(config))
        made = anchors.toc_rule(loaded.mdx_configs.get("toc") or {})
        assert read is not None and made is not None
        assert anchors.converter(read) and anchors.converter(made)
        heading = "## 报名 方式 ABC\n"
        assert anchors.page_ids(heading, read) == anchors.page_ids(heading, made)
        assert read == expected


def test_a_slugify_of_the_sites_own_is_not_guessed() -> None:
    """A site's own slugify function cannot be run by ``check``: its links to places are not
    judged, rather than told wrongly."""
    own = load.PythonTag("name:mysite.slugs.slugify")
    assert anchors.heading_rule([{"toc": {"slugify": own}}]) is None
    assert anchors.toc_rule({"slugify": lambda text, sep: text}) is None
    assert (
        anchors.missing_places(
            {"a.md": [anchors.Written("content/a.md", "[x](#nowhere)")]}, {"a.md": "# A\n"}, None
        )
        == []
    )
