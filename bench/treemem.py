"""Peak memory of a whole process tree, for the benchmark: a build is not one process.

``ru_maxrss`` (what :func:`os.wait4` reports) is the peak of the largest single process, but the build
runs Pagefind (a Node script and its Rust binary) alongside itself and ``kb check`` renders in one process
per core. :class:`TreePeak` samples ``/proc`` in a thread while the command runs: the resident memory of
the process and of all its descendants (found through the parent id in ``/proc/<pid>/stat``), summed,
and keeps the largest sum. Pages shared between processes (a forked worker's copy-on-write pages, the
same library mapped twice) count once per process, as ``ps`` and ``top`` count them; a peak shorter
than the sampling interval can be missed. Linux only.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

PROC = Path("/proc")
PAGE = os.sysconf("SC_PAGE_SIZE")


def parents() -> dict[int, int]:
    """Every process's parent id, read from ``/proc/<pid>/stat`` (``pid (comm) state ppid …``; the
    command name may hold spaces and parentheses, so the fields are counted from its closing one)."""
    out = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone since the listing
            continue
        out[int(entry.name)] = int(stat.rpartition(")")[2].split()[1])
    return out


def descendants(pid: int, parent_of: dict[int, int]) -> set[int]:
    """``pid`` and every process below it."""
    children: dict[int, list[int]] = {}
    for child, parent in parent_of.items():
        children.setdefault(parent, []).append(child)
    tree, todo = {pid}, [pid]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in tree:
                tree.add(child)
                todo.append(child)
    return tree


def rss_bytes(pid: int) -> int:
    """Resident memory of one process (``/proc/<pid>/statm``, second field, in pages); 0 once it is gone."""
    try:
        return int((PROC / str(pid) / "statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, now."""
    return sum(rss_bytes(p) for p in descendants(pid, parents()))


class TreePeak:
    """The largest :func:`tree_rss_bytes` of ``pid`` seen while in use, sampled every ``interval`` seconds
    by a daemon thread::

        with TreePeak(process.pid) as tree:
            process.wait()
        tree.peak_bytes
    """

    def __init__(self, pid: int, interval: float = 0.2):
        self.pid = pid
        self.interval = interval
        self.peak_bytes = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"treemem-{pid}", daemon=True)

    def sample(self) -> int:
        """Measure the tree now; returns this sample and keeps the peak."""
        now = tree_rss_bytes(self.pid)
        self.peak_bytes = max(self.peak_bytes, now)
        self.samples += 1
        return now

    def _loop(self) -> None:
        while True:
            self.sample()
            if self._stop.wait(self.interval):
                return

    def __enter__(self) -> TreePeak:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
