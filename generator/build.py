"""The orchestrator: load -> validate -> history -> derive views -> plan pages and files.

Read it top to bottom: ``plan_site`` is the whole build, minus the engine that turns page specs
into HTML (MkDocs today, through ``mkdocs_engine``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from . import anchors, checks, history, load, parallel, validate
from .links import (
    page_address,
    rebase_markdown,
)
from .model import Site, SiteConfig
from .outputs import ical, jsondata, rss
from .pages import events, home, news, orgs, subscribe
from .plan import FileSpec, PageSpec, Plan, check_output_path, find_conflicts
from .problems import ContentError, Origin, Problem, problem
from .views import Views, derive_views, text

KIND_FOLDERS = ("news", "events", "branches", "clubs", "venues", "timeline")


@dataclass(frozen=True)
class BuildOptions:
    """What a run of the core needs besides the content: the plugin's options."""

    root: Path
    content_dir: str = "content"
    site_name: str = "党群服务中心"
    site_url: str = ""
    timezone: str = "Asia/Shanghai"
    language: str = "zh"
    drafts: bool = False
    strict: bool = False
    git_history: bool = True
    horizon_days: int = 365
    news_per_page: int = 20
    uid_host: str = ""
    cache: bool = True
    """Keep costly pure results between runs in ``.cache/yizhan/memo/`` (``memo``); the
    plugin's ``fast: false`` turns it off."""
    directory_urls: bool = True
    """``mkdocs.yml``'s ``use_directory_urls``: the generated pages link as if it were true."""
    heading_ids: anchors.HeadingIds | None = anchors.PYTHON_MARKDOWN_IDS
    """How headings get their ids (``mkdocs.yml``'s ``toc``), for links to them; None: unknown."""


CACHE_DIR = ".cache/yizhan"
"""What a site keeps between runs (a site's ``.gitignore`` lists ``.cache/``)."""


def memo_folder(options: BuildOptions) -> Path | None:
    return options.root / CACHE_DIR / "memo" if options.cache else None


def build_clock(now: datetime | None = None) -> datetime:
    """The build's instant: SOURCE_DATE_EPOCH when set (reproducible builds), else the clock
    (also when it is not an instant: ``load_site`` tells that, ``epoch_problem``)."""
    if now is not None:
        return now.astimezone(UTC)
    return epoch_instant(os.environ.get("SOURCE_DATE_EPOCH", "")) or datetime.now(UTC)


def epoch_instant(value: str) -> datetime | None:
    """The instant a SOURCE_DATE_EPOCH names (whole seconds since 1970, UTC); None if it
    names none (blank, a fraction, a sign, a year past 9999)."""
    value = value.strip()
    if not (value.isascii() and value.isdigit()):
        return None
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (OverflowError, OSError, ValueError):
        return None


def epoch_problem() -> Problem | None:
    """A SOURCE_DATE_EPOCH that is set but names no instant. Building on the clock would
    quietly give up reproducibility (reproducible-builds.org: a malformed value fails the
    build), and MkDocs reads the same variable with ``int()``: a traceback, or for ``-1`` a
    1969 build date beside yizhan's today. A blank one counts as unset
    (``mkdocs_engine.plugin`` drops it for MkDocs)."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not value.strip() or epoch_instant(value) is not None:
        return None
    return problem(
        Origin("mkdocs.yml"), "config.source-date-epoch", "SOURCE_DATE_EPOCH", value=value
    )


def site_config(options: BuildOptions, now: datetime | None = None) -> SiteConfig:
    clock = build_clock(now)
    try:
        zone = ZoneInfo(options.timezone)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    today: date = clock.astimezone(zone).date()
    site_url = options.site_url or "http://localhost:8000/"
    if not site_url.endswith("/"):
        site_url += "/"
    return SiteConfig(
        site_name=options.site_name,
        site_url=site_url,
        timezone=options.timezone,
        language="en" if options.language.startswith("en") else "zh",
        today=today,
        build_time=clock,
        horizon_days=options.horizon_days,
        drafts=options.drafts,
        news_per_page=options.news_per_page,
        content_dir=options.content_dir,
        uid_host=options.uid_host,
    )


@dataclass(frozen=True)
class Checked:
    site: Site
    warnings: tuple[Problem, ...]
    repository: history.Repository | None = None
    """What Git said of the activities (the live preview's refresh reuses it, issue 5)."""
    files: frozenset[str] = frozenset()
    """Every file of the content folder (``load.Loaded.files``)."""


def published_elsewhere(site_url: str) -> bool:
    """Whether ``SITE_URL`` (the Pages workflow sets it to where the site is published) names
    another address than ``site_url``: a literal ``site_url`` in ``mkdocs.yml`` ignores it, so a
    site moved to a custom domain would publish feeds and links to its old address."""
    published = os.environ.get("SITE_URL", "").strip()
    return bool(published) and published.rstrip("/") != site_url.rstrip("/")


def content_missing(options: BuildOptions) -> list[Problem]:
    """The content folder, when it does not exist: a new site's repository whose content
    folder was emptied has none (Git keeps no empty folder), and MkDocs then stops with its
    English “Config value 'docs_dir'” before yizhan runs."""
    if (options.root / options.content_dir).is_dir():
        return []
    return [
        problem(
            Origin("mkdocs.yml"), "config.content-missing", "docs_dir", value=options.content_dir
        )
    ]


def load_site(
    options: BuildOptions,
    now: datetime | None = None,
    between: Callable[[], None] = lambda: None,
) -> Checked:
    """Content folder -> validated Site with history. Raises ContentError with every problem
    (warnings count as errors under ``strict``). ``between`` is called between the stages
    (the live preview gives a build up there when newer saves came in, issue 5)."""
    config = site_config(options, now)
    problems: list[Problem] = []
    epoch = epoch_problem() if now is None else None
    if epoch is not None:
        problems.append(epoch)
    if options.timezone and validate.resolve_zone(options.timezone) is None:
        problems.append(
            problem(
                Origin("mkdocs.yml"),
                "field.timezone",
                "timezone",
                value=options.timezone,
                suggestion=validate.meant_zone(options.timezone),
            )
        )
    if not options.site_url:
        problems.append(problem(Origin("mkdocs.yml"), "config.site-url", "site_url", "warning"))
    elif published_elsewhere(options.site_url):
        problems.append(
            problem(
                Origin("mkdocs.yml"),
                "config.site-url-env",
                "site_url",
                "warning",
                value=options.site_url,
                published=os.environ["SITE_URL"],
            )
        )
    problems.extend(content_missing(options))
    if not options.directory_urls:
        problems.append(
            problem(Origin("mkdocs.yml"), "config.directory-urls", "use_directory_urls", "warning")
        )
    events_dir = f"{options.content_dir}/events"
    # perf (issue 5): Git is read in a thread while the content loads (it waits on git's
    # processes); the thread is done before anything forks.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="yizhan-git") as pool:
        repository = (
            pool.submit(history.read_repository, options.root, events_dir)
            if options.git_history
            else None
        )
        loaded = load.load_content(options.root, options.content_dir, between)
        between()
        problems.extend(loaded.problems)
        site, found = validate.validate(loaded.documents, config, between)
        problems.extend(
            checks.not_about_unread(found, checks.unread_ids(loaded, options.content_dir))
        )
        between()
        event_history, found = history.derive_history(
            options.root,
            events_dir,
            site,
            options.git_history,
            repository=repository.result if repository is not None else None,
            digests={doc.path: doc.digest for doc in loaded.documents if doc.kind == "event"},
        )
    problems.extend(found)
    free = checks.free_pages(loaded.files, options.root, options.content_dir)
    problems.extend(checks.missing_links(site, loaded.files, options.root))
    problems.extend(checks.placeholder_problems(site, options.root))
    problems.extend(checks.free_pages_missing_links(free, loaded.files))
    problems.extend(checks.free_pages_html_in_meta(free))
    writings = checks.writings_of(site, free, options.root)
    problems.extend(checks.missing_places(site, free, writings, options.heading_ids))
    problems.extend(checks.image_alt_problems(writings))
    problems.extend(checks.remote_problems(writings))
    problems.extend(checks.remote_cover_problems(site, options.root))
    problems.extend(
        checks.rooted_link_problems(site, free, writings, loaded.files, options.site_url)
    )
    site = replace(site, history=event_history)
    errors = [p for p in problems if p.severity == "error" or options.strict]
    if errors:
        raise ContentError(problems, config.language)
    return Checked(
        site,
        tuple(p for p in problems if p.severity == "warning"),
        repository.result() if repository is not None else None,
        loaded.files,
    )


def plan_site(site: Site, views: Views | None = None) -> Plan:
    """Site -> every page and file. Raises ContentError when two outputs claim one path."""
    return start_plan(site, views).finish()


@dataclass(frozen=True)
class PlanUnderWay:
    """The pages of a plan, with its files still being made in forked processes (perf,
    issue 5: they go on while MkDocs builds its file list and navigation; ``finish`` waits
    for them and checks the whole plan)."""

    pages: tuple[PageSpec, ...]
    made: Callable[[], dict[str, list[FileSpec]]]
    language: str
    steps: tuple[Callable[[], Any], ...] = ()
    """The forked steps making the files (``cancel`` stops them)."""

    def cancel(self) -> None:
        """Give the plan up: stop the processes making its files now."""
        for step in self.steps:
            parallel.cancel(step)

    def finish(self) -> Plan:
        """The plan. Raises ContentError when two outputs claim one path."""
        made = self.made()
        files = tuple(file for name in FILE_OUTPUTS for file in made[name])
        for page in self.pages:
            check_output_path(page.src_uri)
        for file in files:
            check_output_path(file.path)
        conflicts = find_conflicts(self.pages, files)
        if conflicts:
            raise ContentError([conflict_problem(*c) for c in conflicts], self.language)
        return Plan(self.pages, files)


def reserved_by_content(plan: Plan, files: Iterable[str], content_dir: str) -> list[Problem]:
    """``url.reserved`` for each file of the content folder published where a generated page
    or file goes: a free page (``subscribe.md``) was told by ``build`` only, and any other file
    (``rss.xml``, ``calendar.ics``) was replaced by the generated one without a word."""
    generated = {f"{page.path}index.html": page.path for page in plan.pages}
    generated |= {file.path: file.path for file in plan.files}
    found = []
    for docs_path in sorted(files):
        if docs_path.endswith(".md") and docs_path.split("/", 1)[0] in load.KIND_DIRS:
            continue  # an entity's file: its page is one of the plan's
        if docs_path == "index.md":
            continue  # the home page's text
        out = f"{page_address(docs_path)}index.html" if docs_path.endswith(".md") else docs_path
        if out in generated:
            address = "/" + generated[out]
            found.append(
                problem(Origin(f"{content_dir}/{docs_path}"), "url.reserved", "", value=address)
            )
    return found


def conflict_problem(out: str, first: str, second: str) -> Problem:
    """Two outputs on one path, told at the content file that made one of them: the other
    is another content file (``url.conflict``) or a generated page (``url.reserved``)."""
    at, other = (second, first) if is_content_file(second) or not is_content_file(first) else (
        first, second)  # fmt: skip
    address = "/" + out.removesuffix("index.html")
    origin = Origin(at if is_content_file(at) else "content")
    if is_content_file(other):
        return problem(origin, "url.conflict", "", value=address, other=other)
    return problem(origin, "url.reserved", "", value=address)


def is_content_file(source: str) -> bool:
    return source.endswith((".md", ".yml", ".yaml"))


def start_plan(
    site: Site, views: Views | None = None, between: Callable[[], None] = lambda: None
) -> PlanUnderWay:
    """Plan the pages here while the files are made beside (see ``PlanUnderWay``).
    ``between`` is called between families of pages (see ``load_site``); when it raises, the
    processes making the files are stopped."""
    if views is None:
        views = derive_views(site)
    # issue 5: the articles' Markdown, which pages (summaries) and feeds both need, first
    text.prerender(item.body for item in site.news)
    # issue 5: the files are made in forked processes while the pages are planned (same
    # result); on a district the calendars are half of that work, so they get one of their own.
    # They yield the cores to the pages, which the build needs first.
    calendars = parallel.beside(collect_outputs, site, views, ("ical",), nice=parallel.YIELD)
    others = parallel.beside(
        collect_outputs,
        site,
        views,
        tuple(n for n in FILE_OUTPUTS if n != "ical"),
        nice=parallel.YIELD,
    )
    try:
        pages = rebase_links(collect_pages(site, views, between), site.config.content_dir)
    except BaseException:
        parallel.cancel(calendars)
        parallel.cancel(others)
        raise

    def made() -> dict[str, list[FileSpec]]:
        return {**others(), **calendars()}

    return PlanUnderWay(pages, made, site.config.language, (calendars, others))


PAGES_BETWEEN_CHECKS = 1000
"""Pages planned between two calls of ``collect_pages``' ``between``."""


def collect_pages(
    site: Site, views: Views, between: Callable[[], None] = lambda: None
) -> list[PageSpec]:
    """Every page of the site. ``between`` is called between families of pages and every
    ``PAGES_BETWEEN_CHECKS`` pages (``yizhan serve`` gives a superseded build up there: a
    district's 15,000 activity pages take ~3 s to plan, which a new save waited for)."""
    found: list[PageSpec] = []
    for family in (home, news, events, orgs, subscribe):
        between()
        for page in family.pages(site, views):
            found.append(page)
            if len(found) % PAGES_BETWEEN_CHECKS == 0:
                between()
    return found


def moved_sources(pages: Iterable[PageSpec], content_dir: str) -> dict[str, str]:
    """Where links to generated pages should point: an editor file rendered by the core (by its
    docs path) or a page's URL path (``subscribe/``) -> the file name of its page."""
    prefix = content_dir.strip("/") + "/"
    pages = list(pages)
    moved = {p.path.rstrip("/"): p.src_uri for p in pages if p.path}
    moved.update(
        {p.source.removeprefix(prefix): p.src_uri for p in pages if p.source.startswith(prefix)}
    )
    return moved


def rebase_links(pages: list[PageSpec], content_dir: str) -> tuple[PageSpec, ...]:
    """Keep editors' relative links working from the URL their page is published at."""
    moved = moved_sources(pages, content_dir)
    return tuple(rebase_page(p, content_dir, moved) for p in pages)


def rebase_page(page: PageSpec, content_dir: str, moved: Mapping[str, str]) -> PageSpec:
    """One page with its editor's relative links rebased (see ``rebase_links``)."""
    prefix = content_dir.strip("/") + "/"
    if not (page.markdown and page.source.startswith(prefix)):
        return page
    source = page.source.removeprefix(prefix)
    markdown = rebase_markdown(page.markdown, source, page.src_uri, moved)
    return page if markdown == page.markdown else replace(page, markdown=markdown)


def redirect_files(site: Site, views: Views) -> Iterable[FileSpec]:
    return history.redirect_files(site)


FILE_OUTPUTS: dict[str, Callable[[Site, Views], Iterable[FileSpec]]] = {
    "rss": rss.files,
    "ical": ical.files,
    "jsondata": jsondata.files,
    "qr": subscribe.files,  # the feeds' QR codes, linked by their pages
    "redirects": redirect_files,
}
"""Every non-page output, by name, in the order the plan lists them."""


def collect_files(site: Site, views: Views) -> list[FileSpec]:
    made = collect_outputs(site, views, tuple(FILE_OUTPUTS))
    return [file for name in FILE_OUTPUTS for file in made[name]]


def collect_outputs(site: Site, views: Views, names: Iterable[str]) -> dict[str, list[FileSpec]]:
    """The files of the outputs ``names`` (keys of ``FILE_OUTPUTS``), by name."""
    return {name: list(FILE_OUTPUTS[name](site, views)) for name in names}


def options_from_mapping(root: Path, config: Mapping[str, Any], **overrides: Any) -> BuildOptions:
    """BuildOptions from a ``mkdocs.yml`` mapping (its ``yizhan`` plugin options included)."""
    plugin: dict[str, Any] = {}
    for entry in config.get("plugins") or []:
        if isinstance(entry, dict) and "yizhan" in entry:
            plugin = entry["yizhan"] or {}
    theme = config.get("theme") or {}
    language = theme.get("language", "zh") if isinstance(theme, dict) else "zh"
    values: dict[str, Any] = {
        "root": root,
        "content_dir": str(config.get("docs_dir") or "docs"),  # MkDocs' default
        "site_name": str(config.get("site_name") or "党群服务中心"),
        "site_url": str(config.get("site_url") or ""),
        "language": str(language or "zh"),
        "timezone": str(plugin.get("timezone", "Asia/Shanghai")),
        "git_history": bool(plugin.get("git_history", True)),
        "horizon_days": int(plugin.get("horizon_days", 365)),
        "news_per_page": int(plugin.get("news_per_page", 20)),
        "uid_host": str(plugin.get("uid_host") or ""),
        "cache": plugin.get("fast", "auto") is not False,
        "heading_ids": anchors.heading_rule(config.get("markdown_extensions")),
        "directory_urls": config.get("use_directory_urls") is not False,
    }
    values.update(overrides)
    return BuildOptions(**values)


def read_options(config_file: Path, **overrides: Any) -> BuildOptions:
    return options_from_mapping(config_file.parent, load.read_config_file(config_file), **overrides)
