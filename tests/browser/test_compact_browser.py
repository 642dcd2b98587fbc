"""Compacted whitespace lays out exactly as Material's indented markup (issue 5).

Built pages are compacted; each is given back blank lines and deep indentation wherever the
compaction could have removed some, and Chromium must draw both the same: the same text and
every element in the same box, at a phone's width and a desktop's."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import BuiltSite

from generator.outputs.compact import KEPT, compact_html, keep_around

PAGES = ("index.html", "events/index.html", "news/index.html", "subscribe/index.html")

LAYOUT_JS = """() => {
  const boxes = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    boxes.push([el.tagName, Math.round(r.x), Math.round(r.y), Math.round(r.width),
                Math.round(r.height)].join(','));
  }
  return {text: document.body.innerText, boxes};
}"""


def indent(html: str) -> str:
    """The page with every newline outside kept elements grown into blank lines and indents."""
    return keep_around(
        html, KEPT.finditer(html), lambda text: text.replace("\n", "\n      \n\t    ")
    )


def layout(browser: Any, html: str, width: int, base: str) -> dict[str, Any]:
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.set_content(html.replace("<head>", f'<head><base href="{base}">', 1))
        page.wait_for_load_state("load")
        return dict(page.evaluate(LAYOUT_JS))
    finally:
        page.close()


@pytest.mark.parametrize("name", PAGES)
def test_compacted_page_lays_out_like_the_indented_one(
    built_site: BuiltSite, browser: Any, name: str
) -> None:
    built = (built_site.dir / name).read_text(encoding="utf-8")
    assert "\n    <" not in built, "pages are built compacted"
    indented = indent(built)
    assert compact_html(indented) == built
    base = built_site.base_url + name.removesuffix("index.html")
    for width in (360, 1280):
        assert layout(browser, built, width, base) == layout(browser, indented, width, base)
