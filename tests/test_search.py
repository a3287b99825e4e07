"""Search over the shipped content: Pagefind in real Chromium, both languages, both audiences, a sub-path."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest
from conftest import ROOT, SiteServer, build_site, copy_fixture
from playwright.sync_api import expect

from kb.cjk import PUNCTUATION, joined
from kb.searchindex import INDEX_LANGUAGE

RESULTS = "#kb-search-results > li"
# The search has finished: results first, then the facets and their counts.
SETTLED = "[data-kb-search-page]:not([aria-busy])"


@pytest.fixture(scope="module")
def servers(real_sites, tmp_path_factory):
    """The real public and internal sites, and the public site built for and served under /kb/."""
    mount = tmp_path_factory.mktemp("subpath")
    build_site(ROOT / "docs", mount / "kb", "public", site_url="http://127.0.0.1/kb/")
    with (
        SiteServer(real_sites["public"]) as public,
        SiteServer(real_sites["internal"]) as internal,
        SiteServer(mount) as subpath,
    ):
        yield {"public": public, "internal": internal, "subpath": subpath}


def search(open_page, server, query: str, path: str = "search/", **facets):
    """Open the search page for ``query`` (and facets) and return (page, guard, result titles)."""
    page, guard = open_page(server)
    params = [f"q={quote(query)}"] if query else []
    params += [f"{key}={quote(value)}" for key, values in facets.items() for value in values]
    page.goto(server.url(path) + ("?" + "&".join(params) if params else ""))
    page.wait_for_selector(f"{RESULTS}, #kb-search-status:text-matches('没有找到|No results')")
    page.wait_for_selector(SETTLED)
    titles = [t.strip() for t in page.locator(f"{RESULTS} .kb-result__title").all_inner_texts()]
    return page, guard, titles


@pytest.mark.parametrize(
    "query, first",
    [
        ("联席会议制度", "X区思想政治工作联席会议制度"),
        ("X宣发〔2024〕3号", "关于在全区深入开展学习“时代楷模”老马同志先进事迹活动的通知"),
        ("X财行〔2022〕12号", "X区基层思想政治工作专项资金管理办法"),
        ("X组发〔2024〕6号", "X区思想政治工作人才队伍建设规划（2024—2026年）"),
        ("X委发〔2021〕6号", "X区关于新时代加强和改进思想政治工作的贯彻落实举措"),
        ("专项资金管理办法", "X区基层思想政治工作专项资金管理办法"),
        ("人才队伍建设规划", "X区思想政治工作人才队伍建设规划（2024—2026年）"),
        ("教育培训办法", "X区基层思想政治工作教育培训办法"),
        ("绩效评估办法", "X区思想政治工作绩效评估办法"),
    ],
)
def test_title_and_doc_number_put_the_current_document_first(open_page, servers, query, first):
    page, guard, titles = search(open_page, servers["public"], query)
    assert titles and titles[0] == first, titles[:5]
    guard.assert_clean(page)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("老马", "传承老马精神，让榜样力量扎根基层"),
        ("红色故事会", "X区“红色故事会”品牌活动实施方案"),
        ("微信公众号 微博", "用好官方微信公众号和微博，做权威信息的“第一发布者”"),
        ("网格员 入户走访", "枫林社区第3网格：网格员入户走访“走出来”的民情地图"),
        ("第一责任人", "X区思想政治工作责任制实施办法"),
        ("积分超市", "青石镇建强新时代文明实践所（站），以“积分超市”推动移风易俗"),
        ("头重脚轻", "X区关于新时代加强和改进思想政治工作的贯彻落实举措"),
    ],
)
def test_words_and_phrases_from_the_text_find_the_document(open_page, servers, query, expected):
    page, guard, titles = search(open_page, servers["public"], query)
    assert expected in titles[:5], titles[:5]
    # Each result shows an excerpt with the matched words highlighted.
    assert page.locator(f"{RESULTS} .kb-result__excerpt mark").count() > 0
    guard.assert_clean(page)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("joint meeting", "Joint Meeting System for Ideological and Political Work in X District"),
        (
            "special fund",
            "X District Measures for Managing the Special Fund for Grassroots Ideological and Political Work",
        ),
        ("Lao Ma", None),
    ],
)
def test_english_pages_search_english(open_page, servers, query, expected):
    page, guard, titles = search(open_page, servers["public"], query, path="en/search/")
    assert titles, query
    if expected:
        assert expected in titles[:3], titles[:5]
    assert page.locator("html").get_attribute("lang") == "en"
    guard.assert_clean(page)


CARD_LABELS = ("发文字号", "成文日期", "施行日期", "时效性", "资金名称", "主题分类", "适用层级")


def readable(text: str) -> str:
    """``text`` with its white space as one space, none beside a CJK mark (which has its own)."""
    return re.sub(rf" ?([{PUNCTUATION}]) ?", r"\1", " ".join(text.split()))


def document_text(page, url: str) -> str:
    """The text of the document at ``url`` as a reader sees it, without what search leaves out (the card,
    the banners, the list of interpretations: data-pagefind-ignore) and the headings' ¶."""
    page.goto(url)
    return readable(
        page.evaluate("""() => {
          const body = document.querySelector("[data-pagefind-body]");
          body.querySelectorAll("[data-pagefind-ignore], .headerlink").forEach((e) => e.remove());
          return body.innerText;
        }""")
    )


@pytest.mark.parametrize("query", ["资金", "总则", "网格员"])
def test_excerpts_come_from_the_documents_text_as_written(open_page, servers, query):
    page, guard, titles = search(open_page, servers["public"], query)
    results = page.locator(RESULTS).all()[:3]
    assert len(results) == 3, titles
    excerpts = [readable(r.locator(".kb-result__excerpt").inner_text()) for r in results]
    urls = [r.locator(".kb-result__title").get_attribute("href") for r in results]
    # Not the metadata card: its labels and values ran together ("施行日期2022-04-01.时效性现行有效资金名称…").
    assert not [e for e in excerpts if any(label in e for label in CARD_LABELS)], excerpts
    for excerpt, url in zip(excerpts, urls, strict=True):
        assert query in excerpt, excerpt
        # A passage of the text, with its punctuation, its spaces and no others (第一章 总则 第一条 为…).
        assert excerpt in document_text(page, servers["public"].url(url.lstrip("/"))), (url, excerpt)
    guard.assert_clean(page)


def test_excerpts_keep_the_space_between_a_latin_and_a_chinese_word(open_page, servers):
    """The editor guide: "每一份文件都是一个 Markdown 文本文件"; joined back from the index's pairs, the
    space between Markdown and 文本 was lost."""
    page, guard, _titles = search(open_page, servers["public"], "文本文件")
    excerpts = [readable(t) for t in page.locator(f"{RESULTS} .kb-result__excerpt").all_inner_texts()]
    assert [e for e in excerpts if "一个 Markdown 文本文件" in e], excerpts
    guard.assert_clean(page)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """The fixture site with Chinese words in an English sentence, served."""
    docs = copy_fixture(tmp_path_factory.mktemp("mixed"))
    english = docs / "policies" / "joint-meeting.en.md"
    english.write_text(
        english.read_text(encoding="utf-8")
        + "\n**Article 3** It was issued by the 中共X区委办公室 as X委办发〔2023〕7号 in April.\n",
        encoding="utf-8",
    )
    with SiteServer(build_site(docs, tmp_path_factory.mktemp("mixed-site"))) as server:
        yield server


def test_an_english_excerpt_keeps_the_spaces_around_chinese_words(open_page, mixed):
    page, guard, titles = search(open_page, mixed, "April", path="en/search/")
    assert titles[0] == "Joint Meeting System for Ideological and Political Work in X District", titles
    excerpt = " ".join(page.locator(f"{RESULTS} .kb-result__excerpt").first.inner_text().split())
    assert "issued by the 中共X区委办公室 as X委办发〔2023〕7号 in April." in excerpt, excerpt
    guard.assert_clean(page)


def test_results_show_type_number_date_and_validity(open_page, servers):
    page, guard, titles = search(open_page, servers["public"], "联席会议制度")
    first = page.locator(RESULTS).first
    meta = first.locator(".kb-result__meta").inner_text()
    assert "政策文件" in meta and "X委办发〔2023〕7号" in meta and "2023-04-12" in meta and "现行有效" in meta
    # The repealed trial version is found, labelled, and ranked below the current system.
    repealed = "X区思想政治工作联席会议制度（试行）"
    assert repealed in titles and titles.index(repealed) > 0
    item = page.locator(RESULTS).nth(titles.index(repealed))
    assert "已废止" in item.locator(".kb-badge").inner_text()
    guard.assert_clean(page)


def result_count(page) -> int:
    text = page.locator("#kb-search-status").inner_text()
    return int(re.search(r"\d+", text).group(0))


def test_facets_narrow_with_counts_and_live_in_the_url(open_page, servers):
    page, guard, _titles = search(open_page, servers["public"], "网格")
    total = result_count(page)
    # Options stand one under another, and values with no result are not offered.
    boxes = page.locator("#kb-search-facets fieldset").first.locator("input").all()
    assert len(boxes) >= 2 and boxes[1].bounding_box()["y"] > boxes[0].bounding_box()["y"] + 5
    assert not page.locator("#kb-search-facets .kb-search-facet__count", has_text="(0)").count()
    grid = page.locator("#kb-search-facets input[name=level][value=grid]")
    count = int(
        page.locator("label[for='{}'] .kb-search-facet__count".format(grid.get_attribute("id")))
        .inner_text()
        .strip("()")
    )
    assert 0 < count < total
    grid.check()
    page.wait_for_url("**level=grid*")
    page.wait_for_function(
        "n => { const m = /\\d+/.exec(document.getElementById('kb-search-status').textContent); return m && m[0] == n; }",
        arg=count,
    )
    page.wait_for_selector(SETTLED)
    assert "q=" in page.url
    year = page.locator("#kb-search-facets input[name=year]").first
    year.check()
    page.wait_for_url("**year=*")
    page.wait_for_selector(RESULTS)
    page.wait_for_selector(SETTLED)
    narrowed = result_count(page)
    assert 0 < narrowed <= count
    # The URL round trip: opening the same address gives the same results and the same boxes ticked.
    url = page.url
    again, guard2 = open_page(servers["public"])
    again.goto(url)
    again.wait_for_selector(RESULTS)
    again.wait_for_selector(SETTLED)
    assert result_count(again) == narrowed
    assert again.locator("#kb-search-facets input[name=level][value=grid]").is_checked()
    assert again.locator("#kb-search-q").input_value() == "网格"
    guard.assert_clean(page)
    guard2.assert_clean(again)


def test_facets_alone_browse_without_a_query(open_page, servers):
    page, guard, titles = search(open_page, servers["public"], "", section=["talent"], validity=["current"])
    assert len(titles) >= 4
    assert all("人才" in t or "网格员" in t or "志愿者" in t or "思想政治工作" in t for t in titles)
    assert "X区思想政治工作人才队伍建设规划（2021—2023年）" not in titles  # amended, filtered out
    # Without words, newest first: the bundle's pages are numbered so (kb.pfmerge.number_pages).
    metas = page.locator(f"{RESULTS} .kb-result__meta").all_inner_texts()
    dates = [re.search(r"\d{4}-\d{2}-\d{2}", meta).group(0) for meta in metas]
    assert len(dates) == len(titles) and dates == sorted(dates, reverse=True) and len(set(dates)) > 2
    guard.assert_clean(page)


def test_no_results_gives_a_hint(open_page, servers):
    page, guard, titles = search(open_page, servers["public"], "量子纠缠火星基地")
    assert titles == []
    assert "没有找到结果" in page.locator("#kb-search-status").inner_text()
    guard.assert_clean(page)


def test_no_query_shows_the_hint_and_facets(open_page, servers):
    page, guard = open_page(servers["public"])
    page.goto(servers["public"].url("search/"))
    page.wait_for_selector("#kb-search-facets fieldset")
    assert "开始搜索" in page.locator("#kb-search-status").inner_text()
    assert page.locator(RESULTS).count() == 0
    guard.assert_clean(page)


def test_header_search_and_keyboard_shortcut(open_page, servers):
    page, guard = open_page(servers["public"])
    page.goto(servers["public"].url("policies/"))
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.name") == "q"
    page.keyboard.type("专项资金管理办法")
    page.keyboard.press("Enter")
    page.wait_for_selector(RESULTS)
    assert "/search/?q=" in page.url
    assert page.locator(f"{RESULTS} .kb-result__title").first.inner_text() == "X区基层思想政治工作专项资金管理办法"
    guard.assert_clean(page)


PANEL = "[data-kb-search-panel]"
PANEL_RESULTS = f"{PANEL} li"


def type_in_header(page, query: str) -> list[str]:
    """Type ``query`` into the header box of the open page; the titles its panel shows when settled."""
    page.locator("[data-kb-search-input]").click()
    page.locator("[data-kb-search-input]").fill(query)
    page.wait_for_function("""() => {
      const form = document.querySelector("[data-kb-search-form]");
      const panel = form.querySelector("[data-kb-search-panel]");
      const status = panel.querySelector("[role=status]").textContent;
      return !panel.hidden && !panel.hasAttribute("aria-busy") && status
        && status !== JSON.parse(form.dataset.kbConfig).text.loading;
    }""")
    return [t.strip() for t in page.locator(f"{PANEL_RESULTS} .kb-result__title").all_inner_texts()]


@pytest.mark.parametrize("query", ["X宣发〔2024〕3号", "联席会议制度", "网格员 入户走访"])
def test_header_shows_the_search_pages_best_results_as_you_type(open_page, servers, query):
    server = servers["public"]
    page, guard = open_page(server)
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(server.url("policies/"))
    # A reader who does not search loads nothing of the index; the focus starts loading it.
    assert not [url for url in asked if "/pagefind/" in url]
    titles = type_in_header(page, query)
    other, other_guard, best = search(open_page, server, query)
    assert titles == best[:8], (titles, best[:8])
    other_guard.assert_clean(other)
    assert page.locator(f"{PANEL_RESULTS} .kb-result__excerpt mark").count() > 0
    more = page.locator("[data-kb-search-all]")
    assert more.get_attribute("href") == server.url("search/") + "?q=" + quote(query).replace("%20", "+")
    more.click()
    page.wait_for_selector(RESULTS)
    assert page.locator("#kb-search-q").input_value() == query
    guard.assert_clean(page)


def test_header_loads_only_the_fragments_its_panel_needs(open_page, servers):
    # 思想政治工作 is in the title of most documents: of the 20 best matches that the search page ranks
    # again (one fragment of ~3 KB each), the panel's 8 are settled long before the 20th is loaded.
    server = servers["public"]
    page, guard = open_page(server)
    fragments = []
    page.on("request", lambda request: "/fragment/" in request.url and fragments.append(request.url))
    page.goto(server.url("policies/"))
    titles = type_in_header(page, "思想政治工作")
    other, other_guard, best = search(open_page, server, "思想政治工作")
    assert len(best) == 20 and titles == best[:8], (titles, best[:8])
    assert 8 <= len(fragments) < 20, fragments
    other_guard.assert_clean(other)
    guard.assert_clean(page)


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    """A library of 200 synthetic documents (bench/corpus.py), public build served: enough that a word
    is in many more documents than a page of results holds."""
    from bench import corpus

    base = tmp_path_factory.mktemp("library")
    corpus.generate(200, base / "docs")
    with SiteServer(build_site(base / "docs", base / "site")) as server:
        yield base / "site", server


def titles_with(site, word: str) -> int:
    """How many Chinese document pages of ``site`` have ``word`` in their title."""
    h1 = re.compile(r'<h1 data-pagefind-weight="10">([^<]*)</h1>')
    pages = (p for p in site.rglob("index.html") if p.relative_to(site).parts[0] != "en")
    return sum(bool((m := h1.search(p.read_text(encoding="utf-8"))) and word in m.group(1)) for p in pages)


@pytest.mark.parametrize("word", ["培训", "志愿服务"])
def test_every_title_with_the_query_comes_first_whatever_the_librarys_size(open_page, library, word):
    # Pagefind scores every page that has a Chinese phrase alike: before, only its first 20 matches, in
    # the order of its index, were ranked by title, and a document with the word in its title further
    # down its list was not among them. The search page, then the header's panel.
    site, server = library
    titled = titles_with(site, word)
    page, guard, titles = search(open_page, server, word)
    count = result_count(page)
    assert 2 <= titled < 20 and count > 40, (titled, count)  # the case: a few titles among many matches
    assert all(word in title for title in titles[:titled]) and word not in titles[titled], titles
    guard.assert_clean(page)
    home, home_guard = open_page(server)
    home.goto(server.url(""))
    assert type_in_header(home, word) == titles[:8]
    home_guard.assert_clean(home)


# The first page of a query's results as find and rank alone make it from the whole index (what the
# search page showed before the titles' short cut, kb-search/result.js rankFirst): the titles shown.
WHOLE_INDEX_RANKING = """async (query) => {
  const module = (name) => import(new URL("assets/javascripts/kb-search/" + name + ".js", document.baseURI));
  const [bundle, text, result] = await Promise.all(["bundle", "query", "result"].map(module));
  const form = document.querySelector("[data-kb-search-form]");
  const config = JSON.parse(form.getAttribute("data-kb-config"));
  const pagefind = await bundle.openBundle(form, config.weights);
  const cut = text.chinese(config.chars);
  const parts = cut.queryParts(query);
  const found = await bundle.find(pagefind, parts, {}, false, cut.titleParts(parts, config.title_mark));
  const ranked = [];
  await result.rank(found.results.slice(0, result.PAGE_SIZE), cut, query, (item) => ranked.push(item.data.meta.title), () => true);
  return ranked;
}"""


def shown_as_the_whole_index_ranks(open_page, server, query: str) -> list[str]:
    """What find and rank make of ``query`` from the whole index, checked to be the search page's first
    page and the header's panel (their first results may come from short lists: rankFirst)."""
    home, home_guard = open_page(server)
    home.goto(server.url(""))
    whole = home.evaluate(WHOLE_INDEX_RANKING, query)
    home_guard.assert_clean(home)
    page, guard, titles = search(open_page, server, query)
    assert titles == whole, (titles, whole)
    guard.assert_clean(page)
    other, other_guard = open_page(server)
    other.goto(server.url(""))
    assert type_in_header(other, query) == whole[:8]
    other_guard.assert_clean(other)
    return whole


@pytest.mark.parametrize("query", ["管理办法", "网格员", "培训", "网格员 培训", "台账"])
def test_the_titles_short_cut_shows_what_the_whole_index_ranks_first(open_page, library, query):
    # In the 200-document library: 管理办法 in 29 titles, more than a page of results; 网格员 in 13, more
    # than the header's 8 but fewer than the page's 20; 培训 in 5; two words; a phrase in no title. The
    # search page shows the titles' results before it has searched the whole index, the header's panel
    # often shows only them: both must be exactly the first of what the whole index ranks.
    _site, server = library
    assert len(shown_as_the_whole_index_ranks(open_page, server, query)) == 20


def test_a_document_number_is_found_from_its_own_word_first(open_page, library):
    # A 文号 is also one word of the index (kb.cjk.joined), whose short list gives its document before
    # the whole index is searched for the documents citing it: first on the search page and in the
    # header's panel, in the order the whole index ranks them.
    site, server = library
    number, title = next(
        (card.group(1), h1.group(1))
        for path in sorted(site.glob("policies/*/index.html"))
        if (html := path.read_text(encoding="utf-8"))
        and (card := re.search(r'data-pagefind-meta="doc_number">([^<]+)<', html))
        and (h1 := re.search(r'<h1 data-pagefind-weight="10">([^<]*)</h1>', html))
    )
    home, home_guard = open_page(server)
    home.goto(server.url(""))
    word = home.evaluate(
        """async (word) => {
          const bundle = await import(new URL("assets/javascripts/kb-search/bundle.js", document.baseURI));
          const form = document.querySelector("[data-kb-search-form]");
          const pagefind = await bundle.openBundle(form, JSON.parse(form.getAttribute("data-kb-config")).weights);
          const found = await pagefind.search(word);
          return Promise.all(found.results.map((result) => result.data().then((data) => data.meta.title)));
        }""",
        joined(number),
    )
    assert word == [title], (number, word)
    home_guard.assert_clean(home)
    whole = shown_as_the_whole_index_ranks(open_page, server, number)
    assert whole[0] == title, (number, whole)


def test_header_reads_only_the_titles_index_for_a_word_in_many_titles(open_page, library):
    # 管理办法 is in 29 titles of the library: the panel's 8 are settled from the titles' short lists, and
    # the chunks of the text's index (a common word's are ten times larger) are not loaded at all.
    site, server = library
    word = "管理办法"
    chunks = {}
    for way in ("header", "titles", "page"):
        page, guard = open_page(server)
        asked = chunks[way] = set()
        page.on("request", lambda request, asked=asked: "/pagefind/index/" in request.url and asked.add(request.url))
        page.goto(server.url(""))
        if way == "header":
            type_in_header(page, word)
            status = page.locator(f"{PANEL} [role=status]").inner_text()
        elif way == "titles":  # the title search alone
            page.evaluate(
                """async (word) => {
              const bundle = await import(new URL("assets/javascripts/kb-search/bundle.js", document.baseURI));
              const text = await import(new URL("assets/javascripts/kb-search/query.js", document.baseURI));
              const form = document.querySelector("[data-kb-search-form]");
              const config = JSON.parse(form.getAttribute("data-kb-config"));
              const pagefind = await bundle.openBundle(form, config.weights);
              const cut = text.chinese(config.chars);
              await pagefind.search(cut.titleParts(cut.queryParts(word), config.title_mark)[0]);
            }""",
                word,
            )
        else:
            page.goto(server.url("search/") + "?q=" + quote(word))
            page.wait_for_selector(SETTLED)
        guard.assert_clean(page)
    assert chunks["header"] and chunks["header"] <= chunks["titles"], chunks
    assert chunks["page"] - chunks["titles"], chunks  # the whole index's chunks, which the header skipped
    assert status == f"标题含所搜词语的有 {titles_with(site, word)} 个", status


def test_header_results_by_keyboard(open_page, servers):
    server = servers["public"]
    page, guard = open_page(server)
    page.goto(server.url("cases/"))
    page.keyboard.press("/")
    page.keyboard.type("X财行〔2022〕12号")
    page.wait_for_selector(f"{PANEL}:not([aria-busy]) li")
    first = page.locator(f"{PANEL_RESULTS} .kb-result__title").first
    assert first.inner_text() == "X区基层思想政治工作专项资金管理办法"
    assert "现行有效" in page.locator(f"{PANEL_RESULTS} .kb-badge").first.inner_text()
    # Escape closes the panel and leaves the focus in the box; the down arrow opens it again and
    # moves into the results; Enter follows the one with the focus.
    page.keyboard.press("Escape")
    assert page.locator(PANEL).is_hidden()
    assert page.evaluate("document.activeElement.name") == "q"
    page.keyboard.press("ArrowDown")
    expect(page.locator(PANEL)).to_be_visible()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent") == "X区基层思想政治工作专项资金管理办法"
    page.keyboard.press("Enter")
    page.wait_for_url("**/funds/**")
    assert page.locator("h1").first.inner_text() == "X区基层思想政治工作专项资金管理办法"
    guard.assert_clean(page)


def test_header_says_when_nothing_is_found_and_searches_the_pages_language(open_page, servers):
    server = servers["public"]
    page, guard = open_page(server)
    page.goto(server.url("funds/"))
    assert type_in_header(page, "量子纠缠火星基地") == []
    assert "没有找到结果" in page.locator(f"{PANEL} [role=status]").inner_text()
    page.goto(server.url("en/funds/"))
    titles = type_in_header(page, "joint meeting")
    assert titles[0] == "Joint Meeting System for Ideological and Political Work in X District", titles
    assert page.locator(f"{PANEL_RESULTS} a").first.get_attribute("href").startswith("/en/")
    assert "results" in page.locator(f"{PANEL} [role=status]").inner_text()
    guard.assert_clean(page)


def test_phone_header_opens_the_search_page(open_page, servers):
    page, guard = open_page(servers["public"])
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(servers["public"].url("cases/"))
    assert not page.locator("[data-kb-search-input]").is_visible()
    page.locator(".kb-header-search__button").click()
    page.wait_for_url("**/search/**")
    assert page.evaluate("document.activeElement.id") == "kb-search-q"
    # Results first: the filters start folded on a phone, and open with one tap.
    page.fill("#kb-search-q", "网格员")
    page.press("#kb-search-q", "Enter")
    page.wait_for_selector(RESULTS)
    page.wait_for_selector(SETTLED)
    assert not page.locator("[data-kb-search-filters]").evaluate("d => d.open")
    page.locator("[data-kb-search-filters] > summary").click()
    assert page.locator("#kb-search-facets input[name=level][value=grid]").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    guard.assert_clean(page)


def test_internal_documents_are_never_found_in_the_public_build(open_page, servers, real_sites):
    for query in ("预算分配方案", "人才库名册", "评分细则", "督查情况的通报", "X财行〔2026〕4号"):
        page, guard, titles = search(open_page, servers["public"], query)
        assert not any("预算分配方案" in t or "名册" in t or "评分细则" in t or "督查情况" in t for t in titles), titles
        guard.assert_clean(page)
    page, guard, titles = search(open_page, servers["internal"], "X财行〔2026〕4号")
    assert titles[0] == "2026年度X区基层思想政治工作专项资金预算分配方案"
    guard.assert_clean(page)
    for root, lang in (("", "zh"), ("en/", "en")):
        entry = json.loads(
            (real_sites["public"] / root / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8")
        )
        assert set(entry["languages"]) == {INDEX_LANGUAGE[lang]}


def test_the_search_page_starts_its_search_before_the_stylesheets(real_sites):
    """Each search page's head names Pagefind's bundle and runs the first search module above the
    stylesheets: placed after them, the browser ran it only once Material's script had run."""
    for root in ("", "en/"):
        html = (real_sites["public"] / root / "search" / "index.html").read_text(encoding="utf-8")
        head = html[: html.index("</head>")]
        first_style = head.index('rel="stylesheet"')
        assert head.index('id="kb-search-head"') < first_style
        assert head.index('<script type="module" async src=') < first_style
        assert head.index('rel="modulepreload"') < first_style


def test_search_works_under_a_sub_path(open_page, servers):
    server = servers["subpath"]
    page, guard, titles = search(open_page, server, "联席会议制度", path="kb/search/")
    assert titles[0] == "X区思想政治工作联席会议制度"
    # The bundle is preloaded beside the styles (one request: the import takes the preloaded module),
    # and the script runs without waiting for them.
    bundle = page.evaluate("document.querySelector('link[rel=modulepreload]').href")
    assert bundle == server.url("kb/pagefind/pagefind.js")
    assert page.evaluate("url => performance.getEntriesByName(url).length", bundle) == 1
    assert page.locator("script[src$='/kb-search.js'][async]").count() == 1
    page.locator(f"{RESULTS} .kb-result__title").first.click()
    page.wait_for_url("**/kb/policies/joint-meeting/")
    assert page.locator("h1").first.inner_text() == "X区思想政治工作联席会议制度"
    # The header's panel, on a document page two folders down, finds and links under the sub-path too.
    assert type_in_header(page, "联席会议制度")[0] == "X区思想政治工作联席会议制度"
    assert page.locator(f"{PANEL_RESULTS} a").first.get_attribute("href") == "/kb/policies/joint-meeting/"
    guard.assert_clean(page)
