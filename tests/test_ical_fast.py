"""The fast VEVENT path (``ical.vevents_bytes``, issue 5) writes, byte for byte, what icalendar's
components write (``build_vevents`` + ``serialise``, kept as the reference)."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from buildtools import EPOCH, FIXTURE_SITE, REPO
from calendar_sample import PARIS, sample_site, sh
from ical_clients import icaljs_occurrences, rie_occurrences, show
from sitetools import load_tree

from generator import build
from generator.model import (
    Branch,
    Club,
    Event,
    EventHistory,
    Override,
    Registration,
    Site,
    Source,
    Venue,
)
from generator.outputs import ical
from generator.views.calendar import calendar_feeds, derive

NOW = datetime.fromtimestamp(int(EPOCH)).astimezone()
NEW_YORK = ZoneInfo("America/New_York")


def history_of(site: Site, event_id: str) -> EventHistory:
    return site.history.get(event_id) or ical.default_history(event_id, site.config.site_url)


def reference(site: Site, event_id: str) -> bytes:
    event = site.events[event_id]
    components = ical.build_vevents(site, event, history_of(site, event_id))
    return b"".join(ical.serialise(c) for c in components)


def fast(site: Site, event_id: str) -> bytes:
    return ical.vevents_bytes(site, site.events[event_id], history_of(site, event_id))


def assert_fast_is_reference(site: Site) -> None:
    assert site.events
    for event_id in site.events:
        expected = reference(site, event_id)
        got = fast(site, event_id)
        if got != expected:  # the first differing line, readable
            pairs = zip(got.split(b"\r\n"), expected.split(b"\r\n"), strict=False)
            first = next(((g, e) for g, e in pairs if g != e), (got, expected))
            pytest.fail(f"{event_id}: fast {first[0]!r} != reference {first[1]!r}")


# --- the sites the other tests use ------------------------------------------------------------


@pytest.mark.parametrize("history", [True, False])
def test_sample_site(history: bool) -> None:
    assert_fast_is_reference(sample_site(history=history))


def test_fixture_site() -> None:
    options = build.read_options(FIXTURE_SITE / "mkdocs.yml", git_history=False)
    assert_fast_is_reference(build.load_site(options, now=NOW).site)


def test_feeds_carry_the_fast_bytes() -> None:
    """FeedWriter puts the fast path's bytes (the same as the reference's) into every feed."""
    site = sample_site()
    writer = ical.FeedWriter(site)
    for feed in calendar_feeds(site):
        rendered = writer.render(feed)
        for event_id in feed.event_ids:
            assert reference(site, event_id) in rendered
    assert writer.event_bytes == {i: reference(site, i) for i in writer.event_bytes}


# --- a generated district ---------------------------------------------------------------------


def load_make_site() -> Callable[..., dict[str, int]]:
    """``benchmarks/make_site.py``'s ``make_site`` (benchmarks/ is not a package)."""
    name = "benchmarks_make_site"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / "make_site.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # its dataclasses look their module up
        spec.loader.exec_module(module)
    make_site: Callable[..., dict[str, int]] = sys.modules[name].make_site
    return make_site


def test_generated_district(tmp_path: Path) -> None:
    root = tmp_path / "district"
    load_make_site()(root, events=600, news=20, orgs=60, today=date(2026, 4, 20), git=False)
    options = build.read_options(root / "mkdocs.yml", git_history=False)
    site = build.load_site(options, now=datetime(2026, 4, 20, 12, tzinfo=UTC)).site
    events = list(site.events.values())
    # The cases the comparison is meant to cover are there (a test of nothing would pass too).
    assert len(events) == 600
    assert Counter(e.status for e in events).keys() == {
        "confirmed",
        "cancelled",
        "postponed",
        "tentative",
    }
    assert sum(e.all_day for e in events) > 10
    assert any(e.all_day and e.end not in (None, e.start) for e in events)
    assert sum(bool(e.rrule) for e in events) > 10
    assert any(e.rrule and e.exdates for e in events)
    assert any(e.overrides for e in events)
    assert_fast_is_reference(site)


# --- hostile text, other zones, odd shapes ----------------------------------------------------

HOSTILE = "a,b;c:d\"e\\f\\n g^h'i"
CONTROL = "tab\there\x00nul\x01\x0bvt\x0cff\x1fus\x7fdel\u0085nel\u2028ls"
LONG_ZH = "社区党群服务中心组织开展“学习贯彻”主题活动，" * 40 + "😀🎉"


def src(name: str) -> Source:
    return Source(f"content/events/{name}.md", 1, f"events/{name}.md")


def hostile_site(language: str = "zh") -> Site:
    base = sample_site()
    branches = {
        "quoted": Branch(
            id="quoted",
            slug="quoted",
            name="党支部 \"一\", 二; 三: 四 ^ 五\n六 '七'",
            source=src("quoted"),
        ),
        "plain": Branch(id="plain", slug="plain", name="财智党支部", source=src("plain")),
    }
    clubs = {
        "colon": Club(id="colon", slug="colon", name="读书会:夜读;晨读", source=src("colon")),
        "emoji": Club(id="emoji", slug="emoji", name="光影社 📷", source=src("emoji")),
    }
    venues = {
        "odd": Venue(
            id="odd",
            slug="odd",
            name=f"驿站{HOSTILE}",
            address="新星路1号,\n2楼;东侧\r\n电梯口",
            source=src("odd"),
        ),
    }
    paris = ZoneInfo("Europe/Paris")
    events = [
        Event(
            id="hostile-text",
            slug="hostile-text",
            title=f"\ufeff{HOSTILE} {CONTROL} 😀 第一行\n第二行\r\n第三行",
            start=sh(2026, 6, 1, 19, 0),
            end=sh(2026, 6, 1, 21, 30),
            source=src("hostile-text"),
            venue="odd",
            location=f"二楼{HOSTILE}",
            online="https://meet.example.org/j/1?a=1;b=2,c",
            branches=("quoted",),
            categories=("读书,学习", "a;b", 'q"uote', "back\\slash", "😀", "x" * 90),
            status="tentative",
            registration=Registration(
                url="https://form.example.org/x?y=1,2", capacity=30, deadline=sh(2026, 5, 30)
            ),
            contact=f"王老师 138-0000-0000; 李老师, {HOSTILE}\n微信 abc",
            summary=LONG_ZH,
        ),
        Event(
            id="long-body",
            slug="long-body",
            title="中" * 200,
            start=sh(2026, 6, 2, 9, 0),
            source=src("long-body"),  # no end: no DTEND
            clubs=("colon", "emoji"),
            body="## 标题\n\n"
            + ("长文本**加粗**，[链接](../about.md)。\\^" * 80)
            + "\n\n"
            + CONTROL,
        ),
        Event(
            id="paris-weekly",
            slug="paris-weekly",
            title="巴黎周会",
            start=datetime(2026, 3, 5, 18, 30, tzinfo=paris),
            end=datetime(2026, 3, 5, 20, 0, tzinfo=paris),
            timezone="Europe/Paris",
            source=src("paris-weekly"),
            clubs=("emoji",),
            rrule="FREQ=WEEKLY;BYDAY=TH;COUNT=20",
            exdates=(datetime(2026, 3, 26, 18, 30, tzinfo=paris), date(2026, 4, 2)),
            rdates=(datetime(2026, 3, 28, 10, 0, tzinfo=paris), date(2026, 5, 2)),
            overrides=(
                Override(
                    recurrence_id=datetime(2026, 3, 12, 18, 30, tzinfo=paris), status="cancelled"
                ),
                Override(
                    recurrence_id=date(2026, 3, 19),  # a date alone on a timed rule
                    start=datetime(2026, 3, 20, 19, 0, tzinfo=paris),
                    end=datetime(2026, 3, 20, 21, 0, tzinfo=paris),
                    venue="odd",
                    title=f"特别场{HOSTILE}",
                ),
                Override(
                    recurrence_id=datetime(2026, 4, 9, 18, 30, tzinfo=paris),
                    location="线上\n会议",
                    status="postponed",
                ),
            ),
        ),
        Event(
            id="new-york",
            slug="new-york",
            title="纽约交流会 across DST",
            start=datetime(2026, 3, 1, 23, 30, tzinfo=NEW_YORK),
            end=datetime(2026, 3, 2, 1, 0, tzinfo=NEW_YORK),
            timezone="America/New_York",
            source=src("new-york"),
            rrule="FREQ=DAILY;UNTIL=20260315T000000Z",
            rdates=(datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK),),
            exdates=(datetime(2026, 3, 8, 23, 30, tzinfo=NEW_YORK),),
            online="https://meet.example.org/ny",
            status="cancelled",
        ),
        Event(
            id="all-day-rule",
            slug="all-day-rule",
            title="全天志愿服务",
            start=date(2026, 5, 1),
            end=date(2026, 5, 2),
            all_day=True,
            source=src("all-day-rule"),
            branches=("missing", "plain"),
            rrule="FREQ=MONTHLY;COUNT=6",
            exdates=(date(2026, 7, 1),),
            rdates=(date(2026, 12, 24), date(2026, 12, 31)),
            overrides=(
                Override(recurrence_id=date(2026, 8, 1), end=date(2026, 8, 3), title="延长"),
                Override(recurrence_id=date(2026, 9, 1), start=date(2026, 9, 5), location=""),
            ),
            categories=("志愿服务",),
        ),
        Event(
            id="utc-zone",
            slug="utc-zone",
            title="UTC 活动",
            start=datetime(2026, 6, 3, 12, 0, tzinfo=ZoneInfo("UTC")),
            end=datetime(2026, 6, 3, 13, 0, tzinfo=ZoneInfo("UTC")),
            timezone="UTC",
            source=src("utc-zone"),
            rrule="FREQ=WEEKLY;COUNT=3",
            exdates=(datetime(2026, 6, 10, 12, 0, tzinfo=ZoneInfo("UTC")),),
        ),
        Event(
            id="alias-zone",
            slug="alias-zone",
            title="别名时区",
            start=datetime(2026, 6, 4, 8, 0, tzinfo=ZoneInfo("Asia/Chongqing")),
            end=datetime(2026, 6, 4, 9, 0, tzinfo=ZoneInfo("Asia/Chongqing")),
            timezone="Asia/Chongqing",
            source=src("alias-zone"),
            venue="odd",
        ),
        Event(
            id="plain-single",
            slug="plain-single",
            title="",
            start=date(2026, 6, 5),
            all_day=True,
            source=src("plain-single"),
        ),
    ]
    histories = {
        "hostile-text": EventHistory(
            uid="hostile,text;1@example.org",
            sequence=12,
            last_modified=datetime(2026, 5, 1, 9, 30, 15, tzinfo=PARIS),
        ),
        "paris-weekly": EventHistory(
            uid="paris-weekly@org.example.io",
            sequence=3,
            last_modified=datetime(2026, 2, 28, 23, 59, 59, tzinfo=UTC),
        ),
    }
    return replace(
        base,
        config=replace(base.config, site_name=f'驿站 "总站": {HOSTILE}', language=language),
        branches=branches,
        clubs=clubs,
        venues=venues,
        events={e.id: e for e in events},
        history=histories,
    )


@pytest.mark.parametrize("language", ["zh", "en"])
def test_hostile_activities(language: str) -> None:
    site = hostile_site(language)
    assert_fast_is_reference(site)
    # What was meant to be exercised is in the output.
    text = b"".join(fast(site, i) for i in site.events)
    assert b"\r\n " in text  # folded lines
    assert b'ORGANIZER;CN="' in text  # a quoted CN
    assert b"TZID=Europe/Paris" in text and b"TZID=America/New_York" in text
    assert b"EXDATE;VALUE=DATE:" in text and b"RDATE;VALUE=DATE:" in text
    assert b"DTSTART:20260603T120000Z" in text  # UTC: a Z, no TZID
    assert b"RECURRENCE-ID;VALUE=DATE:" in text


def test_hostile_content_files(tmp_path: Path) -> None:
    """The same through the real loader: content files with their own zones and lists."""
    files = {
        "content/branches/b.md": "---\nname: '支部 \"甲\": 乙; 丙'\n---\n",
        "content/events/ny.md": (
            "---\ntitle: 'New York: a, b; c \\ d'\nstart: 2026-10-29 19:00\nend: 21:00\n"
            "timezone: America/New_York\nbranch: b\nrrule: FREQ=WEEKLY;COUNT=4\n"
            "exdate: [2026-11-05]\nrdate: [2026-11-30 18:00]\ncategories: ['a,b', 'c;d']\n"
            "contact: '张三, 138; 李四'\n---\n正文，含[链接](https://example.org/a,b)。\n"
        ),
        "content/events/paris.md": (
            "---\ntitle: Paris\nstart: 2026-03-28 23:30\nduration: 2h\n"
            'timezone: Europe/Paris\nlocation: "Salle 1, niveau -1; porte B"\n---\n'
        ),
        "content/events/days.md": (
            "---\ntitle: 三天\nstart: 2026-12-05\nend: 2026-12-07\n"
            "rrule: FREQ=YEARLY;COUNT=3\nexdate: 2027-12-05\nrdate: 2029-01-01\n"
            "overrides:\n  - date: 2028-12-05\n    status: cancelled\n---\n"
        ),
    }
    for rel, content in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(content, encoding="utf-8")
    site, problems = load_tree(tmp_path)
    assert [p for p in problems if p.severity == "error"] == []
    assert set(site.events) == {"ny", "paris", "days"}
    assert site.events["ny"].rdates and site.events["days"].overrides
    assert_fast_is_reference(site)


# --- a consumer reads it ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["驿站 · 全部活动", HOSTILE, "很长的支部名称" * 20, "x" * 200, "tab\there", "ends with \\"],
)
@pytest.mark.parametrize(
    "source",
    ["https://example.org/events/a/event.ics", "https://例子.中国/活动/" + "很" * 40 + ".ics"],
)
def test_feed_name_lines_are_icalendars(name: str, source: str) -> None:
    """Each feed's NAME, X-WR-CALNAME and SOURCE lines, written without components."""
    assert ical.name_lines(name, source) == ical.inner_lines(ical.named_calendar(name, source))


def test_icalendar_reads_the_fast_output() -> None:
    site = hostile_site()
    head = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//test//EN\r\n"
    body = b"".join(fast(site, i) for i in site.events)
    calendar = icalendar.Calendar.from_ical(head + body + b"END:VCALENDAR\r\n")
    vevents = calendar.walk("VEVENT")
    by_uid = Counter(str(v["UID"]) for v in vevents)
    assert by_uid["paris-weekly@org.example.io"] == 4  # the master and three overrides
    assert by_uid["all-day-rule@org.example.io"] == 3
    assert not any(v.errors for v in vevents)

    hostile = next(v for v in vevents if str(v["UID"]) == "hostile,text;1@example.org")
    title = site.events["hostile-text"].title
    # Text round-trips (a leading BOM is dropped and CR LF read as LF, as icalendar writes them).
    assert str(hostile["SUMMARY"]) == title.lstrip("\ufeff").replace("\r\n", "\n")
    assert [str(c) for c in hostile["CATEGORIES"].cats] == list(
        site.events["hostile-text"].categories
    )
    assert str(hostile["CONTACT"]) == site.events["hostile-text"].contact
    assert hostile["ORGANIZER"].params["CN"].startswith("党支部 ")
    assert hostile.decoded("DTSTART") == sh(2026, 6, 1, 19, 0)
    assert hostile.decoded("LAST-MODIFIED") == datetime(2026, 5, 1, 7, 30, 15, tzinfo=UTC)
    assert hostile["SEQUENCE"] == 12

    master = next(
        v for v in vevents if str(v["UID"]) == "paris-weekly@org.example.io" and "RRULE" in v
    )
    start = master.decoded("DTSTART")
    assert start == datetime(2026, 3, 5, 18, 30, tzinfo=ZoneInfo("Europe/Paris"))
    assert str(start.tzinfo) == "Europe/Paris"
    exdates = [d.dt for d in master["EXDATE"].dts]
    assert datetime(2026, 4, 2, 18, 30, tzinfo=ZoneInfo("Europe/Paris")) in exdates
    moved = [
        v
        for v in vevents
        if str(v["UID"]) == "paris-weekly@org.example.io" and "RECURRENCE-ID" in v
    ]
    assert {v.decoded("RECURRENCE-ID") for v in moved} == {
        datetime(2026, 3, 12, 18, 30, tzinfo=PARIS),
        datetime(2026, 3, 19, 18, 30, tzinfo=PARIS),
        datetime(2026, 4, 9, 18, 30, tzinfo=PARIS),
    }
    no_end = next(v for v in vevents if str(v["UID"]).startswith("long-body@"))
    assert "DTEND" not in no_end and no_end.decoded("DURATION") == timedelta(0)
    assert str(no_end["SUMMARY"]) == "中" * 200
    all_day = next(v for v in vevents if str(v["UID"]).startswith("all-day-rule@") and "RRULE" in v)
    assert all_day.decoded("DTSTART") == date(2026, 5, 1)
    assert all_day.decoded("DTEND") == date(2026, 5, 3)
    assert [d.dt for d in all_day["RDATE"].dts] == [date(2026, 12, 24), date(2026, 12, 31)]


def test_whole_feeds_parse() -> None:
    """Each feed of the hostile site, with the fast VEVENTs, reads back with every activity,
    and names with line breaks (a branch's, an activity's) make a one-line calendar name."""
    site = hostile_site()
    writer = ical.FeedWriter(site)
    feeds = list(calendar_feeds(site))
    assert feeds
    for feed in feeds:
        calendar = icalendar.Calendar.from_ical(writer.render(feed))
        uids = {str(v["UID"]) for v in calendar.walk("VEVENT")}
        series = {history_of(site, i).uid for i in feed.event_ids if i not in feed.moved_in}
        moved = {history_of(site, i).uid for i in feed.moved_in}
        assert uids & series == series
        # an occurrence moved here from a series held elsewhere: on its own, its UID the series'
        assert {u for u in uids - series if u.rsplit("-", 1)[0] in moved} == uids - series
        assert not any(
            "RECURRENCE-ID" in v for v in calendar.walk("VEVENT") if v["UID"] not in series
        )
        assert "\n" not in str(calendar["X-WR-CALNAME"])


@pytest.mark.parametrize("client", ["icaljs", "rie"])
def test_a_venue_calendar_carries_the_occurrences_held_there(tmp_path: Path, client: str) -> None:
    """A weekly series held at one venue, one occurrence of which an override moves to
    another venue and one to a place of its own: a resident subscribed to either venue sees
    in the calendar app what the venue's page lists, the occurrences held there (a cancelled
    one marked): the series less the two at the first, the moved one alone, at its new time,
    at the second; the site's calendar still has the whole series, two of it moved."""
    site = hostile_site()
    home = replace(site.venues["odd"], id="home", slug="home", name="家门口驿站")
    weekly = replace(site.events["paris-weekly"], venue="home")
    site = replace(
        site,
        venues={**site.venues, "home": home},
        events={**site.events, weekly.id: weekly},
    )
    writer = ical.FeedWriter(site)
    feeds = {feed.path: feed for feed in calendar_feeds(site)}
    since, until = date(2026, 1, 1), date(2027, 1, 1)
    uid = history_of(site, weekly.id).uid

    def read(path: str) -> list[tuple[str, str]]:
        file = tmp_path / path.replace("/", "__")
        file.write_bytes(writer.render(feeds[path]))
        if client == "icaljs":
            found = icaljs_occurrences(file, since, until)
        else:
            found = rie_occurrences(file.read_bytes(), since, until)
        return sorted((start, status) for u, start, status in found if u.startswith(uid))

    occurrences = derive(site).by_event[weekly.id]
    for venue in ("home", "odd"):
        listed = sorted(
            (show(o.start), ical.STATUS_MAP[o.status]) for o in occurrences if o.venue == venue
        )
        assert read(f"venues/{venue}/calendar.ics") == listed, venue
    moved = show(datetime(2026, 3, 20, 19, 0, tzinfo=PARIS))
    assert read("venues/odd/calendar.ics") == [(moved, "CONFIRMED")]
    whole = read("calendar.ics")
    assert len(whole) == len(occurrences) == len(read("venues/home/calendar.ics")) + 2
    assert (moved, "CONFIRMED") in whole


@pytest.mark.parametrize("shape", ["one-off", "count-1", "extra-date"])
def test_an_activity_all_of_whose_occurrences_moved_leaves_its_venues_calendar(
    shape: str,
) -> None:
    """Overrides moving every occurrence of an activity to another venue (a one-off, a rule
    of one, a day and its extra date): its venue's calendar no longer names it at all (no
    VEVENT whose every date is an EXDATE, which some apps show all the same); the other
    venue's carries them, each alone, at their new times."""
    site = hostile_site()
    home = replace(site.venues["odd"], id="home", slug="home", name="家门口驿站")
    one_off = next(e for e in site.events.values() if not e.rrule and not e.rdates)
    assert isinstance(one_off.start, datetime)
    extra = one_off.start + timedelta(days=7)
    rule = {"count-1": "FREQ=DAILY;COUNT=1"}.get(shape)
    rdates = (extra,) if shape == "extra-date" else ()
    moves = [one_off.start, *rdates]
    moved = replace(
        one_off,
        venue="home",
        rrule=rule,
        rdates=rdates,
        overrides=tuple(Override(recurrence_id=m, venue="odd", title="改在驿站") for m in moves),
    )
    site = replace(
        site, venues={**site.venues, "home": home}, events={**site.events, moved.id: moved}
    )
    writer = ical.FeedWriter(site)
    feeds = {feed.path: feed for feed in calendar_feeds(site)}
    uid = history_of(site, moved.id).uid

    def vevents(path: str) -> list[icalendar.Event]:
        calendar = icalendar.Calendar.from_ical(writer.render(feeds[path]))
        return [v for v in calendar.walk("VEVENT") if str(v["UID"]).startswith(uid)]

    assert moved.id in feeds["venues/home/calendar.ics"].event_ids
    assert vevents("venues/home/calendar.ics") == []
    alone = vevents("venues/odd/calendar.ics")
    assert len(alone) == len(moves)
    assert all("RECURRENCE-ID" not in v for v in alone)
    assert all(str(v["SUMMARY"]).startswith("改在驿站") for v in alone)
    assert len(vevents("calendar.ics")) == 1 + len(moves)  # the activity and its overrides
    # one occurrence left at home: the activity stays there, with that one
    if shape == "extra-date":
        kept = replace(moved, overrides=moved.overrides[:1])
        site = replace(site, events={**site.events, kept.id: kept})
        writer = ical.FeedWriter(site)
        feeds = {feed.path: feed for feed in calendar_feeds(site)}
        assert len(vevents("venues/home/calendar.ics")) == 1
