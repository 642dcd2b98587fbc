"""Activity pages: upcoming, past, month grids, categories, and one page per activity.

Also ``occurrence_card``: the one shape of an activity in a list, used by the home page and the
branch, club and venue pages too. All text is formatted here; templates only place it.
"""

from __future__ import annotations

import calendar as stdcal
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache, partial
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from .. import i18n, urls
from ..model import Event, Site
from ..plan import PageSpec
from ..views import Views
from ..views.calendar import (
    Occurrence,
    as_day,
    key_of,
    local_day,
    original_starts,
    resolve_overrides,
    session_end,
)
from ..views.text import asset_url, shareable, summary_of
from .jsonld import jsonld
from .news import DESCRIPTION_CHARS

# A weekly activity's page lists its next dates up to here, then links the month grid.
NEXT_ON_EVENT_PAGE = 10
# A month grid's cell names this many activities and links the rest in the day list below it,
# so a month of 150 occurrences stays a small page (issue 2) and each cell stays readable.
TITLES_PER_CELL = 2
PAST_ON_CATEGORY_PAGE = 20
# Lists stop here and point at the month grids, so a district's 15,000 activities do not make
# one page of a megabyte (every page stays small enough for a phone).
UPCOMING_LIMIT = 60
CATEGORY_UPCOMING_LIMIT = 40
PAST_PAGE_LIMIT = 80

TEXT: dict[str, tuple[str, str]] = {
    "events": ("近期活动", "Upcoming activities"),
    "section": ("活动", "Activities"),  # the pages' own menu, on the past and month pages too
    "events_past": ("往期活动", "Past activities"),
    "month": ("活动月历", "Activity calendar"),
    "category": ("活动分类：{name}", "Activities: {name}"),
    "today": ("今天", "Today"),
    "tomorrow": ("明天", "Tomorrow"),
    "ongoing": ("进行中", "Ongoing"),
    "none_upcoming": ("暂无近期活动。", "No upcoming activities."),
    "none_past": ("暂无往期活动。", "No past activities."),
    "none_month": ("本月没有活动。", "No activities this month."),
    "prev_month": ("上个月", "Previous month"),
    "next_month": ("下个月", "Next month"),
    "this_month": ("本月日历", "This month"),
    "all_upcoming": ("全部近期活动", "All upcoming activities"),
    "more_by_month": ("更多活动请按月查看：", "More activities month by month: "),
    "past": ("往期活动", "Past activities"),
    "categories": ("活动分类", "Categories"),
    "subscribe": ("订阅日历", "Subscribe"),
    "subscribe_help": ("订阅方法", "How to subscribe"),
    "download_ics": ("下载 .ics 文件", "Download .ics"),
    "webcal": ("订阅此活动", "Subscribe to this activity"),
    "webcal_all": ("订阅全部活动", "Subscribe to all activities"),
    "google": ("添加到 Google 日历", "Add to Google Calendar"),
    "outlook": ("添加到 Outlook", "Add to Outlook"),
    "add_to_calendar": ("加入日历", "Add to calendar"),
    "when": ("时间", "When"),
    "next_times": ("接下来的场次", "Next dates"),
    "where": ("地点", "Where"),
    "online": ("线上参加", "Join online"),
    "organisers": ("主办", "Organisers"),
    "status": ("状态", "Status"),
    "registration": ("报名", "Registration"),
    "register": ("报名链接", "Register"),
    "capacity": ("名额 {n} 人", "{n} place[|s]"),
    # said before and after the deadline alike, under "Registration closed" too
    "deadline": ("报名截止：{when}", "Deadline: {when}"),
    "closed": ("报名已截止", "Registration closed"),
    "contact": ("联系方式", "Contact"),
    "rule": ("重复", "Repeats"),
    "moved_time": ("时间有调整", "rescheduled"),
    "moved_place": ("地点改为{name}", "moved to {name}"),
    "moved_both": ("时间有调整，地点改为{name}", "rescheduled, moved to {name}"),
    "more_dates": ("另有 {n} 场，见月历", "{n} more, see the calendar"),
    "more_in_cell": ("另有 {n} 项", "{n} more"),
    "more_on_day": ("另有 {n} 项：{day}", "{n} more on {day}"),
    "ended": ("本活动已结束", "This activity has ended"),
    "all_day": ("全天", "all day"),
    "all_day_until": ("全天，至{day}", "all day, until {day}"),
    "continues": ("续", "cont."),
    "weekdays": ("一二三四五六日", "MTWTFSS"),
    "weekday_names": (
        "周一,周二,周三,周四,周五,周六,周日",
        "Monday,Tuesday,Wednesday,Thursday,Friday,Saturday,Sunday",
    ),
    "local_zone": ("（{zone}时间；{home}时间 {there}）", " ({zone} time; {home} time {there})"),
    "count": ("共 {n} 场", "{n} session[|s]"),
    "until": ("至 {when}", "until {when}"),
    "every_day": ("每天", "Every day"),
    "every_n_days": ("每 {n} 天", "Every {n} days"),
    "every_week": ("每周", "Every week"),
    "every_n_weeks": ("每 {n} 周", "Every {n} weeks"),
    "every_month": ("每月", "Every month"),
    "every_n_months": ("每 {n} 个月", "Every {n} months"),
    "every_year": ("每年", "Every year"),
    "every_n_years": ("每 {n} 年", "Every {n} years"),
    "nth": ("第{n}个", "the {n} "),
    "last": ("最后一个", "the last "),
    "month_day": ("{n}日", "day {n}"),
    "last_day": ("最后一天", "the last day"),
    "nth_last_day": ("倒数第{n}天", "day {n} from the end"),
    "plus_dates": ("另加指定日期", "plus extra dates"),
    "in_list_label": ("活动列表", "Activity list"),
    "earlier": ("更早的活动（按月）", "Earlier activities, month by month"),
}


say = partial(i18n.say, TEXT)
"""This page family's words in the site's language (``i18n.say``)."""


PLACEHOLDERS = ("n", "name", "when", "zone", "home", "there", "day")
"""What the labels' templates fill in (kept as ``{n}`` … in the labels templates read)."""


@lru_cache(maxsize=4)  # perf (issue 5): the same labels on 15,000 activity pages
def labels(language: str) -> dict[str, str]:
    """Every label of activity templates; one shared dict per language, never changed."""
    return {
        key: say(key, language, **{name: f"{{{name}}}" for name in PLACEHOLDERS}) for key in TEXT
    }


# --- cards -----------------------------------------------------------------------------------


def occurrence_card(site: Site, occ: Occurrence) -> dict[str, Any]:
    """One occurrence as lists show it (home, branch, club, venue and activity pages)."""
    event = site.events[occ.event_id]
    lang = site.config.language
    venue = site.venues.get(occ.venue) if occ.venue else None
    place = venue.name if venue else occ.location
    if not place and event.online:
        place = say("online", lang)
    return {
        "event_id": event.id,
        "title": occ.title,
        "url": urls.event(event.slug),
        "when": when_text(site, event, occ),
        "time": time_text(site, occ),
        "date": i18n.read_date(local_day(occ.start, zone_of(event)), lang),
        "iso": occ.start.isoformat(),
        "status": occ.status,
        "status_label": i18n.label(f"status_{occ.status}", lang),
        "place": place,
        "place_url": urls.venue(venue.slug) if venue else "",
        "online": bool(event.online),
        "all_day": occ.all_day,
        "recurring": event.recurring,
        "changed": moved(event, occ),
        "retitled": occ.title != event.title,
        "categories": list(event.categories),
    }


def moved(event: Event, occ: Occurrence) -> bool:
    """Whether an editor's override moved an occurrence in time or place (a cancellation or a
    new title alone is not a move: the page shows those as they are)."""
    return moved_in_time(event, occ) or moved_in_place(event, occ)


def moved_in_time(event: Event, occ: Occurrence) -> bool:
    if not occ.overridden:
        return False
    if rescheduled(occ):
        return True
    return occ.end is not None and occ.end != session_end(event, occ.start)


def rescheduled(occ: Occurrence) -> bool:
    """An occurrence of a series that an override moved from its rule's start (a date and a
    time are never equal: a session of an all-day series given a time, or the reverse)."""
    return occ.overridden and occ.recurrence_id is not None and occ.start != occ.recurrence_id


def moved_in_place(event: Event, occ: Occurrence) -> bool:
    return occ.overridden and (occ.venue, occ.location) != (event.venue, event.location)


def move_note(site: Site, event: Event, occ: Occurrence, place: str) -> str:
    """What an override moved, as the series' dates list says it: ``时间有调整``, ``地点改为…``
    or both; the place is named only when it is the one that changed (a session moved to
    another day at the usual place read as moved to the usual place)."""
    lang = site.config.language
    when, where = moved_in_time(event, occ), moved_in_place(event, occ) and bool(place)
    if when and where:
        return say("moved_both", lang, name=place)
    if where:
        return say("moved_place", lang, name=place)
    return say("moved_time", lang) if when else ""


def zone_of(event: Event) -> ZoneInfo:
    return ZoneInfo(event.timezone)


def when_text(site: Site, event: Event, occ: Occurrence) -> str:
    """``2026年4月28日 周二 14:00–16:00``, in the activity's own zone (named if not the site's)."""
    lang = site.config.language
    if occ.all_day:  # said so: a day alone reads like a date missing its time
        end = occ.end if occ.end != occ.start else None
        sep = " " if i18n.lang_key(lang) == "zh" else ", "
        return i18n.read_span(occ.start, end, lang) + sep + say("all_day", lang)
    zone = zone_of(event)
    assert isinstance(occ.start, datetime)
    start = occ.start.astimezone(zone)
    end = occ.end.astimezone(zone) if isinstance(occ.end, datetime) else None
    text = i18n.read_span(start, end, lang)
    if event.timezone != site.config.timezone:
        # the resident's own clock too: London's 18:30 is 02:30 the next day in Beijing
        home = ZoneInfo(site.config.timezone)
        there = i18n.read_span(
            start.astimezone(home), end.astimezone(home) if end is not None else None, lang
        )
        text += say(
            "local_zone",
            lang,
            zone=i18n.zone_place(event.timezone, lang),
            home=i18n.zone_place(site.config.timezone, lang),
            there=there,
        )
    return text


def time_text(site: Site, occ: Occurrence, dated: bool = False) -> str:
    """``14:00–16:00`` or ``全天``: for lists already grouped by day, which are the site's
    days, so the clock is the site's too (an activity in New York at 20:00 is listed at 09:00
    on the next day in Shanghai, not at 20:00 under that day). ``dated``: listed under a day
    after the one it starts on, the start's day is said too (``12月31日 周四 21:00–…``)."""
    if occ.all_day:
        if isinstance(occ.end, date) and occ.end != occ.start:  # its last day (inclusive)
            # a phone's day list names it on its first day only: say how long it lasts
            day = i18n.read_short_date(occ.end, site.config.language)
            return say("all_day_until", site.config.language, day=day)
        return say("all_day", site.config.language)
    zone = ZoneInfo(site.config.timezone)
    assert isinstance(occ.start, datetime)
    start = i18n.read_time(occ.start.astimezone(zone))
    if dated:
        start = f"{i18n.read_short_date(occ.start.astimezone(zone), site.config.language)} {start}"
    if isinstance(occ.end, datetime):
        end = occ.end.astimezone(zone)
        if end.date() == occ.start.astimezone(zone).date():
            return f"{start}–{i18n.read_time(end)}"
        return f"{start}–{i18n.read_short_date(end, site.config.language)} {i18n.read_time(end)}"
    return start


# --- pages -----------------------------------------------------------------------------------


def pages(site: Site, views: Views) -> Iterator[PageSpec]:
    yield from listing_pages(site, views)
    for event_id in sorted(site.events):
        yield event_page(site, views, site.events[event_id])


def listing_pages(
    site: Site,
    views: Views,
    months: Container[tuple[int, int]] | None = None,
    categories: Container[str] | None = None,
) -> Iterator[PageSpec]:
    """Every calendar page but the activities' own, or only the month and category pages of
    ``months`` and ``categories`` (the live preview's refresh re-plans those an edit touches,
    issue 5)."""
    cal = views.calendar
    yield upcoming_page(site, cal.upcoming)
    yield past_page(site, cal.past, tuple(cal.by_month))
    for index, (year, month) in enumerate(cal.months):
        if months is not None and (year, month) not in months:
            continue
        prev_month = cal.months[index - 1] if index > 0 else None
        next_month = cal.months[index + 1] if index + 1 < len(cal.months) else None
        yield month_page(site, views, year, month, prev_month, next_month)
    if categories is None and cal.categories:
        yield categories_page(site, views)
    for category, event_ids in cal.categories.items():
        if categories is None or category in categories:
            yield category_page(site, views, category, frozenset(event_ids))


def common(site: Site) -> dict[str, Any]:
    """Links every activity page shows: this month's grid, past, subscribe, the whole feed."""
    today = site.config.today
    feed = urls.absolute(site.config.site_url, urls.calendar())
    return {
        "labels": labels(site.config.language),
        "links": {
            "upcoming": urls.events_index(),
            "past": urls.events_past(),
            "month": urls.events_month(today.year, today.month),
            "subscribe": urls.subscribe(),
            "ics": urls.calendar(),
            "webcal": urls.webcal(feed),
        },
    }


def day_groups(
    site: Site, occurrences: Iterable[Occurrence], clamp_to_today: bool
) -> list[dict[str, Any]]:
    """Occurrences grouped by their day (site zone); ongoing ones sit under today."""
    zone = ZoneInfo(site.config.timezone)
    lang = site.config.language
    today = site.config.today
    groups: dict[date, list[dict[str, Any]]] = {}
    for occ in occurrences:
        day = local_day(occ.start, zone)
        if clamp_to_today and day < today:
            day = today
        groups.setdefault(day, []).append(occurrence_card(site, occ))
    out = []
    for day, cards in groups.items():
        note = ""
        if day == today:
            note = say("today", lang)
        elif day == today + timedelta(days=1):
            note = say("tomorrow", lang)
        out.append(
            {
                "date": i18n.read_date(day, lang),
                "iso": day.isoformat(),
                "note": note,
                "entries": cards,
            }
        )
    return out


def upcoming_page(site: Site, upcoming: tuple[Occurrence, ...]) -> PageSpec:
    lang = site.config.language
    data = common(site)
    data["days"] = day_groups(site, upcoming[:UPCOMING_LIMIT], clamp_to_today=True)
    data["more"] = more_from(site, upcoming, UPCOMING_LIMIT)
    data["categories"] = category_links(site)
    data["categories_url"] = urls.event_categories() if data["categories"] else ""
    return PageSpec(
        path=urls.events_index(),
        template="yizhan/events.html",
        title=say("events", lang),
        data=data,
        description=say("events", lang) + " · " + site.config.site_name,
    )


def past_page(
    site: Site, past: tuple[Occurrence, ...], with_activities: Sequence[tuple[int, int]] = ()
) -> PageSpec:
    """The latest past activities by month, then every earlier month that has some, by year
    (``with_activities``): ten years of a district's archive two clicks away, not a hundred
    clicks of "previous month"."""
    lang = site.config.language
    zone = ZoneInfo(site.config.timezone)
    months: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for occ in past[:PAST_PAGE_LIMIT]:
        day = local_day(occ.start, zone)
        months.setdefault((day.year, day.month), []).append(occurrence_card(site, occ))
    data = common(site)
    data["months"] = [
        {"title": i18n.read_month(y, m, lang), "url": urls.events_month(y, m), "entries": cards}
        for (y, m), cards in months.items()
    ]
    data["earlier"] = earlier_months(site, past, with_activities)
    return PageSpec(
        path=urls.events_past(),
        template="yizhan/events_past.html",
        title=say("events_past", lang),
        data=data,
    )


def earlier_months(
    site: Site, past: Sequence[Occurrence], with_activities: Sequence[tuple[int, int]]
) -> list[dict[str, Any]]:
    """The months before those the past page lists in full (the month it stops in too), by
    year, newest first: their grids' names and addresses."""
    if len(past) <= PAST_PAGE_LIMIT:
        return []
    stop = local_day(past[PAST_PAGE_LIMIT].start, ZoneInfo(site.config.timezone))
    zh = i18n.lang_key(site.config.language) == "zh"
    years: dict[int, list[dict[str, str]]] = {}
    for y, m in sorted((k for k in with_activities if k <= (stop.year, stop.month)), reverse=True):
        name = f"{m}月" if zh else stdcal.month_abbr[m]
        years.setdefault(y, []).append({"name": name, "url": urls.events_month(y, m)})
    return [{"year": f"{y}年" if zh else str(y), "months": ms} for y, ms in years.items()]


def month_page(
    site: Site,
    views: Views,
    year: int,
    month: int,
    prev_month: tuple[int, int] | None,
    next_month: tuple[int, int] | None,
) -> PageSpec:
    """A month grid (weeks from Monday) plus the same activities as a day list for phones."""
    lang = site.config.language
    zone = ZoneInfo(site.config.timezone)
    today = site.config.today
    occurrences = views.calendar.by_month.get((year, month), ())
    by_day: dict[date, list[dict[str, Any]]] = {}
    for occ in occurrences:
        event = site.events[occ.event_id]
        first = local_day(occ.start, zone)
        for day in occ.days(zone):
            if (day.year, day.month) != (year, month):
                continue
            card = occurrence_card(site, occ)
            card["continued"] = day != first
            if card["continued"] and not occ.all_day:
                # listed under the month's first day or today, it says the day it began on:
                # 21:00–1月1日 00:30 under 1月1日 read as the evening of New Year's Day
                card["time"] = time_text(site, occ, dated=True)
            card["short_time"] = (
                say("continues", lang) if day != first else card["time"].split("–")[0]
            )
            if occ.all_day and day == first:
                card["short_time"] = say("all_day", lang)
            card["recurring"] = event.recurring
            by_day.setdefault(day, []).append(card)
    # Activities that start on a day come before those continuing from an earlier day.
    for cards in by_day.values():
        cards.sort(key=lambda card: card["continued"])
    first_day = date(year, month, 1)
    overflowing = {d for d, cards in by_day.items() if len(cards) > TITLES_PER_CELL}
    # The day list names a multi-day activity on its first day (or the month's, or today's),
    # not on every day it spans; a day whose cell sends readers to the list is always there.
    agenda, listed = [], set()
    for d in sorted(by_day):
        shown = [c for c in by_day[d] if not c["continued"] or d in (today, first_day)]
        if not shown and d in overflowing:
            shown = by_day[d]
        if shown:
            listed.add(d)
            agenda.append(
                {
                    "date": i18n.read_date(d, lang),
                    "iso": d.isoformat(),
                    "anchor": day_anchor(d),
                    "today": d == today,
                    "entries": shown,
                }
            )
    days_in_month = stdcal.monthrange(year, month)[1]
    grid_start = first_day - timedelta(days=first_day.weekday())
    last = date(year, month, days_in_month)
    grid_end = last + timedelta(days=6 - last.weekday())
    weeks, week = [], []
    names = say("weekday_names", lang).split(",")
    day = grid_start
    while day <= grid_end:
        cards = by_day.get(day, []) if day.month == month else []
        week.append(
            {
                "day": day.day,
                "iso": day.isoformat(),
                # The day's number links its part of the day list, when the list has one.
                "anchor": day_anchor(day) if day in listed else "",
                "label": i18n.read_date(day, lang),
                "weekday": names[day.weekday()],
                "in_month": day.month == month,
                "today": day == today,
                "past": day < today,
                "entries": cards[:TITLES_PER_CELL],
                "more": max(len(cards) - TITLES_PER_CELL, 0),
            }
        )
        if len(week) == 7:
            weeks.append(week)
            week = []
        day += timedelta(days=1)
    data = common(site)
    data.update(
        {
            "month_title": i18n.read_month(year, month, lang),
            "weekdays": list(say("weekdays", lang)),
            "weekday_names": names,
            "weeks": weeks,
            "agenda": agenda,
            "prev": month_link(prev_month, lang),
            "next": month_link(next_month, lang),
            "is_current": (year, month) == (today.year, today.month),
        }
    )
    return PageSpec(
        path=urls.events_month(year, month),
        template="yizhan/events_month.html",
        title=f"{say('month', lang)} · {i18n.read_month(year, month, lang)}",
        data=data,
    )


def day_anchor(day: date) -> str:
    """The id of a day in a month's day list (the grid's cells link to it)."""
    return f"d{day.day}"


def more_from(site: Site, upcoming: Sequence[Occurrence], shown: int) -> dict[str, str] | None:
    """Where a list cut after ``shown`` occurrences goes on: the month grid of the first one
    left out (its name and address), or None when none is."""
    if len(upcoming) <= shown:
        return None
    day = local_day(upcoming[shown].start, ZoneInfo(site.config.timezone))
    return {
        "url": urls.events_month(day.year, day.month),
        "name": i18n.read_month(day.year, day.month, site.config.language),
    }


def month_of(site: Site, occ: Occurrence) -> str:
    """The month grid an occurrence is shown on."""
    day = local_day(occ.start, ZoneInfo(site.config.timezone))
    return urls.events_month(day.year, day.month)


def month_link(value: tuple[int, int] | None, language: str) -> dict[str, str] | None:
    if value is None:
        return None
    year, month = value
    return {"url": urls.events_month(year, month), "title": i18n.read_month(year, month, language)}


def category_links(site: Site) -> list[dict[str, str]]:
    names = sorted({c for e in site.events.values() for c in e.categories})
    return [{"name": name, "url": urls.event_category(name)} for name in names]


def categories_page(site: Site, views: Views) -> PageSpec:
    """/events/categories/: every category with its number of activities (as /news/tags/)."""
    lang = site.config.language
    data = common(site)
    data["categories"] = [
        {"name": name, "url": urls.event_category(name), "count": len(set(event_ids))}
        for name, event_ids in views.calendar.categories.items()
    ]
    return PageSpec(
        path=urls.event_categories(),
        template="yizhan/events_categories.html",
        title=say("categories", lang),
        data=data,
    )


def category_page(site: Site, views: Views, category: str, event_ids: frozenset[str]) -> PageSpec:
    lang = site.config.language
    cal = views.calendar
    feed = urls.absolute(site.config.site_url, urls.event_category_ics(category))
    upcoming = cal.upcoming_where(event_ids)
    data = common(site)
    data.update(
        {
            "name": category,
            "days": day_groups(site, upcoming[:CATEGORY_UPCOMING_LIMIT], clamp_to_today=True),
            "more": more_from(site, upcoming, CATEGORY_UPCOMING_LIMIT),
            "past": [
                occurrence_card(site, o) for o in cal.past_where(event_ids)[:PAST_ON_CATEGORY_PAGE]
            ],
            "feed": {"ics": urls.event_category_ics(category), "webcal": urls.webcal(feed)},
            "categories": category_links(site),
            "categories_url": urls.event_categories(),
        }
    )
    return PageSpec(
        path=urls.event_category(category),
        template="yizhan/events_category.html",
        title=say("category", lang, name=category),
        data=data,
    )


# --- one activity ----------------------------------------------------------------------------


def event_page(site: Site, views: Views, event: Event) -> PageSpec:
    lang = site.config.language
    cal = views.calendar
    upcoming = cal.next_occurrences(event.id)
    every = cal.by_event.get(event.id, ())
    shown = upcoming[:NEXT_ON_EVENT_PAGE]
    lead = lead_occurrence(upcoming, every)
    base = site.config.site_url
    ics_url = urls.absolute(base, urls.event_ics(event.slug))
    image = asset_url(base, event.source, event.image)
    description = summary_of(event, DESCRIPTION_CHARS)
    data = common(site)
    data.update(
        {
            "status": event.status,
            "status_label": i18n.label(f"status_{event.status}", lang),
            "summary": event.summary,
            "when": occurrence_card(site, lead)["when"] if lead else "",
            "ended": not upcoming,
            # "本活动已结束" under an activity called off or put off would say it took place
            "say_ended": not upcoming and event.status not in ("cancelled", "postponed"),
            "recurring": event.recurring,
            "start": event.start.isoformat(),
            "rule": rule_text(event, lang) if event.recurring else "",
            "dates": [dated_card(site, event, o) for o in shown],
            "more_dates": max(len(upcoming) - len(shown), 0),
            "more_url": month_of(site, upcoming[len(shown)]) if len(upcoming) > len(shown) else "",
            "place": place_data(site, event),
            "organisers": organiser_links(site, event),
            "categories": [{"name": c, "url": urls.event_category(c)} for c in event.categories],
            "registration": registration_data(site, event),
            "contact": event.contact,
            "event_links": {
                "ics": urls.event_ics(event.slug),
                "webcal": urls.webcal(ics_url),
                "google": google_link(site, event, lead) if lead and upcoming else "",
                "outlook": outlook_link(site, event, lead) if lead and upcoming else "",
            },
            "jsonld": event_jsonld(site, event, lead, image, description),
            # link previews draw no SVG (``shareable``); structured data keeps it
            "meta": {"type": "website", "image": image} if image and shareable(image) else {},
        }
    )
    return PageSpec(
        path=urls.event(event.slug),
        template="yizhan/event.html",
        title=event.title,
        markdown=event.body,
        data=data,
        description=description,
        source=event.source.path,
        updated=changed_day(site, event),
    )


def changed_day(site: Site, event: Event) -> str:
    """The sitemap's day of an activity's page: the day of its last change of time, place or
    status the repository records (its iCalendar ``LAST-MODIFIED``), in the site's zone; ""
    without history."""
    history = site.history.get(event.id)
    if history is None or history.last_modified is None:
        return ""
    return history.last_modified.astimezone(ZoneInfo(site.config.timezone)).date().isoformat()


def dated_card(site: Site, event: Event, occ: Occurrence) -> dict[str, Any]:
    """An occurrence in a series' dates list: its card, and what an override moved."""
    card = occurrence_card(site, occ)
    card["moved"] = move_note(site, event, occ, card["place"])
    return card


def lead_occurrence(
    upcoming: Sequence[Occurrence], every: Sequence[Occurrence]
) -> Occurrence | None:
    """The occurrence an activity's page leads with (its time, structured data, "add to
    calendar" links): the next one not cancelled, else the last one not cancelled that took
    place. A cancelled one only when all are: one called-off session of a series does not
    make the series read as called off."""
    held = next((o for o in upcoming if o.status != "cancelled"), None)
    if held is not None or upcoming:
        return held or upcoming[0]
    took_place = next((o for o in reversed(every) if o.status != "cancelled"), None)
    return took_place or (every[-1] if every else None)


def place_data(site: Site, event: Event) -> dict[str, Any]:
    venue = site.venues.get(event.venue) if event.venue else None
    return {
        "venue": (
            {"name": venue.name, "url": urls.venue(venue.slug), "address": venue.address}
            if venue
            else None
        ),
        "location": event.location,
        "online": event.online,
    }


def organiser_links(site: Site, event: Event) -> list[dict[str, str]]:
    out = []
    for branch_id in event.branches:
        branch = site.branches.get(branch_id)
        if branch:
            out.append({"name": branch.name, "url": urls.branch(branch.slug), "kind": branch.kind})
    for club_id in event.clubs:
        club = site.clubs.get(club_id)
        if club:
            out.append({"name": club.name, "url": urls.club(club.slug), "kind": club.category})
    return out


def registration_data(site: Site, event: Event) -> dict[str, Any] | None:
    reg = event.registration
    if reg is None or not (reg.url or reg.capacity or reg.deadline):
        return None
    lang = site.config.language
    closed = False
    deadline = ""
    if reg.deadline is not None:
        deadline = say("deadline", lang, when=i18n.read_datetime(reg.deadline, lang))
        closed = as_day(reg.deadline) < site.config.today
    return {
        "url": reg.url,
        "capacity": (
            say("capacity", lang, n=i18n.read_number(reg.capacity, lang)) if reg.capacity else ""
        ),
        "deadline": deadline,
        "closed": closed,
    }


WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def rule_text(event: Event, language: str) -> str:
    """A short reading of the rule (``每月最后一个周六，共 12 场``); the dates list is exact.

    What it cannot read exactly (``BYSETPOS``, ``BYWEEKNO`` …) it leaves at the frequency
    (``每月``) rather than say something else: ``BYDAY=MO,…,FR;BYSETPOS=-1`` (the last
    working day) read as every working day of the month."""
    if not event.rrule:
        return say("plus_dates", language)
    parts = dict(p.split("=", 1) for p in event.rrule.upper().split(";") if "=" in p)
    freq = parts.get("FREQ", "")
    interval = int(parts.get("INTERVAL", "1") or 1)
    zh = i18n.lang_key(language) == "zh"
    if freq == "DAILY" and interval == 1 and parts.get("BYDAY") and "BYMONTH" not in parts:
        freq = "WEEKLY"  # FREQ=DAILY;BYDAY=MO,…,FR is every working day, as weekly reads it
    base = {
        "DAILY": ("every_day", "every_n_days"),
        "WEEKLY": ("every_week", "every_n_weeks"),
        "MONTHLY": ("every_month", "every_n_months"),
        "YEARLY": ("every_year", "every_n_years"),
    }.get(freq)
    if base is None:
        return ""
    text = say(base[0] if interval == 1 else base[1], language, n=interval)
    months = [int(m) for m in parts.get("BYMONTH", "").split(",") if m.isdigit()]
    if months and freq == "MONTHLY" and interval == 1:  # the 10th of Jan, Apr, Jul, Oct
        text, freq = say("every_year", language), "YEARLY"
    days: list[str] = []
    month_days: list[str] = []
    if set(parts) <= READ_PARTS and not (months and freq == "MONTHLY"):
        days = rule_days(parts.get("BYDAY", ""), freq, language)
        numbers = [
            int(n) for n in parts.get("BYMONTHDAY", "").split(",") if n.lstrip("+-").isdigit()
        ]
        month_days = [month_day(n, language) for n in numbers if n]
    else:
        months = []
    in_months = ("、" if zh else ", ").join(month_name(m, language) for m in months)
    if in_months and freq == "YEARLY":  # 每年7月1日; 每年1月、4月、7月、10月的10日
        of = "的" if len(months) > 1 and (days or month_days) else ""
        text += in_months + of if zh else f" in {in_months}"
        in_months = ""
    if days and zh and freq == "WEEKLY" and interval == 1:
        text += days[0].removeprefix("周") + "".join("、" + day for day in days[1:])  # 每周二、周四
    elif days:
        sep = "、" if zh else ", "
        text += ("的" if zh and freq == "WEEKLY" else "" if zh else " on ") + sep.join(days)
    elif month_days:
        text += "、".join(month_days) if zh else " on " + ", ".join(month_days)
    if in_months:  # a weekly rule kept to some months: 每周六（7月、8月）
        text += f"（{in_months}）" if zh else f" ({in_months})"
    extra = []
    held = held_sessions(event) if parts.get("COUNT") else 0
    if held:
        extra.append(say("count", language, n=held))
    elif parts.get("UNTIL"):
        day = until_day(event, parts["UNTIL"])
        if day is not None:
            extra.append(say("until", language, when=i18n.read_date(day, language)))
    sep = "，" if i18n.lang_key(language) == "zh" else ", "
    return sep.join([text, *extra])


def held_sessions(event: Event) -> int:
    """How many sessions a series with a COUNT holds: an excluded date is none (COUNT counts
    it), nor is a session an override calls off (a resident told 共 4 场 counted the one the
    dates list marks 已取消)."""
    called_off = {
        key
        for key, (override, _) in resolve_overrides(event).items()
        if override.status == "cancelled"
    }
    return sum(1 for start in original_starts(event) if key_of(start) not in called_off)


READ_PARTS = {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "COUNT", "UNTIL", "WKST"}
"""The parts of a rule ``rule_text`` reads; with any other it says the frequency alone."""


def rule_days(byday: str, freq: str, language: str) -> list[str]:
    """``BYDAY`` read: 周二; 第3个周六 / the 3rd Saturday; 最后一个周六 / the last Saturday."""
    names = say("weekday_names", language).split(",")
    days = []
    for code in filter(None, byday.split(",")):
        prefix, wd = code[:-2], code[-2:]
        if wd not in WEEKDAY_CODES:
            continue
        name = names[WEEKDAY_CODES.index(wd)]
        if (prefix in ("", "+1") and freq == "WEEKLY") or prefix == "":
            days.append(name)
        elif prefix == "-1":
            days.append(say("last", language) + name)
        else:
            days.append(say("nth", language, n=ordinal(prefix.lstrip("+"), language)) + name)
    return days


def ordinal(n: str, language: str) -> str:
    """``3`` in Chinese (第3个), ``3rd`` in English (not "3th")."""
    if i18n.lang_key(language) == "zh" or not n.isdigit():
        return n
    suffix = (
        "th" if 10 <= int(n) % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(int(n) % 10, "th")
    )
    return n + suffix


def month_day(n: int, language: str) -> str:
    """``BYMONTHDAY`` read: 15日, 最后一天 (-1), 倒数第2天 (-2)."""
    if n == -1:
        return say("last_day", language)
    if n < 0:
        return say("nth_last_day", language, n=-n)
    return say("month_day", language, n=n)


def month_name(month: int, language: str) -> str:
    """``7月`` / ``July``."""
    if i18n.lang_key(language) == "zh":
        return f"{month}月"
    return stdcal.month_name[month] if 1 <= month <= 12 else str(month)


def until_day(event: Event, until: str) -> date | None:
    """The last day a rule's UNTIL allows, on the activity's own clock: validate writes a
    timed rule's UNTIL in UTC (RFC 5545), so ``UNTIL=20270112`` of an activity in New York
    is ``20270113T045959Z``, which read as written said the series ran to 13 January."""
    try:
        if until.endswith("Z"):
            instant = datetime.strptime(until, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            return instant.astimezone(ZoneInfo(event.timezone)).date()
        return date(int(until[:4]), int(until[4:6]), int(until[6:8]))
    except ValueError:
        return None


# --- add-to-calendar links and JSON-LD ---------------------------------------------------------


def span_for_links(event: Event, occ: Occurrence) -> tuple[datetime | date, datetime | date]:
    """(start, exclusive end) of an occurrence; a timed one without an end ends as it starts,
    as its ``event.ics`` does (a DTSTART without DTEND: RFC 5545 3.6.1, and every calendar
    app): the links gave it an hour, so a resident's calendar said 14:00-15:00 added from
    the page and 14:00 subscribed, an end the editor never wrote."""
    if occ.all_day:
        last = occ.end if isinstance(occ.end, date) else occ.start
        return as_day(occ.start), as_day(last) + timedelta(days=1)
    assert isinstance(occ.start, datetime)
    return occ.start, occ.end if isinstance(occ.end, datetime) else occ.start


def utc_stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


LINK_LIMIT = 2000
"""Longest add-to-calendar link: browsers, mail apps and link checkers give up near 2,048
characters, and each Chinese character takes 9 in a URL (a 280-character title made ~2,400)."""


def link_details(site: Site, event: Event, summary: str) -> str:
    url = urls.absolute(site.config.site_url, urls.event(event.slug))
    return f"{summary}\n{url}" if summary else url


def link_location(site: Site, event: Event, occ: Occurrence) -> str:
    venue = site.venues.get(occ.venue) if occ.venue else None
    parts = [venue.name, venue.address] if venue else []
    parts += [occ.location, event.online]
    return " ".join(p for p in parts if p)


def capped_link(
    base: str, query: Callable[[dict[str, str]], dict[str, str]], texts: dict[str, str]
) -> str:
    """``base`` with ``query(texts)`` encoded, the texts shortened (summary first, then place,
    then title, each ending in “…”) until the link is at most ``LINK_LIMIT`` long; the page's
    own URL in the details is never cut."""
    link = base + urlencode(query(texts))
    for key in ("summary", "location", "title"):
        while len(link) > LINK_LIMIT and texts[key]:
            keep = max(0, len(texts[key]) - max(2, (len(link) - LINK_LIMIT) // 9 + 1))
            texts[key] = texts[key][:keep].rstrip() + "…" if keep else ""
            link = base + urlencode(query(texts))
    return link


def google_link(site: Site, event: Event, occ: Occurrence) -> str:
    start, end = span_for_links(event, occ)
    if isinstance(start, datetime) and isinstance(end, datetime):
        dates = f"{utc_stamp(start)}/{utc_stamp(end)}"
    else:
        dates = f"{start:%Y%m%d}/{end:%Y%m%d}"

    def query(texts: dict[str, str]) -> dict[str, str]:
        return {
            "action": "TEMPLATE",
            "text": texts["title"],
            "dates": dates,
            "details": link_details(site, event, texts["summary"]),
            "location": texts["location"],
            "ctz": event.timezone,
        }

    return capped_link(
        "https://calendar.google.com/calendar/render?", query, link_texts(site, event, occ)
    )


def outlook_link(site: Site, event: Event, occ: Occurrence) -> str:
    start, end = span_for_links(event, occ)

    def query(texts: dict[str, str]) -> dict[str, str]:
        return {
            "path": "/calendar/action/compose",
            "rru": "addevent",
            "subject": texts["title"],
            "startdt": start.isoformat(),
            "enddt": end.isoformat(),
            "allday": "true" if occ.all_day else "false",
            "body": link_details(site, event, texts["summary"]),
            "location": texts["location"],
        }

    return capped_link(
        "https://outlook.live.com/calendar/0/deeplink/compose?",
        query,
        link_texts(site, event, occ),
    )


def link_texts(site: Site, event: Event, occ: Occurrence) -> dict[str, str]:
    return {
        "title": occ.title,
        "summary": event.summary,
        "location": link_location(site, event, occ),
    }


SCHEMA_STATUS = {
    "confirmed": "https://schema.org/EventScheduled",
    "tentative": "https://schema.org/EventScheduled",
    "postponed": "https://schema.org/EventPostponed",
    "cancelled": "https://schema.org/EventCancelled",
}


def event_jsonld(
    site: Site, event: Event, occ: Occurrence | None, image: str, description: str
) -> str:
    """schema.org Event of the leading occurrence, as safe text for a <script> element
    (``image``: the activity's, site-relative, see ``asset_url``; ``description``: the page's,
    the editor's summary or the start of the text)."""
    base = site.config.site_url
    start: datetime | date = occ.start if occ else event.start
    status = occ.status if occ else event.status
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": occ.title if occ else event.title,
        "url": urls.absolute(base, urls.event(event.slug)),
        "startDate": start.isoformat(),
        "eventStatus": SCHEMA_STATUS[status],
        "inLanguage": "en" if i18n.lang_key(site.config.language) == "en" else "zh-CN",
    }
    if occ is not None and occ.end is not None:
        data["endDate"] = occ.end.isoformat()
    if status in ("confirmed", "tentative") and occ is not None and rescheduled(occ):
        # schema.org and Google's event guide: a session moved by an override is rescheduled,
        # with the start it was announced for
        assert occ.recurrence_id is not None
        data["eventStatus"] = "https://schema.org/EventRescheduled"
        data["previousStartDate"] = occ.recurrence_id.isoformat()
    if description:
        data["description"] = description
    places: list[dict[str, Any]] = []
    venue_id = occ.venue if occ else event.venue
    location = occ.location if occ else event.location
    venue = site.venues.get(venue_id) if venue_id else None
    if venue is not None:
        place: dict[str, Any] = {"@type": "Place", "name": venue.name}
        if venue.address:
            place["address"] = venue.address
        if venue.lat is not None and venue.lon is not None:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": venue.lat,
                "longitude": venue.lon,
            }
        places.append(place)
    elif location:
        places.append({"@type": "Place", "name": location, "address": location})
    if event.online:
        places.append({"@type": "VirtualLocation", "url": event.online})
    if places:
        data["location"] = places[0] if len(places) == 1 else places
        mode = "Mixed" if len(places) > 1 else ("Online" if event.online else "Offline")
        data["eventAttendanceMode"] = f"https://schema.org/{mode}EventAttendanceMode"
    organisers = [
        {"@type": "Organization", "name": o["name"], "url": urls.absolute(base, o["url"])}
        for o in organiser_links(site, event)
    ]
    data["organizer"] = organisers or {
        "@type": "Organization",
        "name": site.config.site_name,
        "url": base,
    }
    if image:
        data["image"] = urls.absolute(base, image)
    if event.registration and event.registration.url:
        data["offers"] = {"@type": "Offer", "url": event.registration.url}
    return jsonld(data)
