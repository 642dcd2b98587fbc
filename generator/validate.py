"""documents -> Site, or every problem: typing each field, references, loops, uniqueness.

Loose editor input is normalised once per field type (text, lists, dates, durations …), then
checked; every check runs even after an earlier one failed, so an editor sees all problems of a
push at once.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from dateutil.rrule import rrulestr

from . import load, memo, parallel, urls
from .load import Document, Key, Map, Node, Scalar, Seq
from .model import (
    EVENT_STATUSES,
    Branch,
    Club,
    Event,
    EventStatus,
    Milestone,
    NewsItem,
    Override,
    PartialDate,
    Registration,
    Room,
    Site,
    SiteConfig,
    Source,
    Venue,
)
from .problems import Origin, Problem, problem

FIELDS: dict[str, tuple[str, ...]] = {
    "news": ("title", "date", "branch", "club", "tags", "author", "summary", "image", "draft", "slug"),
    "event": (
        "title", "start", "end", "duration", "all_day", "timezone", "venue", "location", "online",
        "branch", "club", "categories", "status", "rrule", "exdate", "rdate", "overrides",
        "registration", "contact", "summary", "image", "draft", "slug",
    ),
    "branch": (
        "name", "kind", "parent", "founded", "members", "secretary", "contact", "address",
        "summary", "image", "slug",
    ),
    "club": (
        "name", "category", "branch", "venue", "founded", "leader", "contact", "join", "summary",
        "image", "slug",
    ),
    "venue": ("name", "address", "hours", "rooms", "lat", "lon", "contact", "summary", "image", "slug"),
    "milestone": ("date", "title", "branch", "club", "link", "body"),
    "room": ("name", "capacity", "facilities"),
    "registration": ("url", "capacity", "deadline"),
    "override": ("date", "start", "end", "venue", "location", "status", "title"),
}  # fmt: skip
REQUIRED = {
    "news": ("title", "date"),
    "event": ("title", "start"),
    "branch": ("name",),
    "club": ("name",),
    "venue": ("name",),
    "milestone": ("date", "title"),
    "room": ("name",),
    "override": ("date",),
}
TRUE_WORDS = {"true", "yes", "on", "y", "是", "1"}
FALSE_WORDS = {"false", "no", "off", "n", "否", "0"}

DATE_RE = re.compile(
    r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
    r"(?:(?:[ T]+)(?P<H>\d{1,2})[:：](?P<M>\d{2})(?:[:：](?P<S>\d{2})(?:\.\d+)?)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?$"
)
CN_DATE_RE = re.compile(
    r"^(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"
    r"(?:\s*(?P<H>\d{1,2})\s*[:：点时]\s*(?P<M>\d{2})?\s*分?)?$"
)
TIME_RANGE_RE = re.compile(
    r"^(?P<start>\S.*?(?<![T\d:：])\s*\d{1,2}\s*[:：点时]\s*(?:\d{2})?\s*分?)"
    r"\s*(?:-|~|～|—|–|－|至|到)\s*(?P<end>\d{1,2}\s*[:：点时]\s*(?:\d{2})?\s*分?)$"
)
"""A time span written where one time goes (``2026-12-17 09:00-11:30``): YAML-style, the
``-11:30`` would read as a UTC offset and move the activity to the next day. A ``T`` before
the time is ISO 8601's form, whose ``-05:00`` is an offset."""
TIME_RE = re.compile(
    r"^(?P<H>\d{1,2})(?:[:：](?P<M>\d{2})(?:[:：](?P<S>\d{2}))?"
    r"|\s*[点时]\s*(?:(?P<CM>\d{1,2})\s*分?|(?P<half>半))?)$"
)
"""A time of day alone: ``16:30``, ``16：30``, or as Chinese writes it, ``16点30``, ``16点半``."""


def clock_time(clock: re.Match[str]) -> time:
    """The time a ``TIME_RE`` match writes (raises ValueError past 23:59:59)."""
    minute = clock["M"] or clock["CM"] or (30 if clock["half"] else 0)
    return time(int(clock["H"]), int(minute), int(clock["S"] or 0))


PARTIAL_RE = re.compile(r"^(?P<y>\d{4})(?:[-/.](?P<m>\d{1,2})(?:[-/.](?P<d>\d{1,2}))?)?$")
CN_PARTIAL_RE = re.compile(
    r"^(?P<y>\d{4})\s*年(?:\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*[日号])?)?$"
)
DURATION_RE = re.compile(
    r"^(?:(?P<d>\d+)\s*(?:d|天))?\s*(?:(?P<h>\d+(?:\.\d+)?)\s*(?:h|hr|hours?|小时))?"
    r"\s*(?:(?P<m>\d+)\s*(?:m|min|mins|minutes?|分钟?))?$",
    re.IGNORECASE,
)
ISO_DURATION_RE = re.compile(r"^P(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?)?$")
URL_RE = re.compile(r"^https?://[^\s<>\"]+$")
Moment = datetime | date
QUOTES = {"“": "”", "‘": "’", "”": "”", "’": "’", "「": "」", "『": "』"}
"""Quotes a Chinese input method or Word types around a value, which YAML keeps as text."""


HALF_DAY_RE = re.compile(
    r"\s*(?P<part>上午|早上|中午|下午|晚上)\s*(?P<H>\d{1,2})\s*"
    r"(?:[:：]\s*(?P<M>\d{2})|[点时]\s*(?:(?P<CM>\d{1,2})\s*分?|(?P<half>半))?)"
)
"""An hour said with its part of the day, as Chinese says it: ``下午2点``, ``上午9:30``,
``晚上7点半``."""


def day_clock(match: re.Match[str]) -> str:
    """``下午2点半`` as `` 14:30``; as written when the part and hour disagree (``晚上12点``
    is midnight or noon to different people), which the date patterns then do not read."""
    hour = day_hour(match["part"], int(match["H"]))
    if hour is None:
        return match[0]
    minute = match["M"] or match["CM"] or ("30" if match["half"] else "00")
    return f" {hour:02d}:{int(minute):02d}"


def day_hour(part: str, hour: int) -> int | None:
    if part in ("上午", "早上"):
        return hour if hour <= 12 else None
    if part == "中午":
        return {11: 11, 12: 12, 1: 13, 2: 14}.get(hour)
    return hour + 12 if 1 <= hour <= 11 else None  # 下午, 晚上


def plain(text: str) -> str:
    """A date, time, duration or yes/no as written, in the ASCII its patterns read: a Chinese
    input method's full-width digits and punctuation (``２０２６－１２－０１``, ``2026／12／1``,
    ``１４：３０``) fold to ASCII (NFKC), and the quotes Word or WeChat put around the whole
    value (``“2026-12-01”``, which YAML does not take for quotes) go; an hour with its part of
    the day (``下午2点``) is the 24-hour clock's. Each of these was an “unrecognised date”
    whose message showed the editor what looked like the right date."""
    text = unicodedata.normalize("NFKC", text).strip()
    if len(text) > 2 and QUOTES.get(text[0]) == text[-1]:
        text = text[1:-1].strip()
    if "午" in text or "早上" in text or "晚上" in text:
        text = HALF_DAY_RE.sub(day_clock, text).strip()
    return text


CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
"""Control characters but tab and line ends, and the two non-characters XML forbids."""
ESCAPED = {
    "\x00": "\\0", "\x07": "\\a", "\x08": "\\b", "\t": "\\t", "\n": "\\n", "\x0b": "\\v",
    "\x0c": "\\f", "\r": "\\r", "\x1b": "\\e",
}  # fmt: skip
"""What YAML reads each escape of a double-quoted value as, back to what the editor wrote."""


def path_told(value: str) -> bool:
    """Whether ``Checker.file_path`` tells what is wrong with this path (Windows' ``\\``, or
    a character YAML read from an escape), with the path to write instead."""
    return "\\" in value or CONTROL_RE.search(value) is not None


def closest_id(value: str, ids: Iterable[str]) -> str:
    """The id an unknown reference most likely meant ("" if none): written in other capitals
    (``NBSWQ-Yizhan``: difflib compares characters as they are) or close in spelling."""
    by_lower = {i.lower(): i for i in sorted(ids)}
    if value.lower() in by_lower:
        return by_lower[value.lower()]
    close = difflib.get_close_matches(value.lower(), sorted(by_lower), n=1, cutoff=0.6)
    return by_lower[close[0]] if close else ""


HAN_NAME = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff·]{2,}$")


def spaced_names(value: str) -> list[str]:
    """``志愿服务 爱心助学``: Chinese names of two characters or more with spaces between, as
    many names (Chinese writes none inside a name); anything else (``Open Day``, ``党 建``,
    which is one name spaced out) as it is."""
    words = value.split()
    if len(words) > 1 and all(HAN_NAME.match(word) for word in words):
        return words
    return [value]


LIST_SEPARATORS = re.compile(r"[，、]")
"""What separates names written in one item of a list of names."""
ONE_VALUE_SEPARATORS = re.compile(r"[,，、]")
"""What separates names written as one value instead of a list."""


@dataclass
class Checker:
    """Types the fields of one mapping, collecting problems against its file."""

    path: str
    node: Map
    kind: str
    problems: list[Problem]
    prefix: str = ""
    used: set[str] = field(default_factory=set)

    def origin(self, at: Key | Node | None = None) -> Origin:
        target = at or self.node
        return Origin(self.path, target.line, target.col)

    def name(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def report(self, at: Key | Node | None, code: str, key: str, **params: object) -> None:
        self.problems.append(problem(self.origin(at), code, self.name(key), "error", **params))

    def warn(self, at: Key | Node | None, code: str, key: str, **params: object) -> None:
        self.problems.append(problem(self.origin(at), code, self.name(key), "warning", **params))

    def raw(self, key: str) -> Node | None:
        return self.node.get(key)

    def check_keys(self) -> None:
        allowed = FIELDS[self.kind]
        for key, _ in self.node.entries:
            if key.name not in allowed:
                close = difflib.get_close_matches(key.name, allowed, n=1, cutoff=0.6)
                suggestion = close[0] if close else ""
                self.warn(key, "field.unknown", key.name, suggestion=suggestion)
        for name in REQUIRED.get(self.kind, ()):
            if self.node.get(name) is None:
                self.report(None, "field.required", name)

    def text(self, key: str, default: str = "") -> str:
        node = self.raw(key)
        if node is None:
            return default
        if not isinstance(node, Scalar):
            self.report(node, "field.type-text", key)
            return default
        # characters YAML's escapes made ("\x07" in double quotes): nothing a reader sees,
        # and they went raw into pages and calendars
        value = INVISIBLE.sub("", node.value).strip()
        if not value and key in REQUIRED.get(self.kind, ()):
            self.report(node, "field.empty", key)
        return value

    def file_path(self, key: str) -> str:
        """A file's path (``image``): Windows' ``images\\a.png`` is told, with the path to
        write (``/``), as is one YAML read escapes from (``"images\\a.png"`` in double quotes
        has a bell character in it, and published a broken image)."""
        value = self.text(key)
        node = self.raw(key)
        written = node.value.strip() if isinstance(node, Scalar) else ""
        if CONTROL_RE.search(written):
            value = written
            fixed = "".join(ESCAPED.get(ch, ch) for ch in value).replace("\\", "/")
            self.report(node, "field.path-escape", key, value=fixed)
        elif "\\" in value:
            self.warn(node, "field.backslash", key, value=value, fixed=value.replace("\\", "/"))
        return value

    def text_list(self, key: str, names: bool = False) -> tuple[str, ...]:
        """A list: a YAML list, or one value. For ``names`` (tags, categories, organisers),
        names joined with ``，`` or ``、`` (``[党课，志愿服务]``, ``志愿服务、垃圾分类``), or with
        ``,`` in a value that is not a list (``文明, 健康``), are as many names, as the editor
        meant (a joined name made a page and a calendar no one subscribed to), and so are
        Chinese names spaced apart in such a value (``spaced_names``); a list's items keep their
        ``,`` (``- 1,000 人健步走``). Free text (facilities) is kept whole."""
        node = self.raw(key)
        if node is None:
            return ()
        single = not isinstance(node, Seq)
        items = (node,) if single else node.items  # type: ignore[union-attr]
        separators = (ONE_VALUE_SEPARATORS if single else LIST_SEPARATORS) if names else None
        values: list[str] = []
        for item in items:
            if not isinstance(item, Scalar):
                self.report(item, "field.type-list", key)
                continue
            parts = separators.split(item.value) if separators else [item.value]
            if single and names:
                parts = [name for part in parts for name in spaced_names(part)]
            for part in parts:
                value = part.strip()
                if value and value not in values:
                    values.append(value)
        return tuple(values)

    def boolean(self, key: str) -> bool:
        node = self.raw(key)
        if node is None:
            return False
        if isinstance(node, Scalar):
            word = plain(node.value).lower()
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS or word == "":
                return False
        self.report(node, "field.bool", key, value=shown(node))
        return False

    def count(self, key: str) -> int | None:
        node = self.raw(key)
        if node is None:
            return None
        written = plain(node.value) if isinstance(node, Scalar) else ""
        if re.fullmatch(r"\d+", written):
            return int(written)
        self.report(node, "field.int", key, value=shown(node))
        return None

    def number(self, key: str, low: float, high: float) -> float | None:
        node = self.raw(key)
        if node is None:
            return None
        try:
            value = float(plain(node.value)) if isinstance(node, Scalar) else None
        except ValueError:
            value = None
        if value is None:
            self.report(node, "field.number", key, value=shown(node))
            return None
        if not low <= value <= high:
            self.report(node, "field.lat-lon", key)
            return None
        return value

    def url(self, key: str) -> str:
        value = self.text(key)
        if value and not URL_RE.match(value):
            self.report(self.raw(key), "field.url", key, value=value)
            return ""
        return value

    def choice(self, key: str, choices: tuple[str, ...], default: str) -> str:
        value = self.text(key, default).lower()
        if value not in choices:
            self.report(self.raw(key), "field.choice", key, value=value, choices=", ".join(choices))
            return default
        return value

    def moment(self, key: str, zone: ZoneInfo) -> Moment | None:
        node = self.raw(key)
        if node is None or self.span_told(node, key):
            return None
        if isinstance(node, Scalar):
            value = parse_moment(node.value, zone)
            if value is not None:
                if key in ("start", "end"):
                    self.small_hours(
                        node,
                        key,
                        date_match(node.value),
                    )
                return self.existing(node, key, value)
        self.report(node, "field.date", key, value=shown(node))
        return None

    def small_hours(self, node: Node, key: str, written: re.Match[str] | None) -> None:
        """Warn of an activity at 1:00–6:59 whose hour is written with one digit (``2:00``):
        most likely an afternoon in 12-hour habit (14:00). ``02:00`` says it is meant."""
        hour = written.group("H") if written is not None else None
        if hour is None or len(hour) != 1 or not 1 <= int(hour) <= 6:
            return
        parts = written.groupdict()  # type: ignore[union-attr]
        minute = parts.get("M") or parts.get("CM") or ("30" if parts.get("half") else "00")
        self.warn(node, "event.small-hours", key, value=shown(node), hour=hour,
                  afternoon=f"{int(hour) + 12}:{minute}", night=f"0{hour}:{minute}")  # fmt: skip

    def span_told(self, node: Node, key: str) -> bool:
        """Report a time span written where one time goes (``TIME_RANGE_RE``), with the start
        and end to write; whether it was one."""
        span = TIME_RANGE_RE.match(plain(node.value)) if isinstance(node, Scalar) else None
        if span is None:
            return False
        start, end = (span[name].strip() for name in ("start", "end"))
        self.report(node, "field.time-span", key, value=shown(node), start=start, end=end)
        return True

    def existing(self, node: Node, key: str, value: Moment) -> Moment | None:
        """``value``, unless it is a wall time its zone skips (the hour clocks go forward for
        daylight saving): calendar apps, the page and ``events.json`` would each read it
        otherwise (one shifts it an hour, another makes it zero-length); or a year no
        activity or article has (``9999-12-31 23:00`` plus two hours overflowed the build)."""
        if not YEARS[0] <= value.year <= YEARS[1]:
            self.report(node, "field.date-range", key, value=shown(node))
            return None
        shifted = skipped_to(value)
        if shifted is None:
            return value
        self.report(
            node,
            "field.time-gap",
            key,
            value=shown(node),
            zone=str(shifted.tzinfo),
            shifted=shifted.strftime("%Y-%m-%d %H:%M"),
        )
        return None

    def moments(self, key: str, zone: ZoneInfo) -> tuple[Moment, ...]:
        node = self.raw(key)
        if node is None:
            return ()
        items = node.items if isinstance(node, Seq) else (node,)
        values: list[Moment] = []
        for item in items:
            if self.span_told(item, key):
                continue
            value = parse_moment(item.value, zone) if isinstance(item, Scalar) else None
            if value is None:
                self.report(item, "field.date", key, value=shown(item))
            elif self.existing(item, key, value) is None:
                continue
            elif value not in values:
                values.append(value)
        return tuple(values)

    def partial_date(self, key: str) -> PartialDate | None:
        node = self.raw(key)
        if node is None:
            return None
        value = parse_partial_date(node.value) if isinstance(node, Scalar) else None
        if value is None:
            self.report(node, "field.partial-date", key, value=shown(node))
        return value

    def slug(self, default_id: str) -> str:
        node = self.raw("slug")
        if node is None:
            return default_id if urls.is_valid_slug(default_id) else urls.slugify(default_id)
        value = node.value.strip() if isinstance(node, Scalar) else ""
        if not urls.is_valid_slug(value):
            self.report(node, "field.slug", "slug", value=shown(node))
            return urls.slugify(default_id)
        if len(value) > urls.LONGEST_SLUG:
            self.report(node, "field.slug-long", "slug", n=urls.LONGEST_SLUG)
            return urls.slugify(default_id)
        if value in urls.WINDOWS_NAMES:  # the editor's address, kept: it may be published
            self.warn(node, "field.slug-windows", "slug", value=value)
        return value

    def mapping(self, key: str, kind: str) -> Checker | None:
        node = self.raw(key)
        if node is None:
            return None
        if not isinstance(node, Map):
            self.report(node, "field.type-mapping", key)
            return None
        sub = Checker(self.path, node, kind, self.problems, prefix=f"{self.name(key)}.")
        sub.check_keys()
        return sub

    def mappings(self, key: str, kind: str) -> list[Checker]:
        node = self.raw(key)
        if node is None:
            return []
        items = node.items if isinstance(node, Seq) else (node,)
        found = []
        for item in items:
            if not isinstance(item, Map):
                self.report(item, "field.type-mapping", key)
                continue
            # no index: the line says which item, and [0] read as "the first" to no editor
            sub = Checker(self.path, item, kind, self.problems, prefix=f"{self.name(key)}.")
            sub.check_keys()
            found.append(sub)
        return found


def shown(node: Node) -> str:
    if isinstance(node, Scalar):
        return node.value
    return "…"


def date_match(text: str) -> re.Match[str] | None:
    """A date (and time) as written, in either form ``DATE_RE`` and ``CN_DATE_RE`` read."""
    text = plain(text)
    return DATE_RE.match(text) or CN_DATE_RE.match(text)


def parse_moment(text: str, zone: ZoneInfo) -> Moment | None:
    """A date, or an aware datetime in ``zone`` (an explicit offset is kept as that instant)."""
    match = date_match(text)
    if not match:
        return None
    parts = match.groupdict()
    try:
        day = date(int(parts["y"]), int(parts["m"]), int(parts["d"]))
        if parts.get("H") is None:
            return day
        clock = time(int(parts["H"]), int(parts.get("M") or 0), int(parts.get("S") or 0))
    except ValueError:
        return None
    offset = parts.get("tz")
    if offset:
        fixed = UTC if offset == "Z" else parse_offset(offset)
        return datetime.combine(day, clock, fixed).astimezone(zone)
    return datetime.combine(day, clock, zone)


def skipped_to(value: Moment) -> datetime | None:
    """Where a wall time in a skipped hour of its zone lands (02:30 -> 03:30 on the night
    clocks go forward); None for any time that exists (and for dates and fixed offsets)."""
    if not isinstance(value, datetime) or not isinstance(value.tzinfo, ZoneInfo):
        return None
    landed = value.astimezone(UTC).astimezone(value.tzinfo)
    return landed if landed.replace(tzinfo=None) != value.replace(tzinfo=None) else None


def parse_offset(text: str) -> timezone:
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def parse_partial_date(text: str) -> PartialDate | None:
    text = plain(text)
    match = PARTIAL_RE.match(text) or CN_PARTIAL_RE.match(text)
    if not match:
        return None
    year = int(match["y"])
    month = int(match["m"]) if match["m"] else None
    day = int(match["d"]) if match["d"] else None
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        return None
    return PartialDate(year, month, day)


YEARS = (1900, 2199)
"""The years a date of an activity, an article or a deadline may have."""
LONGEST = timedelta(days=366)
"""The longest ``duration``: an activity of more than a year is a typo."""


def parse_duration(text: str) -> timedelta | None:
    text = plain(text).replace(" ", "")
    match = ISO_DURATION_RE.match(text.upper()) or DURATION_RE.match(text)
    if not match or not any(match.groupdict().values()):
        return None
    parts = match.groupdict()
    try:
        value = timedelta(
            days=int(parts["d"] or 0), hours=float(parts["h"] or 0), minutes=int(parts["m"] or 0)
        )
    except OverflowError:
        return LONGEST * 2  # beyond any limit (reported as too long, not as unreadable)
    return value if value > timedelta(0) else None


def resolve_zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


ZONES_BY_NAME = {
    "北京时间": "Asia/Shanghai", "中国标准时间": "Asia/Shanghai", "中国时间": "Asia/Shanghai",
    "东八区": "Asia/Shanghai", "CST": "Asia/Shanghai", "UTC+8": "Asia/Shanghai",
    "GMT+8": "Asia/Shanghai", "+08:00": "Asia/Shanghai", "香港时间": "Asia/Hong_Kong",
    "台北时间": "Asia/Taipei", "东京时间": "Asia/Tokyo", "日本时间": "Asia/Tokyo",
    "首尔时间": "Asia/Seoul", "新加坡时间": "Asia/Singapore", "伦敦时间": "Europe/London",
    "英国时间": "Europe/London", "巴黎时间": "Europe/Paris", "柏林时间": "Europe/Berlin",
    "纽约时间": "America/New_York", "美东时间": "America/New_York", "洛杉矶时间": "America/Los_Angeles",
    "美西时间": "America/Los_Angeles", "悉尼时间": "Australia/Sydney", "UTC": "UTC", "GMT": "UTC",
}  # fmt: skip
"""Names editors write for a zone, with the IANA name ``timezone`` takes."""


def meant_zone(value: str) -> str:
    """The IANA zone an unknown ``timezone`` most likely meant ("" if none): 北京时间, UTC+8,
    another spelling (``asia/shanghai``), or a city alone (``Shanghai``)."""
    text = value.strip()
    named = ZONES_BY_NAME.get(text) or ZONES_BY_NAME.get(text.upper())
    if named:
        return named
    by_lower = {zone.lower(): zone for zone in available_timezones()}
    key = text.lower().replace(" ", "_")
    if key in by_lower:
        return by_lower[key]
    cities = {zone.rsplit("/", 1)[-1].lower(): zone for zone in sorted(by_lower.values())}
    return cities.get(key, "")


@dataclass
class Context:
    """Shared state of one validation run."""

    config: SiteConfig
    problems: list[Problem]
    site_zone: ZoneInfo
    lines: dict[tuple[str, str], int] = field(default_factory=dict)
    """(path, key) -> line, for the keys references are read from (``REFERENCE_KEYS``)."""


def validate(
    documents: Iterable[Document], config: SiteConfig, between: Callable[[], None] = lambda: None
) -> tuple[Site, list[Problem]]:
    """Type and cross-check every document. Returns the site (drafts and future news left out
    unless asked) and every problem; callers fail when any problem is an error. ``between``
    is called between kinds of documents (see ``load.load_content``)."""
    problems: list[Problem] = []
    zone = resolve_zone(config.timezone) or ZoneInfo("UTC")
    ctx = Context(config, problems, zone)
    docs = list(documents)
    by_kind: dict[str, list[Document]] = {}
    for doc in docs:
        by_kind.setdefault(doc.kind or "page", []).append(doc)

    made = make_all(ctx, [(kind, doc) for kind in MAKERS for doc in by_kind.get(kind, [])], between)
    venues = build_unique(ctx, by_kind.get("venue", []), "venue", made)
    branches = build_unique(ctx, by_kind.get("branch", []), "branch", made)
    clubs = build_unique(ctx, by_kind.get("club", []), "club", made)
    between()
    events = build_unique(ctx, by_kind.get("event", []), "event", made)
    between()
    news = build_unique(ctx, by_kind.get("news", []), "news", made)
    between()
    milestones = [m for doc in by_kind.get("timeline", []) for m in make_milestones(ctx, doc)]

    refs = references(
        {"branch": branches, "club": clubs, "venue": venues, "event": events, "news": news},
        config.language,
        {**ctx.lines, **key_lines(by_kind.get("timeline", []))},
    )
    branches = {k: resolve_branch(refs, b, problems) for k, b in branches.items()}
    check_parent_loops(branches, problems, refs.lines)
    clubs = {k: resolve_club(refs, c, problems) for k, c in clubs.items()}
    events = {k: resolve_event(refs, e, problems) for k, e in events.items()}
    between()
    news = {k: resolve_news(refs, n, problems) for k, n in news.items()}
    tell_far_ahead(news.values(), by_kind.get("news", []), config, problems)
    tell_far_days(events.values(), by_kind.get("event", []), config, problems)
    milestones = [resolve_milestone(refs, m, problems) for m in milestones]
    tell_draft_links(milestones, events, news, refs, problems)

    published_events = {k: e for k, e in events.items() if is_published(e, config)}
    published_news = [n for n in news.values() if is_published(n, config)]
    published_news.sort(key=lambda n: (n.date, n.id), reverse=True)
    published_events, published_news = one_spelling_per_address(
        published_events, published_news, refs, problems
    )
    milestones = [drop_hidden_link(m, published_events, published_news) for m in milestones]
    milestones.sort(key=lambda m: (m.date.sort_key(), m.source.path, m.source.line))
    home = next((d for d in by_kind.get("page", []) if d.path.endswith("/index.md") and
                 d.path.count("/") == 1), None)  # fmt: skip

    site = Site(
        config=config,
        branches=dict(sorted(branches.items())),
        clubs=dict(sorted(clubs.items())),
        venues=dict(sorted(venues.items())),
        events=dict(sorted(published_events.items())),
        news=tuple(published_news),
        milestones=tuple(milestones),
        home_text=home.body if home else "",
    )
    return site, problems


def one_spelling_per_address(
    events: dict[str, Event],
    news: list[NewsItem],
    refs: References,
    problems: list[Problem],
) -> tuple[dict[str, Event], list[NewsItem]]:
    """Tags (and activity categories) written differently but with one address (“C++” and
    “C#”, “党建” and “党 建” are ``…/c/`` and ``…/dang-jian/``) are one page and one feed: they
    are merged into one spelling (``canonical_spellings``), and every other spelling is a
    warning at the line that wrote it, so the editor sees the merge (``check`` fails)."""
    tags = canonical_spellings(t for n in news for t in n.tags)
    categories = canonical_spellings(c for e in events.values() for c in e.categories)

    def respelled(src: Source, key: str, values: tuple[str, ...], chosen: dict[str, str]):
        for value in values:
            if chosen.get(value, value) != value:
                problems.append(
                    problem(
                        Origin(src.path, refs.line(src, key)),
                        "field.same-address",
                        key,
                        "warning",
                        value=value,
                        chosen=chosen[value],
                        url=address_of(key, value),
                    )
                )
        return tuple(dict.fromkeys(chosen.get(v, v) for v in values))

    if categories:
        events = {
            k: e
            if not e.categories
            else replace(e, categories=respelled(e.source, "categories", e.categories, categories))
            for k, e in events.items()
        }
    if tags:
        news = [
            n if not n.tags else replace(n, tags=respelled(n.source, "tags", n.tags, tags))
            for n in news
        ]
    return events, news


def canonical_spellings(values: Iterable[str]) -> dict[str, str]:
    """Spelling -> the spelling chosen among those with its slug (the most written, then the
    shortest: “党建” over “党 建”, “户外” over “Hu Wai”), for the slugs written more than one
    way (empty when each is written one way: the usual case)."""
    counts = Counter(values)
    by_slug: dict[str, list[str]] = {}
    for value in counts:
        by_slug.setdefault(urls.slugify(value), []).append(value)
    return {
        v: min(group, key=lambda s: (-counts[s], len(s), s))
        for group in by_slug.values()
        if len(group) > 1
        for v in group
    }


def site_spellings(values: Iterable[str]) -> dict[str, str]:
    """Slug -> spelling, of a validated site's tags or categories (one spelling each)."""
    return {urls.slugify(v): v for v in set(values)}


def respelt(values: tuple[str, ...], spelt: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(spelt.get(urls.slugify(v), v) for v in values))


def address_of(key: str, value: str) -> str:
    return urls.news_tag(value) if key == "tags" else urls.event_category(value)


def is_published(entity: Event | NewsItem, config: SiteConfig) -> bool:
    """In the build: not a draft, and for news not dated after today, unless drafts are on."""
    if config.drafts:
        return True
    if isinstance(entity, NewsItem) and entity.date.date() > config.today:
        return False
    return not entity.draft


def references(
    entities: Mapping[str, Mapping[str, Any]], language: str, lines: dict[tuple[str, str], int]
) -> References:
    """What references may name: the ids and slugs of each kind's entities."""
    return References(
        {kind: set(found) for kind, found in entities.items()},
        {kind: slugs_of(found) for kind, found in entities.items()},
        language,
        lines,
        {kind: names_of(found) for kind, found in entities.items()},
    )


def names_of(entities: Mapping[str, Any]) -> dict[str, str]:
    """Name (or title) -> id, for the reference an editor writes by name (``branch: 财智支部``)."""
    found: dict[str, str] = {}
    for key, entity in sorted(entities.items()):
        name = getattr(entity, "name", "") or getattr(entity, "title", "")
        if isinstance(name, str) and name:
            found.setdefault(name, key)
    return found


def meant_id(
    value: str, ids: Iterable[str], slugs: Mapping[str, str], names: Mapping[str, str]
) -> str:
    """The id an unknown reference most likely meant ("" if none): one spelt alike
    (``closest_id``), the last part of a page's address (``/news/xin-nian/``), or the id of
    the entity whose name it writes or nearly writes (``财智支部`` for 财智行业社团党支部)."""
    close = closest_id(value, ids)
    if close:
        return close
    last = value.strip("/").rsplit("/", 1)[-1]
    if "/" in value and last:
        if last in ids:
            return last
        if last in slugs:
            return slugs[last]
    if value in names:
        return names[value]
    near = difflib.get_close_matches(value, sorted(names), n=1, cutoff=0.6)
    return names[near[0]] if near else ""


def key_lines(docs: list[Document]) -> dict[tuple[str, str], int]:
    """(path, key) -> line of the key; timeline items use (path, "<item line>:<key>")."""
    lines = {(d.path, k.name): k.line for d in docs if d.front for k, _ in d.front.entries}
    for doc in docs:
        for item in doc.data.items if doc.data else ():
            if isinstance(item, Map):
                lines.update({(doc.path, f"{item.line}:{k.name}"): k.line for k, _ in item.entries})
    return lines


def slugs_of(entities: Mapping[str, Any]) -> dict[str, str]:
    return {e.slug: key for key, e in entities.items()}


def build_unique(
    ctx: Context, docs: list[Document], kind: str, made: Mapping[tuple[str, str], Made]
) -> dict[str, Any]:
    """One entity per document (``made`` by ``make_all``); a second id or slug of the same
    kind is a problem."""
    found: dict[str, Any] = {}
    by_slug: dict[str, str] = {}
    for doc in sorted(docs, key=lambda d: d.path):
        entity, problems, lines = made[kind, doc.path]
        ctx.problems.extend(problems)
        ctx.lines.update(((doc.path, name), line) for name, line in lines)
        origin = Origin(doc.path, doc.front_line)
        if doc.id in found:
            other = found[doc.id].source.path
            ctx.problems.append(problem(origin, "id.duplicate", "", value=doc.id, other=other))
            continue
        if entity.slug in urls.RESERVED_SLUGS.get(kind_dir(kind), ()):
            at = doc.front.get("slug") if doc.front else None
            path = f"/{kind_dir(kind)}/{entity.slug}/"
            ctx.problems.append(
                problem(Origin(doc.path, (at or origin).line), "url.reserved",
                        "slug" if at else "", value=path)
            )  # fmt: skip
            continue
        if entity.slug in by_slug:
            other = found[by_slug[entity.slug]].source.path
            at = doc.front.get("slug") if doc.front else None
            path = f"/{kind_dir(kind)}/{entity.slug}/"
            ctx.problems.append(
                problem(Origin(doc.path, (at or origin).line), "url.conflict", "slug", value=path,
                        other=other)
            )  # fmt: skip
            continue
        found[doc.id] = entity
        by_slug[entity.slug] = doc.id
    return found


REFERENCE_KEYS = frozenset({"parent", "branch", "club", "venue", "tags", "categories"})
"""The front matter keys whose values name other entities: ``References.line`` reads theirs."""

Made = tuple[Any, tuple[Problem, ...], tuple[tuple[str, int], ...]]
"""A document's entity, its problems, and the lines of its ``REFERENCE_KEYS``."""


def made_shelf() -> memo.Shelf:
    """Documents' entities by their text (``make_once``)."""
    return memo.shelf("validate.made", "generator.model", "generator.problems")


SPLIT_FROM = 2000
"""From this many documents, a build that kept few of them makes half in a forked child."""


def make_all(
    ctx: Context, jobs: list[tuple[str, Document]], between: Callable[[], None] = lambda: None
) -> dict[tuple[str, str], Made]:
    """(kind, path) -> the entity of each document of ``jobs`` (``make_once``).

    perf (issue 5): on a build that kept few of them (a first build, CI without its cache),
    a forked child makes every other one while this process makes the rest: a district's
    20,000 entities, front matter decoded and checked, are ~4.5 s of one core, and the other
    is idle then. Every other, not a half: the front matter of the second half of the files
    was composed by load's child (``load.compose_beside``) and costs more to read here. The
    child hands back what it made; same entities, same problems."""
    helper = None
    mine = jobs
    if (
        len(jobs) >= SPLIT_FROM
        and parallel.can_fork()
        and len(made_shelf().load()) < len(jobs) // 2
    ):
        helper = parallel.beside(make_part, ctx, jobs[1::2])
        mine = jobs[0::2]
    made: dict[tuple[str, str], Made] = {}
    try:
        for count, (kind, doc) in enumerate(mine, start=1):
            made[kind, doc.path] = make_once(ctx, doc, kind)
            if count % load.CHECK_EVERY == 0:
                between()
        if helper is not None:
            made.update(take_made(helper))
            helper = None
    finally:
        if helper is not None:
            parallel.cancel(helper)
    return made


def make_part(
    ctx: Context, jobs: list[tuple[str, Document]]
) -> dict[tuple[str, str], tuple[str, Made]]:
    """In a forked child: (kind, path) -> (shelf key, entity) of each document of ``jobs``."""
    made = {}
    for kind, doc in jobs:
        key = made_key(ctx, doc, kind)
        made[kind, doc.path] = (key, make_once(ctx, doc, kind, key))
    return made


def take_made(
    helper: Callable[[], dict[tuple[str, str], tuple[str, Made]]],
) -> dict[tuple[str, str], Made]:
    """The child's entities, kept on this process's shelf (the next build reads them)."""
    kept = made_shelf()
    made = {}
    for at, (key, entity) in helper().items():
        if key:
            kept.put(key, entity)
        made[at] = entity
    return made


def made_key(ctx: Context, doc: Document, kind: str) -> str:
    """The shelf's key for ``doc``'s entity ("" for a document without text to digest)."""
    if not doc.digest:
        return ""
    at = f"{doc.front_line}:{doc.body_line}"
    config = ctx.config
    return made_shelf().key(kind, doc.path, doc.digest, at, config.content_dir, config.timezone)


def make_once(ctx: Context, doc: Document, kind: str, key: str | None = None) -> Made:
    """``doc``'s entity (made by its kind's ``MAKERS``), with the problems found on the way
    (``key``: its ``made_key``, when known).

    perf (issue 5): the result depends only on the document's text and the site's content
    folder and time zone (and this code), so it is kept between builds by those: making a
    district's 20,000 entities was ~1.5 s of every build, and reading its front matter back
    another ~0.8 s. References are resolved afterwards, on every build."""
    kept = made_shelf()
    if key is None:
        key = made_key(ctx, doc, kind)
    if key:
        known: Made | None = kept.get(key)
        if known is not None:
            return known
    assert doc.front is not None or kind in ("news", "event", "branch", "club", "venue")
    front = doc.front or Map((), doc.front_line, 1)
    problems: list[Problem] = []
    checker = Checker(doc.path, front, kind, problems)
    checker.check_keys()
    entity = MAKERS[kind](Context(ctx.config, problems, ctx.site_zone), doc, checker)
    lines = tuple((k.name, k.line) for k, _ in front.entries if k.name in REFERENCE_KEYS)
    made: Made = (entity, tuple(problems), lines)
    if key:
        kept.put(key, made)
    return made


def kind_dir(kind: str) -> str:
    return {"news": "news", "event": "events", "branch": "branches", "club": "clubs",
            "venue": "venues"}[kind]  # fmt: skip


def source(doc: Document, content_dir: str) -> Source:
    return Source(doc.path, doc.front_line, doc.path.removeprefix(content_dir.strip("/") + "/"))


def make_venue(ctx: Context, doc: Document, c: Checker) -> Venue:
    rooms = []
    for room in c.mappings("rooms", "room"):
        capacity = room.count("capacity")
        rooms.append(Room(room.text("name"), capacity, room.text_list("facilities")))
    return Venue(
        id=doc.id,
        slug=c.slug(doc.id),
        name=c.text("name"),
        source=source(doc, ctx.config.content_dir),
        address=c.text("address"),
        hours=c.text("hours"),
        rooms=tuple(rooms),
        lat=c.number("lat", -90, 90),
        lon=c.number("lon", -180, 180),
        contact=c.text("contact"),
        summary=c.text("summary"),
        image=c.file_path("image"),
        body=doc.body,
    )


def make_branch(ctx: Context, doc: Document, c: Checker) -> Branch:
    return Branch(
        id=doc.id,
        slug=c.slug(doc.id),
        name=c.text("name"),
        source=source(doc, ctx.config.content_dir),
        kind=c.text("kind"),
        parent=c.text("parent") or None,
        founded=c.partial_date("founded"),
        members=c.count("members"),
        secretary=c.text("secretary"),
        contact=c.text("contact"),
        address=c.text("address"),
        summary=c.text("summary"),
        image=c.file_path("image"),
        body=doc.body,
    )


def make_club(ctx: Context, doc: Document, c: Checker) -> Club:
    return Club(
        id=doc.id,
        slug=c.slug(doc.id),
        name=c.text("name"),
        source=source(doc, ctx.config.content_dir),
        category=c.text("category"),
        branch=c.text("branch") or None,
        venue=c.text("venue") or None,
        founded=c.partial_date("founded"),
        leader=c.text("leader"),
        contact=c.text("contact"),
        join=c.text("join"),
        summary=c.text("summary"),
        image=c.file_path("image"),
        body=doc.body,
    )


def make_news(ctx: Context, doc: Document, c: Checker) -> NewsItem:
    when = c.moment("date", ctx.site_zone)
    if isinstance(when, date) and not isinstance(when, datetime):
        when = datetime.combine(when, time(0), ctx.site_zone)
    return NewsItem(
        id=doc.id,
        slug=c.slug(doc.id),
        title=c.text("title"),
        date=when or datetime(1970, 1, 1, tzinfo=ctx.site_zone),
        source=source(doc, ctx.config.content_dir),
        branches=c.text_list("branch", names=True),
        clubs=c.text_list("club", names=True),
        tags=c.text_list("tags", names=True),
        author=c.text("author"),
        summary=c.text("summary"),
        image=c.file_path("image"),
        draft=c.boolean("draft"),
        body=doc.body,
    )


def make_event(ctx: Context, doc: Document, c: Checker) -> Event:
    zone_name = c.text("timezone") or ctx.config.timezone
    zone = resolve_zone(zone_name)
    if zone is None:
        c.report(c.raw("timezone"), "field.timezone", "timezone", value=zone_name,
                 suggestion=meant_zone(zone_name))  # fmt: skip
        zone, zone_name = ctx.site_zone, ctx.config.timezone
    start = c.moment("start", zone)
    all_day = c.boolean("all_day") if c.raw("all_day") is not None else is_plain_date(start)
    if all_day and isinstance(start, datetime):
        c.report(c.raw("start"), "event.all-day-time", "start")
        start = start.date()
    if not all_day and start is not None and is_plain_date(start):
        # all_day: false with a day alone: midnight, which an editor who forgot the time
        # did not mean (written "2026-12-08 00:00" it is meant)
        c.warn(c.raw("start"), "event.start-no-time", "start")
        start = datetime.combine(start, time(0), zone)
    end = event_end(c, start, all_day, zone)
    status: EventStatus = c.choice("status", EVENT_STATUSES, "confirmed")  # type: ignore[assignment]
    rrule = normalise_rrule(c, start, all_day, zone)
    exdates = tuple(as_kind(v, all_day, zone, keep_dates=True) for v in c.moments("exdate", zone))
    usual = start.astimezone(zone).time() if isinstance(start, datetime) else time(0)
    rdates = tuple(
        as_kind(v, all_day, zone, keep_dates=False, at=usual) for v in c.moments("rdate", zone)
    )
    overrides = make_overrides(c, start, end, all_day, zone, rrule, exdates, rdates)
    if exdates and start is not None and (rrule is not None or c.raw("rrule") is None):
        warn_unmatched_exdates(c, start, all_day, zone, rrule, rdates)
    registration = None
    if (reg := c.mapping("registration", "registration")) is not None:
        registration = Registration(
            url=reg.url("url"),
            capacity=reg.count("capacity"),
            deadline=reg.moment("deadline", zone),
        )
        if not (rrule or rdates) and closes_after_start(registration.deadline, start):
            # a typo in the year or month, most likely: the page would say "报名截止" after
            # the activity is over
            deadline = reg.raw("deadline")
            reg.warn(deadline, "event.deadline-after-start", "deadline", value=shown(deadline))  # type: ignore[arg-type]
    return Event(
        id=doc.id,
        slug=c.slug(doc.id),
        title=c.text("title"),
        start=start or date(1970, 1, 1),
        source=source(doc, ctx.config.content_dir),
        end=end,
        all_day=all_day,
        timezone=zone_name,
        venue=c.text("venue") or None,
        location=c.text("location"),
        online=c.url("online"),
        branches=c.text_list("branch", names=True),
        clubs=c.text_list("club", names=True),
        categories=c.text_list("categories", names=True),
        status=status,
        rrule=rrule,
        exdates=exdates,
        rdates=rdates,
        overrides=overrides,
        registration=registration,
        contact=c.text("contact"),
        summary=c.text("summary"),
        image=c.file_path("image"),
        draft=c.boolean("draft"),
        body=doc.body,
    )


MAKERS: dict[str, Callable[[Context, Document, Checker], Any]] = {
    "venue": make_venue,
    "branch": make_branch,
    "club": make_club,
    "event": make_event,
    "news": make_news,
}
"""Each kind's entity from its document, in the order kinds are made."""


def is_plain_date(value: object) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def as_kind(
    value: Moment, all_day: bool, zone: ZoneInfo, keep_dates: bool, at: time = time(0)
) -> Moment:
    """Fit an exdate/rdate to its activity: dates for all-day ones, aware datetimes otherwise
    (a date alone on a timed rule stays a date when ``keep_dates``: it cancels that day; an
    extra day, ``rdate: 2026-12-12``, is at the activity's usual time ``at``)."""
    if all_day:
        return day_of(value)
    if is_plain_date(value) and not keep_dates:
        return datetime.combine(value, at, zone)
    return value


def event_end(c: Checker, start: Moment | None, all_day: bool, zone: ZoneInfo) -> Moment | None:
    """The end as the model keeps it: exclusive instant when timed, last day when all-day."""
    end_node, duration_node = c.raw("end"), c.raw("duration")
    if end_node is not None and duration_node is not None:
        c.report(duration_node, "event.end-and-duration", "duration")
    end: Moment | None = None
    if end_node is not None:
        text = end_node.value.strip() if isinstance(end_node, Scalar) else ""
        clock = TIME_RE.match(plain(text))
        if clock and start is None:
            return None  # a time of day on the start's day: the start's own problem is reported
        if clock and not isinstance(start, datetime):  # a day alone starts an all-day activity
            c.report(end_node, "event.end-time-all-day", "end", value=text)
            return None
        if clock and isinstance(start, datetime):
            c.small_hours(end_node, "end", clock)
            try:
                at = clock_time(clock)
                end = c.existing(end_node, "end", datetime.combine(start.date(), at, start.tzinfo))
            except ValueError:
                c.report(end_node, "field.date", "end", value=text)
        else:
            end = c.moment("end", zone)
    elif duration_node is not None:
        text = duration_node.value if isinstance(duration_node, Scalar) else ""
        length = parse_duration(text)
        if length is None:
            c.report(duration_node, "field.duration", "duration", value=text)
        elif length > LONGEST:
            c.report(duration_node, "field.duration-long", "duration", value=text)
        elif start is not None:
            if all_day:
                return start + timedelta(days=max(1, length.days) - 1)
            return start + length
    if end is None or start is None:
        return end
    if all_day:
        end = day_of(end)
        if end < start:
            c.report(end_node, "event.end-before-start", "end")
            return None
        return end
    if is_plain_date(end):
        # A timed activity with an end date only: it ends at the end of that day (an
        # exhibition's last day); on its first day, more likely the end's time was forgotten.
        if isinstance(start, datetime) and end == start.date() and end_node is not None:
            c.warn(end_node, "event.end-no-time", "end", value=shown(end_node))
        end = datetime.combine(end + timedelta(days=1), time(0), zone)
    assert isinstance(end, datetime) and isinstance(start, datetime)
    if end <= start:
        c.report(end_node, "event.end-before-start", "end")
        return None
    return end


def normalise_rrule(c: Checker, start: Moment | None, all_day: bool, zone: ZoneInfo) -> str | None:
    """Check the RRULE parses, and write UNTIL the way RFC 5545 wants it for this DTSTART."""
    node = c.raw("rrule")
    if node is None:
        return None
    if not isinstance(node, Scalar):
        c.report(node, "field.type-text", "rrule")
        return None
    text = re.sub(r"^RRULE:", "", node.value.strip(), flags=re.IGNORECASE).strip().rstrip(";")
    if HAN_CHAR.search(text):  # the rule in words (每月最后一个周六): say how to write it
        c.report(node, "field.rrule-words", "rrule", value=text, rule=rule_of_words(text) or "")
        return None
    parts: list[tuple[str, str]] = []
    for part in filter(None, text.split(";")):
        name, _, value = part.partition("=")
        name, value = name.strip().upper(), value.strip().upper()
        if name == "UNTIL":
            value = normalise_until(value, all_day, zone) or value
        parts.append((name, value))
    rule = ";".join(f"{k}={v}" for k, v in parts)
    names = [name for name, _ in parts]
    if "COUNT" in names and "UNTIL" in names:  # RFC 5545: MUST NOT occur in the same rule
        c.report(node, "event.count-and-until", "rrule")
        return None
    for name, value in parts:
        if out_of_range(name, value):
            c.report(node, "field.rrule-range", "rrule", part=name, value=value,
                     range=RULE_RANGES[name][2])  # fmt: skip
            return None
    # a start that is not read still lets the rule's own mistakes be told in the same run
    told = start if start is not None else date(2026, 1, 1)
    try:
        dtstart = told if isinstance(told, datetime) else datetime.combine(told, time(0))
        first = next(iter(rrulestr(rule, dtstart=dtstart)), None)
        if "FREQ" not in dict(parts):
            raise ValueError("FREQ is missing")
    except (ValueError, TypeError, OverflowError) as exc:
        c.report(node, "field.rrule", "rrule", error=str(exc))
        return None
    if start is not None and first is not None and first != dtstart:
        # the start is then a session of its own before the rule's (views.calendar.rule_start)
        shown_first = first.strftime(
            "%Y-%m-%d %H:%M" if isinstance(start, datetime) else "%Y-%m-%d"
        )
        at = c.raw("start") or node
        c.warn(at, "event.start-off-rule", "start", value=shown(at), first=shown_first)
    return rule


HAN_CHAR = re.compile(r"[\u3400-\u9fff]")
CN_NUMBER = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
             "九": 9, "十": 10}  # fmt: skip
CN_WEEKDAY = {"一": "MO", "二": "TU", "三": "WE", "四": "TH", "五": "FR", "六": "SA", "日": "SU",
              "天": "SU"}  # fmt: skip
WEEKDAY_WORD = r"(?:周|星期|礼拜)([一二三四五六日天])"
RULE_WORDS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"^每(?:天|日)"), lambda m: "FREQ=DAILY"),
    (re.compile(r"^(?:每|逢)(?:隔)?([两二2])?(?:个)?(?:周|星期|礼拜)?的?" + WEEKDAY_WORD + r"((?:[、，,和及]?(?:周|星期|礼拜)?[一二三四五六日天])*)"),
     lambda m: "FREQ=WEEKLY" + (";INTERVAL=2" if m[1] else "") + ";BYDAY="
     + ",".join(CN_WEEKDAY[d] for d in m[2] + re.sub(r"[^一二三四五六日天]", "", m[3]))),
    (re.compile(r"^每(?:个)?月的?第([一二三四1-4])个?" + WEEKDAY_WORD),
     lambda m: f"FREQ=MONTHLY;BYDAY={CN_NUMBER.get(m[1]) or m[1]}{CN_WEEKDAY[m[2]]}"),
    (re.compile(r"^每(?:个)?月的?最后一个?" + WEEKDAY_WORD),
     lambda m: f"FREQ=MONTHLY;BYDAY=-1{CN_WEEKDAY[m[1]]}"),
    (re.compile(r"^每(?:个)?月的?(\d{1,2})(?:日|号)"), lambda m: f"FREQ=MONTHLY;BYMONTHDAY={int(m[1])}"),
    (re.compile(r"^每(?:个)?月"), lambda m: "FREQ=MONTHLY"),
    (re.compile(r"^每年"), lambda m: "FREQ=YEARLY"),
)  # fmt: skip
"""Common ways Chinese says a recurrence, and the RRULE each means."""
COUNT_WORDS = re.compile(r"共\s*(\d+)\s*(?:次|场|期)")


def rule_of_words(text: str) -> str | None:
    """The RRULE a recurrence written in Chinese means (``每月最后一个周六，共12次`` ->
    ``FREQ=MONTHLY;BYDAY=-1SA;COUNT=12``), or None when it is not one of ``RULE_WORDS``."""
    for pattern, made in RULE_WORDS:
        found = pattern.match(text.replace(" ", ""))
        if found:
            count = COUNT_WORDS.search(text)
            return made(found) + (f";COUNT={count[1]}" if count else "")
    return None


# RFC 5545 3.3.10's ranges of a rule's numbers (0 is never a day, week or position), and
# only the frequencies an activity can have: a rule dateutil parses but cannot expand
# (INTERVAL=0 raised deep in the build), one that never occurs (BYMONTHDAY=40), or one a
# year of which is half a million occurrences (FREQ=MINUTELY) is told at its line instead.
RULE_RANGES: dict[str, tuple[int, int, str]] = {
    "INTERVAL": (1, 10_000, "≥ 1"),
    "COUNT": (1, 100_000, "≥ 1"),
    "BYSECOND": (0, 60, "0–60"),
    "BYMINUTE": (0, 59, "0–59"),
    "BYHOUR": (0, 23, "0–23"),
    "BYMONTHDAY": (-31, 31, "1–31, -31–-1"),
    "BYYEARDAY": (-366, 366, "1–366, -366–-1"),
    "BYWEEKNO": (-53, 53, "1–53, -53–-1"),
    "BYMONTH": (1, 12, "1–12"),
    "BYSETPOS": (-366, 366, "1–366, -366–-1"),
    "BYDAY": (-53, 53, "MO…SU, 1MO…53MO, -1MO…"),
    "FREQ": (0, 0, "DAILY, WEEKLY, MONTHLY, YEARLY, HOURLY"),
}
NONZERO = {"BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYSETPOS", "BYDAY"}
WEEKDAY_RE = re.compile(r"([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)")


def out_of_range(name: str, value: str) -> bool:
    """Whether a rule part's value is outside what RFC 5545 (and an activity) allows."""
    if name == "FREQ":  # a word that is no frequency at all: dateutil's message says so
        return value in ("SECONDLY", "MINUTELY")
    if name not in RULE_RANGES:
        return False  # UNTIL, WKST and unknown names: dateutil judges them
    low, high, _ = RULE_RANGES[name]
    for item in value.split(","):
        number = item.strip()
        if name == "BYDAY":
            match = WEEKDAY_RE.fullmatch(number)
            if match is None:
                return False  # not a weekday at all: dateutil's own message says so
            number = match.group(1) or ""
            if not number:
                continue
        try:
            n = int(number)
        except ValueError:
            return False  # not a number: dateutil's own message says so
        if not low <= n <= high or (n == 0 and name in NONZERO):
            return True
    return False


def normalise_until(value: str, all_day: bool, zone: ZoneInfo) -> str | None:
    """``UNTIL`` as RFC 5545 wants it for the start: a date for an all-day series, else UTC.
    Seconds may be left out (``20270112T0730``), as editors write times."""
    match = re.fullmatch(
        r"(\d{4})-?(\d{2})-?(\d{2})(?:T(\d{2}):?(\d{2})(?::?(\d{2}))?(Z)?)?", value
    )
    if not match:
        return None
    y, m, d, hh, mm, ss, utc = match.groups()
    try:
        day = date(int(y), int(m), int(d))
    except ValueError:
        return None
    if all_day:
        return day.strftime("%Y%m%d")
    if hh is None:
        local = datetime.combine(day, time(23, 59, 59), zone)
    else:
        local = datetime.combine(day, time(int(hh), int(mm), int(ss or 0)), UTC if utc else zone)
    return local.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def make_overrides(
    c: Checker,
    start: Moment | None,
    end: Moment | None,
    all_day: bool,
    zone: ZoneInfo,
    rrule: str | None,
    exdates: tuple[Moment, ...],
    rdates: tuple[Moment, ...],
) -> tuple[Override, ...]:
    checkers = c.mappings("overrides", "override")
    if not checkers:
        return ()
    if rrule is None and not rdates:
        if c.raw("rrule") is None and c.raw("rdate") is None:  # else that one's problem is shown
            c.report(c.raw("overrides"), "event.override-needs-rule", "overrides")
        return ()
    found: list[Override] = []
    for sub in checkers:
        original = sub.moment("date", zone)
        if original is None or start is None:
            continue
        recurrence_id = match_occurrence(original, start, all_day, rrule, rdates)
        if recurrence_id is None:
            sub.report(sub.raw("date"), "event.override-date", "date", value=shown(sub.raw("date")))  # type: ignore[arg-type]
            continue
        if excluded(recurrence_id, exdates, zone):
            # Calendar apps disagree on an override of an excluded occurrence (khal shows it,
            # ical.js drops it): the exclusion wins everywhere, and the editor is told.
            day = sub.raw("date")
            sub.warn(day, "event.override-excluded", "date", value=shown(day))  # type: ignore[arg-type]
            continue
        new_start = sub.moment("start", zone)
        new_end: Moment | None = None
        end_node = sub.raw("end")
        if isinstance(end_node, Scalar) and (clock := TIME_RE.match(plain(end_node.value))):
            base = new_start if isinstance(new_start, datetime) else recurrence_id
            if isinstance(base, datetime):
                try:
                    at = clock_time(clock)
                    new_end = base.replace(hour=at.hour, minute=at.minute)
                except ValueError:  # 25:00
                    sub.report(end_node, "field.date", "end", value=shown(end_node))
        else:
            new_end = sub.moment("end", zone)
        if all_day:
            # a time in one session of an all-day series: calendar apps disagree on such a
            # session (khal shows it twice, all day and timed); the page said 14:00–16:00 全天
            for key, value in (("start", new_start), ("end", new_end)):
                if isinstance(value, datetime):
                    sub.report(sub.raw(key), "event.all-day-time", key)
            new_start = new_start.date() if isinstance(new_start, datetime) else new_start
            new_end = new_end.date() if isinstance(new_end, datetime) else new_end
        if not all_day and new_start is not None and is_plain_date(new_start):
            # moved to another day, at its usual time (as an rdate written as a day is): it
            # was midnight, 00:00–01:00 on the page and in every calendar
            assert isinstance(recurrence_id, datetime)
            new_start = datetime.combine(new_start, recurrence_id.astimezone(zone).time(), zone)
        if new_end is not None and not all_day and is_plain_date(new_end):
            new_end = datetime.combine(new_end + timedelta(days=1), time(0), zone)
        status = sub.text("status").lower() or None
        if status is not None and status not in EVENT_STATUSES:
            sub.report(sub.raw("status"), "field.choice", "status", value=status,
                       choices=", ".join(EVENT_STATUSES))  # fmt: skip
            status = None
        if new_end is not None:
            effective = new_start or recurrence_id
            if type(effective) is type(new_end) and new_end < effective:
                sub.report(end_node, "event.end-before-start", "end")
                new_end = None
        found.append(
            Override(
                recurrence_id=recurrence_id,
                start=new_start,
                end=new_end,
                venue=sub.text("venue") or None,
                location=sub.text("location") or None,
                status=status,
                title=sub.text("title") or None,
                line=sub.node.line,
            )
        )
    return tuple(found)


def closes_after_start(deadline: Moment | None, start: Moment | None) -> bool:
    """Whether a one-off activity's registration closes after it begins (a deadline that is
    a date alone closes at the end of that day)."""
    if deadline is None or start is None:
        return False
    start_day = day_of(start)
    if not isinstance(deadline, datetime) or not isinstance(start, datetime):
        day = day_of(deadline)
        return day > start_day
    return deadline > start


def warn_unmatched_exdates(
    c: Checker,
    start: Moment,
    all_day: bool,
    zone: ZoneInfo,
    rrule: str | None,
    rdates: tuple[Moment, ...],
) -> None:
    """A warning for each ``exdate`` that is no occurrence: it cancels nothing, so the day
    the editor meant to cancel (a typo, the wrong time) would still be in every calendar."""
    node = c.raw("exdate")
    items = node.items if isinstance(node, Seq) else (node,) if node is not None else ()
    for item in items:
        value = parse_moment(item.value, zone) if isinstance(item, Scalar) else None
        if value is None or not YEARS[0] <= value.year <= YEARS[1] or skipped_to(value):
            continue  # reported as field.date / field.date-range / field.time-gap
        value = as_kind(value, all_day, zone, keep_dates=True)
        if match_occurrence(value, start, all_day, rrule, rdates) is None:
            c.warn(item, "event.exdate-unmatched", "exdate", value=shown(item))


def excluded(occurrence: Moment, exdates: tuple[Moment, ...], zone: ZoneInfo) -> bool:
    """Whether an ``exdate`` cancels ``occurrence``: the same start, or (a date alone) the
    same day in the activity's zone."""
    day = occurrence.astimezone(zone).date() if isinstance(occurrence, datetime) else occurrence
    return any(
        value == occurrence if isinstance(value, datetime) else value == day for value in exdates
    )


def match_occurrence(
    original: Moment, start: Moment, all_day: bool, rrule: str | None, rdates: tuple[Moment, ...]
) -> Moment | None:
    """The occurrence an override names: its exact start, or the one on that day."""
    day = day_of(original)
    candidates: list[Moment] = [start, *rdates]
    if rrule:
        if isinstance(start, datetime):
            lo = datetime.combine(day, time(0), start.tzinfo)
            hi = lo + timedelta(days=1)
            rule = rrulestr(rrule, dtstart=start)
            candidates += rule.between(lo, hi, inc=True)
        else:
            rule = rrulestr(rrule, dtstart=datetime.combine(start, time(0)))
            lo = datetime.combine(day, time(0))
            candidates += [d.date() for d in rule.between(lo, lo + timedelta(days=1), inc=True)]
    for candidate in candidates:
        if isinstance(original, datetime) and isinstance(candidate, datetime):
            if candidate == original:
                return candidate
        elif isinstance(candidate, datetime):
            if candidate.date() == day:
                return candidate
        elif candidate == day:
            return candidate
    return None


def make_milestones(ctx: Context, doc: Document) -> list[Milestone]:
    assert doc.data is not None
    found = []
    for item in doc.data.items:
        if not isinstance(item, Map):
            ctx.problems.append(problem(Origin(doc.path, item.line), "yaml.not-mapping"))
            continue
        c = Checker(doc.path, item, "milestone", ctx.problems)
        c.check_keys()
        when = c.partial_date("date")
        if when is None:
            continue
        found.append(
            Milestone(
                date=when,
                title=c.text("title"),
                source=Source(
                    doc.path,
                    item.line,
                    doc.path.removeprefix(ctx.config.content_dir.strip("/") + "/"),
                ),
                branches=c.text_list("branch", names=True),
                clubs=c.text_list("club", names=True),
                link=c.text("link") or None,
                body=c.text("body"),
            )
        )
    return found


@dataclass(frozen=True)
class References:
    ids: dict[str, set[str]]
    slugs: dict[str, dict[str, str]]
    language: str
    lines: dict[tuple[str, str], int]
    """(path, key) -> line of that key, so reference problems point at the right line."""
    names: dict[str, dict[str, str]] = field(default_factory=dict)
    """Each kind's names (or titles) -> id, to tell an editor who wrote a name which id."""

    def line(self, src: Source, key: str) -> int:
        assert key in REFERENCE_KEYS, key  # the only lines kept with a document's entity
        return self.lines.get((src.path, key), src.line)

    def resolve(
        self, kind: str, value: str, path: str, line: int, field: str, problems: list[Problem]
    ) -> str | None:
        """The id a reference names (by id, or by slug for convenience); reports unknown ones."""
        if value in self.ids[kind]:
            return value
        if value in self.slugs[kind]:
            return self.slugs[kind][value]
        problems.append(
            problem(Origin(path, line), "ref.unknown", field, kind=kind, value=value,
                    suggestion=meant_id(value, self.ids[kind], self.slugs[kind],
                                        self.names.get(kind, {})))
        )  # fmt: skip
        return None

    def many(
        self,
        kind: str,
        values: tuple[str, ...],
        path: str,
        line: int,
        field: str,
        problems: list[Problem],
    ) -> tuple[str, ...]:
        resolved = (self.resolve(kind, v, path, line, field, problems) for v in values)
        return tuple(dict.fromkeys(r for r in resolved if r is not None))


def resolve_branch(refs: References, b: Branch, problems: list[Problem]) -> Branch:
    if b.parent is None:
        return b
    parent = refs.resolve(
        "branch", b.parent, b.source.path, refs.line(b.source, "parent"), "parent", problems
    )
    return replace(b, parent=parent)


def resolve_club(refs: References, c: Club, problems: list[Problem]) -> Club:
    p = c.source.path
    branch = (
        refs.resolve("branch", c.branch, p, refs.line(c.source, "branch"), "branch", problems)
        if c.branch
        else None
    )
    venue = (
        refs.resolve("venue", c.venue, p, refs.line(c.source, "venue"), "venue", problems)
        if c.venue
        else None
    )
    return replace(c, branch=branch, venue=venue)


def resolve_event(refs: References, e: Event, problems: list[Problem]) -> Event:
    p = e.source.path
    venue = (
        refs.resolve("venue", e.venue, p, refs.line(e.source, "venue"), "venue", problems)
        if e.venue
        else None
    )
    overrides = []
    for o in e.overrides:
        if o.venue:
            o = replace(
                o, venue=refs.resolve("venue", o.venue, p, o.line, "overrides.venue", problems)
            )
        overrides.append(o)
    return replace(
        e,
        venue=venue,
        branches=refs.many(
            "branch", e.branches, p, refs.line(e.source, "branch"), "branch", problems
        ),
        clubs=refs.many("club", e.clubs, p, refs.line(e.source, "club"), "club", problems),
        overrides=tuple(overrides),
    )


def resolve_news(refs: References, n: NewsItem, problems: list[Problem]) -> NewsItem:
    p = n.source.path
    return replace(
        n,
        branches=refs.many(
            "branch", n.branches, p, refs.line(n.source, "branch"), "branch", problems
        ),
        clubs=refs.many("club", n.clubs, p, refs.line(n.source, "club"), "club", problems),
    )


def resolve_milestone(refs: References, m: Milestone, problems: list[Problem]) -> Milestone:
    p = m.source.path

    def line(key: str) -> int:
        return refs.lines.get((p, f"{m.source.line}:{key}"), m.source.line)

    link, link_kind = m.link, None
    if link is not None:
        if URL_RE.match(link):
            link_kind = "url"
        elif link in refs.ids["news"] or link in refs.slugs["news"]:
            link, link_kind = refs.resolve("news", link, p, line("link"), "link", problems), "news"
        elif link in refs.ids["event"] or link in refs.slugs["event"]:
            link, link_kind = (
                refs.resolve("event", link, p, line("link"), "link", problems),
                "event",
            )
        else:
            kinds = ("event", "news") if "events/" in link else ("news", "event")
            meant = (
                meant_id(link, refs.ids[k], refs.slugs[k], refs.names.get(k, {})) for k in kinds
            )
            problems.append(
                problem(Origin(p, line("link")), "ref.unknown", "link", kind="link", value=link,
                        suggestion=next((m for m in meant if m), ""))
            )  # fmt: skip
            link = None
    return replace(
        m,
        branches=refs.many("branch", m.branches, p, line("branch"), "branch", problems),
        clubs=refs.many("club", m.clubs, p, line("club"), "club", problems),
        link=link,
        link_kind=link_kind,  # type: ignore[arg-type]
    )


def tell_draft_links(
    milestones: list[Milestone],
    events: Mapping[str, Event],
    news: Mapping[str, NewsItem],
    refs: References,
    problems: list[Problem],
) -> None:
    """Warn of each milestone linking to a draft: the published timeline drops the link
    (``drop_hidden_link``), and the editor who wrote it saw nothing say so. Told in the
    preview too, where drafts show with their links. A link to an article dated ahead is
    not told: the scheduled rebuild that publishes the article brings the link."""
    for m in milestones:
        target = (events if m.link_kind == "event" else news).get(m.link or "")
        if m.link_kind in ("event", "news") and target is not None and target.draft:
            line = refs.lines.get((m.source.path, f"{m.source.line}:link"), m.source.line)
            problems.append(
                problem(Origin(m.source.path, line), "ref.draft-link", "link", "warning",
                        kind=m.link_kind, title=target.title, path=target.source.path)
            )  # fmt: skip


FAR_AHEAD = timedelta(days=366)
"""How far ahead an article's date is more likely a slip of the year than a schedule."""


def day_of(value: date | datetime) -> date:
    """The day of a date or of a datetime (in its own zone)."""
    return value.date() if isinstance(value, datetime) else value


def tell_far_ahead(
    news: Iterable[NewsItem], docs: Iterable[Document], config: SiteConfig, problems: list[Problem]
) -> None:
    """Warn of each article dated over a year ahead, at its ``date``: it is left out as
    scheduled until then (``is_published``), and a slip of the year (``2062-05-01`` for
    ``2026-05-01``) hid it with no word. Articles a few days or months ahead, scheduled on
    purpose, are not told. Depends on the day, so it is not part of ``make_once``."""
    latest = config.today + FAR_AHEAD
    dated = ((n.source, n.date.date()) for n in news)
    far = [(source, day) for source, day in dated if day > latest]
    tell_far(far, docs, config, problems, "news.far-ahead", "date")


EVENT_AHEAD = timedelta(days=731)
EVENT_BEFORE = timedelta(days=30 * 365)
"""How far from today an activity's start is more likely a slip of the year than a plan or an
archive: the month grids run from the first activity's month to the last one's."""


def tell_far_days(
    events: Iterable[Event], docs: Iterable[Document], config: SiteConfig, problems: list[Problem]
) -> None:
    """Warn of each activity starting over two years ahead or thirty years ago, at its
    ``start``: a slip of the year (``2072-03-18`` for ``2027-03-18``) made a month grid for
    every month to it (550 pages on the demo) with no word. Depends on the day, so it is not
    part of ``make_once``."""
    earliest, latest = config.today - EVENT_BEFORE, config.today + EVENT_AHEAD
    # a start that could not be read stands in as 1970-01-01: its error says enough
    unread = {p.origin.path for p in problems if p.field == "start" and p.severity == "error"}
    started = ((e.source, day_of(e.start)) for e in events if e.source.path not in unread)
    far = [(source, day) for source, day in started if not earliest <= day <= latest]
    tell_far(far, docs, config, problems, "event.far-day", "start")


def tell_far(
    far: list[tuple[Source, date]],
    docs: Iterable[Document],
    config: SiteConfig,
    problems: list[Problem],
    code: str,
    key_name: str,
) -> None:
    """A warning ``code`` for each file's day in ``far``, at its ``key_name``'s line."""
    fronts = {doc.path: doc.front for doc in docs}
    for source, day in far:
        front = fronts.get(source.path)
        key = front.key(key_name) if front is not None else None
        line = key.line if key is not None else source.line
        problems.append(
            problem(Origin(source.path, line), code, key_name, "warning",
                    value=day.isoformat(), today=config.today.isoformat())
        )  # fmt: skip


def drop_hidden_link(m: Milestone, events: dict[str, Event], news: list[NewsItem]) -> Milestone:
    """A milestone linking to a draft or scheduled item keeps its text but loses the link."""
    if m.link_kind == "event" and m.link not in events:
        return replace(m, link=None, link_kind=None)
    if m.link_kind == "news" and m.link not in {n.id for n in news}:
        return replace(m, link=None, link_kind=None)
    return m


def check_parent_loops(
    branches: dict[str, Branch], problems: list[Problem], lines: dict[tuple[str, str], int]
) -> None:
    reported: set[str] = set()
    for start in sorted(branches):
        chain = [start]
        current = branches[start].parent
        while current is not None and current in branches:
            if current in chain:
                loop = [*chain[chain.index(current) :], current]
                if not reported.intersection(loop):
                    b = branches[start]
                    problems.append(
                        problem(Origin(b.source.path, lines.get((b.source.path, "parent"), b.source.line)), "ref.parent-loop",
                                "parent", chain=" → ".join(loop))
                    )  # fmt: skip
                reported.update(loop)
                break
            chain.append(current)
            current = branches[current].parent


def revalidate(doc: Document, site: Site) -> tuple[Event | NewsItem | None, list[Problem]]:
    """One edited activity or article, checked against an already validated ``site``.

    The live preview (issue 5) shows an edit before the whole site is validated again; the
    full run that follows reports every problem. Returns no entity when the document has an
    error, would take another's slug, or is hidden (a draft outside drafts, future news)."""
    problems: list[Problem] = []
    kind = doc.kind
    if kind not in ("event", "news"):
        return None, problems
    zone = resolve_zone(site.config.timezone) or ZoneInfo("UTC")
    ctx = Context(site.config, problems, zone)
    front = doc.front or Map((), doc.front_line, 1)
    checker = Checker(doc.path, front, kind, problems)
    checker.check_keys()
    news = {n.id: n for n in site.news}
    refs = references(
        {"branch": site.branches, "club": site.clubs, "venue": site.venues,
         "event": site.events, "news": news},
        site.config.language,
        key_lines([doc]),
    )  # fmt: skip
    entity: Event | NewsItem
    if kind == "event":
        entity = resolve_event(refs, make_event(ctx, doc, checker), problems)
        tell_far_days([entity], [doc], site.config, problems)
        if entity.categories:  # as the site spells them (``one_spelling_per_address``)
            spelt = site_spellings(
                c for e in site.events.values() if e.id != doc.id for c in e.categories
            )
            entity = replace(entity, categories=respelt(entity.categories, spelt))
    else:
        entity = resolve_news(refs, make_news(ctx, doc, checker), problems)
        tell_far_ahead([entity], [doc], site.config, problems)
        if entity.tags:
            spelt = site_spellings(t for n in site.news if n.id != doc.id for t in n.tags)
            entity = replace(entity, tags=respelt(entity.tags, spelt))
    taken = refs.slugs[kind].get(entity.slug)
    if not is_published(entity, site.config) or (taken is not None and taken != doc.id):
        return None, problems
    if entity.slug in urls.RESERVED_SLUGS.get(kind_dir(kind), ()):
        return None, problems  # the full run that follows says so (``build_unique``)
    if any(p.severity == "error" for p in problems):
        return None, problems
    return entity, problems
