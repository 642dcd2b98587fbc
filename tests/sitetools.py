"""Helpers for tests that write small content trees and load them with the real core."""

from __future__ import annotations

import textwrap
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from generator import load, validate
from generator.model import Site, SiteConfig
from generator.problems import Problem

TODAY = date(2026, 11, 22)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``{relative path: text}``; text is dedented, bytes are written as they are."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def config(**overrides: object) -> SiteConfig:
    values: dict[str, object] = {
        "site_name": "测试驿站",
        "site_url": "https://example.org/repo/",
        "today": TODAY,
        "build_time": datetime(2026, 11, 22, 2, 0, tzinfo=ZoneInfo("UTC")),
    }
    values.update(overrides)
    return SiteConfig(**values)  # type: ignore[arg-type]


def load_tree(root: Path, **overrides: object) -> tuple[Site, list[Problem]]:
    loaded = load.load_content(root, "content")
    site, problems = validate.validate(loaded.documents, config(**overrides))
    return site, [*loaded.problems, *problems]


def site_from(
    tmp_path: Path, files: dict[str, str | bytes], **overrides: object
) -> tuple[Site, list[Problem]]:
    return load_tree(write_tree(tmp_path, files), **overrides)
