"""Index the finished site with Pagefind: one bundle per language, each built while the next
language's pages are (:mod:`kb.searchindex`).

Events: ``on_post_build`` twice. Before mkdocs-static-i18n (-100) builds the other languages from the
default language's run, this run's pages are all written: their index starts in a process of its own
(:func:`start`). In the default language's run, after the plugin has built the other languages (their
nested runs skip this, the plugin's ``building`` flag set), the build waits for every index and fails if
one failed (:func:`wait`). A dirty rebuild (``make serve``) does not wait: the page shows at once and search
catches up when its index is in place, seconds later; the index runs at a low priority, and a rebuild
stops the one its previous rebuild started if it is still running (:func:`stop` at the end of serving).
Reads: nothing from front matter; the pages carry ``data-pagefind-*`` attributes (see
``overrides/partials/kb/document.html``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from kb.searchindex import SearchIndexError, finish_index, start_index

if TYPE_CHECKING:  # hooks.plugin imports this module
    from hooks.plugin import KnowledgeBase

log = logging.getLogger("mkdocs.plugins.kb.search")


def start(kb: KnowledgeBase, config: MkDocsConfig) -> None:
    lang = config.theme["language"]
    if not kb.dirty:
        kb.indexing[lang] = start_index(Path(config.site_dir), lang)
        return
    previous = kb.background.get((config.site_dir, lang))
    if previous is not None and previous.poll() is None:
        previous.terminate()  # indexing pages that are about to change again
        previous.wait()
    kb.background[config.site_dir, lang] = start_index(Path(config.site_dir), lang, background=True)


def wait(kb: KnowledgeBase, config: MkDocsConfig) -> None:
    if getattr(config.plugins.get("i18n"), "building", False) or kb.dirty:
        return
    failed: list[str] = []
    for lang, process in kb.indexing.items():
        try:
            log.info("Pagefind 搜索索引已生成（%s）：%s", lang, finish_index(process))
        except SearchIndexError as err:  # its message names the language
            failed.append(str(err))
    kb.indexing.clear()
    if failed:
        raise PluginError("；".join(failed))


def stop(kb: KnowledgeBase) -> None:
    """End the background indexes still running when ``make serve`` stops."""
    for process in kb.background.values():
        if process.poll() is None:
            process.terminate()
            process.wait()
    kb.background.clear()
