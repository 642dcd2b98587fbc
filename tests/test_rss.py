"""RSS 2.0 and JSON Feed, read by feedparser and ElementTree (clients nobody here wrote)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser

import feedparser
import pytest
from newsfactory import NASTY_TITLE, SITE_URL, article, make_site, sample_news

from generator.outputs import rss
from generator.views import Views
from generator.views import news as news_views
from generator.views.calendar import CalendarViews
from generator.views.orgs import OrgViews


def build(site):  # type: ignore[no-untyped-def]
    views = Views(CalendarViews(), news_views.derive(site), OrgViews())
    return {f.path: f.content for f in rss.files(site, views)}


@pytest.fixture(scope="module")
def feeds():  # type: ignore[no-untyped-def]
    return build(make_site(sample_news()))


class Urls(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.found += [v or "" for k, v in attrs if k in ("href", "src", "srcset")]


def test_feeds_exist_for_site_every_branch_and_club(feeds):  # type: ignore[no-untyped-def]
    assert set(feeds) == {
        "rss.xml",
        "branches/caizhi/rss.xml",
        "branches/lvshi/rss.xml",
        "clubs/yujia/rss.xml",
        "feed.json",
    }


def test_every_feed_is_well_formed_rss2_for_feedparser(feeds):  # type: ignore[no-untyped-def]
    for path, content in feeds.items():
        if not path.endswith(".xml"):
            continue
        parsed = feedparser.parse(content)
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version == "rss20"
        assert parsed.feed.title and parsed.feed.description
        assert parsed.feed.link.startswith(SITE_URL)
        self_links = [x.href for x in parsed.feed.links if x.rel == "self"]
        assert self_links == [SITE_URL + path]
        ET.fromstring(content)  # strict XML parser too
        assert content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')


def test_items_newest_first_with_absolute_links_and_stable_guids(feeds):  # type: ignore[no-untyped-def]
    parsed = feedparser.parse(feeds["rss.xml"])
    ids = [e.link.rsplit("/", 2)[-2] for e in parsed.entries]
    assert ids == ["a5", "a4", "a3", "a2", "a1"]
    for entry in parsed.entries:
        assert entry.link.startswith(SITE_URL + "news/")
        assert entry.id == entry.link
    guids = ET.fromstring(feeds["rss.xml"]).iter("guid")
    assert {g.get("isPermaLink") for g in guids} == {"true"}
    assert [e.id for e in feedparser.parse(build(make_site(sample_news()))["rss.xml"]).entries] == [
        e.id for e in parsed.entries
    ]


def test_dates_are_rfc822_with_the_site_offset(feeds):  # type: ignore[no-untyped-def]
    root = ET.fromstring(feeds["rss.xml"])
    dates = [el.text or "" for el in root.iter("pubDate")]
    assert dates[0] == "Sun, 05 Apr 2026 00:00:00 +0800"
    for text in dates:
        assert re.fullmatch(r"[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d \+0800", text)
        assert parsedate_to_datetime(text).utcoffset() == timedelta(hours=8)
    utc_site = make_site((article("z", 1, date=datetime(2026, 4, 1, 1, 0, tzinfo=UTC)),))
    utc_feed = ET.fromstring(build(utc_site)["rss.xml"])
    assert next(utc_feed.iter("pubDate")).text == "Wed, 01 Apr 2026 09:00:00 +0800"


def test_nasty_title_is_escaped_text_not_markup(feeds):  # type: ignore[no-untyped-def]
    raw = feeds["rss.xml"].decode()
    assert "<title>&lt;img src=x onerror=alert(1)&gt; &amp; 标题</title>" in raw
    assert "<img src=x" not in raw
    parsed = feedparser.parse(feeds["rss.xml"])
    assert parsed.entries[3].title == NASTY_TITLE
    assert json.loads(feeds["feed.json"])["items"][3]["title"] == NASTY_TITLE


def test_content_is_full_html_with_absolute_urls(feeds):  # type: ignore[no-untyped-def]
    entry = feedparser.parse(feeds["rss.xml"]).entries[3]
    html = entry.content[0].value
    finder = Urls()
    finder.feed(html)
    assert finder.found == [
        SITE_URL + "images/cover.jpg",
        SITE_URL + "events/salon/",
        SITE_URL + "about/",
        SITE_URL + "images/p.png",
    ]
    assert entry.summary == "见活动与关于。"


def test_a_cover_the_text_opens_with_is_in_the_feeds_once() -> None:
    opens = article(
        "kai", 5, image="images/salon.jpg", body="![海报](../../images/salon.jpg)\n\n正文。"
    )
    alone = article("tu", 7, body="![](../../images/a.jpg)\n")
    feeds = build(make_site((opens, alone)))
    (_, kai) = feedparser.parse(feeds["rss.xml"]).entries
    finder = Urls()
    finder.feed(kai.content[0].value)
    assert finder.found == [SITE_URL + "images/salon.jpg"]
    items = {i["id"]: i for i in json.loads(feeds["feed.json"])["items"]}
    assert items[SITE_URL + "news/tu/"]["image"] == SITE_URL + "images/a.jpg"


def content_urls(feed: bytes, link: str) -> list[str]:
    """Every URL of one item's ``content:encoded``, ``srcset`` candidates included, read with
    ElementTree: feedparser's sanitizer drops ``srcset`` before a test could see it."""
    for item in ET.fromstring(feed).iter("item"):
        if item.findtext("link") == link:
            finder = Urls()
            finder.feed(item.findtext(f"{{{rss.CONTENT}}}encoded") or "")
            return finder.found
    raise AssertionError(link)


def test_pictures_for_each_screen_size_have_absolute_urls() -> None:
    # Raw HTML of a picture in two sizes: a reader resolved ../../images/a.png against the
    # feed's address and showed a broken picture on a sharp screen.
    body = (
        '<img src="../../images/a.png" srcset="../../images/a.png 1x,../../images/a@2x.png 2x"'
        ' alt="海报">\n\n<picture><source srcset="../../images/a.webp" type="image/webp">'
        '<img src="../../images/a.png" alt="海报"></picture>\n'
    )
    feeds = build(make_site((article("tu", 7, body=body),)))
    found = content_urls(feeds["rss.xml"], SITE_URL + "news/tu/")
    assert found == [
        SITE_URL + "images/a.png",
        f"{SITE_URL}images/a.png 1x, {SITE_URL}images/a@2x.png 2x",
        SITE_URL + "images/a.webp",
        SITE_URL + "images/a.png",
    ]
    (item,) = json.loads(feeds["feed.json"])["items"]
    assert (
        f'srcset="{SITE_URL}images/a.png 1x, {SITE_URL}images/a@2x.png 2x"'
        in (item["content_html"])
    )


def test_a_link_to_an_article_written_with_escapes_leads_to_its_page() -> None:
    # GitHub's web editor writes a link to 垃圾分类.md %-escaped; MkDocs reads the escapes and
    # the page linked to the article, the feeds to news/2026/%E5…/, a missing page.
    target = article("垃圾分类", 3, slug="lajifenlei")
    escaped = "%E5%9E%83%E5%9C%BE%E5%88%86%E7%B1%BB.md"
    linking = article("jian", 7, body=f"见[上期]({escaped}#报名)与[上期](垃圾分类.md)。")
    feeds = build(make_site((target, linking)))
    found = content_urls(feeds["rss.xml"], SITE_URL + "news/jian/")
    assert found == [SITE_URL + "news/lajifenlei/#报名", SITE_URL + "news/lajifenlei/"]


def test_a_summary_leaves_footnotes_out() -> None:
    # The mark's number was glued to the text (增长 30%1) and a short text ended with the
    # note and its way back (见报告。 ↩).
    body = "今年接待量增长 30%[^1]，创历史新高。\n\n[^1]: 见年度报告。\n"
    feeds = build(make_site((article("fn", 7, body=body),)))
    (entry,) = feedparser.parse(feeds["rss.xml"]).entries
    assert entry.summary == "今年接待量增长 30%，创历史新高。"
    assert "见年度报告。" in entry.content[0].value  # the full text keeps its notes
    (item,) = json.loads(feeds["feed.json"])["items"]
    assert item["summary"] == "今年接待量增长 30%，创历史新高。"


def test_an_article_of_pictures_alone_is_summed_up_by_their_words() -> None:
    # A reader showing summaries showed an empty item.
    body = "![社区志愿者合影](../images/a.png)\n\n![义诊现场](../images/b.png)\n"
    feeds = build(make_site((article("pics", 7, body=body),)))
    (entry,) = feedparser.parse(feeds["rss.xml"]).entries
    assert entry.summary == "社区志愿者合影；义诊现场"
    (item,) = json.loads(feeds["feed.json"])["items"]
    assert item["summary"] == "社区志愿者合影；义诊现场"


def test_an_editors_script_is_left_out_of_the_feeds() -> None:
    # Pasted from a WeChat article: copied into content:encoded and content_html as written.
    body = "活动圆满结束。\n\n<script>alert('x')</script>\n\n<SCRIPT src=\"https://a.example/t.js\"></SCRIPT>\n\n感谢参与。\n"
    feeds = build(make_site((article("js", 7, body=body),)))
    root = ET.fromstring(feeds["rss.xml"])
    (encoded,) = [e.text or "" for e in root.iter(f"{{{rss.CONTENT}}}encoded")]
    (item,) = json.loads(feeds["feed.json"])["items"]
    for html_text in (encoded, item["content_html"]):
        assert "活动圆满结束。" in html_text and "感谢参与。" in html_text
        assert "script" not in html_text.lower() and "alert" not in html_text


def test_no_xml_illegal_control_characters(feeds):  # type: ignore[no-untyped-def]
    for content in feeds.values():
        assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", content)


def test_branch_and_club_feeds_hold_only_their_news(feeds):  # type: ignore[no-untyped-def]
    def ids(path):  # type: ignore[no-untyped-def]
        return [e.link for e in feedparser.parse(feeds[path]).entries]

    assert ids("branches/caizhi/rss.xml") == [SITE_URL + "news/a1/"]
    assert ids("branches/lvshi/rss.xml") == [SITE_URL + "news/a3/"]
    assert ids("clubs/yujia/rss.xml") == [SITE_URL + "news/a2/"]
    lvshi = feedparser.parse(feeds["branches/lvshi/rss.xml"]).feed
    assert lvshi.title == "律师行业党支部 - 南部商务区党群服务中心"
    assert lvshi.link == SITE_URL + "branches/lvshi/"


def test_empty_feed_is_still_valid():
    parsed = feedparser.parse(build(make_site(()))["rss.xml"])
    assert not parsed.bozo and parsed.entries == []


def test_output_is_byte_identical_between_runs():
    assert build(make_site(sample_news())) == build(make_site(sample_news()))


def test_json_feed_1_1(feeds):  # type: ignore[no-untyped-def]
    feed = json.loads(feeds["feed.json"])
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == SITE_URL + "feed.json"
    first = feed["items"][0]
    assert first["id"] == first["url"] == SITE_URL + "news/a5/"
    assert first["date_published"] == "2026-04-05T00:00:00+08:00"
    assert first["authors"] == [{"name": "王博"}]
