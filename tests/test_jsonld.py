"""The schema.org data of activity, article and home pages (``pages.jsonld``)."""

from __future__ import annotations

import json
import random
from typing import Any

from generator.pages.jsonld import jsonld

HOSTILE = ["</script>", "<!--", "&amp;", "\u2028", "\u2029", '"', "\\", "\n", "\x00", "\x1f",
           "\x7f", "党群服务中心", "🎉", "a > b", " "]  # fmt: skip


def reference(value: Any) -> str:
    """What the page wrote before orjson: ``json``'s compact text, keys sorted."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def random_value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.choice(
        ["str", "int", "float", "bool", "none", "list", "dict"][: 7 if depth < 3 else 5]
    )
    if kind == "str":
        return "".join(rng.choice(HOSTILE) for _ in range(rng.randint(0, 6)))
    if kind == "int":
        return rng.randint(-(2**40), 2**40)
    if kind == "float":  # coordinates, as venues give them
        return round(rng.uniform(-180, 180), rng.randint(0, 7))
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "none":
        return None
    if kind == "list":
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    keys = ["@type", "name", "b", "a", "url", "地点", "Z", "@context"]
    return {rng.choice(keys): random_value(rng, depth + 1) for _ in range(rng.randint(0, 5))}


def test_jsonld_reads_as_the_standard_librarys_text() -> None:
    rng = random.Random(5)
    for _ in range(3000):
        value = {"@type": "Event", "data": random_value(rng)}
        text = jsonld(value)
        assert text == reference(value)
        assert json.loads(text) == value
        assert "<" not in text and ">" not in text and "&" not in text


def test_what_orjson_refuses_is_written_by_json() -> None:
    value = {"name": "半个\ud800字", "@type": "Place"}  # a lone surrogate
    assert jsonld(value) == reference(value)


def test_tiny_coordinates_keep_their_value() -> None:
    value = {"geo": {"latitude": 0.00001, "longitude": -7.5e-05}}
    assert json.loads(jsonld(value)) == value
