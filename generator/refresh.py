"""The live preview's refresh (issue 5): after activities are saved, every page and file that
shows them, made from the last full build's site in about a second instead of a whole build.

``yizhan serve`` writes these into the folder it serves, so listings and feeds are up to date
right away, then rebuilds everything into a new folder that replaces it (``build.plan_site``):
the full run reports every problem and indexes the search.

Why this is enough: an activity's own page, ``.ics``, VEVENTs, occurrences and line of
``events.json`` read nothing but the activity, its history and the site's organisations,
venues and settings, which an activity's edit leaves as they were. So the other activities'
ones are reused, and only the pages that list an edited activity before or after the edit (the
home, upcoming and past pages, its months and categories, its organisers' and venues' pages
and their indexes), the calendars that carry it and ``events.json`` are made again. Anything
beyond that (a new, deleted or renamed activity, a month or category appearing or going, a new
first year of a time zone, another kind of file, an edit with an error) is left to the full
run (``None``). Tests hold each refresh to the full plan's changes, page by page and byte by
byte.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from . import history, load, validate
from .build import rebase_page
from .model import Event, EventHistory, Site
from .outputs import ical, jsondata
from .pages import events, home, orgs
from .plan import FileSpec, PageSpec
from .quick import Previous
from .views import Views, calendar, news
from .views import orgs as orgs_views
from .views.calendar import Feed, calendar_feeds


@dataclass(frozen=True)
class Refreshed:
    previous: Previous
    """The site as it is now served: where the next edit starts from."""
    pages: tuple[PageSpec, ...]
    """Pages whose spec changed (the edited activities' own included)."""
    files: tuple[FileSpec, ...]
    """The feeds that carry an edited activity, and ``events.json``."""


class Outputs:
    """Each activity's VEVENTs and line of ``events.json`` for one site: taken from the files
    a full build wrote (``adopt``) or made in the background after it (``warm``), then carried
    from refresh to refresh."""

    def __init__(self, site: Site, views: Views) -> None:
        self.site, self.views = site, views
        self.writer = ical.FeedWriter(site)
        self.lines: dict[str, str] = {}
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
    edited = edited_events(previous, changed)
    if not edited or outputs.site is not site:
        return None
    site = replace(site, events={**site.events, **edited})
    site = replace(site, history={**site.history, **histories(previous, site, edited)})
    views = Views(
        calendar=calendar.updated(previous.views.calendar, site, edited),
        news=news.derive(site),
        orgs=orgs_views.derive(site),
    )
    if not same_listings(previous.views, views):
        return None
    pages = planned_pages(previous, site, views, edited)
    if pages is None:
        return None
    outputs.warm()
    files = refreshed_files(site, views, edited, outputs)
    if files is None:
        return None
    changed_pages = tuple(p for p in pages if previous.pages.get(p.src_uri) != p)
    now = replace(
        previous,
        site=site,
        views=views,
        pages={**previous.pages, **{p.src_uri: p for p in changed_pages}},
    )
    return Refreshed(now, changed_pages, tuple(files))


def edited_events(previous: Previous, changed: Iterable[str]) -> dict[str, Event] | None:
    """The saved activities by id, or None unless each is an existing activity, keeping its
    slug, without errors."""
    site = previous.site
    folder = f"{site.config.content_dir.strip('/')}/events/"
    edited: dict[str, Event] = {}
    for rel in sorted(set(changed)):
        path = previous.root / rel
        if not (rel.startswith(folder) and rel.endswith(".md") and path.is_file()):
            return None
        doc, problems = load.load_markdown(path, rel, "event")
        if doc is None or any(p.severity == "error" for p in problems):
            return None
        entity, _ = validate.revalidate(doc, site)
        if not isinstance(entity, Event):
            return None
        old = site.events.get(entity.id)
        if old is None or old.slug != entity.slug:
            return None
        edited[entity.id] = entity
    return edited


def histories(
    previous: Previous, site: Site, edited: Mapping[str, Event]
) -> dict[str, EventHistory]:
    """The edited activities' histories: SEQUENCE counts an uncommitted change of time, place,
    status or rule. Same file and slug, so the same UID and former slugs as before."""
    if previous.repository is None:  # no Git, or history switched off: ids alone
        return {i: previous.site.history[i] for i in edited if i in previous.site.history}
    only = replace(site, events=dict(edited))
    found, _ = history.derive_history(
        previous.root,
        f"{site.config.content_dir.strip('/')}/events",
        only,
        repository=lambda: previous.repository,
    )
    before = previous.site.history
    return {
        i: replace(h, former_slugs=before[i].former_slugs) if i in before else h
        for i, h in found.items()
    }


def same_listings(before: Views, now: Views) -> bool:
    """Whether the calendar has the same month and category pages as before."""
    return (
        before.calendar.months == now.calendar.months
        and before.calendar.categories.keys() == now.calendar.categories.keys()
    )


def planned_pages(
    previous: Previous, site: Site, views: Views, edited: Mapping[str, Event]
) -> list[PageSpec] | None:
    """The pages the edited activities are or were on, and their own; None if one of them is
    new (the full run adds pages)."""
    versions = [*edited.values(), *(previous.site.events[i] for i in edited)]
    occurrences = [
        occ
        for i in edited
        for occs in (previous.views.calendar.by_event.get(i, ()), views.calendar.by_event[i])
        for occ in occs
    ]
    zone = ZoneInfo(views.calendar.zone)
    months = {(day.year, day.month) for occ in occurrences for day in occ.days(zone)}
    categories = {category for event in versions for category in event.categories}
    organisers = {key for event in versions for key in (*event.branches, *event.clubs)}
    venues = {occ.venue for occ in occurrences if occ.venue}
    venues.update(event.venue for event in versions if event.venue)
    made = [
        *home.pages(site, views),
        *events.listing_pages(site, views, months, categories),
        *orgs.directory_pages(site, views, organisers | venues),
        *(events.event_page(site, views, event) for event in edited.values()),
    ]
    content_dir = site.config.content_dir
    pages = [rebase_page(p, content_dir, previous.moved) for p in made]
    if any(p.src_uri not in previous.pages for p in pages):
        return None
    return pages


def refreshed_files(
    site: Site, views: Views, edited: Mapping[str, Event], outputs: Outputs
) -> list[FileSpec] | None:
    """The calendars an edited activity is or was in, and ``events.json``; None when the
    site's calendars are not the same files as before."""
    old = {feed.path: feed for feed in outputs.feeds}
    feeds = calendar_feeds(site)
    if old.keys() != {feed.path for feed in feeds}:
        return None
    writer = ical.FeedWriter(site)
    if writer.first_year != outputs.writer.first_year:
        return None  # every calendar's time zone definitions change
    writer.event_bytes = {
        i: text for i, text in outputs.writer.event_bytes.items() if i not in edited
    }
    writer.zone_bytes = outputs.writer.zone_bytes
    files = [
        FileSpec(feed.path, writer.render(feed), feed.source)
        for feed in feeds
        if feed.event_ids != old[feed.path].event_ids
        or not edited.keys().isdisjoint(feed.event_ids)
    ]
    lines = {**outputs.lines}
    lines.update((i, jsondata.event_line(site, views, event)) for i, event in edited.items())
    files.append(jsondata.events_file(site, lines))
    outputs.site, outputs.views, outputs.writer, outputs.lines = site, views, writer, lines
    outputs.feeds = feeds
    return files
