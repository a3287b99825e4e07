"""What the generated pages and the document headers show, as plain data for the templates.

Every function takes the catalogue, an audience and a language and returns dicts and lists; the
templates under ``overrides/partials/kb/`` turn them into HTML. URLs are site-relative
(``en/policies/x/``); the caller makes them relative to the page being rendered.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from kb.catalog import Catalog, Document
from kb.data import DEFAULT_LANGUAGE, LANGUAGES, Vocabulary


@dataclass(frozen=True)
class GeneratedPage:
    """A page the build adds: its source path (never on disk), kind, subject and language."""

    src_uri: str  # policies/index.md, policies/index.en.md
    kind: str  # 'section'
    key: str  # the section folder
    lang: str


def generated_pages(vocab: Vocabulary) -> list[GeneratedPage]:
    pages = []
    for section in vocab.sections:
        for lang in LANGUAGES:
            suffix = "" if lang == DEFAULT_LANGUAGE else f".{lang}"
            pages.append(GeneratedPage(f"{section}/index{suffix}.md", "section", section, lang))
    return pages


def front_matter(page: GeneratedPage, vocab: Vocabulary) -> str:
    """The Markdown source of a generated page: title and description only; the body is rendered HTML."""
    spec = vocab.sections[page.key][page.lang]
    return f"---\ntitle: {spec['title']}\ndescription: {spec['summary']}\n---\n"


def entry(doc: Document, lang: str, today) -> dict:
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
    }


def section_context(catalog: Catalog, section: str, audience: str, lang: str, vocab: Vocabulary) -> dict:
    """A section's landing page: its documents newest first, grouped by year."""
    docs = catalog.in_section(section, audience)
    years = [
        {"year": year, "entries": [entry(d, lang, catalog.today) for d in group]}
        for year, group in itertools.groupby(docs, key=lambda d: d.date.year)
    ]
    return {
        "section": section,
        "summary": vocab.sections[section][lang]["summary"],
        "count": len(docs),
        "years": years,
        "audience": audience,
    }


def _links(catalog: Catalog, paths: list[str], audience: str, lang: str) -> list[dict]:
    visible = {d.path for d in catalog.visible(audience)}
    return [entry(catalog.documents[p], lang, catalog.today) for p in paths if p in visible]


def document_context(catalog: Catalog, doc: Document, audience: str, lang: str) -> dict:
    """The header of a document page: breadcrumb, banners, metadata card, interpretations."""
    meta = doc.meta
    today = catalog.today
    interprets = meta.get("interprets")
    return {
        "doc": doc,
        "meta": meta,
        "title": doc.title_in(lang),
        "section": doc.section,
        "section_url": f"{doc.section}/" if lang == DEFAULT_LANGUAGE else f"{lang}/{doc.section}/",
        "home_url": "" if lang == DEFAULT_LANGUAGE else f"{lang}/",
        "state": doc.state(today),
        "untranslated": not doc.is_translated(lang),
        "internal": audience == "internal" and not doc.is_public,
        "superseded_by": _links(catalog, doc.superseded_by, audience, lang),
        "supersedes": _links(catalog, meta.get("supersedes", []), audience, lang),
        "interpretations": _links(catalog, doc.interpretations, audience, lang),
        "interprets": _links(catalog, [interprets], audience, lang) if interprets else [],
        "related": _links(catalog, meta.get("related", []), audience, lang),
        "attachments": meta.get("attachments", []),
        "review_due": doc.review_due(today),
    }
