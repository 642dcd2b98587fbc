"""A hand-built Site with every calendar case the clients must agree on (used by calendar tests)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from generator.model import (
    Branch,
    Club,
    Event,
    EventHistory,
    Override,
    Registration,
    Site,
    SiteConfig,
    Source,
    Venue,
)

SH = ZoneInfo("Asia/Shanghai")
PARIS = ZoneInfo("Europe/Paris")
TODAY = date(2026, 4, 20)


def sh(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=SH)


def src(name: str) -> Source:
    return Source(f"content/events/{name}.md", 1, f"events/{name}.md")


def sample_events() -> dict[str, Event]:
    events = [
        # Monthly, last Saturday, with one EXDATE and a cancelled override.
        Event(
            id="dushu-shalong",
            slug="dushu-shalong",
            title="读书沙龙：共读《乡土中国》",
            start=sh(2026, 1, 31, 14, 30),
            end=sh(2026, 1, 31, 16, 30),
            source=src("dushu-shalong"),
            venue="hong-e-fuwuzhan",
            branches=("caizhi",),
            clubs=("dushu",),
            categories=("读书", "学习"),
            rrule="FREQ=MONTHLY;BYDAY=-1SA;COUNT=12",
            exdates=(sh(2026, 5, 30, 14, 30),),
            overrides=(Override(recurrence_id=sh(2026, 7, 25, 14, 30), status="cancelled"),),
            registration=Registration(url="https://example.org/reg", capacity=30),
            summary="每月最后一个周六，一起读书, 讨论; 分享。",
            body="详见[场地](../venues/hong-e-fuwuzhan.md)。",
        ),
        # Weekly with UNTIL, a date-only EXDATE (timed rule) and an override that moves one.
        Event(
            id="taiji",
            slug="taiji",
            title="太极拳晨练",
            start=sh(2026, 4, 7, 7, 0),
            end=sh(2026, 4, 7, 8, 0),
            source=src("taiji"),
            location="滨江公园南门广场",
            clubs=("dushu",),
            categories=("健身",),
            rrule="FREQ=WEEKLY;BYDAY=TU;UNTIL=20260630T000000Z",
            exdates=(date(2026, 5, 5),),
            overrides=(
                Override(
                    recurrence_id=sh(2026, 5, 12, 7, 0),
                    start=sh(2026, 5, 13, 7, 30),
                    end=sh(2026, 5, 13, 8, 30),
                    location="社区活动室",
                ),
            ),
        ),
        # All-day, three days (end = last day inclusive).
        Event(
            id="yixiao",
            slug="yixiao",
            title="党员志愿服务周",
            start=date(2026, 11, 5),
            end=date(2026, 11, 7),
            all_day=True,
            source=src("yixiao"),
            venue="hong-e-fuwuzhan",
            branches=("caizhi",),
            categories=("志愿服务",),
        ),
        # Crossing midnight.
        Event(
            id="guanxing",
            slug="guanxing",
            title="跨年观星夜",
            start=sh(2026, 5, 16, 22, 0),
            end=sh(2026, 5, 17, 1, 30),
            source=src("guanxing"),
            location="户外基地",
            status="tentative",
        ),
        # In Paris during summer time.
        Event(
            id="bali-jiaoliu",
            slug="bali-jiaoliu",
            title="巴黎华人社区交流会",
            start=datetime(2026, 7, 14, 18, 0, tzinfo=PARIS),
            end=datetime(2026, 7, 14, 20, 0, tzinfo=PARIS),
            timezone="Europe/Paris",
            source=src("bali-jiaoliu"),
            online="https://meet.example.org/abc",
            status="postponed",
        ),
        # A cancelled single activity.
        Event(
            id="quxiao",
            slug="quxiao",
            title="已取消的讲座",
            start=sh(2026, 5, 1, 9, 0),
            end=sh(2026, 5, 1, 11, 0),
            source=src("quxiao"),
            status="cancelled",
            venue="hong-e-fuwuzhan",
        ),
        # A past activity.
        Event(
            id="jiu-huodong",
            slug="jiu-huodong",
            title="春节联欢会",
            start=sh(2026, 2, 10, 19, 0),
            end=sh(2026, 2, 10, 21, 0),
            source=src("jiu-huodong"),
            branches=("caizhi",),
        ),
        # An endless daily rule: must stay fast.
        Event(
            id="meiri-daka",
            slug="meiri-daka",
            title="每日学习打卡",
            start=sh(2020, 1, 1, 20, 0),
            end=sh(2020, 1, 1, 20, 30),
            source=src("meiri-daka"),
            online="https://example.org/daka",
            rrule="FREQ=DAILY",
        ),
    ]
    return {e.id: e for e in events}


def sample_site(today: date = TODAY, history: bool = True) -> Site:
    config = SiteConfig(
        site_name="新星街道党群服务中心",
        site_url="https://org.example.io/repo/",
        today=today,
        build_time=datetime(2026, 4, 20, 2, 0, tzinfo=UTC),
    )
    events = sample_events()
    histories = {}
    if history:
        histories = {
            "dushu-shalong": EventHistory(
                uid="dushu-shalong@org.example.io",
                sequence=2,
                last_modified=datetime(2026, 3, 1, 8, 0, tzinfo=UTC),
            )
        }
    return Site(
        config=config,
        branches={
            "caizhi": Branch(
                id="caizhi",
                slug="caizhi",
                name="财智党支部",
                source=Source("content/branches/caizhi.md", 1, "branches/caizhi.md"),
            )
        },
        clubs={
            "dushu": Club(
                id="dushu",
                slug="dushu",
                name="读书会",
                source=Source("content/clubs/dushu.md", 1, "clubs/dushu.md"),
            )
        },
        venues={
            "hong-e-fuwuzhan": Venue(
                id="hong-e-fuwuzhan",
                slug="hong-e-fuwuzhan",
                name="红E服务站",
                source=Source("content/venues/hong-e-fuwuzhan.md", 1, "venues/hong-e-fuwuzhan.md"),
                address="新星路1号, 2楼",
            )
        },
        events=events,
        history=histories,
    )
