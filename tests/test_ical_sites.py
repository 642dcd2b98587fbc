"""Every feed of the demo site and of the fixture site, read by two independent clients.

The build plan is made with the real loader, validator and views (no HTML rendering), every
.ics is written out, linted at the byte level, and expanded by Mozilla's ical.js and by
icalendar + recurring-ical-events; both must see the same occurrences (UTC instant + STATUS).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from buildtools import EPOCH, FIXTURE_SITE, REPO
from ical_clients import icaljs_occurrences, lint_octets, rie_occurrences

from generator import build

SINCE = date(2000, 1, 1)
UNTIL = date(2028, 1, 1)
NOW = datetime.fromtimestamp(int(EPOCH)).astimezone()


def plan_files(root: Path, config: Path, target: Path) -> dict[str, Path]:
    options = build.read_options(config, git_history=False, site_url="https://example.org/repo/")
    checked = build.load_site(options, now=NOW)
    plan = build.plan_site(checked.site)
    out = {}
    for spec in plan.files:
        path = target / spec.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(spec.content)
        out[spec.path] = path
    return out


@pytest.fixture(scope="module", params=["fixture", "demo"])
def site_files(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    if request.param == "fixture":
        return plan_files(FIXTURE_SITE, FIXTURE_SITE / "mkdocs.yml", tmp_path_factory.mktemp("fx"))
    if not (REPO / "content" / "events").is_dir():
        pytest.skip("no demo content")
    return plan_files(REPO, REPO / "mkdocs.yml", tmp_path_factory.mktemp("demo"))


def test_every_feed_is_clean_bytes(site_files: dict[str, Path]) -> None:
    feeds = [p for name, p in site_files.items() if name.endswith(".ics")]
    assert feeds
    for feed in feeds:
        assert lint_octets(feed.read_bytes()) == [], feed


def test_clients_agree_on_every_feed(site_files: dict[str, Path]) -> None:
    for name, feed in sorted(site_files.items()):
        if not name.endswith(".ics"):
            continue
        a = icaljs_occurrences(feed, SINCE, UNTIL)
        b = rie_occurrences(feed.read_bytes(), SINCE, UNTIL)
        assert a == b, (name, sorted(a - b)[:5], sorted(b - a)[:5])
        assert a or "categories" in name or name.count("/") == 2, f"{name} has no occurrence"


def test_whole_calendar_has_every_activity_once(site_files: dict[str, Path]) -> None:
    data = json.loads(site_files["events.json"].read_bytes())
    raw = site_files["calendar.ics"].read_bytes().decode()
    masters = raw.count("BEGIN:VEVENT") - raw.count("RECURRENCE-ID")
    assert masters == len(data["events"])
    for event in data["events"]:
        assert f"UID:{event['uid']}" in raw.replace("\r\n ", "")


def test_events_json_shape(site_files: dict[str, Path]) -> None:
    data = json.loads(site_files["events.json"].read_bytes())
    assert data["site"]["timezone"]
    for event in data["events"]:
        assert event["url"].startswith("https://example.org/repo/events/")
        assert event["ics"].endswith("/event.ics")
        if not event["all_day"]:
            assert datetime.fromisoformat(event["start"]).utcoffset() is not None
        for occ in event["upcoming"]:
            assert occ["start"] >= "2000"
