"""The browsing pages in real Chromium: from the home page to a level, filtering a whole section from
any of its pages (and its plain pages without JavaScript, by keyboard), an old address that still answers, printing, and the charts
in both colour schemes. Screenshots of the statistics and comparison pages go to tests/screenshots/."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect
from test_browser import goto

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
COMPARE = "/compare/policies/joint-meeting--policies-joint-meeting-interim/"


def test_grid_worker_goes_from_the_home_page_to_everything_at_grid_level(open_page):
    page, guard = open_page("public")
    goto(page, guard.server, "/")
    page.locator(".kb-home .kb-facet", has_text="网格").click()
    page.wait_for_url(guard.server.url("/levels/grid/"))
    expect(page.locator("article h1")).to_have_text("适用于网格的文件")
    expect(page.locator(".kb-facet--current")).to_contain_text("网格")
    expect(page.locator(".kb-entry__section", has_text="典型案例")).to_have_count(1)
    # the expired action plan is there, below what is in force, under a heading of its own
    past = page.locator("h2#past + ul.kb-list")
    expect(past.locator(".kb-badge--expired")).to_have_text("已失效")
    past.get_by_role("link", name=re.compile("三年行动方案")).click()
    page.wait_for_url(guard.server.url("/policies/action-plan/"))
    guard.assert_clean(page)


def shown_numbers(page) -> list[str]:
    """The 文号 of the documents the section page shows: its own list, or the filtered one."""
    return [n.inner_text() for n in page.locator(".kb-entry:visible .kb-entry__number").all()]


def test_section_page_filters_and_sorts_the_whole_section(open_page, paged_server):
    """Two documents a page (``paged_server``): the filters still cover the section's three."""
    page, guard = open_page(paged_server)
    goto(page, guard.server, "/policies/")
    form = page.locator("form.kb-filter")
    status = form.locator("[data-kb-status]")
    more = page.get_by_role("button", name="显示更多")
    expect(form).to_be_visible()
    assert shown_numbers(page) == ["X委办发〔2023〕7号", "X宣发〔2021〕4号"]  # page 1 of 2
    expect(page.locator(".kb-pager__where")).to_have_text("第 1 页，共 2 页")
    form.locator("select[name=level]").select_option("community")
    expect(status).to_have_text("显示 1 件，共 1 件")
    assert shown_numbers(page) == ["X宣发〔2021〕4号"]
    expect(page.locator(".kb-pager")).to_be_hidden()  # the pager is the page's, not the filter's
    assert page.url.endswith("/policies/?level=community")
    form.locator("select[name=level]").select_option("")
    form.locator("select[name=sort]").select_option("number")
    expect(status).to_have_text("显示 2 件，共 3 件")  # a page's worth at a time
    assert shown_numbers(page) == ["X委办发〔2019〕5号", "X委办发〔2023〕7号"]
    more.click()
    expect(status).to_have_text("显示 3 件，共 3 件")
    expect(more).to_be_hidden()
    assert shown_numbers(page) == ["X委办发〔2019〕5号", "X委办发〔2023〕7号", "X宣发〔2021〕4号"]
    form.locator("select[name=sort]").select_option("date-asc")
    more.click()
    assert shown_numbers(page) == ["X委办发〔2019〕5号", "X宣发〔2021〕4号", "X委办发〔2023〕7号"]
    assert page.url.endswith("/policies/?sort=date-asc")
    form.locator("select[name=validity]").select_option("repealed")
    form.locator("select[name=year]").select_option("2023")
    expect(form.locator("[data-kb-none]")).to_be_visible()
    form.get_by_role("button", name="清除筛选").click()
    expect(status).to_have_text("")
    assert shown_numbers(page) == ["X委办发〔2023〕7号", "X宣发〔2021〕4号"]  # the page's own list again
    expect(page.locator(".kb-pager")).to_be_visible()
    assert page.url.endswith("/policies/")
    # a link with the choice in its address opens the section filtered, from any of its pages
    goto(page, guard.server, "/en/policies/page/2/?validity=expired")
    expect(page.locator("form.kb-filter [data-kb-status]")).to_have_text("Showing 1 of 1")
    assert shown_numbers(page) == ["X宣发〔2021〕4号"]  # on page 1, not on page 2
    guard.assert_clean(page)


def test_list_pages_without_javascript_and_by_keyboard(browser, paged_server):
    """Without JavaScript a section is its plain pages; the pager's links are reached and followed by
    keyboard alone."""
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(paged_server.url("/policies/"))
        expect(page.locator("form.kb-filter")).to_be_hidden()
        assert shown_numbers(page) == ["X委办发〔2023〕7号", "X宣发〔2021〕4号"]
        expect(page.locator(".kb-pager [aria-current=page]")).to_have_text("1")
        page.locator(".kb-pager a[rel=next]").focus()
        page.keyboard.press("Enter")
        page.wait_for_url(paged_server.url("/policies/page/2/"))
        expect(page).to_have_title(re.compile("政策文件（第 2 页）"))
        assert shown_numbers(page) == ["X委办发〔2019〕5号"]
        expect(page.locator(".kb-pager a[rel=next]")).to_have_count(0)
        page.locator(".kb-pager a[rel=prev]").focus()
        page.keyboard.press("Enter")
        page.wait_for_url(paged_server.url("/policies/"))
    finally:
        context.close()


def test_renamed_document_still_answers_at_its_old_address(open_page):
    page, guard = open_page("public")
    for prefix, title in (
        ("", "X区思想政治工作联席会议制度"),
        ("/en", "Joint Meeting System for Ideological and Political Work in X District"),
    ):
        goto(page, guard.server, f"{prefix}/policies/joint-meeting-2023/")
        page.wait_for_url(guard.server.url(f"{prefix}/policies/joint-meeting/"))
        expect(page.locator("article h1")).to_have_text(title)
    guard.assert_clean(page)


def test_a_printed_document_looks_like_a_document(open_page):
    page, guard = open_page("public")
    goto(page, guard.server, "/policies/joint-meeting/")
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    for hidden in (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-footer", ".kb-breadcrumb", ".kb-cited-by"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.locator("section.kb-card")).to_be_visible()
    expect(page.locator("article h1")).to_be_visible()
    link = page.locator("article p a", has_text="专项资金管理办法")
    expected = guard.server.url("/funds/special-fund/")
    expect(link).to_have_attribute("data-print-url", expected)
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert expected in after
    chip = page.locator(".kb-card a.kb-chip").first
    assert chip.evaluate("a => getComputedStyle(a, '::after').content") == "none"
    guard.assert_clean(page)


def test_charts_and_comparison_read_in_both_schemes(open_page):
    SCREENSHOTS.mkdir(exist_ok=True)
    fills = {}
    for scheme in ("dark", "light"):  # a fresh browser each: Material remembers the scheme it chose
        page, guard = open_page("internal")
        page.emulate_media(color_scheme=scheme)
        goto(page, guard.server, "/stats/")
        expect(page.locator("svg.kb-chart__svg")).to_have_count(4)
        expect(page.get_by_role("img", name="各年份文件数（按栏目）")).to_be_visible()
        text = page.locator("svg.kb-chart__svg text").first.evaluate("t => getComputedStyle(t).fill")
        bar = page.locator("rect.kb-chart__bar").first.evaluate("r => getComputedStyle(r).fill")
        background = page.locator("body").evaluate("b => getComputedStyle(b).backgroundColor")
        fills[scheme] = (text, bar, background)
        page.screenshot(path=str(SCREENSHOTS / f"stats-{scheme}.png"), full_page=True)
        if scheme == "dark":
            guard.assert_clean(page)
    light, dark = fills["light"], fills["dark"]
    assert light[0] != dark[0] and light[1] != dark[1] and light[2] != dark[2]  # text, bars and page all follow
    assert dark[0] != dark[2] and light[0] != light[2]  # text is never in the background colour
    goto(page, guard.server, COMPARE)
    expect(page.locator("table.kb-compare del").first).to_have_text("试行制度。")
    expect(page.locator("table.kb-compare ins").first).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "compare.png"), full_page=True)
    guard.assert_clean(page)


def test_a_filter_of_many_values_is_typed_and_offers_them(open_page, typed_server):
    page, guard = open_page(typed_server)
    goto(page, guard.server, "/policies/")
    form = page.locator("form.kb-filter")
    issuer = form.locator("input[name=issuer]")
    expect(form.locator("select[name=issuer]")).to_have_count(0)  # a text box, not a menu of every value
    issuer.click()
    expect(form.locator("datalist#kb-filter-issuer option")).to_have_count(3)
    issuer.fill("宣传部")
    expect(form.locator("[data-kb-status]")).to_have_text("显示 1 件，共 1 件")
    assert shown_numbers(page) == ["X宣发〔2021〕4号"]
    assert page.url.endswith("/policies/?issuer=%E5%AE%A3%E4%BC%A0%E9%83%A8")
    issuer.fill("")
    expect(form.locator("[data-kb-status]")).to_have_text("")
    goto(page, guard.server, "/policies/?issuer=区委办公室")  # from the address, as typed
    expect(issuer).to_have_value("区委办公室")
    expect(form.locator("[data-kb-status]")).to_have_text("显示 2 件，共 2 件")
    guard.assert_clean(page)
