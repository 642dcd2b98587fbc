"""Branch, club and venue pages and directories, as page specs: what their lists show."""

from __future__ import annotations

from pathlib import Path

from sitetools import site_from

from generator.pages import orgs, subscribe
from generator.views import derive_views


def pages_of(tmp_path: Path, files: dict[str, str]) -> dict[str, dict]:  # type: ignore[type-arg]
    site, problems = site_from(tmp_path, files)
    assert [p for p in problems if p.severity == "error"] == []
    return {p.path: p.data for p in orgs.pages(site, derive_views(site))}


def test_lists_cut_short_say_how_many_more_and_a_venue_is_not_named_on_its_own_page(
    tmp_path: Path,
) -> None:
    """A branch's 12 articles show 10 and say 2 more; a venue's 25 weekly sessions show 20
    and say 5 more, in the month grid where they go on; rows held at the venue do not name
    it on its own page (every row did)."""
    files = {
        "content/branches/caizhi.md": "---\nname: 财智党支部\n---\n",
        "content/venues/hall.md": "---\nname: 党群服务中心\n---\n",
        "content/events/weekly.md": (
            "---\ntitle: 周三读书会\nstart: 2026-11-25 19:00\nend: 20:30\nvenue: hall\n"
            "branch: caizhi\nrrule: FREQ=WEEKLY;COUNT=25\n---\n"
        ),
    }
    for n in range(12):
        files[f"content/news/a{n}.md"] = (
            f"---\ntitle: 文章{n}\ndate: 2026-10-{n + 1:02d}\nbranch: caizhi\n---\n正文。\n"
        )
    pages = pages_of(tmp_path, files)
    branch, venue = pages["branches/caizhi/"], pages["venues/hall/"]
    assert len(branch["news"]) == 10 and branch["news_more"] == 2
    assert len(venue["upcoming"]) == 20
    assert venue["upcoming_more"] == {"url": "events/2027/04/", "name": "2027年4月", "n": 5}
    assert all(card["place"] == "" for card in venue["upcoming"])
    assert all(card["place"] == "党群服务中心" for card in branch["upcoming"])


def test_directories_list_names_by_pinyin_and_numbers_by_value(tmp_path: Path) -> None:
    """丹凤街 before 锁金村 before 珠江路 (by pinyin, as a reader looks them up), 队6 before
    队10; the subscribe page's feeds in the same order."""
    names = ["珠江路服务站", "锁金村服务站", "梅园志愿服务队10", "丹凤街服务站", "梅园志愿服务队6"]
    files = {
        f"content/clubs/c{i}.md": f"---\nname: {name}\ncategory: 志愿\n---\n"
        for i, name in enumerate(names)
    }
    site, _ = site_from(tmp_path, files)
    views = derive_views(site)
    directory = next(p for p in orgs.pages(site, views) if p.path == "clubs/")
    listed = [c["name"] for g in directory.data["groups"] for c in g["clubs"]]
    expected = [
        "丹凤街服务站",
        "梅园志愿服务队6",
        "梅园志愿服务队10",
        "锁金村服务站",
        "珠江路服务站",
    ]
    assert listed == expected
    feeds = [name for name, _ in subscribe.organisation_news_feeds(site)[1]]
    assert feeds == expected
