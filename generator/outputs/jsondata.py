"""/events.json: every activity as JSON for other programs (SPEC "Public URLs").

Times are ISO 8601 with their offset (``2026-04-28T14:00:00+08:00``); all-day activities give
dates, with ``end`` the last day (inclusive, as editors write it) and ``end_exclusive`` the day
after (as iCalendar has it). URLs are absolute. Keys and order are stable, so a deploy's diff
shows only what editors changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from .. import urls
from ..history import default_history
from ..model import Event, Site
from ..plan import FileSpec
from ..views import Views
from ..views.calendar import Occurrence, as_day

FORMAT_VERSION = 1
UPCOMING_PER_EVENT = 50


def iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def occurrence_json(site: Site, occ: Occurrence) -> dict[str, Any]:
    venue = site.venues.get(occ.venue) if occ.venue else None
    return {
        "start": iso(occ.start),
        "end": iso(occ.end),
        "title": occ.title,
        "status": occ.status,
        "venue": occ.venue if venue else None,
        "location": occ.location,
        "recurrence_id": iso(occ.recurrence_id),
        "changed": occ.overridden,
    }


def event_json(site: Site, views: Views, event: Event) -> dict[str, Any]:
    base = site.config.site_url
    venue = site.venues.get(event.venue) if event.venue else None
    history = site.history.get(event.id) or default_history(event.id, site.config.uid_base)
    end_exclusive = None
    if event.all_day:
        end_exclusive = as_day(event.end or event.start) + timedelta(days=1)
    upcoming = views.calendar.next_occurrences(event.id, UPCOMING_PER_EVENT)
    reg = event.registration
    return {
        "id": event.id,
        "slug": event.slug,
        "uid": history.uid,
        "sequence": history.sequence,
        "last_modified": iso(history.last_modified),
        "title": event.title,
        "summary": event.summary,
        "status": event.status,
        "all_day": event.all_day,
        "timezone": event.timezone,
        "start": iso(event.start),
        "end": iso(event.end),
        "end_exclusive": iso(end_exclusive),
        "rrule": event.rrule,
        "exdates": [iso(x) for x in event.exdates],
        "rdates": [iso(x) for x in event.rdates],
        "upcoming": [occurrence_json(site, o) for o in upcoming],
        "venue": (
            {
                "id": venue.id,
                "name": venue.name,
                "address": venue.address,
                "lat": venue.lat,
                "lon": venue.lon,
                "url": urls.absolute(base, urls.venue(venue.slug)),
            }
            if venue
            else None
        ),
        "location": event.location,
        "online": event.online,
        "branches": [
            {
                "id": b,
                "name": site.branches[b].name,
                "url": urls.absolute(base, urls.branch(site.branches[b].slug)),
            }
            for b in event.branches
            if b in site.branches
        ],
        "clubs": [
            {
                "id": c,
                "name": site.clubs[c].name,
                "url": urls.absolute(base, urls.club(site.clubs[c].slug)),
            }
            for c in event.clubs
            if c in site.clubs
        ],
        "categories": list(event.categories),
        "registration": (
            {"url": reg.url, "capacity": reg.capacity, "deadline": iso(reg.deadline)}
            if reg
            else None
        ),
        "contact": event.contact,
        "url": urls.absolute(base, urls.event(event.slug)),
        "ics": urls.absolute(base, urls.event_ics(event.slug)),
    }


def files(site: Site, views: Views) -> Iterator[FileSpec]:
    yield events_file(site, {i: event_line(site, views, e) for i, e in site.events.items()})


def event_line(site: Site, views: Views, event: Event) -> bytes:
    """One activity's line of ``events.json`` (UTF-8)."""
    return json.dumps(event_json(site, views, event), ensure_ascii=False).encode("utf-8")


def events_file(site: Site, lines: Mapping[str, bytes]) -> FileSpec:
    """``events.json`` from its activities' lines (``event_line``) by id: each on a line of its
    own, so a deploy's diff shows one line per changed activity, and the live preview rewrites
    one line of it after an edit (perf, issue 5: json's indented output is written by its
    pure-Python encoder, ~3 s for a district's 15,000 activities; the lines are kept encoded,
    so a refresh joins ~20 MB of bytes instead of encoding them again)."""
    cfg = site.config
    data = {
        "version": FORMAT_VERSION,
        "site": {"name": cfg.site_name, "url": cfg.site_url, "timezone": cfg.timezone},
        "today": cfg.today.isoformat(),
        "calendar": urls.absolute(cfg.site_url, urls.calendar()),
        "events": [],
    }
    head = json.dumps(data, ensure_ascii=False).encode("utf-8")
    assert head.endswith(b'"events": []}')
    if not lines:
        return FileSpec(urls.events_json(), head + b"\n")
    body = b",\n".join([lines[i] for i in sorted(lines)])
    return FileSpec(urls.events_json(), b"".join([head[: -len(b"]}")], b"\n", body, b"\n]}\n"]))


def lines_of(site: Site, content: bytes) -> dict[str, bytes] | None:
    """Each activity's line as it is in ``content``, the ``events.json`` this module wrote
    for ``site``; None unless ``content`` has its shape: the same head, one line per activity
    (the live preview takes them from the file its build just wrote, issue 5). A line holds
    no line break (JSON escapes them), so the lines are the file's, split."""
    start, end = content.find(b'"events": [\n'), content.rfind(b"\n]}\n")
    ids = sorted(site.events)
    if start < 0 or end < start or not ids:
        return None
    lines = content[start + len(b'"events": [\n') : end].split(b",\n")
    if len(lines) != len(ids):
        return None
    found = dict(zip(ids, lines, strict=True))
    return found if events_file(site, found).content == content else None
