"""Small hand-built sites for the news, feed and home tests (no loader needed)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

from generator.model import Branch, Club, NewsItem, Site, SiteConfig, Source

CST = timezone(timedelta(hours=8))
SITE_URL = "https://org.github.io/repo/"
NASTY_TITLE = "<img src=x onerror=alert(1)> & 标题"


def article(id_: str, day: int, **fields: object) -> NewsItem:
    defaults: dict[str, object] = {
        "slug": id_,
        "title": f"文章 {id_}",
        "date": datetime(2026, 4, day, 9, 30, tzinfo=CST),
        "source": Source(f"content/news/2026/{id_}.md", 1, f"news/2026/{id_}.md"),
        "body": f"正文{id_}。社区开展垃圾分类宣传活动。",
    }
    defaults.update(fields)
    return NewsItem(id=id_, **defaults)  # type: ignore[arg-type]


def make_site(news: tuple[NewsItem, ...] = (), **config: object) -> Site:
    settings: dict[str, object] = {
        "site_name": "南部商务区党群服务中心",
        "site_url": SITE_URL,
        "today": date(2026, 4, 28),
    }
    settings.update(config)
    branches = {
        "caizhi": Branch(
            "caizhi",
            "caizhi",
            "财智行业社团党支部",
            Source("content/branches/caizhi.md", 1, "branches/caizhi.md"),
            members=38,
        ),
        "律师行业党支部": Branch(
            "律师行业党支部",
            "lvshi",
            "律师行业党支部",
            Source("content/branches/律师行业党支部.md", 1, "branches/律师行业党支部.md"),
            members=12,
        ),
    }
    clubs = {
        "yujia": Club(
            "yujia",
            "yujia",
            "瑜伽社",
            Source("content/clubs/yujia.md", 1, "clubs/yujia.md"),
            branch="caizhi",
        )
    }
    return Site(
        config=SiteConfig(**settings),  # type: ignore[arg-type]
        branches=branches,
        clubs=clubs,
        news=tuple(sorted(news, key=lambda n: n.date, reverse=True)),
    )


def sample_news() -> tuple[NewsItem, ...]:
    """Five articles: one per branch/club, tags, a nasty title, relative links and images."""
    return (
        article("a1", 1, tags=("垃圾分类", "环保"), branches=("caizhi",)),
        article(
            "a2",
            2,
            title=NASTY_TITLE,
            body="见[活动](../../events/salon.md)与[关于](/about/)。\n\n![图](../../images/p.png)\x0b",
            image="images/cover.jpg",
            clubs=("yujia",),
            tags=("环保",),
        ),
        article("a3", 3, branches=("律师行业党支部",), summary="编者写的摘要。"),
        article("a4", 4, body="长" * 1200, tags=("Party Building", "party-building")),
        article("a5", 5, date=datetime(2026, 4, 5, tzinfo=CST), author="王博"),
    )


def with_news(site: Site, news: tuple[NewsItem, ...]) -> Site:
    return replace(site, news=tuple(sorted(news, key=lambda n: n.date, reverse=True)))
