"""Organisation views: the branch tree and what each branch, club and venue is linked to."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .. import urls
from ..model import Milestone, Site


@dataclass(frozen=True)
class BranchNode:
    id: str
    children: tuple[BranchNode, ...] = ()


@dataclass(frozen=True)
class OrgViews:
    tree: tuple[BranchNode, ...] = ()
    """Top-level branches (no parent) with their sub-branches, by name."""
    children: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    clubs_by_branch: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    clubs_by_venue: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    events_by_branch: Mapping[str, frozenset[str]] = field(default_factory=dict)
    events_by_club: Mapping[str, frozenset[str]] = field(default_factory=dict)
    milestones_by_branch: Mapping[str, tuple[Milestone, ...]] = field(default_factory=dict)
    milestones_by_club: Mapping[str, tuple[Milestone, ...]] = field(default_factory=dict)
    milestone_years: tuple[tuple[int, tuple[Milestone, ...]], ...] = ()
    """Milestones grouped by year, newest year first, oldest milestone first within a year."""
    members_total: int | None = None
    """Members of all branches that give theirs; None when none does (not "0 名党员")."""


def derive(site: Site) -> OrgViews:
    children = group(((b.parent, b.id) for b in site.branches.values() if b.parent), site, "branch")
    return OrgViews(
        tree=tuple(
            build_tree(site, root, children)
            for root in by_name(site, [b.id for b in site.branches.values() if b.parent is None])
        ),
        children=children,
        clubs_by_branch=group(
            ((c.branch, c.id) for c in site.clubs.values() if c.branch), site, "club"
        ),
        clubs_by_venue=group(
            ((c.venue, c.id) for c in site.clubs.values() if c.venue), site, "club"
        ),
        events_by_branch=invert((b, e.id) for e in site.events.values() for b in e.branches),
        events_by_club=invert((c, e.id) for e in site.events.values() for c in e.clubs),
        milestones_by_branch=collect((b, m) for m in site.milestones for b in m.branches),
        milestones_by_club=collect((c, m) for m in site.milestones for c in m.clubs),
        milestone_years=years_of(site.milestones),
        members_total=(
            sum(b.members or 0 for b in site.branches.values())
            if any(b.members is not None for b in site.branches.values())
            else None
        ),
    )


def name_order(name: str) -> tuple[tuple[int, int | str], ...]:
    """How a list of names is ordered for a reader: by pinyin, as a Chinese directory is
    (character codes put 丹凤街 after 锁金村), and numbers by value (队6 before 队10)."""
    parts = re.split(r"(\d+)", urls.slugify(name))
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in parts if part)


def by_name(site: Site, ids: list[str], kind: str = "branch") -> list[str]:
    table = site.branches if kind == "branch" else site.clubs
    return sorted(ids, key=lambda i: (name_order(table[i].name), i))


def group(pairs: Iterable[tuple[str, str]], site: Site, kind: str) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for key, value in pairs:
        found.setdefault(key, []).append(value)
    return {k: tuple(by_name(site, v, kind)) for k, v in sorted(found.items())}


def invert(pairs: Iterable[tuple[str, str]]) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for key, value in pairs:
        found.setdefault(key, set()).add(value)
    return {k: frozenset(v) for k, v in found.items()}


def collect(pairs: Iterable[tuple[str, Milestone]]) -> dict[str, tuple[Milestone, ...]]:
    found: dict[str, list[Milestone]] = {}
    for key, value in pairs:
        found.setdefault(key, []).append(value)
    return {k: tuple(v) for k, v in found.items()}


def build_tree(
    site: Site, branch_id: str, children: Mapping[str, tuple[str, ...]], depth: int = 0
) -> BranchNode:
    # Parent loops are rejected by validation; the depth guard only protects against a bug.
    if depth > 50:
        return BranchNode(branch_id)
    return BranchNode(
        branch_id,
        tuple(build_tree(site, c, children, depth + 1) for c in children.get(branch_id, ())),
    )


def years_of(milestones: tuple[Milestone, ...]) -> tuple[tuple[int, tuple[Milestone, ...]], ...]:
    years: dict[int, list[Milestone]] = {}
    for m in milestones:
        years.setdefault(m.date.year, []).append(m)
    return tuple((year, tuple(items)) for year, items in sorted(years.items(), reverse=True))
