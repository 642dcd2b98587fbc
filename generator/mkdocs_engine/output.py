"""Writing outputs into the site folder, and swapping a finished build in place of the old one."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from ..plan import FileSpec, check_output_path


def write_files(site_dir: Path, files: Iterable[FileSpec]) -> None:
    root = site_dir.resolve()
    for spec in files:
        target = (root / check_output_path(spec.path)).resolve()
        if not target.is_relative_to(root):
            raise ValueError(f"output path escapes the site folder: {spec.path!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(spec.content)


def swap_in(built: Path, final: Path) -> None:
    """Replace ``final`` with ``built`` by renames, so readers never see a half-written site."""
    if final.is_symlink() or final.is_file():
        raise ValueError(f"site_dir is not a folder: {final}")
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        os.replace(final, old)
    try:
        os.replace(built, final)
    except OSError:
        if old.exists():
            os.replace(old, final)
        raise
    shutil.rmtree(old, ignore_errors=True)
