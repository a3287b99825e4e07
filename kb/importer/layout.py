"""The parts of a 公文 (GB/T 9704-2012) or of an article, from the blocks either reader gives.

Layout decides first: the 版头 is what stands above the 发文字号 (red, large); the title is the run of
centred lines after it; the 署名 and 成文日期 are the short right-hand lines that close the main text; the
附注 is the bracketed line after the date; the 版记 is the 抄送 and 印发 lines at the end; each 附件 starts at a
“附件1” label. Wording is used only where layout is silent (a date line, “抄送：”, “附件：”).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from kb.importer.blocks import Block, Refused, clean, find_doc_number, is_date_line, parse_date

CLASSIFIED = re.compile(r"(绝密|机密|秘密)\s*[★☆＊*]|^(绝密|机密|秘密)(\s*[0-9０-９一二三四五六七八九十]+\s*年)?$|★")
URGENCY = re.compile(r"^(特急|加急|特提|急件|平急)$")
SERIAL = re.compile(r"^[0-9０-９]{1,8}$")
ISSUER_SPLIT = re.compile(r"[、，,；;]|\s{2,}")
ATTACHMENT_NOTE = re.compile(r"^附\s*件\s*[：:]")
ATTACHMENT_LABEL = re.compile(r"^附\s*件\s*([0-9０-９一二三四五六七八九十]*)\s*[：:]?\s*$")
NOTE = re.compile(r"^[（(].{1,60}[)）]$")
CC = re.compile(r"^(抄\s*送|分\s*送|报\s*送)\s*[：:]")
PRINTED = re.compile(r"^(?P<printer>.*?)\s*(?P<date>(\d{4}|[〇○零一二三四五六七八九]{4})\s*年.{1,6}日)\s*印\s*发$")
CHAPTER_OR_ARTICLE = re.compile(r"^第[一二三四五六七八九十百零〇]+[章节条]")  # headings of the text, not its title
NOTICE_TITLE = re.compile(r"关于(?:印发|修订印发|转发|下发)(?:《(?P<named>[^》]+)》|(?P<plain>.+?))的(?:通知|函)$")
BYLINE_PREFIX = re.compile(
    r"^(来源|作者|单位|供稿单位|报送单位|供稿|解读机关|解读单位|发布机构|发布单位|发布时间|发布日期|日期|时间)\s*[：:]\s*"
)
SENTENCE_END = ("。", "；", "：", ":", "！", "？", "，")


@dataclass
class Attachment:
    label: str  # 附件1
    title: str
    blocks: list[Block]


@dataclass
class Parsed:
    kind: str = "document"  # document (has a 发文字号 or a 版头) or article
    classification: str = ""
    header: list[str] = field(default_factory=list)  # 发文机关标志, "文件" removed
    doc_number_raw: str = ""
    doc_number: str = ""
    title_lines: list[str] = field(default_factory=list)
    recipients: str = ""
    body: list[Block] = field(default_factory=list)
    attachment_note: list[str] = field(default_factory=list)
    signers: list[str] = field(default_factory=list)
    issued: dt.date | None = None
    note: str = ""  # 附注
    attachments: list[Attachment] = field(default_factory=list)
    cc: str = ""
    printer: str = ""
    printed: dt.date | None = None
    byline: str = ""  # an article's unit or author
    notice_title: str = ""  # a 印发通知's own title, when its 附件 is the text
    inner: Attachment | None = None  # the text a 印发通知 issues

    @property
    def title(self) -> str:
        return "".join(self.title_lines)


def parse(blocks: list[Block], name: str) -> Parsed:
    blocks = [b for b in blocks if b.kind != "text" or b.text.strip()]
    parsed = Parsed()
    _refuse_classified(blocks, name)
    position = _head(blocks, parsed)
    position = _title(blocks, position, parsed)
    if parsed.kind == "article":
        position = _byline(blocks, position, parsed)
    end = _closing(blocks, position, parsed)
    if end is None:  # an article without a signed date at the end
        parsed.body, rest = blocks[position:], []
        rest_start = len(blocks)
    else:
        body_end, rest_start = end
        parsed.body = blocks[position:body_end]
        rest = blocks[rest_start:]
    _tail(rest if end is not None else [], parsed)
    if end is None:
        parsed.body, _ = _split_banji(parsed.body, parsed)
    _recipients(parsed)
    _notice(parsed)
    return parsed


def _texts(block: Block) -> list[str]:
    if block.kind == "table":
        return [clean(cell) for row in block.rows for cell in row if clean(cell)]
    return [block.text] if block.kind == "text" else []


def _refuse_classified(blocks: list[Block], name: str) -> None:
    """A 密级 (秘密/机密/绝密 with ★) in the head of the document: such a file never enters this system."""
    for block in blocks[:10]:
        for text in _texts(block):
            for part in [text, *block.parts]:
                if len(part) <= 20 and CLASSIFIED.search(part):
                    raise Refused(f"{name} 标有密级（{part}）：涉密文件一律不得录入本系统，已拒绝导入，未写入任何文件")


def _head(blocks: list[Block], parsed: Parsed) -> int:
    """The 版头 and the 发文字号; the position after them (and after the red rule)."""
    for index, block in enumerate(blocks[:14]):
        for text in _texts(block):
            found = find_doc_number(text) if len(text) <= 60 else None
            rest = re.sub(r"签\s*发\s*人\s*[：:].*$", "", text.replace(found[0], "")) if found else ""
            if found and len(clean(rest)) <= 4:  # the line is the number (and the 签发人), not a sentence citing one
                parsed.doc_number_raw, parsed.doc_number = found
                parsed.header = _issuers_from_head(blocks[:index] + ([block] if block.kind == "table" else []))
                return _skip_rules(blocks, index + 1)
    red = [i for i, b in enumerate(blocks[:6]) if b.is_text and (b.red or b.text.endswith("文件"))]
    if red and red[0] <= 2 and any(blocks[i].text.endswith("文件") for i in red):
        parsed.header = _issuers_from_head(blocks[: red[-1] + 1])
        return _skip_rules(blocks, red[-1] + 1)
    parsed.kind = "article"
    return 0


def _issuers_from_head(head: list[Block]) -> list[str]:
    names: list[str] = []
    for block in head:
        if block.kind == "text" and not (block.red or block.size >= 20 or block.text.endswith("文件")):
            continue
        pieces = block.parts or _texts(block) if block.kind == "text" else _texts(block)
        for piece in pieces:
            for line in piece.split("\n"):
                line = re.sub(r"\s*文\s*件\s*$", "", clean(line))
                if not line or find_doc_number(line) or SERIAL.match(line) or URGENCY.match(line) or line == "文件":
                    continue
                names.extend(n for n in (clean(x) for x in ISSUER_SPLIT.split(line)) if n and n not in names)
    return names


def _skip_rules(blocks: list[Block], position: int) -> int:
    while position < len(blocks) and blocks[position].kind in ("rule", "break"):
        position += 1
    return position


def _title(blocks: list[Block], position: int, parsed: Parsed) -> int:
    position = _skip_rules(blocks, position)
    lines: list[str] = []
    size = None
    while position < len(blocks):
        block = blocks[position]
        if not (block.is_text and block.align == "center") or is_date_line(block.text) or parse_date(block.text):
            break
        if size is not None and block.size and size and abs(block.size - size) > 1.5:
            break
        if BYLINE_PREFIX.match(block.text):
            break
        lines.extend(block.text.split("\n"))
        size = block.size if size is None else size
        position += 1
    if (
        not lines
        and position < len(blocks)
        and blocks[position].is_text
        and len(blocks[position].text) <= 60
        and not blocks[position].text.endswith(SENTENCE_END)
    ):
        lines = blocks[position].text.split("\n")  # a title not centred (an article typed plainly)
        position += 1
    parsed.title_lines = [clean(line) for line in lines if clean(line)]
    return position


def _byline(blocks: list[Block], position: int, parsed: Parsed) -> int:
    """The unit or author line and the date under an article's title (“X区东湖街道枫林社区　2024年5月20日”)."""
    names: list[str] = []
    while position < len(blocks) and len(names) < 3:
        block = blocks[position]
        if (
            not block.is_text
            or len(block.text) > 60
            or block.text.endswith(SENTENCE_END[:2])
            or (block.indent and not BYLINE_PREFIX.match(block.text))
        ):
            break
        if block.align == "left" and not BYLINE_PREFIX.match(block.text) and not parse_date(block.text):
            break
        for part in block.parts or [block.text]:
            for piece in re.split(r"\s{2,}|　", part):
                date = parse_date(piece)
                if date and parsed.issued is None:
                    parsed.issued = date
                piece = BYLINE_PREFIX.sub("", clean(piece))
                if date:
                    piece = clean(
                        re.sub(
                            r"(\d{4}|[〇○零一二三四五六七八九]{4})\s*年.{1,6}日|\d{4}[-./]\d{1,2}[-./]\d{1,2}"
                            r"|\d{1,2}:\d{2}(:\d{2})?",
                            "",
                            piece,
                        )
                    )
                    piece = BYLINE_PREFIX.sub("", piece)
                if piece:
                    names.append(piece)
        position += 1
    parsed.byline = "、".join(dict.fromkeys(names))
    return position


def _closing(blocks: list[Block], start: int, parsed: Parsed) -> tuple[int, int] | None:
    """(end of the main text, start of what follows the 成文日期), filling 署名, date and 附件说明."""
    date_at = None
    for index in range(start, len(blocks)):
        block = blocks[index]
        if (block.is_text and block.align != "left") or (block.is_text and len(block.text) <= 20):
            lines = block.text.split("\n")
            if is_date_line(lines[-1]) and (block.align != "left" or index + 1 < len(blocks)):
                date_at = index
                break
        if block.kind == "table" and _signature_table(block):
            date_at = index  # 署名 and date laid out in a borderless table (joint documents in Word)
            break
    if date_at is None:
        return None
    block = blocks[date_at]
    lines = _texts(block) if block.kind == "table" else block.text.split("\n")
    lines = [line for line in lines if not is_date_line(line)] + [lines[-1]]
    parsed.issued = parse_date(lines[-1])
    signers = [clean(line) for line in lines[:-1] if clean(line)]
    first = date_at
    for index in range(date_at - 1, max(start, date_at - 5) - 1, -1):
        candidate = blocks[index]
        if candidate.kind == "table" and all(len(t) <= 30 for t in _texts(candidate)) and index == date_at - 1:
            signers = _texts(candidate) + signers
            first = index
            continue
        if not candidate.is_text or len(candidate.text) > 40 or candidate.text.endswith(SENTENCE_END):
            break
        if ATTACHMENT_NOTE.match(candidate.text) or candidate.text.startswith("特此"):
            break
        if re.match(
            r"^([0-9０-９]+\s*[.．、]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十0-9]+[)）])", candidate.text
        ):
            break
        signers = [p for part in (candidate.parts or [candidate.text]) for p in part.split("\n")] + signers
        first = index
    parsed.signers = [clean(s) for s in signers if clean(s)]
    body_end = _attachment_note(blocks, start, first, parsed)
    return body_end, date_at + 1


def _signature_table(block: Block) -> bool:
    cells = [cell for row in block.rows for cell in row if clean(cell)]
    return bool(cells) and is_date_line(cells[-1].split("\n")[-1]) and all(len(c) <= 30 for c in cells)


def _attachment_note(blocks: list[Block], start: int, end: int, parsed: Parsed) -> int:
    """The 附件说明 (“附件：1．…”) just above the 署名; where the body ends."""
    for index in range(end - 1, max(start, end - 12) - 1, -1):
        block = blocks[index]
        if block.is_text and ATTACHMENT_NOTE.match(block.text):
            following = blocks[index + 1 : end]
            if all(b.is_text and len(b.text) <= 80 for b in following):
                parsed.attachment_note = [block.text, *(b.text for b in following)]
                return index
            break
    return end


def _tail(rest: list[Block], parsed: Parsed) -> None:
    """附注, 附件 and 版记 after the 成文日期."""
    position = 0
    while position < len(rest) and rest[position].kind in ("rule", "break"):
        position += 1
    notes: list[str] = []
    while position < len(rest) and len(notes) < 3 and rest[position].is_text and NOTE.match(rest[position].text):
        notes.append(rest[position].text)
        position += 1
    parsed.note = "".join(notes)
    remaining, _ = _split_banji(rest[position:], parsed)
    _attachments(remaining, parsed)


def _split_banji(blocks: list[Block], parsed: Parsed) -> tuple[list[Block], list[Block]]:
    """Cut the 版记 off the end: from the first 抄送 or 印发 line among the last blocks (a 抄送 list running
    over two lines included), and the rules and breaks before it."""
    tail = range(max(0, len(blocks) - 10), len(blocks))
    marks = [i for i in tail if any(CC.match(t) or PRINTED.match(clean(t)) for t in _lines(blocks[i]))]
    cut = min(marks) if marks else len(blocks)
    if not marks:
        while cut and blocks[cut - 1].kind in ("rule", "break"):
            cut -= 1
    while cut and blocks[cut - 1].kind in ("rule", "break"):
        cut -= 1
    _banji_facts([t for block in blocks[cut:] for t in _lines(block)], parsed)
    return blocks[:cut], blocks[cut:]


def _lines(block: Block) -> list[str]:
    return [line for text in _texts(block) for line in text.split("\n")]


def _banji_facts(texts: list[str], parsed: Parsed) -> None:
    for text in texts:
        for line in text.split("\n"):
            line = clean(line)
            if CC.match(line):
                parsed.cc = line
            elif match := PRINTED.match(line):
                parsed.printer = clean(match["printer"])
                parsed.printed = parse_date(match["date"])


def _attachments(blocks: list[Block], parsed: Parsed) -> None:
    current: Attachment | None = None
    position = 0
    while position < len(blocks):
        block = blocks[position]
        label = ATTACHMENT_LABEL.match(block.text) if block.is_text else None
        starts_titled = (
            block.is_text and block.align == "center" and (current is None or _after_break(blocks, position))
        )
        if label or (starts_titled and (current is None or current.blocks)):
            current = Attachment(clean(block.text) if label else "", "", [])
            parsed.attachments.append(current)
            position += 1 if label else 0
            title: list[str] = []
            first = blocks[position] if position < len(blocks) else block
            while position < len(blocks) and _title_line(blocks[position], first):
                title.extend(blocks[position].text.split("\n"))
                position += 1
            current.title = "".join(clean(t) for t in title)
            continue
        if block.kind != "break":
            if current is None:
                current = Attachment("", "", [])
                parsed.attachments.append(current)
            current.blocks.append(block)
        position += 1


def _title_line(block: Block, first: Block) -> bool:
    """A centred line that goes on the title begun by ``first``: same size, and not a 第一章 or 第一条 heading."""
    if not (block.is_text and block.align == "center") or CHAPTER_OR_ARTICLE.match(clean(block.text)):
        return False
    return block is first or not (block.size and first.size and abs(block.size - first.size) > 1.5)


def _after_break(blocks: list[Block], position: int) -> bool:
    return position > 0 and blocks[position - 1].kind == "break"


def _recipients(parsed: Parsed) -> None:
    """主送机关: the first line of the body when it is short and ends with a colon."""
    if parsed.body and parsed.body[0].is_text:
        text = parsed.body[0].text
        if len(text) <= 80 and text.endswith(("：", ":")) and not re.match(r"^[一二三四五六七八九十0-9（(第]", text):
            parsed.recipients = text


def _notice(parsed: Parsed) -> None:
    """A 印发通知: its 附件 is the text it issues (a 办法, 规定, 规划)."""
    match = NOTICE_TITLE.search(parsed.title)
    if not match or not parsed.attachments:
        return
    named = match["named"] or match["plain"] or ""
    chosen = next(
        (a for a in parsed.attachments if a.title and (a.title == named or named in a.title or a.title in named)), None
    )
    chosen = chosen or next((a for a in parsed.attachments if a.blocks and len(a.blocks) >= 2), None)
    if chosen is None:
        return
    parsed.inner = chosen
    parsed.notice_title = parsed.title
    if not chosen.title:
        chosen.title = named
