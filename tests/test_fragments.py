"""The page chrome's fragments (lean/fragments.py) are shared by pages that link alike."""

from __future__ import annotations

import itertools
import random

from generator.lean.fragments import sibling_folder
from generator.lean.links import page_url

SEGMENTS = ["events", "news", "a", "b", "2026", "12", "tags", "x.html", "index.html"]


def random_path(rng: random.Random) -> str:
    parts = [rng.choice(SEGMENTS) for _ in range(rng.randrange(0, 4))]
    path = "/".join(parts)
    if parts and "." not in parts[-1] and rng.random() < 0.7:
        path += "/"
    return rng.choice(["", "", "../", "./"]) + path if rng.random() < 0.2 else path


def test_pages_keyed_alike_link_every_path_alike() -> None:
    """Two pages given the same folder key make the same relative URL of every path, so one
    rendering of a fragment serves both; pages the key cannot vouch for get none."""
    rng = random.Random(5)
    pages = sorted({random_path(rng).lstrip("./") for _ in range(400)})
    for _ in range(200):
        paths = tuple(random_path(rng) for _ in range(rng.randrange(1, 12)))
        paths += ("https://example.org/x", "#top", "/abs/")
        by_key: dict[tuple[str, ...], tuple[str, ...]] = {}
        for page in pages:
            folder = sibling_folder(page, paths)
            if folder is None:
                continue
            links = tuple(page_url(p, page) for p in paths)
            assert by_key.setdefault((*folder, "|", str(len(folder))), links) == links, (
                page,
                paths,
            )


def test_pages_inside_a_linked_path_or_the_home_page_get_no_shared_key() -> None:
    assert sibling_folder("", ("assets/x.css",)) is None
    assert sibling_folder("events/a/", ("events/a/calendar.ics",)) is None
    assert sibling_folder("events/a/", ("events/a/",)) is None
    assert sibling_folder("events/a/", ("events/", "events/ab/", "assets/x.css")) == ("events",)
    siblings = [sibling_folder(f"events/{n}/", ("events/", "news/")) for n in ("a", "b")]
    assert siblings == [("events",), ("events",)]
    for a, b in itertools.combinations(["events/a/", "events/b/", "events/c/"], 2):
        paths = ("events/", "events/2026/12/", "assets/x.css", "../up/")
        assert [page_url(p, a) for p in paths] == [page_url(p, b) for p in paths]
