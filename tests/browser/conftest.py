"""The demo site built under a ``/repo/`` base path and served on 127.0.0.1, as GitHub Pages
serves a project site; and Debian's Chromium driven by Playwright (no browser download).

Needs: ``apt-get install chromium fonts-noto-cjk`` and ``npm ci --prefix tests/browser``
(axe-core). Without /usr/bin/chromium the browser tests are skipped; the build tests still run.
"""

from __future__ import annotations

import functools
import http.server
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest

# The site to build: this repository's demo site, or another site root (a scratch copy).
REPO = Path(os.environ.get("YIZHAN_SITE_ROOT") or Path(__file__).resolve().parents[2])
BASE_PATH = "/repo/"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
AXE_JS = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("YIZHAN_SCREENSHOTS", "/tmp/yizhan-browser"))


@dataclass(frozen=True)
class BuiltSite:
    root: Path
    """The served folder; the site itself is ``root / "repo"``."""
    base_url: str
    """``http://127.0.0.1:<port>/repo/``: the site_url it was built with."""

    @property
    def dir(self) -> Path:
        return self.root / BASE_PATH.strip("/")


class PagesLikeHandler(http.server.SimpleHTTPRequestHandler):
    """Static files like GitHub Pages: the site's 404.html for any missing path."""

    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".ics": "text/calendar",
        ".xml": "application/xml",
        ".js": "text/javascript",
        ".json": "application/json",
    }

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / BASE_PATH.strip("/") / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSite]:
    root = tmp_path_factory.mktemp("served")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}{BASE_PATH}"
    env = {**os.environ, "SITE_URL": base_url, "NO_MKDOCS_2_WARNING": "1"}
    out = root / BASE_PATH.strip("/")
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "-f",
        str(REPO / "mkdocs.yml"),
        "-d",
        str(out),
    ]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        pytest.fail(f"demo site build failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
    handler = functools.partial(PagesLikeHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield BuiltSite(root, base_url)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        # In CI a missing browser is a failure, never a quiet skip.
        (pytest.fail if os.environ.get("CI") else pytest.skip)(
            f"no Chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)"
        )
    if not AXE_JS.is_file():
        pytest.fail(f"axe-core missing: run `npm ci --prefix {AXE_JS.parents[2]}`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()
