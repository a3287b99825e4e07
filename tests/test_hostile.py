"""Hostile content (tests/hostile/vectors.yml): every vector is either refused by ``python -m kb check`` or
built clean.

How a vector's outcome is decided (nothing is hard-coded per vector):

1. Check. Every vector that writes Markdown or files under docs/ goes into ONE copy of the fixture docs
   (each vector its own document, in the shape of a fixture document of its section); vectors that edit
   data/ go into small groups, each a copy of its own with ``data/`` beside ``docs/`` (``KB_DATA_DIR``
   points at it). ``python -m kb check --docs … --format json`` runs once per tree. A vector is REFUSED
   when an error is reported on one of its files (at one of its lines, where the line is known); the
   message must contain Chinese and the check must not print a traceback. A vector marked ``harmless``
   must not be refused.
2. Build. Every ACCEPTED vector is written into one more copy, built with ``conftest.build_site`` once for
   ``public`` and once for ``internal``. If a build fails, the set is halved until the vectors that break
   it are found, and the rest is built together. The output must pass the output scanner
   (``tests/outputscan.py``), nothing may be written outside the site folder (the whole temporary tree is
   compared before and after), and the public build must hold nothing that belongs only to internal pages.
   A scanner finding is charged to a vector when it names one of the vector's pages or files; the others
   (lists, feeds, tag pages) fail the build test of that audience. ``KB_HOSTILE_ISOLATE=1`` builds every
   accepted vector on its own instead, so that every finding is charged to its vector (slow: a diagnosis).
   ``KB_HOSTILE_REPORT=file.json`` writes every vector's outcome there.
"""

from __future__ import annotations

import dataclasses
import gzip
import html
import html.parser
import json
import logging
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
import yaml
from conftest import BUILD_DATE, FIXTURE_DOCS, ROOT, build_site, copy_fixture

try:  # the shared output scanner; until it exists, a placeholder below, and test_output_scanner_is_shared fails
    from outputscan import scan_site

    SCANNER = "outputscan.scan_site"
except ImportError:
    scan_site = None
    SCANNER = "placeholder"

VECTORS_FILE = ROOT / "tests" / "hostile" / "vectors.yml"
CLASSES = {
    "a": "raw HTML / XSS / Markdown in a body",
    "b": "loads from other servers",
    "c": "front-matter values",
    "d": "data/ values",
    "e": "file names and types",
    "f": "internal leaks",
    "g": "pass-through keys",
}
WHERE = {"body", "front_matter", "data", "file", "tree"}
KEYS = {
    "id",
    "class",
    "where",
    "section",
    "lang",
    "payload",
    "meta",
    "files",
    "symlinks",
    "docs",
    "data",
    "forbid",
    "internal",
    "visible",
    "visible_in",
    "harmless",
    "note",
}
SECTIONS = ("policies", "funds", "talent", "cases", "interpretations")
ISOLATE = os.environ.get("KB_HOSTILE_ISOLATE") == "1"
DATA_GROUP = 5  # data vectors per checked tree
# What only the fixture's internal document has (tests/test_build.py INTERNAL_TRACES).
INTERNAL_TRACES = ("score-sheet", "青松考评表", "2025年度绩效考核评分细则", "X宣发〔2025〕9号")
CJK = re.compile(r"[\u4e00-\u9fff]")
OK_IMAGE = "images/kb-hostile-ok.png"  # a real image some vectors may show


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


# -- the corpus -------------------------------------------------------------------------------------------


def load_vectors() -> list[dict]:
    return yaml.safe_load(VECTORS_FILE.read_text(encoding="utf-8"))["vectors"]


VECTORS = load_vectors()
BY_ID = {v["id"]: v for v in VECTORS}


def is_data(vector: dict) -> bool:
    return bool(vector.get("data"))


# -- writing a tree ---------------------------------------------------------------------------------------


def _template(section: str, number: int, ident: str) -> dict:
    """Front matter in the shape of the fixture's document of ``section`` (a valid, public document)."""
    common = {
        "title": f"敌意测试 {ident}",
        "summary": "安全测试用例，检查不安全内容是否被拒绝或被清除。",
        "topics": ["structure"],
        "levels": ["district"],
        "visibility": "public",
    }
    if section == "page":
        return {"title": f"敌意测试页面 {ident}"}
    if section == "funds":
        return {
            **common,
            "doc_number": f"X财行〔2024〕{number}号",
            "issuer": "X区财政局",
            "issued": "2024-03-01",
            "owner": "区财政局",
            "reviewed": "2026-03-01",
            "fund": "测试专项资金",
            "budget_wan": 10,
        }
    if section == "talent":
        return {
            **common,
            "issuer": "中共X区委组织部",
            "issued": "2024-02-20",
            "owner": "区委组织部",
            "reviewed": "2026-02-20",
            "period": "2024-2026",
        }
    if section == "cases":
        return {**common, "date": "2025-05-20", "unit": "中共X区委宣传部", "honors": ["示范项目"]}
    if section == "interpretations":
        return {**common, "interprets": "policies/joint-meeting.md", "date": "2023-04-20", "author": "区委宣传部"}
    # policies, and any other folder (a misspelt section gets a policy's fields)
    return {
        **common,
        "doc_number": f"X宣发〔2024〕{number}号",
        "issuer": "中共X区委宣传部",
        "issued": "2024-03-01",
        "owner": "区委宣传部",
        "reviewed": "2026-03-01",
    }


DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
UNSAFE_IN_YAML = re.compile("[\u0080-\u009f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")


def _yaml_value(value) -> str:
    """One front-matter value on one line: JSON is YAML (dates stay plain, so that YAML reads them as dates)."""
    if isinstance(value, str) and DATE.match(value):
        return value
    text = json.dumps(value, ensure_ascii=False)
    return UNSAFE_IN_YAML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _front_matter(meta: dict) -> tuple[list[str], dict[str, int]]:
    lines, where = ["---"], {}
    for key, value in meta.items():
        where[key] = len(lines) + 1
        lines.append(f"{key}: {_yaml_value(value)}")
    lines.append("---")
    return lines, where


@dataclasses.dataclass
class Written:
    """What one vector wrote into a tree: its files (relative to the tree) and the lines that carry it
    (None: any line of that file counts)."""

    files: dict[str, set[int] | None] = dataclasses.field(default_factory=dict)
    markers: list[str] = dataclasses.field(default_factory=list)  # output paths that are the vector's own


def _sub(value, outside: Path):
    if isinstance(value, str):
        return value.replace("{outside}", str(outside))
    if isinstance(value, list):
        return [_sub(v, outside) for v in value]
    if isinstance(value, dict):
        return {_sub(k, outside): _sub(v, outside) for k, v in value.items()}
    return value


def _page_dir(rel_md: str) -> str:
    """Output folder of a Markdown file relative to docs/: policies/x.md -> policies/x/, x.en.md -> en/x/."""
    stem = rel_md[:-3]
    lang = ""
    if stem.endswith(".en"):
        stem, lang = stem[:-3], "en/"
    return f"{lang}{stem}/"


class Tree:
    """A copy of the fixture docs with ``data/`` beside it, and the vectors written into it."""

    def __init__(self, root: Path):
        self.root = root
        self.docs = copy_fixture(root)
        self.data = root / "data"
        self.outside = root / "outside"
        self.outside.mkdir()
        shutil.copytree(ROOT / "data", self.data)
        shutil.copy(FIXTURE_DOCS.parent / "data" / "redirects.yml", self.data / "redirects.yml")
        (self.docs / OK_IMAGE).parent.mkdir(parents=True, exist_ok=True)
        (self.docs / OK_IMAGE).write_bytes(_png())
        # the image is shown by a public page, so that it is used and published
        (self.docs / "kb-hostile-ok.md").write_text(
            f"---\ntitle: 示意图\n---\n\n![示意图]({OK_IMAGE})\n", encoding="utf-8"
        )
        self.written: dict[str, Written] = {}
        self.number = 100

    def add(self, vector: dict) -> Written:
        vector = _sub(vector, self.outside)
        out = self.written[vector["id"]] = Written()
        for rel, content in (vector.get("files") or {}).items():
            path = self._path(rel)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content.encode("utf-8"))
            self._own(out, rel)
        for rel, target in (vector.get("symlinks") or {}).items():
            path = self._path(rel)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.symlink_to(target)
            self._own(out, rel)
        for extra in vector.get("docs") or []:
            self._document(
                out,
                extra["path"],
                extra.get("meta") or {},
                extra.get("body", "正文。"),
                extra.get("visibility", "public"),
                main=False,
            )
        if "payload" in vector or "meta" in vector:
            section = vector.get("section", "policies")
            name = f"h-{vector['id']}"
            rel = f"{name}.md" if section == "page" else f"{section}/{name}.md"
            if vector.get("lang") == "en":
                self._document(out, rel, {}, "原文。", "public", main=False)
                rel = rel[:-3] + ".en.md"
            self._document(out, rel, vector.get("meta") or {}, vector.get("payload"), "public", main=True)
        for edit in vector.get("data") or []:
            self._edit(out, edit)
        return out

    def _path(self, rel: str) -> Path:
        assert rel.startswith(("docs/", "outside/")), rel
        return self.root / rel

    def _own(self, out: Written, rel: str) -> None:
        out.files.setdefault(rel, None)
        if rel.startswith("docs/"):
            inner = rel[len("docs/") :]
            out.markers.append(_page_dir(inner) if inner.endswith(".md") else inner)

    def _document(self, out: Written, rel: str, meta: dict, body: str | None, visibility: str, main: bool) -> None:
        parts = rel.split("/")
        section = parts[0] if len(parts) > 1 else "page"
        self.number += 1
        ident = parts[-1][:-3]
        if rel.endswith(".en.md"):
            fields = {"title": f"Hostile test {ident}", "summary": "A test of unsafe content."}
        else:
            fields = _template(section, self.number, ident)
            if section != "page":
                fields["visibility"] = visibility
        for key, value in meta.items():
            if value is None:
                fields.pop(key, None)
            else:
                fields[key] = value
        lines, key_lines = _front_matter(fields)
        carried: set[int] = {key_lines[k] for k in meta if k in key_lines}
        lines.append("")
        if body is not None:
            first = len(lines) + 1
            body_lines = body.split("\n")
            lines.extend(body_lines)
            if main:
                carried |= set(range(first, first + len(body_lines)))
        path = self.docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(("\n".join(lines) + "\n").encode("utf-8", "surrogatepass"))
        disp = f"docs/{rel}"
        self._own(out, disp)
        if main:
            out.files[disp] = carried or None

    def _edit(self, out: Written, edit: dict) -> None:
        path = self.data / edit["file"]
        lines = path.read_text(encoding="utf-8").split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        if edit.get("replaces"):
            hits = [i for i, line in enumerate(lines) if line == edit["replaces"]]
            assert len(hits) == 1, f"{edit['file']}: the line to replace occurs {len(hits)} times: {edit['replaces']!r}"
            lines[hits[0]] = edit["line"]
            number = hits[0] + 1
        else:
            lines.append(edit["line"])
            number = len(lines)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        rel = f"data/{edit['file']}"
        if out.files.get(rel, set()) is not None:
            out.files[rel] = (out.files.get(rel) or set()) | {number}


@contextmanager
def _environment(**values: str):
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


# -- check ------------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Check:
    returncode: int
    problems: list[dict]
    stderr: str
    parse_error: str = ""

    @property
    def crashed(self) -> bool:
        return (
            bool(self.parse_error)
            or "Traceback (most recent call last)" in self.stderr
            or self.returncode not in (0, 1)
        )


def run_check(tree: Tree) -> Check:
    env = dict(
        os.environ, KB_DATA_DIR=str(tree.data), KB_BUILD_DATE=BUILD_DATE, PYTHONUTF8="1", NO_MKDOCS_2_WARNING="1"
    )
    result = subprocess.run(
        [sys.executable, "-m", "kb", "check", "--docs", str(tree.docs), "--format", "json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    try:
        problems = json.loads(result.stdout) if result.stdout.strip() else []
        error = "" if isinstance(problems, list) else "the JSON is not a list"
    except json.JSONDecodeError as err:
        problems, error = [], f"stdout is not JSON ({err}): {result.stdout[:300]!r}"
    for problem in problems:
        path = str(problem.get("path", ""))
        if os.path.isabs(path) and Path(path).is_relative_to(tree.root):
            path = Path(path).relative_to(tree.root).as_posix()
        problem["rel"] = path
    return Check(result.returncode, problems if isinstance(problems, list) else [], result.stderr, error)


@dataclasses.dataclass
class Verdict:
    refused: bool
    problems: list[dict]  # the errors on the vector's files
    failures: list[str]  # what is wrong with how it was refused (or that it was)


def _mine(written: Written, problem: dict) -> bool:
    """Whether ``problem`` is about the vector: on one of its own files, or on a line it wrote into a shared data file."""
    lines = written.files.get(problem["rel"], False)
    if lines is False:
        return False
    return not problem["rel"].startswith("data/") or problem.get("line") in lines


def judge(vector: dict, written: Written, check: Check) -> Verdict:
    failures = []
    if check.crashed:
        failures.append(f"the check crashed (exit {check.returncode}): {check.parse_error or check.stderr[-1500:]}")
    errors = [p for p in check.problems if _mine(written, p) and p.get("severity", "error") == "error"]
    refused = bool(errors)
    if refused:
        placed = [p for p in errors if written.files[p["rel"]] is None or p.get("line") in written.files[p["rel"]]]
        if not placed:
            want = {f: sorted(lines) for f, lines in written.files.items() if lines}
            failures.append(
                f"refused, but at no line of the vector {want}: "
                + "; ".join(f"{p['rel']}:{p.get('line')}" for p in errors)
            )
        for p in errors:
            if not CJK.search(str(p.get("message", ""))):
                failures.append(f"message without Chinese: {p['rel']}:{p.get('line')}: {p.get('message')!r}")
        if check.returncode != 1:
            failures.append(f"the check found errors but exited {check.returncode}")
        if vector.get("harmless"):
            failures.append(
                "harmless content refused: "
                + "; ".join(f"{p['rel']}:{p.get('line')}: {p.get('message')}" for p in errors)
            )
    return Verdict(refused, errors, failures)


# -- output scanner (placeholder until tests/outputscan.py exists) ----------------------------------------

# TODO(merge): replaced by outputscan.scan_site; test_output_scanner_is_shared fails while this one is used.
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "xlink:href",
    "codebase",
    "ping",
    "lowsrc",
    "dynsrc",
    "cite",
    "srcdoc",
    "longdesc",
    "manifest",
    "icon",
    "code",
    "archive",
}
LOADING_ATTRIBUTES = {"src", "srcset", "poster", "background", "data", "codebase", "lowsrc", "dynsrc", "ping"}
LOADING_LINKS = {
    "stylesheet",
    "preload",
    "prefetch",
    "icon",
    "import",
    "dns-prefetch",
    "preconnect",
    "modulepreload",
    "manifest",
    "apple-touch-icon",
    "shortcut",
}
FORBIDDEN_ELEMENTS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet", "portal", "isindex"}
BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data:text/html|data:application|data:image/svg)", re.I)
REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?[\\/]{2}|^https?:", re.I)
CSS_REMOTE = re.compile(r"(?:url\(\s*['\"]?|@import\s+['\"]?)\s*((?:[a-z]+:)?[\\/]{2}|https?:)", re.I)
CSS_SCRIPT = re.compile(r"expression\s*\(|javascript:|-moz-binding|behavior\s*:", re.I)
SCRIPT_CALL = re.compile(r"alert|prompt|confirm|eval\s*\(|import\s*\(|document\.cookie|msgbox|KBHOSTILE", re.I)


def _normal_url(value: str) -> str:
    return re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(value or "")).lower()


def _css_text(value: str) -> str:
    return re.sub(r"\\([0-9a-f]{1,6})\s?", lambda m: chr(int(m.group(1), 16)), html.unescape(value), flags=re.I)


class _Scanner(html.parser.HTMLParser):
    # Raw-text elements as a browser parses them (with scripting on), so that mXSS breakouts show.
    CDATA_CONTENT_ELEMENTS = (
        "script",
        "style",
        "xmp",
        "iframe",
        "noembed",
        "noframes",
        "noscript",
        "textarea",
        "title",
    )

    def __init__(self, where: str):
        super().__init__(convert_charrefs=True)
        self.where, self.findings, self.stack = where, [], []
        self.script_attrs: dict | None = None

    def add(self, what: str) -> None:
        self.findings.append(f"{self.where}: {what}")

    def handle_starttag(self, tag, attrs):
        attrs_d = {k.lower(): (v or "") for k, v in attrs}
        if tag in FORBIDDEN_ELEMENTS:
            self.add(f"<{tag}> element")
        if tag == "meta" and attrs_d.get("http-equiv", "").lower() == "refresh":
            target = _normal_url(
                re.sub(r"^[\d\s.;,]*(?:url\s*=\s*)?['\"]?", "", attrs_d.get("content", ""), flags=re.I)
            )
            if BAD_SCHEME.match(target) or REMOTE.match(target):
                self.add(f"<meta http-equiv=refresh> to {target[:80]!r}")
        for name, value in attrs_d.items():
            if name.startswith("on"):
                self.add(f"event attribute {name}= on <{tag}>")
            norm = _normal_url(value)
            if (
                (name in URL_ATTRIBUTES or (tag in ("animate", "set") and name in ("values", "to", "from")))
                and BAD_SCHEME.match(norm)
                and not (tag == "img" and norm.startswith("data:image/gif"))
            ):
                self.add(f"script URL in {name}= on <{tag}>: {value[:80]!r}")
            if name == "style":
                self._css(value, f"style= on <{tag}>")
        loads = [v for n, v in attrs_d.items() if n in LOADING_ATTRIBUTES]
        if (name_rel := attrs_d.get("rel", "").lower()) and tag == "link" and set(name_rel.split()) & LOADING_LINKS:
            loads.append(attrs_d.get("href", ""))
        if tag in ("image", "use", "feimage", "script", "img", "input", "track", "source", "audio", "video"):
            loads += [attrs_d.get("href", ""), attrs_d.get("xlink:href", "")]
        for value in loads:
            for candidate in value.split(",") if value else []:
                url = html.unescape(candidate).strip().split(" ")[0]
                if REMOTE.match(url.strip()):
                    self.add(f"load from another server on <{tag}>: {url[:80]!r}")
        if tag == "script":
            self.script_attrs = attrs_d
        self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        current = self.stack[-1] if self.stack else ""
        if current == "style":
            self._css(data, "<style>")
        if (
            current == "script"
            and self.script_attrs is not None
            and "src" not in self.script_attrs
            and "json" not in self.script_attrs.get("type", "")
            and SCRIPT_CALL.search(data)
        ):
            self.add(f"inline script: {data.strip()[:80]!r}")

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass
        if tag == "script":
            self.script_attrs = None

    def _css(self, text: str, where: str) -> None:
        css = _css_text(text)
        if CSS_REMOTE.search(css):
            self.add(f"CSS loads from another server in {where}: {text[:80]!r}")
        if CSS_SCRIPT.search(css):
            self.add(f"CSS script in {where}: {text[:80]!r}")


def placeholder_scan_site(site_dir: Path) -> list[str]:
    """Minimal stand-in for outputscan.scan_site: findings in every HTML and SVG file of ``site_dir``."""
    findings = []
    for path in sorted(Path(site_dir).rglob("*")):
        if path.is_file() and path.suffix.lower() in (".html", ".htm", ".xhtml", ".svg"):
            scanner = _Scanner(path.relative_to(site_dir).as_posix())
            scanner.feed(path.read_text(encoding="utf-8", errors="replace"))
            scanner.close()
            findings += scanner.findings
    return findings


def scan(site_dir: Path) -> list[str]:
    return list((scan_site or placeholder_scan_site)(site_dir))


# -- building ---------------------------------------------------------------------------------------------


def snapshot(base: Path, skip: Path) -> dict[str, tuple]:
    state = {}
    for folder, dirs, files in os.walk(base):
        here = Path(folder)
        if here == skip or skip in here.parents:
            dirs[:] = []
            continue
        for name in files + [d for d in dirs if (here / d).is_symlink()]:
            path = here / name
            stat = path.lstat()
            state[path.relative_to(base).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return state


def output_text(site: Path) -> dict[str, str]:
    """Every output file as text (gzip files unpacked), by its path; the path itself is part of the text."""
    texts = {}
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        raw = path.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            with suppress(OSError):
                raw = gzip.decompress(raw)
        rel = path.relative_to(site).as_posix()
        texts[rel] = rel + "\n" + raw.decode("utf-8", errors="replace")
    return texts


def _squeeze(text: str) -> str:
    return re.sub(r"[\s\u200b]", "", text)


@dataclasses.dataclass
class Build:
    ids: list[str]
    audience: str
    error: str = ""
    findings: list[str] = dataclasses.field(default_factory=list)
    outside: list[str] = dataclasses.field(default_factory=list)
    texts: dict[str, str] = dataclasses.field(default_factory=dict)


class Builder:
    def __init__(self, base: Path):
        self.base, self.count = base, 0
        self.baseline: dict[str, Build] = {}

    def build(self, ids: list[str], audience: str) -> Build:
        self.count += 1
        tree = Tree(self.base / f"build-{self.count:03d}")
        for ident in ids:
            tree.add(BY_ID[ident])
        site = tree.root / "o1" / "o2" / "o3" / f"site-{audience}"
        result = Build(ids, audience)
        before = self.state(tree.root, site)
        try:
            with _environment(KB_DATA_DIR=str(tree.data)):
                build_site(tree.docs, site, audience)
        except BaseException as err:
            if isinstance(err, KeyboardInterrupt):
                raise
            result.error = f"{type(err).__name__}: {str(err)[-2000:]}"
        after = self.state(tree.root, site)
        result.outside = sorted(p for p, state in after.items() if before.get(p) != state)
        if site.is_dir():
            result.findings = [f for f in scan(site) if f not in self.baseline_findings(audience)]
            result.texts = output_text(site)
        return result

    def state(self, root: Path, site: Path) -> dict[str, tuple]:
        """The tree around the build (docs/, data/, the folders above the build's folder) and the names in the
        folders above the tree: a path that leaves the build's folder lands in one of them."""
        state = {f"{root.name}/{path}": value for path, value in snapshot(root, site).items()}
        for folder in (self.base, self.base.parent):
            state.update({f"{folder}/{name}": ("entry",) for name in os.listdir(folder) if name != root.name})
        return state

    def baseline_findings(self, audience: str) -> set[str]:
        base = self.baseline.get(audience)
        return set(base.findings) if base else set()

    def resolve(self, ids: list[str], audience: str) -> list[Build]:
        """Build ``ids`` together; when that fails, halves, until the vectors that break a build are alone."""
        result = self.build(ids, audience)
        if not result.error or len(ids) == 1:
            return [result]
        middle = len(ids) // 2
        return self.resolve(ids[:middle], audience) + self.resolve(ids[middle:], audience)


@dataclasses.dataclass
class Outcome:
    written: Written
    verdict: Verdict
    build_failures: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Run:
    outcomes: dict[str, Outcome]
    stray_problems: list[str]
    audience_failures: dict[str, list[str]]
    builds: int


def _owns(written: Written, text: str) -> bool:
    return any(marker in text for marker in written.markers)


def _charge(run_outcomes: dict[str, Outcome], build: Build, trace_list: list[str]) -> None:
    """Charge what a build did wrong to its vectors; what cannot be charged goes to ``trace_list``."""
    alone = len(build.ids) == 1
    aud = build.audience
    if build.error:
        for ident in build.ids:
            run_outcomes[ident].build_failures.append(f"{aud} build failed: {build.error}")
        return
    for finding in build.findings:
        owners = [i for i in build.ids if _owns(run_outcomes[i].written, finding)] or (build.ids if alone else [])
        for ident in owners:
            run_outcomes[ident].build_failures.append(f"{aud} scanner: {finding}")
        if not owners:
            trace_list.append(f"scanner: {finding}")
    for path in build.outside:
        owners = [i for i in build.ids if re.search(rf"(?<![0-9a-z]){re.escape(i.split('-')[0])}(?![0-9])", path)]
        owners = owners or (build.ids if alone else [])
        for ident in owners:
            run_outcomes[ident].build_failures.append(f"{aud} build wrote outside the site: {path}")
        if not owners:
            trace_list.append(f"written outside the site: {path}")
    everything = "\n".join(build.texts.values())
    squeezed = _squeeze(everything)
    for ident in build.ids:
        vector, out = BY_ID[ident], run_outcomes[ident]
        for token in vector.get("forbid") or []:
            if token in everything:
                files = [p for p, t in build.texts.items() if token in t][:5]
                out.build_failures.append(f"{aud} output holds {token!r} (in {', '.join(files)})")
        if aud == "public":
            for token in vector.get("internal") or []:
                if token in everything or _squeeze(token) in squeezed:
                    files = [p for p, t in build.texts.items() if token in t][:5]
                    out.build_failures.append(f"public output holds internal {token!r} (in {', '.join(files)})")
        for token in (vector.get("visible") or []) if aud in vector.get("visible_in", ("public", "internal")) else []:
            if token not in everything:
                out.build_failures.append(
                    f"{aud} output lacks {token!r}: the build did not read the vector's data (KB_DATA_DIR)"
                )
    if aud == "public":
        for token in INTERNAL_TRACES:
            if _squeeze(token) in squeezed:
                files = [p for p, t in build.texts.items() if _squeeze(token) in _squeeze(t)][:5]
                owners = build.ids if alone else []
                for ident in owners:
                    run_outcomes[ident].build_failures.append(
                        f"public output holds internal {token!r} (in {', '.join(files)})"
                    )
                if not owners:
                    trace_list.append(f"public output holds internal {token!r} (in {', '.join(files)})")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Run:
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    base = tmp_path_factory.mktemp("hostile")
    outcomes: dict[str, Outcome] = {}
    stray: list[str] = []

    def check_tree(name: str, vectors: list[dict]) -> None:
        tree = Tree(base / name)
        written = {v["id"]: tree.add(v) for v in vectors}
        result = run_check(tree)
        if result.crashed and len(vectors) > 1:  # find which vector makes it crash
            for number, vector in enumerate(vectors):
                check_tree(f"{name}-{number:03d}", [vector])
            return
        stray.extend(
            f"{p['rel']}:{p.get('line')}: {p.get('field')}: {p.get('message')}"
            for p in result.problems
            if not any(_mine(w, p) for w in written.values()) and p.get("severity", "error") == "error"
        )
        for vector in vectors:
            outcomes[vector["id"]] = Outcome(written[vector["id"]], judge(vector, written[vector["id"]], result))

    check_tree("check-docs", [v for v in VECTORS if not is_data(v)])
    data_vectors = [v for v in VECTORS if is_data(v)]
    for start in range(0, len(data_vectors), DATA_GROUP):
        check_tree(f"check-data-{start:03d}", data_vectors[start : start + DATA_GROUP])

    builder = Builder(base)
    accepted = [
        v["id"] for v in VECTORS if not outcomes[v["id"]].verdict.refused and not outcomes[v["id"]].verdict.failures
    ]
    audience_failures: dict[str, list[str]] = {}
    for audience in ("public", "internal"):
        traces = audience_failures[audience] = []
        baseline = builder.baseline[audience] = builder.build([], audience)
        if baseline.error:
            traces.append(f"the fixture alone does not build: {baseline.error}")
        traces += [f"fixture alone, scanner: {f}" for f in baseline.findings]
        traces += [f"fixture alone, written outside the site: {p}" for p in baseline.outside]
        groups = [[ident] for ident in accepted] if ISOLATE else [accepted]
        for group in groups:
            if group:
                for build in builder.resolve(group, audience):
                    _charge(outcomes, build, traces)
    run = Run(outcomes, stray, audience_failures, builder.count)
    if os.environ.get("KB_HOSTILE_REPORT"):  # every outcome as JSON, for whoever fixes the failures
        Path(os.environ["KB_HOSTILE_REPORT"]).write_text(
            json.dumps(
                {
                    "scanner": SCANNER,
                    "isolated": ISOLATE,
                    "builds": run.builds,
                    "stray_problems": stray,
                    "audiences": audience_failures,
                    "vectors": {
                        ident: {
                            "class": BY_ID[ident]["class"],
                            "refused": o.verdict.refused,
                            "problems": [
                                f"{p['rel']}:{p.get('line')}: {p.get('field')}: {p.get('message')}"
                                for p in o.verdict.problems
                            ],
                            "failures": o.verdict.failures + o.build_failures,
                        }
                        for ident, o in outcomes.items()
                    },
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
    return run


# -- tests ------------------------------------------------------------------------------------------------


def test_corpus_is_complete():
    ids = [v["id"] for v in VECTORS]
    assert len(ids) >= 250 and len(ids) == len(set(ids))
    for vector in VECTORS:
        assert re.fullmatch(r"[a-z][0-9]{3}(?:-[a-z0-9]+)+", vector["id"]), vector["id"]
        assert set(vector) <= KEYS, (vector["id"], set(vector) - KEYS)
        assert vector["class"] in CLASSES and vector["id"][0] == vector["class"], vector["id"]
        assert vector["where"] in WHERE, vector["id"]
        assert any(vector.get(k) for k in ("payload", "meta", "files", "symlinks", "docs", "data")), vector["id"]
        assert vector.get("lang") in (None, "en") and (vector.get("section") != "page" or vector.get("lang") is None)
    counts = {c: sum(v["class"] == c for v in VECTORS) for c in CLASSES}
    assert all(n >= 10 for n in counts.values()), counts


@pytest.mark.parametrize("ident", [v["id"] for v in VECTORS])
def test_vector_is_refused_or_built_clean(hostile, ident):
    outcome = hostile.outcomes[ident]
    problems = outcome.verdict.failures + outcome.build_failures
    how = "refused" if outcome.verdict.refused else "accepted and built"
    assert not problems, f"{ident} ({how}):\n  " + "\n  ".join(problems)


def test_check_reports_nothing_outside_the_vectors(hostile):
    assert not hostile.stray_problems, "errors on files no vector wrote:\n" + "\n".join(hostile.stray_problems[:50])


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_accepted_vectors_build_clean_together(hostile, audience):
    failures = hostile.audience_failures[audience]
    assert not failures, f"{audience} build of the accepted vectors ({len(failures)}):\n" + "\n".join(failures[:80])


def test_output_scanner_is_shared():
    assert SCANNER == "outputscan.scan_site", (
        "tests/outputscan.py (scan_site) is missing: the placeholder scanner was used"
    )


PLANTED = {
    "handler": '<p><img src="a.png" onerror="alert(1)"></p>',
    "script-url": '<p><a href="java&#x09;script:alert(1)">x</a></p>',
    "foreign-load": '<p><img src="//evil.example/x.png"></p>',
    "frame": '<p><iframe srcdoc="x"></iframe></p>',
    "foreign-script": '<script src="https://evil.example/x.js"></script>',
}


@pytest.mark.parametrize("kind", PLANTED)
def test_scanner_finds_what_is_planted(tmp_path, kind):
    """The scanner used here is not blind (a test that cannot fail is a defect): each planted page is found,
    a clean one is not."""
    clean = tmp_path / "clean"
    (clean / "x").mkdir(parents=True)
    (clean / "x" / "index.html").write_text('<p><a href="../y/">y</a><img src="a.png" alt=""></p>', encoding="utf-8")
    assert scan(clean) == []
    planted = tmp_path / "planted"
    (planted / "x").mkdir(parents=True)
    (planted / "x" / "index.html").write_text(f"<html><body>{PLANTED[kind]}</body></html>", encoding="utf-8")
    assert scan(planted), f"the scanner missed {kind}: {PLANTED[kind]}"
