"""The page chrome's icons come from one sprite file (issue 5: ~1 KB less on every page): it
holds the icons ``theme.icon`` chooses, each page's ``<use>`` finds its symbol, and the browser
tests (tests/browser/test_pages.py) check they are drawn."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import material
import pytest
from buildtools import FIXTURE_SITE, copy_site, yizhan

from generator.lean.icons import DEFAULTS, make_sprite

MATERIAL = str(Path(material.__file__).parent / "templates")
SVG = "{http://www.w3.org/2000/svg}"


def symbols(content: bytes) -> dict[str, ET.Element]:
    root = ET.fromstring(content)
    return {s.get("id", ""): s for s in root.iter(f"{SVG}symbol")}


def test_the_sprite_holds_materials_default_icons_by_role() -> None:
    sprite = make_sprite({}, [MATERIAL])
    found = symbols(sprite.content)
    assert set(found) == set(DEFAULTS)
    for role, name in DEFAULTS.items():
        icon = ET.parse(Path(MATERIAL) / ".icons" / f"{name}.svg").getroot()
        assert found[role].get("viewBox") == icon.get("viewBox") == sprite.view_box[role]
        drawn = [ET.tostring(e) for e in found[role]]
        assert drawn == [ET.tostring(e) for e in icon], role
    assert re.fullmatch(r"assets/images/yz-icons\.[0-9a-f]{8}\.svg", sprite.file)


def test_chosen_and_overridden_icons_are_used_and_change_the_file_name(tmp_path: Path) -> None:
    custom = tmp_path / ".icons" / "material"
    custom.mkdir(parents=True)
    (custom / "menu.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="10">'
        '<rect width="10" height="10"/></svg>',
        encoding="utf-8",
    )
    default = make_sprite({}, [MATERIAL])
    chosen = make_sprite({"logo": "fontawesome/solid/house"}, [str(tmp_path), MATERIAL])
    found = symbols(chosen.content)
    assert chosen.view_box["logo"] == "0 0 512 512"  # Font Awesome's own box, not 24 x 24
    assert chosen.view_box["menu"] == "0 0 10 10"  # the site's override comes first
    assert found["menu"].get("width") is None  # a size on the icon would not scale
    assert [e.tag for e in found["menu"]] == [f"{SVG}rect"]
    assert chosen.file != default.file


def test_a_missing_icon_is_named() -> None:
    with pytest.raises(FileNotFoundError, match="material/no-such-icon"):
        make_sprite({"top": "material/no-such-icon"}, [MATERIAL])


def test_a_build_naming_a_missing_icon_stops_with_the_setting_named(tmp_path: Path) -> None:
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    config = site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("\ntheme:\n", "\ntheme:\n  icon:\n    menu: material/no-such-icon\n", 1),
        encoding="utf-8",
    )
    result = yizhan(site, "build")
    assert result.returncode != 0
    assert "theme.icon" in result.stderr and "material/no-such-icon" in result.stderr
    assert "不存在" in result.stderr


def test_every_icon_of_a_built_page_is_a_symbol_of_the_published_sprite(tmp_path: Path) -> None:
    site = copy_site(FIXTURE_SITE, tmp_path / "s")
    config = site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\ntheme:\n" in text
    config.write_text(
        text.replace("\ntheme:\n", "\ntheme:\n  icon:\n    logo: fontawesome/solid/house\n", 1),
        encoding="utf-8",
    )
    result = yizhan(site, "build", "--strict")
    assert result.returncode == 0, result.stderr
    for page in ("index.html", "events/salon/index.html", "news/index.html", "404.html"):
        html = (site / "site" / page).read_text(encoding="utf-8")
        assert "<path" not in html.split("</header>")[0], f"{page}: inline icon left"
        uses = re.findall(r'<svg viewBox="([^"]+)"><use href="([^"#]+)#(\w+)"></use></svg>', html)
        assert len(uses) >= 6, page
        for view_box, href, role in uses:
            if page == "404.html":  # served at any depth: its links start at the site's path
                assert href.startswith("/")
                sprite = site / "site" / "assets" / "images" / Path(href).name
            else:
                sprite = (site / "site" / page).parent / href
            found = symbols(sprite.read_bytes())
            assert found[role].get("viewBox") == view_box
        assert {v for v, _, r in uses if r == "logo"} == {"0 0 512 512"}, page
