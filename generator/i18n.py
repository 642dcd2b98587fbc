"""Dates and labels for readers, in Chinese (default) or English, through babel."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from functools import cache

from babel import Locale
from babel.dates import format_date, get_timezone_location

LOCALES = {"zh": "zh_CN", "en": "en"}

# Patterns chosen so a date never reads as an ambiguous abbreviation like "CST".
DATE_PATTERNS = {"zh": "y年M月d日 EEE", "en": "EEE d MMM y"}
MONTH_PATTERNS = {"zh": "y年M月", "en": "MMMM y"}
SHORT_DATE_PATTERNS = {"zh": "M月d日 EEE", "en": "EEE d MMM"}
DAY_PATTERNS = {"zh": "y年M月d日", "en": "d MMMM y"}
"""A day in history (a milestone, a founding date): no weekday."""


@cache
def babel_locale(key: str) -> Locale:
    # perf (issue 5): babel re-parses a locale name on every call (~1 ms); parse it once.
    return Locale.parse(LOCALES[key])


def lang_key(language: str) -> str:
    return "en" if language.startswith("en") else "zh"


def read_date(value: date, language: str = "zh") -> str:
    """``2026年4月28日 周二``."""
    if isinstance(value, datetime):
        value = value.date()
    return format_day(value, "date", lang_key(language))


def read_short_date(value: date, language: str = "zh") -> str:
    """``4月28日 周二``: for lists grouped under a year or month heading."""
    if isinstance(value, datetime):
        value = value.date()
    return format_day(value, "short", lang_key(language))


def read_time(value: datetime) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def read_datetime(value: datetime | date, language: str = "zh") -> str:
    """``2026年4月28日 周二 14:00``, "Tue 28 Apr 2026, 14:00" (a date alone reads without a
    time)."""
    return with_time(read_date(value, language), value, language)


def with_time(day: str, value: datetime | date, language: str) -> str:
    """A day as read, then ``value``'s time when it has one: "Tue 28 Apr 2026, 14:00"."""
    if not isinstance(value, datetime):
        return day
    return f"{day}{', ' if lang_key(language) == 'en' else ' '}{read_time(value)}"


def read_number(value: int, language: str = "zh") -> str:
    """A count as a reader writes it: ``2577`` in Chinese, "2,577" in English."""
    return f"{value:,}" if lang_key(language) == "en" else str(value)


def read_month(year: int, month: int, language: str = "zh") -> str:
    return format_day(date(year, month, 1), "month", lang_key(language))


PATTERNS = {
    "date": DATE_PATTERNS,
    "short": SHORT_DATE_PATTERNS,
    "month": MONTH_PATTERNS,
    "day": DAY_PATTERNS,
}


def read_partial_date(year: int, month: int | None, day: int | None, language: str = "zh") -> str:
    """A milestone's date as precise as it was written: ``2014年``, ``2014年10月``,
    ``2014年10月5日``; in English "2014", "October 2014", "5 October 2014"."""
    key = lang_key(language)
    if month is None:
        return f"{year}年" if key == "zh" else str(year)
    if day is None:
        return read_month(year, month, language)
    return format_day(date(year, month, day), "day", key)


@cache
def format_day(day: date, kind: str, key: str) -> str:
    # perf (issue 5): pages read the same few thousand days ~10^5 times; babel is ~50 µs a call.
    return format_date(day, PATTERNS[kind][key], locale=babel_locale(key))


def read_span(start: datetime | date, end: datetime | date | None, language: str = "zh") -> str:
    """A start–end span read naturally: the end's date is left out when it is the same day.

    For all-day spans ``end`` is the last day, inclusive.
    """
    first = read_datetime(start, language)
    if end is None or end == start:
        return first
    if isinstance(start, datetime) and isinstance(end, datetime) and end.date() == start.date():
        return f"{first}–{read_time(end)}"
    return f"{first} – {read_end(start, end, language)}"


def read_end(start: datetime | date, end: datetime | date, language: str = "zh") -> str:
    """The end of a span on another day, without the year the start has said already:
    ``2026年12月5日 周六 – 12月7日 周一``, not ``– 2026年12月7日 周一``."""
    if end.year != start.year:
        return read_datetime(end, language)
    return with_time(read_short_date(end, language), end, language)


LABELS: dict[str, tuple[str, str]] = {
    "home": ("首页", "Home"),
    "news": ("新闻动态", "News"),
    "events": ("近期活动", "Upcoming activities"),
    "events_past": ("往期活动", "Past activities"),
    "branches": ("党组织", "Branches"),
    "clubs": ("社团", "Clubs"),
    "venues": ("阵地", "Venues"),
    "timeline": ("大事记", "Milestones"),
    "subscribe": ("订阅", "Subscribe"),
    # python-markdown's footnotes extension: the title of a footnote's link back to the text
    "footnote_back": ("返回正文中脚注 {} 的位置", "Jump back to footnote {} in the text"),
    "status_confirmed": ("", ""),
    "status_tentative": ("待定", "Tentative"),
    "status_cancelled": ("已取消", "Cancelled"),
    "status_postponed": ("已延期", "Postponed"),
}


def label(key: str, language: str = "zh") -> str:
    zh, en = LABELS[key]
    return en if lang_key(language) == "en" else zh


# "{n} branch[|es]": the form before "|" when the number is 1, the other otherwise.
PLURAL = re.compile(r"\{(\w+)\}([^{}\[\]]*)\[([^|\]]*)\|([^\]]*)\]")


def fill(template: str, **params: object) -> str:
    """``template.format(**params)``, with English plurals chosen by their number
    (``"{n} article[|s]"`` -> "1 article", "3 articles"). A number not known yet (a label
    templates fill in, ``n="{n}"``) takes the plural, and keeps its placeholder."""

    def choose(match: re.Match[str]) -> str:
        name, between, one, other = match.groups()
        form = one if str(params.get(name)) == "1" else other
        return f"{{{name}}}{between}{form}"

    return PLURAL.sub(choose, template).format(**params)


def say(table: Mapping[str, tuple[str, str]], key: str, language: str, **params: object) -> str:
    """The Chinese or English text of ``key`` in ``table`` (a page family's own words),
    ``fill``-ed with ``params``."""
    zh, en = table[key]
    return fill(en if lang_key(language) == "en" else zh, **params)


CHINA_ZONES = frozenset({"Asia/Shanghai", "Asia/Chongqing", "Asia/Chungking", "Asia/Harbin", "PRC"})
"""Zones whose time is called Beijing time (北京时间), whatever city names them."""


@cache
def zone_place(zone: str, language: str = "zh") -> str:
    """What a reader calls a time zone: its city (``伦敦``, ``London``), Beijing for China's;
    the zone's name where babel knows no city for it."""
    key = lang_key(language)
    if zone in CHINA_ZONES:
        return "Beijing" if key == "en" else "北京"
    try:
        city = get_timezone_location(zone, locale=babel_locale(key), return_city=True)
    except LookupError:
        return zone
    return str(city) or zone
