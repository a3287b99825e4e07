"""What the Word and PDF readers hand to the layout parser: a flat list of :class:`Block`, in reading order.

A block is one paragraph (or one line, where a PDF line could not be joined), a table, a picture, a
horizontal rule or a page break, with the layout facts the parser needs: alignment, font size, red or
not. Both readers produce the same list, so :mod:`kb.importer.layout` knows nothing of the formats.
Also here: the text helpers both sides share (dates in both numeral forms, 发文字号).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

HALF_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


@dataclass
class Block:
    kind: str  # text, table, image, rule, break
    text: str = ""
    align: str = "left"  # left, center, right (justify counts as left)
    size: float = 0.0  # largest font size of the block, in points (0: unknown)
    red: bool = False  # most of its characters (or the rule) red: the 版头
    bold: bool = False
    indent: bool = False  # first line indented (a body paragraph)
    rows: list[list[str]] = field(default_factory=list)  # table cells, merged cells resolved
    image: bytes = b""  # picture bytes
    image_ext: str = ""  # png, jpg
    page: int = 0
    parts: list[str] = field(default_factory=list)  # the line cut at wide gaps (joint 署名 side by side)

    @property
    def is_text(self) -> bool:
        return self.kind == "text" and bool(self.text.strip())


class Refused(Exception):
    """A file the importer will not import; the message (Chinese, one line) says why and what to do."""


# -- text ---------------------------------------------------------------------------------------

SPACES = re.compile(r"[ \t\u3000\xa0]+")
CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"


def clean(text: str) -> str:
    """Strip and squeeze spaces; no space is kept between two CJK characters (a PDF's or a typist's)."""
    text = SPACES.sub(" ", text.replace("\r", "").strip())
    return re.sub(f"(?<=[{CJK}]) (?=[{CJK}])|(?<=[{CJK}]) (?=[0-9A-Za-z])|(?<=[0-9A-Za-z]) (?=[{CJK}])", "", text)


def join_lines(lines: list[str]) -> str:
    """Lines of one paragraph or title rejoined: no break inside a sentence, a space only between Latin words."""
    out = ""
    for line in (clean(line) for line in lines):
        if out and line and re.match(r"[A-Za-z0-9]", line[0]) and re.search(r"[A-Za-z0-9,.;:]$", out):
            out += " "
        out += line
    return out


# -- dates --------------------------------------------------------------------------------------

CN_DIGITS = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "Ｏ": 0,
    "O": 0,
    "o": 0,
    "0": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_NUM = "〇○零ＯOo一二三四五六七八九十"
DATE = re.compile(
    rf"([0-9０-９]{{4}}|[{CN_NUM}]{{4}})\s*年\s*([0-9０-９]{{1,2}}|[{CN_NUM}]{{1,3}})\s*月"
    rf"\s*([0-9０-９]{{1,2}}|[{CN_NUM}]{{1,3}})\s*日"
)
ISO_LIKE = re.compile(r"(\d{4})[-./／](\d{1,2})[-./／](\d{1,2})")


def _cn_number(text: str) -> int:
    """二十五 → 25, 十 → 10, 三十一 → 31, 2〇2 style digits positionally."""
    text = text.translate(HALF_WIDTH)
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (CN_DIGITS.get(ones, 0) if ones else 0)
    return int("".join(str(CN_DIGITS[c]) for c in text))


def parse_date(text: str) -> dt.date | None:
    """The first date in ``text``: 2023年5月8日, 二〇二三年五月八日 or 2023-05-08."""
    found = [m for m in (DATE.search(text), ISO_LIKE.search(text.translate(HALF_WIDTH))) if m]
    for match in sorted(found, key=lambda m: m.start()):
        try:
            return dt.date(*(_cn_number(part) for part in match.groups()))
        except (ValueError, KeyError):
            continue
    return None


def is_date_line(text: str) -> bool:
    """The whole line is one date (成文日期, an article's date line)."""
    text = clean(text)
    match = DATE.fullmatch(text) or ISO_LIKE.fullmatch(text.translate(HALF_WIDTH))
    return bool(match) and parse_date(text) is not None


# -- 发文字号 ----------------------------------------------------------------------------------

DOC_NUMBER = re.compile(
    r"(?P<agency>[\u4e00-\u9fffA-Za-zＡ-Ｚ]{1,16}?)\s*[〔\[［(（【﹝{]\s*(?P<year>[0-9０-９]{4})\s*"
    r"[〕\]］)）】﹞}]\s*第?\s*(?P<seq>[0-9０-９]{1,4})\s*号"
)


def find_doc_number(text: str) -> tuple[str, str] | None:
    """(as written, normalized 机关代字〔YYYY〕N号) of the first 发文字号 in ``text``."""
    match = DOC_NUMBER.search(text)
    if not match:
        return None
    agency = re.sub(r"\s+", "", match["agency"]).translate(
        str.maketrans("ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    )
    year = match["year"].translate(HALF_WIDTH)
    seq = int(match["seq"].translate(HALF_WIDTH))
    return match.group(0), f"{agency}〔{year}〕{seq}号"
