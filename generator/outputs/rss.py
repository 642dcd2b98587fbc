"""News feeds: RSS 2.0 for the site, each branch and each club; a JSON Feed 1.1 for the site.

Written with ElementTree and ``json``, never by string templates, so every title and body is
escaped by the library. Nothing here reads the clock: the same content gives the same bytes.
RSS rules followed: https://www.rssboard.org/rss-specification (RFC 822 dates with a numeric
offset, ``atom:link rel="self"`` as the W3C validator recommends).
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from email.utils import format_datetime
from typing import Any
from zoneinfo import ZoneInfo

from .. import i18n, urls
from ..model import NewsItem, Site
from ..plan import FileSpec
from ..views import Views
from ..views.text import (
    Cover,
    absolutize_links,
    localise_footnotes,
    pages_by_source,
    render_html,
    summary_of,
    xml_safe,
)

ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
ET.register_namespace("atom", ATOM)
ET.register_namespace("content", CONTENT)
ET.register_namespace("dc", DC)

FEED_ITEMS = 50
"""Newest articles per feed: readers poll often, so the feed stays small on large sites."""
SUMMARY_CHARS = 200
JSON_FEED = "feed.json"


@dataclass(frozen=True)
class Channel:
    """One feed: where it is, what it is about, and its articles (newest first)."""

    path: str
    title: str
    link: str
    """Site-relative path of the page the feed belongs to."""
    description: str
    items: tuple[NewsItem, ...]


def channels(site: Site, views: Views) -> Iterator[Channel]:
    zh = i18n.lang_key(site.config.language) == "zh"
    name = site.config.site_name
    yield Channel(
        urls.rss(),
        name,
        urls.home(),
        f"{name}的新闻动态" if zh else f"News from {name}",
        views.news.items,
    )
    owners = [("branch", b.id, b.slug, b.name) for b in site.branches.values()]
    owners += [("club", c.id, c.slug, c.name) for c in site.clubs.values()]
    for kind, id_, slug, title in sorted(owners, key=lambda owner: (owner[0], owner[2])):
        page = urls.branch(slug) if kind == "branch" else urls.club(slug)
        items = views.news.for_branch(id_) if kind == "branch" else views.news.for_club(id_)
        yield Channel(
            urls.rss(page),
            f"{title} - {name}",
            page,
            f"{title}的新闻动态" if zh else f"News from {title}",
            items,
        )


SCRIPT_RE = re.compile(r"<script\b.*?(?:</script\s*>|\Z)", re.S | re.I)


def without_scripts(fragment: str) -> str:
    """``fragment`` without its ``<script>`` elements (``yizhan check`` warns of them,
    ``body.script``): a feed is read in other programs, where an editor's pasted script
    runs nowhere or is a risk (the W3C feed validator flags it)."""
    return SCRIPT_RE.sub("", fragment) if "<script" in fragment.lower() else fragment


def content_html(site: Site, item: NewsItem, links: Mapping[str, str]) -> str:
    """The article's full HTML with absolute links, its cover image first (as its page shows
    it: not when the text opens with that picture)."""
    body = without_scripts(localise_footnotes(render_html(item.body), site.config.language))
    image = Cover.of(site.config.site_url, item.source, item.image, item.body).shown
    page = urls.news(item.slug)
    body = absolutize_links(body, site.config.site_url, item.source.docs_path, page, links)
    if image:
        src = html.escape(urls.absolute(site.config.site_url, image), quote=True)
        body = f'<p><img src="{src}" alt="{html.escape(item.title, quote=True)}" /></p>\n{body}'
    return body


def rfc822(site: Site, item: NewsItem) -> str:
    """``Tue, 28 Apr 2026 09:30:00 +0800``: the site's own offset, never a zone abbreviation."""
    return format_datetime(item.date.astimezone(ZoneInfo(site.config.timezone)))


def text(parent: ET.Element, tag: str, value: str, attrib: dict[str, str] | None = None) -> None:
    child = ET.SubElement(parent, tag, attrib or {})
    child.text = xml_safe(value)


def render_rss(site: Site, channel: Channel, bodies: Mapping[str, str]) -> bytes:
    """One channel; ``bodies`` maps article id -> its content HTML (rendered once per build)."""
    base = site.config.site_url
    language = "en" if i18n.lang_key(site.config.language) == "en" else "zh-cn"
    rss = ET.Element("rss", {"version": "2.0"})
    head = ET.SubElement(rss, "channel")
    text(head, "title", channel.title)
    text(head, "link", urls.absolute(base, channel.link))
    text(head, "description", channel.description)
    text(head, "language", language)
    text(head, "generator", "yizhan")
    items = channel.items[:FEED_ITEMS]
    if items:
        text(head, "lastBuildDate", rfc822(site, items[0]))
    ET.SubElement(
        head,
        f"{{{ATOM}}}link",
        {"href": urls.absolute(base, channel.path), "rel": "self", "type": "application/rss+xml"},
    )
    for item in items:
        link = urls.absolute(base, urls.news(item.slug))
        entry = ET.SubElement(head, "item")
        text(entry, "title", item.title)
        text(entry, "link", link)
        # The permalink is the article's identity: it only changes if its id or slug does.
        text(entry, "guid", link, {"isPermaLink": "true"})
        text(entry, "pubDate", rfc822(site, item))
        text(entry, "description", summary_of(item, SUMMARY_CHARS))
        text(entry, f"{{{CONTENT}}}encoded", bodies[item.id])
        if item.author:
            text(entry, f"{{{DC}}}creator", item.author)
        for tag in item.tags:
            text(entry, "category", tag)
    ET.indent(rss, space="  ")
    declaration = '<?xml version="1.0" encoding="UTF-8"?>\n'
    return (declaration + ET.tostring(rss, encoding="unicode") + "\n").encode("utf-8")


def render_json_feed(site: Site, views: Views, bodies: Mapping[str, str]) -> bytes:
    """JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) of the whole site's news."""
    base = site.config.site_url
    items: list[dict[str, Any]] = []
    for item in views.news.items[:FEED_ITEMS]:
        link = urls.absolute(base, urls.news(item.slug))
        entry: dict[str, Any] = {
            "id": link,
            "url": link,
            "title": xml_safe(item.title),
            "content_html": xml_safe(bodies[item.id]),
            "summary": xml_safe(summary_of(item, SUMMARY_CHARS)),
            "date_published": item.date.astimezone(ZoneInfo(site.config.timezone)).isoformat(),
        }
        image = Cover.of(site.config.site_url, item.source, item.image, item.body).shared
        if image:
            entry["image"] = urls.absolute(base, image)
        if item.author:
            entry["authors"] = [{"name": item.author}]
        if item.tags:
            entry["tags"] = list(item.tags)
        items.append(entry)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": site.config.site_name,
        "home_page_url": base,
        "feed_url": urls.absolute(base, JSON_FEED),
        "language": "en" if i18n.lang_key(site.config.language) == "en" else "zh-CN",
        "items": items,
    }
    return (json.dumps(feed, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def files(site: Site, views: Views) -> Iterator[FileSpec]:
    links = pages_by_source(site)
    fed = {item.id: item for item in views.news.items[:FEED_ITEMS]}
    all_channels = list(channels(site, views))
    for channel in all_channels:
        fed.update((item.id, item) for item in channel.items[:FEED_ITEMS])
    bodies = {id_: content_html(site, item, links) for id_, item in sorted(fed.items())}
    for channel in all_channels:
        yield FileSpec(channel.path, render_rss(site, channel, bodies))
    yield FileSpec(JSON_FEED, render_json_feed(site, views, bodies))
