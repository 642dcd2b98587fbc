"""The live preview's refresh (issue 5) changes exactly what a full build would change.

After an activity is saved, ``yizhan serve`` remakes the listings, calendars and
``events.json`` from the last build's site before the full rebuild. Here each edit is
planned both ways: every page and file the full plan changes must be among the refreshed ones,
byte for byte, and nothing else may be; edits that reach further are left to the full build.
"""

from __future__ import annotations

import itertools
import os
import subprocess
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from buildtools import EPOCH, FIXTURE_SITE, copy_site

from generator import build
from generator.model import Event, Override
from generator.outputs import ical, jsondata
from generator.plan import PageSpec
from generator.quick import Previous
from generator.refresh import Outputs, Refreshed, first_years, refresh, updated_feeds
from generator.views import derive_views
from generator.views.calendar import calendar_feeds

NOW = datetime.fromtimestamp(int(EPOCH), UTC)


def full_plan(site: Path) -> tuple[Previous, dict[str, PageSpec], dict[str, bytes]]:
    """The site as a full build plans it: its state, pages by source name, files by path."""
    options = build.read_options(site / "mkdocs.yml", drafts=True)
    checked = build.load_site(options, NOW)
    views = derive_views(checked.site)
    pages = build.rebase_links(build.collect_pages(checked.site, views), options.content_dir)
    files = {f.path: f.content for f in build.collect_files(checked.site, views)}
    moved = build.moved_sources(pages, options.content_dir)
    by_uri = {p.src_uri: p for p in pages}
    previous = Previous(site, checked.site, views, moved, by_uri, checked.repository)
    return previous, by_uri, files


def edit(site: Path, rel: str, old: str, new: str) -> None:
    path = site / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def with_history(site: Path) -> None:
    """Let the build read the repository (the fixture's configuration does not)."""
    edit(site, "mkdocs.yml", "git_history: false", "git_history: true")


def git(site: Path, *args: str) -> None:
    names = {"GIT_AUTHOR_NAME": "编辑", "GIT_AUTHOR_EMAIL": "e@example.org"}
    names |= {"GIT_COMMITTER_NAME": "编辑", "GIT_COMMITTER_EMAIL": "e@example.org"}
    subprocess.run(
        ["git", "-c", "init.defaultBranch=main", *args],
        cwd=site,
        env={**os.environ, **names, "GIT_AUTHOR_DATE": "2026-10-01T10:00:00+08:00"},
        check=True,
        capture_output=True,
    )


@pytest.fixture(params=["plain", "git"])
def site(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """The fixture site, alone and as a Git repository read for the activities' history
    (SEQUENCE counts uncommitted changes)."""
    site = copy_site(FIXTURE_SITE, tmp_path / "site")
    if request.param == "git":
        with_history(site)
        git(site, "init", "-q")
        git(site, "add", "-A")
        git(site, "commit", "-q", "-m", "站点")
    return site


SALON = "content/events/salon.md"
EDITS: dict[str, list[tuple[str, str, str]]] = {
    "title": [(SALON, "title: 白领沙龙", "title: 白领沙龙（新版）")],
    "rule, place and time": [
        (SALON, "exdate: 2027-01-30\n", ""),
        (SALON, "venue: yizhan\n", "location: 二楼会议室\n"),
        (SALON, "start: 2026-11-28 14:00", "start: 2026-11-28 15:00"),
    ],
    "organisers": [(SALON, "branch: caizhi", "branch: top"), (SALON, "club: guangying\n", "")],
    "cancelled": [("content/events/2026/newyear.md", "title:", "status: cancelled\ntitle:")],
    # one more activity in a category: the list of categories counts it
    "categories": [(SALON, "categories: [学习沙龙]", "categories: [学习沙龙, 文体活动]")],
    # the range of month grids moves: months come (empty ones between too) and go
    "the last months emptied": [(SALON, "BYDAY=-1SA;COUNT=6", "BYDAY=-1SA;COUNT=4")],
    "a month years ahead": [
        ("content/events/2026/newyear.md", "start: 2026-12-31", "start: 2031-06-01"),
        ("content/events/2026/newyear.md", "end: 2027-01-01", "end: 2031-06-02"),
    ],
    "two at once": [
        ("content/events/2026/newyear.md", "title: 跨年夜", "title: 新年夜"),
        ("content/events/reception.md", "end: 11:30", "end: 12:00"),
    ],
}


def check_refreshed(
    refreshed: Refreshed | None,
    before: tuple[dict[str, PageSpec], dict[str, bytes]],
    after: tuple[dict[str, PageSpec], dict[str, bytes]],
) -> None:
    assert refreshed is not None
    (pages0, files0), (pages1, files1) = before, after
    changed_pages = {uri for uri, page in pages1.items() if pages0.get(uri) != page}
    assert {p.src_uri for p in refreshed.pages} == changed_pages
    for page in refreshed.pages:
        assert page == pages1[page.src_uri]
    files = {f.path: f.content for f in refreshed.files}
    changed_files = {path for path, content in files1.items() if files0.get(path) != content}
    assert changed_files <= files.keys(), "a changed file was not refreshed"
    for path, content in files.items():
        assert content == files1[path], path
    assert {p.src_uri for p in refreshed.gone_pages} == pages0.keys() - pages1.keys()
    for page in refreshed.gone_pages:
        assert page == pages0[page.src_uri]
    assert set(refreshed.gone_files) == files0.keys() - files1.keys()
    assert refreshed.previous.pages == pages1


@pytest.mark.parametrize("case", sorted(EDITS))
def test_refresh_changes_what_the_full_build_changes(site: Path, case: str) -> None:
    previous, pages0, files0 = full_plan(site)
    outputs = Outputs(previous.site, previous.views)
    outputs.warm()
    for rel, old, new in EDITS[case]:
        edit(site, rel, old, new)
    refreshed = refresh(previous, {rel for rel, _, _ in EDITS[case]}, outputs)
    after, pages1, files1 = full_plan(site)
    check_refreshed(refreshed, (pages0, files0), (pages1, files1))
    assert refreshed is not None and refreshed.pages, "the edit changed no page"
    # What the next save starts from is what a full build derives (views kept, feeds and
    # zone years updated rather than made again).
    assert refreshed.previous.views == after.views
    assert outputs.feeds == calendar_feeds(after.site)
    assert outputs.writer.first_year == ical.zone_first_years(after.site)


def test_listings_and_calendars_show_the_edit(site: Path) -> None:
    """What a resident sees: the calendar page and the subscribed calendar name the new title
    and the new time, and a calendar app is told it changed (SEQUENCE) where Git says so."""
    previous, _, _ = full_plan(site)
    edit(site, SALON, "title: 白领沙龙", "title: 白领沙龙（改期）")
    edit(site, SALON, "start: 2026-11-28 14:00", "start: 2026-11-28 15:00")
    refreshed = refresh(previous, [SALON], Outputs(previous.site, previous.views))
    assert refreshed is not None
    upcoming = next(p for p in refreshed.pages if p.path == "events/")
    assert "白领沙龙（改期）" in repr(upcoming.data)
    files = {f.path: f.content for f in refreshed.files}
    calendar = icalendar.Calendar.from_ical(files["calendar.ics"])
    salon = next(
        e
        for e in calendar.walk("VEVENT")
        if str(e["SUMMARY"]).startswith("白领沙龙（改期）") and "RRULE" in e
    )
    assert salon.decoded("DTSTART").hour == 15
    was = previous.site.history.get("salon")
    assert was is not None
    expected = was.sequence + (1 if previous.repository is not None else 0)
    assert int(salon["SEQUENCE"]) == expected
    assert "白领沙龙（改期）" in files["events.json"].decode("utf-8")


def test_edits_in_a_row_refresh_from_the_last_refresh(site: Path) -> None:
    """A second save before the full build ends starts from the refreshed site."""
    previous, _, _ = full_plan(site)
    outputs = Outputs(previous.site, previous.views)
    edit(site, SALON, "title: 白领沙龙", "title: 白领沙龙（一改）")
    first = refresh(previous, [SALON], outputs)
    assert first is not None
    between = full_plan(site)[1:]
    edit(site, SALON, "title: 白领沙龙（一改）", "title: 白领沙龙")  # back as it was
    edit(site, "content/events/reception.md", "end: 11:30", "end: 12:00")
    second = refresh(first.previous, [SALON, "content/events/reception.md"], outputs)
    check_refreshed(second, between, full_plan(site)[1:])
    assert second is not None
    assert any(p.path == "events/" for p in second.pages), "the title reverted on the listing"


def add_articles(site: Path, count: int = 45) -> None:
    """Enough articles for three index pages and busy tags (the fixture has two)."""
    folder = site / "content" / "news" / "2026"
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        tags = ["志愿服务", "党建", "文体"][i % 3]
        org = "branch: caizhi" if i % 2 else "club: guangying"
        (folder / f"n{i:02d}.md").write_text(
            f"---\ntitle: 第{i}篇\ndate: 2026-{1 + i // 5:02d}-{1 + i % 5:02d} 09:00\n"
            f"{org}\ntags: [{tags}]\n---\n第{i}篇的正文，见[垃圾分类](../garbage.md)。\n",
            encoding="utf-8",
        )


N10 = "content/news/2026/n10.md"
ARTICLE_EDITS: dict[str, list[tuple[str, str, str]]] = {
    "title": [(N10, "title: 第10篇", "title: 第10篇（更正）")],
    "body": [(N10, "的正文", "的正文（补充）")],
    "date moves it across pages": [(N10, "date: 2026-03-01", "date: 2026-08-30")],
    "dated ahead (shown in the preview)": [(N10, "date: 2026-03-01", "date: 2031-03-01")],
    "tags and organiser": [
        (N10, "tags: [党建]", "tags: [志愿服务, 文体]"),
        (N10, "club:", "branch: top\nclub:"),
    ],
    "a tag written another way (merged, as the full build does)": [
        (N10, "tags: [党建]", "tags: [党 建, 文体]")
    ],
    # a tag's own pages come and go with it, and the tag list and the first index page show it
    "a new tag": [(N10, "tags: [党建]", "tags: [党建, 新标签]")],
    "one tag for another": [("content/news/escape.md", "tags: 文体", "tags: 新标签")],
    "an article and an activity": [
        ("content/news/garbage.md", "title: 垃圾分类进楼宇", "title: 垃圾分类进社区"),
        (SALON, "title: 白领沙龙", "title: 白领沙龙（新版）"),
    ],
}


@pytest.mark.parametrize("case", sorted(ARTICLE_EDITS))
def test_article_refresh_changes_what_the_full_build_changes(site: Path, case: str) -> None:
    add_articles(site)
    previous, pages0, files0 = full_plan(site)
    outputs = Outputs(previous.site, previous.views)
    for rel, old, new in ARTICLE_EDITS[case]:
        edit(site, rel, old, new)
    refreshed = refresh(previous, {rel for rel, _, _ in ARTICLE_EDITS[case]}, outputs)
    between = full_plan(site)[1:]
    check_refreshed(refreshed, (pages0, files0), between)
    assert refreshed is not None
    assert any(f.path == "rss.xml" for f in refreshed.files)
    # The next save starts from this refresh.
    edit(site, N10, "第10篇", "第十篇")
    again = refresh(refreshed.previous, [N10], outputs)
    check_refreshed(again, between, full_plan(site)[1:])


NEW_ARTICLES = {
    "newest": "date: 2026-10-30 08:00\ntags: [党建]\n",
    "among the others (shifts every index page)": "date: 2026-04-03 12:00\ntags: [党建]\n",
    "oldest": "date: 2025-01-01 08:00\ntags: [党建]\n",
    "with a new tag": "date: 2026-10-30 08:00\ntags: [新标签]\n",
}


@pytest.mark.parametrize("case", sorted(NEW_ARTICLES))
def test_a_new_article_refreshes_what_the_full_build_changes(site: Path, case: str) -> None:
    """A new article file: its page, its neighbours', the news index and tag pages, its
    organiser's page, rss.xml and feed.json, as the full build makes them."""
    add_articles(site)
    previous, pages0, files0 = full_plan(site)
    outputs = Outputs(previous.site, previous.views)
    rel = "content/news/2026/fresh.md"
    (site / rel).write_text(
        f"---\ntitle: 新发布的文章\n{NEW_ARTICLES[case]}branch: caizhi\n---\n正文。\n",
        encoding="utf-8",
    )
    refreshed = refresh(previous, [rel], outputs)
    between = full_plan(site)[1:]
    check_refreshed(refreshed, (pages0, files0), between)
    assert refreshed is not None
    assert "news/fresh/index.md" in {p.src_uri for p in refreshed.pages}
    edit(site, rel, "新发布的文章", "新发布的文章（更正）")
    check_refreshed(refresh(refreshed.previous, [rel], outputs), between, full_plan(site)[1:])


def test_a_new_article_starting_an_index_and_a_tag_page_refreshes_them(site: Path) -> None:
    """Every per_page-th new article begins a page of /news/ (and of its tag): added."""
    add_articles(site)
    previous, _, _ = full_plan(site)
    per_page = previous.site.config.news_per_page
    tagged = len(previous.views.news.tag_of["党建"].items)
    # fill both the index and the tag 党建 up to a multiple of per_page
    count = len(previous.views.news.items)
    for i in range(max(-count % per_page, -tagged % per_page)):
        tag = "党建" if i < -tagged % per_page else "志愿服务"
        (site / f"content/news/2026/fill{i}.md").write_text(
            f"---\ntitle: 补{i}\ndate: 2025-06-{1 + i:02d} 09:00\ntags: [{tag}]\n---\n正文。\n",
            encoding="utf-8",
        )
    previous, pages0, files0 = full_plan(site)
    index_pages, tag = len(previous.views.news.pages), previous.views.news.tag_of["党建"]
    if len(previous.views.news.items) % per_page or len(tag.items) % per_page:
        pytest.skip("the fixture's counts could not be filled to whole pages")
    rel = "content/news/2026/fresh.md"
    (site / rel).write_text(
        "---\ntitle: 第一页的新文章\ndate: 2026-10-30 08:00\ntags: [党建]\n---\n正文。\n",
        encoding="utf-8",
    )
    refreshed = refresh(previous, [rel], Outputs(previous.site, previous.views))
    after = full_plan(site)
    assert len(after[0].views.news.pages) == index_pages + 1
    check_refreshed(refreshed, (pages0, files0), after[1:])
    assert refreshed is not None
    new_pages = {p.src_uri for p in refreshed.pages} - pages0.keys()
    assert len(new_pages) == 3, new_pages  # the article, /news/ and 党建's last page


DELETED_ARTICLES = {
    "the newest": ["content/news/2026/n44.md"],
    "among the others (shifts every index page)": [N10],
    "two, and an activity": ["content/news/2026/n03.md", N10, "content/events/2026/newyear.md"],
}


@pytest.mark.parametrize("case", sorted(DELETED_ARTICLES))
def test_a_deleted_article_refreshes_what_the_full_build_changes(site: Path, case: str) -> None:
    """A deleted article file: its page goes, its neighbours link each other, and the news
    index, tag pages, organisers' pages, rss.xml and feed.json read as the full build makes
    them."""
    add_articles(site)
    previous, pages0, files0 = full_plan(site)
    outputs = Outputs(previous.site, previous.views)
    for rel in DELETED_ARTICLES[case]:
        (site / rel).unlink()
    refreshed = refresh(previous, DELETED_ARTICLES[case], outputs)
    after, *between = full_plan(site)
    check_refreshed(refreshed, (pages0, files0), (between[0], between[1]))
    assert refreshed is not None
    own = {f"news/{Path(rel).stem}/index.md" for rel in DELETED_ARTICLES[case] if "/news/" in rel}
    assert own <= {p.src_uri for p in refreshed.gone_pages}
    assert refreshed.previous.views == after.views
    edit(site, "content/news/2026/n20.md", "第20篇", "第二十篇")  # the next save starts here
    again = refresh(refreshed.previous, ["content/news/2026/n20.md"], outputs)
    check_refreshed(again, (between[0], between[1]), full_plan(site)[1:])


@pytest.mark.parametrize("how", ["tag edited away", "article deleted"])
def test_a_tag_no_article_has_any_more_goes(site: Path, how: str) -> None:
    """The only article with a tag loses it, or goes: the tag's page goes with it, and the
    tag list and the first index page no longer show it."""
    add_articles(site)
    rel = "content/news/2026/lonely.md"
    (site / rel).write_text(
        "---\ntitle: 独有标签\ndate: 2026-05-20 08:00\ntags: [党建, 独有]\n---\n正文。\n",
        encoding="utf-8",
    )
    previous, pages0, files0 = full_plan(site)
    assert "独有" in previous.views.news.tag_of
    if how == "article deleted":
        (site / rel).unlink()
    else:
        edit(site, rel, "tags: [党建, 独有]", "tags: [党建]")
    refreshed = refresh(previous, [rel], Outputs(previous.site, previous.views))
    after = full_plan(site)
    check_refreshed(refreshed, (pages0, files0), after[1:])
    assert refreshed is not None
    assert "news/tags/du-you/index.md" in {p.src_uri for p in refreshed.gone_pages}
    assert "news/tags/index.md" in {p.src_uri for p in refreshed.pages}


@pytest.mark.parametrize("what", ["index", "tag"])
def test_a_deleted_article_ending_an_index_or_tag_page_takes_it_away(site: Path, what: str) -> None:
    """One article more than whole pages of /news/ (or of a tag): deleting one of them takes
    the last page away."""
    add_articles(site)
    previous, _, _ = full_plan(site)
    per_page = previous.site.config.news_per_page
    news = previous.views.news
    have = len(news.items) if what == "index" else len(news.tag_of["党建"].items)
    for i in range((1 - have) % per_page):  # up to one more than whole pages
        tag = "党建" if what == "tag" else ["志愿服务", "文体"][i % 2]
        (site / f"content/news/2026/fill{i}.md").write_text(
            f"---\ntitle: 补{i}\ndate: 2025-06-{1 + i % 28:02d} 09:00\ntags: [{tag}]\n---\n正文。\n",
            encoding="utf-8",
        )
    previous, pages0, files0 = full_plan(site)
    news = previous.views.news
    counted = len(news.items) if what == "index" else len(news.tag_of["党建"].items)
    if counted % per_page != 1:
        pytest.skip("the fixture's counts could not be brought to one over whole pages")
    rel = "content/news/2026/n01.md"  # tagged 党建
    (site / rel).unlink()
    refreshed = refresh(previous, [rel], Outputs(previous.site, previous.views))
    after = full_plan(site)
    check_refreshed(refreshed, (pages0, files0), after[1:])
    assert refreshed is not None
    assert len(refreshed.gone_pages) == 2, [p.src_uri for p in refreshed.gone_pages]


def test_article_deletions_reaching_further_wait_for_the_full_build(site: Path) -> None:
    """The articles link to the one on garbage sorting (and a milestone does)."""
    previous, _, _ = full_plan(site)
    outputs = Outputs(previous.site, previous.views)
    for rel in ("content/news/garbage.md",):
        text = (site / rel).read_text(encoding="utf-8")
        (site / rel).unlink()
        assert refresh(previous, [rel], outputs) is None, rel
        (site / rel).write_text(text, encoding="utf-8")


def test_new_articles_reaching_further_wait_for_the_full_build(site: Path) -> None:
    add_articles(site)
    previous, _, _ = full_plan(site)
    outputs = Outputs(previous.site, previous.views)
    rel = "content/news/2026/fresh.md"
    text = "---\ntitle: 新文章\ndate: 2026-10-30 08:00\ntags: [党建]\n---\n正文。\n"
    cases = {
        "another article's address": text.replace("title:", "slug: n10\ntitle:"),
        "another page's address": text.replace("title:", "slug: tags\ntitle:"),
    }
    assert "news/tags/index.md" in previous.pages
    for case, written in cases.items():
        (site / rel).write_text(written, encoding="utf-8")
        assert refresh(previous, [rel], outputs) is None, case


LEFT_TO_THE_FULL_BUILD = {
    "new category": (SALON, "categories: [学习沙龙]", "categories: [学习沙龙, 新类别]"),
    "slug changes the URL": (SALON, "title: 白领沙龙", "slug: bailing\ntitle: x"),
    "unknown venue": (SALON, "venue: yizhan", "venue: nowhere"),
    "syntax error": (SALON, "end: 16:00", "end: [16:00"),
    "override off the rule": (SALON, "BYDAY=-1SA;COUNT=6", "BYDAY=-2SA;COUNT=6"),
    "an article's slug": ("content/news/escape.md", "tags: 文体", "tags: 文体\nslug: xin"),
    "a venue": ("content/venues/yizhan.md", "name:", "summary: 新\nname:"),
}


@pytest.mark.parametrize("case", sorted(LEFT_TO_THE_FULL_BUILD))
def test_edits_reaching_further_wait_for_the_full_build(site: Path, case: str) -> None:
    previous, _, _ = full_plan(site)
    rel, old, new = LEFT_TO_THE_FULL_BUILD[case]
    edit(site, rel, old, new)
    assert refresh(previous, [rel], Outputs(previous.site, previous.views)) is None


NEW_ACTIVITY = (
    "---\ntitle: 新活动\nstart: 2026-12-01 10:00\nend: 11:00\nvenue: yizhan\nbranch: caizhi\n"
    "categories: [学习沙龙]\n---\n在驿站举行。\n"
)


@pytest.mark.parametrize(
    ("folder", "start"),
    [
        ("content/events", "2026-12-01"),
        ("content/events/2026", "2026-12-01"),
        ("content/events", "2031-03-01"),  # after every month grid: the months to it appear
    ],
)
def test_a_new_activity_refreshes_what_the_full_build_changes(
    site: Path, folder: str, start: str
) -> None:
    """A new activity file: its own page and calendar appear, and the listings, calendars
    and organisation pages that carry it show it, as the full build makes them."""
    previous, pages0, files0 = full_plan(site)
    outputs = Outputs(previous.site, previous.views)
    outputs.warm()
    rel = f"{folder}/aaa-new.md"  # first in id order: ``events.json`` and feeds list it first
    (site / rel).write_text(NEW_ACTIVITY.replace("2026-12-01", start), encoding="utf-8")
    refreshed = refresh(previous, [rel], outputs)
    _, pages1, files1 = full_plan(site)
    check_refreshed(refreshed, (pages0, files0), (pages1, files1))
    assert refreshed is not None
    made = {f.path for f in refreshed.files}
    assert {"events/aaa-new/event.ics", "calendar.ics", "events.json"} <= made
    assert "events/aaa-new/index.md" in {p.src_uri for p in refreshed.pages}
    assert "aaa-new" in refreshed.previous.site.events
    # the next save of it is an edit of a known activity
    edit(site, rel, "title: 新活动", "title: 新活动（改）")
    again = refresh(refreshed.previous, [rel], outputs)
    check_refreshed(again, (pages1, files1), full_plan(site)[1:])


def test_new_activities_reaching_further_wait_for_the_full_build(site: Path) -> None:
    previous, _, _ = full_plan(site)
    outputs = Outputs(previous.site, previous.views)
    rel = "content/events/extra.md"
    cases = {
        "a new category": NEW_ACTIVITY.replace("学习沙龙", "新类别"),
        "another activity's slug": NEW_ACTIVITY.replace("title:", "slug: salon\ntitle:"),
        "another page's address": NEW_ACTIVITY.replace("title:", "slug: past\ntitle:"),
    }
    for case, text in cases.items():
        (site / rel).write_text(text, encoding="utf-8")
        assert refresh(previous, [rel], outputs) is None, case


TEA = "content/events/tea.md"
TEA_TEXT = (
    "---\ntitle: 书记茶叙\nstart: 2026-11-05 15:00\nend: 16:00\nvenue: yizhan\nbranch: top\n"
    "categories: 接待\nrrule: FREQ=WEEKLY;BYDAY=TH;COUNT=8\nexdate: [2026-11-26]\n---\n茶叙。\n"
)
DELETIONS = {
    "a one-off activity": ["content/events/2026/newyear.md"],
    "a recurring one": [TEA],
    "two at once": ["content/events/2026/newyear.md", TEA],
}


@pytest.mark.parametrize("case", sorted(DELETIONS))
def test_a_deleted_activity_refreshes_what_the_full_build_changes(site: Path, case: str) -> None:
    """A deleted activity file: its page, calendar and redirects go, and the listings,
    calendars and organisation pages that carried it no longer show it."""
    (site / TEA).write_text(TEA_TEXT, encoding="utf-8")  # a second activity of 接待
    previous, pages0, files0 = full_plan(site)
    outputs = Outputs(previous.site, previous.views)
    outputs.warm()
    for rel in DELETIONS[case]:
        (site / rel).unlink()
    refreshed = refresh(previous, DELETIONS[case], outputs)
    after, pages1, files1 = full_plan(site)
    check_refreshed(refreshed, (pages0, files0), (pages1, files1))
    assert refreshed is not None and refreshed.gone_pages and refreshed.gone_files
    assert refreshed.previous.views == after.views
    assert refreshed.previous.site.events == after.site.events
    assert outputs.feeds == calendar_feeds(after.site)
    # the next save starts from the site without it
    edit(site, SALON, "title: 白领沙龙", "title: 白领沙龙（新版）")
    again = refresh(refreshed.previous, [SALON], outputs)
    check_refreshed(again, (pages1, files1), full_plan(site)[1:])


def test_a_renamed_activity_is_deleted_and_added(site: Path) -> None:
    """Renaming a file moves the activity to the address of its new name (no redirect: the
    repository has not seen the rename yet)."""
    previous, pages0, files0 = full_plan(site)
    outputs = Outputs(previous.site, previous.views)
    old, new = "content/events/2026/newyear.md", "content/events/2026/kuanian.md"
    if previous.repository is not None:
        git(site, "mv", old, new)  # staged, not committed
    else:
        (site / old).rename(site / new)
    refreshed = refresh(previous, [old, new], outputs)
    _, pages1, files1 = full_plan(site)
    check_refreshed(refreshed, (pages0, files0), (pages1, files1))
    assert refreshed is not None
    assert "events/kuanian/index.md" in {p.src_uri for p in refreshed.pages}
    assert "events/newyear/event.ics" in refreshed.gone_files


def test_redirects_follow_an_edit_and_a_deletion(tmp_path: Path) -> None:
    """An activity renamed in the repository has a redirect at its former address, which
    shows its title: an edit of the title rewrites it, a deletion takes it away."""
    site = copy_site(FIXTURE_SITE, tmp_path / "site")
    with_history(site)
    git(site, "init", "-q")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "站点")
    rel = "content/events/2026/kuanian.md"
    git(site, "mv", "content/events/2026/newyear.md", rel)
    git(site, "commit", "-q", "-m", "改名")
    previous, pages0, files0 = full_plan(site)
    assert "events/newyear/index.html" in files0
    # a subscription to the former address goes on, told where the calendar is now
    assert files0["events/newyear/event.ics"] == files0["events/kuanian/event.ics"]
    outputs = Outputs(previous.site, previous.views)
    edit(site, rel, "title: 跨年夜", "title: 新年夜")
    edited = refresh(previous, [rel], outputs)
    pages1, files1 = full_plan(site)[1:]
    check_refreshed(edited, (pages0, files0), (pages1, files1))
    assert edited is not None
    assert "新年夜" in next(
        f.content.decode() for f in edited.files if f.path == "events/newyear/index.html"
    )
    (site / rel).unlink()
    deleted = refresh(edited.previous, [rel], outputs)
    check_refreshed(deleted, (pages1, files1), full_plan(site)[1:])
    assert deleted is not None and "events/newyear/index.html" in deleted.gone_files
    assert "events/newyear/event.ics" in deleted.gone_files


def test_deletions_reaching_further_wait_for_the_full_build(site: Path) -> None:
    """The full run reports (or renders differently) what named a deleted activity (the
    about page links to the salon, a milestone to the sports day), and takes away the page of
    a category no activity is in any more (the cancelled market's)."""
    previous, _, _ = full_plan(site)
    outputs = Outputs(previous.site, previous.views)
    for rel in (SALON, "content/events/2026/sports.md", "content/events/2026/cancelled.md"):
        text = (site / rel).read_text(encoding="utf-8")
        (site / rel).unlink()
        assert refresh(previous, [rel], outputs) is None, rel
        (site / rel).write_text(text, encoding="utf-8")


def test_deleting_an_activity_a_milestones_text_links_waits_for_the_full_build(
    site: Path,
) -> None:
    """A milestone's text linking an activity's file shows a link to its page: deleting the
    activity changes the timeline (and ``check`` reports the link), so the full run does it."""
    rel = "content/events/2026/newyear.md"
    text = (site / rel).read_text(encoding="utf-8")
    for linked in (False, True):
        if linked:
            (site / "content/timeline/more.yml").write_text(
                "- date: 2026-11-01\n  title: 新年\n  body: 见[新年活动](../events/2026/newyear.md)。\n",
                encoding="utf-8",
            )
        (site / rel).write_text(text, encoding="utf-8")
        previous, _, _ = full_plan(site)
        outputs = Outputs(previous.site, previous.views)
        (site / rel).unlink()
        assert (refresh(previous, [rel], outputs) is None) == linked


def test_deleted_and_foreign_files_wait_for_the_full_build(site: Path) -> None:
    previous, _, _ = full_plan(site)
    outputs = Outputs(previous.site, previous.views)
    assert refresh(previous, ["content/events/2026"], outputs) is None  # a folder gone
    venue = (site / "content/venues/yizhan.md").read_text(encoding="utf-8")
    (site / "content/venues/yizhan.md").unlink()  # a venue
    assert refresh(previous, ["content/venues/yizhan.md"], outputs) is None
    (site / "content/venues/yizhan.md").write_text(venue, encoding="utf-8")
    assert refresh(previous, ["mkdocs.yml"], outputs) is None
    edit(site, SALON, "title: 白领沙龙", "title: 白领沙龙（新版）")
    assert refresh(previous, [SALON, "mkdocs.yml"], outputs) is None
    # Outputs of another site (a full build came in between) are not used.
    assert refresh(previous, [SALON], Outputs(previous.site, previous.views)) is not None
    assert refresh(full_plan(site)[0], [SALON], outputs) is None


def test_a_stopped_background_warm_makes_nothing_but_a_refresh_still_can(site: Path) -> None:
    """The full build (which uses the memo) never runs beside the background warm-up."""
    previous, _, _ = full_plan(site)
    outputs = Outputs(previous.site, previous.views)
    outputs.stop()
    outputs.warm(background=True)
    assert outputs.lines == {} and outputs.writer.event_bytes == {}
    outputs.warm()
    assert outputs.lines.keys() == previous.site.events.keys()


def test_outputs_taken_from_the_written_files_are_the_ones_made(site: Path) -> None:
    """The preview takes each activity's VEVENTs and events.json line from the files the full
    build wrote; they must be what the writers make, and a file that does not check out is
    not used."""
    previous, _, files = full_plan(site)
    made = Outputs(previous.site, previous.views)
    made.warm()
    whole = next(f for f in made.feeds if f.kind == "all")
    calendar, events_json = files["calendar.ics"], files["events.json"]
    assert ical.vevents_of(previous.site, whole, calendar) == made.writer.event_bytes
    assert jsondata.lines_of(previous.site, events_json) == made.lines
    # Files of another shape: an activity's VEVENTs missing, another site's, a line less.
    first = calendar.index(b"BEGIN:VEVENT")
    second = calendar.index(b"BEGIN:VEVENT", first + 1)
    assert ical.vevents_of(previous.site, whole, calendar[:first] + calendar[second:]) is None
    assert ical.vevents_of(previous.site, whole, calendar[:first] + ical.FOOTER) is None
    other = calendar.replace(b"example.org", b"example.com")
    assert ical.vevents_of(previous.site, whole, other) is None
    assert jsondata.lines_of(previous.site, events_json.replace(b"},\n", b"}, ", 1)) is None
    assert jsondata.lines_of(previous.site, b"{}") is None
    adopted = Outputs(previous.site, previous.views)
    adopted.adopt(previous.site, calendar, events_json)
    assert adopted.writer.event_bytes == made.writer.event_bytes
    assert adopted.lines == made.lines


def test_refresh_from_adopted_outputs_changes_what_the_full_build_changes(site: Path) -> None:
    previous, pages0, files0 = full_plan(site)
    outputs = Outputs(previous.site, previous.views)
    outputs.adopt(previous.site, files0["calendar.ics"], files0["events.json"])
    outputs.stop()  # nothing made by warm: the refresh runs on what was adopted
    for rel, old, new in EDITS["two at once"]:
        edit(site, rel, old, new)
    refreshed = refresh(previous, {rel for rel, _, _ in EDITS["two at once"]}, outputs)
    check_refreshed(refreshed, (pages0, files0), full_plan(site)[1:])


def test_outputs_take_nothing_once_a_refresh_moved_them_on(site: Path) -> None:
    """The files of the last build are not taken for the site a refresh has made since."""
    previous, _, files = full_plan(site)
    outputs = Outputs(previous.site, previous.views)
    edit(site, SALON, "title: 白领沙龙", "title: 白领沙龙（新版）")
    assert refresh(previous, [SALON], outputs) is not None
    made = dict(outputs.writer.event_bytes)
    outputs.adopt(previous.site, files["calendar.ics"], files["events.json"])
    assert outputs.writer.event_bytes == made


def shifted(event: Event, years: int) -> Event:
    """``event`` moved ``years`` years (its overrides and extra dates too)."""
    step = timedelta(days=366 * years)
    return replace(
        event,
        start=event.start + step,
        end=event.end + step if event.end is not None else None,
        rdates=tuple(d + step for d in event.rdates),
        overrides=tuple(
            replace(o, start=o.start + step if o.start is not None else None)
            for o in event.overrides
        ),
    )


def variants(event: Event, venues: list[str], branches: list[str]) -> list[Event]:
    """Edits of one activity that keep or change what puts it into calendars and zones."""
    other_venue = next((v for v in venues if v != event.venue), None)
    other_branch = next((b for b in branches if b not in event.branches), branches[0])
    return [
        replace(event, title=event.title + "（新）"),
        shifted(event, -3),
        shifted(event, 2),
        replace(event, timezone="Europe/Paris" if event.timezone != "Europe/Paris" else "UTC"),
        replace(event, venue=other_venue),
        replace(event, branches=(*event.branches, other_branch)),
        replace(event, clubs=()),
        replace(event, categories=(*event.categories, "新类别")),
        replace(event, overrides=(*event.overrides, Override(event.start, venue=other_venue))),
    ]


def test_feeds_and_zone_years_updated_are_the_ones_derived(site: Path) -> None:
    """The refresh updates the calendar list and each zone's first year from the last
    build's instead of deriving them again: every edit must give the derived ones."""
    previous, _, _ = full_plan(site)
    before = previous.site
    first = sorted(before.venues)[0]
    second = replace(before.venues[first], id="second-venue", slug="second-venue")
    before = replace(before, venues={**before.venues, second.id: second})
    feeds, years = calendar_feeds(before), ical.zone_first_years(before)
    checked = 0
    for event in before.events.values():
        for edited in variants(event, sorted(before.venues), sorted(before.branches)):
            now = replace(before, events={**before.events, event.id: edited})
            changed = {event.id: edited}
            assert updated_feeds(feeds, before.events, now, changed) == calendar_feeds(now)
            assert first_years(years, before.events, now, changed) == ical.zone_first_years(now)
            checked += 1
        # its venue and the one an override moves an occurrence to, swapped: the same venues'
        # calendars, one of which carries the series and the other the occurrence alone
        other = next((v for v in sorted(before.venues) if v != event.venue), None)
        if event.venue is None or other is None:
            continue
        moved = replace(event, overrides=(*event.overrides, Override(event.start, venue=other)))
        then = replace(before, events={**before.events, event.id: moved})
        swapped = replace(
            moved,
            venue=other,
            overrides=(*event.overrides, Override(event.start, venue=event.venue)),
        )
        now = replace(before, events={**before.events, event.id: swapped})
        changed = {event.id: swapped}
        assert updated_feeds(calendar_feeds(then), then.events, now, changed) == calendar_feeds(now)
        checked += 1
    # each activity deleted, alone and with the next one
    ids = sorted(before.events)
    for removed_ids in [*([i] for i in ids), *itertools.pairwise(ids)]:
        gone = {i: before.events[i] for i in removed_ids}
        now = replace(before, events={i: e for i, e in before.events.items() if i not in gone})
        assert updated_feeds(feeds, before.events, now, {}, gone) == calendar_feeds(now)
        assert first_years(years, before.events, now, {}, gone) == ical.zone_first_years(now)
        checked += 1
    assert checked >= 60
