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
