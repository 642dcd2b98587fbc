"""The feeds' fast paths (issue 5) give the bytes the libraries themselves would give."""

from __future__ import annotations

import os
import random
from datetime import datetime

import pytest
from buildtools import EPOCH, FIXTURE_SITE
from calendar_sample import sample_site
from icalendar.parser import Contentline

from generator import build, parallel
from generator.outputs import ical
from generator.views import derive_views
from generator.views.calendar import calendar_feeds

NOW = datetime.fromtimestamp(int(EPOCH)).astimezone()

# Characters of one, two, three and four UTF-8 octets, the escapes icalendar keeps whole, and
# the separators escaping introduces.
ALPHABET = 'a1 ,;:\\^"é中文活动😀'


def random_lines(count: int, seed: int = 5545) -> list[str]:
    rng = random.Random(seed)
    lines = []
    for _ in range(count):
        size = rng.choice([1, 10, 73, 74, 75, 76, 150, rng.randrange(1, 2000)])
        lines.append("".join(rng.choice(ALPHABET) for _ in range(size)))
    # Escapes right where a line would be cut.
    lines += ["x" * n + "\\n" + "y" * 80 for n in range(60, 80)]
    lines += ["x" * n + "^^" + "中" * 40 for n in range(60, 80)]
    lines += ["\\" * 200, "^" * 200, "中" * 100]
    return lines


def test_fold_is_icalendars_own_folding() -> None:
    for line in random_lines(3000):
        assert ical.fold(line) == Contentline(line).to_ical(), line


def test_serialise_is_to_ical() -> None:
    site = sample_site()
    writer = ical.FeedWriter(site)
    for event_id, event in site.events.items():
        history = ical.default_history(event_id, site.config.site_url)
        for component in ical.build_vevents(site, event, history):
            assert ical.serialise(component) == component.to_ical()
    for feed in calendar_feeds(site):
        writer.render(feed)  # the zones the feeds use
    for zone in writer.zone_bytes:
        tz = ical.build_vtimezone(zone, 2020, 2028)
        assert ical.serialise(tz) == tz.to_ical()


def test_files_made_in_forked_processes_are_collect_files() -> None:
    """plan_site makes the calendars and the other files in two forked processes; the plan
    lists the same files, in the same order, as one process making them all."""
    options = build.read_options(FIXTURE_SITE / "mkdocs.yml", site_url="https://example.org/x/")
    site = build.load_site(options, now=NOW).site
    plan = build.plan_site(site)
    assert list(plan.files) == build.collect_files(site, derive_views(site))
    assert {f.path.rsplit(".", 1)[-1] for f in plan.files} >= {"ics", "xml", "json", "svg"}


def test_a_child_beside_the_build_yields_the_processor() -> None:
    """The feeds' children run at a lower priority than the build process planning pages;
    their result and their errors come back as from a plain call."""
    if not parallel.can_fork():
        pytest.skip("no fork here: the step runs in this process")
    own = os.nice(0)
    assert parallel.beside(os.nice, 0, nice=parallel.YIELD)() == own + parallel.YIELD
    assert parallel.beside(os.nice, 0)() == own
    with pytest.raises(ZeroDivisionError):
        parallel.beside(divmod, 1, 0, nice=parallel.YIELD)()
