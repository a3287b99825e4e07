"""What a document's text says against its metadata and the other documents (warnings).

Plain data in, :class:`~kb.problems.Problem` out, in two steps: :func:`read` reads the Markdown source
of one document's body (not its HTML: these are wording checks) into a :class:`Wording` (kept with the
file's :class:`kb.facts.Facts`); :func:`check` takes the catalogue's documents, their facts and the
project's data (issuers, glossary) and compares the documents with each other.

- 施行 wording: 自印发之日起施行 / 自发布之日起施行 against ``effective``; 自YYYY年M月D日起施行 against
  ``effective``; 有效期至YYYY年M月D日 against ``expires``;
- anachronisms: a document dated before a document its body cites by 《title》 or 文号;
- supersedes that read right: a successor that says 同时废止 (停止执行) repeals (``repealed``), one that
  says 修订/修正 and repeals nothing amends (``amended``); a plan for a later period does not supersede
  the earlier plan, which expires;
- 附件 named in the text (附件：1．… 2．…) that are neither linked files nor a part of the body.

:mod:`kb.issuers` checks issuers and numbering, :mod:`kb.glossary` the English translations.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Protocol

from kb import glossary, issuers
from kb.catalog import Document
from kb.data import Vocabulary
from kb.docnumber import AGENCY_CHARS
from kb.problems import Problem
from kb.schema import OFFICIAL
from kb.source import Source
from kb.text import body_lines, warning

DATE = r"(\d{4})年(\d{1,2})月(\d{1,2})日"
FROM_ISSUE = re.compile(r"自(印发|发布)之日起(?:施行|执行|实施)")
FROM_DATE = re.compile(rf"自{DATE}起(?:施行|执行|实施)")
VALID_UNTIL = re.compile(rf"有效期至{DATE}")
CITED_TITLE = re.compile(r"《([^《》\n]{2,100})》")
NUMBER_TAIL = re.compile(r"〔\d{4}〕\d+号")  # the end of a 文号 in running text
AGENCY_RUN = re.compile(f"{AGENCY_CHARS}*")  # read backwards from a tail: where a 机关代字 can begin
REPEALS = re.compile(r"同时废止|予以废止|同时停止执行|停止执行|不再执行")
AMENDS = re.compile(r"修订|修正")
SENTENCE_END = "。；;\n"
ATTACHMENT_LINE = re.compile(r"^\s*(?:\*\*)?附\s*件(?:\*\*)?\s*[:：]\s*(.*)$")
NUMBERED_ITEM = re.compile(r"^[\s\u3000]*(\d+)\s*[．.、]\s*(.+)$")
LINK = re.compile(r"\]\([^)]+\)")
LINE_BREAK = re.compile(r"<br\s*/?>", re.I)  # 附件：1．…<br>2．… (one line, shown as two)


@dataclass
class Wording:
    """What a readable document's text says, as the checks across documents need it (kept with its
    :class:`kb.facts.Facts`): the warnings of the document alone, whether it says it repeals or amends,
    and on which lines it cites a 《title》 or a 文号."""

    problems: list[Problem]
    repeals: bool
    amends: bool
    # (line, 《titles》 on it, (文号 tail, the text before it that a 机关代字 may end in + the tail)), in order
    citations: list[tuple[int, list[str], list[tuple[str, str]]]]


class Located(Protocol):
    """Where a document's problems are reported (:class:`kb.facts.Facts`)."""

    path: str
    display: str
    wording: Wording | None
    terms: list[str] | None

    def line_of(self, key: str) -> int: ...


@dataclass(frozen=True)
class Entry:
    """A readable document: its catalogue entry and its facts."""

    doc: Document
    src: Located

    @property
    def meta(self) -> dict:
        return self.doc.meta

    @property
    def wording(self) -> Wording:
        assert self.src.wording is not None, "a readable document has its wording read"
        return self.src.wording

    @property
    def terms(self) -> list[str]:
        """The glossary terms the document has (:func:`kb.glossary.original_terms`)."""
        assert self.src.terms is not None, "a readable document has its terms read"
        return self.src.terms

    @property
    def date(self) -> dt.date | None:
        return self.meta.get("issued") or self.meta.get("date")


def read(src: Source, meta: dict, doc_type: str) -> Wording:
    """The :class:`Wording` of a readable document: ``meta``, its valid metadata."""
    lines = list(body_lines(src))
    problems = _dates_against_text(src, meta, lines) if doc_type in OFFICIAL else []
    problems += _attachments(src, lines)
    text = "\n".join(line for _, line in lines)
    citations = []
    for number, line in lines:
        titles = [m.group(1) for m in CITED_TITLE.finditer(line)]
        numbers = [
            (m.group(0), line[m.start() - _agency_before(line, m.start()) : m.end()])
            for m in NUMBER_TAIL.finditer(line)
        ]
        if titles or numbers:
            citations.append((number, titles, numbers))
    return Wording(problems, bool(REPEALS.search(text)), bool(AMENDS.search(text)), citations)


def _agency_before(line: str, end: int) -> int:
    """How many characters before ``end`` a 机关代字 could take: a 文号 ending at a tail found there
    lies in them (every 文号 of the catalogue is valid)."""
    match = AGENCY_RUN.match(line[:end][::-1])
    return match.end() if match else 0


def check(
    documents: dict[str, Document],
    facts: Mapping[str, Located],
    translations: Mapping[str, Mapping[str, glossary.Translated]],
    vocab: Vocabulary,
    broken: Collection[str],
) -> list[Problem]:
    """Every consistency warning across the knowledge base (those of one document alone are in its
    :class:`Wording`).

    ``documents`` and ``facts`` by path (docs-relative); ``translations``: document path -> {lang:
    facts}; ``vocab``: the project's data (its ``issuers`` and ``glossary``); ``broken``: documents
    whose metadata could not be read (left alone here: their errors come first).
    """
    entries = {path: Entry(doc, facts[path]) for path, doc in documents.items() if path not in broken and path in facts}
    official = [e for e in entries.values() if e.doc.is_official]
    problems = issuers.check(((e.src, e.meta) for e in official), vocab.issuers)
    for entry in official:
        problems += _supersedes(entry, entries)
    cited = _citable(entries)
    by_tail = _numbers_by_tail(cited)
    for entry in entries.values():
        problems += _anachronisms(entry, cited, by_tail)
    problems += glossary.check(entries, translations, vocab)
    return problems


def _sentence(line: str, start: int) -> str:
    """The part of ``line`` from the last sentence end before ``start`` to ``start``."""
    begin = max(line.rfind(mark, 0, start) for mark in SENTENCE_END)
    return line[begin + 1 : start]


def _date(match: re.Match, first: int = 1) -> dt.date | None:
    try:
        return dt.date(*(int(match.group(i)) for i in range(first, first + 3)))
    except ValueError:
        return None


# -- 施行 and 有效期 -------------------------------------------------------------------------------
def _dates_against_text(src: Source, meta: dict, lines: list[tuple[int, str]]) -> list[Problem]:
    problems = []
    effective, expires = meta.get("effective"), meta.get("expires")
    for number, line in lines:
        for match in FROM_ISSUE.finditer(line):
            if "《" in _sentence(line, match.start()):
                continue  # 《another document》自印发之日起施行: not this one
            key = "issued" if match.group(1) == "印发" else ("published" if "published" in meta else "issued")
            day = meta.get(key)
            if effective and day and effective != day:
                name = "成文日期（issued）" if key == "issued" else "发布日期（published）"
                problems.append(
                    warning(
                        src,
                        src.line_of("effective"),
                        "effective",
                        f"正文第 {number} 行写明“{match.group(0)}”，施行日期 {effective} 却不是{name} {day}",
                        f"写 effective: {day}；若实际另有施行日期，请改正文，写明“自{_cn(effective)}起施行”",
                    )
                )
        for match in FROM_DATE.finditer(line):
            said = _date(match)
            if said is None or "《" in _sentence(line, match.start()):
                continue
            if effective != said:
                found = f"施行日期却是 {effective}" if effective else "元数据却没有施行日期"
                problems.append(
                    warning(
                        src,
                        src.line_of("effective" if effective else "issued"),
                        "effective",
                        f"正文第 {number} 行写明“{match.group(0)}”，{found}",
                        f"写 effective: {said}；若正文写错，请改正文",
                    )
                )
        for match in VALID_UNTIL.finditer(line):
            said = _date(match)
            if said is not None and expires != said:
                found = f"有效期至却是 {expires}" if expires else "元数据却没有有效期至（expires）"
                problems.append(
                    warning(
                        src,
                        src.line_of("expires" if expires else "issued"),
                        "expires",
                        f"正文第 {number} 行写明“{match.group(0)}”，{found}",
                        f"写 expires: {said}（到期后自动显示为已失效）；若正文写错，请改正文",
                    )
                )
    return problems


def _cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# -- citations ------------------------------------------------------------------------------------
def _citable(entries: dict[str, Entry]) -> dict[str, list[Entry]]:
    """What a body may cite: each document's title (《title》) and 文号, with every document that has it
    (documents of different years may share a title), undated and earliest first."""
    cited: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries.values():
        if entry.meta.get("title"):
            cited[entry.meta["title"]].append(entry)
        if entry.meta.get("doc_number"):
            cited[entry.meta["doc_number"]].append(entry)
    for shared in cited.values():
        if len(shared) > 1:  # undated first, then the earliest: the one a citation can mean
            shared.sort(key=lambda other: (other.date is not None, other.date or dt.date.min, other.doc.path))
    return cited


def _numbers_by_tail(cited: dict[str, list[Entry]]) -> dict[str, list[str]]:
    """The 文号 of the citable documents by their 〔年份〕序号号 tail: a line is searched for tails (a 机关代字
    runs into the words before it, so it cannot be cut out), then for the few 文号 ending in each."""
    tails: dict[str, list[str]] = defaultdict(list)
    for key, others in cited.items():
        if any(key == other.meta.get("doc_number") for other in others) and (match := NUMBER_TAIL.search(key)):
            tails[match.group(0)].append(key)
    return tails


def _anachronisms(entry: Entry, cited: dict[str, list[Entry]], by_tail: dict[str, list[str]]) -> list[Problem]:
    """Citations of a document dated after ``entry``. A title that several documents share names the
    one the body can mean: an anachronism only when every one of them is later."""
    if entry.date is None:
        return []
    problems, seen = [], set()
    for number, titles, numbers in entry.wording.citations:
        keys = [title for title in titles if title in cited]
        keys += [key for tail, text in numbers for key in by_tail.get(tail, ()) if text.endswith(key)]
        for key in keys:
            other = next((other for other in cited[key] if other.doc.path != entry.doc.path), None)
            if other is None or other.date is None or other.date <= entry.date:
                continue
            if (other.doc.path, number) in seen:
                continue
            seen.add((other.doc.path, number))
            own = "成文日期" if "issued" in entry.meta else "日期"
            theirs = "成文日期" if "issued" in other.meta else "日期"
            quoted = key if key == other.meta.get("doc_number") else f"《{key}》"
            problems.append(
                warning(
                    entry.src,
                    number,
                    "body",
                    f"引用了{quoted}（{other.src.display}，{theirs} {other.date}），它晚于本文件的{own} {entry.date}",
                    "文件不能引用在它之后才印发的文件：请核对本文件或被引文件的日期，或删去这处引用"
                    "（编者按、更新说明不写进文件正文）",
                )
            )
    return problems


# -- supersedes -----------------------------------------------------------------------------------
def _supersedes(entry: Entry, entries: dict[str, Entry]) -> list[Problem]:
    problems = []
    repeals, amends = entry.wording.repeals, entry.wording.amends
    for target in entry.meta.get("supersedes", []):
        old = entries.get(target)
        if old is None:
            continue
        if _later_plan(entry, old):
            start, end = old.meta["period"]
            problems.append(
                warning(
                    entry.src,
                    entry.src.line_of("supersedes"),
                    "supersedes",
                    f"规划期 {entry.meta['period'][0]}-{entry.meta['period'][1]} 的规划接续 {target}（{start}-{end}），"
                    "并不替代它：上一期规划是到期失效，不是被修订或废止",
                    f"删除 supersedes 中的 {target}（可写入 related）；在 {old.src.display} 中写 validity: current、"
                    f"expires: {end}-12-31，到期后自动显示为已失效",
                )
            )
            continue
        validity = old.meta.get("validity")
        if repeals and validity == "amended":
            problems.append(
                warning(
                    old.src,
                    old.src.line_of("validity"),
                    "validity",
                    f"替代它的 {entry.src.display} 写明原文件“废止”或“停止执行”，这里却标为已修订",
                    "写 validity: repealed（已废止）",
                )
            )
        elif amends and not repeals and validity == "repealed":
            problems.append(
                warning(
                    old.src,
                    old.src.line_of("validity"),
                    "validity",
                    f"替代它的 {entry.src.display} 写的是“修订”“修正”，没有废止原文件，这里却标为已废止",
                    "写 validity: amended（已修订）；若原文件确已废止，请在新文件中写明“同时废止”",
                )
            )
    return problems


def _later_plan(entry: Entry, old: Entry) -> bool:
    return later_period(entry.meta.get("period"), old.meta.get("period"))


def later_period(period: tuple[int, int] | None, old_period: tuple[int, int] | None) -> bool:
    """A plan of ``period`` (start and end years) follows a plan of ``old_period`` that ended before it
    began: the earlier plan expires, it is not replaced."""
    return bool(period and old_period and old_period[1] < period[0])


# -- 附件 -----------------------------------------------------------------------------------------
def _attachments(src: Source, lines: list[tuple[int, str]]) -> list[Problem]:
    problems = []
    for index, (number, line) in enumerate(lines):
        match = ATTACHMENT_LINE.match(line)
        if not match:
            continue
        items = [(number, piece) for piece in LINE_BREAK.split(match.group(1)) if piece.strip()]
        for later_number, later in lines[index + 1 :]:
            if NUMBERED_ITEM.match(later):
                items += [(later_number, piece) for piece in LINE_BREAK.split(later) if piece.strip()]
            elif later.strip():
                break
        headings = [text for _, text in lines[index + 1 :] if text.lstrip().startswith(("#", "**"))]
        for item_line, item in items:
            if LINK.search(item):
                continue
            name = NUMBERED_ITEM.sub(r"\2", item).strip().strip("《》").rstrip("；;。.")
            name = re.sub(r"^\d+\s*[．.、]\s*", "", name).strip("《》")
            if name and not any(name in heading for heading in headings):
                problems.append(
                    warning(
                        src,
                        item_line,
                        "body",
                        f"正文列出的附件“{name}”既没有链接到附件文件，也不在正文中",
                        "把附件文件放到 docs/attachments/，列入 attachments，并在附件名上加链接，例如 "
                        "附件：[项目申报表](../attachments/project-application-form.docx)；或把附件内容作为"
                        f"“## 附件　{name}”一节写进正文；附件不公开时，删去这一项",
                    )
                )
    return problems
