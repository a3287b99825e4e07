"""发文机关 and 发文字号 across documents, as a 文书 officer checks them (warnings, not errors).

Reads ``issuer``, ``doc_number`` and ``issued`` of the official documents, and ``data/issuers.yml``
(issuer -> {codes, en, owner}). Three rules:

- every issuer is one of data/issuers.yml (an unknown name is usually a typo or a new agency to add);
- a doc_number's 机关代字 is a code of the lead (first) issuer: 联合行文使用主办机关的发文字号;
- numbers restart each year for each 机关代字 and rise with the 成文日期: two documents of one code and
  year whose numbers and dates run in opposite directions are named together.

The same 文号 twice stays an error of :mod:`kb.validate`.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from kb import docnumber
from kb.problems import Problem
from kb.text import Shown, warning

ISSUERS_FILE = "data/issuers.yml"


@dataclass(frozen=True)
class Numbered:
    """One official document with a well-formed doc_number."""

    src: Shown
    number: str
    code: str
    year: int
    seq: int
    issued: dt.date


def codes_of(issuers: dict[str, dict], name: str) -> list[str]:
    return list((issuers.get(name) or {}).get("codes") or [])


def check(documents: Iterable[tuple[Shown, dict]], issuers: dict[str, dict]) -> list[Problem]:
    """``documents``: (source, validated metadata) of every readable official document."""
    problems: list[Problem] = []
    numbered: list[Numbered] = []
    for src, meta in documents:
        names = meta.get("issuer") or []
        problems += _unknown_issuers(src, names, issuers)
        match = docnumber.parse(meta.get("doc_number") or "")
        if not match:
            continue
        if names and names[0] in issuers:
            problems += _code_of_lead(src, meta["doc_number"], match["agency"], names, issuers)
        if meta.get("issued"):
            numbered.append(
                Numbered(
                    src, meta["doc_number"], match["agency"], int(match["year"]), int(match["seq"]), meta["issued"]
                )
            )
    return problems + _order(numbered)


def _unknown_issuers(src: Shown, names: list[str], issuers: dict[str, dict]) -> list[Problem]:
    problems = []
    for name in names:
        if name not in issuers:
            close = sorted((known for known in issuers if name in known or known in name), key=len, reverse=True)
            close = close or difflib.get_close_matches(name, list(issuers), n=1, cutoff=0.75)
            mean = f"是不是要写 {close[0]}？" if close else ""
            problems.append(
                warning(
                    src,
                    src.line_of("issuer"),
                    "issuer",
                    f"发文机关“{name}”不在 {ISSUERS_FILE} 中",
                    f"{mean}请写机关全称；确属新的发文机关时，在 {ISSUERS_FILE} 中添加一行："
                    f"{name}: {{codes: [机关代字], en: 英文名称, owner: 责任单位}}",
                )
            )
    return problems


def _code_of_lead(src: Shown, number: str, code: str, names: list[str], issuers: dict[str, dict]) -> list[Problem]:
    lead_codes = codes_of(issuers, names[0])
    if code in lead_codes:
        return []
    owner = next((name for name in names[1:] if code in codes_of(issuers, name)), None)
    if owner:
        expected = (
            f"联合发文用主办机关的机关代字：若由{owner}主办，把它写在 issuer 的第一位；"
            f"若由{names[0]}主办，文号应为 {'、'.join(lead_codes)}〔年份〕N号"
        )
    else:
        expected = (
            f"{names[0]}的机关代字是 {'、'.join(lead_codes)}（见 {ISSUERS_FILE}），"
            f"文号应写作 {lead_codes[0]}〔年份〕N号；请按印发文件核对"
            if lead_codes
            else f"请在 {ISSUERS_FILE} 中写明{names[0]}的机关代字"
        )
    return [
        warning(
            src,
            src.line_of("doc_number"),
            "doc_number",
            f"发文字号“{number}”的机关代字“{code}”不是主办机关{names[0]}的机关代字",
            expected,
        )
    ]


def _order(numbered: list[Numbered]) -> list[Problem]:
    """Pairs of one code and year whose numbers and 成文日期 run in opposite directions."""
    groups: dict[tuple[str, int], list[Numbered]] = defaultdict(list)
    for item in numbered:
        groups[(item.code, item.year)].append(item)
    problems = []
    for items in groups.values():
        items.sort(key=lambda i: (i.seq, i.src.display))
        for i, low in enumerate(items):
            for high in items[i + 1 :]:
                if high.seq > low.seq and high.issued < low.issued:
                    problems.append(_inversion(low, high))
                    problems.append(_inversion(high, low))
    return problems


def _inversion(this: Numbered, other: Numbered) -> Problem:
    relation = "大" if this.seq > other.seq else "小"
    return warning(
        this.src,
        this.src.line_of("doc_number"),
        "doc_number",
        f"发文字号“{this.number}”（成文日期 {this.issued}）比 {other.src.display} 的“{other.number}”"
        f"（成文日期 {other.issued}）序号{relation}、日期却{'早' if this.issued < other.issued else '晚'}",
        "同一机关代字的文号每年从 1 号起按成文日期顺序编排，请按印发文件核对序号或成文日期",
    )
