"""Derived views: pure functions of the Site (calendars, archives, directories), sorted."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Site
from . import calendar, news, orgs


@dataclass(frozen=True)
class Views:
    calendar: calendar.CalendarViews
    news: news.NewsViews
    orgs: orgs.OrgViews


def derive_views(site: Site) -> Views:
    return Views(
        calendar=calendar.derive(site),
        news=news.derive(site),
        orgs=orgs.derive(site),
    )
