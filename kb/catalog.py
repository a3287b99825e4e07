"""The catalogue: every document with its validated metadata, and what follows from it.

Built by :func:`kb.validate.validate`; read by the hooks, the command line and the tests.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass, field
from typing import Any

from kb.data import DEFAULT_LANGUAGE
from kb.schema import OFFICIAL

AUDIENCES = ("public", "internal")
ATTACHMENT_DIR = "attachments/"


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

    @property
    def slug(self) -> str:
        return posixpath.splitext(self.path)[0]

    @property
    def url(self) -> str:
        """Site-relative URL in the default language (directory URLs)."""
        return self.slug + "/"

    def url_in(self, lang: str) -> str:
        return self.url if lang == DEFAULT_LANGUAGE else f"{lang}/{self.url}"

    @property
    def is_official(self) -> bool:
        return self.type in OFFICIAL

    @property
    def visibility(self) -> str:
        return self.meta.get("visibility", "internal")

    @property
    def is_public(self) -> bool:
        return self.visibility == "public"

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


def _days_in_month(year: int, month: int) -> int:
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return (nxt - dt.timedelta(days=1)).day


@dataclass
class Catalog:
    today: dt.date
    documents: dict[str, Document] = field(default_factory=dict)
    pages: dict[str, dict[str, Any]] = field(default_factory=dict)  # ordinary page path -> its front matter
    assets: set[str] = field(default_factory=set)  # every other file under docs/

    def visible(self, audience: str) -> list[Document]:
        return [d for d in self.documents.values() if audience == "internal" or d.is_public]

    def in_section(self, section: str, audience: str) -> list[Document]:
        """Documents of a section, newest first (ties by path, for a stable order)."""
        docs = [d for d in self.visible(audience) if d.section == section]
        return sorted(docs, key=lambda d: (d.date, d.path), reverse=True)

    def public_assets(self) -> set[str]:
        """Files published with the public build: attachments only when a public document lists them."""
        listed = {a for d in self.documents.values() if d.is_public for a in d.meta.get("attachments", [])}
        return {a for a in self.assets if not a.startswith(ATTACHMENT_DIR) or a in listed}

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

    def review_due(self) -> list[tuple[Document, dt.date]]:
        due = [(d, when) for d in self.documents.values() if (when := d.review_due(self.today))]
        return sorted(due, key=lambda item: (item[0].meta["owner"], item[1]))
