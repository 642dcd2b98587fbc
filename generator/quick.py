"""The live preview's quick path (issue 5): the page of one edited or new activity or article,
made from the last full build's validated site without validating or planning the whole site
again.

``yizhan serve`` shows this page first, then rebuilds everything (``build.plan_site``) and
replaces it; the full run is what reports problems and updates listings and feeds. Only what
is certain to be right on its own is made here: an edit that could change other pages' view of
this one is left to the full run (``None``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from . import load, urls, validate
from .build import rebase_page
from .history import Repository
from .model import Event, NewsItem, Site
from .pages import events, news
from .plan import PageSpec
from .views import Views, calendar
from .views import news as news_views


@dataclass(frozen=True)
class Previous:
    """What the last full build knew: its site and views, and where entity files are published."""

    root: Path
    site: Site
    views: Views
    moved: Mapping[str, str]
    pages: Mapping[str, PageSpec] = field(default_factory=dict)
    """Its pages by source file name (``PageSpec.src_uri``)."""
    repository: Repository | None = None

    @cached_property
    def news_by_id(self) -> dict[str, NewsItem]:
        """Its articles by id (activities are by id already: ``site.events``)."""
        return {item.id: item for item in self.site.news}


def quick_pages(previous: Previous, changed: Iterable[str]) -> list[PageSpec] | None:
    """Pages of the changed files (site-relative paths), or None when any of them needs a full
    run: not an activity or article, deleted, in error, renamed, changing its neighbours, with
    a new tag, or new at an address in use (see ``new_activity``, ``new_article``)."""
    specs: list[PageSpec] = []
    for rel in sorted(set(changed)):
        spec = quick_page(previous, rel)
        if spec is None:
            return None
        specs.append(spec)
    return specs


def reloaded(previous: Previous, rel: str) -> Event | NewsItem | None:
    """The saved activity or article at ``rel`` (site-relative), checked against the last
    build's site; None when it is another kind of file, gone, in error or hidden (see
    ``validate.revalidate``)."""
    site = previous.site
    prefix = site.config.content_dir.strip("/") + "/"  # may be nested (docs/content)
    parts = rel.removeprefix(prefix).split("/")
    if not rel.startswith(prefix) or len(parts) < 2 or not rel.endswith(".md"):
        return None
    kind = load.KIND_DIRS.get(parts[0])
    path = previous.root / rel
    if kind not in ("event", "news") or not path.is_file():
        return None
    doc, problems = load.load_markdown(path, rel, kind)
    if doc is None or any(p.severity == "error" for p in problems):
        return None
    return validate.revalidate(doc, site)[0]


def quick_page(previous: Previous, rel: str) -> PageSpec | None:
    site = previous.site
    entity = reloaded(previous, rel)
    if isinstance(entity, Event):
        spec = event_page(previous, entity)
    elif isinstance(entity, NewsItem):
        spec = article_page(previous, entity)
    else:
        return None
    if spec is None:
        return None
    return rebase_page(spec, site.config.content_dir, previous.moved)


def event_page(previous: Previous, event: Event) -> PageSpec | None:
    site, views = previous.site, previous.views
    if not (same_activity(previous, event) or new_activity(previous, event)):
        return None
    edited = replace(site, events={**site.events, event.id: event})
    # The page reads only this activity's own occurrences: expand it alone.
    own = calendar.derive(replace(edited, events={event.id: event}))
    return events.event_page(edited, replace(views, calendar=own), event)


def same_activity(previous: Previous, event: Event) -> bool:
    """Whether ``event`` is an activity of the last build, from the same file, at the same
    address (a renamed page changes links and redirects elsewhere too)."""
    old = previous.site.events.get(event.id)
    return old is not None and (old.source.path, old.slug) == (event.source.path, event.slug)


def new_activity(previous: Previous, event: Event) -> bool:
    """Whether ``event`` is a new activity whose page and calendar land where the last build
    made nothing: no page there, and not a former address of another activity (its redirect
    would give way to the new page, and the other's history would change)."""
    if event.id in previous.site.events:
        return False  # another file's id: the full run reports the duplicate
    if f"{urls.event(event.slug)}index.md" in previous.pages:
        return False
    return all(event.slug not in h.former_slugs for h in previous.site.history.values())


def same_article(previous: Previous, item: NewsItem) -> bool:
    """Whether ``item`` is an article of the last build, from the same file, at the same
    address."""
    old = previous.news_by_id.get(item.id)
    return old is not None and (old.source.path, old.slug) == (item.source.path, item.slug)


def new_article(previous: Previous, item: NewsItem) -> bool:
    """Whether ``item`` is a new article whose page lands where the last build made none."""
    if item.id in previous.news_by_id:
        return False  # another file's id: the full run reports the duplicate
    return f"{urls.news(item.slug)}index.md" not in previous.pages


def article_page(previous: Previous, item: NewsItem) -> PageSpec | None:
    site, views = previous.site, previous.views
    if any(tag not in views.news.tag_of for tag in item.tags):
        return None  # a new tag: its page and link come with the full run
    if new_article(previous, item):
        articles = (*site.news, item)
    elif same_article(previous, item):
        old = previous.news_by_id[item.id]
        if (old.date, old.title) != (item.date, item.title):
            return None  # its neighbours' "newer / older" links show its title and order
        articles = tuple(n if n.id != item.id else item for n in site.news)
    else:
        return None
    items = news_views.newest_first(articles)
    index = items.index(item)
    edited = replace(site, news=articles)
    newer = items[index - 1] if index > 0 else None
    older = items[index + 1] if index + 1 < len(items) else None
    return news.article_page(edited, views, item, newer, older)
