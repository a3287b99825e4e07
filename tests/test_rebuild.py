"""``make serve`` rebuilds with ``--dirty``: after a change, every page that shows it is rendered again
(in both languages), and the other generated pages are not (:mod:`kb.rebuild`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import build_site, copy_fixture

from kb import listings

OLD_TITLE = "X区基层思想政治工作专项资金管理办法"
NEW_TITLE = "X区基层思想政治工作专项资金管理规定"
DELETED = "传承“时代楷模”老马精神"
NEW_CASE = """---
title: 新增的社区宣讲案例
summary: 重建后应出现在列表中。
topics: [role-models]
levels: [grid]
visibility: public
date: 2026-11-01
unit: 中共X区委宣传部
tags: [社区宣讲]
---

正文。
"""
UNRELATED = ("talent/", "en/talent/", "topics/training/", "search/")
# Output files a rebuild leaves as they were: the pages above; the sitemaps (only search engines read them).
KEPT = (*(url + "index.html" for url in UNRELATED), "sitemap.xml", "sitemap.xml.gz")


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    """The fixture built as ``make serve`` starts, then rebuilt after a retitled, a new and a deleted
    document; with the modification times of some pages between the two builds."""
    base = tmp_path_factory.mktemp("rebuild")
    docs, site = copy_fixture(base), base / "site"
    build_site(docs, site, dirty=True)
    before = {path: (site / path).stat().st_mtime_ns for path in KEPT}
    fund = docs / "funds" / "special-fund.md"
    fund.write_text(fund.read_text(encoding="utf-8").replace(OLD_TITLE, NEW_TITLE), encoding="utf-8")
    (docs / "cases" / "new-case.md").write_text(NEW_CASE, encoding="utf-8")
    (docs / "cases" / "lao-ma.md").unlink()
    meeting = docs / "policies" / "joint-meeting.md"  # loses one of its two keywords
    meeting.write_text(
        meeting.read_text(encoding="utf-8").replace("[联席会议, 议事规则]", "[议事规则]"), encoding="utf-8"
    )
    build_site(docs, site, dirty=True)
    return site, before


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_a_retitled_document_shows_its_new_title_wherever_it_is_listed(rebuilt, prefix):
    site, _ = rebuilt
    # its own page, its section, its topic and levels, and the page of the document citing it
    for url in (
        "funds/special-fund/",
        "funds/",
        "topics/funding/",
        "levels/district/",
        "levels/community/",
        "policies/joint-meeting/",
    ):
        html = page(site, prefix + url)
        assert NEW_TITLE in html and OLD_TITLE not in html, prefix + url


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_a_new_document_appears_and_a_deleted_one_disappears(rebuilt, prefix):
    site, _ = rebuilt
    for url in ("cases/", "topics/role-models/", "levels/grid/", ""):  # "": the home page's latest documents
        assert "新增的社区宣讲案例" in page(site, prefix + url), prefix + url
    for url in ("cases/", "topics/role-models/", "levels/district/", ""):
        assert DELETED not in page(site, prefix + url), prefix + url


def test_pages_that_show_nothing_that_changed_are_not_rendered_again(rebuilt):
    site, before = rebuilt
    for path in KEPT:
        assert (site / path).stat().st_mtime_ns == before[path], path


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_keyword_pages_follow_the_documents(rebuilt, prefix):
    """A new keyword gets its page and its place in the listing; a keyword no document has any more
    loses both; a keyword kept still lists its documents."""
    site, _ = rebuilt
    listing = page(site, prefix + "tags/")
    assert 'href="she-qu-xuan-jiang/"' in listing and "新增的社区宣讲案例" in page(
        site, prefix + "tags/she-qu-xuan-jiang/"
    )
    assert "lian-xi-hui-yi" not in listing and not (site / prefix / "tags" / "lian-xi-hui-yi").exists()
    assert "policies/joint-meeting/" in page(site, prefix + "tags/yi-shi-gui-ze/")
    assert "joint-meeting/" in page(site, prefix + "policies/joint-meeting/") and "lian-xi-hui-yi" not in page(
        site, prefix + "policies/joint-meeting/"
    )


def test_an_edit_renders_again_only_the_page_of_a_list_that_holds_the_document(tmp_path, monkeypatch):
    """One document a page: retitling the newest policy renders page 1 of the policies again, not the
    pages of the others; moving it (an earlier date) renders every page whose documents changed."""
    monkeypatch.setattr(listings, "PAGE_SIZE", 1)
    docs, site = copy_fixture(tmp_path), tmp_path / "site"
    build_site(docs, site, dirty=True)
    listed = ["policies/", "policies/page/2/", "policies/page/3/", "en/policies/page/3/"]

    def times() -> dict[str, int]:
        return {url: (site / url / "index.html").stat().st_mtime_ns for url in listed}

    meeting = docs / "policies" / "joint-meeting.md"
    before = times()
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("联席会议制度", "联席会议规则"), encoding="utf-8")
    build_site(docs, site, dirty=True)
    after = times()
    assert "X区思想政治工作联席会议规则" in page(site, "policies/")
    assert [url for url in listed if after[url] != before[url]] == ["policies/"]
    plan = docs / "policies" / "action-plan.md"
    plan.write_text(plan.read_text(encoding="utf-8").replace("有效期已过", "有效期已满"), encoding="utf-8")
    build_site(docs, site, dirty=True)
    summarized = times()
    assert [url for url in listed if summarized[url] != after[url]] == ["policies/page/2/"]
    assert "有效期已满" in page(site, "policies/page/2/")
    # extended to 2027, the plan is in force again: the section's filters no longer offer 已失效, and
    # every page shows the filters; in force and older than the 2023 rules, it stays second
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("expires: 2023-12-31", "expires: 2027-12-31"), encoding="utf-8"
    )
    build_site(docs, site, dirty=True)
    extended = times()
    assert all(extended[url] != summarized[url] for url in listed)
    assert 'value="expired"' not in page(site, "policies/page/3/")
    assert "三年行动方案" in page(site, "policies/page/2/") and "kb-badge--current" in page(site, "policies/page/2/")


def test_catalogue_files_are_written_again_when_what_they_hold_changed(tmp_path):
    """catalog.json, the feeds and browse.json: an edit of a text alone (same day) leaves them as they
    were, without writing them again; an edit of a title writes them with it."""
    docs, site = copy_fixture(tmp_path), tmp_path / "site"
    for path in docs.rglob("*.md"):
        os.utime(path)  # changed today, as the edits below are: the date of last change stays the same
    build_site(docs, site, dirty=True)
    written = [site / "catalog.json", site / "feed.xml", site / "en" / "feed.xml", site / "policies" / "browse.json"]

    def times() -> list[int]:
        return [path.stat().st_mtime_ns for path in written]

    before = times()
    meeting = docs / "policies" / "joint-meeting.md"
    meeting.write_text(meeting.read_text(encoding="utf-8") + "\n补充一段正文。\n", encoding="utf-8")
    build_site(docs, site, dirty=True)
    assert times() == before
    assert "补充一段正文" in page(site, "policies/joint-meeting/")
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("联席会议制度", "联席会议规则"), encoding="utf-8")
    build_site(docs, site, dirty=True)
    assert all(now != then for now, then in zip(times(), before, strict=True))
    assert "联席会议规则" in (site / "catalog.json").read_text(encoding="utf-8")
    assert "联席会议规则" in (site / "policies" / "browse.json").read_text(encoding="utf-8")


def test_a_rebuild_that_failed_leaves_its_pages_to_the_next(tmp_path, monkeypatch):
    """A rebuild removes the output of the pages it will render again, and may fail before it has: the
    next rebuild, with nothing else changed, renders them (it asks the system which pages are missing,
    which it does not after a rebuild that finished)."""
    from hooks import pages as page_hooks

    docs, site = copy_fixture(tmp_path), tmp_path / "site"
    build_site(docs, site, dirty=True)
    meeting = docs / "policies" / "joint-meeting.md"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("联席会议制度", "联席会议规则"), encoding="utf-8")
    wrap = page_hooks.on_page_content

    def failing(kb, html, page, config, files):
        if page.file.src_uri == "policies/joint-meeting.md":
            raise OSError("disk full")
        return wrap(kb, html, page, config, files)

    monkeypatch.setattr(page_hooks, "on_page_content", failing)
    with pytest.raises(OSError):
        build_site(docs, site, dirty=True)
    assert not (site / "policies" / "joint-meeting" / "index.html").exists()
    monkeypatch.setattr(page_hooks, "on_page_content", wrap)
    build_site(docs, site, dirty=True)
    assert "X区思想政治工作联席会议规则" in page(site, "policies/joint-meeting/")
    assert "X区思想政治工作联席会议规则" in page(site, "policies/")
