"""Last-change dates (kb/history.py): one git pass when there is history, modification times otherwise."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

from kb.history import file_dates, git_dates


def git(repo: Path, *args: str, date: str = "") -> None:
    env = dict(os.environ, GIT_AUTHOR_DATE=f"{date}T12:00:00+08:00", GIT_COMMITTER_DATE=f"{date}T12:00:00+08:00")
    subprocess.run(
        ["git", "-c", "user.name=编辑", "-c", "user.email=editor@example.org", *args],
        cwd=repo,
        env=env,
        check=True,
        capture_output=True,
    )


def write(path: Path, text: str, mtime: dt.date | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if mtime:
        stamp = dt.datetime.combine(mtime, dt.time(12)).timestamp()
        os.utime(path, (stamp, stamp))


def test_dates_come_from_the_last_commit_of_each_file(tmp_path):
    repo = tmp_path / "repo"
    docs = repo / "docs"
    write(docs / "policies" / "a.md", "一")
    write(docs / "attachments" / "附件一.pdf", "pdf")
    write(repo / "README.md", "outside docs/")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "first", date="2024-01-02")
    write(docs / "policies" / "a.md", "一二")
    write(docs / "policies" / "b.md", "三")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "second", date="2025-03-04")
    write(docs / "policies" / "new.md", "未提交", mtime=dt.date(2023, 5, 6))

    assert git_dates(docs) == {
        "policies/a.md": dt.date(2025, 3, 4),
        "policies/b.md": dt.date(2025, 3, 4),
        "attachments/附件一.pdf": dt.date(2024, 1, 2),  # a Chinese file name is not quoted
    }
    paths = ["policies/a.md", "attachments/附件一.pdf", "policies/new.md", "policies/gone.md"]
    dates = file_dates(docs, paths, modified(docs))
    assert dates == {
        "policies/a.md": dt.date(2025, 3, 4),
        "attachments/附件一.pdf": dt.date(2024, 1, 2),
        "policies/new.md": dt.date(2023, 5, 6),  # not committed yet: its modification time
    }


def test_without_history_the_modification_time_is_used(tmp_path, monkeypatch):
    docs = tmp_path / "docs"  # a tarball or a temporary copy: no repository around it
    write(docs / "policies" / "a.md", "一", mtime=dt.date(2022, 8, 9))
    assert git_dates(docs) == {}
    assert file_dates(docs, ["policies/a.md"], modified(docs)) == {"policies/a.md": dt.date(2022, 8, 9)}
    monkeypatch.setenv("PATH", str(tmp_path / "no-git-here"))  # no git program at all
    assert file_dates(docs, ["policies/a.md"], modified(docs)) == {"policies/a.md": dt.date(2022, 8, 9)}


def modified(docs):
    """What the check notes of the files of ``docs``: each one's modification time (ns)."""
    return {p.relative_to(docs).as_posix(): p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()}
