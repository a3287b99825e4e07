"""What the generated pages and the document headers show, as plain data for the templates.

Every function takes the catalogue, an audience and a language and returns dicts and lists; the
templates under ``overrides/partials/kb/`` turn them into HTML. URLs are site-relative
(``en/policies/x/``); the caller makes them relative to the page being rendered.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import heapq
import itertools
import json
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kb import compare, docnumber, facets, listings, routes, stats
from kb.catalog import Catalog, Document
from kb.cjk import SEARCH_CHARS, joined
from kb.data import LANGUAGES, Vocabulary
from kb.schema import CARD
from kb.searchindex import INDEX_LANGUAGE, META_WEIGHTS, NUMBER_META, SEARCHED, TITLE_MARK, TITLE_META

HOME_MARKER = "<!-- kb:home -->"  # where docs/index.md wants the generated home blocks

FACETS = {field: kind for kind, field in listings.FACET_FIELDS.items()}  # topics -> topic: vocabulary -> its pages


@dataclass(frozen=True)
class GeneratedPage:
    """A page the build adds: its source path (never on disk), kind, subject, language and title."""

    src_uri: str  # policies/index.md, policies/index.en.md
    kind: str  # section, search, topics, topic, levels, level, stats, tags, compare, review: its template
    key: str  # the subject: a section folder, a topic or level key, the new document of a comparison, ...
    lang: str
    title: str
    summary: str
    other: str = ""  # a second subject: the old document of a comparison
    folder: str = ""  # where a list's pages are (policies, topics/theory, tags/lian-xi-hui-yi): see LISTS
    number: int = 1  # which page of the list: 1 at folder/, 2 at folder/page/2/, …

    @property
    def url(self) -> str:
        return routes.folder(posixpath.dirname(self.src_uri), self.lang)


LISTS = {"section", "topic", "level", "tag", "review"}  # kinds of pages that show a list a page at a time


def _in_every_language(
    folder: str, kind: str, key: str, texts: dict[str, dict], other: str = ""
) -> list[GeneratedPage]:
    """One page per language at ``folder/`` (``folder/index.md``, ``folder/index.en.md``); a list's first page."""
    listed = folder if kind in LISTS else ""
    return [
        GeneratedPage(
            routes.source(folder, lang), kind, key, lang, texts[lang]["title"], texts[lang]["summary"], other, listed
        )
        for lang in LANGUAGES
    ]


def _further_pages(first: GeneratedPage, total: int, vocab: Vocabulary) -> list[GeneratedPage]:
    """Pages 2, 3, … of the list whose first page is ``first``, for ``total`` documents."""
    title = vocab.labels["browse"]["page_title"][first.lang]
    return [
        dataclasses.replace(
            first,
            src_uri=routes.source(routes.listing_name(first.folder, n), first.lang),
            title=title.format(title=first.title, n=n),
            number=n,
        )
        for n in range(2, listings.page_count(total) + 1)
    ]


def generated_pages(vocab: Vocabulary) -> list[GeneratedPage]:
    pages = []
    for section, spec in vocab.sections.items():
        pages += _in_every_language(section, "section", section, spec)
    search = vocab.labels["search"]
    texts = {lang: {"title": search["title"][lang], "summary": search["summary"][lang]} for lang in LANGUAGES}
    pages += _in_every_language("search", "search", "search", texts)
    return pages + _browse_pages(vocab)


def _texts(labels: dict, prefix: str, **values: dict[str, str]) -> dict[str, dict]:
    """Title and summary of a page in every language, from the labels ``<prefix>title`` and
    ``<prefix>summary``, with ``{placeholders}`` filled from ``values`` (each a text per language)."""
    return {
        lang: {
            part: labels[prefix + part][lang].format(**{k: v[lang] for k, v in values.items()})
            for part in ("title", "summary")
        }
        for lang in LANGUAGES
    }


def _browse_pages(vocab: Vocabulary) -> list[GeneratedPage]:
    """Topic and level pages with their entry pages, the statistics and the keyword listing."""
    labels = vocab.labels["browse"]
    pages = []
    for facet, kind in FACETS.items():
        pages += _in_every_language(facet, facet, facet, _texts(labels, f"{facet}_"))
        for key, names in getattr(vocab, facet).items():
            pages += _in_every_language(f"{facet}/{key}", kind, key, _texts(labels, f"{kind}_", name=names))
    for name in ("stats", "tags"):
        pages += _in_every_language(name, name, name, _texts(labels, f"{name}_"))
    return pages


def catalog_pages(catalog: Catalog, audience: str, vocab: Vocabulary) -> list[GeneratedPage]:
    """Pages that follow from the documents: the further pages of the lists, a page per keyword, a 修订对照
    for every pair of a document and one it supersedes (both visible), and the review list, in the
    internal build only."""
    firsts = [page for page in generated_pages(vocab) if page.kind in LISTS]
    labels = vocab.labels["browse"]
    for tag, (key, _) in listings.tags(catalog, audience).items():
        firsts += _in_every_language(
            f"tags/{key}", "tag", tag, _texts(labels, "tag_", name=dict.fromkeys(LANGUAGES, tag))
        )
    if audience == "internal":
        firsts += _in_every_language("review", "review", "review", _texts(labels, "review_"))
    pages = [page for page in firsts if page.kind in ("tag", "review")]
    for first in firsts:
        pages += _further_pages(first, len(listings.members(catalog, first.kind, first.key, audience)), vocab)
    for new, old in supersedes_pairs(catalog, audience):
        titles = {lang: new.title_in(lang) for lang in LANGUAGES}
        texts = _texts(
            vocab.labels["compare"], "", title=titles, new=titles, old={lang: old.title_in(lang) for lang in LANGUAGES}
        )
        pages += _in_every_language(routes.compare_name(new.slug, old.slug), "compare", new.path, texts, other=old.path)
    return pages


def supersedes_pairs(catalog: Catalog, audience: str) -> list[tuple[Document, Document]]:
    """(new, old) for every ``supersedes`` whose two documents this audience may see."""
    visible = {d.path: d for d in catalog.visible(audience)}
    return [(new, visible[old]) for new in visible.values() for old in new.meta.get("supersedes", []) if old in visible]


def front_matter(page: GeneratedPage) -> str:
    """The Markdown source of a generated page: title and description only; the body is rendered HTML."""
    # JSON strings are YAML strings: quotes, colons and # in a title stay text.
    return (
        f"---\ntitle: {json.dumps(page.title, ensure_ascii=False)}\n"
        f"description: {json.dumps(page.summary, ensure_ascii=False)}\n---\n"
    )


AGENT_FIELDS = {"case": "unit", "interpretation": "author"}  # what stands for the issuer, by type


def entry(doc: Document, lang: str, today: dt.date) -> dict:
    """One document as a line in a list."""
    meta = doc.meta
    return {
        "doc": doc,
        "url": doc.url_in(lang),
        "title": doc.title_in(lang),
        "summary": doc.summary_in(lang),
        "translated": doc.is_translated(lang),
        "date": doc.date,
        "doc_number": meta.get("doc_number"),
        "issuer": meta.get("issuer") or [],
        "unit": meta.get("unit"),
        "author": meta.get("author"),
        "state": doc.state(today),
        "visibility": doc.visibility,
        "number_key": docnumber.sort_key(meta["doc_number"]) if meta.get("doc_number") else "",
    }


def _list_page(catalog: Catalog, page: GeneratedPage, audience: str) -> tuple[list[Document], dict]:
    """The documents on ``page`` of its list, and what every list page shows of the whole list: how
    many documents it has and the pager."""
    docs = listings.members(catalog, page.kind, page.key, audience)
    count = listings.page_count(len(docs))
    pager = listings.pager(page.folder, page.number, count, page.lang)
    return listings.page_of(docs, page.number), {"summary": page.summary, "count": len(docs), "pager": pager}


def _current_and_past(catalog: Catalog, docs: list[Document], lang: str, **extra: Any) -> dict:
    """The entries of a list page: those in force, then the others (:func:`kb.listings.ordered`)."""
    today = catalog.today
    entries = [dict(entry(d, lang, today), **extra) for d in docs]
    return {
        "current": [e for e, d in zip(entries, docs, strict=True) if listings.in_force(d, today)],
        "past": [e for e, d in zip(entries, docs, strict=True) if not listings.in_force(d, today)],
    }


def section_context(catalog: Catalog, page: GeneratedPage, audience: str, vocab: Vocabulary) -> dict:
    """A page of a section's list, with the filter form that covers the whole section (kb-browse.js)."""
    shown, listed = _list_page(catalog, page, audience)
    return {
        **listed,
        **_current_and_past(catalog, shown, page.lang),
        **section_filters(catalog, page.key, audience, page.lang, vocab=vocab),
        "section": page.key,
        "agent_field": AGENT_FIELDS.get(vocab.sections[page.key]["type"], "issuer"),
        "browse_url": routes.browse_data(page.key, page.lang),
        "page_size": listings.PAGE_SIZE,
    }


# A facet with more values than this (the 主体单位 of hundreds of cases) is a text box, not a menu: its
# options would make the page heavier than its list (743 of them were 98 KB at 10,000 documents).
MENU_CHOICES = 40


@listings.per_catalog
def section_filters(catalog: Catalog, section: str, audience: str, lang: str, *, vocab: Vocabulary) -> dict:
    """The choices of a section's filters, from all its documents (the same on each of its pages)."""
    docs = listings.members(catalog, "section", section, audience)
    options = {
        key: facets.choices(vocab, key, docs, catalog.today, lang)  # (value, name) present
        for key, spec in vocab.facets.items()
        if spec.get("lists", True)
    }
    return {
        "filters": {name: choices for name, choices in options.items() if 1 < len(choices) <= MENU_CHOICES},
        "typed": [name for name, choices in options.items() if len(choices) > MENU_CHOICES],
        "by_number": any(d.meta.get("doc_number") for d in docs),
    }


def search_context(catalog: Catalog, page: GeneratedPage, audience: str, vocab: Vocabulary) -> dict:
    """The search page: the labels its script needs to name facets, values and states, the
    characters it cuts a query by (kb/cjk.py), the weights of the metadata fields it searches and the
    mark of the titles' pairs (kb/searchindex.py)."""
    lang = page.lang
    labels = vocab.translator(lang)
    return {
        "bundle_url": routes.search_bundle(lang),  # the language's own index
        "index_lang": INDEX_LANGUAGE[lang],
        "search_config": {
            "lang": lang,
            "chars": SEARCH_CHARS,
            "weights": META_WEIGHTS,
            "title_mark": TITLE_MARK,
            "text": labels["search"],
            "facets": list(vocab.facets),
            "values": {key: named for key in vocab.facets if (named := facets.names(vocab, key, lang))},
            # tojson sorts keys: the order facet values are shown in, as in the data files.
            "order": {key: list(named) for key in vocab.facets if (named := facets.names(vocab, key, lang))},
        },
    }


# The modules of overrides/assets/javascripts/kb-search/ (a test keeps the list whole): the search page's
# head has the browser fetch them all at once, instead of each after the one that imports it, which
# waited for the main thread (Material's script) before the first import was even asked for.
SEARCH_MODULES = ("early.js", "bundle.js", "query.js", "result.js", "page.js", "header.js")


def search_head(context: dict, href: Callable[[str], str]) -> dict:
    """What the search page's head needs to start Pagefind before the rest of the page
    (partials/kb/search-head.html, kb-search/early.js): URLs relative to the page (``href``)."""
    return {
        "bundle": href(context["bundle_url"]),
        "root": href(""),
        "index_lang": context["index_lang"],
        "weights": context["search_config"]["weights"],
        "chars": context["search_config"]["chars"],
        "title_mark": context["search_config"]["title_mark"],
        "modules": [href(routes.asset(f"assets/javascripts/kb-search/{name}")) for name in SEARCH_MODULES],
    }


HEADER_RESULTS = 8  # results in the header's panel; the search page has them all


def not_found(vocab: Vocabulary) -> list[dict]:
    """The 404 page's text in every language, with each language's home (the page answers for all)."""
    return [dict(vocab.translator(lang)["not_found"], lang=lang, root=routes.root(lang)) for lang in LANGUAGES]


def header_search_config(vocab: Vocabulary, lang: str) -> dict:
    """What the header box's results panel needs on every page (partials/kb/header-search.html): its
    texts, the names of the sections and validity states its results show, the characters it cuts
    a query by (kb/cjk.py), the weights of the metadata fields it searches and the mark of the titles'
    pairs (kb/searchindex.py)."""
    labels = vocab.translator(lang)
    text = labels["search"]
    return {
        "size": HEADER_RESULTS,
        "chars": SEARCH_CHARS,
        "weights": META_WEIGHTS,
        "title_mark": TITLE_MARK,
        "index_lang": INDEX_LANGUAGE[lang],
        "text": {
            "loading": text["loading"],
            "count": text["count"],
            "titled": text["titled"],
            "none": text["none_short"],
            "error": text["error"],
            "all": text["all"],
        },
        "values": {"section": labels["sections"], "validity": labels["validity"]},
    }


def _count_by(docs: list[Document], field: str, keys) -> dict[str, int]:
    return dict(stats.counts((k for d in docs for k in d.meta[field]), keys))


def facets_context(catalog: Catalog, page: GeneratedPage, audience: str, vocab: Vocabulary) -> dict:
    """``topics/`` or ``levels/``: every topic or level with how many documents it has."""
    return {
        "summary": page.summary,
        "facets": _facet_links(catalog, audience, page.key, None, page.lang, vocab),
    }


@listings.per_catalog
def facet_counts(catalog: Catalog, facet: str, audience: str, *, vocab: Vocabulary) -> dict[str, int]:
    """How many documents this audience sees per topic or level, once per build: every topic and level
    page shows them all (counting them on each page grew as pages × documents: 24 ms a page at 20,000)."""
    return _count_by(catalog.visible(audience), facet, getattr(vocab, facet))


def _facet_links(
    catalog: Catalog, audience: str, facet: str, current: str | None, lang: str, vocab: Vocabulary
) -> list[dict]:
    count = facet_counts(catalog, facet, audience, vocab=vocab)
    return [
        {
            "key": key,
            "label": vocab.label(facet, key, lang),
            "url": routes.facet(facet, key, lang),
            "count": n,
            "current": key == current,
        }
        for key, n in count.items()
    ]


def facet_context(catalog: Catalog, page: GeneratedPage, audience: str, vocab: Vocabulary) -> dict:
    """A page of ``topics/<key>/`` or ``levels/<key>/``: its documents, those in force first, each with
    its section."""
    facet = listings.FACET_FIELDS[page.kind]
    shown, listed = _list_page(catalog, page, audience)
    return {
        **listed,
        **_current_and_past(catalog, shown, page.lang, show_section=True),
        "facet": facet,
        "facets": _facet_links(catalog, audience, facet, page.key, page.lang, vocab),
        "index_url": routes.folder(facet, page.lang),
    }


def stats_context(catalog: Catalog, page: GeneratedPage, audience: str, vocab: Vocabulary) -> dict:
    """``stats/``: four charts, each with the table of its numbers."""
    lang, docs = page.lang, catalog.visible(audience)
    sections = list(vocab.sections)
    years = stats.per_year(((d.date.year, d.section) for d in docs), sections)
    running = list(itertools.accumulate(sum(values.values()) for _, values in years))
    official = [d for d in docs if d.is_official]
    states = stats.counts((d.state(catalog.today) for d in official), vocab.labels["validity"])

    def labelled(group: str, counts: dict[str, int] | list) -> list[tuple[str, str, int]]:
        return [(key, vocab.label(group, key, lang), n) for key, n in dict(counts).items()]

    def linked(chart: dict, facet: str) -> dict:
        for bar in chart["bars"]:
            bar["url"] = routes.facet(facet, bar["key"], lang)
        return chart

    topics = sorted(labelled("topics", _count_by(docs, "topics", vocab.topics)), key=lambda row: -row[2])
    return {
        "summary": page.summary,
        "total": len(docs),
        "sections": sections,
        "years": {
            "chart": stats.column_chart([(str(y), values) for y, values in years], sections),
            "rows": [
                {"year": y, "values": values, "total": sum(values.values()), "running": r}
                for (y, values), r in zip(years, running, strict=False)
            ],
        },
        "topics": linked(stats.bar_chart(topics), "topics"),
        "levels": linked(stats.bar_chart(labelled("levels", _count_by(docs, "levels", vocab.levels))), "levels"),
        "validity": stats.share_bar(labelled("validity", states)),
    }


def tags_context(catalog: Catalog, page: GeneratedPage, audience: str, vocab: Vocabulary) -> dict:
    """``tags/``: every keyword, most used first, with how many documents it has."""
    return {
        "summary": page.summary,
        "facets": [
            {"key": key, "label": tag, "url": routes.tag(key, page.lang), "count": n, "current": False}
            for tag, (key, n) in listings.tags(catalog, audience).items()
        ],
    }


def tag_context(catalog: Catalog, page: GeneratedPage, audience: str, vocab: Vocabulary) -> dict:
    """A page of ``tags/<key>/``: the documents with the keyword, those in force first."""
    shown, listed = _list_page(catalog, page, audience)
    return {
        **listed,
        **_current_and_past(catalog, shown, page.lang, show_section=True),
        "index_url": routes.folder("tags", page.lang),
    }


def compare_context(catalog: Catalog, page: GeneratedPage, audience: str, vocab: Vocabulary) -> dict:
    """``compare/<new>--<old>/``: the two versions side by side, unit by unit, changes marked."""
    new, old = catalog.documents[page.key], catalog.documents[page.other]
    rows = compare.compare(catalog.body(old), catalog.body(new))
    return {
        "summary": page.summary,
        "old": entry(old, page.lang, catalog.today),
        "new": entry(new, page.lang, catalog.today),
        "rows": rows,
        "counts": compare.summary(rows),
    }


def review_context(catalog: Catalog, page: GeneratedPage, audience: str, vocab: Vocabulary) -> dict:
    """A page of ``review/`` (internal build): current documents past their review date, by owner, most
    overdue first."""
    shown, listed = _list_page(catalog, page, audience)
    due = {doc.path: when for doc, when in catalog.review_due()}
    rows = [
        dict(
            entry(doc, page.lang, catalog.today),
            due=due[doc.path],
            reviewed=doc.meta["reviewed"],
            months=doc.meta.get("review_months") or 12,
            overdue=(catalog.today - due[doc.path]).days,
        )
        for doc in shown
    ]
    groups = [
        {"owner": owner, "entries": list(items)}
        for owner, items in itertools.groupby(rows, key=lambda row: row["doc"].meta["owner"])
    ]
    return {**listed, "groups": groups}


CONTEXTS = {
    "section": section_context,
    "search": search_context,
    "topics": facets_context,
    "levels": facets_context,
    "topic": facet_context,
    "level": facet_context,
    "stats": stats_context,
    "tags": tags_context,
    "tag": tag_context,
    "compare": compare_context,
    "review": review_context,
}

HOME_LISTS = 6  # documents in the home page's "latest" and "recently updated" lists


def home_context(catalog: Catalog, audience: str, lang: str, vocab: Vocabulary) -> dict:
    """The generated blocks of the home page: counts per section, entry points by level and by topic,
    the latest documents and the recently updated ones."""
    docs = catalog.visible(audience)
    newest = heapq.nlargest(HOME_LISTS, docs, key=lambda d: (d.date, d.path))
    dated = ((catalog.updated(d, lang), d) for d in docs)
    recent = heapq.nlargest(HOME_LISTS, ((when, d) for when, d in dated if when), key=lambda i: (i[0], i[1].path))
    sections = stats.counts((d.section for d in docs), vocab.sections)
    return {
        "total": len(docs),
        "sections": [{"key": key, "url": routes.folder(key, lang), "count": n} for key, n in sections],
        "levels": _facet_links(catalog, audience, "levels", None, lang, vocab),
        "topics": _facet_links(catalog, audience, "topics", None, lang, vocab),
        "latest": [entry(d, lang, catalog.today) for d in newest],
        "updated": [dict(entry(d, lang, catalog.today), updated=when) for when, d in recent[:HOME_LISTS]],
        "urls": {name: routes.folder(name, lang) for name in ("stats", "topics", "levels", "tags", "review")},
        "review_count": len(catalog.review_due()) if audience == "internal" else 0,
        "feed_url": routes.feed(lang),
    }


def generated_context(catalog: Catalog, page: GeneratedPage, audience: str, vocab: Vocabulary) -> dict:
    """What the template ``partials/kb/<kind>.html`` of a generated page needs."""
    return CONTEXTS[page.kind](catalog, page, audience, vocab)


def _links(catalog: Catalog, paths: list[str], audience: str, lang: str) -> list[dict]:
    return [entry(doc, lang, catalog.today) for doc in catalog.visible_among(paths, audience)]


def document_context(catalog: Catalog, doc: Document, audience: str, lang: str, vocab: Vocabulary) -> dict:
    """The header of a document page: breadcrumb, banners, metadata card, interpretations."""
    meta = doc.meta
    today = catalog.today
    interprets = meta.get("interprets")
    citing = catalog.citations.get(doc.path, {})
    newest_first = sorted(citing, key=lambda p: (catalog.documents[p].date, p), reverse=True)
    linked = {  # the card's rows that show other documents or files
        "interprets": _links(catalog, [interprets], audience, lang) if interprets else [],
        "supersedes": [
            dict(e, compare_url=routes.compare(doc.slug, e["doc"].slug, lang))
            for e in _links(catalog, meta.get("supersedes", []), audience, lang)
        ],
        "related": _links(catalog, meta.get("related", []), audience, lang),
        "attachments": [attachment(catalog, path) for path in meta.get("attachments", [])],
        "validity": doc.state(today),
    }
    return {
        "doc": doc,
        "meta": meta,
        "title": doc.title_in(lang),
        "title_meta": TITLE_META,  # the title, searched as metadata (kb/searchindex.py)
        "number_meta": NUMBER_META,  # the 文号 as one word (kb/searchindex.py)
        "number_word": joined(meta.get("doc_number") or ""),
        "section": doc.section,
        "section_url": routes.folder(doc.section, lang),
        "facets": facets.of_document(vocab, doc, today),  # the search index's filters
        "home_url": routes.root(lang),
        "topic_urls": {key: routes.facet("topics", key, lang) for key in meta["topics"]},
        "level_urls": {key: routes.facet("levels", key, lang) for key in meta["levels"]},
        "tag_urls": {tag: routes.tag(listings.tags(catalog, audience)[tag][0], lang) for tag in meta.get("tags", [])},
        "state": doc.state(today),
        "untranslated": not doc.is_translated(lang),
        "internal": audience == "internal" and not doc.is_public,
        "superseded_by": [
            dict(e, compare_url=routes.compare(e["doc"].slug, doc.slug, lang))
            for e in _links(catalog, doc.superseded_by, audience, lang)
        ],
        "interpretations": _links(catalog, doc.interpretations, audience, lang),
        "card": [
            {"key": f.key, "shown": f.shown, "value": value, "meta": SEARCHED + f.key if f.searched else ""}
            for f in CARD
            if (value := linked.get(f.key, meta.get(f.key))) not in (None, [], "")
        ],
        "review_due": doc.review_due(today),
        "cited_by": [dict(e, how=citing[e["doc"].path]) for e in _links(catalog, newest_first, audience, lang)],
        "updated": catalog.updated(doc, lang),
    }


def attachment(catalog: Catalog, path: str) -> dict:
    """An attachment as a download link: its URL, file name, type (pdf, docx, …) and size."""
    size = (catalog.docs_dir / path).stat().st_size if catalog.docs_dir else None
    return {
        "url": path,
        "name": posixpath.basename(path),
        "type": posixpath.splitext(path)[1][1:].lower(),
        "size": human_size(size) if size is not None else "",
    }


def human_size(size: int) -> str:
    """1234567 -> '1.2 MB'; sizes under 1 KB in bytes."""
    if size < 1024:
        return f"{size} B"
    return f"{size / 1024:.1f} KB" if size < 1024**2 else f"{size / 1024**2:.1f} MB"
