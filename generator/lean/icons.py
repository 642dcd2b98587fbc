"""The page chrome's icons as one cached file, referenced by ``<use>`` (issue 5: page size).

Material draws the header's logo and menu, the search box's icons and the back-to-top button
as inline SVG: eight of them, ~1.6 KB of every page, ~35 MB of a district's 21,000 pages. They
go into one sprite, ``assets/images/yz-icons.<digest>.svg`` (the digest changes with the icons,
so a browser never keeps an old one), and a page draws each with
``<svg viewBox="…"><use href="…/yz-icons.<digest>.svg#menu"></use></svg>`` (~0.1 KB).

Icons are the theme's ``theme.icon.*`` choices, looked up the way Material's templates include
them (``.icons/<name>.svg`` along the theme's folders, the site's overrides first).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# Role -> Material's default icon for it (its partials: logo, header, search, top).
DEFAULTS: Mapping[str, str] = {
    "logo": "material/library",
    "menu": "material/menu",
    "search": "material/magnify",
    "previous": "material/arrow-left",
    "close": "material/close",
    "top": "material/arrow-up",
}
FOLDER = "assets/images"
SVG_RE = re.compile(r"<svg\b([^>]*)>(.*)</svg>\s*\Z", re.S)
ATTRIBUTE_RE = re.compile(r'([A-Za-z_:][-\w:.]*)="([^"]*)"')
# Attributes of an icon's root that do not belong on a <symbol>.
DROPPED = {"xmlns", "width", "height", "id", "class", "style"}
DEFAULT_VIEW_BOX = "0 0 24 24"


@dataclass(frozen=True)
class Sprite:
    file: str
    """Site path of the sprite (``assets/images/yz-icons.<digest>.svg``)."""
    view_box: Mapping[str, str]
    """Role -> the icon's viewBox, which the page's ``<svg>`` needs for its size."""
    content: bytes


def find_icon(name: str, theme_dirs: Sequence[str]) -> Path:
    for folder in theme_dirs:
        path = Path(folder) / ".icons" / f"{name}.svg"
        if path.is_file():
            return path
    raise FileNotFoundError(f"{name}（.icons/{name}.svg 不存在 / not found）")


def symbol(role: str, svg: str) -> tuple[str, str]:
    """A ``<symbol id=role>`` of an icon's SVG text, and the icon's viewBox."""
    found = SVG_RE.search(svg)
    if found is None:
        raise ValueError(f"not an SVG icon: {svg[:60]!r}")
    attributes = dict(ATTRIBUTE_RE.findall(found.group(1)))
    view_box = attributes.get("viewBox", DEFAULT_VIEW_BOX)
    kept = "".join(
        f' {k}="{v}"' for k, v in attributes.items() if k not in DROPPED and k != "viewBox"
    )
    return f'<symbol id="{role}" viewBox="{view_box}"{kept}>{found.group(2)}</symbol>', view_box


def make_sprite(theme_icons: Mapping[str, object], theme_dirs: Sequence[str]) -> Sprite:
    """The sprite of the chrome's icons chosen by ``theme.icon`` (Material's defaults otherwise)."""
    symbols, view_boxes = [], {}
    for role, default in DEFAULTS.items():
        name = str(theme_icons.get(role) or default)
        made, view_boxes[role] = symbol(role, find_icon(name, theme_dirs).read_text("utf-8"))
        symbols.append(made)
    content = f'<svg xmlns="http://www.w3.org/2000/svg">{"".join(symbols)}</svg>\n'.encode()
    digest = hashlib.sha256(content).hexdigest()[:8]
    return Sprite(f"{FOLDER}/yz-icons.{digest}.svg", view_boxes, content)
