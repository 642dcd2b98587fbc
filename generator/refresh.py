"""The live preview's refresh (issue 5): after activities or articles are saved, every page
and file that shows them, made from the last full build's site in well under a second instead
of a whole build.

``yizhan serve`` writes these into the folder it serves, so listings and feeds are up to date
right away, then rebuilds everything into a new folder that replaces it (``build.plan_site``):
the full run reports every problem and indexes the search.

Why this is enough: an activity's own page, ``.ics``, VEVENTs, occurrences and line of
``events.json`` read nothing but the activity, its history and the site's organisations, venues
and settings, which an edit of activities or articles leaves as they were; an article's page
reads itself and its two neighbours. So the other activities' and articles' outputs are reused,
and only the pages that list an edited one before or after the edit are made again: for an
activity the home, upcoming and past pages, its months and categories (and the list of
categories when their numbers of activities change), its organisers' and venues' pages and
their indexes, the calendars that carry it and ``events.json``; for an article the news index
and tag pages it is or was on (the first index page and the tag list when tags change), its own
and its neighbours' pages, its organisers' pages, and the RSS channels and JSON Feed whose
articles read differently. A new activity or article is an edit from nothing: its own page (and
an activity's calendar) is added, at an address no page or redirect of the last build had, and
so is the index or tag page an article more begins. A deleted activity or article is an edit to
nothing: its page goes (an activity's calendar and redirects too; ``Refreshed.gone_pages``,
``gone_files``), and so do the index or tag pages one article less ends; the same listings and
feeds are made again. A renamed file is a deletion and a new file. Anything beyond that (a
deleted activity or article that a milestone or a page links to, a category appearing
or going, a new first year of a time zone, another kind of file, an edit with an
error) is left to the full run (``None``). Tests hold each refresh to the full plan's changes,
page by page and byte by byte.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

from . import history, load, urls
from .build import rebase_page
from .model import Event, EventHistory, NewsItem, Site
from .outputs import ical, jsondata, rss
from .pages import events, home, orgs
from .pages import news as news_pages
from .plan import FileSpec, PageSpec
from .quick import Previous, new_activity, new_article, reloaded, same_activity, same_article
from .views import Views, calendar
from .views import news as news_views
from .views import orgs as orgs_views
from .views.calendar import Feed, calendar_feeds, override_venue
from .views.text import pages_by_source


@dataclass(frozen=True)
class Refreshed:
    previous: Previous
    """The site as it is now served: where the next edit starts from."""
    pages: tuple[PageSpec, ...]
    """Pages whose spec changed (the edited activities' own included)."""
    files: tuple[FileSpec, ...]
    """The feeds that carry an edited activity, ``events.json``, redirects that changed."""
    gone_pages: tuple[PageSpec, ...] = ()
    """Pages of the last build the edit takes away (a deleted activity's own)."""
    gone_files: tuple[str, ...] = ()
    """Files of the last build the edit takes away (a deleted activity's calendar and the
    redirects to its page)."""


class Outputs:
    """Each activity's VEVENTs and line of ``events.json`` for one site: taken from the files
    a full build wrote (``adopt``) or made in the background after it (``warm``), then carried
    from refresh to refresh."""

    def __init__(self, site: Site, views: Views) -> None:
        self.site, self.views = site, views
        self.writer = ical.FeedWriter(site)
        self.lines: dict[str, bytes] = {}
        self.feeds: list[Feed] = []
        self.lock = threading.Lock()
        self.stopping = False

    def adopt(self, site: Site, calendar: bytes | None, events_json: bytes | None) -> None:
        """Take what the full build of ``site`` wrote (the whole site's calendar and
        ``events.json``) instead of making it again, where it has the expected shape
        (``ical.vevents_of``, ``jsondata.lines_of``): ~0.1 s instead of ~2 s of ``warm`` on
        a district. Nothing is taken once a refresh has moved on to another site."""
        with self.lock:
            if self.site is not site:
                return
            if not self.feeds:
                self.feeds = calendar_feeds(self.site)
            whole = next((f for f in self.feeds if f.kind == "all"), None)
            if calendar is not None and whole is not None:
                found = ical.vevents_of(self.site, whole, calendar)
                if found is not None:
                    self.writer.event_bytes.update(found)
            lines = jsondata.lines_of(self.site, events_json) if events_json is not None else None
            if lines is not None:
                self.lines.update(lines)

    def warm(self, background: bool = False) -> None:
        """Make what is not made yet (the lock: a refresh waits for the background run, which
        ends early once ``stop`` is called)."""
        with self.lock:
            if not self.feeds:
                self.feeds = calendar_feeds(self.site)
            for event_id, event in self.site.events.items():
                if background and self.stopping:
                    return
                if event_id not in self.writer.event_bytes:
                    self.writer.vevents(event_id)
                if event_id not in self.lines:
                    self.lines[event_id] = jsondata.event_line(self.site, self.views, event)

    def stop(self) -> None:
        """End the background ``warm`` for good (a full build is about to run, and it uses
        the memo); a refresh still makes what it needs."""
        self.stopping = True
        with self.lock:
            pass


def refresh(previous: Previous, changed: Iterable[str], outputs: Outputs) -> Refreshed | None:
    """The pages and files the edits of ``changed`` files (site-relative paths) change, or None
    when any of them needs the full run (see the module's docstring). ``outputs`` must be of
    ``previous.site``; it is brought up to the new site."""
    site = previous.site
    edits = edited_entities(previous, changed)
    if edits is None or outputs.site is not site:
        return None
    events_edited, news_edited = edits.events, edits.news
    removed, removed_news = edits.removed_events, edits.removed_news
    if (removed or removed_news) and referenced(previous, edits):
        return None
    # in id order, as ``validate`` makes them (a new activity's place among the others)
    kept = {i: e for i, e in {**site.events, **events_edited}.items() if i not in removed}
    site = replace(site, events=dict(sorted(kept.items())))
    kept_history = {i: h for i, h in site.history.items() if i not in removed}
    site = replace(site, history={**kept_history, **histories(previous, site, events_edited)})
    articles_changed = bool(news_edited or removed_news)
    if articles_changed:
        articles = [news_edited.get(n.id, n) for n in site.news if n.id not in removed_news]
        known = {item.id for item in site.news}
        articles.extend(item for i, item in news_edited.items() if i not in known)
        articles.sort(key=lambda n: (n.date, n.id), reverse=True)  # as ``validate`` orders them
        site = replace(site, news=tuple(articles))
    before = previous.views
    views = Views(
        calendar=calendar.updated(before.calendar, site, [*events_edited, *removed]),
        # perf (issue 5): the views an edit cannot change are the last build's
        news=news_views.derive(site) if articles_changed else before.news,
        orgs=(
            before.orgs
            if not removed and same_organisers(previous.site.events, events_edited)
            else orgs_views.derive(site)
        ),
    )
    if not same_listings(previous.views, views):
        return None
    planned = planned_pages(previous, site, views, edits)
    if planned is None:
        return None
    pages, gone = planned
    files: list[FileSpec] = []
    if articles_changed:
        made = news_files(previous, site, views)
        if made is None:
            return None
        files.extend(made)
    gone_files: list[str] = []
    if events_edited or removed:
        outputs.warm()
        made = refreshed_files(site, views, events_edited, outputs, removed)
        if made is None:
            return None
        files.extend(made)
        gone_files.extend(sorted(own_calendars(previous.site, removed)))
        redirects, gone_redirects = changed_redirects(previous.site, site)
        files.extend(redirects)
        gone_files.extend(gone_redirects)
    else:  # the activities' outputs stay as they are, for the next refresh
        outputs.site, outputs.views, outputs.writer.site = site, views, site
    changed_pages = tuple(p for p in pages if previous.pages.get(p.src_uri) != p)
    kept_pages = {uri: p for uri, p in previous.pages.items() if uri not in gone}
    now = replace(
        previous,
        site=site,
        views=views,
        pages={**kept_pages, **{p.src_uri: p for p in changed_pages}},
    )
    gone_pages = tuple(previous.pages[uri] for uri in sorted(gone))
    return Refreshed(now, changed_pages, tuple(files), gone_pages, tuple(gone_files))


@dataclass(frozen=True)
class Edits:
    """What the saved and deleted files are, by id."""

    events: dict[str, Event]
    news: dict[str, NewsItem]
    removed_events: dict[str, Event]
    removed_news: dict[str, NewsItem]


def edited_entities(previous: Previous, changed: Iterable[str]) -> Edits | None:
    """The saved and the deleted activities and articles; None unless each saved one is
    published, without errors, and an existing one keeping its file and slug or a new one
    taking a free address (``quick.new_activity``, ``quick.new_article``), and each file gone
    was an activity's or an article's."""
    edits = Edits({}, {}, {}, {})
    by_source: dict[str, Event | NewsItem] | None = None
    for rel in sorted(set(changed)):
        if not (previous.root / rel).exists():
            if by_source is None:
                by_source = {e.source.path: e for e in previous.site.events.values()}
                by_source.update((n.source.path, n) for n in previous.site.news)
            gone = by_source.get(rel)
            if isinstance(gone, Event):
                edits.removed_events[gone.id] = gone
            elif isinstance(gone, NewsItem):
                edits.removed_news[gone.id] = gone
            else:  # another kind of file, a folder: the full run
                return None
            continue
        entity = reloaded(previous, rel)
        if isinstance(entity, Event):
            if not (same_activity(previous, entity) or new_activity(previous, entity)):
                return None
            edits.events[entity.id] = entity
        elif isinstance(entity, NewsItem):
            if not (same_article(previous, entity) or new_article(previous, entity)):
                return None
            edits.news[entity.id] = entity
        else:
            return None
    if not (edits.events or edits.news or edits.removed_events or edits.removed_news):
        return None
    return edits


def own_page(entity: Event | NewsItem) -> str:
    """The source name (``PageSpec.src_uri``) of an activity's or article's own page."""
    folder = urls.event(entity.slug) if isinstance(entity, Event) else urls.news(entity.slug)
    return f"{folder}index.md"


def referenced(previous: Previous, edits: Edits) -> bool:
    """Whether something the full run would report or render differently names a deleted
    activity or article: a milestone's link, or a link in any page's Markdown (the generated
    pages', the free pages' of the content folder, milestones' text), found by the file name
    or address (a mention of either in plain text only costs the refresh)."""
    events, news = edits.removed_events, edits.removed_news
    if any(
        (m.link_kind == "event" and m.link in events) or (m.link_kind == "news" and m.link in news)
        for m in previous.site.milestones
    ):
        return True
    gone: list[Event | NewsItem] = [*events.values(), *news.values()]
    names = {name for e in gone for name in (PurePosixPath(e.source.path).name, e.slug)}
    own = {own_page(e) for e in gone}
    bodies = (page.markdown for uri, page in previous.pages.items() if uri not in own)
    notes = (m.body for m in previous.site.milestones)  # linking its file, relative to theirs
    return any(name in body for body in (*bodies, *notes, *free_pages(previous)) for name in names)


def free_pages(previous: Previous) -> list[str]:
    """The Markdown of the content folder's own pages (``about.md`` …): not under a folder of
    entities, so none of them is one of the build's planned pages (perf: those folders, with
    a district's 20,000 files, are not walked)."""
    content = previous.root / previous.site.config.content_dir.strip("/")
    found = []
    for folder, dirs, names in os.walk(content):
        if Path(folder) == content:
            dirs[:] = [d for d in dirs if d not in load.KIND_DIRS]
        dirs.sort()
        for name in sorted(n for n in names if n.endswith(".md")):
            try:
                found.append((Path(folder) / name).read_text(encoding="utf-8", errors="replace"))
            except OSError:
                continue
    return found


def histories(
    previous: Previous, site: Site, edited: Mapping[str, Event]
) -> dict[str, EventHistory]:
    """The edited activities' histories: SEQUENCE counts an uncommitted change of time, place,
    status or rule. Same file and slug, so the same UID and former slugs as before."""
    before = previous.site.history
    if previous.repository is None:  # no Git, or history switched off: ids alone
        site_url = site.config.uid_base
        return {i: before.get(i) or history.default_history(i, site_url) for i in edited}
    only = replace(site, events=dict(edited))
    found, _ = history.derive_history(
        previous.root,
        f"{site.config.content_dir.strip('/')}/events",
        only,
        repository=lambda: previous.repository,
    )
    return {
        i: replace(h, former_slugs=before[i].former_slugs) if i in before else h
        for i, h in found.items()
    }


def same_organisers(before: Mapping[str, Event], edited: Mapping[str, Event]) -> bool:
    """Whether every edited activity is one of ``before`` with the same branches and clubs
    (the organisations' views list activities by them, and nothing else of activities)."""
    return all(
        i in before
        and set(before[i].branches) == set(e.branches)
        and set(before[i].clubs) == set(e.clubs)
        for i, e in edited.items()
    )


def same_listings(before: Views, now: Views) -> bool:
    """Whether the calendar has the same category pages as before."""
    return before.calendar.categories.keys() == now.calendar.categories.keys()


def planned_pages(
    previous: Previous, site: Site, views: Views, edits: Edits
) -> tuple[list[PageSpec], set[str]] | None:
    """The pages the saved and deleted activities and articles are or were on, the saved
    ones' own, and the source names of the pages that go (deleted ones' own, and the index and
    tag pages an article less ends); None if a page is new but a new activity's or article's
    own and the index and tag pages a new article adds (the full run adds other pages)."""
    before = previous.site.events
    known = {item.id for item in previous.site.news}
    added = {own_page(e) for i, e in edits.events.items() if i not in before}
    added.update(own_page(n) for i, n in edits.news.items() if i not in known)
    removed: list[Event | NewsItem] = [*edits.removed_events.values(), *edits.removed_news.values()]
    gone = {own_page(e) for e in removed}
    made = [*home.pages(site, views)]
    organisers: set[str] = set()
    if edits.events or edits.removed_events:
        made.extend(activity_pages(previous, site, views, edits, organisers, added, gone))
    if edits.news or edits.removed_news:
        edited = {**edits.news, **edits.removed_news}
        found = article_pages(previous, site, views, edited, organisers, added, gone)
        if found is None:
            return None
        made.extend(found)
    made.extend(orgs.directory_pages(site, views, organisers))
    content_dir = site.config.content_dir
    pages = [rebase_page(p, content_dir, previous.moved) for p in made]
    if any(p.src_uri not in previous.pages and p.src_uri not in added for p in pages):
        return None
    if not gone <= previous.pages.keys():
        return None
    return pages, gone


def activity_pages(
    previous: Previous,
    site: Site,
    views: Views,
    edits: Edits,
    organisers: set[str],
    grown: set[str],
    shrunk: set[str],
) -> list[PageSpec]:
    """The calendar pages the edited and deleted activities are or were on, and the edited
    ones' own; their organisers and venues go into ``organisers``, the month pages the
    calendar's range of months gains into ``grown`` and those it loses into ``shrunk``."""
    edited, removed = edits.events, edits.removed_events
    before = previous.site.events
    versions = [*edited.values(), *(before[i] for i in [*edited, *removed] if i in before)]
    occurrences = [
        occ
        for i in [*edited, *removed]
        for occs in (
            previous.views.calendar.by_event.get(i, ()),
            views.calendar.by_event.get(i, ()),
        )
        for occ in occs
    ]
    zone = ZoneInfo(views.calendar.zone)
    months = {(day.year, day.month) for occ in occurrences for day in occ.days(zone)}
    months.update(
        ranged_months(previous.views.calendar.months, views.calendar.months, grown, shrunk)
    )
    categories = {category for event in versions for category in event.categories}
    organisers.update(key for event in versions for key in (*event.branches, *event.clubs))
    organisers.update(occ.venue for occ in occurrences if occ.venue)
    organisers.update(event.venue for event in versions if event.venue)
    made = [
        *events.listing_pages(site, views, months, categories),
        *(events.event_page(site, views, event) for event in edited.values()),
    ]
    if categories:  # the list of categories counts their activities
        index = events.categories_page(site, views)
        if index != events.categories_page(previous.site, previous.views):
            made.append(index)
    return made


def ranged_months(
    before: tuple[tuple[int, int], ...],
    now: tuple[tuple[int, int], ...],
    grown: set[str],
    shrunk: set[str],
) -> set[tuple[int, int]]:
    """The months whose grid is new or links other months than before (an activity in a
    month after the last grid, or none left in the first one, moves an end of the range);
    the pages of months new to the range go into ``grown``, those out of it now into
    ``shrunk``."""

    def links(months: tuple[tuple[int, int], ...]) -> dict[tuple[int, int], tuple[object, object]]:
        padded = [None, *months, None]
        return {m: (padded[i], padded[i + 2]) for i, m in enumerate(months)}

    old, new = links(before), links(now)
    grown.update(f"{urls.events_month(*m)}index.md" for m in new.keys() - old.keys())
    shrunk.update(f"{urls.events_month(*m)}index.md" for m in old.keys() - new.keys())
    return {m for m, around in new.items() if old.get(m) != around}


def article_pages(
    previous: Previous,
    site: Site,
    views: Views,
    edited: Mapping[str, NewsItem],
    organisers: set[str],
    grown: set[str],
    shrunk: set[str],
) -> list[PageSpec] | None:
    """The news pages the saved or deleted articles ``edited`` are or were on (index and tag
    pages, the saved ones' own and their neighbours' pages); their branches and clubs go into
    ``organisers``, pages of the index or of a tag that a new article adds at their end into
    ``grown``, and those an article less ends into ``shrunk``: a new tag's pages are grown,
    a tag no article has any more is shrunk to nothing. None when a tag that stays reads
    differently (another spelling came first: every article showing it reads differently)
    or the site's first or last tag comes or goes (every index page links the tag list)."""
    before, now = previous.views.news, views.news
    old_tags = {t.slug: t for t in before.tags}
    new_tags = {t.slug: t for t in now.tags}
    if bool(old_tags) != bool(new_tags):
        return None
    if any(old_tags[s].name != new_tags[s].name for s in old_tags.keys() & new_tags.keys()):
        return None
    tags = sorted(
        s for s in old_tags.keys() | new_tags.keys() if old_tags.get(s) != new_tags.get(s)
    )
    count = max(len(before.pages), len(now.pages))
    olds = [*before.pages, *[None] * (count - len(before.pages))]
    news = [*now.pages, *[None] * (count - len(now.pages))]
    made = []
    for old, page in zip(olds, news, strict=True):
        if page is None:
            assert old is not None
            shrunk.add(news_pages.index_page(previous.site, previous.views, old).src_uri)
        elif old != page or (tags and page.number == 1):  # the first shows the tag cloud
            made.append(news_pages.index_page(site, views, page))
            if old is None:
                grown.add(made[-1].src_uri)
    old_around, new_around = neighbours(before.items), neighbours(now.items)
    made.extend(
        news_pages.article_page(site, views, *around)
        for item_id, around in new_around.items()
        if old_around.get(item_id) != around
    )
    if tags:
        made.append(news_pages.tags_page(site, views))
    for slug in tags:
        old_tag, tag = old_tags.get(slug), new_tags.get(slug)
        had = [s.src_uri for s in news_pages.tag_pages(previous.site, old_tag)] if old_tag else []
        specs = list(news_pages.tag_pages(site, tag)) if tag else []
        grown.update(spec.src_uri for spec in specs[len(had) :])
        shrunk.update(had[len(specs) :])
        made.extend(specs)
    versions = [*edited.values(), *(n for n in previous.site.news if n.id in edited)]
    organisers.update(key for item in versions for key in (*item.branches, *item.clubs))
    return made


def neighbours(
    items: tuple[NewsItem, ...],
) -> dict[str, tuple[NewsItem, NewsItem | None, NewsItem | None]]:
    """Each article with the newer and the older one its page links to."""
    return {
        item.id: (
            item,
            items[i - 1] if i > 0 else None,
            items[i + 1] if i + 1 < len(items) else None,
        )
        for i, item in enumerate(items)
    }


def news_files(previous: Previous, site: Site, views: Views) -> list[FileSpec] | None:
    """The RSS channels and the JSON Feed whose articles read differently now."""
    old = {c.path: c.items[: rss.FEED_ITEMS] for c in rss.channels(previous.site, previous.views)}
    channels = list(rss.channels(site, views))
    if old.keys() != {c.path for c in channels}:
        return None
    changed = [c for c in channels if old[c.path] != c.items[: rss.FEED_ITEMS]]
    newest = views.news.items[: rss.FEED_ITEMS]
    whole = previous.views.news.items[: rss.FEED_ITEMS] != newest
    needed = {item.id: item for c in changed for item in c.items[: rss.FEED_ITEMS]}
    if whole:
        needed.update((item.id, item) for item in newest)
    links = pages_by_source(site)
    bodies = {i: rss.content_html(site, item, links) for i, item in sorted(needed.items())}
    files = [FileSpec(c.path, rss.render_rss(site, c, bodies)) for c in changed]
    if whole:
        files.append(FileSpec(rss.JSON_FEED, rss.render_json_feed(site, views, bodies)))
    return files


def own_calendars(site: Site, events: Mapping[str, Event]) -> set[str]:
    """The calendars of ``events`` alone in ``site``: each one's at its address and at its
    former ones (``history.moved_slugs``)."""
    own = {urls.event_ics(e.slug) for e in events.values()}
    if events:
        own.update(
            urls.event_ics(old) for old, i in history.moved_slugs(site).items() if i in events
        )
    return own


def refreshed_files(
    site: Site,
    views: Views,
    edited: Mapping[str, Event],
    outputs: Outputs,
    removed: Mapping[str, Event],
) -> list[FileSpec] | None:
    """The calendars an edited or deleted activity is or was in (a new one's own too), and
    ``events.json``; None when the site's other calendars are not the same files as before
    (a deleted activity's own calendar goes: ``Refreshed.gone_files``)."""
    old = {feed.path: feed for feed in outputs.feeds}
    feeds = updated_feeds(outputs.feeds, outputs.site.events, site, edited, removed)
    added = {urls.event_ics(e.slug) for i, e in edited.items() if i not in outputs.site.events}
    gone = own_calendars(outputs.site, removed)
    if (old.keys() - gone) | added != {feed.path for feed in feeds} or not added.isdisjoint(old):
        return None
    writer = ical.FeedWriter(
        site, first_years(outputs.writer.first_year, outputs.site.events, site, edited, removed)
    )
    if writer.first_year != outputs.writer.first_year:
        return None  # every calendar's time zone definitions change
    writer.event_bytes = {
        i: text
        for i, text in outputs.writer.event_bytes.items()
        if i not in edited and i not in removed
    }
    writer.zone_bytes = outputs.writer.zone_bytes
    files = [
        FileSpec(feed.path, writer.render(feed), feed.source)
        for feed in feeds
        if feed.path not in old
        or feed.event_ids != old[feed.path].event_ids
        or not edited.keys().isdisjoint(feed.event_ids)
    ]
    lines = {i: line for i, line in outputs.lines.items() if i not in removed}
    lines.update((i, jsondata.event_line(site, views, event)) for i, event in edited.items())
    files.append(jsondata.events_file(site, lines))
    outputs.site, outputs.views, outputs.writer, outputs.lines = site, views, writer, lines
    outputs.feeds = feeds
    return files


def changed_redirects(before: Site, now: Site) -> tuple[list[FileSpec], list[str]]:
    """The redirect pages (``history.redirect_files``) that are new or read differently now
    (an activity's title is in its redirects; a deleted one's address may become another's
    former one), and the paths of those that go."""
    if not any(h.former_slugs for site in (before, now) for h in site.history.values()):
        return [], []  # perf: no activity ever moved (sorting a district's ids took ~0.1 s)
    old = {f.path: f.content for f in history.redirect_files(before)}
    new = list(history.redirect_files(now))
    made = {f.path for f in new}
    return [f for f in new if old.get(f.path) != f.content], [p for p in old if p not in made]


def feed_places(event: Event) -> tuple[frozenset[str], ...]:
    """What puts an activity into calendars other than its own and the site's, and what it
    carries there (a venue's calendar: the occurrences held at the venue, ``override_venue``)."""
    return (
        frozenset(event.branches),
        frozenset(event.clubs),
        frozenset([event.venue] if event.venue is not None else []),
        frozenset(override_venue(event, o) or "" for o in event.overrides),
        frozenset(event.categories),
    )


def updated_feeds(
    feeds: list[Feed],
    before: Mapping[str, Event],
    site: Site,
    edited: Mapping[str, Event],
    removed: Mapping[str, Event] | None = None,
) -> list[Feed]:
    """``calendar_feeds(site)`` from the last site's ``feeds`` (perf, issue 5: ~0.2 s on a
    district): when every edited activity was there, in the same calendars, at the same
    address, only their own calendars' names and sources may differ; a deleted activity
    leaves the calendars it was in, and its own goes (so does a category's left empty)."""
    if not all(
        i in before and before[i].slug == e.slug and feed_places(before[i]) == feed_places(e)
        for i, e in edited.items()
    ):
        return calendar_feeds(site)
    gone = {urls.event_ics(e.slug) for e in (removed or {}).values()}
    kept = []
    for feed in feeds:
        if feed.path in gone:
            continue
        if feed.kind == "event" and feed.event_ids[0] in edited:  # at its address or a former one
            event = edited[feed.event_ids[0]]
            feed = replace(feed, name=event.title, source=event.source.path)
        if removed and not removed.keys().isdisjoint(feed.event_ids):
            ids = tuple(i for i in feed.event_ids if i not in removed)
            if not ids and feed.kind in ("category", "event"):
                continue
            moved_in = tuple(i for i in feed.moved_in if i not in removed)
            moved_out = tuple(i for i in feed.moved_out if i not in removed)
            feed = replace(feed, event_ids=ids, moved_in=moved_in, moved_out=moved_out)
        kept.append(feed)
    return kept


def first_years(
    years: Mapping[str, int],
    before: Mapping[str, Event],
    site: Site,
    edited: Mapping[str, Event],
    removed: Mapping[str, Event] | None = None,
) -> dict[str, int]:
    """``ical.zone_first_years(site)`` from the last site's ``years`` (perf, issue 5): unless
    an edited or deleted activity's old version may have been a zone's earliest, only the
    edited count."""
    old = ical.first_years(before[i] for i in [*edited, *(removed or ())] if i in before)
    if any(year <= years.get(zone, year - 1) for zone, year in old.items()):
        return ical.zone_first_years(site)
    found = dict(years)
    for zone, year in ical.first_years(edited.values()).items():
        found[zone] = min(year, found.get(zone, year))
    return found
