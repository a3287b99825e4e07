"""Peak memory of a whole process tree, for the benchmark: a build is not one process.

``ru_maxrss`` (what :func:`os.wait4` reports) is the peak of the largest single process, but the build
runs Pagefind (a Node script and its Rust binary) alongside itself and ``kb check`` renders in one process
per core. :class:`TreePeak` samples ``/proc`` in a thread while the command runs: the resident memory of
the process and of all its descendants (found through the parent id in ``/proc/<pid>/stat``), summed,
and keeps the largest sum. Pages shared between processes (a forked worker's copy-on-write pages, the
same library mapped twice) count once per process, as ``ps`` and ``top`` count them; a peak shorter
than the sampling interval can be missed. Linux only.

:class:`Elsewhere` measures the other side, whether the machine was the benchmark's alone: the CPU time
of the processes outside the benchmark's tree, and the time the host took from this machine's virtual
processors (``steal`` in ``/proc/stat``), while a size is measured. Seconds measured on a shared machine
are not comparable with another run's (one run wrote the same corpus three times slower than the next).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

PROC = Path("/proc")
PAGE = os.sysconf("SC_PAGE_SIZE")
TICK = os.sysconf("SC_CLK_TCK")  # clock ticks a second, the unit of /proc's CPU times


def processes() -> dict[int, tuple[int, int]]:
    """Every process's parent id and CPU time so far (user and system, in clock ticks), read from
    ``/proc/<pid>/stat`` (``pid (comm) state ppid … utime stime …``; the command name may hold spaces and
    parentheses, so the fields are counted from its closing one)."""
    out = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:  # gone since the listing
            continue
        out[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    return out


def parents(snapshot: dict[int, tuple[int, int]] | None = None) -> dict[int, int]:
    """Every process's parent id, now or in a ``snapshot`` of :func:`processes`."""
    return {pid: parent for pid, (parent, _ticks) in (processes() if snapshot is None else snapshot).items()}


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


def ticks_outside(pid: int, before: dict[int, tuple[int, int]], now: dict[int, tuple[int, int]]) -> int:
    """The CPU ticks that processes outside ``pid``'s tree (as ``now`` places them) used since ``before``,
    both snapshots of :func:`processes`; a process not in ``before`` is new, and counts from the next
    sample on."""
    ours = descendants(pid, parents(now))
    return sum(ticks - before[each][1] for each, (_parent, ticks) in now.items() if each not in ours and each in before)


def stolen_ticks() -> int:
    """Ticks the host has taken from this machine's processors since it started (``steal``, the eighth
    figure of ``/proc/stat``'s first line); 0 where the system does not count it."""
    figures = (PROC / "stat").read_text().split("\n", 1)[0].split()[1:]
    return int(figures[7]) if len(figures) > 7 else 0


class Elsewhere:
    """The CPU seconds of processes outside ``pid``'s tree (this process by default) and the seconds the
    host took (:func:`stolen_ticks`) while in use, sampled every ``interval`` seconds by a daemon thread:
    a process counts from its second sample on, as ours or another's by where it is in the tree then (a
    process left running by an earlier measure, its parent gone, is another's). Work that starts and
    ends between two samples is missed::

        with Elsewhere() as other:
            ...  # the measures
        other.cpu_seconds, other.stolen_seconds, other.seconds
    """

    def __init__(self, pid: int | None = None, interval: float = 0.5):
        self.pid = os.getpid() if pid is None else pid
        self.interval = interval
        self.cpu_seconds = self.stolen_seconds = self.seconds = 0.0
        self._last: dict[int, tuple[int, int]] = {}  # the last snapshot of processes()
        self._stolen = 0
        self._started = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"elsewhere-{self.pid}", daemon=True)

    def sample(self) -> None:
        """Count what the processes outside the tree, and the host, used since the last sample."""
        now = processes()
        self.cpu_seconds += ticks_outside(self.pid, self._last, now) / TICK
        self._last = now
        stolen = stolen_ticks()
        self.stolen_seconds += (stolen - self._stolen) / TICK
        self._stolen = stolen

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self) -> Elsewhere:
        self._started = time.perf_counter()
        self._last = processes()
        self._stolen = stolen_ticks()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()
        self.seconds = time.perf_counter() - self._started
