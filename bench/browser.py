"""Search as a reader meets it: time to the first result and bytes fetched, in Chromium.

The built site is served over HTTP on 127.0.0.1 without compressing anything, as the worst case of a
static host, except that Pagefind's files, gzip files already, are labelled so as deploy/nginx.conf does.
Chromium is started as the browser tests start it (``tests/conftest.py``: no background networking,
component updates or first-run work competing with the page). Each query gets a fresh browser
context, so nothing of an earlier query is cached:

- the knowledge base's search page (``search/?q=…``, results in ``<ol id="kb-search-results">``) when
  the site has one: the time from the start of that page's navigation to the first
  ``#kb-search-results li``. Measured twice: as a reader on the site searches (the home page opened
  first, so the site's styles and scripts are in the cache, and nothing of Pagefind's), which is what
  the targets judge, and as the first page of a visit (an empty cache);
- otherwise Material's search: the home page is opened, the query typed into the header search box as
  soon as it is there, and the time runs from the start of the navigation to the first
  ``.md-search-result__item``.

Bytes per query are the bytes of the search files fetched (``pagefind/``, ``search/search_index.json``,
Material's search worker) until the network is idle after the first result: index, chunks, fragments.
"""

from __future__ import annotations

import functools
import http.server
import re
import statistics
import threading
from pathlib import Path
from urllib.parse import quote

from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # the browser tests' Chromium and flags

SEARCH_FILES = ("/pagefind/", "search_index.json", "/workers/search")
PAGEFIND_GZIP = re.compile(r"/pagefind/(.+/)?[^/]+\.pf_[a-z]+$|/pagefind/wasm\.[a-z-]+\.pagefind$")  # as deploy/nginx.conf
KB_RESULTS, MATERIAL_RESULTS = "#kb-search-results li", ".md-search-result__item"
# Records when the first result appears, measured from the start of the navigation.
WATCH = """(selector) => {
  const seen = () => { if (!window.__kbFirst && document.querySelector(selector)) window.__kbFirst = performance.now(); };
  new MutationObserver(seen).observe(document, {childList: true, subtree: true});
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves the site as deploy/nginx.conf does in one respect that matters to search: Pagefind's gzip
    files go out as they are, labelled ``Content-Encoding: gzip``, for the browser to unzip."""

    def end_headers(self):
        if PAGEFIND_GZIP.search(self.path.split("?")[0]):
            self.send_header("Content-Encoding", "gzip")
        super().end_headers()

    def log_message(self, *args):
        pass


def _serve(site: Path) -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def has_search_page(site: Path) -> bool:
    page = site / "search" / "index.html"
    return page.is_file() and 'id="kb-search-results"' in page.read_text(encoding="utf-8")


def measure(site: Path, queries: list[str], timeout_s: float = 60) -> dict:
    """Time to first result and search bytes for each query; medians and maxima."""
    from playwright.sync_api import sync_playwright

    kb_page = has_search_page(site)
    server = _serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    runs, cold = [], []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            for query in queries:
                runs.append(_query(browser, base, query, kb_page, timeout_s * 1000, from_site=kb_page))
                if kb_page:
                    cold.append(_query(browser, base, query, kb_page, timeout_s * 1000, from_site=False))
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    result = {"engine": "kb search page" if kb_page else "Material search"} | _summary(runs)
    return result | {"cold": _summary(cold)} if cold else result


def _summary(runs: list[dict]) -> dict:
    found = [r for r in runs if r["ms"] is not None]
    return {
        "queries": runs,
        "median_ms": statistics.median(r["ms"] for r in found) if found else None,
        "max_ms": max(r["ms"] for r in found) if found else None,
        "median_bytes": statistics.median(r["bytes"] for r in found) if found else None,
        "max_bytes": max(r["bytes"] for r in found) if found else None,
        "unanswered": [r["query"] for r in runs if r["ms"] is None],
    }


def _query(browser, base: str, query: str, kb_page: bool, timeout_ms: float, from_site: bool) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    fetched = []  # sizes asked for at the end: each asking is a round trip to the browser
    page.on("requestfinished", lambda request: fetched.append(request))
    selector = KB_RESULTS if kb_page else MATERIAL_RESULTS
    page.add_init_script(f"({WATCH})({selector!r})")
    ms = None
    try:
        if from_site:  # the reader is on the site: its styles and scripts are cached
            page.goto(base, wait_until="load")
            fetched.clear()
        if kb_page:
            page.goto(f"{base}search/?q={quote(query)}", wait_until="commit")
        else:
            page.goto(base, wait_until="domcontentloaded")
            page.click(".md-search__input", timeout=timeout_ms)
            page.keyboard.type(query)
        page.wait_for_selector(selector, timeout=timeout_ms)
        page.wait_for_function("() => window.__kbFirst", timeout=timeout_ms)
        ms = page.evaluate("() => window.__kbFirst")
        _settle(page, fetched)
        results = page.locator(selector).count()
    except Exception as err:  # noqa: BLE001 - a query without results is a measurement, not a crash
        results, error = 0, str(err).splitlines()[0]
    else:
        error = None
    sizes = [(request.url, request.sizes()["responseBodySize"]) for request in fetched]
    search_bytes = sum(size for url, size in sizes if any(part in url for part in SEARCH_FILES))
    context.close()
    return {"query": query, "ms": ms, "bytes": search_bytes, "all_bytes": sum(s for _, s in sizes),
            "results": results, "error": error}


def _settle(page, fetched: list, quiet_ms: int = 1000, limit_ms: int = 15000) -> None:
    """Wait until no request has finished for ``quiet_ms`` (the fragments of the shown results)."""
    waited, count = 0, -1
    while count != len(fetched) and waited < limit_ms:
        count = len(fetched)
        page.wait_for_timeout(quiet_ms)
        waited += quiet_ms
