"""修订对照: an old and a new version of a document set side by side, article by article.

A document body is cut into units: its articles (第N条) when both versions have them, otherwise its
top-level headed sections. Units are paired in order by content similarity, with a bonus for the same
article number or heading, so that an article that only moved to another number is still paired with
itself. Each pair is compared character by character (Chinese has no spaces to split words on) into
segments that the template marks with ``<del>`` and ``<ins>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
ARTICLE = re.compile(
    r"^\s*(?:\*\*|__)?(第([零〇一二两三四五六七八九十百千\d]+)条)(?:\*\*|__)?\s*"
)  # \s includes the 全角 space
HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
INLINE = (
    (re.compile(r"^(?:!!!|\?\?\?\+?)\s*[\w-]+(?:\s+\"([^\"]*)\")?\s*$"), r"\1"),  # admonition -> its title
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # image -> alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # link -> its text
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # reference link -> its text
    (re.compile(r"<[^>]+>"), ""),  # raw HTML tags
    (re.compile(r"(\*\*|__|\*|`|~~|==|\^\^)"), ""),  # emphasis, code, mark, insert
    (re.compile(r"\{[:#.][^}]*\}"), ""),  # attribute lists
)
MIN_SIMILARITY = 0.35  # below this, two units are a deletion and an addition, not a change
SAME_KEY_BONUS = 0.15  # the same article number or heading
CHAFF = 2  # an unchanged run this short between two changes is folded into them


@dataclass(frozen=True)
class Unit:
    """An article or a headed section: its label (第四条, 一、总体要求), article number, plain text."""

    label: str
    number: int | None
    text: str


@dataclass(frozen=True)
class Row:
    """One line of the comparison: an old unit, a new unit or both, and their marked-up text."""

    status: str  # same, changed, added, deleted
    old: Unit | None
    new: Unit | None
    old_segments: tuple[tuple[str, str], ...]  # (op, text), op in equal, del
    new_segments: tuple[tuple[str, str], ...]  # (op, text), op in equal, ins

    @property
    def renumbered(self) -> bool:
        return bool(self.old and self.new and self.old.label != self.new.label)


def chinese_number(text: str) -> int | None:
    """二十三 -> 23, 一百零五 -> 105, 12 -> 12; None if it is not a number."""
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for char in text:
        if char in CN_DIGITS:
            digit = CN_DIGITS[char]
        elif char in CN_UNITS:
            total += (1 if digit is None else digit) * CN_UNITS[char]
            digit = None
        else:
            return None
    return total + (digit or 0)


def plain(markdown: str) -> str:
    """Markdown as the reader sees it: no markup, table cells separated by spaces, one line per line."""
    lines = []
    for line in markdown.strip().split("\n"):
        if TABLE_RULE.match(line):
            continue
        line = line.strip()
        if line.startswith("|"):
            line = "　".join(cell.strip() for cell in line.strip("|").split("|"))
        for pattern, replacement in INLINE:
            line = pattern.sub(replacement, line)
        lines.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def units(markdown: str, by_article: bool) -> list[Unit]:
    """The articles (``by_article``) or top-level headed sections of a body; the text before the
    first is a unit too. Lower headings stay in the text of their section."""
    lines = markdown.split("\n")
    top = min((len(m.group(1)) for line in lines if (m := HEADING.match(line))), default=0)
    found: list[tuple[str, int | None, list[str]]] = [("", None, [])]
    for line in lines:
        heading = HEADING.match(line)
        article = ARTICLE.match(line) if by_article else None
        if article:
            found.append((article.group(1), chinese_number(article.group(2)), [line[article.end() :]]))
        elif heading and by_article:
            found.append(("", None, []))  # a chapter heading ends the article before it
        elif heading and len(heading.group(1)) == top:
            found.append((plain(heading.group(2)), None, []))
        else:
            found[-1][2].append(heading.group(2) if heading else line)
    result = []
    for label, number, lines in found:
        text = plain("\n".join(lines))
        if text or label:
            result.append(Unit(label, number, text))
    return result


def has_articles(markdown: str) -> bool:
    return any(ARTICLE.match(line) for line in markdown.split("\n"))


def _same_key(old: Unit, new: Unit) -> bool:
    """The same article number, or the same section heading."""
    if old.number is not None or new.number is not None:
        return old.number == new.number
    return old.label == new.label


def _similarities(old: list[Unit], new: list[Unit]) -> list[list[float]]:
    """``[i][j]``: 0..1 how alike old unit i and new unit j read; sections under the same heading always
    pair. One matcher per new unit, since difflib analyses its second text once."""
    table = [[0.0] * len(new) for _ in old]
    for j, b in enumerate(new):
        matcher = SequenceMatcher(None, "", b.text, autojunk=False)
        for i, a in enumerate(old):
            floor = MIN_SIMILARITY if a.number is None and _same_key(a, b) else 0.0
            if not a.text or not b.text:
                table[i][j] = max(floor, 1.0 if a.text == b.text else 0.0)
                continue
            matcher.set_seq1(a.text)
            quick = matcher.real_quick_ratio() >= MIN_SIMILARITY and matcher.quick_ratio() >= MIN_SIMILARITY
            table[i][j] = max(floor, matcher.ratio() if quick else 0.0)
    return table


def align(old: list[Unit], new: list[Unit]) -> list[tuple[Unit | None, Unit | None]]:
    """Pair units in order (an alignment maximising total similarity); unpaired ones stand alone."""
    n, m = len(old), len(new)
    similarity = _similarities(old, new)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best = max(score[i + 1][j], score[i][j + 1])
            if similarity[i][j] >= MIN_SIMILARITY:
                bonus = SAME_KEY_BONUS if _same_key(old[i], new[j]) else 0.0
                best = max(best, score[i + 1][j + 1] + similarity[i][j] + bonus)
            score[i][j] = best
    pairs: list[tuple[Unit | None, Unit | None]] = []
    i = j = 0
    while i < n and j < m:
        if score[i][j] == score[i + 1][j]:
            pairs.append((old[i], None))
            i += 1
        elif score[i][j] == score[i][j + 1]:
            pairs.append((None, new[j]))
            j += 1
        else:
            pairs.append((old[i], new[j]))
            i, j = i + 1, j + 1
    pairs += [(u, None) for u in old[i:]] + [(None, u) for u in new[j:]]
    return pairs


def diff_text(old: str, new: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Character-level segments of both sides: (equal|del, text) for the old, (equal|ins, text) for the new."""
    opcodes = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    # Fold very short unchanged runs between two changes into one change: a 和 or a comma left standing
    # between two struck-out phrases makes the line hard to read.
    merged: list[list] = []
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        inner = 0 < index < len(opcodes) - 1
        if op == "equal" and inner and max(i2 - i1, j2 - j1) <= CHAFF:
            op = "replace"
        if merged and op != "equal" and merged[-1][0] != "equal":
            merged[-1][2], merged[-1][4] = i2, j2
        else:
            merged.append([op, i1, i2, j1, j2])
    old_segments, new_segments = [], []
    for op, i1, i2, j1, j2 in merged:
        if op == "equal":
            old_segments.append(("equal", old[i1:i2]))
            new_segments.append(("equal", new[j1:j2]))
            continue
        if i2 > i1:
            old_segments.append(("del", old[i1:i2]))
        if j2 > j1:
            new_segments.append(("ins", new[j1:j2]))
    return old_segments, new_segments


# Each language run of a build compares the same texts: every comparison of a build is kept for the next
# language (hooks/validate.py forgets them when a build reads a new site). A bounded cache forgot them
# all once a library had more pairs than its size: the English run compared 1,540 pairs again at
# 20,000 documents, in the order the Chinese run had pushed them out (35 s of the build).
@cache
def compare(old_markdown: str, new_markdown: str) -> tuple[Row, ...]:
    """The rows of the comparison of two document bodies, in reading order."""
    by_article = has_articles(old_markdown) and has_articles(new_markdown)
    rows = []
    for old, new in align(units(old_markdown, by_article), units(new_markdown, by_article)):
        if old and new:
            old_segments, new_segments = diff_text(old.text, new.text)
            status = "same" if old.text == new.text else "changed"
        elif old:
            old_segments, new_segments, status = [("del", old.text)], [], "deleted"
        else:
            assert new is not None, "align() never pairs nothing with nothing"
            old_segments, new_segments, status = [], [("ins", new.text)], "added"
        rows.append(Row(status, old, new, tuple(old_segments), tuple(new_segments)))
    return tuple(rows)


def summary(rows: tuple[Row, ...]) -> dict[str, int]:
    """How many rows of each status, and how many paired articles changed number."""
    counts = dict.fromkeys(("changed", "added", "deleted", "same"), 0)
    for row in rows:
        counts[row.status] += 1
    counts["renumbered"] = sum(1 for row in rows if row.renumbered)
    return counts
