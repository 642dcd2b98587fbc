"""``yizhan serve`` (issue 5): a live preview that shows a saved activity or article at once.

MkDocs' own ``serve`` rebuilds the whole site on every save and holds every request until the
rebuild is done: on a district's 20,000 pages that is over a minute. Here a save runs in up to
three steps:

1. **Quick**: when only activity or article files changed (new ones included), their pages
   are made from the last full build's validated site (``generator.quick``), rendered by the
   lean renderer and written into the folder being served; browsers reload and those pages
   are served at once.
2. **Refresh**: when only activities or articles changed, every page and file that shows
   them (calendar, news, organisation, venue and home pages, the calendars and RSS feeds that
   carry them, ``events.json``) is made from that site too (``generator.refresh``) and
   replaced in the served folder, pages of the navigation through MkDocs as its build renders
   them. From then on every request is answered at once (a new page's address goes into the
   sitemap only with step 3: ``sitemap.xml`` waits); browsers reload again.
3. **Full**: the whole site is rebuilt, warm (page cache, memo, parsed front matter), into a
   new folder that replaces the served one when it succeeds, with its search index. Until
   then every request the first two steps did not make ready waits, as in MkDocs, so no
   listing or feed is ever served stale; then browsers reload again.

Any other change (``mkdocs.yml``, theme, free pages, organisations, timelines, a deleted or
renamed file, a new activity or article at an address in use, an edit with an error) takes
step 3 only. A build with problems logs them and keeps serving the previous site.
``mkdocs serve`` keeps MkDocs' own behaviour.
"""

from __future__ import annotations

import contextlib
import html
import logging
import os
import signal
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import watchdog.events
import watchdog.observers
import watchdog.observers.polling
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError
from mkdocs.livereload import LiveReloadServer, _serve_url
from mkdocs.structure.files import InclusionLevel

from .. import heap, load, refresh, urls
from ..lean import search
from ..lean.pool import compile_templates, renderer_for
from ..lean.prelink import staging_prefix
from ..lean.render import Setup, output_path
from ..lean.search import Indexing
from ..model import Site
from ..plan import PageSpec, check_output_path
from ..problems import ContentError
from ..quick import Previous, quick_pages
from ..refresh import Outputs
from . import fast, output
from .plugin import Superseded, template_problem

log = logging.getLogger("mkdocs.plugins.yizhan.preview")

CHANGE_EVENTS: list[type[watchdog.events.FileSystemEvent]] = [
    watchdog.events.FileCreatedEvent,
    watchdog.events.FileModifiedEvent,
    watchdog.events.FileClosedEvent,
    watchdog.events.FileDeletedEvent,
    watchdog.events.FileMovedEvent,
    watchdog.events.DirDeletedEvent,
    watchdog.events.DirMovedEvent,
]
"""What the watch asks the system for: saves, new, deleted and renamed files, deleted and
renamed folders (a new folder is no change: each file put in it is one).
perf (issue 5): a build reading a district's 20,000 content files made ~60,000 open and read
events, which watchdog's threads turned into objects only to drop them, holding the
interpreter's lock while the build loaded: a save during a rebuild waited up to ~2 s for it
to give up. With this list the system (inotify) is not asked for those at all."""
MAX_QUICK_FILES = 20
"""More files saved at once (a checkout, a search-and-replace) go straight to the full build."""
SITEMAPS = ("sitemap.xml", "sitemap.xml.gz")
"""What a new page changes beyond the refresh: they wait for the full build."""
SITE_SUFFIXES = frozenset(
    [
        ".md",
        ".markdown",
        ".yml",
        ".yaml",
        ".json",
        ".toml",
        ".html",
        ".htm",
        ".j2",
        ".jinja",
        ".css",
        ".scss",
        ".js",
        ".mjs",
        ".txt",
        ".xml",
        ".ics",
        ".svg",
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".webp",
        ".avif",
        ".ico",
        ".pdf",
        ".woff",
        ".woff2",
        ".ttf",
        ".otf",
    ]
)
"""Kinds of files a site's build reads: one of them gone is a change (see ``site_relative``)."""


SERVE_SITE = "yizhan-serve"
"""The preview's builds go into folders of the system's temporary folder named as a build's
folders beside its site are (``staging_prefix``: they carry the preview's process id), with
this site name; each holds a whole site (~650 MB on a district)."""


def serve_site() -> Path:
    return Path(tempfile.gettempdir()) / SERVE_SITE


def new_folder() -> str:
    site = serve_site()
    return tempfile.mkdtemp(prefix=staging_prefix(site), dir=site.parent)


def abandoned_folders() -> list[Path]:
    """Folders of previews that are gone (killed, or the machine stopped: see
    ``output.abandoned_builds``), and those of yizhan before they were named by process; a
    preview running beside this one keeps its own."""
    site = serve_site()
    unnamed = site.parent.glob(f"{SERVE_SITE}-*")
    return [
        *output.abandoned_builds(site),
        *(path for path in unnamed if output.age(path) > output.ABANDONED_AFTER),
    ]


def stop_on_termination() -> None:
    """End the preview on SIGTERM (a process manager, ``kill``) and SIGHUP (its terminal
    closed) as on Ctrl-C, so its folders are removed instead of left in the temporary folder."""
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, signal.default_int_handler)


def is_scratch(path: str) -> bool:
    """An editor's swap, lock or backup file (``.salon.md.swp``, ``.#salon.md``, ``salon.md~``):
    never content (MkDocs skips dot files), so saving it is not an edit."""
    name = os.path.basename(path)
    return name.startswith(".") or name.endswith("~")


class PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server, plus: the paths that changed since the last build, pages
    served while a rebuild runs (``early``), and a served folder that each build replaces."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The system's file events (inotify, FSEvents, ReadDirectoryChanges) instead of MkDocs'
        # polling, which stats every file twice a second: 40 % of a core on a district's
        # 20,000 files, and up to half a second before a save is seen.
        self.observer = watchdog.observers.Observer()  # type: ignore[assignment]
        self.changes: set[str] = set()
        self.changes_lock = threading.Lock()
        self.early: frozenset[str] = frozenset()
        self.refreshed = False
        """Every file of the served folder is up to date (``show_refreshed``)."""
        self.held: frozenset[str] = frozenset()
        """Files of the served folder the refresh did not bring up to date: they wait."""
        self.gone: frozenset[str] = frozenset()
        """Files the refresh took out of the served folder: not found at once."""
        self.failure = ""
        """Why the last build failed (its problems), shown on every page served until a
        build succeeds: the editor sees in the browser that the page is the last good one."""
        self.language = "zh"
        self.built = False
        """Whether a build succeeded yet: until then there is no site to show."""
        self.search_before: str | None = None
        """The folder served before ``root``, whose search index answers while the new
        folder's is being written (Pagefind runs after the build is served, issue 5)."""

    bound = False
    """Whether the address is taken (``claim_address``)."""

    def claim_address(self) -> None:
        """Bind and listen now, before the first build (half a minute on a district's site):
        an address in use is reported at once, not after it. Raises OSError."""
        self.server_bind()
        self.server_activate()

    def server_bind(self) -> None:
        if not self.bound:  # MkDocs' ``serve`` binds again: once is enough
            super().server_bind()

    def server_activate(self) -> None:
        if not self.bound:
            super().server_activate()
            self.bound = True

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        try:
            self.watch_for_changes(path, recursive)
        except OSError:  # out of inotify watches (fs.inotify.max_user_watches): poll instead
            watched = list(self._watched_paths)
            self.observer = watchdog.observers.polling.PollingObserver(timeout=0.5)
            self._watched_paths, self._watch_refs = {}, {}
            for earlier in [*watched, path]:
                self.watch_for_changes(earlier, recursive)

    def watch_for_changes(self, path: str, recursive: bool) -> None:
        """MkDocs' ``watch``, noting which files and folders changed (a renamed folder of
        activities too), and blind to files being only opened or read (``CHANGE_EVENTS``:
        a build reading 20,000 files would otherwise trigger itself)."""
        path = os.path.abspath(path)
        if path in self._watched_paths:
            self._watched_paths[path] += 1
            return
        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = self.note  # type: ignore[method-assign]
        self._watch_refs[path] = self.observer.schedule(
            handler, path, recursive=recursive, event_filter=CHANGE_EVENTS
        )
        self._watched_paths[path] = 1

    def note(self, event: watchdog.events.FileSystemEvent) -> None:
        if type(event) not in CHANGE_EVENTS:
            return  # what the watch did not ask for (a folder a file changed or came in)
        paths = [os.fsdecode(p) for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        paths = [p for p in paths if not is_scratch(p)]
        if not paths:
            return
        with self.changes_lock:
            self.changes.update(paths)
        with self._rebuild_cond:
            self._want_rebuild = True
            self._rebuild_cond.notify_all()

    def take_changes(self) -> set[str]:
        with self._rebuild_cond:
            self._want_rebuild = False  # taken by the build under way (``Preview.rebuild``)
        with self.changes_lock:
            changed, self.changes = self.changes, set()
        return changed

    def has_changes(self) -> bool:
        """Whether files changed since the build under way took its changes."""
        with self.changes_lock:
            return bool(self.changes)

    def show_early(self, files: Iterable[str]) -> None:
        """Let browsers reload on ``files`` now; every other request waits for the rebuild."""
        with self._epoch_cond:
            self.early = frozenset(files)
            self._visible_epoch = self._wanted_epoch
            self._epoch_cond.notify_all()
            # A new epoch for the full build: requests for other files wait until it is visible.
            self._wanted_epoch = max(int(time.monotonic() * 1000), self._visible_epoch + 1)

    def show_refreshed(self, held: Iterable[str] = (), gone: Iterable[str] = ()) -> None:
        """Let browsers reload now and every request be answered from the served folder but
        for the files ``held``: its listings and feeds are up to date; the full build under
        way replaces it later. The files ``gone`` (a deleted activity's) are not found."""
        with self._epoch_cond:
            self.refreshed = True
            self.held = frozenset(held)
            self.gone = frozenset(gone)
            self._visible_epoch = self._wanted_epoch
            self._epoch_cond.notify_all()
            self._wanted_epoch = max(int(time.monotonic() * 1000), self._visible_epoch + 1)

    def end_early(self) -> None:
        with self._epoch_cond:
            self.early = frozenset()
            self.refreshed = False
            self.held = frozenset()
            self.gone = frozenset()

    def _serve_request(self, environ: Any, start_response: Any) -> Iterable[bytes] | None:
        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "ignore")
        if path.startswith("/livereload/"):
            return super()._serve_request(environ, start_response)
        folder = self.served_path(path) if self.refreshed and not path.endswith("/") else None
        if folder is not None and os.path.isfile(os.path.join(folder, "index.html")):
            # a folder asked without its slash, as MkDocs answers it, without waiting
            start_response("302 Found", [("Location", urllib.parse.quote(path) + "/")])
            return []
        with self._epoch_cond:
            # As MkDocs: wait for the build under way, unless this page is ready early (a
            # request made while the quick pages were being written is answered with them,
            # or not found when the refresh took it away).
            self._epoch_cond.wait_for(
                lambda: (
                    self._visible_epoch == self._wanted_epoch
                    or self.early_file(path)
                    or self.is_gone(path)
                )
            )
            # taken away wins over an early page of an earlier save (``early`` stays until
            # the next quick step), unless written again (``is_gone``)
            gone = self.is_gone(path)
            target = None if gone else self.early_file(path)
            epoch = self._visible_epoch
        if gone:
            return None
        if target is None:
            target = self.search_index_before(path)
        if target is None:
            return super()._serve_request(environ, start_response)
        content = Path(target).read_bytes()
        if target.endswith(".html"):
            content = self._inject_js_into_html(content, epoch)
        start_response(
            "200 OK",
            [("Content-Type", self._guess_type(target)), ("Content-Length", str(len(content)))],
        )
        return [content]

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        content = super()._inject_js_into_html(content, epoch)
        if not self.failure:
            return content
        start = content.find(b"<body")
        start = content.find(b">", start) + 1 if start >= 0 else 0
        banner = failure_banner(self.failure, self.language, self.built)
        return content[:start] + banner + content[start:]

    def is_gone(self, path: str) -> bool:
        """Whether the refresh took away the file a request path names (a folder's page too,
        asked with or without its slash)."""
        gone = self.gone
        if not (gone and self.refreshed):
            return False
        target = self.served_path(path.rstrip("/"))
        if target is None:
            return False
        found = next((t for t in (target, os.path.join(target, "index.html")) if t in gone), None)
        # a file written there since (a new activity at that address, its quick page, a
        # redirect) is not
        return found is not None and not os.path.exists(found)

    def early_file(self, path: str) -> str | None:
        """The early page or refreshed file a request path names, if any."""
        early, refreshed, held = self.early, self.refreshed, self.held
        if not (early or refreshed):
            return None
        target = self.served_path(path + "index.html" if path.endswith("/") else path)
        if target is None or target in held:
            return None
        if target in early or (refreshed and os.path.isfile(target)):
            return target
        return None

    def search_index_before(self, path: str) -> str | None:
        """The previous folder's file of the search index a request names, when the served
        folder does not have it yet: a search typed in that second finds what it found
        before, instead of failing until the page is reloaded."""
        before = self.search_before
        served = self.served_path(path)
        if before is None or served is None:
            return None
        rel = os.path.relpath(served, self.root)
        if not rel.startswith(SEARCH_FOLDER) or os.path.isfile(served):
            return None
        kept = os.path.join(before, rel)
        return kept if os.path.isfile(kept) else None

    def served_path(self, path: str) -> str | None:
        """The file of the served folder a request path names (None outside the mount)."""
        if not (path + "/").startswith(self.mount_path):
            return None
        rel = path[len(self.mount_path) :]
        return os.path.join(self.root, os.path.normpath("/" + rel).lstrip("/"))


class Preview:
    """One ``yizhan serve`` session: the server, the folders it serves, the builds."""

    def __init__(self, config_file: Path, dev_addr: str | None) -> None:
        self.config_file = config_file
        self.dev_addr = dev_addr
        self.folders: list[str] = []
        self.indexing: dict[str, Indexing] = {}
        """Folder -> its search index, while it may still be made in the background."""
        self.plugin: Any = None
        self.fast: fast.FastPath | None = None
        """The last good build's lean path: its setup, navigation, files and pages."""
        self.config: MkDocsConfig | None = None
        """The last good build's configuration, and what the refresh needs of it (issue 5):"""
        self.previous: Previous | None = None
        self.outputs: Outputs | None = None
        self.held_back: list[str] = []
        """Served files the last refresh left to the full build (``PreviewServer.held``)."""
        self.taken_away: list[str] = []
        """Files the refreshes took out of the served folder (``PreviewServer.gone``)."""
        self.placed: set[str] = set()
        """New pages the quick step of this save wrote into the served folder."""
        self.prepared = threading.Event()
        """Set once the templates a save needs are compiled, after each full build."""
        self.env: tuple[MkDocsConfig, jinja2.Environment] | None = None
        self.env_lock = threading.Lock()
        output.discard(abandoned_folders())
        config = self.load_config(new_folder())
        self.folders.append(config.site_dir)
        host, port = config.dev_addr
        mount = urlsplit(config.site_url or "/").path
        self.serve_url = _serve_url(host, port, mount)
        self.server = PreviewServer(
            builder=self.rebuild, host=host, port=port, root=config.site_dir, mount_path=mount
        )
        self.server.error_handler = self.error_page
        self.first = config

    def load_config(self, site_dir: str) -> MkDocsConfig:
        extra: dict[str, Any] = {"site_dir": site_dir}
        if self.dev_addr:
            extra["dev_addr"] = self.dev_addr
        return load_config(str(self.config_file), **extra)

    def config_or_none(self, site_dir: str) -> MkDocsConfig | None:
        """The configuration as saved; None when ``mkdocs.yml`` does not load (a YAML slip
        while editing it): told once, and the last good site stays served, as after a build
        that fails, instead of MkDocs' traceback and a preview stuck until the file is fixed."""
        try:
            load.read_config_file(self.config_file)  # told at its line, as content is
            return self.load_config(site_dir)
        except (Abort, ConfigurationError, ContentError) as error:
            log.error(
                f"{error}\n{self.config_file.name} 有错误，改正并保存后自动重新生成；"
                f"仍显示上次成功生成的网站 / still serving the last good build"
            )
            self.server.failure = str(error)
            output.discard([Path(site_dir)])
            return None

    def serve(self, open_browser: bool) -> bool:
        """Serve until stopped; False when the address cannot be used (nothing is built)."""
        config = self.first
        try:
            self.server.claim_address()
        except OSError as error:
            host, port = config.dev_addr
            log.error(
                f"无法在 {host}:{port} 上预览（{error.strerror}）：可能已有一个预览在运行；"
                f"换一个端口，如 yizhan serve -a {host}:{port + 1} / "
                f"cannot serve on {host}:{port}: {error.strerror}"
            )
            self.server.server_close()
            return False
        config.plugins.on_startup(command="serve", dirty=False)
        if threading.current_thread() is threading.main_thread():
            stop_on_termination()
        try:
            self.full_build(config)  # and watches what it reads (``watch_site``)
            try:
                self.server.serve(open_in_browser=open_browser)
            except KeyboardInterrupt:
                log.info("Shutting down...")
            finally:
                self.server.shutdown()
        finally:
            config.plugins.on_shutdown()
            for indexing in self.indexing.values():
                indexing.cancel()
            # in a detached process: the preview ends at once, even on a district's site
            output.discard(Path(folder) for folder in self.folders)
        return True

    def rebuild(self) -> None:
        """The server's builder: the quick pages and the refresh when possible, then the full
        build. A full build that newer saves supersede is given up between its stages, and
        the next round starts at once with every save not built yet (issue 5: a second save
        shows in seconds instead of after the whole rebuild)."""
        unbuilt: set[str] = set()
        try:
            while True:
                changed = self.server.take_changes() | unbuilt
                self.preview(changed)
                if self.outputs is not None:
                    self.outputs.stop()  # the full build uses the memo the background run uses
                config = self.config_or_none(new_folder())
                if config is None:
                    return  # served as it was; saving mkdocs.yml again rebuilds
                if self.full_build(config, superseded=self.server.has_changes):
                    return
                log.info("yizhan: newer saves came in: the rebuild starts again with them")
                unbuilt = changed
                self.server.end_early()  # what the next round cannot refresh waits again
        finally:
            self.server.end_early()

    def preview(self, changed: set[str]) -> None:
        """The quick pages and the refresh of ``changed`` files, when they apply."""
        log.debug(f"yizhan: changed {sorted(changed)}")
        started = time.perf_counter()
        rels = self.site_relative(changed)
        self.placed = set()
        early = self.quick(rels)
        if early:
            self.server.show_early(early)
            log.info(
                f"yizhan: {len(early)} page(s) previewed in {time.perf_counter() - started:.2f} s"
            )
        # perf: the server holds a whole build; a collection would scan it for nothing
        with heap.collector_paused():
            refreshed = self.refresh(rels)
        if refreshed:
            self.server.show_refreshed(self.held_back, self.taken_away)
            log.info(
                f"yizhan: listings and feeds refreshed in {time.perf_counter() - started:.2f} s "
                f"({refreshed})"
            )

    def lean_setup(self) -> Setup | None:
        """The lean renderer's setup of the last good build; None when small sites render
        through MkDocs, whose full build is quick anyway."""
        return self.fast.setup if self.fast is not None else None

    def site_relative(self, changed: set[str]) -> list[str] | None:
        """The changed files relative to the site, or None (none, too many, or outside it).
        An editor's temporary file, made and gone between two builds, is no change (vim
        probes a folder with a file ``4913``; JetBrains' editors write ``x.md___jb_tmp___``
        and rename it): with it, no save of theirs was ever previewed before the full build."""
        previous = self.previous
        if not changed or previous is None:
            return None
        root = previous.root.resolve()
        rels = []
        for path in changed:
            resolved = Path(path).resolve()
            if not resolved.is_relative_to(root):
                return None
            if not resolved.exists() and not self.may_have_been_read(resolved):
                continue
            rels.append(resolved.relative_to(root).as_posix())
        if not rels or len(rels) > MAX_QUICK_FILES:
            return None
        return rels

    def may_have_been_read(self, path: Path) -> bool:
        """Whether the last build may have read the file ``path`` (gone now): a file of its
        docs folder, or any file of a kind a site reads (content, configuration, templates,
        styles, images)."""
        if path.suffix.lower() in SITE_SUFFIXES or self.fast is None:
            return True
        captured, config = self.fast.captured, self.config
        if captured is None or config is None:
            return True
        docs = Path(config.docs_dir).resolve()
        if not path.is_relative_to(docs):
            return False
        return captured[1].get_file_from_path(path.relative_to(docs).as_posix()) is not None

    def quick(self, rels: list[str] | None) -> list[str]:
        """Write the quick pages of the changed files into the served folder; their paths."""
        setup = self.lean_setup()
        if rels is None or setup is None or self.previous is None:
            return []
        try:
            specs = quick_pages(self.previous, rels)
        except Exception:  # the full build reports whatever went wrong here
            log.debug("yizhan: quick preview failed", exc_info=True)
            return []
        if specs is None or self.takes_occupied_place(specs):
            return []
        written = [self.write_page(setup, spec) for spec in specs]
        self.placed = {w for w, s in zip(written, specs, strict=True) if self.is_new(s)}
        return written

    def is_new(self, spec: PageSpec) -> bool:
        """Whether the last full build did not plan ``spec`` (a new activity's or article's
        page, or the index or tag page one more article begins)."""
        return self.previous is None or spec.src_uri not in self.previous.pages

    def takes_occupied_place(self, specs: Iterable[PageSpec]) -> bool:
        """Whether a page the last build did not plan (``is_new``) would replace a file of the
        served folder: a free page or a static file at that address, which the full
        build reports as a conflict; until then the previous site stays as it was. (The
        quick step's own pages, ``placed``, are not in the way of the refresh.)"""
        root = Path(self.server.root)
        targets = (root / output_path(spec.path) for spec in specs if self.is_new(spec))
        return any(str(target) not in self.placed and target.exists() for target in targets)

    def refresh(self, rels: list[str] | None) -> str:
        """Write every page and file the edit changes into the served folder (``refresh``):
        what was written, or "" when the edit is left to the full build."""
        setup, fast = self.lean_setup(), self.fast
        previous, outputs = self.previous, self.outputs
        self.held_back = []
        if rels is None or setup is None or fast is None or previous is None or outputs is None:
            return ""
        try:
            started = time.perf_counter()
            refreshed = refresh.refresh(previous, rels, outputs)
            if refreshed is None or self.takes_occupied_place(refreshed.pages):
                return ""
            # A new page goes into the sitemap, in the plan's order, a page gone out of it,
            # and a page's new day of change (its <lastmod>): left to the full build.
            added = any(self.is_new(spec) for spec in refreshed.pages)
            redated = any(
                spec.src_uri in previous.pages
                and previous.pages[spec.src_uri].updated != spec.updated
                for spec in refreshed.pages
            )
            root = Path(self.server.root)
            held = added or redated or refreshed.gone_pages
            self.held_back = [str(root / name) for name in SITEMAPS] if held else []
            made = time.perf_counter() - started
            # Taken away before the pages and files are written: one of them may take the
            # address again (a redirect where a deleted activity was), which ``is_gone`` sees.
            # What earlier refreshes took away stays gone until a full build is served.
            gone = [output_path(spec.path) for spec in refreshed.gone_pages]
            gone.extend(refreshed.gone_files)
            self.taken_away.extend(self.remove(rel) for rel in gone)
            listed = {spec.src_uri for spec in fast.listed}
            for spec in refreshed.pages:
                if spec.src_uri in listed:
                    self.write_listed(spec)
                else:
                    self.write_page(setup, spec)
            for file in refreshed.files:
                self.write(file.path, file.content)
        except Exception:  # the full build reports whatever went wrong here
            log.warning("yizhan: refresh failed, rebuilding everything", exc_info=True)
            self.outputs = None  # it may be half-way to the new site
            return ""
        self.previous = refreshed.previous
        pages, files = len(refreshed.pages), len(refreshed.files)
        away = len(gone)
        return f"{pages} pages and {files} files, made in {made:.2f} s" + (
            f", {away} taken away" if away else ""
        )

    def write_page(self, setup: Setup, spec: PageSpec) -> str:
        return self.write(output_path(spec.path), renderer_for(setup).render(spec).html)

    def write_listed(self, spec: PageSpec) -> None:
        """A page of the navigation, rendered by MkDocs as its build does (``_build_page``),
        from the last good build's configuration, navigation and files."""
        config, fast = self.config, self.fast
        assert config is not None and fast is not None and fast.captured is not None
        nav, files = fast.captured
        file = files.get_file_from_path(spec.src_uri)
        if file is None or file.page is None:
            raise LookupError(spec.src_uri)
        page = file.page
        self.plugin.by_uri[spec.src_uri] = spec  # what the plugin's page hooks read
        file.content_string = spec.markdown
        mkdocs_build._populate_page(page, config, files)
        env = self.template_env()
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        page.active = True
        try:
            context = mkdocs_build.get_context(nav, doc_files, config, page)
            template = env.get_template(page.meta.get("template", "main.html"))
            context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
            html = config.plugins.on_post_page(template.render(context), page=page, config=config)
        finally:
            page.active = False
        if fast.search:
            html = search.mark_page(html, search.indexed(spec.template))
        self.write(file.dest_uri, html.encode("utf-8", errors="xmlcharrefreplace"))

    def template_env(self) -> jinja2.Environment:
        """The theme's templates as the last good build's MkDocs had them (made once)."""
        config, fast = self.config, self.fast
        assert config is not None and fast is not None and fast.captured is not None
        files = fast.captured[1]
        with self.env_lock:
            if self.env is None or self.env[0] is not config:
                env = config.plugins.on_env(config.theme.get_env(), config=config, files=files)
                self.env = (config, env)
            return self.env[1]

    def prepare(self, outputs: Outputs, site: Site, site_dir: Path, done: threading.Event) -> None:
        """Made while the preview waits for edits: each activity's outputs (taken from the
        calendar and ``events.json`` just written where they check out, the rest made by
        ``Outputs.warm``), and the templates of the navigation's pages, compiled."""
        outputs.adopt(
            site,
            read_or_none(site_dir / urls.calendar()),
            read_or_none(site_dir / urls.events_json()),
        )
        try:
            assert self.fast is not None
            # perf (issue 5): with every template they include; and the lean renderer's, which
            # only the full build's forked workers had: compiling took ~0.7 s of the first save.
            compile_templates(self.template_env(), {spec.template for spec in self.fast.listed})
            setup = self.lean_setup()
            if setup is not None:
                lean = {spec.template for spec in self.fast.lean}
                compile_templates(renderer_for(setup).env, lean)
        except Exception:  # a refresh that needs them reports it
            log.debug("yizhan: templates not prepared", exc_info=True)
        done.set()
        outputs.warm(background=True)

    def write(self, rel: str, content: bytes) -> str:
        """Replace one file of the served folder (a new file: a request never reads half of
        it, and the build caches' hard links to the old one keep their content)."""
        check_output_path(rel)
        target = Path(self.server.root) / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.quick")
        temporary.write_bytes(content)
        os.replace(temporary, target)
        return str(target)

    def remove(self, rel: str) -> str:
        """Take one file out of the served folder (its folder too, once empty: an activity's
        own folder); its path."""
        check_output_path(rel)
        target = Path(self.server.root) / rel
        target.unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # not empty, or gone already
            target.parent.rmdir()
        return str(target)

    def full_build(
        self, config: MkDocsConfig, superseded: Callable[[], bool] | None = None
    ) -> bool:
        """Build the whole site into ``config.site_dir`` and serve it; False when the build
        was given up because ``superseded()`` said newer saves came in."""
        config.site_url = self.serve_url
        self.watch_site(config)
        if config.site_dir not in self.folders:
            self.folders.append(config.site_dir)
        # MkDocs keeps one plugin object for every build of a process: what the preview uses
        # of a build is taken from it when that build is done.
        plugin = config.plugins.get("yizhan")
        if plugin is not None:
            plugin.superseded = superseded
        try:
            mkdocs_build.build(config, serve_url=self.serve_url)
        except Superseded:
            self.forget(config.site_dir)
            return False
        except Exception as error:
            # Keep serving the last good site, instead of MkDocs' loop answering no request
            # until a save builds; the problems are in the log above (a theme template's,
            # or a fault of ours with its traceback, told here), and on the pages served
            # until a build succeeds.
            language = getattr(plugin, "language", "zh")
            failure = getattr(plugin, "failure", "") or str(error)
            told = template_problem(error, Path(config.config_file_path).parent)
            if told is not None:
                failure = told.format(language)
                error = Abort(failure)
            elif not isinstance(error, (Abort, ConfigurationError)):
                log.error("yizhan: the build failed", exc_info=error)
                failure = f"{type(error).__name__}: {error}"
            if config.site_dir == self.server.root:
                # The first build: no good site to keep, and none of what it wrote is served.
                self.server.root = new_folder()
                self.folders.append(self.server.root)
                log.error(f"{error} — 改正后保存即可生成 / fix and save to build")
            else:
                log.error(f"{error} — 仍显示上次成功生成的网站 / still serving the last good build")
            self.server.failure = failure
            self.server.language = language
            self.forget(config.site_dir)
            return True
        self.server.failure, self.server.built = "", True
        self.plugin, self.fast = plugin, getattr(plugin, "fast", None)
        if self.fast is not None and self.fast.background is not None:
            self.indexing[config.site_dir] = self.fast.background
        before = self.server.root
        self.server.root = config.site_dir
        self.server.search_before = before if before != config.site_dir else None
        self.taken_away = []  # none of it is in the new folder
        self.config, self.env = config, None
        self.previous = getattr(plugin, "previous", None)
        self.outputs = None
        if self.lean_setup() is not None and self.previous is not None:
            # The refresh's per-activity outputs, made while the preview waits for edits.
            self.outputs = Outputs(self.previous.site, self.previous.views)
            folder = Path(config.site_dir)
            self.prepared = threading.Event()
            threading.Thread(
                target=self.prepare,
                args=(self.outputs, self.previous.site, folder, self.prepared),
                daemon=True,
            ).start()
        # The folder before the one just replaced may still have its search index written by
        # a background thread; it goes at the next swap.
        while len(self.folders) > 2:
            self.forget(self.folders[0])
        return True

    def watch_site(self, config: MkDocsConfig) -> None:
        """Watch what a build of ``config`` reads: the content folder, ``mkdocs.yml``, the
        site's theme overrides (``custom_dir``: a save rebuilds too) and the paths ``watch:``
        names, each once; also those ``mkdocs.yml`` comes to name while the preview runs
        (only the first build's were watched: saves in theme overrides set up meanwhile were
        never seen)."""
        paths = [config.docs_dir, config.config_file_path, config.theme.custom_dir, *config.watch]
        for path in paths:
            if path and os.path.abspath(path) not in self.server._watched_paths:
                self.server.watch(path)

    def forget(self, folder: str) -> None:
        if folder in self.folders and folder != self.server.root:
            self.folders.remove(folder)
            indexing = self.indexing.pop(folder, None)
            if indexing is not None:  # its Pagefind would go on writing into it
                indexing.cancel()
            output.discard([Path(folder)])  # in the background: a district's is 500 MB

    def error_page(self, code: int) -> bytes | None:
        """The site's own 404 (or 500) page, reloading by itself as the others do (a tab on
        a new activity's address shows it once built) and with the failure banner on it.
        Before any build succeeded (the preview started on content with problems) there is
        no site: a blank page with the banner, which reloads once a save builds, instead of
        a bare "404 Not Found" that said nothing and stayed until reloaded by hand."""
        page = Path(self.server.root) / f"{code}.html"
        if code not in (404, 500):
            return None
        if page.is_file():
            content = page.read_bytes()
        elif self.server.failure:
            content = NOTHING_BUILT
        else:
            return None
        return self.server._inject_js_into_html(content, self.server._visible_epoch)


NOTHING_BUILT = (
    b'<!doctype html>\n<html><head><meta charset="utf-8"><title>yizhan serve</title></head>'
    b"<body></body></html>\n"
)
"""The page every address shows while no build has succeeded yet (``error_page``)."""

SEARCH_FOLDER = "pagefind" + os.sep
"""Where the lean path's search index is in a built site."""

BANNER_HEADING = {
    "zh": "保存的内容有问题，没有重新生成：下面是上次成功生成的网站。改正后保存，页面会自动刷新。",
    "en": "What was saved has problems and was not built: this is the last good site. Fix "
    "them and save; the page reloads by itself.",
}
BANNER_STYLE = (
    "position:sticky;top:0;z-index:100000;margin:0;padding:.6em 1em;background:#fff3cd;"
    "color:#4a3000;border-bottom:2px solid #b36b00;font:14px/1.5 system-ui,sans-serif;"
    "white-space:pre-wrap;overflow-wrap:anywhere;max-height:40vh;overflow:auto"
)


NOTHING_BUILT_HEADING = {
    "zh": "内容有问题，网站还没有生成。改正后保存，页面会自动刷新。",
    "en": "The content has problems and the site was not built yet. Fix them and save; the "
    "page reloads by itself.",
}


def failure_banner(failure: str, language: str, built: bool = True) -> bytes:
    """The notice the preview puts at the top of its pages after a failed build (``built``:
    after an earlier one succeeded, whose site is served)."""
    headings = BANNER_HEADING if built else NOTHING_BUILT_HEADING
    heading = headings["en" if language.startswith("en") else "zh"]
    text = html.escape(f"{heading}\n{failure}")
    return (
        f'<div class="yz-preview-failure" role="alert" style="{BANNER_STYLE}">{text}</div>'.encode()
    )


def read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def serve(config_file: Path, dev_addr: str | None, open_browser: bool) -> bool:
    return Preview(config_file, dev_addr).serve(open_browser)
