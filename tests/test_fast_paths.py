"""The fast paths of issue 5 change nothing in the output.

Builds of the fixture site through the real command line: cold (no cache, one process), warm
(every page from the cache), parallel (two forked workers) must give the same bytes; after a
template, a configuration value or a referenced venue changes, a warm build must give exactly
what a cold build of the new content gives (nothing stale from the cache), and show the change.
The lean renderer's pages must carry the same content as MkDocs' own rendering of them, and
its relative URLs must be MkDocs'. No timings are asserted here (see benchmarks/).
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import re
import shutil
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from buildtools import FIXTURE_SITE, copy_site, set_fast, tree_digest, yizhan

from generator.lean.links import page_url
from generator.lean.pool import batches


def build(site: Path, out: Path, workers: int = 1) -> str:
    result = yizhan(site, "build", "-d", str(out), YIZHAN_WORKERS=str(workers))
    assert result.returncode == 0, result.stderr
    return result.stderr


def cold(site: Path, out: Path, workers: int = 1) -> str:
    shutil.rmtree(site / ".cache", ignore_errors=True)
    return build(site, out, workers)


def counts(log: str) -> tuple[int, int]:
    """(rendered, from cache) of the fast path's summary line."""
    match = re.search(r"\((\d+) rendered, (\d+) from cache\)", log)
    assert match, log
    return int(match.group(1)), int(match.group(2))


def digest_without_search(root: Path) -> dict[str, str]:
    return {k: v for k, v in tree_digest(root).items() if not k.startswith("pagefind/")}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site with the fast path on (small sites leave it off by default)."""
    site = copy_site(FIXTURE_SITE, tmp_path_factory.mktemp("fast") / "site")
    set_fast(site, "true")
    return site


@pytest.fixture(scope="module")
def reference(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cold, single-process build: what every other path must reproduce."""
    out = tmp_path_factory.mktemp("cold") / "out"
    log = cold(site, out)
    rendered, cached = counts(log)
    assert rendered > 20 and cached == 0
    return out


def test_warm_cache_gives_the_same_bytes(site: Path, reference: Path, tmp_path: Path) -> None:
    build(site, tmp_path / "warm-1")  # the cache is filled by the reference build already
    log = build(site, tmp_path / "warm")
    rendered, cached = counts(log)
    assert rendered == 0 and cached > 20
    assert tree_digest(tmp_path / "warm") == tree_digest(reference)


def test_parallel_build_gives_the_same_bytes(site: Path, reference: Path, tmp_path: Path) -> None:
    log = cold(site, tmp_path / "parallel", workers=2)
    assert counts(log)[1] == 0
    assert tree_digest(tmp_path / "parallel") == tree_digest(reference)


def test_search_index_is_built_and_listings_are_not_results(reference: Path) -> None:
    assert (reference / "pagefind" / "pagefind.js").is_file()
    # Pagefind answers the search box: Material's index is not made (nor jieba loaded for it)
    assert not (reference / "search" / "search_index.json").exists()
    event = next((reference / "events").glob("*/index.html")).read_text(encoding="utf-8")
    assert 'data-pagefind-ignore="all"' not in event
    assert "data-pagefind-body" in event  # once one page has the marker, only marked pages count
    about = (reference / "about" / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" in about
    listing = (reference / "events" / "index.html").read_text(encoding="utf-8")
    assert '<article class="md-content__inner md-typeset" data-pagefind-ignore="all">' in listing


def search_texts(out: Path) -> str:
    """Every result's text in the Pagefind bundle and its parts (their fragments: gzipped
    JSON, words separated by zero-width spaces)."""
    fragments = sorted((out / "pagefind").rglob("*.pf_fragment"))
    assert fragments
    return "".join(gzip.decompress(f.read_bytes()).decode("utf-8") for f in fragments).replace(
        "\u200b", ""
    )


def test_search_index_is_reused_until_a_result_changes(
    site: Path, reference: Path, tmp_path: Path
) -> None:
    work = copy_site(site, tmp_path / "site")
    build(work, tmp_path / "first")
    log = build(work, tmp_path / "again")
    assert "search index from cache" in log
    assert tree_digest(tmp_path / "again") == tree_digest(reference)
    article = next(
        p
        for p in sorted((work / "content" / "news").rglob("*.md"))
        if "draft" not in p.read_text(encoding="utf-8")
    )
    with article.open("a", encoding="utf-8") as f:
        f.write("\n\n居民议事会讨论了加装电梯的方案。\n")
    log = build(work, tmp_path / "edited")
    assert "search index built" in log
    assert "加装电梯" in search_texts(tmp_path / "edited")
    assert "加装电梯" not in search_texts(reference)
    cold(work, tmp_path / "cold")
    assert tree_digest(tmp_path / "edited") == tree_digest(tmp_path / "cold")
    # an editor's free page (rendered by MkDocs, not from the page cache) counts too
    with (work / "content" / "about.md").open("a", encoding="utf-8") as f:
        f.write("\n\n开放时间调整为每天八点半。\n")
    log = build(work, tmp_path / "about")
    assert "search index built" in log
    assert "八点半" in search_texts(tmp_path / "about")


@pytest.mark.parametrize("workers", [1, 2])
def test_a_large_index_comes_in_parts_and_an_edit_reindexes_only_its_part(
    site: Path, tmp_path: Path, workers: int
) -> None:
    """Above SHARD_PAGES results (forced to 1 here) articles are indexed by year and coming
    activities by quarter apart from the rest, each part cached on its own. After an edit, the search
    results are rendered first and indexed while the other pages are (two workers): the
    output is still a cold build's."""
    work = copy_site(site, tmp_path / "site")
    parts = {"YIZHAN_SEARCH_SHARD_PAGES": "1", "YIZHAN_WORKERS": str(workers)}

    def build_in_parts(out: Path) -> str:
        result = yizhan(work, "build", "-d", str(out), **parts)
        assert result.returncode == 0, result.stderr
        return result.stderr

    build_in_parts(tmp_path / "first")
    listed = json.loads((tmp_path / "first" / "pagefind" / "shards" / "index.json").read_text())
    assert any(name.startswith("events-") for name in listed), listed
    assert any(name.startswith("news-") for name in listed), listed
    for name in listed:  # a part holds its data; the browser runs the main bundle's code
        part = tmp_path / "first" / "pagefind" / "shards" / name
        assert list(part.glob("*.pf_meta")) and list((part / "fragment").iterdir())
        assert not list(part.glob("*.js")) and not list(part.glob("wasm.*"))
    assert "search index from cache" in build_in_parts(tmp_path / "again")
    activity = next(
        p
        for p in sorted((work / "content" / "events").rglob("*.md"))
        if "cancelled" not in p.name and "draft" not in p.read_text(encoding="utf-8")
    )
    with activity.open("a", encoding="utf-8") as f:
        f.write("\n\n请自带水杯。\n")
    log = build_in_parts(tmp_path / "edited")
    assert 0 < parts_indexed(log) < len(listed) + 1
    # A part whose index could not be kept (a busy machine: it is only logged, and the next
    # build indexes it again) is not what the next step measures.
    build_in_parts(tmp_path / "settled")
    # A new title shows on the organisation and venue pages of the main part too, in lists
    # Pagefind ignores: only the activity's own part is indexed again.
    salon = work / "content" / "events" / "salon.md"
    salon.write_text(
        salon.read_text(encoding="utf-8").replace("title: 白领沙龙\n", "title: 白领读书沙龙\n"),
        encoding="utf-8",
    )
    log = build_in_parts(tmp_path / "retitled")
    assert "白领读书沙龙" in (tmp_path / "retitled" / "venues" / "yizhan" / "index.html").read_text(
        encoding="utf-8"
    )
    assert parts_indexed(log) == 1
    assert "白领读书沙龙" in search_texts(tmp_path / "retitled")
    shutil.rmtree(work / ".cache")
    assert yizhan(work, "build", "-d", str(tmp_path / "cold"), **parts).returncode == 0
    assert tree_digest(tmp_path / "retitled") == tree_digest(tmp_path / "cold")


def parts_indexed(log: str) -> int:
    match = re.search(r"search index built in [\d.]+ s \((\d+) of (\d+) parts indexed\)", log)
    assert match, log
    return int(match.group(1))


def test_files_published_from_the_cache_are_links_and_edits_to_them_are_not_reused(
    site: Path, reference: Path, tmp_path: Path
) -> None:
    """Warm builds hard-link pages, feeds and the search index from the cache (creating files
    is what costs on a district); a published file changed in place changes its cache entry
    too, and the next build must notice and make it afresh."""
    work = copy_site(site, tmp_path / "site")
    build(work, tmp_path / "first")
    build(work, tmp_path / "linked")
    out = tmp_path / "linked"
    edited = [
        next((out / "events").glob("*/index.html")),
        next((out / "events").glob("*/event.ics")),
        next((out / "pagefind" / "fragment").glob("*.pf_fragment")),
    ]
    for path in edited:
        assert path.stat().st_nlink >= 2, path  # the entry and this file are one file
        with path.open("r+b") as f:  # same size, same file, other bytes
            f.write(b"tampered")
    log = build(work, tmp_path / "after")
    assert counts(log)[0] == 1  # the edited page, rendered again
    assert "search index built" in log
    assert tree_digest(tmp_path / "after") == tree_digest(reference)


def test_cache_entries_are_copied_where_links_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A site folder on another file system than the cache gets copies."""
    from generator.lean import cache

    store = cache.FileCache(tmp_path / "cache")
    store.write(b"BEGIN:VCALENDAR", tmp_path / "a.ics")

    def no_links(*args: object) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(cache.os, "link", no_links)
    store.write(b"BEGIN:VCALENDAR", tmp_path / "b.ics")
    assert (tmp_path / "b.ics").read_bytes() == b"BEGIN:VCALENDAR"
    assert (tmp_path / "b.ics").stat().st_ino != (tmp_path / "a.ics").stat().st_ino
    store.write(b"END", tmp_path / "c.ics")  # a new entry, copied in
    assert (tmp_path / "c.ics").read_bytes() == b"END"
    store.prune()
    assert cache.FileCache(tmp_path / "cache").trusted(cache.digest(b"END") + ".ics")


ARTICLE_RE = re.compile(r'<article class="md-content__inner md-typeset"[^>]*>(.*?)</article>', re.S)


def test_lean_pages_have_the_content_mkdocs_renders(
    site: Path, reference: Path, tmp_path: Path
) -> None:
    slow = copy_site(site, tmp_path / "slow")
    set_fast(slow, "false")
    build(slow, tmp_path / "mkdocs-out")
    compared = 0
    for path in sorted(reference.rglob("index.html")):
        rel = path.relative_to(reference)
        other = tmp_path / "mkdocs-out" / rel
        assert other.is_file(), f"{rel} missing from the MkDocs build"
        ours = ARTICLE_RE.search(path.read_text(encoding="utf-8"))
        theirs = ARTICLE_RE.search(other.read_text(encoding="utf-8"))
        assert (ours is None) == (theirs is None), rel
        if ours and theirs:
            assert ours.group(1) == theirs.group(1), rel
            compared += 1
    assert compared > 20
    # Both list the same pages in the sitemap, each with the same <lastmod>.
    ours_map = sitemap_dates(reference)
    theirs_map = sitemap_dates(tmp_path / "mkdocs-out")
    assert ours_map == theirs_map and len(ours_map) > 20


def sitemap_dates(out: Path) -> dict[str, str | None]:
    """A built sitemap's pages (path under site_url) and their <lastmod>, read as XML."""
    root = ElementTree.fromstring((out / "sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    found: dict[str, str | None] = {}
    for url in root.findall("s:url", ns):
        loc = url.findtext("s:loc", namespaces=ns) or ""
        found[loc.removeprefix("https://example.org/repo/")] = url.findtext("s:lastmod", None, ns)
    return found


def test_sitemap_dates_pages_by_their_content_not_the_build(
    reference: Path, tmp_path: Path
) -> None:
    """A page's <lastmod> is the day its content changed (an article's date, the newest
    article of a list), not the build's day on every page: crawlers then recrawl what changed
    and trust the dates. A page with no such day (the home page, listings of upcoming
    activities, free pages) has no <lastmod>."""
    build_day = "2026-11-22"  # SOURCE_DATE_EPOCH of the fixture builds
    dates = sitemap_dates(reference)
    assert dates["news/garbage/"] == "2026-11-10"
    assert dates["news/escape/"] == "2026-11-12"
    assert dates["news/"] == "2026-11-12"  # the newest published article's
    assert dates[""] is None and dates["events/"] is None and dates["about/"] is None
    assert build_day not in dates.values()
    # a sitemap's date is a W3C date (https://www.sitemaps.org/protocol.html#lastmoddef)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", d) for d in dates.values() if d)


def test_links_to_lean_pages_are_not_called_excluded(site: Path, tmp_path: Path) -> None:
    """MkDocs leaves lean pages out of its own loop; a free page's link to one works, and
    the build does not tell the editor that it points at a page left out of the site."""
    about = (site / "content" / "about.md").read_text(encoding="utf-8")
    assert "(events/2026/sports.md)" in about  # an activity's file: its page is lean
    log = cold(copy_site(site, tmp_path / "s"), tmp_path / "out")
    assert "generated pages" in log  # the fast path ran
    assert "excluded from the built site" not in log
    html = (tmp_path / "out" / "about" / "index.html").read_text(encoding="utf-8")
    assert 'href="../events/sports/"' in html


def test_links_work_under_the_base_path(reference: Path) -> None:
    """Every relative link and asset of generated pages points at a file of the build."""
    checked = 0
    for page in sorted(reference.rglob("index.html")):
        html = page.read_text(encoding="utf-8")
        for url in re.findall(r'(?:href|src)="([^"#?]+)', html):
            if re.match(r"^[a-z]+:", url) or url.startswith("/"):
                continue
            target = (page.parent / url).resolve()
            if url.endswith("/") or target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{page.relative_to(reference)} links {url}"
            checked += 1
    assert checked > 300


def changed_then_compared(site: Path, tmp_path: Path, change: object) -> tuple[Path, str]:
    """Apply ``change`` to a copy with a warm cache; return its warm build after checking it
    equals a cold build of the same content."""
    work = copy_site(site, tmp_path / "site")
    build(work, tmp_path / "before")
    change(work)  # type: ignore[operator]
    log = build(work, tmp_path / "warm")
    cold(work, tmp_path / "cold")
    assert tree_digest(tmp_path / "warm") == tree_digest(tmp_path / "cold")
    return tmp_path / "warm", log


def test_template_change_invalidates(site: Path, tmp_path: Path) -> None:
    def change(work: Path) -> None:
        package = Path(__file__).parent.parent / "generator" / "theme" / "yizhan" / "event.html"
        override = work / "overrides" / "yizhan" / "event.html"
        override.parent.mkdir(parents=True)
        text = package.read_text(encoding="utf-8")
        override.write_text(
            text.replace("{% block content %}", "{% block content %}<p>模板已修改</p>", 1),
            encoding="utf-8",
        )

    work = copy_site(site, tmp_path / "prep")
    config = work / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  name: material\n", "  name: material\n  custom_dir: overrides\n"
        ),
        encoding="utf-8",
    )
    (work / "overrides").mkdir()
    out, log = changed_then_compared(work, tmp_path / "t", change)
    event = next(p for p in (out / "events").glob("*/index.html"))
    assert "模板已修改" in event.read_text(encoding="utf-8")
    assert counts(log)[1] == 0  # a template edit re-renders every page


def test_config_value_change_invalidates(site: Path, tmp_path: Path) -> None:
    def change(work: Path) -> None:
        config = work / "mkdocs.yml"
        config.write_text(
            config.read_text(encoding="utf-8").replace(
                "site_name: 测试驿站", "site_name: 新名字驿站"
            ),
            encoding="utf-8",
        )

    out, _ = changed_then_compared(site, tmp_path, change)
    news = next((out / "news").glob("*/index.html")).read_text(encoding="utf-8")
    assert "新名字驿站" in news and "测试驿站" not in news


def test_referenced_venue_change_invalidates_only_what_shows_it(site: Path, tmp_path: Path) -> None:
    venues = sorted((site / "content" / "venues").glob("*.md"))
    venue = venues[0]
    old_name = re.search(r"(?m)^name: (.+)$", venue.read_text(encoding="utf-8")).group(1)  # type: ignore[union-attr]

    def change(work: Path) -> None:
        path = work / venue.relative_to(site)
        path.write_text(
            path.read_text(encoding="utf-8").replace(f"name: {old_name}", "name: 改名后的阵地", 1),
            encoding="utf-8",
        )

    out, log = changed_then_compared(site, tmp_path, change)
    shown = [
        p
        for p in (out / "events").glob("*/index.html")
        if "改名后的阵地" in p.read_text(encoding="utf-8")
    ]
    assert shown, "an activity at the venue shows its new name"
    rendered, cached = counts(log)
    assert rendered > 0 and cached > 0  # pages that do not name the venue came from the cache


@pytest.mark.parametrize(
    "page",
    ["", "events/", "events/x/", "news/2026/a/", "a.html", "events/x/index.html", "deep/a/b/c/"],
)
def test_relative_urls_are_mkdocs_own(page: str) -> None:
    from mkdocs.structure.files import File
    from mkdocs.structure.pages import Page
    from mkdocs.utils import normalize_url

    src = (page + "index.md") if page.endswith("/") or not page else page.replace(".html", ".md")
    mk_page = Page(None, File(src, "/docs", "/site", use_directory_urls=True), {})  # type: ignore[arg-type]
    mk_page.file.url = page  # the URL under test, whatever File made of the name
    for path in ["", ".", "events/", "events/x/", "assets/a.css", "rss.xml", "../up/",
                 "news/2026/a/", "#top", "/abs/", "https://example.org/x", "a/../b/", "./x"]:  # fmt: skip
        assert page_url(path, page) == normalize_url(path, page=mk_page), (path, page)


def test_lean_templates_look_dict_names_up_as_jinja_does() -> None:
    """The lean environment's quick ``x.name`` on a dict gives what Jinja's own gives."""
    import jinja2

    from generator.lean.render import LeanEnvironment

    source = (
        "{{ d.title }}|{{ d.missing is defined }}|{{ d.items()|list|length }}|{{ d.get('title') }}"
        "|{{ n.inner.x }}|{{ d['keys'] }}|{{ o.real }}"
    )
    values = {
        "d": {"title": "标题", "keys": "k"},
        "n": {"inner": {"x": 1}},
        "o": 3,
    }
    for undefined in (jinja2.Undefined, jinja2.StrictUndefined):
        ours = LeanEnvironment(undefined=undefined).from_string(source)
        theirs = jinja2.Environment(undefined=undefined).from_string(source)
        assert ours.render(values) == theirs.render(values) == "标题|False|2|标题|1|k|3"
    strict = LeanEnvironment(undefined=jinja2.StrictUndefined).from_string("{{ d.missing }}")
    with pytest.raises(jinja2.UndefinedError, match="no attribute 'missing'"):
        strict.render(values)


def test_batches_cover_every_page_once() -> None:
    for count in (0, 1, 63, 64, 65, 1000):
        seen = sorted(i for batch in batches(count, 2) for i in batch)
        assert seen == list(range(count))


def test_slugs_kept_by_an_earlier_build_need_no_pinyin_dictionaries(tmp_path: Path) -> None:
    """A tag or category seen by an earlier build is read from the memo: pypinyin (~0.3 s of
    loading dictionaries) is not even imported; a new one still gets its pinyin."""
    import subprocess
    import sys

    def run(code: str) -> str:
        script = f"from pathlib import Path; import sys; from generator import memo, urls; memo.use(Path({str(tmp_path)!r})); {code}; memo.flush()"
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert (
        run("print(urls.slugify('志愿服务'), 'pypinyin' in sys.modules)") == "zhi-yuan-fu-wu True"
    )
    assert (
        run("print(urls.slugify('志愿服务'), 'pypinyin' in sys.modules)") == "zhi-yuan-fu-wu False"
    )
    assert run("print(urls.slugify('党建'), 'pypinyin' in sys.modules)") == "dang-jian True"


def test_remembered_results_are_kept_between_builds_in_one_table(tmp_path: Path) -> None:
    from generator import memo

    calls: list[str] = []

    @memo.remembered("shout")
    def shout(text: str, mark: str) -> str:
        calls.append(text)
        return text.upper() + mark

    try:
        memo.use(tmp_path)
        assert shout("ab", "！") == "AB！" and shout("ab", "！") == "AB！"
        assert shout("a", "b！") == "Ab！"  # arguments are kept apart, not joined
        memo.flush()
        memo.use(tmp_path)  # the next build
        assert shout("ab", "！") == "AB！"
        memo.use(None)
        assert shout("ab", "！") == "AB！"  # no folder: computed again
    finally:
        memo.use(None)
    assert calls == ["ab", "a", "ab"]
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        "shout.json"
    ]


def test_results_kept_a_file_each_by_earlier_versions_are_removed(tmp_path: Path) -> None:
    from generator import memo

    old = tmp_path / "generator.views.text.body_text" / "ab"
    old.mkdir(parents=True)
    (old / "ab12").write_text("旧", encoding="utf-8")
    (tmp_path / "load.compose.json").write_text("{}", encoding="utf-8")
    try:
        memo.use(tmp_path)
    finally:
        memo.use(None)
    assert [p.name for p in tmp_path.iterdir()] == ["load.compose.json"]


def test_memo_table_keeps_what_a_build_used_from_all_its_processes(tmp_path: Path) -> None:
    """One file per table: the next build finds what this one's processes (forked children
    included) computed; what no process of a build used is gone after it."""
    import os

    from generator import memo

    def build_with(keys: list[str], child_keys: list[str]) -> None:
        memo.use(tmp_path)
        table = memo.table("t")
        for k in keys:
            if table.get(table.key(k)) is None:
                table.put(table.key(k), k.upper())
        pid = os.fork()
        if pid == 0:  # a forked step of the same build
            for k in child_keys:
                table.put(table.key(k), k.upper())
            memo.flush()
            os._exit(0)
        os.waitpid(pid, 0)
        memo.flush()

    try:
        build_with(["a", "b"], ["c"])
        memo.use(tmp_path)
        table = memo.table("t")
        assert [table.get(table.key(k)) for k in "abc"] == ["A", "B", "C"]
        build_with(["a"], [])  # b and c unused by this build
        memo.use(tmp_path)
        table = memo.table("t")
        assert table.get(table.key("a")) == "A"
        assert table.get(table.key("b")) is None and table.get(table.key("c")) is None
        memo.use(None)
        table = memo.table("t")
        assert table.get(table.key("a")) is None  # no folder: nothing read
    finally:
        memo.use(None)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["t.json"]


def test_an_unchanged_memo_table_is_not_written_again(tmp_path: Path) -> None:
    """A build that used exactly what the table holds leaves its file alone; a process of the
    same build flushing afterwards still merges, and unused entries still go."""
    import os

    from generator import memo

    def build_with(keys: list[str], after: list[str]) -> None:
        memo.use(tmp_path)
        table = memo.table("t")
        for k in keys:
            if table.get(table.key(k)) is None:
                table.put(table.key(k), k.upper())
        memo.flush()
        pid = os.fork()
        if pid == 0:  # a forked step of the same build, done after the main process flushed
            for k in after:
                table.put(table.key(k), k.upper())
            memo.flush()
            os._exit(0)
        os.waitpid(pid, 0)

    def stamp() -> tuple[int, int]:
        info = (tmp_path / "t.json").stat()
        return info.st_ino, info.st_mtime_ns

    def kept() -> list[str | None]:
        memo.use(tmp_path)
        table = memo.table("t")
        return [table.get(table.key(k)) for k in "abc"]

    try:
        build_with(["a", "b"], [])
        first = stamp()
        build_with(["a", "b"], [])
        assert stamp() == first  # not written again
        assert kept() == ["A", "B", None]
        build_with(["a", "b"], ["c"])
        assert kept() == ["A", "B", "C"]
        build_with(["a"], [])
        assert kept() == ["A", None, None]
    finally:
        memo.use(None)


@pytest.mark.parametrize("fixture", ["site", "broken"])
def test_kept_front_matter_loads_as_parsed_and_problems_are_never_kept(
    fixture: str, tmp_path: Path
) -> None:
    from generator import load, memo

    root = FIXTURE_SITE.parent / fixture
    fresh = load.load_content(root, "content")
    try:
        for _ in range(2):  # the second run reads what the first one kept
            memo.use(tmp_path)
            load.parse_front_matter_once.cache_clear()
            assert load.load_content(root, "content") == fresh
            memo.flush()
    finally:
        memo.use(None)
    assert (tmp_path / "load.compose.json").is_file()
    if fixture == "broken":
        assert fresh.problems  # reported again on every build, from the YAML itself


@pytest.mark.parametrize("fixture", ["site", "broken"])
def test_front_matter_composed_in_a_child_loads_as_in_one_process(
    fixture: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first build composes half of the YAML in a forked child; documents and problems
    (in their order) are those of one process, and the next build finds the child's half
    kept."""
    from generator import load, memo, parallel

    root = FIXTURE_SITE.parent / fixture
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    load.parse_front_matter_once.cache_clear()
    alone = load.load_content(root, "content")
    monkeypatch.undo()
    monkeypatch.setattr(load, "SPLIT_FROM", 4)
    forked: list[int] = []
    beside = parallel.beside
    monkeypatch.setattr(
        parallel, "beside", lambda step, files: forked.append(len(files)) or beside(step, files)
    )
    composed: list[str] = []  # in this process only: the child's calls stay in the child
    compose = load.compose_uncached
    monkeypatch.setattr(
        load, "compose_uncached", lambda text, *a: composed.append(text) or compose(text, *a)
    )
    try:
        memo.use(tmp_path)
        load.parse_front_matter_once.cache_clear()
        assert load.load_content(root, "content") == alone
        memo.flush()
        assert forked and forked[0] >= 2
        if fixture == "site":  # the child's half was taken, not composed again
            assert len(composed) <= len(alone.documents) - forked[0]
        kept = len(load.compose_table().used)
        memo.use(tmp_path)  # the next build: everything kept, nothing forked
        load.parse_front_matter_once.cache_clear()
        assert load.load_content(root, "content") == alone
        assert len(forked) == 1
        assert load.compose_table().size() == kept
    finally:
        memo.use(None)
        load.parse_front_matter_once.cache_clear()
    if fixture == "broken":
        assert alone.problems


def test_fast_path_is_automatic_from_a_thousand_pages() -> None:
    """Unset, small sites keep MkDocs and Material's search; large ones get the fast path."""
    from generator.mkdocs_engine.plugin import FAST_FROM_PAGES, YizhanPlugin

    plugin = YizhanPlugin()
    assert plugin.load_config({}) == ([], [])
    assert not plugin.use_fast_path(FAST_FROM_PAGES - 1)
    assert plugin.use_fast_path(FAST_FROM_PAGES)
    plugin.load_config({"fast": False})
    assert not plugin.use_fast_path(50_000)
    plugin.load_config({"fast": True})
    assert plugin.use_fast_path(10)


def test_years_of_articles_share_an_index_part_until_it_is_large_enough() -> None:
    from generator.lean.search import join_years

    groups = {
        "": ["about/index.html"],
        "events": ["events/a/index.html"],
        **{
            f"news-{year}": [f"news/{year}-{i}/index.html" for i in range(600)]
            for year in range(2016, 2021)
        },
        "news-2021": ["news/2021/index.html"],
    }
    parts = join_years(groups, least=1500)
    assert {name: len(pages) for name, pages in parts.items()} == {
        "": 1,
        "events": 1,
        "news-2016-2018": 1800,
        "news-2019-2021": 1201,
    }
    # Every page is in exactly one part, and past years keep their part as the site grows.
    assert sorted(p for pages in parts.values() for p in pages) == sorted(
        p for pages in groups.values() for p in pages
    )
    grown = join_years({**groups, "news-2022": ["news/2022/index.html"] * 400}, least=1500)
    assert grown["news-2016-2018"] == parts["news-2016-2018"]


def test_coming_activities_keep_their_index_part_until_they_end() -> None:
    """One-off activities go to the part of the quarter they start in, recurring ones to a
    part of their own: their next date moves on, their part does not."""
    from generator.lean.search import event_part

    assert event_part({"start": "2027-01-09T14:30:00+08:00", "recurring": False}) == (
        "events-2027q1"
    )
    assert event_part({"start": "2026-12-31", "recurring": False}) == "events-2026q4"
    assert event_part({"start": "2026-07-01", "recurring": False}) == "events-2026q3"
    assert event_part({"start": "2019-03-30T09:00:00+08:00", "recurring": True}) == (
        "events-series"
    )
    assert event_part({}) == "events-series"


def test_what_pagefind_reads_of_a_page_leaves_out_ignored_elements_only() -> None:
    from generator.lean.search import indexed_digest

    page = (
        b'<article data-pagefind-body><h1>A</h1><ul class="x" data-pagefind-ignore>'
        b"<li><ul><li>%s</li></ul></li></ul><p>%s</p></article>"
    )
    same = indexed_digest(page % (b"one", b"body"))
    assert indexed_digest(page % (b"two</li><li>three", b"body")) == same
    assert indexed_digest(page % (b"one", b"other body")) != same
    # An ignored element whose end is missing hides nothing
    broken = b"<p>text</p><div data-pagefind-ignore><p>%s</p>"
    assert indexed_digest(broken % b"a") != indexed_digest(broken % b"b")
    # Tags that merely start alike do not count as nesting
    pre = b"<p data-pagefind-ignore>%s<pre>x</pre></p><p>kept</p>"
    assert indexed_digest(pre % b"a") == indexed_digest(pre % b"b")
    assert indexed_digest(pre % b"a") != indexed_digest(
        b"<p data-pagefind-ignore>a</p><p>other</p>"
    )


def test_the_largest_index_parts_are_indexed_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two runners take the parts largest first, so they finish about together."""
    from generator.lean import search

    order: list[str] = []
    monkeypatch.setattr(search, "PARALLEL_RUNS", 1)
    monkeypatch.setattr(search.Indexing, "run", lambda self, b: order.append(b.name) or True)
    sizes = {"": 500, "events-2027q1": 300, "news-2016-2019": 1500, "events-series": 90}
    bundles = [
        search.Bundle(name, tmp_path / name, [f"{name}/{i}.html" for i in range(n)])
        for name, n in sizes.items()
    ]
    bundles.append(search.Bundle("reused", tmp_path / "reused", ["a.html"] * 5000, reused=True))
    indexing = search.Indexing(tmp_path, bundles, {})
    indexing.start()
    assert indexing.wait()
    assert order == ["news-2016-2019", "", "events-2027q1", "events-series"]


def search_parts(root: Path, parts: int) -> list:  # type: ignore[type-arg]
    """``parts`` folders of article pages as the lean renderer writes them, as index parts."""
    from generator.lean import search

    bundles = []
    for part in range(parts):
        for page in range(3):
            html = (
                '<!doctype html><html lang="zh-CN"><head><title>t</title></head><body>'
                f'<article class="md-content__inner md-typeset" data-pagefind-body><h1>第{part}部分</h1>'
                f"<p>驿站志愿服务{part}-{page}：垃圾分类宣传。</p></article></body></html>"
            )
            target = root / "site" / f"p{part}" / f"{page}" / "index.html"
            target.parent.mkdir(parents=True)
            target.write_text(html, encoding="utf-8")
        pages = [f"p{part}/{page}/index.html" for page in range(3)]
        bundles.append(search.Bundle(f"p{part}", root / "out" / f"p{part}", pages))
    return bundles


def thread_nices(pid: int) -> set[int]:
    """The niceness of every thread of a process (Linux sets one per thread)."""
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        found.add(int(fields[16]))  # field 19 of stat: nice
    return found


def test_a_served_builds_index_goes_on_at_the_lowest_priority(tmp_path: Path) -> None:
    """In ``yizhan serve`` the build is served before its index is done: every thread of
    Pagefind then yields to the next save's preview (issue 5: it shared the processor with
    it, and listings took up to 2.2 s)."""
    from generator.lean import search

    own = os.getpriority(os.PRIO_PROCESS, 0)
    settings = {"root_selector": search.ROOT_SELECTOR, "force_language": "zh"}
    indexing = search.Indexing(tmp_path / "site", [], settings)
    service = search.Service(indexing.nice)
    indexing.services.append(service)
    try:
        service.send({"type": "NewIndex", "config": settings})  # its threads are up
        assert thread_nices(service.process.pid) == {min(19, own + search.NICE)}
        indexing.in_background()
        assert thread_nices(service.process.pid) == {min(19, own + search.BACKGROUND_NICE)}
        assert indexing.nice == search.BACKGROUND_NICE  # parts started later too
    finally:
        service.close()


def test_one_pagefind_process_indexes_a_runners_parts_as_the_command_line_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind's service, one process for all the parts of a runner (issue 5: its Chinese
    dictionary loads once), writes each part's index as ``pagefind --site`` does."""
    import subprocess
    import sys

    from generator.lean import search

    started: list[int] = []
    original = search.Service

    def service(nice: int = search.NICE) -> search.Service:  # records each one's priority
        made = original(nice)
        started.append(os.getpriority(os.PRIO_PROCESS, made.process.pid))
        return made

    monkeypatch.setattr(search, "PARALLEL_RUNS", 1)
    monkeypatch.setattr(search, "Service", service)
    monkeypatch.setattr(search, "drop_code", lambda part: None)  # compare whole bundles
    bundles = search_parts(tmp_path, 3)
    settings = {"root_selector": search.ROOT_SELECTOR, "force_language": "zh"}
    indexing = search.Indexing(tmp_path / "site", bundles, settings)
    indexing.start()
    assert indexing.wait()
    # one process, below the build's priority (serve indexes while saves are answered)
    assert started == [os.getpriority(os.PRIO_PROCESS, 0) + search.NICE]
    for bundle in bundles:
        alone = tmp_path / "alone" / bundle.name  # the part's pages at their site paths
        shutil.copytree(tmp_path / "site" / bundle.name, alone / bundle.name)
        expected = tmp_path / "cli" / bundle.name
        options = ["--root-selector", search.ROOT_SELECTOR, "--force-language", "zh"]
        command = [sys.executable, "-m", "pagefind", "--site", str(alone)]
        subprocess.run([*command, "--output-path", str(expected), *options, "--silent"], check=True)
        assert tree_digest(bundle.output) == tree_digest(expected), bundle.name
        assert len(list((bundle.output / "fragment").iterdir())) == 3


def test_a_failing_pagefind_leaves_a_warning_not_a_broken_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from generator.lean import search

    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")  # exits at once
    bundles = search_parts(tmp_path, 2)
    indexing = search.Indexing(tmp_path / "site", bundles, {"force_language": "zh"})
    indexing.start()
    assert indexing.wait() is False
    assert "Pagefind failed" in caplog.text
    assert not any(b.output.exists() for b in bundles)


def test_pagefind_stopped_by_ctrl_c_is_no_failure_to_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Ctrl-C in the terminal of ``yizhan serve`` reaches Pagefind, indexing in the
    background, too: the preview stops without a "Pagefind failed" warning on its way out."""
    import signal

    from generator.lean import search

    index = search.Service.index

    def interrupted(self: search.Service, site: Path, output: Path, options: Any) -> None:
        os.kill(self.process.pid, signal.SIGINT)
        self.process.wait()
        index(self, site, output, options)

    monkeypatch.setattr(search.Service, "index", interrupted)
    bundles = search_parts(tmp_path, 1)
    indexing = search.Indexing(tmp_path / "site", bundles, {"force_language": "zh"})
    # the level is set before the indexing thread starts: it may be told of the interruption
    # before this thread waits for it (a busy machine dropped the debug line)
    with caplog.at_level(logging.DEBUG, logger="mkdocs.plugins.yizhan.search"):
        indexing.start()
        assert indexing.wait() is False
    assert "Pagefind failed" not in caplog.text
    assert "Pagefind interrupted" in caplog.text


def test_the_ignored_elements_found_from_the_first_mark_are_those_a_full_scan_finds() -> None:
    """``next_ignored`` starts its scan near each mark; on hostile snippets (marks in text,
    ``>`` in attribute values, look-alike attributes) it finds what scanning every tag finds."""
    import random

    from generator.lean import search

    def full_scan(html: bytes) -> list[tuple[int, int]]:
        found, pos = [], 0
        while (start := search.IGNORED_START.search(html, pos)) is not None:
            found.append(start.span())
            pos = search.element_end(html, start) or start.end()
        return found

    def near_marks(html: bytes) -> list[tuple[int, int]]:
        found, pos = [], 0
        while (start := search.next_ignored(html, pos)) is not None:
            found.append(start.span())
            pos = search.element_end(html, start) or start.end()
        return found

    bits = [
        b"<p>", b"</p>", b"<ul data-pagefind-ignore>", b"</ul>", b"<ul>", b">", b"<", b"x",
        b" data-pagefind-ignore ", b'<p title="a>b" data-pagefind-ignore>', b"<br/>",
        b"<div data-pagefind-ignored>", b"</div>", b'<div\tdata-pagefind-ignore="all">',
    ]  # fmt: skip
    rng = random.Random(8)
    for _ in range(5000):
        html = b"".join(rng.choice(bits) for _ in range(rng.randrange(1, 16)))
        assert near_marks(html) == full_scan(html), html
