"""What a resident copying a feed address and a screen reader user on the month grid meet, in
headless Chromium on the fixture site (its day: 2026-11-22), built in Chinese and in English.

Copying: the Clipboard API where it works; execCommand("copy") where it is missing or refused
(an insecure page, an old WebView, WeChat's browser); else the address selected in its field
and a request to press and hold it. Each outcome is said in a polite live region, in the
site's language. The month grid: a table named by its month, weekday headers with full names,
today as the current date, and each cell's "N more" naming its day."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent))
from buildtools import FIXTURE_SITE, copy_site, serving, yizhan
from conftest import AXE_JS
from sitetools import write_tree

# Three activities on the fixture's day: its cell names two and says one more.
BUSY_DAY = {
    f"content/events/busy{n}.md": f"---\ntitle: 周日活动{n}\nstart: 2026-11-22 {8 + n}:00\n---\n"
    for n in range(1, 4)
}
NO_API = "delete Navigator.prototype.clipboard;"
REFUSING_API = """Object.defineProperty(Navigator.prototype, "clipboard", {get() {
  return {writeText() { return Promise.reject(new DOMException("refused", "NotAllowedError")); }};
}});"""
NO_EXEC_COPY = "document.execCommand = function () { return false; };"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The server's root: the site in Chinese under ``zh/``, in English under ``en/``."""
    tmp = tmp_path_factory.mktemp("copy")
    for lang in ("zh", "en"):
        site = copy_site(FIXTURE_SITE, tmp / f"site-{lang}")
        write_tree(site, BUSY_DAY)
        config = site / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace("language: zh", f"language: {lang}"), encoding="utf-8")
        result = yizhan(site, "build", "-d", str(tmp / "out" / lang))
        assert result.returncode == 0, result.stderr
    with serving(tmp / "out") as address:
        yield f"{address}"


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    try:
        yield context
    finally:
        context.close()


def open_page(context: Any, url: str, *scripts: str) -> Any:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    for script in scripts:
        page.add_init_script(script)
    page.goto(url, wait_until="networkidle")
    page.errors = errors
    return page


def clipboard_text(context: Any, url: str) -> str:
    """The clipboard as a page without any stub reads it."""
    reader = open_page(context, url)
    reader.bring_to_front()
    return str(reader.evaluate("navigator.clipboard.readText()"))


def first_feed(page: Any) -> tuple[Any, Any, Any]:
    feed = page.locator("li.yz-feed").first
    if feed.locator("details").get_attribute("open") is None:
        feed.locator("summary").click()
    return feed, feed.locator("input"), feed.get_by_role("status")


@pytest.mark.parametrize("path", ["zh/subscribe/", "zh/branches/caizhi/"])
def test_copy_puts_the_address_on_the_clipboard_and_says_so(
    served: str, context: Any, path: str
) -> None:
    page = open_page(context, served + path)
    feed, field, status = first_feed(page)
    address = field.input_value()
    assert address.startswith("https://")
    feed.get_by_role("button", name="复制地址").click()
    page.wait_for_function("s => s.textContent === '已复制'", arg=status.element_handle())
    assert clipboard_text(context, served + path) == address
    assert not page.locator(".yz-feed script, .yz-cal script:not([type])").count()
    assert not page.errors, page.errors


def test_without_the_clipboard_api_the_old_way_copies(served: str, context: Any) -> None:
    page = open_page(context, served + "zh/subscribe/", NO_API)
    assert page.evaluate("navigator.clipboard === undefined")
    feed, field, status = first_feed(page)
    button = feed.get_by_role("button", name="复制地址")
    button.click()  # shown, where the inline script hid it and did nothing
    page.wait_for_function("s => s.textContent === '已复制'", arg=status.element_handle())
    assert clipboard_text(context, served + "zh/subscribe/") == field.input_value()
    assert button.evaluate("b => b === document.activeElement")


@pytest.mark.parametrize(
    ("lang", "stub", "asked"),
    [
        ("zh", NO_API, "请长按地址复制"),
        ("zh", REFUSING_API, "请长按地址复制"),
        ("en", REFUSING_API, "Press and hold the address to copy it"),
    ],
)
def test_a_refused_copy_selects_the_address_and_asks_for_a_long_press(
    served: str, context: Any, lang: str, stub: str, asked: str
) -> None:
    page = open_page(context, served + f"{lang}/subscribe/", stub, NO_EXEC_COPY)
    feed, field, status = first_feed(page)
    feed.locator("button.yz-copy").click()
    page.wait_for_function("([s, t]) => s.textContent === t", arg=[status.element_handle(), asked])
    # the live region a screen reader follows: polite, there before it spoke
    assert status.get_attribute("role") == "status"
    assert status.inner_text() == asked
    assert status.is_visible()
    selected = field.evaluate(
        "f => [f === document.activeElement, f.selectionStart, f.selectionEnd, f.value.length]"
    )
    assert selected[0] and selected[1] == 0 and selected[2] == selected[3] > 0
    assert field.get_attribute("readonly") is not None
    assert field.evaluate("f => getComputedStyle(f).userSelect") in ("text", "auto")
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, serious
    assert not page.errors, page.errors


@pytest.mark.parametrize(
    ("lang", "month", "weekdays", "more"),
    [
        ("zh", "2026年11月", ["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
         "另有 1 项：2026年11月22日 周日"),
        ("en", "November 2026", ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
         "Saturday", "Sunday"], "1 more on Sun 22 Nov 2026"),
    ],
)  # fmt: skip
def test_the_month_grid_reads_as_a_table_of_days(
    served: str, browser: Any, lang: str, month: str, weekdays: list[str], more: str
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(served + f"{lang}/events/2026/11/", wait_until="networkidle")
        table = page.get_by_role("table", name=month)
        assert table.count() == 1
        headers = table.get_by_role("columnheader")
        assert headers.count() == 7
        for day in weekdays:
            assert table.get_by_role("columnheader", name=day, exact=True).count() == 1
        # (aria-current is in no tree Chromium's DevTools protocol gives: read on the cell)
        today = table.get_by_role("cell", name=re.compile(r"^22 "))
        assert today.count() == 1
        assert today.get_attribute("aria-current") == "date"
        assert table.locator("[aria-current]").count() == 1
        link = table.get_by_role("link", name=more, exact=True)
        assert link.count() == 1
        target = link.get_attribute("href")
        assert page.locator(f".yz-month__agenda h2{target} time").get_attribute("datetime") == (
            "2026-11-22"
        )
        # Tab goes through the cells' links in the order they are read, "N more" last of its day.
        links = table.get_by_role("link")
        count = links.count()
        links.first.focus()
        where = (
            "[...document.querySelectorAll('.yz-month__grid a')].indexOf(document.activeElement)"
        )
        reached = [page.evaluate(where)]
        while len(reached) < count:
            page.keyboard.press("Tab")
            reached.append(page.evaluate(where))
        assert reached == list(range(count))
    finally:
        page.close()
