"""The knowledge base's MkDocs plugin (``plugins: - kb`` in mkdocs.yml): the build's state on one object
with a lifetime, and the order in which its jobs run.

Each job is a module of this package, with plain functions that take this plugin as ``kb``:
``validate`` (check everything before anything is written), ``sanitize`` (sanitize bodies, escape what
the theme prints), ``audience`` (drop what this audience may not see), ``pages`` (generated pages,
document headers), ``search`` (the Pagefind index), ``feeds`` (``catalog.json``, ``feed.xml``),
``redirects`` (old addresses) and ``serve`` (what ``make serve`` watches, and what its rebuilds keep).
The events below only dispatch to them, with the priorities that order them among themselves and
against mkdocs-static-i18n.

State, all here: ``site`` (the validated site of the current build, shared by the language runs of
mkdocs-static-i18n, which fire every event again per language), ``built`` (per language, what its last
build rendered from: ``make serve``'s dirty rebuilds render only what changed; ``compared``, ``written``:
see ``pages.on_nav``), ``indexing`` (this build's search index processes), ``background`` (a dirty
rebuild's index, stopped by the next one or at shutdown), ``collector`` and ``uncollected`` (``make
serve``'s collection of a rebuild's garbage when nothing waits, and the rebuilds since the last),
``serving`` and ``dirty`` (from ``on_startup``). Because it has ``on_startup``, MkDocs keeps this object
for the whole ``mkdocs serve`` session instead of making a new one for every rebuild.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Callable

from jinja2 import Environment
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from hooks import audience, feeds, pages, redirects, sanitize, search, serve, validate
from kb import rebuild
from kb.catalog import AUDIENCES
from kb.site import AudienceError, Site, check_audience


class _Audience(c.Choice):
    """A choice of :data:`kb.catalog.AUDIENCES`, refused in the operator's words (``KB_AUDIENCE`` sets it)."""

    def run_validation(self, value: object) -> object:
        try:
            check_audience(str(value))
        except AudienceError as err:
            raise ValidationError(str(err)) from None
        return value


class KnowledgeBaseConfig(base.Config):
    # public (GitHub Pages: public documents only) or internal (the intranet: everything, marked).
    audience = _Audience(AUDIENCES, default="public")


class KnowledgeBase(BasePlugin[KnowledgeBaseConfig]):
    def __init__(self) -> None:
        self._site: Site | None = None
        self.built: dict[str, tuple[str, rebuild.Built]] = {}  # language -> (site_dir, what it was built from)
        self.stale: dict[str, rebuild.Stale | None] = {}  # language -> what this build found changed (None: all)
        # the previous build, this build's site, what it renders from and what changed: the same for every language
        self.compared: tuple = (None, None, None, None)
        self.written: set[str] = set()  # languages whose last build wrote all its pages
        self.indexing: dict[str, subprocess.Popen] = {}  # language -> its search index process
        self.background: dict[tuple[str, str], search.Later] = {}  # (site_dir, language) -> dirty index
        self.collector: threading.Timer | None = None  # make serve's collection of a rebuild's garbage
        self.uncollected = 0  # make serve's rebuilds begun since its last collection
        self.serving = False
        self.dirty = False

    @property
    def site(self) -> Site:
        """The validated site of the current build: ``on_config`` sets it, before every other event of a build."""
        assert self._site is not None, "the site is read before on_config validated it"
        return self._site

    @site.setter
    def site(self, site: Site) -> None:
        self._site = site

    @property
    def validated(self) -> bool:
        """Whether a build of this process has validated a site already (a further language run reuses it)."""
        return self._site is not None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving, self.dirty = command == "serve", dirty
        if self.serving:
            serve.remember_i18n_files()
            serve.remember_i18n_layout()
            serve.remember_files()
            serve.remember_theme_files()
            serve.lighter_pages()

    def on_shutdown(self) -> None:
        search.stop(self)
        if self.collector is not None:
            self.collector.cancel()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        return validate.on_config(self, config)

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder: Callable[[], None]) -> LiveReloadServer:
        return serve.on_serve(self, server, config, builder)

    def on_pre_build(self, config: MkDocsConfig) -> None:
        pages.on_pre_build(self, config)

    # Before mkdocs-static-i18n (-100) sorts the files by language: what the audience may not see goes
    # first, then the generated pages come in.
    def _audience_files(self, files: Files, config: MkDocsConfig) -> Files:
        return audience.on_files(self, files, config)

    def _generated_files(self, files: Files, config: MkDocsConfig) -> Files:
        return pages.on_files(self, files, config)

    on_files = CombinedEvent(_audience_files, _generated_files)

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        return pages.on_nav(self, nav, config, files)

    # The theme's environment escapes first; then our globals.
    @event_priority(300)
    def _escape(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        return sanitize.on_env(self, env, config, files)

    @event_priority(200)
    def _globals(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        return pages.on_env(self, env, config, files)

    on_env = CombinedEvent(_escape, _globals)

    def on_page_read_source(self, page: Page, config: MkDocsConfig) -> str | None:
        return pages.on_page_read_source(self, page, config)

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        return pages.on_page_markdown(self, markdown, page, config, files)

    # The body is sanitized before the page templates wrap it.
    @event_priority(100)
    def _sanitize(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        return sanitize.on_page_content(self, html, page, config, files)

    def _wrap(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        return pages.on_page_content(self, html, page, config, files)

    on_page_content = CombinedEvent(_sanitize, _wrap)

    @event_priority(-1000)  # last: every other plugin has finished with the page
    def on_page_context(
        self, context: TemplateContext, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        return sanitize.on_page_context(self, context, page, config, nav)

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        return pages.on_post_page(self, output, page, config)

    # This language's pages are written: its index starts (before mkdocs-static-i18n, -100, builds the
    # next language); feeds and redirects are written; in the default language's run, after all
    # languages are built, the build waits for every index.
    def _written(self, config: MkDocsConfig) -> None:
        pages.on_post_build(self, config)

    @event_priority(-50)
    def _start_index(self, config: MkDocsConfig) -> None:
        search.start(self, config)

    def _feeds(self, config: MkDocsConfig) -> None:
        feeds.on_post_build(self, config)

    def _redirects(self, config: MkDocsConfig) -> None:
        redirects.on_post_build(self, config)

    @event_priority(-200)
    def _wait_for_index(self, config: MkDocsConfig) -> None:
        search.wait(self, config)

    @event_priority(-300)  # after every language's run
    def _collect(self, config: MkDocsConfig) -> None:
        if self.serving and not getattr(config.plugins.get("i18n"), "building", False):
            serve.collect_when_idle(self)

    on_post_build = CombinedEvent(_written, _start_index, _feeds, _redirects, _wait_for_index, _collect)
