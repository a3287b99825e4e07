"""Lists on pages of bounded size (kb/listings.py): order, pages, pager, keyword keys, and the further
pages a large list gets."""

from __future__ import annotations

import pytest
from conftest import FIXTURE_DOCS, ROOT, TODAY

from kb import listings, pages
from kb.data import load_vocabulary
from kb.validate import validate

VOCAB = load_vocabulary()


@pytest.fixture(scope="module")
def catalog():
    catalog, problems = validate(FIXTURE_DOCS, root=ROOT, today=TODAY)
    assert not problems
    return catalog


def test_in_force_first_then_the_others_each_newest_first(catalog):
    docs = listings.ordered(catalog.visible("public"), TODAY)
    states = [listings.in_force(d, TODAY) for d in docs]
    assert states == sorted(states, reverse=True)  # all in force, then none
    for group in (True, False):
        dates = [d.date for d in docs if listings.in_force(d, TODAY) is group]
        assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize("total, count", [(0, 1), (1, 1), (50, 1), (51, 2), (20000, 400)])
def test_page_count(total, count):
    assert listings.page_count(total) == count


def test_pages_cut_the_list_in_order():
    items = list(range(120))
    assert listings.page_of(items, 1) == items[:50]
    assert listings.page_of(items, 3) == items[100:]
    assert listings.page_of(items, 4) == []


def numbers(pager) -> list:
    return [link and (link["number"], link["current"]) for link in pager["links"]]


def test_the_pager_shows_the_ends_the_neighbours_and_gaps():
    assert listings.pager("policies", 1, 1, "zh") is None  # one page: no pager
    pager = listings.pager("policies", 7, 20, "en")
    assert numbers(pager) == [
        (1, False),
        None,
        (5, False),
        (6, False),
        (7, True),
        (8, False),
        (9, False),
        None,
        (20, False),
    ]
    assert pager["previous"] == "en/policies/page/6/" and pager["next"] == "en/policies/page/8/"
    first = listings.pager("topics/theory", 1, 3, "zh")
    assert first["previous"] is None and first["links"][0]["url"] == "topics/theory/"
    assert numbers(first) == [(1, True), (2, False), (3, False)]
    last = listings.pager("policies", 4, 4, "zh")
    assert last["next"] is None and numbers(last) == [(1, False), (2, False), (3, False), (4, True)]


def test_keyword_keys_are_pinyin_and_unique():
    keys = listings.tag_keys(["联席会议", "会议", "汇议", "2025年", "Party-building", "！？"])
    assert keys["联席会议"] == "lian-xi-hui-yi"
    assert keys["2025年"] == "2025-nian" and keys["Party-building"] == "party-building"
    assert keys["会议"] != keys["汇议"] and keys["会议"].startswith("hui-yi-")  # same pinyin: a hash each
    assert keys["！？"] and all(c.isalnum() or c == "-" for c in keys["！？"])  # no pinyin: the hash alone
    assert len(set(keys.values())) == len(keys)
    assert listings.tag_keys(["汇议", "会议"]) == {k: keys[k] for k in ("汇议", "会议")}  # stable


def test_a_long_list_gets_further_pages_with_their_own_titles(catalog, monkeypatch):
    monkeypatch.setattr(listings, "PAGE_SIZE", 2)
    further = [p for p in pages.catalog_pages(catalog, "public", VOCAB) if p.number > 1]
    policies = [p for p in further if p.kind == "section" and p.key == "policies"]
    assert [(p.src_uri, p.title, p.url) for p in policies] == [
        ("policies/page/2/index.md", "政策文件（第 2 页）", "policies/page/2/"),
        ("policies/page/2/index.en.md", "Policies (page 2)", "en/policies/page/2/"),
    ]
    shown = [
        e["doc"].path
        for number in (1, 2)
        for part in ("current", "past")
        for e in pages.section_context(
            catalog, policies[0] if number == 2 else pages.generated_pages(VOCAB)[0], "public", VOCAB
        )[part]
    ]
    assert shown == [d.path for d in listings.members(catalog, "section", "policies", "public")]
