"""Render many pages over several processes, reusing cached pages.

Each worker takes interleaved batches of pages: it computes each page's cache key, links the
cached HTML when there is one, renders the page otherwise, and writes the file itself, so only
keys, new cache entries' stamps and warnings travel back. Workers are forked from the build process (Linux), so they
inherit the plan and the ``Setup`` without pickling; where fork is unavailable, or for a
handful of pages, everything runs in this process. Every page is rendered the same way in any
process, so cold, warm and parallel builds give the same bytes.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from jinja2 import meta

from .. import heap
from ..plan import PageSpec, check_output_path
from . import search
from .cache import PageCache, Stamp, page_entry, page_key
from .prelink import Prelink
from .render import Renderer, Setup, output_path

BATCH = 64
"""Pages per task: large enough to amortise the round trip, small enough to balance."""
MIN_PARALLEL = 400
"""Below this many pages, starting processes costs more than it saves."""


@dataclass
class Outcome:
    keys: dict[str, str] = field(default_factory=dict)
    """Page path -> cache key, for every page of the run."""
    made: dict[str, Stamp] = field(default_factory=dict)
    """Cache entries written by the run (see ``Store``)."""
    searched: dict[str, str] = field(default_factory=dict)
    """Cache key -> ``search.indexed_digest`` of each search result the run rendered."""
    rendered: int = 0
    reused: int = 0
    warnings: list[str] = field(default_factory=list)

    def merge(self, other: Outcome) -> None:
        self.keys.update(other.keys)
        self.made.update(other.made)
        self.searched.update(other.searched)
        self.rendered += other.rendered
        self.reused += other.reused
        self.warnings.extend(other.warnings)


class Abandoned(Exception):
    """Rendering stopped because what ran alongside it failed (``render_pages``)."""


@dataclass
class Job:
    setup: Setup
    specs: Sequence[PageSpec]
    site_dir: Path
    cache: PageCache
    prelinked: Prelink | None = None


# The job of the current run, inherited by forked workers (set only while a run lasts).
CURRENT: Job | None = None
RENDERER: tuple[int, Renderer] | None = None


def renderer_for(setup: Setup) -> Renderer:
    """This process's renderer for ``setup`` (made once per process and setup)."""
    global RENDERER
    if RENDERER is None or RENDERER[0] != id(setup):
        RENDERER = (id(setup), Renderer(setup))
    return RENDERER[1]


def run_batch(indices: Sequence[int], job: Job | None = None) -> Outcome:
    job = job or CURRENT
    assert job is not None
    outcome = Outcome()
    renderer: Renderer | None = None
    made_dirs: set[Path] = set()
    for i in indices:
        spec = job.specs[i]
        key = page_key(job.setup.fingerprint, spec, job.setup.files)
        outcome.keys[spec.path] = key
        rel = output_path(spec.path)
        if job.prelinked is not None and job.prelinked.holds(
            rel, job.cache.entry_id(page_entry(key))
        ):
            outcome.reused += 1  # linked at the build's start (``prelink``)
            continue
        target = job.site_dir / rel
        if target.parent not in made_dirs:
            target.parent.mkdir(parents=True, exist_ok=True)
            made_dirs.add(target.parent)
        if job.cache.publish_page(key, target):
            outcome.reused += 1
            continue
        renderer = renderer or renderer_for(job.setup)
        result = renderer.render(spec)
        outcome.warnings.extend(result.warnings)
        outcome.made.update(job.cache.add_page(key, result.html, target))
        if search.indexed_page(spec):
            outcome.searched[key] = search.indexed_digest(result.html)
        outcome.rendered += 1
    return outcome


def cache_is_cold(cache: PageCache, pages: int) -> bool:
    """Whether most pages will be rendered (no cache, or a cache of far fewer pages)."""
    return len(cache.stamps) < pages // 2


def compile_templates(env: jinja2.Environment, names: Iterable[str]) -> None:
    """Compile the page templates and every template they name, as a page would on first use
    (perf, issue 5: before the workers fork, or each compiled the same ~90 templates, ~1.5 s of
    CPU apiece; and in ``yizhan serve`` before the first save needs them).
    """
    todo, seen = list(names), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            source = env.loader.get_source(env, name)[0] if env.loader else ""
            env.get_template(name)
        except jinja2.TemplateError:
            continue  # left to the page that uses it, which reports it as it always did
        todo.extend(referenced_templates(env, name, source))


REFERENCED: dict[tuple[int, str, str], tuple[str, ...]] = {}
"""(environment's bytecode cache, name, source) -> the templates it names: parsing again was
half of the warm-up of ``yizhan serve`` once compiled code was kept (``KeptBytecode``)."""


def referenced_templates(env: jinja2.Environment, name: str, source: str) -> tuple[str, ...]:
    key = (id(env.bytecode_cache), name, source)
    found = REFERENCED.get(key)
    if found is None:
        names = meta.find_referenced_templates(env.parse(source))
        found = REFERENCED[key] = tuple(n for n in names if n)
    return found


def batches(count: int, workers: int) -> list[list[int]]:
    """Interleave pages so each batch mixes cheap and costly page kinds."""
    stride = max(1, (count + BATCH - 1) // BATCH)
    return [list(range(start, count, stride)) for start in range(min(stride, count))]


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def can_fork() -> bool:
    # Workers render and write files only; under mkdocs serve they touch none of the server's
    # threads' state (see generator/parallel.py).
    return "fork" in multiprocessing.get_all_start_methods()


def render_pages(
    setup: Setup,
    specs: Sequence[PageSpec],
    site_dir: Path,
    cache: PageCache,
    workers: int | None = None,
    alongside: Callable[[], None] | None = None,
    first: int = 0,
    after_first: Callable[[Outcome], None] | None = None,
    prelinked: Prelink | None = None,
    failed: Callable[[], bool] = lambda: False,
) -> Outcome:
    """Write every spec's page under ``site_dir``; returns keys, counts and link warnings.

    ``alongside`` runs in this process while the workers render (perf, issue 5: the feeds
    are written meanwhile; it starts once every worker is forked, so no thread is forked).
    With ``after_first``, the first ``first`` specs are rendered before the others and
    ``after_first`` is given their outcome once they are all written, while the workers go
    on with the rest (the search index of the results starts then). When ``failed`` (checked
    between batches) says ``alongside`` failed, the batches not begun are dropped and
    ``Abandoned`` is raised: the build has already failed."""
    global CURRENT
    for spec in specs:
        check_output_path(output_path(spec.path))
    job = Job(setup, specs, site_dir, cache, prelinked)
    first = first if after_first is not None else 0
    # An explicit number of workers is obeyed even for a few pages (tests use it).
    least = MIN_PARALLEL if workers is None else 2
    workers = default_workers() if workers is None else workers
    if workers <= 1 or len(specs) < least or not can_fork():
        outcome = run_batch(range(first), job)
        if after_first is not None:
            after_first(outcome)
        outcome.merge(run_batch(range(first, len(specs)), job))
        cache.record(outcome.made, outcome.searched)
        if alongside is not None:
            alongside()
        return outcome
    if cache_is_cold(cache, len(specs)):
        compile_templates(renderer_for(setup).env, {spec.template for spec in specs})
    head = batches(first, workers)
    tail = [[first + i for i in batch] for batch in batches(len(specs) - first, workers)]
    outcome = Outcome()
    CURRENT = job
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=heap.start_worker
        ) as pool:
            # map queues every batch at once; a fork pool forks its workers on the first one
            parts = pool.map(run_batch, [*head, *tail])
            if alongside is not None:
                alongside()
            if after_first is not None and not head:
                after_first(outcome)
            for done, part in enumerate(parts, start=1):  # in the order they were queued
                outcome.merge(part)
                if failed():
                    pool.shutdown(wait=False, cancel_futures=True)
                    raise Abandoned
                if after_first is not None and done == len(head):
                    after_first(outcome)
    finally:
        CURRENT = None
    cache.record(outcome.made, outcome.searched)
    return outcome
