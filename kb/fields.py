"""Checking one front-matter value against its :class:`~kb.schema.Field`.

Each checker takes the raw YAML value and returns ``(value, problem)``: the normalised value
(dates as :class:`datetime.date`, lists as lists) or ``None``, and a ``(message, expected)`` pair or
``None``. Cross-field and cross-file rules live in :mod:`kb.validate`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import posixpath
import re
from collections.abc import Callable
from functools import cache
from importlib.resources import files as package_files
from typing import Any

from kb import docnumber
from kb.data import Vocabulary
from kb.schema import ATTACHMENT_TYPES, Field

Outcome = tuple[Any, "tuple[str, str] | None"]

ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$", re.ASCII)
CHINESE_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")
OTHER_DATE = re.compile(r"^(\d{4})\s*[./／\-－—]\s*(\d{1,2})\s*[./／\-－—]\s*(\d{1,2})$")
PERIOD = re.compile(r"^(\d{4})-(\d{4})$")
PERIOD_LOOSE = re.compile(r"^(\d{4})\s*(?:年)?\s*[-—–－~～至到]\s*(\d{4})\s*(?:年)?$")
# What a Chinese input method types instead of list brackets, commas and date digits.
FULL_WIDTH_LIST = re.compile(r"^\s*[【［〔](.*)[】］〕]\s*$", re.S)
HALF_WIDTH = str.maketrans("０１２３４５６７８９－／．", "0123456789-/.")
HALF_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def suggest(value: str, candidates: dict[str, str], cutoff: float = 0.6) -> str:
    """Did-you-mean: ``candidates`` maps what an editor may have typed (key or label) to the key."""
    if value in candidates:
        return candidates[value]
    close = difflib.get_close_matches(value, list(candidates), n=1, cutoff=cutoff)
    return candidates[close[0]] if close else ""


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return f"布尔值 {str(value).lower()}（是/否）"
    if isinstance(value, (int, float)):
        return f"数字 {value}"
    if isinstance(value, list):
        return "列表" if value else "空列表"
    if isinstance(value, dict):
        return "键值对"
    if value is None or (isinstance(value, str) and not value.strip()):
        return "空值"
    return f"文字“{value}”"


def _example(field: Field) -> str:
    return f"例如 {field.key}: {field.example}" if field.example else ""


def check_text(field: Field, value: Any, vocab: Vocabulary) -> Outcome:
    if not isinstance(value, str) or not value.strip():
        return None, (f"{field.label}应为一段文字，这里是{_type_name(value)}", _example(field))
    value = value.strip()
    if field.min_len and len(value) < field.min_len:
        return None, (
            f"{field.label}太短（{len(value)} 字）",
            f"应为 {field.min_len}–{field.max_len} 个字，{_example(field)}",
        )
    if field.max_len and len(value) > field.max_len:
        return None, (
            f"{field.label}太长（{len(value)} 字，最多 {field.max_len} 字）",
            f"请压缩到 {field.max_len} 字以内",
        )
    return value, None


def _flow(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def _split(text: str, separators: str) -> list[str]:
    return [part.strip() for part in re.split(f"[,{separators}]", text) if part.strip()]


def _marks(texts: list[str], chars: str) -> str:
    """Which of ``chars`` occur in ``texts``, quoted for a message: “，” or “，”和“、”."""
    return "和".join(f"“{c}”" for c in chars if any(c in text for text in texts))


def _string_list(
    field: Field, value: Any, separators: str = "，", fix: Callable[[str], str] = str
) -> tuple[list[str] | None, tuple[str, str] | None]:
    """A list of non-empty strings; full-width brackets or commas get the corrected list as the hint.

    ``separators`` are the full-width characters that can only be a mistaken list comma in this field;
    ``fix`` turns an item into what the hint should show (e.g. a Chinese topic name into its key).
    """
    if isinstance(value, str):
        if match := FULL_WIDTH_LIST.match(value):
            fixed = _flow([fix(item) for item in _split(match.group(1), separators)])
            brackets = value.strip()[0] + value.strip()[-1]
            return None, (
                f"{field.label}用了全角方括号“{brackets}”",
                f"列表用半角方括号 [ ]，写成 {field.key}: {fixed}",
            )
        fixed = _flow([fix(item) for item in _split(value, separators)])
        return None, (f"{field.label}应为列表，这里是一段文字", f"用方括号写成列表，例如 {field.key}: {fixed}")
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return None, (f"{field.label}应为文字列表，这里是{_type_name(value)}", _example(field))
    if joined := [v.strip() for v in value if any(c in v for c in separators)]:
        fixed = _flow([fix(item) for v in value for item in _split(v, separators)])
        return None, (
            f"{field.label}“{joined[0]}”中用了全角标点{_marks(joined, separators)}",
            f"列表各项之间用半角逗号分隔，写成 {field.key}: {fixed}",
        )
    return [v.strip() for v in value], None


def check_strings(field: Field, value: Any, vocab: Vocabulary) -> Outcome:
    return _string_list(field, value)


def check_vocabulary(field: Field, value: Any, vocab: Vocabulary) -> Outcome:
    table: dict[str, dict[str, str]] = getattr(vocab, field.vocabulary)
    candidates = (
        {key: key for key in table}
        | {entry["zh"]: key for key, entry in table.items()}
        | {entry["en"].lower(): key for key, entry in table.items()}
    )

    def guess(item: str) -> str:
        return suggest(item if item in candidates else item.lower(), candidates)

    items, problem = _string_list(field, value, "，、", lambda item: guess(item) or item)
    if problem:
        return None, problem
    if not items:
        return None, (f"{field.label}至少填写一项", f"可选值：{choices_text(table)}")
    unknown = [item for item in items if item not in table]
    if not unknown:
        return items, None
    guesses = {item: guess(item) for item in unknown}
    if len(unknown) == 1:
        mean = f"是不是要写 {guesses[unknown[0]]}？" if guesses[unknown[0]] else ""
    else:
        mean = "".join(f"“{item}”是不是要写 {guess}？" for item, guess in guesses.items() if guess)
    names = "、".join(f"“{item}”" for item in unknown)
    return None, (f"{field.label}{names}不在词表中", f"{mean}可选值：{choices_text(table)}")


def choices_text(table: dict[str, dict[str, str]], keys: tuple[str, ...] = ()) -> str:
    """``key（中文名）、…`` for ``keys`` (default: all of ``table``), as messages and descriptions show them."""
    return "、".join(f"{key}（{table[key]['zh']}）" if key in table else key for key in keys or table)


def check_choice(field: Field, value: Any, vocab: Vocabulary) -> Outcome:
    names = vocab.labels.get(field.key, {})
    allowed = choices_text(names, field.choices)
    if isinstance(value, str) and value.strip() in field.choices:
        return value.strip(), None
    candidates = {c: c for c in field.choices} | {names[c]["zh"]: c for c in field.choices if c in names}
    guess = suggest(str(value).strip(), candidates) if value is not None else ""
    mean = f"是不是要写 {guess}？" if guess else ""
    return None, (f"{field.label}不能是{_type_name(value)}", f"{mean}只能是 {allowed}")


def check_references(field: Field, value: Any, vocab: Vocabulary) -> Outcome:
    items, problem = _string_list(field, value)
    if items is None:
        return None, problem
    return _every_item(items, lambda item: _reference_problem(field, item))


def check_reference(field: Field, value: Any, vocab: Vocabulary | None = None) -> Outcome:
    """A path relative to docs/ (``vocab`` unused: every check takes it, kb.redirects has none)."""
    if not isinstance(value, str) or not value.strip():
        return None, (f"{field.label}应为一个文件路径，这里是{_type_name(value)}", _example(field))
    value = value.strip()
    return (None, problem) if (problem := _reference_problem(field, value)) else (value, None)


def _reference_problem(field: Field, item: str) -> tuple[str, str] | None:
    expected = f"写相对于 docs/ 的路径，例如 {field.example.strip('[]').split(',')[0]}"
    if item.startswith(("docs/", "/", "./", "../")) or not _inside_docs(item):
        return f"路径“{item}”写法不对", expected
    if not item.endswith(".md") or item.endswith(".en.md"):
        return f"路径“{item}”应指向中文原文的 .md 文件", expected
    return None


def check_attachments(field: Field, value: Any, vocab: Vocabulary) -> Outcome:
    items, problem = _string_list(field, value)
    if items is None:
        return None, problem
    return _every_item(items, _attachment_problem)


def _inside_docs(path: str) -> bool:
    """A plain path inside docs/: no ``..``, ``.``, empty or absolute part, no backslash, drive or control character."""
    return (
        "\\" not in path
        and ":" not in path
        and path.isprintable()
        and posixpath.normpath(path) == path
        and not path.startswith(("/", ".."))
    )


def _attachment_problem(item: str) -> tuple[str, str] | None:
    suffix = item.rsplit(".", 1)[-1].lower() if "." in item else ""
    if item.startswith(("docs/", "/", "../")) or not _inside_docs(item):
        return f"附件路径“{item}”写法不对", "写相对于 docs/ 的路径，例如 attachments/project-application-form.docx"
    if suffix not in ATTACHMENT_TYPES:
        return f"附件“{item}”的类型不允许", f"只能是 {', '.join(ATTACHMENT_TYPES)} 文件"
    return None


def _every_item(items: list[str], check: Callable[[str], tuple[str, str] | None]) -> Outcome:
    """Check each item of a list; one problem naming every bad item, so that one run shows them all."""
    problems = [problem for item in items if (problem := check(item))]
    if not problems:
        return items, None
    messages, hints = zip(*problems, strict=False)
    return None, ("；".join(messages), "；".join(dict.fromkeys(hints)))


def check_doc_number(field: Field, value: Any, vocab: Vocabulary) -> Outcome:
    if not isinstance(value, str):
        return None, (f"发文字号应为文字，这里是{_type_name(value)}", docnumber.EXPECTED)
    value = value.strip()
    if docnumber.parse(value) is None:
        fixed = _corrected_doc_number(value)
        expected = f"应写作 {fixed}" if fixed else docnumber.EXPECTED
        return None, (f"发文字号“{value}”格式不对：{docnumber.hint(value)}", expected)
    return value, None


def _corrected_doc_number(value: str) -> str:
    """The number the editor meant, when the usual slips explain the mistake; else ''."""
    fixed = re.sub(r"[\[(（【［﹝{]\s*(\d{4})\s*[\])）】］﹞}]", r"〔\1〕", value)
    fixed = re.sub(r"〕\s*[第字]\s*", "〕", fixed.translate(HALF_WIDTH_DIGITS))
    fixed = re.sub(r"〕0+(?=[1-9])", "〕", re.sub(r"\s+", "", fixed))
    return fixed if docnumber.parse(fixed) else ""


def check_issuer(field: Field, value: Any, vocab: Vocabulary) -> Outcome:
    names = [value] if isinstance(value, str) else value
    if isinstance(names, list) and names and all(isinstance(v, str) and v.strip() for v in names):
        if joined := [v.strip() for v in names if "，" in v or "、" in v]:
            fixed = _flow([part for v in names for part in _split(v, "，、")])
            return None, (
                f"发文机关“{joined[0]}”中用了{_marks(joined, '，、')}",
                f"联合发文时写成列表，各机关之间用半角逗号分隔，例如 issuer: {fixed}",
            )
        return [v.strip() for v in names], None
    return None, (f"发文机关应为机关名称，或联合发文时的名称列表，这里是{_type_name(value)}", _example(field))


def parse_date(value: Any) -> tuple[dt.date | None, tuple[str, str] | None]:
    """A date written YYYY-MM-DD, or the reason it is not one."""
    expected = "格式为 YYYY-MM-DD，例如 2024-03-15"
    if isinstance(value, dt.date):
        return value, None
    text = str(value).strip() if isinstance(value, (str, int)) else None
    if text is None:
        return None, (f"日期不能是{_type_name(value)}", expected)
    if match := ISO_DATE.match(text):
        try:
            return dt.date(*map(int, match.groups())), None
        except ValueError:
            return None, (f"日期“{text}”不存在", f"请核对年月日，{expected}")
    half_width = text.translate(HALF_WIDTH)
    if half_width != text and ISO_DATE.match(half_width):
        return None, (f"日期“{text}”中有全角数字或符号", f"应写作 {half_width}（数字和连字符用半角，{expected}）")
    for pattern in (CHINESE_DATE, OTHER_DATE):
        if match := pattern.match(half_width):
            year, month, day = map(int, match.groups())
            return None, (f"日期“{text}”写法不对", f"应写作 {year:04d}-{month:02d}-{day:02d}（{expected}）")
    return None, (f"“{text}”不是日期", expected)


def check_date(field: Field, value: Any, vocab: Vocabulary) -> Outcome:
    date, problem = parse_date(value)
    if problem:
        return None, (f"{field.label}：{problem[0]}", problem[1])
    return date, None


def check_positive_int(field: Field, value: Any, vocab: Vocabulary) -> Outcome:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value, None
    return None, (f"{field.label}应为正整数，这里是{_type_name(value)}", _example(field))


def check_amount(field: Field, value: Any, vocab: Vocabulary) -> Outcome:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
        return value, None
    return None, (
        f"{field.label}应为不小于 0 的数字（单位万元，不写“万元”），这里是{_type_name(value)}",
        _example(field),
    )


def check_period(field: Field, value: Any, vocab: Vocabulary) -> Outcome:
    expected = "写作 起始年-结束年，例如 period: 2024-2026"
    text = str(value).strip() if isinstance(value, (str, int)) else ""
    if match := PERIOD.match(text):
        start, end = map(int, match.groups())
        if start > end:
            return None, (f"规划期“{text}”起始年晚于结束年", expected)
        return (start, end), None
    if match := PERIOD_LOOSE.match(text):
        return None, (
            f"规划期“{text}”写法不对",
            f"应写作 period: {match.group(1)}-{match.group(2)}（起止年份之间用半角连字符 -）",
        )
    return None, (f"规划期不能是{_type_name(value)}", expected)


# -- keys of MkDocs and Material (PASS_THROUGH): only their documented forms reach the theme --------
TEMPLATES = ("main.html",)  # the only page template content may choose (overrides/main.html)
HIDE = ("navigation", "toc", "footer", "path", "tags", "feedback")
ICON = re.compile(r"^[a-z0-9-]+(?:/[a-z0-9-]+)+$")


@cache
def _icons() -> frozenset[str]:
    """The icon names Material ships (``material/file-document``), from its ``.icons`` folder."""
    folder = package_files("material") / "templates" / ".icons"
    found = set()
    for top in folder.iterdir():
        if top.is_dir():
            stack = [(top, top.name)]
            while stack:
                here, name = stack.pop()
                for entry in here.iterdir():
                    if entry.is_dir():
                        stack.append((entry, f"{name}/{entry.name}"))
                    elif entry.name.endswith(".svg"):
                        found.add(f"{name}/{entry.name[:-4]}")
    return frozenset(found)


def check_pass_through(key: str, value: Any) -> tuple[str, str] | None:
    """A MkDocs/Material key (hide, icon, search, template, description) in a form the theme documents."""
    if key == "template" and value not in TEMPLATES:
        return f"页面模板“{value}”不允许使用", f"请删除这一行（只能写 template: {' 或 '.join(TEMPLATES)}）"
    if key == "hide":
        items = value if isinstance(value, list) else None
        if items is None or any(item not in HIDE for item in items):
            return "hide 的写法不对", f"写成列表，只能包含 {', '.join(HIDE)}，例如 hide: [navigation, toc]"
    if key == "icon" and not (isinstance(value, str) and ICON.match(value) and value in _icons()):
        return (
            f"图标“{value}”不存在",
            "写 Material 主题自带图标的名称，例如 icon: material/file-document；不需要时删除这一行",
        )
    if key == "search":
        ok = (
            isinstance(value, dict)
            and set(value) <= {"exclude", "boost"}
            and isinstance(value.get("exclude", False), bool)
            and isinstance(value.get("boost", 1), (int, float))
            and not isinstance(value.get("boost", 1), bool)
        )
        if not ok:
            return "search 的写法不对", "写成 search: {exclude: true} 或 search: {boost: 2}；不需要时删除这一行"
    if key == "description" and not (isinstance(value, str) and 0 < len(value.strip()) <= 200):
        return (
            "description（页面描述）应为一段不超过 200 字的文字",
            "例如 description: 本页介绍知识库的栏目和用法；不需要时删除这一行",
        )
    return None


CHECKS: dict[str, Callable[[Field, Any, Vocabulary], Outcome]] = {
    "text": check_text,
    "strings": check_strings,
    "vocabulary": check_vocabulary,
    "choice": check_choice,
    "references": check_references,
    "reference": check_reference,
    "attachments": check_attachments,
    "doc_number": check_doc_number,
    "issuer": check_issuer,
    "date": check_date,
    "positive_int": check_positive_int,
    "amount": check_amount,
    "period": check_period,
}
