"""The demo site built under /repo/: links, stylesheets and the 404 page resolve; the search
index segments Chinese; feeds parse; no page refers to a third-party host for a resource."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import feedparser
import pytest
from conftest import BASE_PATH, BuiltSite

# Attributes that make a browser fetch something on load (links only when followed).
FETCHING = {
    ("link", "href"),
    ("script", "src"),
    ("img", "src"),
    ("iframe", "src"),
    ("source", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("video", "poster"),
}
NOT_LOADED_RELS = {"canonical", "alternate", "prev", "next"}


class Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.fetched: list[str] = []
        """URLs a browser requests while loading the page (not links it may follow)."""
        self.lang = ""
        self.rels: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = values.get("lang", "")
        if tag == "link":
            self.rels.append((values.get("rel", ""), values.get("type", "")))
        for name in ("href", "src", "poster"):
            if name in values:
                self.refs.append((tag, name, values[name]))
                not_loaded = tag == "link" and values.get("rel") in NOT_LOADED_RELS
                if (tag, name) in FETCHING and not not_loaded:
                    self.fetched.append(values[name])


def parse(path: Path) -> Refs:
    refs = Refs()
    refs.feed(path.read_text(encoding="utf-8"))
    return refs


def page_url(site: BuiltSite, html: Path) -> str:
    rel = html.relative_to(site.dir).as_posix()
    return site.base_url + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def target_file(site: BuiltSite, url: str) -> Path | None:
    """The file a same-site URL serves, or None if it leaves the site."""
    parts = urlsplit(url)
    base = urlsplit(site.base_url)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return None
    if not parts.path.startswith(BASE_PATH):
        return Path("/nonexistent-outside-base-path")
    rel = unquote(parts.path[len(BASE_PATH) :])
    path = site.dir / rel
    return path / "index.html" if rel == "" or rel.endswith("/") or path.is_dir() else path


def html_files(site: BuiltSite) -> list[Path]:
    return sorted(site.dir.rglob("*.html"))


def test_every_local_link_and_resource_resolves_under_the_base_path(built_site):  # type: ignore[no-untyped-def]
    broken = []
    for html in html_files(built_site):
        here = page_url(built_site, html) if html.name != "404.html" else built_site.base_url
        for tag, attr, value in parse(html).refs:
            if value.startswith(("mailto:", "tel:", "webcal:", "data:", "javascript:", "#")):
                continue
            url = urljoin(here, value)
            target = target_file(built_site, url)
            if target is not None and not target.exists():
                broken.append(f"{html.relative_to(built_site.dir)}: <{tag} {attr}={value!r}>")
    assert not broken, "\n".join(broken[:40])


def test_no_page_loads_anything_from_another_host(built_site):  # type: ignore[no-untyped-def]
    found = [
        f"{html.relative_to(built_site.dir)}: {url}"
        for html in html_files(built_site)
        for url in parse(html).fetched
        if urlsplit(url).netloc
    ]
    assert not found, "\n".join(found[:40])
    css = "\n".join(p.read_text(encoding="utf-8") for p in built_site.dir.rglob("*.css"))
    assert "fonts.googleapis.com" not in css and "fonts.gstatic.com" not in css


def test_pages_say_zh_cn_and_announce_the_feed(built_site):  # type: ignore[no-untyped-def]
    for rel in ("index.html", "news/index.html", "404.html"):
        refs = parse(built_site.dir / rel)
        assert refs.lang == "zh-CN", rel
        assert ("alternate", "application/rss+xml") in refs.rels, rel


def test_404_page_uses_absolute_paths_under_the_base(built_site):  # type: ignore[no-untyped-def]
    refs = parse(built_site.dir / "404.html")
    stylesheets = [v for t, a, v in refs.refs if t == "link" and v.endswith(".css")]
    assert stylesheets and all(v.startswith(BASE_PATH) for v in stylesheets)
    anchors = [v for t, a, v in refs.refs if t == "a" and not urlsplit(v).netloc]
    assert anchors and all(v.startswith(BASE_PATH) or v.startswith("#") for v in anchors)


def test_search_index_segments_chinese_with_jieba(built_site):  # type: ignore[no-untyped-def]
    """Without jieba, 垃圾分类 is one token and a search for 分类 finds nothing."""
    index = json.loads((built_site.dir / "search" / "search_index.json").read_text("utf-8"))
    assert index["config"]["lang"] == ["zh"]
    separator = re.compile(index["config"]["separator"])
    docs = [d for d in index["docs"] if "垃圾分类" in d["text"].replace("\u200b", "")]
    assert docs, "no indexed page mentions 垃圾分类"
    tokens = {t for d in docs for t in separator.split(d["text"] + " " + d["title"]) if t}
    assert "分类" in tokens
    assert "垃圾" in tokens
    assert not any("垃圾分类进" in t for t in tokens)


def search_entries(site: BuiltSite) -> dict[str, str]:
    """Material's search index: each page's text (its sections joined, no zero-width spaces)."""
    index = json.loads((site.dir / "search" / "search_index.json").read_text("utf-8"))
    texts: dict[str, str] = {}
    for doc in index["docs"]:
        page = doc["location"].split("#", 1)[0]
        texts[page] = texts.get(page, "") + doc["title"] + " " + doc["text"]
    return {page: text.replace("\u200b", "") for page, text in texts.items()}


def page_holding(site: BuiltSite, pattern: str, text: str) -> tuple[str, str]:
    """The site path and HTML of the first built page matching ``pattern`` that holds ``text``."""
    for html in sorted(site.dir.glob(pattern + "index.html")):
        page = html.read_text(encoding="utf-8")
        if text in page:
            return html.parent.relative_to(site.dir).as_posix() + "/", page
    raise AssertionError(f"no page of {pattern} holds {text}")


@pytest.mark.parametrize(
    ("pattern", "shown", "once"),
    [
        ("branches/*/", "许文涛", True),  # a secretary: the branch's facts list
        ("clubs/*/", "韩静怡", True),  # a club's leader
        ("venues/*/", "08:30—17:30", True),  # a venue's hours
        ("events/*/", "学习沙龙", False),  # an activity's category
        ("events/*/", "2026年12月19日", False),  # an activity's time (白领沙龙's year-end session)
        ("timeline/", "护航电商", False),  # a milestone: the timeline page had no text at all
    ],
)
def test_search_index_holds_what_the_page_shows(built_site, pattern, shown, once):  # type: ignore[no-untyped-def]
    """Material's index held the Markdown body alone: a branch's secretary, a club's leader or
    an activity's time, which the page shows around its body, found nothing on a small site."""
    path, html = page_holding(built_site, pattern, shown)
    assert shown in search_entries(built_site)[path]
    if once:  # what the template shows is not also put in the page's body
        assert html.count(shown) == 1


def test_search_index_leaves_out_buttons_and_lists_of_other_pages(built_site):  # type: ignore[no-untyped-def]
    path, _ = page_holding(built_site, "events/*/", "加入日历")
    text = search_entries(built_site)[path]
    assert "加入日历" not in text and "订阅此活动" not in text and "下载 .ics" not in text
    path, _ = page_holding(built_site, "clubs/*/", "韩静怡")
    text = search_entries(built_site)[path]
    assert "订阅" not in text  # its feeds
    assert "近期活动" not in text  # the list of its activities (their own pages are results)


def test_search_separator_splits_chinese_from_latin_letters_and_digits(built_site):  # type: ignore[no-untyped-def]
    """Material splits a query at its separator only (jieba runs at build time, on the index):
    红E, a name the index holds as 红 and E, was one word no page had."""
    index = json.loads((built_site.dir / "search" / "search_index.json").read_text("utf-8"))
    separator = re.compile(index["config"]["separator"], re.ASCII)  # JavaScript's \b and \w
    assert [t for t in separator.split("红E大厦 12月 5G网络 WiFi") if t] == [
        "红",
        "E",
        "大厦",
        "12",
        "月",
        "5G",
        "网络",
        "WiFi",
    ]


@pytest.mark.parametrize("feed", ["rss.xml", "branches/*/rss.xml", "clubs/*/rss.xml"])
def test_built_feeds_parse_with_absolute_links(built_site, feed):  # type: ignore[no-untyped-def]
    paths = sorted(built_site.dir.glob(feed))
    assert paths
    for path in paths:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        for entry in parsed.entries:
            assert entry.link.startswith(built_site.base_url + "news/")
            assert target_file(built_site, entry.link).exists()  # type: ignore[union-attr]
    site_feed = feedparser.parse((built_site.dir / "rss.xml").read_bytes())
    dates = [e.published_parsed for e in site_feed.entries]
    assert dates == sorted(dates, reverse=True)
