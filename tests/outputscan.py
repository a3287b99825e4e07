"""The built site read as a browser reads it: what in it could run code or fetch from another server.

Sanitizing the Markdown and escaping in the templates is the first line; this scan checks the result.
:func:`scan_site` parses every HTML page with a spec-compliant HTML5 parser (html5lib: entities decoded,
foreign SVG and MathML content and misnested markup as a browser builds them) and every SVG and XML
file as XML, and reports, as one plain string per finding naming the file:

- event-handler attributes (``on*``) on any element in any namespace;
- ``javascript:``, ``vbscript:`` and ``data:`` addresses in attributes that hold addresses (and in SVG
  animations of ``href``), read as the URL parser reads them (PNG, JPEG, GIF and WebP ``data:`` images in ``<img>`` pass);
- inline scripts other than Material's, which deploy/nginx.conf's Content-Security-Policy allows by
  hash, and the JSON blocks of :data:`DATA_BLOCKS`; a ``<script src>`` that is not one of the site's
  .js files;
- anything fetched on sight (scripts, stylesheets, icons, images, media, CSS ``url()``/``@import``)
  from another host, in any spelling a browser accepts (``//host``, ``\\\\host``, ``https:host``);
- ``<iframe>``, ``<object>``, ``<embed>``, ``<base>``, ``<frame>``, ``<applet>``, and refreshes to
  anywhere but a relative address (the redirect pages of overrides/partials/kb/redirect.html);
- .js and .css files that are not byte for byte Material's, the project's (overrides/assets/) or the
  ones the installed Pagefind writes into a ``pagefind/`` folder;
- ``<script>`` in SVG or XML files, and XML style sheets (XSLT can run script).

A plain module, no pytest: tests/conftest.py runs it after every test build, tests/test_outputscan.py
feeds it hostile files.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import html5lib
import material
from defusedxml import ElementTree as SafeXML

ROOT = Path(__file__).resolve().parent.parent
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
MATERIAL_ASSETS = Path(material.__file__).parent / "templates" / "assets"
PROJECT_ASSETS = ROOT / "overrides" / "assets"

HTML_NS, SVG_NS, XLINK_NS = "http://www.w3.org/1999/xhtml", "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"
EXECUTABLE = {None, "", "text/javascript", "application/javascript", "module"}  # <script type> that runs
# <script type="application/json"> blocks by id: data a script reads, never run. Only with exactly
# these two attributes, valid JSON, once per page.
DATA_BLOCKS = {
    "__config": "Material's configuration (partials/javascripts/base.html)",
    "kb-search-config": "the search page's facets and labels (overrides/partials/kb/search.html)",
    "kb-search-head": "where the search page's head starts Pagefind (overrides/partials/kb/search-head.html)",
    "kb-browse-text": "the labels a section page's filters show (overrides/partials/kb/section.html)",
}
FORBIDDEN = {"iframe", "object", "embed", "base", "frame", "frameset", "applet", "portal"}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "data",
    "background",
    "cite",
    "longdesc",
    "manifest",
    "codebase",
    "ping",
    "xlink:href",
}
FETCHED_ON_SIGHT = {"src", "poster", "background"}  # plus srcset, <object data>, <link href>, SVG href
FETCHING_RELS = {
    "stylesheet",
    "preload",
    "modulepreload",
    "prefetch",
    "prerender",
    "preconnect",
    "dns-prefetch",
    "icon",
    "apple-touch-icon",
    "apple-touch-icon-precomposed",
    "mask-icon",
    "manifest",
    "import",
}
SAFE_DATA = re.compile(r"data:image/(png|jpeg|gif|webp)[;,]", re.I)
SPECIAL_SCHEMES = {"http", "https", "ws", "wss", "ftp", "file"}  # the URL parser reads \ as / in these
CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.S)
CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)|@import\s*(?:"([^"]*)"|'([^']*)')""", re.I)
CSS_IMAGE_SET = re.compile(r"image-set\(([^)]*)\)", re.I)
CSS_STRING = re.compile(r""""([^"]*)"|'([^']*)'""")
PAGEFIND_FOLDER = re.compile(r"pagefind|\.pagefind-.*")  # a bundle; one being written (kb/searchindex.py)
PAGEFIND_ASSET = re.compile(r"pagefind[\w.-]*\.(js|css)")  # pagefind.js, pagefind-ui.css, …


# -- addresses as the URL parser reads them --------------------------------------------------------


def clean_url(url: str) -> str:
    """``url`` as the URL parser sees it: leading and trailing C0 controls and spaces stripped, tabs
    and newlines removed anywhere (``java&#9;script:`` is ``javascript:``)."""
    return re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(0x21)))))


def scheme(url: str) -> str | None:
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", clean_url(url))
    return match.group(1).lower() if match else None


def dangerous(url: str, image: bool = False) -> bool:
    """A ``javascript:``, ``vbscript:`` or ``data:`` address; with ``image``, data: PNG, JPEG, GIF, WebP pass."""
    found = scheme(url)
    if found == "data":
        return not (image and SAFE_DATA.match(clean_url(url)))
    return found in ("javascript", "vbscript")


def host(url: str) -> str | None:
    """The host ``url`` goes to, or None for an address on the page's own server (relative, or data:).
    Backslashes count as slashes and any number of them starts a host, as browsers read ``\\\\host``,
    ``/\\host`` and ``https:host``; another scheme (``ftp:``, ``mailto:``) is named as the host."""
    url = clean_url(url)
    found = scheme(url)
    if found in ("data", "javascript", "vbscript"):  # no host; a script or data address is reported as such
        return None
    if found and found not in SPECIAL_SCHEMES:
        return f"{found}:"
    rest = url[len(found) + 1 :] if found else url
    rest = rest.replace("\\", "/")
    if not found and not rest.startswith("//"):
        return None
    return re.split(r"[/?#]", rest.lstrip("/"), maxsplit=1)[0].rsplit("@", 1)[-1].lower() or None


def srcset_urls(value: str) -> list[str]:
    """The addresses of a ``srcset``, split as the HTML standard does (a URL may hold commas)."""
    urls, pos = [], 0
    while True:
        pos = re.compile(r"[\s,]*").match(value, pos).end()
        if pos >= len(value):
            return urls
        url = re.compile(r"\S+").match(value, pos)
        pos = url.end()
        urls.append(url.group().rstrip(","))
        if not url.group().endswith(","):
            pos = re.compile(r"(?:[^,(]|\([^)]*\)?)*").match(value, pos).end()


def css_urls(css: str) -> list[str]:
    """What CSS fetches: ``url()``, ``@import "…"`` and ``image-set("…")``, after CSS escapes."""
    css = CSS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2), css)
    urls = [next(g for g in match.groups() if g is not None) for match in CSS_URL.finditer(css)]
    for image_set in CSS_IMAGE_SET.finditer(css):
        urls += [a if a is not None else b for a, b in CSS_STRING.findall(image_set.group(1))]
    return urls


# -- one element ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """A built site: its folder, and the host and path it was built for (its site_url), read from the
    sitemap (None and "/" without one)."""

    root: Path
    host: str | None = None
    prefix: str = "/"

    @classmethod
    def of(cls, root: Path) -> Site:
        sitemap = root / "sitemap.xml"
        locs = re.findall(r"<loc>([^<]+)</loc>", sitemap.read_text(encoding="utf-8")) if sitemap.is_file() else []
        if not locs:
            return cls(root)
        home = urlsplit(min(locs, key=len))  # the home page: the shortest address
        return cls(root, home.netloc.lower(), home.path.rsplit("/", 1)[0] + "/")

    def file(self, url: str, page: Path) -> Path | None:
        """The file of the site that the same-site address ``url`` names, seen from ``page``."""
        if scheme(url) or host(url):
            return None
        path = unquote(urlsplit(clean_url(url).replace("\\", "/")).path)
        base = page.parent
        if path.startswith("/"):
            if not path.startswith(self.prefix):
                return None
            base, path = self.root, path[len(self.prefix) :]
        target = (base / path).resolve()
        return target if target.is_relative_to(self.root.resolve()) else None


def split_name(name: str) -> tuple[str, str]:
    """``{namespace}local`` -> (namespace, local); a plain name has the namespace ''."""
    namespace, _, local = name[1:].partition("}") if name.startswith("{") else ("", "", name)
    return namespace, local


def attributes(element) -> dict[str, str]:
    """The element's attributes by local name; xlink:href keeps its prefix."""
    out = {}
    for name, value in element.attrib.items():
        namespace, local = split_name(name)
        out["xlink:" + local if namespace == XLINK_NS else local] = value
    return out


def event_handlers(tag: str, attrs: dict[str, str]) -> list[str]:
    return [
        f"<{tag}> event-handler attribute {name}={value!r}"
        for name, value in attrs.items()
        if name.lower().startswith("on")
    ]


def dangerous_urls(tag: str, attrs: dict[str, str]) -> list[str]:
    image = tag in ("img", "source")
    found = [(name, value) for name, value in attrs.items() if name in URL_ATTRIBUTES]
    found += [("srcset", url) for url in srcset_urls(attrs.get("srcset", ""))]
    if tag in ("animate", "set") and attrs.get("attributeName") in ("href", "xlink:href"):
        found += [(name, part) for name in ("values", "to", "from", "by") for part in attrs.get(name, "").split(";")]
    return [
        f"<{tag}> {name}={value!r}: script or data address"
        for name, value in found
        if dangerous(value, image and name in ("src", "srcset"))
    ]


def fetched(tag: str, namespace: str, attrs: dict[str, str], text: str) -> list[tuple[str, str]]:
    """(what, address) for everything the element makes the browser load as the page shows."""
    urls = [(name, value) for name, value in attrs.items() if name in FETCHED_ON_SIGHT]
    urls += [("srcset", url) for url in srcset_urls(attrs.get("srcset", ""))]
    urls += [("style", url) for url in css_urls(attrs.get("style", ""))]
    if tag == "object" and "data" in attrs:
        urls.append(("data", attrs["data"]))
    if tag == "link" and FETCHING_RELS & set(attrs.get("rel", "").lower().split()) and "href" in attrs:
        urls.append(("href", attrs["href"]))
    if namespace == SVG_NS and tag != "a":
        urls += [(name, attrs[name]) for name in ("href", "xlink:href") if name in attrs]
    if tag == "style":
        urls += [("css", url) for url in css_urls(text)]
    return urls


def off_host(element, tag: str, namespace: str, attrs: dict[str, str], site: Site) -> list[str]:
    return [
        f"<{tag}> {name} loads from another host: {url!r}"
        for name, url in fetched(tag, namespace, attrs, "".join(element.itertext()))
        if host(url) not in (None, site.host)
    ]


def forbidden(tag: str, attrs: dict[str, str]) -> list[str]:
    if tag in FORBIDDEN:
        return [f"<{tag}> element"]
    if tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
        target = re.sub(r"^\s*[\d.]*\s*[;,]?\s*(url\s*=\s*)?", "", attrs.get("content", ""), flags=re.I).strip("'\" ")
        if scheme(target) or host(target):
            return [f"<meta http-equiv=refresh> to {target!r}: only a relative address is allowed"]
    return []


# -- scripts ----------------------------------------------------------------------------------------


def nginx_csp() -> str:
    """The Content-Security-Policy deploy/nginx.conf sends with pages."""
    return re.search(r'^\s*"~\^text/html"\s+"([^"]+)";', NGINX_CONF.read_text(encoding="utf-8"), re.M).group(1)


def script_hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def allowed_script_hashes() -> set[str]:
    """The inline scripts the policy allows: Material's, the same text on every page."""
    return set(re.findall(r"'(sha256-[A-Za-z0-9+/=]+)'", nginx_csp()))


def script(element, attrs: dict[str, str], page: Path, site: Site, allowed: set[str]) -> list[str]:
    """An inline script must be one the policy allows by hash (``allowed``), or a JSON data block of
    :data:`DATA_BLOCKS`; a ``<script src>`` must name one of the site's .js files (each of them checked
    by :func:`unknown_asset`)."""
    if "src" in attrs:
        target = site.file(attrs["src"], page)
        return (
            []
            if target and target.suffix == ".js" and target.is_file()
            else [f"<script src={attrs['src']!r}>: not a .js file of the site"]
        )
    text = element.text or ""
    if attrs.get("id") in DATA_BLOCKS and attrs == {"id": attrs["id"], "type": "application/json"}:
        try:
            json.loads(text)
            return []
        except ValueError:
            return [f"<script id={attrs['id']}>: not JSON: {text[:80]!r}"]
    if attrs.get("type") in EXECUTABLE and script_hash(text) in allowed:
        return []
    return [f"inline <script> not allowed by deploy/nginx.conf: {text[:80]!r}"]


def duplicate_data_blocks(root) -> list[str]:
    """A second block with a data block's id (the script reads the first one)."""
    ids = [e.get("id") for e in root.iter(f"{{{HTML_NS}}}script") if e.get("id") in DATA_BLOCKS]
    return [f"<script id={id_}> {ids.count(id_)} times" for id_ in sorted(set(ids)) if ids.count(id_) > 1]


# -- files ------------------------------------------------------------------------------------------


def scan_tree(root, page: Path, site: Site, in_html: bool) -> list[str]:
    """Every element of a parsed page or XML file. In an XML file (SVG included) no script may run."""
    allowed = allowed_script_hashes() if in_html else set()
    problems = []
    for element in root.iter():
        if not isinstance(element.tag, str):  # comments, processing instructions
            continue
        namespace, tag = split_name(element.tag)
        attrs = attributes(element)
        problems += event_handlers(tag, attrs)
        problems += dangerous_urls(tag, attrs)
        problems += off_host(element, tag, namespace, attrs, site)
        problems += forbidden(tag, attrs)
        if tag == "script" and namespace == HTML_NS:
            problems += script(element, attrs, page, site, allowed)
        elif tag == "script":
            problems.append(f"<script> in the {namespace or 'XML'} namespace: {(element.text or '')[:80]!r}")
    return problems


def scan_html(path: Path, site: Site) -> list[str]:
    """A page as a browser parses it (from bytes: the encoding found as a browser finds it), with
    scripting on: the text of a ``<noscript>`` is then raw text, and ``<noscript><p title="</noscript>
    <img onerror=…>">`` runs the image's handler. A page with ``<noscript>`` is parsed again with
    scripting off, as a browser without JavaScript shows it (and loads what it names)."""
    data = path.read_bytes()
    problems = []
    for scripting in (True, False) if b"<noscript" in data.lower() else (True,):
        root = html5lib.parse(data, treebuilder="etree", namespaceHTMLElements=True, scripting=scripting)
        problems += [
            p for p in scan_tree(root, path, site, in_html=True) + duplicate_data_blocks(root) if p not in problems
        ]
    return problems


def scan_xml(path: Path, site: Site) -> list[str]:
    """SVG and XML, parsed as XML with DTDs and entities refused (defusedxml). An Atom ``type="html"``
    text (a feed's summary or content) is HTML to a feed reader: scanned as a page."""
    data = path.read_bytes()
    try:
        root = SafeXML.fromstring(data, forbid_dtd=True)
    except Exception as err:  # defusedxml's and expat's errors share no base class but Exception
        return [f"not well-formed or unsafe XML: {err}"]
    problems = ["<?xml-stylesheet?>: a style sheet (XSLT can run script)"] if b"<?xml-stylesheet" in data else []
    for element in root.iter():
        if element.get("type") == "html" and element.text:
            fragment = html5lib.parseFragment(element.text, treebuilder="etree", namespaceHTMLElements=True)
            problems += [f"{split_name(element.tag)[1]} (HTML): {p}" for p in scan_tree(fragment, path, site, True)]
    return problems + scan_tree(root, path, site, in_html=False)


@functools.cache
def known_assets() -> dict[str, frozenset[bytes]]:
    """Digests of the .js and .css files a site may contain: Material's and the project's."""
    known: dict[str, set[bytes]] = {".js": set(), ".css": set()}
    for folder in (MATERIAL_ASSETS, PROJECT_ASSETS):  # at any depth: kb-search.js imports javascripts/kb-search/*.js
        for path in folder.glob("**/*"):
            if path.suffix in known and path.is_file():
                known[path.suffix].add(hashlib.sha256(path.read_bytes()).digest())
    return {suffix: frozenset(digests) for suffix, digests in known.items()}


@functools.cache
def pagefind_bundle() -> dict[str, bytes]:
    """The .js and .css files the installed Pagefind writes into a bundle, by name: it is run once on
    a one-page site. They do not depend on the pages (tests/test_outputscan.py checks the real sites)."""
    with tempfile.TemporaryDirectory() as tmp:
        pages, out = Path(tmp) / "site", Path(tmp) / "bundle"
        pages.mkdir()
        (pages / "index.html").write_text('<html lang="en"><body data-pagefind-body><p>reference</p></body></html>')
        subprocess.run(
            [sys.executable, "-m", "pagefind", "--site", str(pages), "--output-path", str(out), "--quiet"],
            check=True,
            capture_output=True,
        )
        return {p.name: p.read_bytes() for p in out.iterdir() if PAGEFIND_ASSET.fullmatch(p.name)}


def unknown_asset(path: Path, site: Site) -> list[str]:
    """A .js or .css file must be byte for byte Material's, the project's, or Pagefind's own file of
    that name in a ``pagefind/`` folder."""
    data = path.read_bytes()
    if path.parent.name == "pagefind" and PAGEFIND_ASSET.fullmatch(path.name):
        return [] if pagefind_bundle().get(path.name) == data else [f"not the file Pagefind writes as {path.name}"]
    if hashlib.sha256(data).digest() in known_assets()[path.suffix.lower()]:
        return []
    return [f"{path.suffix} file that is not Material's, the project's (overrides/assets/) or Pagefind's"]


SCANNERS = {
    ".html": scan_html,
    ".htm": scan_html,
    ".svg": scan_xml,
    ".xml": scan_xml,
    ".js": unknown_asset,
    ".css": unknown_asset,
}


def scan_site(site_dir: Path, search_index: bool = True) -> list[str]:
    """Every finding in the built site ``site_dir``, as ``path: what is wrong``; [] for a clean site.
    ``search_index=False`` leaves out the Pagefind bundles (``pagefind/`` and the ``.pagefind-*`` being
    written): after a dirty build they are still being written in the background."""
    site = Site.of(Path(site_dir))
    findings = []
    paths = []
    for folder, subfolders, names in os.walk(site.root):  # a folder removed while walked is passed over
        if not search_index:  # (a stopped index removes its own)
            subfolders[:] = [name for name in subfolders if not PAGEFIND_FOLDER.fullmatch(name)]
        paths += [Path(folder, name) for name in (*subfolders, *names)]
    for path in sorted(paths):
        scan = SCANNERS.get(path.suffix.lower())
        if scan and path.is_file():
            findings += [f"{path.relative_to(site.root).as_posix()}: {problem}" for problem in scan(path, site)]
    return findings
