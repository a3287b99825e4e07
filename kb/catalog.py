"""The catalogue: every document with its validated metadata, and what follows from it.

Built by :func:`kb.validate.validate`; read by the hooks, the command line and the tests.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from kb import history, routes, source
from kb.data import DEFAULT_LANGUAGE, LANGUAGES
from kb.schema import OFFICIAL

AUDIENCES = ("public", "internal")
_LANGUAGE_SUFFIX = re.compile(r"\.(" + "|".join(LANGUAGES) + r")\.md$")


def original_of(path: str) -> str:
    """The Markdown file a translation translates (``x.en.md`` -> ``x.md``); other paths unchanged."""
    return _LANGUAGE_SUFFIX.sub(".md", path)


@dataclass
class Translation:
    path: str  # e.g. policies/x.en.md
    title: str
    summary: str


@dataclass
class Document:
    """One document of the five sections, identified by its path without language suffix."""

    path: str  # policies/joint-meeting.md
    type: str  # policy, fund, talent, case, interpretation
    section: str  # policies, ...
    meta: dict[str, Any]  # validated values, defaults filled in
    translations: dict[str, Translation] = field(default_factory=dict)
    superseded_by: list[str] = field(default_factory=list)  # derived from the others' `supersedes`
    interpretations: list[str] = field(default_factory=list)  # derived from `interprets`
    body_links: list[str] = field(default_factory=list)  # documents its body (or a translation's) links to

    @property
    def slug(self) -> str:
        return posixpath.splitext(self.path)[0]

    def url_in(self, lang: str) -> str:
        """Site-relative URL of the document's page in ``lang`` (:mod:`kb.routes`)."""
        return routes.page(self.path, lang)

    @property
    def agents(self) -> list[str]:
        """Who issued (发文机关), did (主体单位) or wrote (解读机关) the document."""
        return self.meta.get("issuer") or [self.meta.get("unit") or self.meta.get("author")]

    @property
    def is_official(self) -> bool:
        return self.type in OFFICIAL

    @property
    def visibility(self) -> str:
        return self.meta.get("visibility", "internal")

    @property
    def is_public(self) -> bool:
        return self.visibility == "public"

    def visible_to(self, audience: str) -> bool:
        """The internal build shows every document; the public build only public ones."""
        return audience == "internal" or self.is_public

    @property
    def date(self) -> dt.date:
        """The date a reader sorts by: 成文日期 for official documents, otherwise 日期."""
        return self.meta["issued"] if self.is_official else self.meta["date"]

    def state(self, today: dt.date) -> str | None:
        """current, amended, repealed or expired (official documents); None for cases and interpretations."""
        if not self.is_official:
            return None
        validity = self.meta["validity"]
        expires = self.meta.get("expires")
        if validity == "current" and expires is not None and expires < today:
            return "expired"
        return validity

    def review_due(self, today: dt.date) -> dt.date | None:
        """The date the review fell due, if a current document is past it."""
        if not self.is_official or self.state(today) != "current":
            return None
        months = self.meta.get("review_months") or 12
        reviewed: dt.date = self.meta["reviewed"]
        year, month = divmod(reviewed.month - 1 + months, 12)
        due_year, due_month = reviewed.year + year, month + 1
        day = min(reviewed.day, _days_in_month(due_year, due_month))
        due = dt.date(due_year, due_month, day)
        return due if due < today else None

    def title_in(self, lang: str) -> str:
        tr = self.translations.get(lang)
        return tr.title if tr else self.meta["title"]

    def summary_in(self, lang: str) -> str:
        tr = self.translations.get(lang)
        return tr.summary if tr else self.meta["summary"]

    def is_translated(self, lang: str) -> bool:
        return lang == DEFAULT_LANGUAGE or lang in self.translations

    def references(self) -> list[tuple[str, str]]:
        """``(how, document path)`` for every document this one cites: related, supersedes, interprets, body."""
        refs = [("related", p) for p in self.meta.get("related", [])]
        refs += [("supersedes", p) for p in self.meta.get("supersedes", [])]
        refs += [("interprets", self.meta["interprets"])] if "interprets" in self.meta else []
        return refs + [("body", p) for p in self.body_links]


def _days_in_month(year: int, month: int) -> int:
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return (nxt - dt.timedelta(days=1)).day


@dataclass
class Catalog:
    today: dt.date
    documents: dict[str, Document] = field(default_factory=dict)
    pages: dict[str, dict[str, Any]] = field(default_factory=dict)  # ordinary page path -> its front matter
    assets: set[str] = field(default_factory=set)  # every other file under docs/
    docs_dir: Path | None = None  # where the files are: their text, sizes and dates
    mtimes: dict[str, int] = field(default_factory=dict)  # file under docs/ -> modification time (ns) when read
    redirects: dict[str, str] = field(default_factory=dict)  # old page path -> new (data/redirects.yml)
    # file under docs/ -> the Markdown files whose pages link to it, embed it or list it in attachments
    asset_users: dict[str, frozenset[str]] = field(default_factory=dict)

    def visible(self, audience: str) -> list[Document]:
        return [d for d in self.documents.values() if d.visible_to(audience)]

    def visible_among(self, paths: list[str], audience: str) -> list[Document]:
        """The documents at ``paths`` (in that order) this audience may see: one lookup per path, not a
        scan of the catalogue, since it runs for every page."""
        docs = (self.documents.get(path) for path in paths)
        return [doc for doc in docs if doc is not None and doc.visible_to(audience)]

    def in_section(self, section: str, audience: str) -> list[Document]:
        """Documents of a section, newest first (ties by path, for a stable order)."""
        docs = [d for d in self.visible(audience) if d.section == section]
        return sorted(docs, key=lambda d: (d.date, d.path), reverse=True)

    def public_assets(self) -> set[str]:
        """Files published with the public build: those a public page links to, embeds or lists, wherever
        they are. A file only internal pages use, or none, stays out."""
        return {asset for asset, users in self.asset_users.items() if any(self.is_public_source(p) for p in users)}

    def is_public_source(self, path: str) -> bool:
        """Whether the Markdown file at ``path`` (a translation too) makes a public page."""
        identity = original_of(path)
        doc = self.documents.get(identity)
        return doc.is_public if doc is not None else identity in self.pages

    def excluded(self, audience: str) -> set[str]:
        """Source paths (relative to docs/) that must leave no trace in this audience's build."""
        if audience == "internal":
            return set()
        hidden = set()
        for doc in self.documents.values():
            if not doc.is_public:
                hidden.add(doc.path)
                hidden.update(tr.path for tr in doc.translations.values())
        return hidden | (self.assets - self.public_assets())

    @cached_property
    def citations(self) -> dict[str, dict[str, list[str]]]:
        """Backlinks: document path -> {path of a document citing it -> how: related, supersedes, …}."""
        cited: dict[str, dict[str, list[str]]] = {}
        for doc in self.documents.values():
            for how, target in doc.references():
                cited.setdefault(target, {}).setdefault(doc.path, []).append(how)
        return cited

    @cached_property
    def file_dates(self) -> dict[str, dt.date]:
        """When each document and translation file last changed (git history, else modification time)."""
        paths = [p for d in self.documents.values() for p in (d.path, *(t.path for t in d.translations.values()))]
        return history.file_dates(self.docs_dir, paths, self.mtimes) if self.docs_dir else {}

    def updated(self, doc: Document, lang: str = DEFAULT_LANGUAGE) -> dt.date | None:
        """When the page of ``doc`` in ``lang`` last changed: its file or its translation, the later."""
        paths = [doc.path] + ([doc.translations[lang].path] if lang in doc.translations else [])
        return max((self.file_dates[p] for p in paths if p in self.file_dates), default=None)

    def body(self, doc: Document) -> str:
        """The Markdown text of a document, without its front matter (the file was validated: UTF-8)."""
        assert self.docs_dir is not None, "a catalogue read from files knows its docs_dir"
        text = (self.docs_dir / doc.path).read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        match = source.FRONT_MATTER.match(text)
        return text[match.end() :] if match else text

    def review_due(self) -> list[tuple[Document, dt.date]]:
        due = [(d, when) for d in self.documents.values() if (when := d.review_due(self.today))]
        return sorted(due, key=lambda item: (item[0].meta["owner"], item[1]))
