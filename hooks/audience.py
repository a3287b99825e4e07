"""Leave out what this audience may not see, before any page, index or sitemap is made.

Events: ``on_files`` (priority 0, before mkdocs-static-i18n at -100, so no language run sees them; the
plugin, hooks/plugin.py, orders it). Reads: ``visibility`` and ``attachments`` (through the catalogue):
in the public build, internal documents, their translations and every file no public page links to,
embeds or lists are removed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

if TYPE_CHECKING:  # hooks.plugin imports this module
    from hooks.plugin import KnowledgeBase


def on_files(kb: KnowledgeBase, files: Files, config: MkDocsConfig) -> Files:
    hidden = kb.site.excluded
    for file in [f for f in files if f.src_uri in hidden]:
        files.remove(file)
    return files
