"""bench/treemem.py: the benchmark's peak memory counts the whole process tree (the build and the
Pagefind processes it starts), where ``ru_maxrss`` sees only the largest single process."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from bench.treemem import Elsewhere, TreePeak, descendants, processes, rss_bytes, ticks_outside

MIB = 1024 * 1024
# Two children that each fill 100 MiB and hold it until standard input (shared with the parent and
# the test) closes; the parent says "ready" once both hold their memory.
CHILD = "import sys; data = b'x' * (100 * 1024 * 1024); print('held', flush=True); sys.stdin.read()"
PARENT = f"""
import os, subprocess, sys
children = [subprocess.Popen([sys.executable, "-c", {CHILD!r}], stdout=subprocess.PIPE, text=True) for _ in range(2)]
for child in children:
    assert child.stdout.readline() == "held\\n"
print("ready", flush=True)
# Each child's own peak, as ru_maxrss gives it. Not the parent's: a process started from a large one
# (pytest) inherits that one's peak through vfork and exec, and wait4 on the parent would report it.
print(max(os.wait4(child.pid, 0)[2].ru_maxrss for child in children), flush=True)
"""


def test_descendants_walks_the_whole_tree_and_nothing_else():
    parent_of = {1: 0, 10: 1, 11: 10, 12: 10, 13: 12, 20: 1, 21: 20}
    assert descendants(10, parent_of) == {10, 11, 12, 13}
    assert descendants(13, parent_of) == {13}
    assert descendants(99, parent_of) == {99}


def test_a_process_that_is_gone_has_no_memory():
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    assert rss_bytes(process.pid) == 0
    assert rss_bytes(os.getpid()) > 1 * MIB


def test_tree_peak_counts_every_process_where_ru_maxrss_counts_the_largest():
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        with TreePeak(parent.pid, interval=0.01) as tree:
            assert parent.stdout.readline() == "ready\n"
            # Two samples taken by the thread after "ready": the second began while both children held.
            seen = tree.samples
            deadline = time.monotonic() + 60  # a guard against hanging, not a measure
            while tree.samples < seen + 2 and time.monotonic() < deadline:
                time.sleep(0.01)
            assert tree.samples >= seen + 2, "the sampling thread stopped"
            now = tree.sample()
    finally:
        parent.stdin.close()  # the children read the same pipe: end of input ends all three
        largest_child = parent.stdout.readline()
        parent.wait()
        parent.stdout.close()
    assert parent.returncode == 0
    one_process = int(largest_child) * 1024  # ru_maxrss, in KiB
    assert 100 * MIB < one_process < 150 * MIB, "one child: its 100 MiB and an interpreter"
    assert now > 200 * MIB, "both children's 100 MiB, measured now"
    assert tree.peak_bytes >= now
    assert tree.peak_bytes > one_process + 90 * MIB


def test_only_processes_outside_the_tree_count_as_other_work():
    # 1 is the benchmark, 2 its child, 3 a process of someone else's, 4 new since the last sample.
    before = {1: (0, 100), 2: (1, 50), 3: (0, 10)}
    now = {1: (0, 130), 2: (1, 90), 3: (0, 25), 4: (0, 500)}
    assert ticks_outside(1, before, now) == 15
    # A child whose parent is gone is no longer the benchmark's: its work competes with the next measure.
    assert ticks_outside(1, before, {1: (0, 130), 2: (0, 90), 3: (0, 25)}) == 55


# Busy for a second of CPU time, then gone.
BUSY = "import time\nend = time.process_time() + 1\nwhile time.process_time() < end: pass"
# Starts BUSY, says its pid and leaves at once: BUSY's parent is gone, so it is nobody's in this tree.
ORPHAN = (
    "import subprocess, sys; "
    f"print(subprocess.Popen([sys.executable, '-c', {BUSY!r}], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).pid)"
)


def _done(pid: int) -> bool:
    """Whether BUSY ``pid`` has had (nearly) its second of CPU, or is gone (a zombie keeps its ticks)."""
    return processes().get(pid, (0, 95))[1] >= 95


def test_a_busy_orphan_is_other_work_and_a_busy_child_is_not():
    child = subprocess.Popen([sys.executable, "-c", BUSY])
    orphan = int(subprocess.run([sys.executable, "-c", ORPHAN], capture_output=True, text=True, check=True).stdout)
    first = processes()
    before = {pid: first[pid] for pid in (child.pid, orphan) if pid in first}
    assert set(before) == {child.pid, orphan}, "both still busy"
    deadline = time.monotonic() + 60  # a guard against hanging, not a measure
    while not all(processes().get(pid, (0, 0))[1] - ticks > 20 for pid, (_parent, ticks) in before.items()):
        assert time.monotonic() < deadline, "they never got to work"
        time.sleep(0.05)
    now = processes()
    used = {pid: now[pid][1] - ticks for pid, (_parent, ticks) in before.items()}
    child.wait()
    # Only what the two used counts (processes not in ``before`` are new): the orphan's, not the child's.
    assert ticks_outside(os.getpid(), before, now) == used[orphan]
    assert used[child.pid] > 20


def test_elsewhere_adds_up_the_other_work_while_in_use():
    with Elsewhere(interval=0.05) as other:
        orphan = int(subprocess.run([sys.executable, "-c", ORPHAN], capture_output=True, text=True, check=True).stdout)
        deadline = time.monotonic() + 60  # a guard against hanging, not a measure
        while not _done(orphan):
            assert time.monotonic() < deadline, "the orphan never finished"
            time.sleep(0.05)
    # The orphan's second of CPU but what it used before its first sample (other tests' processes,
    # running beside this one under pytest-xdist, may add to it).
    assert other.cpu_seconds >= 0.7
    assert other.stolen_seconds >= 0
    assert other.seconds >= 0.7
