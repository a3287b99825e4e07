"""The search index built in parts and merged (kb/pfmerge.py) is the bundle one Pagefind run over all the
pages writes, as the browser reads it: the same words on the same pages at the same places, meta fields by
name, word counts, filters, sorts, fragments and chunk bounds."""

import shutil

import pytest
from pagefind_bundle import decode

from kb import pfmerge, searchindex
from kb.searchindex import SearchIndexError, build_index


def page(site, path, body, lang="zh"):
    """A page Pagefind indexes, at ``path`` of ``site``."""
    (site / path).parent.mkdir(parents=True, exist_ok=True)
    (site / path).write_text(
        f'<html lang="{lang}"><body><main data-pagefind-body>{body}</main></body></html>', encoding="utf-8"
    )


def both_ways(site, tmp_path, lang, part_pages, monkeypatch):
    """The bundle of one Pagefind run over ``site`` and the one merged from parts of ``part_pages`` pages,
    decoded; and how many parts the merge had."""
    merges = []
    merge = pfmerge.merge
    monkeypatch.setattr(
        pfmerge, "merge", lambda folders, *a, **k: merges.append(len(folders)) or merge(folders, *a, **k)
    )
    root = searchindex.language_root(lang)[0]
    bundles = {}
    for name, size in (("whole", 10**6), ("parts", part_pages)):
        copy = tmp_path / name
        shutil.copytree(site, copy)
        build_index(copy, lang, part_pages=size)
        bundles[name] = decode(copy / root / "pagefind")
    return bundles["whole"], bundles["parts"], merges


def test_pages_indexed_in_parts_and_merged_read_as_one_run_over_all(tmp_path, monkeypatch):
    # Small chunks (Pagefind and the merge both read the variable), so that words span several chunks.
    monkeypatch.setenv(pfmerge.CHUNK_SIZE_VARIABLE, "40")
    site = tmp_path / "site"
    for n in range(9):
        # Meta fields differ between pages (a part may lack one, so field ids differ between parts); 联席会议
        # (its pairs) is on every page, so its list of pages crosses every part's boundary; café is a variant.
        fields = f'<span data-pagefind-meta="zeta">甲{n}</span>' if n % 3 == 2 else ""
        fields += f'<span data-pagefind-meta="title">第{n}号 联席会议纪要</span>'
        fields += '<span data-pagefind-meta="search_doc_number">X宣发〔2024〕3号</span>' if n in (0, 5) else ""
        page(
            site,
            f"policies/p{n}/index.html",
            f"<h1>联席会议 第{n}次</h1>{fields}"
            f'<span data-pagefind-filter="topic">{"教育" if n % 2 else "卫生"}</span>'
            + ('<span data-pagefind-filter="level">区级</span>' if n > 4 else "")
            + f'<span data-pagefind-sort="date">2024-0{n % 4 + 1}-01</span>'  # ties across parts
            + f'<span data-pagefind-sort="rank">{(7 * n) % 5}</span>'  # numbers, not strings
            + f"<p>网格员 入户走访 {'café cafe ' * (n % 3)}policy word{n} 联席</p>",
        )
    page(site, "about/index.html", "<h1>关于 联席会议</h1><p>No sort, no filter.</p>")
    whole, parts, merges = both_ways(site, tmp_path, "zh", 4, monkeypatch)
    assert merges == [3]
    assert parts == whole
    assert len(whole["chunks"]) > 3 and len(whole["pages"]) == 10
    assert whole["sorts"]["rank"][:2] == ["/policies/p0/", "/policies/p5/"]  # 0 and 0: ties in page order
    # Numbered newest first, the page without a date last; the date's own sort is gone from the meta.
    months = [int(url[-2]) % 4 + 1 for url in whole["numbered"][:-1]]  # /policies/p<n>/: 2024-0<n % 4 + 1>-01
    assert months == sorted(months, reverse=True) and whole["numbered"][-1] == "/about/"
    assert set(whole["sorts"]) == {"rank"}
    assert whole["filters"]["level"]["区级"] == {f"/policies/p{n}/" for n in range(5, 9)}
    assert set(whole["words"]["联席"][0]) == set(whole["pages"])
    assert "zeta" in whole["fields"] and whole["words"]["甲2"][0]["/policies/p2/"][1] == {"zeta": [0]}


def test_the_fixture_site_merged_from_parts_reads_as_one_run(fixture_sites, tmp_path, monkeypatch):
    """Real pages: documents with their filters, sorts, card fields and pairs, in both languages."""
    for lang, part_pages in (("zh", 3), ("en", 1)):  # 10 and 2 pages
        whole, parts, merges = both_ways(fixture_sites["public"], tmp_path / lang, lang, part_pages, monkeypatch)
        assert merges and merges[-1] > 1
        assert parts == whole
        assert whole["filters"] and len(whole["pages"]) > 1 and not whole["sorts"]


def test_a_sort_value_the_merge_cannot_read_fails_the_index_and_keeps_the_old_bundle(tmp_path):
    for n, date in enumerate(["2024-03-01", "2024-01-01", "2024-02-01"]):
        page(
            tmp_path,
            f"p{n}/index.html",
            f'<h1>文件</h1><span data-date="{date}" data-pagefind-sort="date[data-date]"></span>',
        )
    build_index(tmp_path, "zh")
    before = sorted(p.name for p in (tmp_path / "pagefind").iterdir())
    with pytest.raises(SearchIndexError, match="sort 'date'"):
        build_index(tmp_path, "zh", part_pages=2)
    assert sorted(p.name for p in (tmp_path / "pagefind").iterdir()) == before
    assert not list(tmp_path.glob(".pagefind-*"))


def test_sort_values_are_read_as_pagefind_reads_them():
    assert pfmerge.sort_values('<span data-pagefind-sort="date"> 2024-01-02\n</span>') == {"date": "2024-01-02"}
    assert pfmerge.sort_values("<b data-pagefind-sort='rank:7'>x</b>") == {"rank": "7"}
    assert pfmerge.sort_values('<i data-pagefind-sort="a, b">A &amp; B</i>') == {"a": "A & B", "b": "A & B"}


def test_file_names_are_pagefinds_and_stay_unique():
    assert pfmerge.full_hash(b"") == "da39a3ee5e6b4bd3255bfef95601890afd879"  # byte 0d written as d
    names = pfmerge.Names("x-pairs")
    first, again = names.name(b"a"), names.name(b"a")
    assert first == again == "x-pairs_" + pfmerge.full_hash(b"a")[:7]
    names.taken["x-pairs_" + pfmerge.full_hash(b"b")[:7]] = "x-pairs_other"
    assert names.name(b"b") == "x-pairs_" + pfmerge.full_hash(b"b")[:8]


def test_word_counts_are_rounded_so_that_the_meta_compresses(tmp_path):
    # Pages of 1 to 400 words: Pagefind counts each exactly; the bundle keeps each within 3.4 %, on a grid.
    lengths = [1, 7, 29, 30, 61, 130, 131, 257, 400]
    for n, length in enumerate(lengths):
        page(tmp_path, f"en/p{n}/index.html", "<p>" + " ".join(f"w{n}x{i}" for i in range(length)) + "</p>", lang="en")
    build_index(tmp_path, "en")
    counts = decode(tmp_path / "en" / "pagefind")["pages"]
    by_page = {int(url.split("/")[-2][1:]): count for url, count in counts.items()}
    assert all(abs(by_page[n] - length) <= length / 30 for n, length in enumerate(lengths)), sorted(by_page.items())
    assert all(pfmerge.rounded_count(count) == count for count in counts.values())
    assert (by_page[3], by_page[5], by_page[6], by_page[7]) == (31, 128, 134, 256)  # 2 ** 7 and 2 ** 8 exactly
    # One value in 16 per doubling: the counts of 20,000 pages repeat (rounded to 148 values up to 5,000).
    assert len({pfmerge.rounded_count(c) for c in range(1, 5001)}) < 160
