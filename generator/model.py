"""The validated content model: frozen dataclasses, one per kind, and the Site aggregate.

Every value here has been checked by ``validate``: times are timezone-aware, references resolve,
ids and slugs are unique. Nothing downstream needs to re-check editor input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

EventStatus = Literal["confirmed", "tentative", "cancelled", "postponed"]
EVENT_STATUSES: tuple[EventStatus, ...] = ("confirmed", "tentative", "cancelled", "postponed")


@dataclass(frozen=True)
class Source:
    """Where an entity was written: path relative to the site root, line of its front matter."""

    path: str
    line: int = 1
    docs_path: str = ""
    """The same file inside the docs folder (``news/a.md``): where its relative links start."""


@dataclass(frozen=True)
class SiteConfig:
    """What the build knows about the site besides its content."""

    site_name: str
    site_url: str
    """Absolute URL with a trailing slash, e.g. ``https://org.github.io/repo/``."""
    timezone: str = "Asia/Shanghai"
    language: str = "zh"
    """``zh`` or ``en``: the language of messages and generated labels."""
    today: date = date(1970, 1, 1)
    """The build's day in the site time zone (from SOURCE_DATE_EPOCH or the clock)."""
    build_time: datetime | None = None
    """The build's instant (UTC), for stamps that must not change within a day."""
    horizon_days: int = 365
    """How far ahead recurring activities are expanded on pages."""
    drafts: bool = False
    news_per_page: int = 20
    content_dir: str = "content"
    """The docs folder, relative to the site root (where ``Source.path`` values start)."""
    uid_host: str = ""
    """The host calendar UIDs end in (``<id>@<host>``); "": ``site_url``'s."""

    @property
    def uid_base(self) -> str:
        """What ``history.default_uid`` reads the UIDs' host from: the plugin's ``uid_host``
        (kept when a site moves to a new domain, or told apart from another project site of
        the same host), else ``site_url``."""
        return f"https://{self.uid_host}/" if self.uid_host else self.site_url


@dataclass(frozen=True)
class PartialDate:
    """A milestone date: a year, a month or a day."""

    year: int
    month: int | None = None
    day: int | None = None

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True)
class Room:
    name: str
    capacity: int | None = None
    facilities: tuple[str, ...] = ()


@dataclass(frozen=True)
class Venue:
    id: str
    slug: str
    name: str
    source: Source
    address: str = ""
    hours: str = ""
    rooms: tuple[Room, ...] = ()
    lat: float | None = None
    lon: float | None = None
    contact: str = ""
    summary: str = ""
    image: str = ""
    body: str = ""


@dataclass(frozen=True)
class Branch:
    id: str
    slug: str
    name: str
    source: Source
    kind: str = ""
    """Type of organisation as written, e.g. 党支部, 联合党支部, 党委."""
    parent: str | None = None
    """Id of the parent branch."""
    founded: PartialDate | None = None
    members: int | None = None
    secretary: str = ""
    contact: str = ""
    address: str = ""
    summary: str = ""
    image: str = ""
    body: str = ""


@dataclass(frozen=True)
class Club:
    id: str
    slug: str
    name: str
    source: Source
    category: str = ""
    branch: str | None = None
    """Id of the sponsoring branch."""
    venue: str | None = None
    founded: PartialDate | None = None
    leader: str = ""
    contact: str = ""
    join: str = ""
    summary: str = ""
    image: str = ""
    body: str = ""


@dataclass(frozen=True)
class NewsItem:
    id: str
    slug: str
    title: str
    date: datetime
    """Publication time, timezone-aware (a date alone is midnight in the site zone)."""
    source: Source
    branches: tuple[str, ...] = ()
    clubs: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    author: str = ""
    summary: str = ""
    image: str = ""
    draft: bool = False
    body: str = ""


@dataclass(frozen=True)
class Registration:
    url: str = ""
    capacity: int | None = None
    deadline: datetime | date | None = None


@dataclass(frozen=True)
class Override:
    """Changes to one occurrence of a recurring activity, keyed by its original start."""

    recurrence_id: datetime | date
    """The original start of the occurrence (aware datetime, or a date for all-day rules)."""
    start: datetime | date | None = None
    end: datetime | date | None = None
    venue: str | None = None
    location: str | None = None
    status: EventStatus | None = None
    title: str | None = None
    line: int = 0


@dataclass(frozen=True)
class Event:
    id: str
    slug: str
    title: str
    start: datetime | date
    """Aware datetime in ``timezone``; a ``date`` when ``all_day``."""
    source: Source
    end: datetime | date | None = None
    """Aware datetime (exclusive) for timed activities; for all-day ones the LAST day, inclusive,
    as editors write it. ``None`` when neither end nor duration was given."""
    all_day: bool = False
    timezone: str = "Asia/Shanghai"
    venue: str | None = None
    location: str = ""
    online: str = ""
    branches: tuple[str, ...] = ()
    clubs: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    status: EventStatus = "confirmed"
    rrule: str | None = None
    """Normalised RRULE value (UNTIL in UTC for timed activities, a DATE for all-day ones)."""
    exdates: tuple[datetime | date, ...] = ()
    """Aware datetimes; a bare date (for timed rules) removes that day's occurrence."""
    rdates: tuple[datetime | date, ...] = ()
    overrides: tuple[Override, ...] = ()
    registration: Registration | None = None
    contact: str = ""
    summary: str = ""
    image: str = ""
    draft: bool = False
    body: str = ""

    @property
    def recurring(self) -> bool:
        return bool(self.rrule or self.rdates)


@dataclass(frozen=True)
class Milestone:
    date: PartialDate
    title: str
    source: Source
    branches: tuple[str, ...] = ()
    clubs: tuple[str, ...] = ()
    link: str | None = None
    """Id of a news article or an activity (resolved), or an absolute URL."""
    link_kind: Literal["news", "event", "url"] | None = None
    body: str = ""


@dataclass(frozen=True)
class EventHistory:
    """What the repository's history says of one activity (for iCalendar updates)."""

    uid: str
    sequence: int = 0
    last_modified: datetime | None = None
    former_slugs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Site:
    """Everything the build renders, sorted, cross-referenced by id."""

    config: SiteConfig
    branches: dict[str, Branch] = field(default_factory=dict)
    clubs: dict[str, Club] = field(default_factory=dict)
    venues: dict[str, Venue] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    news: tuple[NewsItem, ...] = ()
    """Published articles, newest first."""
    milestones: tuple[Milestone, ...] = ()
    """Oldest first."""
    history: dict[str, EventHistory] = field(default_factory=dict)
    """Per event id; filled by ``history`` from git, or defaults."""
    home_text: str = ""
    """Markdown of ``content/index.md`` (without front matter), shown on the home page."""
