"""The shipped content: valid, complete enough for a first day at work, and leak-free in both builds."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from conftest import ROOT, TODAY

from kb.validate import validate

DOCS = ROOT / "docs"
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def catalog():
    catalog, problems = validate(DOCS, root=ROOT, today=TODAY)
    assert not problems, "\n".join(p.text() for p in problems)
    return catalog


def test_every_section_has_its_documents(catalog):
    counts = Counter(d.section for d in catalog.documents.values())
    assert counts["policies"] >= 15 and counts["funds"] >= 8 and counts["talent"] >= 6
    assert counts["cases"] >= 15 and counts["interpretations"] >= 6


def test_history_is_recorded(catalog):
    docs = catalog.documents.values()
    assert sum(1 for d in docs if d.meta.get("supersedes")) >= 3
    assert any(d.state(TODAY) == "expired" for d in docs)
    assert sum(1 for d in docs if not d.is_public) >= 6
    assert catalog.review_due(), "some documents should be due for review"


def test_cases_at_every_level_and_translations(catalog):
    levels = {level for d in catalog.documents.values() if d.type == "case" for level in d.meta["levels"]}
    assert levels == {"district", "subdistrict", "community", "grid"}
    assert sum(1 for d in catalog.documents.values() if "en" in d.translations) >= 8


def test_chinese_text_body(catalog):
    total = sum(len(HAN.findall((DOCS / path).read_text(encoding="utf-8"))) for path in catalog.documents)
    assert total >= 40_000


def test_internal_documents_leave_no_trace_in_the_public_build(catalog, real_sites):
    public = real_sites["public"]
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in public.rglob("*") if p.is_file())
    names = "\n".join(p.relative_to(public).as_posix() for p in public.rglob("*"))
    internal = [d for d in catalog.documents.values() if not d.is_public]
    assert internal
    for doc in internal:
        slug = doc.slug.split("/")[-1]
        assert f"/{slug}/" not in names and slug not in text, doc.path
        assert doc.meta["title"] not in text, doc.path
        if doc.meta.get("doc_number"):
            assert doc.meta["doc_number"] not in text, doc.path
        for attachment in doc.meta.get("attachments", []):
            assert not (public / attachment).exists(), attachment
    # ... and are all there, marked, in the internal build.
    for doc in internal:
        page = (real_sites["internal"] / doc.url_in("zh") / "index.html").read_text(encoding="utf-8")
        assert "内部资料，不得对外公开" in page
