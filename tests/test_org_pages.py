"""Branch, club and venue pages and directories, as page specs: what their lists show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sitetools import site_from

from generator.pages import events, orgs, subscribe
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


def test_a_milestone_on_its_own_branchs_or_clubs_page_does_not_name_that_page(
    tmp_path: Path,
) -> None:
    """ "2015年7月 律师行业党支部成立（律师行业党支部）" on the branch's own page named and
    linked the page itself; the other organisers are still named, and the timeline names all."""
    files = {
        "content/branches/lvshi.md": "---\nname: 律师行业党支部\n---\n",
        "content/clubs/yixing.md": "---\nname: 毅行俱乐部\n---\n",
        "content/timeline/t.yml": (
            "- date: '2015-07'\n  title: 律师行业党支部成立\n  branch: lvshi\n"
            "- date: '2016-05'\n  title: 联合毅行\n  branch: lvshi\n  club: yixing\n"
        ),
    }
    pages = pages_of(tmp_path, files)

    def named(items: list[dict]) -> list[list[str]]:  # type: ignore[type-arg]
        return [[o["name"] for o in m["organisers"]] for m in items]

    assert named(pages["branches/lvshi/"]["milestones"]) == [[], ["毅行俱乐部"]]
    assert named(pages["clubs/yixing/"]["milestones"]) == [["律师行业党支部"]]
    timeline = [e for y in pages["timeline/"]["years"] for e in y["entries"]]
    assert sorted(named(timeline)) == [["律师行业党支部"], ["律师行业党支部", "毅行俱乐部"]]


def test_english_counts_read_with_thousands_separators_and_their_noun(tmp_path: Path) -> None:
    """ "8 branches, 2577 members." and a bare "党工委 · 2097" on the English branch directory;
    an activity's "1200 places" and "Registration closes <a day gone by>" under "Registration
    closed"."""
    files = {
        "content/branches/top.md": "---\nname: 党工委\nkind: 党工委\nmembers: 2097\n---\n",
        "content/branches/one.md": "---\nname: 党支部\nparent: top\nmembers: 1\n---\n",
        "content/events/games.md": (
            "---\ntitle: 运动会\nstart: 2026-01-05\nall_day: true\nregistration:\n"
            "  capacity: 1200\n  deadline: 2026-01-01 17:00\n---\n"
        ),
    }
    site, _ = site_from(tmp_path, files, language="en")
    views = derive_views(site)
    specs = {p.path: p.data for p in orgs.pages(site, views)}
    directory = specs["branches/"]
    assert directory["intro"] == "2 branches, 2,098 members."
    top = directory["tree"][0]
    assert (top["members"], top["children"][0]["members"]) == ("2,097 members", "1 member")
    assert {"label": "Members", "value": "2,097 members", "url": ""} in specs["branches/top/"][
        "facts"
    ]
    registration = events.event_page(site, views, site.events["games"]).data["registration"]
    assert registration["capacity"] == "1,200 places" and registration["closed"]
    assert registration["deadline"] == "Deadline: Thu 1 Jan 2026, 17:00"


def test_venues_are_places_and_branches_and_clubs_organisations_in_schema_org_data(
    tmp_path: Path,
) -> None:
    """Venue, branch and club pages carried no JSON-LD (activities and articles did): a venue
    is a Place with its address, coordinates and telephone, a branch an Organization with its
    parent, founding date and address; a name that would end the <script> is escaped."""
    files = {
        "content/branches/top.md": "---\nname: 党工委\nfounded: 2012\n---\n统筹党建。\n",
        "content/branches/one.md": (
            "---\nname: 财智</script>党支部\nparent: top\nfounded: 2014-10\n"
            "address: 测试路 1 号 A&B 座\nsummary: 财会行业党员的家。\n---\n"
        ),
        "content/clubs/run.md": "---\nname: 跑团\nfounded: 2016-05-04\n---\n",
        "content/venues/hall.md": (
            "---\nname: 驿站\naddress: 测试路 1 号\nlat: 29.82\nlon: 121.55\n"
            "contact: 0574-87000100\n---\n驿站位于商务区中心。\n"
        ),
        "content/venues/desk.md": "---\nname: 服务站\ncontact: 0574-87000100（服务台）\n---\n",
    }
    pages = pages_of(tmp_path, files)
    texts = {path: pages[path]["jsonld"] for path in pages if "jsonld" in pages[path]}
    assert sorted(texts) == [
        "branches/one/", "branches/top/", "clubs/run/", "venues/desk/", "venues/hall/"
    ]  # fmt: skip
    assert all("<" not in t and ">" not in t and "&" not in t for t in texts.values())
    data = {path: json.loads(text) for path, text in texts.items()}
    base = "https://example.org/repo/"
    assert data["venues/hall/"] == {
        "@context": "https://schema.org",
        "@type": "Place",
        "name": "驿站",
        "url": base + "venues/hall/",
        "address": "测试路 1 号",
        "geo": {"@type": "GeoCoordinates", "latitude": 29.82, "longitude": 121.55},
        "telephone": "0574-87000100",
        "description": "驿站位于商务区中心。",
    }
    assert data["venues/desk/"] == {
        "@context": "https://schema.org",
        "@type": "Place",
        "name": "服务站",
        "url": base + "venues/desk/",
    }
    assert data["branches/one/"] == {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": "财智</script>党支部",
        "url": base + "branches/one/",
        "description": "财会行业党员的家。",
        "foundingDate": "2014-10",
        "parentOrganization": {
            "@type": "Organization",
            "name": "党工委",
            "url": base + "branches/top/",
        },
        "address": "测试路 1 号 A&B 座",
    }
    assert data["branches/top/"]["foundingDate"] == "2012"
    assert "parentOrganization" not in data["branches/top/"]
    assert data["clubs/run/"] == {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": "跑团",
        "url": base + "clubs/run/",
        "foundingDate": "2016-05-04",
    }


@pytest.mark.parametrize(
    ("contact", "phone"),
    [
        ("0574-87000100", "0574-87000100"),
        (" +86 574 8700 0100 ", "+86 574 8700 0100"),
        ("(0574) 87000100", "(0574) 87000100"),
        ("0574-87000100（党群驿站服务台）", ""),
        ("驿站服务台 0574-87000100", ""),
        ("0574-87000161；微信群请向服务台索取二维码", ""),
        ("zhou@example.org", ""),
        ("110", ""),
        ("", ""),
    ],
)
def test_a_contact_is_a_telephone_only_when_it_is_a_number_alone(contact: str, phone: str) -> None:
    assert orgs.telephone(contact) == phone
