"""Activity pages, the subscribe page and /events.json, as page specs (no HTML rendering)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from calendar_sample import sample_site, sh
from ical_clients import icaljs_occurrences, icaljs_read, rie_occurrences, show
from sitetools import site_from

from generator import i18n
from generator.history import default_history
from generator.model import EventHistory, Override, Site
from generator.outputs import ical, jsondata
from generator.pages import events, subscribe
from generator.plan import PageSpec
from generator.views import Views, derive_views


@pytest.fixture(scope="module")
def site() -> Site:
    return sample_site()


@pytest.fixture(scope="module")
def specs(site: Site) -> dict[str, PageSpec]:
    return {p.path: p for p in events.pages(site, derive_views(site))}


def test_every_activity_url_exists(specs: dict[str, PageSpec]) -> None:
    assert {
        "events/",
        "events/past/",
        "events/2026/04/",
        "events/2026/11/",
        "events/categories/",
        "events/categories/du-shu/",
        "events/dushu-shalong/",
        "events/yixiao/",
    } <= set(specs)
    for spec in specs.values():
        json.dumps(spec.data)  # JSON-able only


def test_occurrence_card_keys(site: Site) -> None:
    views = derive_views(site)
    card = events.occurrence_card(site, views.calendar.next_occurrences("taiji")[0])
    assert {"title", "url", "when", "iso", "status", "status_label", "place"} <= set(card)
    assert card["url"] == "events/taiji/"
    assert card["when"] == "2026年4月21日 周二 07:00–08:00"


def test_an_occurrences_card_says_what_its_override_changed(site: Site) -> None:
    """A moved occurrence says it moved; one only cancelled or only renamed does not (the
    status badge and the new title say what changed)."""
    dushu = site.events["dushu-shalong"]
    renamed = Override(recurrence_id=sh(2026, 6, 27, 14, 30), title="读书沙龙·夏日特别场")
    site = replace(
        site,
        events={**site.events, dushu.id: replace(dushu, overrides=(*dushu.overrides, renamed))},
    )
    views = derive_views(site)
    cards = {
        c["iso"][:10]: c
        for event_id in ("dushu-shalong", "taiji")
        for c in (events.occurrence_card(site, o) for o in views.calendar.by_event[event_id])
    }
    flags = {day: (c["changed"], c["retitled"], c["status"]) for day, c in cards.items()}
    assert flags["2026-07-25"] == (False, False, "cancelled")
    assert flags["2026-06-27"] == (False, True, "confirmed")
    assert cards["2026-06-27"]["title"] == "读书沙龙·夏日特别场"
    assert flags["2026-05-13"] == (True, False, "confirmed")  # moved a day, to another place
    assert flags["2026-04-25"] == (False, False, "confirmed")
    page = next(p for p in events.pages(site, views) if p.path == "events/dushu-shalong/")
    assert any(d["retitled"] for d in page.data["dates"])


def test_a_moved_session_says_what_moved_and_names_a_place_only_if_it_changed(
    site: Site,
) -> None:
    """The 白领沙龙 of the demo moved a week earlier at its usual hall read "时间或地点有调整：
    南部商务区党群驿站", as if it had moved to the hall it is always held in."""
    taiji = site.events["taiji"]
    earlier = Override(
        recurrence_id=sh(2026, 5, 19, 7, 0),
        start=sh(2026, 5, 18, 7, 0),
        end=sh(2026, 5, 18, 8, 0),
    )
    elsewhere = Override(recurrence_id=sh(2026, 5, 26, 7, 0), location="社区活动室")
    moved = replace(taiji, overrides=(*taiji.overrides, earlier, elsewhere))
    site = replace(site, events={**site.events, taiji.id: moved})
    for language, said in (
        ("zh", ["时间有调整，地点改为社区活动室", "时间有调整", "地点改为社区活动室", ""]),
        ("en", ["rescheduled, moved to 社区活动室", "rescheduled", "moved to 社区活动室", ""]),
    ):
        here = replace(site, config=replace(site.config, language=language))
        page = events.event_page(here, derive_views(here), moved)
        notes = {d["iso"][:10]: d["moved"] for d in page.data["dates"]}
        assert [notes[d] for d in ("2026-05-13", "2026-05-18", "2026-05-26", "2026-06-02")] == said


def test_upcoming_grouped_by_day_with_badges(specs: dict[str, PageSpec]) -> None:
    days = specs["events/"].data["days"]
    assert days[0]["iso"] >= "2026-04-20"
    cards = [c for d in days for c in d["entries"]]
    cancelled = next(c for c in cards if c["event_id"] == "quxiao")
    assert cancelled["status_label"] == "已取消"
    assert next(d for d in days if d["iso"] == "2026-04-21")["note"] == "明天"


def test_month_grid_marks_today_and_links_months(specs: dict[str, PageSpec]) -> None:
    data = specs["events/2026/04/"].data
    cells = [cell for week in data["weeks"] for cell in week]
    assert len(cells) % 7 == 0
    assert [c["iso"] for c in cells if c["today"]] == ["2026-04-20"]
    assert data["prev"]["url"] == "events/2026/03/" and data["next"]["url"] == "events/2026/05/"
    assert data["weekdays"] == list("一二三四五六日")
    november = specs["events/2026/11/"].data
    days = {c["iso"]: c for week in november["weeks"] for c in week}
    # The three-day activity shows on each of its days in the grid, once in the phone list.
    assert all(
        any(e["event_id"] == "yixiao" for e in days[d]["entries"])
        for d in ("2026-11-05", "2026-11-06", "2026-11-07")
    )
    listed = [e for d in november["agenda"] for e in d["entries"] if e["event_id"] == "yixiao"]
    assert len(listed) == 1


def test_lists_by_day_read_an_activity_in_another_zone_on_the_sites_clock(
    specs: dict[str, PageSpec],
) -> None:
    """18:00 in Paris on 14 July is 00:00 on 15 July in Shanghai: the grid and the day list
    put it under the 15th, so they say 00:00, not 18:00; its own page keeps Paris time, named."""
    july = specs["events/2026/07/"].data
    cells = {c["iso"]: c for week in july["weeks"] for c in week}
    card = next(e for e in cells["2026-07-15"]["entries"] if e["event_id"] == "bali-jiaoliu")
    assert card["short_time"] == "00:00" and card["time"] == "00:00–02:00"
    assert not any(e["event_id"] == "bali-jiaoliu" for e in cells["2026-07-14"]["entries"])
    listed = next(
        e for d in july["agenda"] if d["iso"] == "2026-07-15" for e in d["entries"]
        if e["event_id"] == "bali-jiaoliu"
    )  # fmt: skip
    assert listed["time"] == "00:00–02:00"
    page = specs["events/bali-jiaoliu/"].data
    assert page["when"].startswith("2026年7月14日 周二 18:00–20:00（巴黎时间")


def test_event_page(specs: dict[str, PageSpec]) -> None:
    spec = specs["events/dushu-shalong/"]
    data = spec.data
    assert spec.template == "yizhan/event.html" and spec.source == "content/events/dushu-shalong.md"
    # COUNT=12, one excluded, one cancelled (the dates list marks it): ten held
    assert data["rule"] == "每月最后一个周六，共 10 场"
    assert data["dates"][0]["iso"].startswith("2026-04-25T14:30")
    assert any(d["status"] == "cancelled" for d in data["dates"])
    assert data["place"]["venue"]["url"] == "venues/hong-e-fuwuzhan/"
    assert [o["url"] for o in data["organisers"]] == ["branches/caizhi/", "clubs/dushu/"]
    assert data["event_links"]["ics"] == "events/dushu-shalong/event.ics"
    assert (
        data["event_links"]["webcal"]
        == "webcal://org.example.io/repo/events/dushu-shalong/event.ics"
    )
    google = parse_qs(urlsplit(data["event_links"]["google"]).query)
    assert google["dates"] == ["20260425T063000Z/20260425T083000Z"]
    outlook = parse_qs(urlsplit(data["event_links"]["outlook"]).query)
    assert outlook["startdt"] == ["2026-04-25T14:30:00+08:00"]
    assert data["registration"]["url"] == "https://example.org/reg"


def test_an_activity_page_is_dated_in_the_sitemap_by_its_last_change(site: Site) -> None:
    """The sitemap's <lastmod> of an activity is the day of its last change of time, place or
    status (its iCalendar LAST-MODIFIED, from Git), in the site's zone; none without history,
    rather than the build's day."""
    changed = datetime(2026, 3, 9, 17, 30, tzinfo=UTC)  # 10 March, 01:30 in Shanghai
    history = {**site.history, "taiji": EventHistory("taiji@x", 2, changed)}
    dated = replace(site, history=history)
    spec = events.event_page(dated, derive_views(dated), dated.events["taiji"])
    assert spec.updated == "2026-03-10"
    plain = replace(site, history={k: EventHistory(v.uid) for k, v in site.history.items()})
    spec = events.event_page(plain, derive_views(plain), plain.events["taiji"])
    assert spec.updated == ""


def test_add_to_calendar_links_stay_short_enough_to_open(site: Site) -> None:
    """A 280-character title and a long summary would make ~4,000-character links (browsers
    and link checkers give up near 2,048): they are shortened, ending in “…”, and the link
    still carries the activity's page address whole. Ordinary links are left as they were."""
    long = replace(
        site.events["dushu-shalong"],
        title="共读《乡土中国》" + "乡村振兴与基层治理读书分享会" * 20,
        summary="每月最后一个周六，一起读书、讨论、分享。" * 20,
    )
    site = replace(site, events={**site.events, long.id: long})
    spec = next(
        p for p in events.pages(site, derive_views(site)) if p.path == "events/dushu-shalong/"
    )
    page = "https://org.example.io/repo/events/dushu-shalong/"
    for key, title, details in (("google", "text", "details"), ("outlook", "subject", "body")):
        link = spec.data["event_links"][key]
        assert len(link) <= 2000
        query = parse_qs(urlsplit(link).query)
        assert query[title][0].startswith("共读《乡土中国》乡村振兴")
        assert query[details][0].split("\n")[-1] == page  # the summary goes first, then the title
        assert query[title][0].endswith("…")
    wordy = replace(long, title="读书沙龙")
    site = replace(site, events={**site.events, long.id: wordy})
    spec = next(
        p for p in events.pages(site, derive_views(site)) if p.path == "events/dushu-shalong/"
    )
    link = spec.data["event_links"]["google"]
    query = parse_qs(urlsplit(link).query)
    assert 1900 < len(link) <= 2000 and query["text"] == ["读书沙龙"]
    summary, address = query["details"][0].split("\n")
    assert summary.startswith("每月最后一个周六") and summary.endswith("…") and address == page
    short = next(
        p
        for p in events.pages(sample_site(), derive_views(sample_site()))
        if p.path == "events/dushu-shalong/"
    )
    google = parse_qs(urlsplit(short.data["event_links"]["google"]).query)
    assert google["text"] == ["读书沙龙：共读《乡土中国》"]
    assert google["details"] == ["每月最后一个周六，一起读书, 讨论; 分享。\n" + page]


def test_all_day_links_use_dates(specs: dict[str, PageSpec]) -> None:
    data = specs["events/yixiao/"].data
    google = parse_qs(urlsplit(data["event_links"]["google"]).query)
    assert google["dates"] == ["20261105/20261108"]
    assert data["when"] == "2026年11月5日 周四 – 11月7日 周六 全天"  # says all day, the year once


def test_a_span_says_its_year_once_and_a_new_years_night_both() -> None:
    shanghai = ZoneInfo("Asia/Shanghai")
    night = (
        datetime(2026, 12, 31, 21, 0, tzinfo=shanghai),
        datetime(2027, 1, 1, 0, 30, tzinfo=shanghai),
    )
    days = (
        datetime(2026, 12, 5, 9, 0, tzinfo=shanghai),
        datetime(2026, 12, 7, 17, 0, tzinfo=shanghai),
    )
    assert i18n.read_span(*days) == "2026年12月5日 周六 09:00 – 12月7日 周一 17:00"
    assert i18n.read_span(*days, "en") == "Sat 5 Dec 2026, 09:00 – Mon 7 Dec, 17:00"
    assert i18n.read_span(*night) == "2026年12月31日 周四 21:00 – 2027年1月1日 周五 00:30"


def test_jsonld_is_safe_and_says_the_status(site: Site) -> None:
    evil = replace(site.events["quxiao"], title="</script><script>alert(1)</script>&")
    site = replace(site, events={**site.events, "quxiao": evil})
    spec = next(p for p in events.pages(site, derive_views(site)) if p.path == "events/quxiao/")
    text = spec.data["jsonld"]
    assert "<" not in text and ">" not in text and "&" not in text
    data = json.loads(text)
    assert data["@type"] == "Event"
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert data["name"] == evil.title
    assert data["startDate"] == "2026-05-01T09:00:00+08:00"


def test_postponed_and_online_jsonld(specs: dict[str, PageSpec]) -> None:
    data = json.loads(specs["events/bali-jiaoliu/"].data["jsonld"])
    assert data["eventStatus"] == "https://schema.org/EventPostponed"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    # its own zone's clock, named by its city, and the resident's: 18:00 in Paris is the
    # next day in Beijing
    assert specs["events/bali-jiaoliu/"].data["when"] == (
        "2026年7月14日 周二 18:00–20:00（巴黎时间；北京时间 2026年7月15日 周三 00:00–02:00）"
    )


def test_an_activity_without_a_summary_is_described_by_its_text(tmp_path: Path) -> None:
    """The page's description (search results, a link shared to WeChat) and its schema.org
    description, which Google recommends for events, were empty without ``summary``: a shared
    activity was described by the site's own blurb."""
    site, problems = site_from(
        tmp_path,
        {
            "content/events/talk.md": "---\ntitle: 讲座\nstart: 2026-12-20 14:00\n---\n"
            "**消防**安全讲座，请带上工牌。\n\n第二段。\n",
        },
    )
    assert problems == []
    (spec,) = [p for p in events.pages(site, derive_views(site)) if p.path == "events/talk/"]
    assert spec.description == "消防安全讲座，请带上工牌。 第二段。"
    assert json.loads(spec.data["jsonld"])["description"] == spec.description
    assert spec.data["summary"] == ""  # the page shows no summary the editor did not write


def test_a_session_moved_by_an_override_is_rescheduled_in_jsonld(tmp_path: Path) -> None:
    """Google's event guide: a moved event says EventRescheduled and its previousStartDate;
    the salon moved a week earlier said EventScheduled, as if it had always been on the 19th."""
    site, problems = site_from(
        tmp_path,
        {
            "content/events/salon.md": "---\ntitle: 沙龙\nstart: 2026-11-28 14:00\nend: 16:00\n"
            "rrule: FREQ=MONTHLY;BYDAY=-1SA;COUNT=3\noverrides:\n  - date: 2026-12-26\n"
            "    start: 2026-12-19 14:00\n    end: 2026-12-19 16:30\n---\n",
        },
        today=date(2026, 12, 1),
    )
    assert problems == []
    (spec,) = [p for p in events.pages(site, derive_views(site)) if p.path == "events/salon/"]
    data = json.loads(spec.data["jsonld"])
    assert data["startDate"] == "2026-12-19T14:00:00+08:00"
    assert data["eventStatus"] == "https://schema.org/EventRescheduled"
    assert data["previousStartDate"] == "2026-12-26T14:00:00+08:00"


def test_past_event_page_has_no_add_links(specs: dict[str, PageSpec]) -> None:
    data = specs["events/jiu-huodong/"].data
    assert data["ended"] and data["event_links"]["google"] == ""
    assert data["when"].startswith("2026年2月10日")


def test_categories_index_lists_every_category_with_its_activities(
    site: Site, specs: dict[str, PageSpec]
) -> None:
    """/events/categories/ is to categories what /news/tags/ is to tags: every one, by name,
    with its number of activities; the upcoming list and each category's page link it."""
    index = specs["events/categories/"]
    assert index.template == "yizhan/events_categories.html"
    assert index.title == "活动分类"
    listed = {c["name"]: (c["url"], c["count"]) for c in index.data["categories"]}
    assert listed == {
        "读书": ("events/categories/du-shu/", 1),
        "学习": ("events/categories/xue-xi/", 1),
        "健身": ("events/categories/jian-shen/", 1),
        "志愿服务": ("events/categories/zhi-yuan-fu-wu/", 1),
    }
    assert {c["url"] for c in index.data["categories"]} <= set(specs)
    assert specs["events/"].data["categories_url"] == "events/categories/"
    assert specs["events/categories/du-shu/"].data["categories_url"] == "events/categories/"


def test_no_categories_index_without_categories(site: Site) -> None:
    bare = replace(site, events={i: replace(e, categories=()) for i, e in site.events.items()})
    specs = {p.path: p for p in events.pages(bare, derive_views(bare))}
    assert not [path for path in specs if path.startswith("events/categories/")]
    assert specs["events/"].data["categories_url"] == ""


def test_an_activity_called_off_or_put_off_is_not_said_to_have_ended(site: Site) -> None:
    """ "本活动已结束" under "已取消" told residents a market that never took place had been held."""
    past = site.events["jiu-huodong"]
    said = {}
    for status in ("confirmed", "tentative", "cancelled", "postponed"):
        event = replace(past, status=status)
        here = replace(site, events={**site.events, past.id: event})
        data = events.event_page(here, derive_views(here), event).data
        assert data["ended"]  # out of the search results all the same
        said[status] = data["say_ended"]
    assert said == {"confirmed": True, "tentative": True, "cancelled": False, "postponed": False}


def test_subscribe_lists_every_feed_with_qr_and_webcal(site: Site) -> None:
    (spec,) = subscribe.pages(site, derive_views(site))
    groups = {g["title"]: g["entries"] for g in spec.data["calendar_groups"]}
    paths = {e["path"] for entries in groups.values() for e in entries}
    assert {"calendar.ics", "branches/caizhi/calendar.ics", "clubs/dushu/calendar.ics"} <= paths
    assert "venues/hong-e-fuwuzhan/calendar.ics" in paths
    assert "events/categories/du-shu/calendar.ics" in paths
    first = groups["全部活动"][0]
    assert first["webcal"] == "webcal://org.example.io/repo/calendar.ics"
    assert first["qr"] == "subscribe/qr/calendar.ics.svg"
    assert first["qr_alt"] == "全部活动的订阅二维码"
    news = {e["path"] for g in spec.data["news_groups"] for e in g["entries"]}
    assert {"rss.xml", "branches/caizhi/rss.xml", "clubs/dushu/rss.xml"} <= news
    apps = [h["app"] for h in spec.data["howto"]]
    assert apps[0].startswith("iPhone") and "Google" in apps[-1]
    assert any("华为" in a for a in apps) and any("小米" in a for a in apps)
    assert "Outlook" in apps and "Thunderbird" in apps


def test_events_json(site: Site) -> None:
    (spec,) = jsondata.files(site, derive_views(site))
    assert spec.path == "events.json"
    data = json.loads(spec.content)
    by_id = {e["id"]: e for e in data["events"]}
    salon = by_id["dushu-shalong"]
    assert salon["start"] == "2026-01-31T14:30:00+08:00"
    assert salon["rrule"] == "FREQ=MONTHLY;BYDAY=-1SA;COUNT=12"
    assert salon["upcoming"][0]["start"] == "2026-04-25T14:30:00+08:00"
    assert salon["venue"]["url"] == "https://org.example.io/repo/venues/hong-e-fuwuzhan/"
    assert salon["ics"] == "https://org.example.io/repo/events/dushu-shalong/event.ics"
    assert salon["uid"] == "dushu-shalong@org.example.io" and salon["sequence"] == 2
    fair = by_id["yixiao"]
    assert (fair["all_day"], fair["start"], fair["end"], fair["end_exclusive"]) == (
        True,
        "2026-11-05",
        "2026-11-07",
        "2026-11-08",
    )
    assert spec.content == next(iter(jsondata.files(site, derive_views(site)))).content


def shadowing_keys(value: object, where: str = "") -> list[str]:
    """Keys Jinja would read as dict methods (``d.items`` is the method, not the value)."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key in dir(dict):
                found.append(f"{where}.{key}")
            found += shadowing_keys(item, f"{where}.{key}")
    elif isinstance(value, list):
        for item in value:
            found += shadowing_keys(item, where)
    return found


def test_no_data_key_shadows_a_dict_method(site: Site, specs: dict[str, PageSpec]) -> None:
    all_specs = [*specs.values(), *subscribe.pages(site, derive_views(site))]
    assert [k for spec in all_specs for k in shadowing_keys(dict(spec.data), spec.path)] == []


def test_a_series_whose_next_session_is_cancelled_leads_with_the_one_after(site: Site) -> None:
    """One called-off session does not make the series read as called off: the page's time,
    its structured data and its "add to calendar" links are those of the next session held
    (the cancelled one stays in the list of dates, marked)."""
    dushu = site.events["dushu-shalong"]
    first, second = derive_views(site).calendar.next_occurrences(dushu.id)[:2]
    off = Override(recurrence_id=first.start, status="cancelled")
    site = replace(
        site, events={**site.events, dushu.id: replace(dushu, overrides=(*dushu.overrides, off))}
    )
    views = derive_views(site)
    page = next(p for p in events.pages(site, views) if p.path == "events/dushu-shalong/")
    held = events.occurrence_card(site, views.calendar.next_occurrences(dushu.id)[1])
    assert page.data["when"] == held["when"]
    data = json.loads(page.data["jsonld"])
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["startDate"] == second.start.isoformat()
    google = parse_qs(urlsplit(page.data["event_links"]["google"]).query)
    assert google["dates"][0].startswith(second.start.astimezone(UTC).strftime("%Y%m%dT%H%M"))
    assert page.data["dates"][0]["status"] == "cancelled"


def test_an_activity_in_another_zone_reads_in_english_on_an_english_site(site: Site) -> None:
    english = replace(site, config=replace(site.config, language="en"))
    page = next(
        p for p in events.pages(english, derive_views(english)) if p.path == "events/bali-jiaoliu/"
    )
    assert page.data["when"] == (
        "Tue 14 Jul 2026, 18:00–20:00 (Paris time; Beijing time Wed 15 Jul 2026, 00:00–02:00)"
    )


def test_a_phones_day_list_says_how_long_a_multi_day_activity_lasts(
    specs: dict[str, PageSpec],
) -> None:
    """A phone shows the month as a day list (the grid is hidden), which names an activity of
    several days on its first day only: that entry says until when it lasts."""
    november = specs["events/2026/11/"].data
    entries = {(d["iso"], e["event_id"]): e for d in november["agenda"] for e in d["entries"]}
    assert entries[("2026-11-05", "yixiao")]["time"] == "全天，至11月7日 周六"
    assert ("2026-11-06", "yixiao") not in entries


def test_a_weekly_rule_reads_as_chinese_says_it(site: Site) -> None:
    """每周二, not 每周周二; two days 每周二、周四; every two weeks 每 2 周的周二."""
    taiji = site.events["taiji"]
    cases = {
        "FREQ=WEEKLY;BYDAY=TU;UNTIL=20260630T000000Z": "每周二，至 2026年6月30日 周二",
        "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=4": "每周二、周四，共 4 场",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=3": "每 2 周的周二，共 3 场",
    }
    for rule, text in cases.items():
        assert events.rule_text(replace(taiji, rrule=rule, exdates=()), "zh").startswith(
            text.split("，")[0]
        ), rule
        if "共" in text:
            assert events.rule_text(replace(taiji, rrule=rule, exdates=()), "zh") == text


def test_every_rule_of_the_editor_guide_reads_as_it_says(site: Site) -> None:
    """The guide's table (每年 7 月 1 日 is ``FREQ=YEARLY;BYMONTH=7;BYMONTHDAY=1``) and rules a
    district writes: the page said 每年1日, 每月-1日, 每月1,15日, and read the last working day
    (``BYSETPOS=-1``) as every working day of the month; English said "the 2th Tuesday"."""
    taiji = site.events["taiji"]
    cases = {
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR": ("每周一、周二、周三、周四、周五", None),
        "FREQ=MONTHLY;BYDAY=3SU": ("每月第3个周日", "Every month on the 3rd Sunday"),
        "FREQ=MONTHLY;BYDAY=1MO": ("每月第1个周一", "Every month on the 1st Monday"),
        "FREQ=MONTHLY;BYDAY=2TU,4TU": ("每月第2个周二、第4个周二", None),
        "FREQ=MONTHLY;BYMONTHDAY=15": ("每月15日", "Every month on day 15"),
        "FREQ=MONTHLY;BYMONTHDAY=1,15": ("每月1日、15日", None),
        "FREQ=MONTHLY;BYMONTHDAY=-1": ("每月最后一天", "Every month on the last day"),
        "FREQ=MONTHLY;INTERVAL=3": ("每 3 个月", None),
        "FREQ=YEARLY;BYMONTH=7;BYMONTHDAY=1": ("每年7月1日", "Every year in July on day 1"),
        "FREQ=YEARLY;INTERVAL=2": ("每 2 年", "Every 2 years"),
        "FREQ=YEARLY;BYMONTH=3;BYDAY=2SA": ("每年3月第2个周六", None),
        "FREQ=MONTHLY;BYMONTH=1,4,7,10;BYMONTHDAY=10": ("每年1月、4月、7月、10月的10日", None),
        "FREQ=WEEKLY;BYDAY=SA;BYMONTH=7,8": ("每周六（7月、8月）", None),
        "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR": ("每周一、周二、周三、周四、周五", None),
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1": ("每月", "Every month"),
    }
    for rule, (zh, en) in cases.items():
        event = replace(taiji, rrule=rule, exdates=())
        assert events.rule_text(event, "zh") == zh, rule
        if en is not None:
            assert events.rule_text(event, "en") == en, rule


def test_a_rules_last_day_is_the_one_the_editor_wrote_in_the_activitys_zone(
    tmp_path: Path,
) -> None:
    """``UNTIL=20270112`` of an activity held in New York is kept in UTC as
    ``20270113T045959Z`` (RFC 5545); the page said 至 2027年1月13日 周三, a day after the
    last session (a Tuesday, 12 January, there as in every calendar app)."""
    site, problems = site_from(
        tmp_path,
        {
            "content/events/ny.md": """\
                ---
                title: 纽约周二连线
                start: 2026-12-15 20:00
                duration: 1h
                timezone: America/New_York
                rrule: FREQ=WEEKLY;BYDAY=TU;UNTIL=20270112
                ---
            """,
            "content/events/sh.md": """\
                ---
                title: 上海周二
                start: 2026-12-15 07:00
                duration: 1h
                rrule: FREQ=WEEKLY;BYDAY=TU;UNTIL=20270112T073000
                ---
            """,
        },
    )
    assert problems == []
    ny, shanghai = site.events["ny"], site.events["sh"]
    assert ny.rrule is not None and "UNTIL=20270113T" in ny.rrule  # the feed's rule, in UTC
    assert events.rule_text(ny, "zh") == "每周二，至 2027年1月12日 周二"
    assert events.rule_text(ny, "en") == "Every week on Tuesday, until Tue 12 Jan 2027"
    assert "UNTIL=20270111T233000Z" in (shanghai.rrule or "")
    assert events.rule_text(shanghai, "zh") == "每周二，至 2027年1月12日 周二"
    last = derive_views(site).calendar.by_event["ny"][-1]
    assert last.start.isoformat() == "2027-01-12T20:00:00-05:00"  # type: ignore[union-attr]


def test_an_activity_ended_long_ago_still_says_when_it_was_held() -> None:
    """A weekly series that ended two years before the build, before the calendars' window:
    its page says when its last session was, not only that it has ended."""
    site = sample_site(today=sample_site().config.today.replace(year=2028))
    spec = next(p for p in events.pages(site, derive_views(site)) if p.path == "events/taiji/")
    assert spec.data["ended"] and spec.data["when"].startswith("2026年6月30日 周二 07:00")


def test_the_upcoming_list_goes_on_in_the_month_it_stops_at() -> None:
    """/events/ stops after its limit and links the month grid of the first activity left
    out (it linked this month's, which the list had shown already)."""
    site = sample_site()
    upcoming = derive_views(site).calendar.upcoming
    spec = next(p for p in events.pages(site, derive_views(site)) if p.path == "events/")
    assert len(upcoming) > events.UPCOMING_LIMIT
    left_out = upcoming[events.UPCOMING_LIMIT].start
    assert spec.data["more"]["url"] == f"events/{left_out:%Y}/{left_out:%m}/"
    assert spec.data["more"]["name"] == f"{left_out.year}年{left_out.month}月"


def test_the_archive_lists_an_ended_series_and_reaches_every_earlier_month() -> None:
    """Two years on, the weekly 太极拳 (it ended in June 2026, before the calendars' window)
    is on its months' grids as one-off activities of those months are, and the past page
    links every earlier month with activities, by year, after the latest ones it lists."""
    site = sample_site(today=sample_site().config.today.replace(year=2028))
    specs = {p.path: p for p in events.pages(site, derive_views(site))}
    may = specs["events/2026/05/"].data
    listed = [e for d in may["agenda"] for e in d["entries"] if e["event_id"] == "taiji"]
    assert len(listed) == 3  # May's Tuesdays: the 5th excluded, the 12th moved to the 13th
    past = specs["events/past/"].data
    years = {y["year"]: [m["name"] for m in y["months"]] for y in past["earlier"]}
    assert "2026年" in years and "5月" in years["2026年"], years
    linked = {m["url"] for y in past["earlier"] for m in y["months"]}
    assert "events/2026/05/" in linked and linked <= set(specs)


def test_a_series_ending_past_the_horizon_is_listed_to_its_last_session(
    tmp_path: Path,
) -> None:
    """A monthly series until 31 December 2027 on a site whose horizon ends in November: the
    calendar apps (ical.js, recurring-ical-events) show its December session; the page said
    另有 2 场 (not 3) and the month grids stopped in November, without it."""
    site, problems = site_from(
        tmp_path,
        {
            "content/events/shiji.md": """\
                ---
                title: 第三个周六·亲子创意市集
                start: 2026-12-19 09:30
                end: "11:30"
                rrule: FREQ=MONTHLY;BYDAY=3SA;UNTIL=20271231
                ---
            """,
        },
        today=date(2026, 12, 8),
    )
    assert problems == []
    views = derive_views(site)
    feed = tmp_path / "shiji.ics"
    written = {f.path: f.content for f in ical.files(site, views)}
    feed.write_bytes(written["events/shiji/event.ics"])
    since, until = date(2026, 1, 1), date(2029, 1, 1)
    apps = {start for _, start, _ in rie_occurrences(feed.read_bytes(), since, until)}
    assert apps == {start for _, start, _ in icaljs_occurrences(feed, since, until)}
    assert len(apps) == 13 and "2027-12-18T01:30:00Z" in apps

    assert {show(o.start) for o in views.calendar.by_event["shiji"]} == apps
    specs = {p.path: p for p in events.pages(site, views)}
    page = specs["events/shiji/"].data
    assert len(page["dates"]) + page["more_dates"] == 13
    december = specs["events/2027/12/"].data
    assert [d["iso"] for d in december["agenda"]] == ["2027-12-18"]


def test_a_night_continuing_into_a_month_says_which_day_it_began(tmp_path: Path) -> None:
    """The New Year's Eve party (31 December 21:00 to 00:30) is listed again under 1 January
    on January's page; it said 21:00–1月1日 周五 00:30 there, the evening of New Year's Day
    to a reader of that day, where every calendar app shows 31 December."""
    site, problems = site_from(
        tmp_path,
        {
            "content/events/kuanian.md": """\
                ---
                title: 跨年夜
                start: 2026-12-31 21:00
                end: 2027-01-01 00:30
                ---
            """,
        },
        today=date(2026, 12, 8),
    )
    assert problems == []
    specs = {p.path: p for p in events.pages(site, derive_views(site))}

    def listed(path: str) -> dict[str, str]:
        agenda = specs[path].data["agenda"]
        return {d["iso"]: e["time"] for d in agenda for e in d["entries"]}

    assert listed("events/2026/12/") == {"2026-12-31": "21:00–1月1日 周五 00:30"}
    assert listed("events/2027/01/") == {"2027-01-01": "12月31日 周四 21:00–1月1日 周五 00:30"}


def one_activity(tmp_path: Path, name: str, text: str) -> tuple[Site, Views, Path]:
    """A site of the one activity ``content/events/<name>.md`` (today 2026-12-08), its views,
    and its ``event.ics`` written to a file for the calendar clients."""
    site, problems = site_from(
        tmp_path, {f"content/events/{name}.md": text}, today=date(2026, 12, 8)
    )
    assert problems == []
    views = derive_views(site)
    feed = tmp_path / f"{name}.ics"
    feed.write_bytes(
        {f.path: f.content for f in ical.files(site, views)}[f"events/{name}/event.ics"]
    )
    return site, views, feed


def test_a_session_moved_to_a_day_alone_is_at_its_time_in_the_page_and_the_apps(
    tmp_path: Path,
) -> None:
    """``start: 2026-12-22`` moving the 21 December session of a 19:00 series: the page
    and both calendar clients said 00:00–01:00; now all three say 19:00–20:00."""
    text = """\
        ---
        title: 讲座
        start: 2026-12-14 19:00
        duration: 1h
        rrule: FREQ=WEEKLY;BYDAY=MO;COUNT=3
        overrides:
          - date: 2026-12-21
            start: 2026-12-22
        ---
    """
    site, views, feed = one_activity(tmp_path, "talk", text)
    since, until = date(2026, 12, 1), date(2027, 1, 1)
    apps = {start for _, start, _ in rie_occurrences(feed.read_bytes(), since, until)}
    assert apps == {start for _, start, _ in icaljs_occurrences(feed, since, until)}
    assert "2026-12-22T11:00:00Z" in apps
    page = {p.path: p for p in events.pages(site, views)}["events/talk/"].data
    assert [d["when"] for d in page["dates"]][1] == "2026年12月22日 周二 19:00–20:00"


def test_a_series_count_leaves_out_the_sessions_called_off(tmp_path: Path) -> None:
    """COUNT=4 with one date excluded and one session cancelled by an override holds two
    sessions, as both calendar apps show them: the page said 共 3 场, counting the one its
    dates list marks 已取消. Every session called off: no count at all (not 共 0 场)."""
    text = """\
        ---
        title: 四场系列课
        start: 2026-12-15 19:00
        duration: 1h
        rrule: FREQ=WEEKLY;COUNT=4
        exdate: 2026-12-22
        overrides:
          - date: 2026-12-29
            status: cancelled
        ---
    """
    site, views, feed = one_activity(tmp_path, "course", text)
    since, until = date(2026, 12, 1), date(2027, 2, 1)
    for occurrences in (
        rie_occurrences(feed.read_bytes(), since, until),
        icaljs_occurrences(feed, since, until),
    ):
        assert len([o for o in occurrences if o[2] != "CANCELLED"]) == 2
    page = {p.path: p for p in events.pages(site, views)}["events/course/"].data
    assert page["rule"] == "每周，共 2 场"
    course = site.events["course"]
    off = tuple(
        Override(recurrence_id=o.start, status="cancelled")
        for o in views.calendar.by_event["course"]
    )
    assert events.rule_text(replace(course, overrides=off), "zh") == "每周"


def test_a_night_across_a_clock_change_ends_when_the_calendar_apps_say(
    tmp_path: Path,
) -> None:
    """22:00 to 06:00 each Saturday in London: on the nights the clocks change, both calendar
    apps end the session at 06:00 on the clock (seven hours in March, nine in October), as
    they read a series' DTEND; the page and events.json said 07:00 and 05:00 (eight hours
    of elapsed time)."""
    sessions = """\
        ---
        title: Night shift
        start: {start}
        end: {end}
        rrule: FREQ=WEEKLY;COUNT=3
        timezone: Europe/London
        ---
    """
    site, problems = site_from(
        tmp_path,
        {
            "content/events/spring.md": sessions.format(
                start="2027-03-20 22:00", end="2027-03-21 06:00"
            ),
            "content/events/autumn.md": sessions.format(
                start="2027-10-23 22:00", end="2027-10-24 06:00"
            ),
        },
        today=date(2026, 12, 8),
    )
    assert problems == []
    views = derive_views(site)
    written = {f.path: f.content for f in ical.files(site, views)}
    feed = tmp_path / "all.ics"
    feed.write_bytes(written["calendar.ics"])
    ours = {
        (o.start.astimezone(UTC), o.end.astimezone(UTC))  # type: ignore[union-attr]
        for event_id in ("spring", "autumn")
        for o in views.calendar.by_event[event_id]
    }
    read = recurring_ical_events.of(icalendar.Calendar.from_ical(feed.read_bytes()))
    rie = {
        (e["DTSTART"].dt.astimezone(UTC), e["DTEND"].dt.astimezone(UTC))
        for e in read.between(date(2027, 1, 1), date(2028, 1, 1))
    }
    icaljs = {
        (
            datetime.fromisoformat(str(o["start"])),  # type: ignore[index]
            datetime.fromisoformat(str(o["end"])),  # type: ignore[index]
        )
        for o in icaljs_read(feed, date(2028, 1, 1))["occurrences"]  # type: ignore[attr-defined]
    }
    assert ours == rie == icaljs
    london = ZoneInfo("Europe/London")
    assert {end.astimezone(london).strftime("%H:%M") for _, end in ours} == {"06:00"}
    out = next(jsondata.files(site, views)).content
    data = json.loads(out)
    changed = next(e for e in data["events"] if e["id"] == "spring")["upcoming"][1]
    assert (changed["start"], changed["end"]) == (
        "2027-03-27T22:00:00+00:00",
        "2027-03-28T06:00:00+01:00",
    )
    page = {p.path: p for p in events.pages(site, views)}["events/spring/"].data
    assert page["dates"][1]["when"].startswith("2027年3月27日 周六 22:00 – 3月28日 周日 06:00")
    assert page["dates"][1]["moved"] == ""  # as the editor wrote it: nothing moved
    # khal reads a series' DTEND as elapsed time (RFC 5545 3.8.5.3: 07:00 that night): the
    # session a clock change falls in is written out whole, with its own DTEND, which every
    # app reads alike; the other sessions are the rule's.
    cal = icalendar.Calendar.from_ical(written["events/spring/event.ics"])
    (night,) = [v for v in cal.walk("VEVENT") if "RECURRENCE-ID" in v]
    assert night.decoded("RECURRENCE-ID") == datetime(2027, 3, 27, 22, 0, tzinfo=london)
    assert night.decoded("DTEND") == datetime(2027, 3, 28, 6, 0, tzinfo=london)
    assert str(night["SUMMARY"]) == "Night shift" and night["STATUS"] == "CONFIRMED"
    autumn = site.events["autumn"]
    history = site.history.get("autumn") or default_history("autumn", site.config.uid_base)
    assert ical.vevents_bytes(site, autumn, history) == b"".join(
        ical.serialise(c) for c in ical.build_vevents(site, autumn, history)
    )
    assert ical.vevents_bytes(site, autumn, history).count(b"RECURRENCE-ID") == 1


def test_an_activity_without_an_end_is_added_as_its_feed_shows_it(tmp_path: Path) -> None:
    """``start`` alone: its event.ics ends it as it starts (``DURATION:P0D``, which every
    calendar app reads alike); the Google and Outlook links gave it an hour, an end the
    editor never wrote, so the same activity read 14:00-15:00 added from the page and 14:00
    subscribed. Now the links end as it starts, like events.json and the page."""
    site, views, feed = one_activity(
        tmp_path, "talk", "---\ntitle: 讲座\nstart: 2026-12-20 14:00\n---\n"
    )
    (read,) = icaljs_read(feed, date(2028, 1, 1))["occurrences"]  # type: ignore[misc]
    (item,) = recurring_ical_events.of(icalendar.Calendar.from_ical(feed.read_bytes())).between(
        date(2026, 12, 1), date(2027, 1, 1)
    )
    # Said outright: without it khal (a real terminal calendar) gave it an hour, as the
    # links did, where ical.js and recurring-ical-events read no DTEND as no length.
    assert b"\r\nDTEND" not in feed.read_bytes() and b"\r\nDURATION:P0D\r\n" in feed.read_bytes()
    assert item["DTEND"].dt == item["DTSTART"].dt
    assert read["start"] == read["end"] == "2026-12-20T06:00:00Z"
    page = {p.path: p for p in events.pages(site, views)}["events/talk/"].data
    google = parse_qs(urlsplit(page["event_links"]["google"]).query)
    assert google["dates"] == ["20261220T060000Z/20261220T060000Z"]
    outlook = parse_qs(urlsplit(page["event_links"]["outlook"]).query)
    assert outlook["startdt"] == outlook["enddt"] == ["2026-12-20T14:00:00+08:00"]
    assert page["when"] == "2026年12月20日 周日 14:00"
    data = json.loads(next(jsondata.files(site, views)).content)
    assert data["events"][0]["end"] is None and data["events"][0]["upcoming"][0]["end"] is None
