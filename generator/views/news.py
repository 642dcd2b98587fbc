"""News views: articles newest first, in pages of N, by tag, by branch and by club."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from .. import urls
from ..model import NewsItem, Site


@dataclass(frozen=True)
class NewsPage:
    """One page of the news index."""

    number: int
    """1-based."""
    count: int
    """How many pages there are (at least 1, so an empty site still has ``/news/``)."""
    items: tuple[NewsItem, ...]

    @property
    def path(self) -> str:
        return urls.news_index(self.number)

    @property
    def previous_path(self) -> str | None:
        """Newer articles."""
        return urls.news_index(self.number - 1) if self.number > 1 else None

    @property
    def next_path(self) -> str | None:
        """Older articles."""
        return urls.news_index(self.number + 1) if self.number < self.count else None


@dataclass(frozen=True)
class Tag:
    slug: str
    name: str
    """How the tag reads; when several spellings share a slug, the alphabetically first."""
    items: tuple[NewsItem, ...]

    @property
    def path(self) -> str:
        return urls.news_tag(self.name)


@dataclass(frozen=True)
class NewsViews:
    items: tuple[NewsItem, ...] = ()
    """Every published article, newest first."""
    pages: tuple[NewsPage, ...] = ()
    tags: tuple[Tag, ...] = ()
    """Sorted by slug (pinyin for Chinese tags)."""
    by_branch: Mapping[str, tuple[NewsItem, ...]] = field(default_factory=dict)
    """Branch id -> articles naming it, newest first (branches without news are absent)."""
    by_club: Mapping[str, tuple[NewsItem, ...]] = field(default_factory=dict)
    tag_of: Mapping[str, Tag] = field(default_factory=dict)
    """Tag as written -> its Tag, so an article page can link each of its tags."""

    def for_branch(self, branch_id: str) -> tuple[NewsItem, ...]:
        return self.by_branch.get(branch_id, ())

    def for_club(self, club_id: str) -> tuple[NewsItem, ...]:
        return self.by_club.get(club_id, ())


def newest_first(items: tuple[NewsItem, ...]) -> tuple[NewsItem, ...]:
    """Newest first; equal times fall back to the id so the order never depends on the disk."""
    by_id = sorted(items, key=lambda item: item.id)
    return tuple(sorted(by_id, key=lambda item: item.date, reverse=True))


def chunked(items: tuple[NewsItem, ...], per_page: int) -> list[tuple[NewsItem, ...]]:
    """``items`` in pages of ``per_page`` (at least one a page); no items, no pages."""
    per_page = max(1, per_page)
    return [items[i : i + per_page] for i in range(0, len(items), per_page)]


def paginate(items: tuple[NewsItem, ...], per_page: int) -> tuple[NewsPage, ...]:
    chunks = chunked(items, per_page) or [()]
    return tuple(NewsPage(n, len(chunks), chunk) for n, chunk in enumerate(chunks, start=1))


def group_tags(items: tuple[NewsItem, ...]) -> tuple[Tag, ...]:
    spellings: dict[str, set[str]] = defaultdict(set)
    members: dict[str, list[NewsItem]] = defaultdict(list)
    for item in items:
        seen: set[str] = set()
        for name in item.tags:
            slug = urls.slugify(name)
            spellings[slug].add(name)
            if slug not in seen:
                seen.add(slug)
                members[slug].append(item)
    return tuple(Tag(slug, min(spellings[slug]), tuple(members[slug])) for slug in sorted(members))


def group_by(items: tuple[NewsItem, ...], kind: str) -> dict[str, tuple[NewsItem, ...]]:
    groups: dict[str, list[NewsItem]] = defaultdict(list)
    for item in items:
        for ref in item.branches if kind == "branch" else item.clubs:
            groups[ref].append(item)
    return {key: tuple(value) for key, value in sorted(groups.items())}


def derive(site: Site) -> NewsViews:
    items = newest_first(site.news)
    tags = group_tags(items)
    tag_of = {
        name: tag
        for tag in tags
        for item in tag.items
        for name in item.tags
        if urls.slugify(name) == tag.slug
    }
    return NewsViews(
        items=items,
        pages=paginate(items, site.config.news_per_page),
        tags=tags,
        by_branch=group_by(items, "branch"),
        by_club=group_by(items, "club"),
        tag_of=dict(sorted(tag_of.items())),
    )
