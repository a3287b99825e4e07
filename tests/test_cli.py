"""``python -m kb check``: the three output formats, exit codes, and no traceback on bad input."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import BUILD_DATE, ROOT, copy_fixture


def run_check(docs, *args):
    env = {"KB_BUILD_DATE": BUILD_DATE, "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "kb", "check", "--docs", str(docs), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


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
    assert "共 2 个错误、0 个警告，涉及 2 个文件" in result.stderr


def test_github_format_annotates_file_and_line(tmp_path):
    docs = copy_fixture(tmp_path)
    break_two_files(docs)
    result = run_check(docs, "--format", "github")
    assert result.returncode == 1
    assert (
        "::error file=docs/policies/joint-meeting.md,line=9,title=isued::未知字段 isued — 是不是要写 issued？"
        in result.stdout.splitlines()
    )


def test_json_format_is_machine_readable(tmp_path):
    docs = copy_fixture(tmp_path)
    break_two_files(docs)
    result = run_check(docs, "--format", "json")
    assert result.returncode == 1
    problems = json.loads(result.stdout)
    assert {
        "path": "docs/policies/joint-meeting.md",
        "line": 9,
        "field": "isued",
        "message": "未知字段 isued",
        "expected": "是不是要写 issued？",
        "severity": "error",
    } in problems
    assert len(problems) == 2


def test_unknown_audience_is_a_clear_error(tmp_path):
    env = {
        "KB_BUILD_DATE": BUILD_DATE,
        "PATH": "/usr/bin:/bin",
        "KB_AUDIENCE": "everyone",
        "KB_DOCS_DIR": str(copy_fixture(tmp_path)),
        "NO_MKDOCS_2_WARNING": "1",
    }
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "site")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "KB_AUDIENCE 只能是 public 或 internal" in result.stderr
    assert "Traceback" not in result.stderr


def add_warning(docs):
    """A 文号 of another agency than the lead issuer's: a warning, no error."""
    policy = docs / "policies" / "action-plan.md"
    policy.write_text(
        policy.read_text(encoding="utf-8").replace("X宣发〔2021〕4号", "X组发〔2021〕4号"), encoding="utf-8"
    )


WARNING_TEXT = (
    "docs/policies/action-plan.md:7: doc_number: 警告：发文字号“X组发〔2021〕4号”的机关代字“X组发”"
    "不是主办机关中共X区委宣传部的机关代字"
)


def test_warnings_alone_pass_but_fail_in_strict_mode(tmp_path):
    docs = copy_fixture(tmp_path)
    add_warning(docs)
    relaxed, strict = run_check(docs), run_check(docs, "--strict")
    assert relaxed.returncode == 0 and strict.returncode == 1
    for result in (relaxed, strict):
        assert result.stdout.splitlines()[0].startswith(WARNING_TEXT)
    assert "共 0 个错误、1 个警告" in relaxed.stderr and "CI（make check STRICT=1）会因警告失败" in relaxed.stderr
    assert "严格模式" in strict.stderr


def test_warnings_come_after_errors_in_every_format(tmp_path):
    docs = copy_fixture(tmp_path)
    break_two_files(docs)
    add_warning(docs)
    text = run_check(docs).stdout.splitlines()
    assert len(text) == 3 and text[2].startswith(WARNING_TEXT)  # after the errors, though its path sorts first
    github = run_check(docs, "--format", "github").stdout.splitlines()
    assert [line.split(" ", 1)[0] for line in github] == ["::error", "::error", "::warning"]
    assert github[2].startswith(
        "::warning file=docs/policies/action-plan.md,line=7,title=doc_number::发文字号“X组发〔2021〕4号”"
    )
    problems = json.loads(run_check(docs, "--format", "json").stdout)
    assert [p["severity"] for p in problems] == ["error", "error", "warning"]


def test_make_check_strict(tmp_path):
    """STRICT=1 reaches the command (-o: never reinstall the venv from a test)."""
    docs = copy_fixture(tmp_path)
    add_warning(docs)
    env = {"PATH": "/usr/bin:/bin", "KB_BUILD_DATE": BUILD_DATE, "LANG": "C.UTF-8"}
    make = ["make", "-s", "-o", ".venv/.installed", "check"]
    relaxed = subprocess.run([*make, f"KB_DOCS_DIR={docs}"], cwd=ROOT, env=env, capture_output=True, text=True)
    strict = subprocess.run(
        [*make, f"KB_DOCS_DIR={docs}", "STRICT=1"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert relaxed.returncode == 0 and WARNING_TEXT in relaxed.stdout
    assert strict.returncode != 0 and WARNING_TEXT in strict.stdout and "严格模式" in strict.stderr
