"""Moved or renamed pages keep their old addresses (``data/redirects.yml``, see :mod:`kb.redirects`).

Events: ``on_post_build``, once per language run: each run writes, at every old address in its
language (``policies/old/``, ``en/policies/old/``), a small page that sends the reader on to the new
address. The link is relative, so it works when the site is served under a sub-path.
Reads: no front-matter key; the redirects the checker validated. A redirect to a page this audience
may not see is left out, so the public site does not reveal it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from kb import redirects, routes, templates

if TYPE_CHECKING:  # hooks.plugin imports this module
    from hooks.plugin import KnowledgeBase


def on_post_build(kb: KnowledgeBase, config: MkDocsConfig) -> None:
    site = kb.site
    lang = config.theme["language"]
    for old, new in site.catalog.redirects.items():
        if new in site.excluded:
            continue
        old_url, new_url = routes.page(old, lang), routes.page(new, lang)
        context = {"target": redirects.relative(new_url, old_url), "canonical": urljoin(config.site_url or "", new_url)}
        try:
            page = redirects.output_path(Path(config.site_dir), old_url)
        except ValueError as err:
            raise PluginError(str(err)) from None
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(templates.render(config.theme.dirs, "redirect.html", context, site, lang), encoding="utf-8")
