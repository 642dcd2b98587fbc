"""Pages of organisations and places: branches (as a tree), clubs, venues, and the 大事记."""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Iterator, Sequence
from functools import partial
from typing import Any

from .. import i18n, links, urls
from ..model import Branch, Club, Milestone, PartialDate, Site, Venue
from ..plan import PageSpec
from ..views import Views
from ..views.orgs import BranchNode, name_order
from ..views.text import asset_url, entity_pages, localise_footnotes, render_html, summary_of
from . import subscribe
from .events import more_from, occurrence_card
from .jsonld import jsonld
from .news import DESCRIPTION_CHARS, news_card, pagination

NEWS_ON_PAGE = 10
EVENTS_ON_PAGE = 20

LABELS: dict[str, tuple[str, str]] = {
    "kind": ("组织类型", "Type"),
    "parent": ("上级组织", "Parent"),
    "founded": ("成立时间", "Founded"),
    "members": ("党员人数", "Members"),
    "members_value": ("{n} 名", "{n} member[|s]"),
    "secretary": ("书记", "Secretary"),
    "contact": ("联系方式", "Contact"),
    "address": ("地址", "Address"),
    "category": ("类别", "Category"),
    "sponsor": ("指导党组织", "Sponsoring branch"),
    "venue": ("活动场地", "Venue"),
    "leader": ("负责人", "Leader"),
    "join": ("如何加入", "How to join"),
    "hours": ("开放时间", "Opening hours"),
    "children": ("下属组织", "Sub-branches"),
    "clubs": ("社团", "Clubs"),
    "news": ("新闻动态", "News"),
    "upcoming": ("近期活动", "Upcoming activities"),
    "milestones": ("大事记", "Milestones"),
    "rooms": ("功能室", "Rooms"),
    "room": ("名称", "Room"),
    "capacity": ("容纳人数", "Capacity"),
    "facilities": ("设施", "Facilities"),
    "map": ("在地图上查看", "View on a map"),
    "subscribe": ("订阅", "Subscribe"),
    "rss": ("新闻 RSS", "News RSS"),
    "ics": ("活动日历（iCal）", "Activity calendar (iCal)"),
    "none_upcoming": ("暂无近期活动。", "No upcoming activities."),
    "none": ("暂无。", "None yet."),
    "branches_intro": ("共 {n} 个党组织，{m} 名党员。", "{n} branch[|es], {m} member[|s]."),
    "branches_intro_count": ("共 {n} 个党组织。", "{n} branch[|es]."),
    "clubs_intro": ("共 {n} 个社团。", "{n} club[|s]."),
    "venues_intro": ("共 {n} 处阵地。", "{n} venue[|s]."),
    "branches_none": ("暂无党组织。", "No branches yet."),
    "clubs_none": ("暂无社团。", "No clubs yet."),
    "venues_none": ("暂无阵地。", "No venues yet."),
    "timeline_none": ("暂无大事记。", "No milestones yet."),
    "uncategorised": ("其他", "Other"),
    "more_news": ("全部新闻", "All news"),
    "news_more": ("另有 {n} 篇较早的文章。", "{n} earlier article[|s]."),
    "upcoming_more": ("另有 {n} 场，见", "{n} more, in "),
    "pages": ("分页", "Pages"),
    "newer": ("较近的年份", "Later years"),
    "older": ("更早的年份", "Earlier years"),
    "page_n": ("{title}（第 {n} 页）", "{title} (page {n})"),
}

# Whole years are put on one timeline page until it holds this many milestones, so a district
# with decades of milestones gets a few small pages instead of one long one (issue 2).
MILESTONES_PER_PAGE = 60


say = partial(i18n.say, LABELS)
"""This page family's words in the site's language (``i18n.say``)."""


def labels(language: str) -> dict[str, str]:
    return {key: say(key, language, n="{n}", m="{m}", title="{title}") for key in LABELS}


def pages(site: Site, views: Views) -> Iterator[PageSpec]:
    yield from directory_pages(site, views)
    yield from timeline_pages(site, views)


def directory_pages(
    site: Site, views: Views, only: Container[str] | None = None
) -> Iterator[PageSpec]:
    """The branch, club and venue pages and their indexes; with ``only``, the pages of those
    ids alone besides the indexes (the live preview's refresh, issue 5)."""
    yield branches_index(site, views)
    yield from (branch_page(site, views, b) for b in site.branches.values() if picked(b.id, only))
    yield clubs_index(site, views)
    yield from (club_page(site, views, c) for c in site.clubs.values() if picked(c.id, only))
    yield venues_index(site, views)
    yield from (venue_page(site, views, v) for v in site.venues.values() if picked(v.id, only))


def picked(key: str, only: Container[str] | None) -> bool:
    return only is None or key in only


def read_partial_date(value: PartialDate | None, language: str) -> str:
    if value is None:
        return ""
    return i18n.read_partial_date(value.year, value.month, value.day, language)


def fact(key: str, value: str, language: str, url: str = "") -> dict[str, str] | None:
    if not value:
        return None
    return {"label": say(key, language), "value": value, "url": url}


def facts(*items: dict[str, str] | None) -> list[dict[str, str]]:
    return [item for item in items if item]


def link(name: str, url: str, **extra: str) -> dict[str, str]:
    return {"name": name, "url": url, **extra}


def branch_link(site: Site, branch_id: str) -> dict[str, str]:
    b = site.branches[branch_id]
    return link(b.name, urls.branch(b.slug), kind=b.kind, summary=b.summary)


def club_link(site: Site, club_id: str) -> dict[str, str]:
    c = site.clubs[club_id]
    return link(c.name, urls.club(c.slug), category=c.category, summary=c.summary)


def feeds(site: Site, base: str, name: str, rss: bool = True) -> list[dict[str, Any]]:
    """This page's own feeds, each with its address, webcal:// link and QR code."""
    lang = site.config.language
    found = [subscribe.entry(site, f"{name} · {say('ics', lang)}", f"{base}calendar.ics", True)]
    if rss:
        found.append(subscribe.entry(site, f"{name} · {say('rss', lang)}", urls.rss(base), False))
    return found


def milestone_item(site: Site, m: Milestone, page: str) -> dict[str, Any]:
    """A milestone as the page at ``page`` shows it: on a branch's or club's own page, its
    organisers leave that branch or club out (the page is about it, and a link to itself
    under every milestone is noise)."""
    url = ""
    if m.link_kind == "url" and m.link:
        url = m.link
    elif m.link_kind == "news" and m.link:
        item = next((n for n in site.news if n.id == m.link), None)
        url = urls.news(item.slug) if item else ""
    elif m.link_kind == "event" and m.link in site.events:
        url = urls.event(site.events[m.link].slug)
    lang = site.config.language
    return {
        "date": read_partial_date(m.date, lang),
        "iso": m.date.iso(),
        "title": m.title,
        "url": url,
        "external": m.link_kind == "url",
        "body_html": milestone_body(site, m, page),
        "organisers": [
            o
            for o in [branch_link(site, b) for b in m.branches]
            + [club_link(site, c) for c in m.clubs]
            if o["url"] != page
        ],
    }


def milestone_body(site: Site, m: Milestone, page: str) -> str:
    """A milestone's Markdown as HTML for the page at ``page``: its links and images,
    written relative to its timeline file, lead from the page to what they name (a file of
    an article, an activity … to its page), as an article's do."""
    if not m.body:
        return ""
    made = localise_footnotes(render_html(m.body), site.config.language)
    if "href=" not in made and "src=" not in made:
        return made
    source = m.source.docs_path
    pages = entity_pages(site, links.html_targets(made, source))
    return links.rebase_html(made, source, f"{page}index.md", pages)


def activity_cards(site: Site, occurrences: Iterable[Any], here: str = "") -> list[dict[str, Any]]:
    """The first ``EVENTS_ON_PAGE`` occurrences as cards; on venue ``here``'s own page, those
    held there do not name it on every row."""
    cards = []
    for occ in list(occurrences)[:EVENTS_ON_PAGE]:
        card = occurrence_card(site, occ)
        cards.append({**card, "place": "", "place_url": ""} if here and occ.venue == here else card)
    return cards


def more_activities(site: Site, occurrences: Sequence[Any]) -> dict[str, Any] | None:
    """What a page's list of activities leaves out: how many, and the month grid they go on
    from (a list cut at ``EVENTS_ON_PAGE`` said nothing of the rest)."""
    found = more_from(site, occurrences, EVENTS_ON_PAGE)
    if found is None:
        return None
    return {**found, "n": len(occurrences) - EVENTS_ON_PAGE}


def members_text(b: Branch, language: str) -> str:
    """``38 名`` / "2,577 members", or "" when the branch gives no number."""
    if b.members is None:
        return ""
    return say("members_value", language, n=i18n.read_number(b.members, language))


def tree_item(site: Site, node: BranchNode) -> dict[str, Any]:
    return {
        **branch_link(site, node.id),
        "members": members_text(site.branches[node.id], site.config.language),
        "children": [tree_item(site, child) for child in node.children],
    }


def branches_index(site: Site, views: Views) -> PageSpec:
    lang = site.config.language
    return PageSpec(
        path=urls.branches_index(),
        template="yizhan/branches.html",
        title=i18n.label("branches", lang),
        data={
            "intro": (
                say("branches_none", lang)
                if not site.branches
                else say("branches_intro_count", lang, n=len(site.branches))
                if views.orgs.members_total is None
                else say(
                    "branches_intro",
                    lang,
                    n=len(site.branches),
                    m=i18n.read_number(views.orgs.members_total, lang),
                )
            ),
            "tree": [tree_item(site, node) for node in views.orgs.tree],
            "labels": labels(lang),
        },
    )


# A contact that is a telephone number and nothing else: digits with the separators people
# write (0574-87000100, +86 574 8700 0100, (0574) 87000100). One that names a desk or adds a
# note (0574-87000100（党群驿站服务台）) is text for a reader, not a schema.org telephone.
PHONE_RE = re.compile(r"\+?[0-9()][0-9() -]*[0-9]")


def telephone(contact: str) -> str:
    """``contact`` when it is a phone number alone (PHONE_RE), else ""."""
    text = contact.strip()
    digits = sum(ch.isdigit() for ch in text)
    return text if PHONE_RE.fullmatch(text) and 5 <= digits <= 20 else ""


def venue_jsonld(site: Site, v: Venue, description: str) -> str:
    """schema.org Place of a venue's page, as safe text for a <script> element."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Place",
        "name": v.name,
        "url": urls.absolute(site.config.site_url, urls.venue(v.slug)),
    }
    if v.address:
        data["address"] = v.address
    if v.lat is not None and v.lon is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": v.lat, "longitude": v.lon}
    if phone := telephone(v.contact):
        data["telephone"] = phone
    if description:
        data["description"] = description
    return jsonld(data)


def org_jsonld(
    site: Site,
    name: str,
    url: str,
    description: str,
    founded: PartialDate | None,
    parent: Branch | None = None,
    address: str = "",
) -> str:
    """schema.org Organization of a branch's or club's page (``url`` site-relative), as safe
    text for a <script> element. ``foundingDate`` is ISO 8601 to the precision the editor
    gave (2013, 2013-05 or 2013-05-01), as schema.org's Date allows."""
    base = site.config.site_url
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": name,
        "url": urls.absolute(base, url),
    }
    if description:
        data["description"] = description
    if founded is not None:
        data["foundingDate"] = founded.iso()
    if parent is not None:
        data["parentOrganization"] = {
            "@type": "Organization",
            "name": parent.name,
            "url": urls.absolute(base, urls.branch(parent.slug)),
        }
    if address:
        data["address"] = address
    return jsonld(data)


def branch_page(site: Site, views: Views, b: Branch) -> PageSpec:
    lang = site.config.language
    parent = site.branches.get(b.parent) if b.parent else None
    events = views.orgs.events_by_branch.get(b.id, frozenset())
    news = views.news.for_branch(b.id)
    members = members_text(b, lang)
    description = summary_of(b, DESCRIPTION_CHARS)
    return PageSpec(
        path=urls.branch(b.slug),
        template="yizhan/branch.html",
        title=b.name,
        markdown=b.body,
        description=description,
        source=b.source.path,
        data={
            "name": b.name,
            "summary": b.summary,
            "image": asset_url(site.config.site_url, b.source, b.image),
            "facts": facts(
                fact("kind", b.kind, lang),
                fact(
                    "parent",
                    parent.name if parent else "",
                    lang,
                    urls.branch(parent.slug) if parent else "",
                ),
                fact("founded", read_partial_date(b.founded, lang), lang),
                fact("members", members, lang),
                fact("secretary", b.secretary, lang),
                fact("contact", b.contact, lang),
                fact("address", b.address, lang),
            ),
            "children": [branch_link(site, c) for c in views.orgs.children.get(b.id, ())],
            "clubs": [club_link(site, c) for c in views.orgs.clubs_by_branch.get(b.id, ())],
            "news": [news_card(site, n) for n in news[:NEWS_ON_PAGE]],
            "news_more": max(len(news) - NEWS_ON_PAGE, 0),
            "upcoming": activity_cards(site, upcoming := views.calendar.upcoming_where(events)),
            "upcoming_more": more_activities(site, upcoming),
            "milestones": [
                milestone_item(site, m, urls.branch(b.slug))
                for m in views.orgs.milestones_by_branch.get(b.id, ())
            ],
            "feeds": feeds(site, urls.branch(b.slug), b.name),
            "feed_labels": subscribe.labels(lang),
            "labels": labels(lang),
            "jsonld": org_jsonld(
                site, b.name, urls.branch(b.slug), description, b.founded, parent, b.address
            ),
        },
    )


def clubs_index(site: Site, views: Views) -> PageSpec:
    lang = site.config.language
    groups: dict[str, list[dict[str, str]]] = {}
    for club in sorted(site.clubs.values(), key=lambda c: (name_order(c.name), c.id)):
        groups.setdefault(club.category or say("uncategorised", lang), []).append(
            club_link(site, club.id)
        )
    categorised = any(club.category for club in site.clubs.values())
    return PageSpec(
        path=urls.clubs_index(),
        template="yizhan/clubs.html",
        title=i18n.label("clubs", lang),
        data={
            "intro": say("clubs_intro", lang, n=len(site.clubs))
            if site.clubs
            else say("clubs_none", lang),
            # clubs of no category are "other" clubs only beside clubs of one
            "groups": [
                {"name": name if categorised else "", "clubs": groups[name]}
                for name in sorted(groups, key=name_order)
            ],
            "labels": labels(lang),
        },
    )


def club_page(site: Site, views: Views, c: Club) -> PageSpec:
    lang = site.config.language
    branch = site.branches.get(c.branch) if c.branch else None
    venue = site.venues.get(c.venue) if c.venue else None
    events = views.orgs.events_by_club.get(c.id, frozenset())
    news = views.news.for_club(c.id)
    description = summary_of(c, DESCRIPTION_CHARS)
    return PageSpec(
        path=urls.club(c.slug),
        template="yizhan/club.html",
        title=c.name,
        markdown=c.body,
        description=description,
        source=c.source.path,
        data={
            "name": c.name,
            "summary": c.summary,
            "image": asset_url(site.config.site_url, c.source, c.image),
            "facts": facts(
                fact("category", c.category, lang),
                fact(
                    "sponsor",
                    branch.name if branch else "",
                    lang,
                    urls.branch(branch.slug) if branch else "",
                ),
                fact(
                    "venue",
                    venue.name if venue else "",
                    lang,
                    urls.venue(venue.slug) if venue else "",
                ),
                fact("founded", read_partial_date(c.founded, lang), lang),
                fact("leader", c.leader, lang),
                fact("contact", c.contact, lang),
            ),
            "join": c.join,
            "news": [news_card(site, n) for n in news[:NEWS_ON_PAGE]],
            "news_more": max(len(news) - NEWS_ON_PAGE, 0),
            "upcoming": activity_cards(site, upcoming := views.calendar.upcoming_where(events)),
            "upcoming_more": more_activities(site, upcoming),
            "milestones": [
                milestone_item(site, m, urls.club(c.slug))
                for m in views.orgs.milestones_by_club.get(c.id, ())
            ],
            "feeds": feeds(site, urls.club(c.slug), c.name),
            "feed_labels": subscribe.labels(lang),
            "labels": labels(lang),
            "jsonld": org_jsonld(site, c.name, urls.club(c.slug), description, c.founded),
        },
    )


def venue_link(site: Site, v: Venue) -> dict[str, str]:
    return link(v.name, urls.venue(v.slug), address=v.address, hours=v.hours, summary=v.summary)


def venues_index(site: Site, views: Views) -> PageSpec:
    lang = site.config.language
    return PageSpec(
        path=urls.venues_index(),
        template="yizhan/venues.html",
        title=i18n.label("venues", lang),
        data={
            "intro": say("venues_intro", lang, n=len(site.venues))
            if site.venues
            else say("venues_none", lang),
            "venues": [
                venue_link(site, v)
                for v in sorted(site.venues.values(), key=lambda v: (name_order(v.name), v.id))
            ],
            "labels": labels(lang),
        },
    )


def venue_page(site: Site, views: Views, v: Venue) -> PageSpec:
    lang = site.config.language
    map_url = ""
    if v.lat is not None and v.lon is not None:
        # A plain link (no embedded map): pages must not load anything from third-party hosts.
        map_url = f"https://www.openstreetmap.org/?mlat={v.lat}&mlon={v.lon}#map=17/{v.lat}/{v.lon}"
    description = summary_of(v, DESCRIPTION_CHARS)
    return PageSpec(
        path=urls.venue(v.slug),
        template="yizhan/venue.html",
        title=v.name,
        markdown=v.body,
        description=description,
        source=v.source.path,
        data={
            "name": v.name,
            "summary": v.summary,
            "image": asset_url(site.config.site_url, v.source, v.image),
            "facts": facts(
                fact("address", v.address, lang),
                fact("hours", v.hours, lang),
                fact("contact", v.contact, lang),
            ),
            "map_url": map_url,
            "rooms": [
                {
                    "name": r.name,
                    "capacity": "" if r.capacity is None else str(r.capacity),
                    "facilities": "、".join(r.facilities)
                    if lang == "zh"
                    else ", ".join(r.facilities),
                }
                for r in v.rooms
            ],
            "clubs": [club_link(site, c) for c in views.orgs.clubs_by_venue.get(v.id, ())],
            "upcoming": activity_cards(
                site, upcoming := views.calendar.upcoming_at_venue(v.id), v.id
            ),
            "upcoming_more": more_activities(site, upcoming),
            "feeds": feeds(site, urls.venue(v.slug), v.name, rss=False),
            "feed_labels": subscribe.labels(lang),
            "labels": labels(lang),
            "jsonld": venue_jsonld(site, v, description),
        },
    )


def timeline_chunks(
    years: tuple[tuple[int, tuple[Milestone, ...]], ...],
) -> list[list[tuple[int, tuple[Milestone, ...]]]]:
    """Years, newest first, in pages of whole years of at most MILESTONES_PER_PAGE milestones
    (a year with more than that has a page of its own)."""
    chunks: list[list[tuple[int, tuple[Milestone, ...]]]] = [[]]
    count = 0
    for year, items in years:
        if chunks[-1] and count + len(items) > MILESTONES_PER_PAGE:
            chunks.append([])
            count = 0
        chunks[-1].append((year, items))
        count += len(items)
    return chunks


def timeline_pages(site: Site, views: Views) -> Iterator[PageSpec]:
    lang = site.config.language
    chunks = timeline_chunks(views.orgs.milestone_years)
    # Every page's year list links every year, on whichever page it is.
    year_links = [
        {"year": str(year), "url": urls.timeline(number)}
        for number, chunk in enumerate(chunks, start=1)
        for year, _ in chunk
    ]
    for number, chunk in enumerate(chunks, start=1):
        title = i18n.label("timeline", lang)
        if number > 1:
            title = say("page_n", lang, title=title, n=number)
        yield PageSpec(
            path=urls.timeline(number),
            template="yizhan/timeline.html",
            title=title,
            data={
                "years": [
                    {
                        "year": str(year),
                        "entries": [milestone_item(site, m, urls.timeline(number)) for m in items],
                    }
                    for year, items in chunk
                ],
                "year_links": year_links,
                "pagination": pagination(number, len(chunks), urls.timeline),
                "labels": labels(lang),
            },
        )
