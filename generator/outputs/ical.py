"""iCalendar feeds (RFC 5545): the whole site, each branch, club, venue and category, each activity.

Written with ``icalendar`` (the only module importing it). Each activity's VEVENTs (master and
RECURRENCE-ID overrides) are built and serialised once and their bytes shared by every feed that
includes them, so a site with thousands of activities stays fast. Every field is pinned (UID,
DTSTAMP, SEQUENCE from ``EventHistory``), so the same content gives byte-identical feeds.

VTIMEZONEs are built here from the zone database as RRULE-based observances: ``icalendar``'s
``Timezone.from_tzinfo`` writes long RDATE lists, which Mozilla's ical.js (Thunderbird) read one
hour off in European summer time.
"""

from __future__ import annotations

import calendar as stdcal
import hashlib
import html
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import islice
from zoneinfo import ZoneInfo

from icalendar import (
    Calendar,
    Component,
    Parameters,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vCategory,
    vDate,
    vDatetime,
    vDDDLists,
    vDDDTypes,
    vDuration,
    vInt,
    vRecur,
    vText,
    vUri,
)
from icalendar import Event as VEvent
from icalendar.caselessdict import canonsort_keys
from icalendar.parser_tools import to_unicode
from icalendar.timezone import tzp
from icalendar.tools import is_date

from .. import i18n, memo, urls
from ..history import default_history
from ..model import Event, EventHistory, Override, Site
from ..plan import FileSpec
from ..views import Views
from ..views.calendar import (
    Feed,
    as_day,
    calendar_feeds,
    key_of,
    later,
    occurrence_length,
    original_starts,
    override_venue,
    resolve_overrides,
    rule_start,
    session_end,
    to_rule_time,
)
from ..views.text import absolute_url, cut, pages_by_source

PRODID = "-//yizhan//yizhan static site generator//ZH"
REFRESH = timedelta(hours=6)
"""How often subscribed calendars are asked to fetch the feed again."""
DESCRIPTION_CHARS = 600
"""Feed text is cut by characters (Chinese has no spaces to cut at)."""

STATUS_MAP = {
    "confirmed": "CONFIRMED",
    "tentative": "TENTATIVE",
    # iCalendar has no "postponed": the old date no longer holds, but the activity is not
    # called off either, so it stays visible as tentative with a note in its summary.
    "postponed": "TENTATIVE",
    "cancelled": "CANCELLED",
}

LABELS = {
    "zh": {
        "all": "全部活动",
        "organiser": "主办",
        "organisers": "主办",
        "place": "地点",
        "online": "线上参加",
        "registration": "报名",
        "deadline": "截止",
        "capacity": "名额 {n} 人",
        "contact": "联系",
        "details": "详情",
        "postponed": "【已延期】",
        "cancelled": "【已取消】",
        "tentative": "【待定】",
    },
    "en": {
        "all": "All activities",
        "organiser": "Organiser",
        "organisers": "Organisers",
        "place": "Place",
        "online": "Online",
        "registration": "Registration",
        "deadline": "deadline",
        "capacity": "{n} place[|s]",
        "contact": "Contact",
        "details": "Details",
        "postponed": "[Postponed] ",
        "cancelled": "[Cancelled] ",
        "tentative": "[Tentative] ",
    },
}


def text(key: str, language: str) -> str:
    return LABELS[i18n.lang_key(language)][key]


# --- feeds -----------------------------------------------------------------------------------


def files(site: Site, views: Views) -> Iterator[FileSpec]:
    writer = FeedWriter(site)
    for feed in calendar_feeds(site):
        yield FileSpec(feed.path, writer.render(feed), feed.source)


def vevents_of(site: Site, feed: Feed, content: bytes) -> dict[str, bytes] | None:
    """Each activity's VEVENTs as they are in ``content``, the calendar this module wrote of
    ``feed`` for ``site``; None unless ``content`` has that calendar's shape: its head and
    time zones, each activity's VEVENTs in order (by UID) and nothing else. (The live preview
    takes them from the calendar its build just wrote instead of making 15,000 again.)"""
    begin = b"BEGIN:VEVENT\r\n"
    start = content.find(begin)
    if start < 0 or not content.endswith(FOOTER) or feed.moved_in or feed.moved_out:
        return None
    chunks = [begin + c for c in content[start + len(begin) : -len(FOOTER)].split(begin)]
    found: dict[str, bytes] = {}
    at = 0
    for event_id in feed.event_ids:
        history = site.history.get(event_id) or default_history(event_id, site.config.uid_base)
        line = b"\r\n" + text_line("UID", history.uid)
        first = at
        while at < len(chunks) and line in chunks[at]:
            at += 1
        if at == first:
            return None
        found[event_id] = b"".join(chunks[first:at])
    if at != len(chunks):
        return None
    writer = FeedWriter(site)
    writer.event_bytes = dict(found)
    return found if writer.render(feed) == content else None


class FeedWriter:
    """Renders feeds, caching each activity's serialised VEVENTs and each zone's VTIMEZONE."""

    def __init__(self, site: Site, first_year: Mapping[str, int] | None = None) -> None:
        """``first_year``: the site's ``zone_first_years`` where the caller knows them."""
        self.site = site
        self.event_bytes: dict[str, bytes] = {}
        self.zone_bytes: dict[str, bytes] = {}
        self.first_year = dict(first_year) if first_year is not None else zone_first_years(site)
        self.head_bytes: bytes | None = None
        # The build's instant is left out: VEVENTs never show it (DTSTAMP is the build day).
        self.config_text = repr(replace(site.config, build_time=None))
        self.config_digest = hashlib.blake2b(self.config_text.encode("utf-8")).hexdigest()
        self.ref_texts: dict[tuple[str, str], str] = {}
        self.refs_site = site
        """The site ``ref_texts`` were read from (the preview moves a writer to a new one)."""

    def render(self, feed: Feed) -> bytes:
        cfg = self.site.config
        if feed.kind == "all":
            name = f"{cfg.site_name} · {text('all', cfg.language)}"
        else:
            name = f"{feed.name} · {cfg.site_name}"
        # One line: icalendar writes these names as they are (an escaped "\\," shows as such
        # in calendar apps), and a line break in a branch's name stopped the build.
        name = " ".join(name.split("\n")).replace("\r", " ")
        parts = [
            self.head(),
            name_lines(name, urls.absolute(cfg.site_url, feed.address or feed.path)),
        ]
        parts.extend(self.vtimezone(zone) for zone in sorted(self.zones_of(feed)))
        parts.extend(self.feed_vevents(feed, event_id) for event_id in feed.event_ids)
        parts.append(FOOTER)
        return b"".join(parts)

    def head(self) -> bytes:
        """The calendar properties every feed shares, serialised once."""
        if self.head_bytes is None:
            cfg = self.site.config
            cal = Calendar()
            cal.add("prodid", PRODID)
            cal.add("version", "2.0")
            cal.add("calscale", "GREGORIAN")
            cal.add("method", "PUBLISH")
            cal.add("x-wr-timezone", cfg.timezone)
            cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
            cal.add("x-published-ttl", vDuration(REFRESH))
            cal.add("url", urls.absolute(cfg.site_url, urls.home()))
            whole = serialise(cal)
            assert whole.endswith(FOOTER)
            self.head_bytes = whole[: -len(FOOTER)]
        return self.head_bytes

    def zones_of(self, feed: Feed) -> set[str]:
        """Every TZID the feed's events use, and no other: all-day activities use none
        (``VALUE=DATE``), so a feed of them alone has no VTIMEZONE. (X-WR-TIMEZONE names the
        site zone by its IANA name, which is how the apps reading it look it up; a VTIMEZONE
        no TZID names is one some validators flag.)"""
        zones: set[str] = set()
        for event_id in feed.event_ids:
            event = self.site.events[event_id]
            if not event.all_day:
                zones.add(event.timezone)
        return zones

    def vtimezone(self, zone: str) -> bytes:
        if zone not in self.zone_bytes:
            first = self.first_year.get(zone, self.site.config.today.year)
            last = max(self.site.config.today.year, first) + 2
            self.zone_bytes[zone] = serialise(build_vtimezone(zone, first - 1, last))
        return self.zone_bytes[zone]

    def vevents(self, event_id: str) -> bytes:
        if event_id not in self.event_bytes:
            event = self.site.events[event_id]
            history = self.site.history.get(event_id) or default_history(
                event_id, self.site.config.uid_base
            )
            # perf (issue 5): kept between builds, by everything build_vevents reads
            kept = memo.table("ical.vevents", "icalendar")
            key = kept.key(
                self.config_digest,
                memo.stable_json(event),
                repr(history),
                *self.refs_reprs(event),
                repr(sorted(body_pages(self.site, event.body).items())),
            )
            text = kept.get(key)
            if text is None:
                text = vevents_bytes(self.site, event, history).decode("utf-8")
                kept.put(key, text)
            self.event_bytes[event_id] = text.encode("utf-8")
        return self.event_bytes[event_id]

    def feed_vevents(self, feed: Feed, event_id: str) -> bytes:
        """An activity's VEVENTs in ``feed``: all of them, but in a venue's calendar only
        its occurrences held there (a few activities on a site: made again by each writer,
        not kept)."""
        if event_id not in feed.moved_in and event_id not in feed.moved_out:
            return self.vevents(event_id)
        event = self.site.events[event_id]
        history = self.site.history.get(event_id) or default_history(
            event_id, self.site.config.uid_base
        )
        return vevents_at_bytes(self.site, event, history, feed.venue)

    def refs_reprs(self, event: Event) -> list[str]:
        """The venue and organisers an activity's VEVENTs name, as they are now."""
        # perf (issue 5): a district's 15,000 activities name ~500 organisers and 20 venues,
        # whose reprs are long; each is written out once per build.
        if self.refs_site is not self.site:
            self.ref_texts, self.refs_site = {}, self.site
        site = self.site
        return [
            self.ref_text("venue", site.venues, event.venue) if event.venue else "-",
            *(self.ref_text("branch", site.branches, b) for b in event.branches),
            "clubs",
            *(self.ref_text("club", site.clubs, c) for c in event.clubs),
        ]

    def ref_text(self, kind: str, found: Mapping[str, object], ref: str) -> str:
        """A digest of the referenced entity as it is now (its repr, ~1 KB, was hashed again
        into every key that names it: ~0.3 s of a district's warm build)."""
        text = self.ref_texts.get((kind, ref))
        if text is None:
            whole = f"{kind}:{ref}:{found.get(ref)!r}".encode("utf-8", "surrogatepass")
            text = self.ref_texts[kind, ref] = hashlib.blake2b(whole, digest_size=20).hexdigest()
        return text


NO_LENGTH = timedelta(0)
"""The DURATION of an activity with a start alone: it ends as it starts (as its page, its
"add to calendar" links and events.json say). Without DTEND or DURATION, RFC 5545 3.6.1 says
as much, and ical.js and recurring-ical-events read it so, but khal gives it an hour."""
FOOTER = b"END:VCALENDAR\r\n"
FOLD_LIMIT = 75
"""icalendar folds a content line before the character that would make it 75 octets long."""
ESCAPE_BYTES = (ord("\\"), ord("^"))


def serialise(component: Component) -> bytes:
    """``component.to_ical()``, the same bytes, with each content line folded by ``fold``.

    perf (issue 5): icalendar folds every line character by character in Python: 2 of the
    15 s a district's calendars took (15,000 activities, 600-character descriptions); 0.2 s here.
    """
    return b"".join(fold(line) + b"\r\n" for line in component.content_lines() if line)


def fold(line: str) -> bytes:
    """A content line folded exactly as icalendar's ``Contentline.to_ical`` folds it (RFC 5545
    3.1: at most 75 octets a line, never inside a UTF-8 character; icalendar also never ends a
    line with a ``\\`` or ``^`` escape), but cutting at byte offsets instead of per character."""
    data = line.encode("utf-8")
    if len(data) < FOLD_LIMIT:
        return data
    chunks = []
    start, size = 0, len(data)
    while size - start >= FOLD_LIMIT:
        end = start + FOLD_LIMIT - 1
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: back to its lead byte
            end -= 1
        if end - start > 1 and data[end - 1] in ESCAPE_BYTES:
            end -= 1  # the escape character starts the next line
        chunks.append(data[start:end])
        start = end
    chunks.append(data[start:])
    return b"\r\n ".join(chunks)


def named_calendar(name: str, source: str) -> Calendar:
    """The properties naming one feed (the reference ``name_lines`` writes)."""
    named = Calendar()
    named.add("name", name)
    named.add("x-wr-calname", name)
    named.add("source", source, parameters={"VALUE": "URI"})
    return named


def name_lines(name: str, source: str) -> bytes:
    """``inner_lines(named_calendar(name, source))``, line by line (perf, issue 5: a district
    has 15,000 feeds, one per activity; icalendar's components took ~1 s to write these, its
    value types line by line still ~0.9 s, so they are kept between builds too)."""
    return name_text(name, source).encode("utf-8")


@memo.remembered("ical.names", "icalendar")
def name_text(name: str, source: str) -> str:
    lines = (
        typed_line("NAME", name)
        + typed_line("X-WR-CALNAME", name)
        + typed_line("SOURCE", source, (("VALUE", "URI"),))
    )
    return lines.decode("utf-8")


def typed_line(name: str, value: str, parameters: tuple[tuple[str, str], ...] = ()) -> bytes:
    """A calendar property line with the value type ``Calendar.add`` picks for ``name``."""
    kind = Calendar.types_factory.for_property(name)
    return content_line(name, parameters_text(parameters), kind(value).to_ical())


def inner_lines(component: Calendar) -> bytes:
    """A component's property lines without its BEGIN/END lines."""
    whole = serialise(component)
    begin = b"BEGIN:VCALENDAR\r\n"
    assert whole.startswith(begin) and whole.endswith(FOOTER)
    return whole[len(begin) : -len(FOOTER)]


def zone_first_years(site: Site) -> dict[str, int]:
    """Earliest year each zone is used in, so each VTIMEZONE covers every activity."""
    return first_years(site.events.values())


def first_years(events: Iterable[Event]) -> dict[str, int]:
    """Earliest year each zone is used in by ``events`` (all-day ones use none)."""
    years: dict[str, int] = {}
    for event in events:
        if event.all_day:
            continue
        values = [event.start, *event.rdates, *(o.start for o in event.overrides if o.start)]
        year = min(v.year for v in values)
        years[event.timezone] = min(year, years.get(event.timezone, year))
    return years


# --- events ----------------------------------------------------------------------------------


def build_vevents(site: Site, event: Event, history: EventHistory) -> list[VEvent]:
    """The master VEVENT of an activity and one VEVENT per override (RECURRENCE-ID).

    The reference for ``vevents_bytes``, which feeds use: it writes these components' bytes."""
    cfg = site.config
    stamp = history.last_modified or build_day_stamp(site)
    page_url = urls.absolute(cfg.site_url, urls.event(event.slug))
    master = VEvent()
    master.add("uid", history.uid)
    master.add("dtstamp", utc(stamp))
    if history.last_modified:
        master.add("last-modified", utc(history.last_modified))
    master.add("sequence", history.sequence)
    master.add("summary", summary(event.title, event.status, cfg.language))
    first = rule_start(event)
    add_times(master, event, first, event_end(event, first))
    if event.rrule:
        master.add("rrule", vRecur.from_ical(event.rrule))
    exdates = exclusions(event)
    if exdates:
        master.add("exdate", exdates)
    rdates = [ical_time(event, value) for value in extra_starts(event, first)]
    if rdates:
        master.add("rdate", rdates)
    master.add("status", STATUS_MAP[event.status])
    place = location_text(site, event.venue, event.location, event.online)
    if place:
        master.add("location", place)
    master.add("description", description(site, event, page_url))
    master.add("url", page_url)
    if event.categories:
        master.add("categories", list(event.categories))
    organiser = organiser_of(site, event)
    master.add("organizer", organiser[1], parameters={"CN": organiser[0]})
    if event.contact:
        master.add("contact", event.contact)
    out = [master]
    for override, original in feed_overrides(event, site.config.today):
        out.append(build_override(site, event, history, override, original, page_url, stamp))
    return out


def feed_overrides(event: Event, today: date) -> list[tuple[Override, datetime | date]]:
    """The overrides an activity's feeds write (with the original start each changes), in
    order: the editor's, and one for each session a clock change falls in (see
    ``clock_change_sessions``)."""
    found = resolve_overrides(event)
    for original in clock_change_sessions(event, today):
        found.setdefault(
            key_of(original), (Override(original, end=session_end(event, original)), original)
        )
    return sorted(found.values(), key=lambda x: sort_key(x[1]))


def clock_change_sessions(event: Event, today: date) -> list[datetime]:
    """Original starts of a series' sessions a clock change of its zone falls in, from the
    start of last year as far as its VTIMEZONE goes (the end of the year after next; an old
    daily series is not expanded from its first session): 22:00 to 06:00 in London on the
    night the clocks go forward. Calendar apps read a series' DTEND two ways there: ical.js
    and recurring-ical-events keep its clock times (06:00, as the page says), khal its
    elapsed length (07:00, as RFC 5545 3.8.5.3 has it); a RECURRENCE-ID with the session's
    own DTEND is read alike by all."""
    if event.all_day or not event.recurring or not isinstance(event.end, datetime):
        return []
    last = max(today.year, event.start.year) + 2
    if not zone_transitions(event.timezone, max(event.start.year, today.year - 1), last):
        return []  # perf: most zones (Asia/Shanghai) have none
    length = occurrence_length(event)
    return [
        start
        for start in original_starts(event, date(today.year - 1, 1, 1), date(last, 12, 31))
        if isinstance(start, datetime) and session_end(event, start) != later(start, length)
    ]


def build_override(
    site: Site,
    event: Event,
    history: EventHistory,
    override: Override,
    original: datetime | date,
    page_url: str,
    stamp: datetime,
) -> VEvent:
    cfg = site.config
    start = override.start if override.start is not None else original
    end = override_end(event, override, start)
    status = override.status or event.status
    item = VEvent()
    item.add("uid", history.uid)
    item.add("dtstamp", utc(stamp))
    if history.last_modified:
        item.add("last-modified", utc(history.last_modified))
    item.add("sequence", history.sequence)
    item.add("recurrence-id", ical_time(event, original))
    item.add("summary", summary(override.title or event.title, status, cfg.language))
    add_times(item, event, start, end)
    item.add("status", STATUS_MAP[status])
    place = override_place(site, event, override)
    if place:
        item.add("location", place)
    item.add("description", description(site, event, page_url))
    item.add("url", page_url)
    if event.categories:
        item.add("categories", list(event.categories))
    organiser = organiser_of(site, event)
    item.add("organizer", organiser[1], parameters={"CN": organiser[0]})
    return item


def override_end(
    event: Event, override: Override, start: datetime | date
) -> datetime | date | None:
    """DTEND of an overridden occurrence starting at ``start`` (all-day: exclusive)."""
    if override.end is None:
        return event_end(event, start)
    return as_day(override.end) + timedelta(days=1) if event.all_day else override.end


def override_place(site: Site, event: Event, override: Override) -> str:
    """LOCATION of an overridden occurrence: a new venue or location replaces the old one."""
    venue, location = event.venue, event.location
    if override.venue is not None:
        venue, location = override.venue, override.location or ""
    elif override.location is not None:
        venue, location = None, override.location
    return location_text(site, venue, location, event.online)


def add_times(
    item: VEvent, event: Event, start: datetime | date, end: datetime | date | None
) -> None:
    """DTSTART/DTEND: in the activity's zone with a TZID, or VALUE=DATE with an exclusive end;
    a timed occurrence without an end, DURATION:P0D (see ``NO_LENGTH``)."""
    item.add("dtstart", ical_time(event, start))
    if end is not None:
        item.add("dtend", ical_time(event, end))
    elif not event.all_day:
        item.add("duration", NO_LENGTH)


# --- events: the fast path -------------------------------------------------------------------
# perf (issue 5): ``build_vevents`` + ``serialise`` spend about 1 ms an activity in icalendar's
# generic machinery (``Component.add`` -> TypesFactory, several ``Parameters`` per value,
# Contentline, a time-zone id lookup per date-time): ~20 s for a district's 15,000 activities.
# The functions below write the same content lines with the same icalendar value types,
# parameters and escaping, and leave out only the components (about 6 times faster; values
# many activities share are made once): ``vevents_bytes`` is checked byte for byte against the
# reference path above (tests/test_ical_fast.py).

VEVENT_BEGIN = f"BEGIN:{to_unicode(vText('VEVENT').to_ical())}\r\n".encode()
VEVENT_END = f"END:{to_unicode(vText('VEVENT').to_ical())}\r\n".encode()
DATE_PARAMETERS = (("VALUE", "DATE"),)
"""The parameters icalendar gives a DATE value of a DATE-TIME property (it infers VALUE=DATE)."""


def vevents_bytes(site: Site, event: Event, history: EventHistory) -> bytes:
    """An activity's VEVENTs (master, then its overrides), serialised.

    Byte-identical to ``b"".join(serialise(c) for c in build_vevents(site, event, history))``,
    which stays the reference: the same properties from the same values, each written with the
    icalendar type ``Component.add`` would pick for it (``vText``, ``vDatetime``/``vDate``,
    ``vDDDLists``, ``vRecur``, ``vInt``, ``vUri``, ``vCalAddress``, ``vCategory``) and its
    ``Parameters``, in icalendar's property order, folded by ``fold``.
    """
    master, overrides = vevent_lines(site, event, history)
    return b"".join([vevent_bytes(master), *(vevent_bytes(lines) for _, _, lines in overrides)])


def vevents_at_bytes(site: Site, event: Event, history: EventHistory, venue_id: str) -> bytes:
    """``event``'s occurrences held at ``venue_id``, for that venue's calendar, where overrides
    move some of them to or from it (as the venue's page lists them).

    A series held there: its VEVENTs without the occurrences moved elsewhere (their original
    starts join EXDATE, their overrides are left out). A series held elsewhere: each occurrence
    moved there a VEVENT of its own, not a RECURRENCE-ID without its series (calendar apps
    disagree on those: some drop them, some show nothing else of them); its UID, which stays
    while the override does, is the activity's followed by the occurrence's original start."""
    master, overrides = vevent_lines(site, event, history)
    if event.venue == venue_id:
        away = [
            start for override, start, _ in overrides if override_venue(event, override) != venue_id
        ]
        if away and held_nowhere_else(event, away):
            return b""  # every occurrence is elsewhere (a VEVENT whose every date is an
            # EXDATE: some apps show the activity all the same)
        exdates = sorted({*exclusions(event), *(ical_time(event, s) for s in away)}, key=sort_key)
        master = {**master, "EXDATE": time_list_line("EXDATE", exdates)} if exdates else master
        kept = [
            lines for override, _, lines in overrides if override_venue(event, override) == venue_id
        ]
        return b"".join([vevent_bytes(master), *(vevent_bytes(lines) for lines in kept)])
    parts = []
    for override, start, lines in overrides:
        if override_venue(event, override) != venue_id:
            continue
        original = time_parts(ical_time(event, start))[1].decode("ascii")
        alone = {name: line for name, line in lines.items() if name != "RECURRENCE-ID"}
        alone["UID"] = text_line("UID", f"{history.uid}-{original}")
        parts.append(vevent_bytes(alone))
    return b"".join(parts)


def held_nowhere_else(event: Event, away: list[datetime | date]) -> bool:
    """Whether ``away`` (original starts overrides move elsewhere) are all the activity's
    occurrences: a one-off, a rule of one (``COUNT=1``), extra dates all moved."""
    moved = {sort_key(ical_time(event, start)) for start in away}
    first = list(islice(original_starts(event), len(moved) + 1))
    return len(first) <= len(moved) and all(
        sort_key(ical_time(event, start)) in moved for start in first
    )


def vevent_lines(
    site: Site, event: Event, history: EventHistory
) -> tuple[dict[str, bytes], list[tuple[Override, datetime | date, dict[str, bytes]]]]:
    """The content lines of an activity's master VEVENT, and of each override's (with the
    override and the original start it changes, in the order they are written)."""
    cfg = site.config
    stamp = history.last_modified or build_day_stamp(site)
    page_url = urls.absolute(cfg.site_url, urls.event(event.slug))
    # The properties every VEVENT of the activity writes alike (build_override repeats them).
    shared: dict[str, bytes] = {
        "UID": text_line("UID", history.uid),
        "DTSTAMP": utc_line("DTSTAMP", stamp),
        "SEQUENCE": integer_line("SEQUENCE", history.sequence),
        "DESCRIPTION": text_line("DESCRIPTION", description(site, event, page_url)),
        "URL": uri_line("URL", page_url),
        "ORGANIZER": organizer_line(*organiser_of(site, event)),
    }
    if history.last_modified:
        shared["LAST-MODIFIED"] = utc_line("LAST-MODIFIED", history.last_modified)
    if event.categories:
        shared["CATEGORIES"] = categories_line(tuple(event.categories))

    first = rule_start(event)
    master = {
        **shared,
        **occurrence_lines(
            event,
            event.title,
            event.status,
            first,
            event_end(event, first),
            location_text(site, event.venue, event.location, event.online),
            cfg.language,
        ),
    }
    if event.rrule:
        master["RRULE"] = rrule_line(event.rrule)
    exdates = exclusions(event)
    if exdates:
        master["EXDATE"] = time_list_line("EXDATE", exdates)
    rdates = [ical_time(event, value) for value in extra_starts(event, first)]
    if rdates:
        master["RDATE"] = time_list_line("RDATE", rdates)
    if event.contact:
        master["CONTACT"] = text_line("CONTACT", event.contact)
    overrides = []
    for override, original in feed_overrides(event, site.config.today):
        start = override.start if override.start is not None else original
        item = {
            **shared,
            "RECURRENCE-ID": time_line("RECURRENCE-ID", ical_time(event, original)),
            **occurrence_lines(
                event,
                override.title or event.title,
                override.status or event.status,
                start,
                override_end(event, override, start),
                override_place(site, event, override),
                cfg.language,
            ),
        }
        overrides.append((override, original, item))
    return master, overrides


def occurrence_lines(
    event: Event,
    title: str,
    status: str,
    start: datetime | date,
    end: datetime | date | None,
    place: str,
    language: str,
) -> dict[str, bytes]:
    """What the master VEVENT and each override write of their own occurrence: SUMMARY,
    DTSTART, DTEND, STATUS and LOCATION (their order is ``vevent_bytes``'s)."""
    lines = {
        "SUMMARY": common_text_line("SUMMARY", summary(title, status, language)),
        "DTSTART": time_line("DTSTART", ical_time(event, start)),
        "STATUS": common_text_line("STATUS", STATUS_MAP[status]),
    }
    if end is not None:
        lines["DTEND"] = time_line("DTEND", ical_time(event, end))
    elif not event.all_day:
        lines["DURATION"] = NO_LENGTH_LINE
    if place:
        lines["LOCATION"] = common_text_line("LOCATION", place)
    return lines


def vevent_bytes(lines: dict[str, bytes]) -> bytes:
    """A VEVENT of folded content lines (by property name), in icalendar's order."""
    order = vevent_order(tuple(lines))
    return b"".join([VEVENT_BEGIN, *[lines[name] for name in order], VEVENT_END])


@lru_cache(maxsize=256)
def vevent_order(names: tuple[str, ...]) -> tuple[str, ...]:
    """The order ``Component.to_ical`` writes a VEVENT's properties in (``sorted_keys``)."""
    return tuple(canonsort_keys(names, VEvent.canonical_order))


def content_line(name: str, parameters: str, value: bytes) -> bytes:
    """One folded content line, as ``Contentline.from_parts`` then ``fold`` make it."""
    line = (
        f"{name};{parameters}:{to_unicode(value)}" if parameters else f"{name}:{to_unicode(value)}"
    )
    assert "\n" not in line, "Content line can not contain unescaped new line characters."
    return fold(line) + b"\r\n"


@lru_cache(maxsize=1024)
def parameters_text(items: tuple[tuple[str, str], ...]) -> str:
    """``Parameters(items).to_ical()`` as ``Contentline.from_parts`` writes it ("" if none)."""
    params = Parameters(dict(items))
    return to_unicode(params.to_ical()) if params else ""


def text_line(name: str, value: str) -> bytes:
    return content_line(name, "", vText(value).to_ical())


common_text_line = lru_cache(maxsize=4096)(text_line)
"""``text_line`` for values many activities share (status, venue, a title held every week)."""


NO_LENGTH_LINE = content_line("DURATION", "", vDuration(NO_LENGTH).to_ical())


@lru_cache(maxsize=64)
def integer_line(name: str, value: int) -> bytes:
    return content_line(name, "", vInt(value).to_ical())


def uri_line(name: str, value: str) -> bytes:
    return content_line(name, "", vUri(value).to_ical())


@lru_cache(maxsize=1024)
def organizer_line(name: str, url: str) -> bytes:
    """ORGANIZER;CN=<name>:<url> (``add("organizer", url, parameters={"CN": name})``)."""
    return content_line("ORGANIZER", parameters_text((("CN", name),)), vCalAddress(url).to_ical())


@lru_cache(maxsize=1024)
def categories_line(categories: tuple[str, ...]) -> bytes:
    """CATEGORIES: a list is one ``vCategory`` property, values joined with commas."""
    return content_line("CATEGORIES", "", vCategory(list(categories)).to_ical())


@lru_cache(maxsize=256)
def rrule_line(rule: str) -> bytes:
    return content_line("RRULE", "", vRecur.from_ical(rule).to_ical())


def time_line(name: str, value: datetime | date) -> bytes:
    """DTSTART and the like: a date with VALUE=DATE, a date-time with its zone's TZID (or a Z)."""
    parameters, text = time_parts(value)
    return content_line(name, parameters, text)


@lru_cache(maxsize=256)
def utc_line(name: str, value: datetime) -> bytes:
    """DTSTAMP/LAST-MODIFIED: ``add`` turns them to UTC (``tzp.localize_utc``), so the line
    depends on the instant alone (which is what equal aware datetimes share)."""
    return time_line(name, tzp.localize_utc(utc(value)))


def time_list_line(name: str, values: list[datetime | date]) -> bytes:
    """EXDATE/RDATE: ``add`` makes a list one ``vDDDLists`` property (VALUE=DATE inferred when
    every value is a date; the TZID of the values)."""
    dates = vDDDLists(values)
    params = dates.params
    if all(is_date(value) for value in values):
        params["VALUE"] = "DATE"
    return content_line(name, to_unicode(params.to_ical()) if params else "", dates.to_ical())


def time_parts(value: datetime | date) -> tuple[str, bytes]:
    """(parameters, value) of a DATE or DATE-TIME as ``vDDDTypes`` writes them."""
    if not isinstance(value, datetime):
        return parameters_text(DATE_PARAMETERS), date_text(value)
    zone = value.tzinfo
    if isinstance(zone, ZoneInfo) and zone.key:
        parameters, suffix = zone_form(zone)
        return parameters, wall_text(value.replace(tzinfo=None)) + suffix
    typed = vDDDTypes(value)  # any other zone (none here): icalendar's whole way
    return (to_unicode(typed.params.to_ical()) if typed.params else ""), typed.to_ical()


@lru_cache(maxsize=4096)
def date_text(value: date) -> bytes:
    return vDate(value).to_ical()


@lru_cache(maxsize=4096)
def wall_text(value: datetime) -> bytes:
    """A naive date-time's digits (``vDatetime`` without a zone adds neither TZID nor Z)."""
    return vDatetime(value).to_ical()


@lru_cache(maxsize=64)
def zone_form(zone: ZoneInfo) -> tuple[str, bytes]:
    """(parameters, suffix) icalendar gives every date-time in ``zone``: ``TZID=<id>`` and no
    suffix, or no TZID and ``Z`` for UTC. icalendar names a ZoneInfo by its key (or ``UTC``
    when equivalent), whatever the date, so one probe stands for every date-time."""
    probe = vDDDTypes(datetime(2000, 1, 1, tzinfo=zone))
    parameters = to_unicode(probe.params.to_ical()) if probe.params else ""
    return parameters, b"Z" if probe.to_ical().endswith(b"Z") else b""


def extra_starts(event: Event, first: datetime | date) -> list[datetime | date]:
    """The RDATEs of an activity whose DTSTART is ``first`` (``rule_start``): its extra dates,
    and its start when that is not the rule's first occurrence."""
    if first == event.start or event.start in event.rdates:
        return list(event.rdates)
    return [event.start, *event.rdates]


def event_end(event: Event, start: datetime | date) -> datetime | date | None:
    """The iCalendar DTEND of an occurrence starting at ``start`` (all-day: exclusive)."""
    if event.all_day:
        return as_day(start) + occurrence_length(event) + timedelta(days=1)
    if event.end is None:
        return None
    return session_end(event, start)


def ical_time(event: Event, value: datetime | date) -> datetime | date:
    if event.all_day:
        return as_day(value)
    return to_rule_time(event, value)


def exclusions(event: Event) -> list[datetime | date]:
    """EXDATE values; a bare date on a timed rule becomes that day's occurrence(s)."""
    out: list[datetime | date] = []
    zone = ZoneInfo(event.timezone)
    for value in event.exdates:
        if event.all_day or isinstance(value, datetime):
            out.append(ical_time(event, value))
            continue
        # The rule without this exclusion, asked for that one day.
        plain = replace(event, exdates=())
        for start in original_starts(plain, value - timedelta(days=1), value + timedelta(days=1)):
            if isinstance(start, datetime) and start.astimezone(zone).date() == value:
                out.append(start)
    return sorted(set(out), key=sort_key)


def sort_key(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime.combine(value, time(), tzinfo=UTC)


def summary(title: str, status: str, language: str) -> str:
    if status in ("postponed", "cancelled"):
        return text(status, language) + title
    return title


def organiser_of(site: Site, event: Event) -> tuple[str, str]:
    """ORGANIZER: the first organising branch or club (name, page URL), else the site itself."""
    base = site.config.site_url
    for branch_id in event.branches:
        branch = site.branches.get(branch_id)
        if branch:
            return branch.name, urls.absolute(base, urls.branch(branch.slug))
    for club_id in event.clubs:
        club = site.clubs.get(club_id)
        if club:
            return club.name, urls.absolute(base, urls.club(club.slug))
    return site.config.site_name, base


def organiser_names(site: Site, event: Event) -> list[str]:
    names = [site.branches[b].name for b in event.branches if b in site.branches]
    return names + [site.clubs[c].name for c in event.clubs if c in site.clubs]


def location_text(site: Site, venue_id: str | None, location: str, online: str) -> str:
    parts = []
    venue = site.venues.get(venue_id) if venue_id else None
    zh = i18n.lang_key(site.config.language) == "zh"
    if venue is not None and venue.address:
        parts.append(
            f"{venue.name}（{venue.address}）" if zh else f"{venue.name} ({venue.address})"
        )
    elif venue is not None:
        parts.append(venue.name)
    if location:
        parts.append(location)
    if online:
        parts.append(online)
    return "；".join(parts) if zh else "; ".join(parts)


def description(site: Site, event: Event, page_url: str) -> str:
    """Plain text: summary or body excerpt, organisers, registration, and the page URL."""
    lang = site.config.language
    lines = []
    intro = event.summary or plain_text(
        event.body,
        site.config.site_url,
        event.source.docs_path,
        urls.event(event.slug),
        body_pages(site, event.body),
    )
    if intro:
        lines.append(cut_lines(intro, DESCRIPTION_CHARS))
    names = organiser_names(site, event)
    zh = i18n.lang_key(lang) == "zh"
    sep, names_sep, bits_sep = ("：", "、", "，") if zh else (": ", ", ", ", ")
    if names:
        said = text("organiser" if len(names) == 1 else "organisers", lang)
        lines.append(f"{said}{sep}{names_sep.join(names)}")
    if event.online:
        lines.append(f"{text('online', lang)}{sep}{event.online}")
    reg = event.registration
    if reg is not None and (reg.url or reg.deadline or reg.capacity):
        bits = [reg.url] if reg.url else []
        if reg.capacity:
            bits.append(i18n.fill(text("capacity", lang), n=i18n.read_number(reg.capacity, lang)))
        if reg.deadline:
            bits.append(f"{text('deadline', lang)} {i18n.read_datetime(reg.deadline, lang)}")
        lines.append(f"{text('registration', lang)}{sep}{bits_sep.join(bits)}")
    if event.contact:
        lines.append(f"{text('contact', lang)}{sep}{event.contact}")
    lines.append(f"{text('details', lang)}{sep}{page_url}")
    return "\n".join(lines)


MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
MD_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
MD_MARKS = re.compile(r"(^|\s)[#>*+-]+\s|[*_`]{1,3}", re.MULTILINE)
# Raw HTML in a body, and tables: what a calendar app would otherwise show as markup.
HTML_LINK = re.compile(r"<a\b[^>]*?\bhref=[\"']([^\"']+)[\"'][^>]*>(.*?)</a\s*>", re.I | re.S)
HTML_IMAGE = re.compile(r"<img\b[^>]*?\balt=[\"']([^\"']*)[\"'][^>]*>", re.I)
HTML_BREAK = re.compile(r"<br\s*/?>|</(?:p|div|li|tr|h[1-6]|blockquote)\s*>", re.I)
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
TABLE_RULE = re.compile(
    r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$", re.M
)
TABLE_EDGE = re.compile(r"^[ \t]*\|[ \t]*|[ \t]*\|[ \t]*$", re.M)


def plain_text(
    markdown: str,
    site_url: str,
    source_path: str,
    page_path: str,
    pages: Mapping[str, str] | None = None,
) -> str:
    """Markdown body as plain text, a line for each of its lines; links keep their target,
    absolute under ``site_url`` and resolved from the file the editor wrote (as pages and
    feeds resolve them, ``pages``: an entity file -> its page); raw HTML keeps its text, a
    table its cells."""

    def link(match: re.Match[str]) -> str:
        target = absolute_url(match.group(2), site_url, source_path, page_path, pages)
        return f"{match.group(1)} ({target})"

    def html_link(match: re.Match[str]) -> str:
        url = html.unescape(match.group(1))
        target = absolute_url(url, site_url, source_path, page_path, pages)
        text = HTML_TAG.sub("", match.group(2)).strip()
        return f"{text} ({target})" if text else target

    out = MD_IMAGE.sub(r"\1", markdown)
    out = MD_LINK.sub(link, out)
    if "<" in out:
        out = HTML_LINK.sub(html_link, out)
        out = HTML_IMAGE.sub(r"\1", out)
        out = HTML_BREAK.sub("\n", out)
        out = html.unescape(HTML_TAG.sub("", out))
    if "|" in out:
        out = TABLE_EDGE.sub("", TABLE_RULE.sub("", out))
    out = MD_MARKS.sub(r"\1", out)
    return "\n".join(line.strip() for line in out.splitlines() if line.strip())


PAGES_OF: dict[int, tuple[Site, dict[str, str]]] = {}
"""The last site's entity files -> pages (``pages_by_source``), made once per site."""


def body_pages(site: Site, body: str) -> dict[str, str]:
    """The entity files a body may link to, with their pages: those whose file name it
    contains (so a build that keeps VEVENTs keys them by what their text resolves to)."""
    if ".md" not in body:  # perf (issue 5): most bodies link to no Markdown file
        return {}
    kept = PAGES_OF.get(id(site))
    if kept is None or kept[0] is not site:
        PAGES_OF.clear()
        kept = PAGES_OF[id(site)] = (site, pages_by_source(site))
    return {path: page for path, page in kept[1].items() if path.rsplit("/", 1)[-1] in body}


def cut_lines(text: str, limit: int) -> str:
    """``cut`` that keeps ``text``'s lines (a calendar app shows DESCRIPTION's line breaks):
    whole lines while they fit, then the next one cut."""
    kept: list[str] = []
    room = limit
    for line in text.splitlines():
        if len(line) <= room:
            kept.append(line)
            room -= len(line) + 1
            continue
        if room > 1:
            kept.append(cut(line, room))
        elif kept:
            kept[-1] = cut(kept[-1] + "…", len(kept[-1]))
        break
    return "\n".join(kept)


def utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def build_day_stamp(site: Site) -> datetime:
    """DTSTAMP when history says nothing: midnight of the build day (site zone), never the clock."""
    midnight = datetime.combine(site.config.today, time(), tzinfo=ZoneInfo(site.config.timezone))
    return midnight.astimezone(UTC)


# --- VTIMEZONE -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    at: datetime
    """UTC instant of the change."""
    before: timedelta
    after: timedelta
    dst: bool
    """Whether the new offset is daylight saving time."""

    @property
    def wall(self) -> datetime:
        """The local (naive) time of the change, read on the clock before it (RFC 5545 3.6.5)."""
        return (self.at + self.before).replace(tzinfo=None)

    @property
    def kind(self) -> tuple[timedelta, timedelta, bool]:
        return (self.before, self.after, self.dst)


@lru_cache(maxsize=64)
def zone_transitions(zone_name: str, first_year: int, last_year: int) -> tuple[Transition, ...]:
    """Offset changes of a zone from ``first_year`` to the end of ``last_year``, to the second."""
    zone = ZoneInfo(zone_name)
    step = timedelta(days=1)
    moment = datetime(first_year, 1, 1, tzinfo=UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    out = []
    offset = moment.astimezone(zone).utcoffset()
    while moment < end:
        ahead = moment + step
        new = ahead.astimezone(zone).utcoffset()
        if new != offset:
            low, high = moment, ahead
            while high - low > timedelta(seconds=1):
                mid = low + (high - low) / 2
                if mid.astimezone(zone).utcoffset() == offset:
                    low = mid
                else:
                    high = mid
            local = high.astimezone(zone)
            assert offset is not None and new is not None
            out.append(Transition(high, offset, new, bool(local.dst())))
            offset = new
        moment = ahead
    return tuple(out)


def yearly_pattern(items: list[Transition]) -> dict[str, object] | None:
    """The RRULE shared by yearly transitions (same month, weekday, time), or None."""
    first = items[0].wall
    candidates: set[int] | None = None
    for item in items:
        wall = item.wall
        if (wall.month, wall.weekday(), wall.time()) != (
            first.month,
            first.weekday(),
            first.time(),
        ):
            return None
        nth = {(wall.day - 1) // 7 + 1}
        if wall.day + 7 > stdcal.monthrange(wall.year, wall.month)[1]:
            nth.add(-1)
        candidates = nth if candidates is None else candidates & nth
        if not candidates:
            return None
    years = [i.wall.year for i in items]
    if years != list(range(years[0], years[0] + len(years))):
        return None
    assert candidates
    # Prefer "last" (-1) when it fits: it is how most zones are written (EU: last Sunday).
    nth_value = -1 if -1 in candidates else min(candidates)
    weekday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[first.weekday()]
    return {"FREQ": "YEARLY", "BYMONTH": first.month, "BYDAY": f"{nth_value}{weekday}"}


def split_rule_tail(
    changes: tuple[Transition, ...],
) -> tuple[list[Transition], dict[tuple[timedelta, timedelta, bool], list[Transition]]]:
    """Split transitions into one-off ones and the yearly rule the zone follows at the end."""
    if not changes:
        return [], {}
    last_year = changes[-1].at.year
    tail_kinds = {c.kind for c in changes if c.at.year == last_year}
    tail: dict[tuple[timedelta, timedelta, bool], list[Transition]] = defaultdict(list)
    cut_index = len(changes)
    # Walk back while every transition is of a tail kind with one per kind per year.
    for index in range(len(changes) - 1, -1, -1):
        item = changes[index]
        group = tail.get(item.kind, [])
        if item.kind not in tail_kinds or (group and group[0].wall.year != item.wall.year + 1):
            break
        trial = [item, *group]
        if yearly_pattern(trial) is None:
            break
        tail[item.kind] = trial
        cut_index = index
    # Keep whole years only: the rule's first year must have every tail kind.
    if tail and len({g[0].wall.year for g in tail.values()}) > 1:
        start_year = max(g[0].wall.year for g in tail.values())
        for kind in list(tail):
            tail[kind] = [t for t in tail[kind] if t.wall.year >= start_year]
        cut_index = min(changes.index(g[0]) for g in tail.values())
    if any(len(g) < 2 for g in tail.values()):
        return list(changes), {}
    return list(changes[:cut_index]), dict(tail)


def build_vtimezone(zone_name: str, first_year: int, last_year: int) -> Timezone:
    """A VTIMEZONE valid from ``first_year`` on: one-off observances, then yearly RRULEs.

    Without TZNAME: abbreviations like ``CST`` are ambiguous and no client needs them.
    """
    zone = ZoneInfo(zone_name)
    changes = zone_transitions(zone_name, first_year, last_year)
    one_off, rules = split_rule_tail(changes)
    tz = Timezone()
    tz.add("tzid", zone_name)
    opening = datetime(first_year, 1, 1).replace(tzinfo=zone)
    offset = opening.utcoffset()
    assert offset is not None
    tz.add_component(observance(bool(opening.dst()), opening.replace(tzinfo=None), offset, offset))
    for change in one_off:
        tz.add_component(observance(change.dst, change.wall, change.before, change.after))
    for kind in sorted(rules, key=lambda k: rules[k][0].at):
        first = rules[kind][0]
        sub = observance(first.dst, first.wall, first.before, first.after)
        pattern = yearly_pattern(rules[kind])
        assert pattern is not None
        sub.add("rrule", pattern)
        tz.add_component(sub)
    return tz


def observance(
    dst: bool, wall: datetime, before: timedelta, after: timedelta
) -> TimezoneStandard | TimezoneDaylight:
    sub = TimezoneDaylight() if dst else TimezoneStandard()
    sub.add("dtstart", wall)
    sub.add("tzoffsetfrom", before)
    sub.add("tzoffsetto", after)
    return sub
