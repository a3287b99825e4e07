"""``make serve``: what it watches, and how; what its rebuilds need not compute again.

Events: ``on_startup`` (of ``mkdocs serve``): mkdocs-static-i18n's copies of the files are remembered
across rebuilds (:func:`remember_i18n_files`). ``on_config``: a rebuild reads the site without
collecting garbage (:func:`reading_without_collection`). ``on_post_build``, at the end of a rebuild:
collect the garbage once the page is shown (:func:`collect_when_idle`).
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

import contextlib
import functools
import gc
import os
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File
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
        new: Any = object.__new__(type(model))  # copy.copy, without its generic protocol (a tenth of a rebuild)
        new.__dict__.update(model.__dict__)
        new.alternates = {current_language: new}  # a language's own copy lists itself (as the plugin's does)
        return new

    create_i18n_file.remembered = models  # type: ignore[attr-defined]
    create_i18n_file.made = made  # type: ignore[attr-defined]
    suffix.create_i18n_file = create_i18n_file
    reconfigure.is_relative_to = functools.lru_cache(maxsize=None)(reconfigure.is_relative_to)
    for name in ("all_languages", "default_language"):
        setattr(reconfigure.ExtendedPlugin, name, _per_settings(getattr(reconfigure.ExtendedPlugin, name)))


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


# Seconds after a rebuild before its garbage is collected: the browser, told to reload, has fetched the page.
IDLE_S = 0.5


def collect_when_idle(kb: KnowledgeBase) -> None:
    """After a rebuild of ``make serve``, when the reader has the page: collect the garbage, then freeze
    what survives. A serving process holds millions of objects (the last build's catalogue and pages,
    the i18n copies, compiled templates); every full collection during a rebuild went through all of
    them again: 29 % of a rebuild at 10,000 documents. Frozen, they are left out of the collections
    during the next rebuild, which then go only through what that rebuild made. The collection runs
    here, while nothing waits, and unfreezes first, so that what the last rebuild left behind is
    collected, not kept. After the first build of the session, at once: it took minutes, and the
    first edit may come sooner than the idle moment."""
    if all(stale is None for stale in kb.stale.values()):  # no language had a previous build: the first
        _collect_and_freeze()
        return
    if kb.collector is not None:
        kb.collector.cancel()
    kb.collector = threading.Timer(IDLE_S, _collect_and_freeze)
    kb.collector.daemon = True
    kb.collector.start()


@contextlib.contextmanager
def reading_without_collection(kb: KnowledgeBase) -> Iterator[None]:
    """In a rebuild of ``make serve``: no collection while the site is read and validated (a new catalogue
    and each file's facts, millions of objects that all live until the next rebuild; the collections
    that went through them were a tenth of a rebuild at 10,000 documents), then they are frozen with
    the rest (:func:`collect_when_idle`). Not in a first build, which reads the site only once."""
    if not (kb.serving and kb.built):
        yield
        return
    if kb.collector is not None:
        kb.collector.cancel()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def _collect_and_freeze() -> None:
    gc.unfreeze()
    gc.collect()
    gc.freeze()
