"""One command for yizhan's district-scale benchmark.

1. writes the synthetic district (``make_site.py``) or reuses it;
2. times ``yizhan build`` over several runs: median wall and CPU seconds (children included),
   peak memory, pages per second, output size, the largest HTML page, and what a visitor
   downloads to search (measured in Chromium when available, else from the files);
3. times Hugo on the same number of plain Markdown pages right after each yizhan run, when
   ``hugo`` exists, so each ratio compares runs made under the same conditions (this sandbox
   gets slower under sustained load: both tools' CPU seconds grow over a series of runs);
4. times the edit preview: ``yizhan serve``, save one activity, poll its page until it changes;
5. writes ``benchmarks/results/<stamp>.md`` and ``.json`` and prints the table.

    python benchmarks/run.py                 # the full district: 15,000 activities, 5,000 news
    python benchmarks/run.py --scale 0.1     # a tenth, for a quick try
    python benchmarks/run.py --reuse --runs 5 --skip serve
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import make_site  # noqa: E402

SITE_URL = "https://example.github.io/district/"
BASE = "/district/"


# --- measuring one command ------------------------------------------------------------------

MEASURE = r"""
import json, resource, subprocess, sys, threading, time, os

def tree_rss(root):
    # Sum of resident memory of the process tree (workers included), from /proc.
    children = {}
    for pid in os.listdir('/proc'):
        if not pid.isdigit():
            continue
        try:
            with open(f'/proc/{pid}/stat') as f:
                parts = f.read().rsplit(')', 1)[1].split()
            children.setdefault(int(parts[1]), []).append(int(pid))
        except OSError:
            pass
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        # Resident set (statm, cheap to read; smaps' PSS slowed the build it measured). Pages a
        # forked worker shares with its parent count once per process: an upper bound.
        # With YZ_BENCH_PSS=1 (an untimed run): the proportional set, shared pages split
        # between the processes sharing them, so the sum is what the tree really holds.
        try:
            if PSS:
                with open(f'/proc/{pid}/smaps_rollup') as f:
                    total += next(int(l.split()[1]) * 1024 for l in f if l.startswith('Pss:'))
            else:
                with open(f'/proc/{pid}/statm') as f:
                    total += int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')
        except (OSError, StopIteration):
            pass
    return total

PSS = os.environ.get('YZ_BENCH_PSS') == '1'

peak = [0]
t0 = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
def sample():
    while proc.poll() is None:
        peak[0] = max(peak[0], tree_rss(proc.pid))
        time.sleep(0.5)
threading.Thread(target=sample, daemon=True).start()
_, err = proc.communicate()
wall = time.perf_counter() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": proc.returncode, "wall": wall, "cpu": ru.ru_utime + ru.ru_stime,
                  "maxrss": ru.ru_maxrss * 1024, "tree_rss": peak[0],
                  "stderr": err.decode("utf-8", "replace")[-3000:]}))
"""


@dataclass
class Run:
    wall: float
    cpu: float
    maxrss: int
    """ru_maxrss of the children: the largest single process, bytes."""
    tree_rss: int
    """Peak of the summed resident memory of the process tree (sampled every 0.5 s), bytes: an
    upper bound, as pages forked workers share with their parent count in each."""


TRASH: Path | None = None
"""Where ``discard`` moves what a run replaces (deleted only when the benchmark ends)."""


def discard(path: Path) -> None:
    """Move ``path`` out of the way (a rename) instead of deleting it. On this sandbox's disk
    (ext4 mounted with ``discard``) creating 20,000 folders right after deleting as many costs
    several times the system time it costs on a settled disk, and more with every run: Hugo
    went 5 -> 16 s over five runs, its user time unchanged. Nothing is deleted while runs are
    measured, so each run sees the disk a quiet machine would."""
    if not path.exists():
        return
    assert TRASH is not None
    TRASH.mkdir(parents=True, exist_ok=True)
    path.rename(TRASH / f"{len(list(TRASH.iterdir()))}-{path.name}")


def empty_trash(work: Path, settle: float) -> None:
    """Delete what earlier runs discarded, then let the disk settle for ``settle`` seconds."""
    global TRASH
    TRASH = work / "trash"
    if TRASH.exists():
        print(f"  deleting {TRASH} …", flush=True)
        shutil.rmtree(TRASH, ignore_errors=True)
    os.sync()
    if settle:
        print(f"  letting the disk settle for {settle:g} s …", flush=True)
        time.sleep(settle)


def measure(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run ``command`` under a small wrapper so the rusage is this command's alone.

    The disk is synced first (untimed): a yizhan build leaves ~500 MB for the kernel to write
    back, which the run after it would otherwise pay for."""
    os.sync()
    wrapper = subprocess.run(
        [sys.executable, "-c", MEASURE, *command],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=True,
    )
    result = json.loads(wrapper.stdout.strip().splitlines()[-1])
    if result["rc"] != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result['stderr']}")
    return Run(result["wall"], result["cpu"], result["maxrss"], result["tree_rss"])


@dataclass
class Output:
    pages: int
    files: int
    bytes: int
    largest_page: str
    largest_page_bytes: int


def inspect_output(site_dir: Path) -> Output:
    pages = files = total = 0
    largest, largest_size = "", 0
    for path in site_dir.rglob("*"):
        if not path.is_file():
            continue
        size = path.stat().st_size
        files += 1
        total += size
        if path.suffix == ".html":
            pages += 1
            if size > largest_size:
                largest, largest_size = path.relative_to(site_dir).as_posix(), size
    return Output(pages, files, total, largest, largest_size)


@dataclass
class Timing:
    tool: str
    runs: list[Run]
    output: Output
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def maxrss(self) -> int:
        return max(r.maxrss for r in self.runs)

    @property
    def tree_rss(self) -> int:
        return max(r.tree_rss for r in self.runs)

    def summary(self) -> dict[str, object]:
        return {
            "tool": self.tool,
            "median_wall_s": round(self.wall, 2),
            "median_cpu_s": round(self.cpu, 2),
            "walls_s": [round(r.wall, 2) for r in self.runs],
            "peak_rss_largest_process_mb": round(self.maxrss / 2**20),
            "peak_rss_process_tree_mb": round(self.tree_rss / 2**20),
            "pages": self.output.pages,
            "pages_per_s": round(self.output.pages / self.wall),
            "output_mb": round(self.output.bytes / 10**6, 1),
            "output_mib": round(self.output.bytes / 2**20, 1),
            "files": self.output.files,
            "largest_page": self.output.largest_page,
            "largest_page_kb": round(self.output.largest_page_bytes / 1024, 1),
            **self.extra,
        }


# --- yizhan -----------------------------------------------------------------------------------


def yizhan_command() -> list[str]:
    found = shutil.which("yizhan")
    return [found] if found else [sys.executable, "-m", "generator.cli"]


def time_yizhan(
    site: Path,
    out: Path,
    runs: int,
    warm: bool,
    edit: bool = False,
    paired: HugoPair | None = None,
) -> Timing:
    """``runs`` builds; cold ones (cache removed before each) unless ``warm``. With ``edit``,
    one upcoming activity's title is changed before each warm build (what a commit does).
    With ``paired``, Hugo runs right after each build."""
    results = []
    hugo_runs: list[Run] = []
    activity = pick_activity(site, date.today()) if edit else None
    original = activity.read_bytes() if activity is not None else b""
    label = "warm, one activity edited" if edit else "warm" if warm else "cold"
    try:
        for i in range(runs):
            # Like Hugo's runs and a CI checkout: no previous output to replace (deleting
            # 40,000 files of the last run is not part of building).
            discard(out)
            if not warm:
                discard(site / ".cache")
            elif i == 0:
                # One unmeasured build fills the cache.
                measure(
                    [*yizhan_command(), "-f", str(site / "mkdocs.yml"), "build", "-d", str(out)],
                    site,
                )
                discard(out)
            if activity is not None:
                text = original.decode("utf-8")
                activity.write_text(
                    re.sub(r"(?m)^(title: .*)$", rf"\1 · 修改{i + 1}", text, count=1),
                    encoding="utf-8",
                )
            run = measure(
                [*yizhan_command(), "-f", str(site / "mkdocs.yml"), "build", "-d", str(out)], site
            )
            print(
                f"  yizhan build ({label}) #{i + 1}: {run.wall:.1f} s wall, {run.cpu:.1f} s CPU",
                flush=True,
            )
            results.append(run)
            if paired is not None:
                hugo_runs.append(paired(out))
    finally:
        if activity is not None:
            activity.write_bytes(original)
    name = (
        "yizhan (warm cache, one activity edited)"
        if edit
        else "yizhan (warm cache)"
        if warm
        else "yizhan"
    )
    extra: dict[str, object] = {}
    if hugo_runs:
        ratios = [y.wall / h.wall for y, h in zip(results, hugo_runs, strict=True)]
        extra = {
            "paired_hugo_walls_s": [round(h.wall, 2) for h in hugo_runs],
            "ratio_to_paired_hugo": round(statistics.median(ratios), 2),
        }
    return Timing(name, results, inspect_output(out), extra)


def measure_memory(site: Path, out: Path) -> dict[str, object]:
    """One more cold build, not timed, its memory sampled as PSS (see ``MEASURE``): the peak
    of what the build's processes together hold, shared pages counted once."""
    print("  measuring memory (one more cold build, PSS) …", flush=True)
    discard(out)
    discard(site / ".cache")
    run = measure(
        [*yizhan_command(), "-f", str(site / "mkdocs.yml"), "build", "-d", str(out)],
        site,
        env={"YZ_BENCH_PSS": "1"},
    )
    return {
        "peak_pss_process_tree_mb": round(run.tree_rss / 2**20),
        "largest_process_maxrss_mb": round(run.maxrss / 2**20),
        "note": "a cold build; PSS splits each page shared by forked processes between them",
    }


# --- search download ----------------------------------------------------------------------------


class BaseHandler(http.server.SimpleHTTPRequestHandler):
    """Serve a folder under the site's base path, counting bytes sent per path."""

    sent: list[tuple[str, int]]

    def translate_path(self, path: str) -> str:
        path = path.split("?", 1)[0].split("#", 1)[0]
        if path.startswith(BASE):
            path = "/" + path[len(BASE) :]
        return super().translate_path(path)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def static_server(root: Path) -> Iterator[str]:
    handler = functools.partial(BaseHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{BASE}"
    finally:
        server.shutdown()


def search_download(site_dir: Path, query: str) -> dict[str, object]:
    """Bytes a visitor downloads to run one search, measured in Chromium (playwright)."""
    files = search_files(site_dir)
    result: dict[str, object] = {"search_files_kb": files}
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return result
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        with static_server(site_dir) as base, sync_playwright() as p:
            browser = (
                p.chromium.launch(executable_path=chromium) if chromium else p.chromium.launch()
            )
            page = browser.new_page()
            page.goto(base, wait_until="networkidle")
            fetched: list[tuple[str, int]] = []

            def record(response: object) -> None:
                try:
                    body = response.body()  # type: ignore[attr-defined]
                except Exception:
                    return
                fetched.append((response.url, len(body)))  # type: ignore[attr-defined]

            page.on("response", record)
            # Workers' requests (Material's search worker) surface through the context.
            page.context.on("response", record)
            opened = open_search(page)
            page.keyboard.type(query, delay=50)
            started = time.perf_counter()
            with contextlib.suppress(Exception):
                page.wait_for_selector(
                    ".md-search-result__item, .pagefind-ui__result", timeout=60000
                )
            shown_after = time.perf_counter() - started
            page.wait_for_load_state("networkidle")
            hits = count_hits(page)
            browser.close()
    except Exception as error:  # a missing browser must not stop the benchmark
        result["search_browser_error"] = str(error)[:300]
        return result
    seen: dict[str, int] = {}
    for url, size in fetched:
        seen[url] = size
    result.update(
        search_query=query,
        search_opened=opened,
        search_hits=hits,
        search_results_after_s=round(shown_after, 1),
        search_download_kb=round(sum(seen.values()) / 1024, 1),
        search_requests={u.replace(base, "/"): round(s / 1024, 1) for u, s in sorted(seen.items())},
    )
    return result


def open_search(page: object) -> bool:
    for selector in ("label.md-search__icon", "[data-md-toggle=search]", "input[type=search]"):
        try:
            page.click(selector, timeout=2000)  # type: ignore[attr-defined]
        except Exception:
            continue
        else:
            break
    for selector in ("input.md-search__input", ".pagefind-ui__search-input", "input[type=search]"):
        try:
            page.focus(selector, timeout=2000)  # type: ignore[attr-defined]
            return True
        except Exception:
            continue
    return False


def count_hits(page: object) -> int:
    for selector in (".md-search-result__item", ".pagefind-ui__result", ".yz-search-result"):
        n = page.locator(selector).count()  # type: ignore[attr-defined]
        if n:
            return int(n)
    return 0


def search_files(site_dir: Path) -> dict[str, float]:
    """Sizes of the search index files (fallback when no browser), KB."""
    sizes: dict[str, float] = {}
    index = site_dir / "search" / "search_index.json"
    if index.exists():
        sizes["search/search_index.json"] = round(index.stat().st_size / 1024, 1)
    pagefind = site_dir / "pagefind"
    if pagefind.is_dir():
        total = sum(p.stat().st_size for p in pagefind.rglob("*") if p.is_file())
        sizes["pagefind/ (all files)"] = round(total / 1024, 1)
        for name in ("pagefind.js", "pagefind-entry.json", "wasm.unknown.pagefind"):
            if (pagefind / name).exists():
                sizes[f"pagefind/{name}"] = round((pagefind / name).stat().st_size / 1024, 1)
    return sizes


# --- Hugo ---------------------------------------------------------------------------------------

HUGO_BASEOF = """<!doctype html><html lang="zh"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>{{ .Title }} - {{ .Site.Title }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}"></head>
<body><header><a href="{{ "" | relURL }}">{{ .Site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main><footer>{{ .Site.Title }}</footer></body></html>
"""
HUGO_SINGLE = """{{ define "main" }}<article><h1>{{ .Title }}</h1><time>{{ .Date.Format "2006年1月2日" }}</time>
{{ .Content }}</article>{{ end }}
"""
HUGO_LIST = """{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range first 20 .Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
"""


def make_hugo_site(source: Path, target: Path, pages: int) -> None:
    """``pages`` plain Markdown pages made from the synthetic site's own articles and activities."""
    if target.exists():
        shutil.rmtree(target)
    (target / "layouts" / "_default").mkdir(parents=True)
    (target / "content" / "posts").mkdir(parents=True)
    (target / "static").mkdir()
    (target / "config.toml").write_text(
        f'baseURL = "{SITE_URL}"\ntitle = "玄武区党群服务中心"\nlanguageCode = "zh-cn"\n'
        'hasCJKLanguage = true\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n',
        encoding="utf-8",
    )
    layouts = target / "layouts" / "_default"
    (layouts / "baseof.html").write_text(HUGO_BASEOF, encoding="utf-8")
    (layouts / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (layouts / "list.html").write_text(HUGO_LIST, encoding="utf-8")
    (target / "static" / "style.css").write_text("body{font-family:sans-serif}", encoding="utf-8")
    sources = sorted((source / "content" / "news").rglob("*.md")) + sorted(
        (source / "content" / "events").rglob("*.md")
    )
    front = re.compile(r"\A---\n(.*?)\n---\n", re.S)
    for i in range(pages):
        text = sources[i % len(sources)].read_text(encoding="utf-8")
        match = front.match(text)
        body = text[match.end() :] if match else text
        title = re.search(r"(?m)^title: (.*)$", match.group(1)).group(1) if match else f"页面 {i}"
        (target / "content" / "posts" / f"p{i:05d}.md").write_text(
            f'---\ntitle: "{title.replace(chr(34), "")}"\ndate: 2026-01-01\n---\n{body}',
            encoding="utf-8",
        )


class HugoPair:
    """Hugo on as many plain Markdown pages as yizhan's output has, run after each yizhan run
    (``time_yizhan``); the site is made (untimed) on the first call."""

    def __init__(self, source: Path, work: Path) -> None:
        self.source, self.work = source, work
        self.hugo = shutil.which("hugo")
        self.site = work / "hugo-site"
        self.out = work / "hugo-public"
        self.pages = 0
        self.runs: list[Run] = []

    def __call__(self, yizhan_out: Path) -> Run:
        assert self.hugo is not None
        if not self.pages:
            self.pages = inspect_output(yizhan_out).pages
            make_hugo_site(self.source, self.site, self.pages)
        discard(self.out)
        run = measure([self.hugo, "--quiet", "-d", str(self.out), "-s", str(self.site)], self.site)
        print(f"    hugo: {run.wall:.1f} s wall, {run.cpu:.1f} s CPU", flush=True)
        self.runs.append(run)
        return run

    def timing(self) -> Timing:
        assert self.hugo is not None
        version = subprocess.run(
            [self.hugo, "version"], capture_output=True, text=True
        ).stdout.split()[1]
        return Timing(
            f"Hugo {version}",
            self.runs,
            inspect_output(self.out),
            {"plain_markdown_pages": self.pages},
        )


class Floor:
    """The issue's Python floor (``floor.py``) on Hugo's pages, in two processes: run after
    the Hugo runs, as many times."""

    def __init__(self, hugo: HugoPair) -> None:
        self.hugo = hugo
        self.out = hugo.work / "floor-public"
        self.runs: list[Run] = []

    def run(self, times: int) -> None:
        posts = self.hugo.site / "content" / "posts"
        for i in range(times):
            discard(self.out)
            run = measure(
                [sys.executable, str(HERE / "floor.py"), str(posts), str(self.out), "2"], HERE
            )
            print(
                f"  python floor #{i + 1}: {run.wall:.1f} s wall, {run.cpu:.1f} s CPU", flush=True
            )
            self.runs.append(run)

    def timing(self) -> Timing:
        return Timing(
            "Python floor (python-markdown + a trivial Jinja template, 2 processes)",
            self.runs,
            inspect_output(self.out),
            {"plain_markdown_pages": self.hugo.pages},
        )


# --- edit preview -------------------------------------------------------------------------------


def free_port(preferred: int = 0) -> int:
    """``preferred`` if it is free, else any free port."""
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", preferred))
        except OSError:
            s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


SERVE_PORT = 8765
"""As an editor's ``yizhan serve`` uses one address every time: the preview's pages name it
(canonical links), so its cache (``.cache/yizhan/serve``) holds for that address."""


def fetch(url: str, timeout: float = 10) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def pick_activity(site: Path, today: date) -> Path:
    """An upcoming one-off activity with an ASCII id: it shows on listings and feeds."""
    for path in sorted((site / "content" / "events" / str(today.year)).glob("*.md")):
        text = path.read_text(encoding="utf-8")
        start = re.search(r"(?m)^start: (\d{4}-\d{2}-\d{2})", text)
        if not start or "rrule" in text or "status:" in text or not path.stem.isascii():
            continue
        if date.fromisoformat(start.group(1)) > today:
            return path
    for path in sorted((site / "content" / "events").rglob("*.md")):
        if path.stem.isascii() and "rrule" not in path.read_text(encoding="utf-8"):
            return path
    raise SystemExit("no activity to edit")


def pick_article(site: Path) -> Path:
    """The newest article with an ASCII id, scheduled ones included (``yizhan serve`` shows
    them): it is the first on /news/ and in rss.xml."""
    best: tuple[str, Path] | None = None
    for path in (site / "content" / "news").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        found = re.search(r"(?m)^date: (\S+)", text)
        if not found or "draft: true" in text or "slug:" in text or not path.stem.isascii():
            continue
        day = found.group(1)
        if best is None or (day, path) > best:
            best = (day, path)
    if best is None:
        raise SystemExit("no article to edit")
    return best[1]


def saves(
    name: str, shown: list[float], updated: list[float], median: str = "update_median_s"
) -> dict[str, object]:
    """A kind of save's report: seconds until its page, then its listings and feeds, showed
    it, each time, and the median of the latter (None when not measured)."""
    return {
        f"{name}_latencies_s": [round(x, 2) for x in shown],
        f"{name}_updates_s": [round(x, 2) for x in updated],
        f"{name}_{median}": round(statistics.median(updated), 2) if updated else None,
    }


def time_serve(
    site: Path, edits: int, during: int = 3, articles: int = 3, new: int = 3, deleted: int = 3
) -> dict[str, object]:
    port = free_port(SERVE_PORT)
    base = f"http://127.0.0.1:{port}{BASE}"
    activity = pick_activity(site, date.today())
    url = f"{base}events/{activity.stem}/"
    original = activity.read_bytes()
    log = (site.parent / "serve.log").open("wb")
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [*yizhan_command(), "-f", str(site / "mkdocs.yml"), "serve", "-a", f"127.0.0.1:{port}"],
        cwd=site,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    start = re.search(r"(?m)^start: (\d{4})-(\d{2})", original.decode("utf-8"))
    month = f"events/{start[1]}/{start[2]}/" if start else "events/"

    def log_text() -> str:
        return (site.parent / "serve.log").read_text(encoding="utf-8", errors="replace")

    latencies: list[float] = []
    updated: list[float] = []
    rebuilt: list[float] = []
    during_latencies: list[float] = []
    during_updated: list[float] = []
    article_latencies: list[float] = []
    article_updated: list[float] = []
    new_latencies: list[float] = []
    new_updated: list[float] = []
    new_article_latencies: list[float] = []
    new_article_updated: list[float] = []
    deleted_latencies: list[float] = []
    deleted_updated: list[float] = []
    added: list[Path] = []
    new_activities: list[tuple[Path, str]] = []
    new_articles: list[tuple[Path, str]] = []
    deleted_article_latencies: list[float] = []
    deleted_article_updated: list[float] = []
    stale: list[str] = []
    try:
        while fetch(url) is None:
            if proc.poll() is not None or time.perf_counter() - t0 > 900:
                raise SystemExit(f"yizhan serve did not come up; see {log.name}")
            time.sleep(0.5)
        startup = time.perf_counter() - t0
        print(f"  serve: first page after {startup:.1f} s", flush=True)
        time.sleep(2)
        builds = builds_in(log_text())

        def save(i: int) -> tuple[str, float]:
            marker = f"改期通知{i}{int(time.time()) % 10000}"
            text = original.decode("utf-8")
            text = re.sub(r"(?m)^(title: .*)$", rf"\1（{marker}）", text, count=1)
            t_edit = time.perf_counter()
            activity.write_text(text, encoding="utf-8")
            return marker, t_edit

        def shown(i: int, marker: str, t_edit: float) -> tuple[float, float]:
            """Seconds until the page, then its listings and feeds, show the edit."""
            while True:
                body = fetch(url)
                if body and marker in body:
                    break
                if time.perf_counter() - t_edit > 600:
                    raise SystemExit("the edit never showed")
                time.sleep(0.05)
            latency = time.perf_counter() - t_edit
            # Listings and feeds that include the activity must not be served stale: yizhan
            # serve refreshes them, or holds them until its full rebuild is done, so wait as
            # long as it takes.
            for dependent in ("events.json", "calendar.ics", month, "events/"):
                page = fetch(base + dependent, timeout=600)
                if page is None or (marker not in page and dependent != "events/"):
                    stale.append(f"edit {i}: {dependent}")
            return latency, time.perf_counter() - t_edit

        def rebuild_done(t_edit: float) -> float:
            """The full rebuild, which also re-indexes the search, before the next edit."""
            nonlocal builds
            while builds_in(log_text()) <= builds:
                if time.perf_counter() - t_edit > 600:
                    raise SystemExit("the full rebuild never ended")
                time.sleep(0.1)
            builds = builds_in(log_text())
            return time.perf_counter() - t_edit

        for i in range(edits):
            marker, t_edit = save(i)
            latency, update = shown(i, marker, t_edit)
            latencies.append(latency)
            updated.append(update)
            rebuilt.append(rebuild_done(t_edit))
            print(
                f"  serve: edit #{i + 1} visible after {latency:.2f} s, listings and feeds "
                f"after {updated[-1]:.2f} s, full rebuild after {rebuilt[-1]:.1f} s",
                flush=True,
            )
            time.sleep(1.5)
        # A second save while the first one's full rebuild runs (editors save often).
        for i in range(edits, edits + during):
            marker, t_edit = save(i)
            shown(i, marker, t_edit)
            time.sleep(2)
            marker, t_edit = save(i + during)
            latency, update = shown(i + during, marker, t_edit)
            during_latencies.append(latency)
            during_updated.append(update)
            took = rebuild_done(t_edit)
            print(
                f"  serve: save during a rebuild visible after {latency:.2f} s, listings and "
                f"feeds after {update:.2f} s, full rebuild after {took:.1f} s",
                flush=True,
            )
            time.sleep(1.5)
        # A saved article: its page, then /news/ and rss.xml.
        article = pick_article(site)
        article_text = article.read_bytes()
        try:
            for i in range(articles):
                marker = f"更正{i}{int(time.time()) % 10000}"
                text = re.sub(
                    r"(?m)^(title: .*)$", rf"\1（{marker}）", article_text.decode("utf-8"), count=1
                )
                t_edit = time.perf_counter()
                article.write_text(text, encoding="utf-8")
                page_url = f"{base}news/{article.stem}/"
                while marker not in (fetch(page_url) or ""):
                    if time.perf_counter() - t_edit > 600:
                        raise SystemExit("the article edit never showed")
                    time.sleep(0.05)
                latency = time.perf_counter() - t_edit
                for dependent in ("news/", "rss.xml"):
                    if marker not in (fetch(base + dependent, timeout=600) or ""):
                        stale.append(f"article edit {i}: {dependent}")
                update = time.perf_counter() - t_edit
                article_latencies.append(latency)
                article_updated.append(update)
                took = rebuild_done(t_edit)
                print(
                    f"  serve: article edit #{i + 1} visible after {latency:.2f} s, /news/ and "
                    f"rss.xml after {update:.2f} s, full rebuild after {took:.1f} s",
                    flush=True,
                )
                time.sleep(1.5)
        finally:
            article.write_bytes(article_text)
        if articles and new:
            rebuild_done(time.perf_counter())  # the article put back, built on its own
            time.sleep(1.5)

        def follow(
            what: str,
            t_edit: float,
            page: str,
            done: Callable[[str | None], bool],
            dependents: tuple[str, ...],
            fresh: Callable[[str | None], bool],
            said: tuple[str, str],
        ) -> tuple[float, float]:
            """Seconds until ``page`` is ``done``, then until every dependent (fetched as long
            as it takes) is ``fresh``; the full rebuild is awaited before the next save."""
            while not done(fetch(page)):
                if time.perf_counter() - t_edit > 600:
                    raise SystemExit(f"{what}: its page never changed")
                time.sleep(0.05)
            latency = time.perf_counter() - t_edit
            for dependent in dependents:
                if not fresh(fetch(base + dependent, timeout=600)):
                    stale.append(f"{what}: {dependent}")
            update = time.perf_counter() - t_edit
            took = rebuild_done(t_edit)
            print(
                f"  serve: {what} {said[0]} after {latency:.2f} s, {said[1]} listings and feeds "
                f"after {update:.2f} s, full rebuild after {took:.1f} s",
                flush=True,
            )
            time.sleep(1.5)
            return latency, update

        def add(kind: str, source: bytes, folder: Path, section: str, dependents: tuple[str, ...]):
            """A new file made from ``source`` with a new title: seconds until its page shows,
            then until ``dependents`` show it too."""
            marker = f"新增{kind}{int(time.time()) % 100000}"
            text = re.sub(r"(?m)^slug: .*\n", "", source.decode("utf-8"))
            text = re.sub(r"(?m)^(title: ).*$", rf"\g<1>{marker}", text, count=1)
            path = folder / f"benchnew{int(time.time() * 1000) % 10**8}.md"
            added.append(path)
            (new_activities if kind == "activity" else new_articles).append((path, marker))
            t_edit = time.perf_counter()
            path.write_text(text, encoding="utf-8")

            def shows(body: str | None) -> bool:
                return marker in (body or "")

            return follow(
                f"new {kind} {path.name}", t_edit, f"{base}{section}/{path.stem}/", shows,
                dependents, shows, ("visible", "in"),
            )  # fmt: skip

        # New files: an activity in the edited one's month and categories, then an article
        # dated after every other (first on /news/ and in rss.xml: every index page moves).
        for _ in range(new):
            latency, update = add(
                "activity", original, activity.parent, "events",
                ("events.json", "calendar.ics", month),
            )  # fmt: skip
            new_latencies.append(latency)
            new_updated.append(update)
        newest = re.search(rb"(?m)^date: (\d{4}-\d{2}-\d{2} \d{2}:\d{2})", article_text)
        first = datetime.fromisoformat(newest[1].decode()) if newest else datetime.now()
        for i in range(new):
            # after every article, scheduled ones too (the preview shows them): first on /news/
            when = (first + timedelta(minutes=1 + i)).strftime("%Y-%m-%d %H:%M")
            source = re.sub(rb"(?m)^date: .*$", f"date: {when}".encode(), article_text, count=1)
            latency, update = add("article", source, article.parent, "news", ("news/", "rss.xml"))
            new_article_latencies.append(latency)
            new_article_updated.append(update)

        # Deleted files: the new activities and articles again, one by one (the site is as it
        # was after).
        def delete(kind: str, path: Path, marker: str, section: str, dependents: tuple[str, ...]):
            t_edit = time.perf_counter()
            path.unlink()
            return follow(
                f"deleted {kind} {path.name}", t_edit, f"{base}{section}/{path.stem}/",
                lambda body: body is None,  # not found
                dependents, lambda body: body is not None and marker not in body, ("gone", "from"),
            )  # fmt: skip

        for path, marker in new_activities[:deleted]:
            latency, update = delete(
                "activity", path, marker, "events", ("events.json", "calendar.ics", month)
            )
            deleted_latencies.append(latency)
            deleted_updated.append(update)
        for path, marker in new_articles[:deleted]:
            latency, update = delete("article", path, marker, "news", ("news/", "rss.xml"))
            deleted_article_latencies.append(latency)
            deleted_article_updated.append(update)
    finally:
        for path in added:
            path.unlink(missing_ok=True)
        activity.write_bytes(original)
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
    return {
        "serve_startup_s": round(startup, 1),
        "edit_latencies_s": [round(x, 2) for x in latencies],
        "edit_median_s": round(statistics.median(latencies), 2),
        "full_update_latencies_s": [round(x, 2) for x in updated],
        "full_update_median_s": round(statistics.median(updated), 2),
        "rebuild_latencies_s": [round(x, 1) for x in rebuilt],
        "rebuild_median_s": round(statistics.median(rebuilt), 1),
        **saves("during_rebuild", during_latencies, during_updated, median="median_s"),
        **saves("article", article_latencies, article_updated),
        **saves("new_activity", new_latencies, new_updated),
        **saves("new_article", new_article_latencies, new_article_updated),
        **saves("deleted_activity", deleted_latencies, deleted_updated),
        **saves("deleted_article", deleted_article_latencies, deleted_article_updated),
        "edited": activity.relative_to(site).as_posix(),
        "stale_after_edit": stale,
    }


# --- report -------------------------------------------------------------------------------------


def machine() -> dict[str, object]:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = 0
    with contextlib.suppress(OSError, ValueError, IndexError):
        mem = int(Path("/proc/meminfo").read_text().split()[1]) // 2**20
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": mem,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def render_markdown(report: dict[str, object]) -> str:
    rows = report["builds"]
    lines = [
        f"# yizhan benchmark — {report['date']}",
        "",
        f"Site: {report['site']}; machine: {report['machine']['cpus']} CPUs, "
        f"{report['machine']['cpu']}, Python {report['machine']['python']}.",
        "",
        "| tool | median wall s | median CPU s | pages | pages/s | peak memory MB (largest process / tree sum) | output MB (MiB) | largest page |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:  # type: ignore[union-attr]
        lines.append(
            f"| {r['tool']} | {r['median_wall_s']} | {r['median_cpu_s']} | {r['pages']} | "
            f"{r['pages_per_s']} | {r['peak_rss_largest_process_mb']} / {r['peak_rss_process_tree_mb']} | "
            f"{r['output_mb']} ({r.get('output_mib', '?')}) | {r['largest_page']} "
            f"({r['largest_page_kb']} KB) |"
        )
    if report.get("ratios_to_hugo"):
        lines += [
            "",
            "Wall-time ratio to Hugo (each yizhan run against the Hugo run right after it; "
            "median of the ratios):",
            "",
        ]
        paired = {r["tool"]: r.get("paired_hugo_walls_s") for r in rows}  # type: ignore[union-attr]
        for name, ratio in report["ratios_to_hugo"].items():  # type: ignore[union-attr]
            lines.append(f"- {name}: **{ratio}×** (Hugo runs beside it: {paired.get(name)} s)")
        if report.get("floor_to_hugo"):
            lines.append(
                f"- Python floor: **{report['floor_to_hugo']}×** (its median against Hugo's "
                "median; the same plain pages, see floor.py)"
            )
    elif report.get("ratio_to_hugo"):
        lines += ["", f"yizhan / Hugo wall-time ratio: **{report['ratio_to_hugo']}×**"]
    lines += json_section("Memory (cold build, proportional set size)", report.get("memory"))
    lines += json_section("Search", report.get("search"))
    lines += json_section("Edit preview (`yizhan serve`)", report.get("serve"))
    return "\n".join(lines) + "\n"


def json_section(title: str, data: dict | None) -> list[str]:
    """A report section showing ``data`` as JSON; nothing when there is no data."""
    if not data:
        return []
    return ["", f"## {title}", "", "```json", json.dumps(data, ensure_ascii=False, indent=1), "```"]


BUILT = re.compile(r"网站生成完毕|Site built in|Documentation built")
"""The line a build of ``yizhan serve`` ends with, in the site's language (or MkDocs')."""


def builds_in(log: str) -> int:
    return len(BUILT.findall(log))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of 15,000 + 5,000")
    parser.add_argument("--events", type=int, help="override the number of activities")
    parser.add_argument("--news", type=int, help="override the number of articles")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=HERE / "out", help="working folder")
    parser.add_argument("--reuse", action="store_true", help="reuse the generated site if present")
    parser.add_argument(
        "--warm",
        action="store_true",
        help="also time warm-cache builds, unchanged and after editing one activity",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=["build", "cold", "hugo", "serve", "search"],
        help="leave a measurement out (cold: the builds without a cache, and the memory run)",
    )
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument(
        "--edits-during",
        type=int,
        default=3,
        help="saves made 2 s into the previous save's full rebuild",
    )
    parser.add_argument("--article-edits", type=int, default=3)
    parser.add_argument("--new-activities", type=int, default=3)
    parser.add_argument(
        "--deletions",
        type=int,
        default=3,
        help="new activities and articles deleted again (at most --new-activities)",
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=60,
        help="seconds to wait after deleting the last benchmark's outputs, before measuring",
    )
    parser.add_argument("--query", default="志愿服务")
    args = parser.parse_args()

    events = args.events or round(15000 * args.scale)
    news = args.news or round(5000 * args.scale)
    work = args.work
    site = work / "site"
    stamp = work / "site.json"
    wanted = {"events": events, "news": news, "today": date.today().isoformat()}
    if args.reuse and stamp.exists() and json.loads(stamp.read_text()) == wanted:
        print(f"reusing {site}")
        make_site.sync_theme(site)
    else:
        print(
            f"writing the synthetic site: {events} activities, {news} articles -> {site}",
            flush=True,
        )
        t = time.perf_counter()
        make_site.make_site(site, events=events, news=news)
        stamp.write_text(json.dumps(wanted))
        print(f"  written in {time.perf_counter() - t:.1f} s", flush=True)

    out = work / "yizhan-site"
    empty_trash(work, args.settle)
    builds: list[Timing] = []
    hugo = HugoPair(site, work) if "hugo" not in args.skip else None
    if hugo is not None and hugo.hugo is None:
        print("  hugo not found: skipped", flush=True)
        hugo = None
    if "build" not in args.skip and "cold" not in args.skip:
        builds.append(time_yizhan(site, out, args.runs, warm=False, paired=hugo))
    if args.warm and "build" not in args.skip:
        builds.append(time_yizhan(site, out, args.runs, warm=True, paired=hugo))
        builds.append(time_yizhan(site, out, args.runs, warm=True, edit=True, paired=hugo))
    report: dict[str, object] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "site": f"{events} activities, {news} articles, 500 organisations, 20 venues",
        "machine": machine(),
    }
    if "build" not in args.skip and "cold" not in args.skip:
        report["memory"] = measure_memory(site, out)
    if "search" not in args.skip and (out / "index.html").exists():
        print("  measuring the search download …", flush=True)
        report["search"] = search_download(out, args.query)
    if hugo is not None and hugo.runs:
        yizhan_builds = list(builds)
        builds.append(hugo.timing())
        floor = Floor(hugo)
        floor.run(args.runs)
        builds.append(floor.timing())
        report["floor_to_hugo"] = round(floor.timing().wall / hugo.timing().wall, 2)
        report["ratio_to_hugo"] = yizhan_builds[0].extra["ratio_to_paired_hugo"]
        report["ratios_to_hugo"] = {b.tool: b.extra["ratio_to_paired_hugo"] for b in yizhan_builds}
    if "serve" not in args.skip:
        report["serve"] = time_serve(
            site,
            args.edits,
            args.edits_during,
            args.article_edits,
            args.new_activities,
            args.deletions,
        )
    report["builds"] = [b.summary() for b in builds]

    results = HERE / "results"
    results.mkdir(exist_ok=True)
    name = datetime.now(UTC).strftime("%Y%m%d-%H%M") + f"-x{args.scale:g}"
    (results / f"{name}.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    text = render_markdown(report)
    (results / f"{name}.md").write_text(text, encoding="utf-8")
    print()
    print(text)
    print(f"written: benchmarks/results/{name}.md and .json")
    empty_trash(work, settle=0)


if __name__ == "__main__":
    main()
