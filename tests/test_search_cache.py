"""The search index's cache (``search.BundleCache``) when two builds keep one part at once.

In ``yizhan serve`` a build's Pagefind runs on in the background after the build is served, so
the next save's build may index and keep the same part while it does. Keeping must then
neither fail (a failed part stopped its runner: the rest of the index was never written) nor
leave a part the next build cannot trust.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from pathlib import Path

import pytest

from generator.lean import search


def index_files(folder: Path, text: str) -> Path:
    """A folder shaped like a part Pagefind wrote."""
    (folder / "index").mkdir(parents=True)
    (folder / "pagefind-entry.json").write_text(text, encoding="utf-8")
    (folder / "index" / "zh_1.pf_index").write_bytes(text.encode() * 100)
    return folder


def test_two_builds_keeping_one_part_at_once_both_succeed(tmp_path: Path) -> None:
    cache = search.BundleCache(tmp_path / "cache" / "search" / "news", "k1", tmp_path / "cache")
    outputs = [index_files(tmp_path / f"out{i}", "同一个索引") for i in range(6)]
    errors: list[BaseException] = []

    def keep(output: Path) -> None:
        try:
            for _ in range(30):
                cache.keep(output)
        except BaseException as error:  # reported below, in the test thread
            errors.append(error)

    threads = [threading.Thread(target=keep, args=(out,)) for out in outputs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    stamps = cache.stamps()
    assert stamps is not None and cache.trusted(stamps)
    assert sorted(stamps) == ["index/zh_1.pf_index", "pagefind-entry.json"]


def test_a_part_kept_again_replaces_an_index_that_changed_and_drops_other_keys(
    tmp_path: Path,
) -> None:
    root = tmp_path / "cache" / "search" / "news"
    old = search.BundleCache(root, "k0", tmp_path / "cache")
    old.keep(index_files(tmp_path / "a", "旧"))
    cache = search.BundleCache(root, "k1", tmp_path / "cache")
    cache.keep(index_files(tmp_path / "b", "新"))
    assert [p.name for p in root.iterdir()] == ["k1"]
    # an entry edited in place (through a published hard link) is not trusted any more
    (root / "k1" / "pagefind-entry.json").write_text("改过", encoding="utf-8")
    stamps = cache.stamps()
    assert stamps is not None and not cache.trusted(stamps)
    cache.keep(index_files(tmp_path / "c", "新"))  # Pagefind ran again: the same key
    stamps = cache.stamps()
    assert stamps is not None and cache.trusted(stamps)
    assert (root / "k1" / "pagefind-entry.json").read_text(encoding="utf-8") == "新"


def test_an_index_pruned_while_it_is_published_is_a_miss(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save that goes back to what the build before last indexed finds that index kept,
    while the last build's Pagefind, still running, keeps its own and drops the others: the
    files went away under the publishing build, which failed, and the preview went on serving
    the site before the save. Now it is a miss (Pagefind indexes the part again) that leaves
    no file of it in the site."""
    root = tmp_path / "cache" / "search" / "main"
    cache = search.BundleCache(root, "k0", tmp_path / "cache")
    cache.keep(index_files(tmp_path / "a", "旧"))
    placed = search.place
    other = search.BundleCache(root, "k1", tmp_path / "cache")
    newer = index_files(tmp_path / "b", "新")

    ended: list[bool] = []

    def pruned_meanwhile(source: Path, target: Path) -> None:
        placed(source, target)
        if not ended:
            ended.append(True)
            other.keep(newer)  # the other build's Pagefind ends: k0 goes

    monkeypatch.setattr(search, "place", pruned_meanwhile)
    output = tmp_path / "site" / "pagefind"
    assert cache.publish(output) is None
    assert [p for p in output.rglob("*") if p.is_file()] == []


def article(i: int) -> str:
    words = "党群服务中心 志愿服务 社区活动 青年 读书会 健康讲座 " * 20
    return (
        '<html lang="zh"><body><article class="md-content__inner md-typeset" '
        f"data-pagefind-body><h1>第{i}篇</h1><p>{words}{i}</p></article></body></html>"
    )


def test_an_index_given_up_while_pagefind_runs_stops_quietly_and_writes_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """``yizhan serve`` removes a folder it no longer serves while that folder's index may
    still be made in the background: the index is given up first, Pagefind stops, no
    warning or traceback follows, and nothing is written into the removed folder again."""
    site = tmp_path / "site"
    pages = []
    for i in range(1500):
        rel = f"news/a{i}/index.html"
        (site / rel).parent.mkdir(parents=True)
        (site / rel).write_text(article(i), encoding="utf-8")
        pages.append(rel)
    indexing = search.start_index(site, "zh", {"": pages[:700], "news-2026": pages[700:]})
    assert indexing is not None
    deadline = time.monotonic() + 60
    while not indexing.services and time.monotonic() < deadline:
        time.sleep(0.01)
    assert indexing.services, "Pagefind never started"
    caplog.set_level(logging.DEBUG, logger="mkdocs.plugins.yizhan.search")
    indexing.cancel()
    assert all(service.process.poll() is not None for service in indexing.services)
    shutil.rmtree(site)
    waiting = threading.Thread(target=indexing.wait_in_background)
    waiting.start()
    waiting.join(timeout=60)
    assert not waiting.is_alive()
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    time.sleep(0.5)
    assert not site.exists(), "something was written into the removed folder"
