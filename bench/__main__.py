"""``make bench``: the knowledge base at N documents against a plain Material build of the same documents.

    python -m bench [N ...] [--no-reference] [--no-serve] [--no-browser]

For each N: a synthetic corpus (:mod:`bench.corpus`) in ``bench/work/N/docs``; the wall time and peak
memory (of the whole process tree, :mod:`bench.treemem`, and of the largest single process) of
``python -m kb check`` and of the public build (``python -m kb build``, its phases timed by
:mod:`bench.timed_build`); output size, HTML page sizes by page type, search index size
(:mod:`bench.sizes`); search in Chromium (:mod:`bench.browser`); how long ``make serve`` takes to show
an edit (:mod:`bench.serve`); and the same measures for a plain Material site of the same documents.
Prints a table with ratios and the targets of issues 8 and 17, and writes ``bench/results.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from bench import browser, serve
from bench.corpus import BENCH_DATE, generate
from bench.report import print_report
from bench.sizes import site_sizes
from bench.treemem import Elsewhere, TreePeak
from kb.data import PROJECT_ROOT, load_vocabulary
from kb.validate import validate

WORK = PROJECT_ROOT / "bench" / "work"
RESULTS = PROJECT_ROOT / "bench" / "results.json"
MB = 1024 * 1024
INDEXED = re.compile(r"Pagefind 搜索索引已生成（(\w+)）：用时 ([\d.]+) 秒")  # hooks/search.py's log line
# A plain Material site: every document in the navigation (MkDocs lists all pages when there is no
# `nav`), the built-in search, no hooks, no i18n; the Markdown extensions the documents use.
PLAIN_CONFIG = """site_name: Plain Material reference
docs_dir: ../docs
theme:
  name: material
  language: zh
  font: false
plugins:
  - search
markdown_extensions:
  - admonition
  - attr_list
  - def_list
  - footnotes
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.details
  - pymdownx.superfences
"""


def run(command: list[str], log: Path, env: dict) -> dict:
    """Run ``command`` to the end: wall and CPU seconds, peak memory (MB) of the whole process tree and
    of its largest single process, exit status, and the load average when it started (other work on the
    machine slows the wall time)."""
    load = os.getloadavg()[0]
    start = time.perf_counter()
    with open(log, "w", encoding="utf-8") as out:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        with TreePeak(process.pid) as tree:
            _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    one_process = usage.ru_maxrss / 1024  # the largest of the process and its waited-for descendants
    return {
        "seconds": time.perf_counter() - start,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        # The tree is sampled; a single process's peak is exact, and the tree held at least that much.
        "peak_mb": max(tree.peak_bytes / MB, one_process),
        "peak_mb_one_process": one_process,
        "load_before": load,
        "status": process.returncode,
        "log": str(log.relative_to(PROJECT_ROOT)),
    }


def timed_build(tool_args: list[str], work: Path, name: str, env: dict) -> dict:
    report = work / f"{name}-timings.json"
    result = run([sys.executable, "-m", "bench.timed_build", str(report), *tool_args], work / f"{name}.log", env)
    if result["status"] != 0:
        raise SystemExit(f"{name} build failed, see {result['log']}")
    split = phases(json.loads(report.read_text(encoding="utf-8")), result["seconds"])
    # The knowledge base indexes each language in a process of its own while the build goes on.
    log = (work / f"{name}.log").read_text(encoding="utf-8")
    split["background"] = {f"search index {lang}, alongside": float(seconds) for lang, seconds in INDEXED.findall(log)}
    return result | {"phases": split}


def phases(timings: dict, wall: float) -> dict:
    """Wall time split: validation, MkDocs per language, search index, and the rest (start-up, config)."""
    spans = timings["spans"]
    own = {s["lang"]: s["seconds"] for s in spans if s["depth"] > 0}
    for span in spans:
        if span["depth"] == 0:
            own[span["lang"]] = span["seconds"] - sum(s["seconds"] for s in spans if s["depth"] == 1)
    out: dict[str, float] = defaultdict(float)
    by_origin: dict[str, float] = defaultdict(float)
    for event in timings["events"]:
        origin, seconds = event["origin"], event["seconds"]
        by_origin[origin] += seconds
        if origin == "kb" and event["event"] == "config":  # the knowledge base plugin (hooks/plugin.py)
            bucket = "validation"
        elif origin == "kb" and event["event"] == "post_build":
            bucket = "search index, feeds, redirects"
        elif "search" in origin or "pagefind" in origin:
            bucket = "search index"
        else:
            continue
        out[bucket] += seconds
        own[event["lang"]] -= seconds
    for lang, seconds in own.items():
        out[f"MkDocs {lang}"] = seconds
    out["loading mkdocs.yml and plugins"] = timings["config_seconds"]
    if timings["after_mkdocs_seconds"]:
        out["replacing the previous site"] = timings["after_mkdocs_seconds"]
    out["start-up, imports, other"] = wall - sum(out.values())
    return {
        "split": dict(out),
        "events_by_origin": dict(sorted(by_origin.items(), key=lambda kv: -kv[1])),
        "external": timings["steps"],
    }


def queries(docs: Path) -> list[str]:
    """Words readers type, and the 文号 of a public document in this corpus."""
    catalog, _ = validate(docs, today=BENCH_DATE)
    numbered = sorted(
        d.meta["doc_number"] for d in catalog.documents.values() if d.is_public and d.meta.get("doc_number")
    )
    return ["联席会议", "专项资金", "红色故事会", "网格员", numbered[len(numbered) // 2]]


def measure(n: int, args: argparse.Namespace, env: dict) -> dict:
    """Every measure of N documents, and how much other work the machine did meanwhile."""
    with Elsewhere() as elsewhere:
        result = _measure(n, args, env)
    result["elsewhere"] = {
        "seconds": elsewhere.seconds,
        "cpu_seconds": elsewhere.cpu_seconds,
        "stolen_seconds": elsewhere.stolen_seconds,
        "cpus": os.cpu_count(),
    }
    return result


def _measure(n: int, args: argparse.Namespace, env: dict) -> dict:
    work = WORK / str(n)
    docs = work / "docs"
    work.mkdir(parents=True, exist_ok=True)
    sections = set(load_vocabulary().sections)
    print(f"\n== N = {n}: corpus", flush=True)
    start = time.perf_counter()
    corpus = generate(n, docs) | {"seconds": time.perf_counter() - start}
    result: dict = {"n": n, "corpus": corpus}
    print("== kb check: the first, then after an edit of one document", flush=True)
    command = [sys.executable, "-m", "kb", "check", "--docs", str(docs)]
    first = run(command, work / "check-first.log", env)
    if first["status"] != 0:
        raise SystemExit(f"the corpus does not pass kb check, see {first['log']}")
    edited = next(p for p in sorted(docs.glob("policies/*.md")) if ".en." not in p.name)
    original = edited.read_bytes()
    edited.write_bytes(original + "\n\n本段为基准测试的修改。\n".encode())
    try:
        check = run(command, work / "check.log", env)  # what an editor waits for, check after check
    finally:
        edited.write_bytes(original)
    if check["status"] != 0:
        raise SystemExit(f"the edited corpus does not pass kb check, see {check['log']}")
    result["check"] = check | {"first": first}
    print("== public build (python -m kb build)", flush=True)
    site = work / "site"
    shutil.rmtree(site, ignore_errors=True)  # both builds start without a previous site, as on a fresh clone
    kb = timed_build(
        ["kb", "build", "--audience", "public", "--docs", str(docs), "--site-dir", str(site)], work, "kb-build", env
    )
    kb["site"] = site_sizes(site, sections)
    result["kb"] = kb
    search_queries = queries(docs)
    if args.browser:
        print("== search in Chromium", flush=True)
        kb["search"] = browser.measure(site, search_queries)
    if args.serve and n <= args.serve_max:
        print("== make serve: time to show an edit", flush=True)
        document = next(p for p in sorted(docs.glob("policies/*.md")) if ".en." not in p.name)
        result["serve"] = serve.measure(docs, document.relative_to(docs).as_posix(), env, work / "serve.log")
    if args.reference and n <= args.reference_max:
        print("== plain Material reference", flush=True)
        (work / "plain").mkdir(exist_ok=True)
        (work / "plain" / "mkdocs.yml").write_text(PLAIN_CONFIG, encoding="utf-8")
        plain_site = work / "plain" / "site"
        shutil.rmtree(plain_site, ignore_errors=True)
        plain = timed_build(
            ["mkdocs", "build", "-q", "-f", str(work / "plain" / "mkdocs.yml"), "-d", str(plain_site)],
            work,
            "plain-build",
            env,
        )
        plain["site"] = site_sizes(plain_site, sections)
        if args.browser:
            print("== plain Material search in Chromium", flush=True)
            plain["search"] = browser.measure(plain_site, search_queries)
        result["plain"] = plain
        if not args.keep:
            shutil.rmtree(plain_site)  # gigabytes at large N
    return result


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False).stdout.strip()


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    commit = _git("rev-parse", "--short", "HEAD") + (
        " with uncommitted changes" if _git("status", "--porcelain") else ""
    )
    try:
        import jieba  # noqa: F401 - Material's search segments Chinese with it when it is installed

        jieba_installed = True
    except ImportError:
        jieba_installed = False
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(memory / 1024 / 1024, 1),
        "python": platform.python_version(),
        "commit": commit,
        "jieba_installed": jieba_installed,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[2000])
    parser.add_argument("--no-reference", dest="reference", action="store_false", help="skip the plain Material build")
    parser.add_argument(
        "--reference-max",
        type=int,
        default=5000,
        help="largest N for the plain Material build (its output grows as N², default 5000)",
    )
    parser.add_argument("--no-serve", dest="serve", action="store_false", help="skip the make serve measure")
    parser.add_argument(
        "--serve-max",
        type=int,
        default=10000,
        help="largest N for the make serve measure (its first build is a whole build again; its target is at 10,000)",
    )
    parser.add_argument("--no-browser", dest="browser", action="store_false", help="skip the search measure")
    parser.add_argument("--keep", action="store_true", help="keep the plain Material site")
    args = parser.parse_args(argv)
    env = dict(os.environ, KB_BUILD_DATE=BENCH_DATE.isoformat(), KB_AUDIENCE="public", NO_MKDOCS_2_WARNING="1")
    env.pop("KB_DOCS_DIR", None)
    results = {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": machine(),
        "build_date": BENCH_DATE.isoformat(),
        "runs": [],
    }
    for n in sorted(set(args.sizes)):
        results["runs"].append(measure(n, args, env))
        RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    ok = print_report(results)
    print(f"\nresults: {RESULTS.relative_to(PROJECT_ROOT)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
