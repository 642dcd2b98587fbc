"""Placeholder output (to be written)."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Site
from ..plan import FileSpec
from ..views import Views


def files(site: Site, views: Views) -> Iterator[FileSpec]:
    yield from ()
