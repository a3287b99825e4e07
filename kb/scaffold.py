"""``make new``: a new document, or the English translation of one, with every field explained in Chinese.

:func:`new_document` and :func:`new_translation` write the file and return what the editor still has
to do; a request that cannot be met raises :class:`ScaffoldError` (a Chinese message) and writes
nothing. The comment above each field is :func:`kb.jsonschema.describe`, the words of the JSON Schema.
:func:`snippet_file` gives the same templates as VS Code snippets.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path

from kb import source
from kb.catalog import Catalog, Document
from kb.data import DEFAULT_LANGUAGE, LANGUAGES, PROJECT_ROOT, Vocabulary
from kb.fields import CHECKS, suggest
from kb.jsonschema import describe, describe_translation
from kb.problems import Problem
from kb.schema import FIELDS_BY_KEY, TRANSLATION_KEYS, fields_for
from kb.validate import SLUG, validate

SNIPPET_FILE = PROJECT_ROOT / ".vscode" / "kb.code-snippets"
HEADER = (
    "# 以 # 开头的行是填写说明，不会显示在网站上，可以保留。",
    "# 行首是“# 字段名:”的是选填字段：需要时删去行首的“# ”再填写。",
)
BODY = (
    "<!-- 在这里写正文，写好后删除这段说明。不要再写一级标题（标题取自 title）；"
    "条款写成 **第一条**　……，章写成 ## 第一章　总则。 -->"
)
TRANSLATION_BODY = "<!-- 在这里写英文正文，写好后删除这段说明。其余元数据一律继承中文原文，不要添加。 -->"
UNKNOWABLE = ("doc_number", "interprets")  # required, no default, not to be copied: the editor gives them


class ScaffoldError(Exception):
    """A request ``make new`` refuses; the message is for the editor."""


@dataclass
class Created:
    path: Path
    display: str  # docs/funds/x.md
    notes: list[str]  # what the editor still has to do
    problems: list[Problem] = field(default_factory=list)  # what make check says about the new file now


def resolve_type(name: str, vocab: Vocabulary) -> str:
    """A document type from its name or its folder (``fund`` or ``funds``)."""
    names = {t: t for t in vocab.types} | {folder: t for t, folder in vocab.types.items()}
    if name in names:
        return names[name]
    guess = suggest(name, names)
    allowed = "、".join(f"{t}（{vocab.sections[folder]['zh']['title']}）" for t, folder in vocab.types.items())
    mean = f"是不是要写 TYPE={guess}？" if guess else ""
    problem = f"TYPE={name} 不是文件类型" if name else "请给出 TYPE"
    raise ScaffoldError(f"{problem} — {mean}TYPE 只能是 {allowed}")


def _slug(slug: str) -> str:
    slug = slug.removesuffix(".md")
    if not SLUG.match(slug) or slug == "index":
        raise ScaffoldError(
            f"{f'SLUG={slug} 不能用作文件名' if slug else '请给出 SLUG（文件名）'} — 只用小写英文字母、数字和连字符 -，"
            "不用中文和空格，也不能是 index，例如 SLUG=activity-subsidy"
        )
    return slug


def _checked(key: str, option: str, value: str, vocab: Vocabulary) -> str:
    fld = FIELDS_BY_KEY[key]
    if not value.strip():
        raise ScaffoldError(f"请给出 {option}（{fld.label}） — 例如 {option}={fld.example}")
    checked, problem = CHECKS[fld.kind](fld, value, vocab)
    if problem:
        raise ScaffoldError(f"{option}={value}：{problem[0]} — {problem[1]}")
    return checked


def yaml_text(value: object) -> str:
    """``value`` as the text after ``key: ``, quoted only when YAML would read it otherwise."""
    text = "[" + ", ".join(map(yaml_text, value)) + "]" if isinstance(value, list) else str(value)
    read = source.parse(f"---\nk: {text}\n---\n".encode(), "", "").meta.get("k")
    return text if read == value else json.dumps(value, ensure_ascii=False)


def render(
    doc_type: str, values: dict[str, str], vocab: Vocabulary, today: str, literal=lambda text: text, body: str = ""
) -> str:
    """The file: every field of ``doc_type`` under its explanation; fields without a value commented out.

    ``values`` are YAML texts (a trailing ``# comment`` allowed); ``literal`` escapes the other text (for
    snippets); ``body`` replaces the note that asks for the body (``make import`` writes the text itself).
    """
    lines = ["---", *map(literal, HEADER)]
    for fld in fields_for(doc_type):
        lines.append(literal(f"# {fld.label}：{describe(fld, doc_type, vocab)}"))
        if fld.key in values:
            lines.append(f"{fld.key}: {values[fld.key]}".rstrip())
        else:
            lines.append(literal(f"# {fld.key}: ") + (today if fld.kind == "date" else literal(fld.example)))
    return "\n".join([*lines, "---", "", body.rstrip("\n") or literal(BODY), ""])


def _latest(catalog: Catalog, folder: str) -> Document | None:
    """The section's most recent document: the one an editor would copy."""
    dated = [
        d for d in catalog.documents.values() if d.section == folder and (d.meta.get("issued") or d.meta.get("date"))
    ]
    return max(dated, key=lambda d: (d.meta.get("issued") or d.meta["date"], d.path), default=None)


def _display(path: Path, docs_dir: Path) -> str:
    return path.relative_to(docs_dir.parent).as_posix()


def _problems_of(docs_dir: Path, path: Path, today: dt.date, vocab: Vocabulary) -> list[Problem]:
    display = _display(path, docs_dir)
    return [p for p in validate(docs_dir, today=today, vocab=vocab)[1] if p.path == display]


def new_document(
    docs_dir: Path,
    type_name: str,
    slug: str,
    title: str,
    *,
    doc_number: str = "",
    interprets: str = "",
    today: dt.date,
    vocab: Vocabulary,
) -> Created:
    docs_dir = Path(docs_dir).resolve()
    doc_type = resolve_type(type_name, vocab)
    folder = vocab.types[doc_type]
    path = docs_dir / folder / f"{_slug(slug)}.md"
    if path.exists():
        raise ScaffoldError(f"{_display(path, docs_dir)} 已存在 — 请换一个 SLUG；要修订这份文件，请直接编辑它")
    given = {"title": _checked("title", "TITLE", title, vocab)}
    if doc_number:
        given["doc_number"] = _checked("doc_number", "DOC_NUMBER", doc_number, vocab)
    if interprets:
        given["interprets"] = _checked("interprets", "INTERPRETS", interprets, vocab)
    given["summary"] = given["title"]
    model = _latest(validate(docs_dir, today=today, vocab=vocab)[0], folder)
    model_meta = source.parse((docs_dir / model.path).read_bytes(), "", "").meta if model else {}
    values: dict[str, str] = {}
    copied: list[str] = []
    for fld in fields_for(doc_type):
        required = doc_type in fld.required
        if fld.key in given:
            values[fld.key] = yaml_text(given[fld.key])
        elif fld.kind == "date" and required:
            values[fld.key] = today.isoformat()
        elif fld.default is not None:
            values[fld.key] = str(fld.default)
        elif required and fld.key not in UNKNOWABLE and fld.key in model_meta:
            values[fld.key] = yaml_text(model_meta[fld.key])
            copied.append(fld.key)
        elif required:
            values[fld.key] = ""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(doc_type, values, vocab, today.isoformat()), encoding="utf-8")
    dates = [f.key for f in fields_for(doc_type) if f.kind == "date" and f.key in values]
    notes = _document_notes([key for key, value in values.items() if not value], copied, dates, model, docs_dir)
    return Created(path, _display(path, docs_dir), notes, _problems_of(docs_dir, path, today, vocab))


def _document_notes(
    blank: list[str], copied: list[str], dates: list[str], model: Document | None, docs_dir: Path
) -> list[str]:
    notes = (
        [f"{'、'.join(_named(key) for key in blank)}还没有填写：填写之前 make check 会报告这一行，请补上"]
        if blank
        else []
    )
    if model and copied:
        notes.append(
            f"{'、'.join(_named(key) for key in copied)}暂时照抄了本栏目最新的文件 "
            f"{_display(docs_dir / model.path, docs_dir)}，请改为本文件的实际内容"
        )
    notes.append(f"{'、'.join(_named(key) for key in dates)}先填了今天，请改为实际日期")
    notes += [
        "summary（摘要）暂时与标题相同，请改写为一两句话的概括",
        "visibility: internal（内部）：确认可以公开后再改为 public",
        "在第二个 --- 之下写正文，然后运行 make check",
    ]
    return notes


def _named(key: str) -> str:
    return f"{key}（{FIELDS_BY_KEY[key].label}）"


def new_translation(
    docs_dir: Path, type_name: str, slug: str, title: str, lang: str, *, today: dt.date, vocab: Vocabulary
) -> Created:
    docs_dir = Path(docs_dir).resolve()
    languages = [code for code in LANGUAGES if code != DEFAULT_LANGUAGE]
    if lang not in languages:
        raise ScaffoldError(f"LANG={lang} 不是译文语言 — 只能是 LANG={' 或 LANG='.join(languages)}")
    folder = vocab.types[resolve_type(type_name, vocab)]
    slug = _slug(slug)
    original, path = docs_dir / folder / f"{slug}.md", docs_dir / folder / f"{slug}.{lang}.md"
    if not original.exists():
        raise ScaffoldError(
            f"找不到中文原文 {_display(original, docs_dir)} — 译文要放在原文旁边：请核对 TYPE 和 SLUG，"
            f"或先用 make new TYPE={type_name} SLUG={slug} TITLE=… 创建原文"
        )
    if path.exists():
        raise ScaffoldError(f"{_display(path, docs_dir)} 已存在 — 请直接编辑它")
    value = yaml_text(_checked("title", "TITLE", title, vocab))
    lines = ["---", f"# 英文译文。元数据只写 title 和 summary，其余信息继承中文原文 {_display(original, docs_dir)}。"]
    for key in TRANSLATION_KEYS:
        lines += [
            f"# 英文{FIELDS_BY_KEY[key].label}：{describe_translation(FIELDS_BY_KEY[key], vocab)}",
            f"{key}: {value}",
        ]
    path.write_text("\n".join([*lines, "---", "", TRANSLATION_BODY, ""]), encoding="utf-8")
    notes = [
        "summary（英文摘要）暂时与标题相同，请改写为一两句英文概括",
        "在第二个 --- 之下写英文正文，然后运行 make check",
    ]
    return Created(path, _display(path, docs_dir), notes, _problems_of(docs_dir, path, today, vocab))


def _snippet_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("$", "\\$").replace("}", "\\}")


def snippet_file(vocab: Vocabulary, path: Path = SNIPPET_FILE) -> dict[Path, str]:
    """The templates of ``make new`` as VS Code snippets (prefix ``kb-fund`` …), with a tab stop per
    required field, a drop-down for every choice and vocabulary, and today's date: path -> text."""
    snippets = {}
    for doc_type, folder in vocab.types.items():
        stops = itertools.count(1)
        values = {}
        for fld in fields_for(doc_type):
            if fld.kind == "choice":
                choices = sorted(fld.choices, key=lambda c: c != fld.default)
                values[fld.key] = f"${{{next(stops)}|{','.join(choices)}|}}"
            elif fld.kind == "vocabulary":
                values[fld.key] = f"[${{{next(stops)}|{','.join(getattr(vocab, fld.vocabulary))}|}}]"
            elif fld.kind == "date" and doc_type in fld.required:
                values[fld.key] = "$CURRENT_YEAR-$CURRENT_MONTH-$CURRENT_DATE"
            elif doc_type in fld.required:
                values[fld.key] = f"${{{next(stops)}:{fld.label}}}"
        name = vocab.sections[folder]["zh"]["title"]
        body = render(doc_type, values, vocab, "$CURRENT_YEAR-$CURRENT_MONTH-$CURRENT_DATE", _snippet_escape)
        snippets[f"kb-{doc_type}"] = {
            "scope": "markdown",
            "prefix": [f"kb-{doc_type}", name],
            "description": f"{name}（docs/{folder}/）的元数据模板，由 python -m kb schema 生成",
            "body": body.split("\n"),
        }
    return {path: json.dumps(snippets, ensure_ascii=False, indent=2) + "\n"}
