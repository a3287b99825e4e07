"""Word (.docx) → :class:`~kb.importer.blocks.Block` list, through python-docx.

Reads, in document order, every paragraph (its text, alignment from the paragraph or its style, the largest
font size, red or not, page breaks before or inside it, the pictures of its runs) and every table (merged
cells resolved: a vertical merge repeats its text in each row, a horizontal one leaves the spanned cells
empty). Headers and footers (page numbers) are not read: they are page furniture.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
from docx.drawing import Drawing
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from kb.importer.blocks import Block, Refused, clean

ALIGN = {WD_ALIGN_PARAGRAPH.CENTER: "center", WD_ALIGN_PARAGRAPH.RIGHT: "right"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .doc/.wps, and encrypted .docx (an OLE container)
# Old documents push the 署名 and the date to the right with spaces instead of right alignment.
RIGHT_BY_SPACES = 8
# What separates two names typed side by side (a joint 署名): a tab, a line break or a run of spaces.
GAPS = re.compile(r"[\t\n]|[ \u3000\xa0]{2,}")


def open_docx(path: Path):
    head = path.read_bytes()[:8]
    if head == OLE_MAGIC:
        with open(path, "rb") as handle:
            if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in handle.read():
                raise Refused(
                    f"{path.name} 设有密码（已加密）：请在 Word 中打开，在“文件 → 信息 → 保护文档”中删除密码后另存，再导入"
                )
        raise Refused(
            f"{path.name} 实为旧版 Word（.doc）格式：请在 Word 或 WPS 中打开，“另存为”Word 文档（*.docx）后再导入"
        )
    if not zipfile.is_zipfile(path):
        raise Refused(f"{path.name} 已损坏或不是 Word 文档，无法读取：请在 Word 中打开确认，另存为 .docx 后再导入")
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, OSError) as err:
        raise Refused(
            f"{path.name} 已损坏，无法读取（{type(err).__name__}）：请在 Word 中打开确认，另存为 .docx 后再导入"
        ) from None
    except Exception as err:  # lxml and python-docx raise many kinds on a broken package
        raise Refused(
            f"{path.name} 已损坏，无法读取（{type(err).__name__}）：请在 Word 中打开确认，另存为 .docx 后再导入"
        ) from None


def read_docx(path: Path) -> list[Block]:
    document = open_docx(path)
    blocks: list[Block] = []
    try:
        for item in document.iter_inner_content():
            if isinstance(item, Paragraph):
                blocks.extend(_paragraph(item))
            elif isinstance(item, Table):
                blocks.append(Block("table", rows=_rows(item), text=_table_text(item)))
    except Refused:
        raise
    except Exception as err:
        raise Refused(
            f"{path.name} 已损坏，无法读取（{type(err).__name__}）：请在 Word 中打开确认，另存为 .docx 后再导入"
        ) from None
    return blocks


def _style_value(paragraph: Paragraph, get):
    style = paragraph.style
    while style is not None:
        value = get(style)
        if value is not None:
            return value
        style = style.base_style
    return None


def _alignment(paragraph: Paragraph, text: str) -> str:
    value = paragraph.alignment
    if value is None:
        value = _style_value(paragraph, lambda s: s.paragraph_format.alignment)
    align = ALIGN.get(value, "left")
    leading = len(text) - len(text.lstrip(" \u3000\xa0\t"))
    if align == "left" and leading >= RIGHT_BY_SPACES and len(text.strip()) < 40:
        align = "right"
    return align


def _is_red(run) -> bool:
    color = run.font.color
    if color is None or color.type is None or color.rgb is None:
        return False
    red, green, blue = color.rgb[0], color.rgb[1], color.rgb[2]
    return red >= 0xB0 and green <= 0x60 and blue <= 0x60


def _paragraph(paragraph: Paragraph) -> list[Block]:
    out: list[Block] = []
    if paragraph.paragraph_format.page_break_before:
        out.append(Block("break"))
    text_parts: list[str] = []
    sizes: list[float] = []
    red = bold = 0
    images: list[Block] = []
    for run in paragraph.runs:
        if run._r.xpath('./w:br[@w:type="page"]'):
            if "".join(text_parts).strip():
                out.append(_text_block(paragraph, text_parts, sizes, red, bold))
                text_parts, sizes, red, bold = [], [], 0, 0
            out.append(Block("break"))
        for item in run.iter_inner_content():
            if isinstance(item, str):
                text_parts.append(item)
                length = len(item.strip())
                size = run.font.size or _style_value(paragraph, lambda s: s.font.size)
                if size and length:
                    sizes.append(size.pt)
                red += length if _is_red(run) else 0
                bold += (
                    length if (run.bold or (run.bold is None and _style_value(paragraph, lambda s: s.font.bold))) else 0
                )
            elif isinstance(item, Drawing) and item.has_picture:
                image = item.image
                images.append(Block("image", image=image.blob, image_ext=image.ext.lower()))
    if "".join(text_parts).strip():
        out.append(_text_block(paragraph, text_parts, sizes, red, bold))
    return out + images


def _text_block(paragraph: Paragraph, parts: list[str], sizes: list[float], red: int, bold: int) -> Block:
    raw = "".join(parts)
    length = max(1, len(raw.replace(" ", "").replace("\u3000", "")))
    first_indent = paragraph.paragraph_format.first_line_indent
    lines = [line for line in raw.split("\n") if line.strip()]
    text = "\n".join(clean(line) for line in lines)
    parts = [clean(part) for part in GAPS.split(raw) if clean(part)]
    return Block(
        "text",
        text=text,
        align=_alignment(paragraph, raw),
        size=max(sizes, default=0.0),
        red=red * 2 > length,
        bold=bold * 2 > length,
        parts=parts,
        indent=bool(first_indent and first_indent > 0) or raw.startswith(("\u3000\u3000", "  ")),
    )


def _rows(table: Table) -> list[list[str]]:
    rows: list[list[str]] = []
    for row in table.rows:
        texts: list[str] = []
        tcs: list = []
        for cell in row.cells:  # a vertical merge gives the top cell again: its text repeats
            tc = cell._tc
            if tcs and tcs[-1] is tc:
                texts.append("")  # horizontal merge: the text stays in the first cell
            else:
                texts.append("\n".join(clean(p.text) for p in cell.paragraphs if p.text.strip()))
            tcs.append(tc)
        rows.append(texts)
    return rows


def _table_text(table: Table) -> str:
    return "\n".join("".join(p.text for p in cell.paragraphs) for row in table.rows for cell in row.cells)
