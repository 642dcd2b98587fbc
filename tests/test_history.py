"""History from Git: stable UID through renames, SEQUENCE rising with real changes, redirects,
and the fallbacks (no repository, uncommitted file, shallow clone)."""

from __future__ import annotations

import os
import subprocess
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import icalendar
import pytest
from sitetools import load_tree, write_tree

from generator import history
from generator.model import Site
from generator.outputs import ical
from generator.views import derive_views

SALON = """
    ---
    title: 白领沙龙
    start: 2026-11-28 14:00
    end: 16:00
    location: 南部商务区党群驿站
    rrule: FREQ=MONTHLY;BYDAY=-1SA;COUNT=6
    ---
    每月最后一个周六。
"""
READING = """
    ---
    title: 读书会
    start: 2026-12-05 09:00
    end: 11:00
    location: 图书角
    ---
    一起读书。
"""


class Repo:
    """A throwaway Git repository with pinned authors and dates."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.clock = 1_780_000_000  # 2026-05-28
        self.git("init", "-q")

    def env(self) -> dict[str, str]:
        stamp = f"@{self.clock} +0800"
        return {
            **os.environ,
            "GIT_AUTHOR_NAME": "编辑",
            "GIT_AUTHOR_EMAIL": "editor@example.org",
            "GIT_COMMITTER_NAME": "编辑",
            "GIT_COMMITTER_EMAIL": "editor@example.org",
            "GIT_AUTHOR_DATE": stamp,
            "GIT_COMMITTER_DATE": stamp,
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
        }

    def git(self, *args: str) -> str:
        done = subprocess.run(
            ["git", "-c", "init.defaultBranch=main", *args],
            cwd=self.root,
            env=self.env(),
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout

    def commit(self, files: dict[str, str], message: str = "edit") -> datetime:
        write_tree(self.root, files)
        self.clock += 3600
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return datetime.fromtimestamp(self.clock, UTC)


def load(root: Path) -> Site:
    site, problems = load_tree(root)
    assert [p for p in problems if p.severity == "error"] == []
    found, problems = history.derive_history(root, "content/events", site, True)
    assert problems == []
    return replace(site, history=found)


def master(site: Site, event_id: str) -> icalendar.Event:
    feed = {f.path: f.content for f in ical.files(site, derive_views(site))}
    event = site.events[event_id]
    cal = icalendar.Calendar.from_ical(feed[f"events/{event.slug}/event.ics"])
    return next(e for e in cal.walk("VEVENT") if "RECURRENCE-ID" not in e)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path)


def test_first_commit_gives_uid_and_sequence_zero(repo: Repo) -> None:
    created = repo.commit({"content/events/salon.md": SALON})
    site = load(repo.root)
    item = site.history["salon"]
    assert item.uid == "salon@example.org"
    assert item.sequence == 0
    assert item.last_modified == created


def test_time_change_raises_sequence_and_text_change_does_not(repo: Repo) -> None:
    repo.commit({"content/events/salon.md": SALON})
    first = master(load(repo.root), "salon")
    moved = repo.commit({"content/events/salon.md": SALON.replace("14:00", "15:00")})
    repo.commit(
        {"content/events/salon.md": SALON.replace("14:00", "15:00").replace("每月", "每个月")}
    )
    site = load(repo.root)
    assert site.history["salon"].sequence == 1
    assert site.history["salon"].last_modified == moved
    second = master(site, "salon")
    assert str(second["UID"]) == str(first["UID"])
    assert int(second["SEQUENCE"]) == int(first["SEQUENCE"]) + 1
    assert second["LAST-MODIFIED"].dt == moved


def test_place_and_status_changes_count_and_cancel_is_kept(repo: Repo) -> None:
    repo.commit({"content/events/salon.md": SALON})
    repo.commit({"content/events/salon.md": SALON.replace("南部商务区党群驿站", "红E服务站")})
    cancelled = SALON.replace("南部商务区党群驿站", "红E服务站").replace(
        "rrule:", "status: cancelled\n    rrule:"
    )
    repo.commit({"content/events/salon.md": cancelled})
    site = load(repo.root)
    assert site.history["salon"].sequence == 2
    event = master(site, "salon")
    assert event["STATUS"] == "CANCELLED"
    assert int(event["SEQUENCE"]) == 2


def test_rename_keeps_uid_and_redirects_old_page(repo: Repo) -> None:
    repo.commit({"content/events/salon.md": SALON})
    repo.git("mv", "content/events/salon.md", "content/events/bailing-shalong.md")
    repo.clock += 3600
    repo.git("commit", "-q", "-m", "rename")
    # Moved into a subfolder too, and edited in the same commit.
    (repo.root / "content/events/2026").mkdir()
    repo.git("mv", "content/events/bailing-shalong.md", "content/events/2026/白领沙龙.md")
    write_tree(repo.root, {"content/events/2026/白领沙龙.md": SALON.replace("16:00", "16:30")})
    repo.clock += 3600
    repo.git("commit", "-q", "-am", "move")
    site = load(repo.root)
    (event_id,) = site.events
    item = site.history[event_id]
    assert item.uid == "salon@example.org"
    assert item.sequence == 1
    new_slug = site.events[event_id].slug
    assert set(item.former_slugs) == {"salon", "bailing-shalong"}
    stubs = {f.path: f.content.decode() for f in history.redirect_files(site)}
    assert set(stubs) == {"events/salon/index.html", "events/bailing-shalong/index.html"}
    page = stubs["events/salon/index.html"]
    assert f'content="0; url=../{new_slug}/"' in page
    assert f'<link rel="canonical" href="https://example.org/repo/events/{new_slug}/">' in page
    assert str(master(site, event_id)["UID"]) == "salon@example.org"
    # Whoever subscribed to the activity at a former address keeps receiving it (SPEC).
    feeds = {f.path: f.content for f in ical.files(site, derive_views(site))}
    current = icalendar.Calendar.from_ical(feeds[f"events/{new_slug}/event.ics"])
    for old in ("salon", "bailing-shalong"):
        kept = icalendar.Calendar.from_ical(feeds[f"events/{old}/event.ics"])
        assert kept.to_ical() == current.to_ical()  # SOURCE too: apps may move to the new one
        assert str(kept["SOURCE"]).endswith(f"/events/{new_slug}/event.ics")
        (vevent,) = kept.walk("VEVENT")
        assert str(vevent["UID"]) == "salon@example.org" and vevent["SEQUENCE"] == 1
        assert f"/events/{new_slug}/" in str(vevent["DESCRIPTION"])


def test_uncommitted_change_counts_and_untracked_file_gets_defaults(repo: Repo) -> None:
    repo.commit({"content/events/salon.md": SALON})
    write_tree(
        repo.root,
        {
            "content/events/salon.md": SALON.replace("14:00", "09:00"),
            "content/events/reading.md": READING,
        },
    )
    site = load(repo.root)
    assert site.history["salon"].sequence == 1
    assert site.history["reading"].sequence == 0
    assert site.history["reading"].uid == "reading@example.org"
    assert site.history["reading"].last_modified is None


def test_without_git_or_with_history_off_gives_defaults(tmp_path: Path) -> None:
    write_tree(tmp_path, {"content/events/salon.md": SALON})
    site, _ = load_tree(tmp_path)
    found, problems = history.derive_history(tmp_path, "content/events", site, True)
    assert problems == []
    assert found["salon"].uid == "salon@example.org" and found["salon"].sequence == 0
    found, problems = history.derive_history(tmp_path, "content/events", site, False)
    assert problems == [] and found["salon"].sequence == 0


def test_shallow_clone_is_a_problem_unless_history_is_off(
    repo: Repo, tmp_path_factory: pytest.TempPathFactory
) -> None:
    repo.commit({"content/events/salon.md": SALON})
    repo.commit({"content/events/salon.md": SALON.replace("14:00", "15:00")})
    clone = tmp_path_factory.mktemp("clone") / "site"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)],
        check=True,
        capture_output=True,
    )
    site, _ = load_tree(clone)
    _, problems = history.derive_history(clone, "content/events", site, True)
    assert [p.code for p in problems] == ["history.shallow"]
    assert "fetch-depth: 0" in problems[0].message("zh")
    _, problems = history.derive_history(clone, "content/events", site, False)
    assert problems == []


def test_a_repository_git_will_not_read_is_a_problem_not_a_reset(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A checkout another user owns (a CI container, a folder mounted into Docker): Git
    refuses it ("dubious ownership"), and an image without Git cannot read it. Building on as
    if there were no repository reset every SEQUENCE to 0, and subscribed calendars ignored
    the next change."""
    repo.commit({"content/events/salon.md": SALON})
    repo.commit({"content/events/salon.md": SALON.replace("14:00", "15:00")})
    site, _ = load_tree(repo.root)
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")  # git's own switch for this
    _, problems = history.derive_history(repo.root, "content/events", site, True)
    assert [p.code for p in problems] == ["history.unreadable"]
    told = problems[0].message("zh")
    assert "dubious ownership" in told and f"safe.directory {repo.root}" in told
    _, problems = history.derive_history(repo.root, "content/events", site, False)
    assert problems == []

    monkeypatch.delenv("GIT_TEST_ASSUME_DIFFERENT_OWNER")
    monkeypatch.setenv("PATH", str(repo.root / "no-git-here"))
    _, problems = history.derive_history(repo.root / "content", "events", site, True)
    assert [p.code for p in problems] == ["history.unreadable"]
    assert f"safe.directory {repo.root}" in problems[0].message("en")


def test_one_log_and_one_cat_file_process(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    for index in range(5):
        repo.commit({f"content/events/e{index}.md": SALON.replace("14:00", f"1{index}:00")})
    repo.commit({f"content/events/e{i}.md": SALON.replace("14:00", f"0{i}:00") for i in range(5)})
    site, _ = load_tree(repo.root)
    calls: list[str] = []
    real = subprocess.run

    def spy(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        calls.append(args[3] if args[:3] == ["git", "-c", "core.quotepath=off"] else args[0])
        return real(args, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(history.subprocess, "run", spy)
    found, _ = history.derive_history(repo.root, "content/events", site, True)
    assert calls.count("log") == 1
    assert calls.count("cat-file") == 1
    assert all(found[f"e{i}"].sequence == 1 for i in range(5))


def test_site_in_a_subfolder_of_the_repository(repo: Repo) -> None:
    repo.commit({"site/content/events/salon.md": SALON})
    repo.commit({"site/content/events/salon.md": SALON.replace("14:00", "15:00")})
    site, _ = load_tree(repo.root / "site")
    found, problems = history.derive_history(repo.root / "site", "content/events", site, True)
    assert problems == []
    assert found["salon"].sequence == 1


def test_a_build_reads_git_while_loading_with_the_same_histories(repo: Repo) -> None:
    """``build.load_site`` reads Git in a thread beside the content: same result as reading it
    after, for renames and changes alike; and no history without ``git_history``."""
    from generator import build

    repo.commit({"content/events/salon.md": SALON})
    repo.commit({"content/events/salon.md": SALON.replace("14:00", "15:00")})
    os.rename(repo.root / "content/events/salon.md", repo.root / "content/events/tea.md")
    repo.commit({})
    options = build.BuildOptions(root=repo.root, site_url="https://example.org/")
    checked = build.load_site(options)
    after, problems = history.derive_history(repo.root, "content/events", checked.site, True)
    assert problems == []
    assert checked.site.history == after
    assert checked.site.history["tea"].sequence == 1
    assert checked.site.history["tea"].uid == "salon@example.org"
    off = build.load_site(replace(options, git_history=False))
    assert off.site.history["tea"] == history.default_history("tea", "https://example.org/")


def test_a_build_reads_only_the_working_copies_that_differ_from_their_commit(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``build.load_site`` gives history the loaded files' digests: a file as committed is not
    read again, even saved with Windows line ends; a changed one is, and still counts."""
    from generator import build

    repo.commit({"content/events/salon.md": SALON, "content/events/reading.md": READING})
    write_tree(repo.root, {"content/events/salon.md": SALON.replace("14:00", "09:00")})
    crlf = (repo.root / "content/events/reading.md").read_bytes().replace(b"\n", b"\r\n")
    (repo.root / "content/events/reading.md").write_bytes(crlf)
    read: list[str] = []
    reader = history.read_working_copy
    monkeypatch.setattr(
        history, "read_working_copy", lambda root, path: read.append(path) or reader(root, path)
    )
    options = build.BuildOptions(root=repo.root, site_url="https://example.org/")
    site = build.load_site(options).site
    assert read == ["content/events/salon.md"]
    assert site.history["salon"].sequence == 1
    assert site.history["reading"].sequence == 0
    monkeypatch.undo()
    every, _ = history.derive_history(repo.root, "content/events", site, True)
    assert site.history == every  # as when every working copy is read


def test_git_is_read_again_only_when_another_commit_is_checked_out(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``yizhan serve`` rebuilds after every save: what Git holds is read once per commit
    checked out, and an uncommitted change still counts (the working copy is compared)."""
    repo.commit({"content/events/salon.md": SALON})
    first = history.read_repository(repo.root, "content/events")
    logs: list[list[str]] = []
    real = subprocess.run

    def spy(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        if "log" in args:
            logs.append(args)
        return real(args, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(history.subprocess, "run", spy)
    assert history.read_repository(repo.root, "content/events") is first
    write_tree(repo.root, {"content/events/salon.md": SALON.replace("14:00", "15:00")})
    assert load(repo.root).history["salon"].sequence == 1  # the save, not committed
    assert logs == []
    repo.commit({"content/events/salon.md": SALON.replace("14:00", "13:00")})
    again = history.read_repository(repo.root, "content/events")
    assert again is not first and len(logs) == 1
    assert load(repo.root).history["salon"].sequence == 1  # one committed change of time
    repo.git("checkout", "-q", "HEAD~1")
    assert load(repo.root).history["salon"].sequence == 0
    assert len(logs) == 2


def committed_then_renamed(repo: Repo, name: str) -> Site:
    """The site after the activity ``content/events/<name>.md`` was committed, then renamed
    ``<name>-salon.md`` in a commit an hour later."""
    repo.commit({f"content/events/{name}.md": SALON})
    repo.git("mv", f"content/events/{name}.md", f"content/events/{name}-salon.md")
    repo.clock += 3600
    repo.git("commit", "-q", "-m", "rename")
    return load(repo.root)


def test_a_former_address_a_generated_page_has_gets_no_redirect(repo: Repo) -> None:
    """An activity committed as ``past.md`` (told: /events/past/ is the past page's) then
    renamed: the past page keeps its address, no redirect claims it, and the site builds
    (every build after the rename had stopped on url.reserved, whatever the editor did)."""
    site = committed_then_renamed(repo, "past")
    assert "past" in site.history["past-salon"].former_slugs
    assert not [f.path for f in history.redirect_files(site) if f.path.startswith("events/past/")]
    paths = [f.path for f in ical.files(site, derive_views(site))]
    assert "events/past/event.ics" not in paths


def test_a_former_address_windows_cannot_have_gets_no_redirect(repo: Repo) -> None:
    """An activity committed as ``con.md`` (told: Windows cannot have that name) and renamed
    as asked: its redirect would have been the folder ``events/con/`` again."""
    site = committed_then_renamed(repo, "con")
    assert "con" in site.history["con-salon"].former_slugs
    assert not [f.path for f in history.redirect_files(site) if f.path.startswith("events/con/")]
