"""Deployment, checked on the files: nothing in the built sites loads from another server, the
Content-Security-Policy of deploy/nginx.conf allows exactly the inline scripts the pages have, the GitHub
workflows pass actionlint and do what the README says, unsafe Markdown stops the build.

The sites served (a sub-path, nginx, Chromium) are in test_deploy_served.py.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from conftest import BUILD_DATE, ROOT, copy_fixture
from outputscan import (  # also the scan's list of allowed inline scripts
    allowed_script_hashes,
    nginx_csp,
    script_hash,
)

WORKFLOWS = ROOT / ".github" / "workflows"

# -- what a page names, by what the browser does with it ---------------------------------------------

FETCHED = {"src", "srcset", "poster", "data", "background", "xlink:href"}  # attributes loaded on sight
EXECUTABLE = {None, "", "text/javascript", "application/javascript", "module"}  # <script type>
CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')""")


def css_urls(css: str) -> list[str]:
    return [next(g for g in match.groups() if g is not None) for match in CSS_URL.finditer(css)]


@dataclass
class Reference:
    url: str
    kind: str  # "resource" (fetched as the page loads), "link" (<a href>, followed when clicked), "form", "refresh"
    tag: str
    in_article: bool  # inside the page's <article>: text the editors wrote


@dataclass
class PageReferences:
    """Every address in one HTML page; its ids (for #fragments), language links (hreflang, href), inline
    scripts, and the marks that make Material's script load from another server (``pre.mermaid``, the
    repository button)."""

    refs: list[Reference] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    languages: list[tuple[str, str]] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    triggers: set[str] = field(default_factory=set)


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = PageReferences()
        self.article = 0
        self.raw: tuple[str, dict] | None = None  # an open <script> or <style>, whose text is collected
        self.text: list[str] = []

    def add(self, url: str, kind: str, tag: str) -> None:
        self.out.refs.append(Reference(url.strip(), kind, tag, self.article > 0))

    def handle_starttag(self, tag, attrs):
        named = dict(attrs)
        self.out.ids.update(v for k, v in attrs if k == "id" or (k == "name" and tag == "a") if v)
        self.article += tag == "article"
        for name, value in attrs:
            if value is None:
                continue
            if name == "srcset":
                for candidate in value.split(","):
                    self.add(candidate.split()[0] if candidate.split() else "", "resource", tag)
            elif name in FETCHED or (name == "href" and tag not in ("a", "area")):
                self.add(value, "resource", tag)
            elif name == "href":
                self.add(value, "link", tag)
            elif name == "action":
                self.add(value, "form", tag)
            elif name == "style":
                for url in css_urls(value):
                    self.add(url, "resource", tag)
        if tag == "meta" and (named.get("http-equiv") or "").lower() == "refresh":
            self.add(
                re.sub(r"^\s*\d+\s*;?\s*(url\s*=\s*)?", "", named.get("content") or "", flags=re.I), "refresh", tag
            )
        if tag == "a" and named.get("hreflang") and named.get("href") is not None:
            self.out.languages.append((named["hreflang"], named["href"]))
        if tag == "pre" and "mermaid" in (named.get("class") or "").split():
            self.out.triggers.add("mermaid")
        if named.get("data-md-component") == "source":
            self.out.triggers.add("repository")
        if tag in ("script", "style"):
            self.raw, self.text = (tag, named), []

    def handle_data(self, data):
        if self.raw:
            self.text.append(data)

    def handle_endtag(self, tag):
        self.article -= tag == "article"
        if self.raw and tag == self.raw[0]:
            text, (kind, named) = "".join(self.text), self.raw
            if kind == "style":
                for url in css_urls(text):
                    self.add(url, "resource", "style")
            elif "src" not in named and named.get("type") in EXECUTABLE:
                self.out.scripts.append(text)
            self.raw = None


def page_references(html: str) -> PageReferences:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.out


def off_site(url: str, netloc: str) -> bool:
    """True for an address on another server: http(s)://host/… or //host/… with another host."""
    host = urlsplit(url).netloc
    return bool(host) and host != netloc


def site_netloc(site: Path) -> str:
    """The host:port the site was built for (its site_url), from the sitemap's first address."""
    return urlsplit(
        re.search(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8")).group(1)
    ).netloc


# -- no request to another server -----------------------------------------------------------------

JS_URL = re.compile(r"""["'`]((?:https?:)?//(?:[\w$-]+\.)+[\w$-]+[^"'`\s]*|https?://[^"'`\s]+)""")
# Addresses on other servers written in the scripts the build ships, each with why it never fires here.
# The conditions in brackets are checked below; anything not listed fails the test.
DORMANT_IN_SCRIPTS = {
    r"https://api\.github\.com/.*": "Material: repository facts, only with repo_url (no page has the "
    "repository button [repository])",
    r"https://\$\{\w+\}/api/v4/.*": "Material: the same for GitLab [repository]",
    r"https://unpkg\.com/mermaid@.*": "Material: Mermaid, only for a <pre class=mermaid> [mermaid]",
    r"https://unpkg\.com/resize-observer-polyfill": "Material: only in browsers without ResizeObserver "
    "(before Chrome 64, Firefox 69, Safari 13.1)",
    r"https://example\.com\$\{\w+\}|https://p": "Pagefind: a base for parsing relative addresses, never fetched",
    r"http://www\.w3\.org/2000/svg": "an XML namespace name, never fetched",
}


def off_site_uses(path: Path, netloc: str) -> tuple[list[str], set[str]]:
    """What a built HTML, CSS or JS file would fetch from another server, and the marks on a page that
    make Material's script do so. Decision on links: an <a href> to another site is allowed in a page's
    <article> (the editors' text, e.g. the guide's link to pre-commit.com: the reader chooses to follow
    it, and without internet it simply does not open), never in the theme around it."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".css":
        return [f"url() {url}" for url in css_urls(text) if off_site(url, netloc)], set()
    problems, scripts, triggers = [], [text], set()
    if path.suffix == ".html":
        page = page_references(text)
        problems = [
            f"<{ref.tag}> {ref.kind} {ref.url}"
            for ref in page.refs
            if off_site(ref.url, netloc) and not (ref.kind == "link" and ref.in_article)
        ]
        scripts, triggers = page.scripts, page.triggers
    problems += [
        f"script names {url}"
        for script in scripts
        for url in (m.group(1) for m in JS_URL.finditer(script))
        if not any(re.fullmatch(pattern, url) for pattern in DORMANT_IN_SCRIPTS)
    ]
    return problems, triggers


def test_nothing_in_either_build_loads_from_another_server(real_sites):
    """Every HTML, CSS and JS file of both real builds: resources (src, srcset, <link href>, CSS url() and
    @import, style attributes, form actions, refreshes, addresses in scripts) stay on the site."""
    problems, triggers = [], set()
    for audience, site in real_sites.items():
        netloc = site_netloc(site)
        for path in sorted(p for p in site.rglob("*") if p.suffix in (".html", ".css", ".js")):
            found, marks = off_site_uses(path, netloc)
            problems += [f"{audience}/{path.relative_to(site).as_posix()}: {problem}" for problem in found]
            triggers |= marks
    assert not problems, "off-site addresses in the built sites:\n" + "\n".join(problems)
    assert not triggers, f"pages that make Material load from another server: {triggers}"


def test_the_scan_sees_what_would_leave_the_site(tmp_path):
    files = {
        "page.html": '<html><head><link rel="stylesheet" href="https://cdn.example/x.css"><link rel="canonical" '
        'href="http://kb.example/page/"><style>@import "//fonts.example/f.css";</style><script>'
        'fetch("https://stats.example/hit")</script></head><body><img srcset="a.png 1x, https://img.example/b.png 2x">'
        '<article><a href="https://gov.example/">原文</a><pre class="mermaid">graph</pre></article>'
        '<a href="https://other.example/">x</a></body></html>',
        "style.css": "a{background:url('https://img.example/c.png')}b{background:url(data:image/png;base64,AA==)}",
        "app.js": 'const u = `https://api.github.com/repos/${a}`; load("https://cdn.example/lib.js")',
    }
    found = {}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        found[name] = off_site_uses(tmp_path / name, "kb.example")
    assert found == {
        "page.html": (
            [
                "<link> resource https://cdn.example/x.css",
                "<style> resource //fonts.example/f.css",
                "<img> resource https://img.example/b.png",
                "<a> link https://other.example/",
                "script names https://stats.example/hit",
            ],
            {"mermaid"},
        ),
        "style.css": (["url() https://img.example/c.png"], set()),
        "app.js": (["script names https://cdn.example/lib.js"], set()),
    }


# -- the Content-Security-Policy of deploy/nginx.conf -------------------------------------------------


def test_csp_allows_exactly_the_inline_scripts_the_pages_have(real_sites):
    """No 'unsafe-inline' for scripts: each inline script is allowed by its hash. Material writes three,
    the same text on every page (overrides/partials/javascripts/base.html keeps the per-page part in an
    attribute). After a Material upgrade this test names the hashes to put in deploy/nginx.conf."""
    found = {
        script_hash(script)
        for site in real_sites.values()
        for path in site.rglob("*.html")
        for script in page_references(path.read_text(encoding="utf-8")).scripts
    }
    csp = nginx_csp()
    allowed = allowed_script_hashes()
    assert allowed == found, "script-src in deploy/nginx.conf should list: " + " ".join(f"'{h}'" for h in sorted(found))
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives["default-src"] == ["'none'"] and directives["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    assert "'wasm-unsafe-eval'" in directives["script-src"]  # Pagefind's WebAssembly
    assert directives["frame-ancestors"] == ["'self'"]
    # No server is named: every source is a keyword or hash ('…'), or data: for Material's icons.
    assert {source for sources in directives.values() for source in sources if not source.startswith("'")} == {"data:"}


# -- GitHub workflows ---------------------------------------------------------------------------------


def actionlint(*paths: Path) -> subprocess.CompletedProcess:
    # -shellcheck= -pyflakes=: the same result whether or not those tools happen to be installed.
    return subprocess.run(
        [str(Path(sys.executable).parent / "actionlint"), "-no-color", "-shellcheck=", "-pyflakes=", *map(str, paths)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


def test_workflows_pass_actionlint(tmp_path):
    workflows = sorted(WORKFLOWS.glob("*.yml"))
    assert {p.name for p in workflows} >= {"check.yml", "pages.yml"}
    result = actionlint(*workflows)
    assert result.returncode == 0, result.stdout + result.stderr
    # ... and actionlint does fail a broken one (an unknown output of a step).
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - id: a\n"
        "        run: echo\n      - run: echo ${{ steps.a.outputs.nope.deeper }}\n      - uses: actions/checkout@v6\n"
        "        with: {fetch-dept: 0}\n",
        encoding="utf-8",
    )
    failed = actionlint(broken)
    assert failed.returncode == 1 and "fetch-dept" in failed.stdout, failed.stdout + failed.stderr


def steps(workflow: dict, job: str) -> list[str]:
    return [step.get("run") or step.get("uses") for step in workflow["jobs"][job]["steps"]]


def test_workflows_check_pull_requests_and_publish_main():
    check = yaml.safe_load((WORKFLOWS / "check.yml").read_text(encoding="utf-8"))
    assert "pull_request" in check[True]  # PyYAML reads the key `on` as True
    ran = steps(check, "check")
    order = [
        next(i for i, s in enumerate(ran) if want in s)
        for want in ("make check FORMAT=github", "make test", "make build", "actions/upload-artifact")
    ]
    assert order == sorted(order), ran
    pages = yaml.safe_load((WORKFLOWS / "pages.yml").read_text(encoding="utf-8"))
    assert pages[True]["push"]["branches"] == ["main"]
    assert pages["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    build = pages["jobs"]["build"]
    assert [s for s in steps(pages, "build") if "upload-pages-artifact" in s]
    assert any(
        s.get("env", {}).get("KB_SITE_URL") == "${{ steps.pages.outputs.base_url }}/" and s.get("run") == "make build"
        for s in build["steps"]
    )
    deploy = pages["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert "pages" not in pages.get("permissions", {}) and build["permissions"]["pages"] == "read"


# -- unsafe Markdown stops the build; the previous site stays -----------------------------------------

UNSAFE = {  # a line added to a public document -> the start of the message the build must print
    "<script>alert(1)</script>": "正文含有不允许的 HTML 标签 <script>，发布时会被删除",
    '<iframe src="https://video.example/"></iframe>': "正文含有不允许的 HTML 标签 <iframe>，发布时会被删除",
    '<object data="movie.swf"></object>': "正文含有不允许的 HTML 标签 <object>，发布时会被删除",
    '<embed src="movie.swf">': "正文含有不允许的 HTML 标签 <embed>，发布时会被删除",
    '<a href="#top" onclick="steal()">回到顶部</a>': "正文中的 onclick= 是事件属性，会在读者的浏览器中执行脚本，发布时会被删除",
    "[点这里](javascript:alert(1))": "链接地址“javascript:alert(1)”不允许，发布时会被删除",
    "[评分细则](score-sheet.md)": "公开页面链接了内部文件 policies/score-sheet.md",
}


def test_unsafe_markdown_fails_the_build_and_leaves_the_previous_site(tmp_path):
    docs = copy_fixture(tmp_path)
    doc = docs / "policies" / "joint-meeting.md"  # public; policies/score-sheet.md is internal
    text = doc.read_text(encoding="utf-8") + "\n" + "\n\n".join(UNSAFE) + "\n"
    doc.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("the site as published yesterday", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "kb", "build", "--docs", str(docs), "--site-dir", str(site)],
        cwd=ROOT,
        env={"KB_BUILD_DATE": BUILD_DATE, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    for snippet, message in UNSAFE.items():
        assert f"docs/policies/joint-meeting.md:{lines.index(snippet) + 1}: body: {message} — " in output, snippet
    assert "构建失败：site/ 保持原样" in result.stderr and "Traceback" not in output
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == "the site as published yesterday"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []
