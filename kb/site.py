"""One build of the site: the validated catalogue, the audience, and the pages it generates.

Created once per build by ``hooks/validate.py`` and shared by the other hooks; the language runs
of mkdocs-static-i18n reuse it, ``mkdocs serve`` makes a new one on every rebuild.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kb.catalog import AUDIENCES, Catalog
from kb.data import Vocabulary, load_vocabulary
from kb.pages import GeneratedPage, catalog_pages, generated_pages
from kb.problems import Problem
from kb.validate import validate


class AudienceError(ValueError):
    pass


@dataclass
class Site:
    docs_dir: Path
    audience: str
    catalog: Catalog
    vocab: Vocabulary
    generated: dict[str, GeneratedPage] = field(default_factory=dict)  # src_uri -> page

    @property
    def excluded(self) -> set[str]:
        return self.catalog.excluded(self.audience)


def load_site(docs_dir: Path, audience: str, root: Path) -> tuple[Site | None, list[Problem]]:
    """Validate ``docs_dir`` for ``audience``; the site, or None and every problem."""
    if audience not in AUDIENCES:
        raise AudienceError(f"KB_AUDIENCE 只能是 {' 或 '.join(AUDIENCES)}，现在是“{audience}”")
    vocab = load_vocabulary()
    catalog, problems = validate(docs_dir, root=root, vocab=vocab)
    if problems:
        return None, problems
    pages = {page.src_uri: page for page in generated_pages(vocab) + catalog_pages(catalog, audience, vocab)}
    return Site(Path(docs_dir), audience, catalog, vocab, pages), []
