"""Links in an activity's body reach its calendar entry as absolute URLs, from wherever the file is."""

from __future__ import annotations

from pathlib import Path

import icalendar
from sitetools import site_from

from generator.build import plan_site


def test_links_in_a_subfolder_event_resolve_from_its_file(tmp_path: Path) -> None:
    body = "见[关于我们](../../about.md)和[报名表](https://form.example.org/x)。\n"
    site, problems = site_from(
        tmp_path,
        {"content/events/2026/talk.md": f"---\ntitle: 讲座\nstart: 2026-12-01 14:00\n---\n{body}"},
    )
    assert problems == []
    plan = plan_site(site)
    ics = next(f.content for f in plan.files if f.path == "events/talk/event.ics")
    (event,) = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    description = str(event["DESCRIPTION"])
    assert "关于我们 (https://example.org/repo/about/)" in description
    assert "报名表 (https://form.example.org/x)" in description
    assert "https://example.org/repo/events/talk/" in description


def test_a_description_reads_as_text_in_calendar_apps(tmp_path: Path) -> None:
    """Raw HTML keeps its text and link, a table its cells, each line its own line, and a
    link to another activity's or article's file leads to that page (wherever the file is)."""
    body = (
        "每月最后一个周六。\n\n"
        '**报名**：见<a href="../2026/news-file.md">报名通知</a>与[往期](../past-talk.md)。\n\n'
        "| 时间 | 内容 |\n|---|---|\n| 14:00 | 签到 |\n\n"
        "- 自带水杯<br>请准时 &amp; 安静\n"
    )
    site, problems = site_from(
        tmp_path,
        {
            "content/events/2026/talk.md": "---\ntitle: 讲座\nstart: 2026-12-01 14:00\n---\n"
            + body.replace("../2026/news-file.md", "../../news/2026/news-file.md"),
            "content/events/past-talk.md": "---\ntitle: 往期\nstart: 2026-11-01 14:00\n"
            "slug: wangqi\n---\n",
            "content/news/2026/news-file.md": "---\ntitle: 通知\ndate: 2026-11-20\n"
            "slug: baoming-tongzhi\n---\n",
        },
    )
    assert problems == []
    plan = plan_site(site)
    ics = next(f.content for f in plan.files if f.path == "events/talk/event.ics")
    (event,) = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    lines = str(event["DESCRIPTION"]).split("\n")
    assert lines[:6] == [
        "每月最后一个周六。",
        "报名：见报名通知 (https://example.org/repo/news/baoming-tongzhi/)"
        "与往期 (https://example.org/repo/events/wangqi/)。",
        "时间 | 内容",
        "14:00 | 签到",
        "自带水杯",
        "请准时 & 安静",
    ]


def test_a_kept_description_follows_the_page_its_link_leads_to(tmp_path: Path) -> None:
    """VEVENTs kept between builds (``memo``) are keyed by where their links lead: an article
    given a new address changes the description of the activity that links to it."""
    from generator import memo

    def description(slug: str) -> str:
        site, problems = site_from(
            tmp_path / "site",
            {
                "content/events/talk.md": "---\ntitle: 讲座\nstart: 2026-12-01 14:00\n---\n"
                "见[通知](../news/2026/notice.md)。\n",
                "content/news/2026/notice.md": f"---\ntitle: 通知\ndate: 2026-11-20\n"
                f"slug: {slug}\n---\n",
            },
        )
        assert problems == []
        ics = next(f.content for f in plan_site(site).files if f.path == "events/talk/event.ics")
        (event,) = icalendar.Calendar.from_ical(ics).walk("VEVENT")
        memo.flush()
        return str(event["DESCRIPTION"])

    try:
        memo.use(tmp_path / "memo")
        assert "https://example.org/repo/news/tongzhi/" in description("tongzhi")
        memo.use(tmp_path / "memo")  # the next build, with the VEVENT kept
        assert "https://example.org/repo/news/xin-tongzhi/" in description("xin-tongzhi")
    finally:
        memo.use(None)
