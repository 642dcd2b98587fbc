"""Shared pytest fixtures and options. Helpers: only ADD here, never rewrite others' parts."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    # Calendar golden files (tests/golden/ical/): rewrite them from the current output.
    parser.addoption(
        "--regen-golden",
        action="store_true",
        default=False,
        help="rewrite golden files from the current output instead of comparing",
    )
