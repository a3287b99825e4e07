"""The body of an imported document as Markdown, in the house style of docs/.

Headings from the numbering the author used: 第一章 → ``##``, 第一节 → ``###``, 一、/（一）/1． as headings
one level below each other when the line is a heading (short, no closing punctuation), else a paragraph;
第一条 → ``**第一条**　…`` as the documents in docs/ write it. Tables become Markdown tables; pictures
become links to the files written beside the document (``images`` maps a block to its file name).
"""

from __future__ import annotations

import re

from kb.importer.blocks import Block
from kb.importer.layout import Attachment

CN = "一二三四五六七八九十百零〇"
CHAPTER = re.compile(rf"^(第[{CN}]+章)\s*(.*)$")
SECTION = re.compile(rf"^(第[{CN}]+节)\s*(.*)$")
ARTICLE = re.compile(rf"^(第[{CN}]+条)\s*(.*)$", re.S)
OUTLINE = (re.compile(rf"^[{CN}]+、"), re.compile(rf"^[（(][{CN}]+[)）]"), re.compile(r"^[0-9０-９]+\s*[.．、](?!\d)"))
HEADING_MAX = 32
MARKDOWN_SPECIAL = re.compile(r"([\\`*_<>\[\]])")


def escape(text: str) -> str:
    """Text as Markdown shows it literally: inline specials escaped, a line-start list or heading marker too."""
    text = MARKDOWN_SPECIAL.sub(
        lambda m: "&lt;" if m.group(1) == "<" else "&gt;" if m.group(1) == ">" else "\\" + m.group(1), text
    )
    return re.sub(r"^(\s*)([#+\-=|]|\d+(?=[.)]))", r"\1\\\2", text)


def is_heading_line(text: str) -> bool:
    """Whether ``text`` is a heading of the author's numbering (第一章, 第一节, 一、 … written short), not prose."""
    return bool(
        CHAPTER.match(text) or SECTION.match(text) or (any(p.match(text) for p in OUTLINE) and _is_heading(text))
    )


def _is_heading(text: str) -> bool:
    return len(text) <= HEADING_MAX and not text.endswith(("。", "；", "，", "：", ":", "、")) and "。" not in text


def paragraph(block: Block, depth: int) -> str:
    """One text block; ``depth`` is the level of ``#`` that 一、 headings take."""
    text = block.text.replace("\n", "")
    if match := CHAPTER.match(text):
        return f"## {match[1]}\u3000{escape(match[2])}".rstrip("\u3000 ")
    if match := SECTION.match(text):
        return f"### {match[1]}\u3000{escape(match[2])}".rstrip("\u3000 ")
    if match := ARTICLE.match(text):
        return f"**{match[1]}**\u3000{escape(match[2])}".rstrip("\u3000 ")
    for level, pattern in enumerate(OUTLINE):
        if pattern.match(text) and _is_heading(text):
            return f"{'#' * min(depth + level, 6)} {escape(text)}"
    if block.align == "center" and len(text) <= HEADING_MAX:
        return f"**{escape(text)}**"
    return escape(text)


def table(rows: list[list[str]]) -> str:
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    caption = ""
    if len(rows) > 1 and width > 1 and rows[0][0] and not any(rows[0][1:]):
        caption, rows = f"**{escape(rows[0][0])}**\n\n", rows[1:]

    def cell(text: str) -> str:
        return "<br>".join(escape(line) for line in text.split("\n")).replace("|", "\\|") or " "

    lines = ["| " + " | ".join(cell(c) for c in rows[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows[1:]]
    return caption + "\n".join(lines)


def render(blocks: list[Block], images: dict[int, str], depth: int = 2) -> list[str]:
    """Markdown paragraphs of ``blocks`` (rules, page breaks and empty blocks dropped)."""
    depth = 3 if depth == 2 and any(b.is_text and CHAPTER.match(b.text) for b in blocks) else depth
    out: list[str] = []
    for block in blocks:
        if block.is_text:
            out.append(paragraph(block, depth))
        elif block.kind == "table" and (text := table(block.rows)):
            out.append(text)
        elif block.kind == "image" and id(block) in images:
            out.append(f"![图{len([o for o in out if o.startswith('![')]) + 1}]({images[id(block)]})")
    return out


def attachment(item: Attachment, images: dict[int, str]) -> list[str]:
    heading = "\u3000".join(part for part in (item.label, escape(item.title)) if part)
    return ([f"## {heading}"] if heading else []) + render(item.blocks, images, depth=3)
