"""bench/sizes.py: every HTML page of a built site falls into one page type, and the benchmark reports
each type's sizes and the pages over issue 17's 150 KB."""

from __future__ import annotations

import pytest

from bench.sizes import PAGE_TYPES, page_type, site_sizes
from kb.data import load_vocabulary

SECTIONS = set(load_vocabulary().sections)
KB_ = 1024

# path -> (page type, size in bytes)
SITE = {
    "index.html": ("home", 30 * KB_),
    "en/index.html": ("home", 20 * KB_),
    "policies/joint-meeting/index.html": ("document", 10 * KB_),
    "policies/training/index.html": ("document", 12 * KB_),
    "en/funds/subsidy/index.html": ("document", 14 * KB_),
    "cases/page/index.html": ("document", 11 * KB_),  # a document whose slug is "page"
    "policies/index.html": ("section", 100 * KB_),
    "policies/page/2/index.html": ("section", 90 * KB_),
    "en/cases/page/3/index.html": ("section", 80 * KB_),
    "topics/index.html": ("topics", 5 * KB_),
    "topics/theory/index.html": ("topic", 40 * KB_),
    "en/topics/theory/page/2/index.html": ("topic", 160 * KB_),
    "levels/index.html": ("levels", 6 * KB_),
    "en/levels/subdistrict/index.html": ("level", 200 * KB_),
    "tags/index.html": ("tags", 151 * KB_),
    "tags/lianxi/index.html": ("tag", 7 * KB_),
    "tags/lianxi/page/2/index.html": ("tag", 8 * KB_),
    "compare/policies/training--policies-training-interim/index.html": ("compare", 50 * KB_),
    "search/index.html": ("search", 9 * KB_),
    "en/stats/index.html": ("stats", 4 * KB_),
    "review/index.html": ("review", 3 * KB_),
    "about/index.html": ("other", 2 * KB_),
    "404.html": ("other", 1 * KB_),
    "policies/joint-meeting/print.html": ("other", 1 * KB_),
}


@pytest.mark.parametrize(("path", "expected"), [(path, kind) for path, (kind, _) in SITE.items()])
def test_page_type(path, expected):
    assert page_type(path, SECTIONS) == expected


def test_site_sizes_by_page_type(tmp_path):
    for path, (_, size) in SITE.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(b"x" * size)
    (tmp_path / "pagefind").mkdir()
    (tmp_path / "pagefind" / "pagefind.js").write_bytes(b"x" * 500)  # not a page
    sizes = site_sizes(tmp_path, SECTIONS)
    types = sizes["page_types"]
    assert sum(t["count"] for t in types.values()) == len(SITE)
    assert types["document"] == {
        "count": 4,
        "median_bytes": 11.5 * KB_,
        "p95_bytes": 14 * KB_,
        "max_bytes": 14 * KB_,
        "largest": "en/funds/subsidy/index.html",
    }
    assert types["section"]["count"] == 3 and types["section"]["largest"] == "policies/index.html"
    assert types["home"]["max_bytes"] == 30 * KB_
    assert list(types) == list(PAGE_TYPES), "every type, in the report's order"
    # The existing keys agree with the types.
    assert sizes["document_pages"] == 4 and sizes["document_max_bytes"] == 14 * KB_
    assert sizes["largest_page"] == "en/levels/subdistrict/index.html"
    assert sizes["files"] == len(SITE) + 1 and sizes["search_engine"] == "Pagefind"
    # Over 150 KB, largest first; 150 KB itself would not be over.
    assert sizes["pages_over_150kb"] == {
        "count": 3,
        "paths": ["en/levels/subdistrict/index.html", "en/topics/theory/page/2/index.html", "tags/index.html"],
    }


def test_95th_percentile_is_a_page_size_at_or_above_95_percent_of_pages(tmp_path):
    for i in range(1, 41):  # 40 documents of 1..40 KB
        page = tmp_path / "policies" / f"d{i}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_bytes(b"x" * (i * KB_))
    documents = site_sizes(tmp_path, SECTIONS)["page_types"]["document"]
    assert documents["p95_bytes"] == 38 * KB_  # 38 of 40 pages (95 %) are no larger
    assert documents["median_bytes"] == 20.5 * KB_
    assert documents["largest"] == "policies/d40/index.html"
