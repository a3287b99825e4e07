"""The benchmark's corpus generator (``python -m bench.corpus``): a small corpus is valid by the content
model, has every kind of document the benchmark relies on, is the same on every run, and never touches docs/."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
import yaml
from conftest import ROOT

from kb.problems import format_problems
from kb.validate import validate


def generate(count, out):
    result = subprocess.run(
        [sys.executable, "-m", "bench.corpus", str(count), str(out)], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


COUNT = 400  # enough for supersedes chains, plans, translations and citations between documents


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    docs = tmp_path_factory.mktemp("corpus") / "docs"
    summary = generate(COUNT, docs)
    catalog, problems = validate(docs, today=dt.date.fromisoformat(summary["build_date"]))
    return docs, summary, catalog, problems


def test_corpus_is_valid_and_has_every_kind_of_document(corpus):
    docs, summary, catalog, problems = corpus
    # No warnings either, as a library that passes CI (make check STRICT=1): citations of earlier
    # documents only, a successor's wording that agrees with the validity of what it replaces,
    # translations with the glossary's terms and British spelling, as the 文书 checks ask.
    assert format_problems(problems) == ""
    documents = list(catalog.documents.values())
    assert len(documents) == summary["documents"] == COUNT
    assert {d.section for d in documents} == {"policies", "funds", "talent", "cases", "interpretations"}
    assert any(not d.is_public for d in documents), "some internal documents"
    assert any(d.translations.get("en") for d in documents), "some English translations"
    assert any(d.superseded_by for d in documents), "a supersedes chain"
    assert any(d.interpretations for d in documents), "interpreted documents"
    assert {"index.md", "about.md", "guide.md"} <= set(catalog.pages), "the ordinary pages of the site"
    official = next(d for d in documents if d.is_official)
    text = (docs / official.path).read_text(encoding="utf-8")
    assert "**第一条**" in text and "**第二条**" in text
    assert len({d.meta["doc_number"] for d in documents if d.meta.get("doc_number")}) == sum(
        1 for d in documents if d.meta.get("doc_number")
    )


def test_same_seed_gives_the_same_tree(corpus, tmp_path):
    docs = corpus[0]
    again = tmp_path / "docs"
    generate(COUNT, again)
    files = sorted(p.relative_to(docs) for p in docs.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    assert all((docs / f).read_bytes() == (again / f).read_bytes() for f in files)


def test_refuses_to_write_into_docs():
    before = sorted((p.relative_to(ROOT), p.stat().st_mtime_ns) for p in (ROOT / "docs").rglob("*"))
    result = subprocess.run(
        [sys.executable, "-m", "bench.corpus", "5", "docs"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode != 0 and "refusing" in result.stderr
    assert sorted((p.relative_to(ROOT), p.stat().st_mtime_ns) for p in (ROOT / "docs").rglob("*")) == before
