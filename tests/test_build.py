"""Whole builds through the command line and through `mkdocs build`: the site, its safety and
its reproducibility."""

from __future__ import annotations

import base64
import gzip
import json
import re
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.robotparser import RobotFileParser

import pytest
from buildtools import (
    EPOCH,
    FIXTURE_SITE,
    assert_reaped,
    copy_site,
    mkdocs,
    record_forks,
    set_fast,
    tree_digest,
    yizhan,
)
from mkdocs.config import load_config
from sitetools import write_tree

from generator import build
from generator.plan import FileSpec, PageSpec
from generator.problems import ContentError

EXPECTED_PAGES = [
    "index.html",
    "news/index.html",
    "news/garbage/index.html",
    "news/tags/la-ji-fen-lei/index.html",
    "events/index.html",
    "events/past/index.html",
    "events/salon/index.html",
    "events/2026/12/index.html",
    "events/categories/wen-ti-huo-dong/index.html",
    "branches/index.html",
    "branches/caizhi/index.html",
    "branches/lv-shi-hang-ye-dang-zhi-bu/index.html",
    "clubs/index.html",
    "clubs/guangying/index.html",
    "venues/index.html",
    "venues/yizhan/index.html",
    "timeline/index.html",
    "subscribe/index.html",
    "about/index.html",
    "rss.xml",
    "calendar.ics",
    "events/salon/event.ics",
    "branches/caizhi/calendar.ics",
    "events.json",
    "images/dot.svg",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = copy_site(FIXTURE_SITE, tmp_path_factory.mktemp("fixture"))
    result = yizhan(site, "build", "--strict")
    assert result.returncode == 0, result.stderr
    return site / "site"


def test_every_public_url_is_built(built: Path) -> None:
    missing = [p for p in EXPECTED_PAGES if not (built / p).is_file()]
    assert missing == []


def test_every_local_stylesheet_and_script_a_page_names_is_built(built: Path) -> None:
    html = (built / "events" / "salon" / "index.html").read_text(encoding="utf-8")
    assets = re.findall(r'(?:href|src)="\.\./\.\./(assets/[^"]+\.(?:css|js))"', html)
    assert any("javascripts/bundle" in a for a in assets)
    assert "assets/stylesheets/calendar.css" in assets
    assert [a for a in assets if not (built / a).is_file()] == []


def test_robots_txt_names_the_sitemap(built: Path) -> None:
    """Crawlers find the sitemap from robots.txt (read here with the standard library's
    parser), at site_url: under a base path too, where it counts once the site is served at
    a domain's root."""
    robots = RobotFileParser()
    robots.parse((built / "robots.txt").read_text(encoding="utf-8").splitlines())
    assert robots.site_maps() == ["https://example.org/repo/sitemap.xml"]
    assert (built / "sitemap.xml").is_file()
    assert robots.can_fetch("Googlebot", "https://example.org/repo/events/salon/")


def test_an_editors_robots_txt_is_published_as_written(tmp_path: Path) -> None:
    site = copy_site(FIXTURE_SITE, tmp_path / "site")
    own = "User-agent: *\nDisallow: /repo/news/\n"
    (site / "content" / "robots.txt").write_text(own, encoding="utf-8")
    result = yizhan(site, "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert (site / "site" / "robots.txt").read_text(encoding="utf-8") == own


def test_editor_sources_are_not_published_as_pages(built: Path) -> None:
    # content/news/garbage.md is rendered at /news/garbage/, never at its folder's path twice,
    # and timeline YAML is data, not a download.
    assert not (built / "timeline" / "main.yml").exists()
    assert not (built / "events" / "2026" / "sports" / "index.html").exists()
    assert (built / "events" / "sports" / "index.html").is_file()


def test_drafts_and_future_news_are_not_built(built: Path) -> None:
    assert not (built / "news" / "draft").exists()
    assert not (built / "news" / "future").exists()


def test_pages_show_the_data(built: Path) -> None:
    branch = (built / "branches" / "caizhi" / "index.html").read_text(encoding="utf-8")
    assert "财智行业社团党支部" in branch
    assert "38 名" in branch
    assert "测试商务区党工委" in branch  # parent
    assert "光影社" in branch  # its club
    assert "白领沙龙" in branch  # its upcoming activity
    assert "垃圾分类进楼宇" in branch  # its news
    venue = (built / "venues" / "yizhan" / "index.html").read_text(encoding="utf-8")
    assert "多功能厅" in venue and "120" in venue and "投影、音响" in venue
    timeline = (built / "timeline" / "index.html").read_text(encoding="utf-8")
    assert timeline.index("2026") < timeline.index("2014") < timeline.index("2012")
    assert "<strong>30</strong>" in timeline


def test_relative_links_follow_pages_to_their_urls(built: Path) -> None:
    about = (built / "about" / "index.html").read_text(encoding="utf-8")
    assert 'href="../events/salon/"' in about
    assert 'href="../events/sports/"' in about
    assert 'href="../subscribe/"' in about
    article = (built / "news" / "garbage" / "index.html").read_text(encoding="utf-8")
    assert 'src="../../images/dot.svg"' in article
    assert 'href="../../about/"' in article


def test_editor_text_is_escaped_in_pages(built: Path) -> None:
    html = (built / "news" / "escape" / "index.html").read_text(encoding="utf-8")
    assert "<img src=x onerror" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; 标题" in html


def test_leaf_pages_stay_out_of_the_navigation(built: Path) -> None:
    html = (built / "about" / "index.html").read_text(encoding="utf-8")
    nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>', html, re.S)
    assert nav is not None
    assert "白领沙龙" not in nav.group(0)
    assert "新闻" in nav.group(0)


def test_no_request_to_third_party_hosts_in_html(built: Path) -> None:
    pattern = re.compile(r'(?:src|href)="(https?:)?//(?!example\.org)[^"]+"')
    offenders = set()
    for page in built.rglob("*.html"):
        for match in pattern.finditer(page.read_text(encoding="utf-8")):
            tag_start = page.read_text(encoding="utf-8").rfind("<", 0, match.start())
            tag = page.read_text(encoding="utf-8")[tag_start : match.start()]
            # Plain links (<a href>) are fine; anything the browser loads by itself is not.
            if not tag.startswith("<a"):
                offenders.add((page.relative_to(built).as_posix(), match.group(0)))
    assert offenders == set()


def test_mkdocs_build_gives_the_same_site(built: Path, tmp_path: Path) -> None:
    site = copy_site(FIXTURE_SITE, tmp_path / "mk")
    result = mkdocs(site, "build", "--strict", "-q")
    assert result.returncode == 0, result.stderr
    assert tree_digest(site / "site") == tree_digest(built)


def test_builds_are_reproducible(built: Path, tmp_path: Path) -> None:
    site = copy_site(FIXTURE_SITE, tmp_path / "again")
    assert yizhan(site, "build").returncode == 0
    assert tree_digest(site / "site") == tree_digest(built)


def test_failed_build_leaves_previous_site_byte_for_byte(tmp_path: Path) -> None:
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    assert yizhan(site, "build").returncode == 0
    before = tree_digest(site / "site")
    (site / "content" / "events" / "broken.md").write_text(
        "---\ntitle: 坏\nstart: 明天\nvenue: nowhere\n---\n", encoding="utf-8"
    )
    result = failed_build_keeping(site, before)
    assert "content/events/broken.md:3: start:" in result.stderr
    assert "content/events/broken.md:4: venue:" in result.stderr


def test_a_build_removes_folders_that_interrupted_builds_left(tmp_path: Path) -> None:
    """Ctrl-C or a killed job leaves the folder a build was writing (a whole site). The next
    build deletes those whose process is gone, and never one still being written."""
    import os
    import signal

    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    gone = subprocess.Popen(["true"])
    gone.wait()  # a process id that no longer runs
    left = site / f".site.building-{gone.pid}-x1y2"
    (left / "events").mkdir(parents=True)
    (left / "events" / "index.html").write_text("半成品", encoding="utf-8")
    alive = subprocess.Popen(["sleep", "60"])
    busy = site / f".site.building-{alive.pid}-z3"
    busy.mkdir()
    legacy = site / ".site.building-ab12cd"  # an older yizhan's name, without a process
    legacy.mkdir()
    try:
        assert yizhan(site, "build").returncode == 0
        deadline = time.monotonic() + 20
        while left.exists() and time.monotonic() < deadline:
            time.sleep(0.1)  # deleted by a detached process
        assert not left.exists()
        assert busy.is_dir() and legacy.is_dir()
        os.utime(legacy, (time.time() - 2 * 86400,) * 2)
        assert yizhan(site, "build").returncode == 0
        deadline = time.monotonic() + 20
        while legacy.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not legacy.exists() and busy.is_dir()
        assert (site / "site" / "index.html").is_file()
    finally:
        alive.send_signal(signal.SIGKILL)
        alive.wait()


def failed_build_keeping(site: Path, before: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``yizhan build``, which must fail cleanly and leave the last site (digest ``before``)
    exactly as it was, with no half-built folder beside it."""
    result = yizhan(site, "build", **env)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert tree_digest(site / "site") == before
    assert [p.name for p in site.iterdir() if p.name.startswith(".site")] == []
    return result


@pytest.mark.parametrize(("fast", "workers"), [("false", "1"), ("true", "1"), ("true", "2")])
def test_two_outputs_on_one_path_fail_the_build_and_keep_the_site(
    tmp_path: Path, fast: str, workers: str
) -> None:
    """An article named like the tags page fails the build on every path (plain, fast, with
    workers), the site kept, and ``check`` says so at the article."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    set_fast(site, fast)
    assert yizhan(site, "build").returncode == 0
    before = tree_digest(site / "site")
    (site / "content" / "news" / "tags.md").write_text(
        "---\ntitle: 标签\ndate: 2026-11-12 09:30\n---\n正文。\n", encoding="utf-8"
    )
    result = failed_build_keeping(site, before, YIZHAN_WORKERS=workers)
    assert "content/news/tags.md:1: 网址 /news/tags/ 是自动生成的页面" in result.stderr
    check = yizhan(site, "check")
    assert check.returncode != 0 and "content/news/tags.md:1:" in check.stderr


def test_two_outputs_on_one_path_are_told_at_the_content_file() -> None:
    """The plan's own last check (outputs that reached it anyway, as planned by future
    code): each clash at the content file that made one of the two, as an address."""
    pages = (
        PageSpec("news/tags/", "tags.html", "标签"),
        PageSpec("news/tags/", "news.html", "标签", source="content/news/tags.md"),
    )
    files = {name: [] for name in build.FILE_OUTPUTS}
    files["redirects"] = [FileSpec("news/tags/index.html", b"x", source="content/news/old.md")]
    plan = build.PlanUnderWay(pages, lambda: files, "zh")
    with pytest.raises(ContentError) as raised:
        plan.finish()
    assert sorted(p.format() for p in raised.value.problems) == [
        "content/news/old.md:1: 网址 /news/tags/ 是自动生成的页面，请给这个文件换一个名字 [错误 url.reserved]",
        "content/news/tags.md:1: 网址 /news/tags/ 是自动生成的页面，请给这个文件换一个名字 [错误 url.reserved]",
    ]
    pages = (
        PageSpec("news/a/", "news.html", "甲", source="content/news/a.md"),
        PageSpec("news/a/", "news.html", "甲", source="content/news/2026/a.md"),
    )
    with pytest.raises(ContentError) as raised:
        build.PlanUnderWay(pages, lambda: files, "zh").finish()
    assert [p.format() for p in raised.value.problems] == [
        "content/news/2026/a.md:1: 网址 /news/a/ 与 content/news/a.md 冲突 [错误 url.conflict]",
    ]


def test_a_rebuild_replaces_the_site_and_removes_the_old_one(tmp_path: Path) -> None:
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    assert yizhan(site, "build").returncode == 0
    event = site / "content" / "events" / "salon.md"
    event.write_text(event.read_text(encoding="utf-8").replace("白领沙龙", "周末沙龙"), "utf-8")
    assert yizhan(site, "build").returncode == 0
    assert "周末沙龙" in (site / "site" / "events" / "salon" / "index.html").read_text("utf-8")
    # The replaced site is removed by a detached process, after the build has returned.
    deadline = time.monotonic() + 60
    while [p for p in site.iterdir() if p.name.startswith(".site")]:
        assert time.monotonic() < deadline, "the old site was never removed"
        time.sleep(0.1)


def test_strict_build_fails_on_warnings_and_keeps_site(tmp_path: Path) -> None:
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    path = site / "content" / "events" / "salon.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("title:", "satus: cancelled\ntitle:", 1),
        encoding="utf-8",
    )
    assert yizhan(site, "build").returncode == 0  # a warning alone does not fail a normal build
    before = tree_digest(site / "site")
    (site / "content" / "news" / "garbage.md").write_text(
        "---\ntitle: 改了\ndate: 2026-11-10\n---\n", encoding="utf-8"
    )
    assert yizhan(site, "build", "--strict").returncode != 0
    assert tree_digest(site / "site") == before
    result = yizhan(site, "check")
    assert result.returncode == 1
    assert "content/events/salon.md:2: satus:" in result.stderr


@pytest.mark.parametrize("fast", ["false", "true"])
def test_a_link_to_a_missing_file_is_told_once_in_the_sites_language(
    tmp_path: Path, fast: str
) -> None:
    """yizhan's own warning at the editor's file and line, not also MkDocs' English one
    about a virtual page (``news/x/index.md``), on MkDocs' pages and on the lean ones."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    set_fast(site, fast)
    (site / "content/news/link.md").write_text(
        "---\ntitle: 链接\ndate: 2026-11-02\n---\n见[旧文](old-news.md)。\n", encoding="utf-8"
    )
    result = yizhan(site, "build")
    assert result.returncode == 0, result.stderr
    told = [line for line in result.stderr.splitlines() if "old-news.md" in line]
    assert told == [
        "WARNING: generator: content/news/link.md:5: 正文: 链接的文件不存在：old-news.md"
        "（相对于本文件；访问者会打开一个不存在的网页） [警告 link.missing]"
    ]
    assert yizhan(site, "build", "--strict").returncode != 0


def test_a_broken_or_missing_mkdocs_yml_is_told_at_its_line_and_keeps_the_site(
    tmp_path: Path,
) -> None:
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    assert yizhan(site, "build").returncode == 0
    before = tree_digest(site / "site")
    config = site / "mkdocs.yml"
    good = config.read_text(encoding="utf-8")
    config.write_text(good.replace("site_name: ", "site_name：", 1), encoding="utf-8")
    for command in ("check", "build"):
        result = yizhan(site, command)
        assert result.returncode == 1
        assert result.stderr.strip().splitlines()[-1] == (
            "mkdocs.yml:1: “site_name：”用了中文冒号；键后面应为英文冒号加空格（“site_name: ”）"
            " [错误 yaml.fullwidth-colon]"
        ), result.stderr
        assert "Traceback" not in result.stderr
    assert tree_digest(site / "site") == before
    config.unlink()
    for command in ("check", "build"):
        result = yizhan(site, command)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert "mkdocs.yml:1: 找不到配置文件" in result.stderr


@pytest.mark.parametrize("fast", ["false", "true"])
def test_raw_html_links_open_the_page_or_file_they_name(tmp_path: Path, fast: str) -> None:
    """``<a href="x.md">`` and ``<img src="…">`` in raw HTML, which MkDocs leaves as written,
    lead where a Markdown link would: from an article published elsewhere than its file, and
    from a free page published at ``about/``."""
    from urllib.parse import urljoin

    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    set_fast(site, fast)
    links = (
        '<a href="{up}events/salon.md">沙龙</a> <a href="{up}about.md#top">关于</a> '
        '<img src="{up}images/dot.svg" alt="点"> <a href="{up}index.md">首页</a>'
    )
    (site / "content/news/2026").mkdir(parents=True)
    (site / "content/news/2026/html.md").write_text(
        "---\ntitle: 原生链接\ndate: 2026-11-02\n---\n" + links.format(up="../../") + "\n",
        encoding="utf-8",
    )
    about = site / "content/about.md"
    about.write_text(
        about.read_text(encoding="utf-8")
        + "\n"
        + links.format(up="").replace("about.md", "news/2026/html.md")
        + "\n",
        encoding="utf-8",
    )
    result = yizhan(site, "build")
    assert result.returncode == 0, result.stderr
    out = site / "site"
    for page in ("news/html/", "about/"):
        html = (out / page / "index.html").read_text(encoding="utf-8")
        article = html[html.index("<article") :]
        found = re.findall(
            r'(?:href|src)="([^"#]+)(?:#[^"]*)?"[^>]*>(?:沙龙|关于|首页|原生)?', article
        )
        targets = {
            urljoin(f"https://x.org/repo/{page}", url).removeprefix("https://x.org/repo/")
            for url in found
            if not url.startswith(("http", "/"))
        }
        for target in ("events/salon/", "images/dot.svg", ""):
            assert target in targets, (page, sorted(targets))
        assert ("news/html/" if page == "about/" else "about/") in targets
        for target in targets:
            assert (
                out / target / "index.html" if target.endswith("/") or not target else out / target
            ).is_file(), target


def test_a_link_with_windows_separators_says_what_to_write(tmp_path: Path) -> None:
    """``![海报](..\\images\\dot.svg)``, as Windows writes paths, names no file (a page's
    links are ``/``-separated): ``check`` says what to write, at its line."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    (site / "content/news/poster.md").write_text(
        "---\ntitle: 海报\ndate: 2026-11-02\n---\n正文。\n\n![海报](..\\images\\dot.svg)\n",
        encoding="utf-8",
    )
    result = yizhan(site, "check")
    assert result.returncode == 1
    assert (
        "content/news/poster.md:7: 正文: 链接的路径请用“/”分隔，不要用“\\”：写成 ../images/dot.svg"
        in result.stderr
    ), result.stderr


def test_a_picture_without_words_is_a_warning_at_its_line(tmp_path: Path) -> None:
    """A picture of a text written ``![](…)`` (python-markdown writes ``alt=""``: a screen reader
    passes it by as a decoration) or as an ``<img>`` without ``alt`` (its file name is read out)
    is a warning at its own line, not at the ``image:`` naming the same file; ``alt=""``
    written on purpose, words in the brackets and a picture shown as code are not told."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    write_tree(
        site,
        {
            "content/news/tupian.md": """\
            ---
            title: 图片
            date: 2026-11-02
            image: ../images/dot.svg
            ---
            正文。

            ![](../images/dot.svg)
            <img src="../images/dot.svg" width="20">
            <img alt="" src="../images/dot.svg"> ![点](../images/dot.svg)
            `![](../images/dot.svg)` ![ ](<../images/dot.svg>)
            """,
            "content/about.md": "# 关于\n\n<IMG SRC='images/dot.svg'>\n",
        },
    )
    result = yizhan(site, "check")
    assert result.returncode == 1
    told = [line.split(": 图片")[0] for line in result.stderr.splitlines() if "image-alt" in line]
    assert told == [
        "content/about.md:3: 正文",
        "content/news/tupian.md:8: 正文",
        "content/news/tupian.md:9: 正文",
        "content/news/tupian.md:11: 正文",
    ], result.stderr
    assert "![志愿者在社区宣传垃圾分类](../images/dot.svg)" in result.stderr
    assert '<img src="../images/dot.svg" alt="">' in result.stderr
    config = site / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("language: zh", "language: en"), "utf-8"
    )
    english = yizhan(site, "check")
    assert "the picture images/dot.svg has no description" in english.stderr, english.stderr


def test_what_a_pasted_wechat_article_fetches_from_other_sites_is_told_at_its_line(
    tmp_path: Path,
) -> None:
    """A WeChat article copied into the site brings pictures on WeChat's host, which refuses
    other sites (readers saw "未经允许不可引用"), pictures that only WeChat's script shows
    (``data-src``), video players and scripts: each makes the page fetch from another site or
    shows nothing, and was published without a word. Each is a warning at its line, in every
    text (an article, a free page, a milestone); links to other sites, a picture shown as code
    and a picture of the site's own are not."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    wx = "https://mmbiz.qpic.cn/mmbiz_jpg/AbC123/640?wx_fmt=jpeg"
    write_tree(
        site,
        {
            "content/news/2026/wx.md": f"""\
            ---
            title: 转载
            date: 2026-11-02
            image: {wx}
            ---
            ![开幕]({wx})

            <section style="background-image: url(&quot;//mmbiz.qpic.cn/b/0?wx_fmt=png&quot;);">
            <p>原文见<a href="https://mp.weixin.qq.com/s/AbCd">公众号</a>。</p>
            </section>
            <img data-src="https://mmbiz.qpic.cn/mmbiz_png/Xy/640" alt="合影" class="rich_pages">
            <img alt="站内" src="../../images/dot.svg"> `![代码](https://a.example/x.png)`
            <iframe src="https://v.qq.com/txp/iframe/player.html?vid=x01" allowfullscreen>
            </iframe><iframe src="//player.bilibili.com/player.html?bvid=BV1"></iframe>
            <script src="https://res.wx.qq.com/open/js/jweixin-1.6.0.js"></script>
            <script>var x = 1;</script>
            ![海报](http://img.example.com/a.jpg) <IMG SRC='https://a.example/b.png' alt="b">
            """,
            "content/about.md": "# 关于\n\n![驿站](https://a.example/c.png)\n",
            "content/timeline/wx.yml": "- date: 2026-01\n  title: 甲\n"
            "  body: |\n    说明。\n    ![照片](https://a.example/d.png)\n",
        },
    )
    result = yizhan(site, "check")
    assert result.returncode == 1
    told = [
        (line.split(": ", 1)[0], line.rsplit(" ", 1)[-1].rstrip("]"))
        for line in result.stderr.splitlines()
        if "remote-image" in line or ".lazy-image" in line or ".embed" in line or ".script" in line
    ]
    assert told == [
        ("content/about.md:3", "body.remote-image"),
        ("content/news/2026/wx.md:4", "field.remote-image"),
        ("content/news/2026/wx.md:6", "body.remote-image"),
        ("content/news/2026/wx.md:8", "body.remote-image"),
        ("content/news/2026/wx.md:11", "body.lazy-image"),
        ("content/news/2026/wx.md:13", "body.embed"),
        ("content/news/2026/wx.md:14", "body.embed"),
        ("content/news/2026/wx.md:15", "body.script"),
        ("content/news/2026/wx.md:16", "body.script"),
        ("content/news/2026/wx.md:17", "body.remote-image"),
        ("content/news/2026/wx.md:17", "body.remote-image"),
        ("content/timeline/wx.yml:5", "body.remote-image"),
    ], result.stderr
    err = result.stderr
    assert "图片 //mmbiz.qpic.cn/b/0?wx_fmt=png 在别的网站（mmbiz.qpic.cn）上：微信不允许" in err
    assert "（img.example.com）上：读者每打开一次这一页都要去那个网站取图" in err
    assert "![说明](../../images/文件名.jpg)" in err and "![说明](images/文件名.jpg)" in err
    assert "如 [观看视频](https://player.bilibili.com/player.html?bvid=BV1)" in err
    assert "写成 image: images/文件名.jpg [警告 field.remote-image]" in err
    assert "mp.weixin" not in err and "a.example/x.png" not in err and "dot.svg" not in err
    config = site / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("language: zh", "language: en"), "utf-8"
    )
    english = yizhan(site, "check").stderr
    assert (
        "the cover https://mmbiz.qpic.cn/mmbiz_jpg/AbC123/640?wx_fmt=jpeg is on another "
        "site (mmbiz.qpic.cn): WeChat refuses its pictures to other sites" in english
    ), english
    assert "this picture has a data-src and no src" in english


def test_a_picture_on_the_editors_own_disk_is_told_at_its_line(tmp_path: Path) -> None:
    """Typora and Word write a picture dropped into a text as its path on the editor's disk
    (``C:\\Users\\…\\image.png``, ``file:///D:/…``): no reader has it, and ``check`` said
    nothing (read as an address, it was neither missing nor another site's)."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    write_tree(
        site,
        {
            "content/news/disk.md": """\
            ---
            title: 本机图片
            date: 2026-11-02
            image: C:/Users/me/Desktop/a.jpg
            ---
            ![截图](C:\\Users\\me\\AppData\\Roaming\\Typora\\typora-user-images\\b.png)
            <img alt="合影" src="file:///D:/照片/c.jpg">
            见 C:/Windows 说明与[本站](../about.md)。
            """,
        },
    )
    result = yizhan(site, "check")
    told = [line.split(": ", 1)[0] + " " + line.rsplit(" ", 1)[-1] for line in
            result.stderr.splitlines() if "local-image" in line]  # fmt: skip
    assert told == [
        "content/news/disk.md:4 field.local-image]",
        "content/news/disk.md:6 body.local-image]",
        "content/news/disk.md:7 body.local-image]",
    ], result.stderr
    assert "如 ![说明](../images/文件名.jpg)" in result.stderr


def test_a_missing_image_is_a_warning_at_its_line(tmp_path: Path) -> None:
    """``image:`` is read from the content folder (``./``, ``../``: from the file): one that
    names no file is a warning, so ``check`` stops a cover a visitor would see broken."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    news = site / "content/news/2026"
    news.mkdir(parents=True)
    heads = {
        "cover.md": "image: images/cover.jpg",  # no such file
        "dot.md": "image: images/dot.svg",  # from the content folder
        "up.md": "image: ../../images/dot.svg",  # from the file
        "wrong-up.md": "image: ../images/dot.svg",  # from the file: content/news/images/
        "web.md": "image: https://example.org/a.jpg",
    }
    for name, line in heads.items():
        (news / name).write_text(
            f"---\ntitle: 封面\ndate: 2026-11-02\n{line}\n---\n正文\n", encoding="utf-8"
        )
    result = yizhan(site, "check")
    assert result.returncode == 1
    told = [line for line in result.stderr.splitlines() if "field.missing-file" in line]
    assert told == [
        "content/news/2026/cover.md:4: image: 文件不存在：images/cover.jpg"
        "（路径从内容文件夹算起；以 ./ 或 ../ 开头时相对于本文件） [警告 field.missing-file]",
        "content/news/2026/wrong-up.md:4: image: 文件不存在：../images/dot.svg"
        "（路径从内容文件夹算起；以 ./ 或 ../ 开头时相对于本文件） [警告 field.missing-file]",
    ]
    for name in ("cover.md", "wrong-up.md", "web.md"):  # web.md's: field.remote-image
        (news / name).unlink()
    assert yizhan(site, "check").returncode == 0


def test_a_file_named_in_another_case_is_told_with_the_name_to_write(tmp_path: Path) -> None:
    """``images/Dot.SVG`` for ``images/dot.svg``: a Windows disk ignores case, so the editor's
    preview showed it and the published site did not; "no such file" named a file the editor
    could see. Now the warning says the file's own name, for a cover and for a link alike."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    write_tree(
        site,
        {
            "content/news/2026/case.md": "---\ntitle: 封面\ndate: 2026-11-02\n"
            'image: images/Dot.SVG\n---\n正文 ![图](../../Images/dot.svg "图")\n'
            "[关于](./../../About.md#a)\n",
            "content/events/case.md": "---\ntitle: 甲\nstart: 2026-12-01 14:00\n"
            "image: ../IMAGES/dot.svg\n---\n",
        },
    )
    result = yizhan(site, "check")
    told = [line for line in result.stderr.splitlines() if "case.md" in line]
    assert told == [
        "content/events/case.md:4: image: 文件名的大小写不对：文件叫 ../images/dot.svg，这里写的是 "
        "../IMAGES/dot.svg。Windows 不分大小写，本机预览看得到；发布的网站分大小写，会找不到它："
        "写成 ../images/dot.svg [警告 field.file-case]",
        "content/news/2026/case.md:4: image: 文件名的大小写不对：文件叫 images/dot.svg，这里写的是 "
        "images/Dot.SVG。Windows 不分大小写，本机预览看得到；发布的网站分大小写，会找不到它："
        "写成 images/dot.svg [警告 field.file-case]",
        "content/news/2026/case.md:6: 正文: 链接里文件名的大小写不对：../../Images/dot.svg "
        "应写成 ../../images/dot.svg。Windows 不分大小写，本机预览能打开；发布的网站分大小写，"
        "会找不到这个文件 [警告 link.file-case]",
        "content/news/2026/case.md:7: 正文: 链接里文件名的大小写不对：./../../About.md#a "
        "应写成 ../../about.md#a。Windows 不分大小写，本机预览能打开；发布的网站分大小写，"
        "会找不到这个文件 [警告 link.file-case]",
    ]


def test_links_to_missing_files_are_reported_at_their_line_with_every_other_problem(
    tmp_path: Path,
) -> None:
    """A link in an article to a file the content folder lacks is a warning at its line, in
    Chinese: ``check`` fails on it, reported with the run's other problems; ``build
    --strict`` fails and leaves the last site as it was. Links shown as code, to files that
    exist, and to a heading they have are not problems."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    assert yizhan(site, "build").returncode == 0
    before = tree_digest(site / "site")
    write_tree(
        site,
        {
            "content/news/2026/badlink.md": (
                "---\ntitle: 坏链接\ndate: 2026-11-01\n---\n"
                "见[活动](../../events/salon.md)和[关于](../../about.md#关于我们)。\n\n"
                "另见[不存在](../../events/no-such.md)，\n"
                "![图](../../images/none.png)\n\n`[示例](nowhere.md)`\n"
            ),
            "content/events/bad-venue.md": (
                "---\ntitle: 错场地\nstart: 2026-12-01 14:00\nvenue: nowhere\n---\n"
            ),
            # a free page, which MkDocs renders: check sees what build --strict stops on
            "content/guide.md": (
                "# 指南\n\n[订阅](subscribe/index.md)、[沙龙](events/salon.md)\n\n"
                "[旧活动](events/gone.md)\n"
            ),
        },
    )
    result = yizhan(site, "check")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert [line for line in lines if "link.missing" in line and "badlink" in line] == [
        "content/news/2026/badlink.md:7: 正文: 链接的文件不存在：../../events/no-such.md"
        "（相对于本文件；访问者会打开一个不存在的网页） [警告 link.missing]",
        "content/news/2026/badlink.md:8: 正文: 链接的文件不存在：../../images/none.png"
        "（相对于本文件；访问者会打开一个不存在的网页） [警告 link.missing]",
    ]
    assert any(line.startswith("content/events/bad-venue.md:4: venue:") for line in lines)
    assert any(
        line.startswith("content/guide.md:5: 正文: 链接的文件不存在：events/gone.md")
        for line in lines
    )
    assert sum("link.missing" in line for line in lines) == 3
    (site / "content/events/bad-venue.md").unlink()
    result = yizhan(site, "build", "--strict")
    assert result.returncode != 0
    assert "content/news/2026/badlink.md:7: 正文: 链接的文件不存在" in result.stderr
    assert tree_digest(site / "site") == before


def test_check_is_clean_on_the_fixture_and_new_files_pass_it(tmp_path: Path) -> None:
    """New files pass ``check`` once their text is written: before, each is told at the line
    of its template's placeholder, which would be published as it is."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    assert yizhan(site, "check").returncode == 0
    for kind, title in [
        ("news", "新春走访慰问"),
        ("event", "读书会·三月"),
        ("branch", "人力资源党支部"),
        ("club", "瑜伽社"),
        ("venue", "楼宇服务站"),
    ]:
        result = yizhan(site, "new", kind, title)
        assert result.returncode == 0, result.stderr
        created = site / result.stdout.strip()
        assert created.is_file()
        assert re.fullmatch(r"[a-z0-9-]+\.md", created.name)
    assert (
        (site / "content/news/xin-chun-zou-fang-wei-wen.md")
        .read_text(encoding="utf-8")
        .startswith('---\ntitle: "新春走访慰问"\ndate: 2026-11-22')
    )
    told = yizhan(site, "check").stderr.splitlines()
    assert len([line for line in told if "[警告 body.placeholder]" in line]) == 5, told
    assert "content/news/xin-chun-zou-fang-wei-wen.md:13: 正文: 正文还是模板里的" in "\n".join(told)
    write_the_texts(site)
    result = yizhan(site, "check")
    assert result.returncode == 0, result.stderr
    assert yizhan(site, "new", "news", "新春走访慰问").returncode == 1  # never overwrites


def write_the_texts(site: Path) -> None:
    """What an editor does with a new file: its placeholder line replaced by a text."""
    for path in (site / "content").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        written = re.sub(r"^(在这里写|Write |Describe |Introduce ).*$", "正文。", text, flags=re.M)
        if written != text:
            path.write_text(written, encoding="utf-8")


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_field_new_explains_is_accepted_by_check(tmp_path: Path, language: str) -> None:
    """``yizhan new`` explains each optional field in the site's language, with an example
    that ``check`` accepts once uncommented: its references name the site's own ids."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    config = site / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("language: zh", f"language: {language}"),
        "utf-8",
    )
    words = {"zh": "在这里写", "en": "here (Markdown)"}[language]
    for kind in ("venue", "branch", "club", "news", "event"):
        result = yizhan(site, "new", kind, f"示例 {kind}")
        assert result.returncode == 0, result.stderr
        path = site / result.stdout.strip()
        text = path.read_text(encoding="utf-8")
        assert words in text
        # every example but the alternatives to what is already written (end, a timed start)
        text = re.sub(r"^# (?!duration|all_day)", "", text, flags=re.M)
        text = text.replace("draft: true", "")  # (the example ids are the site's own)
        path.write_text(text, encoding="utf-8")
    for picture in ("logo.svg", "club.jpg", "cover.jpg", "venue.jpg"):  # the examples' images
        (site / "content/images" / picture).write_bytes(b"x")
    write_the_texts(site)
    result = yizhan(site, "check")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("language", ["zh", "en"])
def test_new_on_a_new_site_names_no_other_sites_ids(tmp_path: Path, language: str) -> None:
    """On a site with no branch, club or venue yet, ``yizhan new``'s reference lines named the
    demo's (``# parent: nbswq-dgw``): uncommented, ``check`` found them unknown. They are
    left empty and say what to make first; uncommented, ``check`` passes."""
    site = tmp_path / "s"
    (site / "content").mkdir(parents=True)
    config = (FIXTURE_SITE / "mkdocs.yml").read_text(encoding="utf-8")
    (site / "mkdocs.yml").write_text(config.replace("language: zh", f"language: {language}"))
    made = []
    for kind in ("event", "branch", "club"):
        result = yizhan(site, "new", kind, f"第一个 {kind}")
        assert result.returncode == 0, result.stderr
        made.append(site / result.stdout.strip())
    lines = [
        line
        for path in made
        for line in path.read_text(encoding="utf-8").splitlines()
        if re.match(r"# (branch|club|venue|parent): ", line)
    ]
    assert len(lines) == 6, lines  # an event's three, a branch's parent, a club's two
    values = [re.sub(r"^# \w+: (.*?) +#.*$", r"\1", line) for line in lines]
    # no example id of another site's; the club made after the branch names it
    assert values == ["", "", "", "", "di-yi-ge-branch", ""], values
    hint = {"zh": "先用 yizhan new venue 新建", "en": "no venue yet: yizhan new venue"}[language]
    assert any(hint in line for line in lines)
    for path in made:
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"^# (branch|club|venue|parent): ", r"\1: ", text, flags=re.M)
        path.write_text(text, encoding="utf-8")
    write_the_texts(site)
    result = yizhan(site, "check")
    assert result.returncode == 0, result.stderr


def test_new_gives_long_and_unspellable_titles_a_file_of_their_own(tmp_path: Path) -> None:
    """A 200-character title gets a short id (its pinyin would pass file systems' limit);
    titles with nothing to spell (punctuation, emoji) get the kind and the day, numbered;
    the files pass ``check`` and keep the title as written."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    long = "商务区党群服务中心开展楼宇党建联建共建主题活动" * 8
    made = []
    for kind, title in [("club", long), ("event", "！！！"), ("event", "🎉🎉"), ("news", "……")]:
        result = yizhan(site, "new", kind, title)
        assert result.returncode == 0, result.stderr
        made.append(site / result.stdout.strip())
    assert len(made[0].stem) <= 60 and made[0].stem.startswith("shang-wu-qu-dang-qun")
    assert [p.name for p in made[1:3]] == ["event-20261122.md", "event-20261122-2.md"]
    assert made[3].name == "news-20261122.md"
    assert long in made[0].read_text(encoding="utf-8")
    write_the_texts(site)
    result = yizhan(site, "check")
    assert result.returncode == 0, result.stderr


def test_check_uses_the_builds_kept_results_and_still_reports_every_problem(
    tmp_path: Path,
) -> None:
    """``yizhan check`` keeps and reads what a build keeps (issue 5: a district's check took
    ~20 s, ~11 s with them); a problem made after a clean check is reported all the same,
    with its line; ``fast: false`` keeps nothing."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    assert yizhan(site, "check").returncode == 0
    memo = site / ".cache/yizhan/memo"
    tables = sorted(p.name for p in memo.iterdir())
    assert "ical.vevents" in " ".join(tables) and "validate.made" in " ".join(tables), tables
    event = site / "content/events/salon.md"
    event.write_text(
        event.read_text(encoding="utf-8").replace("title:", "satus: cancelled\ntitle:", 1),
        encoding="utf-8",
    )
    result = yizhan(site, "check")
    assert result.returncode == 1 and "content/events/salon.md:2: satus:" in result.stderr
    assert yizhan(site, "check").returncode == 1  # the warning is kept with the document
    other = copy_site(FIXTURE_SITE, tmp_path / "t")
    set_fast(other, "false")
    assert yizhan(other, "check").returncode == 0
    assert not (other / ".cache").exists()


def test_output_never_escapes_site_folder(tmp_path: Path) -> None:
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    evil = site / "content" / "news" / "evil.md"
    evil.write_text(
        "---\ntitle: x\ndate: 2026-11-01\nslug: ../../etc\ntags: [../../x]\n---\n", encoding="utf-8"
    )
    result = yizhan(site, "build")
    assert result.returncode != 0
    assert "content/news/evil.md:4: slug:" in result.stderr
    assert not (tmp_path / "etc").exists()


def test_materialise_writes_the_plan(tmp_path: Path) -> None:
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    result = yizhan(site, "materialise", str(tmp_path / "plan"))
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "plan" / "events" / "salon" / "index.md").read_text(encoding="utf-8")
    assert '"template": "yizhan/event.html"' in page
    assert (tmp_path / "plan" / "calendar.ics").is_file()
    # a complete docs folder for another engine: the free pages and files the pages link to,
    # not the entities' own files (they are pages of the plan)
    content = site / "content"
    for rel in ("about.md", "images/dot.svg"):
        assert (tmp_path / "plan" / rel).read_bytes() == (content / rel).read_bytes()
    assert not (tmp_path / "plan" / "events" / "salon.md").exists()
    assert not (tmp_path / "plan" / "timeline").joinpath("main.yml").exists()
    home = (tmp_path / "plan" / "index.md").read_text(encoding="utf-8")
    assert '"template": "yizhan/home.html"' in home  # the plan's home page, not content's


def test_a_site_repository_with_only_content_and_the_plugin_builds(tmp_path: Path) -> None:
    """Someone else's repository: no theme folder of ours, Chinese file names, few fields."""
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: 小区驿站\nsite_url: https://org.github.io/site/\ndocs_dir: docs\n"
        "theme:\n  name: material\nplugins:\n  - yizhan\n",
        encoding="utf-8",
    )
    files = {
        "docs/events/一次活动.md": "---\ntitle: 唯一活动\nstart: 2026-12-01\n---\n",
        "docs/branches/第一党支部.md": "---\nname: 第一党支部\n---\n",
        "docs/news/通知.md": "---\ntitle: 通知\ndate: 2026年11月20日\nbranch: 第一党支部\n---\n正文![图](../images/a.svg)\n",
        "docs/images/a.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>',
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    result = mkdocs(tmp_path, "build", "--strict")
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    assert (site / "events" / "yi-ci-huo-dong" / "index.html").is_file()
    assert "第一党支部" in (site / "news" / "tong-zhi" / "index.html").read_text(encoding="utf-8")
    assert (site / "assets" / "stylesheets" / "calendar.css").is_file()
    assert (site / "branches" / "di-yi-dang-zhi-bu" / "calendar.ics").is_file()
    # Feeds resolve links from the editor's file inside docs_dir, whatever that folder is named.
    assert 'src="https://org.github.io/site/images/a.svg"' in (site / "rss.xml").read_text(
        encoding="utf-8"
    ).replace("&quot;", '"')


@pytest.mark.parametrize("fast", ["false", "true"])
@pytest.mark.parametrize("content", [{}, {"index.md": "# 欢迎\n"}, {"about.md": "# 关于\n"}])
def test_a_new_site_with_no_dated_page_builds(
    tmp_path: Path, fast: str, content: dict[str, str]
) -> None:
    """README's "Your own site" starts from an empty content folder, then an index.md: no
    page has a day of its own yet. MkDocs dates its compressed sitemap by the newest page's
    day and failed on none ("Invalid isoformat string: ''"), so the new site did not build."""
    write_tree(
        tmp_path,
        {
            "mkdocs.yml": "site_name: 新驿站\nsite_url: https://org.github.io/site/\n"
            f"theme:\n  name: material\nplugins:\n  - yizhan:\n      fast: {fast}\n",
            "docs/.keep": "",
            **{f"docs/{name}": text for name, text in content.items()},
        },
    )
    result = yizhan(tmp_path, "build")
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    plain = (site / "sitemap.xml").read_bytes()
    assert b"<loc>https://org.github.io/site/events/</loc>" in plain
    assert b"<lastmod>" not in plain  # no page has a day of its own: none is told
    packed = (site / "sitemap.xml.gz").read_bytes()
    assert gzip.decompress(packed) == plain
    # the archive's time is the build's (SOURCE_DATE_EPOCH's day), as MkDocs gives a site
    day = int(EPOCH) // 86400 * 86400
    assert day <= int.from_bytes(packed[4:8], "little") <= int(EPOCH)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_site_without_its_content_folder_is_told_in_its_language(
    tmp_path: Path, language: str
) -> None:
    """A new site's content emptied and pushed has no content folder in the clone (Git keeps
    no empty folder): check said the content was clean, then the build stopped on MkDocs'
    English “Config value 'docs_dir': … isn't an existing directory”."""
    write_tree(
        tmp_path,
        {
            "mkdocs.yml": "site_name: 新驿站\nsite_url: https://org.github.io/site/\n"
            f"docs_dir: content\ntheme:\n  name: material\n  language: {language}\n"
            "plugins:\n  - yizhan\n",
        },
    )
    told = "does not exist" if language == "en" else "不存在"
    for command in ("check", "build"):
        result = yizhan(tmp_path, command)
        assert result.returncode == 1, command
        assert "mkdocs.yml:1: docs_dir: " in result.stderr, result.stderr
        assert told in result.stderr and "content/index.md" in result.stderr
        assert "config.content-missing" in result.stderr and "Config value" not in result.stderr
    assert not (tmp_path / "content").exists() and not (tmp_path / "site").exists()
    # with no docs_dir, the content folder is MkDocs' default docs/ for check and new too
    config = (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(config.replace("docs_dir: content\n", ""), "utf-8")
    write_tree(tmp_path, {"docs/news/a.md": "---\ntitle: 通知\ndate: 2026-11-01\nsatus: x\n---\n"})
    result = yizhan(tmp_path, "check")
    assert result.returncode == 1 and "docs/news/a.md:4: satus" in result.stderr, result.stderr
    assert yizhan(tmp_path, "new", "news", "第二篇").returncode == 0
    assert (
        list((tmp_path / "docs" / "news").glob("*.md"))[1:] and not (tmp_path / "content").exists()
    )


def article_text(site: Path, page: str) -> str:
    """A built page's article as a resident reads it: tags dropped, spaces collapsed."""
    import html

    raw = (site / page / "index.html").read_text(encoding="utf-8")
    article = re.search(r"<article.*?</article>", raw, re.S)
    assert article is not None, page
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", article.group(0)))).strip()


@pytest.mark.parametrize(("language", "fast"), [("zh", "false"), ("en", "true")])
def test_a_growing_new_site_says_plainly_what_it_has_not_got_yet(
    tmp_path: Path, language: str, fast: str
) -> None:
    """README's "Your own site", stage by stage: with nothing yet, the home page showed
    “0个 党组织 / 0个 社团 / 0场 2026年活动” and headings with nothing under them, the
    directories “共 0 个党组织。”, the timeline its title alone. With one branch and one club
    of no category, the English home read “1 Branches”, “1 Clubs”, and the club directory
    put the only club under “Other” (其他)."""
    en = language == "en"
    write_tree(
        tmp_path,
        {
            "mkdocs.yml": "site_name: 新驿站\nsite_url: https://org.github.io/site/\n"
            f"theme:\n  name: material\n  language: {language}\n"
            f"plugins:\n  - yizhan:\n      fast: {fast}\n",
            "docs/.keep": "",
        },
    )
    assert yizhan(tmp_path, "build").returncode == 0
    site = tmp_path / "site"
    home = article_text(site, ".")
    assert "0" not in home  # no figure of nothing
    for heading in ["Branches", "Clubs", "At a glance"] if en else ["党组织", "社团", "数说驿站"]:
        assert heading not in home, heading
    expected = {
        "branches": "No branches yet." if en else "暂无党组织。",
        "clubs": "No clubs yet." if en else "暂无社团。",
        "venues": "No venues yet." if en else "暂无阵地。",
        "timeline": "No milestones yet." if en else "暂无大事记。",
    }
    for page, words in expected.items():
        text = article_text(site, page)
        assert words in text and "0" not in text, (page, text)
    # one branch, one club of no category: the figures, and the directory without "Other"
    write_tree(
        tmp_path,
        {
            "docs/branches/first.md": "---\nname: 第一党支部\n---\n",
            "docs/clubs/calligraphy.md": "---\nname: 书法社\n---\n",
        },
    )
    assert yizhan(tmp_path, "build").returncode == 0
    home = article_text(site, ".")
    year = time.gmtime(int(EPOCH)).tm_year
    if en:
        assert "1 Branch 1 Club" in home
    else:
        assert "1 个 党组织 1 个 社团" in home
    assert ("Activit" if en else f"{year}年活动") not in home  # none this year: no figure
    assert "第一党支部" in home and "书法社" in home
    clubs = article_text(site, "clubs")
    assert ("1 club." if en else "共 1 个社团。") in clubs and "书法社" in clubs
    assert ("Other" if en else "其他") not in clubs
    for page in site.rglob("*.html"):  # no heading is left empty, at either stage
        assert not re.search(r"<h[1-6][^>]*>\s*</h[1-6]>", page.read_text(encoding="utf-8"))


def test_a_symlink_cannot_publish_files_from_outside_the_site(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret", encoding="utf-8")
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    (site / "content" / "images" / "leak.txt").symlink_to(secret)
    result = yizhan(site, "build")  # an error now, at its path (it was left out with a warning)
    assert result.returncode == 1, result.stderr
    assert not (site / "site").exists()
    assert "content/images/leak.txt:1:" in result.stderr and "file.symlink-outside" in result.stderr


def test_a_free_page_cannot_take_a_generated_url(tmp_path: Path) -> None:
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    (site / "content" / "subscribe.md").write_text("# 我的订阅页\n", encoding="utf-8")
    result = yizhan(site, "build")
    assert result.returncode != 0
    assert "content/subscribe.md:1: 网址 /subscribe/ 是自动生成的页面" in result.stderr


def test_files_are_never_written_through_a_link(tmp_path: Path) -> None:
    from generator.lean.cache import FileCache
    from generator.mkdocs_engine.output import write_files
    from generator.plan import FileSpec

    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim.ics"
    victim.write_bytes(b"keep me")
    site = tmp_path / "site"
    (site / "events" / "a").mkdir(parents=True)
    (site / "events" / "a" / "event.ics").symlink_to(victim)
    cache = FileCache(tmp_path / "cache")
    write_files(site, [FileSpec("events/a/event.ics", b"new")], cache)
    assert victim.read_bytes() == b"keep me"
    assert (site / "events" / "a" / "event.ics").read_bytes() == b"new"
    # A folder that is a link out of the site is refused before anything is written.
    (site / "branches").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ValueError, match="escapes the site folder"):
        write_files(site, [FileSpec("branches/victim.ics", b"x")], cache)
    assert victim.read_bytes() == b"keep me"


def test_a_build_failing_after_planning_leaves_no_process_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The feeds are made in forked processes from on_config until on_post_build; when the
    build fails in between (a page of MkDocs' own, say), ``yizhan serve`` goes on living and
    must not keep them waiting on their pipes."""
    forked = record_forks(monkeypatch)
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    config = load_config(str(site / "mkdocs.yml"))
    config.plugins.on_startup(command="serve", dirty=False)
    config = config.plugins.on_config(config)
    config.plugins.on_build_error(error=RuntimeError("a page failed"))
    assert_reaped(forked)


def toc_labels_without_their_control(site: Path) -> tuple[list[str], int]:
    """Pages whose ``<label for="__toc">`` names no single ``id="__toc"`` control, and how many
    pages outside the navigation have such a label at all."""
    broken, outside = [], 0
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        if 'for="__toc"' not in html:
            continue
        if "md-nav__link--active" not in html:
            outside += 1
        if html.count('id="__toc"') != 1:
            broken.append(page.relative_to(site).as_posix())
    return broken, outside


@pytest.mark.parametrize("fast", ["false", "true"])
def test_the_table_of_contents_title_names_a_control(tmp_path: Path, fast: str) -> None:
    # Material's TOC title is a <label for="__toc">; only the navigation made the control, so
    # on activities and articles (outside it) the label named nothing (the Nu HTML checker).
    site = copy_site(FIXTURE_SITE, tmp_path)
    set_fast(site, fast)
    result = yizhan(site, "build", "--strict")
    assert result.returncode == 0, result.stderr
    broken, outside = toc_labels_without_their_control(site / "site")
    assert outside > 0, "the fixture has pages outside the navigation with a table of contents"
    assert broken == []


def test_the_home_page_title_is_the_site_name_once(built: Path) -> None:
    site_name = load_config(str(built.parent / "mkdocs.yml")).site_name
    title = re.search(r"<title>(.*?)</title>", (built / "index.html").read_text(encoding="utf-8"))
    assert title is not None and title.group(1) == site_name
    news = re.search(
        r"<title>(.*?)</title>", (built / "news/index.html").read_text(encoding="utf-8")
    )
    assert news is not None and news.group(1).endswith(f" - {site_name}")


def test_a_replaced_site_is_deleted_at_the_lowest_priority(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A replaced site (~500 MB on a district) is deleted by a detached process that yields
    the processor to the build, or to ``yizhan serve``'s next rebuild. The process records its
    niceness when it ends (a ``sitecustomize`` on its path), so nothing here races it."""
    import os

    from generator.mkdocs_engine import output

    hook = tmp_path / "hook"
    hook.mkdir()
    report = tmp_path / "niceness"
    (hook / "sitecustomize.py").write_text(
        "import atexit, os\n"
        f"atexit.register(lambda: open({str(report)!r}, 'w').write(str(os.nice(0))))\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PYTHONPATH", str(hook))
    old = tmp_path / ".site.old-1"
    for folder in ("events/a", "news/b"):
        (old / folder).mkdir(parents=True)
        (old / folder / "index.html").write_text("<p>旧</p>", encoding="utf-8")
    output.discard([old])
    deadline = time.monotonic() + 30
    while not (report.exists() and report.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)  # written as the process ends, after the removal
    assert not old.exists()
    assert int(report.read_text(encoding="utf-8")) == min(19, os.nice(0) + 19)


def test_the_new_site_takes_the_old_ones_place_in_one_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two renames (the old site aside, the new one in) left no site at all when the build
    was killed between them; on Linux the two folders are exchanged in one step, the old
    site's hidden files (a gh-pages worktree's .git) kept."""
    import os
    import sys

    from generator.mkdocs_engine import output

    if not sys.platform.startswith("linux"):
        pytest.skip("an exchange in one step is Linux's")
    final, built = tmp_path / "site", tmp_path / ".site.building-1-ab"
    for folder, text in ((final, "旧"), (built, "新")):
        folder.mkdir()
        (folder / "index.html").write_text(text, encoding="utf-8")
    (final / ".git").write_text("gitdir: ../.git/worktrees/site", encoding="utf-8")
    moved: list[tuple[str, str]] = []
    replace = os.replace

    def recording(src: str | Path, dst: str | Path) -> None:
        moved.append((str(src), str(dst)))
        replace(src, dst)

    monkeypatch.setattr(os, "replace", recording)
    output.swap_in(built, final)
    assert (final / "index.html").read_text(encoding="utf-8") == "新"
    assert (final / ".git").read_text(encoding="utf-8").startswith("gitdir:")
    assert [src for src, _ in moved if src == str(final)] == []  # never moved aside


@pytest.mark.parametrize("fast", ["false", "true"])
def test_the_site_is_readable_by_a_web_server_of_another_user(tmp_path: Path, fast: str) -> None:
    """nginx runs as www-data, and ``cp -a`` or ``rsync -a`` keep modes: every folder of the
    site (the site's own included: it was built in a folder only its owner could read) and
    every file is as the umask makes them, readable by others under the usual 022."""
    import os
    import stat

    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    set_fast(site, fast)
    before = os.umask(0o022)
    try:
        result = yizhan(site, "build", "--strict")
    finally:
        os.umask(before)
    assert result.returncode == 0, result.stderr
    out = site / "site"
    closed = [
        path.relative_to(site).as_posix()
        for path in [out, *out.rglob("*")]
        if not path.is_symlink()
        and path.stat().st_mode & (0o005 if path.is_dir() else 0o004)
        != (0o005 if path.is_dir() else 0o004)
    ]
    assert closed == []
    assert stat.S_IMODE(out.stat().st_mode) == 0o755


def test_the_first_news_card_image_is_fetched_at_once_the_rest_lazily(tmp_path: Path) -> None:
    """The first card's image on /news/ is the largest thing a phone shows first (Lighthouse's
    largest contentful paint): fetched at once with high priority; every other card image, and
    those on the home page below its calendar, load lazily."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    for name, day in (("newest", "2026-11-20"), ("older", "2020-01-01")):
        (site / "content" / "news" / f"{name}.md").write_text(
            f"---\ntitle: 活动回顾{day}\ndate: {day}\nimage: ../images/dot.svg\n---\n回顾。\n",
            encoding="utf-8",
        )
    result = yizhan(site, "build", "--strict")
    assert result.returncode == 0, result.stderr

    def card_images(rel: str) -> list[str]:
        html = (site / "site" / rel).read_text(encoding="utf-8")
        return re.findall(r'<img class="yz-card__image"[^>]*>', html)

    first, *rest = card_images("news/index.html")
    assert 'fetchpriority="high"' in first and "lazy" not in first
    assert rest and all('loading="lazy"' in img and "fetchpriority" not in img for img in rest)
    home = card_images("index.html")
    assert home and all('loading="lazy"' in img for img in home)


@pytest.mark.parametrize("spelling", ["images/dot.png", "/images/dot.png", "../images/dot.png"])
def test_an_image_field_leads_to_the_published_file_however_it_is_written(
    tmp_path: Path, spelling: str
) -> None:
    """SPEC's ``image``: from the content root, or from the file with ``./`` / ``../``. An
    article's card, cover, sharing image and feeds, and an activity's sharing image and
    structured data, all lead to the file MkDocs published (``content/images/dot.png`` at
    ``images/dot.png``), never to a ``content/`` path that does not exist."""
    import json
    from urllib.parse import urljoin

    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    (site / "content" / "images" / "dot.png").write_bytes(PNG)
    (site / "content" / "news" / "cover.md").write_text(
        f"---\ntitle: 封面新闻\ndate: 2026-11-20\nimage: {spelling}\n---\n正文。\n",
        encoding="utf-8",
    )
    (site / "content" / "events" / "poster.md").write_text(
        f"---\ntitle: 海报活动\nstart: 2026-12-20 10:00\nimage: {spelling}\n---\n说明。\n",
        encoding="utf-8",
    )
    branch = site / "content" / "branches" / "caizhi.md"
    text = branch.read_text(encoding="utf-8")
    branch.write_text(text.replace("members: 38\n", f"members: 38\nimage: {spelling}\n"), "utf-8")
    result = yizhan(site, "build", "--strict")
    assert result.returncode == 0, result.stderr
    out, published = site / "site", "https://example.org/repo/images/dot.png"
    assert (out / "images" / "dot.png").is_file()
    # a branch's picture under its name (the h1 right above): a screen reader read it twice
    page = (out / "branches" / "caizhi" / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<img class="yz-cover" src="([^"]+)" alt="([^"]*)">', page)
    assert (
        found and urljoin("https://example.org/repo/branches/caizhi/", found.group(1)) == published
    )
    assert found.group(2) == ""

    def og_image(rel: str) -> str:
        html = (out / rel).read_text(encoding="utf-8")
        found = re.search(r'<meta property="og:image" content="([^"]+)"', html)
        assert found, rel
        return found.group(1)

    assert og_image("news/cover/index.html") == published
    assert og_image("events/poster/index.html") == published
    news = (out / "news" / "index.html").read_text(encoding="utf-8")
    card = re.search(r'<img class="yz-card__image" src="([^"]+)"', news)
    assert card and urljoin("https://example.org/repo/news/", card.group(1)) == published
    cover = (out / "news" / "cover" / "index.html").read_text(encoding="utf-8")
    figure = re.search(r'<figure class="yz-cover"><img src="([^"]+)"', cover)
    assert figure and urljoin("https://example.org/repo/news/cover/", figure.group(1)) == published
    event = (out / "events" / "poster" / "index.html").read_text(encoding="utf-8")
    data = [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', event, re.S)
    ]
    assert [d["image"] for d in data if d.get("@type") == "Event"] == [published]
    feed = json.loads((out / "feed.json").read_text(encoding="utf-8"))
    entry = next(e for e in feed["items"] if e["title"] == "封面新闻")
    assert entry["image"] == published
    assert f'src="{published}"' in (out / "rss.xml").read_text(encoding="utf-8")


def test_a_cover_on_another_site_is_its_address_as_written(tmp_path: Path) -> None:
    """``image: https://mmbiz.qpic.cn/…`` (a WeChat article's cover, pasted) was made a path of
    this site (``https://example.org/mmbiz.qpic.cn/…``): a broken cover, og:image, schema.org
    image and feed image, and the text's first picture, the same one, was shown twice."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    remote = "https://mmbiz.qpic.cn/mmbiz_jpg/AbC123/640?wx_fmt=jpeg"
    for name, spelling in (("wx.md", remote), ("proto.md", remote.removeprefix("https:"))):
        (site / "content" / "news" / name).write_text(
            f"---\ntitle: 转载{name}\ndate: 2026-11-20\nimage: {spelling}\n---\n"
            f"![开幕式现场]({remote})\n\n正文。\n",
            encoding="utf-8",
        )
    assert yizhan(site, "build").returncode == 0
    out = site / "site"
    page = (out / "news" / "wx" / "index.html").read_text(encoding="utf-8")
    assert f'<meta property="og:image" content="{remote.replace("&", "&amp;")}">' in page
    assert page.count("mmbiz.qpic.cn") == page.count(remote), page  # no other spelling of it
    assert 'class="yz-cover"' not in page  # the text opens with it: shown once
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert json.loads(block)["image"] == [remote]
    feed = json.loads((out / "feed.json").read_text(encoding="utf-8"))
    images = {e["url"].rsplit("/", 2)[-2]: e.get("image") for e in feed["items"]}
    assert images["wx"] == images["proto"] == remote  # a feed's address has its scheme
    assert "example.org/mmbiz" not in (out / "rss.xml").read_text(encoding="utf-8")
    news = (out / "news" / "index.html").read_text(encoding="utf-8")
    assert "example.org/mmbiz" not in news and "/mmbiz.qpic.cn" not in news.replace("//mmbiz", "")


PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=="
)
"""A 1x1 picture, as a photo an editor gives."""


def test_link_previews_get_no_svg_picture(tmp_path: Path) -> None:
    """WeChat's, Facebook's and X's link previews draw no SVG: og:image is the first picture
    they can draw (an article's raster picture in its text after an SVG cover), or none (an
    activity whose poster is SVG); schema.org data, which Google reads SVG in, keeps it."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    (site / "content" / "images" / "photo.png").write_bytes(PNG)
    (site / "content" / "news" / "cover.md").write_text(
        "---\ntitle: 封面新闻\ndate: 2026-11-20\nimage: images/dot.svg\n---\n"
        "正文。\n\n![图](../images/dot.svg)\n\n![照片](../images/photo.png)\n",
        encoding="utf-8",
    )
    (site / "content" / "events" / "poster.md").write_text(
        "---\ntitle: 海报活动\nstart: 2026-12-20 10:00\nimage: images/dot.svg\n---\n说明。\n",
        encoding="utf-8",
    )
    result = yizhan(site, "build", "--strict")
    assert result.returncode == 0, result.stderr
    out = site / "site"

    def head_meta(rel: str) -> dict[str, str]:
        parser = MetaReader()
        parser.feed((out / rel).read_text(encoding="utf-8"))
        return parser.meta

    article = head_meta("news/cover/index.html")
    assert article["og:image"] == "https://example.org/repo/images/photo.png"
    assert "og:image" not in head_meta("events/poster/index.html")
    event = (out / "events" / "poster" / "index.html").read_text(encoding="utf-8")
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', event, re.S)
    assert json.loads(block)["image"] == "https://example.org/repo/images/dot.svg"


class MetaReader(HTMLParser):
    """The page's <meta property> values, as a preview's crawler reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "meta" and found.get("property"):
            self.meta[found["property"] or ""] = found.get("content") or ""


def test_ctrl_c_ends_the_command_with_status_130_and_no_traceback() -> None:
    """An editor's Ctrl-C (KeyboardInterrupt anywhere in a command) leaves quietly."""
    import sys

    script = (
        "import generator.cli as cli\n"
        "def interrupted(argv=None):\n"
        "    raise KeyboardInterrupt\n"
        "cli.main = interrupted\n"
        "cli.entry()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 130
    assert "interrupted" in done.stderr and "Traceback" not in done.stderr


def test_an_english_site_reads_with_english_punctuation_numbers_and_dates(tmp_path: Path) -> None:
    """``theme.language: en``: the words the templates and feeds add around the editors'
    (Chinese) text are punctuated in English, not with full-width ``：（）、，``."""
    import html

    import icalendar

    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    config = site / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("language: zh", "language: en"), "utf-8"
    )
    assert yizhan(site, "build").returncode == 0

    def text(page: str) -> str:
        raw = (site / "site" / page / "index.html").read_text(encoding="utf-8")
        article = re.search(r"<article.*?</article>", raw, re.S)
        assert article is not None
        return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", article.group(0))))

    salon, article, timeline = text("events/salon"), text("news/escape"), text("timeline")
    assert "Repeats: Every month on the last Saturday" in salon
    assert "测试党群驿站 (宁波市鄞州区测试路 1 号)" in salon
    assert "财智行业社团党支部, 光影社" in salon and "Categories: 学习沙龙" in salon
    # moved a week earlier at its usual place: said so, without naming the place as new
    assert "Sat 19 Dec 2026, 14:00–16:30 白领沙龙·年终特别场 rescheduled" in salon
    assert "changed" not in salon and "moved to" not in salon
    assert "Every month on the last Saturday, 5 sessions" in salon
    assert "Register 50 places" in salon
    assert "From: 光影社" in article and "Tags: 文体" in article
    assert "财智行业社团党支部成立 (财智行业社团党支部)" in timeline
    for page in (salon, article, timeline):
        assert not re.search(r"[A-Za-z][：（、，]", page), page
    # numbers agree with their nouns; a milestone's date reads as far as it was written
    assert "3 branches, 150 members." in text("branches")
    assert "1 club." in text("clubs") and "1 venue." in text("venues")
    assert "Tag: 文体 1 article " in text("news/tags/wen-ti")
    assert "October 2014 财智行业社团党支部成立" in timeline
    assert "5 December 2026 首届职工运动会" in timeline and " 2012 党工委成立" in timeline
    calendar = icalendar.Calendar.from_ical((site / "site/events/salon/event.ics").read_bytes())
    event = next(iter(calendar.walk("VEVENT")))
    assert str(event["LOCATION"]) == "测试党群驿站 (宁波市鄞州区测试路 1 号)"
    assert "Organisers: 财智行业社团党支部, 光影社" in str(event["DESCRIPTION"])
    assert "https://form.example.org/salon, 50 places" in str(event["DESCRIPTION"])


@pytest.mark.parametrize(("language", "fast"), [("zh", "true"), ("zh", "false"), ("en", "true")])
def test_footnotes_link_back_in_the_sites_language(
    tmp_path: Path, language: str, fast: str
) -> None:
    """python-markdown titles a footnote's link back to the text in English; on a Chinese site
    the article's page (lean or MkDocs'), a free page and the RSS entry title it in Chinese."""
    import feedparser

    site = copy_site(FIXTURE_SITE, tmp_path / "site")
    set_fast(site, fast)
    config = site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "  - attr_list\n", "  - attr_list\n  - footnotes\n"
    )
    config.write_text(text.replace("language: zh", f"language: {language}"), encoding="utf-8")
    body = "社区食堂开业[^1]，欢迎居民就餐。\n\n[^1]: 每天 11:00–13:00 供应午餐。\n"
    write_tree(
        site / "content",
        {
            "news/shitang.md": f"---\ntitle: 社区食堂开业\ndate: 2026-11-20 09:00\n---\n{body}",
            "about.md": f"# 关于\n\n{body}",
        },
    )
    done = yizhan(site, "build")
    assert done.returncode == 0, done.stderr
    title = "返回正文中脚注 1 的位置" if language == "zh" else "Jump back to footnote 1 in the text"
    out = site / "site"
    for page in ("news/shitang/index.html", "about/index.html"):
        html = (out / page).read_text(encoding="utf-8")
        assert re.search(rf'class="footnote-backref"[^>]*title="{title}"', html), page
        # the footnote's text as written (it is no reference link to move with the page)
        assert re.search(r'<li id="fn:1">\s*<p>每天 11:00', html), page
    entry = next(
        e
        for e in feedparser.parse((out / "rss.xml").read_bytes()).entries
        if e.title == "社区食堂开业"
    )
    assert f'title="{title}"' in entry.content[0].value
    assert re.search(r'<li id="fn:1">\s*<p>每天 11:00', entry.content[0].value)


def test_help_is_in_the_sites_language(tmp_path: Path) -> None:
    """Editors of an English site read the command line's help in English (Chinese is the
    default, also where there is no mkdocs.yml), found like the commands find mkdocs.yml."""
    english = copy_site(FIXTURE_SITE, tmp_path / "en")
    config = english / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("language: zh", "language: en"),
        encoding="utf-8",
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    chinese = copy_site(FIXTURE_SITE, tmp_path / "zh")
    for cwd, args, expected in [
        (english, ["--help"], "build the site"),
        (english, ["build", "-h"], "treat warnings as errors"),
        (empty, ["--help"], "生成网站"),
        (empty, ["-f", str(config), "new", "--help"], "kind of content"),
        (chinese, ["check", "--help"], "检查全部内容"),
        (chinese, [], "生成网站"),
    ]:
        done = yizhan(cwd, *args)
        assert expected in done.stdout, (args, done.stdout)
        other = "生成网站" if expected.isascii() else "build the site"
        assert other not in done.stdout


@pytest.mark.parametrize("fast", ["true", "false"])
def test_a_file_name_with_spaces_is_a_valid_url_everywhere(tmp_path: Path, fast: str) -> None:
    """Windows saves ``驿站 活动照片（一）.png``: the cover image's URL on the pages, in og:image,
    JSON-LD, RSS and JSON Feed has its spaces %-escaped (a raw space is no URL: the Nu
    checker rejects it, feed readers cut it), and the image is there at that URL; so is
    the body's, written in ``<…>`` or as it is (python-markdown reads both), and a body's
    link with spaces to a file that is not there is told by ``check``."""
    import json
    from urllib.parse import unquote, urljoin, urlsplit

    import feedparser

    site = copy_site(FIXTURE_SITE, tmp_path / "site")
    set_fast(site, fast)
    name = "驿站 活动照片（一）.png"
    write_tree(
        site / "content",
        {
            f"images/{name}": b"\x89PNG\r\n\x1a\n",
            "news/zhaopian.md": (
                f"---\ntitle: 活动照片\ndate: 2026-11-20 09:00\nimage: images/{name}\n---\n"
                f'见下图。\n\n![合影](<../images/{name}>)\n\n![原样](../images/{name} "题")\n'
            ),
        },
    )
    assert yizhan(site, "check").returncode == 0
    done = yizhan(site, "build")
    assert done.returncode == 0, done.stderr
    out = site / "site"
    page = "news/zhaopian/index.html"
    html = (out / page).read_text(encoding="utf-8")
    found = re.findall(r'(?:src|content)="([^"]*\.png)"', html)
    assert len(found) >= 4, found  # the cover, the body's two images, og:image
    ld = json.loads(re.search(r'application/ld\+json">(.*?)</script>', html, re.S)[1])  # type: ignore[index]
    images = [*found, *([ld["image"]] if isinstance(ld.get("image"), str) else ld.get("image", []))]
    feed = feedparser.parse((out / "rss.xml").read_bytes())
    entry = next(e for e in feed.entries if e.title == "活动照片")
    images += re.findall(r'src="([^"]*\.png)"', entry.content[0].value)
    item = next(
        i for i in json.loads((out / "feed.json").read_text())["items"] if i["title"] == "活动照片"
    )
    images.append(item["image"])
    base = "https://example.org/repo/" + page.removesuffix("index.html")
    for url in images:
        assert " " not in url and "%20" in url, url
        path = unquote(urlsplit(urljoin(base, url)).path).removeprefix("/repo/")
        assert (out / path).is_file(), url
    article = site / "content/news/zhaopian.md"
    article.write_text(
        article.read_text(encoding="utf-8") + "\n见[旧活动](../events/不存在 的.md)。\n",
        encoding="utf-8",
    )
    told = yizhan(site, "check").stderr
    assert "content/news/zhaopian.md:12: 正文: 链接的文件不存在：../events/不存在 的.md" in told


@pytest.mark.parametrize("fast", ["true", "false"])
def test_links_in_a_milestones_text_open_what_they_name(tmp_path: Path, fast: str) -> None:
    """A milestone's ``body`` is Markdown written in its timeline file: its link to an
    activity's file opens the activity's page and its image shows, on the timeline and on
    its branch's page; a link to a file that is not there is told by ``check``, at its line."""
    from urllib.parse import unquote, urljoin, urlsplit

    site = copy_site(FIXTURE_SITE, tmp_path / "site")
    set_fast(site, fast)
    (site / "content/images/a b.svg").write_text((site / "content/images/dot.svg").read_text())
    timeline = site / "content" / "timeline" / "more.yml"
    timeline.write_text(
        "- date: 2026-11-01\n"
        "  title: 白领沙龙开办\n"
        "  branch: caizhi\n"
        "  body: 详见[沙龙](../events/salon.md)。![标志](../images/dot.svg)"
        "![空格](<../images/a b.svg>)\n",
        encoding="utf-8",
    )
    done = yizhan(site, "build")
    assert done.returncode == 0, done.stderr
    out = site / "site"
    for page in ("timeline/", "branches/caizhi/"):
        html = (out / page / "index.html").read_text(encoding="utf-8")
        entry = html[html.index("白领沙龙开办") :]
        href = re.search(r'href="([^"]*)">沙龙<', entry)[1]  # type: ignore[index]
        src = re.search(r'src="([^"]*dot\.svg)"', entry)[1]  # type: ignore[index]
        base = "https://example.org/repo/" + page
        assert urljoin(base, href) == "https://example.org/repo/events/salon/", (page, href)
        image = unquote(urlsplit(urljoin(base, src)).path).removeprefix("/repo/")
        assert (out / image).is_file(), (page, src)
        spaced = re.search(r'src="([^"]*a[^"]*b\.svg)"', entry)[1]  # type: ignore[index]
        assert (
            " " not in spaced
            and (
                out / unquote(urlsplit(urljoin(base, spaced)).path).removeprefix("/repo/")
            ).is_file()
        ), spaced
    assert yizhan(site, "check").returncode == 0
    text = timeline.read_text(encoding="utf-8") + (
        "- date: 2026-11-02\n  title: 第二项\n  body: |\n    说明。\n    见[无](../events/no-such.md)。\n"
    )
    timeline.write_text(text, encoding="utf-8")
    checked = yizhan(site, "check")
    assert checked.returncode == 1
    assert "content/timeline/more.yml:9: 正文:" in checked.stderr and "no-such.md" in checked.stderr


def test_new_does_not_write_an_id_a_subfolder_already_has(tmp_path: Path) -> None:
    """Ids are unique across subfolders: ``new`` refuses a title whose file name a file in a
    subfolder already has (``check`` would then fail on the duplicate), naming that file."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    existing = site / "content/events/2026/newyear.md"
    assert existing.is_file()
    done = yizhan(site, "new", "event", "newyear")
    assert done.returncode == 1
    assert "content/events/2026/newyear.md" in done.stderr
    assert not (site / "content/events/newyear.md").exists()
    assert yizhan(site, "check").returncode == 0


def test_a_failed_build_ends_in_the_sites_language(tmp_path: Path) -> None:
    """The problems, each with its own severity (a warning first is not marked ERROR), then
    one line saying the site was not built and the last one is kept, in Chinese (MkDocs'
    'Aborted with a BuildError!' was English), and in English on an English site."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    (site / "content/events/bad.md").write_text(
        "---\ntitle: 甲\nstart: 2026-12-08 14:00\nsatus: cancelled\nvenue: nowhere\n---\n",
        encoding="utf-8",
    )
    lines = yizhan(site, "build").stderr.strip().splitlines()
    assert lines[-3].startswith("content/events/bad.md:4: satus:"), lines
    assert lines[-3].endswith("[警告 field.unknown]")
    assert lines[-2].startswith("content/events/bad.md:5: venue:")
    assert lines[-1] == "ERROR: 网站没有生成，上次生成的网站保持原样。"
    config = site / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("language: zh", "language: en"), "utf-8"
    )
    lines = yizhan(site, "build", "--strict").stderr.strip().splitlines()
    assert lines[-1] == "ERROR: The site was not built; the last one built is left as it was."
    assert "Aborted" not in "\n".join(lines)


def test_a_build_says_what_it_did_in_the_sites_language(tmp_path: Path) -> None:
    """A good build's last line says the site is built, in Chinese or English as the site
    is, and no line names the temporary folder it wrote (MkDocs' 'Building documentation to
    directory: …/.site.building-…' and 'Cleaning site directory')."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    said = yizhan(site, "build").stderr.strip().splitlines()
    assert re.fullmatch(r"网站生成完毕，用时 [\d.]+ 秒。", said[-1]), said
    assert not [line for line in said if "building" in line or "Cleaning" in line]
    config = site / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("language: zh", "language: en"), "utf-8"
    )
    said = yizhan(site, "build").stderr.strip().splitlines()
    assert re.fullmatch(r"Site built in [\d.]+ seconds\.", said[-1]), said


def test_a_link_from_the_sites_root_is_told_with_the_path_that_works(tmp_path: Path) -> None:
    """``[沙龙](/events/salon/)`` opens ``https://example.org/events/salon/`` on a site published
    at ``https://example.org/repo/``: ``check`` tells each such link at its line with the path
    to write from the file; written so, every one opens a file of the built site. A link that
    already has the base path, and any on a site at a domain's root, are not told."""
    from urllib.parse import unquote, urljoin, urlsplit

    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    links = (
        "[沙龙](/events/salon/)、[关于](/about/)、[订阅](/subscribe/)、![图](/images/dot.svg)、"
        '<a href="/news/">新闻</a>、[对](/repo/events/salon/)'
    )
    article = site / "content/news/rooted.md"
    article.write_text(f"---\ntitle: 链接\ndate: 2026-11-01\n---\n见下。\n\n{links}\n")
    told = [line for line in yizhan(site, "check").stderr.splitlines() if "link.rooted" in line]
    fixes = dict(
        re.findall(r"链接 (\S+) 从网站.*?写成相对于本文件的路径 (\S+) \[", "\n".join(told))
    )
    assert [line.split(" 以")[0] for line in told] == ["content/news/rooted.md:7: 正文:"] * 5
    assert fixes == {
        "/events/salon/": "../events/salon.md",
        "/about/": "../about.md",
        "/subscribe/": "../subscribe/",
        "/images/dot.svg": "../images/dot.svg",
        "/news/": "./",
    }
    for url, fixed in fixes.items():
        links = links.replace(f"({url})", f"({fixed})").replace(f'"{url}"', f'"{fixed}"')
    article.write_text(f"---\ntitle: 链接\ndate: 2026-11-01\n---\n见下。\n\n{links}\n")
    assert yizhan(site, "check").returncode == 0
    assert yizhan(site, "build").returncode == 0
    page = (site / "site/news/rooted/index.html").read_text(encoding="utf-8")
    body = page[page.index("见下。") :]
    opened = re.findall(r'(?:href|src)="([^"]+)"', body)[:6]
    base = "https://example.org/repo/news/rooted/"
    for url in opened[:5]:
        path = unquote(urlsplit(urljoin(base, url)).path).removeprefix("/repo/")
        target = site / "site" / path
        assert (target / "index.html" if path.endswith("/") or not path else target).is_file(), url
    config = site / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("https://example.org/repo/", "https://example.org/")
    )
    article.write_text("---\ntitle: 链接\ndate: 2026-11-01\n---\n[沙龙](/events/salon/)\n")
    assert "link.rooted" not in yizhan(site, "check").stderr


def test_a_reference_to_a_file_that_could_not_be_read_is_not_called_missing(
    tmp_path: Path,
) -> None:
    """A venue whose YAML has a tab is told at its line; the club and the activity held there
    are not also told that the venue “does not exist” (the editor sees its file). A venue
    that is not there at all still is."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    venue = next((site / "content/venues").glob("*.md"))
    text = venue.read_text(encoding="utf-8").split("\n")
    venue.write_text("\n".join([text[0], text[1], "\tbad: [", *text[2:]]), encoding="utf-8")
    write_tree(
        site / "content",
        {"events/elsewhere.md": "---\ntitle: 别处\nstart: 2026-12-01 14:00\nvenue: nowhere\n---\n"},
    )
    result = yizhan(site, "check")
    assert result.returncode == 1
    told = [line for line in result.stderr.splitlines() if "[错误" in line or "[警告" in line]
    assert told == [
        "content/events/elsewhere.md:4: venue: 引用的阵地“nowhere”不存在 [错误 ref.unknown]",
        f"content/venues/{venue.name}:3: YAML 不能用 Tab 缩进，请改用空格 [错误 yaml.tab]",
    ]


def test_a_site_without_directory_urls_is_told(tmp_path: Path) -> None:
    """``use_directory_urls: false`` breaks the generated pages' links opened from files and
    feeds' links to free pages: ``check`` and ``build`` say so at mkdocs.yml."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    assert "config.directory-urls" not in yizhan(site, "check").stderr
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "use_directory_urls: false\n", "utf-8")
    checked = yizhan(site, "check")
    assert checked.returncode == 1
    assert "mkdocs.yml:1: use_directory_urls: yizhan 生成的页面按目录式网址" in checked.stderr
    assert "config.directory-urls" in yizhan(site, "build").stderr


def test_a_source_date_epoch_that_names_no_instant_is_told_and_a_blank_one_is_unset(
    tmp_path: Path,
) -> None:
    """``SOURCE_DATE_EPOCH: ${{ … }}`` of a CI template can come out empty, or as a fraction:
    yizhan built on the clock (quietly not reproducible) while MkDocs, reading the same
    variable with ``int()``, stopped both ``yizhan build`` and ``mkdocs build`` with a
    traceback at the first page. A blank value is unset for both; any other that is not
    whole seconds since 1970 is an error of ``check`` and ``build``, the site left as it was."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    for command in (yizhan, mkdocs):
        built = command(site, "build", SOURCE_DATE_EPOCH="")
        assert built.returncode == 0 and "Traceback" not in built.stderr, built.stderr
    before = tree_digest(site / "site")
    for value in ("1795312800.5", "-1", "99999999999999999", "昨天"):
        for command in (yizhan, mkdocs):
            built = command(site, "build", SOURCE_DATE_EPOCH=value)
            assert built.returncode != 0 and "Traceback" not in built.stderr, built.stderr
            assert f"mkdocs.yml:1: SOURCE_DATE_EPOCH: 环境变量 SOURCE_DATE_EPOCH 是“{value}”" in (
                built.stderr
            )
        assert "config.source-date-epoch" in yizhan(site, "check", SOURCE_DATE_EPOCH=value).stderr
    assert tree_digest(site / "site") == before
    assert yizhan(site, "check", SOURCE_DATE_EPOCH=" ").returncode == 0


def test_a_literal_site_url_other_than_where_pages_publishes_is_told(tmp_path: Path) -> None:
    """The Pages workflow gives ``check`` and ``build`` the published address in ``SITE_URL``;
    a literal ``site_url`` ignores it, so a site moved to a custom domain kept publishing feeds
    and links to its old address. ``check`` fails on it (the deploy stops) and says what to
    write; an ``!ENV [SITE_URL, …]`` site_url, or the same address, is clean."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    assert "site_url: https://example.org/repo/\n" in (site / "mkdocs.yml").read_text("utf-8")
    assert yizhan(site, "check", SITE_URL="https://example.org/repo/").returncode == 0
    checked = yizhan(site, "check", SITE_URL="https://jiedao.example.cn/")
    assert checked.returncode == 1
    assert (
        "mkdocs.yml:1: site_url: site_url 是 https://example.org/repo/，但网站发布在 "
        "https://jiedao.example.cn/" in checked.stderr
    )
    assert 'site_url: !ENV [SITE_URL, "https://jiedao.example.cn/"]' in checked.stderr
    assert (
        "config.site-url-env" in yizhan(site, "build", SITE_URL="https://jiedao.example.cn").stderr
    )
    config = site / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "site_url: https://example.org/repo/",
            'site_url: !ENV [SITE_URL, "https://example.org/repo/"]',
        ),
        encoding="utf-8",
    )
    assert yizhan(site, "check", SITE_URL="https://jiedao.example.cn/").returncode == 0


def test_links_content_may_not_hold_are_told_before_anything_is_built(tmp_path: Path) -> None:
    """A folder linked to ``/`` made MkDocs walk the whole disk for ever; a link to the
    repository's ``.git/config`` published its token; a broken link or a loop stopped the
    build with a traceback. Each is told at its path by ``check`` and ``build``, which stops
    at once and keeps the last site; a link to a file of the content folder is that file."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    assert yizhan(site, "build").returncode == 0
    before = tree_digest(site / "site")
    (site / ".git").mkdir()
    (site / ".git/config").write_text("[http]\n\textraheader = AUTHORIZATION: token\n")
    images = site / "content/images"
    (images / "up").symlink_to("/")
    (images / "cfg.png").symlink_to("../../.git/config")
    (images / "gone.png").symlink_to("nothere.png")
    (images / "loop1").symlink_to("loop2")
    (images / "loop2").symlink_to("loop1")
    (images / "same.svg").symlink_to("dot.svg")  # inside the content folder: fine
    told = yizhan(site, "check").stderr.splitlines()
    assert sorted(line.split(": ")[0] + " " + line.rsplit("[", 1)[1] for line in told[:-1]) == [
        "content/images/cfg.png:1 错误 file.symlink-outside]",
        "content/images/gone.png:1 错误 file.symlink-broken]",
        "content/images/loop1:1 错误 file.symlink-broken]",
        "content/images/loop2:1 错误 file.symlink-broken]",
        "content/images/up:1 错误 file.symlink-folder]",
    ], told
    started = time.monotonic()
    built = yizhan(site, "build")
    assert built.returncode == 1 and time.monotonic() - started < 60
    assert "Traceback" not in built.stderr and "file.symlink-folder" in built.stderr
    assert tree_digest(site / "site") == before
    for link in ("up", "cfg.png", "gone.png", "loop1", "loop2"):
        (images / link).unlink()
    assert yizhan(site, "build").returncode == 0
    assert (site / "site/images/same.svg").read_bytes() == (images / "dot.svg").read_bytes()


def test_a_free_pages_title_with_markup_is_an_error(tmp_path: Path) -> None:
    """MkDocs and Material write a free page's ``title``/``description`` into every page as
    they are: ``<img onerror=…>`` there ran on all 118 pages, and ``A<b>B`` broke the nav.
    ``check`` and ``build`` stop on it at its line; Chinese quotes are fine."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    page = site / "content/guide.md"
    page.write_text(
        "---\ntitle: '指南\"><img src=x onerror=alert(1)>'\ndescription: 说明<b>\n---\n正文。\n",
        encoding="utf-8",
    )
    told = [line for line in yizhan(site, "check").stderr.splitlines() if "free-page-html" in line]
    assert [line.split(": “")[0] for line in told] == [
        "content/guide.md:2: title",
        "content/guide.md:3: description",
    ]
    assert yizhan(site, "build").returncode == 1 and not (site / "site").exists()
    page.write_text("---\ntitle: 《办事指南》“新版”\n---\n正文。\n", encoding="utf-8")
    assert yizhan(site, "build").returncode == 0


def test_long_names_make_addresses_a_file_system_takes(tmp_path: Path) -> None:
    """A 60-character Chinese tag or an 80-character file name is ~300 characters of pinyin,
    past the 255 bytes of a folder's name: the build stopped with "File name too long"
    where ``check`` passed. Their addresses are cut at a word; a ``slug:`` that long is
    told."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    tag = "商务区党群服务中心楼宇党建联建共建暨志愿服务主题实践活动" * 2
    name = "商务区党群服务中心开展楼宇党建联建共建主题实践活动" * 3
    write_tree(
        site / "content",
        {
            f"news/{name}.md": f"---\ntitle: 长\ndate: 2026-11-01\ntags: [{tag}]\n---\n正文。\n",
            "news/slug.md": f"---\ntitle: 短\ndate: 2026-11-02\nslug: {'a' * 300}\n---\n正文。\n",
        },
    )
    told = yizhan(site, "check").stderr
    assert "content/news/slug.md:4: slug: 太长：网址的这一段最多 240 个字符" in told, told
    (site / "content/news/slug.md").unlink()
    built = yizhan(site, "build")
    assert built.returncode == 0, built.stderr
    longest = max(len(p.name.encode()) for p in (site / "site").rglob("*"))
    assert longest <= 255
    assert any(p.name.startswith("shang-wu-qu") for p in (site / "site/news/tags").iterdir())


@pytest.mark.parametrize("fast", ["false", "true"])
def test_a_content_file_where_a_generated_one_goes_is_told_by_check_and_build(
    tmp_path: Path, fast: str
) -> None:
    """``content/subscribe.md`` was told by ``build`` only; ``content/rss.xml`` and
    ``content/calendar.ics`` were replaced by the generated feeds without a word. Each is
    ``url.reserved`` at its path, from ``check`` and from ``build`` (the last site kept)."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    set_fast(site, fast)
    assert yizhan(site, "build").returncode == 0
    before = tree_digest(site / "site")
    write_tree(
        site / "content",
        {"rss.xml": "<rss/>", "calendar.ics": "BEGIN:VCALENDAR", "subscribe.md": "# 订阅\n"},
    )
    told = sorted(
        line.split(":")[0]
        for line in yizhan(site, "check").stderr.splitlines()
        if "url.reserved" in line
    )
    assert told == ["content/calendar.ics", "content/rss.xml", "content/subscribe.md"]
    (site / "content/subscribe.md").unlink()
    built = yizhan(site, "build")
    assert built.returncode == 1 and "content/rss.xml" in built.stderr, built.stderr
    assert tree_digest(site / "site") == before


def test_a_build_keeps_the_sites_hidden_files_and_refuses_to_replace_git_or_the_theme(
    tmp_path: Path,
) -> None:
    """As MkDocs' own clean does, a rebuild keeps ``site/.git`` (a gh-pages worktree) and
    ``site/.htaccess``; a ``site_dir`` naming the repository's ``.git`` or the theme's
    overrides is refused, where the build had replaced them with the site."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    assert yizhan(site, "build").returncode == 0
    (site / "site/.git").mkdir()
    (site / "site/.git/HEAD").write_text("ref: refs/heads/gh-pages\n")
    (site / "site/.htaccess").write_text("Options -Indexes\n")
    assert yizhan(site, "build").returncode == 0
    assert (site / "site/.git/HEAD").read_text() == "ref: refs/heads/gh-pages\n"
    assert (site / "site/.htaccess").is_file() and (site / "site/index.html").is_file()
    (site / ".git").mkdir()
    (site / ".git/HEAD").write_text("ref: refs/heads/main\n")
    (site / "overrides").mkdir()
    config = site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "  font: false", "  font: false\n  custom_dir: overrides"
    )
    for folder in (".git", "overrides"):
        config.write_text(text + f"site_dir: {folder}\n", encoding="utf-8")
        built = yizhan(site, "build")
        assert built.returncode != 0 and "site_dir" in built.stderr, built.stderr
    assert (site / ".git/HEAD").read_text() == "ref: refs/heads/main\n"
    assert list((site / "overrides").iterdir()) == []


def test_a_site_dir_that_is_a_link_is_built_where_it_leads_and_stays_a_link(
    tmp_path: Path,
) -> None:
    """``site -> /var/www/html``: MkDocs writes through such a link; yizhan built the whole
    site, then stopped with a traceback and published nothing. The folder the link leads to
    is replaced (its hidden files kept) and the link still leads there; a ``site_dir`` that
    is a file is refused before anything is built."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    set_fast(site, "true")  # the second build links the first one's files at its start
    served = tmp_path / "www" / "html"
    served.mkdir(parents=True)
    (served / "old.html").write_text("old", encoding="utf-8")
    (served / ".htaccess").write_text("Options -Indexes\n", encoding="utf-8")
    (site / "site").symlink_to(served, target_is_directory=True)
    built = yizhan(site, "build")
    assert built.returncode == 0 and "Traceback" not in built.stderr, built.stderr
    assert (site / "site").is_symlink() and (site / "site").resolve() == served
    assert (served / "index.html").is_file() and (served / ".htaccess").is_file()
    assert not (served / "old.html").exists()
    assert not [p.name for p in site.iterdir() if p.name.startswith(".site")]
    first = tree_digest(served)
    assert yizhan(site, "build").returncode == 0
    assert tree_digest(served) == first and (site / "site").is_symlink()

    (site / "site").unlink()
    (site / "site").write_text("not a folder", encoding="utf-8")
    built = yizhan(site, "build")
    assert built.returncode != 0 and "Traceback" not in built.stderr, built.stderr
    assert "site_dir" in built.stderr and "不是文件夹" in built.stderr
    assert (site / "site").read_text(encoding="utf-8") == "not a folder"


class HeadMeta(HTMLParser):
    """A page's <meta> descriptions and JSON-LD, read as a link preview's crawler reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.jsonld: list[str] = []
        self.in_jsonld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        key = values.get("name") or values.get("property")
        if tag == "meta" and key:
            self.meta[key] = values.get("content") or ""
        self.in_jsonld = tag == "script" and values.get("type") == "application/ld+json"

    def handle_data(self, data: str) -> None:
        if self.in_jsonld:
            self.jsonld.append(data)

    def handle_endtag(self, tag: str) -> None:
        self.in_jsonld = False


def test_a_page_without_a_summary_is_described_by_its_text(built: Path) -> None:
    """A venue or branch with text but no ``summary`` was described (in search results and in
    a link shared to WeChat) by the site's own description, the same on every such page."""
    venue = read_meta(built / "venues/yizhan/index.html")
    assert venue["description"] == venue["og:description"] == "驿站位于商务区中心。"
    branch = read_meta(built / "branches/top/index.html")
    assert branch["description"] == "党工委统筹商务区党建工作。"


def test_venue_branch_and_club_pages_carry_schema_org_data(built: Path) -> None:
    """A venue's page is a schema.org Place, a branch's and a club's an Organization (they
    had no JSON-LD); the data parses as JSON from the built page."""

    def data(page: str) -> dict[str, Any]:
        parser = HeadMeta()
        parser.feed((built / page / "index.html").read_text(encoding="utf-8"))
        [text] = parser.jsonld
        found: dict[str, Any] = json.loads(text)
        return found

    venue = data("venues/yizhan")
    assert (venue["@type"], venue["name"], venue["telephone"]) == (
        "Place",
        "测试党群驿站",
        "0574-00000000",
    )
    assert venue["geo"] == {"@type": "GeoCoordinates", "latitude": 29.82, "longitude": 121.55}
    branch = data("branches/caizhi")
    assert (branch["@type"], branch["foundingDate"]) == ("Organization", "2014-10")
    assert branch["parentOrganization"]["name"] == "测试商务区党工委"
    assert branch["url"].endswith("/branches/caizhi/")
    assert data("clubs/guangying")["@type"] == "Organization"


def test_the_activities_menu_is_named_for_the_section_on_every_page_of_it(built: Path) -> None:
    """The menu of /events/, the past page and the month grids was named 近期活动 (upcoming)
    to a screen reader on the past and month pages too."""
    for page in ("events", "events/past", "events/2026/11"):
        html = (built / page / "index.html").read_text(encoding="utf-8")
        assert re.findall(r'<nav class="yz-cal-nav" aria-label="([^"]*)"', html) == ["活动"], page


def test_a_line_break_inside_a_chinese_sentence_is_no_space(built: Path) -> None:
    """Chromium and Safari show a line break between two Chinese characters as a space: an
    editor's text wrapped mid-sentence read 含有特殊字符的 标题。 on the page."""
    page = (built / "news/escape/index.html").read_text(encoding="utf-8")
    assert "含有特殊字符的标题。" in page


def test_a_page_without_headings_has_no_empty_table_of_contents(built: Path) -> None:
    """Material wrote an empty <nav aria-label="目录"> on every page without headings (most
    generated ones): a landmark with nothing in it. The sidebar stays, for the column's width."""
    for page, has_toc in (("news/escape", False), ("events", False), ("branches/caizhi", True)):
        html = (built / page / "index.html").read_text(encoding="utf-8")
        assert ('class="md-nav md-nav--secondary"' in html) is has_toc, page
        assert 'class="md-sidebar md-sidebar--secondary"' in html, page


def test_the_home_figures_read_as_figure_then_label(built: Path) -> None:
    """A figure's link was named “12名党员” in one breath by a screen reader (its value and its
    label are two blocks on screen, with no space between them in the text)."""
    html = (built / "index.html").read_text(encoding="utf-8")
    section = html.split('class="yz-figures"', 1)[1].split("</section>", 1)[0]
    names = [re.sub(r"<[^>]+>", "", a) for a in re.findall(r"<a [^>]*>(.*?)</a>", section)]
    assert names and all(re.fullmatch(r"\S+ \S+", name) for name in names), names


def read_meta(page: Path) -> dict[str, str]:
    parser = HeadMeta()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.meta


TEMPLATE_SLIPS = {
    "a syntax slip": ("<p>{% if config.site_name %}页脚</p>\n", 1, "Unexpected end of template"),
    "a missing include": ('<p>页脚</p>\n{% include "partials/nope.html" %}\n', 2, "nope.html"),
    "an undefined name": ("<p>页脚</p>\n\n{{ nothing.deeper }}\n", 3, "UndefinedError"),
    "a fault of its code": ("<p>{{ 1 / 0 }}</p>\n", 1, "ZeroDivisionError"),
    # an activity's page, rendered by the lean path's worker processes
    "a fault in a worker": (
        '{% extends "main.html" %}\n{% block content %}\n{{ 1 / 0 }}\n{% endblock %}\n',
        3,
        "ZeroDivisionError",
    ),
}


@pytest.mark.parametrize("case", sorted(TEMPLATE_SLIPS))
def test_a_slip_in_a_theme_override_is_told_at_its_line(tmp_path: Path, case: str) -> None:
    """A template of the site's theme overrides that does not render is told at its file and
    line, in the site's language (it ended in a Python traceback), and the site built before
    stays as it was."""
    body, line, said = TEMPLATE_SLIPS[case]
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    config = site / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  font: false", "  font: false\n  custom_dir: theme"
        ),
        encoding="utf-8",
    )
    template = "theme/partials/copyright.html"
    if case == "a fault in a worker":
        set_fast(site, "true")
        template = "theme/yizhan/event.html"
    (site / template).parent.mkdir(parents=True)
    assert yizhan(site, "build").returncode == 0
    before = (site / "site/index.html").read_bytes()
    (site / template).write_text(body, encoding="utf-8")
    built = yizhan(site, "build", YIZHAN_WORKERS="2")
    lines = built.stderr.strip().splitlines()
    assert built.returncode == 1 and "Traceback" not in built.stderr, built.stderr
    assert lines[-2].startswith(f"{template}:{line}: 主题模板有错误"), lines
    assert lines[-2].endswith("[错误 theme.template]") and said in lines[-2]
    assert lines[-1] == "ERROR: 网站没有生成，上次生成的网站保持原样。"
    assert (site / "site/index.html").read_bytes() == before


def test_a_sites_own_nav_leaving_out_the_listings_is_not_told_of_them(tmp_path: Path) -> None:
    """With ``nav:`` in mkdocs.yml, MkDocs listed yizhan's own listings (news/index.md,
    events/index.md …) as pages "not included in the nav": editors could do nothing about it.
    A free page left out is still told (the editor may have forgotten it)."""
    site = copy_site(FIXTURE_SITE, tmp_path / "nav")
    set_fast(site, "false")
    config = site / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "nav:\n  - 首页: index.md\n  - 新闻: news/index.md\n",
        encoding="utf-8",
    )
    done = yizhan(site, "build")
    assert done.returncode == 0, done.stderr
    told = done.stdout + done.stderr
    assert 'not included in the "nav"' in told and "  - about.md" in told
    for generated in ("events/index.md", "branches/index.md", "subscribe/index.md"):
        assert f"  - {generated}" not in told, told


def test_uid_host_keeps_calendar_uids_when_the_site_moves(tmp_path: Path) -> None:
    """UIDs end in the site's host: a site moved from github.io to its own domain would give
    every activity a new UID, and subscribed calendars would show each twice or lose them.
    ``uid_host`` keeps the old host (or tells two project sites of one host apart)."""
    import icalendar

    site = copy_site(FIXTURE_SITE, tmp_path / "moved")
    config = site / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8")
        .replace("site_url: https://example.org/repo/", "site_url: https://dangqun.example.cn/")
        .replace("git_history: false", "git_history: false\n      uid_host: example.org"),
        encoding="utf-8",
    )
    assert yizhan(site, "check").returncode == 0
    done = yizhan(site, "build", "--strict")
    assert done.returncode == 0, done.stderr
    calendar = icalendar.Calendar.from_ical((site / "site/calendar.ics").read_bytes())
    uids = {str(e["UID"]) for e in calendar.walk("VEVENT")}
    assert uids and all(uid.endswith("@example.org") for uid in uids), uids
    listed = json.loads((site / "site/events.json").read_text(encoding="utf-8"))["events"]
    assert {e["uid"] for e in listed} <= uids
    assert "https://dangqun.example.cn/events/salon/" in (site / "site/calendar.ics").read_text(
        encoding="utf-8"
    ).replace("\r\n ", "")
