"""Page cache keys (generator/lean/cache.py ``canonical``): equal specs give equal keys, and
anything a template could show differently gives another key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from markupsafe import Markup

from generator.lean.cache import canonical


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
