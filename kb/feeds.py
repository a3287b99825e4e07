"""What the build writes beside the pages for other programs: ``catalog.json`` and the Atom feeds.

``catalog.json`` lists every document the audience may see with its metadata and URLs in every
language (the format is described in README.md); the feed of each language has the latest documents.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import urljoin

from kb import routes
from kb.catalog import Catalog, Document
from kb.data import LANGUAGES, Vocabulary

CATALOG_FORMAT = 1
FEED_SIZE = 50
TIMEZONE = "+08:00"  # dates in the feed are the district's days (China Standard Time)


def _visible_paths(catalog: Catalog, audience: str, paths: list[str]) -> list[str]:
    return [doc.path for doc in catalog.visible_among(paths, audience)]


def document_record(catalog: Catalog, doc: Document, audience: str, site_url: str) -> dict[str, Any]:
    """One document of ``catalog.json``."""
    translated = [lang for lang in LANGUAGES if doc.is_translated(lang)]
    updated = catalog.updated(doc)
    return {
        "path": doc.path,
        "type": doc.type,
        "section": doc.section,
        "url": {lang: urljoin(site_url, doc.url_in(lang)) for lang in LANGUAGES},
        "title": {lang: doc.title_in(lang) for lang in translated},
        "summary": {lang: doc.summary_in(lang) for lang in translated},
        "date": doc.date,
        "state": doc.state(catalog.today),
        "updated": updated,
        "metadata": doc.meta,
        "superseded_by": _visible_paths(catalog, audience, doc.superseded_by),
        "interpretations": _visible_paths(catalog, audience, doc.interpretations),
        "cited_by": _visible_paths(catalog, audience, sorted(catalog.citations.get(doc.path, {}))),
        "attachments": [urljoin(site_url, path) for path in doc.meta.get("attachments", [])],
    }


def catalog_json(catalog: Catalog, audience: str, site_url: str) -> str:
    """``catalog.json``: every document this audience may see, by path."""
    docs = sorted(catalog.visible(audience), key=lambda d: d.path)
    data = {
        "format": CATALOG_FORMAT,
        "audience": audience,
        "generated": catalog.today,
        "site_url": site_url,
        "languages": list(LANGUAGES),
        "count": len(docs),
        "documents": [document_record(catalog, doc, audience, site_url) for doc in docs],
    }
    return json.dumps(data, ensure_ascii=False, indent=1, default=_plain) + "\n"


def _plain(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00{TIMEZONE}"


def feed(catalog: Catalog, audience: str, lang: str, site_url: str, title: str, vocab: Vocabulary) -> dict[str, Any]:
    """The Atom feed of one language: its own address, and the ``FEED_SIZE`` latest documents."""
    docs = sorted(catalog.visible(audience), key=lambda d: (d.date, d.path), reverse=True)[:FEED_SIZE]
    home = urljoin(site_url, routes.root(lang))
    entries: list[dict[str, Any]] = []
    for doc in docs:
        updated = max(doc.date, catalog.updated(doc, lang) or doc.date)
        entries.append(
            {
                "url": urljoin(site_url, doc.url_in(lang)),
                "title": doc.title_in(lang),
                "summary": doc.summary_in(lang),
                "published": _timestamp(doc.date),
                "updated": _timestamp(updated),
                "author": "、".join(doc.agents),
                "categories": [(key, vocab.label("topics", key, lang)) for key in doc.meta["topics"]],
            }
        )
    newest = max((e["updated"] for e in entries), default=_timestamp(catalog.today))
    return {
        "feed": {
            "id": urljoin(home, "feed.xml"),
            "self": urljoin(home, "feed.xml"),
            "home": home,
            "title": title,
            "updated": newest,
        },
        "entries": entries,
    }
