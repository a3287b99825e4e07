"""``make serve``: what it watches, and how; what its rebuilds need not compute again.

Events: ``on_startup`` (of ``mkdocs serve``): mkdocs-static-i18n's copies of the files are remembered
across rebuilds (:func:`remember_i18n_files`). ``on_serve``: ``make serve`` also rebuilds when a file of ``data/`` changes (the vocabulary is
read again when its files change, :func:`kb.data.load_vocabulary`). And it learns of changes from the
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

import copy
import functools
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File
from mkdocs_static_i18n import reconfigure, suffix
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


def watch_natively(server: LiveReloadServer) -> None:
    """Give ``server`` the operating system's observer, watching what its polling observer watched
    (MkDocs starts the observer after ``on_serve``; watches added later go to the new one). Where
    watchdog has no native observer, its ``Observer`` is the polling one, and nothing changes."""
    native = Observer()
    if isinstance(native, PollingObserver) or server.observer.is_alive():
        return
    watched = dict(server._watched_paths)  # path -> how many times it was asked for (MkDocs 1.6's own state)
    for path, times in watched.items():
        for _ in range(times):
            server.unwatch(path)
    server.observer = native  # type: ignore[assignment]  # MkDocs annotates its PollingObserver; any observer serves
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
    a fifth of a rebuild, pathlib parsing both paths every time)."""
    made = suffix.create_i18n_file
    if getattr(made, "remembered", None) is not None:
        return
    models: dict[tuple, File] = {}

    def create_i18n_file(file: File, current_language: str, default_language: str, all_languages, config) -> File:
        key = (
            file.src_path,
            file.dest_path,
            file.dest_uri,
            file.inclusion,
            current_language,
            default_language,
            tuple(all_languages),
            config.docs_dir,
            config.site_dir,
            config.use_directory_urls,
        )
        model = models.get(key)
        if model is None:
            model = models[key] = made(file, current_language, default_language, all_languages, config)
        new = copy.copy(model)
        new.alternates = {current_language: new}  # type: ignore[union-attr]  # a language's own copy lists itself (as the plugin's does)
        return new

    create_i18n_file.remembered = models  # type: ignore[attr-defined]
    create_i18n_file.made = made  # type: ignore[attr-defined]
    suffix.create_i18n_file = create_i18n_file
    reconfigure.is_relative_to = functools.lru_cache(maxsize=None)(reconfigure.is_relative_to)
