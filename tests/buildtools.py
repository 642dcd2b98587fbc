"""Helpers for tests that build whole sites with the real command line and MkDocs."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

FIXTURE_SITE = Path(__file__).parent / "fixtures" / "site"
REPO = Path(__file__).parent.parent
# 2026-11-22 10:00 Asia/Shanghai: every fixture build sees the same day.
EPOCH = "1795312800"


def copy_site(source: Path, target: Path) -> Path:
    """Copy a fixture site out of the repository, so git history does not apply to it."""
    shutil.copytree(source, target, dirs_exist_ok=True)
    return target


def env(**extra: str) -> dict[str, str]:
    values = dict(os.environ)
    values.update({"SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"})
    values.pop("SITE_URL", None)
    values.update(extra)
    return values


def run(args: list[str], cwd: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=env(**extra), capture_output=True, text=True, timeout=600, check=False
    )


def yizhan(cwd: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "generator.cli", *args], cwd, **extra)


def mkdocs(cwd: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "mkdocs", *args], cwd, **extra)


def tree_digest(root: Path) -> dict[str, str]:
    """Every file below root with the SHA-256 of its bytes."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def set_fast(site: Path, value: str) -> None:
    """Set the fixture site's ``fast`` option (issue 5's lean path; unset: automatic)."""
    config = site / "mkdocs.yml"
    text = re.sub(r"\n      fast: \w+", "", config.read_text(encoding="utf-8"))
    assert "git_history: false" in text
    config.write_text(
        text.replace("git_history: false", f"git_history: false\n      fast: {value}"),
        encoding="utf-8",
    )


def record_forks(monkeypatch: Any) -> list[int]:
    """The pids of the processes this test forks from now on (``os.fork`` recorded)."""
    forked: list[int] = []
    fork = os.fork

    def recording_fork() -> int:
        pid = fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recording_fork)
    return forked


def assert_reaped(forked: list[int]) -> None:
    """Each forked process ended and was waited for: neither running nor a zombie."""
    assert forked, "nothing was forked: nothing to check"
    for pid in forked:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            continue
        raise AssertionError(f"process {pid} was left behind")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    """``folder`` served over HTTP on a free port, with no log line a request: its address
    (``http://127.0.0.1:PORT/``)."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
