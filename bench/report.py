"""The benchmark's table: one block per N with ratios to plain Material and the HTML page sizes by page
type, growth rates, and the targets of issues 8 and 17."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from bench.sizes import PAGE_LIMIT_BYTES, PAGE_TYPES

KB_ = 1024
MB = 1024 * 1024
SHARED_SHARE = 0.05  # of the machine's processors, used by others while a size was measured
SERVE_LIMIT_S = 5.0  # "a change to one document shows in the browser within a few seconds"
Target = tuple[str, str, bool | None]  # (target, measured, met); met is None when the run cannot judge it


def _s(seconds) -> str:
    if seconds is None:
        return "–"
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"


def _b(size) -> str:
    if size is None:
        return "–"
    if size >= 10 * MB:
        return f"{size / MB:.0f} MB"
    return f"{size / MB:.1f} MB" if size >= MB else f"{size / KB_:.0f} KB"


def _ratio(ours, theirs) -> str:
    return f"{ours / theirs:.2f}" if ours is not None and theirs else ""


def _row(label: str, ours: str, theirs: str = "", ratio: str = "") -> str:
    return f"{label:<36}{ours:>22}{theirs:>22}{ratio:>8}"


def _search(search: dict | None, key: str, unit) -> str:
    if not search:
        return "–"
    if search["unanswered"]:
        return f"no result: {len(search['unanswered'])}"
    return f"{unit(search['median_' + key])} / {unit(search['max_' + key])}"


def elsewhere(other: dict) -> list[str]:
    """What else the machine did while this N was measured (bench.treemem.Elsewhere): a line, and a
    warning when other processes or the host took more than :data:`SHARED_SHARE` of its processors."""
    capacity = other["seconds"] * other["cpus"]
    share = (other["cpu_seconds"] + other["stolen_seconds"]) / capacity if capacity else 0
    lines = [
        f"Other work meanwhile: other processes {other['cpu_seconds']:.1f} CPU s, taken by the host "
        f"{other['stolen_seconds']:.1f} s, in {other['seconds']:.0f} s on {other['cpus']} cores ({share:.0%})"
    ]
    if share > SHARED_SHARE:
        lines.append(
            "WARNING: the machine was not the benchmark's alone; its seconds are not comparable with another run's"
        )
    return lines


def run_block(run: dict) -> list[str]:
    corpus, kb, plain = run["corpus"], run["kb"], run.get("plain")
    sections = ", ".join(f"{k} {v}" for k, v in corpus["by_section"].items())
    lines = [
        f"N = {run['n']:,} documents ({sections}; {corpus['internal']} internal, "
        f"{corpus['translations']} translated), Markdown {_b(corpus['total_bytes'])}",
        _row("", "knowledge base", "plain Material" if plain else "", "ratio" if plain else ""),
    ]
    if "elsewhere" in run:
        lines[1:1] = elsewhere(run["elsewhere"])
    ps = plain["phases"]["split"] if plain else {}
    lines.append(_row("kb check after an edit (make check)", _s(run["check"]["seconds"])))
    if "first" in run["check"]:
        lines.append(_row("kb check, the first (no kept facts)", _s(run["check"]["first"]["seconds"])))
    lines.append(
        _row(
            "public build, wall",
            _s(kb["seconds"]),
            _s(plain and plain["seconds"]),
            _ratio(kb["seconds"], plain and plain["seconds"]),
        )
    )
    lines.append(
        _row(
            "  CPU time (user + system)",
            _s(kb["cpu_seconds"]),
            _s(plain and plain["cpu_seconds"]),
            _ratio(kb["cpu_seconds"], plain and plain["cpu_seconds"]),
        )
    )
    lines.append(
        _row("  load average at start", f"{kb['load_before']:.1f}", f"{plain['load_before']:.1f}" if plain else "")
    )
    for phase, seconds in kb["phases"]["split"].items():
        lines.append(_row(f"  {phase}", _s(seconds), _s(ps.get(phase)) if phase in ps else ""))
    for phase in (p for p in ps if p not in kb["phases"]["split"]):
        lines.append(_row(f"  {phase}", "", _s(ps[phase])))
    for phase, seconds in kb["phases"].get("background", {}).items():
        lines.append(_row(f"  ({phase})", _s(seconds)))
    lines.append(
        _row(
            "peak memory, build (process tree)",
            f"{kb['peak_mb']:.0f} MB",
            f"{plain['peak_mb']:.0f} MB" if plain else "",
            _ratio(kb["peak_mb"], plain and plain["peak_mb"]),
        )
    )
    if "peak_mb_one_process" in kb:
        lines.append(
            _row(
                "  largest single process",
                f"{kb['peak_mb_one_process']:.0f} MB",
                f"{plain['peak_mb_one_process']:.0f} MB" if plain else "",
            )
        )
    site, psite = kb["site"], plain and plain["site"]
    lines.append(
        _row(
            "output",
            f"{_b(site['bytes'])}, {site['files']:,} files",
            f"{_b(psite['bytes'])}, {psite['files']:,} files" if psite else "",
            _ratio(site["bytes"], psite and psite["bytes"]),
        )
    )
    lines.append(
        _row(
            "document page HTML, median",
            _b(site["document_median_bytes"]),
            _b(psite["document_median_bytes"]) if psite else "",
            _ratio(site["document_median_bytes"], psite and psite["document_median_bytes"]),
        )
    )
    lines.append(
        _row(
            "document page HTML, largest",
            _b(site["document_max_bytes"]),
            _b(psite["document_max_bytes"]) if psite else "",
        )
    )
    lines.append(_row("largest page", f"{_b(site['largest_page_bytes'])} {site['largest_page']}"))
    lines.append(
        _row(
            "search index",
            f"{_b(site['search_index_bytes'])} {site['search_engine']}",
            f"{_b(psite['search_index_bytes'])} {psite['search_engine']}" if psite else "",
            _ratio(site["search_index_bytes"], psite and psite["search_index_bytes"]),
        )
    )
    for key, label, unit in (
        ("ms", "first result, median / slowest", lambda v: f"{v:.0f} ms"),
        ("bytes", "bytes per query, median / most", _b),
    ):
        lines.append(
            _row(label, _search(kb.get("search"), key, unit), _search(plain.get("search"), key, unit) if plain else "")
        )
        for way, name in (
            ("page", "  search page, from a page of the site"),
            ("cold", "  search page, first of a visit, no gzip label"),
        ):
            if kb.get("search", {}).get(way):
                lines.append(_row(name, _search(kb["search"][way], key, unit)))
    if run.get("serve"):
        serve = run["serve"]
        shown = ", ".join(_s(s) for s in serve["edits"]) or "–"
        lines.append(_row("make serve: first build", _s(serve.get("first_build_s"))))
        lines.append(_row("make serve: edit shown after", shown))
    return lines + page_type_table(site)


def page_type_table(site: dict) -> list[str]:
    """HTML pages of the knowledge base's site by type (bench/sizes.py), and those over 150 KB."""
    types = site.get("page_types")
    if not types:
        return []
    lines = [f"\n{'HTML pages by type':<20}{'pages':>8}{'median':>10}{'95 %':>10}{'largest':>10}  largest page"]
    for kind in (k for k in PAGE_TYPES if k in types):
        t = types[kind]
        lines.append(
            f"  {kind:<18}{t['count']:>8,}{_b(t['median_bytes']):>10}{_b(t['p95_bytes']):>10}"
            f"{_b(t['max_bytes']):>10}  {t['largest']}"
        )
    over = site["pages_over_150kb"]
    listed = ", ".join(over["paths"][:3]) + (", …" if over["count"] > 3 else "")
    lines.append(f"pages over {_b(PAGE_LIMIT_BYTES)}: {over['count']:,}" + (f" ({listed})" if listed else ""))
    return lines


def growth(runs: list[dict]) -> list[str]:
    lines = []
    for small, large in itertools.pairwise(runs):
        factor = large["n"] / small["n"]
        parts = [
            f"{label} ×{get(large) / get(small):.2f}"
            for label, get in (
                ("build", lambda r: r["kb"]["seconds"]),
                ("check", lambda r: r["check"]["seconds"]),
                ("output", lambda r: r["kb"]["site"]["bytes"]),
                ("memory", lambda r: r["kb"]["peak_mb"]),
            )
        ]
        lines.append(f"{small['n']:,} → {large['n']:,} documents (×{factor:.2f}): " + ", ".join(parts))
    return lines


def targets(runs: list[dict]) -> list[Target]:
    """(target, measured, met) for each target of issue 8; met is None when this run cannot tell."""
    by_n = {r["n"]: r for r in runs}
    out = []
    at = by_n.get(2000)
    plain = at and at.get("plain")
    out.append(
        (
            "public build ≤ 0.2 × plain Material at 2,000",
            f"{at['kb']['seconds'] / plain['seconds']:.2f} ×" if plain else "needs N=2000 with the reference",
            at["kb"]["seconds"] <= 0.2 * plain["seconds"] if plain else None,
        )
    )
    largest = max(r["kb"]["site"]["document_max_bytes"] for r in runs)
    out.append(("document page ≤ 60 KB of HTML at every N", f"largest {_b(largest)}", largest <= 60 * KB_))
    out.append(
        (
            "make check ≤ 3 s at 2,000",
            _s(at["check"]["seconds"]) if at else "needs N=2000",
            at["check"]["seconds"] <= 3 if at else None,
        )
    )
    searched = at and at["kb"].get("search")
    if searched:
        slowest, most, unanswered = (
            searched["max_ms"] or float("inf"),
            searched["max_bytes"] or float("inf"),
            len(searched["unanswered"]),
        )
        page = searched.get("page")
        out.append(
            (
                "search ≤ 500 ms and ≤ 500 KB per query at 2,000",
                (
                    f"header box: slowest {slowest:.0f} ms, most {_b(most)}"
                    if page
                    else f"slowest {slowest:.0f} ms, most {_b(most)}"
                )
                + (f", {unanswered} unanswered" if unanswered else "")
                + (f" (search page: slowest {page['max_ms']:.0f} ms)" if page and page["max_ms"] else ""),
                slowest <= 500 and most <= 500 * KB_ and not unanswered,
            )
        )
    else:
        out.append(("search ≤ 500 ms and ≤ 500 KB per query at 2,000", "needs N=2000 with the browser", None))
    if 2000 in by_n and 5000 in by_n:
        factor = by_n[5000]["kb"]["seconds"] / by_n[2000]["kb"]["seconds"]
        out.append(("build at 5,000 ≤ 2.8 × build at 2,000", f"{factor:.2f} ×", factor <= 2.8))
    else:
        out.append(
            ("build at 5,000 ≤ 2.8 × build at 2,000", 'needs N=2000 and N=5000 (make bench N="2000 5000")', None)
        )
    served = at and at.get("serve")
    if served:
        worst = None if None in served["edits"] else max(served["edits"])
        out.append(
            (
                f"make serve shows an edit within {SERVE_LIMIT_S:.0f} s at 2,000",
                _s(worst) if worst else "never shown",
                worst is not None and worst <= SERVE_LIMIT_S,
            )
        )
    return out


def _judged_at(
    n: int, name: str, runs: list[dict], measure: Callable[[dict], tuple[str, bool] | None], needs: str
) -> list[Target]:
    """Rows of a target set for N = ``n``: one per run that has the data (``measure`` gives the measured
    text and whether it meets the target), judged at ``n`` only and shown for information at other N;
    a row saying what is missing when no run at ``n`` has the data."""
    rows: list[Target] = []
    for run in runs:
        if (got := measure(run)) is not None:
            text, met = got
            judged = run["n"] == n
            rows.append((name, f"at {run['n']:,}: {text}" + ("" if judged else " (info)"), met if judged else None))
    if not any(run["n"] == n and measure(run) is not None for run in runs):
        rows.append((name, needs, None))
    return rows


def _largest_page(run: dict) -> tuple[str, bool]:
    site = run["kb"]["site"]
    over = site.get("pages_over_150kb", {}).get("count")
    text = f"{_b(site['largest_page_bytes'])} {site['largest_page']}" + (f", {over:,} over" if over else "")
    return text, site["largest_page_bytes"] <= PAGE_LIMIT_BYTES


def _serve_edit(run: dict) -> tuple[str, bool] | None:
    served = run.get("serve")
    if not served:
        return None
    shown = served.get("change_shown_s")
    return (_s(shown) if shown is not None else "never shown"), shown is not None and shown <= 3


def _header_search(run: dict) -> tuple[str, bool] | None:
    searched = run["kb"].get("search")
    if not searched:
        return None
    median, most, unanswered = searched["median_ms"], searched["max_bytes"], searched["unanswered"]
    if median is None or most is None:
        return f"no result: {len(unanswered)}", False
    text = f"median {median:.0f} ms, most {_b(most)}" + (f", {len(unanswered)} unanswered" if unanswered else "")
    return text, median <= 400 and most <= 400 * KB_ and not unanswered


def _direct_search(run: dict) -> tuple[str, bool] | None:
    cold = (run["kb"].get("search") or {}).get("cold")
    if not cold:
        return None
    if cold["median_ms"] is None:
        return f"no result: {len(cold['unanswered'])}", False
    return f"median {cold['median_ms']:.0f} ms", cold["median_ms"] <= 500 and not cold["unanswered"]


def targets_17(runs: list[dict]) -> list[Target]:
    """The targets of issue 17, each judged at the N it names; other N are shown for information."""
    by_n = {r["n"]: r for r in runs}
    out = _judged_at(20000, "largest HTML page ≤ 150 KB at 20,000", runs, _largest_page, "needs N=20000")
    out += _judged_at(
        10000,
        "build peak memory (process tree) ≤ 1.5 GB at 10,000",
        runs,
        lambda r: (f"{r['kb']['peak_mb'] / 1024:.2f} GB", r["kb"]["peak_mb"] <= 1.5 * 1024),
        "needs N=10000",
    )
    out += _judged_at(
        10000, "make serve shows an edit within 3 s at 10,000", runs, _serve_edit, "needs N=10000 with serve"
    )
    if 10000 in by_n and 20000 in by_n:
        factor = by_n[20000]["kb"]["seconds"] / by_n[10000]["kb"]["seconds"]
        out.append(("build at 20,000 ≤ 2.1 × build at 10,000", f"{factor:.2f} ×", factor <= 2.1))
    else:
        out.append(("build at 20,000 ≤ 2.1 × build at 10,000", "needs N=10000 and N=20000 (make bench-full)", None))
    out += _judged_at(
        20000,
        "make check ≤ 5 s at 20,000",
        runs,
        lambda r: (_s(r["check"]["seconds"]), r["check"]["seconds"] <= 5),
        "needs N=20000",
    )
    out += _judged_at(
        20000,
        "header search ≤ 400 ms median, ≤ 400 KB a query at 20,000",
        runs,
        _header_search,
        "needs N=20000 with the browser",
    )
    out += _judged_at(
        20000,
        "search page opened directly ≤ 500 ms at 20,000",
        runs,
        _direct_search,
        "needs N=20000 with the browser",
    )
    return out


def _print_targets(title: str, verdicts: list[Target]) -> None:
    print(f"\n{title}")
    previous = None
    for name, measured, met in verdicts:
        mark = {True: "ok", False: "MISSED", None: "–"}[met]
        print(f"{name if name != previous else '':<59}{measured:<66} {mark}")
        previous = name


def print_report(results: dict) -> bool:
    """Print the whole report; True when every target that this run can judge is met."""
    m = results["machine"]
    print(
        f"\nMachine: {m['cpus']} cores, {m['cpu']}, {m['memory_gib']} GiB; Python {m['python']}; commit {m['commit']}; "
        f"built as of {results['build_date']}; jieba {'installed' if m['jieba_installed'] else 'absent'}"
    )
    for run in results["runs"]:
        print()
        print("\n".join(run_block(run)))
    if len(results["runs"]) > 1:
        print("\nGrowth")
        print("\n".join(growth(results["runs"])))
    verdicts = targets(results["runs"])
    _print_targets("Targets of issue 8", verdicts)
    verdicts_17 = targets_17(results["runs"])
    _print_targets("Targets of issue 17 (judged at the N each names; other N for information)", verdicts_17)
    return all(met is not False for _, _, met in verdicts + verdicts_17)
