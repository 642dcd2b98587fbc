"""Public URLs, one function per page kind (SPEC "Public URLs"); paths relative to site_url."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from urllib.parse import quote, urljoin

from . import memo

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@cache  # perf (issue 5): pypinyin is slow and tags/names repeat thousands of times
def slugify(text: str) -> str:
    """ASCII slug of any text: Chinese becomes pinyin, other letters lowercase, the rest '-'.

    Always returns a non-empty ``[a-z0-9-]`` string, so a slug can never hold ``..``, ``/`` or
    spaces.
    """
    return pinyin_slug(text)


@memo.remembered("urls.slug", "pypinyin")
def pinyin_slug(text: str) -> str:
    # perf (issue 5): kept between builds, so a build whose tags and categories were all
    # seen before never imports pypinyin (~0.3 s of loading dictionaries at its start)
    from pypinyin import Style, lazy_pinyin

    words = lazy_pinyin(text, style=Style.NORMAL, errors="default")
    raw = latin_ascii("-".join(w for w in words if w).lower())
    slug = re.sub(r"[^a-z0-9]+", "-", raw).strip("-")
    return windows_safe(within_name_limit(slug) or "x")


LATIN_LETTERS = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "þ": "th", "ı": "i"}
)
"""Latin letters that are not a letter and an accent, as ASCII writes them."""


def latin_ascii(text: str) -> str:
    """``text`` with its accented Latin letters as ASCII ones (``café`` -> ``cafe``, ``straße``
    -> ``strasse``): a slug dropped them, and ``Müller`` was ``m-ller``. Only accents go (NFD,
    not NFKD): a full-width ``２０２６`` is left as it was, so no other slug moves."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text.translate(LATIN_LETTERS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


WINDOWS_NAMES = frozenset(
    {
        "con",
        "prn",
        "aux",
        "nul",
        *(f"com{n}" for n in range(1, 10)),
        *(f"lpt{n}" for n in range(1, 10)),
    }
)
"""Names Windows keeps for its devices, in any case and with any extension: no file or folder
may have one (``git checkout`` fails on ``events/con/``, as MkDocs' build of a preview there)."""


def is_windows_name(name: str) -> bool:
    """Whether ``name`` (a file's or folder's) is one Windows cannot have: a device's name
    (``con``, ``aux.png``, ``LPT1.md``), or one that ends with a dot or a space, which Windows
    drops (``通知.md `` saved on a Mac cannot be checked out there)."""
    return name.split(".", 1)[0].rstrip(" ").lower() in WINDOWS_NAMES or name.endswith((".", " "))


def windows_safe(slug: str) -> str:
    """``slug`` as a folder Windows can have: a device's name gets ``-1`` (``Aux`` -> ``aux-1``)."""
    return f"{slug}-1" if slug in WINDOWS_NAMES else slug


LONGEST_SLUG = 240
"""Characters of a slug, which is a folder's name: file systems take 255 bytes (a 60-character
Chinese tag was ~300 of pinyin, and the build stopped with "File name too long")."""


def within_name_limit(slug: str) -> str:
    """``slug`` cut at a word to ``LONGEST_SLUG`` characters (shorter ones as they are)."""
    if len(slug) <= LONGEST_SLUG:
        return slug
    cut = slug[: LONGEST_SLUG + 1]
    return cut[: cut.rfind("-")] if "-" in cut else slug[:LONGEST_SLUG]


def is_valid_slug(text: str) -> bool:
    return bool(SLUG_RE.match(text))


def home() -> str:
    return ""


def news_index(page: int = 1) -> str:
    return "news/" if page <= 1 else f"news/page/{page}/"


def news(slug: str) -> str:
    return f"news/{slug}/"


def news_tag(tag: str, page: int = 1) -> str:
    base = f"news/tags/{slugify(tag)}/"
    return base if page <= 1 else f"{base}page/{page}/"


def news_tags() -> str:
    return "news/tags/"


def events_index() -> str:
    return "events/"


def events_past() -> str:
    return "events/past/"


def events_month(year: int, month: int) -> str:
    return f"events/{year:04d}/{month:02d}/"


def event(slug: str) -> str:
    return f"events/{slug}/"


def event_ics(slug: str) -> str:
    return f"events/{slug}/event.ics"


def event_categories() -> str:
    """Every category with its number of activities; the folder of the category pages."""
    return "events/categories/"


def event_category(category: str) -> str:
    return f"{event_categories()}{slugify(category)}/"


def event_category_ics(category: str) -> str:
    return f"{event_category(category)}calendar.ics"


def branches_index() -> str:
    return "branches/"


def branch(slug: str) -> str:
    return f"branches/{slug}/"


def clubs_index() -> str:
    return "clubs/"


def club(slug: str) -> str:
    return f"clubs/{slug}/"


def venues_index() -> str:
    return "venues/"


def venue(slug: str) -> str:
    return f"venues/{slug}/"


def timeline(page: int = 1) -> str:
    return "timeline/" if page <= 1 else f"timeline/page/{page}/"


def subscribe() -> str:
    return "subscribe/"


def rss(page: str = "") -> str:
    """The news feed of the whole site, or of the branch or club whose page is ``page``."""
    return f"{page}rss.xml"


def calendar() -> str:
    return "calendar.ics"


def events_json() -> str:
    return "events.json"


def first_folder(path: str) -> str:
    """``events/past/`` -> ``past``: the name a generated page takes among a kind's pages."""
    return path.split("/")[1]


RESERVED_SLUGS: dict[str, frozenset[str]] = {
    "news": frozenset({first_folder(news_tags())}),
    "events": frozenset({first_folder(events_past()), first_folder(event_categories())}),
}
"""Slugs an article or activity cannot take: its page would be a generated page's address."""


def absolute(site_url: str, path: str) -> str:
    """Absolute URL of a site path (``site_url`` ends with '/')."""
    if SIMPLE_PATH_RE.match(path) and site_url.endswith("/") and SIMPLE_BASE_RE.match(site_url):
        # perf (issue 5): what urljoin returns for a plain relative path, without its parsing.
        return site_url + path
    return urljoin(site_url, path)


# A relative path urljoin would only append: no scheme, query, fragment, dot or empty segment.
SIMPLE_PATH_RE = re.compile(r"^(?:[^/?#:\\.][^/?#:\\]*(?:/|$))*$")
SIMPLE_BASE_RE = re.compile(r"^https?://[^/?#]+(?:/[^/?#]*)*$")


def webcal(url: str) -> str:
    """The ``webcal://`` form of an http(s) feed URL, which calendar apps open as a subscription."""
    return re.sub(r"^https?://", "webcal://", url)


URL_ILLEGAL_RE = re.compile(r'[\x00-\x20"<>\\^`{|}\x7f]')
"""Characters no URL may hold as they are (an IRI's Chinese may): spaces above all, which a
file name saved on Windows often has (``驿站 活动照片.png``)."""


def url_escaped(url: str) -> str:
    """``url`` with the characters no URL may hold %-escaped (what is escaped stays as it is)."""
    return URL_ILLEGAL_RE.sub(lambda m: quote(m.group(), safe=""), url)
