"""News pages: ``/news/`` (paginated), one page per article, one page per tag.

``news_card`` is the shape every list of articles uses (news index, tags, home, branch and club
pages), so an article reads the same wherever it is listed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from .. import i18n, urls
from ..model import NewsItem, Site
from ..plan import PageSpec
from ..views import Views
from ..views.news import NewsPage, Tag
from ..views.text import asset_url, body_text, reading_minutes, summary_of

CARD_SUMMARY_CHARS = 100
DESCRIPTION_CHARS = 150

# Words of the news pages, (Chinese, English).
TEXT: dict[str, tuple[str, str]] = {
    "page_n": ("{title}（第 {n} 页）", "{title} (page {n})"),
    "tag_title": ("标签：{name}", "Tag: {name}"),
    "reading": ("约 {n} 分钟读完", "{n} min read"),
    "newer": ("较新的文章", "Newer articles"),
    "older": ("较早的文章", "Older articles"),
    "previous_article": ("上一篇", "Previous"),
    "next_article": ("下一篇", "Next"),
    "pages": ("分页", "Pages"),
    "tags": ("标签", "Tags"),
    "organisers": ("发布单位", "From"),
    "author": ("作者", "Author"),
    "published": ("发布于", "Published"),
    "all_news": ("全部新闻", "All news"),
    "no_news": ("暂无新闻。", "No news yet."),
    "subscribe_rss": ("RSS 订阅", "RSS feed"),
    "articles": ("{n} 篇文章", "{n} articles"),
}


def say(key: str, language: str, **params: object) -> str:
    zh, en = TEXT[key]
    template = en if i18n.lang_key(language) == "en" else zh
    return template.format(**params)


def news_card(site: Site, item: NewsItem) -> dict[str, Any]:
    """One article as a list shows it: title, link, date, summary, cover image."""
    return {
        "title": item.title,
        "url": urls.news(item.slug),
        "date": i18n.read_date(item.date, site.config.language),
        "iso": item.date.isoformat(),
        "summary": summary_of(item, CARD_SUMMARY_CHARS),
        "image": asset_url(site.config.site_url, item.source.path, item.image),
    }


def organisers(site: Site, item: NewsItem) -> list[dict[str, str]]:
    found = [
        {"name": site.branches[ref].name, "url": urls.branch(site.branches[ref].slug)}
        for ref in item.branches
        if ref in site.branches
    ]
    found += [
        {"name": site.clubs[ref].name, "url": urls.club(site.clubs[ref].slug)}
        for ref in item.clubs
        if ref in site.clubs
    ]
    return found


def tag_links(item: NewsItem, tag_of: Mapping[str, Tag]) -> list[dict[str, str]]:
    links, seen = [], set()
    for name in item.tags:
        tag = tag_of.get(name)
        if tag is not None and tag.slug not in seen:
            seen.add(tag.slug)
            links.append({"name": name, "url": tag.path})
    return links


def jsonld(value: Mapping[str, Any]) -> str:
    """JSON for a ``<script type="application/ld+json">``: '<' escaped so no text ends it."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def article_jsonld(site: Site, item: NewsItem, description: str, image: str) -> str:
    base = site.config.site_url
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": item.title,
        "datePublished": item.date.isoformat(),
        "mainEntityOfPage": urls.absolute(base, urls.news(item.slug)),
        "url": urls.absolute(base, urls.news(item.slug)),
        "description": description,
        "inLanguage": "en" if i18n.lang_key(site.config.language) == "en" else "zh-CN",
        "publisher": {"@type": "Organization", "name": site.config.site_name, "url": base},
    }
    if item.author:
        data["author"] = {"@type": "Person", "name": item.author}
    else:
        data["author"] = {"@type": "Organization", "name": site.config.site_name, "url": base}
    if image:
        data["image"] = [urls.absolute(base, image)]
    if item.tags:
        data["keywords"] = list(item.tags)
    return jsonld(data)


def article_page(
    site: Site, views: Views, item: NewsItem, newer: NewsItem | None, older: NewsItem | None
) -> PageSpec:
    language = site.config.language
    description = summary_of(item, DESCRIPTION_CHARS)
    image = asset_url(site.config.site_url, item.source.path, item.image)
    data: dict[str, Any] = {
        "kind": "news",
        "title": item.title,
        "date": i18n.read_date(item.date, language),
        "iso": item.date.isoformat(),
        "author": item.author,
        "organisers": organisers(site, item),
        "summary": item.summary,
        "image": image,
        "reading": say("reading", language, n=reading_minutes(body_text(item.body))),
        "tags": tag_links(item, views.news.tag_of),
        "newer": {"title": newer.title, "url": urls.news(newer.slug)} if newer else None,
        "older": {"title": older.title, "url": urls.news(older.slug)} if older else None,
        "index_url": urls.news_index(),
        "labels": labels(language),
        "meta": {"type": "article", "image": image},
        "jsonld": article_jsonld(site, item, description, image),
    }
    return PageSpec(
        path=urls.news(item.slug),
        template="yizhan/news.html",
        title=item.title,
        markdown=item.body,
        data=data,
        description=description,
        source=item.source.path,
    )


def labels(language: str) -> dict[str, str]:
    keys = (
        "previous_article",
        "next_article",
        "tags",
        "organisers",
        "author",
        "published",
        "all_news",
        "no_news",
        "newer",
        "older",
        "pages",
        "subscribe_rss",
    )
    return {key: say(key, language) for key in keys}


def pagination(page: NewsPage) -> dict[str, Any]:
    return {
        "number": page.number,
        "count": page.count,
        "previous": page.previous_path,
        "next": page.next_path,
        "pages": [
            {"number": n, "url": urls.news_index(n), "current": n == page.number}
            for n in range(1, page.count + 1)
        ],
    }


def index_page(site: Site, views: Views, page: NewsPage) -> PageSpec:
    language = site.config.language
    title = i18n.label("news", language)
    if page.number > 1:
        title = say("page_n", language, title=title, n=page.number)
    data = {
        "kind": "news_index",
        "title": title,
        "articles": [news_card(site, item) for item in page.items],
        "pagination": pagination(page),
        "tags": [
            {"name": tag.name, "url": tag.path, "count": len(tag.items)} for tag in views.news.tags
        ],
        "feed": urls.rss(),
        "labels": labels(language),
    }
    return PageSpec(path=page.path, template="yizhan/news_index.html", title=title, data=data)


def tag_page(site: Site, tag: Tag) -> PageSpec:
    language = site.config.language
    title = say("tag_title", language, name=tag.name)
    data = {
        "kind": "news_tag",
        "title": title,
        "name": tag.name,
        "count": say("articles", language, n=len(tag.items)),
        "articles": [news_card(site, item) for item in tag.items],
        "index_url": urls.news_index(),
        "labels": labels(language),
    }
    return PageSpec(path=tag.path, template="yizhan/news_tag.html", title=title, data=data)


def pages(site: Site, views: Views) -> Iterator[PageSpec]:
    for page in views.news.pages:
        yield index_page(site, views, page)
    items = views.news.items
    for index, item in enumerate(items):
        newer = items[index - 1] if index > 0 else None
        older = items[index + 1] if index + 1 < len(items) else None
        yield article_page(site, views, item, newer, older)
    for tag in views.news.tags:
        yield tag_page(site, tag)
