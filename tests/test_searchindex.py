"""The copy Pagefind indexes (each word with Han characters cut into overlapping pairs of units; values
and scripts untouched), and the bundles: one per language in its root, built in a process of its own that
leaves nothing half-written; the character classes of both, defined once (kb/cjk.py) and carried to the
search scripts by the pages."""

import html
import json
import re
import signal
import time

import pytest
from conftest import ROOT

from kb import cjk, lang, pages, searchindex
from kb.data import LANGUAGES, load_vocabulary
from kb.searchindex import INDEX_LANGUAGE, SearchIndexError, finish_index, paired, start_index


def test_words_with_han_characters_become_overlapping_pairs_and_their_last_character():
    assert paired("<p>联席会议制度</p>") == "<p> 联席 席会 会议 议制 制度 度 </p>"
    assert paired("<p>会</p>") == "<p> 会 </p>"


def test_latin_letters_and_digits_are_units_of_a_word_and_punctuation_stands_alone():
    assert paired("<dd>X宣发〔2024〕3号</dd>") == "<dd> X宣 宣发 发  〔 2024 〕  3号 号 </dd>"
    assert paired("<p>见38号文件。Markdown 文本</p>") == "<p> 见38 38号 号文 文件 件  。 Markdown  文本 本 </p>"


def test_text_without_han_characters_is_untouched():
    assert paired("<p>Joint meeting, 2024-03-15.</p>") == "<p>Joint meeting, 2024-03-15.</p>"
    # A long run of letters (a minified script, a data: address) is read once, not once a letter.
    assert paired("<p>" + "a" * 200_000 + "中</p>") == "<p> " + "a" * 200_000 + "中 中 </p>"


def test_filter_meta_and_sort_values_are_untouched():
    html = (
        '<span data-pagefind-filter="issuer">中共X区委宣传部</span><span data-pagefind-meta="title">标题</span>'
        '<span data-pagefind-sort="date">2024-01-01</span><b>正文</b>'
    )
    assert paired(html) == html.replace("<b>正文</b>", "<b> 正文 文 </b>")


def test_scripts_styles_and_attributes_are_untouched():
    html = '<script>var a = "中文";</script><style>p::before{content:"中"}</style><a title="标题">链接</a>'
    assert paired(html) == html.replace(">链接<", "> 链接 接 <")


def test_each_language_gets_its_own_bundle_in_its_root_and_a_stopped_run_leaves_nothing(tmp_path):
    def page(path, lang, text):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(
            f'<html lang="{lang}"><body><main data-pagefind-body><h1>{text}</h1></main></body></html>', encoding="utf-8"
        )

    page("policies/a/index.html", "zh", "联席会议制度")
    page("en/policies/a/index.html", "en", "Joint meeting system")
    for code in ("zh", "en"):
        assert "秒" in finish_index(start_index(tmp_path, code))
    for root, code, _url in (("", "zh", "/policies/a/"), ("en/", "en", "/en/policies/a/")):
        entry = json.loads((tmp_path / root / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert (
            set(entry["languages"]) == {INDEX_LANGUAGE[code]}
            and entry["languages"][INDEX_LANGUAGE[code]]["page_count"] == 1
        ), entry
    before = sorted(p.name for p in (tmp_path / "pagefind").iterdir())
    stopped = start_index(tmp_path, "zh", background=True)
    for _ in range(500):  # stopped while its new bundle is being written
        if list(tmp_path.glob(".pagefind-*")):
            break
        time.sleep(0.01)
    stopped.send_signal(signal.SIGTERM)
    assert stopped.wait() == 128 + signal.SIGTERM
    assert not list(tmp_path.glob("**/.pagefind-*"))
    assert sorted(p.name for p in (tmp_path / "pagefind").iterdir()) == before


def test_a_failed_index_says_which_language_and_why_without_a_traceback(tmp_path):
    with pytest.raises(SearchIndexError) as failed:
        finish_index(start_index(tmp_path / "no-such-site", "en"))
    assert str(failed.value).startswith("搜索索引生成失败（en）：") and "Traceback" not in str(failed.value)


def test_the_character_classes_are_kb_cjks_in_python_and_in_the_pages_configuration():
    assert searchindex.HAN is cjk.HAN and searchindex.PUNCTUATION is cjk.PUNCTUATION and lang.HAN is cjk.HAN
    vocab = load_vocabulary()
    for language in LANGUAGES:
        assert pages.header_search_config(vocab, language)["chars"] is cjk.SEARCH_CHARS
    for page in (p for p in pages.generated_pages(vocab) if p.kind == "search"):
        assert pages.search_context(None, page, "public", vocab)["search_config"]["chars"] is cjk.SEARCH_CHARS
    assert cjk.SEARCH_CHARS == {"han": cjk.HAN, "punctuation": cjk.PUNCTUATION, "breaks": cjk.QUERY_BREAKS}
    # A character class that Python and the browser read alike: a query's words.
    assert re.split(f"[{cjk.QUERY_BREAKS}]+", "X宣发〔2024〕3号 “老马”，精神") == [
        "X宣发",
        "2024",
        "3号",
        "老马",
        "精神",
    ]


def test_the_built_pages_carry_exactly_those_classes(real_sites):
    site = real_sites["public"]
    for root in ("", "en/"):
        search = (site / root / "search" / "index.html").read_text(encoding="utf-8")
        block = re.search(r'<script type="application/json" id="kb-search-config">(.*?)</script>', search, re.S)
        assert json.loads(block.group(1))["chars"] == cjk.SEARCH_CHARS
        document = (site / root / "policies" / "joint-meeting" / "index.html").read_text(encoding="utf-8")
        header = re.search(r'data-kb-config="([^"]*)"', document)
        assert json.loads(html.unescape(header.group(1)))["chars"] == cjk.SEARCH_CHARS


def test_no_script_writes_a_character_class_of_its_own():
    """The scripts build their expressions from the configuration: none writes a Han or CJK punctuation
    range (or character) itself, as an escape or literally, so the classes cannot drift apart again."""
    ranges = [(ord(a), ord(b)) for klass in (cjk.HAN, cjk.PUNCTUATION) for a, b in re.findall(r"(.)-(.)", klass)]
    scripts = sorted((ROOT / "overrides").rglob("*.js"))
    assert ROOT / "overrides" / "assets" / "javascripts" / "kb-search" / "query.js" in scripts
    for script in scripts:
        text = script.read_text(encoding="utf-8")
        escapes = [int(code, 16) for code in re.findall(r"\\u\{?([0-9a-fA-F]{4,6})\}?", text)]
        inside = [hex(code) for code in escapes if any(low <= code <= high for low, high in ranges)]
        literal = [klass for klass in re.findall(r"(.-.)", cjk.HAN + cjk.PUNCTUATION) if klass in text]
        assert not inside and not literal, (script.relative_to(ROOT), inside, literal)
