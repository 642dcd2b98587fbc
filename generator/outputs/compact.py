"""Whitespace of rendered pages, compacted (issue 5: a district's output within 500 MB).

Material's templates indent every tag; that is ~17 % of a page of 20 KB, on 20,000 pages. A
run of blank lines and indentation between or around tags becomes one newline: still
whitespace where there was whitespace, so a browser lays the page out exactly as before
(CSS collapses any run to one space). Elements where whitespace shows (``pre``,
``textarea``) and code (``script``, ``style``) are left as they are, and so is the whole
``<article>`` when a page sets ``white-space`` inline (an editor's poem in raw HTML).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

# The first closing tag after the opening one, as "<(pre|…)\b.*?</\1\s*>" with re.S finds it, but
# skipping runs without "<" at once (perf, issue 5: the lazy ".*?" tried every character).
KEPT = re.compile(r"<(pre|textarea|script|style)\b[^<]*(?:<(?!/\1\s*>)[^<]*)*</\1\s*>", re.I)
RUN = re.compile(r"\n[ \t\n]+")
"""A newline and the blanks after it (a lone newline already is what it would become)."""
ARTICLE = re.compile(r"<article\b.*?</article\s*>", re.S | re.I)


def compact_html(html: str) -> str:
    """``html`` with indentation and blank lines outside kept elements reduced to newlines."""
    if "white-space" in html:
        return keep_around(html, ARTICLE.finditer(html), squeeze)
    return squeeze(html)


def squeeze(html: str) -> str:
    kept = list(KEPT.finditer(html))
    if not any(RUN.search(html, m.start(), m.end()) for m in kept):
        # Nothing to keep has a run to squeeze (no run crosses a kept element's edge: it
        # starts with "<" and ends with ">"): one pass over the page (perf, issue 5).
        return RUN.sub("\n", html)
    return keep_around(html, kept, lambda text: RUN.sub("\n", text))


def keep_around(html: str, kept: Iterable[re.Match[str]], change: Callable[[str], str]) -> str:
    """Apply ``change`` to the text between the matches ``kept`` (in order, of ``html``);
    matches stay as they are."""
    parts: list[str] = []
    last = 0
    for match in kept:
        parts.append(change(html[last : match.start()]))
        parts.append(match.group(0))
        last = match.end()
    parts.append(change(html[last:]))
    return "".join(parts)
