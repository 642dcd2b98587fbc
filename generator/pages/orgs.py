"""Placeholder page family (to be written)."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Site
from ..plan import PageSpec
from ..views import Views


def pages(site: Site, views: Views) -> Iterator[PageSpec]:
    yield from ()
