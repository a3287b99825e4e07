"""One case per content rule: a small change to the valid fixture tree and the exact problems it gives.

Each folder under ``tests/rules/`` holds files laid out relative to ``docs/`` that are copied over a
copy of the fixture tree, an optional ``remove.txt`` (docs-relative paths to delete, one a line) and
``expected.txt``: the exact lines of ``format_problems`` for the result. To add a case, make a folder,
run the validator on it, read every message, and only then write what it printed into expected.txt.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from kb.problems import format_problems
from kb.validate import validate

TESTS = Path(__file__).resolve().parent
FIXTURE_DOCS = TESTS / "fixtures" / "site" / "docs"
RULES = TESTS / "rules"
TODAY = dt.date(2026, 11, 28)  # the build date every expected.txt was written for
CONTROL_FILES = {"expected.txt", "remove.txt"}
CASES = sorted(p.name for p in RULES.iterdir() if p.is_dir())


def build_case(case: Path, tmp_path: Path) -> Path:
    """The fixture tree with the case's files laid over it (bytes as they are) and remove.txt applied."""
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURE_DOCS, docs)
    for src in sorted(case.rglob("*")):
        rel = src.relative_to(case)
        if src.is_dir() or rel.as_posix() in CONTROL_FILES:
            continue
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(src.read_bytes())
    remove = case / "remove.txt"
    if remove.exists():
        for line in remove.read_text(encoding="utf-8").splitlines():
            if line.strip():
                (docs / line.strip()).unlink()
    return docs


def expected_lines(case: Path) -> list[str]:
    return [line for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_fixture_alone_is_valid(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURE_DOCS, docs)
    _, problems = validate(docs, root=tmp_path, today=TODAY)
    assert format_problems(problems) == ""


def test_there_are_cases():
    assert len(CASES) >= 40


@pytest.mark.parametrize("name", CASES)
def test_every_case_expects_something(name):
    assert expected_lines(RULES / name), f"{name}: an empty expected.txt checks nothing"


@pytest.mark.parametrize("name", CASES)
def test_rule(name, tmp_path):
    case = RULES / name
    docs = build_case(case, tmp_path)
    _, problems = validate(docs, root=tmp_path, today=TODAY)
    assert format_problems(problems).splitlines() == expected_lines(case)
