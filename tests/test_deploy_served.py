"""Deployment, served: each audience built for a sub-path and served as it will be in production.

- ``pages``: the public build for http://127.0.0.1:PORT/kb/, served under /kb/ with nothing outside it
  and the site's 404 page for any missing address, as GitHub Pages serves https://org.github.io/repo/.
- ``intranet``: the internal build for http://127.0.0.1:PORT/kb/, served by Debian's nginx with
  deploy/nginx.conf itself (only listen, root and error_page changed, as its comments tell an operator
  to change them for a sub-path), started on a free port with a private prefix and stopped at the end.

Each site is built for the address it is served at (same host, port and path), so the absolute
addresses a build writes (sitemap, canonical links, the 404 page, feeds, catalog.json) are checked too.
"""

from __future__ import annotations

import gzip
import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections import deque
from pathlib import Path
from urllib.parse import quote, urldefrag, urljoin, urlsplit

import pytest
from conftest import BUILD_DATE, ROOT, SiteServer, build_site
from outputscan import NGINX_CONF
from test_deploy import css_urls, nginx_csp, page_references

from kb.data import DEFAULT_LANGUAGE, LANGUAGES
from kb.site import load_site

NGINX = Path("/usr/sbin/nginx")
PREFIX = "/kb/"
SEARCHES = {"zh": "联席会议", "en": "meeting"}  # a query with results in each language


# -- nginx with deploy/nginx.conf -----------------------------------------------------------------------


def nginx_conf_for(port: int, root: Path, prefix: str) -> str:
    """deploy/nginx.conf with the lines an operator changes: the port (here 127.0.0.1 only), the folder
    and, under a sub-path, the 404 page. Everything else is the shipped file."""
    text = NGINX_CONF.read_text(encoding="utf-8")
    for line, replacement in (
        ("listen 80;", f"listen 127.0.0.1:{port};"),
        ("root /srv/kb/site-internal;", f"root {root};"),
        ("error_page 404 /404.html;", f"error_page 404 {prefix}404.html;"),
    ):
        text, count = re.subn(rf"^(\s*){re.escape(line)}$", rf"\g<1>{replacement}", text, flags=re.M)
        assert count == 1, f"deploy/nginx.conf has no line `{line}`: the test changes only that line"
    return text


def nginx_main_conf(prefix: Path) -> str:
    """nginx's main file for a test, in a private folder: the http block includes the site's file, as
    Debian's /etc/nginx/nginx.conf includes conf.d/*.conf. As root, the workers stay root to read the
    test's private temporary folders."""
    temp = "\n".join(
        f"    {name}_temp_path {prefix}/{name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{'user root;' if os.geteuid() == 0 else ''}\nworker_processes 1;\npid {prefix}/nginx.pid;\n"
        f"events {{ worker_connections 64; }}\nhttp {{\n    include /etc/nginx/mime.types;\n"
        f"    default_type application/octet-stream;\n    access_log off;\n{temp}\n    include {prefix}/kb.conf;\n}}\n"
    )


def run_nginx_test(prefix: Path, site_conf: str) -> subprocess.CompletedProcess:
    prefix.mkdir(parents=True, exist_ok=True)
    (prefix / "kb.conf").write_text(site_conf, encoding="utf-8")
    (prefix / "nginx.conf").write_text(nginx_main_conf(prefix), encoding="utf-8")
    return subprocess.run(nginx_command(prefix, "-t"), capture_output=True, text=True)


def nginx_command(prefix: Path, *args: str) -> list[str]:
    if not NGINX.is_file():
        pytest.fail(f"nginx not found at {NGINX}: run `make deps-system` (apt-get install nginx)", pytrace=False)
    return [str(NGINX), "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log"), *args]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Nginx:
    """nginx serving ``www`` (the site in www/kb/) on 127.0.0.1:port in the foreground, as a child process."""

    def __init__(self, www: Path, prefix: Path, port: int):
        self.www, self.prefix, self.port = www, prefix, port
        self.netloc = f"127.0.0.1:{port}"
        self.base_url = f"http://{self.netloc}{PREFIX}"

    def url(self, path: str = "") -> str:
        return urljoin(self.base_url, path)

    def __enter__(self) -> Nginx:
        checked = run_nginx_test(self.prefix, nginx_conf_for(self.port, self.www, PREFIX))
        assert checked.returncode == 0, checked.stderr
        self.process = subprocess.Popen(nginx_command(self.prefix, "-g", "daemon off;"), stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.__exit__()
        pytest.fail(f"nginx did not start: {(self.prefix / 'error.log').read_text()}", pytrace=False)

    def __exit__(self, *exc) -> None:
        self.process.terminate()  # nginx's fast shutdown; the workers go with the master
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# -- the two targets --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def targets(tmp_path_factory):
    """{"pages": public build served like GitHub Pages, "intranet": internal build served by nginx}, both
    under /kb/, each server object with ``.site`` (the built folder) and ``.audience``."""
    base = tmp_path_factory.mktemp("deploy")
    pages = SiteServer(base / "pages", prefix=PREFIX)  # takes its port now: the build needs the address
    build_site(ROOT / "docs", base / "pages", "public", site_url=pages.base_url)
    intranet = Nginx(base / "www", base / "nginx", free_port())
    build_site(ROOT / "docs", base / "www" / PREFIX.strip("/"), "internal", site_url=intranet.base_url)
    pages.site, pages.audience = base / "pages", "public"
    intranet.site, intranet.audience = base / "www" / PREFIX.strip("/"), "internal"
    with pages, intranet:
        yield {"pages": pages, "intranet": intranet}


def test_nginx_conf_as_shipped_and_with_its_access_examples_passes_nginx_t(tmp_path):
    shipped = NGINX_CONF.read_text(encoding="utf-8")
    # The commented examples of an IP allow-list and basic auth, with their # removed as the file says.
    examples = re.sub(
        r"^([ \t]*)#([ \t]+(?:allow|deny|auth_basic|auth_basic_user_file|satisfy)[ \t])", r"\1\2", shipped, flags=re.M
    )
    enabled = re.findall(r"^[ \t]+(allow|deny|auth_basic|auth_basic_user_file|satisfy)[ \t]", examples, re.M)
    assert sorted(set(enabled)) == ["allow", "auth_basic", "auth_basic_user_file", "deny", "satisfy"], enabled
    for name, text in (("shipped", shipped), ("examples", examples)):
        checked = run_nginx_test(tmp_path / name, text)
        assert checked.returncode == 0 and "test is successful" in checked.stderr, f"{name}: {checked.stderr}"


# -- every link of the built site, crawled ------------------------------------------------------------


def fetch(url: str, **headers: str) -> tuple[int, dict, bytes, str]:
    """(status, headers, body, final url) of a GET, following redirects, without raising on 4xx."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read(), response.url
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read(), url


def addresses(body: bytes, content_type: str, url: str):
    """The addresses a fetched file names, and for a page its references (ids, language links)."""
    text = body.decode("utf-8", errors="replace")
    if content_type.startswith("text/html"):
        page = page_references(text)
        return [ref.url for ref in page.refs], page
    if content_type.startswith("text/css"):
        return css_urls(text), None
    if url.endswith(".xml"):  # sitemap <loc>s and their xhtml:link alternates; Atom <link href>s
        return [a or b for a, b in re.findall(r"<loc>([^<]+)</loc>|href=\"([^\"]+)\"", text)], None
    if url.endswith(".json"):  # catalog.json: every address in it
        return re.findall(r'"(https?://[^"]+)"', text), None
    return [], None


def crawl(server, seeds: list[str], missing: str) -> tuple[dict[str, int], dict, list[str]]:
    """Follow every address on the server's origin from ``seeds`` and from the 404 page served at
    ``missing`` (all relative to the site): ({url: status}, {page url: its references}, broken).
    Broken: a status >= 400 (but 404 for ``missing``), or a #fragment the page it names does not have."""
    statuses, pages, fragments = {}, {}, []
    missing = urljoin(server.base_url, missing)
    queue = deque((None, urljoin(server.base_url, seed)) for seed in [*seeds, missing])
    while queue:
        referrer, url = queue.popleft()
        url, fragment = urldefrag(url)
        if fragment:
            fragments.append((referrer, url, fragment))
        if url in statuses:
            continue
        status, headers, body, final = fetch(url)
        statuses[url] = status
        if status >= 400 and url != missing:
            continue
        found, page = addresses(body, headers.get("Content-Type", ""), final)
        if page is not None:
            pages[url] = page
        for address in found:
            target = urljoin(final, address)
            if urlsplit(target).netloc == server.netloc and urlsplit(target).scheme in ("http", "https"):
                queue.append((url, target))
    broken = [
        f"{status} {url}" for url, status in statuses.items() if status >= 400 and (url, status) != (missing, 404)
    ]
    broken += [
        f"{url}#{fragment} (linked from {referrer}): no such id"
        for referrer, url, fragment in fragments
        if url in pages and fragment not in pages[url].ids
    ]
    return statuses, pages, broken


@pytest.mark.parametrize("name", ["pages", "intranet"])
def test_every_link_works_under_the_sub_path(targets, name):
    """All <a href>, <link href>, <script src>, <img src>, CSS url(), form actions, sitemap, feed and
    catalog addresses, from the home pages, the sitemap and the 404 page: zero broken."""
    server, site = targets[name], targets[name].site
    missing = "no-such-page/"
    feeds = [p.relative_to(site).as_posix() for p in [*site.glob("*.json"), *site.rglob("feed.xml")]]
    statuses, pages, broken = crawl(server, ["", "en/", "sitemap.xml", *feeds], missing)
    assert statuses[server.url(missing)] == 404 and server.url(missing) in pages  # the site's 404 page
    assert not broken, f"{len(broken)} broken under {server.base_url}:\n" + "\n".join(sorted(broken)[:40])
    # Every page of the build was reached, and nothing outside /kb/ was asked for.
    built = {
        server.url(p.parent.relative_to(site).as_posix() + "/").replace("/./", "/") for p in site.rglob("index.html")
    }
    assert built <= set(statuses) and len(built) > 150
    assert all(urlsplit(url).path.startswith(PREFIX) for url in statuses)
    # Every page (the 404 page too) links to itself or its translation in every language, and those
    # addresses answered (a broken one would be listed above); the search form leads to the search pages.
    for url, page in pages.items():
        if not any(ref.kind == "refresh" for ref in page.refs):  # a moved page's old address only redirects
            assert {lang for lang, _ in page.languages} == set(LANGUAGES), url
    assert {server.url("search/"), server.url("en/search/")} <= set(statuses)


# -- every page type in Chromium, both languages ----------------------------------------------------------


def page_types(audience: str) -> dict[str, str]:
    """{kind: address of one page of it in the default language}: every kind of generated page
    (``kb.pages.generated_pages`` and the pages that follow from the documents, as the build makes them),
    the home page, an ordinary page, and a document of each section."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("KB_BUILD_DATE", BUILD_DATE)
        site, problems = load_site(ROOT / "docs", audience, ROOT)
    assert not problems
    kinds = {"home": "", "page": "about/"}
    for generated in sorted(site.generated.values(), key=lambda g: g.src_uri):
        if generated.lang == DEFAULT_LANGUAGE:
            kinds.setdefault(generated.kind, generated.src_uri.removesuffix("index.md"))
    for section in site.vocab.sections:
        kinds[f"document in {section}"] = site.catalog.in_section(section, audience)[0].url_in("zh")
    return kinds


CSP_WATCH = """document.addEventListener("securitypolicyviolation", e =>
    console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`));"""


@pytest.mark.parametrize("name", ["pages", "intranet"])
def test_every_page_type_works_in_both_languages_with_nothing_from_elsewhere(open_page, targets, name):
    """Each page type in each language, with the header's language links pointing at the page in every
    language; search with results; the 404 page. Every request off the server is blocked and counted
    (zero allowed), no response >= 400, no JavaScript error, and behind nginx no Content-Security-Policy
    violation (the event and Chromium's console message both count as console errors)."""
    server = targets[name]
    page, guard = open_page(server)
    page.context.add_init_script(CSP_WATCH)
    kinds = page_types(server.audience)
    assert {"home", "section", "search", "topic", "level", "stats"} <= set(kinds)
    workers = []
    for kind, address in kinds.items():
        for lang in LANGUAGES:
            in_lang = {other: address if other == DEFAULT_LANGUAGE else f"{other}/{address}" for other in LANGUAGES}
            query = f"?q={quote(SEARCHES[lang])}" if kind == "search" else ""
            response = page.goto(server.url(in_lang[lang] + query))
            assert response.status == 200, f"{kind}: {response.status} {page.url}"
            assert page.locator("html").get_attribute("lang") == lang and page.locator("article h1").count(), page.url
            if kind == "search":
                page.wait_for_selector("#kb-search-results > li")
                workers += [worker.url for worker in page.workers]
            for other in LANGUAGES:
                link = page.locator(f".md-header .md-select a[hreflang={other}]").get_attribute("href")
                assert urljoin(page.url, link) == server.url(in_lang[other]), f"{kind} {lang} -> {other}"
    guard.expect_status(f"{PREFIX}no-such-page/", 404)
    assert page.goto(server.url("no-such-page/")).status == 404
    assert page.locator(".md-header").evaluate("e => getComputedStyle(e).position") == "sticky"  # styled
    guard.assert_clean(page)
    # Search ran in Pagefind's worker (under the policy, behind nginx): it did not fall back.
    assert workers and all(url.endswith("/pagefind/pagefind-worker.js") for url in workers), workers


def test_search_in_the_page_itself_runs_under_the_policy(open_page, targets):
    """Where a browser cannot start Pagefind's worker, Pagefind runs its WebAssembly in the page: the
    policy's 'wasm-unsafe-eval' is what lets it (the worker's script itself gets no policy: it is not a page)."""
    server = targets["intranet"]
    page, guard = open_page(server)
    page.context.add_init_script(CSP_WATCH + "delete globalThis.Worker;")
    page.goto(server.url(f"search/?q={quote(SEARCHES['zh'])}"))
    page.wait_for_selector("#kb-search-results > li")
    assert page.workers == []
    guard.assert_clean(page)


def test_the_policy_is_enforced_and_its_violations_are_seen(browser, targets):
    """A page with what the policy forbids, served by nginx beside the site: each is refused, and the
    watch the page-type test relies on reports it. (An editor's event attribute that got past the
    validator would be refused the same way.)"""
    server = targets["intranet"]
    (server.site / "csp-probe.html").write_text(
        '<!doctype html><html><head><meta charset="utf-8"><title>probe</title><style>body{color:red}</style>'
        '<script>document.title = "inline script ran"</script></head><body>'
        '<img src="data:," onerror="document.title = \'handler ran\'" alt="">'
        '<img src="https://tracker.example/pixel.gif" alt=""><iframe src="https://video.example/"></iframe>'
        "</body></html>",
        encoding="utf-8",
    )
    context = browser.new_context()
    offsite = []
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if urlsplit(route.request.url).netloc == server.netloc
            else (offsite.append(route.request.url), route.abort("blockedbyclient"))
        ),
    )
    try:
        page = context.new_page()
        messages = []
        page.on("console", lambda msg: messages.append(msg.text))
        page.add_init_script(CSP_WATCH)
        page.goto(server.url("csp-probe.html"))
        page.wait_for_load_state("networkidle")
        violations = {m.split()[2] for m in messages if m.startswith("CSP violation:")}
        assert violations >= {"style-src-elem", "script-src-elem", "script-src-attr", "img-src", "frame-src"}, messages
        assert page.title() == "probe" and offsite == []  # refused before any request left
    finally:
        context.close()
        (server.site / "csp-probe.html").unlink()


# -- nginx: headers, compression, caching, 404, redirects --------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_nginx_sends_the_headers_compression_and_cache_lifetimes(targets):
    server, site = targets["intranet"], targets["intranet"].site
    csp = nginx_csp()

    def get(path: str):
        return fetch(server.url(path), **{"Accept-Encoding": "gzip"})[:3]

    def one(pattern: str) -> str:
        return next(site.glob(pattern)).relative_to(site).as_posix()

    status, headers, body = get("")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Content-Security-Policy"] == csp
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "SAMEORIGIN" and "frame-ancestors 'self'" in csp
    assert headers["Cache-Control"] == "no-cache" and headers["Content-Encoding"] == "gzip"
    assert headers["Server"] == "nginx" and "<html" in gzip.decompress(body).decode()
    year = "public, max-age=31536000, immutable"
    # Pagefind's own files are gzip files: sent as they are, labelled so, for the browser to unzip.
    for path in (
        one("pagefind/fragment/*/*.pf_fragment"),
        one("en/pagefind/index/*.pf_index"),
        one("pagefind/wasm.*.pagefind"),
    ):
        status, headers, body = get(path)
        assert headers["Content-Encoding"] == "gzip" and body == (site / path).read_bytes(), path
    expected = {  # path: (Cache-Control, sent with Content-Encoding: gzip)
        one("assets/javascripts/bundle.*.min.js"): (year, True),
        one("assets/stylesheets/main.*.min.css"): (year, True),
        one("pagefind/fragment/*/*.pf_fragment"): (year, True),
        one("pagefind/pagefind.*.pf_meta"): (year, True),
        one("pagefind/wasm.*.pagefind"): ("no-cache", True),
        "pagefind/pagefind.js": ("no-cache", True),
        "assets/stylesheets/kb.css": ("no-cache", True),
        "sitemap.xml": ("no-cache", True),
        **{p.name: ("no-cache", True) for p in site.glob("*.json")},  # catalog.json
    }
    for path, (cache, compressed) in expected.items():
        status, headers, _ = get(path)
        assert (status, headers["Cache-Control"], headers.get("Content-Encoding") == "gzip") == (
            200,
            cache,
            compressed,
        ), path
        assert "Content-Security-Policy" not in headers and headers["X-Content-Type-Options"] == "nosniff", path
    # The site's 404 page, with the headers, inside and outside /kb/.
    for url in (server.url("no-such-page/"), f"http://{server.netloc}/elsewhere/"):
        status, headers, body, _ = fetch(url)
        assert status == 404 and headers["Content-Security-Policy"] == csp and headers["Cache-Control"] == "no-cache"
        assert body == (site / "404.html").read_bytes()
    # A folder without its slash is redirected to it, relatively (right behind a proxy or port mapping too).
    with pytest.raises(urllib.error.HTTPError) as redirect:
        urllib.request.build_opener(_NoRedirect).open(server.url("policies"), timeout=10)
    assert redirect.value.code == 301 and redirect.value.headers["Location"] == f"{PREFIX}policies/"


def test_files_cached_for_a_year_change_name_when_they_change(targets, real_sites):
    """nginx.conf lets browsers keep some files a year without asking: by their names (Material's hashed
    assets, Pagefind's chunks). Across four builds of different content and addresses, a file of such a
    name always has the same bytes, so a changed file always comes under a new name."""
    patterns = [
        re.compile(p)
        for p in re.findall(
            r'^\s*"~([^"]+)"\s+"public, max-age=31536000, immutable";', NGINX_CONF.read_text(encoding="utf-8"), re.M
        )
    ]
    assert len(patterns) == 2
    seen: dict[str, tuple[bytes, str]] = {}
    kinds = set()
    for site in [targets["pages"].site, targets["intranet"].site, *real_sites.values()]:
        for path in site.rglob("*"):
            name = "/" + path.relative_to(site).as_posix()
            if path.is_file() and any(p.search(name) for p in patterns):
                kinds.add(name.rsplit(".", 1)[1])
                body = path.read_bytes()
                assert seen.setdefault(name, (body, str(site)))[0] == body, f"{name} differs between builds"
    assert kinds == {"js", "css", "pf_meta", "pf_index", "pf_fragment", "pf_filter"} and len(seen) > 100
    # Not cached for a year: the names that stay the same across versions.
    assert not any(
        p.search(n)
        for p in patterns
        for n in (
            "/pagefind/pagefind.js",
            "/pagefind/pagefind-entry.json",
            "/pagefind/wasm.zh.pagefind",
            "/assets/stylesheets/kb.css",
        )
    )
