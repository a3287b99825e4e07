"""bench/report.py: issue 17's targets are judged only at the N each names; a run at another N shows its
figure for information and can neither meet nor miss them."""

from __future__ import annotations

from bench.report import elsewhere, targets_17

KB_ = 1024


def _run(n, largest_kb, peak_mb=1000, build_s=100.0, check_s=1.0):
    site = {"largest_page": "en/levels/subdistrict/index.html", "largest_page_bytes": largest_kb * KB_}
    return {"n": n, "kb": {"site": site, "peak_mb": peak_mb, "seconds": build_s}, "check": {"seconds": check_s}}


def _rows(verdicts, name):
    return [(measured, met) for target, measured, met in verdicts if target.startswith(name)]


def test_a_large_page_at_2000_is_information_only():
    rows = _rows(targets_17([_run(2000, 700)]), "largest HTML page")
    assert rows == [
        ("at 2,000: 700 KB en/levels/subdistrict/index.html (info)", None),
        ("needs N=20000", None),
    ]


def test_targets_are_judged_at_their_own_n():
    verdicts = targets_17([_run(2000, 700), _run(10000, 120, peak_mb=1600, build_s=100), _run(20000, 149, build_s=230)])
    assert _rows(verdicts, "largest HTML page")[-1] == ("at 20,000: 149 KB en/levels/subdistrict/index.html", True)
    assert [met for _, met in _rows(verdicts, "build peak memory")] == [None, False, None]
    assert _rows(verdicts, "build at 20,000") == [("2.30 ×", False)]
    assert [met for _, met in _rows(verdicts, "make check")] == [None, None, True]
    # No serve and no browser measure: nothing to judge, and the rows say what is missing.
    assert _rows(verdicts, "make serve") == [("needs N=10000 with serve", None)]
    assert _rows(verdicts, "header search") == [("needs N=20000 with the browser", None)]


def test_a_run_on_a_shared_machine_says_so():
    quiet = {"seconds": 100.0, "cpus": 2, "cpu_seconds": 4.0, "stolen_seconds": 1.0}
    assert elsewhere(quiet) == [
        "Other work meanwhile: other processes 4.0 CPU s, taken by the host 1.0 s, in 100 s on 2 cores (2%)"
    ]
    busy = elsewhere(quiet | {"cpu_seconds": 9.0, "stolen_seconds": 3.0})
    assert "(6%)" in busy[0]
    assert busy[1].startswith("WARNING: the machine was not the benchmark's alone")
