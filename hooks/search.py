"""Index the finished site with Pagefind: one bundle per language, each built while the next
language's pages are (:mod:`kb.searchindex`).

Events: ``on_post_build`` twice. At priority -50, before mkdocs-static-i18n (-100) builds the other
languages from the default language's run, this run's pages are all written: their index starts in a
process of its own. At priority -200, in the default language's run, after the plugin has built the
other languages (their nested runs skip this, the plugin's ``building`` flag set), the build waits for
every index and fails if one failed. A dirty rebuild (``make serve`` rebuilds with ``--dirty``) does not
wait: the page shows at once and search catches up when its index is in place, seconds later; the index
runs at a low priority, and a rebuild stops the one its previous rebuild started if it is still running.
Reads: nothing from front matter; the pages carry ``data-pagefind-*`` attributes (see
``overrides/partials/kb/document.html``).
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority

from kb.searchindex import SearchIndexError, finish_index, start_index

log = logging.getLogger("mkdocs.hooks.search")


# A dirty rebuild's index, by site folder and language: the next rebuild stops it if it is still running.
_BACKGROUND: dict[tuple[str, str], subprocess.Popen] = {}


@event_priority(-50)
def _start_index(config):
    lang = config.theme["language"]
    if not _dirty():
        config.extra["kb_site"].indexing[lang] = start_index(Path(config.site_dir), lang)
        return
    previous = _BACKGROUND.get((config.site_dir, lang))
    if previous is not None and previous.poll() is None:
        previous.terminate()  # indexing pages that are about to change again
        previous.wait()
    _BACKGROUND[config.site_dir, lang] = start_index(Path(config.site_dir), lang, background=True)


@event_priority(-200)
def _wait_for_index(config):
    if getattr(config.plugins.get("i18n"), "building", False) or _dirty():
        return
    site = config.extra["kb_site"]
    failed = []
    for lang, process in site.indexing.items():
        try:
            log.info("Pagefind 搜索索引已生成（%s）：%s", lang, finish_index(process))
        except SearchIndexError as err:  # its message names the language
            failed.append(str(err))
    site.indexing.clear()
    if failed:
        raise PluginError("；".join(failed))


on_post_build = CombinedEvent(_start_index, _wait_for_index)


def _dirty() -> bool:
    """Whether this is a ``--dirty`` rebuild, decided as mkdocs-static-i18n decides it for its runs."""
    return "--dirty" in sys.argv or "--dirtyreload" in sys.argv
