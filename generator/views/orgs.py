"""Organisation views: the branch tree, what each branch, club and venue is linked to."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Site


@dataclass(frozen=True)
class OrgViews:
    pass


def derive(site: Site) -> OrgViews:
    return OrgViews()
