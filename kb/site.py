"""One build of the site: the validated catalogue, the audience, and the pages it generates.

Created once per build by ``hooks/validate.py`` and shared by the other hooks; the language runs
of mkdocs-static-i18n reuse it, ``mkdocs serve`` makes a new one on every rebuild.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from kb import checkcache
from kb.catalog import AUDIENCES, Catalog
from kb.data import Vocabulary, load_vocabulary
from kb.pages import GeneratedPage, catalog_pages, generated_pages
from kb.problems import Problem, errors
from kb.validate import validate


class AudienceError(ValueError):
    pass


class RenderedBody(NamedTuple):
    """A document's Markdown as the default language's run rendered it: its HTML, its table of
    contents and its anchors. The other languages show it on the page of a document without a
    translation, without converting the same Markdown again."""

    html: str
    toc: Any
    anchors: set[str] | None


# A relative link or source, not to an anchor of the same page.
_RELATIVE = re.compile(r"""\s(?:href|src)="(?![a-z][a-z0-9+.-]*:|/|#)([^"#?]*)""", re.I)


def same_in_every_language(html: str) -> bool:
    """Whether the relative links of ``html`` lead to the same places from every language's copy of
    the page. Links to pages do (every page exists in every language, at the same depth below the
    language's root); links to files do not (an attachment exists once, under the default language)."""
    return all(target.endswith("/") or not target for target in _RELATIVE.findall(html))


@dataclass
class Site:
    docs_dir: Path
    audience: str
    catalog: Catalog
    vocab: Vocabulary
    generated: dict[str, GeneratedPage] = field(default_factory=dict)  # src_uri -> page
    rendered: dict[str, RenderedBody] = field(default_factory=dict)  # document path -> its Chinese body
    indexing: dict[str, Any] = field(default_factory=dict)  # language -> its search index process

    @property
    def excluded(self) -> set[str]:
        return self.catalog.excluded(self.audience)


def check_audience(audience: str) -> None:
    if audience not in AUDIENCES:
        raise AudienceError(f"KB_AUDIENCE 只能是 {' 或 '.join(AUDIENCES)}，现在是“{audience}”")


def load_site(docs_dir: Path, audience: str, root: Path) -> tuple[Site | None, list[Problem]]:
    """Validate ``docs_dir`` for ``audience``: the site (None if any error) and every problem, warnings
    included (they do not stop the build: ``make check STRICT=1`` is where they fail)."""
    check_audience(audience)
    # checks data/ first, then reads the vocabulary; reads again only the files changed since the last check
    catalog, problems = validate(docs_dir, root=root, cache=checkcache.ROOT)
    if errors(problems):
        return None, problems
    vocab = load_vocabulary()
    pages = {page.src_uri: page for page in generated_pages(vocab) + catalog_pages(catalog, audience, vocab)}
    return Site(Path(docs_dir), audience, catalog, vocab, pages), problems
