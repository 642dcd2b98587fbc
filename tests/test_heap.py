"""The collector pause of the build's core stages (generator/heap.py)."""

from __future__ import annotations

import gc
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import pytest

from generator import heap


def test_collector_is_paused_and_restored() -> None:
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    with heap.collector_paused():
        assert not gc.isenabled()
        cycle: list[object] = []
        cycle.append(cycle)
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen  # serve: what a build made stays collectable


def test_collector_is_restored_after_an_error() -> None:
    with pytest.raises(RuntimeError), heap.collector_paused():
        raise RuntimeError("bad content")
    assert gc.isenabled()


def test_a_one_shot_build_freezes_what_it_made() -> None:
    frozen = gc.get_freeze_count()
    try:
        with heap.collector_paused(freeze=True):
            kept = [[i] for i in range(1000)]
        assert gc.get_freeze_count() >= frozen + len(kept)
        assert gc.isenabled()
    finally:
        gc.unfreeze()


def test_a_paused_collector_stays_off_inside_another_pause() -> None:
    gc.disable()
    try:
        with heap.collector_paused():
            pass
        assert not gc.isenabled()  # the outer pause (the command line's) still holds
    finally:
        gc.enable()


def worker_collector() -> tuple[bool, int]:
    return gc.isenabled(), gc.get_freeze_count()


def test_a_render_worker_freezes_what_it_inherited_and_collects_its_own() -> None:
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("render workers are forked only where fork exists")
    inherited = [[i] for i in range(1000)]
    context = multiprocessing.get_context("fork")
    gc.disable()  # as the build process is while it forks its workers
    try:
        with ProcessPoolExecutor(1, mp_context=context, initializer=heap.start_worker) as pool:
            enabled, frozen = pool.submit(worker_collector).result()
    finally:
        gc.enable()
    assert enabled
    assert frozen >= len(inherited)
    assert gc.get_freeze_count() < frozen  # the build process itself froze nothing
