"""`yizhan serve`: a live preview that shows drafts and rebuilds when an editor saves."""

from __future__ import annotations

import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from buildtools import FIXTURE_SITE, assert_reaped, copy_site, env, record_forks, set_fast

from generator.mkdocs_engine import output
from generator.mkdocs_engine.preview import new_folder


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def eventually(check: Callable[[], bool], seconds: float, every: float = 0.3) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(every)
    return False


def wait_for(url: str, text: str, seconds: float = 90) -> bool:
    return eventually(lambda: text in (fetch(url) or ""), seconds)


def serve_logging(site: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    """``yizhan serve`` of ``site`` on ``port``, everything it prints written to ``log``."""
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "generator.cli", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=site,
            env=env(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def site_with_overrides(tmp_path: Path) -> Path:
    """The fixture site with ``theme/`` as its ``custom_dir`` (an empty ``theme/partials``)."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    config = site / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  font: false", "  font: false\n  custom_dir: theme"
        ),
        "utf-8",
    )
    (site / "theme/partials").mkdir(parents=True)
    return site


def test_serve_shows_drafts_and_rebuilds_on_save(tmp_path: Path) -> None:
    site = site_with_overrides(tmp_path)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=site,
        env=env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}/repo/"
        assert wait_for(f"{base}news/draft/", "草稿新闻"), "draft not previewed"
        event = site / "content" / "events" / "salon.md"
        event.write_text(
            event.read_text(encoding="utf-8").replace("title: 白领沙龙", "title: 白领沙龙（新版）"),
            encoding="utf-8",
        )
        assert wait_for(f"{base}events/salon/", "白领沙龙（新版）"), "edit not rebuilt"
        # the site's theme overrides (custom_dir) are watched too
        footer = site / "theme/partials/copyright.html"
        footer.write_text('<div class="md-copyright">页脚改过了</div>', encoding="utf-8")
        assert wait_for(f"{base}about/", "页脚改过了"), "theme save not rebuilt"
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_theme_overrides_set_up_while_serving_are_watched(tmp_path: Path) -> None:
    """A ``custom_dir`` that ``mkdocs.yml`` comes to name while the preview runs is watched
    from then on, as the one it named at the start: a save there rebuilds (it was never seen,
    and the page kept the first version of the override until the preview was restarted)."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    port = free_port()
    process = serve_logging(site, port, tmp_path / "serve.log")
    try:
        base = f"http://127.0.0.1:{port}/repo/"
        assert wait_for(f"{base}about/", "</html>"), "not previewed"
        footer = site / "overrides/partials/copyright.html"
        footer.parent.mkdir(parents=True)
        footer.write_text('<div class="md-copyright">页脚第一版</div>', encoding="utf-8")
        config = site / "mkdocs.yml"
        config.write_text(
            config.read_text(encoding="utf-8").replace(
                "  font: false", "  font: false\n  custom_dir: overrides"
            ),
            "utf-8",
        )
        assert wait_for(f"{base}about/", "页脚第一版"), "custom_dir not built"
        footer.write_text('<div class="md-copyright">页脚第二版</div>', encoding="utf-8")
        assert wait_for(f"{base}about/", "页脚第二版", seconds=60), "the override's save unseen"
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_broken_mkdocs_yml_keeps_the_last_site_served_until_it_is_fixed(
    tmp_path: Path,
) -> None:
    """A YAML slip while editing ``mkdocs.yml`` is told once, without a traceback; the
    preview keeps answering with the last good site (MkDocs' own loop would hold every
    request until the file is fixed), and the fixed file is built."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    port = free_port()
    log = tmp_path / "serve.log"
    process = serve_logging(site, port, log)
    try:
        base = f"http://127.0.0.1:{port}/repo/"
        assert wait_for(f"{base}news/draft/", "草稿新闻"), "not previewed"
        config = site / "mkdocs.yml"
        good = config.read_text(encoding="utf-8")
        config.write_text(good + "extra_css: [broken\n", encoding="utf-8")
        assert wait_for_log(log, "仍显示上次成功生成的网站"), log.read_text("utf-8")
        assert "草稿新闻" in (fetch(f"{base}news/draft/") or ""), "the last site is not served"
        assert "Traceback" not in log.read_text("utf-8")
        config.write_text(good.replace("site_name: ", "site_name: 新名字"), encoding="utf-8")
        assert wait_for(f"{base}news/draft/", "新名字"), "the fixed configuration is not built"
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_slip_in_a_theme_override_keeps_the_last_site_served_with_its_line(
    tmp_path: Path,
) -> None:
    """A theme override saved with a Jinja slip: every page is still answered, the last good
    site with the banner naming the template's line (MkDocs' loop answered no request until
    the template was fixed), and the fixed template is built."""
    site = site_with_overrides(tmp_path)
    port = free_port()
    log = tmp_path / "serve.log"
    process = serve_logging(site, port, log)
    try:
        base = f"http://127.0.0.1:{port}/repo/"
        assert wait_for(f"{base}about/", "</html>"), "not previewed"
        footer = site / "theme/partials/copyright.html"
        footer.write_text("<p>{% if config.site_name %}页脚</p>\n", encoding="utf-8")
        told = "theme/partials/copyright.html:1: 主题模板有错误"
        assert wait_for(f"{base}about/", told, seconds=60), log.read_text("utf-8")
        page = fetch(f"{base}events/salon/") or ""
        assert "yz-preview-failure" in page and told in page
        footer.write_text("<p>页脚改好了</p>\n", encoding="utf-8")
        assert wait_for(f"{base}about/", "页脚改好了"), "the fixed template is not built"
        assert "yz-preview-failure" not in (fetch(f"{base}about/") or "")
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_fault_in_a_rebuild_keeps_the_last_site_served(
    preview: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild that fails in a way nobody foresaw (a bug of ours or of a plugin) is told
    with its traceback, and the last good site stays served with the banner, instead of the
    error reaching MkDocs' loop, which then answers no request until a save builds."""
    from mkdocs.commands import build as mkdocs_build

    served = preview.server.root

    def fails(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("什么都没想到")

    monkeypatch.setattr(mkdocs_build, "build", fails)
    assert preview.full_build(preview.load_config(new_folder())) is True
    assert preview.server.root == served
    assert preview.server.failure == "RuntimeError: 什么都没想到"
    assert answer(preview.server, "/repo/")[0] == "200 OK"
    page = preview.error_page(404)
    assert page is not None and b"yz-preview-failure" in page and "什么都没想到".encode() in page
    preview.server.failure = ""


FIRST_SLIPS = {
    "content": ("content/events/bad.md", "---\ntitle: 坏\nstart: 2026-13-01\n---\n", ":3: start:"),
    "a theme override": ("theme/partials/copyright.html", "<p>{% if x %}</p>\n", ":1: 主题模板"),
}


@pytest.mark.parametrize("case", sorted(FIRST_SLIPS))
def test_a_preview_started_on_problems_shows_them_at_every_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    """A preview started while content (or a theme override) has problems has no good site
    to serve: every address shows the problems on a page that reloads by itself once a save
    builds (it was a bare "404 Not Found"), and nothing the failed build wrote is served."""
    from generator.mkdocs_engine.preview import Preview

    for name, value in env().items():
        monkeypatch.setenv(name, value)
    site = site_with_overrides(tmp_path)
    config_file = site / "mkdocs.yml"
    rel, text, told = FIRST_SLIPS[case]
    (site / rel).write_text(text, encoding="utf-8")
    preview = Preview(config_file, f"127.0.0.1:{free_port()}")
    config = preview.first
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        assert preview.full_build(config)
        server = preview.server
        assert list(Path(server.root).iterdir()) == []
        assert answer(server, "/repo/") == (None, None)
        page = preview.error_page(404)
        assert page is not None and b"livereload" in page and b"yz-preview-failure" in page
        assert f"{rel}{told}".encode() in page and "网站还没有生成".encode() in page
        (site / rel).unlink()
        assert preview.full_build(preview.load_config(new_folder()))
        assert server.failure == ""
        status, body = answer(server, "/repo/events/salon/")
        assert status == "200 OK" and body is not None and "白领沙龙".encode() in body
    finally:
        preview.server.server_close()
        config.plugins.on_shutdown()
        output.discard(Path(folder) for folder in preview.folders)


@pytest.mark.parametrize("stop", ["SIGTERM", "SIGHUP"])
def test_serve_leaves_no_site_behind_when_stopped_or_killed(tmp_path: Path, stop: str) -> None:
    """Each build of a preview is a whole site in the temporary folder (~650 MB on a
    district): a preview stopped by a signal (a process manager, its terminal closed) removes
    its own; a new one removes those of previews that were killed outright, and keeps those of
    previews still running."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    killed = temporary / f".yizhan-serve.building-{gone.stdout.strip()}-k1"
    running = temporary / f".yizhan-serve.building-{os.getpid()}-r1"
    unnamed = temporary / "yizhan-serve-abc123"  # an older yizhan's, two days old
    for folder in (killed, running, unnamed):
        (folder / "events").mkdir(parents=True)
        (folder / "events" / "index.html").write_text("<p>旧</p>", encoding="utf-8")
    two_days_ago = time.time() - 2 * 86400
    os.utime(unnamed, (two_days_ago, two_days_ago))
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=site,
        env=env(TMPDIR=str(temporary)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_for(f"http://127.0.0.1:{port}/repo/events/salon/", "白领沙龙")
        own = [
            p
            for p in temporary.iterdir()
            if p.name.startswith(f".yizhan-serve.building-{process.pid}-")
        ]
        assert own, "the preview builds in the temporary folder, named by its process"
        assert eventually(lambda: not killed.exists() and not unnamed.exists(), 30)
        assert running.exists()
    finally:
        process.send_signal(getattr(signal, stop))
        assert process.wait(timeout=30) == 0
    assert eventually(lambda: not any(p.exists() for p in own), 30)
    assert running.exists()


def test_serve_shows_a_saved_activity_first_then_updates_listings_and_feeds(
    tmp_path: Path,
) -> None:
    """Issue 5: the quick path shows the edited page, then the refresh the listings and feeds
    that show it, before the full rebuild; nothing is served stale (what the refresh cannot
    make waits for the rebuild); a broken edit keeps the last good site served and says why."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    set_fast(site, "true")
    port = free_port()
    log = tmp_path / "serve.log"
    process = serve_logging(site, port, log)
    try:
        base = f"http://127.0.0.1:{port}/repo/"
        assert wait_for(f"{base}events/salon/", "白领沙龙"), log.read_text()
        event = site / "content" / "events" / "salon.md"
        original = event.read_text(encoding="utf-8")
        event.write_text(original.replace("title: 白领沙龙", "title: 白领沙龙（改期）"), "utf-8")
        assert wait_for(f"{base}events/salon/", "白领沙龙（改期）"), log.read_text()
        # Asked right after the page showed: none is stale.
        for dependent in ("events.json", "calendar.ics", "events/", "branches/caizhi/"):
            assert "白领沙龙（改期）" in (fetch(base + dependent) or ""), dependent
        said = log.read_text(encoding="utf-8")
        assert "已预览 1 个页面" in said
        assert "列表和订阅已更新" in said
        # Idle once done: a build reading the content must not count as a change (inotify
        # reports files being opened), or the preview would rebuild for ever.
        assert eventually(lambda: log.read_text("utf-8").count("网站生成完毕") == 2, 60)
        builds = 2
        time.sleep(4)
        assert log.read_text(encoding="utf-8").count("网站生成完毕") == builds

        # Saved as JetBrains' editors save (a temporary file renamed over it), after vim's
        # probe file came and went: previewed at once all the same.
        probe = event.with_name("4913")
        probe.write_text("", "utf-8")
        probe.unlink()
        temporary = event.with_name(event.name + "___jb_tmp___")
        temporary.write_text(
            original.replace("title: 白领沙龙", "title: 白领沙龙（再改）"), "utf-8"
        )
        os.replace(temporary, event)
        assert wait_for(f"{base}events/salon/", "白领沙龙（再改）"), log.read_text()
        assert wait_for_log(log, "列表和订阅已更新", seconds=30)
        assert log.read_text(encoding="utf-8").count("已预览") == 2
        assert eventually(lambda: log.read_text("utf-8").count("网站生成完毕") == 3, 60)

        event.write_text(original.replace("venue: yizhan", "venue: nowhere"), "utf-8")
        assert wait_for_log(log, "nowhere"), log.read_text()
        page = fetch(f"{base}events/salon/")  # answered, not held: the last good site
        assert page is not None and "白领沙龙（再改）" in page
        # which the page says, with the problems, so the editor need not watch the terminal
        banner = re.search(r'<div class="yz-preview-failure" role="alert"[^>]*>([^<]*)</div>', page)
        assert banner is not None and "上次成功生成的网站" in banner[1], page[:2000]
        assert "content/events/salon.md" in banner[1] and "nowhere" in banner[1]
        event.write_text(original, "utf-8")
        assert wait_for(f"{base}events.json", '"白领沙龙"'), log.read_text()
        assert eventually(lambda: "yz-preview-failure" not in (fetch(f"{base}") or "x"), 60)
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_for_log(log: Path, text: str, seconds: float = 60) -> bool:
    return eventually(lambda: text in log.read_text(encoding="utf-8"), seconds, every=0.2)


@pytest.fixture()
def preview(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A ``yizhan serve`` session of the fixture site (lean path on), its first build done,
    driven in-process: no server thread, no file watcher."""
    from generator.mkdocs_engine.preview import Preview

    for name, value in env().items():
        monkeypatch.setenv(name, value)
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    set_fast(site, "true")
    preview = Preview(site / "mkdocs.yml", f"127.0.0.1:{free_port()}")
    config = preview.first
    config.plugins.on_startup(command="serve", dirty=False)
    preview.full_build(config)
    try:
        yield preview
    finally:
        preview.server.server_close()
        config.plugins.on_shutdown()


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file of a served folder but the search index (the full build makes that)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.relative_to(folder).parts[0] != "pagefind"
    }


SAVES = {
    "an activity": (
        "content/events/salon.md",
        [("title: 白领沙龙", "title: 白领沙龙（改期）"), ("2026-11-28 14:00", "2026-11-28 15:00")],
        {"events/index.html", "calendar.ics", "events.json", "events/2026/11/index.html"},
    ),
    "an article": (
        "content/news/garbage.md",
        [("title: 垃圾分类进楼宇", "title: 垃圾分类进社区"), ("志愿服务]", "志愿服务, 文体]")],
        {"news/index.html", "rss.xml", "feed.json", "news/tags/wen-ti/index.html"},
    ),
}


@pytest.mark.parametrize("case", sorted(SAVES))
def test_refreshed_folder_is_the_full_builds_output(preview: Any, case: str) -> None:
    """Issue 5: after an activity or article is saved, the refresh brings the served folder
    to exactly what the full rebuild then writes (search index aside): listings MkDocs renders,
    lean pages, calendars, feeds and events.json, byte for byte, and only what changed."""
    rel, replacements, expected = SAVES[case]
    served = Path(preview.server.root)
    before = files_of(served)
    saved = preview.config_file.parent / rel
    text = saved.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    saved.write_text(text, encoding="utf-8")
    assert preview.refresh(preview.site_relative({str(saved)}))
    refreshed = files_of(served)
    preview.full_build(preview.load_config(new_folder()))
    assert Path(preview.server.root) != served
    rebuilt = files_of(Path(preview.server.root))
    changed = {path for path, content in rebuilt.items() if before.get(path) != content}
    assert expected | {"index.html"} <= changed
    assert refreshed.keys() == rebuilt.keys()
    assert [path for path in rebuilt if refreshed[path] != rebuilt[path]] == []


NEW_ACTIVITY = (
    "---\ntitle: 新春联欢会\nstart: 2026-12-20 14:00\nend: 16:00\nvenue: yizhan\n"
    "branch: caizhi\ncategories: [学习沙龙]\n---\n驿站里的联欢会。\n"
)
NEW_FILES = {
    "an activity": (
        "content/events/2026/lianhuan.md",
        NEW_ACTIVITY,
        "events/lianhuan/",
        ("events/index.html", "calendar.ics", "events.json", "branches/caizhi/index.html"),
    ),
    "an activity after every month grid (the months to it appear)": (
        "content/events/2026/lianhuan.md",
        NEW_ACTIVITY.replace("2026-12-20", "2028-03-08"),
        "events/lianhuan/",
        ("events/2028/03/index.html", "calendar.ics", "events.json"),
    ),
    "an article": (
        "content/news/lianhuan.md",
        "---\ntitle: 新春联欢会回顾\ndate: 2026-11-30 08:00\nbranch: caizhi\ntags: 文体\n---\n"
        "联欢会圆满结束。\n",
        "news/lianhuan/",
        ("news/index.html", "rss.xml", "feed.json", "branches/caizhi/index.html"),
    ),
}


@pytest.mark.parametrize("case", sorted(NEW_FILES))
def test_a_new_file_is_shown_and_listed_before_the_full_build(preview: Any, case: str) -> None:
    """Issue 5: a new activity or article file (an editor's most frequent save) gets its page
    at once, then every listing and feed that carries it, exactly as the full rebuild writes
    them; only the sitemap (the new address in the plan's order) waits for that rebuild."""
    rel, text, page, listings = NEW_FILES[case]
    title = text.split("title: ")[1].split("\n")[0]
    served = Path(preview.server.root)
    before = files_of(served)
    saved = preview.config_file.parent / rel
    saved.write_text(text, encoding="utf-8")
    rels = preview.site_relative({str(saved)})
    early = preview.quick(rels)
    assert early == [str(served / page / "index.html")]
    assert title in Path(early[0]).read_text(encoding="utf-8")
    assert preview.refresh(rels)
    server = preview.server
    server.show_refreshed(preview.held_back)
    try:
        assert server.early_file(f"/repo/{page}") == early[0]
        assert server.early_file("/repo/sitemap.xml") is None  # waits for the full build
    finally:
        server.end_early()
    refreshed = files_of(served)
    for listing in listings:
        assert title in refreshed[listing].decode("utf-8"), listing
    preview.full_build(preview.load_config(new_folder()))
    rebuilt = files_of(Path(preview.server.root))
    assert refreshed.keys() == rebuilt.keys()
    differ = [path for path in rebuilt if refreshed[path] != rebuilt[path]]
    assert differ == ["sitemap.xml", "sitemap.xml.gz"]
    assert before.keys() < rebuilt.keys()


GONE = {
    "deleted": ("content/events/2026/newyear.md", None),
    "renamed": ("content/events/2026/newyear.md", "content/events/2026/kuanian.md"),
}


@pytest.mark.parametrize("case", sorted(GONE))
def test_a_deleted_or_renamed_activity_goes_before_the_full_build(preview: Any, case: str) -> None:
    """Issue 5: a deleted activity's page and calendar are not found at once (no wait for the
    rebuild), the listings and feeds no longer carry it, and the served folder is then what
    the full rebuild writes (the sitemap waits for it); renamed, it moves to its new address."""
    old, new = GONE[case]
    served = Path(preview.server.root)
    before = files_of(served)
    assert "跨年夜" in before["events/index.html"].decode("utf-8")
    source = preview.config_file.parent / old
    changed = {str(source)}
    if new is None:
        source.unlink()
    else:
        source.rename(preview.config_file.parent / new)
        changed.add(str(preview.config_file.parent / new))
    server = preview.server
    with server._epoch_cond:  # a rebuild is under way: requests wait for it
        server._wanted_epoch = server._visible_epoch + 1
    waiting: list[object] = []
    early = threading.Thread(
        target=lambda: waiting.append(
            server._serve_request({"PATH_INFO": "/repo/events/newyear/"}, print)
        ),
        daemon=True,
    )
    early.start()
    rels = preview.site_relative(changed)
    assert preview.refresh(rels)
    assert early.is_alive()
    server.show_refreshed(preview.held_back, preview.taken_away)
    try:
        early.join(5)
        assert waiting == [None]  # a request made before the refresh: not found once it is
        for path in (
            "/repo/events/newyear/",
            "/repo/events/newyear",
            "/repo/events/newyear/event.ics",
        ):
            assert answer(server, path) == (None, None), path  # not found (MkDocs: 404)
        assert server.early_file("/repo/sitemap.xml") is None  # waits for the full build
        assert server.early_file("/repo/calendar.ics") is not None
    finally:
        server.end_early()
    refreshed = files_of(served)
    assert "events/newyear/index.html" not in refreshed
    assert not (served / "events/newyear").exists()
    for listing in (
        "events/index.html",
        "calendar.ics",
        "events.json",
        "clubs/guangying/index.html",
    ):
        text = refreshed[listing].decode("utf-8")
        assert "newyear/" not in text, listing
        assert ("跨年夜" in text) == (new is not None), listing
        assert ("kuanian/" in text) == (new is not None), listing
    preview.full_build(preview.load_config(new_folder()))
    rebuilt = files_of(Path(preview.server.root))
    assert refreshed.keys() == rebuilt.keys()
    differ = [path for path in rebuilt if refreshed[path] != rebuilt[path]]
    assert differ == ["sitemap.xml", "sitemap.xml.gz"]


def answer(server: Any, path: str, seconds: float = 10) -> tuple[str | None, bytes | None]:
    """The preview server's answer to a GET of ``path``: (status, body), or (None, None) for
    not found; fails if it is still waiting (for a rebuild) after ``seconds``."""
    got: list[tuple[str | None, bytes | None]] = []
    statuses: list[str] = []

    def ask() -> None:
        body = server._serve_request({"PATH_INFO": path}, lambda s, _: statuses.append(s))
        got.append((statuses[-1] if statuses else None, None if body is None else b"".join(body)))

    thread = threading.Thread(target=ask, daemon=True)
    thread.start()
    thread.join(seconds)
    assert got, f"{path}: still waiting after {seconds} s"
    return got[0]


def test_deletions_in_a_row_stay_gone_until_an_address_is_taken_again(preview: Any) -> None:
    """Saves before the full rebuild is served: each deleted activity's page stays not found
    (not only the last one's), and a new activity at a deleted one's address is served."""
    root, server = preview.config_file.parent, preview.server
    tea, newyear = root / "content/events/tea.md", root / "content/events/2026/newyear.md"
    tea.write_text(NEW_ACTIVITY.replace("新春联欢会", "书记茶叙"), encoding="utf-8")
    preview.preview({str(tea)})  # a new activity, then both deleted one after the other
    for gone in (newyear, tea):
        gone.unlink()
        preview.preview({str(gone)})
    try:
        for path in ("/repo/events/newyear/", "/repo/events/tea/", "/repo/events/tea/event.ics"):
            assert answer(server, path) == (None, None), path
        newyear.write_text(NEW_ACTIVITY.replace("新春联欢会", "新的跨年夜"), encoding="utf-8")
        preview.preview({str(newyear)})
        status, body = answer(server, "/repo/events/newyear/")
        assert status == "200 OK" and body is not None and "新的跨年夜".encode() in body
        assert answer(server, "/repo/events/tea/") == (None, None)
    finally:
        server.end_early()


def test_a_deleted_article_goes_before_the_full_build(preview: Any) -> None:
    """Issue 5: a deleted article's page is not found at once, /news/ and the feeds no
    longer carry it, and the served folder is then what the full rebuild writes."""
    served = Path(preview.server.root)
    assert "明年的新闻" in files_of(served)["news/index.html"].decode("utf-8")
    source = preview.config_file.parent / "content/news/future.md"
    source.unlink()
    assert preview.refresh(preview.site_relative({str(source)}))
    server = preview.server
    server.show_refreshed(preview.held_back, preview.taken_away)
    try:
        assert answer(server, "/repo/news/future/") == (None, None)
    finally:
        server.end_early()
    refreshed = files_of(served)
    for listing in ("news/index.html", "rss.xml", "feed.json", "index.html"):
        assert "明年的新闻" not in refreshed[listing].decode("utf-8"), listing
    preview.full_build(preview.load_config(new_folder()))
    rebuilt = files_of(Path(preview.server.root))
    assert refreshed.keys() == rebuilt.keys()
    differ = [path for path in rebuilt if refreshed[path] != rebuilt[path]]
    assert differ == ["sitemap.xml", "sitemap.xml.gz"]


def test_a_new_tag_gets_its_page_and_a_tag_no_article_has_loses_it_before_the_full_build(
    preview: Any,
) -> None:
    """Issue 5: an article given a tag no article had shows under it at once (its page, the
    tag list); taken away again, the tag's page is not found at once. Each time the served
    folder is then what the full rebuild writes (the sitemap waits for it)."""
    source = preview.config_file.parent / "content/news/garbage.md"
    tagged = source.read_text(encoding="utf-8").replace("志愿服务]", "志愿服务, 环保]")
    for text, gone in ((tagged, False), (source.read_text(encoding="utf-8"), True)):
        served = Path(preview.server.root)
        source.write_text(text, encoding="utf-8")
        assert preview.refresh(preview.site_relative({str(source)}))
        server = preview.server
        server.show_refreshed(preview.held_back, preview.taken_away)
        try:
            found = answer(server, "/repo/news/tags/huan-bao/")
            assert (found == (None, None)) == gone
        finally:
            server.end_early()
        refreshed = files_of(served)
        assert ("环保" in refreshed["news/tags/index.html"].decode("utf-8")) != gone
        preview.full_build(preview.load_config(new_folder()))
        rebuilt = files_of(Path(preview.server.root))
        assert refreshed.keys() == rebuilt.keys()
        differ = [path for path in rebuilt if refreshed[path] != rebuilt[path]]
        assert differ == ["sitemap.xml", "sitemap.xml.gz"]


def test_a_page_whose_day_of_change_moves_holds_the_sitemap_for_the_full_build(
    preview: Any,
) -> None:
    """An article's date is its page's <lastmod> (and the news index's): after the refresh,
    sitemap.xml waits for the full rebuild, which says the new day; it was served as it was."""
    source = preview.config_file.parent / "content/news/garbage.md"
    text = source.read_text(encoding="utf-8")
    assert "date: 2026-11-10\n" in text
    source.write_text(text.replace("date: 2026-11-10\n", "date: 2026-11-12\n"), "utf-8")
    assert preview.refresh(preview.site_relative({str(source)}))
    server = preview.server
    server.show_refreshed(preview.held_back, preview.taken_away)
    try:
        assert server.early_file("/repo/news/garbage/") is not None
        assert server.early_file("/repo/sitemap.xml") is None  # waits for the full build
    finally:
        server.end_early()
    preview.full_build(preview.load_config(new_folder()))
    sitemap = (Path(preview.server.root) / "sitemap.xml").read_text(encoding="utf-8")
    entry = re.search(r"<loc>[^<]*/news/garbage/</loc>\s*<lastmod>([^<]*)</lastmod>", sitemap)
    assert entry is not None and entry.group(1) == "2026-11-12"


def test_a_new_activity_where_a_file_is_served_already_waits_for_the_full_build(
    preview: Any,
) -> None:
    """A static file at the new activity's address (the full build reports the conflict):
    nothing of the served site is replaced before that build."""
    served = Path(preview.server.root)
    (served / "events/lianhuan").mkdir(parents=True)
    (served / "events/lianhuan/index.html").write_text("静态页", encoding="utf-8")
    saved = preview.config_file.parent / "content/events/2026/lianhuan.md"
    saved.write_text(NEW_ACTIVITY, encoding="utf-8")
    before = files_of(served)
    rels = preview.site_relative({str(saved)})
    assert preview.quick(rels) == []
    assert preview.refresh(rels) == ""
    assert files_of(served) == before


def test_an_address_in_use_is_reported_before_building(tmp_path: Path) -> None:
    """A second preview on the same port: a clear message and exit status 1 at once, not a
    traceback after the whole first build."""
    from buildtools import yizhan

    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = yizhan(site, "serve", "-a", f"127.0.0.1:{port}")
    assert result.returncode == 1
    assert f"127.0.0.1:{port}" in result.stderr and "yizhan serve -a" in result.stderr
    assert "Traceback" not in result.stderr
    assert "Building documentation" not in result.stderr
    assert not (site / "site").exists() and not list(site.glob(".site*"))


@pytest.mark.parametrize("checks", range(1, 17))
def test_a_superseded_build_stops_at_its_next_stage(
    preview: Any, checks: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full build asked to stop (newer saves) stops between its stages, serves nothing of
    its own, leaves no process behind, and the next build is whole."""
    forked = record_forks(monkeypatch)
    served = preview.server.root
    asked: list[bool] = []

    def superseded() -> bool:
        asked.append(True)
        return len(asked) >= checks

    config = preview.load_config(new_folder())
    assert preview.full_build(config, superseded=superseded) is False
    assert len(asked) == checks
    assert preview.server.root == served
    assert not Path(config.site_dir).exists() or config.site_dir not in preview.folders
    if checks > 7:  # the feeds' processes start with the plan (after loading: 1, validating: 5)
        assert_reaped(forked)
    config = preview.load_config(new_folder())
    assert preview.full_build(config, superseded=lambda: False) is True
    assert (Path(preview.server.root) / "events" / "salon" / "index.html").is_file()


def test_a_save_during_the_rebuild_is_shown_without_waiting_for_it(
    preview: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 5: a second save while the first one's full build runs gives that build up; the
    second save is refreshed at once and the next full build carries both."""
    from generator.mkdocs_engine import preview as module

    site = preview.config_file.parent
    salon, reception = site / "content/events/salon.md", site / "content/events/reception.md"
    salon.write_text(salon.read_text("utf-8").replace("title: 白领沙龙", "title: 白领沙龙（一）"))
    preview.server.changes.add(str(salon))
    load = preview.load_config
    rounds: list[str] = []

    def load_config(site_dir: str) -> Any:
        """The first round's build sees the second save arrive while MkDocs lists files."""
        config = load(site_dir)
        plugin = config.plugins.get("yizhan")
        on_files = plugin.on_files

        def saving_on_files(files: Any, *, config: Any) -> Any:
            if not rounds:
                text = reception.read_text("utf-8").replace(
                    "title: 书记接待日", "title: 接待日（二）"
                )
                reception.write_text(text, "utf-8")
                preview.server.changes.add(str(reception))
            rounds.append(site_dir)
            return on_files(files, config=config)

        events = config.plugins.events["files"]  # MkDocs calls the methods it listed
        events[events.index(on_files)] = saving_on_files
        return config

    preview.load_config = load_config
    with caplog.at_level(logging.INFO, logger=module.log.name):
        preview.rebuild()
    said = caplog.text
    assert said.count("newer saves came in") == 1
    assert said.count("listings and feeds refreshed") == 2
    assert len(rounds) == 2
    served = Path(preview.server.root)
    assert str(served) == rounds[-1]
    listing = (served / "events" / "index.html").read_text("utf-8")
    assert "白领沙龙（一）" in listing and "接待日（二）" in listing
    assert preview.previous.site.events["reception"].title == "接待日（二）"
    assert not preview.server.refreshed and not preview.server.early


def test_editors_scratch_files_are_not_edits() -> None:
    """Swap, lock and backup files saved beside content neither trigger nor stop a build."""
    from generator.mkdocs_engine.preview import is_scratch

    for name in (".salon.md.swp", ".#salon.md", "salon.md~", ".DS_Store"):
        assert is_scratch(f"/site/content/events/{name}")
    for name in ("salon.md", "白领沙龙.md", "mkdocs.yml", "4913"):
        assert not is_scratch(f"/site/content/events/{name}")


def test_editors_temporary_files_gone_before_the_build_are_no_change(preview: Any) -> None:
    """vim probes the folder with a file ``4913`` before it writes; JetBrains' editors write
    ``x.md___jb_tmp___`` and rename it over ``x.md``. Both are gone when the save is
    built: the save is previewed as the edit it is. A file of the site that is gone (content,
    a template, an image, a file of the docs folder) still is a change."""
    site = preview.config_file.parent
    saved = site / "content/events/salon.md"
    saved.write_text(saved.read_text(encoding="utf-8").replace("白领沙龙", "白领沙龙（改）"))
    probes = [site / "content/events/4913", site / "content/events/salon.md___jb_tmp___"]
    for probe in probes:
        probe.write_text("x", encoding="utf-8")
        probe.unlink()
    rels = preview.site_relative({str(saved), *map(str, probes)})
    assert rels == ["content/events/salon.md"]
    assert preview.quick(rels)
    gone = site / "content/events/2026/paris.md"
    gone.unlink()
    assert sorted(preview.site_relative({str(saved), str(gone)})) == [
        "content/events/2026/paris.md",
        "content/events/salon.md",
    ]
    image = site / "content/images/dot.svg"
    image.unlink()
    assert preview.site_relative({str(image)}) == ["content/images/dot.svg"]
    assert preview.site_relative({str(probes[0])}) is None  # nothing left: no quick path
    # a file of the docs folder the last build copied, whatever its name
    handout = site / "content/images/报名表.docx"
    handout.write_bytes(b"PK")
    preview.full_build(preview.load_config(new_folder()))
    handout.unlink()
    assert preview.site_relative({str(handout)}) == ["content/images/报名表.docx"]


def test_refreshed_folders_are_answered_without_waiting(preview: Any) -> None:
    """Once refreshed, a folder asked without its slash is redirected at once, and files are
    served from the refreshed folder; before, such requests wait for the rebuild."""
    server = preview.server
    answers: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        answers.append(f"{status} {dict(headers).get('Location', '')}")

    server.show_refreshed()
    try:
        assert server._serve_request({"PATH_INFO": "/repo/events"}, start_response) == []
        assert answers == ["302 Found /repo/events/"]
        body = b"".join(server._serve_request({"PATH_INFO": "/repo/events/"}, start_response))
        assert "白领沙龙".encode() in body and answers[-1].startswith("200")
        assert server.early_file("/repo/../../etc/passwd") in (None, "")
    finally:
        server.end_early()
    assert server.early_file("/repo/events/") is None


def test_loading_a_large_site_can_be_given_up_every_few_hundred_files(tmp_path: Path) -> None:
    """A superseded build stops within ``CHECK_EVERY`` files of loading, not at its end."""
    from generator import load

    events = tmp_path / "content" / "events"
    events.mkdir(parents=True)
    for i in range(3 * load.CHECK_EVERY):
        (events / f"e{i}.md").write_text(f"---\ntitle: 活动{i}\n---\n", encoding="utf-8")
    calls: list[int] = []

    def between() -> None:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("superseded")

    with pytest.raises(RuntimeError, match="superseded"):
        load.load_content(tmp_path, "content", between)
    assert len(calls) == 2
    assert len(load.load_content(tmp_path, "content").documents) == 3 * load.CHECK_EVERY


def record_compiles(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The names of the templates any Jinja environment compiles from now on."""
    import jinja2

    compiled: list[str | None] = []
    compile_ = jinja2.Environment.compile
    monkeypatch.setattr(
        jinja2.Environment,
        "compile",
        lambda self, source, name=None, *a, **k: (
            compiled.append(name) or compile_(self, source, name, *a, **k)
        ),
    )
    return compiled


def test_a_rebuild_compiles_no_template_again(
    preview: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each rebuild makes new Jinja environments (MkDocs' and the lean renderer's); the code
    compiled by the last one is kept in memory, so the templates are not compiled again (issue
    5: ~0.7 s in the way of the next save)."""

    assert preview.prepared.wait(30)
    compiled = record_compiles(monkeypatch)
    preview.full_build(preview.load_config(new_folder()))
    assert preview.prepared.wait(30)
    # Material's search plugin reads its language files in an environment of its own.
    ours = [n for n in compiled if not (n or "").startswith("partials/language")]
    assert ours == []


def test_kept_template_code_is_used_only_for_the_same_source(tmp_path: Path) -> None:
    import jinja2

    from generator.lean.render import KeptBytecode

    kept = KeptBytecode()
    (tmp_path / "a.html").write_text("旧 {{ x }}", encoding="utf-8")
    compiled: list[str | None] = []

    class Counting(jinja2.Environment):
        def compile(self, source: Any, name: Any = None, *args: Any, **kwargs: Any) -> Any:
            compiled.append(name)
            return super().compile(source, name, *args, **kwargs)

    def render() -> str:
        env = Counting(loader=jinja2.FileSystemLoader(str(tmp_path)), bytecode_cache=kept)
        return env.get_template("a.html").render(x=1)

    assert render() == "旧 1" and compiled == ["a.html"]
    assert render() == "旧 1" and compiled == ["a.html"]  # a new environment: nothing compiled
    (tmp_path / "a.html").write_text("新 {{ x }}", encoding="utf-8")
    assert render() == "新 1" and compiled == ["a.html", "a.html"]


def test_the_first_save_after_a_build_compiles_no_template(
    preview: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The templates a save's pages need are compiled while the preview waits for edits, in
    this process (the full build rendered in forked workers): the first save then only renders
    (issue 5: compiling them was ~0.7 s of its 2 s)."""

    from generator.lean import pool

    monkeypatch.setattr(pool, "RENDERER", None)  # as after a build in forked workers
    preview.full_build(preview.load_config(new_folder()))
    assert preview.prepared.wait(30)
    compiled = record_compiles(monkeypatch)
    saved = preview.config_file.parent / "content/events/salon.md"
    saved.write_text(
        saved.read_text(encoding="utf-8").replace("title: 白领沙龙", "title: 白领沙龙（改期）"),
        encoding="utf-8",
    )
    rels = preview.site_relative({str(saved)})
    assert preview.quick(rels) and preview.refresh(rels)
    # Names made while rendering (Material's language file, icons) are compiled on first use,
    # a few ms; every template named in a template was compiled before.
    late = [n for n in compiled if not (n or "").startswith(("partials/languages/", ".icons/"))]
    assert late == []


def test_the_watch_hears_saves_and_renamed_folders_but_no_reads(tmp_path: Path) -> None:
    """The system is asked for saves, new, deleted and renamed files and folders only: a build
    reading every content file makes no event at all (on a district those were ~60,000,
    handled under the interpreter's lock while the build loaded, issue 5), and a renamed
    folder of activities is a change."""
    from generator.mkdocs_engine.preview import PreviewServer

    content = tmp_path / "content"
    for i in range(50):
        page = content / "events" / "2026" / f"a{i}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"---\ntitle: 活动{i}\n---\n", encoding="utf-8")
    server = PreviewServer(builder=lambda: None, host="127.0.0.1", port=free_port(), root=".")
    heard: list[Any] = []

    def note(event: Any) -> None:
        heard.append(event)
        PreviewServer.note(server, event)

    server.note = note  # type: ignore[method-assign]
    server.watch_for_changes(str(content), recursive=True)
    server.observer.start()
    try:
        time.sleep(0.3)
        for _ in range(3):
            for page in content.rglob("*.md"):
                page.read_bytes()
        time.sleep(1)
        assert heard == [], [e.event_type for e in heard[:5]]
        saved = content / "events" / "2026" / "a7.md"
        saved.write_text("---\ntitle: 改\n---\n", encoding="utf-8")
        assert eventually(lambda: str(saved) in server.changes, 10)
        time.sleep(0.5)  # the save's last event (its file closed) may come a little later
        server.take_changes()
        # A new folder is no change of its own: a new activity in it is still previewed.
        added = content / "events" / "2027" / "new.md"
        added.parent.mkdir()
        added.write_text("---\ntitle: 新\n---\n", encoding="utf-8")
        assert eventually(lambda: str(added) in server.changes, 10)
        time.sleep(0.5)
        changes = server.take_changes()
        assert str(added) in changes and str(added.parent) not in changes, changes
        os.replace(content / "events" / "2026", content / "events" / "2025")
        assert eventually(lambda: str(content / "events" / "2025") in server.changes, 10)
    finally:
        server.observer.stop()
        server.observer.join()
        server.server_close()


def test_a_rebuild_links_what_the_last_one_published_and_serves_the_same_site(
    preview: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """serve's rebuilds, like builds, link the last one's unchanged pages and feeds while they
    load (``prelink``; on a district publishing them took ~7 s of each rebuild): the folder
    served next has every file, byte for byte, and an edit is rendered anew, not linked."""
    from generator.mkdocs_engine.preview import new_folder

    first = Path(preview.server.root)
    before = files_of(first)
    caplog.set_level(logging.INFO)
    preview.full_build(preview.load_config(new_folder()))
    second = Path(preview.server.root)
    assert second != first
    assert "files of the last build linked at its start" in caplog.text
    assert files_of(second) == before
    page = second / "events" / "salon" / "index.html"
    assert page.stat().st_nlink > 1  # the cache's entry, linked
    site = preview.config_file.parent
    event = site / "content" / "events" / "salon.md"
    event.write_text(event.read_text("utf-8").replace("白领沙龙", "白领沙龙（改）"), "utf-8")
    preview.full_build(preview.load_config(new_folder()))
    third = Path(preview.server.root)
    assert "白领沙龙（改）" in (third / "events" / "salon" / "index.html").read_text("utf-8")
    assert "白领沙龙（改）" not in page.read_text("utf-8")  # the old entry was not written into


def test_planning_can_be_given_up_every_thousand_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A superseded build stops within ``PAGES_BETWEEN_CHECKS`` pages of planning too (a
    district's 15,000 activity pages are one family), not only between families."""
    from generator import build
    from generator.views import derive_views

    site_dir = copy_site(FIXTURE_SITE, tmp_path / "s")
    options = build.read_options(site_dir / "mkdocs.yml", drafts=True)
    site = build.load_site(options).site
    views = derive_views(site)
    every = build.collect_pages(site, views)
    monkeypatch.setattr(build, "PAGES_BETWEEN_CHECKS", 3)
    calls: list[int] = []
    assert build.collect_pages(site, views, lambda: calls.append(1)) == every
    assert len(calls) == 5 + len(every) // 3  # five families, and every third page

    def superseded() -> None:
        calls.append(1)
        if len(calls) >= 4:
            raise RuntimeError("superseded")

    calls.clear()
    with pytest.raises(RuntimeError, match="superseded"):
        build.collect_pages(site, views, superseded)
    assert len(calls) == 4


def test_the_search_index_answers_from_the_last_folder_while_the_new_one_is_written(
    preview: Any,
) -> None:
    """The preview serves a full build before its Pagefind index is written (issue 5): in
    that gap a search asks for index files the new folder does not have yet. They are
    answered from the folder served before, not "not found" (which broke the page's search
    until a reload); once written, the new folder's own are served."""
    from generator.mkdocs_engine.preview import new_folder

    server = preview.server
    first = Path(server.root)
    preview.indexing[str(first)].wait()
    assert (first / "pagefind/pagefind.js").is_file()
    config = preview.config_or_none(new_folder())
    assert preview.full_build(config)
    second = Path(server.root)
    assert second != first
    preview.indexing[str(second)].wait()
    written = second / "pagefind"
    aside = second / "pagefind-aside"
    written.rename(aside)  # as it is before Pagefind writes it
    try:
        status, body = answer(server, "/repo/pagefind/pagefind.js")
        assert status == "200 OK" and body == (first / "pagefind/pagefind.js").read_bytes()
        assert answer(server, "/repo/pagefind/no-such-file.js") == (None, None)
        assert answer(server, "/repo/pagefind/../../../etc/hostname") == (None, None)
    finally:
        aside.rename(written)
    status, body = answer(server, "/repo/pagefind/pagefind-entry.json")
    assert status == "200 OK" and body == (written / "pagefind-entry.json").read_bytes()


def test_the_not_found_page_reloads_by_itself_and_says_when_a_save_failed(preview: Any) -> None:
    """A tab on an address not built yet (a new activity's) reloads once it is, as the other
    pages do; after a save with problems it says so, as the other pages do."""
    server = preview.server
    page = preview.error_page(404)
    assert page is not None and b"livereload" in page and b"yz-preview-failure" not in page
    server.failure = "content/events/salon.md:9: venue: 引用的阵地“nowhere”不存在"
    try:
        page = preview.error_page(404)
        assert page is not None and b"livereload" in page
        assert b"yz-preview-failure" in page and b"nowhere" in page
    finally:
        server.failure = ""
