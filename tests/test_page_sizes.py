"""Lists that grow with a district stop at a bound and point onwards, so pages stay small."""

from __future__ import annotations

from pathlib import Path

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
    for path in ("events/", "events/categories/dang-ke/"):
        shown = sum(len(day["entries"]) for day in pages[path].data["days"])
        assert shown == events.UPCOMING_LIMIT, path
    assert pages["events/"].data["more"] is True
    month = pages["events/2026/12/"].data
    assert sum(len(d["entries"]) for d in month["agenda"]) == events.UPCOMING_LIMIT + 20
