"""The checks of what content says beyond each field: links and images in texts, links to
headings and from the site's root, texts left as a template wrote them, free pages' titles.
``build.load_site`` runs them on the validated site, so ``check`` and ``build`` tell alike."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import anchors, load, scaffold, validate
from .links import (
    Written,
    case_twin,
    line_of,
    missing_asset,
    missing_targets,
    page_address,
    rooted_links,
    split_rest,
    without_code,
)
from .model import Branch, Club, Event, NewsItem, Site, Venue
from .problems import Origin, Problem, problem
from .urls import url_escaped
from .views.text import IMAGE_IN_TEXT, pages_by_source


def unread_ids(loaded: load.Loaded, content_dir: str) -> set[tuple[str, str]]:
    """(kind, id) of the entity files that could not be read (a YAML error: told as such)."""
    read = {doc.path for doc in loaded.documents}
    found: set[tuple[str, str]] = set()
    for docs_path in loaded.files:
        kind = load.KIND_DIRS.get(docs_path.split("/", 1)[0])
        if kind and docs_path.endswith(".md") and f"{content_dir}/{docs_path}" not in read:
            found.add((kind, posixpath.basename(docs_path).removesuffix(".md")))
    return found


def not_about_unread(problems: list[Problem], unread: set[tuple[str, str]]) -> list[Problem]:
    """``problems`` but those of a reference to a file that could not be read: that file's own
    problem is told, and the editor sees the file is there (``venue: x`` 不存在 misled)."""
    if not unread:
        return problems

    def about_unread(found: Problem) -> bool:
        params = dict(found.params)
        kinds = ("news", "event") if params.get("kind") == "link" else (params.get("kind"),)
        return found.code == "ref.unknown" and any(
            (k, params.get("value")) in unread for k in kinds
        )

    return [found for found in problems if not about_unread(found)]


def missing_links(site: Site, files: frozenset[str], root: Path) -> list[Problem]:
    """A warning for each link in an article's, activity's or organisation's text to a file
    the content folder does not have (``yizhan check`` fails on it, as ``build --strict``),
    at the line that writes it."""
    found: list[Problem] = []
    for entity in entities_of(site):
        source = entity.source
        if not source.docs_path:
            continue
        missing = missing_targets(entity.body, source.docs_path, files)
        told = validate.path_told(entity.image)  # with the path to write
        no_image = not told and missing_asset(entity.image, source.docs_path, files)
        if missing or no_image:  # the body's lines are the file's: read it for them (rare)
            text, _ = load.read_text(root / source.path, source.path)
            found.extend(
                link_problem(source.path, text or "", url, source.line, 1, source.docs_path, files)
                for url in missing
            )
            if no_image:
                found.append(
                    image_problem(
                        source.path, text or "", entity.image, source.line, source.docs_path, files
                    )
                )
    texts: dict[str, str] = {}
    for m in site.milestones:  # a milestone's body, written relative to its timeline file
        missing = missing_targets(m.body, m.source.docs_path, files) if m.body else []
        if missing and m.source.path not in texts:
            texts[m.source.path] = load.read_text(root / m.source.path, m.source.path)[0] or ""
        found.extend(
            link_problem(
                m.source.path,
                texts[m.source.path],
                url,
                m.source.line,
                m.source.line,
                m.source.docs_path,
                files,
            )
            for url in missing
        )
    return found


def placeholder_problems(site: Site, root: Path) -> list[Problem]:
    """A warning for each text that still has its template's placeholder (``yizhan new``'s
    ``在这里写活动介绍（Markdown）。``), at its line: it would be published as written."""
    found = []
    for entity in entities_of(site):
        left = next((text for text in scaffold.PLACEHOLDERS if text in entity.body), None)
        if left is not None:
            whole = load.read_text(root / entity.source.path, entity.source.path)[0] or ""
            lines = whole.split("\n")
            line = next((n for n, t in enumerate(lines, 1) if left in t), entity.source.line)
            found.append(
                problem(
                    Origin(entity.source.path, line),
                    "body.placeholder",
                    "body",
                    "warning",
                    value=left,
                )
            )
    return found


def image_problem(
    path: str, text: str, value: str, default_line: int, docs_path: str, files: frozenset[str]
) -> Problem:
    """``field.missing-file`` at the ``image:`` line of the front matter of ``text`` (of the
    docs file ``docs_path``), or ``field.file-case`` when a file of ``files`` is named so but
    for letter case."""
    line = first_line(text, lambda t: t.startswith("image:") and value in t, default_line)
    if fixed := case_twin(value, docs_path, files, rooted=True):
        return problem(Origin(path, line), "field.file-case", "image", "warning", value=value,
                       fixed=fixed)  # fmt: skip
    return problem(Origin(path, line), "field.missing-file", "image", "warning", value=value)


def first_line(text: str, matches: Callable[[str], bool], default: int) -> int:
    """The number of ``text``'s first line that ``matches``, or ``default``."""
    return next((n for n, t in enumerate(text.split("\n"), start=1) if matches(t)), default)


@dataclass(frozen=True)
class FreePage:
    """A free page (``about.md``, ``index.md`` …): its path as problems name it, its text."""

    path: str
    text: str


def free_pages(files: frozenset[str], root: Path, content_dir: str) -> dict[str, FreePage]:
    """The free pages, which MkDocs renders, by docs path (one it cannot read is its to tell)."""
    found: dict[str, FreePage] = {}
    for docs_path in sorted(files):
        if not docs_path.endswith(".md") or docs_path.split("/", 1)[0] in load.KIND_DIRS:
            continue
        path = root / content_dir / docs_path
        text, _ = load.read_text(path, docs_path)
        if text is not None:
            found[docs_path] = FreePage(path.relative_to(root).as_posix(), text)
    return found


def free_pages_missing_links(free: Mapping[str, FreePage], files: frozenset[str]) -> list[Problem]:
    """``missing_links`` for the free pages: ``check`` sees what ``build --strict`` would stop
    on."""
    return [
        link_problem(page.path, page.text, url, 1, docs_path=docs_path, files=files)
        for docs_path, page in free.items()
        for url in missing_targets(page.text, docs_path, files)
    ]


def writings_of(site: Site, free: Mapping[str, FreePage], root: Path) -> dict[str, list[Written]]:
    """Every text of the site that may link, by the docs path of the page it is on (or of its
    file: a timeline's)."""
    writings: dict[str, list[Written]] = {}
    for entity in entities_of(site):
        source = entity.source
        if source.docs_path:
            writings[source.docs_path] = [
                Written(source.path, entity.body, whole_text(root, source.path))
            ]
    for docs_path, page in free.items():
        writings[docs_path] = [Written(page.path, page.text)]
    for m in site.milestones:
        if m.body:
            written = Written(m.source.path, m.body, whole_text(root, m.source.path), m.source.line)
            writings.setdefault(m.source.docs_path, []).append(written)
    return writings


FREE_PAGE_META = ("title", "description", "subtitle")
"""What MkDocs and Material put into every page as written (the nav, ``<title>``, ``<meta>``)."""
HTML_MARKS = re.compile(r'[<>"]')


def free_pages_html_in_meta(free: Mapping[str, FreePage]) -> list[Problem]:
    """An error for each ``title`` (or ``description``) of a free page's front matter that
    holds ``<``, ``>`` or ``"``: MkDocs' templates do not escape them, so a title wrote markup
    into every page's navigation (``<img onerror=…>`` ran on all of them)."""
    found = []
    for page in free.values():
        if not page.text.startswith("---"):
            continue
        front = load.parse_front_matter(page.text, page.path)[0]
        for key in FREE_PAGE_META:
            node = front.get(key) if front is not None else None
            if isinstance(node, load.Scalar) and HTML_MARKS.search(node.value):
                origin = Origin(page.path, node.line)
                found.append(problem(origin, "field.free-page-html", key, value=node.value))
    return found


def missing_places(
    site: Site,
    free: Mapping[str, FreePage],
    writings: Mapping[str, list[Written]],
    rule: anchors.HeadingIds | None,
) -> list[Problem]:
    """``anchors.missing_places`` for every text of the site: links to a heading (``#报名方式``)
    that the page linked to does not have."""
    pages = {e.source.docs_path: e.body for e in entities_of(site) if e.source.docs_path}
    pages |= {path: load.split_front_matter(page.text)[1] for path, page in free.items()}
    return anchors.missing_places(writings, pages, rule)


def rooted_link_problems(
    site: Site,
    free: Mapping[str, FreePage],
    writings: Mapping[str, list[Written]],
    files: frozenset[str],
    site_url: str,
) -> list[Problem]:
    """A warning for each link written from the site's root (``/events/x/``) on a site published
    under a base path (``https://org.github.io/repo/``), where it opens a page that is not there,
    with the path to write from the text's file: to the page's file when one makes it."""
    base = urlsplit(site_url).path
    if not site_url or base in ("", "/"):
        return []
    found: list[Problem] = []
    addresses: dict[str, str] | None = None
    for source, texts in writings.items():
        for written in texts:
            for url in rooted_links(written.markdown):
                path, rest = split_rest(url)
                if path.startswith(base):
                    continue  # written with the base path: right on the site itself
                if addresses is None:  # rare: made once, when a text has such a link
                    addresses = {page: docs for docs, page in pages_by_source(site).items()}
                    addresses |= {page_address(docs): docs for docs in free}
                target = unquote(path.lstrip("/"))
                docs = addresses.get(target) or (target if target in files else None)
                fixed = posixpath.relpath(docs or target or ".", posixpath.dirname(source) or ".")
                if docs is None and path.endswith("/"):
                    fixed += "/"
                line = written.line_of(url)
                found.append(
                    problem(
                        Origin(written.path, line),
                        "link.rooted",
                        "body",
                        "warning",
                        url=url,
                        base=base,
                        fixed=url_escaped(fixed) + rest,
                    )
                )
    return found


# ``![](a.jpg)``: python-markdown writes alt="", which tells a screen reader to pass the
# picture by as a decoration; an ``<img>`` without alt has its file name read out instead. An
# ``<img alt="">`` says the picture is a decoration: not told.
BARE_IMAGE = re.compile(r"!\[\s*\]\(\s*<?([^\s()<>]+)")
HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.I)
HTML_SRC = re.compile(r"\bsrc\s*=\s*[\"']?([^\"'\s>]+)", re.I)
HTML_ALT = re.compile(r"\salt\s*=", re.I)


def image_alt_problems(writings: Mapping[str, list[Written]]) -> list[Problem]:
    """A warning for each picture of a text with no words for it, at its line: written
    ``![](…)`` or as an ``<img>`` without ``alt``. A screen reader says nothing of the first and
    reads the second's file name (WeChat's are long hashes); nothing better can be made up."""
    found: list[Problem] = []
    for texts in writings.values():
        for written in texts:
            if "![" not in written.markdown and "<img" not in written.markdown.lower():
                continue
            markdown = without_code(written.markdown)
            untold = [(m.start(), m[0], m[1]) for m in BARE_IMAGE.finditer(markdown)]
            for tag in HTML_IMAGE.finditer(markdown):
                src = HTML_SRC.search(tag[0])
                if src and not HTML_ALT.search(tag[0]):
                    untold.append((tag.start(), tag[0], src[1]))
            untold.sort()
            lines = lines_of(written, [(start, markup) for start, markup, _ in untold])
            found.extend(
                problem(Origin(written.path, line), "body.image-alt", "body", "warning", url=url)
                for line, (_, _, url) in zip(lines, untold, strict=True)
            )
    return found


def lines_of(written: Written, markups: list[tuple[int, str]]) -> list[int]:
    """The line of the file of ``written`` of each markup of its text (where it starts in the
    text, and as written: not its address, which ``image:`` may name above), in order; two of
    one place (a tag's two addresses) share it."""
    if not markups:
        return []
    whole = written.whole() if written.whole else written.markdown
    at = sum(len(line) + 1 for line in whole.split("\n")[: written.start - 1])
    lines: list[int] = []
    previous = -1
    for start, markup in markups:
        if start == previous:
            lines.append(lines[-1])
            continue
        previous = start
        found_at = whole.find(markup, at)
        lines.append(whole.count("\n", 0, found_at) + 1 if found_at >= 0 else written.start)
        at = found_at + len(markup) if found_at >= 0 else at
    return lines


# What makes a page fetch from another site: pages must load with none (mainland China blocks
# or slows many, and WeChat refuses its pictures to other sites).
REMOTE = re.compile(r"(?:https?:)?//", re.I)
HTML_LOADING = re.compile(
    r"<(img|iframe|script|video|audio|source|embed|object|link)\b[^>]*>", re.I
)
HTML_ANY = re.compile(r"<[a-z][a-z0-9-]*\b[^>]*>", re.I)
ATTRIBUTE = re.compile(
    r"(?<![\w-])(src|data-src|data|href|poster)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))",
    re.I,
)
CSS_URL = re.compile(r"url\(\s*(?:&quot;|[\"'])?((?:https?:)?//[^\"'()\s&]+)", re.I)
"""``background-image: url(https://mmbiz.qpic.cn/…)`` in a style a layout tool wrote."""


ON_A_DISK = re.compile(r"file:|[a-z]:[\\/]", re.I)
"""``C:\\Users\\…\\a.png``, ``file:///D:/照片/a.jpg``: a file of the editor's own computer, as
Typora and Word write a picture dropped in (nobody else's computer has it)."""


def host_of(url: str) -> str:
    return urlsplit(url if not url.startswith("//") else f"https:{url}").hostname or url


def remote_problems(writings: Mapping[str, list[Written]]) -> list[Problem]:
    """A warning for each thing in a text that a page would fetch from another site, at its
    line, as a WeChat article copied into the site brings them: its pictures
    (``body.remote-image``: WeChat's refuse other sites), pictures it loads as it scrolls
    (``<img data-src>`` and no ``src``, ``body.lazy-image``: never shown), video players
    (``<iframe>``, ``body.embed``) and scripts (``body.script``); and pictures on the
    editor's own disk (``body.local-image``), which no reader has. A link to another site is
    no such thing: it is fetched when a reader follows it."""
    found: list[Problem] = []
    for docs_path, texts in writings.items():
        for written in texts:
            lower = written.markdown.lower()
            if not any(mark in lower for mark in ("//", "data-src", "<script", ":\\", ":/")):
                continue  # perf (issue 5): most texts
            folder = posixpath.relpath("images", posixpath.dirname(docs_path) or ".")
            told = remote_things(without_code(written.markdown), folder)
            lines = lines_of(written, [(start, markup) for start, markup, _, _ in told])
            found.extend(
                problem(Origin(written.path, line), code, "body", "warning", **params)
                for line, (_, _, code, params) in zip(lines, told, strict=True)
            )
    return found


def remote_things(markdown: str, folder: str) -> list[tuple[int, str, str, dict[str, str]]]:
    """``remote_problems``' finds in ``markdown``: where each starts, its markup, its code and
    its message's words, in order."""
    told: list[tuple[int, str, str, dict[str, str]]] = []

    def picture(start: int, markup: str, url: str) -> None:
        params = {"url": url, "host": host_of(url), "folder": folder}
        told.append((start, markup, "body.remote-image", params))

    def on_disk(start: int, markup: str, url: str) -> None:
        told.append((start, markup, "body.local-image", {"url": url, "folder": folder}))

    for image in IMAGE_IN_TEXT.finditer(markdown):
        if REMOTE.match(image[1]):
            picture(image.start(), image[0], image[1])
        elif ON_A_DISK.match(image[1]):
            on_disk(image.start(), image[0], image[1])
    for tag in HTML_LOADING.finditer(markdown):
        name = tag[1].lower()
        found = {a[1].lower(): a[2] or a[3] or a[4] for a in ATTRIBUTE.finditer(tag[0])}
        if name == "script":
            told.append((tag.start(), tag[0], "body.script", {}))
        elif name == "img" and not found.get("src") and found.get("data-src"):
            lazy = {"url": found["data-src"], "folder": folder}
            told.append((tag.start(), tag[0], "body.lazy-image", lazy))
        elif name == "img":
            if REMOTE.match(found.get("src", "")):
                picture(tag.start(), tag[0], found["src"])
            elif ON_A_DISK.match(found.get("src", "")):
                on_disk(tag.start(), tag[0], found["src"])
        elif url := next((v for v in found.values() if REMOTE.match(v)), ""):
            link = f"https:{url}" if url.startswith("//") else url
            params = {"tag": name, "host": host_of(url), "url": link}
            told.append((tag.start(), tag[0], "body.embed", params))
    for tag in HTML_ANY.finditer(markdown):
        if "url(" in tag[0].lower():
            for css in CSS_URL.finditer(tag[0]):
                picture(tag.start(), tag[0], css[1])
    return sorted(told, key=lambda found: found[0])


def remote_cover_problems(site: Site, root: Path) -> list[Problem]:
    """``field.remote-image`` for each ``image:`` that names another site's picture
    (``https://mmbiz.qpic.cn/…``, a WeChat article's cover), ``field.local-image`` for one on
    the editor's own disk (``C:\\Users\\…``), at its line."""
    found: list[Problem] = []
    for entity in entities_of(site):
        remote = REMOTE.match(entity.image)
        if entity.image and (remote or ON_A_DISK.match(entity.image)):
            source = entity.source
            text = load.read_text(root / source.path, source.path)[0] or ""
            line = first_line(text, lambda t: t.startswith("image:"), source.line)
            found.append(
                problem(
                    Origin(source.path, line),
                    "field.remote-image" if remote else "field.local-image",
                    "image",
                    "warning",
                    value=entity.image,
                    **({"host": host_of(entity.image)} if remote else {}),
                )
            )
    return found


def whole_text(root: Path, path: str) -> Callable[[], str]:
    """The text of the file at ``path``, read when asked (for a problem's line: rare)."""
    return lambda: load.read_text(root / path, path)[0] or ""


def entities_of(site: Site) -> list[NewsItem | Event | Branch | Club | Venue]:
    return [
        *site.news, *site.events.values(), *site.branches.values(),
        *site.clubs.values(), *site.venues.values(),
    ]  # fmt: skip


def link_problem(
    path: str,
    text: str,
    url: str,
    default_line: int,
    start: int = 1,
    docs_path: str = "",
    files: frozenset[str] = frozenset(),
) -> Problem:
    """``link.missing`` at the first line of ``text`` (the file at ``path``, docs file
    ``docs_path``) naming ``url``, from line ``start`` on (a milestone's, in a list of them);
    ``link.file-case`` when a file of ``files`` is named so but for letter case."""
    line = line_of(text, url, start, default_line)
    if "\\" in url:  # Windows' separator: say what to write
        fixed = url.replace("\\", "/")
        return problem(Origin(path, line), "link.backslash", "body", "warning", fixed=fixed)
    if twin := case_twin(url, docs_path, files):
        return problem(Origin(path, line), "link.file-case", "body", "warning", url=url,
                       fixed=twin)  # fmt: skip
    return problem(Origin(path, line), "link.missing", "body", "warning", url=url)
