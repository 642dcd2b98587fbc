"""content/ -> documents: walk the tree, decode, split front matter, YAML with positions.

YAML is composed with the *base* resolver, so every scalar stays the text the editor typed:
``14:00`` is never the sexagesimal 840 and ``no`` never becomes ``False``. Typing happens in
``validate``, field by field, where the line of each key is still known.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Literal, overload

import orjson
import yaml

from . import memo, parallel, urls
from .problems import ContentError, Origin, Problem, problem

Kind = Literal["news", "event", "branch", "club", "venue", "timeline"]
KIND_DIRS: dict[str, Kind] = {
    "news": "news",
    "events": "event",
    "branches": "branch",
    "clubs": "club",
    "venues": "venue",
    "timeline": "timeline",
}
# A YAML alias bomb expands exponentially; no real front matter comes near this many nodes.
MAX_NODES = 50_000


@dataclass(frozen=True)
class Scalar:
    value: str
    line: int
    col: int


@dataclass(frozen=True)
class Seq:
    items: tuple[Node, ...]
    line: int
    col: int


@dataclass(frozen=True)
class Key:
    name: str
    line: int
    col: int


@dataclass(frozen=True)
class Map:
    entries: tuple[tuple[Key, Node], ...]
    line: int
    col: int

    def get(self, name: str) -> Node | None:
        for key, value in self.entries:
            if key.name == name:
                return value
        return None

    def key(self, name: str) -> Key | None:
        for key, _ in self.entries:
            if key.name == name:
                return key
        return None


Node = Scalar | Seq | Map


@dataclass(frozen=True)
class KeptMap:
    """A front matter an earlier build composed without problems, decoded when first read.

    perf (issue 5): a warm build's validation reuses most documents' results by their text
    (``validate``) and never reads their front matter; decoding a district's 20,000 of them
    cost ~0.8 s."""

    encoded: str

    def decode(self) -> Map:
        node = decode_node(orjson.loads(self.encoded))
        assert isinstance(node, Map)
        return node


@dataclass(frozen=True, eq=False)
class Document:
    """One content file, split but not yet typed. Documents are equal when their parts are,
    whether their front matter was composed by this build or kept by an earlier one."""

    path: str
    """Relative to the site root, POSIX separators (``content/events/salon.md``)."""
    kind: Kind | None
    """``None`` for free pages and the home text."""
    id: str
    composed: Map | KeptMap | None
    """The front matter, as composed or as kept (read it as ``front``)."""
    front_line: int
    """Line of the opening ``---`` (1), where problems of the whole front matter point."""
    body: str
    body_line: int
    data: Seq | None = None
    """For timeline files: the YAML list."""
    digest: str = ""
    """Digest of the file's text ("" when unknown): what validation keeps its result under."""

    @cached_property
    def front(self) -> Map | None:
        return front_of(self.composed)

    def parts(self) -> tuple[object, ...]:
        return (self.path, self.kind, self.id, self.front, self.front_line, self.body,
                self.body_line, self.data, self.digest)  # fmt: skip

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Document) and self.parts() == other.parts()

    def __hash__(self) -> int:
        return hash((self.path, self.digest))


def front_of(composed: Map | KeptMap | None) -> Map | None:
    return composed.decode() if isinstance(composed, KeptMap) else composed


def text_digest(text: str) -> str:
    """The digest of a file's text as loaded (``decode_text``)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


@dataclass(frozen=True)
class Loaded:
    documents: tuple[Document, ...]
    problems: tuple[Problem, ...]
    files: frozenset[str] = frozenset()
    """Every file of the content folder, relative to it (``images/a.png``): what links in
    bodies may point at."""


CHECK_EVERY = 500
"""Files read between two calls of ``load_content``'s ``between``."""
SPLIT_FROM = 2000
"""From this many files, a build whose YAML is mostly not kept composes half of it in a child."""


def load_content(
    root: Path, content_dir: str = "content", between: Callable[[], None] = lambda: None
) -> Loaded:
    """Read every content file below ``root/content_dir``; report every problem found.
    ``between`` is called every ``CHECK_EVERY`` files: ``yizhan serve`` gives a superseded
    build up there (issue 5: a district's 20,000 files take ~1.7 s, which a new save would
    otherwise wait for)."""
    documents: list[Document] = []
    problems: list[Problem] = []
    base = root / content_dir
    prefix = base.relative_to(root).as_posix()
    links: Links = []
    walked = list(walk(base, (), links))
    for parts, code, target in links:
        problems.append(problem(Origin(content_file(prefix, parts)[0]), code, target=target))
    problems.extend(windows_names(prefix, [parts for _, parts in walked]))
    for path, parts in walked:
        name = misnamed(parts) or saved_as_text(path, parts)
        if name is not None:
            origin = Origin(content_file(prefix, parts)[0])
            problems.append(problem(origin, "file.extension", name=parts[-1], fixed=name))
        elif KIND_DIRS.get(parts[0]) == "timeline" and parts[-1].endswith(MARKDOWN_SUFFIXES):
            # a milestone written as an article: published as a page no list links
            origin = Origin(content_file(prefix, parts)[0])
            problems.append(problem(origin, "file.timeline-md", severity="warning"))
    files = [
        (path, rel, kind)
        for path, parts in walked
        for rel, kind in [content_file(prefix, parts)]
        if kind != "skip"
    ]
    helper = compose_beside(files)
    try:
        for count, (path, rel, kind) in enumerate(files, start=1):
            if count % CHECK_EVERY == 0:
                between()
            if helper is not None and count > len(files) // 2:
                take_composed(helper)
                helper = None
            if kind == "timeline":
                doc, found = load_timeline(path, rel)
            else:
                doc, found = load_markdown(path, rel, kind)
            problems.extend(found)
            if doc is not None:
                documents.append(doc)
    finally:
        if helper is not None:
            parallel.cancel(helper)
    return Loaded(tuple(documents), tuple(problems), frozenset("/".join(p) for _, p in walked))


def windows_names(prefix: str, walked: list[tuple[str, ...]]) -> list[Problem]:
    """A warning for each file or folder whose name Windows cannot have (``urls.is_windows_name``):
    made on a Mac or by a script, it broke every checkout of the repository on Windows and the
    build of its page there (``events/con.md`` is ``events/con/``). A folder is told once."""
    found: dict[str, Problem] = {}
    for parts in walked:
        at = next((n for n, name in enumerate(parts) if urls.is_windows_name(name)), None)
        if at is not None:
            path = content_file(prefix, parts[: at + 1])[0]
            if path not in found:
                found[path] = problem(Origin(path), "file.windows-name", severity="warning",
                                      name=parts[at])  # fmt: skip
    return list(found.values())


def content_file(prefix: str, parts: tuple[str, ...]) -> tuple[str, Kind | Literal["skip"] | None]:
    """A file's path from the site root, and what to load it as (``skip``: not content)."""
    rel = "/".join((prefix, *parts)) if prefix != "." else "/".join(parts)
    kind = KIND_DIRS.get(parts[0]) if len(parts) > 1 else None
    suffix = os.path.splitext(parts[-1])[1]
    if kind == "timeline" and suffix in (".yml", ".yaml"):
        return rel, "timeline"
    if suffix == ".md" and (kind not in (None, "timeline") or parts == ("index.md",)):
        return rel, kind
    return rel, "skip"


MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
"""What MkDocs reads as Markdown, as it spells them (``.MD`` is not among them)."""


def misnamed(parts: tuple[str, ...]) -> str | None:
    """The name a content file was meant to have, when its own is a near miss that would
    publish it as it is: ``通知.MD`` (Windows shows no case), ``通知.md.txt`` (Notepad adds
    ``.txt``), ``通知.markdown`` or ``大事记.YML`` in a folder of articles, activities or
    milestones (read as nothing there). Each was copied to the site as a raw file, drafts too,
    and the article the editor wrote never appeared, with no word."""
    name = parts[-1]
    notepad = name.lower().endswith(".txt")
    stem, suffix = os.path.splitext(name[:-4] if notepad else name)
    kind = KIND_DIRS.get(parts[0]) if len(parts) > 1 else None
    if kind == "timeline":
        wanted: tuple[str, ...] = (".yml", ".yaml")
    elif kind is not None:
        wanted = (".md",)
    else:
        wanted = MARKDOWN_SUFFIXES
    lower = suffix.lower()
    meant = wanted if kind == "timeline" else MARKDOWN_SUFFIXES
    if lower not in meant or (suffix in wanted and not notepad):
        return None
    return stem + (lower if lower in wanted else wanted[0])


def saved_as_text(path: Path, parts: tuple[str, ...]) -> str | None:
    """``通知.md`` for ``通知.txt`` in a folder of articles, activities, organisations or venues
    that opens with front matter: Notepad's Save As keeps ``.txt`` unless told otherwise, and
    the file was copied to the site as it is, a draft too. A ``.txt`` without ``---`` first is
    an attachment and stays one."""
    kind = KIND_DIRS.get(parts[0]) if len(parts) > 1 else None
    if kind in (None, "timeline") or not parts[-1].lower().endswith(".txt"):
        return None
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError:
        return None
    return parts[-1][:-4] + ".md" if without_bom(head).startswith(b"---") else None


Files = list[tuple[Path, str, Kind | None]]


def compose_beside(files: Files) -> Callable[[], dict[str, str]] | None:
    """perf (issue 5): on a build whose YAML is mostly not kept yet (a first build, a new
    checkout in CI), a forked child composes the second half of the files while this process
    does the first: composing a district's 20,000 front matters is ~2.5 s of one core, and
    the other is idle then. The child hands back what it kept, so the second half is read
    from the table here, with the same result and the same problems."""
    if len(files) < SPLIT_FROM or not parallel.can_fork():
        return None
    if compose_table().size() >= len(files) // 2:
        return None
    return parallel.beside(compose_all, files[len(files) // 2 :])


def compose_all(files: Files) -> dict[str, str]:
    kept = compose_table()
    for path, rel, kind in files:
        if kind == "timeline":
            load_timeline(path, rel)
        else:
            load_markdown(path, rel, kind)
    return kept.used


def take_composed(helper: Callable[[], dict[str, str]]) -> None:
    kept = compose_table()
    for key, value in helper().items():
        kept.put(key, value)


Links = list[tuple[tuple[str, ...], str, str]]
"""Symbolic links found by ``walk`` that content may not have: (path parts, code, target)."""


def walk(
    base: Path, parts: tuple[str, ...] = (), links: Links | None = None
) -> Iterator[tuple[Path, tuple[str, ...]]]:
    """Files below ``base`` (with their path parts below it) in a stable order, skipping hidden
    ones and never following a link out of the tree or into a folder: those go to ``links``."""
    folder = base.joinpath(*parts)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return
    files: list[str] = []
    dirs: list[str] = []
    for entry in entries:
        if entry.is_symlink():  # hidden ones too: MkDocs' own walk follows them
            code = symlink_problem(Path(entry.path), base)
            if code is not None:
                if links is not None:
                    links.append(((*parts, entry.name), code, os.readlink(entry.path)))
                continue
        if entry.name.startswith("."):
            continue
        (dirs if entry.is_dir() else files).append(entry.name)
    # os.walk's order: a folder's files first, then its subfolders, each sorted by name
    for name in files:
        yield folder / name, (*parts, name)
    for name in dirs:
        yield from walk(base, (*parts, name), links)


def symlink_problem(path: Path, base: Path) -> str | None:
    """Why content may not hold the symbolic link ``path``, or None: one to a file of the
    content folder is as that file. A folder's link led MkDocs' walk through the whole disk
    (a link to ``/`` never ended); one out of the folder published ``.git/config``; a broken
    one or a loop stopped the build with a traceback."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return "file.symlink-broken"
    if target.is_dir():
        return "file.symlink-folder"
    if not target.is_relative_to(base.resolve()):
        return "file.symlink-outside"
    return None


def read_text(path: Path, rel: str) -> tuple[str | None, list[Problem]]:
    """Decode a file as UTF-8 (BOM allowed), normalising CRLF; GBK or binary is a problem."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [problem(Origin(rel), "file.unreadable", error=exc.strerror)]
    return decode_text(raw, rel)


def decode_text(raw: bytes, rel: str) -> tuple[str | None, list[Problem]]:
    if b"\x00" in raw:
        return None, [problem(Origin(rel), "file.utf16" if is_utf16(raw) else "file.binary")]
    raw = without_bom(raw)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [problem(Origin(rel, line), "file.encoding")]
    return normalise_text(text), []


def without_bom(raw: bytes) -> bytes:
    """``raw`` without its UTF-8 byte-order marks: twice, from a tool that added one to one."""
    while raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return raw


def is_utf16(raw: bytes) -> bool:
    """Whether bytes with NULs are UTF-16 text (Notepad's "Unicode" save): a byte-order mark,
    or ASCII text with a NUL beside every character."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    head = raw[:200]
    return len(head) >= 4 and (
        head[1::2].count(0) > len(head) // 3 or head[0::2].count(0) > len(head) // 3
    )


CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters no HTML page, feed or YAML may hold (tab and line ends aside)."""


def normalise_text(text: str) -> str:
    """LF line ends, and no control characters: text pasted from Word carries U+000B for a
    Shift+Enter line break (a space here) and other invisible ones (dropped), which YAML
    rejects and the HTML checker forbids."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if CONTROL.search(text) is None:  # perf: nearly every file
        return text
    return CONTROL.sub(lambda m: " " if m.group() == "\x0b" else "", text)


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Return (front matter text or None, body, body's first line). None also when unclosed:
    the caller tells the two apart by the leading fence."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None, text, 1
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            front = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return front, body, index + 2
    return None, text, 1


def parse_front_matter(text: str, rel: str) -> tuple[Map | None, str, int, list[Problem]]:
    """Split and compose the front matter of a Markdown file's text.

    Returns (front matter mapping or None, body, body line, problems). Lines are lines of the
    file: the opening fence is line 1, so YAML line 0 is file line 2.
    """
    front, body, body_line, problems = parse_front_matter_once(text, rel)
    return front_of(front), body, body_line, list(problems)


# perf (issue 5): the result depends on the text alone and every node is frozen, so a text
# seen before (history reads the working copy again; ``serve`` rebuilds on every save) is
# not parsed twice.
@lru_cache(maxsize=65536)
def parse_front_matter_once(
    text: str, rel: str
) -> tuple[Map | KeptMap | None, str, int, tuple[Problem, ...]]:
    front, body, body_line, problems = parse_front_matter_uncached(text, rel)
    return front, body, body_line, tuple(problems)


def parse_front_matter_uncached(
    text: str, rel: str
) -> tuple[Map | KeptMap | None, str, int, list[Problem]]:
    front, body, body_line = split_front_matter(text)
    if front is None:
        if text.split("\n", 1)[0].rstrip() == "---":
            return None, body, body_line, [problem(Origin(rel, 1), "frontmatter.unclosed")]
        return None, body, body_line, []
    node, problems = compose(front, rel, line_offset=2, lazy=True)
    if node is None:
        return (None if problems else Map((), 1, 1)), body, body_line, problems
    if not isinstance(node, Map | KeptMap):
        return (
            None,
            body,
            body_line,
            [*problems, problem(Origin(rel, node.line), "yaml.not-mapping")],
        )
    return node, body, body_line, problems


def load_markdown(path: Path, rel: str, kind: Kind | None) -> tuple[Document | None, list[Problem]]:
    text, problems = read_text(path, rel)
    if text is None:
        return None, problems
    front, body, body_line, found = parse_front_matter_once(text, rel)
    problems.extend(found)
    if front is None and kind is not None and not found:
        problems.append(problem(Origin(rel, 1), "frontmatter.missing"))
    if front is None and found and kind is not None:
        return None, problems
    if len(text) > LONGEST_TEXT:
        problems.append(problem(Origin(rel, body_line), "file.large", "body", "warning",
                                n=len(text) // 10_000))  # fmt: skip
    doc = Document(rel, kind, stem(rel), front, 1, body, body_line, digest=text_digest(text))
    return doc, problems


LONGEST_TEXT = 500_000
"""Characters of a page beyond any article (50 万字, a novel's length): a paste gone wrong, as
an image pasted from a WeChat article as ``data:`` text, or the same text pasted many times.
A 55 MB article was checked in 15 s and built far longer, with no word of it."""


def load_timeline(path: Path, rel: str) -> tuple[Document | None, list[Problem]]:
    text, problems = read_text(path, rel)
    if text is None:
        return None, problems
    node, found = compose(text, rel, line_offset=1)
    problems.extend(found)
    if found:
        return None, problems
    if node is None:
        node = Seq((), 1, 1)
    if not isinstance(node, Seq):
        return None, [*problems, problem(Origin(rel, node.line), "yaml.not-list")]
    return Document(rel, "timeline", stem(rel), None, 1, "", 1, data=node), problems


def stem(rel: str) -> str:
    return os.path.splitext(rel.rsplit("/", 1)[-1])[0]


def compose_table() -> memo.Table:
    """Composed front matter without problems, by its text (``compose``)."""
    return memo.table("load.compose", "PyYAML")


@overload
def compose(
    text: str, rel: str, line_offset: int, lazy: Literal[False] = False
) -> tuple[Node | None, list[Problem]]: ...
@overload
def compose(
    text: str, rel: str, line_offset: int, lazy: bool
) -> tuple[Node | KeptMap | None, list[Problem]]: ...
def compose(
    text: str, rel: str, line_offset: int, lazy: bool = False
) -> tuple[Node | KeptMap | None, list[Problem]]:
    """Compose YAML text into position-carrying nodes, every scalar kept as a string.

    perf (issue 5): YAML without problems is kept between builds (``memo``), by its text: a
    district's 20,000 front matters take ~2.5 s to compose, ~0.4 s to read back. With
    ``lazy``, a kept mapping is returned as it was kept, decoded when first read."""
    kept = compose_table()
    key = kept.key(str(line_offset), text)
    known = kept.get(key)
    if known is not None:
        if lazy and known.startswith(MAP_PREFIX):
            return KeptMap(known), []
        return decode_node(orjson.loads(known)), []
    node, problems = compose_uncached(text, rel, line_offset)
    if not problems:
        with contextlib.suppress(TypeError):  # nested past orjson's 254 levels: not kept
            kept.put(key, orjson.dumps(encode_node(node)).decode("utf-8"))
    return node, problems


MAP_PREFIX = '["m",'
"""How a kept mapping's encoding starts (``encode_node``)."""


def encode_node(node: Node | None) -> Any:
    if node is None:
        return None
    if isinstance(node, Scalar):
        return [node.value, node.line, node.col]
    if isinstance(node, Seq):
        return ["q", node.line, node.col, [encode_node(n) for n in node.items]]
    return [
        "m",
        node.line,
        node.col,
        [[k.name, k.line, k.col, encode_node(v)] for k, v in node.entries],
    ]


def decode_node(data: Any) -> Node | None:
    if data is None:
        return None
    if len(data) == 3:
        return Scalar(data[0], data[1], data[2])
    if data[0] == "q":
        return Seq(tuple(decode_node(n) for n in data[3]), data[1], data[2])  # type: ignore[misc]
    return Map(
        tuple((Key(k, kl, kc), decode_node(v)) for k, kl, kc, v in data[3]),  # type: ignore[misc]
        data[1],
        data[2],
    )


MENDS = 20
"""Mistakes of one file told before the rest of it is read (``compose_uncached``)."""


def compose_uncached(text: str, rel: str, line_offset: int) -> tuple[Node | None, list[Problem]]:
    """Compose ``text``; a mistake that is sure to mean one thing on its line (a full-width
    colon, no space after a colon, a full-width space) is told, mended and the rest read on,
    so one run tells all of a file's mistakes (the next one, and the fields' own), not one a
    run. Any other mistake stops there. The text is not composed when any is told."""
    told: list[Problem] = []
    for _ in range(MENDS):
        try:
            root = compose_fast(text)
            break
        except RecursionError:  # thousands of nested levels: PyYAML's own recursion
            return None, [*told, problem(Origin(rel, line_offset), "yaml.too-large")]
        except yaml.MarkedYAMLError as exc:
            found = yaml_problem(text, rel, line_offset, exc)
            told.append(found)
            mended = mend_line(text, found.code, found.origin.line - line_offset)
            if mended is None:
                return None, told
            text = mended
        except yaml.YAMLError as exc:
            return None, [*told, problem(Origin(rel, line_offset), "yaml.syntax", error=str(exc))]
    else:
        return None, told
    if root is None:
        return None, told
    problems: list[Problem] = told
    budget = [MAX_NODES]
    try:
        return convert(root, rel, line_offset, problems, budget), problems
    except RecursionError:
        return None, [problem(Origin(rel, line_offset), "yaml.too-large")]


FULLWIDTH_SPACE = re.compile(r"^[ \t]*\u3000|^[^#\"']*?:\u3000")
"""A line indented with a full-width space, or one after a key's colon (``venue:　x``)."""
# A key an editor typed with a full-width colon (``title：活动``) or with no space after the
# colon (``date:2026-05-01``): YAML reads either as plain text, and PyYAML's complaint lands
# on a later line in words that do not name the cause.
FULLWIDTH_KEY = re.compile(r"^[ ]*(?:-[ ]+)?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*：")
TIGHT_KEY = re.compile(r"^[ ]*(?:-[ ]+)?([A-Za-z_][A-Za-z0-9_-]*):(?=[^\s:/])")
UNSTARTABLE = re.compile(r"found character '(.+)' that cannot start any token")


def opening_line(lines: list[str], before: int) -> int:
    """The last line up to ``before`` that opens a ``[`` or ``{`` (where it was left open)."""
    for index in range(min(before, len(lines) - 1), -1, -1):
        if "[" in lines[index] or "{" in lines[index]:
            return index
    return before


def context_char(lines: list[str], exc: yaml.MarkedYAMLError) -> str:
    mark = exc.context_mark
    if mark is None or mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]


def yaml_problem(text: str, rel: str, line_offset: int, exc: yaml.MarkedYAMLError) -> Problem:
    """PyYAML's complaint as what the editor did wrong, on the line where they did it."""
    context, detail = exc.context or "", exc.problem or ""
    problem_line = exc.problem_mark.line if exc.problem_mark else 0
    context_line = exc.context_mark.line if exc.context_mark else problem_line

    def at(index: int, code: str, **params: str) -> Problem:
        return problem(Origin(rel, index + line_offset, 0), code, "", "error", **params)

    lines = text.split("\n")
    # YAML reads a full-width space as no space: that line's structure is off, and the error
    # shows at it or at one of the next lines. One in text (a block's indented paragraph) is
    # no cause: the line is blamed only if ordinary spaces there get the YAML past the error.
    for index in range(max(0, problem_line - 3), problem_line + 1):
        suspect = index < len(lines) and FULLWIDTH_SPACE.match(lines[index])
        if suspect and spaces_mend(lines, index, problem_line):
            return at(index, "yaml.fullwidth-space")
    for index in range(max(0, min(context_line, problem_line - 1)), problem_line + 1):
        line = lines[index] if index < len(lines) else ""
        if match := FULLWIDTH_KEY.match(line):
            return at(index, "yaml.fullwidth-colon", key=match.group(1))
        if match := TIGHT_KEY.match(line):
            return at(index, "yaml.colon-space", key=match.group(1))
    unstartable = UNSTARTABLE.search(detail)
    if unstartable and unstartable.group(1) == "\\t":
        return at(problem_line, "yaml.tab")
    if unstartable:
        return at(problem_line, "yaml.quote-value", char=unstartable.group(1))
    if "alias" in context or "undefined alias" in detail:
        return at(context_line, "yaml.quote-value", char="*")
    if "anchor" in context:
        return at(context_line, "yaml.quote-value", char="&")
    if "escape character" in detail:
        return at(problem_line, "yaml.escape")
    if "block scalar" in context:
        return at(context_line, "yaml.quote-value", char=context_char(lines, exc) or "|")
    if "quoted scalar" in context:
        return at(context_line, "yaml.unclosed-quote")
    if "flow " in context:
        return at(opening_line(lines, context_line), "yaml.unclosed-bracket")
    if "mapping values are not allowed" in detail:
        return at(problem_line, "yaml.colon-in-value")
    if "could not find expected ':'" in detail:
        return at(context_line, "yaml.no-colon")
    if "expected <block end>" in detail:
        return at(problem_line, "yaml.indent")
    mark = exc.problem_mark or exc.context_mark
    col = (mark.column + 1) if mark else 0
    return problem(
        Origin(rel, problem_line + line_offset, col), "yaml.syntax", error=detail or context or "?"
    )


def mend_line(text: str, code: str, index: int) -> str | None:
    """``text`` with the mistake ``code`` told at its line ``index`` (0-based) mended as the
    message says to, or None when it is not one mended for sure (``compose_uncached``)."""
    lines = text.split("\n")
    if not 0 <= index < len(lines):
        return None
    line = lines[index]
    if code == "yaml.fullwidth-colon" and (match := FULLWIDTH_KEY.match(line)):
        line = line[: match.end() - 1] + ": " + line[match.end() :].lstrip(" \u3000")
    elif code == "yaml.colon-space" and (match := TIGHT_KEY.match(line)):
        line = line[: match.end()] + " " + line[match.end() :]
    elif code == "yaml.fullwidth-space":
        indent = len(line) - len(line.lstrip(" \t\u3000"))
        line = line[:indent].replace("\u3000", "  ") + line[indent:].replace("\u3000", " ")
    else:
        return None
    return "\n".join([*lines[:index], line, *lines[index + 1 :]])


def spaces_mend(lines: list[str], index: int, problem_line: int) -> bool:
    """Whether the YAML of ``lines`` gets past line ``problem_line`` (0-based) once line
    ``index``'s full-width spaces are ordinary ones (one, or two: a full-width space is as
    wide as two, and an indent typed with one meant two)."""
    for spaces in (" ", "  "):
        mended = [*lines[:index], lines[index].replace("\u3000", spaces), *lines[index + 1 :]]
        try:
            yaml.compose("\n".join(mended), Loader=yaml.BaseLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            if mark is not None and mark.line > problem_line:
                return True
        except yaml.YAMLError:
            continue
        else:
            return True
    return False


# perf (issue 5): libyaml composes ~10x faster with the same nodes and marks; its error texts
# differ, so a file it rejects is composed again by the pure-Python parser for the message.
FAST_LOADER = getattr(yaml, "CBaseLoader", None)


def compose_fast(text: str) -> yaml.Node | None:
    if FAST_LOADER is not None:
        try:
            return yaml.compose(text, Loader=FAST_LOADER)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.BaseLoader)


def convert(
    node: yaml.Node, rel: str, offset: int, problems: list[Problem], budget: list[int]
) -> Node:
    budget[0] -= 1
    if budget[0] < 0:
        raise RecursionError
    line, col = node.start_mark.line + offset, node.start_mark.column + 1
    if isinstance(node, yaml.ScalarNode):
        return Scalar(str(node.value), line, col)
    if isinstance(node, yaml.SequenceNode):
        return Seq(tuple(convert(n, rel, offset, problems, budget) for n in node.value), line, col)
    assert isinstance(node, yaml.MappingNode)
    entries: list[tuple[Key, Node]] = []
    seen: set[str] = set()
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + offset
        name = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
        if name in seen:
            problems.append(problem(Origin(rel, key_line), "yaml.duplicate-key", name))
            continue
        seen.add(name)
        if "\u3000" in name:  # "venue　:", or "　contact:" indented with one: YAML reads on
            problems.append(problem(Origin(rel, key_line), "yaml.fullwidth-space", name.strip()))
            name = name.strip()
        key = Key(name, key_line, key_node.start_mark.column + 1)
        entries.append((key, convert(value_node, rel, offset, problems, budget)))
    return Map(tuple(entries), line, col)


def to_plain(node: Node | None) -> Any:
    """Nodes as plain str / list / dict, for callers that need no positions (history diffs)."""
    if node is None:
        return None
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Seq):
        return [to_plain(n) for n in node.items]
    return {key.name: to_plain(value) for key, value in node.entries}


class ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml safely: ``!ENV`` is honoured, ``!!python/…`` tags are kept by name
    (``PythonTag``) and any other tag is ignored: none is run."""


@dataclass(frozen=True)
class PythonTag:
    """A ``!!python/…`` tag of ``mkdocs.yml``, kept by name and never run."""

    name: str
    """``object/apply:pymdownx.slugs.slugify``, ``name:material.extensions.emoji.twemoji`` …"""
    value: Any = None


def _construct_env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        values = loader.construct_sequence(node)  # type: ignore[arg-type]
        names, default = [str(v) for v in values[:-1]], values[-1]
    for name in names:
        if os.environ.get(str(name)):
            return os.environ[str(name)]
    return default


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


def _name_python_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> PythonTag:
    """``!!python/object/apply:pymdownx.slugs.slugify`` kept by name (the heading ids' check
    reads it), never run."""
    if isinstance(node, yaml.MappingNode):
        value: Any = loader.construct_mapping(node, deep=True)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_scalar(node)  # type: ignore[arg-type]
    return PythonTag(suffix, value)


ConfigLoader.add_constructor("!ENV", _construct_env)
ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _name_python_tag)
ConfigLoader.add_multi_constructor("!", _ignore_tag)


def read_config_file(path: Path) -> dict[str, Any]:
    """The mapping of ``mkdocs.yml`` (safe: no tag can run code). A file that is missing,
    not UTF-8 or not YAML raises ContentError, told as a content file's problems are."""
    rel = path.as_posix()
    if not path.is_file():
        raise ContentError([problem(Origin(rel), "config.missing")])
    text, problems = read_text(path, rel)
    if text is None:
        raise ContentError(problems)
    try:
        data = yaml.load(text, Loader=ConfigLoader)
    except yaml.MarkedYAMLError as exc:
        raise ContentError([yaml_problem(text, rel, 1, exc)], config_language(text)) from None
    except yaml.YAMLError as exc:
        found = problem(Origin(rel), "yaml.syntax", error=str(exc))
        raise ContentError([found], config_language(text)) from None
    return data if isinstance(data, dict) else {}


def config_language(text: str) -> str:
    """The site's language as a configuration that does not load still says it."""
    return "en" if re.search(r"^\s+language:\s*[\"']?en", text, re.M) else "zh"
