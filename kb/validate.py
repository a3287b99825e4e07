"""Every rule of CONTENT_MODEL.md, applied to a whole ``docs/`` folder in one pass.

:func:`validate` reads all files, reports every problem (never only the first) and returns the
catalogue built from the valid metadata. ``make check`` and the MkDocs build both call it.

Each Markdown file is read on its own into a :class:`kb.facts.Facts` (its problems, its valid
metadata, what its body links to…); the rules across files (numbering, duplicates, references,
supersedes, links between pages, the wording checks of :mod:`kb.consistency`) then run on the facts of
every file, every time. With ``cache``, the facts of files that did not change are taken from the last
run (:mod:`kb.checkcache`): the same facts, so the same problems.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import gc
import multiprocessing
import os
import posixpath
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import SplitResult, unquote, urlsplit

from kb import checkcache, consistency, files, redirects, render, vocabcheck
from kb.catalog import Catalog, Document, Translation, original_of
from kb.data import LANGUAGES, PROJECT_ROOT, Vocabulary, data_dir, load_vocabulary
from kb.facts import SLUG, Context, Facts, future_dates, read, read_body
from kb.fields import suggest
from kb.glossary import terms
from kb.pages import generated_pages
from kb.problems import Problem, sort_key
from kb.schema import FIELDS_BY_KEY, OFFICIAL

__all__ = ["SLUG", "today_from_env", "validate"]

# A file under docs/ -> where pages use it: (the page's facts, line, field: body or attachments).
Uses = dict[str, list[tuple[Facts, int, str]]]


def today_from_env() -> dt.date:
    """The build date: ``KB_BUILD_DATE`` (YYYY-MM-DD) for reproducible builds, else today."""
    value = os.environ.get("KB_BUILD_DATE", "").strip()
    return dt.date.fromisoformat(value) if value else dt.date.today()


class _Run:
    """State of one validation run: the facts of every file and the problems found across them."""

    def __init__(
        self,
        docs_dir: Path,
        root: Path,
        today: dt.date,
        vocab: Vocabulary,
        renderer: render.Renderer,
        jobs: int = 1,
        store: checkcache.Store | None = None,
        collect: bool = True,
    ):
        self.docs_dir, self.root, self.today, self.vocab, self.renderer = docs_dir, root, today, vocab, renderer
        self.jobs = jobs  # processes that may render bodies (the command line: one per core)
        self.store = store  # the facts kept from the last run, if any
        self.catalog = Catalog(today=today, docs_dir=docs_dir)
        self.problems: list[Problem] = []
        self.facts: dict[str, Facts] = {}  # every Markdown file by its path, in the order MkDocs reads them
        self.broken: set[str] = set()  # documents whose metadata could not be read
        self.refused: set[str] = set()  # files under docs/ that may not be published (reported once, there)
        self.translations: list[Facts] = []
        self.sections = vocab.sections
        self.generated = {page.src_uri for page in generated_pages(vocab)}  # paths only the build may fill
        self.context = Context(vocab, frozenset(self.generated), terms(vocab))
        self.collect = collect  # whether the cycle collector runs outside validate()

    def report(self, src: Facts, line: int, key: str, message: str, expected: str = "") -> None:
        self.problems.append(Problem(src.display, line, key, message, expected))

    # -- files -------------------------------------------------------------------------------
    def read_all(self) -> None:
        """Every file: those that may not be published reported, the facts of every Markdown file
        (kept or read), the catalogue of documents and pages."""
        todo: dict[str, tuple[bytes, list[int] | None, str]] = {}  # path -> bytes, stamp, display
        order: list[str] = []
        for rel, path, display, entry in _walk(self.docs_dir, self.root):
            refused = files.problem(rel, path, entry.is_symlink())
            if refused:
                self.problems.append(Problem(display, 1, "filename", *refused))
                self.refused.add(rel)
                continue
            stat = entry.stat(follow_symlinks=False)
            self.catalog.mtimes[rel] = stat.st_mtime_ns
            if not rel.endswith(".md"):
                self.catalog.assets.add(rel)
                continue
            order.append(rel)
            if self.store is None:
                todo[rel] = (Path(path).read_bytes(), None, display)
                continue
            kept, raw, stamp = self.store.get(rel, display, path, stat)
            if kept is not None:
                self.facts[rel] = kept
            else:
                assert raw is not None
                todo[rel] = (raw, stamp, display)
        self.read_files(todo)
        self.facts = {rel: self.facts[rel] for rel in order}
        for facts in self.facts.values():
            self.add(facts)

    def read_files(self, todo: dict[str, tuple[bytes, list[int] | None, str]]) -> None:
        """The facts of files not kept: parsed, checked, their bodies rendered; in ``jobs`` processes
        when there are enough files to gain from it (a first ``make check`` of a large library)."""
        if not todo:
            return
        if self.jobs > 1 and len(todo) >= render.PARALLEL_FROM:
            self.read_in_processes(todo)
        else:
            fresh = {rel: read(raw, rel, display, self.context) for rel, (raw, _, display) in todo.items()}
            bodies = {rel: src.body for rel, (_, src) in fresh.items() if src.text}
            digests = {rel: render.digest(body) for rel, body in bodies.items()}
            with _collecting(self.collect):  # Markdown's trees may hold cycles
                pages = self.renderer.read_many(bodies, self.jobs, digests)
            for rel, (facts, src) in fresh.items():
                self.facts[rel] = facts
                if rel in pages:
                    facts.body_digest = digests[rel]
                    read_body(facts, src, pages[rel])
        self.renderer.save(keep=(facts.body_digest for facts in self.facts.values()))
        if self.store is not None:
            for rel, (raw, stamp, _) in todo.items():
                assert stamp is not None
                self.store.put(rel, raw, stamp, self.facts[rel])

    def read_in_processes(self, todo: dict[str, tuple[bytes, list[int] | None, str]]) -> None:
        """:meth:`read_files` in ``jobs`` processes, each reading a share of the files whole. They are
        forked (the command line only: one thread, nothing to inherit badly) after the render cache is
        read, so they inherit it, and ``todo``; they send back each file's facts and its rendered body."""
        global _reading
        self.renderer.load()
        _reading = (self, todo)
        names = list(todo)
        shares = [names[start : start + 64] for start in range(0, len(names), 64)]
        try:
            with _collecting(self.collect):  # the processes collect cycles as a process outside validate()
                context = multiprocessing.get_context("fork")
                with ProcessPoolExecutor(self.jobs, mp_context=context) as pool:
                    for results in pool.map(_read_share, shares):
                        for rel, facts, page in results:
                            self.facts[rel] = facts
                            if page is not None:
                                self.renderer.learn(facts.body_digest, page)
        finally:
            _reading = None

    def add(self, facts: Facts) -> None:
        """One file's facts into the catalogue."""
        self.problems.extend(facts.problems)
        if facts.kind == "document":
            meta = {key: list(value) if isinstance(value, list) else value for key, value in facts.meta.items()}
            self.catalog.documents[facts.path] = Document(facts.path, facts.doc_type, facts.section, meta)
            if facts.broken:
                self.broken.add(facts.path)
            self.problems += future_dates(facts, self.today)
        elif facts.kind == "page":
            self.catalog.pages[facts.path] = copy.deepcopy(facts.meta)
        elif facts.kind == "translation":
            self.translations.append(facts)

    def read_translation(self, src: Facts) -> None:
        assert src.identity is not None, "a translation knows its original"
        identity = src.identity
        doc = self.catalog.documents.get(identity)
        if doc is None and identity not in self.catalog.pages:
            self.report(
                src,
                1,
                "filename",
                f"译文没有对应的中文原文 {identity}",
                "译文须与原文放在同一文件夹，文件名为 原文名.en.md；请先添加原文，或修正文件名",
            )
            return
        if doc is None:
            self.problems += src.as_page
            return
        if src.unreadable:
            return
        self.problems += src.as_translation
        if src.translated is not None:
            doc.translations[src.lang] = Translation(src.path, *src.translated)

    def cross_check(self) -> None:
        for translation in self.translations:
            self.read_translation(translation)
        docs = self.catalog.documents
        numbers: dict[str, list[str]] = defaultdict(list)
        for path, doc in sorted(docs.items()):
            if doc.meta.get("doc_number"):
                numbers[doc.meta["doc_number"]].append(path)
        for number, paths in numbers.items():
            for path in paths if len(paths) > 1 else ():
                src = self.facts[path]
                others = "、".join(self.facts[p].display for p in paths if p != path)
                self.report(
                    src,
                    src.line_of("doc_number"),
                    "doc_number",
                    f"发文字号“{number}”与 {others} 重复",
                    "发文字号在整个知识库中必须唯一，请核对序号",
                )
        for path, doc in sorted(docs.items()):
            src = self.facts[path]
            for key in ("related", "supersedes"):
                for target in doc.meta.get(key, []):
                    self.check_reference(src, doc, key, target)
            if "interprets" in doc.meta:
                self.check_reference(src, doc, "interprets", doc.meta["interprets"])
            for item in doc.meta.get("attachments", []):
                if item not in self.catalog.assets:
                    self.report(
                        src,
                        src.line_of("attachments"),
                        "attachments",
                        f"附件 {item} 不存在",
                        f"请把文件放到 docs/{posixpath.dirname(item) or '.'}/ 下，或修正路径",
                    )
        for path, doc in docs.items():
            for target in doc.meta.get("supersedes", []):
                if target in docs and path not in docs[target].superseded_by:
                    docs[target].superseded_by.append(path)
            target = doc.meta.get("interprets")
            if target in docs:
                docs[target].interpretations.append(path)
        for doc in docs.values():
            doc.superseded_by.sort(key=lambda p: (docs[p].meta.get("issued") or self.today, p), reverse=True)
            doc.interpretations.sort(key=lambda p: (docs[p].meta.get("date") or self.today, p), reverse=True)

    def check_reference(self, src: Facts, doc: Document, key: str, target: str) -> None:
        line = src.line_of(key)
        docs = self.catalog.documents
        if target == doc.path:
            self.report(src, line, key, f"{FIELDS_BY_KEY[key].label}不能指向文件自身", "请删除该路径")
            return
        other = docs.get(target)
        if other is None:
            fits = {p: p for p, d in docs.items() if p != doc.path and (key == "related" or d.type in OFFICIAL)}
            close = suggest(target, fits, cutoff=0.85)
            mean = (
                f"是不是要写 {close}？"
                if close
                else "请核对文件名；路径写相对于 docs/ 的路径，例如 policies/joint-meeting.md"
            )
            self.report(src, line, key, f"{FIELDS_BY_KEY[key].label}“{target}”不存在", mean)
            return
        if key in ("supersedes", "interprets") and other.type not in OFFICIAL:
            self.report(
                src,
                line,
                key,
                f"{target} 不是政策文件、资金管理或人才队伍文件",
                f"{FIELDS_BY_KEY[key].label}只能指向 policies/、funds/、talent/ 中的文件",
            )
            return
        if doc.is_public and not other.is_public and target not in self.broken:
            self.report(
                src,
                line,
                key,
                f"公开文件引用了内部文件 {target}，公开版网站中会出现断链或泄露内部信息",
                "删除该引用，或确认后把被引用文件改为 visibility: public",
            )
        if key == "supersedes" and target not in self.broken and other.meta.get("validity") == "current":
            self.report(
                src,
                line,
                key,
                f"被替代的文件 {target} 仍标为现行有效",
                f"请在 {self.facts[target].display} 中写明 validity: amended（已修订）或 validity: repealed（已废止）",
            )

    # -- bodies ------------------------------------------------------------------------------
    def check_bodies(self) -> None:
        """Every body as the site renders it: where its links and images point (what the sanitizer
        would remove is each file's own, in its facts)."""
        known = set(self.catalog.documents) | set(self.catalog.pages) | self.generated
        users: Uses = defaultdict(list)
        for attaching in self.catalog.documents.values():
            for item in attaching.meta.get("attachments", []):
                users[item].append(
                    (self.facts[attaching.path], self.facts[attaching.path].line_of("attachments"), "attachments")
                )
        absolute: list[tuple[Facts, int, str]] = []  # http(s) links of public pages, checked last
        for src in self.facts.values():
            if not src.has_text or src.render_error:
                continue
            doc = self.catalog.documents.get(src.identity or "")
            is_public = doc is None or doc.meta.get("visibility") == "public"
            for target, number in src.links:
                parts = _split(target)
                if parts.scheme.lower() in ("http", "https") or target.startswith("//"):
                    absolute += [(src, number, target)] if is_public else []
                    continue
                linked = self.check_link(src, number, target, parts, known, users)
                if (
                    is_public
                    and linked in self.catalog.documents
                    and linked not in self.broken
                    and not self.catalog.documents[linked].is_public
                ):
                    self.report(
                        src,
                        number,
                        "body",
                        f"公开页面链接了内部文件 {linked}",
                        "删除该链接，或确认后把被链接的文件改为 visibility: public",
                    )
                if doc and linked in self.catalog.documents and linked not in (doc.path, *doc.body_links):
                    doc.body_links.append(linked)
        self.catalog.asset_users = {
            asset: frozenset(src.path for src, _, _ in uses)
            for asset, uses in users.items()
            if asset in self.catalog.assets
        }
        self.check_shared_files(users)
        internal = self.internal_addresses()
        for src, number, target in absolute:
            if (leaked := _address_in(target, internal)) is not None:
                self.report(
                    src,
                    number,
                    "body",
                    f"公开页面中的网址 {target} 指向内部内容 {leaked}，公开版网站会泄露内部地址",
                    "删除该网址；链接本站页面时写相对路径的 .md 文件，例如 ../policies/joint-meeting.md",
                )

    def check_shared_files(self, users: Uses) -> None:
        """A file an internal page uses is internal: a public page may not use it too (fail closed: it
        would publish the internal document's material)."""
        for asset, uses in sorted(users.items()):
            internal = sorted(
                original_of(src.path) for src, _, _ in uses if not self.catalog.is_public_source(src.path)
            )
            for src, line, key in uses if internal else ():
                if self.catalog.is_public_source(src.path):
                    self.report(
                        src,
                        line,
                        key,
                        f"公开页面使用了内部文件 {internal[0]} 所用的文件 {asset}，会把内部材料发布到公开网站",
                        "删除该链接或图片；确需公开时，把文件另存一份（换一个文件名）供公开页面使用",
                    )

    def check_link(
        self,
        src: Facts,
        number: int,
        target: str,
        parts: SplitResult,
        known: set[str],
        users: Uses,
    ) -> str | None:
        """Check one relative link or image of a body (``parts``: ``target`` split), as MkDocs will
        resolve it; the identity of the page it links to, if it links to one."""
        if parts.scheme:  # mailto: (the sanitizer allows nothing else)
            return None
        if target.startswith("/"):
            self.report(
                src,
                number,
                "body",
                f"链接 {target} 以 / 开头，网站放在子路径下时会失效",
                "写相对于本文件的路径，例如 ../funds/special-fund.md",
            )
            return None
        path = unquote(parts.path)
        if not path:
            if parts.fragment and parts.fragment not in src.anchors and parts.fragment != "top":  # the page's top
                self.report(
                    src,
                    number,
                    "body",
                    f"本页没有锚点 #{parts.fragment}",
                    "请核对 # 后的名称，它应是本页某个标题的编号",
                )
            return None
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(src.path), path))
        if resolved == ".." or resolved.startswith("../") or "\\" in path:
            self.report(src, number, "body", f"链接 {target} 指向 docs/ 以外", "只能链接 docs/ 中的文件")
            return None
        if resolved.endswith(".md"):
            identity = original_of(resolved)
            if identity not in known:
                self.report(
                    src,
                    number,
                    "body",
                    f"链接的文件 {target} 不存在",
                    "请核对路径：链接写相对于本文件的路径，例如 ../funds/special-fund.md",
                )
                return None
            target_page = self.facts.get(resolved)
            if (
                parts.fragment
                and target_page is not None
                and target_page.has_text
                and not target_page.render_error
                and parts.fragment not in target_page.anchors
            ):
                self.report(
                    src,
                    number,
                    "body",
                    f"{resolved} 中没有锚点 #{parts.fragment}",
                    "请核对 # 后的名称，它应是目标页面某个标题的编号",
                )
            return identity
        if resolved in self.refused:
            return None
        if resolved in self.catalog.assets:
            users[resolved].append((src, number, "body"))
        elif path.endswith("/") or "." not in posixpath.basename(path):
            self.report(
                src,
                number,
                "body",
                f"链接 {target} 没有指向 .md 文件，网站上会成为断链",
                "链接其他页面时写它的 .md 文件路径，例如 ../funds/special-fund.md",
            )
        else:
            self.report(src, number, "body", f"链接的文件 {target} 不存在", "请核对路径，或把文件放到 docs/ 中")
        return None

    def internal_addresses(self) -> dict[str, str]:
        """Site-relative URL -> what it is, for every page and file the public build leaves out."""
        hidden = self.catalog.excluded("public")
        addresses = {}
        for doc in self.catalog.documents.values():
            if doc.path in hidden:
                addresses.update({doc.url_in(lang): doc.path for lang in LANGUAGES})
        addresses.update({asset: asset for asset in self.catalog.assets if asset in hidden})
        return addresses


def _address_in(url: str, addresses: dict[str, str]) -> str | None:
    """What ``url`` (an absolute address, on any host: the intranet's too) shows of ``addresses``, if anything."""
    path = unquote(_split(url).path)
    path = path[: -len("index.html")] if path.endswith("/index.html") else path
    segments = [part for part in path.split("/") if part]
    for start in range(len(segments)):
        tail = "/".join(segments[start:])
        for candidate in (tail, tail + "/"):
            if candidate in addresses:
                return addresses[candidate]
    return None


def _split(url: str) -> SplitResult:
    """``url`` in its parts; one Python cannot split (``http://[::1``) is kept whole as a path."""
    try:
        return urlsplit(url)
    except ValueError:
        return SplitResult("", "", url, "", "")


_reading: tuple[_Run, dict[str, tuple[bytes, list[int] | None, str]]] | None = None  # for _read_share


def _read_share(names: list[str]) -> list[tuple[str, Facts, render.Rendered | None]]:
    """In a process of :meth:`_Run.read_in_processes`: the facts of the files ``names`` and their
    rendered bodies."""
    assert _reading is not None, "forked by read_in_processes"
    run, todo = _reading
    out = []
    for rel in names:
        raw, _, display = todo[rel]
        facts, src = read(raw, rel, display, run.context)
        page = None
        if src.text:
            facts.body_digest = render.digest(src.body)
            result = run.renderer.result(src.body, facts.body_digest)
            read_body(facts, src, result)
            page = None if isinstance(result, Exception) else result
        out.append((rel, facts, page))
    return out


@contextlib.contextmanager
def _collecting(enabled: bool) -> Iterator[None]:
    """The cycle collector on (if ``enabled``) for a while: :func:`validate` pauses it otherwise. It walks
    every live object each time enough are made, and the facts of 20,000 files are millions of objects
    in no cycle: three seconds of a check that takes two without it. What was read before lives on, and
    is frozen first: the collector's first walk went through all of it (0.35 s of a check after an edit)."""
    if enabled:
        gc.freeze()
        gc.enable()
    try:
        yield
    finally:
        gc.disable()


def _walk(docs_dir: Path, root: Path):
    """(path relative to docs/, its path as text, path as messages show it, its directory entry) of every
    file MkDocs would read, in order (a folder's files, then its folders), hidden names skipped. A symbolic
    link is returned as it is, never followed (MkDocs would follow it). Shown relative to ``root`` when
    inside it, else to the docs folder's parent. The entries come from ``os.scandir``, which tells a link
    from a file without asking the system about each file again (20,000 questions, half a second); the
    paths stay text (a Path for each of 20,000 files took 0.2 s)."""
    base = docs_dir.relative_to(root) if docs_dir.is_relative_to(root) else Path(docs_dir.name)
    prefix = "" if base == Path(".") else base.as_posix() + "/"

    def walk(here: str, at: str):
        with os.scandir(here) as listing:
            entries = sorted((e for e in listing if not e.name.startswith(".")), key=lambda e: e.name)
        folders = []
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                folders.append(entry)
            else:
                rel = at + entry.name
                yield rel, entry.path, prefix + rel, entry
        for entry in folders:
            yield from walk(entry.path, f"{at}{entry.name}/")

    yield from walk(str(docs_dir), "")


def validate(
    docs_dir: Path,
    *,
    root: Path | None = None,
    today: dt.date | None = None,
    vocab: Vocabulary | None = None,
    config_file: Path | None = None,
    jobs: int = 1,
    cache: Path | None = None,
) -> tuple[Catalog, list[Problem]]:
    """Read and check every file under ``docs_dir``; return the catalogue and all problems.
    ``config_file``: the ``mkdocs.yml`` whose Markdown extensions render the bodies (the project's);
    ``jobs``: processes that may render bodies not rendered before (only the command line asks for more);
    ``cache``: the folder of the facts kept between runs (:mod:`kb.checkcache`; the command line and the
    build use :data:`kb.checkcache.ROOT`), None to read every file."""
    docs_dir = Path(docs_dir).resolve()
    root = Path(root or docs_dir.parent).resolve()
    if vocab is None:  # the data files are checked before anything is read with them
        if problems := vocabcheck.check(data_dir(), root):
            return Catalog(today=today or today_from_env(), docs_dir=docs_dir), sorted(problems)
        vocab = load_vocabulary()
    renderer = render.renderer(*render.markdown_settings(config_file or PROJECT_ROOT / "mkdocs.yml"))
    collect = gc.isenabled()
    gc.disable()
    try:
        return _validate(docs_dir, root, today, vocab, renderer, jobs, cache, collect)
    finally:
        if collect:
            # What was read lives on (the catalogue, every file's facts, kept for the next run): frozen,
            # it is left out of the cycle collector's walks. Left young, the first collection after this
            # walked all of it, millions of objects: 0.85 s of a check of 20,000 files.
            gc.freeze()
            gc.enable()


@dataclass
class _Last:
    """What the checks across files answered in the last validation of this process, and the inputs they
    answered from: the vocabulary, every file's facts, the other files and those refused (``make
    serve`` validates again after each edit). The body checks and the consistency checks follow from
    these alone (the catalogue's documents, pages and translations are made of the facts), so their
    answers are given again, unchecked, while the vocabulary and the files are the same and every
    file's facts are those of the last run or equal to them but for the body's digest: a rebuild
    after an edit of a document's text that changes none of its citations, terms, links or headings
    (0.8 s of a rebuild at 10,000 documents). The cross-reference checks (``cross_check``) always run:
    they also date the catalogue's lists by the build date."""

    vocab: Vocabulary | None = None
    facts: dict[str, Facts] = field(default_factory=dict)
    files: tuple[set[str], set[str]] = (set(), set())  # the other files, those refused
    # the body checks' problems, each document's body links and each file's users
    bodies: tuple[list[Problem], dict[str, list[str]], dict[str, frozenset[str]]] | None = None
    consistency: list[Problem] | None = None

    def ask(self, run: _Run) -> None:
        """``run``, its files read, is asking: forget the last answers unless it asks what the last run asked."""
        same = (
            self.vocab is run.vocab
            and self.files == (run.catalog.assets, run.refused)
            and list(self.facts) == list(run.facts)
            and all(map(_same_but_digest, self.facts.values(), run.facts.values()))
        )
        if not same:
            self.bodies = self.consistency = None
        # this run's own facts from now on: the next run's are the same objects (no comparison), and the
        # facts an edit replaced are not held
        self.vocab, self.facts = run.vocab, dict(run.facts)
        self.files = (set(run.catalog.assets), set(run.refused))


_last = _Last()


def _same_but_digest(old: Facts, new: Facts) -> bool:
    return old is new or {**vars(old), "body_digest": ""} == {**vars(new), "body_digest": ""}


def _check_bodies(run: _Run) -> None:
    """``run.check_bodies()``, or its last answer (:class:`_Last`) given to this run's catalogue."""
    if _last.bodies is None:
        before = len(run.problems)
        run.check_bodies()
        links = {path: list(doc.body_links) for path, doc in run.catalog.documents.items() if doc.body_links}
        _last.bodies = (run.problems[before:], links, dict(run.catalog.asset_users))
        return
    problems, links, users = _last.bodies
    run.problems += problems
    for path, linked in links.items():
        run.catalog.documents[path].body_links = list(linked)
    run.catalog.asset_users = dict(users)


def _consistency(run: _Run, translations: dict[str, dict[str, Facts]]) -> list[Problem]:
    """:func:`kb.consistency.check` of ``run``, or its last answer (:class:`_Last`)."""
    if _last.consistency is None:
        _last.consistency = consistency.check(run.catalog.documents, run.facts, translations, run.vocab, run.broken)
    return list(_last.consistency)


def _validate(
    docs_dir: Path,
    root: Path,
    today: dt.date | None,
    vocab: Vocabulary,
    renderer: render.Renderer,
    jobs: int,
    cache: Path | None,
    collect: bool,
) -> tuple[Catalog, list[Problem]]:
    store = None
    if cache is not None:
        store = checkcache.store(docs_dir, checkcache.fingerprint(repr(vocab), renderer.fingerprint), cache)
        store.begin()
    run = _Run(docs_dir, root, today or today_from_env(), vocab, renderer, jobs, store, collect)
    run.read_all()
    _last.ask(run)
    run.cross_check()
    _check_bodies(run)
    run.catalog.redirects, problems = redirects.read(docs_dir, run.root, run.catalog, run.generated)
    translations: dict[str, dict[str, Facts]] = defaultdict(dict)
    for facts in run.translations:
        assert facts.identity is not None
        translations[facts.identity][facts.lang] = facts
    problems += _consistency(run, translations)
    if store is not None:
        store.save()
    return run.catalog, sorted(set(run.problems + problems), key=sort_key)
