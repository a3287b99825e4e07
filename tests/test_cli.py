"""``python -m kb check``: the three output formats, exit codes, and no traceback on bad input."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import BUILD_DATE, ROOT, copy_fixture


def run_check(docs, *args):
    env = {"KB_BUILD_DATE": BUILD_DATE, "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "kb", "check", "--docs", str(docs), *args],
                          cwd=ROOT, env=env, capture_output=True, text=True)


def break_two_files(docs):
    policy = docs / "policies" / "joint-meeting.md"
    policy.write_text(policy.read_text(encoding="utf-8").replace("issued:", "isued:"), encoding="utf-8")
    (docs / "cases" / "lao-ma.md").write_text("---\ntitle：老马\n---\n正文\n", encoding="utf-8")


def test_valid_tree_passes(tmp_path):
    result = run_check(copy_fixture(tmp_path))
    assert result.returncode == 0
    assert "检查通过" in result.stdout


def test_text_format_lists_every_problem_then_fails(tmp_path):
    docs = copy_fixture(tmp_path)
    break_two_files(docs)
    result = run_check(docs)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines == [
        "docs/cases/lao-ma.md:2: front_matter: 元数据不是“键: 值”的形式：键名后用了全角冒号“：” — 把“title：”改为“title: ”（半角冒号加一个空格）",
        # One mistake, one message: the misspelt key's did-you-mean, not also "issued is missing".
        "docs/policies/joint-meeting.md:9: isued: 未知字段 isued — 是不是要写 issued？",
    ]
    assert "Traceback" not in result.stdout + result.stderr
    assert "共 2 个问题，涉及 2 个文件" in result.stderr


def test_github_format_annotates_file_and_line(tmp_path):
    docs = copy_fixture(tmp_path)
    break_two_files(docs)
    result = run_check(docs, "--format", "github")
    assert result.returncode == 1
    assert "::error file=docs/policies/joint-meeting.md,line=9,title=isued::未知字段 isued — 是不是要写 issued？" in result.stdout.splitlines()


def test_json_format_is_machine_readable(tmp_path):
    docs = copy_fixture(tmp_path)
    break_two_files(docs)
    result = run_check(docs, "--format", "json")
    assert result.returncode == 1
    problems = json.loads(result.stdout)
    assert {"path": "docs/policies/joint-meeting.md", "line": 9, "field": "isued",
            "message": "未知字段 isued", "expected": "是不是要写 issued？"} in problems
    assert len(problems) == 2


def test_unknown_audience_is_a_clear_error(tmp_path):
    env = {"KB_BUILD_DATE": BUILD_DATE, "PATH": "/usr/bin:/bin", "KB_AUDIENCE": "everyone",
           "KB_DOCS_DIR": str(copy_fixture(tmp_path)), "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "site")],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "KB_AUDIENCE 只能是 public 或 internal" in result.stderr
    assert "Traceback" not in result.stderr
