"""Programmatic MkDocs build and serve, for the ``yizhan`` command line."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError

from .. import load
from ..build import read_options


class ShortFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        # A build's list of problems says each one's severity ([错误 …] / [警告 …]): "ERROR:"
        # before the first read as if a warning there were an error.
        listed = record.levelno >= logging.ERROR and PROBLEM_LINE.match(message.split("\n")[0])
        prefix = "" if record.levelno < logging.WARNING or listed else f"{record.levelname}: "
        return f"{prefix}{message}"


PROBLEM_LINE = re.compile(r"^\S.*:\d+: .*\[(?:错误|警告|error|warning) [a-z0-9.-]+\]$")
"""A line of ``problems.format_problems``: ``path:line: field: message [错误 code]``."""

ABORTED = {
    "zh": "网站没有生成，上次生成的网站保持原样。",
    "en": "The site was not built; the last one built is left as it was.",
}
STRICT_ABORT = re.compile(r"^Aborted with (\d+) (?:warnings?|errors?)")
STRICT = {
    "zh": "有 {n} 个警告，--strict 把警告当作错误：网站没有生成，上次生成的网站保持原样。",
    "en": "{n} warning(s), which --strict counts as errors: the site was not built; the last "
    "one built is left as it was.",
}


def abort_text(message: str, language: str) -> str:
    """MkDocs' English end of a failed build, in the site's language (MkDocs' own other
    errors as they are)."""
    key = "en" if language.startswith("en") else "zh"
    if message == "Aborted with a BuildError!":
        return ABORTED[key]
    found = STRICT_ABORT.match(message)
    if found and "strict mode" in message:
        return STRICT[key].format(n=found.group(1))
    return message


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
    # a missing or broken mkdocs.yml is told at its line (ContentError)
    language = read_options(config_file).language
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
        logging.getLogger("mkdocs").error(abort_text(str(error), language))
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
