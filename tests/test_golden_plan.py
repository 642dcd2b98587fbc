"""The engine-independent plan of the fixture site, compared file by file with tests/golden/plan/.

Regenerate after an intended change with: python -m pytest tests/test_golden_plan.py --regen-golden
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from buildtools import FIXTURE_SITE, copy_site, yizhan

GOLDEN = Path(__file__).parent / "golden" / "plan"


def test_plan_matches_golden_files(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    site = copy_site(FIXTURE_SITE, tmp_path / "site")
    out = tmp_path / "plan"
    result = yizhan(site, "materialise", str(out))
    assert result.returncode == 0, result.stderr
    produced = {
        p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()
    }
    if request.config.getoption("--regen-golden"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, content in produced.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_bytes(content)
        pytest.skip("golden files regenerated")
    expected = {
        p.relative_to(GOLDEN).as_posix(): p.read_bytes()
        for p in sorted(GOLDEN.rglob("*"))
        if p.is_file()
    }
    assert sorted(produced) == sorted(expected)
    changed = [rel for rel in produced if produced[rel] != expected[rel]]
    assert changed == []
