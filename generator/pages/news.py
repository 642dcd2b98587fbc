"""News pages: ``/news/`` (paginated), one page per article, one page per tag.

``news_card`` is the shape every list of articles uses (news index, tags, home, branch and club
pages), so an article reads the same wherever it is listed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial
from typing import Any

from .. import i18n, urls
from ..model import NewsItem, Site
from ..plan import PageSpec
from ..views import Views
from ..views.news import NewsPage, Tag, chunked
from ..views.text import Cover, asset_url, body_minutes, summary_of
from .jsonld import jsonld

CARD_SUMMARY_CHARS = 100
DESCRIPTION_CHARS = 150
# Pages listed around the current one in a pagination bar (plus the first and the last), so
# the bar stays the same size however many pages a district's news fills (issue 2).
PAGINATION_WINDOW = 2
# The most used tags shown on /news/; every tag is listed on /news/tags/.
TAG_CLOUD_LIMIT = 40

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
    "articles": ("{n} 篇文章", "{n} article[|s]"),
    "all_tags": ("全部标签", "All tags"),
}


say = partial(i18n.say, TEXT)
"""This page family's words in the site's language (``i18n.say``)."""


def news_card(site: Site, item: NewsItem) -> dict[str, Any]:
    """One article as a list shows it: title, link, date, summary, cover image."""
    return {
        "title": item.title,
        "url": urls.news(item.slug),
        "date": i18n.read_date(item.date, site.config.language),
        "iso": item.date.isoformat(),
        "summary": summary_of(item, CARD_SUMMARY_CHARS),
        "image": asset_url(site.config.site_url, item.source, item.image),
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


def article_jsonld(site: Site, item: NewsItem, description: str, image: str) -> str:
    base = site.config.site_url
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": item.title,
        "datePublished": item.date.isoformat(),
        "mainEntityOfPage": urls.absolute(base, urls.news(item.slug)),
        "url": urls.absolute(base, urls.news(item.slug)),
        "inLanguage": "en" if i18n.lang_key(site.config.language) == "en" else "zh-CN",
        "publisher": {"@type": "Organization", "name": site.config.site_name, "url": base},
    }
    if description:  # an article of a picture alone has no text to describe it with
        data["description"] = description
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
    cover = Cover.of(site.config.site_url, item.source, item.image, item.body)
    data: dict[str, Any] = {
        "kind": "news",
        "title": item.title,
        "date": i18n.read_date(item.date, language),
        "iso": item.date.isoformat(),
        "author": item.author,
        "organisers": organisers(site, item),
        "summary": item.summary,
        "image": cover.shown,
        "reading": say("reading", language, n=int(body_minutes(item.body))),
        "tags": tag_links(item, views.news.tag_of),
        "newer": {"title": newer.title, "url": urls.news(newer.slug)} if newer else None,
        "older": {"title": older.title, "url": urls.news(older.slug)} if older else None,
        "index_url": urls.news_index(),
        "labels": labels(language),
        "meta": {"type": "article", "image": cover.card},
        "jsonld": article_jsonld(site, item, description, cover.shared),
    }
    return PageSpec(
        path=urls.news(item.slug),
        template="yizhan/news.html",
        title=item.title,
        markdown=item.body,
        data=data,
        description=description,
        source=item.source.path,
        updated=item.date.date().isoformat(),
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
        "all_tags",
    )
    return {key: say(key, language) for key in keys}


def page_window(number: int, count: int) -> list[int | None]:
    """Page numbers a pagination bar shows: the first, the last and a few around ``number``;
    ``None`` stands for the pages left out between them (drawn as an ellipsis)."""
    shown = {1, count} | set(range(number - PAGINATION_WINDOW, number + PAGINATION_WINDOW + 1))
    out: list[int | None] = []
    for n in sorted(n for n in shown if 1 <= n <= count):
        if out and out[-1] is not None and n - out[-1] == 2:
            out.append(n - 1)  # one hidden page is shown rather than an ellipsis
        elif out and out[-1] is not None and n - out[-1] > 2:
            out.append(None)
        out.append(n)
    return out


def pagination(number: int, count: int, path_of: Callable[[int], str]) -> dict[str, Any]:
    return {
        "number": number,
        "count": count,
        "previous": path_of(number - 1) if number > 1 else None,
        "next": path_of(number + 1) if number < count else None,
        "pages": [
            {"gap": True} if n is None else {"number": n, "url": path_of(n), "current": n == number}
            for n in page_window(number, count)
        ],
    }


def tag_cloud(tags: Sequence[Tag], limit: int | None) -> list[dict[str, Any]]:
    """Tags by name with their article counts; with ``limit``, only the most used ones."""
    chosen = list(tags)
    if limit is not None and len(chosen) > limit:
        by_use = sorted(chosen, key=lambda tag: (-len(tag.items), tag.slug))[:limit]
        most_used = {tag.slug for tag in by_use}
        chosen = [tag for tag in tags if tag.slug in most_used]
    return [{"name": tag.name, "url": tag.path, "count": len(tag.items)} for tag in chosen]


def index_page(site: Site, views: Views, page: NewsPage) -> PageSpec:
    language = site.config.language
    title = i18n.label("news", language)
    if page.number > 1:
        title = say("page_n", language, title=title, n=page.number)
    data = {
        "kind": "news_index",
        "title": title,
        "articles": [news_card(site, item) for item in page.items],
        "pagination": pagination(page.number, page.count, urls.news_index),
        # The tag cloud is on the first page only: repeated on every page it would weigh more
        # than the articles.
        "tags": tag_cloud(views.news.tags, TAG_CLOUD_LIMIT) if page.number == 1 else [],
        "all_tags": urls.news_tags() if views.news.tags else "",
        "feed": urls.rss(),
        "labels": labels(language),
    }
    return PageSpec(
        path=page.path,
        template="yizhan/news_index.html",
        title=title,
        data=data,
        updated=newest_day(page.items) if page.number == 1 else "",
    )


def tag_pages(site: Site, tag: Tag) -> Iterator[PageSpec]:
    """One tag's articles, in pages of the same size as /news/ (a tag may have hundreds)."""
    language = site.config.language
    chunks = chunked(tag.items, site.config.news_per_page)
    for number, chunk in enumerate(chunks, start=1):
        title = say("tag_title", language, name=tag.name)
        if number > 1:
            title = say("page_n", language, title=title, n=number)
        data = {
            "kind": "news_tag",
            "title": title,
            "name": tag.name,
            "count": say("articles", language, n=len(tag.items)),
            "articles": [news_card(site, item) for item in chunk],
            "pagination": pagination(number, len(chunks), lambda n: urls.news_tag(tag.name, n)),
            "index_url": urls.news_index(),
            "tags_url": urls.news_tags(),
            "labels": labels(language),
        }
        yield PageSpec(
            path=urls.news_tag(tag.name, number),
            template="yizhan/news_tag.html",
            title=title,
            data=data,
            updated=newest_day(chunk) if number == 1 else "",
        )


def tags_page(site: Site, views: Views) -> PageSpec:
    """/news/tags/: every tag with its article count."""
    language = site.config.language
    title = say("all_tags", language)
    data = {
        "kind": "news_tags",
        "title": title,
        "tags": tag_cloud(views.news.tags, None),
        "index_url": urls.news_index(),
        "labels": labels(language),
    }
    return PageSpec(path=urls.news_tags(), template="yizhan/news_tags.html", title=title, data=data)


def newest_day(items: Sequence[NewsItem]) -> str:
    """The sitemap's day of the first page of a list of articles: its newest one's (a new
    article comes in there). Later pages shift with every new article, whatever their own
    articles' dates: they have none (``PageSpec.updated``)."""
    return max(item.date for item in items).date().isoformat() if items else ""


def pages(site: Site, views: Views) -> Iterator[PageSpec]:
    for page in views.news.pages:
        yield index_page(site, views, page)
    items = views.news.items
    for index, item in enumerate(items):
        newer = items[index - 1] if index > 0 else None
        older = items[index + 1] if index + 1 < len(items) else None
        yield article_page(site, views, item, newer, older)
    if views.news.tags:
        yield tags_page(site, views)
    for tag in views.news.tags:
        yield from tag_pages(site, tag)
