"""bench/treemem.py: the benchmark's peak memory counts the whole process tree (the build and the
Pagefind processes it starts), where ``ru_maxrss`` sees only the largest single process."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from bench.treemem import TreePeak, descendants, rss_bytes

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
