"""Third-party readers of our .ics files, for the calendar tests.

Two independent clients: python ``icalendar`` + ``recurring-ical-events`` (resolves TZIDs through
the zone database), and Mozilla's ``ical.js`` through node (uses the file's own VTIMEZONEs, the
way Thunderbird does). Both give occurrences as (uid, start, status): start is a UTC instant
``2026-07-14T16:00:00Z`` or a date ``2026-11-05``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events

JS_DIR = Path(__file__).parent / "js"

Occ = tuple[str, str, str]


def show(value: date) -> str:
    if isinstance(value, datetime):
        assert value.tzinfo is not None, f"floating time {value}"
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def ensure_icaljs() -> Path:
    """Install ical.js from tests/js/package.json once (``npm ci``), return the script path."""
    if shutil.which("node") is None:
        # In CI a missing client is a failure, never a quiet skip.
        (pytest.fail if os.environ.get("CI") else pytest.skip)(
            "node is not installed (needed for the ical.js client)"
        )
    if not (JS_DIR / "node_modules" / "ical.js").is_dir():
        command = "ci" if (JS_DIR / "package-lock.json").is_file() else "install"
        subprocess.run(
            ["npm", command, "--no-fund", "--no-audit"], cwd=JS_DIR, check=True, capture_output=True
        )
    return JS_DIR / "occurrences.cjs"


def icaljs_read(path: Path, until: date, max_per_event: int = 5000) -> dict[str, object]:
    script = ensure_icaljs()
    done = subprocess.run(
        ["node", str(script), str(path), until.isoformat(), str(max_per_event)],
        capture_output=True,
        text=True,
        check=True,
    )
    data: dict[str, object] = json.loads(done.stdout)
    return data


def icaljs_occurrences(path: Path, since: date, until: date) -> set[Occ]:
    data = icaljs_read(path, until)
    out = set()
    for item in data["occurrences"]:  # type: ignore[union-attr]
        assert not str(item["start"]).startswith("floating"), item
        start = str(item["start"])
        if start[:10] >= since.isoformat():
            out.add((item["uid"], start, item["status"] or ""))
    return out


def rie_occurrences(raw: bytes, since: date, until: date) -> set[Occ]:
    cal = icalendar.Calendar.from_ical(raw)
    out = set()
    for item in recurring_ical_events.of(cal).between(since, until):
        start = item["DTSTART"].dt
        end = item.get("DTEND")
        if end is not None:
            assert end.dt >= start, f"DTEND before DTSTART in {item['UID']}"
        out.add((str(item["UID"]), show(start), str(item.get("STATUS", ""))))
    return out


def lint_octets(raw: bytes) -> list[str]:
    """RFC 5545 3.1 at the byte level: no parser rejects these faults, so we test them here."""
    problems = []
    if not raw.endswith(b"\r\n"):
        problems.append("does not end with CRLF")
    lines = raw[:-2].split(b"\r\n")
    for number, line in enumerate(lines, 1):
        if b"\n" in line or b"\r" in line:
            problems.append(f"line {number}: bare LF or CR")
        if len(line) > 75:
            problems.append(f"line {number}: {len(line)} octets")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"line {number}: not valid UTF-8 on its own (fold inside a character)")
    unfolded = re.sub(rb"\r\n[ \t]", b"", raw).decode("utf-8").split("\r\n")
    for line in unfolded:
        name, _, value = line.partition(":")
        if name.split(";")[0] in {"SUMMARY", "LOCATION", "DESCRIPTION", "CONTACT", "COMMENT"}:
            for bad in re.findall(r"(?<!\\)(?:\\\\)*[;,]", value):
                problems.append(f"unescaped {bad[-1]!r} in {name}: {value[:40]}")
            if re.search(r"\\[^\\;,nN]", value):
                problems.append(f"bad escape in {name}: {value[:40]}")
    return problems
