"""The fast path (issue 5): generated pages rendered by ``generator.lean``, not page by page by
MkDocs.

MkDocs still builds the site: configuration, theme assets, static files, the pages in the
navigation and editors' free pages, links between them. The thousands of generated pages
(articles, activities, tag, category and month pages …) stay in MkDocs' file list, so links to
them resolve and are checked, but marked excluded so MkDocs does not render them; after
MkDocs' own pages, ``render`` writes them with the lean renderer over all cores, reusing
unchanged pages from ``.cache/yizhan/``, then adds them to the sitemap and builds the search
index (Pagefind).

The plugin calls five functions: ``FastPath.start`` (on_config), ``exclude`` (on_files),
``capture`` (on_nav), ``render`` and, once the feeds are written, ``finish`` (on_post_build).
"""

from __future__ import annotations

import gzip
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import mkdocs
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import get_build_timestamp

from .. import build
from ..lean import search
from ..lean.cache import PageCache, Stamp, page_entry, setup_fingerprint
from ..lean.icons import Sprite
from ..lean.pool import Outcome, render_pages
from ..lean.prelink import Prelink
from ..lean.render import Nav, NavHome, NavItem, Script, Setup, output_path
from ..lean.search import Bundle, Indexing
from ..plan import PageSpec

log = logging.getLogger("mkdocs.plugins.yizhan.fast")

CACHE_DIR = build.CACHE_DIR
LEAN_THEME = Path(search.__file__).resolve().parent / "theme"
# Not read by templates, or different on every build (site_dir is a temporary folder).
SKIPPED_CONFIG = {
    "plugins", "nav", "theme", "markdown_extensions", "mdx_configs", "watch", "hooks", "site_dir", "strict",
}  # fmt: skip


@dataclass
class FastPath:
    root: Path
    lean: list[PageSpec] = field(default_factory=list)
    listed: list[PageSpec] = field(default_factory=list)
    """Generated pages in the navigation, which MkDocs renders."""
    setup: Setup | None = None
    captured: tuple[Navigation, Files] | None = None
    workers: int | None = None
    use_cache: bool = True
    search: bool = True
    serve: bool = False
    """In ``mkdocs serve`` the search index is built in the background: the preview first."""
    timings: dict[str, float] = field(default_factory=dict)
    outcome: Outcome = field(default_factory=Outcome)
    indexing: Indexing | None = None
    background: Indexing | None = None
    """In ``yizhan serve``: the index still made after the build (``Indexing.in_background``)."""
    writer: Future[None] | None = None
    prelinked: Prelink | None = None
    """The last build's files, linked into this one's site at its start (``lean.prelink``)."""
    page_cache: PageCache | None = None
    index_parts: list[Bundle] = field(default_factory=list)
    link_level: int = logging.WARNING
    """MkDocs' level for a link to a missing file (``validation.links.not_found``)."""

    @classmethod
    def start(cls, config: MkDocsConfig, pages: Sequence[PageSpec], **options: Any) -> FastPath:
        """Choose the lean pages (all generated pages outside the navigation) and put the
        Pagefind search box in the theme, above yizhan's own templates."""
        root = Path(config.config_file_path).resolve().parent
        path = cls(root, **options)
        in_nav = nav_sources(config.nav)
        path.lean = [p for p in pages if p.src_uri not in in_nav]
        path.listed = [p for p in pages if p.src_uri in in_nav]
        if path.search:
            unplug_material_index(config)
            dirs = config.theme.dirs
            if str(LEAN_THEME) not in dirs:
                custom = config.theme.custom_dir
                dirs.insert(1 if custom and dirs and dirs[0] == custom else 0, str(LEAN_THEME))
        return path

    def exclude(self, files: Files) -> None:
        """Keep lean pages in the file list (links resolve) but out of MkDocs' page builds."""
        for spec in self.lean:
            file = files.get_file_from_path(spec.src_uri)
            if file is not None:
                file.inclusion = InclusionLevel.EXCLUDED
        LEAN_LINKS.lean = frozenset(spec.src_uri for spec in self.lean)
        pages_log = logging.getLogger("mkdocs.structure.pages")
        if LEAN_LINKS not in pages_log.filters:
            pages_log.addFilter(LEAN_LINKS)

    def mkdocs_pages(self) -> tuple[list[str], list[str]]:
        """Output files of the pages MkDocs rendered: generated listings, editors' free pages."""
        assert self.captured is not None
        listed = {p.src_uri: p for p in self.listed}
        nav_files, free_files = [], []
        for file in self.captured[1].documentation_pages():
            if file.inclusion.is_excluded():
                continue
            spec = listed.get(file.src_uri)
            if spec is None or search.indexed(spec.template):
                free_files.append(file.dest_uri)
            else:
                nav_files.append(file.dest_uri)
        return nav_files, free_files

    def capture(self, nav: Navigation, files: Files, config: MkDocsConfig) -> None:
        # Kept as objects: MkDocs fills in free pages' titles after on_nav, while reading them.
        self.captured = (nav, files)

    def render(
        self,
        config: MkDocsConfig,
        alongside: Callable[[], None] | None = None,
        sprite: Sprite | None = None,
    ) -> None:
        """Write the lean pages. ``alongside`` (the feeds: waiting for the processes making
        them, then writing them) runs in a thread of this process from the moment the workers
        are forked until ``finish``: beside the workers, then beside Pagefind (perf, issue 5:
        an edit re-indexes a part of the search). When it fails, rendering stops and its
        error is raised."""
        assert self.captured is not None, "capture() runs before render()"
        self.setup = make_setup(config, *self.captured, self.root, sprite)
        self.link_level = config.validation.links.not_found
        site_dir = Path(config.site_dir)
        cache = self.page_cache = PageCache(self.cache_folder())

        def start_writer() -> None:
            if alongside is not None:  # one thread, as Pagefind's runs (``search.Indexing``)
                pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="yizhan-writer")
                self.writer = pool.submit(alongside)
                pool.shutdown(wait=False)

        try:
            self.render_and_index(site_dir, cache, start_writer)
        except BaseException:
            if self.writer is not None:  # the build failed: its error is the one to raise
                wait([self.writer])
                writer, self.writer = self.writer, None
                if writer.exception() is not None:
                    writer.result()
            raise

    def render_and_index(
        self, site_dir: Path, cache: PageCache, start_writer: Callable[[], None]
    ) -> None:
        assert self.setup is not None
        results = [p for p in self.lean if search.indexed_page(p)]
        others = [p for p in self.lean if not search.indexed_page(p)]
        indexing: Indexing | None = None

        def index_results(done: Outcome) -> None:
            nonlocal indexing
            searched = {**cache.searched, **done.searched}
            indexing = self.start_search(site_dir, results, done.keys, searched)

        def index_early(done: Outcome) -> None:
            # The results came mostly from the cache, so the workers mostly link pages:
            # Pagefind starts beside them (perf, issue 5: an edit re-indexes a part in ~2-3 s).
            # Otherwise it waits until every page is rendered: beside rendering workers it
            # would only share their cores and add its memory to theirs.
            if done.rendered <= done.reused:
                index_results(done)

        started = time.perf_counter()
        outcome = render_pages(
            self.setup,
            [*results, *others],
            site_dir,
            cache,
            self.workers,
            start_writer,
            first=len(results),
            after_first=index_early,
            prelinked=self.prelinked,
            failed=self.writer_failed,
        )
        self.timings["render"] = time.perf_counter() - started
        if indexing is None:
            index_results(outcome)
        self.outcome = outcome
        for warning in outcome.warnings:
            log.log(self.link_level, warning)  # as MkDocs would (``quiet_link_warnings``)
        cache.prune(outcome.keys.values())
        add_to_sitemap(site_dir, self.setup, self.lean)
        if indexing is not None and self.serve:  # the preview first; the index follows later
            indexing.in_background()
            self.background = indexing
            threading.Thread(target=indexing.wait_in_background, daemon=True).start()
        else:
            self.indexing = indexing

    def writer_failed(self) -> bool:
        """Whether ``alongside`` (``render``) has failed: the pages left need not be made."""
        return (
            self.writer is not None and self.writer.done() and self.writer.exception() is not None
        )

    def cache_folder(self) -> Path | None:
        """Where this kind of build keeps pages, files and the search index between builds:
        serve builds (another site_url) keep their own, or each would prune the other's."""
        if not self.use_cache:
            return None
        return cache_folder(self.root, self.serve)

    def published(self) -> dict[str, tuple[str, Stamp]]:
        """Site path -> (cache entry, stamp) of every lean page and search index file
        (``prelink.record``)."""
        if self.page_cache is None:
            return {}
        placed = {output_path(path): page_entry(key) for path, key in self.outcome.keys.items()}
        found = self.page_cache.published(placed)
        for part in self.index_parts:
            if part.cache is not None:
                found.update(part.cache.published(search.part_folder(part.name)))
        return found

    def made(self) -> list[str]:
        """Site paths of the lean pages and of the reused search index files: what a prelinked
        site keeps (``Prelink.prune``)."""
        reused = [rel for part in self.index_parts for rel in part.published]
        return [*(output_path(p.path) for p in self.lean), *reused]

    def finish(self) -> None:
        """Wait for the feeds and the search index, and report."""
        try:
            if self.writer is not None:
                self.writer.result()
        finally:
            self.writer = None
            search_done = self.wait_for_search()
        log.info(
            f"yizhan: {len(self.lean)} generated pages ({self.outcome.rendered} rendered, "
            f"{self.outcome.reused} from cache) in {self.timings['render']:.1f} s{search_done}"
        )

    def wait_for_search(self) -> str:
        if self.indexing is None:
            return ""
        self.indexing.wait()
        took = time.perf_counter() - self.indexing.started
        built, parts = self.indexing.built, len(self.indexing.bundles)
        done = f", search index {'built' if built else 'from cache'} in {took:.1f} s"
        if parts > 1:
            done += f" ({built} of {parts} parts indexed)"
        self.indexing = None
        return done

    def start_search(
        self,
        site_dir: Path,
        results: list[PageSpec],
        keys: Mapping[str, str],
        searched: Mapping[str, str],
    ) -> Indexing | None:
        """Mark MkDocs' pages for Pagefind and start indexing the search results. ``keys``
        are the pages' cache keys, ``searched`` digests of what Pagefind reads of them by
        cache key, where known (``search.indexed_digest``)."""
        if not self.search:
            return None
        assert self.setup is not None
        nav_files, free_files = self.mkdocs_pages()
        search.mark_rendered(site_dir, nav_files, indexed=False)
        search.mark_rendered(site_dir, free_files, indexed=True)
        language = str(self.setup.config.get("theme_language", "zh"))
        pages = search.parts_of(results, free_files)
        folder = self.cache_folder()
        # what Pagefind reads of a lean page, or its cache key (which stands for its bytes):
        # the index's key needs no page read
        known = {
            output_path(p.path): searched.get(keys[p.path], f"page {keys[p.path]}")
            for p in results
            if p.path in keys
        }
        indexing = search.start_index(
            site_dir,
            language,
            pages,
            folder,
            known,
            self.prelinked,
        )
        self.index_parts = indexing.bundles if indexing is not None else []
        return indexing


def cache_folder(root: Path, serve: bool = False) -> Path:
    return root / CACHE_DIR / ("serve" if serve else "build")


def unplug_material_index(config: MkDocsConfig) -> None:
    """Pagefind answers the search box, so Material's search plugin stays (its templates show
    the box while it is enabled) but neither indexes pages nor writes ``search_index.json``,
    which nothing would download: its Chinese segmentation loads jieba's dictionary, ~0.5 s."""
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    if plugin is None:
        return
    events = config.plugins.events
    for name in ("page_context", "post_build"):
        events[name] = [m for m in events[name] if getattr(m, "__self__", None) is not plugin]


def nav_sources(nav: Any) -> set[str]:
    """Every ``.md`` source named in a ``nav`` configuration (any nesting)."""
    found: set[str] = set()
    if isinstance(nav, str):
        if nav.endswith(".md"):
            found.add(nav)
    elif isinstance(nav, dict):
        for value in nav.values():
            found |= nav_sources(value)
    elif isinstance(nav, list):
        for value in nav:
            found |= nav_sources(value)
    return found


def make_setup(
    config: MkDocsConfig, nav: Navigation, files: Files, root: Path, sprite: Sprite | None = None
) -> Setup:
    theme = config.theme
    theme_values = {key: plain(theme[key]) for key in theme}
    snapshot = {k: plain(v) for k, v in config.items() if k not in SKIPPED_CONFIG}
    snapshot["theme"] = theme_values
    snapshot["mdx_configs"] = plain(config.mdx_configs)
    snapshot["extra_javascript"] = [str(s) for s in config.extra_javascript]
    snapshot["extra_css"] = [str(s) for s in config.extra_css]
    snapshot["theme_language"] = str(theme.get("language") or "zh")
    plugins = {name: plain(dict(plugin.config)) for name, plugin in config.plugins.items()}
    lean_nav = convert_nav(nav)
    scripts = tuple(
        Script(
            str(s),
            getattr(s, "type", None) or "",
            bool(getattr(s, "defer", False)),
            bool(getattr(s, "async_", False)),
        )
        for s in config.extra_javascript
    )
    file_urls = {
        f.src_uri: f.url for f in files if f.is_documentation_page() or f.is_static_page() or True
    }
    packaged = [d for d in theme.dirs if is_installed_package(d)]
    config_file = Path(config.config_file_path).read_bytes() if config.config_file_path else b""
    fingerprint = setup_fingerprint(
        snapshot,
        plugins,
        lean_nav,
        (config.markdown_extensions, config.mdx_configs),
        theme.dirs,
        packaged,
        config_file,
        extra=sprite.file if sprite is not None else None,
    )
    return Setup(
        theme_dirs=tuple(theme.dirs),
        config=snapshot,
        plugins=plugins,
        markdown_extensions=list(config.markdown_extensions),
        mdx_configs=dict(config.mdx_configs or {}),
        files=file_urls,
        nav=lean_nav,
        extra_css=tuple(str(s) for s in config.extra_css),
        extra_javascript=scripts,
        mkdocs_version=mkdocs.__version__,
        fingerprint=fingerprint,
        directory_urls=bool(config.use_directory_urls),
        icons=sprite,
    )


def is_installed_package(folder: str) -> bool:
    return "site-packages" in Path(folder).parts or "dist-packages" in Path(folder).parts


def convert_nav(nav: Navigation) -> Nav:
    items = tuple(nav_item(item) for item in nav.items)
    home = nav.homepage.url if nav.homepage is not None else ""
    return Nav(items, NavHome(home))


def nav_item(item: Any) -> NavItem:
    if isinstance(item, Section):
        children = tuple(nav_item(child) for child in item.children)
        first = next((c for c in children if c.url or c.tab_url), None)
        return NavItem(str(item.title), "", first.tab_url if first else "", children)
    if isinstance(item, Link):
        return NavItem(str(item.title), item.url, item.url)
    assert isinstance(item, Page)
    return NavItem(str(item.title), item.url, item.url)


def plain(value: Any) -> Any:
    """A configuration value as JSON-like data (objects by ``str``) for templates and keys."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if hasattr(value, "items") and callable(value.items):
        return {str(k): plain(v) for k, v in value.items()}
    # str(), minus memory addresses ("<function f at 0x7f…>"), so keys stay the same across runs.
    return re.sub(r" at 0x[0-9a-fA-F]+", "", str(value))


class LeanLinkNotices(logging.Filter):
    """Drops MkDocs' notice that a page "contains a link to '…' which is excluded from the
    built site" when the target is a lean page: it is left out of MkDocs' page loop only, the
    lean renderer writes it, and the link works (editors were told otherwise)."""

    NOTICE = re.compile(r"contains a link to '(.*)' which is excluded from the built site")

    def __init__(self) -> None:
        super().__init__()
        self.lean: frozenset[str] = frozenset()
        """Source paths of this build's lean pages."""

    def filter(self, record: logging.LogRecord) -> bool:
        found = self.NOTICE.search(record.getMessage()) if self.lean else None
        return found is None or found.group(1) not in self.lean


LEAN_LINKS = LeanLinkNotices()


def add_to_sitemap(site_dir: Path, setup: Setup, specs: Iterable[PageSpec]) -> None:
    """Add the lean pages to MkDocs' sitemap.xml (and .gz), as MkDocs lists its own pages,
    each with the day its content changed (``PageSpec.updated``), if known."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.exists():
        return
    text = sitemap.read_text(encoding="utf-8")
    site_url = str(setup.config.get("site_url") or "")
    if not site_url:
        return
    entries = "".join(
        f"\n    <url>\n         <loc>{xml_escape(site_url + spec.path)}</loc>"
        + (f"\n         <lastmod>{spec.updated}</lastmod>" if spec.updated else "")
        + "\n    </url>"
        for spec in specs
    )
    end = text.rfind("</urlset>")
    if end < 0:
        return
    text = text[:end].rstrip("\n") + entries + "\n" + text[end:]
    data = text.encode("utf-8")
    sitemap.write_bytes(data)
    gz = site_dir / "sitemap.xml.gz"
    with (
        gz.open("wb") as f,
        gzip.GzipFile(fileobj=f, filename=str(gz), mode="wb", mtime=get_build_timestamp()) as buf,
    ):
        buf.write(data)


def env_workers() -> int | None:
    value = os.environ.get("YIZHAN_WORKERS", "").strip()
    return int(value) if value.isdigit() else None
