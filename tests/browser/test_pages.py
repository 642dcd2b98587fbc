"""Key pages in headless Chromium at 360 px and 1280 px: no request leaves 127.0.0.1, no script
error, no serious or critical axe-core violation, nothing wider than a phone; Tab reaches the
header's buttons and only what is seen; Chinese search finds 分类 inside 垃圾分类; a missing
page gets the styled 404 under the base path."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import AXE_JS, SCREENSHOTS, BuiltSite

WIDTHS = (360, 1280)
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
LOCAL_SCHEMES = {"data", "blob", "about"}


def first_page(site: BuiltSite, pattern: str) -> str:
    """The site path of the first built page matching ``pattern`` (e.g. ``events/*/``)."""
    found = sorted(p.parent for p in site.dir.glob(pattern + "index.html"))
    assert found, f"no page matches {pattern}"
    return found[0].relative_to(site.dir).as_posix() + "/"


def article_about(site: BuiltSite, phrase: str) -> str:
    for html in sorted(site.dir.glob("news/*/index.html")):
        if phrase in html.read_text(encoding="utf-8").split("<h1", 1)[-1][:400]:
            return html.parent.relative_to(site.dir).as_posix() + "/"
    raise AssertionError(f"no article titled with {phrase}")


def key_pages(site: BuiltSite) -> dict[str, str]:
    return {
        "home": "",
        "news": "news/",
        "article": article_about(site, "垃圾分类"),
        "activity": first_page(site, "events/[a-z]*[a-z0-9]/"),
        "month": first_page(site, "events/[0-9][0-9][0-9][0-9]/[0-9][0-9]/"),
        "branch": first_page(site, "branches/*/"),
        "subscribe": "subscribe/",
        "venue": page_with(site, "venues/*/", "yz-table-wrap"),  # its rooms in a table
        "categories": "events/categories/",
    }


def page_with(site: BuiltSite, pattern: str, text: str) -> str:
    """The site path of the first built page matching ``pattern`` that holds ``text``."""
    for html in sorted(site.dir.glob(pattern + "index.html")):
        if text in html.read_text(encoding="utf-8"):
            return html.parent.relative_to(site.dir).as_posix() + "/"
    raise AssertionError(f"no page of {pattern} holds {text}")


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or (parts.hostname or "") in LOCAL_HOSTS


class Visit:
    """A browser context that records every request and aborts those to other hosts."""

    def __init__(self, browser: Any, width: int) -> None:
        self.context = browser.new_context(
            viewport={"width": width, "height": 800},
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            service_workers="block",
        )
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self.route)
        self.context.on("request", lambda r: self.requests.append(r.url))
        self.context.on(
            "response",
            lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )

    def route(self, route: Any) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    def open(self, url: str) -> Any:
        page = self.context.new_page()
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on(
            "console",
            lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None,
        )
        page.goto(url, wait_until="networkidle", timeout=30_000)
        return page

    def close(self) -> None:
        self.context.close()


def undrawn_icons(page: Any) -> list[str]:
    """The chrome's icons (``<use>`` of the sprite) shown on screen but drawn empty: what a
    sprite that failed to load, or a missing symbol, leaves."""
    return page.evaluate(
        """[...document.querySelectorAll('svg > use')]
            .filter(u => u.closest('svg').getBoundingClientRect().width > 0
                         && u.closest('svg').checkVisibility())
            .filter(u => u.getBBox().width === 0)
            .map(u => u.getAttribute('href'))"""
    )


def drawn_icons(page: Any) -> int:
    return page.evaluate(
        "[...document.querySelectorAll('svg > use')].filter(u => u.getBBox().width > 0).length"
    )


def axe_serious(page: Any) -> list[str]:
    # Material fades its tabs in: contrast measured mid-transition fails now and then.
    settle(page)
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture(scope="module")
def pages(built_site: BuiltSite) -> dict[str, str]:
    return key_pages(built_site)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "name",
    ["home", "news", "article", "activity", "month", "branch", "subscribe", "venue", "categories"],
)
def test_key_page_is_local_error_free_and_accessible(built_site, browser, pages, name, width):  # type: ignore[no-untyped-def]
    visit = Visit(browser, width)
    try:
        page = visit.open(built_site.base_url + pages[name])
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.lang") == "zh-CN"
        third_party = sorted({u for u in visit.requests if not is_local(u)})
        assert not third_party, f"requests to other hosts: {third_party}"
        # Material fetches sitemap.xml for each <link rel="alternate"> (~3 MB on a district)
        assert not [u for u in visit.requests if u.endswith("sitemap.xml")], visit.requests
        assert not visit.failed, f"failed requests: {visit.failed}"
        assert not visit.errors, f"script errors: {visit.errors}"
        assert drawn_icons(page) >= 2, "the header's icons are not drawn"
        assert not undrawn_icons(page), f"icons not drawn: {undrawn_icons(page)}"
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, f"page is {overflow}px wide in a {width}px window"
        # a table that fits its column does not scroll in it (a clipped border, a scrollbar)
        scrolled = page.evaluate(
            "[...document.querySelectorAll('.yz-table-wrap')]"
            ".filter(e => e.scrollWidth > e.clientWidth && e.querySelector('table')"
            ".getBoundingClientRect().width <= e.clientWidth).length"
        )
        assert not scrolled, f"{scrolled} table(s) scroll though they fit"
        violations = axe_serious(page)
        assert not violations, "\n".join(violations)
        assert not outline_problems(page), outline_problems(page)
    finally:
        visit.close()


SKIPPED_TO = """() => {
    const content = document.querySelector("#yz-content + .md-content");
    const first = [...content.querySelectorAll("a[href], button, input, [tabindex='0']")]
        .find(e => e.checkVisibility());
    return document.activeElement === first;
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["home", "month", "headed activity", "free page"])
def test_the_first_tab_offers_to_skip_to_the_start_of_the_content(  # type: ignore[no-untyped-def]
    built_site, browser, pages, name, width
):
    """The first Tab shows "跳转至" on every page; Enter then Tab lands on the content's first
    link: past the header, the tabs, the phone's closed drawer and the table of contents, and
    before an activity's time, place and calendar links (not at the first heading of its text)."""
    paths = {
        **pages,
        "headed activity": page_with(built_site, "events/*/", '<h2 id="'),
        "free page": "about/",
    }
    visit = Visit(browser, width)
    try:
        page = visit.open(built_site.base_url + paths[name])
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "md-skip focus-visible"
        assert page.evaluate("document.activeElement.getAttribute('href')") == "#yz-content"
        settle(page)
        shown = page.evaluate(
            """(() => { const a = document.activeElement, r = a.getBoundingClientRect();
                return getComputedStyle(a).opacity === "1" && r.top >= 0 && r.left >= 0
                       && r.right <= innerWidth; })()"""
        )
        assert shown, "the skip link is not shown when focused"
        links = page.evaluate(
            "[...document.querySelectorAll('a.md-skip')].filter(a => a.checkVisibility()).length"
        )
        assert links == 1, f"{links} skip links"
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        assert page.evaluate(SKIPPED_TO), page.evaluate("document.activeElement.outerHTML")
    finally:
        visit.close()


FOCUSED = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const r = e.getBoundingClientRect();
    const visible = e.checkVisibility || e.testsCheckVisibility;  // kept by the older-browser case
    const seen = visible.call(e, {visibilityProperty: true, opacityProperty: true})
        && r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
        && r.left < innerWidth && r.top < innerHeight;
    return {seen, what: e.outerHTML.slice(0, 120)};
}"""


def settle(page: Any) -> None:
    """Until Material's and yizhan's transitions (a drawer sliding, a search fading) end. A
    transition replaced by another is cancelled, and its ``finished`` rejects (AbortError: on a
    busy machine the test failed on it): it has ended too."""
    page.evaluate(
        "() => Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))"
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_every_tab_stop_before_the_content_is_seen(built_site, browser, pages, width):  # type: ignore[no-untyped-def]
    """From the top of a page, Tab goes through what a sighted keyboard user sees and nothing
    else, up to the content: not the phone's closed drawer and closed search (thirteen stops
    off-screen), not the desktop search's empty result list (a stop of no height)."""
    visit = Visit(browser, width)
    try:
        page = visit.open(built_site.base_url + pages["month"])
        stops = []
        for _ in range(30):
            page.keyboard.press("Tab")
            settle(page)
            if page.evaluate(SKIPPED_TO):
                break
            stops.append(page.evaluate(FOCUSED))
        else:
            raise AssertionError(f"30 Tabs never reached the content: {stops}")
        unseen = [s["what"] if s else "<nothing>" for s in stops if not (s and s["seen"])]
        assert not unseen, unseen
    finally:
        visit.close()


@pytest.mark.parametrize("older", [False, True], ids=["today", "without-checkVisibility"])
def test_phone_menu_and_search_buttons_work_from_the_keyboard(built_site, browser, pages, older):  # type: ignore[no-untyped-def]
    """At 360 px the header's menu and search are buttons a keyboard reaches and a screen
    reader names: Enter opens the drawer, whose links then take the focus; Escape closes it
    and gives the focus back; Space opens the search with the focus in its field. Also in a
    browser without Element.checkVisibility (Safari before 17.4: iOS 16, WeChat's there)."""
    visit = Visit(browser, 360)
    if older:
        visit.context.add_init_script(
            "Element.prototype.testsCheckVisibility = Element.prototype.checkVisibility;"
            "delete Element.prototype.checkVisibility"
        )
    try:
        page = visit.open(built_site.base_url + pages["month"])
        menu = page.get_by_role("button", name="导航栏", exact=True)
        search = page.get_by_role("button", name="搜索", exact=True)
        drawer = page.locator("#__drawer")
        page.keyboard.press("Tab")  # the skip link
        page.keyboard.press("Tab")
        assert menu.evaluate("e => e === document.activeElement")
        assert menu.get_attribute("aria-expanded") == "false"

        page.keyboard.press("Enter")
        settle(page)
        assert drawer.is_checked() and menu.get_attribute("aria-expanded") == "true"
        page.keyboard.press("Tab")
        assert search.evaluate("e => e === document.activeElement")
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused["seen"], focused
        assert page.evaluate("!!document.activeElement.closest('.md-sidebar--primary')")

        page.keyboard.press("Escape")
        settle(page)
        assert not drawer.is_checked() and menu.get_attribute("aria-expanded") == "false"
        assert menu.evaluate("e => e === document.activeElement")

        page.keyboard.press("Tab")
        page.keyboard.press(" ")
        settle(page)
        assert page.locator("#__search").is_checked()
        assert search.get_attribute("aria-expanded") == "true"
        focused = page.evaluate(FOCUSED)
        assert focused["seen"] and "md-search__input" in focused["what"], focused
        page.keyboard.press("Escape")
        settle(page)
        assert not page.locator("#__search").is_checked()
        assert search.evaluate("e => e === document.activeElement")
        assert not visit.errors, visit.errors
    finally:
        visit.close()


def test_phone_search_closed_leaves_the_focus_on_its_button(built_site, browser, pages):  # type: ignore[no-untyped-def]
    """At 360 px a search closed by Escape fades out over 0.3 s: a Tab in that time landed in
    its field, which opened the search again (or lost the focus). Its back arrow left the focus
    on the page's body, so the next Tab started past the header. The fade is frozen here, so
    the Tab comes during it however fast the machine. Enter on the button that opens the search
    again, its field still holding the last query, opened that query's first result."""
    visit = Visit(browser, 360)
    try:
        url = built_site.base_url + pages["month"]
        page = visit.open(url)
        search = page.get_by_role("button", name="搜索", exact=True)
        search.focus()
        page.keyboard.press("Enter")
        settle(page)
        page.keyboard.type("志愿")
        page.locator(".md-search-result__item").first.wait_for(timeout=20_000)
        page.keyboard.press("Escape")
        page.evaluate("document.getAnimations().forEach(a => a.pause())")
        assert search.evaluate("e => e === document.activeElement")
        page.keyboard.press("Tab")
        assert not page.locator("#__search").is_checked()
        assert page.evaluate(SKIPPED_TO), page.evaluate(FOCUSED)
        page.evaluate("document.getAnimations().forEach(a => a.finish())")

        search.focus()
        page.keyboard.press("Enter")
        settle(page)
        assert page.url == url
        assert page.locator("#__search").is_checked()
        assert page.locator("input.md-search__input").evaluate("e => e === document.activeElement")
        page.locator(".md-search__form label.md-search__icon").click()  # the back arrow
        settle(page)
        assert not page.locator("#__search").is_checked()
        assert search.evaluate("e => e === document.activeElement"), page.evaluate(FOCUSED)
        assert search.get_attribute("aria-expanded") == "false"
        assert not visit.errors, visit.errors
    finally:
        visit.close()


def test_desktop_search_results_are_a_stop_only_while_shown(built_site, browser):  # type: ignore[no-untyped-def]
    """Material's result list scrolls in a wrapper in the tab order: Tab from the search field
    (which closes the search) landed on it, closed to no height, with or without results."""
    visit = Visit(browser, 1280)
    try:
        page = visit.open(built_site.base_url)
        wrap = page.locator(".md-search__scrollwrap")
        box = page.locator("input.md-search__input")
        box.focus()
        page.keyboard.press("Tab")  # with no results: every page's third Tab
        settle(page)
        focused = page.evaluate(FOCUSED)
        assert focused and focused["seen"], focused
        box.focus()
        box.fill("分类")
        box.press("End")  # Material reads the query on keyup
        page.locator(".md-search-result__item").first.wait_for(timeout=20_000)
        # shown with its results, it stays a stop to scroll them by keyboard
        assert wrap.evaluate(
            "e => e.checkVisibility({visibilityProperty: true}) && e.tabIndex === 0"
        )
        page.keyboard.press("Tab")
        settle(page)
        assert not page.locator("#__search").is_checked()
        focused = page.evaluate(FOCUSED)
        assert focused and focused["seen"], focused
        assert "md-search__scrollwrap" not in focused["what"]
    finally:
        visit.close()


def outline_problems(page: Any) -> list[str]:
    """What the Nu HTML checker warns of in a page's outline: the content's ``<article>``
    must hold the page's one ``<h1>`` itself, not in an article nested inside ("Article lacks
    heading"; "Consider using the h1 element as a top-level heading only")."""
    return list(
        page.evaluate(
            """() => {
            const found = [];
            if (document.querySelector("article article, article section h1"))
                found.push("an article or section inside the content holds its heading");
            const h1 = document.querySelectorAll("h1");
            if (h1.length !== 1) found.push(`${h1.length} h1 elements`);
            else if (h1[0].closest("article, section, aside, nav")
                     !== document.querySelector("article.md-content__inner"))
                found.push("the h1 is not the content article's own heading");
            return found;
        }"""
        )
    )


def test_search_finds_a_word_inside_a_chinese_phrase(built_site, browser, pages):  # type: ignore[no-untyped-def]
    visit = Visit(browser, 1280)
    try:
        page = visit.open(built_site.base_url)
        box = page.locator("input.md-search__input")  # in the header from 1220 px
        box.click()
        box.fill("分类")
        # Material reads the query on keyup; text entered like an IME commit sends none.
        box.press("End")
        # Results show jieba's segments joined by zero-width spaces: 垃圾\u200b分类.
        result = page.locator(".md-search-result__item a", has_text=re.compile("垃圾\u200b?分类"))
        result.first.wait_for(timeout=20_000)
        hrefs = [result.nth(i).get_attribute("href") or "" for i in range(result.count())]
        assert any(pages["article"] in href for href in hrefs), hrefs
        page.screenshot(path=str(SCREENSHOTS / "search-1280.png"))
        assert not [u for u in visit.requests if not is_local(u)]
    finally:
        visit.close()


@pytest.mark.parametrize(
    ("query", "pattern", "shown"),
    [
        ("许文涛", "branches/*/", "许文涛"),  # a branch's secretary, in its facts list
        ("韩静怡", "clubs/*/", "韩静怡"),  # a club's leader
        ("红E", "venues/*/", "红E大厦"),  # a venue's name, Chinese and a Latin letter
    ],
)
def test_search_finds_what_a_page_shows_around_its_text(built_site, browser, query, pattern, shown):  # type: ignore[no-untyped-def]
    """Material's index held a generated page's Markdown body alone, and split a query at
    spaces only: a secretary's or a leader's name, or 红E, found nothing on a small site."""
    path = page_with(built_site, pattern, shown)
    visit = Visit(browser, 1280)
    try:
        page = visit.open(built_site.base_url)
        box = page.locator("input.md-search__input")
        box.click()
        box.fill(query)
        box.press("End")  # Material reads the query on keyup
        result = page.locator(f'.md-search-result__item > a[href$="/{path}"]')
        result.first.wait_for(timeout=20_000)
    finally:
        visit.close()


@pytest.mark.parametrize("name", ["home", "article", "activity", "month", "subscribe"])
def test_key_page_reads_in_materials_dark_scheme(built_site, browser, pages, name):  # type: ignore[no-untyped-def]
    """A site whose palette offers Material's dark scheme (slate) switches the body to it: our
    colours, chosen for a white page, gave links at 2.5:1, text at 1.3:1 and white cards under
    light text. The scheme is set here as Material's toggle sets it."""
    visit = Visit(browser, 1280)
    try:
        page = visit.open(built_site.base_url + pages[name])
        page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
        settle(page)
        page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate("async () => await axe.run(document, {runOnly: ['color-contrast']})")
        found = [
            f"{n['target']}: {n['failureSummary'][:160]}"
            for v in result["violations"]
            for n in v["nodes"][:5]
        ]
        assert not found, "\n".join(found)
    finally:
        visit.close()


def test_search_reads_text_that_comes_without_a_key(built_site, browser):  # type: ignore[no-untyped-def]
    """Text pasted, spoken or picked from an input method's candidates arrives with no keyup,
    the only event Material's search reads: the field said 志愿 and no search ran."""
    visit = Visit(browser, 1280)
    try:
        page = visit.open(built_site.base_url)
        page.locator("input.md-search__input").click()
        page.keyboard.insert_text("志愿")  # an input event alone, as a paste sends
        page.locator(".md-search-result__item").first.wait_for(timeout=20_000)
        assert "志愿" in page.inner_text(".md-search-result__list")
    finally:
        visit.close()


def test_feeds_are_discoverable_in_the_source_of_every_page(built_site, pages):  # type: ignore[no-untyped-def]
    """Feed readers find rss.xml and feed.json in a page's source (rel="alternate"); only the
    live page renames them for Material's script (see main.html)."""
    for name in ("home", "article", "activity"):
        html = (built_site.dir / pages[name] / "index.html").read_text(encoding="utf-8")
        found = re.findall(
            r'<link rel="alternate" type="(application/[^"]+)"[^>]*href="([^"]+)"', html
        )
        assert {t for t, _ in found} == {"application/rss+xml", "application/feed+json"}, name
        assert {h.rsplit("/", 1)[-1] for _, h in found} == {"rss.xml", "feed.json"}, name


def test_missing_page_shows_the_styled_404_under_the_base_path(built_site, browser):  # type: ignore[no-untyped-def]
    visit = Visit(browser, 360)
    try:
        page = visit.open(built_site.base_url + "no/such/page/")
        assert "页面不存在" in page.inner_text("h1")
        # Material's stylesheet loaded from /repo/: the header is laid out as a flex row.
        display = page.evaluate(
            "getComputedStyle(document.querySelector('.md-header__inner')).display"
        )
        assert display == "flex"
        assert drawn_icons(page) >= 2 and not undrawn_icons(page), "the 404's icons"
        home = page.get_attribute(".yz-404__links a", "href") or ""
        assert home.startswith("/repo/")
        stylesheets_ok = [u for u in visit.requests if u.endswith(".css")]
        assert stylesheets_ok and not [f for f in visit.failed if ".css" in f or ".js" in f]
        page.screenshot(path=str(SCREENSHOTS / "404-360.png"))
    finally:
        visit.close()


def test_article_carries_news_article_json_ld_and_open_graph(built_site, browser, pages):  # type: ignore[no-untyped-def]
    visit = Visit(browser, 1280)
    try:
        page = visit.open(built_site.base_url + pages["article"])
        raw = page.eval_on_selector("script[type='application/ld+json']", "e => e.textContent")
        data = json.loads(raw)
        assert data["@type"] == "NewsArticle"
        assert data["mainEntityOfPage"] == built_site.base_url + pages["article"]
        og = page.eval_on_selector("meta[property='og:type']", "e => e.content")
        assert og == "article"
        canonical = page.eval_on_selector("link[rel='canonical']", "e => e.href")
        assert canonical == built_site.base_url + pages["article"]
    finally:
        visit.close()


def test_screenshots_were_written(built_site, browser):  # type: ignore[no-untyped-def]
    """Kept last so a reviewer finds them in one place: /tmp/yizhan-browser/*.png."""
    assert Path(SCREENSHOTS).is_dir()
