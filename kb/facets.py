"""The facets of ``data/facets.yml``: what each document is for each facet, and the choices a list offers.

One table feeds the section pages' filters (their choices and every entry's ``data-facet-*``
attributes, which kb-browse.js reads), the search page's filters (its config) and the search index's
filter attributes (``data-pagefind-filter`` in the document header).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from kb.catalog import Document
from kb.data import Vocabulary

# Fields that are not front-matter keys: computed from the document.
DERIVED: dict[str, Callable[[Document, dt.date], list[str]]] = {
    "section": lambda doc, today: [doc.section],
    "year": lambda doc, today: [str(doc.date.year)],
    "state": lambda doc, today: [state] if (state := doc.state(today)) else [],
    "agents": lambda doc, today: doc.agents,
}


def values(vocab: Vocabulary, key: str, doc: Document, today: dt.date) -> list[str]:
    """What ``doc`` is for the facet ``key`` (none, one or several values)."""
    field = vocab.facets[key]["field"]
    if field in DERIVED:
        return DERIVED[field](doc, today)
    value = doc.meta.get(field)
    return [str(v) for v in value] if isinstance(value, list) else [] if value is None else [str(value)]


def of_document(vocab: Vocabulary, doc: Document, today: dt.date, *, lists: bool = False) -> dict[str, list[str]]:
    """Every facet's values for ``doc``; ``lists``: only the facets a section page offers."""
    return {
        key: values(vocab, key, doc, today)
        for key, spec in vocab.facets.items()
        if not lists or spec.get("lists", True)
    }


def names(vocab: Vocabulary, key: str, lang: str) -> dict[str, str]:
    """Value -> its name in ``lang``, in the order of the facet's vocabulary (empty: shown as written)."""
    source = vocab.facets[key].get("values")
    if source is None:
        return {}
    if source == "sections":
        return {folder: spec[lang]["title"] for folder, spec in vocab.sections.items()}
    table = getattr(vocab, source, None) if source in ("topics", "levels") else vocab.labels.get(source, {})
    return {value: entry.get(lang) or value for value, entry in (table or {}).items()}


def choices(vocab: Vocabulary, key: str, docs: list[Document], today: dt.date, lang: str) -> list[tuple[str, str]]:
    """(value, name) of the values the ``docs`` have for facet ``key``: in the vocabulary's order, or sorted."""
    present = {value for doc in docs for value in values(vocab, key, doc, today)}
    named = names(vocab, key, lang)
    if named:
        return [(value, name) for value, name in named.items() if value in present]
    return [(value, value) for value in sorted(present, reverse=vocab.facets[key].get("order") == "descending")]
