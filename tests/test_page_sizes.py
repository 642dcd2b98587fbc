"""Lists that grow with a district stop at a bound and point onwards, so pages stay small; and
a district-sized site built end to end keeps every page under issue 2's budget."""

from __future__ import annotations

import sys
from pathlib import Path

from buildtools import REPO, run, yizhan
from sitetools import site_from

from generator.pages import events
from generator.views import derive_views


def test_upcoming_list_stops_and_points_at_the_month_grids(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        f"content/events/e{i:03d}.md": f"---\ntitle: 活动{i}\nstart: 2026-12-{1 + i % 28:02d} {8 + i % 10}:00\ncategories: 党课\n---\n"
        for i in range(events.UPCOMING_LIMIT + 20)
    }
    site, problems = site_from(tmp_path, files)
    assert problems == []
    pages = {p.path: p for p in events.pages(site, derive_views(site))}
    limits = {
        "events/": events.UPCOMING_LIMIT,
        "events/categories/dang-ke/": events.CATEGORY_UPCOMING_LIMIT,
    }
    for path, limit in limits.items():
        shown = sum(len(day["entries"]) for day in pages[path].data["days"])
        assert shown == limit, path
        assert pages[path].data["more"]["url"] == "events/2026/12/", path  # where it goes on
    month = pages["events/2026/12/"].data
    assert sum(len(d["entries"]) for d in month["agenda"]) == events.UPCOMING_LIMIT + 20


def test_a_busy_day_names_a_few_and_links_the_rest_in_the_day_list(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        f"content/events/d{i:02d}.md": f"---\ntitle: 活动{i}\nstart: 2026-12-05 {8 + i}:00\n---\n"
        for i in range(7)
    }
    # Three days long: on the 6th and 7th it only continues, and the list names it on the 5th.
    files["content/events/long.md"] = "---\ntitle: 展览\nstart: 2026-12-05\nend: 2026-12-07\n---\n"
    site, problems = site_from(tmp_path, files)
    assert problems == []
    month = next(
        p for p in events.pages(site, derive_views(site)) if p.path == "events/2026/12/"
    ).data
    cells = {c["iso"]: c for week in month["weeks"] for c in week}
    busy = cells["2026-12-05"]
    assert len(busy["entries"]) == events.TITLES_PER_CELL
    assert busy["more"] == 8 - events.TITLES_PER_CELL
    listed = {d["anchor"]: d for d in month["agenda"]}
    assert len(listed[busy["anchor"]]["entries"]) == 8  # "另有 N 项" lands on all eight
    # A day the list leaves out (the exhibition only continues) links nowhere.
    assert cells["2026-12-06"]["entries"] and cells["2026-12-06"]["anchor"] == ""
    assert {c["anchor"] for c in cells.values() if c["anchor"]} <= set(listed)


# Issue 2: "A site with 5,000 news articles and 5,000 activities builds with per-page HTML
# under 40 KB". Bytes, the stricter reading of "KB".
PAGE_BUDGET = 40_000


def test_a_district_of_5000_activities_and_5000_articles_keeps_every_page_small(
    tmp_path: Path,
) -> None:
    """The synthetic district of benchmarks/ built by the real command line (the lean path
    switches itself on at this size): every HTML page stays under the budget."""
    site, out = tmp_path / "site", tmp_path / "out"
    made = run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "make_site.py"),
            *("--events", "5000", "--news", "5000", "--orgs", "150", "--venues", "10"),
            *("--today", "2026-11-22", "--no-git", "--out", str(site)),
        ],
        REPO,
    )
    assert made.returncode == 0, made.stderr
    built = yizhan(site, "build", "-d", str(out))
    assert built.returncode == 0, built.stderr[-3000:]
    sizes = {p.relative_to(out).as_posix(): p.stat().st_size for p in out.rglob("*.html")}
    # The pages that grow with a district are there (a test of nothing would pass too).
    assert len(sizes) > 10_000
    for path in (
        "news/index.html",
        "news/page/200/index.html",
        "news/tags/index.html",
        "events/index.html",
        "events/past/index.html",
        "events/2026/11/index.html",
        "subscribe/index.html",
        "branches/index.html",
        "clubs/index.html",
        "timeline/index.html",
    ):
        assert path in sizes, path
    too_big = sorted(
        ((size, path) for path, size in sizes.items() if size >= PAGE_BUDGET), reverse=True
    )
    largest = ", ".join(f"{path} {size:,} B" for size, path in too_big[:15])
    assert not too_big, f"{len(too_big)} pages of {PAGE_BUDGET:,} bytes or more: {largest}"
