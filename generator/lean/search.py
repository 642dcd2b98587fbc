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

import logging
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from ..plan import PageSpec

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


def build_index(site_dir: Path, language: str = "zh") -> bool:
    """Index ``site_dir`` into ``site_dir/pagefind/``; False (with a warning) if Pagefind is
    missing or fails, so a build never breaks for want of search."""
    if not available():
        log.warning(
            "站内搜索需要 Pagefind（pip install 'pagefind[extended]'）/ search needs Pagefind"
        )
        return False
    shutil.rmtree(site_dir / BUNDLE, ignore_errors=True)
    command = [
        sys.executable, "-m", "pagefind",
        "--site", str(site_dir),
        "--output-subdir", BUNDLE,
        "--root-selector", ROOT_SELECTOR,
        "--force-language", "en" if language.startswith("en") else "zh",
        "--silent",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        log.warning(f"Pagefind failed: {result.stderr.strip()[-2000:]}")
        return False
    return True
