"""iCalendar feeds: read by two independent clients, linted at the byte level, compared to golden."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from calendar_sample import PARIS, TODAY, sample_site, sh
from ical_clients import icaljs_occurrences, icaljs_read, lint_octets, rie_occurrences

from generator.model import Event, Override, Source
from generator.outputs import ical
from generator.views import calendar as calviews
from generator.views.calendar import derive

GOLDEN = Path(__file__).parent / "golden" / "ical"
SINCE = date(2025, 1, 1)
UNTIL = date(2027, 6, 1)


@pytest.fixture(scope="module")
def feeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    site = sample_site()
    out = tmp_path_factory.mktemp("feeds")
    paths = {}
    for spec in ical.files(site, None):  # type: ignore[arg-type]
        target = out / spec.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(spec.content)
        paths[spec.path] = target
    return paths


def occurrences_of(feed: Path, uid: str, client: str) -> list[tuple[str, str]]:
    if client == "icaljs":
        found = icaljs_occurrences(feed, SINCE, UNTIL)
    else:
        found = rie_occurrences(feed.read_bytes(), SINCE, UNTIL)
    return sorted((start, status) for u, start, status in found if u == uid)


def test_feed_paths_follow_spec(feeds: dict[str, Path]) -> None:
    assert {
        "calendar.ics",
        "branches/caizhi/calendar.ics",
        "clubs/dushu/calendar.ics",
        "venues/hong-e-fuwuzhan/calendar.ics",
        "events/categories/du-shu/calendar.ics",
        "events/taiji/event.ics",
    } <= set(feeds)


def test_every_feed_passes_the_octet_lint(feeds: dict[str, Path]) -> None:
    for path, file in feeds.items():
        assert lint_octets(file.read_bytes()) == [], path


def test_two_clients_and_the_pages_agree_on_every_occurrence(feeds: dict[str, Path]) -> None:
    """ical.js (the file's VTIMEZONEs) and icalendar+rie (zone database) read the same instants,
    and the pages' own expansion shows the same occurrences."""
    feed = feeds["calendar.ics"]
    a = icaljs_occurrences(feed, SINCE, UNTIL)
    b = rie_occurrences(feed.read_bytes(), SINCE, UNTIL)
    assert a == b
    site = sample_site()
    views = derive(site)
    ours = set()
    for occurrences in views.by_event.values():
        for occ in occurrences:
            uid = f"{occ.event_id}@org.example.io"
            start = occ.start
            if SINCE <= calviews.as_day(start) < UNTIL:
                ours.add((uid, ical_clients_show(start), ical.STATUS_MAP[occ.status]))
    window_start = TODAY - timedelta(days=calviews.PAST_DAYS)
    window_end = TODAY + timedelta(days=site.config.horizon_days)
    clipped = {o for o in a if window_start.isoformat() <= o[1][:10] <= window_end.isoformat()}
    ours_clipped = {
        o for o in ours if window_start.isoformat() <= o[1][:10] <= window_end.isoformat()
    }
    assert clipped == ours_clipped


def ical_clients_show(value: date) -> str:
    from ical_clients import show

    return show(value)


@pytest.mark.parametrize("client", ["icaljs", "rie"])
def test_monthly_last_saturday_with_exdate_and_cancelled_override(
    feeds: dict[str, Path], client: str
) -> None:
    occ = occurrences_of(feeds["calendar.ics"], "dushu-shalong@org.example.io", client)
    starts = [s for s, _ in occ]
    # Last Saturdays of 2026 at 14:30 Shanghai (06:30Z); May 30 excluded.
    assert starts[:6] == [
        "2026-01-31T06:30:00Z",
        "2026-02-28T06:30:00Z",
        "2026-03-28T06:30:00Z",
        "2026-04-25T06:30:00Z",
        "2026-06-27T06:30:00Z",
        "2026-07-25T06:30:00Z",
    ]
    assert len(starts) == 11  # COUNT=12 minus the EXDATE
    assert ("2026-07-25T06:30:00Z", "CANCELLED") in occ
    assert starts[-1] == "2026-12-26T06:30:00Z"


@pytest.mark.parametrize("client", ["icaljs", "rie"])
def test_weekly_until_with_date_exdate_and_moved_override(
    feeds: dict[str, Path], client: str
) -> None:
    starts = [
        s
        for s, _ in occurrences_of(feeds["events/taiji/event.ics"], "taiji@org.example.io", client)
    ]
    assert starts[0] == "2026-04-06T23:00:00Z"  # Tue 07:00 Shanghai
    assert "2026-05-04T23:00:00Z" not in starts  # date-only EXDATE 2026-05-05
    assert "2026-05-11T23:00:00Z" not in starts  # moved ...
    assert "2026-05-12T23:30:00Z" in starts  # ... to Wed 07:30
    assert starts[-1] == "2026-06-29T23:00:00Z"  # Tue 30 June 07:00 (23:00Z) is before UNTIL
    assert len(starts) == 12


def test_all_day_three_days_is_value_date_with_exclusive_end(feeds: dict[str, Path]) -> None:
    raw = feeds["events/yixiao/event.ics"].read_bytes()
    assert b"DTSTART;VALUE=DATE:20261105\r\n" in raw
    assert b"DTEND;VALUE=DATE:20261108\r\n" in raw
    data = icaljs_read(feeds["events/yixiao/event.ics"], UNTIL)
    (item,) = data["occurrences"]  # type: ignore[misc]
    assert (item["start"], item["end"]) == ("2026-11-05", "2026-11-08")


@pytest.mark.parametrize("client", ["icaljs", "rie"])
def test_crossing_midnight_and_paris_summer_time(feeds: dict[str, Path], client: str) -> None:
    feed = feeds["calendar.ics"]
    assert occurrences_of(feed, "guanxing@org.example.io", client) == [
        ("2026-05-16T14:00:00Z", "TENTATIVE")
    ]
    # 18:00 in Paris in July is UTC+2: 16:00Z (a RDATE-list VTIMEZONE made ical.js say 17:00Z).
    expected = datetime(2026, 7, 14, 18, 0, tzinfo=PARIS).astimezone(UTC)
    assert occurrences_of(feed, "bali-jiaoliu@org.example.io", client) == [
        (expected.strftime("%Y-%m-%dT%H:%M:%SZ"), "TENTATIVE")
    ]


def test_icaljs_reads_each_vtimezone_like_the_zone_database(tmp_path: Path) -> None:
    """Every hour-ish point over several years, for zones with odd rules: ical.js's reading of our
    VTIMEZONE matches zoneinfo."""
    zones = [
        "Europe/Paris",
        "America/New_York",
        "Australia/Sydney",
        "Asia/Shanghai",
        "Africa/Casablanca",
    ]
    base = sample_site()
    events = {}
    for index, zone in enumerate(zones):
        tz = ZoneInfo(zone)
        start = datetime(2024, 1, 1, 10, 0, tzinfo=tz)
        events[f"z{index}"] = Event(
            id=f"z{index}",
            slug=f"z{index}",
            title=zone,
            start=start,
            end=start + timedelta(hours=1),
            timezone=zone,
            source=Source(f"content/events/z{index}.md"),
            rrule="FREQ=DAILY;INTERVAL=5;COUNT=300",
        )
    site = replace(base, events=events, history={})
    path = tmp_path / "zones.ics"
    path.write_bytes(next(ical.files(site, None)).content)  # type: ignore[arg-type]
    data = icaljs_read(path, date(2030, 1, 1))
    seen = 0
    for item in data["occurrences"]:  # type: ignore[union-attr]
        zone = zones[int(item["uid"].split("@")[0][1:])]
        tz = ZoneInfo(zone)
        got = datetime.fromisoformat(item["start"].replace("Z", "+00:00"))
        local = got.astimezone(tz)
        assert (local.hour, local.minute) == (10, 0), (zone, item["start"])
        seen += 1
    assert seen == 300 * len(zones)


def test_properties_every_client_needs(feeds: dict[str, Path]) -> None:
    raw = feeds["calendar.ics"].read_bytes()
    cal = icalendar.Calendar.from_ical(raw)
    assert cal["METHOD"] == "PUBLISH"
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    assert cal["X-WR-TIMEZONE"] == "Asia/Shanghai"
    assert "新星街道党群服务中心" in str(cal["X-WR-CALNAME"])
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n" in raw
    assert b"X-PUBLISHED-TTL:PT6H\r\n" in raw
    tzids = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
    for event in cal.walk("VEVENT"):
        assert event.get("DTSTAMP") is not None
        assert event.get("UID")
        assert "https://org.example.io/repo/events/" in str(event["DESCRIPTION"])
        assert str(event["URL"]).startswith("https://org.example.io/repo/events/")
        for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
            prop = event.get(name)
            if prop is not None and "TZID" in prop.params:
                assert prop.params["TZID"] in tzids
    # No RDATE-list VTIMEZONE (the trap), and no ambiguous TZNAME like CST.
    assert b"TZNAME" not in raw
    for tz in cal.walk("VTIMEZONE"):
        for sub in tz.subcomponents:
            assert "RDATE" not in sub


def test_each_feed_has_a_vtimezone_for_every_tzid_it_uses_and_no_other(
    feeds: dict[str, Path],
) -> None:
    """An all-day activity's event.ics (VALUE=DATE) and a Paris one's carried the site's
    Asia/Shanghai VTIMEZONE that no TZID named (noise validators flag); ical.js registers
    exactly the zones the feed names."""
    for path, feed in feeds.items():
        cal = icalendar.Calendar.from_ical(feed.read_bytes())
        named = {
            str(prop.params["TZID"])
            for event in cal.walk("VEVENT")
            for name in ("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE")
            for prop in (
                event.get(name) if isinstance(event.get(name), list) else [event.get(name)]
            )
            if prop is not None and "TZID" in prop.params
        }
        assert {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")} == named, path
    assert icaljs_read(feeds["events/yixiao/event.ics"], UNTIL)["zones"] == []
    assert icaljs_read(feeds["events/bali-jiaoliu/event.ics"], UNTIL)["zones"] == ["Europe/Paris"]


def test_cancelled_and_postponed_stay_in_the_feed(feeds: dict[str, Path]) -> None:
    cal = icalendar.Calendar.from_ical(feeds["calendar.ics"].read_bytes())
    by_uid = {str(e["UID"]): e for e in cal.walk("VEVENT") if "RECURRENCE-ID" not in e}
    assert by_uid["quxiao@org.example.io"]["STATUS"] == "CANCELLED"
    assert by_uid["bali-jiaoliu@org.example.io"]["STATUS"] == "TENTATIVE"
    assert "延期" in str(by_uid["bali-jiaoliu@org.example.io"]["SUMMARY"])


def test_override_is_a_recurrence_id_not_a_new_activity(feeds: dict[str, Path]) -> None:
    cal = icalendar.Calendar.from_ical(feeds["events/taiji/event.ics"].read_bytes())
    items = cal.walk("VEVENT")
    assert len(items) == 2
    assert {str(e["UID"]) for e in items} == {"taiji@org.example.io"}
    override = next(e for e in items if "RECURRENCE-ID" in e)
    assert override["RECURRENCE-ID"].dt == sh(2026, 5, 12, 7, 0)
    assert override["DTSTART"].dt == sh(2026, 5, 13, 7, 30)
    assert "社区活动室" in str(override["LOCATION"])
    master = next(e for e in items if "RECURRENCE-ID" not in e)
    # The date-only EXDATE became the exact occurrence it removes.
    assert [d.dt for d in master["EXDATE"].dts] == [sh(2026, 5, 5, 7, 0)]


def test_history_fields_are_used(feeds: dict[str, Path]) -> None:
    raw = feeds["events/dushu-shalong/event.ics"].read_bytes()
    assert b"SEQUENCE:2\r\n" in raw
    assert b"LAST-MODIFIED:20260301T080000Z\r\n" in raw
    assert b"DTSTAMP:20260301T080000Z\r\n" in raw


def test_same_input_gives_identical_bytes_and_no_clock() -> None:
    first = [f.content for f in ical.files(sample_site(), None)]  # type: ignore[arg-type]
    second = [f.content for f in ical.files(sample_site(), None)]  # type: ignore[arg-type]
    assert first == second


def test_endless_rule_and_many_events_stay_fast() -> None:
    import time

    base = sample_site()
    template = base.events["dushu-shalong"]
    events = {}
    for index in range(1500):
        events[f"e{index}"] = replace(
            template, id=f"e{index}", slug=f"e{index}", rrule="FREQ=WEEKLY"
        )
    site = replace(base, events=events, history={})
    began = time.perf_counter()
    views = derive(site)
    out = list(ical.files(site, views))
    elapsed = time.perf_counter() - began
    assert len(out) > 1500
    assert elapsed < 20, elapsed


def test_golden_feed(request: pytest.FixtureRequest) -> None:
    """One small feed byte for byte; regenerate with ``pytest tests/test_ical.py --regen-golden``
    (or ``python tests/regen_golden.py``) and review the diff."""
    site = sample_site()
    produced = {f.path: f.content for f in ical.files(site, None)}  # type: ignore[arg-type]
    for name in ("events/dushu-shalong/event.ics", "events/yixiao/event.ics"):
        golden = GOLDEN / name.replace("/", "__")
        if request.config.getoption("--regen-golden", default=False) or not golden.exists():
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_bytes(produced[name])
            if not request.config.getoption("--regen-golden", default=False):
                pytest.fail(f"golden file {golden} was missing and has been written; review it")
        assert produced[name] == golden.read_bytes(), name


if __name__ == "__main__":
    sys.exit(pytest.main([__file__]))


def test_a_start_off_the_rules_days_reads_as_the_page_in_every_client(tmp_path: Path) -> None:
    """``start`` on a Tuesday with ``BYDAY=TH;COUNT=4``: RFC 5545 (ical.js) counts the Tuesday
    as the rule's first occurrence, dateutil (and recurring-ical-events) as one more. The feed
    starts the rule on its first Thursday with the Tuesday as an RDATE, so both clients read
    the five sessions the page lists; an override of the Tuesday still applies to it."""
    from calendar_sample import sample_events, src

    site = sample_site()
    kickoff = Event(
        id="kickoff",
        slug="kickoff",
        title="新学期开班",
        start=sh(2026, 12, 8, 14, 0),
        end=sh(2026, 12, 8, 16, 0),
        source=src("kickoff"),
        rrule="FREQ=WEEKLY;BYDAY=TH;COUNT=4",
        overrides=(Override(recurrence_id=sh(2026, 12, 8, 14, 0), title="开班仪式"),),
    )
    site = replace(site, events={**sample_events(), "kickoff": kickoff})
    feed = tmp_path / "event.ics"
    spec = next(f for f in ical.files(site, None) if f.path == "events/kickoff/event.ics")  # type: ignore[arg-type]
    feed.write_bytes(spec.content)
    page = sorted(ical_clients_show(occ.start) for occ in derive(site).by_event["kickoff"])
    assert page == [
        "2026-12-08T06:00:00Z",
        "2026-12-10T06:00:00Z",
        "2026-12-17T06:00:00Z",
        "2026-12-24T06:00:00Z",
        "2026-12-31T06:00:00Z",
    ]
    for client in ("icaljs", "rie"):
        assert [s for s, _ in occurrences_of(feed, "kickoff@org.example.io", client)] == page
    parsed = icalendar.Calendar.from_ical(feed.read_bytes())
    moved = [c for c in parsed.walk("VEVENT") if c.get("RECURRENCE-ID") is not None]
    assert [str(c["SUMMARY"]) for c in moved] == ["开班仪式"]
