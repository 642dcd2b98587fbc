"""``yizhan build | serve | check | new | materialise``."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

from . import build as core
from . import heap, load, memo, scaffold
from .plan import Plan, check_output_path
from .problems import ContentError, format_problems


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    asks_help = not argv or any(a in ("-h", "--help") for a in argv)
    # reading mkdocs.yml only to show help: a command reads it anyway, in its own way
    parser = make_parser(help_language(argv) if asks_help else "zh")
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    try:
        return int(args.run(args))
    except ContentError as error:  # mkdocs.yml missing or not YAML (``load.read_config_file``)
        print(format_problems(error.problems, error.language), file=sys.stderr)
        return 1


def entry() -> None:
    """The ``yizhan`` command: ``main``, then exit without tearing the heap down (perf,
    issue 5: freeing a district's millions of objects one by one takes ~2 s after the build
    is done; every file is written and closed, every child process waited for by then).
    Ctrl-C ends it with status 130 and a line, not a traceback (a build's staging folder is
    removed by the next build; the previous site is untouched)."""
    try:
        code = main()
    except KeyboardInterrupt:
        sys.stderr.write("yizhan: 已中断 / interrupted\n")
        code = 130
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


HELP = {
    "zh": {
        "description": "党群服务中心静态网站生成器",
        "config": "mkdocs.yml 的路径",
        "build": "生成网站",
        "site_dir": "输出目录（默认 mkdocs.yml 的 site_dir）",
        "strict": "警告也视为错误",
        "drafts": "包含草稿",
        "serve": "本地预览（包含草稿，保存即刷新）",
        "dev_addr": "地址:端口，默认 127.0.0.1:8000",
        "open": "打开浏览器",
        "check": "检查全部内容，列出所有问题",
        "check_strict": "（默认即如此）警告也会导致失败",
        "check_drafts": "同时检查草稿的发布状态",
        "new": "新建一篇内容",
        "kind": "内容种类",
        "title": "标题（文件名由它生成）",
        "materialise": "把网站计划（页面与订阅源）写到目录，供其他引擎使用",
        "directory": "写到哪个目录",
        "help": "显示本帮助并退出",
    },
    "en": {
        "description": "Static site generator for party-and-public service centres",
        "config": "path of mkdocs.yml",
        "build": "build the site",
        "site_dir": "output folder (default: site_dir of mkdocs.yml)",
        "strict": "treat warnings as errors",
        "drafts": "include drafts",
        "serve": "preview locally (drafts included, refreshed on save)",
        "dev_addr": "address:port, default 127.0.0.1:8000",
        "open": "open a browser",
        "check": "check all content and list every problem",
        "check_strict": "(the default) warnings fail too",
        "check_drafts": "also check drafts as if published",
        "new": "write a new content file",
        "kind": "kind of content",
        "title": "title (the file name is made from it)",
        "materialise": "write the site's plan (pages and feeds) to a folder, for other engines",
        "directory": "folder to write to",
        "help": "show this help message and exit",
    },
}
"""The command line's help, in the site's language."""


def help_language(argv: list[str]) -> str:
    """The language of the site the command runs on (its mkdocs.yml's; Chinese without one),
    so an English site's editors read the help in English."""
    config = Path("mkdocs.yml")
    for i, arg in enumerate(argv):
        if arg in ("-f", "--config-file") and i + 1 < len(argv):
            config = Path(argv[i + 1])
        elif arg.startswith("--config-file="):
            config = Path(arg.split("=", 1)[1])
    try:
        return core.read_options(config).language
    except (ContentError, OSError, ValueError):
        return "zh"


def add_help(parser: argparse.ArgumentParser, say: dict[str, str]) -> argparse.ArgumentParser:
    """``-h``/``--help`` described in the site's language (argparse's own is English)."""
    parser.add_argument("-h", "--help", action="help", help=say["help"])
    return parser


def command(sub: Any, name: str, say: dict[str, str]) -> argparse.ArgumentParser:
    """The parser of one command, described in the site's language."""
    return add_help(
        sub.add_parser(name, help=say[name], description=say[name], add_help=False), say
    )


def make_parser(language: str = "zh") -> argparse.ArgumentParser:
    say = HELP["en" if language.startswith("en") else "zh"]
    parser = argparse.ArgumentParser(prog="yizhan", description=say["description"], add_help=False)
    add_help(parser, say)
    parser.add_argument(
        "-f", "--config-file", type=Path, default=Path("mkdocs.yml"), help=say["config"]
    )
    sub = parser.add_subparsers(metavar="COMMAND")

    p = command(sub, "build", say)
    p.add_argument("-d", "--site-dir", type=Path, help=say["site_dir"])
    p.add_argument("--strict", action="store_true", help=say["strict"])
    p.add_argument("--drafts", action="store_true", help=say["drafts"])
    p.set_defaults(run=run_build)

    p = command(sub, "serve", say)
    p.add_argument("-a", "--dev-addr", help=say["dev_addr"])
    p.add_argument("-o", "--open", action="store_true", help=say["open"])
    p.set_defaults(run=run_serve)

    p = command(sub, "check", say)
    p.add_argument("--strict", action="store_true", help=say["check_strict"])
    p.add_argument("--drafts", action="store_true", help=say["check_drafts"])
    p.set_defaults(run=run_check)

    p = command(sub, "new", say)
    p.add_argument("kind", choices=sorted(scaffold.KINDS), help=say["kind"])
    p.add_argument("title", help=say["title"])
    p.set_defaults(run=run_new)

    p = command(sub, "materialise", say)
    p.add_argument("directory", type=Path, help=say["directory"])
    p.add_argument("--drafts", action="store_true", help=say["drafts"])
    p.set_defaults(run=run_materialise)
    return parser


def run_build(args: argparse.Namespace) -> int:
    from .mkdocs_engine import run

    # perf (issue 5): a one-shot process (the plugin freezes what its core made); its render
    # workers collect their own garbage (lean.pool)
    with heap.collector_paused():
        return 0 if run.build(args.config_file, args.site_dir, args.strict, args.drafts) else 1


def run_serve(args: argparse.Namespace) -> int:
    from .mkdocs_engine import run

    return 0 if run.serve(args.config_file, args.dev_addr, args.open) else 1


def run_check(args: argparse.Namespace) -> int:
    """Validate everything; exit 0 only when there is no problem at all, warnings included."""
    options = core.read_options(args.config_file, drafts=args.drafts)
    # perf (issue 5): the results a build keeps (composed front matter, validated documents,
    # VEVENTs, QR codes) serve the check too: a district's went from ~20 s to ~10 s.
    memo.use(core.memo_folder(options))
    try:
        with heap.collector_paused():
            checked = core.load_site(options)
            plan = core.plan_site(checked.site)
        reserved = core.reserved_by_content(plan, checked.files, options.content_dir)
        if reserved:
            raise ContentError(reserved, options.language)
    except ContentError as error:
        print(format_problems(error.problems, options.language), file=sys.stderr)
        print(summary(error.problems, options.language), file=sys.stderr)
        return 1
    if checked.warnings:
        print(format_problems(checked.warnings, options.language), file=sys.stderr)
        print(summary(checked.warnings, options.language), file=sys.stderr)
        return 1
    memo.flush()  # only after a whole run: what it did not reach would be dropped
    print("内容检查通过，没有发现问题。" if options.language == "zh" else "Content is clean.")
    return 0


def summary(problems: tuple, language: str) -> str:
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    if language.startswith("en"):
        return f"{errors} error(s), {warnings} warning(s)"
    return f"共 {errors} 个错误，{warnings} 个警告"


def run_new(args: argparse.Namespace) -> int:
    options = core.read_options(args.config_file)
    config = core.site_config(options)
    try:
        path = scaffold.write_new(
            options.root / options.content_dir, args.kind, args.title, config.today,
            options.language,
        )  # fmt: skip
    except FileExistsError as error:
        said = (
            "file exists: {0}: edit it, or give the new one another title"
            if options.language.startswith("en")
            else "文件已存在：{0}：请直接编辑它，或者给新的换个标题"
        )
        print(said.format(error), file=sys.stderr)
        return 1
    print(path.relative_to(options.root).as_posix())
    return 0


def run_materialise(args: argparse.Namespace) -> int:
    """Write the engine-independent plan: each page as Markdown with JSON front matter."""
    options = core.read_options(args.config_file, drafts=args.drafts)
    try:
        plan = core.plan_site(core.load_site(options).site)
    except ContentError as error:
        print(format_problems(error.problems, options.language), file=sys.stderr)
        return 1
    out = args.directory
    for page in plan.pages:
        meta = {"template": page.template, "title": page.title, "description": page.description,
                "source": page.source, "yz": page.data}  # fmt: skip
        text = (
            "---\n"
            + json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True)
            + "\n---\n"
            + page.markdown
        )
        write(out, page.src_uri, text.encode("utf-8"))
    for file in plan.files:
        write(out, file.path, file.content)
    copied = copy_free_files(options.root / options.content_dir, out, plan)
    print(f"{len(plan.pages)} pages, {len(plan.files)} files, {copied} content files -> {out}")
    return 0


def copy_free_files(content: Path, out: Path, plan: Plan) -> int:
    """The content folder's own pages and files (``about.md``, ``images/…``), which another
    engine publishes as they are, as MkDocs does: the plan's pages link to them. Activities,
    articles and the other entities are in the plan as pages; what the plan writes wins."""
    written = {page.src_uri for page in plan.pages} | {file.path for file in plan.files}
    copied = 0
    for path, parts in load.walk(content):
        rel = "/".join(parts)
        if load.content_file(".", parts)[1] != "skip" or rel in written:
            continue
        write(out, rel, path.read_bytes())
        copied += 1
    return copied


def write(root: Path, rel: str, content: bytes) -> None:
    target = root / check_output_path(rel)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)


if __name__ == "__main__":
    entry()
