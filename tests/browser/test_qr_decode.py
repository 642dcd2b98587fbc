"""The subscribe page's QR codes, as Chromium draws them, read back as their feed addresses by
an independent decoder (ZXing's C++ port); the codes use a fixed data mask (issue 5)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from conftest import BuiltSite
from test_pages import Visit

zxingcpp = pytest.importorskip("zxingcpp")
Image = pytest.importorskip("PIL.Image")


def test_subscribe_qr_codes_decode_to_their_feed_urls(built_site: BuiltSite, browser: Any) -> None:
    visit = Visit(browser, 1280)
    try:
        page = visit.open(built_site.base_url + "subscribe/")
        feeds = page.locator("li.yz-feed")
        assert feeds.count() >= 3
        read = 0
        for index in range(feeds.count()):
            feed = feeds.nth(index)
            details = feed.locator("details")
            if details.count() and details.first.get_attribute("open") is None:
                details.first.evaluate("d => d.open = true")
            url = feed.locator("input").first.input_value()
            qr = feed.locator("img.yz-qr")
            qr.scroll_into_view_if_needed()
            page.wait_for_function(
                "img => img.complete && img.naturalWidth > 0", arg=qr.element_handle()
            )
            image = Image.open(io.BytesIO(qr.screenshot()))
            found = [r.text for r in zxingcpp.read_barcodes(image)]
            assert found == [url], (index, url, found)
            read += 1
        assert read == feeds.count()
        assert not visit.errors, visit.errors
    finally:
        visit.close()
