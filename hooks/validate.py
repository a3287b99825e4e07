"""Validate every file under docs/ before the build writes anything.

Events: ``on_config`` (once per build; the per-language runs of mkdocs-static-i18n reuse the result).
Reads: every front-matter key of the content model, through :mod:`kb.validate`, which reads again only
the files changed since the last check (:mod:`kb.checkcache`): a rebuild of ``make serve`` after an edit
re-reads one file and runs the checks across files on the facts of all.
Keeps the validated :class:`kb.site.Site` on the plugin (``kb.site``) for the other jobs.
MkDocs' own warnings about a page's links (which the check should have caught first) are reworded as
the check's Chinese file:line problems (:mod:`kb.buildlog`); they still fail the strict build.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from hooks import serve
from kb import buildlog, compare
from kb.problems import errors, format_problems
from kb.site import load_site

if TYPE_CHECKING:  # hooks.plugin imports this module
    from hooks.plugin import KnowledgeBase

log = logging.getLogger("mkdocs.plugins.kb.validate")


def on_config(kb: KnowledgeBase, config: MkDocsConfig) -> MkDocsConfig:
    if kb.validated and getattr(config.plugins.get("i18n"), "building", False):
        return config  # a further language run of the same build
    root = Path(config.config_file_path).parent
    serve.rebuild_starts(kb)
    site, problems = load_site(Path(config.docs_dir), kb.config.audience, root)
    if site is None:
        raise PluginError(
            f"内容检查发现 {len(errors(problems))} 个错误，构建已中止，未写入任何文件：\n" + format_problems(problems)
        )
    if problems:  # warnings only: INFO, since --strict fails the build on a logged warning
        log.info("内容检查有 %d 条警告（不影响构建；make check 列出全部，CI 以 STRICT=1 检查）", len(problems))
    kb.site = site
    compare.compare.cache_clear()  # the texts of the previous build's comparisons
    _reword_link_warnings(Path(config.docs_dir), root)
    due = site.catalog.review_due()
    if due and site.audience == "internal":
        log.info("%d 件现行文件已超过复核期限（见复核清单）", len(due))
    elif due:
        log.info("%d 件现行文件已超过复核期限", len(due))
    return config


class _InChinese(logging.Filter):
    def __init__(self, docs_dir: Path, root: Path):
        super().__init__()
        self.docs_dir, self.root = docs_dir, root

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            problem = buildlog.problem(record.getMessage(), self.docs_dir, self.root)
            if problem is not None:
                record.msg, record.args = problem.text(), ()
        return True


def _reword_link_warnings(docs_dir: Path, root: Path) -> None:
    pages = logging.getLogger("mkdocs.structure.pages")
    for old in [f for f in pages.filters if isinstance(f, _InChinese)]:
        pages.removeFilter(old)
    pages.addFilter(_InChinese(docs_dir, root))
