"""Calendar views: expansion of rules, exclusions, extra dates and overrides; upcoming, past, months."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from calendar_sample import SH, TODAY, sample_site, sh

from generator.model import Event, Override, Source
from generator.views.calendar import MAX_ITERATIONS, derive, expand, month_range, updated


def starts(site_id: str, event_id: str = "") -> list[datetime | date]:
    site = sample_site()
    return [o.start for o in derive(site).by_event[event_id or site_id]]


def test_monthly_last_saturday_with_exdate_and_cancelled_override() -> None:
    views = derive(sample_site())
    occs = views.by_event["dushu-shalong"]
    assert [o.start for o in occs][:5] == [
        sh(2026, 1, 31, 14, 30),
        sh(2026, 2, 28, 14, 30),
        sh(2026, 3, 28, 14, 30),
        sh(2026, 4, 25, 14, 30),
        sh(2026, 6, 27, 14, 30),
    ]
    assert len(occs) == 11
    july = next(o for o in occs if o.start == sh(2026, 7, 25, 14, 30))
    assert july.status == "cancelled" and july.overridden
    assert july.recurrence_id == sh(2026, 7, 25, 14, 30)


def test_date_exdate_and_moved_override_on_weekly_rule() -> None:
    occs = derive(sample_site()).by_event["taiji"]
    found = [o.start for o in occs]
    assert sh(2026, 5, 5, 7, 0) not in found
    assert sh(2026, 5, 12, 7, 0) not in found
    moved = next(o for o in occs if o.start == sh(2026, 5, 13, 7, 30))
    assert moved.end == sh(2026, 5, 13, 8, 30)
    assert moved.location == "社区活动室" and moved.venue is None
    assert moved.recurrence_id == sh(2026, 5, 12, 7, 0)
    assert found[-1] == sh(2026, 6, 30, 7, 0)


def test_upcoming_past_and_order() -> None:
    views = derive(sample_site())
    assert all(
        a.sort_key(SH) <= b.sort_key(SH)
        for a, b in zip(views.upcoming, views.upcoming[1:], strict=False)
    )
    assert all(
        a.sort_key(SH) >= b.sort_key(SH) for a, b in zip(views.past, views.past[1:], strict=False)
    )
    assert views.upcoming[0].start >= sh(2026, 4, 20)
    assert any(o.event_id == "jiu-huodong" for o in views.past)
    assert not any(o.event_id == "jiu-huodong" for o in views.upcoming)
    assert [o.start for o in views.next_occurrences("taiji", 2)] == [
        sh(2026, 4, 21, 7),
        sh(2026, 4, 28, 7),
    ]


def test_ongoing_multi_day_activity_is_upcoming_until_its_last_day() -> None:
    views = derive(sample_site(today=date(2026, 11, 7)))
    assert any(o.event_id == "yixiao" for o in views.upcoming)
    views = derive(sample_site(today=date(2026, 11, 8)))
    assert not any(o.event_id == "yixiao" for o in views.upcoming)


def test_crossing_midnight_touches_two_days_and_two_months() -> None:
    base = sample_site()
    event = replace(base.events["guanxing"], start=sh(2026, 5, 31, 22), end=sh(2026, 6, 1, 1, 30))
    site = replace(base, events={"guanxing": event})
    views = derive(site)
    (occ,) = views.by_event["guanxing"]
    assert occ.days(ZoneInfo("Asia/Shanghai")) == [date(2026, 5, 31), date(2026, 6, 1)]
    assert occ in views.by_month[(2026, 5)] and occ in views.by_month[(2026, 6)]


def test_midnight_end_is_exclusive() -> None:
    base = sample_site()
    event = replace(base.events["guanxing"], start=sh(2026, 5, 16, 20), end=sh(2026, 5, 17, 0))
    (occ,) = derive(replace(base, events={"guanxing": event})).by_event["guanxing"]
    assert occ.days(ZoneInfo("Asia/Shanghai")) == [date(2026, 5, 16)]


def test_months_are_contiguous_and_include_today() -> None:
    views = derive(sample_site())
    assert (2026, 4) in views.months and (2026, 11) in views.months
    assert month_range({(2025, 11), (2026, 2)}) == ((2025, 11), (2025, 12), (2026, 1), (2026, 2))


def test_endless_rule_is_bounded_and_fast() -> None:
    """A daily series begun in 2020 (today 2026-04-20): from its first session, so the month
    grids of 2021 list it as a calendar app scrolled back does, to the horizon a year ahead."""
    site = sample_site()
    began = time.perf_counter()
    views = derive(site)
    assert time.perf_counter() - began < 2
    daily = views.by_event["meiri-daka"]
    assert daily[0].start == sh(2020, 1, 1, 20)
    assert daily[-1].start <= sh(2027, 4, 21, 23)
    assert len(daily) == (daily[-1].start.date() - date(2020, 1, 1)).days + 1  # type: ignore[union-attr]
    assert any(o.event_id == "meiri-daka" for o in views.by_month[(2021, 3)])


def test_an_old_endless_series_reaches_today_and_keeps_ten_years() -> None:
    """Sessions were capped at 20,000 counted from the first: an hourly series begun in 2023
    ended in 2025, and a daily one begun in 1960 in 2014, each with nothing upcoming."""
    base = sample_site()
    hourly = replace(base.events["meiri-daka"], rrule="FREQ=HOURLY", start=sh(2023, 1, 1, 8),
                     end=sh(2023, 1, 1, 8, 30))  # fmt: skip
    old = replace(base.events["meiri-daka"], start=sh(1960, 1, 1, 20), end=sh(1960, 1, 1, 20, 30))
    site = replace(
        base, events={**base.events, "meiri-daka": old, "hourly": replace(hourly, id="hourly")}
    )
    views = derive(site)
    for event_id in ("meiri-daka", "hourly"):
        assert any(o.event_id == event_id for o in views.upcoming)
    daily = views.by_event["meiri-daka"]
    assert daily[0].start == sh(2015, 4, 19, 20)  # ten years before the window's start
    assert views.by_event["hourly"][0].start >= sh(2025, 4, 18)


def test_a_series_until_a_far_year_is_shown_as_an_endless_one() -> None:
    """UNTIL=20991231 written for "no end": month grids and sessions to the horizon, as an
    endless series (each month to 2099 had its grid: 880 pages for one weekly class); a
    series that really ends in a few years keeps every session to its last."""
    base = sample_site()
    weekly = replace(base.events["meiri-daka"], rrule="FREQ=WEEKLY;UNTIL=20991231T000000Z")
    three_years = replace(weekly, id="three", rrule="FREQ=WEEKLY;UNTIL=20290419T000000Z")
    site = replace(base, events={**base.events, "meiri-daka": weekly, "three": three_years})
    views = derive(site)
    far = views.by_event["meiri-daka"]
    assert far[-1].start <= sh(2027, 4, 21, 23)
    assert far[-1].start > sh(2027, 4, 13)  # weekly to the horizon, as an endless one
    assert views.by_event["three"][-1].start.date() == date(2029, 4, 18)  # type: ignore[union-attr]
    assert views.months[-1] == (2029, 4)


def test_minutely_rule_stops() -> None:
    base = sample_site()
    event = replace(base.events["meiri-daka"], rrule="FREQ=MINUTELY", start=sh(2026, 4, 1, 20))
    began = time.perf_counter()
    occs = list(expand(event, TODAY, TODAY + timedelta(days=365)))
    assert time.perf_counter() - began < 5
    assert len(occs) <= MAX_ITERATIONS  # cut by the iteration cap, not endless


def test_rdate_and_start_off_rule_are_included() -> None:
    event = Event(
        id="x",
        slug="x",
        title="x",
        start=sh(2026, 5, 4, 10),  # a Monday, the rule says Tuesdays
        end=sh(2026, 5, 4, 11),
        source=Source("content/events/x.md", 1, "events/x.md"),
        rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=2",
        rdates=(sh(2026, 6, 1, 15), date(2026, 6, 3)),
    )
    found = [o.start for o in expand(event, date(2026, 1, 1), date(2027, 1, 1))]
    assert found == [
        sh(2026, 5, 4, 10),
        sh(2026, 5, 5, 10),
        sh(2026, 5, 12, 10),
        sh(2026, 6, 1, 15),
        sh(2026, 6, 3, 10),
    ]


def test_override_given_as_a_date_on_a_timed_rule() -> None:
    base = sample_site().events["taiji"]
    event = replace(
        base, overrides=(Override(recurrence_id=date(2026, 4, 14), status="cancelled"),)
    )
    occs = list(expand(event, date(2026, 1, 1), date(2027, 1, 1)))
    april = next(o for o in occs if o.start == sh(2026, 4, 14, 7))
    assert april.status == "cancelled" and april.recurrence_id == sh(2026, 4, 14, 7)


def test_all_day_rule_with_exdate_and_length() -> None:
    event = Event(
        id="fair",
        slug="fair",
        title="集市",
        start=date(2026, 5, 1),
        end=date(2026, 5, 2),
        all_day=True,
        source=Source("content/events/fair.md", 1, "events/fair.md"),
        rrule="FREQ=MONTHLY;COUNT=3",
        exdates=(date(2026, 6, 1),),
    )
    occs = list(expand(event, date(2026, 1, 1), date(2027, 1, 1)))
    assert [(o.start, o.end) for o in occs] == [
        (date(2026, 5, 1), date(2026, 5, 2)),
        (date(2026, 7, 1), date(2026, 7, 2)),
    ]


def test_paris_summer_wall_time_is_kept_across_dst() -> None:
    paris = ZoneInfo("Europe/Paris")
    event = Event(
        id="p",
        slug="p",
        title="p",
        start=datetime(2026, 3, 22, 18, tzinfo=paris),
        end=datetime(2026, 3, 22, 20, tzinfo=paris),
        timezone="Europe/Paris",
        source=Source("content/events/p.md", 1, "events/p.md"),
        rrule="FREQ=WEEKLY;COUNT=3",
    )
    occs = list(expand(event, date(2026, 1, 1), date(2027, 1, 1)))
    assert [o.start.utcoffset() for o in occs] == [
        timedelta(hours=1),
        timedelta(hours=2),
        timedelta(hours=2),
    ]
    assert all(o.start.hour == 18 for o in occs)  # type: ignore[union-attr]


def test_an_occurrence_across_a_clock_change_lasts_as_long_as_the_others() -> None:
    """A rule puts 01:30 on the nights London's clocks change: an hour that does not exist
    (read as 02:30 BST, as RFC 5545 says) and an hour that happens twice. Each occurrence
    still lasts its hour of elapsed time, as calendar apps count a DATE-TIME duration."""
    london = ZoneInfo("Europe/London")
    occurrences = []
    for day in (date(2027, 3, 27), date(2027, 10, 30)):
        event = Event(
            id="night",
            slug="night",
            title="夜间连线",
            start=datetime.combine(day, datetime.min.time().replace(hour=1, minute=30), london),
            end=datetime.combine(day, datetime.min.time().replace(hour=2, minute=30), london),
            timezone="Europe/London",
            source=Source("content/events/night.md", 1, "events/night.md"),
            rrule="FREQ=DAILY;COUNT=3",
        )
        occurrences += list(expand(event, date(2027, 1, 1), date(2028, 1, 1)))
    assert len(occurrences) == 6
    for occ in occurrences:
        assert isinstance(occ.start, datetime) and isinstance(occ.end, datetime)
        assert occ.end.timestamp() - occ.start.timestamp() == 3600, occ


def test_venue_and_category_lookups() -> None:
    views = derive(sample_site())
    at_venue = views.upcoming_at_venue("hong-e-fuwuzhan")
    assert {o.event_id for o in at_venue} == {"dushu-shalong", "yixiao", "quxiao"}
    assert views.categories["读书"] == ("dushu-shalong",)


def test_updated_calendar_equals_the_calendar_derived_anew() -> None:
    """The live preview's refresh updates the calendar for edited activities instead of
    deriving it again (issue 5); the result must be ``derive``'s, ties and all, for edits that
    move occurrences across days, months, the build day and the past window, change rules,
    add multi-day and all-day spans, and give two activities the same instant."""
    import random

    site = sample_site()
    base = derive(site)
    ids = sorted(site.events)
    rng = random.Random(5)
    for _ in range(200):
        chosen = rng.sample(ids, rng.randint(1, 3))
        events = dict(site.events)
        for event_id in chosen:
            event = events[event_id]
            shift = timedelta(days=rng.randint(-400, 400), hours=rng.randint(-5, 5))
            start = event.start + shift if isinstance(event.start, datetime) else event.start
            changes: dict[str, object] = {"start": start}
            if isinstance(event.end, datetime):
                changes["end"] = event.end + shift + timedelta(days=rng.choice([0, 0, 3, 40]))
            if rng.random() < 0.3:
                changes["rrule"] = rng.choice([None, "FREQ=WEEKLY;COUNT=9", "FREQ=DAILY;COUNT=3"])
            if rng.random() < 0.2:  # the same instant as another activity
                other = events[rng.choice(ids)]
                if isinstance(other.start, datetime) and isinstance(start, datetime):
                    changes["start"] = other.start
                    changes.pop("end", None)
            events[event_id] = replace(event, **changes)  # type: ignore[arg-type]
        edited = replace(site, events=events)
        assert updated(base, edited, chosen) == derive(edited), chosen
