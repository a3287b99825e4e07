"""The plain data behind the browsing pages, computed on the fixture catalogue for each audience:
statistics and chart shapes, backlinks, home blocks, review list, redirects, catalog.json and feeds."""

from __future__ import annotations

import json
import re
import shutil

import pytest
import yaml
from conftest import FIXTURE_DOCS, ROOT, TODAY

from kb import feeds, listings, pages, redirects, routes, stats
from kb.data import load_vocabulary
from kb.validate import validate

VOCAB = load_vocabulary()
SITE_URL = "https://example.org/kb/"


@pytest.fixture(scope="module")
def catalog():
    catalog, problems = validate(FIXTURE_DOCS, root=ROOT, today=TODAY)
    assert not problems, [p.text() for p in problems]
    return catalog


def page(kind: str, key: str, lang: str = "zh", other: str = "", number: int = 1):
    folder = {"topic": f"topics/{key}", "level": f"levels/{key}"}.get(kind, key)
    return pages.GeneratedPage(f"{kind}/index.md", kind, key, lang, "title", "summary", other, folder, number)


# -- statistics -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "top, ticks",
    [
        (0, [0, 1]),
        (3, [0, 1, 2, 3]),
        (7, [0, 2, 4, 6, 8]),
        (23, [0, 5, 10, 15, 20, 25]),
        (480, [0, 100, 200, 300, 400, 500]),
    ],
)
def test_axis_ticks_are_round(top, ticks):
    assert stats.nice_ticks(top) == ticks


def test_years_without_documents_are_shown_as_zero():
    years = stats.per_year(
        [(2019, "policies"), (2021, "funds"), (2021, "policies"), (2021, "policies")], ["policies", "funds"]
    )
    assert years == [
        (2019, {"policies": 1, "funds": 0}),
        (2020, {"policies": 0, "funds": 0}),
        (2021, {"policies": 2, "funds": 1}),
    ]


def test_column_heights_are_proportional_and_stacked():
    chart = stats.column_chart([("2020", {"a": 1, "b": 3}), ("2021", {"a": 0, "b": 0})], ["a", "b"])
    first, empty = chart["columns"]
    a, b = first["segments"]
    assert (a["series"], a["value"], b["series"], b["value"]) == ("a", 1, "b", 3)
    assert b["h"] == pytest.approx(3 * a["h"], abs=0.2)
    assert a["y"] == pytest.approx(b["y"] + b["h"], abs=0.2)  # b sits on top of a
    assert a["y"] + a["h"] == pytest.approx(chart["base"], abs=0.2)
    assert first["total"] == 4 and empty == dict(empty, total=0, segments=[])
    assert [t["value"] for t in chart["ticks"]] == [0, 1, 2, 3, 4]


def test_bars_and_shares():
    bars = stats.bar_chart([("a", "理论武装", 10), ("b", "绩效评估与监督考核", 5)])
    assert bars["bars"][0]["w"] == pytest.approx(2 * bars["bars"][1]["w"], abs=0.2)
    assert bars["left"] >= stats.text_width("绩效评估与监督考核")  # the longest label fits
    share = stats.share_bar([("current", "现行有效", 3), ("amended", "已修订", 0), ("repealed", "已废止", 1)])
    assert [(r["key"], r["percent"]) for r in share["rows"]] == [("current", 75), ("amended", 0), ("repealed", 25)]
    assert [s["key"] for s in share["segments"]] == ["current", "repealed"]  # nothing drawn for 0
    assert sum(s["w"] for s in share["segments"]) == pytest.approx(share["width"], abs=0.2)


def test_statistics_count_only_what_the_audience_sees(catalog):
    public = pages.stats_context(catalog, page("stats", "stats"), "public", VOCAB)
    internal = pages.stats_context(catalog, page("stats", "stats"), "internal", VOCAB)
    assert (public["total"], internal["total"]) == (7, 8)
    rows = {row["year"]: row for row in public["years"]["rows"]}
    assert list(rows) == [2019, 2020, 2021, 2022, 2023, 2024, 2025]
    assert rows[2023]["values"] == {"policies": 1, "funds": 0, "talent": 0, "cases": 0, "interpretations": 1}
    assert rows[2025]["total"] == 1 and rows[2025]["running"] == 7
    assert {r["year"]: r["total"] for r in internal["years"]["rows"]}[2025] == 2  # the internal score sheet
    assert [(r["key"], r["value"], r["percent"]) for r in public["validity"]["rows"]] == [
        ("current", 3, 60),
        ("amended", 0, 0),
        ("repealed", 1, 20),
        ("expired", 1, 20),
    ]
    levels = {b["key"]: b["value"] for b in public["levels"]["bars"]}
    assert levels == {"district": 6, "subdistrict": 3, "community": 3, "grid": 2}
    assert public["levels"]["bars"][3]["url"] == "levels/grid/"
    topics = [b["key"] for b in public["topics"]["bars"]]
    assert topics[0] == "structure"  # most documents first


# -- topic and level pages, home ---------------------------------------------------------------


def test_level_page_lists_documents_in_force_first_each_with_its_section(catalog):
    context = pages.facet_context(catalog, page("level", "district", "en"), "public", VOCAB)
    current, past = context["current"], context["past"]
    assert "policies/joint-meeting.md" in [e["doc"].path for e in current]
    assert [e["doc"].path for e in past] == ["policies/joint-meeting-interim.md"]
    assert all(e["state"] in (None, "current") for e in current)
    assert [e["date"] for e in current] == sorted((e["date"] for e in current), reverse=True)
    assert {e["doc"].section for e in current} == {"policies", "funds", "talent", "cases", "interpretations"}
    assert all(e["show_section"] for e in current + past)
    assert context["count"] == 6 and context["pager"] is None
    assert [f["current"] for f in context["facets"]] == [True, False, False, False]
    assert context["facets"][0]["url"] == "en/levels/district/"


def test_home_counts_and_lists_follow_the_audience(catalog):
    public = pages.home_context(catalog, "public", "zh", VOCAB)
    internal = pages.home_context(catalog, "internal", "zh", VOCAB)
    assert [(s["key"], s["count"]) for s in public["sections"]] == [
        ("policies", 3),
        ("funds", 1),
        ("talent", 1),
        ("cases", 1),
        ("interpretations", 1),
    ]
    assert internal["sections"][0]["count"] == 4
    assert [e["doc"].path for e in public["latest"]][:2] == ["cases/lao-ma.md", "talent/talent-plan.md"]
    assert "policies/score-sheet.md" not in {e["doc"].path for e in public["latest"] + public["updated"]}
    assert all(e["updated"] for e in public["updated"])
    assert (public["review_count"], internal["review_count"]) == (0, 1)
    assert {f["key"]: f["count"] for f in public["levels"]}["grid"] == 2


def test_review_list_by_owner_with_days_overdue(catalog):
    context = pages.review_context(catalog, page("review", "review"), "internal", VOCAB)
    assert [g["owner"] for g in context["groups"]] == ["区委宣传部"]
    (entry,) = context["groups"][0]["entries"]
    assert entry["doc"].path == "policies/score-sheet.md"
    assert (entry["due"].isoformat(), entry["overdue"], entry["months"]) == ("2026-01-10", 322, 12)
    assert pages.review_context(catalog, page("review", "review"), "public", VOCAB)["groups"] == []


def test_section_filters_offer_only_values_present(catalog):
    context = pages.section_context(catalog, page("section", "policies"), "public", VOCAB)
    assert [k for k, _ in context["filters"]["validity"]] == ["current", "repealed", "expired"]
    assert [k for k, _ in context["filters"]["year"]] == ["2023", "2021", "2019"]
    assert "topic" in context["filters"] and context["by_number"]
    assert context["browse_url"] == "policies/browse.json"
    # what the filters read covers the section: its browse.json, in the order of its pages
    data = listings.browse_data(catalog, "policies", "public", "zh", VOCAB)
    assert [d["u"] for d in data] == [e["url"] for e in context["current"] + context["past"]]
    assert data[0]["f"]["issuer"] == ["中共X区委办公室", "X区人民政府办公室"]
    assert data[0]["k"] == "X委办发〔2023〕000007" and data[0]["v"] == "current"


# -- document pages: backlinks, comparisons, attachments ----------------------------------------


def test_backlinks_name_how_each_document_cites_and_respect_the_audience(catalog):
    assert catalog.citations["funds/special-fund.md"] == {"policies/joint-meeting.md": ["related", "body"]}
    doc = catalog.documents["policies/joint-meeting.md"]
    public = pages.document_context(catalog, doc, "public", "zh", VOCAB)
    internal = pages.document_context(catalog, doc, "internal", "zh", VOCAB)
    assert [(e["doc"].path, e["how"]) for e in public["cited_by"]] == [
        ("interpretations/joint-meeting-qa.md", ["interprets"])
    ]
    assert [e["doc"].path for e in internal["cited_by"]] == [
        "policies/score-sheet.md",
        "interpretations/joint-meeting-qa.md",
    ]
    card = {row["key"]: row for row in public["card"]}
    assert (
        card["supersedes"]["value"][0]["compare_url"]
        == "compare/policies/joint-meeting--policies-joint-meeting-interim/"
    )
    assert [row["key"] for row in public["card"]][:3] == ["doc_number", "issuer", "issued"]  # kb/schema.py's card order
    old = pages.document_context(catalog, catalog.documents["policies/joint-meeting-interim.md"], "public", "en", VOCAB)
    assert (
        old["superseded_by"][0]["compare_url"] == "en/compare/policies/joint-meeting--policies-joint-meeting-interim/"
    )
    sheet = pages.document_context(catalog, catalog.documents["policies/score-sheet.md"], "internal", "zh", VOCAB)
    assert {row["key"]: row["value"] for row in sheet["card"]}["attachments"] == [
        {"url": "attachments/score-sheet-2025.xlsx", "name": "score-sheet-2025.xlsx", "type": "xlsx", "size": "22 B"}
    ]


@pytest.mark.parametrize("size, text", [(0, "0 B"), (1023, "1023 B"), (1536, "1.5 KB"), (5 * 1024**2, "5.0 MB")])
def test_human_sizes(size, text):
    assert pages.human_size(size) == text


def test_generated_pages_per_audience(catalog):
    def kinds(audience):
        return {(p.kind, p.lang) for p in pages.catalog_pages(catalog, audience, VOCAB)}

    assert kinds("public") == {("compare", "zh"), ("compare", "en"), ("tag", "zh"), ("tag", "en")}
    assert kinds("internal") == kinds("public") | {("review", "zh"), ("review", "en")}
    tags = {p.src_uri: p.key for p in pages.catalog_pages(catalog, "public", VOCAB) if p.kind == "tag"}
    assert tags["tags/lian-xi-hui-yi/index.en.md"] == "联席会议"
    static = {p.src_uri for p in pages.generated_pages(VOCAB)}
    assert {
        "topics/index.md",
        "topics/theory/index.en.md",
        "levels/grid/index.md",
        "stats/index.md",
        "tags/index.md",
    } <= static


# -- redirects ------------------------------------------------------------------------------------


def redirect_tree(tmp_path, text: str):
    shutil.copytree(FIXTURE_DOCS, tmp_path / "docs")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "redirects.yml").write_text(text, encoding="utf-8")
    catalog, problems = validate(tmp_path / "docs", root=tmp_path, today=TODAY)
    return catalog, [p.text() for p in problems]


def test_redirects_are_checked(tmp_path):
    catalog, problems = redirect_tree(
        tmp_path,
        "\n".join(
            [
                "# 改名记录",
                "policies/old.md: policies/joint-meeting.md",
                "policies/joint-meeting-interim.md: policies/joint-meeting.md",
                "policies/gone.md: policies/joint-meting.md",
                "policies/older.md: policies/old.md",
                "/policies/abs.md: about.md",
                "policies/index.md: about.md",
            ]
        )
        + "\n",
    )
    assert catalog.redirects == {"policies/old.md": "policies/joint-meeting.md"}
    assert problems == [
        "data/redirects.yml:3: policies/joint-meeting-interim.md: 旧地址 policies/joint-meeting-interim.md 上仍有页面，"
        "跳转会把它盖住 — 文件改名或移动之后才需要跳转；请删除这一行，或核对旧地址",
        "data/redirects.yml:4: policies/gone.md: 新地址 policies/joint-meting.md 不存在 — 是不是要写 policies/joint-meeting.md？",
        "data/redirects.yml:5: policies/older.md: 新地址 policies/old.md 本身也已改名 — "
        "请直接写最终地址：policies/older.md: policies/joint-meeting.md",
        "data/redirects.yml:6: /policies/abs.md: 路径“/policies/abs.md”写法不对 — 写相对于 docs/ 的路径，例如 policies/joint-meeting-2023.md",
        "data/redirects.yml:7: policies/index.md: 旧地址 policies/index.md 上仍有页面，"
        "跳转会把它盖住 — 文件改名或移动之后才需要跳转；请删除这一行，或核对旧地址",
    ]


@pytest.mark.parametrize(
    "old",
    [
        "../../index.md",
        "policies/../../x.md",
        "policies\\..\\x.md",
        "C:/x.md",
        "policies//x.md",
        "policies/./x.md",
        "policies/joint-meeting/index.md",
    ],
)
def test_a_redirect_stays_inside_the_site(tmp_path, old):
    """An old path that leaves docs/, or whose address is a page's (policies/x/index.md is the address of
    policies/x.md), is refused: the build would write its redirect over a page or outside the site."""
    catalog, problems = redirect_tree(tmp_path, yaml.safe_dump({old: "policies/joint-meeting.md"}, allow_unicode=True))
    assert catalog.redirects == {}
    assert len(problems) == 1 and problems[0].startswith("data/redirects.yml:1: "), problems


@pytest.mark.parametrize("url", ["../x/", "../../etc/", "/tmp/x/", ""])
def test_redirect_pages_are_written_inside_the_site_only(tmp_path, url):
    with pytest.raises(ValueError):
        redirects.output_path(tmp_path / "site", url)
    assert (
        redirects.output_path(tmp_path / "site", "policies/old/")
        == (tmp_path / "site" / "policies/old/index.html").resolve()
    )


def test_a_redirects_file_that_is_not_yaml_is_reported(tmp_path):
    _, problems = redirect_tree(tmp_path, "policies/old.md: [policies/joint-meeting.md\n")
    assert problems and problems[0].startswith("data/redirects.yml:1: ")


@pytest.mark.parametrize(
    "path, lang, url",
    [
        ("policies/x.md", "zh", "policies/x/"),
        ("policies/x.md", "en", "en/policies/x/"),
        ("about.md", "zh", "about/"),
        ("index.md", "en", "en/"),
        ("topics/index.md", "zh", "topics/"),
    ],
)
def test_page_urls(path, lang, url):
    assert routes.page(path, lang) == url


def test_redirect_targets_are_relative():
    assert redirects.relative("policies/new/", "policies/old/") == "../new/"
    assert redirects.relative("en/policies/new/", "en/about/") == "../policies/new/"
    assert redirects.relative("", "about/") == "../"


# -- catalog.json and feeds -------------------------------------------------------------------


def test_catalog_json_lists_what_the_audience_may_see(catalog):
    public = json.loads(feeds.catalog_json(catalog, "public", SITE_URL))
    internal = json.loads(feeds.catalog_json(catalog, "internal", SITE_URL))
    assert (public["count"], internal["count"]) == (7, 8) and public["audience"] == "public"
    paths = [d["path"] for d in public["documents"]]
    assert paths == sorted(paths) and "policies/score-sheet.md" not in paths
    record = {d["path"]: d for d in public["documents"]}["policies/joint-meeting.md"]
    assert record["url"] == {
        "zh": "https://example.org/kb/policies/joint-meeting/",
        "en": "https://example.org/kb/en/policies/joint-meeting/",
    }
    assert record["title"]["en"].startswith("Joint Meeting System") and record["state"] == "current"
    assert record["metadata"]["issued"] == "2023-04-12" and record["metadata"]["doc_number"] == "X委办发〔2023〕7号"
    assert record["cited_by"] == ["interpretations/joint-meeting-qa.md"]  # not the internal score sheet
    assert {d["path"]: d for d in internal["documents"]}["policies/joint-meeting.md"]["cited_by"] == [
        "interpretations/joint-meeting-qa.md",
        "policies/score-sheet.md",
    ]
    untranslated = {d["path"]: d for d in public["documents"]}["policies/action-plan.md"]
    assert list(untranslated["title"]) == ["zh"] and list(untranslated["url"]) == ["zh", "en"]


def test_feed_has_the_latest_documents_newest_first(catalog, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_SIZE", 3)
    data = feeds.feed(catalog, "public", "en", SITE_URL, "X District", VOCAB)
    assert data["feed"]["self"] == "https://example.org/kb/en/feed.xml"
    assert [e["url"] for e in data["entries"]] == [
        "https://example.org/kb/en/cases/lao-ma/",
        "https://example.org/kb/en/talent/talent-plan/",
        "https://example.org/kb/en/interpretations/joint-meeting-qa/",
    ]
    assert data["entries"][0]["published"] == "2025-05-20T00:00:00+08:00"
    assert data["entries"][0]["categories"] == [("role-models", "Role models")]


def test_every_url_comes_from_routes():
    """One owner of generated paths: no module but kb/routes.py (and no template) spells a language's
    root or a page's address itself."""
    spelled = re.compile(r"""f["']\{lang\}/|["']en/["']|~ ?'/'|'topics/' ~|'levels/' ~|'tags/'\)""")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("kb", "hooks", "overrides")
        for path in sorted((ROOT / folder).rglob("*"))
        if path.suffix in (".py", ".html") and path.name != "routes.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if spelled.search(line)
    ]
    assert offenders == []


def test_a_new_facet_is_one_line_of_data(tmp_path, catalog):
    """data/facets.yml feeds the section filters, the data they filter (browse.json), the search
    page's filters and the search index's filter attributes: one added line reaches all of them."""
    from kb.data import load_vocabulary

    shutil.copytree(ROOT / "data", tmp_path / "data")
    with open(tmp_path / "data" / "facets.yml", "a", encoding="utf-8") as handle:
        handle.write("visibility: {field: visibility}\n")
    vocab = load_vocabulary(tmp_path / "data")
    section = next(
        p for p in pages.generated_pages(vocab) if p.kind == "section" and p.key == "policies" and p.lang == "zh"
    )
    context = pages.section_context(catalog, section, "internal", vocab)
    assert [value for value, _ in context["filters"]["visibility"]] == ["internal", "public"]
    entry = context["current"][0]
    browse = listings.browse_data(catalog, "policies", "internal", "zh", vocab)
    assert browse[0]["f"]["visibility"] == [entry["doc"].meta["visibility"]]
    search = next(p for p in pages.generated_pages(vocab) if p.kind == "search" and p.lang == "zh")
    assert pages.search_context(catalog, search, "internal", vocab)["search_config"]["facets"][-1] == "visibility"
    doc = pages.document_context(catalog, entry["doc"], "internal", "zh", vocab)
    assert doc["facets"]["visibility"] == [entry["doc"].meta["visibility"]]


def test_the_search_page_head_fetches_every_search_module():
    """kb/pages.py SEARCH_MODULES names every module of kb-search/, so that the search page's head has
    the browser fetch them all at once (a module left out would be fetched only when imported)."""
    folder = ROOT / "overrides" / "assets" / "javascripts" / "kb-search"
    assert sorted(pages.SEARCH_MODULES) == sorted(p.name for p in folder.glob("*.js"))
    assert pages.SEARCH_MODULES[0] == "early.js"  # the head runs the first
    head = pages.search_head(
        {
            "bundle_url": "en/pagefind/pagefind.js",
            "index_lang": "en",
            "search_config": {"weights": {}, "chars": {}, "title_mark": "_"},
        },
        lambda url: "../../" + url,
    )
    assert (
        head["modules"][0] == "../../assets/javascripts/kb-search/early.js"
        and head["bundle"] == "../../en/pagefind/pagefind.js"
    )
