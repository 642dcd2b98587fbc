"""The live preview's refresh (issue 5): after activities are saved, every page and file that
shows them, made from the last full build's site in about a second instead of a whole build.

``yizhan serve`` writes these into the folder it serves, so listings and feeds are up to date
right away, then rebuilds everything into a new folder that replaces it (``build.plan_site``):
the full run reports every problem and indexes the search.

Why this is enough: an activity's own page, ``.ics``, VEVENTs and line of ``events.json`` read
nothing but the activity, its history and the site's organisations, venues and settings, which
an activity's edit leaves as they were. So the other activities' ones are reused, and only the
pages that list activities (calendar, organisation, venue, home and subscribe pages), the
feeds that carry an edited activity and ``events.json`` are made again. Anything beyond that
(a new, deleted or renamed activity, a new month or category, another kind of file, an edit
with an error) is left to the full run (``None``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from . import history, load, validate
from .build import rebase_page
from .model import Event, EventHistory, Site
from .outputs import ical, jsondata
from .pages import events, home, orgs, subscribe
from .plan import FileSpec, PageSpec
from .quick import Previous
from .views import Views, derive_views
from .views.calendar import calendar_feeds


@dataclass(frozen=True)
class Refreshed:
    previous: Previous
    """The site as it is now served: where the next edit starts from."""
    pages: tuple[PageSpec, ...]
    """Pages whose spec changed (the edited activities' own included)."""
    files: tuple[FileSpec, ...]
    """The feeds that carry an edited activity, and ``events.json``."""


class Outputs:
    """Each activity's VEVENTs and line of ``events.json`` for one site: made once, in the
    background after a full build (``warm``), then carried from refresh to refresh."""

    def __init__(self, site: Site, views: Views) -> None:
        self.site, self.views = site, views
        self.writer = ical.FeedWriter(site)
        self.lines: dict[str, str] = {}
        self.lock = threading.Lock()
        self.stopping = False

    def warm(self) -> None:
        """Make what is not made yet (the lock: a refresh waits for the background run)."""
        with self.lock:
            for event_id, event in self.site.events.items():
                if self.stopping:
                    return
                if event_id not in self.lines:
                    self.writer.vevents(event_id)
                    self.lines[event_id] = jsondata.event_line(self.site, self.views, event)

    def stop(self) -> None:
        """End a background ``warm`` (a full build is about to run: it uses the memo)."""
        self.stopping = True
        with self.lock:
            self.stopping = False


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
    views = derive_views(site)
    if not same_listings(previous.views, views):
        return None
    pages = planned_pages(previous, site, views, edited)
    if pages is None:
        return None
    outputs.warm()
    files = refreshed_files(previous.site, site, views, edited, outputs)
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
    """Every page an activity can appear on, and the edited activities' own; None if one of
    them is new (the full run adds pages)."""
    made = [
        *home.pages(site, views),
        *events.listing_pages(site, views),
        *orgs.pages(site, views),
        *subscribe.pages(site, views),
        *(events.event_page(site, views, event) for event in edited.values()),
    ]
    content_dir = site.config.content_dir
    pages = [rebase_page(p, content_dir, previous.moved) for p in made]
    if any(p.src_uri not in previous.pages for p in pages):
        return None
    return pages


def refreshed_files(
    before: Site, site: Site, views: Views, edited: Mapping[str, Event], outputs: Outputs
) -> list[FileSpec] | None:
    """The calendars an edited activity is or was in, and ``events.json``; None when the
    site's calendars are not the same files as before."""
    old = {feed.path: feed for feed in calendar_feeds(before)}
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
    return files
