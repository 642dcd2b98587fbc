"""/subscribe/: every calendar and news feed, with its address to copy, a webcal:// link, a QR
code (an SVG made by segno, no request to any other host), and how to subscribe on the phones
and programs residents use. Google services are blocked in mainland China, so Google comes last.

The QR codes are small files of their own (``subscribe/qr/<feed path>.svg``, from ``files``),
shown by a lazy ``<img>``: inline, each weighed 2–4 KB in every page listing its feed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache, partial
from typing import Any

import segno

from .. import i18n, memo, urls
from ..model import Site
from ..plan import FileSpec, PageSpec
from ..views import Views
from ..views.calendar import calendar_feeds
from ..views.orgs import name_order

TEXT: dict[str, tuple[str, str]] = {
    "title": ("订阅", "Subscribe"),
    "intro": (
        "订阅后，活动会自动出现在手机或电脑的日历里；活动时间、地点有变化或取消时，日历会随之更新。"
        "新闻可以用任何 RSS 阅读器订阅。",
        "Subscribe once and activities appear in your calendar; when one is moved or cancelled, "
        "your calendar follows. News can be followed in any RSS reader.",
    ),
    "calendars": ("活动日历（iCal）", "Activity calendars (iCal)"),
    "news": ("新闻（RSS）", "News (RSS)"),
    "all": ("全部活动", "All activities"),
    "all_news": ("全部新闻", "All news"),
    "branches": ("党组织", "Branches"),
    "clubs": ("社团", "Clubs"),
    "venues": ("阵地", "Venues"),
    "categories": ("活动分类", "Categories"),
    "copy_address": ("复制地址", "Copy address"),
    "webcal": ("一键订阅", "Subscribe"),
    "qr": ("二维码", "QR code"),
    "qr_alt": ("订阅地址的二维码：{url}", "QR code of the address {url}"),
    "qr_of": ("{name}的订阅二维码", "QR code to subscribe to {name}"),
    "address": ("订阅地址", "Address"),
    "howto": ("如何订阅", "How to subscribe"),
    "json": ("给开发者：全部活动的 JSON 数据", "For developers: all activities as JSON"),
    "see_pages": (
        "共 {n} 个，每个页面底部都有它自己的订阅地址和二维码：",
        "{n} in all; each page ends with its own feed addresses and QR codes:",
    ),
}

# (app, steps): short, in the words of each app's own menus.
HOWTO_ZH: tuple[tuple[str, str], ...] = (
    (
        "iPhone / iPad",
        "点“一键订阅”，在弹出的窗口中点“订阅”即可。也可以：打开“设置”→“日历”→“账户”→“添加账户”→"
        "“其他”→“添加已订阅的日历”，粘贴订阅地址。",
    ),
    (
        "华为手机（鸿蒙 / EMUI）",
        "复制订阅地址，打开“日历”→ 右上角“⋮”或“我的”→“设置”→“日历账户”/“订阅日历”→“添加订阅”/“URL 订阅”，"
        "粘贴地址。若没有该选项，可下载 .ics 文件后用“日历”打开导入（导入的活动不会自动更新）。",
    ),
    (
        "小米手机（MIUI / 澎湃 OS）",
        "复制订阅地址，打开“日历”→“设置”→“日历账户”/“订阅日历”→“添加订阅”，粘贴地址。"
        "若没有该选项，可下载 .ics 文件后用“日历”打开导入（导入的活动不会自动更新）。",
    ),
    (
        "Outlook",
        "网页版或新版 Outlook：“日历”→“添加日历”→“从 Internet 订阅”，粘贴订阅地址；"
        "Windows 经典版：“添加日历”→“从 Internet”。",
    ),
    (
        "Thunderbird",
        "“文件”→“新建”→“日历…”→“在网络上”，粘贴订阅地址（iCalendar / ICS），按提示完成。",
    ),
    (
        "RSS 阅读器",
        "复制新闻的 RSS 地址，粘贴到阅读器的“添加订阅”中（Inoreader、Feedly、NetNewsWire、Thunderbird 等均可）。",
    ),
    (
        "Google 日历（在中国大陆通常无法使用）",
        "电脑网页版：“其他日历”旁的“+”→“通过网址添加”，粘贴订阅地址。",
    ),
)
HOWTO_EN: tuple[tuple[str, str], ...] = (
    (
        "iPhone / iPad",
        "Tap “Subscribe”, then confirm. Or: Settings → Calendar → Accounts → Add "
        "Account → Other → Add Subscribed Calendar, and paste the address.",
    ),
    (
        "Huawei",
        "Copy the address; Calendar → ⋮ → Settings → Calendar accounts / Subscribe → add a "
        "URL subscription. Otherwise download the .ics file and open it with Calendar (no updates).",
    ),
    (
        "Xiaomi",
        "Copy the address; Calendar → Settings → Calendar accounts / Subscribe → add. "
        "Otherwise download the .ics file and open it with Calendar (no updates).",
    ),
    ("Outlook", "Calendar → Add calendar → Subscribe from web, and paste the address."),
    ("Thunderbird", "File → New → Calendar… → On the Network, and paste the address (iCalendar)."),
    ("RSS readers", "Paste a news feed address into your reader's “add feed”."),
    ("Google Calendar", "On a computer: Other calendars → + → From URL, and paste the address."),
)


say = partial(i18n.say, TEXT)
"""This page family's words in the site's language (``i18n.say``)."""


QR_MASK = 2
"""perf (issue 5): every data mask gives a valid code; choosing the best of the eight (ISO/IEC
18004 7.8.3, which only avoids unlucky patterns) was 85 % of a code's cost, ~10 ms of pure
Python per feed on a district's thousand feeds. Mask 2 is the one whose ISO penalty came
closest to the best mask's on 300 feed addresses of the benchmark district (on average within
22 points of ~1,600). tests/browser/test_qr_decode.py reads the codes back from the page as
Chromium draws them."""


@lru_cache(maxsize=4096)  # perf (issue 5): a QR code costs ~10 ms; serve rebuilds reuse them
@memo.remembered("subscribe.qr_svg", "segno")  # and builds with a cache (.cache/) reuse them
def qr_svg(url: str, label: str) -> str:
    """An accessible inline SVG QR code of ``url`` (deterministic; no external image)."""
    code = segno.make(url, error="m", micro=False, mask=QR_MASK)
    svg: str = code.svg_inline(
        scale=3,
        border=4,  # the quiet zone ISO/IEC 18004 asks for (on a coloured poster too)
        dark="#000",
        light="#fff",
        svgclass="yz-qr",
        lineclass=None,
        omitsize=False,
    )
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape_attr(label)}" ', 1)


def escape_attr(value: str) -> str:
    return (
        value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


# Beyond this many feeds in one group (a district's 300 branches), the page lists the group's
# directory instead: every branch, club and venue page carries its own feeds with QR codes, and
# the subscribe page stays small enough for a phone.
FULL_LIST_LIMIT = 30


SVG_NAMESPACE = 'xmlns="http://www.w3.org/2000/svg"'


def qr_path(feed_path: str) -> str:
    """Where the QR code of a feed is published: ``subscribe/qr/branches/x/calendar.ics.svg``."""
    return f"{urls.subscribe()}qr/{feed_path}.svg"


def qr_file(site: Site, feed_path: str) -> FileSpec:
    """A feed's QR code as a standalone SVG file (an ``<img>`` needs the SVG namespace)."""
    absolute = urls.absolute(site.config.site_url, feed_path)
    svg = qr_svg(absolute, say("qr_alt", site.config.language, url=absolute))
    head, _, rest = svg.partition(">")
    if "xmlns=" not in head:
        svg = head.replace("<svg", f"<svg {SVG_NAMESPACE}", 1) + ">" + rest
    return FileSpec(qr_path(feed_path), svg.encode("utf-8"))


def feed_paths(site: Site) -> Iterable[str]:
    """Every feed a page offers with a QR code: calendars (all, branch, club, venue,
    category) and news (all, branch, club)."""
    for feed in calendar_feeds(site):
        if feed.kind != "event":
            yield feed.path
    yield urls.rss()
    branches, clubs = organisation_news_feeds(site)
    for _, path in (*branches, *clubs):
        yield path


def files(site: Site, views: Views) -> Iterator[FileSpec]:
    """The QR code of every feed (``entry`` links them)."""
    for path in dict.fromkeys(feed_paths(site)):
        yield qr_file(site, path)


def entry(site: Site, name: str, path: str, calendar: bool) -> dict[str, Any]:
    lang = site.config.language
    absolute = urls.absolute(site.config.site_url, path)
    return {
        "name": name,
        "path": path,
        "url": absolute,
        "webcal": urls.webcal(absolute) if calendar else "",
        "qr": qr_path(path),
        # The address itself is in the field beside the image.
        "qr_alt": say("qr_of", lang, name=name),
    }


def group(
    site: Site, key: str, feeds: list[tuple[str, str]], calendar: bool, directory: str = ""
) -> dict[str, Any]:
    """One titled group of feeds, as (name, path) pairs; a long group points at its directory."""
    lang = site.config.language
    if directory and len(feeds) > FULL_LIST_LIMIT:
        note = say("see_pages", lang, n=len(feeds))
        return {"title": say(key, lang), "entries": [], "directory": directory, "note": note}
    entries = [entry(site, name, path, calendar) for name, path in feeds]
    return {"title": say(key, lang), "entries": entries, "directory": "", "note": ""}


def calendar_groups(site: Site) -> list[dict[str, Any]]:
    lang = site.config.language
    feeds: dict[str, list[tuple[str, str]]] = {
        k: [] for k in ("all", "branches", "clubs", "venues", "categories")
    }
    group_of = {"all": "all", "branch": "branches", "club": "clubs", "venue": "venues"}
    for feed in calendar_feeds(site):
        if feed.kind == "event":
            continue
        name = say("all", lang) if feed.kind == "all" else feed.name
        feeds[group_of.get(feed.kind, "categories")].append((name, feed.path))
    directories = {
        "branches": urls.branches_index(),
        "clubs": urls.clubs_index(),
        "venues": urls.venues_index(),
    }
    for kind in ("branches", "clubs", "venues"):  # by name, as their directories list them
        feeds[kind].sort(key=lambda pair: (name_order(pair[0]), pair[1]))
    return [group(site, k, v, True, directories.get(k, "")) for k, v in feeds.items() if v]


def organisation_news_feeds(
    site: Site,
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(name, path) of each branch's and each club's RSS feed, by name (``name_order``)."""
    branches = [
        (b.name, urls.rss(urls.branch(b.slug)))
        for b in sorted(site.branches.values(), key=lambda b: (name_order(b.name), b.slug))
    ]
    clubs = [
        (c.name, urls.rss(urls.club(c.slug)))
        for c in sorted(site.clubs.values(), key=lambda c: (name_order(c.name), c.slug))
    ]
    return branches, clubs


def news_groups(site: Site) -> list[dict[str, Any]]:
    """The RSS feeds the news output writes: the whole site's, each branch's, each club's."""
    lang = site.config.language
    branches, clubs = organisation_news_feeds(site)
    groups = [
        group(site, "all_news", [(say("all_news", lang), urls.rss())], False),
        group(site, "branches", branches, False, urls.branches_index()),
        group(site, "clubs", clubs, False, urls.clubs_index()),
    ]
    return [g for g in groups if g["entries"] or g["directory"]]


def labels(language: str) -> dict[str, str]:
    return {key: say(key, language, url="", n="", name="") for key in TEXT}


def pages(site: Site, views: Views) -> Iterator[PageSpec]:
    lang = site.config.language
    howto = HOWTO_EN if i18n.lang_key(lang) == "en" else HOWTO_ZH
    yield PageSpec(
        path=urls.subscribe(),
        template="yizhan/subscribe.html",
        title=say("title", lang),
        data={
            "labels": labels(lang),
            "calendar_groups": calendar_groups(site),
            "news_groups": news_groups(site),
            "howto": [{"app": app, "steps": steps} for app, steps in howto],
            "json": urls.events_json(),
        },
        description=say("intro", lang),
    )
