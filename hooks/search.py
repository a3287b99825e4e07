"""Index the finished site with Pagefind, once, after every language has been built.

Events: ``on_post_build`` at priority -200, after mkdocs-static-i18n (-100), whose handler in the
default-language run builds the other languages first. The nested language runs fire this event
too, while the plugin's ``building`` flag is set: they are skipped, so the index is built once over
all languages (and on every rebuild of ``mkdocs serve``).
Reads: nothing from front matter; the pages carry ``data-pagefind-*`` attributes (see
``overrides/partials/kb/document.html``).
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from kb.searchindex import SearchIndexError, build_index

log = logging.getLogger("mkdocs.hooks.search")


@event_priority(-200)
def on_post_build(config):
    if getattr(config.plugins.get("i18n"), "building", False):
        return
    try:
        summary = build_index(Path(config.site_dir))
    except SearchIndexError as err:
        raise PluginError(f"搜索索引生成失败：{err}") from None
    log.info("Pagefind 搜索索引已生成 %s", summary)
