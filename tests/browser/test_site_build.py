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
