"""The live preview's quick path (issue 5) makes exactly the page a full build would make.

``yizhan serve`` first shows a saved activity or article from the last build's validated site,
without validating and planning the whole site again; the full rebuild follows. Here each edit
is replanned both ways and the page specs (title, data, Markdown with rebased links) must be
equal; edits whose effect reaches beyond their own page must be left to the full build.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from buildtools import EPOCH, FIXTURE_SITE, copy_site

from generator import build
from generator.plan import PageSpec
from generator.quick import Previous, quick_pages
from generator.views import derive_views

NOW = datetime.fromtimestamp(int(EPOCH), UTC)


def full_plan(site: Path) -> tuple[Previous, dict[str, PageSpec]]:
    options = build.read_options(site / "mkdocs.yml", drafts=True)
    checked = build.load_site(options, NOW)
    views = derive_views(checked.site)
    pages = build.rebase_links(build.collect_pages(checked.site, views), options.content_dir)
    moved = build.moved_sources(pages, options.content_dir)
    by_uri = {p.src_uri: p for p in pages}
    return Previous(site, checked.site, views, moved, by_uri), {p.path: p for p in pages}


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    return copy_site(FIXTURE_SITE, tmp_path / "site")


def edit(site: Path, rel: str, old: str, new: str) -> None:
    path = site / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS = {
    "title and body": ("content/events/salon.md", "title: 白领沙龙", "title: 白领沙龙（新版）"),
    "rule and venue": (
        "content/events/salon.md",
        "rrule: FREQ=MONTHLY;BYDAY=-1SA;COUNT=6\n",
        "rrule: FREQ=MONTHLY;BYDAY=-1SA;COUNT=4\nlocation: 二楼会议室\n",
    ),
    "cancelled": ("content/events/2026/newyear.md", "title:", "status: cancelled\ntitle:"),
    "body link": ("content/events/salon.md", "每月最后", "见[驿站](../venues/yizhan.md)。每月最后"),
    "article body": ("content/news/escape.md", "含有特殊字符的\n标题。", "正文改了：**加粗**。"),
}


def quick_after_edit(site: Path, rel: str, old: str, new: str) -> list[PageSpec] | None:
    """The quick pages of one edit, from the plan made before it."""
    previous, _ = full_plan(site)
    edit(site, rel, old, new)
    return quick_pages(previous, [rel])


@pytest.mark.parametrize("case", sorted(EDITS))
def test_quick_page_equals_the_full_builds_page(site: Path, case: str) -> None:
    rel = EDITS[case][0]
    quick = quick_after_edit(site, *EDITS[case])
    _, after = full_plan(site)
    assert quick is not None and len(quick) == 1
    assert quick[0] == after[quick[0].path]
    assert quick[0].source == rel


LEFT_TO_THE_FULL_BUILD = {
    "unknown venue": ("content/events/salon.md", "venue: yizhan", "venue: nowhere"),
    "news date moves it among others": (
        "content/news/escape.md",
        "date: 2026-11-12 09:30",
        "date: 2026-10-01 09:30",
    ),
    "news title shows on its neighbours": ("content/news/escape.md", "& 标题", "& 新标题"),
    "slug changes the URL": (
        "content/events/salon.md",
        "title: 白领沙龙",
        "slug: bailing\ntitle: x",
    ),
    "a venue": ("content/venues/yizhan.md", "name:", "summary: 新\nname:"),
    "syntax error": ("content/events/salon.md", "end: 16:00", "end: [16:00"),
}


@pytest.mark.parametrize("case", sorted(LEFT_TO_THE_FULL_BUILD))
def test_edits_reaching_other_pages_wait_for_the_full_build(site: Path, case: str) -> None:
    assert quick_after_edit(site, *LEFT_TO_THE_FULL_BUILD[case]) is None


NEW_ACTIVITY = (
    "---\ntitle: 新活动\nstart: 2026-12-01 10:00\nend: 11:00\nvenue: yizhan\nbranch: caizhi\n"
    "categories: [学习沙龙]\n---\n在[驿站](../venues/yizhan.md)举行。\n"
)


def test_a_new_activity_shows_the_page_the_full_build_makes(site: Path) -> None:
    """An editor's most frequent save: a new activity file. Its page reads the activity, its
    organisers, venue and settings alone, so it is shown before the full build."""
    previous, _ = full_plan(site)
    rel = "content/events/2026/extra.md"
    (site / rel).write_text(NEW_ACTIVITY, encoding="utf-8")
    quick = quick_pages(previous, [rel])
    _, after = full_plan(site)
    assert quick is not None and len(quick) == 1
    assert quick[0].path == "events/extra/"
    assert quick[0] == after["events/extra/"]
    assert quick[0].source == rel


def test_a_new_activity_taking_an_address_in_use_waits_for_the_full_build(site: Path) -> None:
    previous, _ = full_plan(site)
    # the slug of an existing activity (the full run reports the conflict)
    (site / "content/events/extra.md").write_text(
        NEW_ACTIVITY.replace("title:", "slug: salon\ntitle:"), encoding="utf-8"
    )
    assert quick_pages(previous, ["content/events/extra.md"]) is None
    # the address of another page of the site (the upcoming activities' list)
    (site / "content/events/extra.md").write_text(
        NEW_ACTIVITY.replace("title:", "slug: past\ntitle:"), encoding="utf-8"
    )
    assert previous.pages.get("events/past/index.md") is not None
    assert quick_pages(previous, ["content/events/extra.md"]) is None
    # another file's id (events/salon.md and events/2026/salon.md: the full run reports it)
    (site / "content/events/2026/salon.md").write_text(NEW_ACTIVITY, encoding="utf-8")
    assert quick_pages(previous, ["content/events/2026/salon.md"]) is None


def test_a_new_activity_at_a_former_address_waits_for_the_full_build(site: Path) -> None:
    """A page renamed once leaves a redirect at its old address; a new activity there takes
    it over, which changes the other activity's outputs: left to the full build."""
    previous, _ = full_plan(site)
    history = dict(previous.site.history)
    salon = previous.site.events["salon"]
    history["salon"] = replace(history["salon"], former_slugs=("laoshalong",))
    moved = replace(previous, site=replace(previous.site, history=history))
    assert salon.slug != "laoshalong"
    (site / "content/events/extra.md").write_text(
        NEW_ACTIVITY.replace("title:", "slug: laoshalong\ntitle:"), encoding="utf-8"
    )
    assert quick_pages(previous, ["content/events/extra.md"]) is not None
    assert quick_pages(moved, ["content/events/extra.md"]) is None


@pytest.mark.parametrize("day", ["2026-11-30 08:00", "2026-11-12 09:00", "2020-01-01 08:00"])
def test_a_new_article_shows_the_page_the_full_build_makes(site: Path, day: str) -> None:
    """Newest, between two others or oldest: its "newer / older" links are its neighbours'."""
    previous, _ = full_plan(site)
    rel = "content/news/fresh.md"
    (site / rel).write_text(
        f"---\ntitle: 新文章\ndate: {day}\ntags: 文体\nbranch: caizhi\n---\n正文。\n",
        encoding="utf-8",
    )
    quick = quick_pages(previous, [rel])
    _, after = full_plan(site)
    assert quick is not None and len(quick) == 1
    assert quick[0] == after["news/fresh/"]


def test_a_new_article_with_a_new_tag_or_a_taken_address_waits_for_the_full_build(
    site: Path,
) -> None:
    previous, _ = full_plan(site)
    rel = "content/news/fresh.md"
    text = "---\ntitle: 新文章\ndate: 2026-11-30 08:00\ntags: 文体\n---\n正文。\n"
    for written in (
        text.replace("tags: 文体", "tags: [文体, 新标签]"),
        text.replace("title:", "slug: escape\ntitle:"),
        text.replace("title:", "slug: tags\ntitle:"),
    ):
        (site / rel).write_text(written, encoding="utf-8")
        assert quick_pages(previous, [rel]) is None, written


def test_deleted_and_foreign_files_wait_for_the_full_build(site: Path) -> None:
    previous, _ = full_plan(site)
    (site / "content/events/2026/paris.md").unlink()
    assert quick_pages(previous, ["content/events/2026/paris.md"]) is None
    assert quick_pages(previous, ["mkdocs.yml"]) is None
    assert quick_pages(previous, ["content/about.md"]) is None
    # One file the quick path cannot take sends the whole save to the full build.
    edit(site, "content/events/salon.md", "title: 白领沙龙", "title: 白领沙龙（新版）")
    assert quick_pages(previous, ["content/events/salon.md", "mkdocs.yml"]) is None
