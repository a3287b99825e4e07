"""Integration tests: real MkDocs builds of the fixture tree, asserting on the written files."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, build_site, copy_fixture
from mkdocs.exceptions import Abort
from pagefind_bundle import decode

from kb import compare
from kb.cjk import GAP
from kb.searchindex import INDEX_LANGUAGE, pairs

INTERNAL_TRACES = ("score-sheet", "青松考评表", "2025年度绩效考核评分细则", "X宣发〔2025〕9号")
SECTIONS = ("policies", "funds", "talent", "cases", "interpretations")


def read(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def article(html: str) -> str:
    """The page's content (the part search indexes), without header, navigation and footer."""
    match = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', html, re.S)
    assert match, "no article in page"
    return match.group(1)


def all_text(site: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*") if p.is_file())


# -- audiences ---------------------------------------------------------------------------------


def test_public_build_leaves_no_trace_of_internal_documents(fixture_sites):
    site = fixture_sites["public"]
    files = [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()]
    assert not [f for f in files if "score-sheet" in f]
    text = all_text(site)
    for trace in INTERNAL_TRACES:
        assert trace not in text, f"internal trace {trace!r} in the public build"


def test_internal_build_has_internal_documents_marked(fixture_sites):
    site = fixture_sites["internal"]
    page = article(read(site, "policies/score-sheet"))
    assert "内部资料，不得对外公开" in page
    assert (site / "attachments" / "score-sheet-2025.xlsx").is_file()
    assert 'href="../../attachments/score-sheet-2025.xlsx"' in page
    assert "X宣发〔2025〕9号" in article(read(site, "policies"))
    # Public documents carry no internal mark.
    assert "内部资料，不得对外公开" not in read(site, "policies/joint-meeting")


def search_records(site: Path) -> list[dict]:
    """Every page record of the site's Pagefind bundles, one per language (their fragments)."""
    return [record for root in ("", "en/") for record in decode(site / root / "pagefind")["fragments"].values()]


def test_search_index_follows_the_audience(fixture_sites):
    public = {r["url"]: r for r in search_records(fixture_sites["public"])}
    internal = {r["url"]: r for r in search_records(fixture_sites["internal"])}
    assert "/policies/score-sheet/" in internal and "/policies/score-sheet/" not in public
    assert not [r for r in public.values() if "青松" in re.sub(r"[ \u200b]", "", r["content"])]
    # Documents and ordinary pages are indexed in both languages; list pages are not.
    assert {"/policies/joint-meeting/", "/en/policies/joint-meeting/", "/about/"} <= set(public)
    assert "/policies/" not in public and "/search/" not in public
    # The metadata card is not indexed text (its labels and values ran together in results' excerpts): a 文号
    # typed in the search box finds the document through the metadata field search_doc_number, which
    # Pagefind searches. (The index holds the pairs of kb/searchindex.py: X委 委办 办发 发 〔 2023 〕 7号 号.)
    record = public["/policies/joint-meeting/"]
    content = " ".join(record["content"].split())
    assert pairs("发文字号") not in content and pairs("时效性") not in content, content[:300]
    searched = " ".join(record["meta"]["search_doc_number"].replace(GAP, "").split())
    assert searched == " ".join((pairs("X委办发"), "〔 2023 〕", pairs("7号")))
    assert record["meta"]["doc_number"] == "X委办发〔2023〕7号"
    assert record["meta"]["title"] == "X区思想政治工作联席会议制度"
    assert record["filters"]["section"] == ["policies"] and record["filters"]["validity"] == ["current"]
    # Each language's bundle in its own root holds that language's pages only.
    for root, lang in (("", "zh"), ("en/", "en")):
        entry = json.loads(
            (fixture_sites["public"] / root / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8")
        )
        assert set(entry["languages"]) == {INDEX_LANGUAGE[lang]}
    assert not list(fixture_sites["public"].glob("**/.pagefind-*"))  # no half-written bundle left behind


# -- generated section pages, per language -----------------------------------------------------


@pytest.mark.parametrize("section", SECTIONS)
def test_section_pages_exist_in_both_languages(fixture_sites, section):
    site = fixture_sites["public"]
    zh, en = read(site, section), read(site, f"en/{section}")
    assert '<html lang="zh"' in zh and '<html lang="en"' in en
    assert 'class="kb-list"' in article(zh) and 'class="kb-list"' in article(en)
    # The language switcher maps the two.
    assert re.search(rf'href="[./]*en/{section}/" hreflang="en"', zh)
    assert re.search(rf'href="[./]*{section}/" hreflang="zh"', en)


def test_section_page_lists_in_force_first_newest_first_with_badges(fixture_sites):
    page = article(read(fixture_sites["public"], "policies"))
    current, past = page.split('<h2 id="past"')
    assert "X委办发〔2023〕7号" in current and "X宣发〔2021〕4号" in past
    assert page.index("X委办发〔2023〕7号") < page.index("X宣发〔2021〕4号") < page.index("X委办发〔2019〕5号")
    assert "kb-badge--current" in page and "kb-badge--expired" in page and "kb-badge--repealed" in page
    assert "中共X区委办公室、X区人民政府办公室" in page


def test_english_section_page_uses_english_labels_and_titles(fixture_sites):
    page = article(read(fixture_sites["public"], "en/policies"))
    assert "Joint Meeting System for Ideological and Political Work in X District" in page
    assert "In force" in page and "Repealed" in page and "Expired" in page
    assert "(in Chinese)" in page  # untranslated documents are listed, marked
    assert "现行有效" not in page


def test_sections_are_in_both_navigations_and_documents_are_not(fixture_sites):
    site = fixture_sites["public"]
    for prefix, title in (("", "政策文件"), ("en/", "Policies")):
        nav = re.search(
            r'<nav class="md-nav md-nav--primary.*?<div class="md-content"',
            read(site, f"{prefix}policies/joint-meeting"),
            re.S,
        )
        assert nav and title in nav.group(0)
        assert "joint-meeting-interim" not in nav.group(0), "document pages must not list every document"


# -- document pages ----------------------------------------------------------------------------


def test_document_page_has_card_with_every_field_of_its_type(fixture_sites):
    page = article(read(fixture_sites["public"], "policies/joint-meeting"))
    for label, value in (
        ("发文字号", "X委办发〔2023〕7号"),
        ("成文日期", "2023-04-12"),
        ("施行日期", "2023-05-01"),
        ("责任单位", "区委宣传部"),
        ("最近复核", "2026-03-10"),
        ("时效性", "现行有效"),
        ("主题分类", "工作格局"),
        ("适用层级", "镇街"),
    ):
        assert re.search(rf"<dt>{label}</dt><dd[^>]*>.*?{re.escape(value)}", page, re.S), label
    assert "X区思想政治工作联席会议制度（试行）" in page  # supersedes
    assert "X区基层思想政治工作专项资金管理办法" in page  # related
    fund = article(read(fixture_sites["public"], "funds/special-fund"))
    # A value search finds the document by is a metadata field of the search index (kb/schema.py searched).
    assert '<dt>资金名称</dt><dd data-pagefind-meta="search_fund">基层思想政治工作专项资金</dd>' in fund
    assert "<dt>年度预算（万元）</dt><dd>300</dd>" in fund
    talent = article(read(fixture_sites["public"], "talent/talent-plan"))
    assert "<dt>规划期</dt><dd>2024–2026</dd>" in talent
    case = article(read(fixture_sites["public"], "cases/lao-ma"))
    assert '<dt>主体单位</dt><dd data-pagefind-meta="search_unit">中共X区委宣传部</dd>' in case
    assert "全区基层思想政治工作示范项目" in case


def test_superseded_document_links_to_its_successor(fixture_sites):
    page = article(read(fixture_sites["public"], "policies/joint-meeting-interim"))
    banner = re.search(r'<div class="admonition warning kb-superseded".*?</div>', page, re.S).group(0)
    assert "本文件已废止，由以下文件替代" in banner
    assert 'href="../joint-meeting/"' in banner


def test_expired_document_shows_expired_without_editing(fixture_sites):
    page = article(read(fixture_sites["public"], "policies/action-plan"))
    assert "kb-expired" in page and "本文件有效期至 2023-12-31，已失效。" in page


def test_interpreted_document_lists_its_interpretations(fixture_sites):
    page = article(read(fixture_sites["public"], "policies/joint-meeting"))
    box = re.search(r'<aside class="kb-interpretations".*?</aside>', page, re.S).group(0)
    assert 'href="../../interpretations/joint-meeting-qa/"' in box
    qa = article(read(fixture_sites["public"], "interpretations/joint-meeting-qa"))
    assert "<dt>解读文件</dt>" in qa and 'href="../../policies/joint-meeting/"' in qa


def test_english_pages_translated_or_marked_untranslated(fixture_sites):
    site = fixture_sites["public"]
    translated = article(read(site, "en/policies/joint-meeting"))
    assert '<h1 data-pagefind-weight="10">Joint Meeting System' in translated and "kb-untranslated" not in translated
    assert "<dt>Document No.</dt>" in translated
    fallback = article(read(site, "en/policies/action-plan"))
    assert "kb-untranslated" in fallback and "has not been translated yet" in fallback
    assert "三年行动方案正文" in fallback
    # The English page takes the body the Chinese run rendered, with its table of contents and anchors.
    chinese, english = read(site, "talent/talent-plan"), read(site, "en/talent/talent-plan")
    assert toc(chinese) == toc(english) == ["#_1"]
    assert '<h2 id="_1">一、总体要求' in article(chinese) and '<h2 id="_1">一、总体要求' in article(english)


def test_a_build_compares_each_pair_once_for_both_languages(tmp_path):
    """The English run shows the comparisons the Chinese run computed, however many the library has
    (a cache of fixed size forgot them all past its size)."""
    site = build_site(copy_fixture(tmp_path), tmp_path / "site")
    pairs = len(list((site / "compare").glob("*/*/index.html")))
    assert pairs >= 1 and len(list((site / "en" / "compare").glob("*/*/index.html"))) == pairs
    assert compare.compare.cache_info()[:2] == (pairs, pairs)  # (hits, misses): each computed once
    build_site(copy_fixture(tmp_path / "again"), tmp_path / "again" / "site")
    assert compare.compare.cache_info()[:2] == (pairs, pairs)  # a new build forgets the previous one's


def toc(html: str) -> list[str]:
    """The anchors of a page's table of contents (Material's secondary navigation)."""
    nav = html[html.index("md-nav--secondary") :]
    return re.findall(r'<a href="(#[^"]*)" class="md-nav__link">', nav[: nav.index("</nav>")])


def test_summary_is_the_meta_description(fixture_sites):
    html = read(fixture_sites["public"], "policies/joint-meeting")
    assert '<meta name="description" content="明确联席会议的组成、职责和议事规则。">' in html


# -- editors' changes and failures -------------------------------------------------------------


def test_new_document_appears_on_its_section_page_in_both_languages(tmp_path):
    docs = copy_fixture(tmp_path)
    (docs / "cases" / "grid-visits.md").write_text(
        "---\ntitle: 第3网格入户走访\nsummary: 网格员每月入户走访的做法。\ntopics: [structure]\nlevels: [grid]\n"
        "visibility: public\ndate: 2026-03-02\nunit: 枫林社区第3网格\n---\n\n## 背景\n\n正文。\n",
        encoding="utf-8",
    )
    site = build_site(docs, tmp_path / "site")
    for prefix in ("", "en/"):
        assert re.search(r'href="grid-visits/"[^>]*>第3网格入户走访</a>', article(read(site, f"{prefix}cases")))
    assert '<dt>主体单位</dt><dd data-pagefind-meta="search_unit">枫林社区第3网格</dd>' in article(
        read(site, "cases/grid-visits")
    )


def test_invalid_content_aborts_before_writing_anything(tmp_path, caplog):
    docs = copy_fixture(tmp_path)
    bad = docs / "policies" / "joint-meeting.md"
    bad.write_text(
        bad.read_text(encoding="utf-8").replace("issued: 2023-04-12", "issued: 2023年4月12日"), encoding="utf-8"
    )
    site = tmp_path / "site"
    site.mkdir()
    (site / "previous.html").write_text("old", encoding="utf-8")
    with pytest.raises(Abort):
        build_site(docs, site)
    assert [p.name for p in site.iterdir()] == ["previous.html"]
    assert "docs/policies/joint-meeting.md:9: issued: 成文日期：日期“2023年4月12日”写法不对" in caplog.text


def test_failed_cli_build_keeps_the_previous_site(tmp_path):
    docs = copy_fixture(tmp_path)
    site = tmp_path / "site"
    env = {"KB_BUILD_DATE": "2026-11-28", "PATH": "/usr/bin:/bin"}
    ok = subprocess.run(
        [sys.executable, "-m", "kb", "build", "--docs", str(docs), "--site-dir", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr
    before = (site / "index.html").read_bytes()
    (docs / "funds" / "special-fund.md").write_bytes("---\ntitle: 坏\n".encode("gbk") + b"\xd6\xd0")
    failed = subprocess.run(
        [sys.executable, "-m", "kb", "build", "--docs", str(docs), "--site-dir", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert failed.returncode != 0
    assert "Traceback" not in failed.stderr + failed.stdout
    assert "docs/funds/special-fund.md" in failed.stderr or "special-fund.md" in failed.stderr
    assert "文件不是 UTF-8 编码" in failed.stderr
    assert (site / "index.html").read_bytes() == before
    assert not list(tmp_path.glob(".site.*")), "no half-built folder is left behind"


def test_bold_lead_in_before_chinese_text_renders(fixture_sites):
    # Chinese documents write **要点。**正文 with no space; some emphasis extensions leave it as asterisks.
    page = article(read(fixture_sites["public"], "policies/joint-meeting"))
    assert "<strong>坚持党的领导。</strong>把思想政治工作" in page


def test_untranslated_ordinary_page_is_marked_in_english(fixture_sites):
    site = fixture_sites["public"]
    assert "kb-untranslated" in article(read(site, "en/guide"))
    assert "kb-untranslated" not in article(read(site, "en")) and "kb-untranslated" not in article(read(site, "guide"))


def test_files_are_published_only_with_a_public_page_that_uses_them(tmp_path):
    """Wherever a file lies, the public build has it only when a public page links to it, embeds it or
    lists it; a file only an internal page uses (a picture beside it, a PDF it links) stays out."""
    docs = copy_fixture(tmp_path)
    signature = {"png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-1.4\n"}  # what make check takes for each type
    for name in (
        "policies/score-sheet-chart.png",
        "policies/score-sheet-rules.pdf",
        "images/public-chart.png",
        "images/unused.png",
    ):
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_bytes(signature[name.rsplit(".", 1)[1]])
    internal = docs / "policies" / "score-sheet.md"
    internal.write_text(
        internal.read_text(encoding="utf-8") + "\n![图表](score-sheet-chart.png)\n\n[细则](score-sheet-rules.pdf)\n",
        encoding="utf-8",
    )
    public = docs / "policies" / "joint-meeting.md"
    public.write_text(
        public.read_text(encoding="utf-8") + "\n![示意图](../images/public-chart.png)\n", encoding="utf-8"
    )
    site = build_site(docs, tmp_path / "public", "public")
    assert (site / "images" / "public-chart.png").is_file()
    for name in ("policies/score-sheet-chart.png", "policies/score-sheet-rules.pdf", "images/unused.png"):
        assert not (site / name).exists(), f"{name} is in the public build"
    site = build_site(docs, tmp_path / "internal", "internal")
    for name in ("policies/score-sheet-chart.png", "policies/score-sheet-rules.pdf", "images/public-chart.png"):
        assert (site / name).is_file(), f"{name} is missing from the internal build"


def test_a_page_body_is_sanitized_when_it_is_written(tmp_path):
    """The sanitizer is the first line, not the checker: a body that would be refused by make check,
    built anyway (as a careless fork could), reaches the page without what runs or loads."""
    docs = copy_fixture(tmp_path)
    (docs / "about.md").write_text(
        "---\ntitle: 关于\n---\n\n<img src=x onerror=alert(1)>[链接](javascript:alert(2))"
        "<iframe src=https://example.com></iframe>{: onclick=alert(3) }\n",
        encoding="utf-8",
    )
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    import kb.site

    config = load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    original = kb.site.validate
    kb.site.validate = lambda *args, **kwargs: (original(*args, **kwargs)[0], [])  # the check waved through
    try:
        build(config)
    finally:
        kb.site.validate = original
    from selectolax.lexbor import LexborHTMLParser

    page = LexborHTMLParser(article((tmp_path / "site" / "about" / "index.html").read_text(encoding="utf-8")))
    attributes = [
        (node.tag, name, value or "") for node in page.body.traverse() for name, value in node.attributes.items()
    ]
    assert not [a for a in attributes if a[1].startswith("on") or "javascript" in a[2].lower()], attributes
    assert not page.css("iframe") and page.css("img") and "链接" in page.body.text()


def test_mkdocs_link_warnings_reach_the_editor_in_chinese(tmp_path):
    """A warning MkDocs gives about a page's link, were one to slip past make check, names the file and
    the line in Chinese, as the check does, and still fails the strict build."""
    from kb import buildlog

    docs = copy_fixture(tmp_path)
    (docs / "about.md").write_text("---\ntitle: 关于\n---\n\n第一段。\n\n见[资金](funds/)。\n", encoding="utf-8")
    problem = buildlog.problem(
        "Doc file 'about.md' contains an unrecognized relative link 'funds/', it was left as is.", docs, tmp_path
    )
    assert problem.text() == (
        "docs/about.md:7: body: 链接 funds/ 没有指向 .md 文件，网站上会成为断链 — "
        "链接其他页面时写它的 .md 文件路径，例如 ../funds/special-fund.md"
    )
    assert buildlog.problem("Some other warning", docs, tmp_path) is None
