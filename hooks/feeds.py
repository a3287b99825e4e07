"""``catalog.json``, the Atom feeds and the section pages' filter data, written beside the pages at the end
of the build.

Events: ``on_post_build``, which mkdocs-static-i18n fires once per language run, all on the same
site_dir: each run writes its own language's feed (``feed.xml``, ``en/feed.xml``), and only the
default-language run writes ``catalog.json``, which already holds the URLs of every language. The
files follow from the catalogue alone, so writing them again gives the same bytes: a dirty rebuild
(``mkdocs serve``) after an edit that changed no document's metadata, links or date of change skips them.
Reads: every key of the content model, through the catalogue; only what the audience may see.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config.defaults import MkDocsConfig

from kb import feeds, listings, routes, templates
from kb.data import DEFAULT_LANGUAGE

if TYPE_CHECKING:  # hooks.plugin imports this module
    from hooks.plugin import KnowledgeBase


def on_post_build(kb: KnowledgeBase, config: MkDocsConfig) -> None:
    site = kb.site
    lang = config.theme["language"]
    if kb.dirty and (stale := kb.stale.get(lang)) is not None and not stale.listed:
        return  # a dirty rebuild after an edit of a text alone: the files written before still hold
    root = Path(config.site_dir)
    site_url = config.site_url or ""
    if lang == DEFAULT_LANGUAGE:
        (root / "catalog.json").write_text(feeds.catalog_json(site.catalog, site.audience, site_url), encoding="utf-8")
    folder = root / routes.root(lang)
    folder.mkdir(parents=True, exist_ok=True)
    for section in site.vocab.sections:  # the data of the section pages' filters (kb/listings.py)
        data = listings.browse_data(site.catalog, section, site.audience, lang, site.vocab)
        target = root / routes.browse_data(section, lang)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    context = feeds.feed(site.catalog, site.audience, lang, site_url, config.site_name, site.vocab)
    (folder / "feed.xml").write_text(
        templates.render(config.theme.dirs, "feed.xml.html", context, site, lang), encoding="utf-8"
    )
