"""The browsing pages in real Chromium: from the home page to a level, filtering a section in place
(and the plain list without JavaScript), an old address that still answers, printing, and the charts
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
    cases = page.locator("section.kb-group", has=page.locator("h2#cases"))
    expect(cases.locator("ul.kb-list > .kb-entry")).to_have_count(1)
    # the expired action plan is there, folded away below what is in force
    past = page.locator("section.kb-group", has=page.locator("h2#policies")).locator("details.kb-past")
    expect(past.locator(".kb-entry")).to_be_hidden()
    past.locator("summary").click()
    expect(past.locator(".kb-badge--expired")).to_have_text("已失效")
    past.get_by_role("link", name=re.compile("三年行动方案")).click()
    page.wait_for_url(guard.server.url("/policies/action-plan/"))
    guard.assert_clean(page)


def visible_numbers(page) -> list[str]:
    return [n.inner_text() for n in page.locator("[data-kb-list] .kb-entry:visible .kb-entry__number").all()]


def test_section_page_filters_and_sorts_in_place(open_page):
    page, guard = open_page("public")
    goto(page, guard.server, "/policies/")
    form = page.locator("form.kb-filter")
    expect(form).to_be_visible()
    expect(form.locator("[data-kb-status]")).to_have_text("显示 3 件，共 3 件")
    form.locator("select[name=level]").select_option("community")
    expect(form.locator("[data-kb-status]")).to_have_text("显示 1 件，共 3 件")
    assert visible_numbers(page) == ["X宣发〔2021〕4号"]
    expect(page.locator("h2#y2023")).to_be_hidden()  # a year with nothing left is hidden too
    assert page.url.endswith("/policies/?level=community")
    form.locator("select[name=level]").select_option("")
    form.locator("select[name=sort]").select_option("number")
    assert visible_numbers(page) == ["X委办发〔2019〕5号", "X委办发〔2023〕7号", "X宣发〔2021〕4号"]
    expect(page.locator("h2#y2021")).to_be_hidden()
    form.locator("select[name=sort]").select_option("date-asc")
    assert visible_numbers(page) == ["X委办发〔2019〕5号", "X宣发〔2021〕4号", "X委办发〔2023〕7号"]
    form.locator("select[name=validity]").select_option("repealed")
    form.locator("select[name=year]").select_option("2023")
    expect(form.locator("[data-kb-none]")).to_be_visible()
    form.get_by_role("button", name="清除筛选").click()
    expect(form.locator("[data-kb-status]")).to_have_text("显示 3 件，共 3 件")
    assert visible_numbers(page) == ["X委办发〔2023〕7号", "X宣发〔2021〕4号", "X委办发〔2019〕5号"]
    assert page.url.endswith("/policies/")
    # a link with the choice in its address opens the page filtered
    goto(page, guard.server, "/en/policies/?validity=expired")
    expect(page.locator("form.kb-filter [data-kb-status]")).to_have_text("Showing 1 of 3")
    guard.assert_clean(page)


def test_section_page_is_the_plain_list_without_javascript(browser, site_servers):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_servers["public"].url("/policies/"))
        expect(page.locator("form.kb-filter")).to_be_hidden()
        expect(page.locator("[data-kb-list] .kb-entry")).to_have_count(3)
        assert visible_numbers(page) == ["X委办发〔2023〕7号", "X宣发〔2021〕4号", "X委办发〔2019〕5号"]
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
