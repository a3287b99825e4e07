"""What one Markdown file says on its own: every problem that depends on nothing but its bytes, its
path and the project's rules and data, and what the checks across files need of it.

:func:`read` parses a file and checks its front matter, its filename and (with :func:`read_body`) its
rendered body; the result, a :class:`Facts`, is plain data. The checks across files
(:mod:`kb.validate`, :mod:`kb.consistency`, :mod:`kb.glossary`, :mod:`kb.issuers`) read only Facts,
never the file, so a Facts kept from an earlier run (:mod:`kb.checkcache`) gives exactly what reading
the file again would. What depends on the build date (dates in the future) is checked across files.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from kb import consistency, glossary, render, source
from kb.data import DEFAULT_LANGUAGE, LANGUAGES, Vocabulary
from kb.fields import CHECKS, check_pass_through, suggest
from kb.problems import Problem
from kb.sanitize import Removal
from kb.schema import FIELDS_BY_KEY, PASS_THROUGH, TRANSLATION_KEYS, fields_for

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LOCALE_LIKE = re.compile(r"^[a-z]{2}(?:[_-][A-Za-z]{2})?$")
# Body lines outside code, where the checker looks for the line of what it reports.
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
# Keys only a document carries: an ordinary page (home, about, guide) with one of them is a misplaced document.
DOCUMENT_ONLY = ("visibility", *(key for key in FIELDS_BY_KEY if key not in ("title", "summary", "visibility")))
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # C0 controls but tab and line ends, and DEL
HTML_GUIDE = "允许的写法见编辑指南“正文中的 HTML”一节"
# What the English title and summary of a translation look like, for messages.
TRANSLATION_EXAMPLES = {
    "title": "Measures for Managing the Special Fund",
    "summary": "Sets out how the special fund is budgeted, spent and audited.",
}


@dataclass
class Facts:
    """One Markdown file as the checks across files see it. Problems are those of the file alone;
    ``as_page`` and ``as_translation`` are a translation's, reported once the original is known."""

    path: str  # relative to docs/
    display: str  # what messages call it
    kind: str = ""  # document, page, translation, or "" (a filename problem: nothing more is read)
    identity: str | None = None  # the original's path (a translation's, or the file's own)
    lang: str = DEFAULT_LANGUAGE
    section: str = ""
    doc_type: str = ""
    problems: list[Problem] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # front-matter key -> line
    body_line: int = 1
    meta: dict[str, Any] = field(default_factory=dict)  # a document's valid values; a page's front matter
    broken: bool = False  # a document whose metadata could not be read or is incomplete
    unreadable: bool = False  # not UTF-8, or a front matter that does not parse
    # The body as the site renders it (files with text): a failure, or links and anchors.
    has_text: bool = False
    body_digest: str = ""  # the body's kb.render.digest (what kb.render keeps it by)
    render_error: str = ""  # the exception's name, if Markdown failed on the body
    links: list[tuple[str, int]] = field(default_factory=list)  # every link and image: (target, line)
    anchors: frozenset[str] = frozenset()
    # A translation: its problems as the translation of an ordinary page, or of a document; its
    # (title, summary) when both are valid.
    as_page: list[Problem] = field(default_factory=list)
    as_translation: list[Problem] = field(default_factory=list)
    translated: tuple[str, str] | None = None
    # Wording checks (kb.consistency, kb.glossary).
    wording: consistency.Wording | None = None  # a readable document's
    english: glossary.English | None = None  # an English translation's
    terms: list[str] | None = None  # a readable document's glossary terms (kb.glossary.original_terms)

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)


@dataclass(frozen=True)
class Context:
    """The rules a file is read against, the same for every file of a run."""

    vocab: Vocabulary
    generated: frozenset[str]  # paths only the build may fill
    terms: dict[str, dict]  # the glossary's terms (kb.glossary.terms)


def read(raw: bytes, path: str, display: str, ctx: Context) -> tuple[Facts, source.Source]:
    """The facts of the front matter and filename of one file, and the parsed file (for :func:`read_body`)."""
    src = source.parse(raw, path, display)
    facts = Facts(path, display, problems=list(src.problems), lines=dict(src.lines), body_line=src.body_line)
    facts.unreadable = _unreadable(src)
    facts.has_text = bool(src.text)
    reader = _Reader(facts, src, ctx)
    for key in PASS_THROUGH:
        if key in src.meta and (problem := check_pass_through(key, src.meta[key])):
            reader.report(src.line_of(key), key, *problem)
    for key, value in src.meta.items():
        if _has_control(value):
            reader.report(
                src.line_of(key),
                key,
                "值中含有看不见的控制字符（例如从其他软件复制时带入的）",
                "删去这一行的值重新输入；网页和订阅源（feed.xml）都不能包含这些字符",
            )
    reader.classify()
    return facts, src


def read_body(facts: Facts, src: source.Source, page: render.Rendered | Exception) -> None:
    """What the rendered body ``page`` (or Markdown's failure on it) tells of the file."""
    if isinstance(page, Exception):  # a Markdown extension failing on some input: the build would too
        facts.render_error = type(page).__name__
        facts.problems.append(
            Problem(
                src.display,
                src.body_line,
                "body",
                f"正文无法转换为网页（{facts.render_error}）",
                "请检查正文中不成对的符号、缩进或 HTML 标签，或把最近改动的段落逐段删去找出原因",
            )
        )
        return
    lines = _Lines(src)
    for removal in page.removals:
        facts.problems.append(_removal(src, lines, removal))
    facts.links = [(target, lines.first([target, unquote(target)])) for target in page.links + page.sources]
    facts.anchors = page.anchors


class _Reader:
    def __init__(self, facts: Facts, src: source.Source, ctx: Context):
        self.facts, self.src, self.ctx, self.sections = facts, src, ctx, ctx.vocab.sections

    def report(self, line: int, key: str, message: str, expected: str = "") -> None:
        self.facts.problems.append(Problem(self.src.display, line, key, message, expected))

    def classify(self) -> None:
        src, facts = self.src, self.facts
        parts = src.path.split("/")
        stem = parts[-1][: -len(".md")]
        lang = DEFAULT_LANGUAGE
        if "." in stem:
            base, suffix = stem.rsplit(".", 1)
            if suffix in LANGUAGES and suffix != DEFAULT_LANGUAGE:
                stem, lang = base, suffix
            elif LOCALE_LIKE.match(suffix):
                others = "、".join(f".{code}.md" for code in LANGUAGES if code != DEFAULT_LANGUAGE)
                self.report(1, "filename", f"不支持的语言后缀 .{suffix}", f"译文文件名只能以 {others} 结尾")
                return
        identity = "/".join(parts[:-1] + [stem + ".md"])
        facts.identity = identity
        section = parts[0] if len(parts) > 1 and parts[0] in self.sections else None
        if section and not self.check_filename(parts[:-1] + [stem]):
            return
        if identity in self.ctx.generated:
            self.report(1, "filename", f"{identity} 的位置是网站自动生成的页面", "请给文件另起名字或换一个文件夹")
            return
        facts.lang = lang
        if lang != DEFAULT_LANGUAGE:
            facts.kind = "translation"
            self.read_translation()
        elif section:
            facts.kind, facts.section = "document", section
            self.read_document(section)
        else:
            facts.kind, facts.meta = "page", src.meta
            facts.problems += self.page_meta()

    def check_filename(self, parts: list[str]) -> bool:
        bad = [p for p in parts if not SLUG.match(p)]
        if bad:
            self.report(
                1,
                "filename",
                f"文件名或文件夹名“{bad[0]}”含有大写字母、中文、空格或其他符号",
                "只用小写英文字母、数字和连字符 -，例如 joint-meeting.md（中文文件名会变成难以阅读的网址）",
            )
            return False
        if parts[-1] == "index":
            self.report(
                1,
                "filename",
                "栏目首页 index.md 由系统自动生成，不能手工创建",
                "请给文件另起名字，例如 joint-meeting.md",
            )
            return False
        return True

    # -- front matter ------------------------------------------------------------------------
    def read_document(self, section: str) -> None:
        src, facts = self.src, self.facts
        doc_type = facts.doc_type = self.sections[section]["type"]
        if facts.unreadable:
            facts.broken = True
            return
        if not src.has_front_matter:
            self.report(
                1,
                "front_matter",
                "文件开头缺少元数据（front matter）",
                "在第一行写 ---，接着逐行写 title、summary 等字段，再以一行 --- 结束；可用 make new 生成模板",
            )
            facts.broken = True
            return
        allowed = {f.key: f for f in fields_for(doc_type)}
        misspelt = set()  # fields whose key was probably misspelt: the unknown key's message says so
        for key in src.meta:
            if key in allowed or key in PASS_THROUGH:
                continue
            if key == "status":
                self.report(
                    src.line_of(key),
                    key,
                    "status 是 Material 主题的保留字段，不能用来表示时效性",
                    "请改用 validity: current（现行有效）、amended（已修订）或 repealed（已废止）",
                )
            elif key in FIELDS_BY_KEY:
                vocab = self.ctx.vocab
                name = vocab.sections[vocab.types[doc_type]]["zh"]["title"]
                self.report(
                    src.line_of(key), key, f"{name}类文件没有 {key}（{FIELDS_BY_KEY[key].label}）字段", "请删除这一行"
                )
            else:
                misspelt.add(self.unknown_key(key, list(allowed), facts.problems))
        complete = True
        meta = facts.meta
        for key, fld in allowed.items():
            if key not in src.meta:
                if doc_type in fld.required:
                    if key not in misspelt:
                        self.report(
                            1, key, f"缺少必填字段 {key}（{fld.label}）", f"请添加一行，例如 {key}: {fld.example}"
                        )
                    complete = False
                elif fld.default is not None:
                    meta[key] = fld.default
                continue
            if _blank(src.meta[key]):
                optional = "" if doc_type in fld.required else "；不需要时删除这一行"
                self.report(
                    src.line_of(key),
                    key,
                    f"{fld.label}（{key}）还没有填写",
                    f"请在冒号后填写，例如 {key}: {fld.example}{optional}",
                )
                complete = False
                continue
            value, problem = CHECKS[fld.kind](fld, src.meta[key], self.ctx.vocab)
            if problem:
                self.report(src.line_of(key), key, *problem)
                complete = False
            else:
                meta[key] = value
        self.check_dates(meta)
        if not complete:
            facts.broken = True
            return
        facts.wording = consistency.read(src, meta, doc_type)
        facts.problems += facts.wording.problems
        facts.terms = glossary.original_terms(meta["title"], src, self.ctx.terms)

    def unknown_key(self, key: str, allowed: list[str], problems: list[Problem]) -> str:
        """Report a key that is no field, with a did-you-mean, into ``problems``; return the field it
        probably is, or ''."""
        candidates = {k: k for k in allowed + list(PASS_THROUGH)} | {FIELDS_BY_KEY[k].label: k for k in allowed}
        guess = suggest(key, candidates)
        mean = f"是不是要写 {guess}？" if guess else f"可用的字段：{'、'.join(allowed)}"
        problems.append(Problem(self.src.display, self.src.line_of(key), key, f"未知字段 {key}", mean))
        return guess

    def check_dates(self, meta: dict[str, Any]) -> None:
        """The dates of one document against each other (against the build date: :func:`future_dates`)."""
        src = self.src
        issued = meta.get("issued")
        if issued is None:
            return
        for key in ("published", "effective"):
            if key in meta and meta[key] < issued:
                self.report(
                    src.line_of(key),
                    key,
                    f"{FIELDS_BY_KEY[key].label} {meta[key]} 早于成文日期 {issued}",
                    f"{FIELDS_BY_KEY[key].label}不能早于成文日期（issued）",
                )
        if "expires" in meta:
            start_key = "effective" if "effective" in meta else "issued"
            if meta["expires"] <= meta[start_key]:
                self.report(
                    src.line_of("expires"),
                    "expires",
                    f"有效期至 {meta['expires']} 不晚于{FIELDS_BY_KEY[start_key].label} {meta[start_key]}",
                    f"有效期至（expires）须晚于{FIELDS_BY_KEY[start_key].label}（{start_key}）",
                )
        number = meta.get("doc_number")
        if number and number.split("〔", 1)[1][:4] != str(issued.year):
            self.report(
                src.line_of("doc_number"),
                "doc_number",
                f"发文字号“{number}”中的年份与成文日期 {issued} 的年份不一致",
                f"〔〕中应为 {issued.year}，例如 {number.split('〔', 1)[0]}〔{issued.year}〕{number.split('〕', 1)[1]}",
            )

    def page_meta(self) -> list[Problem]:
        """An ordinary page (or its translation): a title if any, and nothing that makes it a document."""
        src, problems = self.src, []
        title = src.meta.get("title")
        if title is not None and not (isinstance(title, str) and title.strip()):
            problems.append(
                Problem(src.display, src.line_of("title"), "title", "标题应为一段文字", "例如 title: 关于本知识库")
            )
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
                problems.append(
                    Problem(
                        src.display,
                        src.line_of(key),
                        key,
                        message,
                        f"文件请放到 {folders} 之一（注意文件夹名的拼写）；普通页面（首页、关于、编辑指南）一律公开，请删除这一行",
                    )
                )
                break
        return problems

    def read_translation(self) -> None:
        """Both readings of a translation: of an ordinary page, and of a document (which one applies is
        known once every file is read). Every translation is checked for spelling."""
        src, facts = self.src, self.facts
        facts.as_page = self.page_meta()
        if facts.lang == glossary.LANG:
            facts.english = glossary.read_english(src, self.ctx.vocab)
            facts.problems += facts.english.spelling
        if facts.unreadable:
            return
        problems, misspelt = facts.as_translation, set()
        for key in src.meta:
            if key in TRANSLATION_KEYS or key in PASS_THROUGH:
                continue
            if key in FIELDS_BY_KEY:
                problems.append(
                    Problem(
                        src.display,
                        src.line_of(key),
                        key,
                        f"译文不能有 {key} 字段：除标题和摘要外，元数据一律继承中文原文",
                        "译文的元数据只写 title 和 summary，请删除这一行",
                    )
                )
            else:
                misspelt.add(self.unknown_key(key, list(TRANSLATION_KEYS), problems))
        values = {}
        for key in TRANSLATION_KEYS:
            fld = FIELDS_BY_KEY[key]
            if key not in src.meta:
                if key not in misspelt:
                    problems.append(
                        Problem(
                            src.display,
                            1,
                            key,
                            f"译文缺少 {key}（{fld.label}）",
                            f"请添加英文{fld.label}，例如 {key}: {TRANSLATION_EXAMPLES[key]}",
                        )
                    )
                continue
            value, problem = CHECKS[fld.kind](fld, src.meta[key], self.ctx.vocab)
            if problem:
                problems.append(Problem(src.display, src.line_of(key), key, *problem))
            values[key] = value
        if all(values.get(k) for k in TRANSLATION_KEYS):
            facts.translated = (values["title"], values["summary"])


def future_dates(facts: Facts, today: dt.date) -> list[Problem]:
    """A document's dates that may not lie after the build date ``today`` and do."""
    problems = []
    for key in ("issued", "reviewed", "date"):
        fld = FIELDS_BY_KEY[key]
        if key in facts.meta and fld.not_future and facts.meta[key] > today:
            problems.append(
                Problem(
                    facts.display,
                    facts.line_of(key),
                    key,
                    f"{fld.label} {facts.meta[key]} 晚于今天（{today}）",
                    "请核对日期，不能填写将来的日期",
                )
            )
    return problems


def _removal(src: source.Source, lines: _Lines, removal: Removal) -> Problem:
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
    return Problem(src.display, lines.first(needles), "body", message, expected)


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


def _has_control(value: object) -> bool:
    """A C0 control character other than tab and line ends (XML forbids them), in a value or its items."""
    if isinstance(value, str):
        return CONTROL.search(value) is not None
    if isinstance(value, (list, tuple)):
        return any(_has_control(item) for item in value)
    if isinstance(value, dict):
        return any(_has_control(k) or _has_control(v) for k, v in value.items())
    return False


def _blank(value: object) -> bool:
    """A key written with nothing after the colon (YAML null) or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def _unreadable(src: source.Source) -> bool:
    """Not UTF-8 or a front matter that does not parse: its fields cannot be checked."""
    return any(p.field in ("encoding", "front_matter") for p in src.problems)


# -- kept between runs (kb.checkcache): plain JSON, every value of a type it names ------------------
class Unkept(ValueError):
    """A value JSON cannot give back as it was (a page's front matter may hold any YAML): the file is
    read again on every run instead."""


def encode(facts: Facts) -> list:
    """``facts`` as JSON values, :func:`decode` gives them back equal."""
    wording = facts.wording
    english = facts.english
    return [
        facts.path,
        facts.display,
        facts.kind,
        facts.identity,
        facts.lang,
        facts.section,
        facts.doc_type,
        _problems(facts, facts.problems),
        facts.lines,
        facts.body_line,
        _document_meta(facts.meta) if facts.kind == "document" else _value(facts.meta),
        facts.broken,
        facts.unreadable,
        facts.has_text,
        facts.body_digest,
        facts.render_error,
        facts.links,
        sorted(facts.anchors),
        _problems(facts, facts.as_page),
        _problems(facts, facts.as_translation),
        facts.translated,
        wording and [_problems(facts, wording.problems), wording.repeals, wording.amends, wording.citations],
        english and [_problems(facts, english.spelling), english.uses, _problems(facts, english.wrong), english.links],
        facts.terms,
    ]


def decode(item: list) -> Facts:
    """The :class:`Facts` that :func:`encode` gave ``item`` for; TypeError, ValueError, KeyError or
    IndexError if it is not such a list."""
    (path, display, kind, identity, lang, section, doc_type, problems, lines, body_line, meta, broken, unreadable,
     has_text, body_digest, render_error, links, anchors, as_page, as_translation, translated, wording, english,
     terms) = item  # fmt: skip
    _texts(path, display, kind, lang, section, doc_type, body_digest, render_error, *anchors)
    _numbers(body_line, *lines.values())
    _texts(*lines, *([] if identity is None else [identity]))
    _flags(broken, unreadable, has_text)
    facts = Facts(path, display, kind, identity, lang, section, doc_type, _unproblems(display, problems), lines)
    facts.body_line = body_line
    facts.meta = _undocument_meta(meta) if kind == "document" else _unvalue(meta)
    if type(facts.meta) is not dict:
        raise TypeError("meta")
    facts.broken, facts.unreadable, facts.has_text = broken, unreadable, has_text
    facts.body_digest, facts.render_error = body_digest, render_error
    facts.links = [(target, line) for target, line in links]
    _texts(*(target for target, _ in facts.links))
    _numbers(*(line for _, line in facts.links))
    facts.anchors = frozenset(anchors)
    facts.as_page, facts.as_translation = _unproblems(display, as_page), _unproblems(display, as_translation)
    if translated is not None:
        facts.translated = (translated[0], translated[1])
        _texts(*facts.translated)
    if wording is not None:
        found, repeals, amends, citations = wording
        _flags(repeals, amends)
        cited = [(number, titles, [(tail, text) for tail, text in numbers]) for number, titles, numbers in citations]
        for number, titles, numbers in cited:
            _numbers(number)
            _texts(*titles, *(tail for tail, _ in numbers), *(text for _, text in numbers))
        facts.wording = consistency.Wording(_unproblems(display, found), repeals, amends, cited)
    if english is not None:
        spelling, uses, wrong, english_links = english
        links_ = [(number, text, linked, target) for number, text, linked, target in english_links]
        _texts(*uses, *(t for _, *rest in links_ for t in rest))
        _numbers(*(number for number, *_ in links_))
        facts.english = glossary.English(_unproblems(display, spelling), uses, _unproblems(display, wrong), links_)
    if terms is not None:
        facts.terms = _texts(*terms)
    return facts


def _problems(facts: Facts, problems: list[Problem]) -> list:
    if any(p.path != facts.display for p in problems):
        raise Unkept("a problem of another file")
    return [[p.line, p.field, p.message, p.expected, p.severity] for p in problems]


def _unproblems(display: str, items: list) -> list[Problem]:
    if not items:
        return []
    problems = [Problem(display, line, f, m, e, s) for line, f, m, e, s in items]
    _numbers(*(p.line for p in problems))
    _texts(*(text for p in problems for text in (p.field, p.message, p.expected, p.severity)))
    return problems


# The types of checked values, compared as sets: {*map(type, values)} runs in C, twice as fast as a
# generator over the values (a check reads 20,000 files' facts from the cache each time).
_STR, _INT, _BOOL = {str}, {int}, {bool}
_KINDS = {key: field.kind for key, field in FIELDS_BY_KEY.items()}


def _texts(*values: object) -> list[str]:
    if not {*map(type, values)} <= _STR:
        raise TypeError("text")
    return list(values)  # type: ignore[arg-type]


def _numbers(*values: object) -> None:
    if not {*map(type, values)} <= _INT:
        raise TypeError("number")


def _flags(*values: object) -> None:
    if not {*map(type, values)} <= _BOOL:
        raise TypeError("flag")


def _document_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """A document's valid metadata as JSON: each value is of the type its field's check gives (dates and
    periods as text and lists, :func:`_undocument_meta` reads them back by the field)."""
    out: dict[str, Any] = {}
    for key, value in meta.items():
        kind = _KINDS[key]
        if kind == "date" and type(value) is dt.date:
            out[key] = value.isoformat()
        elif kind == "period" and type(value) is tuple and len(value) == 2 and all(type(v) is int for v in value):
            out[key] = list(value)
        elif kind not in ("date", "period") and _plain(value):
            out[key] = value
        else:
            raise Unkept(key)
    return out


def _plain(value: object) -> bool:
    kind = type(value)
    if kind is list:
        return {*map(type, value)} <= _STR  # type: ignore[call-overload]
    return kind is str or kind is int or (kind is float and math.isfinite(value))  # type: ignore[arg-type]


def _undocument_meta(meta: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in meta.items():
        kind = _KINDS[key]
        if kind == "date":
            out[key] = dt.date.fromisoformat(value)
        elif kind == "period":
            start, end = value
            _numbers(start, end)
            out[key] = (start, end)
        elif _plain(value):
            out[key] = list(value) if type(value) is list else value
        else:
            raise TypeError(key)
    return out


DEPTH = 32  # nesting of a front-matter value that is kept (a deeper one is read again every time)


def _value(value: Any, depth: int = DEPTH) -> Any:
    """A front-matter value as JSON: text, numbers, true/false and null as they are, everything else as
    {"list": …}, {"map": …}, {"date": …} or {"pair": …}, so that each comes back as the type it was."""
    kind = type(value)
    if value is None or kind in (str, bool, int) or (kind is float and math.isfinite(value)):
        return value
    if depth == 0:
        raise Unkept("nested too deep")
    if kind is list:
        return {"list": [_value(item, depth - 1) for item in value]}
    if kind is tuple:
        return {"pair": [_value(item, depth - 1) for item in value]}
    if kind is dt.date:
        return {"date": value.isoformat()}
    if kind is dict and all(type(key) is str for key in value):
        return {"map": {key: _value(item, depth - 1) for key, item in value.items()}}
    raise Unkept(kind.__name__)


def _unvalue(value: Any) -> Any:
    if value is None or type(value) in (str, bool, int, float):
        return value
    ((kind, inner),) = value.items()
    if kind == "list":
        return [_unvalue(item) for item in inner]
    if kind == "pair":
        return tuple(_unvalue(item) for item in inner)
    if kind == "date":
        return dt.date.fromisoformat(inner)
    if kind == "map":
        _texts(*inner)
        return {key: _unvalue(item) for key, item in inner.items()}
    raise ValueError(kind)
