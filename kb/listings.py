"""Lists of documents on pages of bounded size, at any size of the library.

A list (a section, a topic, a level, a keyword, the review list) shows its documents in the order a
reader needs them: those in force first, then the others, each newest first. Its pages hold
:data:`PAGE_SIZE` documents each: the first at the list's own address (``policies/``), the others
below it (``policies/page/2/``), linked from every page by a pager that works without JavaScript. The
section pages' filters cover the whole section through a small data file per section and language
(``policies/browse.json``, :func:`browse_data`), fetched only when a reader filters or sorts.

Keywords get pages of their own (``tags/<key>/``): the key is the keyword's pinyin
(``联席会议`` → ``lian-xi-hui-yi``), with a short hash of the keyword where two keywords would share one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections.abc import Callable, Iterable
from typing import Any

from kb import docnumber, facets, routes
from kb.catalog import Catalog, Document
from kb.data import Vocabulary

PAGE_SIZE = 50  # documents per page of a list: about 40 KB of HTML
PAGER_NEIGHBOURS = 2  # page links on each side of the current one, besides the first and the last
FACET_FIELDS = {"topic": "topics", "level": "levels"}  # kind of a list page -> the field it lists by


def in_force(doc: Document, today: dt.date) -> bool:
    return doc.state(today) in (None, "current")


def ordered(docs: Iterable[Document], today: dt.date) -> list[Document]:
    """Those in force first, then the others; each newest first (ties by path, for a stable order)."""
    return sorted(docs, key=lambda d: (not in_force(d, today), -d.date.toordinal(), d.path))


def per_catalog(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function(catalog, *args, **same)`` computed once per catalogue and positional arguments: every
    page of a list asks for the same list, and a build has one catalogue. Keyword arguments count by
    identity: they are what is the same for the whole build (the vocabulary)."""

    def cached(catalog: Catalog, *args: Any, **same: Any) -> Any:
        results = catalog.__dict__.setdefault("_per_catalog", {})  # lives and dies with the catalogue
        key = (function.__name__, *args, *((name, id(value)) for name, value in sorted(same.items())))
        if key not in results:
            results[key] = function(catalog, *args, **same)
        return results[key]

    return cached


def keys(doc: Document, kind: str) -> list[str]:
    """The lists of ``kind`` that ``doc`` is in: its section, its topics, its levels or its keywords."""
    if kind == "section":
        return [doc.section]
    if kind == "tag":
        return doc.meta.get("tags", [])
    return doc.meta.get(FACET_FIELDS[kind], []) if kind in FACET_FIELDS else []


@per_catalog
def lists(catalog: Catalog, kind: str, audience: str) -> dict[str, list[Document]]:
    """Every list of ``kind`` (section, topic, level, tag, review) this audience sees: key -> its documents
    in :func:`ordered` order; the review list by owner, then most overdue first. One pass over the
    catalogue for all lists of a kind: a large library has hundreds of keywords."""
    if kind == "review":
        return {"review": [doc for doc, _ in catalog.review_due() if doc.visible_to(audience)]}
    grouped: dict[str, list[Document]] = {}
    for doc in visible_in_order(catalog, audience):
        for key in keys(doc, kind):
            grouped.setdefault(key, []).append(doc)  # in order: a list is a part of the ordered whole
    return grouped


@per_catalog
def visible_in_order(catalog: Catalog, audience: str) -> list[Document]:
    """Every document this audience sees, in :func:`ordered` order: sorted once for every list of every
    kind (whether a document is in force takes a look at what supersedes it; sorting each list on its
    own asked that of each document once per list it is in, a third of a make serve rebuild at 10,000)."""
    return ordered(catalog.visible(audience), catalog.today)


def members(catalog: Catalog, kind: str, key: str, audience: str) -> list[Document]:
    """The documents of the list ``kind``/``key`` (:func:`lists`); none if no document is in it."""
    return lists(catalog, kind, audience).get(key, [])


def page_count(total: int) -> int:
    """Pages a list of ``total`` documents takes: at least one (an empty list says so on its page)."""
    return max(1, math.ceil(total / PAGE_SIZE))


def page_of(items: list, number: int) -> list:
    return items[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]


def pager(name: str, number: int, count: int, lang: str) -> dict | None:
    """The links of page ``number`` of ``count`` of the list at ``name/``: previous, next, the first,
    the last and the pages near the current one, with ``None`` for a gap. None for a one-page list."""
    if count < 2:
        return None
    near = range(max(1, number - PAGER_NEIGHBOURS), min(count, number + PAGER_NEIGHBOURS) + 1)
    shown = sorted({1, count, *near})
    links: list[dict | None] = []
    for previous, n in zip([0, *shown], shown, strict=False):
        if n - previous > 1:
            links.append(None)
        links.append({"number": n, "url": routes.listing(name, n, lang), "current": n == number})
    return {
        "number": number,
        "count": count,
        "previous": routes.listing(name, number - 1, lang) if number > 1 else None,
        "next": routes.listing(name, number + 1, lang) if number < count else None,
        "links": links,
    }


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def tag_keys(tags: Iterable[str]) -> dict[str, str]:
    """Keyword -> the key of its page: its pinyin (letters and digits kept, the rest a hyphen), with a
    short hash of the keyword when another keyword has the same pinyin (会议 and 汇议) or none."""
    names = sorted(set(tags))
    from pypinyin import lazy_pinyin  # its dictionaries take half a second to load: only when building

    spelled = {tag: _NOT_SLUG.sub("-", "-".join(lazy_pinyin(tag)).lower()).strip("-") for tag in names}
    taken: dict[str, int] = {}
    for slug in spelled.values():
        taken[slug] = taken.get(slug, 0) + 1
    return {
        tag: slug if slug and taken[slug] == 1 else "-".join(filter(None, [slug, _hash(tag)]))
        for tag, slug in spelled.items()
    }


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=3).hexdigest()


@per_catalog
def tags(catalog: Catalog, audience: str) -> dict[str, tuple[str, int]]:
    """Every keyword of the documents this audience sees -> (key of its page, how many documents)."""
    counts: dict[str, int] = {}
    for doc in catalog.visible(audience):
        for tag in doc.meta.get("tags", []):
            counts[tag] = counts.get(tag, 0) + 1
    keys = tag_keys(counts)
    return {tag: (keys[tag], counts[tag]) for tag in sorted(counts, key=lambda t: (-counts[t], keys[t]))}


def browse_entry(doc: Document, lang: str, vocab: Vocabulary, today: dt.date) -> dict:
    """One document as the section page's script shows it when it filters (kb-browse.js): short keys,
    since a section's file lists every document of the section."""
    entry = {
        "u": doc.url_in(lang),
        "t": doc.title_in(lang),
        "s": doc.summary_in(lang),
        "d": doc.date.isoformat(),
        "a": doc.agents,
        "f": facets.of_document(vocab, doc, today, lists=True),
    }
    optional = {
        "n": doc.meta.get("doc_number"),
        "k": docnumber.sort_key(doc.meta["doc_number"]) if doc.meta.get("doc_number") else None,
        "v": doc.state(today),
        "i": not doc.is_public or None,
        "c": not doc.is_translated(lang) or None,  # shown in Chinese on an English page
    }
    return entry | {k: v for k, v in optional.items() if v}


def browse_data(catalog: Catalog, section: str, audience: str, lang: str, vocab: Vocabulary) -> list[dict]:
    """Every document of a section this audience sees, in the order of its pages."""
    docs = members(catalog, "section", section, audience)
    return [browse_entry(doc, lang, vocab, catalog.today) for doc in docs]
