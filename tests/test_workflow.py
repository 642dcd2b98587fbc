"""The GitHub Pages workflow: valid YAML, the Pages artifact flow, tests before the build,
full history, SITE_URL from Pages, and a daily rebuild at 00:10 Asia/Shanghai."""

from __future__ import annotations

import os
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

WORKFLOW = Path(__file__).resolve().parent.parent / ".github" / "workflows" / "pages.yml"


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def steps(workflow: dict[Any, Any], job: str) -> list[dict[str, Any]]:
    return list(workflow["jobs"][job]["steps"])


def step_using(workflow: dict[Any, Any], job: str, action: str) -> tuple[int, dict[str, Any]]:
    for index, step in enumerate(steps(workflow, job)):
        if str(step.get("uses", "")).split("@")[0] == action:
            return index, step
    raise AssertionError(f"no step uses {action} in job {job}")


def step_running(workflow: dict[Any, Any], job: str, pattern: str) -> tuple[int, dict[str, Any]]:
    for index, step in enumerate(steps(workflow, job)):
        if re.search(pattern, str(step.get("run", ""))):
            return index, step
    raise AssertionError(f"no step runs {pattern!r} in job {job}")


def test_triggers_push_manual_and_daily_at_0010_shanghai(workflow):  # type: ignore[no-untyped-def]
    # YAML 1.1 reads the bare key `on` as the boolean true.
    on = workflow.get("on", workflow.get(True))
    assert on["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in on
    crons = [entry["cron"] for entry in on["schedule"]]
    assert len(crons) == 1
    minute, hour, *rest = crons[0].split()
    assert rest == ["*", "*", "*"]
    # GitHub reads cron in UTC: the run must land at 00:10 in Shanghai.
    run = datetime(2026, 4, 27, int(hour), int(minute), tzinfo=UTC)
    local = run.astimezone(ZoneInfo("Asia/Shanghai"))
    assert (local.hour, local.minute) == (0, 10)


def test_permissions_for_pages_deployment(workflow):  # type: ignore[no-untyped-def]
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"] == "pages"


def test_build_job_fetches_full_history(workflow):  # type: ignore[no-untyped-def]
    index, checkout = step_using(workflow, "build", "actions/checkout")
    assert index == 0
    assert checkout["with"]["fetch-depth"] == 0


def test_tests_run_before_the_build(workflow):  # type: ignore[no-untyped-def]
    tests, _ = step_running(workflow, "build", r"\bpytest\b")
    check, _ = step_running(workflow, "build", r"\byizhan check\b")
    build, _ = step_running(workflow, "build", r"\byizhan build\b")
    assert tests < build and check < build


def test_the_daily_rebuild_publishes_without_testing_again(workflow):  # type: ignore[no-untyped-def]
    """The scheduled run republishes a commit its push tested; content is still checked."""
    _, tests = step_running(workflow, "build", r"\bpytest\b")
    _, check = step_running(workflow, "build", r"\byizhan check\b")
    assert tests["if"].startswith("github.event_name != 'schedule' && ")
    assert "if" not in check


def changes_of_push(workflow: dict[Any, Any], repo: Path, before: str) -> str:
    """What the workflow's step that looks at a push writes to GITHUB_OUTPUT, run by bash in
    ``repo`` after a push from ``before``."""
    step = next(s for s in steps(workflow, "build") if s.get("id") == "changes")
    assert step["if"] == "github.event_name == 'push'"
    assert step["env"]["BEFORE"] == "${{ github.event.before }}"
    output = repo / "github_output"
    output.write_text("", encoding="utf-8")
    env = {**os.environ, "BEFORE": before, "GITHUB_OUTPUT": str(output)}
    subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, env=env, check=True)
    return output.read_text(encoding="utf-8")


def commit(repo: Path, rel: str, text: str) -> str:
    (repo / rel).parent.mkdir(parents=True, exist_ok=True)
    (repo / rel).write_text(text, encoding="utf-8")
    git = ["git", "-c", "user.name=编辑", "-c", "user.email=e@example.org"]
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-q", "-m", rel], cwd=repo, check=True)
    found = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, check=True, capture_output=True)
    return found.stdout.decode().strip()


def test_a_push_of_content_alone_is_published_without_the_generators_tests(
    workflow: dict[Any, Any], tmp_path: Path
) -> None:
    """An editor's push of content/ is checked, not tested; a push that changes anything
    else (or whose commit before is unknown: a new branch, a force push) is tested."""
    _, tests = step_running(workflow, "build", r"\bpytest\b")
    assert "steps.changes.outputs.beyond_content != 'no'" in tests["if"]
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    first = commit(tmp_path, "content/news/a.md", "---\ntitle: 甲\n---\n")
    commit(tmp_path, "content/news/a.md", "---\ntitle: 乙\n---\n")
    content = commit(tmp_path, "content/events/b.md", "---\ntitle: 丙\n---\n")
    assert changes_of_push(workflow, tmp_path, first) == "beyond_content=no\n"
    commit(tmp_path, "mkdocs.yml", "site_name: 站\n")
    assert changes_of_push(workflow, tmp_path, content) == "beyond_content=yes\n"
    commit(tmp_path, "generator/x.py", "")
    assert changes_of_push(workflow, tmp_path, first) == "beyond_content=yes\n"
    assert changes_of_push(workflow, tmp_path, "0" * 40) == "beyond_content=yes\n"
    assert changes_of_push(workflow, tmp_path, "1" * 40) == "beyond_content=yes\n"


def test_pages_artifact_flow_with_site_url_from_pages(workflow):  # type: ignore[no-untyped-def]
    configure, pages = step_using(workflow, "build", "actions/configure-pages")
    build, build_step = step_running(workflow, "build", r"\byizhan build\b")
    upload, upload_step = step_using(workflow, "build", "actions/upload-pages-artifact")
    assert configure < build < upload
    site_url = build_step["env"]["SITE_URL"]
    assert site_url == "${{ steps." + pages["id"] + ".outputs.base_url }}/"
    out = re.search(r"-d\s+(\S+)", build_step["run"])
    assert out and upload_step["with"]["path"] == out.group(1)

    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    _, deploy_step = step_using(workflow, "deploy", "actions/deploy-pages")
    assert deploy["environment"]["url"] == "${{ steps." + deploy_step["id"] + ".outputs.page_url }}"


def test_actions_are_pinned_to_a_major_version(workflow):  # type: ignore[no-untyped-def]
    for job in workflow["jobs"]:
        for step in steps(workflow, job):
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", step["uses"]), step["uses"]


def test_build_reuses_the_page_cache(workflow):  # type: ignore[no-untyped-def]
    """Large sites reuse unchanged pages from .cache/yizhan/ (issue 5) across daily runs."""
    cache, step = step_using(workflow, "build", "actions/cache")
    build, _ = step_running(workflow, "build", r"\byizhan build\b")
    assert cache < build
    assert step["with"]["path"] == ".cache/yizhan"
    assert "github.sha" in step["with"]["key"]
    # A saved key is never saved again: the daily runs of one commit each keep their pages.
    assert "github.run_id" in step["with"]["key"]
    assert step["with"]["key"].startswith(step["with"]["restore-keys"])


def test_check_reads_the_cache_under_the_builds_settings(workflow):  # type: ignore[no-untyped-def]
    """`yizhan check` keeps what it works out in .cache/yizhan/memo, keyed by the site's
    settings: restored before it, with the build's SITE_URL and TZ, the build reads it back."""
    cache, _ = step_using(workflow, "build", "actions/cache")
    check, check_step = step_running(workflow, "build", r"\byizhan check\b")
    _, build_step = step_running(workflow, "build", r"\byizhan build\b")
    assert cache < check
    assert check_step.get("env") == build_step["env"]
