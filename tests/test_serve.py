"""`yizhan serve`: a live preview that shows drafts and rebuilds when an editor saves."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from buildtools import FIXTURE_SITE, copy_site, env, set_fast


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


def test_serve_shows_drafts_and_rebuilds_on_save(tmp_path: Path) -> None:
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
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
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_serve_shows_a_saved_activity_first_then_updates_listings_and_feeds(
    tmp_path: Path,
) -> None:
    """Issue 5: the quick path shows the edited page before the full rebuild; listings and
    feeds are never served stale (they wait for the rebuild); a broken edit keeps the last
    good site served and says why."""
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    set_fast(site, "true")
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "generator.cli", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=site,
            env=env(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}/repo/"
        assert wait_for(f"{base}events/salon/", "白领沙龙"), log.read_text()
        event = site / "content" / "events" / "salon.md"
        original = event.read_text(encoding="utf-8")
        event.write_text(original.replace("title: 白领沙龙", "title: 白领沙龙（改期）"), "utf-8")
        assert wait_for(f"{base}events/salon/", "白领沙龙（改期）"), log.read_text()
        # Asked right after the page showed: each waits for the rebuild, none is stale.
        for dependent in ("events.json", "calendar.ics", "events/", "calendar.ics"):
            assert "白领沙龙（改期）" in (fetch(base + dependent) or ""), dependent
        assert "1 page(s) previewed" in log.read_text(encoding="utf-8")
        # Idle once done: a build reading the content must not count as a change (inotify
        # reports files being opened), or the preview would rebuild for ever.
        builds = log.read_text(encoding="utf-8").count("Documentation built")
        time.sleep(4)
        assert log.read_text(encoding="utf-8").count("Documentation built") == builds

        event.write_text(original.replace("venue: yizhan", "venue: nowhere"), "utf-8")
        assert wait_for_log(log, "nowhere"), log.read_text()
        page = fetch(f"{base}events/salon/")  # answered, not held: the last good site
        assert page is not None and "白领沙龙（改期）" in page
        event.write_text(original, "utf-8")
        assert wait_for(f"{base}events.json", '"白领沙龙"'), log.read_text()
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_for_log(log: Path, text: str, seconds: float = 60) -> bool:
    return eventually(lambda: text in log.read_text(encoding="utf-8"), seconds, every=0.2)
