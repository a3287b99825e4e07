"""Shared fixtures: real MkDocs builds of a docs tree, per audience, into pytest's tmp_path;
the built sites served over HTTP and driven in Chromium."""

from __future__ import annotations

import datetime as dt
import fcntl
import functools
import http.server
import logging
import os
import shutil
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from chromium import CHROMIUM, CHROMIUM_ARGS
from outputscan import scan_site

from kb.catalog import AUDIENCES

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DOCS = ROOT / "tests" / "fixtures" / "site" / "docs"
BUILD_DATE = "2026-11-28"
TODAY = dt.date.fromisoformat(BUILD_DATE)


def build_site(
    docs_dir: Path,
    site_dir: Path,
    audience: str = "public",
    site_url: str | None = None,
    dirty: bool = False,
    part_pages: int | None = None,
) -> Path:
    """Build ``docs_dir`` with the project's mkdocs.yml (strict) into ``site_dir``; return site_dir.
    Every test build is then read as a browser reads it (tests/outputscan.py): a script, event handler or
    off-site load that should not be there fails the test that built it.
    ``dirty``: as ``make serve`` (re)builds, ``--dirty --no-strict`` (mkdocs-static-i18n reads the flag
    from the command line). ``part_pages``: index the search in parts of that many pages, merged (kb/pfmerge.py)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    env = {"KB_AUDIENCE": audience, "KB_BUILD_DATE": BUILD_DATE, "NO_MKDOCS_2_WARNING": "1"}
    if site_url:
        env["KB_SITE_URL"] = site_url
    if part_pages:
        env["KB_SEARCH_PART_PAGES"] = str(part_pages)
    saved = {key: os.environ.get(key) for key in [*env, "KB_SITE_URL", "KB_SEARCH_PART_PAGES"]}
    os.environ.update(env)
    argv = sys.argv
    sys.argv = [*argv, "--dirty"] if dirty else argv
    try:
        config = load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(docs_dir), site_dir=str(site_dir), strict=not dirty)
        config.plugins.on_startup(command="serve" if dirty else "build", dirty=dirty)  # as the command line does
        build(config, dirty=dirty)
    finally:
        sys.argv = argv
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    findings = scan_site(site_dir, search_index=not dirty)
    if findings:
        raise AssertionError(
            f"the build wrote what a browser would run or fetch from elsewhere ({len(findings)}):\n"
            + "\n".join(findings)
        )
    return site_dir


def built_once(tmp_path_factory, name: str, build: Callable[[Path], None]) -> Path:
    """The folder ``name`` of sites the whole test run shares, made by ``build(folder)`` once. Under
    pytest-xdist the workers share one folder of the run: the first to get here builds while the others
    wait on the lock, then read the same files (a failed build is tried again by the next, and fails alike)."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's folder, above each worker's own
    folder, done = shared / name, shared / f"{name}.built"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder)
            done.touch()
    return folder


def copy_fixture(tmp_path: Path) -> Path:
    """A writable copy of the fixture docs tree, for tests that add or break files."""
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURE_DOCS, docs)
    return docs


@pytest.fixture(scope="session")
def real_sites(tmp_path_factory) -> dict[str, Path]:
    """The shipped docs/ built once per audience (strict, with the search index)."""
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    base = built_once(tmp_path_factory, "real-sites", functools.partial(_per_audience, ROOT / "docs"))
    return {aud: base / aud for aud in AUDIENCES}


@pytest.fixture(scope="session")
def fixture_sites(tmp_path_factory) -> dict[str, Path]:
    """The fixture docs built once per audience: {'public': site_dir, 'internal': site_dir}. Their search
    index is built in parts of 3 pages and merged (kb/pfmerge.py), as a large library's is, so that the
    browser tests search a merged bundle."""
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    base = built_once(tmp_path_factory, "fixture-sites", functools.partial(_per_audience, FIXTURE_DOCS, part_pages=3))
    return {aud: base / aud for aud in AUDIENCES}


def _per_audience(docs: Path, base: Path, **options) -> None:
    for aud in AUDIENCES:
        build_site(docs, base / aud, aud, **options)


# -- real browser: the built sites over HTTP, Chromium through Playwright ---------------------------


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files of one built site; a missing path gets the site's 404.html with status 404,
    as on GitHub Pages and most static hosts, so the 404 page is exercised too. Under a ``prefix``
    (``/kb/``) the site's files are at /kb/… and nothing is outside it, as on a GitHub Pages project site."""

    prefix = "/"

    def log_message(self, format, *args):  # keep pytest output clean
        pass

    def send_head(self):
        if not self.path.startswith(self.prefix):
            self.send_error(404)
            return None
        return super().send_head()

    def translate_path(self, path):
        return super().translate_path("/" + path[len(self.prefix) :])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class SiteServer:
    """A built site served on 127.0.0.1 on a free port, in a thread, at ``prefix`` (``/`` or ``/kb/``).
    The port is taken on creation, so a site can be built for ``base_url`` before it is served."""

    def __init__(self, site_dir: Path, prefix: str = "/"):
        handler = functools.partial(type("Handler", (SiteHandler,), {"prefix": prefix}), directory=str(site_dir))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        host, port = self.httpd.server_address[:2]
        self.netloc = f"{host}:{port}"
        self.base_url = f"http://{self.netloc}{prefix}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name=f"site {self.netloc}", daemon=True)

    def url(self, path: str = "/") -> str:
        return urljoin(self.base_url, path)

    def __enter__(self) -> SiteServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def site_servers(fixture_sites):
    """The fixture sites served over HTTP: {'public': SiteServer, 'internal': SiteServer}."""
    with SiteServer(fixture_sites["public"]) as public, SiteServer(fixture_sites["internal"]) as internal:
        yield {"public": public, "internal": internal}


@pytest.fixture(scope="session")
def paged_site(tmp_path_factory) -> Path:
    """The public fixture site built with two documents a page (kb/listings.py), so that its lists of
    more than two documents have pages and pagers, as a large library's lists have."""
    from kb import listings

    def build(base: Path) -> None:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(listings, "PAGE_SIZE", 2)
            build_site(FIXTURE_DOCS, base / "public")

    return built_once(tmp_path_factory, "paged", build) / "public"


@pytest.fixture(scope="session")
def paged_server(paged_site):
    with SiteServer(paged_site) as server:
        yield server


@pytest.fixture(scope="session")
def typed_server(tmp_path_factory):
    """The public fixture site built with menus of at most two values (kb/pages.py MENU_CHOICES): a
    filter with more is a text box, as the 主体单位 of hundreds of cases are in a large library."""
    from kb import pages

    def build(base: Path) -> None:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(pages, "MENU_CHOICES", 2)
            build_site(FIXTURE_DOCS, base / "public")

    with SiteServer(built_once(tmp_path_factory, "typed", build) / "public") as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through Playwright's sync API. Never skipped: `make browser` installs it."""
    if not CHROMIUM.is_file():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make browser` (apt-get install chromium)", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageGuard:
    """What one page did that a clean site never does: off-site requests, console and page errors,
    responses with status >= 400. Expected failures are declared with ``expect_status``."""

    server: SiteServer
    offsite: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)
    responses: list[tuple[int, str]] = field(default_factory=list)
    expected: set[tuple[str, int]] = field(default_factory=set)
    checked: bool = False

    def expect_status(self, path: str, status: int) -> None:
        """Declare that ``path`` is meant to answer ``status`` (an expected 404 is not an error)."""
        self.expected.add((self.server.url(path), status))

    def _is_expected(self, url: str, status: int | None = None) -> bool:
        return any(u == url and (status is None or s == status) for u, s in self.expected)

    def on_route(self, route) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).netloc != self.server.netloc:
            self.offsite.append(url)
            route.abort("blockedbyclient")
        else:
            route.continue_()

    def watch(self, page) -> None:
        """Record the errors of ``page`` (one more tab of the guarded context)."""
        page.set_default_timeout(10_000)
        page.on("console", self.on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("response", self.on_response)

    def on_console(self, msg) -> None:
        if msg.type != "error":
            return
        # Chromium logs every failed load as a console error; keep it unless that load was expected.
        source = (msg.location or {}).get("url", "")
        if "Failed to load resource" in msg.text and self._is_expected(source):
            return
        self.console_errors.append(f"{msg.text} [{source}]")

    def on_response(self, response) -> None:
        self.responses.append((response.status, response.url))
        if response.status >= 400 and not self._is_expected(response.url, response.status):
            self.bad_responses.append(f"{response.status} {response.request.method} {response.url}")

    def assert_clean(self, page) -> None:
        """Let late requests (search index, sitemaps) finish, then require a spotless record."""
        self.checked = True
        page.wait_for_load_state("networkidle")
        problems = {
            "off-site requests": self.offsite,
            "console errors": self.console_errors,
            "page errors": self.page_errors,
            "responses >= 400": self.bad_responses,
        }
        report = "\n".join(f"{name}:\n  " + "\n  ".join(items) for name, items in problems.items() if items)
        assert not report, f"the site misbehaved in the browser:\n{report}"


# make test runs the suite on every core (pytest-xdist, Makefile PYTEST_WORKERS). A module's tests stay
# together on one worker, so that its module fixtures (most of them builds) are made once; only these
# tests, a minute or two of axe each, go out one by one, and first (in the order collected: xdist would
# otherwise send the modules with the most tests first, and these, one test each, last, the long tail of
# the run). xdist's own --dist loadgroup marks cannot say this under pytest 9: it renames node ids,
# which pytest 9 computes.
SPREAD = ("::test_every_page_type_passes_axe_fits_the_screen_and_marks_its_languages[",)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class ByModule(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return nodeid if any(test in nodeid for test in SPREAD) else nodeid.split("::", 1)[0]

    config.option.loadscopereorder = False
    return ByModule(config, log)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell whether the test passed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def open_page(request, browser, site_servers):
    """``open_page("public")`` -> (page, guard): a fresh browser context on one served site, every
    request routed (anything not on that server is aborted and recorded) and every error collected.
    Each test ends with ``guard.assert_clean(page)``."""
    contexts = []
    guards = []

    def factory(audience: str | SiteServer = "public", **options):
        """``options`` go to the browser context (``viewport``, ``color_scheme``, ...)."""
        server = site_servers[audience] if isinstance(audience, str) else audience
        context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, "locale": "zh-CN", **options})
        contexts.append(context)
        guard = PageGuard(server)
        guards.append(guard)
        context.route("**/*", guard.on_route)
        page = context.new_page()
        guard.watch(page)
        return page, guard

    yield factory
    for context in contexts:
        context.close()
    call = getattr(request.node, "report_call", None)
    if call is not None and call.passed:
        unchecked = [g.server.base_url for g in guards if not g.checked]
        assert not unchecked, "a browser test ended without guard.assert_clean(page)"
