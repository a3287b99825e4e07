"""``make serve``: what it watches, and how; what its rebuilds need not compute again.

Events: ``on_startup`` (of ``mkdocs serve``): mkdocs-static-i18n's copies of the files are remembered
across rebuilds (:func:`remember_i18n_files`), as are its choice of a file for each address of a
language (:func:`remember_i18n_layout`), MkDocs' files of the docs folder (:func:`remember_files`) and
of the theme (:func:`remember_theme_files`); MkDocs' pages are made cheaper (:func:`lighter_pages`).
``on_config``: a rebuild begins (:func:`rebuild_starts`). ``on_post_build``, at the end of a build: its
garbage is collected when nothing waits (:func:`collect_when_idle`).
``on_serve``: ``make serve`` also rebuilds when a file of ``data/`` changes (the vocabulary is read
again when its files change, :func:`kb.data.load_vocabulary`). And it learns of changes from the
operating system instead of MkDocs' polling: MkDocs 1.6 looks at every file of every watched folder
twice a second (watchdog's PollingObserver). At 10,000 documents that is some 20,000 file
examinations a poll, a core's worth of work that also holds the interpreter lock the rebuild needs:
measured, an edit took 12 s to show with polling, most of it spent waiting on the poller. The
operating system's notifications (inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on
Windows: watchdog's ``Observer``) cost nothing while nothing changes. ``KB_WATCH=poll`` keeps MkDocs'
polling, for folders whose changes the system does not report (some network drives and container
mounts).
Reads: nothing from front matter.
"""

from __future__ import annotations

import fnmatch
import functools
import gc
import os
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from jinja2 import Environment
from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.files import File, Files, set_exclusions
from mkdocs_static_i18n import reconfigure, suffix
from watchdog import events
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from kb.data import data_dir

if TYPE_CHECKING:  # hooks.plugin imports this module
    from hooks.plugin import KnowledgeBase


def on_serve(
    kb: KnowledgeBase, server: LiveReloadServer, config: MkDocsConfig, builder: Callable[[], None]
) -> LiveReloadServer:
    server.watch(str(data_dir()))
    if os.environ.get("KB_WATCH") != "poll":
        watch_natively(server)
    return server


# What changes the files of a watched folder. Not a file opened or read: every rebuild reads the documents,
# and the system reports each read (watchdog's FileOpenedEvent, FileClosedNoWriteEvent), which MkDocs takes
# for a change: rebuilding would never stop.
CHANGES: list[type[events.FileSystemEvent]] = [
    events.FileCreatedEvent,
    events.FileModifiedEvent,
    events.FileAttribEvent,  # touch
    events.FileClosedEvent,  # closed after writing
    events.FileDeletedEvent,
    events.FileMovedEvent,
    events.DirCreatedEvent,
    events.DirDeletedEvent,
    events.DirMovedEvent,
]


class ChangesOnly(Observer):  # type: ignore[misc,valid-type]  # the system's observer class (watchdog picks it)
    """The operating system's observer, told to report only :data:`CHANGES` wherever it watches."""

    def schedule(self, event_handler, path, *, recursive=False, event_filter=None, follow_symlink=False):
        return super().schedule(
            event_handler,
            path,
            recursive=recursive,
            event_filter=event_filter or CHANGES,
            follow_symlink=follow_symlink,
        )


def watch_natively(server: LiveReloadServer) -> None:
    """Give ``server`` the operating system's observer, watching what its polling observer watched
    (MkDocs starts the observer after ``on_serve``; watches added later go to the new one). Where
    watchdog has no native observer, its ``Observer`` is the polling one, and nothing changes."""
    native = ChangesOnly()
    if isinstance(native, PollingObserver) or server.observer.is_alive():
        return
    watched = dict(server._watched_paths)  # path -> how many times it was asked for (MkDocs 1.6's own state)
    for path, times in watched.items():
        for _ in range(times):
            server.unwatch(path)
    server.observer = native
    for path, times in watched.items():
        for _ in range(times):
            server.watch(path)


def remember_i18n_files() -> None:
    """Let mkdocs-static-i18n (1.3, ``docs_structure: suffix``) make each of its copies of a file once per
    ``make serve`` session, not on every rebuild. Each language's run copies every file of the site
    (``create_i18n_file``: a new ``File`` with the language's address, from path arithmetic), once for
    the files and again for each file's other languages: at 10,000 documents that was half of a rebuild.
    The copy depends only on what the key below holds, so the first one is kept as a model, and each
    call gets a shallow copy of it (MkDocs and the plugin then set a page and alternates on their own
    copy, never on the model). Likewise its test of each file's place (inside the docs folder or not:
    a fifth of a rebuild, pathlib parsing both paths every time), and its lists of languages, which it
    made again from its settings for every file (a tenth of what was left)."""
    made = suffix.create_i18n_file
    if getattr(made, "remembered", None) is not None:
        return
    models: dict[tuple, File] = {}
    settings: list = [None, ()]  # the last config asked with, and what of it the copies depend on

    def create_i18n_file(file: File, current_language: str, default_language: str, all_languages, config) -> File:
        if settings[0] is not config:
            settings[:] = [config, (config.docs_dir, config.site_dir, config.use_directory_urls)]
        key = (file.src_uri, file.dest_uri, file.inclusion, current_language, default_language, *all_languages)
        key += settings[1]
        model = models.get(key)
        if model is None:
            model = models[key] = made(file, current_language, default_language, all_languages, config)
        new = _copy(model)
        new.alternates = {current_language: new}  # a language's own copy lists itself (as the plugin's does)
        return new

    create_i18n_file.remembered = models  # type: ignore[attr-defined]
    create_i18n_file.made = made  # type: ignore[attr-defined]
    suffix.create_i18n_file = create_i18n_file
    reconfigure.is_relative_to = functools.lru_cache(maxsize=None)(reconfigure.is_relative_to)
    for name in ("all_languages", "default_language"):
        setattr(reconfigure.ExtendedPlugin, name, _per_settings(getattr(reconfigure.ExtendedPlugin, name)))


def remember_i18n_layout() -> None:
    """Let mkdocs-static-i18n sort the files of the docs folder by language once per ``make serve``
    session while it is asked with the same files. Its sorting (``reconfigure_files``: which file serves
    each address in a language, and its alternates in the others) went through every file, with a debug
    message formatted for each whether logged or not: a quarter of a rebuild at 10,000 documents after
    the copies were remembered (:func:`remember_i18n_files`). Its choice depends only on the files of
    the docs folder (their addresses and places), the language and the settings; each rebuild asked the
    same gets copies of the files it chose, each listing itself among its alternates (the other
    languages' alternates, which no one changes, are shared), after this rebuild's own theme files,
    which the plugin passes through first as they are (a rebuild's theme files differ from the first
    build's: it writes no sitemap). Should the plugin's result ever not be in that order, nothing is
    remembered."""
    made = reconfigure.ExtendedPlugin.reconfigure_files
    if getattr(made, "remembered", None) is not None:
        return
    kept: dict[tuple, tuple[list, type, list]] = {}  # language, settings -> (files asked, result's class, chosen)

    def reconfigure_files(plugin: reconfigure.ExtendedPlugin, files: Files, mkdocs_config: MkDocsConfig) -> Files:
        docs_dir = mkdocs_config.docs_dir
        inside = [reconfigure.is_relative_to(file.abs_src_path, docs_dir) for file in files]
        theirs = [file for file, own in zip(files, inside, strict=True) if not own and not file.is_documentation_page()]
        asked = [(file.src_uri, file.abs_src_path) for file, own in zip(files, inside, strict=True) if own]
        settings = _settings(mkdocs_config)  # the plugin's
        key = (plugin.current_language, docs_dir, mkdocs_config.site_dir, mkdocs_config.use_directory_urls, *settings)
        known = kept.get(key)
        if known is None or known[0] != asked:
            result = made(plugin, files, mkdocs_config)
            listed = list(result)
            if len(listed) >= len(theirs) and all(a is b for a, b in zip(listed, theirs, strict=False)):
                kept[key] = (asked, type(result), [_model_of(file) for file in listed[len(theirs) :]])
            else:
                kept.pop(key, None)
            return result
        _, kind, chosen = known
        return kind(plugin, [*theirs, *(_model_of(model) for model in chosen)])

    reconfigure_files.remembered = kept  # type: ignore[attr-defined]
    reconfigure_files.made = made  # type: ignore[attr-defined]
    reconfigure.ExtendedPlugin.reconfigure_files = reconfigure_files


def _settings(config: MkDocsConfig) -> tuple[str | None, int | None]:
    """The settings file of ``config`` and when it last changed: what was made from its settings is
    made again after an edit of mkdocs.yml (which ``make serve`` watches)."""
    path = config.config_file_path
    return path, os.stat(path).st_mtime_ns if path else None


def _model_of(file: Any) -> Any:
    """A copy of an i18n ``file`` whose alternates list the copy where they listed ``file``."""
    new = _copy(file)
    new.alternates = {lang: new if other is file else other for lang, other in file.alternates.items()}
    return new


def remember_files() -> None:
    """Let MkDocs make its File of each file of the docs folder once per ``make serve`` session while the
    folder holds the same files. Every rebuild of each language walked the folder and made a File of
    each file (its addresses from path arithmetic, its place in the site from the exclusion patterns):
    a tenth of a rebuild at 10,000 documents. The folder is still walked (20 ms), so a file added or
    removed is seen; while the same files are there with the same settings, each rebuild gets copies of
    the Files the first walk made (MkDocs and the plugins then set pages and addresses on their own copy)."""
    made = mkdocs_build.get_files
    if getattr(made, "remembered", None) is not None:
        return
    kept: dict[tuple, tuple[list, list[File]]] = {}  # settings -> (the folder's listing, its Files as made)

    def get_files(config: MkDocsConfig) -> Files:
        key = (config.docs_dir, config.site_dir, config.use_directory_urls, *_settings(config))  # its patterns
        listing = [(folder, sorted(names)) for folder, _, names in sorted(os.walk(config.docs_dir, followlinks=True))]
        known = kept.get(key)
        if known is None or known[0] != listing:
            files = made(config)
            for older in [k for k in kept if k[3:] != key[3:]]:  # made with settings since changed
                del kept[older]
            kept[key] = (listing, [_settled(file) for file in files])
            return files
        return Files([_copy(file) for file in known[1]])

    get_files.remembered = kept  # type: ignore[attr-defined]
    get_files.made = made  # type: ignore[attr-defined]
    mkdocs_build.get_files = get_files


def remember_theme_files() -> None:
    """Let MkDocs find the theme's files once per ``make serve`` session. Every rebuild of each language
    listed every file of the theme's folders and matched each name against its patterns: Material's
    folder holds 14,500 files (its icons). What the theme's own installed folders hold does not change
    while serving; the folder of our overrides is listed again each time (a file added there is seen).
    The theme's templates written as pages (``static_templates``) are not files to copy, and differ
    between runs (only Chinese writes 404.html, a rebuild writes no sitemap: hooks/pages.py): the theme
    is listed once without them, and the files left for each set of them are remembered."""
    made = Files.add_files_from_theme
    if getattr(made, "remembered", None) is not None:
        return
    kept: dict[tuple, tuple[list[File], dict[frozenset[str], list[File]]]] = {}  # settings -> (all, per set)

    def add_files_from_theme(files: Files, env: Environment, config: MkDocsConfig) -> None:
        theme = config.theme
        overrides = sorted((folder, sorted(names)) for folder, _, names in os.walk(theme.custom_dir or os.devnull))
        key = (tuple(theme.dirs), config.site_dir, config.use_directory_urls, repr(overrides), *_settings(config))
        if key not in kept:
            kept[key] = (_theme_files(made, env, config), {})
        every, per_set = kept[key]
        templates = frozenset(theme.static_templates)
        if templates not in per_set:
            per_set[templates] = [
                file for file in every if not any(fnmatch.fnmatch(file.src_uri.lower(), t) for t in templates)
            ]
        for model in per_set[templates]:
            if files.get_file_from_path(model.src_uri) is None:  # the docs folder's own file wins
                files.append(_copy(model))

    add_files_from_theme.remembered = kept  # type: ignore[attr-defined]
    add_files_from_theme.made = made  # type: ignore[attr-defined]
    Files.add_files_from_theme = add_files_from_theme  # type: ignore[method-assign,assignment]


def _theme_files(made: Callable, env: Environment, config: MkDocsConfig) -> list[File]:
    """MkDocs' files of the theme (``made``), its static templates included, kept as models: what every
    build asks of each computed once (its place in the site by the settings' exclusion patterns, which
    MkDocs matched against every theme file after the plugins' ``on_files``; its addresses)."""
    templates = set(config.theme.static_templates)
    config.theme.static_templates.clear()
    try:
        found = Files([])
        made(found, env, config)
    finally:
        config.theme.static_templates.update(templates)
    set_exclusions(found, config)
    return [_settled(file) for file in found]


def _settled(file: File) -> File:
    """A copy of ``file`` with what every build asks of it computed: each copy of the copy has it."""
    file.name, file.url, file.abs_src_path, file.abs_dest_path  # noqa: B018
    return _copy(file)


def _copy(model: Any) -> Any:
    """A shallow copy of ``model``: copy.copy without its generic protocol (a tenth of a rebuild where it
    copied the i18n files)."""
    new = object.__new__(type(model))
    new.__dict__.update(model.__dict__)
    return new


def lighter_pages() -> None:
    """Make MkDocs' pages cheaper to make during a ``make serve`` session. Every rebuild makes a Page for
    every file of every language (44,000 at 10,000 documents), and each asked the clock and the
    environment for the build's date (``SOURCE_DATE_EPOCH``) and parsed the site's address and its own to
    set its canonical address: a sixth of a rebuild. The date is asked once a second; a page's canonical
    address is remembered for its (site address, page address)."""
    if getattr(mkdocs_pages.Page._set_canonical_url, "remembered", None) is not None:
        return
    build_date, set_canonical_url = mkdocs_pages.get_build_date, mkdocs_pages.Page._set_canonical_url
    date: list = [None, None]  # the second it was asked in, the date

    def get_build_date() -> str:
        if date[0] != (now := int(time.time())):
            date[:] = [now, build_date()]
        return date[1]

    addresses: dict[tuple[str | None, str], tuple[str | None, str | None]] = {}

    def _set_canonical_url(page: mkdocs_pages.Page, base: str | None) -> None:
        known = addresses.get(key := (base, page.url))
        if known is None:
            set_canonical_url(page, base)
            known = addresses[key] = (page.canonical_url, page.abs_url)
        page.canonical_url, page.abs_url = known

    _set_canonical_url.remembered = addresses  # type: ignore[attr-defined]
    _set_canonical_url.made = set_canonical_url  # type: ignore[attr-defined]
    mkdocs_pages.get_build_date = get_build_date
    mkdocs_pages.Page._set_canonical_url = _set_canonical_url  # type: ignore[method-assign,assignment]


def _per_settings(made: property) -> property:
    """A property of the i18n plugin computed from its settings (``self.config``) once per settings."""
    kept: dict[int, tuple] = {}  # id(plugin) -> (its settings then, the value)

    assert made.fget is not None
    compute = made.fget

    def get(plugin):
        settings, value = kept.get(id(plugin), (None, None))
        if settings is not plugin.config:
            value = compute(plugin)
            kept[id(plugin)] = (plugin.config, value)
        return list(value) if isinstance(value, list) else value  # the caller's own list, as before

    return property(get)


# When make serve collects the garbage of a rebuild (collect_when_idle): after this many seconds without
# another, or this many after one that followed a rebuild whose garbage is still there.
QUIET_S = 2.0
SHOWN_S = 0.5  # the browser, told to reload, has fetched the page


def collect_when_idle(kb: KnowledgeBase) -> None:
    """At the end of a build of ``make serve``: collect its garbage when nothing waits for the interpreter.
    A serving process holds millions of objects (the last build's catalogue and pages, every file's
    facts, the i18n copies, compiled templates), and Python's own collections, run whenever enough
    objects were made, went through them again and again during a rebuild (29 % of a rebuild at
    10,000 documents before the site read was frozen), more after a rebuild whose garbage was still
    there. So after the first build they are off for the session, and the garbage is collected here,
    between rebuilds: ``QUIET_S`` after a rebuild when no other followed (the reader is reading the
    page; an edit saved sooner gets its rebuild first), or ``SHOWN_S`` after one that followed a
    rebuild whose garbage is still there, so that no more than two rebuilds' garbage is ever held
    (:func:`rebuild_starts`). A collection holds the interpreter for a second or two at 10,000
    documents: an edit saved meanwhile waits. What the first build's validation read stays frozen
    (kb.validate freezes it): the files' facts, which the session keeps, are left out of every
    collection."""
    if kb.collector is not None:
        kb.collector.cancel()
    if all(stale is None for stale in kb.stale.values()):  # the first build (it took minutes): at once
        _collect(kb)
        gc.disable()
        return
    kb.collector = threading.Timer(SHOWN_S if kb.uncollected > 1 else QUIET_S, _collect, (kb,))
    kb.collector.daemon = True
    kb.collector.start()


def rebuild_starts(kb: KnowledgeBase) -> None:
    """A rebuild of ``make serve`` begins: a collection not yet begun waits for the next quiet moment
    (:func:`collect_when_idle`), unless the garbage of two rebuilds is waiting already (after rebuilds
    that failed, which end without one): it is collected now."""
    if not (kb.serving and kb.built):
        return
    if kb.collector is not None:
        kb.collector.cancel()
    kb.uncollected += 1
    if kb.uncollected > 2:
        _collect(kb)
        kb.uncollected = 1


def _collect(kb: KnowledgeBase) -> None:
    gc.collect()
    kb.uncollected = 0
