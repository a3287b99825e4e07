"""schemas/*.schema.json and .vscode/kb.code-snippets: committed as generated from kb/schema.py (so they
cannot drift), valid for every real and fixture document, and rejecting what make check rejects."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
from conftest import FIXTURE_DOCS, ROOT, TODAY, copy_fixture

from kb import scaffold, source
from kb.data import load_vocabulary
from kb.jsonschema import schema_files
from kb.validate import validate

VOCAB = load_vocabulary()
FILES = {**schema_files(VOCAB), **scaffold.snippet_file(VOCAB)}
SCHEMAS = {path.name.removesuffix(".schema.json"): json.loads(text) for path, text in schema_files(VOCAB).items()}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_committed_file_is_what_kb_schema_generates(path):
    assert path.is_file() and path.read_text(encoding="utf-8") == FILES[path], (
        f"{path.relative_to(ROOT)} is out of date: run `make schemas` and commit the result"
    )


@pytest.mark.parametrize("name", SCHEMAS)
def test_schema_is_valid_draft_7_and_portable_to_editors(name):
    jsonschema.Draft7Validator.check_schema(SCHEMAS[name])
    # Editors run the patterns as JavaScript regular expressions: no Python-only syntax.
    patterns = re.findall(r'"pattern": "((?:[^"\\]|\\.)*)"', json.dumps(SCHEMAS[name]))
    assert patterns and not any(re.search(r"\(\?P|\\[AZ]|\(\?[aiLmsux]", p) for p in patterns)


def validator_for(rel: str) -> jsonschema.Draft7Validator:
    schema = SCHEMAS["translation"] if rel.endswith(".en.md") else SCHEMAS[VOCAB.sections[rel.split("/")[0]]["type"]]
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


def front_matter(path) -> dict:
    """The front matter as editors' tools read it: dates stay text (YAML 1.2)."""
    return source.parse(path.read_bytes(), "", "").meta


def documents(docs):
    for path in sorted(docs.rglob("*.md")):
        rel = path.relative_to(docs).as_posix()
        if rel.split("/")[0] in VOCAB.sections:
            yield rel, path


@pytest.mark.parametrize("docs", [FIXTURE_DOCS, ROOT / "docs"], ids=["fixture", "content"])
def test_every_document_matches_its_schema(docs):
    checked = 0
    for rel, path in documents(docs):
        errors = [f"{rel}: {e.message}" for e in validator_for(rel).iter_errors(front_matter(path))]
        assert not errors, errors
        checked += 1
    assert checked >= 9


# One mistake each in a valid fund rule: make check and the schema both reject it.
MISTAKES = {
    "misspelt key": ("issued:", "isued:"),
    "topic in Chinese": ("topics: [funding]", "topics: [资金保障]"),
    "level outside the vocabulary": ("levels: [district, subdistrict, community]", "levels: [district, 网格]"),
    "full-width comma": ("levels: [district, subdistrict, community]", "levels: [district，subdistrict]"),
    "Chinese date": ("issued: 2022-06-01", "issued: 2022年6月1日"),
    "square brackets in 文号": ("X财行〔2022〕11号", "X财行[2022]11号"),
    "visibility in Chinese": ("visibility: public", "visibility: 公开"),
    "Material's status key": ("visibility: public", "visibility: public\nstatus: current"),
    "budget with its unit": ("budget_wan: 300", "budget_wan: 300万元"),
    "missing owner": ("owner: 区财政局\n", ""),
    "empty owner": ("owner: 区财政局", "owner:"),
    "case field in a fund": ("budget_wan: 300", "budget_wan: 300\nunit: 区财政局"),
}


@pytest.mark.parametrize("mistake", MISTAKES)
def test_schema_rejects_what_make_check_rejects(tmp_path, mistake):
    docs = copy_fixture(tmp_path)
    path = docs / "funds" / "special-fund.md"
    old, new = MISTAKES[mistake]
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    _, problems = validate(docs, root=tmp_path, today=TODAY)
    assert [p.path for p in problems] == ["docs/funds/special-fund.md"]
    assert not validator_for("funds/special-fund.md").is_valid(front_matter(path))


def test_translation_schema_allows_title_and_summary_only():
    valid = validator_for("policies/x.en.md")
    assert valid.is_valid({"title": "Joint Meeting", "summary": "Rules of the joint meeting."})
    assert not valid.is_valid({"title": "Joint Meeting", "summary": "Rules.", "issued": "2024-03-15"})
    assert not valid.is_valid({"title": "Joint Meeting"})
