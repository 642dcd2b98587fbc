"""The home page: what is on soon, what happened lately, who is here, and figures from content."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from .. import i18n, urls
from ..model import Site
from ..plan import PageSpec
from ..views import Views
from .events import occurrence_card
from .jsonld import jsonld
from .news import news_card

UPCOMING_ON_HOME = 6
NEWS_ON_HOME = 5
ORGS_ON_HOME = 12

TEXT: dict[str, tuple[str, str]] = {
    "upcoming": ("近期活动", "Upcoming activities"),
    "news": ("最新动态", "Latest news"),
    "branches": ("党组织", "Branches"),
    "clubs": ("社团", "Clubs"),
    "figures": ("数说驿站", "At a glance"),
    # English labels: "one|other", chosen by the figure ("1 Branch", "3 Branches")
    "fig_branches": ("党组织", "Branch|Branches"),
    "fig_members": ("党员", "Party member|Party members"),
    "fig_clubs": ("社团", "Club|Clubs"),
    "fig_events": ("{year}年活动", "Activity in {year}|Activities in {year}"),
    "unit_branches": ("个", ""),
    "unit_members": ("名", ""),
    "unit_clubs": ("个", ""),
    "unit_events": ("场", ""),
    "all_events": ("全部活动", "All activities"),
    "all_news": ("全部新闻", "All news"),
    "all_branches": ("全部党组织", "All branches"),
    "all_clubs": ("全部社团", "All clubs"),
    "subscribe": ("订阅活动日历与新闻", "Subscribe to activities and news"),
    "none_upcoming": ("暂无近期活动。", "No upcoming activities."),
    "none_news": ("暂无新闻。", "No news yet."),
}


say = partial(i18n.say, TEXT)
"""This page family's words in the site's language (``i18n.say``)."""


def activities_in_year(site: Site, views: Views) -> int:
    """Occurrences starting in the build's year (site zone), cancelled ones not counted."""
    zone = ZoneInfo(site.config.timezone)
    year = site.config.today.year
    count = 0
    for occurrences in views.calendar.by_event.values():
        for occ in occurrences:
            start = occ.start.astimezone(zone) if isinstance(occ.start, datetime) else occ.start
            if start.year == year and occ.status != "cancelled":
                count += 1
    return count


def figures(site: Site, views: Views) -> list[dict[str, str]]:
    language = site.config.language
    members = views.orgs.members_total
    year = site.config.today.year
    rows = [
        ("fig_branches", "unit_branches", len(site.branches), urls.branches_index()),
        *(
            []
            if members is None
            else [("fig_members", "unit_members", members, urls.branches_index())]
        ),
        ("fig_clubs", "unit_clubs", len(site.clubs), urls.clubs_index()),
        ("fig_events", "unit_events", activities_in_year(site, views), urls.events_index()),
    ]
    return [
        {
            "label": plural(say(label, language, year=year), value),
            "value": i18n.read_number(value, language),
            "unit": say(unit, language),
            "url": url,
        }
        for label, unit, value, url in rows
        if value  # "0个 社团" tells a resident nothing: a new site has no figures yet
    ]


def plural(label: str, value: int) -> str:
    """The form of a figure's ``one|other`` label its value takes (a label without ``|``,
    Chinese, is the same for every number)."""
    one, _, other = label.partition("|")
    return one if value == 1 or not other else other


def glance(site: Site) -> dict[str, list[dict[str, str]]]:
    """Branches (top level first) and clubs, a dozen each, by name."""
    branches = sorted(site.branches.values(), key=lambda b: (b.parent is not None, b.name, b.id))
    clubs = sorted(site.clubs.values(), key=lambda c: (c.name, c.id))
    return {
        "branches": [
            {"name": b.name, "url": urls.branch(b.slug), "note": b.kind}
            for b in branches[:ORGS_ON_HOME]
        ],
        "clubs": [
            {"name": c.name, "url": urls.club(c.slug), "note": c.category}
            for c in clubs[:ORGS_ON_HOME]
        ],
    }


def website_jsonld(site: Site) -> str:
    return jsonld(
        {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": site.config.site_name,
            "url": site.config.site_url,
            "inLanguage": "en" if i18n.lang_key(site.config.language) == "en" else "zh-CN",
        }
    )


def pages(site: Site, views: Views) -> Iterator[PageSpec]:
    language = site.config.language
    keys = (
        "upcoming",
        "news",
        "branches",
        "clubs",
        "figures",
        "all_events",
        "all_news",
        "all_branches",
        "all_clubs",
        "subscribe",
        "none_upcoming",
        "none_news",
    )
    data: dict[str, Any] = {
        "kind": "home",
        "title": site.config.site_name,
        "upcoming": [occurrence_card(site, o) for o in views.calendar.upcoming[:UPCOMING_ON_HOME]],
        "news": [news_card(site, item) for item in views.news.items[:NEWS_ON_HOME]],
        "figures": figures(site, views),
        **glance(site),
        "links": {
            "events": urls.events_index(),
            "news": urls.news_index(),
            "branches": urls.branches_index(),
            "clubs": urls.clubs_index(),
            "subscribe": urls.subscribe(),
            "rss": urls.rss(),
        },
        "labels": {key: say(key, language) for key in keys},
        "meta": {"type": "website", "image": ""},
        "jsonld": website_jsonld(site),
    }
    yield PageSpec(
        path=urls.home(),
        template="yizhan/home.html",
        title=site.config.site_name,
        markdown=site.home_text,
        data=data,
        source="content/index.md" if site.home_text else "",
    )
