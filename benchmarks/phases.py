"""Where a build's wall time goes: ``yizhan build`` with its stages timed, as a timeline.

    python benchmarks/phases.py benchmarks/out/site/mkdocs.yml

Wraps the core's stages, the lean renderer, the feed writer and each Pagefind run with a
clock and prints when each started and ended (seconds from the start). A maintainer's tool to
see what to attack next; the figures of record come from ``run.py``.
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

START = time.perf_counter()
SPANS: list[tuple[str, float, float, str]] = []

STAGES = [
    ("generator.mkdocs_engine.plugin", "load_site"),
    ("generator.load", "load_content"),
    ("generator.validate", "validate"),
    ("generator.history", "derive_history"),
    ("generator.mkdocs_engine.plugin", "derive_views"),
    ("generator.memo", "flush"),
    ("generator.mkdocs_engine.plugin", "Previous"),
    ("generator.mkdocs_engine.plugin", "moved_sources"),
    ("generator.mkdocs_engine.plugin", "start_plan"),
    ("generator.build.PlanUnderWay", "finish"),
    ("generator.views.text", "prerender"),
    ("generator.build", "collect_pages"),
    ("generator.mkdocs_engine.fast.FastPath", "start"),
    ("generator.mkdocs_engine.fast", "render_pages"),
    ("generator.mkdocs_engine.fast.FastPath", "finish"),
    ("generator.mkdocs_engine.output", "write_files"),
    ("generator.lean.search", "start_index"),
    ("generator.lean.prelink.Prelink", "join"),
    ("generator.lean.prelink.Prelink", "release"),
    ("generator.lean.prelink.Prelink", "prune"),
    ("generator.lean.prelink", "record"),
    ("generator.mkdocs_engine.output", "swap_in"),
    ("generator.lean.cache.Store", "save"),
    ("generator.lean.cache.PageCache", "prune"),
    ("generator.mkdocs_engine.fast", "add_to_sitemap"),
    ("generator.lean.search.Indexing", "run"),
    ("generator.mkdocs_engine.plugin.YizhanPlugin", "on_files"),
    ("generator.mkdocs_engine.plugin.YizhanPlugin", "on_env"),
    ("mkdocs.commands.build", "get_files"),
    ("mkdocs.commands.build", "_build_theme_template"),
    ("mkdocs.commands.build", "_build_page"),
    ("mkdocs.commands.build", "get_navigation"),
]


def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            thread = threading.current_thread().name
            SPANS.append((name, began - START, time.perf_counter() - START, thread))

    return wrapper


def resolve(path: str) -> Any:
    """A module, or a class inside one (``package.module.Class``)."""
    try:
        return importlib.import_module(path)
    except ImportError:
        module, _, attribute = path.rpartition(".")
        return getattr(importlib.import_module(module), attribute)


def install() -> None:
    for owner_path, attribute in STAGES:
        try:
            owner = resolve(owner_path)
            original = getattr(owner, attribute)
        except (ImportError, AttributeError):
            print(f"(not timed: {owner_path}.{attribute})", file=sys.stderr)
            continue
        setattr(owner, attribute, timed(f"{owner_path.rsplit('.', 1)[-1]}.{attribute}", original))


def report() -> None:
    if os.getpid() != MAIN:  # forked workers inherit the wrappers, not the report
        return
    print(f"\n{'stage':45} {'start':>7} {'end':>7} {'took':>6}  thread", file=sys.stderr)
    for name, began, ended, thread in sorted(SPANS, key=lambda s: s[1]):
        print(
            f"{name:45} {began:7.2f} {ended:7.2f} {ended - began:6.2f}  {thread}", file=sys.stderr
        )
    print(f"{'total':45} {0:7.2f} {time.perf_counter() - START:7.2f}", file=sys.stderr)


MAIN = os.getpid()

if __name__ == "__main__":
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    install()
    from generator import cli

    code = cli.main(["-f", *sys.argv[1:2], "build", *sys.argv[2:]])
    report()
    os._exit(code)
