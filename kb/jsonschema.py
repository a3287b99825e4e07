"""JSON Schema of the front matter, one per document type, generated from :data:`kb.schema.FIELDS` and data/*.yml.

``python -m kb schema`` writes them to ``schemas/<type>.schema.json`` (and ``translation.schema.json``);
they are committed, and a test keeps them equal to what this module generates. A schema holds the
rules that one file shows on its own (keys, types, forms, vocabularies); the rules across fields and
files (dates in order, the year in 发文字号, duplicates, paths that exist) are ``make check``'s alone.

:func:`describe` is also the text of the comments that ``make new`` writes above each field.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from kb import docnumber
from kb.data import PROJECT_ROOT, Vocabulary
from kb.fields import choices_text
from kb.schema import ATTACHMENT_TYPES, FIELDS_BY_KEY, PASS_THROUGH, TRANSLATION_KEYS, Field, fields_for

SCHEMA_DIR = PROJECT_ROOT / "schemas"
DRAFT = "http://json-schema.org/draft-07/schema#"
GENERATED = "由 python -m kb schema 从 kb/schema.py 和 data/*.yml 生成，请勿手工修改。"

# What a field is for, beyond the form of its value (which describe() derives from the field).
NOTES = {
    "summary": "显示在栏目列表、卡片和搜索结果中",
    "tags": "自由填写的关键词",
    "visibility": "不写按 internal 处理：内部文件不会出现在公开网站",
    "attachments": "先把附件放进 docs/attachments/；附件随列出它的文件公开或不公开",
    "doc_number": "全库唯一，〔〕中的年份与成文日期同年",
    "issuer": "联合发文写成列表",
    "expires": "过了这一天，网站自动显示“已失效”",
    "supersedes": "本文件替代的旧文件；旧文件须改为 validity: amended 或 repealed",
    "reviewed": "现行文件超过复核周期未复核的，列入内部网站的复核清单",
    "review_months": "不写按 12 个月",
    "interprets": "只能是 policies/、funds/、talent/ 中的文件",
}
REFERENCE = r"^(?!docs/|/|\./|\.\./)(?!.*\.en\.md$).+\.md$"
ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def _form(field: Field, vocab: Vocabulary) -> str:
    """The form of the field's value, in the words of the validator's messages."""
    if field.kind == "text":
        return f"文字，{field.min_len}–{field.max_len} 字" if field.min_len > 1 else f"文字，不超过 {field.max_len} 字"
    if field.kind == "vocabulary":
        return f"列表，至少一项，写英文键名：{choices_text(getattr(vocab, field.vocabulary))}"
    if field.kind == "choice":
        return f"只能是 {choices_text(vocab.labels.get(field.key, {}), field.choices)}"
    if field.kind == "date":
        after = FIELDS_BY_KEY[field.not_before] if field.not_before else None
        return (
            "日期，写成 YYYY-MM-DD"
            + ("，不能晚于今天" if field.not_future else "")
            + (f"，不早于{after.label}（{after.key}）" if after else "")
        )
    return {
        "strings": "文字列表，写成 [甲, 乙]",
        "references": "文件路径列表，相对于 docs/",
        "reference": "一个文件的路径，相对于 docs/",
        "attachments": f"附件路径列表，相对于 docs/，类型限 {', '.join(ATTACHMENT_TYPES)}",
        "doc_number": docnumber.EXPECTED,
        "issuer": "发文机关名称",
        "positive_int": "正整数",
        "amount": "不小于 0 的数字，单位万元，只写数字",
        "period": "写成 起始年-结束年，起始年不晚于结束年",
    }[field.kind]


def describe(field: Field, doc_type: str, vocab: Vocabulary) -> str:
    """``必填。<form>。<note>。`` for ``field`` in a document of ``doc_type``."""
    parts = ["必填" if doc_type in field.required else "选填", _form(field, vocab), NOTES.get(field.key, "")]
    return "。".join(part for part in parts if part) + "。"


def describe_translation(field: Field, vocab: Vocabulary) -> str:
    """The comment and description of ``title`` or ``summary`` in an English translation."""
    return f"必填。英文{field.label}，{_form(field, vocab)}。"


def _any_case(suffix: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in suffix)


def _strings(item: dict, min_items: int = 0) -> dict:
    return {"type": "array", "items": {"type": "string", "pattern": r"\S", **item}, "minItems": min_items}


def _value_schema(field: Field, vocab: Vocabulary) -> dict:
    """What a value of ``field`` may be, as JSON Schema."""
    if field.kind == "text":
        return {"type": "string", "pattern": r"\S", "minLength": field.min_len, "maxLength": field.max_len}
    if field.kind == "vocabulary":
        return {"type": "array", "items": {"enum": list(getattr(vocab, field.vocabulary))}, "minItems": 1}
    if field.kind == "choice":
        return {"enum": list(field.choices)}
    if field.kind == "references":
        return _strings({"pattern": REFERENCE})
    if field.kind == "attachments":
        suffixes = "|".join(_any_case(suffix) for suffix in ATTACHMENT_TYPES)
        return _strings({"pattern": rf"^(?!docs/|/|\.\./).+\.({suffixes})$"})
    if field.kind == "issuer":
        return {"anyOf": [{"type": "string", "pattern": r"\S"}, _strings({}, 1)]}
    return {
        "strings": _strings({}),
        "reference": {"type": "string", "pattern": REFERENCE},
        # JavaScript's regular expressions (editors) know no (?P<name>...): plain groups.
        "doc_number": {"type": "string", "pattern": re.sub(r"\(\?P<\w+>", "(", docnumber.DOC_NUMBER.pattern)},
        "date": {"type": "string", "format": "date", "pattern": ISO_DATE},
        "positive_int": {"type": "integer", "minimum": 1},
        "amount": {"type": "number", "minimum": 0},
        "period": {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{4}$"},
    }[field.kind]


def _property(field: Field, doc_type: str, vocab: Vocabulary) -> dict:
    default = {"default": field.default} if field.default is not None else {}
    return {
        "title": field.label,
        "description": describe(field, doc_type, vocab),
        **default,
        **_value_schema(field, vocab),
    }


def _object(title: str, properties: dict, required: list[str]) -> dict:
    passing = {key: {"description": "MkDocs 和 Material 主题的键，原样保留"} for key in PASS_THROUGH}
    return {
        "$schema": DRAFT,
        "title": title,
        "description": GENERATED,
        "type": "object",
        "properties": properties | passing,
        "required": required,
        "additionalProperties": False,
    }


def document_schema(doc_type: str, vocab: Vocabulary) -> dict:
    folder = vocab.types[doc_type]
    fields = fields_for(doc_type)
    return _object(
        f"{vocab.sections[folder]['zh']['title']}（docs/{folder}/）的元数据",
        {f.key: _property(f, doc_type, vocab) for f in fields},
        [f.key for f in fields if doc_type in f.required],
    )


def translation_schema(vocab: Vocabulary) -> dict:
    fields = [FIELDS_BY_KEY[key] for key in TRANSLATION_KEYS]
    properties = {f.key: {**_property(f, "", vocab), "description": describe_translation(f, vocab)} for f in fields}
    return _object(
        "英文译文（name.en.md）的元数据：只有 title 和 summary，其余继承中文原文", properties, list(TRANSLATION_KEYS)
    )


def schema_files(vocab: Vocabulary, directory: Path = SCHEMA_DIR) -> dict[Path, str]:
    """Every schema file as it should be on disk: path -> text."""
    schemas = {doc_type: document_schema(doc_type, vocab) for doc_type in vocab.types}
    schemas["translation"] = translation_schema(vocab)
    return {
        directory / f"{name}.schema.json": json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
        for name, schema in schemas.items()
    }
