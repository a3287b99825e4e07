"""The browsing pages in the built fixture sites, per audience and language: topic and level pages,
section filters, home blocks, statistics, 修订对照, review list, backlinks, tags, catalog.json,
feeds and redirects (the site is built once per session by conftest.fixture_sites)."""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin
from xml.etree import ElementTree

import pytest
from test_build import INTERNAL_TRACES, article, read

ATOM = {"a": "http://www.w3.org/2005/Atom"}
COMPARE = "compare/policies/joint-meeting--policies-joint-meeting-interim"


def tabs(html: str) -> list[tuple[str, str]]:
    """(href, label) of the navigation tabs."""
    nav = re.search(r'<nav class="md-tabs".*?</nav>', html, re.S).group(0)
    return [
        (href, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", label)).strip())
        for href, label in re.findall(r'<a href="([^"]*)" class="md-tabs__link">(.*?)</a>', nav, re.S)
    ]


@pytest.mark.parametrize(
    "prefix, labels", [("", ["按主题", "按层级", "统计"]), ("en/", ["By topic", "By level", "Statistics"])]
)
def test_topics_levels_and_statistics_are_in_the_navigation_not_every_topic(fixture_sites, prefix, labels):
    found = tabs(read(fixture_sites["public"], f"{prefix}policies"))
    assert [(href, label) for href, label in found if href.startswith(("../topics", "../levels", "../stats"))] == [
        ("../topics/", labels[0]),
        ("../levels/", labels[1]),
        ("../stats/", labels[2]),
    ]


def test_every_topic_and_level_has_a_page_in_both_languages(fixture_sites):
    site = fixture_sites["public"]
    for prefix in ("", "en/"):
        for path in (
            "topics/theory",
            "topics/civilization",
            "levels/district",
            "levels/grid",
            "topics",
            "levels",
            "stats",
            "tags",
        ):
            assert (site / prefix / path / "index.html").is_file(), prefix + path
    entry = article(read(site, "levels"))
    assert re.search(
        r'href="grid/">\s*<span class="kb-facet__label">网格</span> <span class="kb-facet__count">2</span>', entry
    )
    assert "Grid" in article(read(site, "en/levels"))


def test_level_page_lists_documents_in_force_first_each_with_its_section(fixture_sites):
    page = article(read(fixture_sites["public"], "levels/district"))
    assert "<h1>适用于区级的文件</h1>" in page and "共 6 件" in page
    current, past = page.split('<h2 id="past" class="kb-past__title">已修订、已废止或已失效的文件</h2>')
    assert "X委办发〔2023〕7号" in current and "X委办发〔2019〕5号" in past
    assert current.count('<li class="kb-entry">') == 5 and past.count('<li class="kb-entry">') == 1
    assert '<span class="kb-entry__section">典型案例</span>' in current
    assert "kb-pager" not in page  # one page: no pager
    grid = article(read(fixture_sites["public"], "en/levels/grid"))
    assert "<h1>Grid level</h1>" in grid and "传承“时代楷模”老马精神" in grid and "X宣发〔2021〕4号" in grid


def test_topic_pages_count_only_what_the_audience_sees(fixture_sites):
    public = article(read(fixture_sites["public"], "topics/evaluation"))
    internal = article(read(fixture_sites["internal"], "topics/evaluation"))
    assert "暂无文件。" in public and "共 0 件" in public
    assert "X宣发〔2025〕9号" in internal and "共 1 件" in internal


def test_section_page_carries_the_data_its_filters_read(fixture_sites):
    page = article(read(fixture_sites["public"], "policies"))
    form = re.search(r'<form class="kb-filter" data-kb-filter hidden.*?</form>', page, re.S).group(0)
    assert re.findall(r'<select name="(\w+)"', form) == ["topic", "level", "issuer", "year", "validity", "sort"]
    assert '<option value="number">按发文字号</option>' in form
    assert 'data-kb-browse="browse.json"' in form
    # the data of the whole section, in the order of its pages, beside the page
    data = json.loads((fixture_sites["public"] / "policies" / "browse.json").read_text(encoding="utf-8"))
    first = data[0]
    assert first["f"]["topic"] == ["structure"] and first["f"]["level"] == ["district", "subdistrict"]
    assert first["f"]["issuer"] == ["中共X区委办公室", "X区人民政府办公室"]
    assert (first["f"]["year"], first["v"], first["k"]) == (["2023"], "current", "X委办发〔2023〕000007")
    assert "score-sheet" not in json.dumps(data)  # what the audience may not see is not in it either
    # the plain list is there without JavaScript, in force first, newest first
    dates = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)">', page)
    assert [d["d"] for d in data] == dates


def test_home_page_keeps_its_text_and_gains_the_generated_blocks(fixture_sites):
    zh = article(read(fixture_sites["public"], ""))
    assert "测试首页。" in zh and "<!-- kb:home -->" not in zh
    assert "知识库共收录文件 7 件。" in zh
    assert re.search(r'href="levels/grid/">\s*<span class="kb-facet__label">网格</span>', zh)
    assert re.search(
        r'href="policies/"><span class="kb-facet__label">政策文件</span> <span class="kb-facet__count">3</span>', zh
    )
    assert zh.index("最新文件") < zh.index("传承“时代楷模”老马精神")
    assert 'href="feed.xml"' in zh and 'href="catalog.json"' in zh and "复核清单" not in zh
    en = article(read(fixture_sites["public"], "en"))
    assert "The knowledge base holds 7 documents." in en and 'href="../feed.xml"' not in en and 'href="feed.xml"' in en
    internal = article(read(fixture_sites["internal"], ""))
    assert "知识库共收录文件 8 件。" in internal
    assert 'href="review/">复核清单：1 件现行文件已超过复核期限</a>' in internal


def test_statistics_are_inline_svg_with_names_and_tables(fixture_sites):
    html = read(fixture_sites["public"], "stats")
    page = article(html)
    charts = re.findall(r'<svg class="kb-chart__svg[^"]*" role="img" aria-labelledby="([\w-]+)"', page)
    assert charts == ["years-title", "topics-title", "levels-title", "validity-title"]
    for title in charts:
        assert re.search(rf'<title id="{title}">[^<]+</title>', page)
    # each chart is followed by the table of its numbers
    assert len(re.findall(r"</figure>\s*<table>\s*<caption>数据表：", page)) == 4
    assert (
        '<tr><th scope="row">2019</th><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td><td>1</td></tr>'
        in page
    )
    assert '<tr><th scope="row">已失效</th><td>1</td><td>20%</td></tr>' in page
    # colours come from CSS, so no fill is hard-coded, and nothing is fetched
    assert "fill=" not in page and "<script" not in page
    assert "Documents per year by section" in article(read(fixture_sites["public"], "en/stats"))
    internal = article(read(fixture_sites["internal"], "stats"))
    assert '<tr><th scope="row">现行有效</th><td>4</td><td>67%</td></tr>' in internal


def test_compare_page_sets_the_two_versions_side_by_side(fixture_sites):
    for prefix, title in (("", "修订对照：X区思想政治工作联席会议制度"), ("en/", "What changed: Joint Meeting System")):
        page = article(read(fixture_sites["public"], prefix + COMPARE))
        assert f"<h1>{title}" in page
        assert '<table class="kb-compare">' in page
    page = article(read(fixture_sites["public"], COMPARE))
    rows = re.findall(r'<tr class="kb-compare__row kb-compare__row--(\w+)">', page)
    assert rows == ["deleted", "added", "added"]  # the trial's one article has nothing in common with the new ones
    assert "<del>试行制度。</del>" in page and "<ins>联席会议每季度召开一次。资金按专项资金管理办法执行。" in page
    assert "X委办发〔2019〕5号" in page and "X委办发〔2023〕7号" in page
    # linked from both documents: the old one's banner and the new one's card
    banner = re.search(
        r"kb-superseded.*?</div>", article(read(fixture_sites["public"], "policies/joint-meeting-interim")), re.S
    ).group(0)
    assert f'href="../../{COMPARE}/">修订对照</a>' in banner
    card = article(read(fixture_sites["public"], "en/policies/joint-meeting"))
    assert f'href="../../{COMPARE}/">What changed</a>' in card


def test_review_list_is_internal_only(fixture_sites):
    page = article(read(fixture_sites["internal"], "review"))
    assert "<h2" in page and "区委宣传部" in page and "2025年度绩效考核评分细则" in page
    assert '<td class="kb-review__overdue">322</td>' in page
    assert "Review list" in article(read(fixture_sites["internal"], "en/review"))
    public = fixture_sites["public"]
    assert not (public / "review").exists() and not (public / "en" / "review").exists()
    assert "review/" not in (public / "sitemap.xml").read_text(encoding="utf-8")


def test_document_page_has_backlinks_attachment_details_and_update_date(fixture_sites):
    public = read(fixture_sites["public"], "policies/joint-meeting")
    cited = re.search(r'<aside class="kb-cited-by".*?</aside>', public, re.S).group(0)
    assert "《X区思想政治工作联席会议制度》解读" in cited and "解读本文件" in cited
    assert "score-sheet" not in cited
    assert re.search(r'<p class="kb-updated">本页最近更新 <time datetime="\d{4}-\d{2}-\d{2}">', public)
    internal = read(fixture_sites["internal"], "policies/joint-meeting")
    assert "2025年度绩效考核评分细则" in re.search(r'<aside class="kb-cited-by".*?</aside>', internal, re.S).group(0)
    fund = read(fixture_sites["public"], "funds/special-fund")
    assert "列为相关文件 · 正文中引用" in fund
    sheet = article(read(fixture_sites["internal"], "policies/score-sheet"))
    assert 'score-sheet-2025.xlsx</a> <span class="kb-attachment">Excel 表格 · 22 B</span>' in sheet
    en_sheet = article(read(fixture_sites["internal"], "en/policies/score-sheet"))
    assert '<span class="kb-attachment">Excel spreadsheet · 22 B</span>' in en_sheet
    # the topic and level of a document lead to their pages
    assert 'href="../../levels/district/">区级</a>' in article(public)


def test_keywords_are_listed_per_language_and_audience(fixture_sites):
    zh = article(read(fixture_sites["public"], "tags"))
    assert re.search(r'href="lian-xi-hui-yi/">\s*<span class="kb-facet__label">联席会议</span>', zh)
    assert "X区思想政治工作联席会议制度" in article(read(fixture_sites["public"], "tags/lian-xi-hui-yi"))
    en = article(read(fixture_sites["public"], "en/tags/lian-xi-hui-yi"))
    assert "<h1>Keyword: 联席会议</h1>" in en or "Keyword: " in en
    assert "Joint Meeting System for Ideological" in en  # the translation inherits its original's keywords
    card = article(read(fixture_sites["public"], "policies/joint-meeting"))
    assert '<a class="kb-chip" href="../../tags/lian-xi-hui-yi/">联席会议</a>' in card
    assert not (fixture_sites["public"] / "tags" / "qing-song-kao-ping-biao").exists()  # internal only
    internal = article(read(fixture_sites["internal"], "tags"))
    assert "青松考评表" in internal and "青松考评表" not in zh


def test_catalog_and_feeds_per_audience(fixture_sites):
    for audience, count in (("public", 7), ("internal", 8)):
        site = fixture_sites[audience]
        catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
        assert catalog["audience"] == audience and catalog["count"] == len(catalog["documents"]) == count
        for prefix, lang in (("", "zh"), ("en/", "en")):
            feed = ElementTree.parse(site / prefix / "feed.xml").getroot()
            assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
            entries = feed.findall("a:entry", ATOM)
            assert len(entries) == count
            first = entries[0].find("a:link", ATOM).get("href")
            assert first == f"http://127.0.0.1:8000/{prefix}cases/lao-ma/"
    assert not (fixture_sites["public"] / "en" / "catalog.json").exists()
    public = (fixture_sites["public"] / "catalog.json").read_text(encoding="utf-8") + (
        fixture_sites["public"] / "feed.xml"
    ).read_text(encoding="utf-8")
    for trace in INTERNAL_TRACES:
        assert trace not in public
    assert not (fixture_sites["public"] / "partials").exists(), "templates must not be published"
    # no <link rel="alternate"> for the feeds: Material fetches a sitemap.xml next to every such link
    assert "application/atom+xml" not in read(fixture_sites["public"], "en/policies/joint-meeting").split("</head>")[0]


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_renamed_document_answers_at_its_old_address(fixture_sites, prefix):
    site = fixture_sites["public"]
    html = read(site, f"{prefix}policies/joint-meeting-2023")
    target = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', html).group(1)
    assert target == "../joint-meeting/"
    # relative, so it lands on the new page wherever the site is served, sub-path included
    assert (
        urljoin(f"https://example.org/kb/{prefix}policies/joint-meeting-2023/", target)
        == f"https://example.org/kb/{prefix}policies/joint-meeting/"
    )
    assert f'<link rel="canonical" href="http://127.0.0.1:8000/{prefix}policies/joint-meeting/">' in html
    # a redirect to an internal document exists only in the internal site
    assert not (site / prefix / "policies" / "score-sheet-draft").exists()
    assert (fixture_sites["internal"] / prefix / "policies" / "score-sheet-draft" / "index.html").is_file()
