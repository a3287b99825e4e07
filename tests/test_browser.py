"""Real browser tests: the built fixture sites served over HTTP and driven in headless Chromium.

Every test opens its pages through ``open_page`` (tests/conftest.py), which aborts and records any
request that leaves the local server and collects console errors, page errors and responses >= 400;
each test ends with ``guard.assert_clean(page)``, so a broken link, a missing asset or a failing
script on any visited page fails the test that visited it.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

from playwright.sync_api import expect

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
SECRET = "青松考评表"  # a phrase only in the internal document policies/score-sheet.md


def goto(page, server, path: str, status: int = 200):
    response = page.goto(server.url(path))
    assert response is not None, f"no response for {path}"
    assert response.status == status, f"{path}: HTTP {response.status}, expected {status}"
    return response


def open_language_menu(page) -> None:
    """Material shows the language list while the header's language button is hovered or focused."""
    button = page.locator(".md-header .md-select > button")
    button.hover()
    button.click()
    expect(page.locator(".md-header .md-select__inner")).to_be_visible()


# -- the reader's journey -------------------------------------------------------------------------


def test_journey_home_section_document_language_switch_and_back(open_page):
    page, guard = open_page("public")
    server = guard.server

    # Home page, then the 政策文件 tab.
    goto(page, server, "/")
    expect(page.locator("html")).to_have_attribute("lang", "zh")
    page.locator(".md-tabs").get_by_role("link", name="政策文件", exact=True).click()
    page.wait_for_url(server.url("/policies/"))

    # The section page lists the documents with 文号 and validity badges.
    listing = page.locator("article .kb-list")
    expect(listing.first).to_be_visible()
    expect(page.locator(".kb-entry__number", has_text="X委办发〔2023〕7号")).to_be_visible()
    expect(page.locator(".kb-entry__number", has_text="X宣发〔2021〕4号")).to_be_visible()
    expect(page.locator(".kb-entry__number", has_text="X委办发〔2019〕5号")).to_be_visible()
    for state, label in (("current", "现行有效"), ("repealed", "已废止"), ("expired", "已失效")):
        expect(page.locator(f"article .kb-entry .kb-badge--{state}").first).to_have_text(label)
    expect(page.locator("article")).not_to_contain_text(SECRET)

    # Into the document.
    page.locator("article .kb-entry__title", has_text=re.compile(r"^X区思想政治工作联席会议制度$")).click()
    page.wait_for_url(server.url("/policies/joint-meeting/"))
    expect(page.locator("article h1")).to_have_text("X区思想政治工作联席会议制度")
    card = page.locator("section.kb-card")
    expect(card).to_be_visible()
    number = card.locator("dl > div", has=page.locator("dt", has_text="发文字号"))
    expect(number.locator("dd")).to_have_text("X委办发〔2023〕7号")
    expect(card.locator(".kb-badge--current")).to_have_text("现行有效")
    interpretation = page.locator("aside.kb-interpretations a")
    expect(interpretation).to_have_text("《X区思想政治工作联席会议制度》解读")
    href = interpretation.evaluate("a => a.href")
    assert href == server.url("/interpretations/joint-meeting-qa/")
    assert page.request.get(href).status == 200

    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "policies-joint-meeting.png"), full_page=True)

    # Switch to English with Material's language selector: the same document, translated.
    open_language_menu(page)
    page.locator(".md-header .md-select a[hreflang=en]").click()
    page.wait_for_url(server.url("/en/policies/joint-meeting/"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("article h1")).to_have_text(
        "Joint Meeting System for Ideological and Political Work in X District"
    )
    expect(page.locator("article .kb-untranslated")).to_have_count(0)
    expect(page.locator("section.kb-card dd.kb-card__number")).to_have_text("X委办发〔2023〕7号")

    # Back to the Chinese page.
    page.go_back()
    page.wait_for_url(server.url("/policies/joint-meeting/"))
    expect(page.locator("html")).to_have_attribute("lang", "zh")
    expect(page.locator("article h1")).to_have_text("X区思想政治工作联席会议制度")

    # No 404 anywhere on the way, including any sitemap.xml Material's language switcher fetched.
    guard.assert_clean(page)
    sitemaps = [(status, url) for status, url in guard.responses if url.endswith("sitemap.xml")]
    assert all(status == 200 for status, _ in sitemaps), sitemaps


def test_repealed_document_banner_links_to_its_successor(open_page):
    page, guard = open_page("public")
    goto(page, guard.server, "/policies/joint-meeting-interim/")
    banner = page.locator("article .kb-superseded")
    expect(banner.locator(".admonition-title")).to_have_text("已废止")
    expect(page.locator("section.kb-card .kb-badge--repealed")).to_have_text("已废止")
    successor = banner.get_by_role("link", name="X区思想政治工作联席会议制度", exact=True)
    expect(successor).to_be_visible()
    successor.click()
    page.wait_for_url(guard.server.url("/policies/joint-meeting/"))
    expect(page.locator("article h1")).to_have_text("X区思想政治工作联席会议制度")
    guard.assert_clean(page)


def test_untranslated_expired_document_in_english(open_page):
    page, guard = open_page("public")
    goto(page, guard.server, "/en/policies/action-plan/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    notice = page.locator("article .kb-untranslated")
    expect(notice.locator(".admonition-title")).to_have_text("Not translated yet")
    expect(notice).to_contain_text("has not been translated yet")
    # The Chinese original follows, with the expiry banner and badge in English.
    expect(page.locator("article h1")).to_have_text("X区基层思想政治工作三年行动方案（2021—2023年）")
    expired = page.locator("article .kb-expired")
    expect(expired.locator(".admonition-title")).to_have_text("Expired")
    expect(expired).to_contain_text("2023-12-31")
    expect(page.locator("section.kb-card .kb-badge--expired")).to_have_text("Expired")
    guard.assert_clean(page)


# -- audiences ------------------------------------------------------------------------------------


def test_internal_document_is_not_in_the_public_site(open_page):
    page, guard = open_page("public")
    guard.expect_status("/policies/score-sheet/", 404)
    goto(page, guard.server, "/policies/score-sheet/", status=404)
    expect(page.locator("body")).not_to_contain_text(SECRET)
    expect(page.locator("body")).not_to_contain_text("2025年度绩效考核评分细则")
    # Nor is it listed where it would be.
    goto(page, guard.server, "/policies/")
    expect(page.locator("body")).not_to_contain_text(SECRET)
    expect(page.locator("body")).not_to_contain_text("X宣发〔2025〕9号")
    expect(page.locator("a[href*='score-sheet']")).to_have_count(0)
    guard.assert_clean(page)


def test_internal_document_is_shown_in_the_internal_site(open_page):
    page, guard = open_page("internal")
    goto(page, guard.server, "/policies/")
    entry = page.locator("article .kb-entry", has_text="2025年度绩效考核评分细则")
    expect(entry.locator(".kb-badge--internal")).to_have_text("内部资料")
    entry.locator(".kb-entry__title").click()
    page.wait_for_url(guard.server.url("/policies/score-sheet/"))
    internal = page.locator("article .kb-internal")
    expect(internal.locator(".admonition-title")).to_have_text("内部资料")
    expect(internal).to_be_visible()
    expect(page.locator("article")).to_contain_text(SECRET)
    guard.assert_clean(page)


def test_every_public_page_loads_cleanly_and_shows_nothing_internal(open_page):
    """Every page in the public sitemap, in both languages: no errors, no off-site requests,
    no internal text."""
    page, guard = open_page("public")
    xml = page.request.get(guard.server.url("/sitemap.xml"))
    assert xml.status == 200 and "xml" in xml.headers.get("content-type", "")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    paths = [urlsplit(loc.text).path for loc in ElementTree.fromstring(xml.body()).findall("s:url/s:loc", ns)]
    assert "/policies/joint-meeting/" in paths and "/en/policies/joint-meeting/" in paths
    assert not [p for p in paths if "score-sheet" in p]
    for path in paths:
        goto(page, guard.server, path)
        page.wait_for_load_state("networkidle")
        text = page.locator("body").inner_text()
        assert SECRET not in text, path
        assert not page.locator("a[href*='score-sheet']").count(), path
    guard.assert_clean(page)


# -- the 404 page: rendered by the default language only (hooks/pages.py on_pre_build) -----------------


def test_404_page_is_in_the_default_language(open_page):
    page, guard = open_page("public")
    guard.expect_status("/no-such-page/", 404)
    goto(page, guard.server, "/no-such-page/", status=404)
    guard.assert_clean(page)
    expect(page.locator("html")).to_have_attribute("lang", "zh", timeout=1000)
    expect(page.locator(".md-header .md-select a[hreflang=zh]")).to_have_attribute("href", "/", timeout=1000)
