"""Index the finished site with Pagefind: one bundle per language, each built while the next
language's pages are (:mod:`kb.searchindex`).

Events: ``on_post_build`` twice. Before mkdocs-static-i18n (-100) builds the other languages from the
default language's run, this run's pages are all written: their index starts in a process of its own
(:func:`start`). In the default language's run, after the plugin has built the other languages (their
nested runs skip this, the plugin's ``building`` flag set), the build waits for every index and fails if
one failed (:func:`wait`). A dirty rebuild (``make serve``) does not wait: the page shows at once and search
catches up when its index is in place. That index starts once the site has been left alone for
:data:`QUIET_S` (an editor saving again and again reindexes once, and a rebuild never shares the machine
with an index that is only starting), runs at a low priority, and is stopped by the next rebuild if it
is still running (:func:`stop` at the end of serving).
Reads: nothing from front matter; the pages carry ``data-pagefind-*`` attributes (see
``overrides/partials/kb/document.html``).
"""

from __future__ import annotations

import logging
import subprocess
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from kb.searchindex import SearchIndexError, finish_index, start_index

if TYPE_CHECKING:  # hooks.plugin imports this module
    from hooks.plugin import KnowledgeBase

log = logging.getLogger("mkdocs.plugins.kb.search")
# Seconds without a rebuild before a served site's index starts. At 10,000 documents it takes a core for
# a minute and more; a rebuild that starts while it does took 4–5 s instead of 3.
QUIET_S = 5.0


class Later:
    """A served site's index of one language, started after :data:`QUIET_S` unless stopped before."""

    def __init__(self, site_dir: Path, lang: str, delay_s: float = QUIET_S):
        self.lock = threading.Lock()
        self.process: subprocess.Popen | None = None
        self.stopped = False
        self.timer = threading.Timer(delay_s, self._start, (site_dir, lang))
        self.timer.daemon = True
        self.timer.start()

    def _start(self, site_dir: Path, lang: str) -> None:
        with self.lock:
            if not self.stopped:
                self.process = start_index(site_dir, lang, background=True)

    def stop(self, wait: bool = False) -> None:
        r"""Not started: never start. Running: stop it (it indexes pages that are about to change again).
        It then removes what it had written (thousands of files at 10,000 documents, a second): a rebuild
        goes on meanwhile, the end of serving ``wait``\ s for it."""
        self.timer.cancel()
        with self.lock:
            self.stopped = True
            if self.process is not None and self.process.poll() is None:
                self.process.terminate()
                if wait:
                    self.process.wait()
                else:
                    threading.Thread(target=self.process.wait, daemon=True).start()


def start(kb: KnowledgeBase, config: MkDocsConfig) -> None:
    lang = config.theme["language"]
    if not kb.dirty:
        kb.indexing[lang] = start_index(Path(config.site_dir), lang)
        return
    previous = kb.background.pop((config.site_dir, lang), None)
    if previous is not None:
        previous.stop()
    kb.background[config.site_dir, lang] = Later(Path(config.site_dir), lang)


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
    """End the background indexes still waiting or running when ``make serve`` stops."""
    for later in kb.background.values():
        later.stop(wait=True)
    kb.background.clear()
