"""`yizhan serve`: a live preview that shows drafts and rebuilds when an editor saves."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from buildtools import FIXTURE_SITE, copy_site, env


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


def wait_for(url: str, text: str, seconds: float = 90) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = fetch(url)
        if page is not None and text in page:
            return True
        time.sleep(0.3)
    return False


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
