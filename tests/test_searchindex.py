"""The copy Pagefind indexes (each word with Han characters cut into overlapping pairs of units, white space
beside it marked; values and scripts untouched, the fields meant to be searched cut too), and the bundles: one per language in its root, built in a process of its own that
leaves nothing half-written; the character classes of both, defined once (kb/cjk.py) and carried to the
search scripts by the pages."""

import html
import json
import re
import signal
import time

import pytest
from conftest import ROOT

from kb import cjk, lang, pages, schema, searchindex
from kb.cjk import GAP, joined
from kb.data import LANGUAGES, load_vocabulary
from kb.searchindex import INDEX_LANGUAGE, META_WEIGHTS, SearchIndexError, finish_index, paired, start_index


def test_words_with_han_characters_become_overlapping_pairs_and_their_last_character():
    assert paired("<p>联席会议制度</p>") == "<p> 联席 席会 会议 议制 制度 度 </p>"
    assert paired("<p>会</p>") == "<p> 会 </p>"


def test_latin_letters_and_digits_are_units_of_a_word_and_punctuation_stands_alone():
    assert paired("<dd>X宣发〔2024〕3号</dd>") == "<dd> X宣 宣发 发  〔 2024 〕  3号 号 </dd>"
    assert paired("<p>见38号文件。Markdown 文本</p>") == f"<p> 见38 38号 号文 文件 件  。 Markdown  {GAP}文本 本 </p>"


def test_white_space_beside_a_word_is_marked_in_it_and_only_there():
    """The copy's own spaces around pairs are no gap of the text: the browser shows a space beside a word
    of pairs only where GAP marks one (kb-search/query.js)."""
    assert paired("<p>网格员 入户走访</p>") == f"<p> 网格 格员 员{GAP}   {GAP}入户 户走 走访 访 </p>"
    assert paired("<p>No. X财行〔2022〕12号 issued</p>") == (
        f"<p>No.  {GAP}X财 财行 行  〔 2022 〕  12号 号{GAP}  issued</p>"
    )
    # Past the tags between; an ideographic space and the line between two blocks are gaps too.
    assert paired("<p><strong>资金</strong> 管理</p>") == f"<p><strong> 资金 金{GAP} </strong>  {GAP}管理 理 </p>"
    assert paired("<h2>第一章\u3000总则</h2>\n<p>第一条</p>") == (
        f"<h2> 第一 一章 章{GAP} \u3000 {GAP}总则 则{GAP} </h2>\n<p> {GAP}第一 一条 条 </p>"
    )
    # None where the text runs on: between words and marks, or across an inline tag.
    assert GAP not in paired("<p>联席会议。<a href='#'>制度</a>（试行）</p><p>")
    assert GAP not in paired("<p>见38号文件</p>")


def test_the_titles_field_has_its_pairs_marked_as_words_of_their_own():
    """A phrase of marked pairs finds the pages whose title has a word (kb-search/bundle.js find); the
    heading in the text and the title shown in results keep their pairs and text."""
    title = f'<span hidden data-pagefind-meta="{searchindex.TITLE_META}">X区联席会议 Rules（试行）</span>'
    assert paired(title + "<h1>X区联席会议</h1>") == (
        f'<span hidden data-pagefind-meta="{searchindex.TITLE_META}">'
        f"_X区 _区联 _联席 _席会 _会议 _议{GAP} Rules （ _试行 _行 ）</span><h1> X区 区联 联席 席会 会议 议 </h1>"
    )
    assert (
        paired('<span data-pagefind-meta="title">联席会议</span>') == '<span data-pagefind-meta="title">联席会议</span>'
    )


def test_a_document_number_is_one_word_of_its_own_field():
    """A search of a 文号 finds its document from this word's short list (kb-search/result.js
    rankFirst); the card's field keeps its pairs, which find the documents citing it too."""
    word = f'<span data-pagefind-meta="{searchindex.NUMBER_META}">{joined("X政发〔2021〕179号")}</span>'
    assert paired(word) == f'<span data-pagefind-meta="{searchindex.NUMBER_META}">X政发2021179号</span>'
    card = '<dd data-pagefind-meta="search_doc_number">X政发〔2021〕179号</dd>'
    assert paired(card) == '<dd data-pagefind-meta="search_doc_number"> X政 政发 发  〔 2021 〕  179号 号 </dd>'


def test_text_without_han_characters_is_untouched():
    assert paired("<p>Joint meeting, 2024-03-15.</p>") == "<p>Joint meeting, 2024-03-15.</p>"
    # A long run of letters (a minified script, a data: address) is read once, not once a letter.
    assert paired("<p>" + "a" * 200_000 + "中</p>") == "<p> " + "a" * 200_000 + "中 中 </p>"


def test_filter_meta_and_sort_values_are_untouched_but_the_fields_meant_to_be_searched():
    html = (
        '<span data-pagefind-filter="issuer">中共X区委宣传部</span><span data-pagefind-meta="title">标题</span>'
        '<span data-pagefind-sort="date">2024-01-01</span><b>正文</b>'
    )
    assert paired(html) == html.replace("<b>正文</b>", "<b> 正文 文 </b>")
    # A search_ field is searched as the text is, so it is cut as the text is (the card's 文号).
    searched = '<dd class="kb-card__number" data-pagefind-meta="search_doc_number">X宣发〔2024〕3号</dd>'
    assert paired(searched) == searched.replace(">X宣发〔2024〕3号<", "> X宣 宣发 发  〔 2024 〕  3号 号 <")


def test_headings_permalinks_are_left_out():
    html = '<h2 id="_1">第一章　总则<a class="headerlink" href="#_1" title="本节链接">¶</a></h2>'
    assert "¶" not in paired(html) and "headerlink" not in paired(html)
    assert (
        paired('<h2 id="a">Funding<a class="headerlink" href="#a" title="Link">¶</a></h2>') == '<h2 id="a">Funding</h2>'
    )


def test_the_card_values_searched_and_their_weights_come_from_the_content_model():
    assert {f"search_{f.key}": f.searched for f in schema.CARD if f.searched} == META_WEIGHTS
    # A 文号 outweighs every other value; dates, states and links to other documents are not searched.
    assert META_WEIGHTS["search_doc_number"] > max(w for k, w in META_WEIGHTS.items() if k != "search_doc_number")
    assert {"search_issuer", "search_tags"} <= set(META_WEIGHTS)
    assert not {"search_issued", "search_validity", "search_related", "search_supersedes"} & set(META_WEIGHTS)


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
        config = pages.header_search_config(vocab, language)
        assert config["chars"] is cjk.SEARCH_CHARS and config["weights"] is META_WEIGHTS
    for page in (p for p in pages.generated_pages(vocab) if p.kind == "search"):
        config = pages.search_context(None, page, "public", vocab)["search_config"]
        assert config["chars"] is cjk.SEARCH_CHARS and config["weights"] is META_WEIGHTS
    assert cjk.SEARCH_CHARS == {
        "han": cjk.HAN,
        "punctuation": cjk.PUNCTUATION,
        "breaks": cjk.QUERY_BREAKS,
        "gap": cjk.GAP,
    }
    # The mark of a gap is none of the characters that cut a word or a query.
    assert not re.match(f"[\\s{cjk.HAN}{cjk.PUNCTUATION}{cjk.QUERY_BREAKS}]", cjk.GAP)
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
        assert json.loads(block.group(1))["weights"] == META_WEIGHTS
        document = (site / root / "policies" / "joint-meeting" / "index.html").read_text(encoding="utf-8")
        header = re.search(r'data-kb-config="([^"]*)"', document)
        assert json.loads(html.unescape(header.group(1)))["chars"] == cjk.SEARCH_CHARS
        assert json.loads(html.unescape(header.group(1)))["weights"] == META_WEIGHTS
        # The card is left out of the indexed text; its 文号 is a field searched with its weight.
        assert re.search(r'<section class="kb-card"[^>]* data-pagefind-ignore>', document)
        assert re.search(r'<dd class="kb-card__number" data-pagefind-meta="search_doc_number"[^>]*>X委办发', document)


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
