"""Every rule of CONTENT_MODEL.md, applied to a whole ``docs/`` folder in one pass.

:func:`validate` reads all files, reports every problem (never only the first) and returns the
catalogue built from the valid metadata. ``make check`` and the MkDocs build both call it.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import SplitResult, unquote, urlsplit

from kb import consistency, files, redirects, render, source, vocabcheck
from kb.catalog import Catalog, Document, Translation, original_of
from kb.data import DEFAULT_LANGUAGE, LANGUAGES, PROJECT_ROOT, Vocabulary, data_dir, load_vocabulary
from kb.fields import CHECKS, check_pass_through, suggest
from kb.pages import generated_pages
from kb.problems import Problem
from kb.sanitize import Removal
from kb.schema import FIELDS_BY_KEY, OFFICIAL, PASS_THROUGH, TRANSLATION_KEYS, fields_for

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LOCALE_LIKE = re.compile(r"^[a-z]{2}(?:[_-][A-Za-z]{2})?$")

# Body lines outside code, where the checker looks for the line of what it reports.
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
# Keys only a document carries: an ordinary page (home, about, guide) with one of them is a misplaced document.
DOCUMENT_ONLY = ("visibility", *(key for key in FIELDS_BY_KEY if key not in ("title", "summary", "visibility")))
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # C0 controls but tab and line ends, and DEL
HTML_GUIDE = "允许的写法见编辑指南“正文中的 HTML”一节"
# A file under docs/ -> where pages use it: (the page's source, line, field: body or attachments).
Uses = dict[str, list[tuple[source.Source, int, str]]]
# What the English title and summary of a translation look like, for messages.
TRANSLATION_EXAMPLES = {
    "title": "Measures for Managing the Special Fund",
    "summary": "Sets out how the special fund is budgeted, spent and audited.",
}


def today_from_env() -> dt.date:
    """The build date: ``KB_BUILD_DATE`` (YYYY-MM-DD) for reproducible builds, else today."""
    value = os.environ.get("KB_BUILD_DATE", "").strip()
    return dt.date.fromisoformat(value) if value else dt.date.today()


class _Run:
    """State of one validation run: the sources read and the problems found."""

    def __init__(
        self, docs_dir: Path, root: Path, today: dt.date, vocab: Vocabulary, renderer: render.Renderer, jobs: int = 1
    ):
        self.docs_dir, self.root, self.today, self.vocab, self.renderer = docs_dir, root, today, vocab, renderer
        self.jobs = jobs  # processes that may render bodies (the command line: one per core)
        self.catalog = Catalog(today=today, docs_dir=docs_dir)
        self.problems: list[Problem] = []
        self.sources: dict[str, source.Source] = {}  # every Markdown file by its path
        self.owner_of: dict[str, str] = {}  # Markdown path -> identity of its original
        self.broken: set[str] = set()  # documents whose metadata could not be read
        self.refused: set[str] = set()  # files under docs/ that may not be published (reported once, there)
        self.translations: list[tuple[source.Source, str, str]] = []  # (source, identity, lang)
        self.sections = vocab.sections
        self.generated = {page.src_uri for page in generated_pages(vocab)}  # paths only the build may fill

    def report(self, src: source.Source, line: int, key: str, message: str, expected: str = "") -> None:
        self.problems.append(Problem(src.display, line, key, message, expected))

    # -- files -------------------------------------------------------------------------------
    def read_all(self) -> None:
        for rel, path in _walk(self.docs_dir):
            display = path.relative_to(self.root if path.is_relative_to(self.root) else self.docs_dir.parent).as_posix()
            refused = files.problem(rel, path)
            if refused:
                self.problems.append(Problem(display, 1, "filename", *refused))
                self.refused.add(rel)
                continue
            if not rel.endswith(".md"):
                self.catalog.assets.add(rel)
                continue
            src = _parse(path.read_bytes(), rel, display)
            self.problems.extend(src.problems)
            self.sources[rel] = src
            for key in PASS_THROUGH:
                if key in src.meta and (problem := check_pass_through(key, src.meta[key])):
                    self.report(src, src.line_of(key), key, *problem)
            for key, value in src.meta.items():
                if _has_control(value):
                    self.report(
                        src,
                        src.line_of(key),
                        key,
                        "值中含有看不见的控制字符（例如从其他软件复制时带入的）",
                        "删去这一行的值重新输入；网页和订阅源（feed.xml）都不能包含这些字符",
                    )
            self.classify(src)

    def classify(self, src: source.Source) -> None:
        parts = src.path.split("/")
        stem = parts[-1][: -len(".md")]
        lang = DEFAULT_LANGUAGE
        if "." in stem:
            base, suffix = stem.rsplit(".", 1)
            if suffix in LANGUAGES and suffix != DEFAULT_LANGUAGE:
                stem, lang = base, suffix
            elif LOCALE_LIKE.match(suffix):
                others = "、".join(f".{code}.md" for code in LANGUAGES if code != DEFAULT_LANGUAGE)
                self.report(src, 1, "filename", f"不支持的语言后缀 .{suffix}", f"译文文件名只能以 {others} 结尾")
                return
        identity = "/".join(parts[:-1] + [stem + ".md"])
        self.owner_of[src.path] = identity
        section = parts[0] if len(parts) > 1 and parts[0] in self.sections else None
        if section and not self.check_filename(src, parts[:-1] + [stem]):
            return
        if identity in self.generated:
            self.report(src, 1, "filename", f"{identity} 的位置是网站自动生成的页面", "请给文件另起名字或换一个文件夹")
            return
        if lang != DEFAULT_LANGUAGE:
            self.translations.append((src, identity, lang))
        elif section:
            self.read_document(src, section)
        else:
            self.read_page(src)

    def check_filename(self, src: source.Source, parts: list[str]) -> bool:
        bad = [p for p in parts if not SLUG.match(p)]
        if bad:
            self.report(
                src,
                1,
                "filename",
                f"文件名或文件夹名“{bad[0]}”含有大写字母、中文、空格或其他符号",
                "只用小写英文字母、数字和连字符 -，例如 joint-meeting.md（中文文件名会变成难以阅读的网址）",
            )
            return False
        if parts[-1] == "index":
            self.report(
                src,
                1,
                "filename",
                "栏目首页 index.md 由系统自动生成，不能手工创建",
                "请给文件另起名字，例如 joint-meeting.md",
            )
            return False
        return True

    # -- front matter ------------------------------------------------------------------------
    def read_document(self, src: source.Source, section: str) -> None:
        doc_type = self.sections[section]["type"]
        doc = Document(path=src.path, type=doc_type, section=section, meta={})
        self.catalog.documents[src.path] = doc
        if _unreadable(src):
            self.broken.add(src.path)
            return
        if not src.has_front_matter:
            self.report(
                src,
                1,
                "front_matter",
                "文件开头缺少元数据（front matter）",
                "在第一行写 ---，接着逐行写 title、summary 等字段，再以一行 --- 结束；可用 make new 生成模板",
            )
            self.broken.add(src.path)
            return
        allowed = {f.key: f for f in fields_for(doc_type)}
        misspelt = set()  # fields whose key was probably misspelt: the unknown key's message says so
        for key in src.meta:
            if key in allowed or key in PASS_THROUGH:
                continue
            if key == "status":
                self.report(
                    src,
                    src.line_of(key),
                    key,
                    "status 是 Material 主题的保留字段，不能用来表示时效性",
                    "请改用 validity: current（现行有效）、amended（已修订）或 repealed（已废止）",
                )
            elif key in FIELDS_BY_KEY:
                name = self.vocab.sections[self.vocab.types[doc_type]]["zh"]["title"]
                self.report(
                    src,
                    src.line_of(key),
                    key,
                    f"{name}类文件没有 {key}（{FIELDS_BY_KEY[key].label}）字段",
                    "请删除这一行",
                )
            else:
                misspelt.add(self.unknown_key(src, key, list(allowed)))
        complete = True
        for key, fld in allowed.items():
            if key not in src.meta:
                if doc_type in fld.required:
                    if key not in misspelt:
                        self.report(
                            src, 1, key, f"缺少必填字段 {key}（{fld.label}）", f"请添加一行，例如 {key}: {fld.example}"
                        )
                    complete = False
                elif fld.default is not None:
                    doc.meta[key] = fld.default
                continue
            if _blank(src.meta[key]):
                optional = "" if doc_type in fld.required else "；不需要时删除这一行"
                self.report(
                    src,
                    src.line_of(key),
                    key,
                    f"{fld.label}（{key}）还没有填写",
                    f"请在冒号后填写，例如 {key}: {fld.example}{optional}",
                )
                complete = False
                continue
            value, problem = CHECKS[fld.kind](fld, src.meta[key], self.vocab)
            if problem:
                self.report(src, src.line_of(key), key, *problem)
                complete = False
            else:
                doc.meta[key] = value
        if not complete:
            self.broken.add(src.path)
        self.check_dates(src, doc)

    def unknown_key(self, src: source.Source, key: str, allowed: list[str]) -> str:
        """Report a key that is no field, with a did-you-mean; return the field it probably is, or ''."""
        candidates = {k: k for k in allowed + list(PASS_THROUGH)} | {FIELDS_BY_KEY[k].label: k for k in allowed}
        guess = suggest(key, candidates)
        mean = f"是不是要写 {guess}？" if guess else f"可用的字段：{'、'.join(allowed)}"
        self.report(src, src.line_of(key), key, f"未知字段 {key}", mean)
        return guess

    def check_dates(self, src: source.Source, doc: Document) -> None:
        meta = doc.meta
        for key in ("issued", "reviewed", "date"):
            fld = FIELDS_BY_KEY[key]
            if key in meta and fld.not_future and meta[key] > self.today:
                self.report(
                    src,
                    src.line_of(key),
                    key,
                    f"{fld.label} {meta[key]} 晚于今天（{self.today}）",
                    "请核对日期，不能填写将来的日期",
                )
        issued = meta.get("issued")
        if issued is None:
            return
        for key in ("published", "effective"):
            if key in meta and meta[key] < issued:
                self.report(
                    src,
                    src.line_of(key),
                    key,
                    f"{FIELDS_BY_KEY[key].label} {meta[key]} 早于成文日期 {issued}",
                    f"{FIELDS_BY_KEY[key].label}不能早于成文日期（issued）",
                )
        if "expires" in meta:
            start_key = "effective" if "effective" in meta else "issued"
            if meta["expires"] <= meta[start_key]:
                self.report(
                    src,
                    src.line_of("expires"),
                    "expires",
                    f"有效期至 {meta['expires']} 不晚于{FIELDS_BY_KEY[start_key].label} {meta[start_key]}",
                    f"有效期至（expires）须晚于{FIELDS_BY_KEY[start_key].label}（{start_key}）",
                )
        number = meta.get("doc_number")
        if number and number.split("〔", 1)[1][:4] != str(issued.year):
            self.report(
                src,
                src.line_of("doc_number"),
                "doc_number",
                f"发文字号“{number}”中的年份与成文日期 {issued} 的年份不一致",
                f"〔〕中应为 {issued.year}，例如 {number.split('〔', 1)[0]}〔{issued.year}〕{number.split('〕', 1)[1]}",
            )

    def read_page(self, src: source.Source) -> None:
        self.catalog.pages[src.path] = src.meta
        self.check_page_meta(src)

    def check_page_meta(self, src: source.Source) -> None:
        """An ordinary page (or its translation): a title if any, and nothing that makes it a document."""
        title = src.meta.get("title")
        if title is not None and not (isinstance(title, str) and title.strip()):
            self.report(src, src.line_of("title"), "title", "标题应为一段文字", "例如 title: 关于本知识库")
        folders = "、".join(f"docs/{folder}/" for folder in self.sections)
        for key in DOCUMENT_ONLY:
            if key in src.meta:
                label = f"{key}（{FIELDS_BY_KEY[key].label}）"
                where = src.path.split("/")[0]
                message = (
                    f"{where}/ 不是栏目文件夹，而这个文件有 {label} 字段，是一份文件"
                    if "/" in src.path
                    else f"普通页面不能有 {label} 字段：带文件字段的页面是文件，必须放在栏目文件夹中"
                )
                self.report(
                    src,
                    src.line_of(key),
                    key,
                    message,
                    f"文件请放到 {folders} 之一（注意文件夹名的拼写）；普通页面（首页、关于、编辑指南）一律公开，请删除这一行",
                )
                return

    def read_translation(self, src: source.Source, identity: str, lang: str) -> None:
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
            self.check_page_meta(src)
            return
        if _unreadable(src):
            return
        misspelt = set()
        for key in src.meta:
            if key in TRANSLATION_KEYS or key in PASS_THROUGH:
                continue
            if key in FIELDS_BY_KEY:
                self.report(
                    src,
                    src.line_of(key),
                    key,
                    f"译文不能有 {key} 字段：除标题和摘要外，元数据一律继承中文原文",
                    "译文的元数据只写 title 和 summary，请删除这一行",
                )
            else:
                misspelt.add(self.unknown_key(src, key, list(TRANSLATION_KEYS)))
        values = {}
        for key in TRANSLATION_KEYS:
            fld = FIELDS_BY_KEY[key]
            if key not in src.meta:
                if key not in misspelt:
                    self.report(
                        src,
                        1,
                        key,
                        f"译文缺少 {key}（{fld.label}）",
                        f"请添加英文{fld.label}，例如 {key}: {TRANSLATION_EXAMPLES[key]}",
                    )
                continue
            value, problem = CHECKS[fld.kind](fld, src.meta[key], self.vocab)
            if problem:
                self.report(src, src.line_of(key), key, *problem)
            values[key] = value
        if all(values.get(k) for k in TRANSLATION_KEYS):
            doc.translations[lang] = Translation(src.path, values["title"], values["summary"])

    # -- across files ------------------------------------------------------------------------
    def cross_check(self) -> None:
        for src, identity, lang in self.translations:
            self.read_translation(src, identity, lang)
        docs = self.catalog.documents
        numbers: dict[str, list[str]] = defaultdict(list)
        for path, doc in sorted(docs.items()):
            if doc.meta.get("doc_number"):
                numbers[doc.meta["doc_number"]].append(path)
        for number, paths in numbers.items():
            for path in paths if len(paths) > 1 else ():
                src = self.sources[path]
                others = "、".join(self.sources[p].display for p in paths if p != path)
                self.report(
                    src,
                    src.line_of("doc_number"),
                    "doc_number",
                    f"发文字号“{number}”与 {others} 重复",
                    "发文字号在整个知识库中必须唯一，请核对序号",
                )
        for path, doc in sorted(docs.items()):
            src = self.sources[path]
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

    def check_reference(self, src: source.Source, doc: Document, key: str, target: str) -> None:
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
                f"请在 {self.sources[target].display} 中写明 validity: amended（已修订）或 validity: repealed（已废止）",
            )

    # -- bodies ------------------------------------------------------------------------------
    def check_bodies(self) -> None:
        """Every body as the site renders it: what the sanitizer would remove, and where links point."""
        results = self.renderer.read_many({path: src.body for path, src in self.sources.items() if src.text}, self.jobs)
        rendered: dict[str, render.Rendered] = {}
        for path, result in results.items():
            if isinstance(result, Exception):  # a Markdown extension failing on some input: the build would too
                src = self.sources[path]
                self.report(
                    src,
                    src.body_line,
                    "body",
                    f"正文无法转换为网页（{type(result).__name__}）",
                    "请检查正文中不成对的符号、缩进或 HTML 标签，或把最近改动的段落逐段删去找出原因",
                )
            else:
                rendered[path] = result
        self.renderer.save()
        known = set(self.catalog.documents) | set(self.catalog.pages) | self.generated
        users: Uses = defaultdict(list)
        for attaching in self.catalog.documents.values():
            for item in attaching.meta.get("attachments", []):
                users[item].append(
                    (self.sources[attaching.path], self.sources[attaching.path].line_of("attachments"), "attachments")
                )
        absolute: list[tuple[source.Source, int, str]] = []  # http(s) links of public pages, checked last
        for path, page in rendered.items():
            src = self.sources[path]
            doc = self.catalog.documents.get(self.owner_of.get(path, ""))
            is_public = doc is None or doc.meta.get("visibility") == "public"
            lines = _Lines(src)
            for removal in page.removals:
                self.report_removal(src, lines, removal)
            for target in page.links + page.sources:
                number = lines.first([target, unquote(target)])
                if _split(target).scheme.lower() in ("http", "https") or target.startswith("//"):
                    absolute += [(src, number, target)] if is_public else []
                    continue
                linked = self.check_link(src, number, target, page, rendered, known, users)
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

    def report_removal(self, src: source.Source, lines: _Lines, removal: Removal) -> None:
        """Tell the editor what the sanitizer takes out of the page, and why, at the line that wrote it."""
        tag, name, value = removal.tag, removal.attribute, removal.value
        shown = value if len(value) <= 60 else value[:57] + "…"
        message, expected, needles = {
            "tag": (
                f"正文含有不允许的 HTML 标签 <{tag}>，发布时会被删除",
                f"这类标签可能执行脚本、嵌入其他网站的内容或从其他网站加载文件；请删除，改用普通链接（{HTML_GUIDE}）",
                [f"<{tag}"],
            ),
            "event": (
                f"正文中的 {name}= 是事件属性，会在读者的浏览器中执行脚本，发布时会被删除",
                f"请删除 {name}=…（{HTML_GUIDE}）",
                [name],
            ),
            "scheme": (
                f"链接地址“{shown}”不允许，发布时会被删除",
                "链接只能是 http://、https://、mailto: 地址或站内的相对路径",
                [value, name],
            ),
            "invalid": (
                f"链接地址“{shown}”不是完整的网址，发布时会被删除",
                "链接其他网站写以 https:// 开头的完整网址，链接本站页面写相对路径的 .md 文件",
                [value, name],
            ),
            "external": (
                f"正文从其他网站加载 {shown}，内网和离线环境无法显示，也会向外部网站发出请求；发布时会被删除",
                "把文件下载后放到 docs/ 中（例如 docs/images/），再用相对路径引用",
                [value, value.replace("\\", "\\\\"), name, "!["],
            ),
            "style": (
                f'样式 style="{shown}" 中只允许 text-align，其余样式发布时会被删除',
                "请删除 style；表格列的对齐用 Markdown 表格分隔行的 :--- 和 ---: 表示",
                ["style"],
            ),
            "attribute": (
                f"<{tag}> 上的属性 {name} 不允许使用，发布时会被删除",
                f"请删除 {name}（{HTML_GUIDE}）",
                [name],
            ),
        }[removal.reason]
        self.report(src, lines.first(needles), "body", message, expected)

    def check_link(
        self,
        src: source.Source,
        number: int,
        target: str,
        page: render.Rendered,
        rendered: dict[str, render.Rendered],
        known: set[str],
        users: Uses,
    ) -> str | None:
        """Check one relative link or image of a body, as MkDocs will resolve it; the identity of the
        page it links to, if it links to one."""
        parts = _split(target)
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
            if parts.fragment and parts.fragment not in page.anchors | {"top"}:  # #top: the page's top (HTML)
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
            target_page = rendered.get(resolved)
            if parts.fragment and target_page is not None and parts.fragment not in target_page.anchors:
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


def _has_control(value: object) -> bool:
    """A C0 control character other than tab and line ends (XML forbids them), in a value or its items."""
    if isinstance(value, str):
        return CONTROL.search(value) is not None
    if isinstance(value, (list, tuple)):
        return any(_has_control(item) for item in value)
    if isinstance(value, dict):
        return any(_has_control(k) or _has_control(v) for k, v in value.items())
    return False


def _split(url: str) -> SplitResult:
    """``url`` in its parts; one Python cannot split (``http://[::1``) is kept whole as a path."""
    try:
        return urlsplit(url)
    except ValueError:
        return SplitResult("", "", url, "", "")


class _Lines:
    """The lines of a body, lower-cased, where the checker looks for what it reports: outside code first,
    then every line (a fence left open is not code)."""

    def __init__(self, src: source.Source):
        self.src = src
        self.outside_code = [(number, line.lower()) for number, line in _body_lines(src)]
        self._every: list[tuple[int, str]] | None = None

    def first(self, needles: list[str]) -> int:
        """The first line that contains one of ``needles``, else the body's first line with text."""
        wanted = [n.lower() for n in needles if n]
        for candidates in (self.outside_code, None):
            if candidates is None:
                candidates = self._every = self._every or [
                    (number, line.lower()) for number, line in enumerate(self.src.body.split("\n"), self.src.body_line)
                ]
            for needle in wanted:
                for number, line in candidates:
                    if needle in line:
                        return number
        return next((number for number, line in self.outside_code if line.strip()), self.src.body_line)


def _walk(docs_dir: Path):
    """(path relative to docs/, path) of every file MkDocs would read, in order, hidden names skipped.
    A symbolic link is returned as it is, never followed (MkDocs would follow it)."""
    for folder, subfolders, names in os.walk(docs_dir):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        here = Path(folder)
        links = [d for d in subfolders if (here / d).is_symlink()]
        subfolders[:] = [d for d in subfolders if d not in links]
        for name in sorted([*names, *links]):
            if not name.startswith("."):
                path = here / name
                yield path.relative_to(docs_dir).as_posix(), path


def _blank(value: object) -> bool:
    """A key written with nothing after the colon (YAML null) or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def _unreadable(src: source.Source) -> bool:
    """Not UTF-8 or a front matter that does not parse: its fields cannot be checked."""
    return any(p.field in ("encoding", "front_matter") for p in src.problems)


def _body_lines(src: source.Source):
    """(line number, text) of body lines outside code blocks, with inline code removed."""
    fence = None
    for offset, line in enumerate(src.body.split("\n")):
        match = FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)[0] * len(match.group(1))
            continue
        if fence is not None:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
            continue
        yield src.body_line + offset, INLINE_CODE.sub("", line)


_parsed: dict[tuple[str, str], tuple[bytes, source.Source]] = {}  # (path, display) -> bytes last read, parsed


def _parse(raw: bytes, path: str, display: str) -> source.Source:
    """:func:`kb.source.parse`, reusing what the same bytes gave the last time in this process: ``make
    serve`` validates every file again after each change (nothing changes a Source once parsed)."""
    last = _parsed.get((path, display))
    if last is None or last[0] != raw:
        last = _parsed[(path, display)] = (raw, source.parse(raw, path, display))
    return last[1]


def validate(
    docs_dir: Path,
    *,
    root: Path | None = None,
    today: dt.date | None = None,
    vocab: Vocabulary | None = None,
    config_file: Path | None = None,
    jobs: int = 1,
) -> tuple[Catalog, list[Problem]]:
    """Read and check every file under ``docs_dir``; return the catalogue and all problems.
    ``config_file``: the ``mkdocs.yml`` whose Markdown extensions render the bodies (the project's);
    ``jobs``: processes that may render bodies not rendered before (only the command line asks for more)."""
    docs_dir = Path(docs_dir).resolve()
    root = Path(root or docs_dir.parent).resolve()
    if vocab is None:  # the data files are checked before anything is read with them
        if problems := vocabcheck.check(data_dir(), root):
            return Catalog(today=today or today_from_env(), docs_dir=docs_dir), sorted(problems)
        vocab = load_vocabulary()
    renderer = render.renderer(*render.markdown_settings(config_file or PROJECT_ROOT / "mkdocs.yml"))
    run = _Run(docs_dir, root, today or today_from_env(), vocab, renderer, jobs)
    run.read_all()
    run.cross_check()
    run.check_bodies()
    run.catalog.redirects, problems = redirects.read(docs_dir, run.root, run.catalog, run.generated)
    translations: dict[str, dict[str, source.Source]] = defaultdict(dict)
    for src, identity, lang in run.translations:
        translations[identity][lang] = src
    problems += consistency.check(run.catalog.documents, run.sources, translations, run.vocab, run.broken)
    return run.catalog, sorted(set(run.problems + problems))
