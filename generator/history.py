"""Placeholder: git-derived activity history (to be written by the calendar work)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .model import EventHistory, Site
from .plan import FileSpec
from .problems import Problem


def derive_history(
    root: Path, events_dir: str, site: Site, enabled: bool
) -> tuple[dict[str, EventHistory], list[Problem]]:
    host = site.config.site_url.split("//", 1)[-1].split("/", 1)[0]
    return {eid: EventHistory(uid=f"{eid}@{host}") for eid in site.events}, []


def redirect_files(site: Site) -> Iterator[FileSpec]:
    yield from ()
