"""The subscribe page lists every feed, and stays small when a district has hundreds."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

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
        e["webcal"].startswith("webcal://example.org/repo/")
        and e["qr"] == f"subscribe/qr/{e['path']}.svg"
        and e["qr_alt"] == f"{e['name']}的订阅二维码"
        for e in branches["entries"]
    )


def test_every_linked_qr_code_is_a_standalone_svg_of_its_feed(tmp_path: Path) -> None:
    site, _ = site_from(tmp_path, branch_files(subscribe.FULL_LIST_LIMIT + 1))
    views = derive_views(site)
    qr_files = {f.path: f.content for f in subscribe.files(site, views)}
    linked = [e for g in subscribe.calendar_groups(site) for e in g["entries"]]
    linked += [e for g in subscribe.news_groups(site) for e in g["entries"]]
    linked += [f for p in orgs.pages(site, views) for f in p.data.get("feeds", [])]
    assert linked and {e["qr"] for e in linked} <= set(qr_files)
    assert "subscribe/qr/branches/b030/rss.xml.svg" in qr_files
    svg = ElementTree.fromstring(qr_files["subscribe/qr/calendar.ics.svg"])
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    # The file draws the code qr_svg makes of the feed's absolute address (the same drawing
    # the page used to inline).
    url = "https://example.org/repo/calendar.ics"
    inline = ElementTree.fromstring(subscribe.qr_svg(url, "x"))
    drawn = [e.get("d") for e in svg.iter() if e.get("d")]
    assert drawn and drawn == [e.get("d") for e in inline.iter() if e.get("d")]


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
    assert branch_page.data["feeds"][0]["qr"] == "subscribe/qr/branches/b007/calendar.ics.svg"


def test_branches_without_members_are_not_counted_as_zero_members(tmp_path: Path) -> None:
    """A site whose branches give no ``members`` says how many branches it has, not “0 名党员”,
    on the branch index and the home page; one that gives them says both."""
    from generator.pages import home

    files = {
        "content/branches/top.md": "---\nname: 党工委\n---\n",
        "content/branches/a.md": "---\nname: 第一支部\nparent: top\n---\n",
    }
    site, problems = site_from(tmp_path / "none", files)
    assert problems == []
    views = derive_views(site)
    index = next(p for p in orgs.pages(site, views) if p.path == "branches/")
    assert index.data["intro"] == "共 2 个党组织。"
    assert "党员" not in [f["label"] for f in home.figures(site, views)]
    files["content/branches/a.md"] = "---\nname: 第一支部\nparent: top\nmembers: 12\n---\n"
    site, _ = site_from(tmp_path / "some", files)
    views = derive_views(site)
    index = next(p for p in orgs.pages(site, views) if p.path == "branches/")
    assert index.data["intro"] == "共 2 个党组织，12 名党员。"
    assert {"label": "党员", "value": "12", "unit": "名", "url": "branches/"} in home.figures(
        site, views
    )
