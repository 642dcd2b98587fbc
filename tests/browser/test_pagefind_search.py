"""Search on the fast path (issue 5): Pagefind, in a real Chromium, under a base path.

A visitor types 分类 into the header's search box and finds the article on 垃圾分类 (Pagefind's
extended build segments Chinese), with links under the site's base path, and downloads far
less than 1 MB to do so. On a large site the index comes in parts (articles by year, coming
activities, the rest) that the search box merges: the same search, forced into parts on the
fixture, finds results from several of them.
"""

from __future__ import annotations

import json
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent))
from buildtools import FIXTURE_SITE, copy_site, serving, set_fast, yizhan


def serve_build(root: Path, site: Path, **env: str) -> Iterator[str]:
    result = yizhan(site, "build", "-d", str(root / "repo"), **env)
    assert result.returncode == 0, result.stderr
    assert (root / "repo" / "pagefind" / "pagefind.js").is_file()
    with serving(root) as address:
        yield f"{address}repo/"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = copy_site(FIXTURE_SITE, tmp_path_factory.mktemp("pagefind") / "site")
    set_fast(site, "true")
    yield from serve_build(tmp_path_factory.mktemp("served"), site)


PLACES = {
    # a place name in the title, in the text, and decoys that share characters with it
    "news/houzai-a.md": ("后宰门社区开展垃圾分类宣传", "居民在广场参加活动。"),
    "news/houzai-b.md": ("志愿者走进楼宇", "这次活动在后宰门新时代文明实践站举行。"),
    "news/houzai-c.md": ("后宰门人才服务开课", "面向青年人才。"),
    "news/decoy-a.md": ("玄武门羽毛球社比赛", "宰相肚里能撑船，门前一片热闹。"),
    "news/decoy-b.md": ("玄武湖健步走", "后来大家又去了门口的广场。"),
}


@pytest.fixture(scope="module")
def served_with_places(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = copy_site(FIXTURE_SITE, tmp_path_factory.mktemp("places") / "site")
    set_fast(site, "true")
    for path, (title, text) in PLACES.items():
        (site / "content" / path).write_text(
            f"---\ntitle: {title}\ndate: 2026-11-0{len(title) % 9 + 1}\n---\n{text}\n",
            encoding="utf-8",
        )
    yield from serve_build(tmp_path_factory.mktemp("served-places"), site)


def test_search_finds_every_page_with_a_place_name(served_with_places: str, browser: Any) -> None:
    """后宰门 finds the three pages that have it, in a title or in the text, and none of the
    pages that only share its characters (玄武门, 宰相, 后来): Pagefind 1.5 segments the query
    otherwise than the index and found one of 183 such pages on a district (its issue #1237)."""
    hrefs, _ = search_for(served_with_places, browser, "后宰门")
    found = {href.rstrip("/").rsplit("/", 1)[-1] for href in hrefs}
    assert {"houzai-a", "houzai-b", "houzai-c"} <= found, hrefs
    assert not found & {"decoy-a", "decoy-b"}, hrefs


RUNS = 25
"""Articles on one word, more than the 10 results the search box shows at first."""


@pytest.fixture(scope="module")
def served_with_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = copy_site(FIXTURE_SITE, tmp_path_factory.mktemp("runs") / "site")
    set_fast(site, "true")
    for n in range(1, RUNS + 1):
        (site / "content" / "news" / f"run-{n}.md").write_text(
            f"---\ntitle: 第 {n} 期楼宇夜跑\ndate: 2026-10-{n:02d}\n---\n白领夜跑第 {n} 站。\n",
            encoding="utf-8",
        )
    yield from serve_build(tmp_path_factory.mktemp("served-runs"), site)


def results_of(page: Any, query: str) -> Any:
    """``query`` typed into the open search box, once its first results are shown."""
    page.keyboard.type(query)
    page.wait_for_selector(".md-search-result__item a", timeout=15000)
    return page.locator(".md-search-result__item a")


@pytest.mark.parametrize("width", [390, 1280])
def test_scrolling_the_results_shows_every_one(
    served_with_runs: str, browser: Any, width: int
) -> None:
    """Pagefind's box said "25 个符合条件的结果" and listed 10, with no way to the others; now
    scrolling to the end of the list shows the next ones, as Material's own search does."""
    page = browser.new_page(viewport={"width": width, "height": 800})
    try:
        page.goto(served_with_runs, wait_until="networkidle")
        if width < 960:  # a phone: the header's search button opens the box
            page.click("label.md-header__button[for=__search]")
        else:
            page.click("input.md-search__input")
        links = results_of(page, "夜跑")
        said = int(page.inner_text(".md-search-result__meta").split()[0])
        assert said >= RUNS
        assert links.count() < said  # a first page of results only
        while (shown := links.count()) < said:
            page.eval_on_selector(".md-search__scrollwrap", "w => w.scrollTo(0, w.scrollHeight)")
            page.wait_for_function(
                f"document.querySelectorAll('.md-search-result__item').length > {shown}",
                timeout=15000,
            )
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        assert len(hrefs) == len(set(hrefs)) == said, hrefs
        assert {f"/repo/news/run-{n}/" for n in range(1, RUNS + 1)} <= set(hrefs)
    finally:
        page.close()


def test_arrow_keys_and_enter_choose_a_result(served_with_runs: str, browser: Any) -> None:
    """As in Material's search box: arrow keys move from the box through the results and
    back, Enter in the box opens the first result (it did nothing), Enter on one opens it."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(served_with_runs, wait_until="networkidle")
        page.click("input.md-search__input")
        links = results_of(page, "夜跑")
        first, second = links.nth(0).get_attribute("href"), links.nth(1).get_attribute("href")
        focused = "document.activeElement.getAttribute('href')"
        page.keyboard.press("ArrowDown")
        assert page.evaluate(focused) == first
        page.keyboard.press("ArrowDown")
        assert page.evaluate(focused) == second
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowUp")
        assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == urllib.parse.urljoin(served_with_runs, first)
        page.goto(served_with_runs, wait_until="networkidle")
        page.click("input.md-search__input")
        results_of(page, "夜跑")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == urllib.parse.urljoin(served_with_runs, second)
    finally:
        page.close()


@pytest.fixture(scope="module")
def served_in_parts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = copy_site(FIXTURE_SITE, tmp_path_factory.mktemp("parts") / "site")
    set_fast(site, "true")
    root = tmp_path_factory.mktemp("served-parts")
    yield from serve_build(root, site, YIZHAN_SEARCH_SHARD_PAGES="1")


def search_for(base: str, browser: Any, query: str) -> tuple[list[str], dict[str, int]]:
    """The result links of ``query`` typed into the header's search box, and every response."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    fetched: dict[str, int] = {}
    try:
        page.goto(base, wait_until="networkidle")
        page.on("response", lambda r: fetched.__setitem__(r.url, len(r.body())))
        page.click("input.md-search__input")  # visible in the header on a wide screen
        page.keyboard.type(query)
        page.wait_for_selector(".md-search-result__item a", timeout=15000)
        hrefs = page.eval_on_selector_all(
            ".md-search-result__item a", "els => els.map(e => e.getAttribute('href'))"
        )
    finally:
        page.close()
    return hrefs, fetched


def test_search_finds_a_chinese_word_inside_a_compound(served: str, browser: Any) -> None:
    hrefs, fetched = search_for(served, browser, "分类")
    assert any(href.rstrip("/").endswith("news/garbage") for href in hrefs), hrefs
    assert all(href.startswith("/repo/") for href in hrefs), hrefs
    assert any("pagefind" in url for url in fetched)
    assert all(url.startswith(served) for url in fetched), "a request left the site"
    assert sum(fetched.values()) < 1_000_000


def answer_to(base: str, browser: Any, query: str) -> str:
    """What the search box says for ``query`` once it has answered."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(base, wait_until="networkidle")
        page.click("input.md-search__input")
        page.keyboard.type(query)
        page.wait_for_function(
            "(m => m.textContent.trim() !== m.dataset.yzMeta)"
            "(document.querySelector('.md-search-result__meta'))",
            timeout=15000,
        )
        return str(page.inner_text(".md-search-result__meta")).strip()
    finally:
        page.close()


@pytest.mark.parametrize("query", ["Outlook", "Google", "下载"])
def test_an_activitys_calendar_buttons_are_not_searched(
    served: str, browser: Any, query: str
) -> None:
    """Every activity's "加入日历" buttons (下载 .ics 文件, 订阅此活动, 添加到 Outlook, 添加到
    Google 日历) made it a result for these words, with the buttons' text as its excerpt."""
    assert answer_to(served, browser, query).startswith("没有找到符合条件的结果。")


def test_the_answer_says_where_ended_activities_are(served: str, browser: Any) -> None:
    """Ended activities are not searched (``indexed_page``): a search for one said only "no
    results". The count now says so, with a link to the past activities under the base path."""
    page = browser.new_page(viewport={"width": 390, "height": 800})
    try:
        page.goto(served, wait_until="networkidle")
        page.click("label.md-header__button[for=__search]")
        page.keyboard.type("Outlook")
        link = page.locator(".md-search-result__meta a")
        link.wait_for(timeout=15000)
        assert "已结束的活动不在搜索结果中" in page.inner_text(".md-search-result__meta")
        assert link.get_attribute("href") == urllib.parse.urljoin(served, "events/past/")
        with page.expect_navigation():
            link.click()
        assert page.title().startswith("往期活动")
    finally:
        page.close()


@pytest.mark.parametrize("key", ["/", "s", "f"])
def test_material_search_shortcuts_focus_the_box(served: str, browser: Any, key: str) -> None:
    """f, s and / focus the search box, as with Material's own search; typed in a field,
    they are text."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(served, wait_until="networkidle")
        page.keyboard.press(key)
        assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
        page.keyboard.type("分类")
        assert page.input_value("input.md-search__input") == "分类"  # the key itself not typed
        page.wait_for_selector(".md-search-result__item a", timeout=15000)
    finally:
        page.close()


def test_search_merges_the_parts_of_a_large_index(served_in_parts: str, browser: Any) -> None:
    listed = urllib.request.urlopen(served_in_parts + "pagefind/shards/index.json").read()
    parts = json.loads(listed)
    assert any(p.startswith("events-") for p in parts), parts
    assert any(p.startswith("news-") for p in parts), parts
    # An article (a news-<year> part) and an activity (an events-<quarter> part) for one query.
    hrefs, fetched = search_for(served_in_parts, browser, "分类")
    assert any("/news/" in href for href in hrefs), hrefs
    assert any("/events/" in href for href in hrefs), hrefs
    assert all(href.startswith("/repo/") for href in hrefs), hrefs
    for part in parts:
        assert any(f"/pagefind/shards/{part}/" in url for url in fetched), (part, list(fetched))
    assert all(url.startswith(served_in_parts) for url in fetched), "a request left the site"
    assert sum(fetched.values()) < 1_000_000
