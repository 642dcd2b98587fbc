"""What the Git history says of each activity: a stable UID, SEQUENCE, LAST-MODIFIED, old slugs.

Subscribed calendars only update an activity when its SEQUENCE rises (RFC 5545 3.8.7.4), and
they match it by UID. Editors should not have to maintain either, so both come from the
repository: ONE ``git log`` over the events folder (renames followed) and ONE ``git cat-file
--batch`` for the old file contents, however many activities there are.

- UID: ``<first id>@<site host>``, from the first file name of the activity's line of renames.
- SEQUENCE: how many commits changed its time, place, status or rule (+1 when the working
  tree differs in those fields from the last commit, so a preview shows the coming change).
- LAST-MODIFIED: the commit time of the last such change (of its creation if none).
- former slugs: slugs of earlier file names, for redirect pages.

Without Git, outside a repository or for an uncommitted file: UID from the current id,
SEQUENCE 0. A shallow checkout is a problem (``history.shallow``) unless history is switched off:
it would silently reset every SEQUENCE, and calendars would ignore the next change. So is a
repository Git will not read (``history.unreadable``): a checkout owned by another user (Git's
"dubious ownership", a CI container or a mounted folder), or a ``.git`` with no ``git`` to read it.
"""

from __future__ import annotations

import html
import os
import subprocess
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path, PurePosixPath
from urllib.parse import quote, urlsplit

from . import urls
from .load import normalise_text, text_digest
from .model import EventHistory, Site
from .plan import FileSpec
from .problems import Origin, Problem, problem

SIGNIFICANT_FIELDS = (
    "start",
    "end",
    "duration",
    "all_day",
    "timezone",
    "venue",
    "location",
    "online",
    "status",
    "rrule",
    "exdate",
    "rdate",
    "overrides",
)
"""Front matter keys whose change must reach subscribed calendars (time, place, status, rule)."""

RawFields = Mapping[str, object]
FrontMatterParser = Callable[[str, str], tuple[RawFields, object]]


def default_uid(event_id: str, site_url: str) -> str:
    """``<id>@<host>``; a Chinese id is percent-encoded so the UID stays ASCII for every client."""
    return f"{quote(event_id, safe='-._~')}@{site_host(site_url)}"


@lru_cache(maxsize=16)
def site_host(site_url: str) -> str:
    return urlsplit(site_url).hostname or "localhost"


def default_history(event_id: str, site_url: str) -> EventHistory:
    return EventHistory(uid=default_uid(event_id, site_url))


def read_front_matter(text: str, path: str) -> tuple[RawFields, object]:
    """Old front matter as plain values, through the loader (the only module reading YAML)."""
    from .load import parse_front_matter, to_plain

    front, _body, _line, problems = parse_front_matter(text, path)
    plain = to_plain(front)
    return (plain if isinstance(plain, dict) else {}), problems


@dataclass(frozen=True)
class Repository:
    """What Git holds of the activities folder: it does not depend on the site, so it can be
    read while the content loads (``build.load_site``)."""

    git: GitRunner
    shallow: bool
    lineages: tuple[Lineage, ...] = ()
    blobs: Mapping[str, str] = field(default_factory=dict)
    unreadable: str = ""
    """Why Git would not read the repository there is (git's own words), "" if it did."""
    top: str = ""
    """The folder of that repository (its ``.git``'s)."""


LAST_READ: tuple[tuple[str, str, str, bytes, bool], Repository] | None = None
"""The last repository read, by where and at which commit (perf, issue 5): ``yizhan serve``
rebuilds after every save, and what Git holds changes only with HEAD (a commit, a checkout)
or the clone's depth; the working copy is compared with it by ``derive_history``. Reading a
district's ten years of history again took ~0.5 s of the interpreter's lock per rebuild."""


def read_repository(root: Path, events_dir: str) -> Repository | None:
    """The activities' Git history below ``root``; None without Git or a commit."""
    global LAST_READ
    git = GitRunner(root)
    if not git.available():
        top = git.unread_repository()
        return Repository(git, False, unreadable=git.failure, top=top) if top else None
    shallow = git.is_shallow()
    key = (str(root.resolve()), events_dir, git.prefix, git.head, shallow)
    last = LAST_READ
    if last is not None and last[0] == key:
        return last[1]
    if shallow:
        repository = Repository(git, shallow=True)
    else:
        lineages = read_lineages(git, events_dir.strip("/"))
        blobs = git.read_blobs({v.blob for lin in lineages for v in lin.versions})
        repository = Repository(git, False, tuple(lineages), blobs)
    LAST_READ = (key, repository)
    return repository


def derive_history(
    root: Path,
    events_dir: str,
    site: Site,
    enabled: bool = True,
    parse: FrontMatterParser = read_front_matter,
    repository: Callable[[], Repository | None] | None = None,
    digests: Mapping[str, str] | None = None,
) -> tuple[dict[str, EventHistory], list[Problem]]:
    """Histories of every activity of ``site``, from the Git repository holding ``root``.

    ``events_dir`` is the activities folder relative to ``root`` (``content/events``); ``parse``
    reads an old version's front matter into raw values; ``repository`` gives what
    ``read_repository`` read already (else it is read here); ``digests`` are the loaded
    files' ``load.text_digest`` by site path, if known. Returns histories and problems.
    """
    site_url = site.config.uid_base
    defaults = {i: default_history(i, site_url) for i in site.events}
    if not enabled:
        return defaults, []
    repo = repository() if repository is not None else read_repository(root, events_dir)
    if repo is None:
        return defaults, []
    if repo.shallow:
        return defaults, [problem(Origin("mkdocs.yml", 1), "history.shallow", "git_history")]
    if repo.unreadable:
        return defaults, [
            problem(
                Origin("mkdocs.yml", 1), "history.unreadable", "git_history",
                reason=repo.unreadable, path=repo.top,
            )
        ]  # fmt: skip
    git, lineages, blobs = repo.git, repo.lineages, repo.blobs

    # perf (issue 5): most working copies equal their last commit; parse each text once.
    seen: dict[str, tuple[tuple[str, str], ...] | None] = {}

    def fields_of(text: str | None, path: str) -> tuple[tuple[str, str], ...] | None:
        if text is None:
            return None
        if text not in seen:
            seen[text] = parse_fields(text, path)
        return seen[text]

    def parse_fields(text: str, path: str) -> tuple[tuple[str, str], ...] | None:
        try:
            raw, _ = parse(text, path)
        except Exception:  # an old unreadable version counts as "unknown", not a crash
            return None
        return significant(raw)

    by_path = {lin.path: lin for lin in lineages if lin.alive}
    out = dict(defaults)
    current_slugs = {e.slug for e in site.events.values()}
    for event_id, event in site.events.items():
        repo_path = git.prefix + event.source.path
        lineage = by_path.get(repo_path)
        if lineage is None:
            continue  # not committed yet
        sequence, last = 0, lineage.versions[0].time
        # perf (issue 5): a version whose text is the one before it has that version's fields
        # and changes nothing, so it is not parsed; most activities are one commit, unedited
        # since, and are never parsed here. ``basis`` is the latest text whose fields parsed.
        first = blobs.get(lineage.versions[0].blob)
        basis, basis_path, before = first, repo_path, first
        for version in lineage.versions[1:]:
            text = blobs.get(version.blob)
            if text == before:
                continue
            before = text
            now = fields_of(text, version.path)
            previous = fields_of(basis, basis_path)
            if now is not None and previous is not None and now != previous:
                sequence += 1
                last = version.time
            if now is not None:
                basis, basis_path = text, version.path
        loaded = digests.get(event.source.path) if digests else None
        # perf (issue 5): a working copy loaded as its last commit's text is not read again
        # (15,000 files on a district, ~0.4 s); any other is read and compared as it was.
        # ``before`` is decoded as loading decodes (one BOM dropped), line ends aside.
        same = (
            loaded is not None
            and before is not None
            and loaded == text_digest(normalise_text(before))
        )
        working = None if same else read_working_copy(root, event.source.path)
        if working is not None:
            text = working.decode("utf-8-sig", errors="replace")
            if text != before:
                now = fields_of(text, repo_path)
                previous = fields_of(basis, basis_path)
                if now is not None and previous is not None and now != previous:
                    sequence += 1
                    last = max(last, build_stamp(site))
        former = []
        for old_path, old_text in lineage.names(blobs):
            slug = slug_for(PurePosixPath(old_path).stem, old_text, parse, old_path)
            if slug and slug != event.slug and slug not in current_slugs and slug not in former:
                former.append(slug)
        first_id = PurePosixPath(lineage.versions[0].path).stem
        out[event_id] = EventHistory(
            uid=default_uid(first_id, site_url),
            sequence=sequence,
            last_modified=last,
            former_slugs=tuple(former),
        )
    return out, []


def read_working_copy(root: Path, path: str) -> bytes | None:
    """The file as it is in the working tree, or None (perf: 15,000 of them on a district,
    read without ``pathlib``'s overhead)."""
    try:
        with open(os.path.join(root, path), "rb") as handle:
            return handle.read()
    except OSError:  # gone, or not a file
        return None


def significant(raw: RawFields) -> tuple[tuple[str, str], ...]:
    """The values of the fields that matter to calendars, comparable across versions."""
    return tuple(
        (k, repr(raw[k])) for k in SIGNIFICANT_FIELDS if k in raw and raw[k] not in ("", None)
    )


def build_stamp(site: Site) -> datetime:
    """The instant of an uncommitted change: the build's own time if known, else its day."""
    if site.config.build_time is not None:
        return site.config.build_time.astimezone(UTC)
    return datetime(
        site.config.today.year, site.config.today.month, site.config.today.day, tzinfo=UTC
    )


def slug_for(stem: str, text: str | None, parse: FrontMatterParser, path: str) -> str:
    """The slug an old version of a file had: its ``slug:`` field, its id, or pinyin."""
    if text is not None:
        try:
            raw, _ = parse(text, path)
            value = raw.get("slug")
            if isinstance(value, str) and urls.is_valid_slug(value.strip()):
                return value.strip()
        except Exception:
            pass
    return stem if urls.is_valid_slug(stem) else urls.slugify(stem)


# --- git -------------------------------------------------------------------------------------


@dataclass
class Version:
    commit: str
    time: datetime
    path: str
    blob: str


@dataclass
class Lineage:
    """One activity file through its renames, oldest version first."""

    versions: list[Version]
    alive: bool = True

    @property
    def path(self) -> str:
        return self.versions[-1].path

    def names(self, blobs: Mapping[str, str]) -> Iterable[tuple[str, str | None]]:
        """Each earlier path with the content it had last under that path."""
        last_by_path: dict[str, str] = {}
        for version in self.versions:
            last_by_path[version.path] = version.blob
        current = self.path
        return [(p, blobs.get(b)) for p, b in last_by_path.items() if p != current]


class GitRunner:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.prefix = ""
        self.head = b""
        """The commit checked out (``available``)."""
        self.failure = ""
        """What git said when it last failed (its first line), or why it could not run."""
        self.outside = True
        """Whether ``available`` found no repository for Git (not: one without a commit)."""

    def run(self, *args: str, stdin: bytes | None = None) -> bytes | None:
        env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
        try:
            done = subprocess.run(
                ["git", "-c", "core.quotepath=off", *args],
                cwd=self.root,
                input=stdin,
                capture_output=True,
                env=env,
                check=False,
            )
        except OSError as error:
            self.failure = f"git: {error.strerror or error}"
            return None
        if done.returncode != 0:
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()
            self.failure = said[0].removeprefix("fatal: ") if said else f"git {args[0]}"
            return None
        return done.stdout

    def available(self) -> bool:
        prefix = self.run("rev-parse", "--show-prefix")
        self.outside = prefix is None
        head = self.run("rev-parse", "--verify", "-q", "HEAD") if prefix is not None else None
        if prefix is None or head is None:
            return False
        self.prefix, self.head = prefix.decode("utf-8").strip(), head.strip()
        return True

    def unread_repository(self) -> str:
        """After ``available`` found no repository: the folder of one there is all the same
        (a ``.git`` here or above) that Git would not or could not read, else "". Git refuses
        a checkout another user owns ("dubious ownership": a CI container, a mounted folder),
        and an image without Git cannot read one: building on would silently reset every
        activity's SEQUENCE and LAST-MODIFIED, and the UID of every renamed one."""
        if not self.outside:
            return ""
        folder = self.root.resolve()
        for above in (folder, *folder.parents):
            if (above / ".git").exists():
                self.failure = self.failure or "git rev-parse"
                return str(above)
        return ""

    def is_shallow(self) -> bool:
        out = self.run("rev-parse", "--is-shallow-repository")
        return out is not None and out.strip() == b"true"

    def log(self, folder: str) -> bytes:
        out = self.run(
            "log",
            "--reverse",
            "--first-parent",
            "--diff-merges=first-parent",
            "-M",
            "--raw",
            "--no-abbrev",
            "-z",
            "--format=%x1e%H %ct",
            "--",
            folder,
        )
        return out or b""

    def read_blobs(self, shas: Iterable[str]) -> dict[str, str]:
        """Contents of many blobs through one ``git cat-file --batch`` process."""
        wanted = sorted(set(shas))
        if not wanted:
            return {}
        out = self.run("cat-file", "--batch", stdin="".join(s + "\n" for s in wanted).encode())
        if out is None:
            return {}
        blobs: dict[str, str] = {}
        pos = 0
        while pos < len(out):
            eol = out.index(b"\n", pos)
            header = out[pos:eol].split()
            pos = eol + 1
            if len(header) < 3 or header[1] != b"blob":
                continue  # "<sha> missing"
            size = int(header[2])
            blobs[header[0].decode()] = out[pos : pos + size].decode("utf-8-sig", errors="replace")
            pos += size + 1
        return blobs


def read_lineages(git: GitRunner, folder: str) -> list[Lineage]:
    """Follow every Markdown file under ``folder`` through adds, edits, renames and deletes."""
    live: dict[str, Lineage] = {}
    every: list[Lineage] = []
    for chunk in git.log(folder).split(b"\x1e"):
        if not chunk.strip():
            continue
        header, _, rest = chunk.partition(b"\0")
        commit, _, stamp = header.decode().partition(" ")
        when = datetime.fromtimestamp(int(stamp), tz=UTC)
        tokens = rest.lstrip(b"\n").split(b"\0")
        index = 0
        while index < len(tokens):
            meta = tokens[index].decode()
            if not meta.startswith(":"):
                index += 1
                continue
            fields = meta[1:].split()
            new_blob, status = fields[3], fields[4][0]
            if status in "RC":
                old, new = tokens[index + 1].decode(), tokens[index + 2].decode()
                index += 3
            else:
                old = new = tokens[index + 1].decode()
                index += 2
            if not new.endswith(".md"):
                continue
            if status == "D":
                gone = live.pop(old, None)
                if gone is not None:
                    gone.alive = False
                continue
            lineage = live.pop(old, None) if status == "R" else live.get(new)
            if lineage is None:
                lineage = Lineage([])
                every.append(lineage)
            lineage.versions.append(Version(commit, when, new, new_blob))
            displaced = live.get(new)
            if displaced is not None and displaced is not lineage:
                displaced.alive = False
            live[new] = lineage
    return every


# --- redirects -------------------------------------------------------------------------------


def moved_slugs(site: Site) -> dict[str, str]:
    """Former slug -> event id, for every former address of an activity that no activity now
    holds (the first activity, by id, to have held it keeps it) and no generated page has."""
    taken = {e.slug for e in site.events.values()}
    moved: dict[str, str] = {}
    for event_id in sorted(site.events):
        history = site.history.get(event_id)
        if history is None or not history.former_slugs:
            continue  # perf (issue 5): most activities never moved (~0.25 s on a district)
        for old in history.former_slugs:
            # a generated page's address (events/past/) is the page's, not a redirect's:
            # an activity once named past.md blocked every build after its rename
            # (nor a name Windows cannot have: ``events/con/`` broke every checkout there)
            reserved = old in urls.RESERVED_SLUGS["events"] or old in urls.WINDOWS_NAMES
            if old not in taken and old not in moved and urls.is_valid_slug(old) and not reserved:
                moved[old] = event_id
    return moved


def redirect_files(site: Site) -> Iterator[FileSpec]:
    """``events/<old-slug>/index.html`` for every former slug: a meta refresh to the new page
    (relative, so it works under any base path) and a canonical link to it. (The activity's
    calendar stays at ``events/<old-slug>/event.ics`` too: ``views.calendar.calendar_feeds``.)"""
    lang = "en" if site.config.language.startswith("en") else "zh-CN"
    for old, event_id in moved_slugs(site).items():
        event = site.events[event_id]
        target = urls.event(event.slug)
        canonical = html.escape(urls.absolute(site.config.site_url, target), quote=True)
        relative = html.escape(f"../{event.slug}/", quote=True)
        title = html.escape(event.title)
        page = (
            "<!doctype html>\n"
            f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{title}</title>\n"
            f'<link rel="canonical" href="{canonical}">\n'
            '<meta name="robots" content="noindex">\n'
            f'<meta http-equiv="refresh" content="0; url={relative}">\n'
            "</head>\n<body>\n"
            f'<p><a href="{relative}">{title}</a></p>\n'
            "</body>\n</html>\n"
        )
        yield FileSpec(f"{urls.event(old)}index.html", page.encode("utf-8"), event.source.path)
