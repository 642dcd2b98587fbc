"""The subscribe page lists every feed, and stays small when a district has hundreds."""

from __future__ import annotations

from pathlib import Path

from sitetools import site_from

from generator.pages import orgs, subscribe
from generator.views import derive_views


def branch_files(count: int) -> dict[str, str | bytes]:
    return {f"content/branches/b{i:03d}.md": f"---\nname: 第{i}党支部\n---\n" for i in range(count)}


def test_small_site_lists_every_feed_with_qr_and_webcal(tmp_path: Path) -> None:
    site, problems = site_from(tmp_path, branch_files(3))
    assert problems == []
    (page,) = subscribe.pages(site, derive_views(site))
    groups = {g["title"]: g for g in page.data["calendar_groups"]}
    branches = groups["党组织"]
    assert [e["path"] for e in branches["entries"]] == [
        f"branches/b{i:03d}/calendar.ics" for i in range(3)
    ]
    assert all(
        e["webcal"].startswith("webcal://example.org/repo/") and "<svg" in e["qr"]
        for e in branches["entries"]
    )


def test_a_long_group_points_at_its_directory_and_each_page_keeps_its_feeds(tmp_path: Path) -> None:
    site, _ = site_from(tmp_path, branch_files(subscribe.FULL_LIST_LIMIT + 1))
    views = derive_views(site)
    (page,) = subscribe.pages(site, views)
    groups = {g["title"]: g for g in page.data["calendar_groups"]}
    assert groups["党组织"]["entries"] == []
    assert groups["党组织"]["directory"] == "branches/"
    assert "共 31 个" in groups["党组织"]["note"]
    branch_page = next(p for p in orgs.pages(site, views) if p.path == "branches/b007/")
    assert [f["path"] for f in branch_page.data["feeds"]] == [
        "branches/b007/calendar.ics",
        "branches/b007/rss.xml",
    ]
    assert "<svg" in branch_page.data["feeds"][0]["qr"]
