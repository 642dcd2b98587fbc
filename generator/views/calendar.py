"""Calendar views: occurrences of activities (recurrences expanded), upcoming, past, months.

Owned by the calendar work; the ``Occurrence`` shape and ``CalendarViews.upcoming`` are the
interface other page families use (home, branch, club and venue pages).

Recurrences are expanded with python-dateutil's ``rruleset`` over a bounded window (one year
back, ``horizon_days`` ahead), iterating lazily so a rule without an end never makes a build
slow. iCalendar feeds do not use this expansion: they keep the rule (see ``outputs/ical.py``).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from dateutil.rrule import rruleset, rrulestr

from .. import urls
from ..history import moved_slugs
from ..model import Event, EventStatus, Override, Site

PAST_DAYS = 366
"""The window's start, before today: every activity touching it is on the past page."""
ARCHIVE = timedelta(days=3653)
"""How far before the window an endless series is expanded for the month grids of earlier
years (ten years of a daily one is 3,650 sessions, well inside ``MAX_ITERATIONS``)."""

FAR_AHEAD = timedelta(days=1827)
"""A series that ends more than five years past the horizon is shown as an endless one, to
the horizon: ``UNTIL=20991231`` is how some editors and apps write "no end", and expanded to
its last session it made a month grid for every month to 2099 (880 pages for one weekly class)."""

MAX_ITERATIONS = 20_000
"""Safety stop for one rule's expansion (a FREQ=MINUTELY rule would otherwise run for long)."""
MAX_PASSED = 1_000_000
"""Safety stop for the sessions before a window (an hourly rule begun decades ago): counted
apart from those kept, so an old daily or hourly rule still reaches today (counted together,
a rule's 20,000th session from its start ended it, upcoming ones unlisted)."""


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of an activity, with any override already applied."""

    event_id: str
    start: datetime | date
    end: datetime | date | None
    """Exclusive end for timed occurrences; last day (inclusive) for all-day ones."""
    title: str
    status: EventStatus
    venue: str | None
    location: str
    recurrence_id: datetime | date | None = None
    """Original start, for occurrences of a recurring activity."""
    all_day: bool = False
    overridden: bool = False
    """True when an editor's override changed this occurrence."""

    def sort_key(self, zone: ZoneInfo | None = None) -> tuple[datetime, str]:
        """Soonest first; an all-day occurrence counts from midnight in ``zone``."""
        return (instant(self.start, zone), self.event_id)

    def days(self, zone: ZoneInfo) -> list[date]:
        """The days (in ``zone``) this occurrence touches, for month grids."""
        first = local_day(self.start, zone)
        last = last_day(self, zone)
        span = (last - first).days
        return [first + timedelta(days=i) for i in range(max(span, 0) + 1)]


@dataclass(frozen=True)
class CalendarViews:
    upcoming: tuple[Occurrence, ...] = ()
    """Occurrences ending on or after the build day, within the horizon, soonest first."""
    past: tuple[Occurrence, ...] = ()
    """Occurrences that ended before the build day, most recent first."""
    by_event: dict[str, tuple[Occurrence, ...]] = field(default_factory=dict)
    """Every expanded occurrence of each activity (past window and horizon), soonest first."""
    months: tuple[tuple[int, int], ...] = ()
    """(year, month) of every month grid, a contiguous range, oldest first."""
    by_month: dict[tuple[int, int], tuple[Occurrence, ...]] = field(default_factory=dict)
    """Occurrences touching each month (multi-day ones in every month they touch)."""
    categories: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Category name -> ids of the activities carrying it (names sorted)."""
    zone: str = "Asia/Shanghai"
    today: date = date(1970, 1, 1)

    def next_occurrences(self, event_id: str, limit: int | None = None) -> tuple[Occurrence, ...]:
        """The upcoming occurrences of one activity, soonest first."""
        items = tuple(self.upcoming[i] for i in self.upcoming_index.get(event_id, ()))
        return items if limit is None else items[:limit]

    def upcoming_where(self, event_ids: set[str] | frozenset[str]) -> tuple[Occurrence, ...]:
        """Upcoming occurrences of the given activities (for branch, club, category pages)."""
        return pick(self.upcoming, self.upcoming_index, event_ids)

    def past_where(self, event_ids: set[str] | frozenset[str]) -> tuple[Occurrence, ...]:
        return pick(self.past, self.past_index, event_ids)

    # perf (issue 5): positions of each activity's occurrences, so a per-activity or
    # per-organiser lookup does not scan every occurrence of the site (O(N²) at district scale).
    @cached_property
    def upcoming_index(self) -> dict[str, tuple[int, ...]]:
        return positions(self.upcoming)

    @cached_property
    def past_index(self) -> dict[str, tuple[int, ...]]:
        return positions(self.past)

    def upcoming_at_venue(self, venue_id: str) -> tuple[Occurrence, ...]:
        """Upcoming occurrences taking place at a venue (an override may move one elsewhere)."""
        return tuple(o for o in self.upcoming if o.venue == venue_id)


def positions(occurrences: tuple[Occurrence, ...]) -> dict[str, tuple[int, ...]]:
    found: dict[str, list[int]] = defaultdict(list)
    for i, occ in enumerate(occurrences):
        found[occ.event_id].append(i)
    return {k: tuple(v) for k, v in found.items()}


def pick(
    occurrences: tuple[Occurrence, ...],
    index: dict[str, tuple[int, ...]],
    event_ids: set[str] | frozenset[str],
) -> tuple[Occurrence, ...]:
    """The occurrences of ``event_ids``, in the order of ``occurrences``."""
    chosen = sorted(i for event_id in event_ids for i in index.get(event_id, ()))
    return tuple(occurrences[i] for i in chosen)


@dataclass(frozen=True)
class Window:
    """What the site's calendar expands and how it orders occurrences."""

    zone: ZoneInfo
    start: date
    end: date

    @classmethod
    def of(cls, site: Site) -> Window:
        cfg = site.config
        start = cfg.today - timedelta(days=PAST_DAYS)
        return cls(ZoneInfo(cfg.timezone), start, cfg.today + timedelta(days=cfg.horizon_days))

    def order(self, occ: Occurrence) -> tuple[datetime, str]:
        return occ.sort_key(self.zone)

    def occurrences(self, event: Event) -> tuple[Occurrence, ...]:
        """An activity's occurrences, soonest first: a series from its first session, as a
        one-off is however old (the month grids of earlier years list its sessions too: they
        had its neighbours and not it, and a calendar app scrolled back shows them); one that
        ends (a count, an until, extra dates alone) to its last, however far ahead (a monthly
        series until December, past a horizon ending in November, was one session short of
        the calendar apps, its page's 另有 N 场 too), unless that is ``FAR_AHEAD`` of the
        horizon; an endless one to the horizon, and back ``ARCHIVE_DAYS`` at most (an hourly
        one over the window alone)."""
        if not event.recurring:
            return tuple(expand(event, self.start, self.end))
        first = as_day(event.start)
        if series_ends(event):
            occurrences = sorted(expand(event, min(self.start, first), None), key=self.order)
            if occurrences and as_day(occurrences[-1].start) > self.end + FAR_AHEAD:
                occurrences = [o for o in occurrences if as_day(o.start) <= self.end]
            return tuple(occurrences)
        elif "FREQ=HOURLY" in (event.rrule or "").upper():
            start, end = self.start, self.end
        else:
            start, end = min(self.start, max(first, self.start - ARCHIVE)), self.end
        return tuple(sorted(expand(event, start, end), key=self.order))


def series_ends(event: Event) -> bool:
    """Whether a recurring activity has a last session: its rule has a COUNT or an UNTIL, or
    it has extra dates alone."""
    rule = (event.rrule or "").upper()
    return not rule or "COUNT=" in rule or "UNTIL=" in rule


def derive(site: Site) -> CalendarViews:
    cfg = site.config
    window = Window.of(site)
    zone, order = window.zone, window.order
    by_event: dict[str, tuple[Occurrence, ...]] = {}
    upcoming: list[Occurrence] = []
    past: list[Occurrence] = []
    for event_id in sorted(site.events):
        occs = window.occurrences(site.events[event_id])
        by_event[event_id] = occs
        for occ in occs:
            if last_day(occ, zone) >= cfg.today:
                upcoming.append(occ)
            else:
                past.append(occ)
    upcoming.sort(key=order)
    past.sort(key=order, reverse=True)

    by_month: dict[tuple[int, int], list[Occurrence]] = defaultdict(list)
    for occ in sorted(upcoming + past, key=order):
        seen: set[tuple[int, int]] = set()
        for day in occ.days(zone):
            key = (day.year, day.month)
            if key not in seen:
                seen.add(key)
                by_month[key].append(occ)
    return assembled(site, upcoming, past, by_event, by_month)


def assembled(
    site: Site,
    upcoming: list[Occurrence],
    past: list[Occurrence],
    by_event: dict[str, tuple[Occurrence, ...]],
    by_month: Mapping[tuple[int, int], list[Occurrence]],
) -> CalendarViews:
    """The calendar from its ordered occurrences (``by_month``: months with some only)."""
    cfg = site.config
    months = month_range(set(by_month) | {(cfg.today.year, cfg.today.month)})
    categories: dict[str, list[str]] = defaultdict(list)
    for event_id in sorted(site.events):
        for category in site.events[event_id].categories:
            categories[category].append(event_id)
    return CalendarViews(
        upcoming=tuple(upcoming),
        past=tuple(past),
        by_event=dict(sorted(by_event.items())),
        months=months,
        by_month={k: tuple(v) for k, v in sorted(by_month.items())},
        categories={k: tuple(categories[k]) for k in sorted(categories)},
        zone=cfg.timezone,
        today=cfg.today,
    )


def updated(before: CalendarViews, site: Site, changed: Iterable[str]) -> CalendarViews:
    """``derive(site)``, from ``before``: the calendar of a site that differs from ``site``
    only in the activities ``changed`` (the live preview's refresh, issue 5: their
    occurrences are taken out and put back in order instead of sorting the whole site's; a
    changed one no longer in ``site`` was deleted, and only goes)."""
    cfg = site.config
    window = Window.of(site)
    zone, order = window.zone, window.order
    gone = set(changed)
    by_event = dict(before.by_event)
    upcoming = [occ for occ in before.upcoming if occ.event_id not in gone]
    past = [occ for occ in before.past if occ.event_id not in gone]
    coming: list[Occurrence] = []
    went: list[Occurrence] = []
    for event_id in sorted(gone):
        if event_id not in site.events:
            by_event.pop(event_id, None)
            continue
        occs = window.occurrences(site.events[event_id])
        by_event[event_id] = occs
        for occ in occs:
            (coming if last_day(occ, zone) >= cfg.today else went).append(occ)
    # Keys are unique but for one activity's own ties, which keep their expansion order, as
    # the stable sorts of ``derive`` keep them.
    for occ in coming:
        bisect.insort_right(upcoming, occ, key=order)
    for occ in went:
        key, low, high = order(occ), 0, len(past)
        while low < high:  # after every occurrence not later than it: newest first
            middle = (low + high) // 2
            if order(past[middle]) >= key:
                low = middle + 1
            else:
                high = middle
        past.insert(low, occ)

    by_month = {month: list(occs) for month, occs in before.by_month.items()}
    for month in by_month:
        by_month[month] = [occ for occ in by_month[month] if occ.event_id not in gone]
    touched: set[tuple[int, int]] = set()
    for occ in [*coming, *went]:  # upcoming before past, as ``derive`` lists them
        for month in dict.fromkeys((day.year, day.month) for day in occ.days(zone)):
            by_month.setdefault(month, []).append(occ)
            touched.add(month)
    for month in touched:
        by_month[month].sort(key=order)
    filled = {month: occs for month, occs in by_month.items() if occs}
    return assembled(site, upcoming, past, by_event, filled)


def month_range(keys: set[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Every month from the first to the last of ``keys``, so grids link month to month."""
    if not keys:
        return ()
    (y, m), last = min(keys), max(keys)
    out = []
    while (y, m) <= last:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return tuple(out)


# --- expansion -------------------------------------------------------------------------------


def expand(event: Event, window_start: date, window_end: date | None) -> Iterator[Occurrence]:
    """Occurrences of one activity touching [window_start, window_end] (days, inclusive; no
    end: to its last, ``MAX_ITERATIONS`` at most).

    A single activity always yields its one occurrence, however old, so the past page lists it.
    """
    if not event.recurring:
        yield base_occurrence(event, event.start, None)
        return
    overrides = resolve_overrides(event)
    for original in original_starts(event, window_start, window_end):
        override = overrides.get(key_of(original))
        if override is None:
            yield base_occurrence(event, original, original)
        else:
            yield apply_override(event, original, override)


def original_starts(
    event: Event, window_start: date | None = None, window_end: date | None = None
) -> Iterator[datetime | date]:
    """The original starts of a recurring activity's occurrences, in order, within a window.

    Without a window the expansion stops after ``MAX_ITERATIONS`` items: callers wanting every
    occurrence of an endless rule must give one.
    """
    duration = occurrence_length(event)
    rules = build_ruleset(event)
    day_exdates = day_exclusions(event)
    low = to_rule_time(event, window_start) - duration if window_start else None
    high = to_rule_time(event, window_end + timedelta(days=1)) if window_end else None
    held = passed = 0
    for value in rules:
        if high is not None and value >= high:
            return
        if low is not None and value < low:
            passed += 1
            if passed >= MAX_PASSED:
                return
            continue
        if held >= MAX_ITERATIONS:
            return
        start = from_rule_time(event, value)
        if isinstance(start, datetime) and start.date() in day_exdates:
            continue
        held += 1
        yield start


def build_ruleset(event: Event) -> rruleset:
    """The dateutil rule set of an activity: rule, DTSTART (always the first instance, as in
    RFC 5545 and every client), extra dates and excluded dates."""
    dtstart = to_rule_time(event, event.start)
    if event.rrule:
        rules = rrulestr(event.rrule, dtstart=dtstart, forceset=True)
        assert isinstance(rules, rruleset)
    else:
        rules = rruleset()
    rules.rdate(dtstart)
    for extra in event.rdates:
        rules.rdate(to_rule_time(event, extra))
    for excluded in event.exdates:
        # A bare date on a timed rule removes that whole day: handled by day_exclusions.
        if event.all_day or isinstance(excluded, datetime):
            rules.exdate(to_rule_time(event, excluded))
    return rules


def rule_start(event: Event) -> datetime | date:
    """Where an activity's rule itself starts: its start, or the rule's first occurrence when
    the start is not one of the rule's days (``BYDAY=TH`` from a Tuesday). Clients disagree on
    that start: RFC 5545 counts it as the rule's first occurrence (ical.js: the Tuesday and
    three Thursdays for ``COUNT=4``), dateutil and recurring-ical-events as one more (the
    Tuesday and four Thursdays, as the page lists). Feeds write this as DTSTART and the start
    as an RDATE, which every client reads as the page does."""
    if not event.rrule:
        return event.start
    dtstart = to_rule_time(event, event.start)
    first = next(iter(rrulestr(event.rrule, dtstart=dtstart)), None)
    if first is None or first == dtstart:
        return event.start
    return from_rule_time(event, first)


def day_exclusions(event: Event) -> frozenset[date]:
    if event.all_day:
        return frozenset()
    return frozenset(x for x in event.exdates if not isinstance(x, datetime))


def to_rule_time(event: Event, value: date) -> datetime:
    """The datetime dateutil works with: aware in the event's zone, or naive for all-day rules."""
    if event.all_day:
        day = value.date() if isinstance(value, datetime) else value
        return datetime.combine(day, time())
    zone = ZoneInfo(event.timezone)
    if isinstance(value, datetime):
        return value.astimezone(zone) if value.tzinfo else value.replace(tzinfo=zone)
    # A bare date on a timed activity (an rdate or a window edge): at the activity's own time.
    assert isinstance(event.start, datetime)
    return datetime.combine(value, event.start.astimezone(zone).time(), tzinfo=zone)


def from_rule_time(event: Event, value: datetime) -> datetime | date:
    return value.date() if event.all_day else value


def occurrence_length(event: Event) -> timedelta:
    """How long each occurrence lasts: end - start as elapsed time, as RFC 5545 reads a
    DATE-TIME duration (all-day: number of days - 1)."""
    if event.end is None:
        return timedelta(0)
    if event.all_day:
        return as_day(event.end) - as_day(event.start)
    assert isinstance(event.start, datetime) and isinstance(event.end, datetime)
    return event.end.astimezone(UTC) - event.start.astimezone(UTC)


def later(start: datetime | date, length: timedelta) -> datetime | date:
    """``start`` plus ``length``; for a time, as elapsed time, read on ``start``'s clock.

    Python adds to an aware datetime on the wall clock: an occurrence a rule puts at 01:30 on
    the night London's clocks go forward (a time that does not exist, read as 02:30 BST) would
    end at 02:30 BST, zero minutes later, and one on the night they go back would last two
    hours (issue 5's sweep: ``events.json`` against the calendar apps)."""
    if isinstance(start, datetime) and start.tzinfo is not None:
        return (start.astimezone(UTC) + length).astimezone(start.tzinfo)
    return start + length


def session_end(event: Event, start: datetime | date) -> datetime | date:
    """Where an occurrence of ``event`` starting at ``start`` ends (all-day: its last day).

    As long on the activity's clock as the editor's start and end: 22:00 to 06:00 stays so
    on the night London's clocks go forward (seven hours), as every calendar app reads a
    series' DTEND (ical.js and recurring-ical-events alike; the page said 07:00, eight
    hours on). Where a clock change skips or repeats either end's time (a session at 01:30
    that night), clock times say nothing sure and the apps disagree: it lasts its length in
    elapsed time (``later``)."""
    length = occurrence_length(event)
    if not isinstance(start, datetime) or not isinstance(event.start, datetime):
        return later(start, length)
    if not isinstance(event.end, datetime):
        return start
    zone = ZoneInfo(event.timezone)
    first, last = event.start.astimezone(zone), event.end.astimezone(zone)
    local = start.astimezone(zone)
    elapsed = later(start, length)
    assert isinstance(elapsed, datetime)
    if first.utcoffset() == last.utcoffset() and local.utcoffset() == (
        elapsed.astimezone(zone).utcoffset()
    ):  # perf (every session of a district): no clock change within either, both agree
        return elapsed
    wall = local.replace(tzinfo=None) + (last.replace(tzinfo=None) - first.replace(tzinfo=None))
    end = wall.replace(tzinfo=zone)
    if all(map(plain_clock, (first, last, local, end))):
        return end.astimezone(start.tzinfo)
    return elapsed


def plain_clock(value: datetime) -> bool:
    """Whether ``value``'s clock time happens exactly once in its zone (a clock change
    neither skips it nor repeats it)."""
    return value.replace(fold=0).utcoffset() == value.replace(fold=1).utcoffset()


def key_of(value: datetime | date) -> datetime | date:
    """Comparable key of an original start: UTC instant for timed, the date for all-day."""
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return value


def resolve_overrides(event: Event) -> dict[datetime | date, tuple[Override, datetime | date]]:
    """Overrides keyed by their occurrence's original start, with that start resolved.

    An override written with a date alone on a timed rule means that day's occurrence; it is
    resolved to the occurrence's exact original start (needed for RECURRENCE-ID).
    """
    out: dict[datetime | date, tuple[Override, datetime | date]] = {}
    for override in event.overrides:
        original = resolve_recurrence_id(event, override.recurrence_id)
        if original is not None:
            out[key_of(original)] = (override, original)
    return out


def resolve_recurrence_id(event: Event, value: datetime | date) -> datetime | date | None:
    """The exact original start an override's ``date`` names, or None if it names none."""
    if event.all_day:
        return as_day(value)
    if isinstance(value, datetime):
        return to_rule_time(event, value)
    zone = ZoneInfo(event.timezone)
    for start in original_starts(event, value - timedelta(days=1), value + timedelta(days=1)):
        assert isinstance(start, datetime)
        if start.astimezone(zone).date() == value:
            return start
    return None


def base_occurrence(
    event: Event, start: datetime | date, recurrence_id: datetime | date | None
) -> Occurrence:
    end: datetime | date | None = None
    if event.end is not None:
        end = session_end(event, start)
    return Occurrence(
        event_id=event.id,
        start=start,
        end=end,
        title=event.title,
        status=event.status,
        venue=event.venue,
        location=event.location,
        recurrence_id=recurrence_id,
        all_day=event.all_day,
    )


def apply_override(
    event: Event, original: datetime | date, entry: tuple[Override, datetime | date]
) -> Occurrence:
    override, _ = entry
    base = base_occurrence(event, original, original)
    start = override.start if override.start is not None else base.start
    if override.end is not None:
        end: datetime | date | None = override.end
    elif base.end is not None:
        end = session_end(event, start)
    else:
        end = None
    venue = override_venue(event, override)
    location = base.location
    if override.venue is not None:
        location = override.location or ""
    elif override.location is not None:
        location = override.location
    return Occurrence(
        event_id=event.id,
        start=start,
        end=end,
        title=override.title or base.title,
        status=override.status or base.status,
        venue=venue,
        location=location,
        recurrence_id=original,
        all_day=event.all_day,
        overridden=True,
    )


def override_venue(event: Event, override: Override) -> str | None:
    """The venue of an occurrence an override changes: its own, none when it names a place
    of its own (``location``), else the activity's."""
    if override.venue is not None:
        return override.venue
    return None if override.location is not None else event.venue


# --- day arithmetic --------------------------------------------------------------------------


def as_day(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


def instant(value: datetime | date, zone: ZoneInfo | None = None) -> datetime:
    """A UTC instant to sort by: an all-day date counts from midnight (site zone, or UTC)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    midnight = datetime.combine(value, time(), tzinfo=zone or UTC)
    return midnight.astimezone(UTC)


def local_day(value: datetime | date, zone: ZoneInfo) -> date:
    return value.astimezone(zone).date() if isinstance(value, datetime) else value


def last_day(occ: Occurrence, zone: ZoneInfo) -> date:
    """The last day (in ``zone``) an occurrence touches; a timed end at midnight is exclusive."""
    end = occ.end
    if end is None:
        return local_day(occ.start, zone)
    if isinstance(end, datetime):
        assert isinstance(occ.start, datetime)
        if end > occ.start:
            end = end - timedelta(microseconds=1)
        return max(end.astimezone(zone).date(), local_day(occ.start, zone))
    return end


# --- feeds -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Feed:
    """One calendar file of SPEC's URL table: its path and the activities it carries."""

    path: str
    kind: str
    """``all``, ``branch``, ``club``, ``venue``, ``category`` or ``event``."""
    name: str
    """The branch, club, venue, category or activity it is about ("" for the whole site)."""
    event_ids: tuple[str, ...]
    source: str = ""
    address: str = ""
    """Where the calendar says it is refreshed from, if not ``path`` (a renamed activity's
    calendar kept at its former path names its new one, for apps that move to it)."""
    moved_in: tuple[str, ...] = ()
    """Of ``event_ids``, those a venue's calendar carries only for occurrences an override
    moves to it (their series is held elsewhere): it carries those occurrences alone."""
    moved_out: tuple[str, ...] = ()
    """Of ``event_ids``, series held at a venue some of whose occurrences overrides move
    elsewhere: the venue's calendar carries them without those (as its page lists them)."""
    venue: str = ""
    """The venue's id, for a venue's calendar."""


def calendar_feeds(site: Site) -> list[Feed]:
    """Every iCalendar feed of the site, in a stable order (shared by ical and /subscribe/)."""
    events = site.events
    ids = sorted(events)
    out = [Feed(urls.calendar(), "all", "", tuple(ids))]
    # perf (issue 5): one pass over the activities instead of one per branch, club and venue.
    by_branch: dict[str, list[str]] = defaultdict(list)
    by_club: dict[str, list[str]] = defaultdict(list)
    at_venue: dict[str, list[str]] = defaultdict(list)
    moved_to: dict[str, list[str]] = defaultdict(list)
    moved_from: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        event = events[i]
        for branch_id in dict.fromkeys(event.branches):
            by_branch[branch_id].append(i)
        for club_id in dict.fromkeys(event.clubs):
            by_club[club_id].append(i)
        changed = [override_venue(event, o) for o in event.overrides]
        for venue_id in dict.fromkeys([event.venue, *changed]):
            if venue_id is not None:
                at_venue[venue_id].append(i)
                if venue_id != event.venue:
                    moved_to[venue_id].append(i)
        if event.venue is not None and any(v != event.venue for v in changed):
            moved_from[event.venue].append(i)
    for branch_id in sorted(site.branches):
        branch = site.branches[branch_id]
        chosen = tuple(by_branch.get(branch_id, ()))
        path = f"{urls.branch(branch.slug)}calendar.ics"
        out.append(Feed(path, "branch", branch.name, chosen, branch.source.path))
    for club_id in sorted(site.clubs):
        club = site.clubs[club_id]
        chosen = tuple(by_club.get(club_id, ()))
        out.append(
            Feed(f"{urls.club(club.slug)}calendar.ics", "club", club.name, chosen, club.source.path)
        )
    for venue_id in sorted(site.venues):
        venue = site.venues[venue_id]
        chosen = tuple(at_venue.get(venue_id, ()))
        path = f"{urls.venue(venue.slug)}calendar.ics"
        out.append(
            Feed(
                path,
                "venue",
                venue.name,
                chosen,
                venue.source.path,
                moved_in=tuple(moved_to.get(venue_id, ())),
                moved_out=tuple(moved_from.get(venue_id, ())),
                venue=venue_id,
            )
        )
    categories: dict[str, list[str]] = defaultdict(list)
    for event_id in ids:
        for category in events[event_id].categories:
            categories[category].append(event_id)
    for category in sorted(categories):
        out.append(
            Feed(
                urls.event_category_ics(category), "category", category, tuple(categories[category])
            )
        )
    for event_id in ids:
        event = events[event_id]
        out.append(
            Feed(urls.event_ics(event.slug), "event", event.title, (event_id,), event.source.path)
        )
    # A renamed or moved activity's calendar stays at its former address too (SPEC: a
    # subscription that worked before never breaks; its page there redirects).
    for old, event_id in moved_slugs(site).items():
        event = events[event_id]
        new = urls.event_ics(event.slug)
        out.append(
            Feed(urls.event_ics(old), "event", event.title, (event_id,), event.source.path, new)
        )
    return out
