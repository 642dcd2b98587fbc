"""The site's search index: Pagefind (``pagefind[extended]``, which segments Chinese).

A visitor downloads a small entry file, the WebAssembly search code and only the index chunks
and result fragments their query needs, so a 20,000-page site costs a searcher a few hundred
kilobytes instead of Material's tens of megabytes of ``search_index.json``.

Pages are indexed from their ``<article>`` (``data-pagefind-body``); listing pages (indexes,
tag, category and month pages) and ended activities carry ``data-pagefind-ignore="all"`` so
results point at articles, coming activities, organisations and free pages rather than at lists
repeating them (see ``indexed_page``).
"""

from __future__ import annotations

import base64
import contextlib
import functools
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from ..plan import PageSpec
from .cache import Stamp, digest, place
from .links import output_path
from .prelink import Prelink

log = logging.getLogger("mkdocs.plugins.yizhan.search")

ROOT_SELECTOR = "article.md-content__inner"
EXCLUDE_SELECTORS = (".yz-event__add", "#yz-feeds")
"""Buttons, not text, left out of the index by Pagefind itself (no byte on the pages): an
activity's "加入日历 下载 .ics 文件 订阅此活动 添加到 Outlook · 添加到 Google 日历" made every
activity a result for 日历, 订阅 or Google, with that line as its excerpt; and the heading
"订阅" above an organisation's feeds (a list left out already) ended its excerpts."""
BUNDLE = "pagefind"
IGNORE = ' data-pagefind-ignore="all"'
BODY = " data-pagefind-body"
PLACEHOLDER = "\ue002yz-pagefind\ue003"
ARTICLE = '<article class="md-content__inner md-typeset"'

# Page templates whose pages are search results; every other generated page is a listing.
INDEXED_TEMPLATES = frozenset(
    {
        "yizhan/news.html",
        "yizhan/event.html",
        "yizhan/branch.html",
        "yizhan/club.html",
        "yizhan/venue.html",
        "yizhan/timeline.html",
    }
)


def indexed(template: str) -> bool:
    return template in INDEXED_TEMPLATES


def indexed_page(spec: PageSpec) -> bool:
    """Whether a page is a search result. Activities that have ended are not: a district
    accumulates ~1,500 a year, which would make the index (and Pagefind's time and memory)
    four times larger with results residents rarely want; they stay on the month grids and
    the past-activities page, and news reports on them."""
    return indexed(spec.template) and not (
        spec.template == "yizhan/event.html" and spec.data.get("ended") is True
    )


def available() -> bool:
    try:
        from pagefind.service import _must_get_executable  # noqa: F401
    except ImportError:
        return False
    return True


def mark_article(html: str, indexed: bool) -> str:
    """Fill the page's article marker: listings are ignored; other pages are indexed from
    their article, unless the template marks a narrower ``data-pagefind-body`` itself (once
    one page has it, Pagefind indexes only pages that have it)."""
    if not indexed:
        attrs = IGNORE
    elif "data-pagefind-body" in html:
        attrs = ""
    else:
        attrs = BODY
    return html.replace(PLACEHOLDER, attrs, 1)


IGNORED_START = re.compile(rb"<([A-Za-z][A-Za-z0-9-]*)\b[^>]*\sdata-pagefind-ignore\b[^>]*>")


@functools.lru_cache(maxsize=32)
def tag_pattern(tag: bytes) -> re.Pattern[bytes]:
    return re.compile(rb"<(/?)" + re.escape(tag) + rb"(?=[\s/>])[^>]*>", re.IGNORECASE)


def indexed_digest(html: bytes) -> str:
    """Digest of what Pagefind reads of a page: its HTML less every element marked
    ``data-pagefind-ignore`` (perf, issue 5: an organisation page lists its activities in
    such an element, so editing an activity's title leaves the main index part as it was).
    An element whose end cannot be found keeps the whole page in the digest (a change it
    hides only costs an index run; a change hidden wrongly would leave the index stale)."""
    kept: list[bytes] = []
    pos = 0
    while (start := next_ignored(html, pos)) is not None:
        end = element_end(html, start)
        if end is None:
            return digest(html)
        kept.append(html[pos : start.start()])
        pos = end
    kept.append(html[pos:])
    return digest(*kept)


def next_ignored(html: bytes, pos: int) -> re.Match[bytes] | None:
    """``IGNORED_START.search(html, pos)``, started near the first mark instead of at every
    tag of the page (4-5 times faster): a start tag holds no ``>``, so the element the first
    mark belongs to, or any later one, opens after the last ``>`` before that mark."""
    at = html.find(IGNORE_MARK, pos)
    if at == -1:
        return None
    return IGNORED_START.search(html, max(pos, html.rfind(b">", pos, at) + 1))


IGNORE_MARK = b"data-pagefind-ignore"


def element_end(html: bytes, start: re.Match[bytes]) -> int | None:
    """Where the element opened by ``start`` ends (after its end tag, nesting counted)."""
    if start.group(0).endswith(b"/>"):
        return start.end()
    depth = 1
    for tag in tag_pattern(start.group(1).lower()).finditer(html, start.end()):
        if tag.group(1):
            depth -= 1
            if depth == 0:
                return tag.end()
        elif not tag.group(0).endswith(b"/>"):
            depth += 1
    return None


def mark_rendered(site_dir: Path, paths: Iterable[str], indexed: bool) -> None:
    """Mark pages MkDocs rendered (navigation listings: ignored; free pages: indexed)."""
    for path in paths:
        page = site_dir / path
        try:
            html = page.read_text(encoding="utf-8")
        except OSError:
            continue
        marked = mark_page(html, indexed)
        if marked != html:
            page.write_text(marked, encoding="utf-8")


def mark_page(html: str, indexed: bool) -> str:
    """A page MkDocs rendered, marked as ``mark_rendered`` marks it (unchanged if it has no
    article or is marked already)."""
    if ARTICLE not in html or f"{ARTICLE} data-pagefind" in html:
        return html
    return mark_article(html.replace(ARTICLE, ARTICLE + PLACEHOLDER, 1), indexed)


def build_index(
    site_dir: Path,
    language: str = "zh",
    pages: Iterable[str] | Mapping[str, Iterable[str]] | None = None,
    cache: Path | None = None,
) -> bool:
    """Index ``site_dir`` (or only its files ``pages``, the ones with a ``data-pagefind-body``,
    optionally grouped into parts: see ``start_index``) into ``site_dir/pagefind/``; False
    (with a warning) if Pagefind is missing or fails, so a build never breaks for want of
    search. With a ``cache`` folder (the build's), an index of exactly the same pages is reused
    from the last build instead (see ``BundleCache``)."""
    indexing = start_index(site_dir, language, pages, cache)
    return indexing is not None and indexing.wait()


SHARD_PAGES = int(os.environ.get("YIZHAN_SEARCH_SHARD_PAGES", "").strip() or 2000)
"""A site with more search results than this gets one index part per group (``shard_of``)."""
SEARCH_CACHE = "search"
"""The folder of the build's cache that keeps the index, a folder per part."""
SHARDS = "shards"
"""Folder of the other parts inside the main bundle; ``shards/index.json`` lists them."""
PARALLEL_RUNS = 2


def shard_of(spec: PageSpec) -> str:
    """The index part a search result belongs to on a large site ("" for the main one):
    articles by year, coming one-off activities by the quarter they start in, coming
    recurring ones together, organisations and free pages in the main part. An edit then
    re-indexes one part (perf, issue 5: Pagefind has no incremental mode and took ~20 s on
    one core for a district's 7,000 results), each year's articles stay in the same part
    once the year is over, and an activity keeps its part until it ends (a quarter's part
    holds a few hundred results: an edit re-indexes it in well under a second)."""
    if spec.template == "yizhan/news.html":
        year = str(spec.data.get("iso", ""))[:4]
        return f"news-{year}" if year.isdigit() else "news"
    if spec.template == "yizhan/event.html":
        return event_part(spec.data)
    return ""


def event_part(data: Mapping[str, object]) -> str:
    """``events-2027q1`` for a one-off activity starting then; ``events-series`` for a
    recurring one, whose next date moves on while its page stays a result."""
    start = str(data.get("start", ""))
    if data.get("recurring") or not (start[:4].isdigit() and start[5:7].isdigit()):
        return "events-series"
    return f"events-{start[:4]}q{(int(start[5:7]) - 1) // 3 + 1}"


PART_PAGES = 1500
"""Consecutive years of articles share a part until it has this many (a query fetches about
two index chunks from each part: fewer, larger parts keep a search's download small)."""


def join_years(groups: Mapping[str, list[str]], least: int = PART_PAGES) -> dict[str, list[str]]:
    """Groups of ``shard_of`` with the yearly article parts joined, oldest first, into parts
    of at least ``least`` pages (``news-2016-2018``); the newest part may be smaller. Years
    past stay in the same part as a site grows, so their index is reused."""
    out = {name: pages for name, pages in groups.items() if not name.startswith("news-")}
    run: list[str] = []
    years: list[str] = []
    for name in sorted(n for n in groups if n.startswith("news-")):
        years.append(name.removeprefix("news-"))
        run.extend(groups[name])
        if len(run) >= least:
            out[part_name(years)] = run
            run, years = [], []
    if run:
        out[part_name(years)] = run
    return out


def parts_of(results: Iterable[PageSpec], others: Iterable[str]) -> dict[str, list[str]]:
    """Output paths of the search results (lean pages) and ``others`` (free pages, always in
    the main part) by index part; one part unless there are more than ``SHARD_PAGES``."""
    results, others = list(results), list(others)
    sharded = len(results) + len(others) > SHARD_PAGES
    parts: dict[str, list[str]] = {"": others}
    for spec in results:
        parts.setdefault(shard_of(spec) if sharded else "", []).append(output_path(spec.path))
    return join_years(parts) if sharded else parts


def part_name(years: list[str]) -> str:
    return f"news-{years[0]}" if len(years) == 1 else f"news-{years[0]}-{years[-1]}"


@dataclass
class Bundle:
    """One Pagefind index: the main one (``name`` "") or a part merged into it by the browser."""

    name: str
    output: Path
    pages: list[str] | None
    cache: BundleCache | None = None
    reused: bool = False
    published: list[str] = field(default_factory=list)
    """Site paths of a reused part's files."""


NICE = 5
"""How much less CPU priority Pagefind gets than the build (as ``parallel.YIELD``)."""
BACKGROUND_NICE = 19
"""... once the build is served and only the index is left (``Indexing.in_background``)."""


@dataclass
class Indexing:
    """Pagefind runs under way (perf, issue 5: they run while the feeds are written, at most
    two at a time), or indexes reused from the cache."""

    site_dir: Path
    bundles: list[Bundle]
    options: Mapping[str, object]
    """Pagefind's index settings (``root_selector``, ``exclude_selectors``, ``force_language``)."""
    futures: list[Future[bool]] = field(default_factory=list)
    local: threading.local = field(default_factory=threading.local)
    """Each runner's ``Service``."""
    started: float = field(default_factory=time.perf_counter)
    nice: int = NICE
    """How much less CPU priority than the build's own processes Pagefind gets."""
    services: list[Service] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    cancelled: bool = False
    """Given up (``cancel``): the site indexed is going."""

    def in_background(self) -> None:
        """The rest of the index is made on otherwise idle CPU only: ``yizhan serve`` serves
        the build before its index is done, and the next save's preview must not share the
        processor with it (perf, issue 5: listings took up to 2.2 s instead of ~1.3 s)."""
        with self.lock:
            self.nice = BACKGROUND_NICE
            for service in self.services:
                service.renice(self.nice)

    def cancel(self) -> None:
        """Stop indexing, the Pagefind processes first: ``yizhan serve`` removes a folder it
        no longer serves, and its index may still be under way in the background (a process
        left writing would make its folders again, and fail loudly)."""
        with self.lock:
            self.cancelled = True
            services = list(self.services)
        for service in services:
            service.stop()

    def wait_in_background(self) -> None:
        """``wait``, in a thread of its own: a failure is logged, not raised."""
        try:
            self.wait()
        except Exception as error:
            if self.cancelled:
                log.debug(f"yizhan: search index given up: {error}")
            else:
                log.warning(f"Pagefind failed: {error}")

    @property
    def built(self) -> int:
        return sum(1 for b in self.bundles if not b.reused)

    def start(self) -> None:
        # Largest parts first, so the last runs are short ones and both runners finish about
        # together (perf, issue 5: a cold district's ten parts, 0.6-4.7 s each).
        todo = deque(
            sorted(
                (b for b in self.bundles if not b.reused),
                key=lambda b: -len(b.pages) if b.pages is not None else -sys.maxsize,
            )
        )
        if not todo:
            return
        runners = min(PARALLEL_RUNS, len(todo))
        pool = ThreadPoolExecutor(max_workers=runners, thread_name_prefix="pagefind")
        self.futures = [pool.submit(self.run_parts, todo) for _ in range(runners)]
        pool.shutdown(wait=False)

    def run_parts(self, todo: deque[Bundle]) -> bool:
        """Index parts from ``todo`` until none is left, in one Pagefind process."""
        done = True
        try:
            while True:
                try:
                    bundle = todo.popleft()
                except IndexError:
                    return done
                if self.cancelled:
                    return False
                done = self.run(bundle) and done
        finally:
            service = getattr(self.local, "service", None)
            if service is not None:
                service.close()
                self.local.service = None

    def run(self, bundle: Bundle) -> bool:
        staging = stage(self.site_dir, bundle.pages) if bundle.pages is not None else None
        site = staging or self.site_dir
        try:
            with self.lock:  # no Pagefind is started, or given a part, once cancelled
                if self.cancelled:
                    return False
                if getattr(self.local, "service", None) is None:
                    self.local.service = Service(self.nice)
                    self.services.append(self.local.service)
            self.local.service.index(site, bundle.output, self.options)
        except (OSError, RuntimeError, ValueError, KeyError) as error:
            service = getattr(self.local, "service", None)
            if self.cancelled or (service is not None and service.interrupted()):
                # Ctrl-C in a terminal reaches Pagefind with yizhan serve: it is stopping
                log.debug(f"Pagefind interrupted: {error}")
            else:
                log.warning(f"Pagefind failed: {str(error)[-2000:]}")
            if service is not None:
                service.close()  # the next part starts a new process
                self.local.service = None
            return False
        finally:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
        if bundle.name:
            try:
                drop_code(bundle.output)
            except OSError as error:
                if not self.cancelled:
                    raise
                log.debug(f"yizhan: search part given up: {error}")
                return False
        if bundle.cache is not None:
            try:
                bundle.cache.keep(bundle.output, skip=SHARDS if not bundle.name else None)
            except OSError as error:  # the index is written; only the next build's reuse is lost
                log.debug(f"yizhan: search part not kept: {error}")
        return True

    def wait(self) -> bool:
        return all([f.result() for f in self.futures])


class Service:
    """Pagefind in service mode (``pagefind --service``), for every part one runner indexes.

    perf (issue 5): Pagefind loads its Chinese dictionary once per process, ~0.45 CPU-s, and a
    cold district has ten parts; a process per part loaded it ten times. The service's
    messages are JSON in base64, each followed by a comma (as Pagefind's own Python client
    sends them); they are exchanged here in turn, without that client's asyncio loop, which
    waits 0.1 s before reading each answer. The index is the one the command line writes."""

    def __init__(self, nice: int = NICE) -> None:
        from pagefind.service import get_executable

        executable = get_executable()
        if executable is None:
            raise RuntimeError("Pagefind's executable is missing")
        self.process = subprocess.Popen(
            [str(executable), "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        # Below the build's own processes: in ``yizhan serve`` the index is made in the
        # background, and a save's page, listings and feeds come first (perf, issue 5).
        self.renice(nice)
        self.sent = 0
        self.pending = b""

    def renice(self, nice: int) -> None:
        """Give Pagefind ``nice`` steps less priority than this process: each of its threads,
        as Linux sets a niceness per thread (those started before would keep their own)."""
        value = min(19, os.getpriority(os.PRIO_PROCESS, 0) + nice)
        tasks = Path(f"/proc/{self.process.pid}/task")
        try:
            threads = [int(t.name) for t in tasks.iterdir()] if tasks.is_dir() else []
        except OSError:  # the process ended
            threads = []
        for thread in threads or [self.process.pid]:
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, thread, value)

    def index(self, site: Path, output: Path, options: Mapping[str, object]) -> None:
        made = self.send({"type": "NewIndex", "config": dict(options)})
        index_id = made["index_id"]
        try:
            self.send({"type": "AddDir", "index_id": index_id, "path": str(site), "glob": None})
            self.send({"type": "WriteFiles", "index_id": index_id, "output_path": str(output)})
        finally:
            self.send({"type": "DeleteIndex", "index_id": index_id})

    def send(self, payload: Mapping[str, object]) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.sent += 1
        message = json.dumps({"message_id": self.sent, "payload": payload}).encode("utf-8")
        self.process.stdin.write(base64.b64encode(message) + b",")
        self.process.stdin.flush()
        while True:
            answer = json.loads(base64.b64decode(self.receive()))
            if not isinstance(answer, dict):
                continue
            found: dict[str, Any] = answer.get("payload") or {}
            if found.get("type") == "Error":
                raise RuntimeError(str(found.get("message")))
            if answer.get("message_id") == self.sent:
                return found

    def receive(self) -> bytes:
        assert self.process.stdout is not None
        while b"," not in self.pending:
            chunk = os.read(self.process.stdout.fileno(), 1 << 16)
            if not chunk:
                raise RuntimeError(f"Pagefind stopped (exit status {self.process.poll()})")
            self.pending += chunk
        message, _, self.pending = self.pending.partition(b",")
        return message

    def interrupted(self) -> bool:
        """Whether the process was ended by SIGINT or SIGTERM (the terminal's Ctrl-C, a
        stop), not by a failure of its own."""
        try:
            code = self.process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            return False
        return code in (-signal.SIGINT, -signal.SIGTERM)

    def stop(self) -> None:
        """End the process now (SIGTERM, as a stop: ``interrupted`` says so)."""
        with contextlib.suppress(OSError):
            self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def close(self) -> None:
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):  # a process that stopped: nothing to tell it
                self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_index(
    site_dir: Path,
    language: str = "zh",
    pages: Iterable[str] | Mapping[str, Iterable[str]] | None = None,
    cache: Path | None = None,
    known: Mapping[str, str] | None = None,
    prelinked: Prelink | None = None,
) -> Indexing | None:
    """Start indexing (see ``build_index``); None, with a warning, without Pagefind.

    ``pages`` may be grouped by part name (``shard_of``): the main part is indexed into
    ``pagefind/`` and every other into ``pagefind/shards/<name>/``, listed in
    ``pagefind/shards/index.json`` for the search box to merge. ``known`` gives pages' content
    digests where the caller has them (``bundle_key``). ``prelinked``: the last build's files,
    linked into the site already (``prelink``); a part that is reused keeps its own."""
    if not available():
        log.warning(
            "站内搜索需要 Pagefind（pip install 'pagefind[extended]'）/ search needs Pagefind"
        )
        return None
    main = (site_dir / BUNDLE).resolve()
    clear_index(main, prelinked if cache is not None else None)
    force = "en" if language.startswith("en") else "zh"
    # The command line's options (the index's cache key): the service takes the same settings.
    options = ["--root-selector", ROOT_SELECTOR, "--force-language", force]
    for selector in EXCLUDE_SELECTORS:
        options += ["--exclude-selectors", selector]
    groups = group_pages(pages)
    bundles = []
    for name in sorted(groups, key=lambda n: (n != "", n)):
        group = groups[name]
        output = main / SHARDS / name if name else main
        bundle = Bundle(name, output, group)
        if cache is not None:
            key = bundle_key(site_dir, group, options, known or {})
            bundle.cache = BundleCache(cache / SEARCH_CACHE / (name or "main"), key, cache)
            published = bundle.cache.publish(output, part_folder(name), prelinked)
            bundle.reused, bundle.published = published is not None, published or []
        bundles.append(bundle)
    if cache is not None:
        prune_parts(cache / SEARCH_CACHE, {b.name or "main" for b in bundles})
    write_shard_list(main, [b.name for b in bundles if b.name])
    settings = {
        "root_selector": ROOT_SELECTOR,
        "exclude_selectors": list(EXCLUDE_SELECTORS),
        "force_language": force,
    }
    indexing = Indexing(site_dir, bundles, settings)
    indexing.start()
    return indexing


def part_folder(name: str) -> str:
    """The site path of a part's index."""
    return f"{BUNDLE}/{SHARDS}/{name}" if name else BUNDLE


def in_part(rel: str, folder: str) -> bool:
    """Whether the site path ``rel`` is a file of the part in ``folder`` (not of another
    part: the main part's folder holds theirs)."""
    if not rel.startswith(f"{folder}/"):
        return False
    return folder != BUNDLE or not rel.startswith(f"{BUNDLE}/{SHARDS}/")


def clear_index(main: Path, prelinked: Prelink | None) -> None:
    """Empty the site's index folder, but for what the last build linked there: the parts
    that are reused keep it (``BundleCache.publish``), the others release it."""
    if prelinked is None:
        shutil.rmtree(main, ignore_errors=True)
        return
    base = len(str(main)) + 1
    for folder, _, names in os.walk(main):
        for name in names:
            path = os.path.join(folder, name)
            if f"{BUNDLE}/{path[base:]}" not in prelinked.linked:
                os.unlink(path)  # not the last build's (MkDocs copied it): as rmtree did


def group_pages(
    pages: Iterable[str] | Mapping[str, Iterable[str]] | None,
) -> dict[str, list[str] | None]:
    """Pages by part, each sorted; the main part ("") is never empty while any part has
    pages (the browser loads Pagefind from it)."""
    if pages is None:
        return {"": None}
    grouped = pages if isinstance(pages, Mapping) else {"": pages}
    out: dict[str, list[str] | None] = {}
    for name, group in grouped.items():
        paths = sorted(set(group))
        if paths:
            out[name] = paths
    if "" not in out:
        first = min(out, default=None)
        out[""] = out.pop(first) if first is not None else []
    return out


def drop_code(part: Path) -> None:
    """A part merged into the main index is read for its data only: the browser runs the main
    bundle's pagefind.js and WebAssembly, never a part's copies or Pagefind's own UI."""
    for path in part.iterdir():
        if path.is_file() and (path.suffix in (".js", ".css") or path.name.startswith("wasm.")):
            path.unlink()


def write_shard_list(main: Path, names: list[str]) -> None:
    folder = main / SHARDS
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.json").write_text(json.dumps(sorted(names)), encoding="utf-8")


def prune_parts(cache: Path, names: set[str]) -> None:
    """Drop the cached indexes of parts the site no longer has (and the single index that
    earlier versions kept directly in ``cache``)."""
    if not cache.is_dir():
        return
    for folder in cache.iterdir():
        if folder.name not in names:
            shutil.rmtree(folder, ignore_errors=True)


def bundle_key(
    site_dir: Path, pages: list[str] | None, options: list[str], known: Mapping[str, str]
) -> str:
    """Digest of what Pagefind makes an index from: its version, options and every page it
    reads (by the digest ``known`` gives for it, or its bytes)."""
    try:
        version = metadata.version("pagefind")
    except metadata.PackageNotFoundError:
        version = "?"
    if pages is None:
        pages = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html"))
    parts: list[bytes | str] = [version, *options]
    for rel in pages:
        if rel in known:
            parts += [rel, "key", known[rel]]
            continue
        try:
            parts += [rel, "bytes", (site_dir / rel).read_bytes()]
        except OSError:
            parts += [rel, "missing"]
    return digest(*parts)


@dataclass(frozen=True)
class BundleCache:
    """The last build's search index, kept in ``root/<key>/`` (perf, issue 5: Pagefind takes
    ~12 s on one core for a district's results; a build that changes none of them reuses it).
    Its files are hard-linked into sites, so, as for pages (``cache.Store``), each one's size
    and modification time are recorded and the index is reused only if none has changed."""

    root: Path
    key: str
    base: Path
    """The build's cache folder: entries are named by their path in it (``prelink``)."""

    def publish(
        self, output: Path, folder: str = "", prelinked: Prelink | None = None
    ) -> list[str] | None:
        """Put this index at ``output`` (the site path ``folder``); the site paths of its
        files, or None when the cache has no such index as it was written. Files
        ``prelinked`` there already stay; if the index is not reused, the part's prelinked
        files are released, since Pagefind writes the part's files in place."""
        stamps = self.stamps()
        paths = [f"{folder}/{rel}" for rel in stamps or {}]
        if stamps is not None and prelinked is not None:
            entries = self.entries(stamps)
            if all(prelinked.holds(p, e) for p, e in zip(paths, entries, strict=True)):
                return paths  # linked, and checked, at the build's start
        if stamps is None or not self.trusted(stamps):
            if prelinked is not None:
                prelinked.release([p for p in prelinked.linked if in_part(p, folder)])
            return None
        made: set[Path] = set()
        placed: list[Path] = []
        try:
            for rel in stamps:
                target = output / rel
                if target.parent not in made:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    made.add(target.parent)
                place(self.root / self.key / rel, target)
                placed.append(target)
        except FileNotFoundError:
            # Pruned while it was published: in ``yizhan serve`` the last build's Pagefind
            # runs on after that build is served, and keeping its own index drops the others
            # (``keep``), this one too when a save went back to it. A miss, not a failed build
            # (the preview then kept serving the site before the save); nothing of it stays.
            for target in placed:
                target.unlink(missing_ok=True)
            if prelinked is not None:
                prelinked.release([p for p in prelinked.linked if in_part(p, folder)])
            return None
        return paths

    def stamps(self) -> dict[str, Stamp] | None:
        """Each file of the index with its stamp, or None without a readable index."""
        try:
            raw = json.loads((self.root / self.key / STAMPS).read_text(encoding="utf-8"))
            return {str(rel): (int(v[0]), int(v[1])) for rel, v in raw.items()}
        except (OSError, ValueError, TypeError, AttributeError, IndexError):
            return None

    def trusted(self, stamps: Mapping[str, Stamp]) -> bool:
        folder = self.root / self.key
        try:
            for rel, stamp in stamps.items():
                info = (folder / rel).stat()
                if (info.st_size, info.st_mtime_ns) != stamp:
                    return False
        except OSError:
            return False
        return True

    def entries(self, stamps: Mapping[str, Stamp]) -> list[str]:
        """The files of the index as paths in the build's cache folder (``prelink``)."""
        folder = (self.root / self.key).relative_to(self.base).as_posix()
        return [f"{folder}/{rel}" for rel in stamps]

    def published(self, folder: str) -> dict[str, tuple[str, Stamp]]:
        """Site path -> (entry, stamp) of every file of the index (``prelink.record``)."""
        stamps = self.stamps() or {}
        entries = self.entries(stamps)
        return {
            f"{folder}/{rel}": (e, st) for (rel, st), e in zip(stamps.items(), entries, strict=True)
        }

    def keep(self, output: Path, skip: str | None = None) -> None:
        """Keep the index Pagefind just wrote (less its folder ``skip``: the other parts) as
        the only one in the cache."""
        self.root.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=self.root.parent))
        stamps: dict[str, Stamp] = {}
        for path in sorted(output.rglob("*")):
            if not path.is_file():
                continue
            rel = path.relative_to(output).as_posix()
            if skip is not None and rel.startswith(f"{skip}/"):
                continue
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            place(path, staging / rel)
            info = (staging / rel).stat()
            stamps[rel] = (info.st_size, info.st_mtime_ns)
        (staging / STAMPS).write_text(json.dumps(stamps), encoding="utf-8")
        self.root.mkdir(parents=True, exist_ok=True)
        target = self.root / self.key
        for _ in range(3):
            try:
                os.replace(staging, target)
                break
            except OSError:  # a folder is there: a former index, or one kept just now
                found = self.stamps()
                if found is not None and self.trusted(found):
                    # Another build kept this very index at once (in ``yizhan serve`` a
                    # build's Pagefind runs on after it is served): the same key, the same
                    # files. It is the one kept.
                    shutil.rmtree(staging, ignore_errors=True)
                    break
                shutil.rmtree(target, ignore_errors=True)
        for other in self.root.iterdir():
            if other.name != self.key:
                shutil.rmtree(other, ignore_errors=True)


STAMPS = "stamps.json"


def stage(site_dir: Path, pages: Iterable[str]) -> Path:
    """A folder beside ``site_dir`` holding only ``pages`` (hard links, or copies), at the same
    paths: Pagefind then reads the third of a district's pages that are search results instead
    of parsing all of them (perf, issue 5; the index is the same)."""
    staging = Path(tempfile.mkdtemp(prefix=".yizhan-search-", dir=site_dir.resolve().parent))
    made: set[Path] = set()
    for rel in pages:
        source, target = site_dir / rel, staging / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        try:
            os.link(source, target)
        except FileNotFoundError:
            continue
        except OSError:
            shutil.copyfile(source, target)
    return staging
