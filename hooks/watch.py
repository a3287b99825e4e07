"""What ``make serve`` watches, and how.

Events: ``on_serve``. ``make serve`` also rebuilds when a file of ``data/`` changes (the vocabulary is
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

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
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
