"""The branch tree on a phone: a chain of branches six levels deep still leaves each name the
width of a line, not a character a line (Chromium at 360 px)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent.parent))
from buildtools import FIXTURE_SITE, copy_site, serving, yizhan
from sitetools import write_tree


def test_a_deep_branch_tree_keeps_its_names_readable_at_360_px(
    tmp_path: Path, browser: Any
) -> None:
    site = copy_site(FIXTURE_SITE, tmp_path / "site")
    chain = {
        f"content/branches/level{n}.md": (
            f"---\nname: 第{n}层支部联合党支部\nkind: 党支部\n"
            f"parent: {'caizhi' if n == 1 else f'level{n - 1}'}\n---\n"
        )
        for n in range(1, 6)
    }
    write_tree(site, chain)
    result = yizhan(site, "build", "-d", str(tmp_path / "out" / "repo"))
    assert result.returncode == 0, result.stderr
    page = browser.new_page(viewport={"width": 360, "height": 800})
    try:
        with serving(tmp_path / "out") as root:
            page.goto(f"{root}repo/branches/")
            deepest = page.locator(".yz-tree a", has_text="第5层支部联合党支部").first
            box = deepest.bounding_box()
        assert box is not None
        assert box["height"] < 30, box  # the name on one line, not a character a line
        assert box["x"] < 140 and box["x"] + box["width"] <= 360, box
    finally:
        page.close()
