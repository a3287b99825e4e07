"""``make new``: every type, created in a copy of the fixture tree, passes the check as created;
refusals are one Chinese line and exit 1; the VS Code snippets make valid documents too."""

from __future__ import annotations

import functools
import json
import operator
import re
import subprocess
import sys

import pytest
from conftest import BUILD_DATE, ROOT, TODAY, copy_fixture

from kb import scaffold
from kb.data import load_vocabulary
from kb.jsonschema import describe
from kb.problems import format_problems
from kb.schema import fields_for
from kb.validate import validate

VOCAB = load_vocabulary()
# What each type needs beyond TYPE, SLUG and TITLE to pass as created.
NEEDS = {
    "policy": {"doc_number": "X宣发〔2026〕1号"},  # the 机关代字 of the issuer make new proposes
    "fund": {"doc_number": "X财行〔2026〕1号"},
    "talent": {},
    "case": {},
    "interpretation": {"interprets": "policies/joint-meeting.md"},
}


def make_new(docs, *args):
    """``make new`` itself, on a scratch docs tree (-o: never reinstall the venv from a test)."""
    return subprocess.run(
        ["make", "-s", "-o", ".venv/.installed", "new", f"KB_DOCS_DIR={docs}", *args],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "KB_BUILD_DATE": BUILD_DATE, "LANG": "C.UTF-8"},
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="module")
def created(tmp_path_factory):
    """One new document of every type and an English translation of each, in one fixture copy."""
    docs = copy_fixture(tmp_path_factory.mktemp("new"))
    results = {}
    for doc_type, needs in NEEDS.items():
        results[doc_type] = scaffold.new_document(
            docs, doc_type, f"new-{doc_type}", f"新建的{doc_type}文件", today=TODAY, vocab=VOCAB, **needs
        )
        results[f"{doc_type}.en"] = scaffold.new_translation(
            docs, doc_type, f"new-{doc_type}", f"New {doc_type}", "en", today=TODAY, vocab=VOCAB
        )
    return docs, results


def test_every_type_and_its_translation_pass_the_check_as_created(created):
    docs, results = created
    _, problems = validate(docs, root=docs.parent, today=TODAY)
    assert format_problems(problems) == ""
    assert all(not r.problems for r in results.values())


@pytest.mark.parametrize("doc_type", NEEDS)
def test_every_field_is_there_explained_in_chinese(created, doc_type):
    text = created[1][doc_type].path.read_text(encoding="utf-8")
    front = text.split("\n---\n", 1)[0]
    for fld in fields_for(doc_type):
        comment = f"# {fld.label}：{describe(fld, doc_type, VOCAB)}"
        assert re.search(rf"^{re.escape(comment)}\n#? ?{fld.key}:", front, re.M), fld.key
    assert "\nvisibility: internal\n" in front
    for fld in fields_for(doc_type):
        if fld.kind == "date" and doc_type in fld.required:
            assert f"\n{fld.key}: {BUILD_DATE}\n" in front
    if doc_type == "policy":  # the vocabularies are listed from data/*.yml
        assert "grid（网格）" in front and "role-models（典型引领）" in front


def test_translation_has_title_and_summary_only(created):
    text = created[1]["fund.en"].path.read_text(encoding="utf-8")
    keys = re.findall(r"^(\w+):", text.split("\n---\n", 1)[0], re.M)
    assert created[1]["fund.en"].display == "docs/funds/new-fund.en.md"
    assert keys == ["title", "summary"]


def test_copied_values_and_what_is_left_are_said(created):
    notes = "\n".join(created[1]["fund"].notes)
    assert "暂时照抄了本栏目最新的文件 docs/funds/special-fund.md" in notes
    assert "issued（成文日期）、reviewed（最近复核）先填了今天" in notes


def test_title_that_yaml_would_misread_is_quoted(tmp_path):
    docs = copy_fixture(tmp_path)
    title = "关于“三会一课”: 问答 #1"
    result = scaffold.new_document(docs, "case", "quoted", title, today=TODAY, vocab=VOCAB)
    assert f"\ntitle: {json.dumps(title, ensure_ascii=False)}\n" in result.path.read_text(encoding="utf-8")
    catalog, problems = validate(docs, root=tmp_path, today=TODAY)
    assert not problems and catalog.documents["cases/quoted.md"].meta["title"] == title


def test_make_new_without_doc_number_creates_and_says_what_to_fill(tmp_path):
    docs = copy_fixture(tmp_path)
    result = make_new(docs, "TYPE=fund", "SLUG=activity-subsidy", 'TITLE=X区"活动经费"补助办法')
    assert result.returncode == 0, result.stderr
    line = (
        "docs/funds/activity-subsidy.md:21: doc_number: 发文字号（doc_number）还没有填写 — "
        "请在冒号后填写，例如 doc_number: X宣发〔2024〕3号"
    )
    assert "doc_number（发文字号）还没有填写" in result.stdout and line in result.stdout.splitlines()
    _, problems = validate(docs, root=tmp_path, today=TODAY)
    assert [p.text() for p in problems] == [line]
    assert 'title: X区"活动经费"补助办法' in (docs / "funds/activity-subsidy.md").read_text(encoding="utf-8")


def test_make_new_lang_en_counts_only_from_the_command_line(tmp_path):
    docs = copy_fixture(tmp_path)
    # LANG=C.UTF-8 is in make's environment (it is the locale): still a new document, not a translation.
    assert make_new(docs, "TYPE=case", "SLUG=lao-ma-2", "TITLE=老马精神再传承").returncode == 0
    result = make_new(docs, "TYPE=case", "SLUG=lao-ma-2", "TITLE=Lao Ma's Spirit, Passed On", "LANG=en")
    assert result.returncode == 0, result.stderr
    assert "summary: Lao Ma's Spirit, Passed On" in (docs / "cases/lao-ma-2.en.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["TYPE=fund", "SLUG=special-fund", "TITLE=重复"],
            "没有创建文件：docs/funds/special-fund.md 已存在 — 请换一个 SLUG；要修订这份文件，请直接编辑它",
        ),
        (
            ["TYPE=fund", "SLUG=Special_Fund", "TITLE=大写"],
            "没有创建文件：SLUG=Special_Fund 不能用作文件名 — 只用小写英文字母、数字和连字符 -，不用中文和空格，也不能是 index，例如 SLUG=activity-subsidy",
        ),
        (
            ["TYPE=fund", "SLUG=专项资金", "TITLE=中文"],
            "没有创建文件：SLUG=专项资金 不能用作文件名 — 只用小写英文字母、数字和连字符 -，不用中文和空格，也不能是 index，例如 SLUG=activity-subsidy",
        ),
        (
            ["TYPE=funds", "SLUG=index", "TITLE=首页"],
            "没有创建文件：SLUG=index 不能用作文件名 — 只用小写英文字母、数字和连字符 -，不用中文和空格，也不能是 index，例如 SLUG=activity-subsidy",
        ),
        (
            ["TYPE=fnd", "SLUG=x", "TITLE=拼错"],
            "没有创建文件：TYPE=fnd 不是文件类型 — 是不是要写 TYPE=fund？TYPE 只能是 policy（政策文件）、fund（资金管理）、talent（人才队伍）、case（典型案例）、interpretation（政策解读）",
        ),
        (["TYPE=fund", "SLUG=x"], "没有创建文件：请给出 TITLE（标题） — 例如 TITLE=X区思想政治工作联席会议制度"),
        (
            ["TYPE=fund", "SLUG=x", "TITLE=新办法", "DOC_NUMBER=X财[2026]3号"],
            "没有创建文件：DOC_NUMBER=X财[2026]3号：发文字号“X财[2026]3号”格式不对：年份须用六角括号〔〕括起（可从本提示中复制），不能用“[]” — 应写作 X财〔2026〕3号",
        ),
        (
            ["TYPE=fund", "SLUG=nothing", "TITLE=None", "LANG=en"],
            "没有创建文件：找不到中文原文 docs/funds/nothing.md — 译文要放在原文旁边：请核对 TYPE 和 SLUG，或先用 make new TYPE=fund SLUG=nothing TITLE=… 创建原文",
        ),
        (
            ["TYPE=policy", "SLUG=joint-meeting", "TITLE=Again", "LANG=en"],
            "没有创建文件：docs/policies/joint-meeting.en.md 已存在 — 请直接编辑它",
        ),
        (
            ["TYPE=policy", "SLUG=joint-meeting", "TITLE=Encore", "LANG=fr"],
            "没有创建文件：LANG=fr 不是译文语言 — 只能是 LANG=en",
        ),
    ],
)
def test_refusals_are_one_chinese_line_and_write_nothing(tmp_path, args, message):
    docs = copy_fixture(tmp_path)
    before = sorted(p for p in docs.rglob("*"))
    result = subprocess.run(
        [sys.executable, "-m", "kb", "new", "--docs", str(docs), *_cli(args)],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "KB_BUILD_DATE": BUILD_DATE},
        capture_output=True,
        text=True,
    )
    assert (result.returncode, result.stderr.splitlines(), result.stdout) == (1, [message], "")
    assert sorted(p for p in docs.rglob("*")) == before


def _cli(args: list[str]) -> list[str]:
    """make's TYPE=… SLUG=… NAME=… as the arguments the Makefile passes to ``python -m kb new``."""
    values = dict(arg.split("=", 1) for arg in args)
    options = [
        [f"--{key.lower().replace('_', '-')}", value] for key, value in values.items() if key not in ("TYPE", "SLUG")
    ]
    return [values.get("TYPE", ""), values.get("SLUG", ""), *functools.reduce(operator.iadd, options, [])]


def test_snippets_make_valid_documents(tmp_path):
    """Each VS Code snippet, expanded as VS Code would with its first choices and today's date, and the
    tab stops that need a real value filled in, is a valid document."""
    docs = copy_fixture(tmp_path)
    fill = {
        "发文字号": iter(["X宣发〔2026〕7号", "X宣发〔2026〕8号", "X宣发〔2026〕9号"]),
        "发文机关": iter(["中共X区委宣传部"] * 3),
        "解读文件": iter(["policies/joint-meeting.md"]),
        "规划期": iter(["2026-2028"]),
    }
    snippets = json.loads(scaffold.snippet_file(VOCAB)[scaffold.SNIPPET_FILE])
    assert sorted(snippets) == sorted(f"kb-{t}" for t in NEEDS)
    for name, snippet in snippets.items():
        text = "\n".join(snippet["body"]).replace("$CURRENT_YEAR-$CURRENT_MONTH-$CURRENT_DATE", BUILD_DATE)
        text = re.sub(r"\$\{\d+\|([^,|]+)[^}]*\|\}", r"\1", text)
        text = re.sub(r"\$\{\d+:([^}]+)\}", lambda m: next(fill[m[1]]) if m[1] in fill else m[1], text)
        assert "$" not in text.replace("\\$", ""), name
        folder = VOCAB.types[name.removeprefix("kb-")]
        (docs / folder / "from-snippet.md").write_text(re.sub(r"\\([\\$}])", r"\1", text), encoding="utf-8")
    _, problems = validate(docs, root=tmp_path, today=TODAY)
    assert format_problems(problems) == ""
