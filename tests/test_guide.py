"""The editor guide (docs/guide.md) cannot go stale: its worked example is a valid fund rule with its
English translation, and every check message it quotes is what the validator prints today for the
mistake the guide describes (and each of the five common mistakes gives exactly one message).
The tooling it describes (VS Code task and snippets, pre-commit, CONTRIBUTING.md) is what it says."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from conftest import ROOT, TODAY, copy_fixture

from kb.problems import format_problems
from kb.validate import validate

GUIDE = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
EXAMPLE = "docs/funds/venue-operation-subsidy.md"
TRANSLATION = "docs/funds/venue-operation-subsidy.en.md"
# Code blocks whose title names a file under docs/: the worked example, as the editor types it.
EXAMPLE_FILES = dict(re.findall(r'^```markdown title="(docs/[^"]+)"\n(.*?)^```$', GUIDE, re.M | re.S))
# Messages are quoted one per line as `…` in a block quote (inline code wraps on a phone; a code block would not).
QUOTED = set(re.findall(r"^> `(docs/\S+:\d+: [^`]*)`$", GUIDE, re.M))

# The guide's mistakes: file -> (text as in the example, text with the mistake); None: save as GBK.
COMMON = {
    "全角冒号": (EXAMPLE, "title: X区", "title：X区"),
    "中文日期": (EXAMPLE, "issued: 2026-09-15", "issued: 2026年9月15日"),
    "文号括号": (EXAMPLE, "X财行〔2026〕18号", "X财行[2026]18号"),
    "字段名拼错": (EXAMPLE, "issued:", "isued:"),
    "全角逗号": (EXAMPLE, "levels: [community, grid]", "levels: [community，grid]"),
}
OTHERS = {
    "主题写中文": (EXAMPLE, "topics: [funding, venues]", "topics: [资金保障, 阵地建设]"),
    "GBK": (EXAMPLE, None, None),
    "译文多写字段": (TRANSLATION, "---\n\n", "visibility: public\n---\n\n"),
    "被替代文件仍现行": (EXAMPLE, "related: [funds/special-fund.md]", "supersedes: [funds/special-fund.md]"),
    "引用内部文件": (EXAMPLE, "related: [funds/special-fund.md]", "related: [policies/score-sheet.md]"),
}


def example_tree(tmp_path):
    docs = copy_fixture(tmp_path)
    for name, text in EXAMPLE_FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return docs


def messages(tmp_path, mistake) -> list[str]:
    docs = example_tree(tmp_path)
    name, old, new = mistake
    path = tmp_path / name
    text = path.read_text(encoding="utf-8")
    if old is None:
        path.write_bytes(text.encode("gbk"))
    else:
        assert old in text, f"the guide's example no longer has {old!r}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return format_problems(validate(docs, root=tmp_path, today=TODAY)[1]).splitlines()


def test_the_worked_example_is_a_valid_fund_rule_with_its_translation(tmp_path):
    assert sorted(EXAMPLE_FILES) == [TRANSLATION, EXAMPLE]
    catalog, problems = validate(example_tree(tmp_path), root=tmp_path, today=TODAY)
    assert format_problems(problems) == ""
    doc = catalog.documents["funds/venue-operation-subsidy.md"]
    assert doc.type == "fund" and "en" in doc.translations


@pytest.mark.parametrize("name", COMMON)
def test_each_common_mistake_gives_one_message_quoted_in_the_guide(tmp_path, name):
    lines = messages(tmp_path, COMMON[name])
    assert len(lines) == 1 and lines[0] in QUOTED, lines


def test_every_quoted_message_is_what_the_validator_prints_today(tmp_path_factory):
    printed = set()
    for name, mistake in {**COMMON, **OTHERS}.items():
        lines = messages(tmp_path_factory.mktemp(name.encode().hex()), mistake)
        assert lines and set(lines) <= QUOTED, f"{name}: the guide does not quote {set(lines) - QUOTED}"
        printed |= set(lines)
    assert printed == QUOTED, f"quoted in the guide but not printed: {QUOTED - printed}"


# -- the tooling the guide describes ---------------------------------------------------------------


def test_contributing_points_to_the_guide_and_does_not_copy_it():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "(docs/guide.md)" in text
    assert not re.search(r"docs/\S+:\d+: ", text) and len(text.splitlines()) < 20


def test_the_guide_names_the_redirect_list_the_build_reads(tmp_path):
    from kb.redirects import redirects_file  # issue 5's module: the guide must follow it if it moves

    name = redirects_file(tmp_path / "docs").relative_to(tmp_path).as_posix()
    assert f"`{name}`" in GUIDE


def test_vscode_task_shows_every_rule_message_on_its_line():
    task = json.loads((ROOT / ".vscode" / "tasks.json").read_text(encoding="utf-8"))["tasks"][0]
    assert task["command"] == "make check" and task["group"]["isDefault"]
    pattern = task["problemMatcher"]["pattern"]
    regexp = re.compile(pattern["regexp"])
    lines = [
        line
        for path in sorted((ROOT / "tests" / "rules").glob("*/expected.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assert len(lines) > 80
    for line in lines:
        match = regexp.match(line)
        assert match, line
        head = f"{match[pattern['file']]}:{match[pattern['line']]}: {match[pattern['code']]}: "
        assert line == head + match[pattern["message"]], line


def test_snippet_prefixes_named_in_the_guide_exist():
    snippets = json.loads((ROOT / ".vscode" / "kb.code-snippets").read_text(encoding="utf-8"))
    prefixes = {prefix for snippet in snippets.values() for prefix in snippet["prefix"]}
    named = set(re.findall(r"`(kb-[a-z]+)`", GUIDE))
    assert named and named <= prefixes


def test_pre_commit_hook_runs_make_check_when_docs_or_data_change():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    [repo] = config["repos"]
    [hook] = repo["hooks"]
    assert repo["repo"] == "local" and hook["language"] == "system" and hook["entry"] == "make check"
    assert hook["pass_filenames"] is False  # the check needs the whole tree
    changed = ["docs/funds/venue-operation-subsidy.md", "docs/attachments/form.xlsx", "data/topics.yml", "README.md"]
    assert [bool(re.search(hook["files"], path)) for path in changed] == [True, True, True, False]
