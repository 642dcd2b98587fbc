"""A warm build links the last build's files into its site while it loads (issue 5), and the
site it publishes is still exactly what a cold build of the same content gives: nothing the
content no longer makes, nothing written through a link into the cache or the previous site,
nothing left beside the site when the build fails."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from buildtools import FIXTURE_SITE, copy_site, set_fast, tree_digest, yizhan

from generator.lean import prelink
from generator.lean.cache import PageCache, page_entry
from generator.lean.prelink import Prelink

LINKED_RE = re.compile(r"yizhan: (\d+) files of the last build linked at its start")


def build(site: Path, out: Path) -> str:
    result = yizhan(site, "build", "-d", str(out), YIZHAN_WORKERS="2")
    assert result.returncode == 0, result.stderr
    return result.stderr


def folders(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_dir()}


def test_entries_are_linked_unless_changed_then_released_and_pruned(tmp_path: Path) -> None:
    cache = PageCache(tmp_path / "cache")
    old_site = tmp_path / "old"
    pages = {"a/index.html": "k1" * 10, "b/c/index.html": "k2" * 10, "d/index.html": "k3" * 10}
    for rel, key in pages.items():
        (old_site / rel).parent.mkdir(parents=True, exist_ok=True)
        cache.add_page(key, f"<p>{rel}</p>".encode(), old_site / rel)
    cache.prune(pages.values())
    placed = {rel: page_entry(key) for rel, key in pages.items()}
    prelink.record(tmp_path / "cache", cache.published(placed))
    with (old_site / "d/index.html").open("r+b") as f:  # edited in place, and so its entry
        f.write(b"<q>")

    site = tmp_path / "site"
    linking = Prelink.start(tmp_path / "cache", site)
    assert linking is not None
    linking.join()
    entry = cache.entry_id(page_entry(pages["a/index.html"]))
    assert linking.holds("a/index.html", entry)
    assert not linking.holds("a/index.html", cache.entry_id(page_entry("other")))
    assert not linking.holds("d/index.html", cache.entry_id(page_entry(pages["d/index.html"])))
    staged = linking.staging
    assert staged.parent == site.parent and staged != site
    assert (staged / "a/index.html").stat().st_ino == (old_site / "a/index.html").stat().st_ino
    assert not (staged / "d/index.html").exists()

    site.mkdir()
    linking.move_into(site)
    assert (
        not staged.exists() and (site / "b/c/index.html").read_bytes() == b"<p>b/c/index.html</p>"
    )
    linking.release(["a/index.html", "nothing/there.html"])
    assert not (site / "a/index.html").exists() and not linking.holds("a/index.html", entry)
    linking.prune(["a/index.html"])  # published again (by another writer), so not stale
    assert not (site / "b").exists()  # b/c/index.html is stale: file and empty folders go
    assert (site / "a").is_dir()
    assert (old_site / "b/c/index.html").read_bytes() == b"<p>b/c/index.html</p>"


def test_a_damaged_manifest_links_nothing(tmp_path: Path) -> None:
    assert Prelink.start(tmp_path / "cache", tmp_path / "site") is None  # no manifest
    (tmp_path / "cache").mkdir()
    for text in ["{", '{"../up.html": ["pages/ab/x.html", 1, 2]}', '{"a.html": 3}']:
        (tmp_path / "cache" / prelink.MANIFEST).write_text(text, encoding="utf-8")
        linking = Prelink.start(tmp_path / "cache", tmp_path / "site")
        assert linking is not None
        linking.join()
        assert linking.linked == {} and list(linking.staging.iterdir()) == []
        linking.staging.rmdir()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = copy_site(FIXTURE_SITE, tmp_path / "site")
    set_fast(site, "true")
    return site


def test_a_warm_build_after_edits_is_the_cold_build_of_the_new_content(
    site: Path, tmp_path: Path
) -> None:
    """An activity deleted (its page must go), a static file where the last build published
    that activity's feed (MkDocs copies it in place: it must not write into the cache), an
    article edited: the warm build gives the cold build's bytes and folders."""
    first = tmp_path / "first"
    assert LINKED_RE.search(build(site, first)) is None  # no last build to link from
    manifest = json.loads((site / ".cache/yizhan/build" / prelink.MANIFEST).read_text("utf-8"))
    assert "events/salon/index.html" in manifest and "calendar.ics" in manifest
    published = tree_digest(first)

    (site / "content/events/salon.md").unlink()
    (site / "content/events/salon").mkdir()
    (site / "content/events/salon/event.ics").write_bytes(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    article = next((site / "content/news").rglob("*.md"))
    article.write_text(article.read_text("utf-8") + "\n补记一段。\n", encoding="utf-8")
    log = build(site, tmp_path / "warm")
    linked = LINKED_RE.search(log)
    assert linked is not None and int(linked.group(1)) > 40, log

    assert tree_digest(first) == published  # nothing written through a link into the cache
    assert not (tmp_path / "warm/events/salon/index.html").exists()
    assert (
        (tmp_path / "warm/events/salon/event.ics")
        .read_bytes()
        .startswith(b"BEGIN:VCALENDAR\r\nEND")
    )
    shutil.rmtree(site / ".cache")
    build(site, tmp_path / "cold")
    assert tree_digest(tmp_path / "warm") == tree_digest(tmp_path / "cold")
    assert folders(tmp_path / "warm") == folders(tmp_path / "cold")


def test_a_warm_build_that_fails_leaves_the_site_and_nothing_beside_it(site: Path) -> None:
    assert yizhan(site, "build").returncode == 0
    assert yizhan(site, "build").returncode == 0  # the second one links from the first
    before = tree_digest(site / "site")
    inode = os.stat(site / "site/calendar.ics").st_ino
    (site / "content/events/broken.md").write_text(
        "---\ntitle: 坏\nstart: 明天\n---\n", encoding="utf-8"
    )
    result = yizhan(site, "build")
    assert result.returncode != 0 and "content/events/broken.md:3: start:" in result.stderr
    assert tree_digest(site / "site") == before
    assert os.stat(site / "site/calendar.ics").st_ino == inode
    assert [p.name for p in site.iterdir() if p.name.startswith(".site")] == []


def test_a_linking_process_that_fails_leaves_an_empty_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever a failed linking process may have linked is not trusted: none of it stays."""
    cache = PageCache(tmp_path / "cache")
    (tmp_path / "old").mkdir()
    cache.add_page("k" * 20, b"<p>", tmp_path / "old" / "index.html")
    cache.prune(["k" * 20])
    prelink.record(tmp_path / "cache", cache.published({"a/index.html": page_entry("k" * 20)}))

    def link_then_fail(manifest: prelink.Manifest, folder: str, site: str) -> dict[str, str]:
        prelink.link_all(manifest, folder, site)
        raise RuntimeError("disk gone")

    monkeypatch.setattr(prelink, "link_all", link_then_fail)
    linking = Prelink.start(tmp_path / "cache", tmp_path / "site")
    assert linking is not None
    linking.join()
    assert linking.linked == {} and list(linking.staging.iterdir()) == []


def test_search_parts_the_content_no_longer_has_leave_with_their_folders(
    site: Path, tmp_path: Path
) -> None:
    """The index in parts (forced): the last build's parts are linked in at the start; the
    reused ones stay, the part of the deleted activities goes, the rest is Pagefind's again."""
    parts = {"YIZHAN_SEARCH_SHARD_PAGES": "1", "YIZHAN_WORKERS": "2"}

    def build_in_parts(out: Path) -> str:
        result = yizhan(site, "build", "-d", str(out), **parts)
        assert result.returncode == 0, result.stderr
        return result.stderr

    build_in_parts(tmp_path / "first")
    listed = json.loads((tmp_path / "first/pagefind/shards/index.json").read_text("utf-8"))
    assert "events-series" in listed, listed
    for recurring in ("salon", "reception"):  # the coming series: their part goes
        (site / f"content/events/{recurring}.md").unlink()
    log = build_in_parts(tmp_path / "warm")
    assert LINKED_RE.search(log) is not None
    assert "of" in log and "parts indexed" in log
    left = json.loads((tmp_path / "warm/pagefind/shards/index.json").read_text("utf-8"))
    assert left == [n for n in listed if n != "events-series"], left
    shutil.rmtree(site / ".cache")
    build_in_parts(tmp_path / "cold")
    assert tree_digest(tmp_path / "warm") == tree_digest(tmp_path / "cold")
    assert folders(tmp_path / "warm") == folders(tmp_path / "cold")


def test_where_links_cannot_be_made_nothing_is_linked_and_no_folder_is_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A site on another file system than its cache: the first link fails (EXDEV); the
    folders made for it go, and the build publishes copies as before."""
    cache = PageCache(tmp_path / "cache")
    (tmp_path / "old").mkdir()
    keys = {"a/b/index.html": "k" * 20, "c/index.html": "m" * 20}
    for rel, key in keys.items():
        cache.add_page(key, rel.encode(), tmp_path / "old" / key)
    cache.prune(keys.values())
    prelink.record(
        tmp_path / "cache",
        cache.published({rel: page_entry(key) for rel, key in keys.items()}),
    )

    def cross_device(source: str, target: str) -> None:
        if os.path.isdir(os.path.dirname(target)):
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        raise FileNotFoundError(target)

    monkeypatch.setattr(prelink.os, "link", cross_device)
    linking = Prelink.start(tmp_path / "cache", tmp_path / "site")
    assert linking is not None
    linking.join()
    assert linking.linked == {} and list(linking.staging.iterdir()) == []
