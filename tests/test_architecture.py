"""Data flows one way and engine code stays in the adapter: a walk over the imports keeps it so."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "generator"

# module prefix -> where it may be imported (relative paths inside generator/)
ALLOWED = {
    "mkdocs": ("mkdocs_engine/",),
    "material": ("mkdocs_engine/",),
    "yaml": ("load.py",),
    "icalendar": ("outputs/ical.py",),
}
# Stages and what they must not import (nothing reaches back upstream).
UPSTREAM_ONLY = {
    "problems.py": ("model", "load", "validate", "views", "pages", "outputs", "build"),
    "model.py": ("load", "validate", "views", "pages", "outputs", "build"),
    "load.py": ("validate", "views", "pages", "outputs", "build"),
    "validate.py": ("views", "pages", "outputs", "build"),
    # links to places are checked on the validated site, before pages are planned
    "anchors.py": ("pages", "outputs", "build"),
    "checks.py": ("pages", "outputs", "build"),
    "views/": ("pages", "outputs", "build", "load", "validate"),
    "pages/": ("outputs", "build", "load", "validate"),
    "outputs/": ("pages", "build", "load", "validate"),
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            found.add(base)
            found.update(
                f"{base}.{alias.name}" if base.endswith(".") is False else base + alias.name
                for alias in node.names
            )
    return found


def modules() -> list[tuple[str, set[str]]]:
    return [
        (p.relative_to(PACKAGE).as_posix(), imports_of(p)) for p in sorted(PACKAGE.rglob("*.py"))
    ]


def test_third_party_libraries_stay_in_their_module() -> None:
    wrong = []
    for rel, found in modules():
        for name in found:
            top = name.split(".")[0]
            if top in ALLOWED and not rel.startswith(ALLOWED[top]):
                wrong.append((rel, name))
    assert wrong == []


def test_core_never_imports_upstream_or_the_engine() -> None:
    wrong = []
    for rel, found in modules():
        for prefix, banned in UPSTREAM_ONLY.items():
            if not rel.startswith(prefix):
                continue
            for name in found:
                parts = name.lstrip(".").split(".")
                if name.startswith(".") and parts and parts[0] in banned:
                    wrong.append((rel, name))
                if "mkdocs_engine" in parts:
                    wrong.append((rel, name))
    assert wrong == []
