"""When each file under ``docs/`` last changed: the date of its last commit, else its modification time.

One ``git log --name-only`` pass over the docs folder gives every file's last commit date (per-file
``git log -1`` calls would take minutes on 2,000 files). Files git does not know (a new file, a tarball,
a temporary copy of the tree) fall back to their modification time.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

COMMIT = "\x01"  # marks a commit's date line in the log, which no file name contains


def git_dates(docs_dir: Path) -> dict[str, dt.date]:
    """``{path relative to docs_dir: date of the last commit touching it}``; empty without git history."""
    docs_dir = Path(docs_dir).resolve()
    command = [
        "git",
        "-c",
        "core.quotePath=false",
        "log",
        f"--format={COMMIT}%cs",
        "--name-only",
        "--relative",
        "--",
        ".",
    ]
    try:
        log = subprocess.run(command, cwd=docs_dir, capture_output=True, text=True, encoding="utf-8", check=True).stdout
    except (OSError, subprocess.CalledProcessError):  # no git, or not inside a repository
        return {}
    dates: dict[str, dt.date] = {}
    day = None
    for line in log.splitlines():
        if line.startswith(COMMIT):
            day = dt.date.fromisoformat(line[1:])
        elif line and day is not None:
            dates.setdefault(line, day)  # newest commit first: the first date seen is the last change
    return dates


def file_dates(docs_dir: Path, paths: list[str], mtimes: dict[str, int]) -> dict[str, dt.date]:
    """The last-change date of each of ``paths`` (relative to docs_dir) that exists: its last commit,
    else its modification time (``mtimes``: nanoseconds by path, of the files there are)."""
    committed = git_dates(docs_dir)
    dates = {}
    for path in paths:
        if path in committed:
            dates[path] = committed[path]
        elif path in mtimes:
            dates[path] = dt.date.fromtimestamp(mtimes[path] / 1e9)
    return dates
