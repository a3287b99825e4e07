"""What the generated pages and the document headers show, as plain data for the templates.

Every function takes the catalogue, an audience and a language and returns dicts and lists; the
templates under ``overrides/partials/kb/`` turn them into HTML. URLs are site-relative
(``en/policies/x/``); the caller makes them relative to the page being rendered.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import posixpath
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from kb import compare, docnumber, facets, routes, stats
from kb.catalog import Catalog, Document
from kb.cjk import SEARCH_CHARS
from kb.data import LANGUAGES, Vocabulary
from kb.schema import CARD
from kb.searchindex import INDEX_LANGUAGE, META_WEIGHTS, SEARCHED

HOME_MARKER = "<!-- kb:home -->"  # where docs/index.md wants the generated home blocks

FACETS = {"topics": "topic", "levels": "level"}  # vocabulary -> kind of its pages


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


def _in_every_language(
    folder: str, kind: str, key: str, texts: dict[str, dict], other: str = ""
) -> list[GeneratedPage]:
    """One page per language at ``folder/`` (``folder/index.md``, ``folder/index.en.md``)."""
    pages = []
    for lang in LANGUAGES:
        text = texts[lang]
        pages.append(GeneratedPage(routes.source(folder, lang), kind, key, lang, text["title"], text["summary"], other))
    return pages


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
    """Pages that follow from the documents: a 修订对照 for every pair of a document and one it supersedes
    (both visible), and the review list, in the internal build only."""
    pages = []
    for new, old in supersedes_pairs(catalog, audience):
        titles = {lang: new.title_in(lang) for lang in LANGUAGES}
        texts = _texts(
            vocab.labels["compare"], "", title=titles, new=titles, old={lang: old.title_in(lang) for lang in LANGUAGES}
        )
        pages += _in_every_language(routes.compare_name(new.slug, old.slug), "compare", new.path, texts, other=old.path)
    if audience == "internal":
        pages += _in_every_language("review", "review", "review", _texts(vocab.labels["browse"], "review_"))
    return pages


def supersedes_pairs(catalog: Catalog, audience: str) -> list[tuple[Document, Document]]:
    """(new, old) for every ``supersedes`` whose two documents this audience may see."""
    visible = {d.path: d for d in catalog.visible(audience)}
    return [(new, visible[old]) for new in visible.values() for old in new.meta.get("supersedes", []) if old in visible]


def front_matter(page: GeneratedPage) -> str:
    """The Markdown source of a generated page: title and description only; the body is rendered HTML
    (the keyword listing keeps the directive where Material's tags plugin puts its listing)."""
    # JSON strings are YAML strings: quotes, colons and # in a title stay text.
    body = "\n<!-- material/tags -->\n" if page.kind == "tags" else ""
    return (
        f"---\ntitle: {json.dumps(page.title, ensure_ascii=False)}\n"
        f"description: {json.dumps(page.summary, ensure_ascii=False)}\n---\n{body}"
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


def section_context(catalog: Catalog, page: GeneratedPage, audience: str, vocab: Vocabulary) -> dict:
    """A section's landing page: its documents newest first, grouped by year."""
    docs = catalog.in_section(page.key, audience)
    years = [
        {
            "year": year,
            "entries": [
                dict(
                    entry(d, page.lang, catalog.today),  # with what the filters read
                    facets=facets.of_document(vocab, d, catalog.today, lists=True),
                )
                for d in group
            ],
        }
        for year, group in itertools.groupby(docs, key=lambda d: d.date.year)
    ]
    options = {
        key: facets.choices(vocab, key, docs, catalog.today, page.lang)  # (value, name) present
        for key, spec in vocab.facets.items()
        if spec.get("lists", True)
    }
    return {
        "section": page.key,
        "summary": page.summary,
        "count": len(docs),
        "years": years,
        "filters": {name: choices for name, choices in options.items() if len(choices) > 1},
        "by_number": any(d.meta.get("doc_number") for d in docs),
        "agent_field": AGENT_FIELDS.get(vocab.sections[page.key]["type"], "issuer"),
    }


def search_context(catalog: Catalog, page: GeneratedPage, audience: str, vocab: Vocabulary) -> dict:
    """The search page: the labels its script needs to name facets, values and states, the
    characters it cuts a query by (kb/cjk.py), and the weights of the metadata fields it searches
    (kb/searchindex.py)."""
    lang = page.lang
    labels = vocab.translator(lang)
    return {
        "bundle_url": routes.search_bundle(lang),  # the language's own index
        "index_lang": INDEX_LANGUAGE[lang],
        "search_config": {
            "lang": lang,
            "chars": SEARCH_CHARS,
            "weights": META_WEIGHTS,
            "text": labels["search"],
            "facets": list(vocab.facets),
            "values": {key: named for key in vocab.facets if (named := facets.names(vocab, key, lang))},
            # tojson sorts keys: the order facet values are shown in, as in the data files.
            "order": {key: list(named) for key in vocab.facets if (named := facets.names(vocab, key, lang))},
        },
    }


HEADER_RESULTS = 8  # results in the header's panel; the search page has them all


def not_found(vocab: Vocabulary) -> list[dict]:
    """The 404 page's text in every language, with each language's home (the page answers for all)."""
    return [dict(vocab.translator(lang)["not_found"], lang=lang, root=routes.root(lang)) for lang in LANGUAGES]


def header_search_config(vocab: Vocabulary, lang: str) -> dict:
    """What the header box's results panel needs on every page (partials/kb/header-search.html): its
    texts, the names of the sections and validity states its results show, the characters it cuts
    a query by (kb/cjk.py), and the weights of the metadata fields it searches (kb/searchindex.py)."""
    labels = vocab.translator(lang)
    text = labels["search"]
    return {
        "size": HEADER_RESULTS,
        "chars": SEARCH_CHARS,
        "weights": META_WEIGHTS,
        "index_lang": INDEX_LANGUAGE[lang],
        "text": {
            "loading": text["loading"],
            "count": text["count"],
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
        "facets": _facet_links(catalog.visible(audience), page.key, None, page.lang, vocab),
    }


def _facet_links(docs: list[Document], facet: str, current: str | None, lang: str, vocab: Vocabulary) -> list[dict]:
    count = _count_by(docs, facet, getattr(vocab, facet))
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
    """``topics/<key>/`` or ``levels/<key>/``: its documents by section, those in force first."""
    facet = next(f for f, kind in FACETS.items() if kind == page.kind)
    visible = catalog.visible(audience)
    docs = [d for d in visible if page.key in d.meta[facet]]
    return {
        "summary": page.summary,
        "count": len(docs),
        "groups": _by_section(catalog, docs, page.lang, vocab),
        "facet": facet,
        "facets": _facet_links(visible, facet, page.key, page.lang, vocab),
        "index_url": routes.folder(facet, page.lang),
    }


def _in_force(doc: Document, today) -> bool:
    return doc.state(today) in (None, "current")


def _by_section(catalog: Catalog, docs: list[Document], lang: str, vocab: Vocabulary) -> list[dict]:
    """Documents by section, in the sections' order; in each, those in force, then the others, newest first."""
    groups = []
    for section in vocab.sections:
        own = sorted((d for d in docs if d.section == section), key=lambda d: (d.date, d.path), reverse=True)
        if own:
            groups.append(
                {
                    "section": section,
                    "url": routes.folder(section, lang),
                    "count": len(own),
                    "current": [entry(d, lang, catalog.today) for d in own if _in_force(d, catalog.today)],
                    "past": [entry(d, lang, catalog.today) for d in own if not _in_force(d, catalog.today)],
                }
            )
    return groups


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
    """``tags/``: Material's tags plugin fills in the listing; the page adds its summary."""
    return {"summary": page.summary}


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
    """``review/`` (internal build): current documents past their review date, by owner, most overdue first."""
    owners: dict[str, list[dict]] = defaultdict(list)
    for doc, due in catalog.review_due():
        owners[doc.meta["owner"]].append(
            dict(
                entry(doc, page.lang, catalog.today),
                due=due,
                reviewed=doc.meta["reviewed"],
                months=doc.meta.get("review_months") or 12,
                overdue=(catalog.today - due).days,
            )
        )
    groups: list[dict[str, Any]] = [
        {"owner": owner, "entries": sorted(items, key=lambda e: -e["overdue"])} for owner, items in owners.items()
    ]
    return {"summary": page.summary, "groups": groups, "count": sum(len(g["entries"]) for g in groups)}


CONTEXTS = {
    "section": section_context,
    "search": search_context,
    "topics": facets_context,
    "levels": facets_context,
    "topic": facet_context,
    "level": facet_context,
    "stats": stats_context,
    "tags": tags_context,
    "compare": compare_context,
    "review": review_context,
}

HOME_LISTS = 6  # documents in the home page's "latest" and "recently updated" lists


def home_context(catalog: Catalog, audience: str, lang: str, vocab: Vocabulary) -> dict:
    """The generated blocks of the home page: counts per section, entry points by level and by topic,
    the latest documents and the recently updated ones."""
    docs = catalog.visible(audience)
    newest = sorted(docs, key=lambda d: (d.date, d.path), reverse=True)[:HOME_LISTS]
    dated = [(catalog.updated(d, lang), d) for d in docs]
    recent = sorted(((when, d) for when, d in dated if when), key=lambda item: (item[0], item[1].path), reverse=True)
    sections = stats.counts((d.section for d in docs), vocab.sections)
    return {
        "total": len(docs),
        "sections": [{"key": key, "url": routes.folder(key, lang), "count": n} for key, n in sections],
        "levels": _facet_links(docs, "levels", None, lang, vocab),
        "topics": _facet_links(docs, "topics", None, lang, vocab),
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
        "section": doc.section,
        "section_url": routes.folder(doc.section, lang),
        "facets": facets.of_document(vocab, doc, today),  # the search index's filters
        "home_url": routes.root(lang),
        "topic_urls": {key: routes.facet("topics", key, lang) for key in meta["topics"]},
        "level_urls": {key: routes.facet("levels", key, lang) for key in meta["levels"]},
        "tags_url": routes.folder("tags", lang),
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
