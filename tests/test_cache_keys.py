"""Cache keys (generator/memo.py ``stable_json``, for page keys and the VEVENT memo): equal
values give equal keys, and anything a template or a calendar could show differently gives
another key."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from markupsafe import Markup

from generator.memo import stable_json as canonical


@dataclass(frozen=True)
class Point:
    x: int


@dataclass(frozen=True)
class Other:
    x: int


def test_key_order_does_not_matter() -> None:
    assert canonical({"b": 1, "a": [1, 2]}) == canonical({"a": [1, 2], "b": 1})


def test_different_values_differ() -> None:
    values = [
        {"a": 1},
        {"a": "1"},
        {"a": [1]},
        {"a": None},
        {"a": True},
        {"a": 1.5},
        {"a": "中文"},
        {"a": "中文 "},
        [1, 2],
        [2, 1],
    ]
    keys = [canonical(v) for v in values]
    assert len(set(keys)) == len(keys)


def test_dates_keep_their_zone_name() -> None:
    # Same instant, same offset: a page naming the zone still reads differently.
    shanghai = datetime(2026, 5, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    chongqing = datetime(2026, 5, 1, 9, tzinfo=ZoneInfo("Asia/Chongqing"))
    assert canonical([shanghai]) != canonical([chongqing])
    assert canonical([shanghai]) == canonical(
        [datetime(2026, 5, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai"))]
    )


def test_dataclasses_keep_their_class() -> None:
    assert canonical([Point(1)]) != canonical([Other(1)])
    assert canonical([Point(1)]) != canonical([Point(2)])
    assert canonical([Point(1)]) == canonical([Point(1)])


def test_what_orjson_cannot_write_still_has_a_key() -> None:
    # Integer keys and integers beyond 64 bits go through the standard library.
    assert canonical({1: "x"}) == canonical({1: "x"})
    assert canonical({1: "x"}) != canonical({1: "y"})
    assert canonical([2**70]) != canonical([2**70 + 1])
    # ... and can never equal a key orjson wrote
    assert canonical({1: "x"}) != canonical({"1": "x"})


def test_markup_is_its_text() -> None:
    # Markup is how templates receive HTML an engine made; its text is what the page shows.
    assert canonical([Markup("<b>x</b>")]) == canonical(["<b>x</b>"])
    assert canonical([Markup("<b>x</b>")]) != canonical(["<b>y</b>"])


def test_functions_lose_their_address() -> None:
    def slugify(text: str) -> str:
        return text

    first = canonical([slugify])
    assert b"0x" not in first


# The VEVENT memo's key for an activity: the same function, on a model's dataclasses.


def test_activity_key_text_keeps_zones_classes_and_order() -> None:
    shanghai = datetime(2026, 5, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    chongqing = datetime(2026, 5, 1, 9, tzinfo=ZoneInfo("Asia/Chongqing"))
    assert canonical([shanghai]) != canonical([chongqing])
    assert canonical([shanghai.date()]) != canonical([shanghai])
    assert canonical(Point(1)) != canonical(Other(1))
    assert canonical(Point(1)) != canonical(Point(2))
    assert canonical(Point(1)) == canonical(Point(1))
    assert canonical((1, "中文")) != canonical((1, "中文 "))
    assert canonical({1: "x"}) != canonical({1: "y"})  # not JSON: through json, marked


@dataclass(frozen=True)
class Hidden:
    shown: int
    hidden: int = field(default=0, repr=False)


def test_dataclasses_are_keyed_by_every_field_not_by_their_repr() -> None:
    # A field left out of the repr may still reach a page or a calendar.
    assert canonical([Hidden(1, 2)]) != canonical([Hidden(1, 3)])


def test_activity_key_text_tells_every_field_of_a_real_activity() -> None:
    from dataclasses import fields, replace

    from generator.model import Event, Source

    start = datetime(2026, 5, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    event = Event("e", "e", "读书会", start, Source("content/events/e.md", 1))
    changed = {
        "title": "读书会 ",
        "start": start.replace(hour=10),
        "end": start.replace(hour=11),
        "all_day": True,
        "timezone": "Asia/Chongqing",
        "venue": "v",
        "rrule": "FREQ=WEEKLY",
        "exdates": (start.date(),),
        "body": "正文",
        "source": Source("content/events/e.md", 2),
    }
    seen = {canonical(event)}
    for name, value in changed.items():
        seen.add(canonical(replace(event, **{name: value})))
    assert len(seen) == len(changed) + 1
    assert {f.name for f in fields(Event)} >= set(changed)
