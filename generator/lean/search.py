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

import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from ..plan import PageSpec
from .cache import Stamp, digest, place

log = logging.getLogger("mkdocs.plugins.yizhan.search")

ROOT_SELECTOR = "article.md-content__inner"
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


def mark_rendered(site_dir: Path, paths: Iterable[str], indexed: bool) -> None:
    """Mark pages MkDocs rendered (navigation listings: ignored; free pages: indexed)."""
    for path in paths:
        page = site_dir / path
        try:
            html = page.read_text(encoding="utf-8")
        except OSError:
            continue
        if ARTICLE not in html or f"{ARTICLE} data-pagefind" in html:
            continue
        marked = html.replace(ARTICLE, ARTICLE + PLACEHOLDER, 1)
        page.write_text(mark_article(marked, indexed), encoding="utf-8")


def build_index(
    site_dir: Path,
    language: str = "zh",
    pages: Iterable[str] | None = None,
    cache: Path | None = None,
) -> bool:
    """Index ``site_dir`` (or only its files ``pages``, the ones with a ``data-pagefind-body``)
    into ``site_dir/pagefind/``; False (with a warning) if Pagefind is missing or fails, so a
    build never breaks for want of search. With a ``cache`` folder, an index of exactly the
    same pages is reused from the last build instead (see ``BundleCache``)."""
    indexing = start_index(site_dir, language, pages, cache)
    return indexing is not None and indexing.wait()


@dataclass
class Indexing:
    """A Pagefind run under way (perf, issue 5: it runs while the feeds are written), or an
    index reused from the cache (no process)."""

    process: subprocess.Popen[str] | None
    staging: Path | None
    output: Path
    cache: BundleCache | None = None
    started: float = field(default_factory=time.perf_counter)

    def wait(self) -> bool:
        if self.process is None:
            return True
        try:
            _, stderr = self.process.communicate()
        finally:
            if self.staging is not None:
                shutil.rmtree(self.staging, ignore_errors=True)
        if self.process.returncode != 0:
            log.warning(f"Pagefind failed: {stderr.strip()[-2000:]}")
            return False
        if self.cache is not None:
            self.cache.keep(self.output)
        return True


def start_index(
    site_dir: Path,
    language: str = "zh",
    pages: Iterable[str] | None = None,
    cache: Path | None = None,
    known: Mapping[str, str] | None = None,
) -> Indexing | None:
    """Start indexing (see ``build_index``); None, with a warning, without Pagefind.
    ``known`` gives pages' content digests where the caller has them (``bundle_key``)."""
    if not available():
        log.warning(
            "站内搜索需要 Pagefind（pip install 'pagefind[extended]'）/ search needs Pagefind"
        )
        return None
    output = (site_dir / BUNDLE).resolve()
    shutil.rmtree(output, ignore_errors=True)
    pages = sorted(set(pages)) if pages is not None else None
    options = [
        "--root-selector", ROOT_SELECTOR,
        "--force-language", "en" if language.startswith("en") else "zh",
    ]  # fmt: skip
    bundles = None
    if cache is not None:
        bundles = BundleCache(cache, bundle_key(site_dir, pages, options, known or {}))
        if bundles.publish(output):
            return Indexing(None, None, output)
    staging = stage(site_dir, pages) if pages is not None else None
    command = [
        sys.executable, "-m", "pagefind",
        "--site", str(staging or site_dir), "--output-path", str(output), *options, "--silent",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    return Indexing(process, staging, output, bundles)


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

    def publish(self, output: Path) -> bool:
        folder = self.root / self.key
        try:
            stamps = json.loads((folder / STAMPS).read_text(encoding="utf-8"))
            for rel, stamp in stamps.items():
                info = (folder / rel).stat()
                if [info.st_size, info.st_mtime_ns] != stamp:
                    return False
        except (OSError, ValueError, TypeError, AttributeError):
            return False
        made: set[Path] = set()
        for rel in stamps:
            target = output / rel
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            place(folder / rel, target)
        return True

    def keep(self, output: Path) -> None:
        """Keep the index Pagefind just wrote as the only one in the cache."""
        staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=self.root.parent))
        stamps: dict[str, Stamp] = {}
        for path in sorted(output.rglob("*")):
            if not path.is_file():
                continue
            rel = path.relative_to(output).as_posix()
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            place(path, staging / rel)
            info = (staging / rel).stat()
            stamps[rel] = (info.st_size, info.st_mtime_ns)
        (staging / STAMPS).write_text(json.dumps(stamps), encoding="utf-8")
        shutil.rmtree(self.root, ignore_errors=True)
        self.root.mkdir(parents=True, exist_ok=True)
        os.replace(staging, self.root / self.key)


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
