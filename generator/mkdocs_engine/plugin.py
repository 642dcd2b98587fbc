"""The MkDocs adapter: runs the core once per build and hands its plan to MkDocs.

Each hook is short: guard, delegate to the core, return. Generated pages are virtual files
(``File.generated``) kept out of the navigation, so a page's HTML does not grow with the site.
Builds go to a temporary sibling folder that replaces the output only after success: a failed
build leaves the previous site exactly as it was.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os
import re
import shutil
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import escape
from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_build_date
from mkdocs.utils.templates import TemplateContext

from .. import anchors, heap, i18n, memo
from ..build import (
    KIND_FOLDERS,
    BuildOptions,
    PlanUnderWay,
    load_site,
    memo_folder,
    moved_sources,
    reserved_by_content,
    start_plan,
)
from ..lean import icons, prelink, search
from ..lean.cache import FileCache
from ..lean.prelink import Prelink
from ..lean.render import JSON_DUMPS, MKDOCS_BYTECODE
from ..links import rebase_markdown
from ..outputs.compact import compact_html
from ..plan import FileSpec, PageSpec
from ..problems import ContentError, Origin, Problem, format_problems, problem
from ..quick import Previous
from ..views import derive_views
from ..views.text import join_cjk_lines
from . import fast, output

log = get_plugin_logger(__name__)

# Sections shown in the navigation when mkdocs.yml has no ``nav``: (zh, en, path).
DEFAULT_NAV = (
    ("首页", "Home", "index.md"),
    ("新闻动态", "News", "news/index.md"),
    ("活动", "Activities", "events/index.md"),
    ("党组织", "Branches", "branches/index.md"),
    ("社团", "Clubs", "clubs/index.md"),
    ("阵地", "Venues", "venues/index.md"),
    ("大事记", "Milestones", "timeline/index.md"),
    ("订阅", "Subscribe", "subscribe/index.md"),
)


class YizhanConfig(Config):
    timezone = opt.Type(str, default="Asia/Shanghai")
    """Time zone of times written without an offset."""
    horizon_days = opt.Type(int, default=365)
    """How far ahead recurring activities are listed on pages."""
    drafts = opt.Type(bool, default=False)
    """Include ``draft: true`` content (always on in ``serve``)."""
    git_history = opt.Type(bool, default=True)
    """Derive calendar UID/SEQUENCE/LAST-MODIFIED from git; false to opt out (e.g. no history)."""
    news_per_page = opt.Type(int, default=20)
    uid_host = opt.Type(str, default="")
    """The host calendar UIDs end in; set it to the old one when the site moves to another
    address, so subscribed calendars keep their activities (default: ``site_url``'s)."""
    fast = opt.Optional(opt.Type(bool))
    """Issue 5: true renders generated pages with yizhan's lean renderer on every core, reusing
    unchanged pages from .cache/yizhan/, and searches with Pagefind; false renders everything
    through MkDocs with Material's search (jieba). Unset: on from FAST_FROM_PAGES pages."""


class Superseded(Exception):
    """A ``yizhan serve`` build given up for a newer save (not an error: nothing is logged)."""


FAST_FROM_PAGES = 1000
"""Issue 4: jieba makes Material's search ~2.6x slower and its index is fetched on every page
load (~6.5 KB a page); beyond a few hundred pages Pagefind serves residents better."""


class WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class YizhanPlugin(BasePlugin[YizhanConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.dirty = False
        self.underway: PlanUnderWay | None = None
        """This build's plan: its pages in ``on_config``, its files by ``on_post_build``."""
        self.pages: tuple[PageSpec, ...] = ()
        self.by_uri: dict[str, PageSpec] = {}
        self.moved: dict[str, str] = {}
        self.content_dir, self.language = "content", "zh"
        self.root = Path()
        self.content_files: frozenset[str] = frozenset()
        self.final_site_dir: str | None = None
        self.temp_dir = ""
        self.counter = WarningCounter()
        self.fast: fast.FastPath | None = None  # issue 5: the lean render path, when on
        self.previous: Previous | None = None
        self.prelink: Prelink | None = None
        """issue 5: the last build's files, linked into this one's site while it loads."""
        self.sprite: icons.Sprite | None = None
        """issue 5: the page chrome's icons (``lean.icons``)."""
        self.superseded: Callable[[], bool] | None = None
        """Set by ``yizhan serve``: whether newer saves make this build not worth finishing."""
        self.failure = ""
        """Why the last build failed ("" if it did not), for the preview's pages."""
        self.env: jinja2.Environment | None = None
        self.search_text = ""
        """What the page being rendered shows around its body, given to Material's search."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        self.dirty = dirty

    @event_priority(100)  # before Material's search fills in its language's separator
    def separate_chinese_from_latin(self, config: MkDocsConfig) -> MkDocsConfig:
        """The search separator a site leaves unset, Chinese with Latin letters and digits
        split (``CHINESE_SEPARATOR``)."""
        plugin = config.plugins.get("material/search") or config.plugins.get("search")
        settings = getattr(plugin, "config", None)
        if settings is not None and "separator" in settings and not settings["separator"]:
            languages = settings.get("lang") or [config.theme.get("language") or "zh"]
            if any(str(lang).startswith("zh") for lang in languages):
                settings["separator"] = CHINESE_SEPARATOR
        return config

    def plan_the_site(self, config: MkDocsConfig) -> MkDocsConfig:
        # jieba (Material's Chinese search segmentation) reports its dictionary loading on stderr.
        logging.getLogger("jieba").setLevel(logging.WARNING)
        if not os.environ.get("SOURCE_DATE_EPOCH", "x").strip():
            # unset, as yizhan reads it (a CI template's empty value): MkDocs' ``int("")``
            # stopped the build with a traceback at its first page
            del os.environ["SOURCE_DATE_EPOCH"]
        options = self.build_options(config)
        # issue 5: costly pure results (QR codes) are kept in .cache/yizhan/memo/ between builds
        memo.use(memo_folder(options))
        if self.command == "build":
            # a link (site -> /var/www/html) leads to the folder the build replaces: the
            # staging folders go beside that one, on its file system, and the link stays
            config.site_dir = str(output.followed(Path(config.site_dir)))
        # not into a folder MkDocs keeps (``mkdocs serve --dirty``): it must start empty
        if self.config.fast is not False and not self.dirty:
            # serve's rebuilds too (perf, issue 5): publishing 21,000 unchanged pages there
            # took ~7 s of the rebuild after each save
            serving = self.command == "serve"
            folder = fast.cache_folder(options.root, serve=serving)
            self.prelink = Prelink.start(folder, Path(config.site_dir))
        try:
            with heap.collector_paused(freeze=self.command == "build"):
                checked = load_site(options, between=self.stop_if_superseded)
                self.stop_if_superseded()
                for warning in checked.warnings:
                    log.warning(warning.format(options.language))
                views = derive_views(checked.site)
                self.underway = start_plan(checked.site, views, self.stop_if_superseded)
                memo.flush()
                self.stop_if_superseded()
        except ContentError as error:
            raise PluginError(str(error)) from None
        warn_if_chinese_search_cannot_segment(config)
        quiet_link_warnings(config, options.heading_ids is not None)
        localise_footnote_links(config, options.language)
        self.pages = self.underway.pages
        self.by_uri = {page.src_uri: page for page in self.pages}
        self.content_dir, self.language = options.content_dir, options.language
        self.root = options.root
        self.content_files = checked.files
        self.moved = moved_sources(self.pages, options.content_dir)
        # issue 5: the live preview's quick path starts from this build's validated site
        self.previous = Previous(
            options.root, checked.site, views, self.moved, dict(self.by_uri), checked.repository
        )
        if config.nav is None:
            config.nav = default_nav(options.language, config.docs_dir)
        add_package_theme(config)
        # issue 5: choose the lean pages (after add_package_theme: it orders theme dirs).
        self.fast = (
            fast.FastPath.start(
                config,
                self.pages,
                workers=fast.env_workers(),
                serve=self.command == "serve",
                prelinked=self.prelink,
            )
            if self.use_fast_path(len(self.pages))
            else None
        )
        self.sprite = chrome_sprite(config)
        if self.command == "build":
            self.redirect_output(config)
        return config

    on_config = CombinedEvent(separate_chinese_from_latin, plan_the_site)

    def stop_if_superseded(self) -> None:
        """Give the build up between its stages when newer saves came in (``yizhan serve``
        then starts the next one at once instead of finishing this one first, issue 5)."""
        if self.superseded is not None and self.superseded():
            raise Superseded()

    def use_fast_path(self, pages: int) -> bool:
        """Small sites keep MkDocs' own rendering and Material's search (jieba); beyond a
        thousand pages Material's index and jieba cost more than Pagefind and the lean path."""
        if self.config.fast is not None:
            return self.config.fast
        if pages >= FAST_FROM_PAGES:
            log.info(f"yizhan: {pages} pages: lean rendering and Pagefind search (fast: auto)")
            return True
        return False

    def build_options(self, config: MkDocsConfig) -> BuildOptions:
        language = str(config.theme.get("language") or "zh")
        return BuildOptions(
            root=Path(config.config_file_path).parent,
            content_dir=Path(config.docs_dir)
            .relative_to(Path(config.config_file_path).parent)
            .as_posix(),
            site_name=config.site_name,
            site_url=config.site_url or "",
            timezone=self.config.timezone,
            language=language,
            drafts=self.config.drafts or self.command == "serve",
            strict=bool(config.strict),
            git_history=self.config.git_history,
            horizon_days=self.config.horizon_days,
            news_per_page=self.config.news_per_page,
            uid_host=self.config.uid_host,
            cache=self.config.fast is not False,
            heading_ids=anchors.toc_rule(config.mdx_configs.get("toc") or {}),
            directory_urls=bool(config.use_directory_urls),
        )

    def redirect_output(self, config: MkDocsConfig) -> None:
        final = Path(config.site_dir)
        refuse_site_dir(final, config)
        self.final_site_dir = str(final)
        self.temp_dir = str(output.staging_folder(final))
        config.site_dir = self.temp_dir
        if config.strict:
            logging.getLogger("mkdocs").addHandler(self.counter)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        self.stop_if_superseded()
        root = Path(config.config_file_path).resolve().parent
        for file in list(files):
            if is_content_source(file.src_uri) and not file.generated_by:
                files.remove(file)
            elif is_docs_file(file, config) and not Path(
                file.abs_src_path or ""
            ).resolve().is_relative_to(root):
                # MkDocs follows symbolic links; content must not publish files from elsewhere.
                log.warning(
                    f"{file.src_uri}: 链接指向网站仓库之外，已忽略 / links outside the site, skipped"
                )
                files.remove(file)
        taken = {f.dest_uri: f for f in files if is_docs_file(f, config)}
        clashes = []
        in_nav = NAV_URIS if config.nav is None else frozenset(nav_paths(config.nav))
        for page in self.pages:
            generated = File.generated(config, page.src_uri, content=page.markdown)
            if generated.dest_uri in taken:
                # An editor's free page where a generated one must be (content/subscribe.md …).
                clash = taken[generated.dest_uri]
                where = Origin(f"{self.content_dir}/{clash.src_uri}")
                clashes.append(problem(where, "url.reserved", "", value=f"/{page.path}"))
                continue
            if page.src_uri not in in_nav:
                generated.inclusion = InclusionLevel.NOT_IN_NAV
            files.append(generated)
        if clashes:
            raise PluginError(format_problems(clashes, self.language))
        # issue 5: the chrome's icons, one cached file instead of inline SVG on every page
        assert self.sprite is not None, "on_config makes the sprite"
        files.append(File.generated(config, self.sprite.file, content=self.sprite.content))
        if self.fast is not None:  # issue 5: lean pages stay linkable but MkDocs skips them
            self.fast.exclude(files)
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.stop_if_superseded()
        if self.fast is not None:  # issue 5: the lean renderer draws the same navigation
            self.fast.capture(nav, files, config)
        return nav

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        # Our templates render editor data: escape it. Material's own templates insert
        # pre-rendered HTML and are written for autoescape off, so they keep it off.
        env.autoescape = autoescape_ours
        env.globals["yz_icons"] = self.sprite
        self.env = env
        env.policies["json.dumps_kwargs"] = JSON_DUMPS  # the lean renderer's, same bytes
        env.bytecode_cache = MKDOCS_BYTECODE  # issue 5: serve's rebuilds compile nothing again
        if self.prelink is not None:  # MkDocs cleaned its output folder: now it gets them
            self.prelink.move_into(Path(config.site_dir))
            log.info(
                f"yizhan: {len(self.prelink.linked)} files of the last build linked at its start"
            )
            self.prelink.release(mkdocs_outputs(config, files))
        return env

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        spec = self.by_uri.get(page.file.src_uri)
        # the sitemap's <lastmod>: a day the content changed, else none (MkDocs gives every
        # page the build's day; a plugin that dates pages itself is left its date)
        if page.update_date == get_build_date():
            updated = spec.updated if spec is not None else ""
            page.update_date = updated or Undated(page.update_date)
        if spec is not None:
            page.meta["template"] = spec.template
            # Material's templates print titles unescaped; ours are editor text, so escape them once
            # here (Markup is not escaped again by autoescaping templates).
            # The home page's title is the site's name: Material then shows it once in
            # <title>, not as "name - name".
            if not (page.is_homepage and spec.title == config.site_name):
                page.meta["title"] = escape(spec.title)
            if spec.description:
                page.meta["description"] = escape(spec.description)
            return markdown
        # A free page (about.md …) may link to editors' entity files, now published elsewhere.
        uri = page.file.src_uri
        return rebase_markdown(markdown, uri, uri, self.moved, config.use_directory_urls)

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        # as the lean renderer's pages: no line break inside a Chinese sentence
        return join_cjk_lines(html)

    @event_priority(100)  # before Material's search (priority 0) reads the page
    def index_what_the_page_shows(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        """Material's search indexes ``page.content``, the Markdown body alone: a branch's
        secretary, a club's leader, an activity's time and place, shown by the page's template
        around the body, were found by Pagefind on a fast site and by nothing on a small one.
        Until Material has read the page, its content starts with that text (SEARCH_TEXT)."""
        spec = self.by_uri.get(page.file.src_uri)
        context["yz"] = spec.data if spec is not None else {}  # type: ignore[typeddict-unknown-key]
        self.search_text = ""
        searched = spec is not None and search.indexed(spec.template)
        if searched and self.env is not None and material_indexes(config, self.fast):
            self.search_text = self.env.get_template(SEARCH_TEXT).render(context)
            page.content = self.search_text + (page.content or "")
        return context

    @event_priority(-100)  # after every plugin that reads the page
    def show_the_body_alone(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        """The page's template shows that text itself: the body goes back to what it was."""
        text, self.search_text = self.search_text, ""
        if text and page.content is not None and page.content.startswith(text):
            page.content = page.content[len(text) :]
        return context

    on_page_context = CombinedEvent(index_what_the_page_shows, show_the_body_alone)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        # issue 5: the same compact whitespace as the lean renderer's pages
        return compact_html(output)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self.stop_if_superseded()
        assert self.underway is not None
        underway, self.underway = self.underway, None  # finished once, whatever happens
        folder = self.fast.cache_folder() if self.fast is not None else None
        file_cache = FileCache(folder)
        files: list[FileSpec] = []

        def write_outputs() -> None:
            try:
                with heap.collector_paused(freeze=self.command == "build"):
                    plan = underway.finish()
                reserved = reserved_by_content(plan, self.content_files, self.content_dir)
                if reserved:
                    raise ContentError(reserved, self.language)
            except ContentError as error:
                raise PluginError(str(error)) from None
            written = [*plan.files, *robots_file(config.site_url or "", self.content_files)]
            files.extend(written)
            output.write_files(Path(config.site_dir), written, file_cache, self.prelink)

        if self.fast is None:
            write_outputs()
        else:
            # issue 5: the lean pages, sitemap entries and index; the feeds meanwhile, from
            # the end of the processes making them (the calendars' often outlasts planning
            # the pages: rendering waited for it with a core idle)
            self.fast.render(config, alongside=write_outputs, sprite=self.sprite)
            self.fast.finish()
        if self.prelink is not None:
            made = self.fast.made() if self.fast is not None else []
            self.prelink.prune([*made, *(f.path for f in files)])
            self.prelink = None
        logging.getLogger("mkdocs").removeHandler(self.counter)
        if self.final_site_dir is None:  # serve: the folder is served where it was built
            self.record_published(folder, file_cache)
            return
        if self.counter.count:
            # --strict: MkDocs aborts right after this hook; keep the previous site.
            return
        output.swap_in(Path(config.site_dir), Path(self.final_site_dir))
        self.record_published(folder, file_cache)
        config.site_dir = self.final_site_dir
        self.final_site_dir = None
        self.temp_dir = ""

    def record_published(self, folder: Path | None, file_cache: FileCache) -> None:
        """Keep what this build published: the next one links it at its start (``prelink``)."""
        if self.fast is not None and folder is not None:
            published = {**self.fast.published(), **file_cache.published(file_cache.placed)}
            prelink.record(folder, published)

    def on_build_error(self, *, error: Exception) -> None:
        logging.getLogger("mkdocs").removeHandler(self.counter)
        # what the preview shows on its pages until a save builds again
        told = template_problem(error, self.root)
        if told is not None:
            self.failure = told.format(self.language)
        else:
            self.failure = "" if isinstance(error, Superseded) else str(error)
        if self.underway is not None:
            # A build that failed before on_post_build: its feeds' forked processes are
            # waited for, not left blocked on their pipes (``yizhan serve`` lives on); a
            # superseded one stops them at once.
            underway, self.underway = self.underway, None
            with contextlib.suppress(Exception):
                if isinstance(error, Superseded):
                    underway.cancel()
                else:
                    underway.finish()
        if self.prelink is not None:
            self.prelink.cancel()
            if self.command == "serve":
                # in the background: removing a district's 45,000 links took ~2 s, which
                # the next save waited for (perf, issue 5)
                output.discard([self.prelink.staging])
            else:  # a build leaves nothing behind when it ends
                shutil.rmtree(self.prelink.staging, ignore_errors=True)
            self.prelink = None
        if self.temp_dir:
            shutil.rmtree(self.temp_dir, ignore_errors=True)
        self.final_site_dir = None
        self.temp_dir = ""


def robots_file(site_url: str, content_files: frozenset[str]) -> list[FileSpec]:
    """``robots.txt`` naming MkDocs' sitemap, so crawlers find every page (an editor's own
    ``content/robots.txt`` is published instead, as it is). Crawlers read it only at a host's
    root: under a base path (``https://org.github.io/repo/``) it is written all the same, and
    counts once the site is served at the root of its own domain. No ``site_url``, no
    sitemap address: none."""
    if not site_url or "robots.txt" in content_files:
        return []
    sitemap = site_url.rstrip("/") + "/sitemap.xml"
    return [FileSpec("robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n".encode())]


TEMPLATE_FRAME = re.compile(r'^\s*File "([^"]+)", line (\d+)', re.MULTILINE)
"""A frame of a formatted traceback; Jinja names a template's frames by its file."""


def template_problem(error: BaseException, root: Path) -> Problem | None:
    """A theme template's error (a Jinja syntax slip, an include of a missing template, an
    undefined name, an error of the template's own code such as a division by zero) as a
    problem at the template's file and line, or None for any other error: without it the
    build ended in a traceback, and ``yizhan serve`` answered no request until the template
    was fixed (MkDocs' loop waits for a build that never succeeds)."""
    # a page rendered in a worker process carries the worker's traceback as text (the
    # cause of the error, ``concurrent.futures``)
    cause = error.__cause__
    remote = type(cause).__name__ == "_RemoteTraceback"
    text = str(cause) if remote else "".join(traceback.format_tb(error.__traceback__))
    frames = TEMPLATE_FRAME.findall(text)
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        path, line = error.filename, error.lineno
    elif isinstance(error, jinja2.TemplateError) or (frames and not frames[-1][0].endswith(".py")):
        ours = [f for f in frames if not f[0].endswith(".py")]  # the innermost template's
        path, line = ours[-1][0] if ours else "", int(ours[-1][1]) if ours else 1
    else:
        return None
    where = Path(path).resolve() if path else None
    shown = (
        where.relative_to(root.resolve()).as_posix()
        if where is not None and where.is_relative_to(root.resolve())
        else path or "mkdocs.yml"
    )
    detail = f"{type(error).__name__}: {error}"
    if isinstance(error, jinja2.TemplateSyntaxError):
        detail = error.message or ""
    elif isinstance(error, jinja2.TemplateNotFound):
        detail = f"TemplateNotFound: {error.name}"
    return problem(Origin(shown, line), "theme.template", error=detail.rstrip("."))


THEME_DIR = Path(__file__).resolve().parent.parent / "theme"
STYLESHEETS = (
    "assets/stylesheets/yizhan.css",
    "assets/stylesheets/calendar.css",
    "assets/stylesheets/orgs.css",
)
SCRIPTS = ("assets/javascripts/yizhan.js",)


def nav_paths(nav: object) -> Iterator[str]:
    """The files a site's own ``nav:`` names (``- 新闻: news/index.md``, nested sections too):
    the generated pages it leaves out are left out on purpose, not in MkDocs' list of pages
    "not included in the nav", which named yizhan's own listings to an editor who cannot add
    them anywhere but the nav."""
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, list):
        for item in nav:
            yield from nav_paths(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from nav_paths(value)


def chrome_sprite(config: MkDocsConfig) -> icons.Sprite:
    """The sprite of the theme's chosen chrome icons (its folders are in their final order)."""
    try:
        return icons.make_sprite(config.theme.get("icon") or {}, config.theme.dirs)
    except (OSError, ValueError) as error:
        raise PluginError(
            f"mkdocs.yml: theme.icon: 图标无法使用 / icon unusable: {error}"
        ) from None


def refuse_site_dir(final: Path, config: MkDocsConfig) -> None:
    """A build replaces ``site_dir`` whole: one naming the repository's ``.git`` or the theme
    overrides (MkDocs refuses the docs folder and the site's own folder itself) would replace
    them with the site."""
    root = Path(config.config_file_path).resolve().parent
    final = final.resolve()
    if final.exists() and not final.is_dir():
        raise PluginError(
            f"mkdocs.yml: site_dir: {final} 不是文件夹，生成的网站放不进去 / "
            "is not a folder the site can be built into"
        )
    kept = [root / ".git"]
    if config.theme.custom_dir:
        kept.append(Path(config.theme.custom_dir).resolve())
    for folder in kept:
        if final == folder or final.is_relative_to(folder) or folder.is_relative_to(final):
            raise PluginError(
                f"mkdocs.yml: site_dir: {final} 会被生成的网站整个替换，不能是 {folder} / "
                f"site_dir would be replaced by the site and cannot be {folder}"
            )


def add_package_theme(config: MkDocsConfig) -> None:
    """Put yizhan's templates and stylesheets under the site's own ``custom_dir`` (which may
    override any of them) and above Material's, so any site repository builds as it is; and
    its stylesheets and script before the site's own."""
    dirs = config.theme.dirs
    if str(THEME_DIR) not in dirs:
        custom = config.theme.custom_dir
        dirs.insert(1 if custom and dirs and dirs[0] == custom else 0, str(THEME_DIR))
    listed = [str(item) for item in config.extra_css]
    config.extra_css[0:0] = [css for css in STYLESHEETS if css not in listed]
    scripts = [str(item) for item in config.extra_javascript]
    config.extra_javascript[0:0] = [js for js in SCRIPTS if js not in scripts]


def quiet_link_warnings(config: MkDocsConfig, places_checked: bool) -> None:
    """Leave a link to a missing file to yizhan's own ``link.missing`` warning (at the file
    and line the editor wrote, in the site's language, counted by ``--strict`` as MkDocs'
    was) instead of also printing MkDocs' English one about a virtual ``news/x/index.md``;
    likewise a link to a missing heading (``link.anchor``) when yizhan could check them, and
    one from the site's root (``/events/x/``), which yizhan tells where it breaks (``link.rooted``,
    under a base path) and MkDocs at every one, pointing at a virtual file.
    A level the site set itself (``validation: links: not_found:``) is kept."""
    links = config.validation.links
    if links.not_found == logging.WARNING:  # MkDocs' default
        links.not_found = logging.DEBUG
    if links.absolute_links == logging.INFO:  # MkDocs' default
        links.absolute_links = logging.DEBUG
    if places_checked and links.anchors == logging.INFO:  # MkDocs' default
        links.anchors = logging.DEBUG


def localise_footnote_links(config: MkDocsConfig, language: str) -> None:
    """Title footnotes' links back to the text in the site's language (python-markdown's
    default is English), unless mkdocs.yml gives a title."""
    if "footnotes" in config.markdown_extensions:
        settings = config.mdx_configs.setdefault("footnotes", {})
        settings.setdefault("BACKLINK_TITLE", i18n.label("footnote_back", language))


CHINESE_SEPARATOR = r"[\s\u200b\u3000\-、。，．？！；]+|\b(?=[\u3400-\u9fff])|\b(?=[A-Za-z0-9])"
r"""Material's separator for Chinese, and also a split where Chinese meets Latin letters or
digits. Its index has them apart (jieba's segments are set off by zero-width spaces), but a
query was split at spaces only: 红E, 12月 or 5G were one word no page held, and found nothing.
``\b`` before a Chinese character follows a letter or digit; before a letter or digit, a
character that is neither (lookbehind, ``(?<=…)``, breaks search on Safari before 16.4)."""


def warn_if_chinese_search_cannot_segment(config: MkDocsConfig) -> None:
    """Material segments Chinese only when jieba imports, and says nothing when it does not:
    search for 分类 would then miss 垃圾分类."""
    search = config.plugins.get("material/search") or config.plugins.get("search")
    languages = getattr(search, "config", {}).get("lang") or []
    if (
        any(str(lang).startswith("zh") for lang in languages)
        and importlib.util.find_spec("jieba") is None
    ):
        log.warning("搜索需要 jieba 才能切分中文（pip install jieba）/ Chinese search needs jieba")


SEARCH_TEXT = "yizhan/_search_text.html"


def material_indexes(config: MkDocsConfig, lean: fast.FastPath | None) -> bool:
    """Whether Material's search (or MkDocs' own) indexes the pages MkDocs renders: not on the
    fast path, where Pagefind does (``fast.unplug_material_index``)."""
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    enabled = plugin is not None and getattr(plugin, "config", {}).get("enabled", True)
    return bool(enabled) and lean is None


def autoescape_ours(template_name: str | None) -> bool:
    return template_name is not None and template_name.startswith(("yizhan/", "partials/yz-"))


def is_docs_file(file: File, config: MkDocsConfig) -> bool:
    """An editor's file (not a theme asset, not a generated page)."""
    src_dir = file.src_dir
    return src_dir is not None and Path(src_dir).resolve() == Path(config.docs_dir).resolve()


NAV_URIS = {uri for _, _, uri in DEFAULT_NAV}


def is_content_source(src_uri: str) -> bool:
    """Editors' entity files and the home text: the core renders them, MkDocs must not."""
    top = src_uri.split("/", 1)[0]
    if src_uri == "index.md":
        return True
    return top in KIND_FOLDERS and (src_uri.endswith((".md", ".yml", ".yaml")))


def default_nav(language: str, docs_dir: str) -> list[Any]:
    english = language.startswith("en")
    nav: list[Any] = [{(en if english else zh): path} for zh, en, path in DEFAULT_NAV]
    for page in sorted(Path(docs_dir).glob("*.md")):
        if page.name != "index.md":
            nav.append(page.name)
    return nav


class Undated(str):
    """A page's sitemap day when its content has none: the build's day, which MkDocs' sitemap
    template leaves out (it is false) but still reads, as the newest of all pages' days, for the
    mtime of ``sitemap.xml.gz`` (an empty day there fails the build of a site none of whose
    pages has a day yet: a new site, or one with only free pages)."""

    __slots__ = ()

    def __bool__(self) -> bool:
        return False


def mkdocs_outputs(config: MkDocsConfig, files: Files) -> set[str]:
    """What MkDocs writes in its output folder: every file but the excluded pages (the lean
    ones), its theme's static templates and the compressed sitemap."""
    written = {
        f.dest_uri for f in files if not (f.is_documentation_page() and f.inclusion.is_excluded())
    }
    written.update(str(name) for name in config.theme.static_templates)
    written.add("sitemap.xml.gz")
    return written
