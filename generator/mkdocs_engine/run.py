"""Programmatic MkDocs build and serve, for the ``yizhan`` command line."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError

from .. import load


class ShortFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        prefix = "" if record.levelno < logging.WARNING else f"{record.levelname}: "
        return f"{prefix}{record.getMessage()}"


def setup_logging(verbose: bool = False) -> None:
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_yizhan", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(ShortFormatter())
        handler._yizhan = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False


def build(config_file: Path, site_dir: Path | None, strict: bool, drafts: bool) -> bool:
    """Build once; True on success. Messages go to the log (problems included)."""
    setup_logging()
    load.read_config_file(config_file)  # a missing or broken one told at its line
    overrides: dict[str, object] = {"strict": strict}
    if site_dir is not None:
        overrides["site_dir"] = str(site_dir.resolve())
    try:
        config = load_config(str(config_file), **overrides)  # type: ignore[arg-type]
        set_drafts(config, drafts)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build.build(config)
        finally:
            config.plugins.on_shutdown()
    except (Abort, ConfigurationError) as error:
        logging.getLogger("mkdocs").error(str(error))
        return False
    return True


def set_drafts(config: object, drafts: bool) -> None:
    plugin = config.plugins.get("yizhan")  # type: ignore[attr-defined]
    if plugin is not None and drafts:
        plugin.config.drafts = True


def serve(config_file: Path, dev_addr: str | None, open_browser: bool) -> bool:
    """``yizhan serve``; False when it could not start (the log says why)."""
    from . import preview  # the live preview's server and file watching: serve only

    setup_logging()
    load.read_config_file(config_file)
    return preview.serve(config_file, dev_addr, open_browser)
