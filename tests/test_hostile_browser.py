"""Hostile text in a reader's browser: values that look like markup stay text on the document page, the
keyword listing, the search page and the header's results, where scripts (Pagefind's excerpts, the
result list) put them into the page. Real Chromium against a real build."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from conftest import SiteServer, build_site, copy_fixture

PAYLOAD = '<img src=x onerror="window.__xss=1">'
TITLE = f"防注入测试文件{PAYLOAD}"
DOCUMENT = f"""---
title: '{TITLE}'
summary: '摘要{PAYLOAD}"引号"'
topics: [structure]
levels: [district]
tags: ['{PAYLOAD}', '关键词</title><script>window.__xss=2</script>']
visibility: public
doc_number: X宣发〔2024〕2号
issuer: 中共X区委宣传部
issued: 2024-03-01
owner: 区委宣传部
reviewed: 2026-03-10
---

防注入测试正文：&lt;img src=x onerror="window.__xss=3"&gt; 是一段文字，`<script>window.__xss=4</script>` 是代码。
"""


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile-browser")
    docs = copy_fixture(base)
    (docs / "policies" / "markup-in-values.md").write_text(DOCUMENT, encoding="utf-8")
    site = build_site(docs, base / "site", "public")
    with SiteServer(site) as server:
        yield server


def assert_inert(page) -> None:
    assert page.evaluate("window.__xss") is None
    assert page.locator("img[src=x]").count() == 0


def test_document_page_and_keyword_listing_show_markup_as_text(open_page, hostile_server):
    page, guard = open_page(hostile_server)
    page.goto(hostile_server.url("policies/markup-in-values/"))
    assert TITLE in page.title()
    assert TITLE in page.locator("article h1").inner_text()
    assert PAYLOAD in page.get_attribute('meta[name="description"]', "content")
    assert 'onerror="window.__xss=3"' in page.locator("article").inner_text()
    assert_inert(page)
    page.goto(hostile_server.url("tags/"))
    assert PAYLOAD in page.locator("article").inner_text()
    assert_inert(page)
    guard.assert_clean(page)


def test_search_results_show_markup_as_text(open_page, hostile_server):
    page, guard = open_page(hostile_server)
    page.goto(hostile_server.url("search/") + "?q=" + quote("防注入测试"))
    title = page.locator("#kb-search-results > li .kb-result__title").first
    title.wait_for()
    assert TITLE in title.inner_text()
    assert_inert(page)
    page.goto(hostile_server.url(""))
    page.locator("[data-kb-search-input]").first.fill("防注入测试正文")
    page.locator(".kb-header-results li").first.wait_for()
    assert "防注入测试" in page.locator(".kb-header-results").inner_text()
    assert_inert(page)
    guard.assert_clean(page)
