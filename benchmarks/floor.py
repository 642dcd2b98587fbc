"""The issue's "Python floor": plain Markdown pages through python-markdown and a trivial
Jinja template, in N processes, with nothing else (no theme, feeds, search or checks).

    python benchmarks/floor.py <hugo-site>/content/posts <output folder> [processes]

``run.py`` times it on the same pages it gives Hugo, so the report shows how far yizhan is
from what any Python generator needs just to read, convert and write its pages.
"""

from __future__ import annotations

import sys
from multiprocessing import get_context
from pathlib import Path

import jinja2
import markdown
import yaml

PAGE = jinja2.Environment(autoescape=True).from_string(
    '<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{{ title }}</title>'
    "</head><body><article><h1>{{ title }}</h1>{{ body | safe }}</article></body></html>"
)


def render(job: tuple[list[str], str]) -> int:
    files, out = job
    md = markdown.Markdown()
    for name in files:
        text = Path(name).read_text(encoding="utf-8")
        _, head, body = text.split("---\n", 2)
        meta = yaml.load(head, Loader=yaml.CSafeLoader) or {}
        md.reset()
        folder = Path(out) / Path(name).stem
        folder.mkdir(parents=True, exist_ok=True)
        html = PAGE.render(title=meta.get("title", ""), body=md.convert(body))
        (folder / "index.html").write_text(html, encoding="utf-8")
    return len(files)


def main() -> None:
    source, out = Path(sys.argv[1]), sys.argv[2]
    processes = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    files = sorted(str(p) for p in source.glob("*.md"))
    chunks = processes * 8
    jobs = [(files[i::chunks], out) for i in range(chunks)]
    with get_context("fork").Pool(processes) as pool:
        pages = sum(pool.map(render, jobs))
    print(f"{pages} pages")


if __name__ == "__main__":
    main()
