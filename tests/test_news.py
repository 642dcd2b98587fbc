"""News views and pages: order, pagination, tags, organisers, summaries cut by characters."""

from __future__ import annotations

import json

import pytest
from newsfactory import SITE_URL, article, make_site, sample_news
from sitetools import site_from

from generator.pages import news as news_pages
from generator.views import Views
from generator.views import news as news_views
from generator.views.calendar import CalendarViews
from generator.views.orgs import OrgViews
from generator.views.text import absolute_url, absolutize_links, cut, plain_text, reading_minutes


def views_of(site):  # type: ignore[no-untyped-def]
    return Views(CalendarViews(), news_views.derive(site), OrgViews())


@pytest.fixture
def site():  # type: ignore[no-untyped-def]
    return make_site(sample_news(), news_per_page=2)


def test_pages_hold_n_articles_newest_first(site):  # type: ignore[no-untyped-def]
    pages = news_views.derive(site).pages
    assert [p.path for p in pages] == ["news/", "news/page/2/", "news/page/3/"]
    assert [[i.id for i in p.items] for p in pages] == [["a5", "a4"], ["a3", "a2"], ["a1"]]
    assert (pages[0].previous_path, pages[0].next_path) == (None, "news/page/2/")
    assert (pages[2].previous_path, pages[2].next_path) == ("news/page/2/", None)


def test_empty_site_still_has_a_news_index():
    pages = news_views.derive(make_site(())).pages
    assert [(p.path, p.items) for p in pages] == [("news/", ())]


def test_equal_dates_order_by_id_not_by_disk():
    same = article("b", 1), article("a", 1), article("c", 1)
    ids = [n.id for n in news_views.derive(make_site(same)).items]
    assert ids == ["a", "b", "c"]


def test_tags_group_by_slug_with_pinyin_paths(site):  # type: ignore[no-untyped-def]
    tags = {t.path: (t.name, [i.id for i in t.items]) for t in news_views.derive(site).tags}
    assert tags == {
        "news/tags/huan-bao/": ("环保", ["a2", "a1"]),
        "news/tags/la-ji-fen-lei/": ("垃圾分类", ["a1"]),
        # two spellings, one slug: one page, the article listed once
        "news/tags/party-building/": ("Party Building", ["a4"]),
    }


def test_by_branch_and_club(site):  # type: ignore[no-untyped-def]
    views = news_views.derive(site)
    assert [n.id for n in views.for_branch("caizhi")] == ["a1"]
    assert [n.id for n in views.for_branch("律师行业党支部")] == ["a3"]
    assert [n.id for n in views.for_club("yujia")] == ["a2"]
    assert views.for_club("nobody") == ()


def test_site_pages_paths_templates_and_json(site):  # type: ignore[no-untyped-def]
    specs = list(news_pages.pages(site, views_of(site)))
    paths = [s.path for s in specs]
    assert len(paths) == len(set(paths))
    assert {"news/", "news/page/2/", "news/a2/", "news/tags/la-ji-fen-lei/"} <= set(paths)
    for spec in specs:
        json.dumps(spec.data)  # data must be JSON values only
        assert spec.template in {
            "yizhan/news.html",
            "yizhan/news_index.html",
            "yizhan/news_tag.html",
            "yizhan/news_tags.html",
        }
    assert "news/tags/" in paths


def test_pagination_shows_a_window_not_every_page() -> None:
    window = news_pages.page_window
    assert window(1, 1) == [1]
    assert window(1, 5) == [1, 2, 3, 4, 5]
    assert window(1, 250) == [1, 2, 3, None, 250]
    assert window(100, 250) == [1, None, 98, 99, 100, 101, 102, None, 250]
    assert window(5, 250) == [1, 2, 3, 4, 5, 6, 7, None, 250]  # no ellipsis for one page
    assert window(250, 250) == [1, None, 248, 249, 250]
    bar = news_pages.pagination(100, 250, lambda n: f"news/page/{n}/")
    assert bar["previous"] == "news/page/99/" and bar["next"] == "news/page/101/"
    assert [p["number"] for p in bar["pages"] if p.get("current")] == [100]
    assert len(bar["pages"]) == 9


def test_a_big_tag_paginates_like_the_index(tmp_path):  # type: ignore[no-untyped-def]
    files = {
        f"content/news/n{i:03d}.md": f"---\ntitle: 文章{i}\ndate: 2026-03-{1 + i % 28:02d}\ntags: 党建\n---\n正文\n"
        for i in range(45)
    }
    built, problems = site_from(tmp_path, files)
    assert problems == []
    specs = {s.path: s for s in news_pages.pages(built, views_of(built))}
    tag_paths = sorted(p for p in specs if p.startswith("news/tags/dang-jian/"))
    assert tag_paths == [
        "news/tags/dang-jian/",
        "news/tags/dang-jian/page/2/",
        "news/tags/dang-jian/page/3/",
    ]
    shown = [a["url"] for p in tag_paths for a in specs[p].data["articles"]]
    assert len(shown) == len(set(shown)) == 45
    assert specs["news/tags/dang-jian/page/3/"].data["pagination"]["next"] is None
    # The tag cloud is on the first page of /news/ only; /news/tags/ lists every tag.
    assert specs["news/"].data["tags"] and not specs["news/page/2/"].data["tags"]
    assert [t["url"] for t in specs["news/tags/"].data["tags"]] == ["news/tags/dang-jian/"]


def test_article_page_links_organisers_tags_and_neighbours(site):  # type: ignore[no-untyped-def]
    specs = {s.path: s for s in news_pages.pages(site, views_of(site))}
    a3 = specs["news/a3/"].data
    assert a3["organisers"] == [{"name": "律师行业党支部", "url": "branches/lvshi/"}]
    assert a3["newer"]["url"] == "news/a4/" and a3["older"]["url"] == "news/a2/"
    assert a3["summary"] == "编者写的摘要。"
    a1 = specs["news/a1/"].data
    assert a1["tags"] == [
        {"name": "垃圾分类", "url": "news/tags/la-ji-fen-lei/"},
        {"name": "环保", "url": "news/tags/huan-bao/"},
    ]
    assert a1["organisers"] == [{"name": "财智行业社团党支部", "url": "branches/caizhi/"}]
    assert specs["news/a2/"].data["image"] == "images/cover.jpg"
    assert specs["news/a2/"].source == "content/news/2026/a2.md"
    assert specs["news/a1/"].markdown == sample_news()[0].body


def test_article_jsonld_is_a_news_article_that_cannot_close_its_script(site):  # type: ignore[no-untyped-def]
    specs = {s.path: s for s in news_pages.pages(site, views_of(site))}
    raw = specs["news/a2/"].data["jsonld"]
    assert "<" not in raw and ">" not in raw
    data = json.loads(raw)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "<img src=x onerror=alert(1)> & 标题"
    assert data["datePublished"] == "2026-04-02T09:30:00+08:00"
    assert data["mainEntityOfPage"] == SITE_URL + "news/a2/"
    assert data["image"] == [SITE_URL + "images/cover.jpg"]


def test_an_article_of_a_picture_alone_has_no_empty_description() -> None:
    """schema.org's description is text: an empty one (an article of one image and no words)
    is left out, not written as "", which validators flag as a property without a value."""
    picture = article("tu", 5, body="![](../../images/a.jpg)\n")
    site = make_site((picture,))
    (spec,) = [s for s in news_pages.pages(site, views_of(site)) if s.path == "news/tu/"]
    assert "description" not in json.loads(spec.data["jsonld"])
    assert spec.description == ""


def test_a_cover_the_text_opens_with_is_shown_once_and_a_text_picture_is_shared() -> None:
    """A WeChat article copied whole opens with its cover: the page showed it twice (cover,
    then text). An article of a picture alone, with no ``image``, had a link card and
    structured data without a picture."""
    opens = article(
        "kai", 5, image="images/salon.jpg", body="![海报](../../images/salon.jpg)\n\n正文。"
    )
    later = article(
        "hou", 6, image="images/salon.jpg", body="正文。\n\n![海报](../../images/salon.jpg)"
    )
    alone = article("tu", 7, body="![](../../images/a.jpg)\n")
    site = make_site((opens, later, alone))
    specs = {s.path: s for s in news_pages.pages(site, views_of(site))}
    assert specs["news/kai/"].data["image"] == ""  # the text's own picture is the cover
    assert specs["news/kai/"].data["meta"]["image"] == "images/salon.jpg"
    assert specs["news/hou/"].data["image"] == "images/salon.jpg"
    tu = specs["news/tu/"]
    assert tu.data["image"] == "" and tu.data["meta"]["image"] == "images/a.jpg"
    assert json.loads(tu.data["jsonld"])["image"] == [SITE_URL + "images/a.jpg"]


def test_news_card_cuts_summary_by_characters(site):  # type: ignore[no-untyped-def]
    long = next(n for n in site.news if n.id == "a4")
    card = news_pages.news_card(site, long)
    assert card["summary"] == "长" * 99 + "…"
    assert card["url"] == "news/a4/" and card["iso"] == "2026-04-04T09:30:00+08:00"
    assert card["date"] == "2026年4月4日 周六"


def test_cut_prefers_a_sentence_end_and_never_splits_by_spaces():
    text = "南部商务区打破条块分割。" * 3 + "统筹党建资源推动党员白领用脚投票"
    assert (
        cut(text, 40) == "南部商务区打破条块分割。南部商务区打破条块分割。南部商务区打破条块分割。…"
    )
    assert cut("短文。", 40) == "短文。"
    assert len(cut("一二三四五六七八九十" * 10, 15)) == 15


def test_reading_time_counts_chinese_characters():
    assert reading_minutes("字" * 400) == 1
    assert reading_minutes("字" * 401) == 2
    assert reading_minutes("字" * 2000) == 5
    assert reading_minutes("word " * 400) == 2
    page = next(
        s
        for s in news_pages.pages(
            make_site((article("x", 1, body="字" * 1200),)),
            views_of(make_site((article("x", 1, body="字" * 1200),))),
        )
        if s.path == "news/x/"
    )
    assert page.data["reading"] == "约 3 分钟读完"


def test_plain_text_drops_markup_and_joins_chinese_lines():
    assert (
        plain_text("# 标题\n\n垃圾\n分类 **宣传**，[链接](x.md)。") == "标题 垃圾分类 宣传，链接。"
    )


def test_relative_links_resolve_like_mkdocs_under_a_base_path():
    src = "news/2026/a.md"  # inside the docs folder
    page = "news/a/"
    assert absolute_url("../../images/p.png", SITE_URL, src, page) == SITE_URL + "images/p.png"
    assert absolute_url("/about/", SITE_URL, src, page) == SITE_URL + "about/"
    assert absolute_url("#活动简介", SITE_URL, src, page) == SITE_URL + "news/a/#活动简介"
    assert absolute_url("b.md#x", SITE_URL, src, page) == SITE_URL + "news/2026/b/#x"
    known = {"news/2026/b.md": "news/b/"}
    assert absolute_url("b.md", SITE_URL, src, page, known) == SITE_URL + "news/b/"
    assert absolute_url("mailto:a@b.cn", SITE_URL, src, page) == "mailto:a@b.cn"
    assert absolute_url("https://x.cn/y", SITE_URL, src, page) == "https://x.cn/y"
    assert absolute_url("../../../../etc/passwd", SITE_URL, src, page) == SITE_URL


def test_absolutize_rewrites_only_real_attributes():
    fragment = '<p><img alt="x src=\'evil\'" src="p.png"><a href="../c.md">c</a> &amp; x</p>'
    out = absolutize_links(fragment, SITE_URL, "news/a.md", "news/a/")
    assert out == (
        f'<p><img alt="x src=&#x27;evil&#x27;" src="{SITE_URL}news/p.png">'
        f'<a href="{SITE_URL}c/">c</a> &amp; x</p>'
    )
