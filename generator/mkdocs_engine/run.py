"""Programmatic MkDocs build and serve, for the ``yizhan`` command line."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError

from ..build import content_missing, read_options
from ..problems import format_problems
from .plugin import template_problem


class ShortFormatter(logging.Formatter):
    """A line without the logger's name, MkDocs' and the preview's lines about the build
    said in the site's language (``SAID``)."""

    language = "zh"

    def format(self, record: logging.LogRecord) -> str:
        message = (
            said_in(record.getMessage(), self.language)
            if record.levelno == logging.INFO
            else record.getMessage()
        )
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


STEPS = re.compile(r"^(?:Cleaning site directory|Building documentation to directory: .*)$")
"""MkDocs' own steps, which name the folder a build writes before it replaces the site."""
SAID: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (re.compile(pattern), zh, en)
    for pattern, zh, en in (
        (r"Documentation built in ([\d.]+) seconds$", "网站生成完毕，用时 {0} 秒。",
         "Site built in {0} seconds."),
        (r"Serving on (\S+)$", "预览地址：{0}（按 Ctrl+C 停止）", "Serving on {0} (Ctrl+C stops)"),
        (r"Watching paths for changes: (.*)$", "保存这些文件夹里的文件就会更新预览：{0}",
         "Watching for saves in: {0}"),
        (r"Detected file changes$", "发现保存的文件，正在更新预览", "Saved files found: updating"),
        (r"Reloading browsers$", "浏览器里的页面随即刷新", "Reloading browsers"),
        (r"Shutting down\.\.\.$", "预览已停止。", "Preview stopped."),
        (r"yizhan: (\d+) page\(s\) previewed in ([\d.]+) s$", "已预览 {0} 个页面（{1} 秒）",
         "{0} page(s) previewed in {1} s"),
        (r"yizhan: listings and feeds refreshed in ([\d.]+) s \((\d+) pages and (\d+) files.*\)$",
         "列表和订阅已更新（{0} 秒，{1} 个页面、{2} 个文件）",
         "listings and feeds refreshed in {0} s ({1} pages, {2} files)"),
        (r"yizhan: newer saves came in: .*$", "又有新的保存：带上它们重新生成",
         "newer saves came in: building again with them"),
    )
)  # fmt: skip
"""MkDocs' and the preview's lines about the build, and what the site's language says."""


STAMP = re.compile(r"^(\[\d\d:\d\d:\d\d\] )?")
"""The time MkDocs' live-reload server writes before its lines."""


def said_in(message: str, language: str) -> str:
    """``message`` in ``language`` when ``SAID`` knows it, else as it is."""
    stamp = STAMP.match(message).group(0)  # type: ignore[union-attr]
    for pattern, zh, en in SAID:
        found = pattern.match(message, len(stamp))
        if found:
            return stamp + (en if language.startswith("en") else zh).format(*found.groups())
    return message


def not_a_step(record: logging.LogRecord) -> bool:
    """Leave out MkDocs' steps (``STEPS``)."""
    return record.levelno != logging.INFO or STEPS.match(record.getMessage()) is None


def setup_logging(verbose: bool = False, language: str = "zh") -> None:
    logger = logging.getLogger("mkdocs")
    handler = next((h for h in logger.handlers if getattr(h, "_yizhan", False)), None)
    if handler is None:
        handler = logging.StreamHandler()
        handler.setFormatter(ShortFormatter())
        handler.addFilter(not_a_step)
        handler._yizhan = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    if isinstance(handler.formatter, ShortFormatter):
        handler.formatter.language = language
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False


def build(config_file: Path, site_dir: Path | None, strict: bool, drafts: bool) -> bool:
    """Build once; True on success. Messages go to the log (problems included)."""
    setup_logging()
    # a missing or broken mkdocs.yml is told at its line (ContentError)
    options = read_options(config_file)
    language = options.language
    setup_logging(language=language)
    missing = content_missing(options)
    if missing:  # told before MkDocs stops on it in English
        logging.getLogger("mkdocs").error(format_problems(missing, language))
        logging.getLogger("mkdocs").error(abort_text("Aborted with a BuildError!", language))
        return False
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
    except Exception as error:
        told = template_problem(error, config_file.resolve().parent)
        if told is None:
            raise
        # a slip in the site's theme overrides, told at its line
        logging.getLogger("mkdocs").error(told.format(language))
        logging.getLogger("mkdocs").error(abort_text("Aborted with a BuildError!", language))
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
    setup_logging(language=read_options(config_file).language)  # told at its line if broken
    return preview.serve(config_file, dev_addr, open_browser)
