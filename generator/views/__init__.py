"""Derived views: pure functions of the Site (calendars, archives, directories), sorted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..model import Site
from . import calendar, news, orgs


@dataclass(frozen=True)
class Views:
    calendar: calendar.CalendarViews
    news: news.NewsViews
    orgs: orgs.OrgViews


def derive_views(
    site: Site, known: Mapping[str, tuple[calendar.Occurrence, ...]] | None = None
) -> Views:
    """``known``: see ``calendar.derive``."""
    return Views(
        calendar=calendar.derive(site, known),
        news=news.derive(site),
        orgs=orgs.derive(site),
    )
