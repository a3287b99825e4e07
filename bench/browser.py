"""Search as a reader meets it: time to the first result and bytes fetched, in Chromium.

The built site is served over HTTP on 127.0.0.1 without compressing anything, as the worst case of a
static host, except that Pagefind's files, gzip files already, are labelled so as deploy/nginx.conf does.
Chromium is started as the browser tests start it (``tests/chromium.py``: no background networking,
component updates or first-run work competing with the page). Each query gets a fresh browser
context, so nothing of an earlier query is cached. On a site with the knowledge base's search, three
ways in:

- ``header`` (what the targets judge): a reader on a page of the site (the home page, loaded) clicks
  the header's search box and enters the query, as an input method hands over a word; the time runs
  from the box getting the focus, when nothing of Pagefind's is loaded yet, to the first result in
  the box's panel (``[data-kb-search-panel] li``);
- ``page``: the search page (``search/?q=…``) opened from a page of the site, as a shared link or
  Enter in the box opens it (the site's styles and scripts cached, nothing of Pagefind's): the time
  from the start of its navigation to the first ``#kb-search-results li``;
- ``cold``: the same search page as the first page of a visit (an empty cache), with Pagefind's files
  served as GitHub Pages serves them: gzip bytes without ``Content-Encoding``, which Pagefind unzips
  itself (the issue's "search page opened directly", a shared link or the browser's site search).

Otherwise Material's search: the home page is opened, the query typed into the header search box as
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

from tests.chromium import CHROMIUM, CHROMIUM_ARGS  # the browser tests' Chromium and flags

SEARCH_FILES = ("/pagefind/", "search_index.json", "/workers/search")
PAGEFIND_GZIP = re.compile(
    r"/pagefind/(.+/)?[^/]+\.pf_[a-z]+$|/pagefind/wasm\.[a-z-]+\.pagefind$"
)  # as deploy/nginx.conf
KB_RESULTS, MATERIAL_RESULTS = "#kb-search-results li", ".md-search-result__item"
HEADER_BOX, HEADER_RESULTS = "[data-kb-search-input]", "[data-kb-search-panel] li"
# Records when the first result appears, and when the header box gets the focus, in milliseconds
# from the start of the navigation.
WATCH = """([selector, box]) => {
  const seen = () => { if (!window.__kbFirst && document.querySelector(selector)) window.__kbFirst = performance.now(); };
  new MutationObserver(seen).observe(document, {childList: true, subtree: true});
  document.addEventListener("focusin", (event) => {
    if (!window.__kbFocus && event.target.matches(box)) window.__kbFocus = performance.now();
  });
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves the site as deploy/nginx.conf does in one respect that matters to search: Pagefind's gzip
    files go out as they are, labelled ``Content-Encoding: gzip``, for the browser to unzip (unless
    ``label`` is off: GitHub Pages sends them unlabelled)."""

    label = True

    def end_headers(self):
        if self.label and PAGEFIND_GZIP.search(self.path.split("?")[0]):
            self.send_header("Content-Encoding", "gzip")
        super().end_headers()

    def log_message(self, *args):
        pass


class _Unlabelled(_Quiet):
    label = False


def _serve(site: Path, handler: type = _Quiet) -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def has_search_page(site: Path) -> bool:
    page = site / "search" / "index.html"
    return page.is_file() and 'id="kb-search-results"' in page.read_text(encoding="utf-8")


def measure(site: Path, queries: list[str], timeout_s: float = 60) -> dict:
    """Time to first result and search bytes for each query, each way in; medians and maxima."""
    from playwright.sync_api import sync_playwright

    ways = ("header", "page", "cold") if has_search_page(site) else ("material",)
    server, unlabelled = _serve(site), _serve(site, _Unlabelled)
    bases = {way: f"http://127.0.0.1:{(unlabelled if way == 'cold' else server).server_address[1]}/" for way in ways}
    runs = {way: [] for way in ways}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            for query in queries:
                for way in ways:
                    runs[way].append(_query(browser, bases[way], query, way, timeout_s * 1000))
            browser.close()
    finally:
        for each in (server, unlabelled):
            each.shutdown()
            each.server_close()
    if "material" in runs:
        return {"engine": "Material search"} | _summary(runs["material"])
    return {
        "engine": "kb search: header box",
        **_summary(runs["header"]),
        "page": _summary(runs["page"]),
        "cold": _summary(runs["cold"]),
    }


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


def _query(browser, base: str, query: str, way: str, timeout_ms: float) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    fetched = []  # sizes asked for at the end: each asking is a round trip to the browser
    page.on("requestfinished", lambda request: fetched.append(request))
    selector = {"header": HEADER_RESULTS, "material": MATERIAL_RESULTS}.get(way, KB_RESULTS)
    page.add_init_script(f"({WATCH})({[selector, HEADER_BOX]!r})")
    ms = None
    try:
        if way in ("header", "page"):  # the reader is on the site: its styles and scripts are cached
            page.goto(base, wait_until="load")
            fetched.clear()
        if way == "header":
            page.click(HEADER_BOX, timeout=timeout_ms)
            page.fill(HEADER_BOX, query)  # the whole word at once, as an input method gives it
        elif way == "material":
            page.goto(base, wait_until="domcontentloaded")
            page.click(".md-search__input", timeout=timeout_ms)
            page.keyboard.type(query)
        else:
            page.goto(f"{base}search/?q={quote(query)}", wait_until="commit")
        page.wait_for_selector(selector, timeout=timeout_ms)
        page.wait_for_function("() => window.__kbFirst", timeout=timeout_ms)
        ms = page.evaluate(
            "() => window.__kbFirst - (window.__kbFocus || 0)" if way == "header" else "() => window.__kbFirst"
        )
        _settle(page, fetched)
        results = page.locator(selector).count()
    except Exception as err:
        results, error = 0, str(err).splitlines()[0]
    else:
        error = None
    sizes = [(request.url, request.sizes()["responseBodySize"]) for request in fetched]
    search_bytes = sum(size for url, size in sizes if any(part in url for part in SEARCH_FILES))
    context.close()
    return {
        "query": query,
        "ms": ms,
        "bytes": search_bytes,
        "all_bytes": sum(s for _, s in sizes),
        "results": results,
        "error": error,
    }


def _settle(page, fetched: list, quiet_ms: int = 1000, limit_ms: int = 15000) -> None:
    """Wait until no request has finished for ``quiet_ms`` (the fragments of the shown results)."""
    waited, count = 0, -1
    while count != len(fetched) and waited < limit_ms:
        count = len(fetched)
        page.wait_for_timeout(quiet_ms)
        waited += quiet_ms
