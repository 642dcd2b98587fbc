"""Calendar pages in headless Chromium: the month grid turns into a day list on a phone and a
table on a desktop, today is marked, months link to each other; the subscribe page has a QR
code per feed and a working copy button; an activity page carries its schema.org JSON-LD."""

from __future__ import annotations

import datetime
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from conftest import SCREENSHOTS, BuiltSite
from test_pages import Visit


def this_month(site: BuiltSite) -> str:
    # The demo site was just built with the clock: this month's page always exists.
    today = datetime.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    path = f"events/{today:%Y}/{today:%m}/"
    assert (site.dir / path / "index.html").is_file()
    return path


@pytest.mark.parametrize("width", [360, 1280])
def test_month_grid_reads_on_phone_and_desktop(
    built_site: BuiltSite, browser: Any, width: int
) -> None:
    visit = Visit(browser, width)
    try:
        page = visit.open(built_site.base_url + this_month(built_site))
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"calendar-month-{width}.png"), full_page=True)
        grid = page.locator(".yz-month__grid")
        agenda = page.locator(".yz-month__agenda")
        # The day list is there at every width (the cells link into it); the grid from 45em.
        assert agenda.is_visible()
        if width < 700:
            assert not grid.is_visible()
        else:
            assert grid.is_visible()
            assert page.locator("td[aria-current=date]").count() == 1
            for link in page.locator(".yz-month__grid a[href^='#']").all():
                target = link.get_attribute("href")
                assert page.locator(f".yz-month__agenda {target}").count() == 1, target
            box = grid.bounding_box()
            assert box is not None and box["width"] <= width
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        for rel in ("prev", "next"):
            link = page.locator(f".yz-month__pager a[rel={rel}]")
            if link.count():
                other = visit.open(link.evaluate("a => a.href"))
                assert other.locator("h1").inner_text()
        assert not visit.errors, visit.errors
        assert not visit.failed, visit.failed
    finally:
        visit.close()


def test_subscribe_page_qr_and_copy(built_site: BuiltSite, browser: Any) -> None:
    visit = Visit(browser, 360)
    try:
        visit.context.grant_permissions(["clipboard-read", "clipboard-write"])
        page = visit.open(built_site.base_url + "subscribe/")
        page.screenshot(path=str(SCREENSHOTS / "calendar-subscribe-360.png"), full_page=False)
        feeds = page.locator("li.yz-feed")
        assert feeds.count() >= 3
        assert page.locator("li.yz-feed img.yz-qr[alt]").count() == feeds.count()
        first = feeds.first
        assert first.locator("details").get_attribute("open") is not None
        # The open feed's QR code (a lazy <img> of its own SVG file) loads and draws.
        qr = first.locator("img.yz-qr")
        qr.scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=qr.element_handle()
        )
        webcal = first.locator("a[href^='webcal://']")
        assert webcal.count() == 1
        button = first.locator("button.yz-copy")
        assert button.is_visible()
        button.click()
        status = first.get_by_role("status")
        page.wait_for_function("s => s.textContent === '已复制'", arg=status.element_handle())
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.endswith("/calendar.ics") and copied.startswith("http")
        text = page.locator(".yz-subscribe").inner_text()
        for app in ("iPhone", "华为", "小米", "Outlook", "Thunderbird"):
            assert app in text
        assert text.index("iPhone") < text.index("Google")
        assert not visit.errors, visit.errors
    finally:
        visit.close()


def test_activity_page_has_event_jsonld(built_site: BuiltSite, browser: Any) -> None:
    path = sorted(
        p.parent.relative_to(built_site.dir).as_posix()
        for p in built_site.dir.glob("events/*/event.ics")
    )[0]
    visit = Visit(browser, 360)
    try:
        page = visit.open(built_site.base_url + path + "/")
        scripts = page.locator("script[type='application/ld+json']").all_inner_texts()
        data = [json.loads(s) for s in scripts]
        event = next(d for d in data if d.get("@type") == "Event")
        assert event["eventStatus"].startswith("https://schema.org/Event")
        assert page.locator(f"a[href$='{path.split('/')[-1]}/event.ics']").count() >= 1
    finally:
        visit.close()
