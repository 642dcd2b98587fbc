"""A table wider than a phone in an article: a keyboard user can tab to it and scroll it with
the arrow keys (axe-core's scrollable-region-focusable), while a table that fits adds no stop
to the tab order. Chromium at 360 px, the fixture site with one article of two tables."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent))
from buildtools import FIXTURE_SITE, copy_site, serving, yizhan
from conftest import AXE_JS
from sitetools import write_tree

COLUMNS = 12
WIDE = (
    "| " + " | ".join(f"第{n}季度营业收入" for n in range(COLUMNS)) + " |\n"
    "|" + "---|" * COLUMNS + "\n"
    "| " + " | ".join(f"{n}RevenueWithoutSpaces" for n in range(COLUMNS)) + " |\n"
)
NARROW = "| 项目 | 人数 |\n|---|---|\n| 党员 | 38 |\n"
ARTICLE = f"""---
title: 年度报表
date: 2026-11-01
---
各季度数据如下。

{WIDE}
人数：

{NARROW}
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("wide")
    site = copy_site(FIXTURE_SITE, tmp / "site")
    write_tree(site, {"content/news/baobiao.md": ARTICLE})
    result = yizhan(site, "build", "-d", str(tmp / "out" / "repo"))
    assert result.returncode == 0, result.stderr
    with serving(tmp / "out") as address:
        yield f"{address}repo/news/baobiao/"


def test_a_wide_table_is_reached_and_scrolled_by_keyboard(served: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 800})
    try:
        page.goto(served, wait_until="networkidle")
        wraps = page.locator(".md-typeset__scrollwrap")
        assert wraps.count() == 2
        wide, narrow = wraps.nth(0), wraps.nth(1)
        assert wide.evaluate("w => w.scrollWidth > w.clientWidth")
        assert wide.get_attribute("tabindex") == "0"
        assert wide.get_attribute("role") == "region"
        assert wide.get_attribute("aria-label") == "表格（可左右滚动）"
        assert narrow.get_attribute("tabindex") is None, "a table that fits is a tab stop"
        for _ in range(60):  # header, drawer, search, the skip link...: reach it by Tab alone
            page.keyboard.press("Tab")
            if wide.evaluate("w => w === document.activeElement"):
                break
        else:
            pytest.fail("Tab never reaches the wide table")
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "() => document.querySelector('.md-typeset__scrollwrap').scrollLeft > 0"
        )
        page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: ['scrollable-region-focusable',"
            " 'aria-allowed-role', 'region'], resultTypes: ['violations']})"
        )
        serious = [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert not serious, serious
    finally:
        page.close()
