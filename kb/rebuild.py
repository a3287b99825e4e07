"""What a rebuild must render again after documents changed (``make serve`` rebuilds with ``--dirty``).

In a dirty build MkDocs renders a page again only when its output is missing or older than its source
file. A change to one document changes other pages too: the generated listings that show or count it,
the pages of the documents that name it (related, supersedes, interprets, cited by), the comparisons
of its versions, the home page. :func:`stale` names them from the catalogue of the previous build and
of this one; the caller removes their output, so that MkDocs renders them again.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb import listings
from kb.catalog import Catalog, Document
from kb.data import LANGUAGES
from kb.pages import LISTS, GeneratedPage, section_filters
from kb.site import Site

COUNTING = {"topics", "levels", "tags", "stats", "review"}  # kinds of pages that count every document
LISTED = LISTS - {"review"}  # lists of documents by a key (kb.listings.keys); the review list counts instead


@dataclass
class Built:
    """What a build rendered from: the catalogue, what every page depends on (docs folder, audience,
    vocabulary, day), and when each document's files (translations, attachments) last changed."""

    catalog: Catalog
    basis: tuple
    mtimes: dict[str, int]  # document path -> newest modification time (ns) of its files
    generated: dict[str, GeneratedPage]  # src_uri -> the generated pages of the build


@dataclass
class Stale:
    """The pages to render again, beyond those whose own source file changed."""

    generated: set[str]  # src_uri of generated pages
    documents: set[str]  # paths of documents: their page in every language
    home: bool  # the pages with generated blocks (the home page: counts, latest, recently updated)
    gone: list[GeneratedPage]  # generated pages the previous build had and this one has not (a keyword)
    listed: bool = True  # whether what the catalogue files show may have changed (catalog.json, feeds, browse.json)


def built(site: Site) -> Built:
    catalog = site.catalog
    mtimes = {
        doc.path: max(
            catalog.mtimes.get(p, 0)
            for p in (doc.path, *(t.path for t in doc.translations.values()), *doc.meta.get("attachments", []))
        )
        for doc in catalog.documents.values()
    }
    return Built(catalog, (site.docs_dir, site.audience, site.vocab, catalog.today), mtimes, dict(site.generated))


def stale(previous: Built | None, current: Built, site: Site) -> Stale | None:
    """The pages of ``site`` that show what changed since the ``previous`` build; all of them after a
    change of docs folder, audience, vocabulary or day; None without a previous build (in this process:
    MkDocs then renders the pages whose output is missing or older than their source)."""
    if previous is None:
        return None
    gone = [page for uri, page in previous.generated.items() if uri not in current.generated]
    if previous.basis != current.basis:
        return Stale(set(site.generated), set(current.catalog.documents), home=True, gone=gone)
    old, new = previous.catalog.documents, current.catalog.documents
    changed = {p for p in old.keys() | new.keys() if old.get(p) != new.get(p)}
    edited = changed | {p for p, t in current.mtimes.items() if previous.mtimes.get(p) != t}  # bodies too
    versions = [
        (doc, side.catalog)
        for side in (previous, current)
        for p in changed  # before and after
        if (doc := side.catalog.documents.get(p)) is not None and doc.visible_to(site.audience)
    ]
    generated = {
        uri
        for uri, page in site.generated.items()
        if (page.kind == "compare" and {page.key, page.other} & edited)
        or (
            any(shows(page, doc) for doc, _ in versions)
            and (page.kind not in LISTED or page_changed(page, previous.catalog, current.catalog, changed, site))
        )
    }
    documents = edited | {p for doc, catalog in versions for p in neighbours(catalog, doc)}
    # A document's file changed but not its metadata or links (an edit of its text): the catalogue files
    # hold it as they did, unless the date of its last change moved.
    listed = bool(changed) or any(
        previous.catalog.updated(doc, lang) != current.catalog.updated(doc, lang)
        for path in edited
        if (doc := new.get(path)) is not None
        for lang in LANGUAGES
    )
    return Stale(generated, documents, home=bool(edited), gone=gone, listed=listed)


def shows(page: GeneratedPage, doc: Document) -> bool:
    """Whether a generated page lists or counts ``doc`` (comparisons: see :func:`stale`). Every page of
    a list that has ``doc`` counts: the order of a list, and so what each of its pages shows, can change
    with any of its documents."""
    if page.kind in LISTED:
        return page.key in listings.keys(doc, page.kind)
    return page.kind in COUNTING


def page_changed(page: GeneratedPage, before: Catalog, after: Catalog, changed: set[str], site: Site) -> bool:
    """Whether a page of a list that has a changed document shows something else now: the list's count
    (on every page), its filters' choices (a section's), which documents the page holds and in what
    order, or one of them changed. An edit that keeps a document's place renders one page of each of its
    lists again, not all of them: a level's list at 10,000 documents has a hundred pages."""
    old = listings.members(before, page.kind, page.key, site.audience)
    new = listings.members(after, page.kind, page.key, site.audience)
    if len(old) != len(new):
        return True
    if page.kind == "section" and section_filters(
        before, page.key, site.audience, page.lang, vocab=site.vocab
    ) != section_filters(after, page.key, site.audience, page.lang, vocab=site.vocab):
        return True
    shown = [doc.path for doc in listings.page_of(new, page.number)]
    return shown != [doc.path for doc in listings.page_of(old, page.number)] or not changed.isdisjoint(shown)


def neighbours(catalog: Catalog, doc: Document) -> set[str]:
    """The documents whose page names ``doc``: those it cites and those citing it (see
    :func:`kb.pages.document_context`)."""
    return (
        {p for _, p in doc.references()}
        | set(catalog.citations.get(doc.path, {}))
        | set(doc.superseded_by)
        | set(doc.interpretations)
    )
