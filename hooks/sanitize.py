"""What content and data put into a page is sanitized or escaped before the page is written.

Events:
- ``on_env`` (priority 300, before every other ``on_env``): the theme's Jinja environment escapes
  every value it prints. MkDocs makes it without autoescaping, and Material prints ``page.title``,
  ``page.meta.description``, ``page.meta.author``, tag names and labels as they are: a quote or a
  ``<`` in a front-matter value or a label of ``data/`` became markup. Markup made by the build
  itself (the page body, the table of contents) is marked safe in ``on_page_context``.
- ``on_page_content`` (priority 100, before the page templates wrap the body): the HTML that Markdown
  made of an editor's text passes the allowlist sanitizer (:mod:`kb.sanitize`). ``make check`` has
  already told the editor of anything it removes.
- ``on_page_context`` (last): the sanitized body and the headings of the table of contents (text
  that Markdown escaped already) are printed as they are; on the keyword listing the headings are tag
  names as written, which the theme escapes.
Reads: no front-matter key; every page's HTML.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from jinja2 import Environment
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink
from mkdocs.utils.templates import TemplateContext

from kb import sanitize
from kb.pages import HOME_MARKER

if TYPE_CHECKING:  # hooks.plugin imports this module
    from hooks.plugin import KnowledgeBase


def on_env(kb: KnowledgeBase, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    env.autoescape = True
    return env


def on_page_content(kb: KnowledgeBase, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.file.src_uri in kb.site.generated:
        return html  # made by the build from the catalogue, in templates that escape
    # The home page's marker is a comment, which the sanitizer removes: keep it for hooks/pages.py.
    return HOME_MARKER.join(sanitize.clean(part) for part in html.split(HOME_MARKER, 1))


def on_page_context(
    kb: KnowledgeBase, context: TemplateContext, page: Page, config: MkDocsConfig, nav: Navigation
) -> TemplateContext:
    page.content = Markup(page.content or "")
    _safe_titles(page.toc)
    return context


def _safe_titles(items: Iterable[AnchorLink]) -> None:
    for item in items:
        item.title = Markup(item.title)
        _safe_titles(item.children)
