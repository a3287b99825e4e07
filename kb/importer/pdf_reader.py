"""PDF → :class:`~kb.importer.blocks.Block` list, through pdfplumber (pdfminer.six underneath).

Layout first: pdfplumber's characters give each line's size, colour and x positions. Against the text
column of the whole file (the left and right edges most lines share) a line is centred (a title), starts in
the right half (署名, 成文日期) or is body text; body lines are joined into paragraphs where the previous
line runs to the right edge and the next is not indented, also across a page break. Ruled tables become
table blocks (merged cells from the cell boxes), pictures are rendered to PNG, thin lines and rectangles
become rules (red: the 版头's red rule). Page numbers (“— 3 —”) are page furniture and dropped.
"""

from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from kb.importer.blocks import Block, Refused, clean, join_lines

PAGE_NUMBER = re.compile(r"^[—\-–－一]?\s*[0-9０-９]+\s*[—\-–－一]?$|^第\s*\d+\s*页(\s*共\s*\d+\s*页)?$")
GAP = 1.5  # a gap wider than this many characters splits a line into parts (joint 署名 side by side)


@dataclass
class Line:
    text: str
    parts: list[str]
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    red: bool
    bold: bool
    page: int


@dataclass
class Column:
    """The text column of the file: where body lines start and end."""

    left: float
    right: float
    body: float = 0.0  # the body text's font size

    @property
    def centre(self) -> float:
        return (self.left + self.right) / 2


@dataclass
class _Page:
    items: list = field(default_factory=list)  # (top, Line | Block)


def _is_red(color) -> bool:
    if not isinstance(color, (tuple, list)):
        return False
    values = [float(v) for v in color if isinstance(v, (int, float))]
    if len(values) == 3:
        r, g, b = values
        return r > 0.6 and g < 0.4 and b < 0.4
    if len(values) == 4:
        c, m, y, k = values
        return c < 0.3 and m > 0.6 and y > 0.6 and k < 0.4
    return False


def open_pdf(path: Path):
    try:
        pdf = pdfplumber.open(str(path))
        pdf.pages  # noqa: B018 — reading the page tree finds most damage now
        return pdf
    except (PDFPasswordIncorrect, PdfminerException) as err:
        cause = err.args[0] if err.args else err
        if isinstance(cause, PDFPasswordIncorrect) or "password" in str(err).lower() or "encrypt" in str(err).lower():
            raise Refused(f"{path.name} 设有密码（已加密）：请用原软件去掉密码后重新导出 PDF，再导入") from None
        raise Refused(f"{path.name} 已损坏，无法读取：请重新从办公系统导出 PDF，或改用 Word 原件导入") from None
    except Exception:
        raise Refused(f"{path.name} 已损坏，无法读取：请重新从办公系统导出 PDF，或改用 Word 原件导入") from None


def read_pdf(path: Path) -> list[Block]:
    pdf = open_pdf(path)
    with pdf:
        try:
            pages = list(pdf.pages)
            if not any(page.chars for page in pages):
                if any(page.images for page in pages):
                    raise Refused(
                        f"{path.name} 是扫描件（PDF 中没有文字层）：本系统不做文字识别（OCR），"
                        "请找到 Word 原件或办公系统导出的 PDF 再导入"
                    )
                raise Refused(f"{path.name} 中没有可读取的文字：请找到 Word 原件或办公系统导出的 PDF 再导入")
            raw = [_read_page(page, number) for number, page in enumerate(pages, 1)]
        except Refused:
            raise
        except Exception as err:
            raise Refused(
                f"{path.name} 已损坏，无法读取（{type(err).__name__}）：请重新导出 PDF，或改用 Word 原件导入"
            ) from None
    column = _column([item for page in raw for _, item in page.items if isinstance(item, Line)])
    return _blocks(raw, column)


def _read_page(page, number: int) -> _Page:
    out = _Page()
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]
    for table in tables:
        out.items.append((table.bbox[1], _table(page, table)))

    def outside(obj) -> bool:
        return not any(
            x0 - 1 <= obj["x0"] and obj["x1"] <= x1 + 1 and top - 1 <= obj["top"] and obj["bottom"] <= bottom + 1
            for x0, top, x1, bottom in boxes
        )

    text_page = page.filter(lambda obj: obj.get("object_type") != "char" or outside(obj))
    for line in text_page.extract_text_lines(return_chars=True, keep_blank_chars=True):
        made = _line(line["chars"], number)
        if made and not (
            PAGE_NUMBER.match(made.text) and (made.top > page.height * 0.85 or made.bottom < page.height * 0.1)
        ):
            out.items.append((made.top, made))
    width = page.width
    for obj in [*page.lines, *page.rects]:
        thin = abs(obj["bottom"] - obj["top"]) <= 3
        if thin and obj["x1"] - obj["x0"] > width * 0.3 and outside(obj):
            color = (
                obj.get("stroking_color")
                if obj["object_type"] == "line"
                else (obj.get("non_stroking_color") or obj.get("stroking_color"))
            )
            out.items.append((obj["top"], Block("rule", red=_is_red(color), page=number)))
    for image in page.images:
        if image["x1"] - image["x0"] < 20 or image["bottom"] - image["top"] < 20:
            continue
        bbox = (
            max(image["x0"], 0),
            max(image["top"], 0),
            min(image["x1"], page.width),
            min(image["bottom"], page.height),
        )
        picture = page.crop(bbox).to_image(resolution=150).original
        data = io.BytesIO()
        picture.save(data, "PNG")
        out.items.append((image["top"], Block("image", image=data.getvalue(), image_ext="png", page=number)))
    out.items.sort(key=lambda item: item[0])
    return out


def _line(chars: list[dict], number: int) -> Line | None:
    chars = sorted((c for c in chars if c["text"].strip() or c["text"] == " "), key=lambda c: c["x0"])
    visible = [c for c in chars if c["text"].strip()]
    if not visible:
        return None
    size = statistics.median(c["size"] for c in visible)
    parts: list[str] = [""]
    previous = None
    for char in visible:
        if previous is not None:
            gap = char["x0"] - previous["x1"]
            if gap > GAP * size:
                parts.append("")
            elif gap > 0.2 * size and parts[-1]:
                parts[-1] += " "
        parts[-1] += char["text"]
        previous = char
    parts = [clean(part) for part in parts if clean(part)]
    red = sum(_is_red(c.get("non_stroking_color")) for c in visible) * 2 > len(visible)
    bold = sum(bool(re.search(r"bold|hei|black", c.get("fontname", ""), re.I)) for c in visible) * 2 > len(visible)
    return Line(
        clean(" ".join(parts)),
        parts,
        visible[0]["x0"],
        visible[-1]["x1"],
        min(c["top"] for c in visible),
        max(c["bottom"] for c in visible),
        max(c["size"] for c in visible),
        red,
        bold,
        number,
    )


def _column(lines: list[Line]) -> Column:
    """The text column: the leftmost edge that several body lines share (continuation lines, not the indented
    first lines), and the right edge of the long lines."""
    if not lines:
        return Column(0, 1)
    body = statistics.median(line.size for line in lines)
    same = [line for line in lines if abs(line.size - body) < 1]
    counts = Counter(round(line.x0) for line in same)
    shared = [x for x, n in counts.items() if n >= 2] or list(counts)
    left = min(shared)
    rights = sorted(line.x1 for line in same)
    right = rights[int(len(rights) * 0.9)] if rights else max(line.x1 for line in lines)
    return Column(left, right, body)


def _align(line: Line, column: Column) -> str:
    size = line.size
    middle = (line.x0 + line.x1) / 2
    if line.x0 > column.centre - size * 0.5 and line.x1 < column.right + size and len(line.parts) < 3:
        return "right"
    if line.size > column.body + 2 and abs(middle - column.centre) < size and len(line.parts) < 2:
        return "center"  # a title line in a large size may fill almost the whole column
    indented = abs(line.x0 - (column.left + 2 * size)) < size * 0.3
    if (
        abs(middle - column.centre) < size * 1.2
        and line.x0 > column.left + size * 1.5
        and line.x1 < column.right - size * 1.0
        and not (indented and line.text.endswith(("。", "；", "：", "，")))
    ):
        return "center"
    if len(line.parts) > 1 and line.x1 > column.centre and line.x0 > column.left + size * 3:
        return "right"  # a joint 署名 on one line
    return "left"


def _blocks(pages: list[_Page], column: Column) -> list[Block]:
    blocks: list[Block] = []
    open_lines: list[Line] = []  # the body paragraph being joined
    pending_break = False  # a page ended inside that paragraph: the break goes after it

    def close() -> None:
        nonlocal pending_break
        if open_lines:
            first = open_lines[0]
            blocks.append(
                Block(
                    "text",
                    text=join_lines([line.text for line in open_lines]),
                    align="left",
                    size=max(line.size for line in open_lines),
                    red=first.red,
                    bold=first.bold,
                    indent=first.x0 > column.left + first.size * 1.2,
                    page=first.page,
                    parts=list(first.parts) if len(open_lines) == 1 else [],
                )
            )
            open_lines.clear()
        if pending_break:
            blocks.append(Block("break"))
            pending_break = False

    for number, page in enumerate(pages):
        if number and open_lines:
            pending_break = True
        elif number and blocks:
            blocks.append(Block("break", page=number + 1))
        for _, item in page.items:
            if isinstance(item, Block):
                close()
                blocks.append(item)
                continue
            align = _align(item, column)
            if align != "left":
                close()
                block = Block(
                    "text", text=item.text, align=align, size=item.size, red=item.red, bold=item.bold, page=item.page
                )
                block.parts = item.parts
                blocks.append(block)
                continue
            if open_lines and _continues(open_lines[-1], item, column):
                open_lines.append(item)
                continue
            close()
            open_lines.append(item)
        if open_lines and open_lines[-1].x1 < column.right - open_lines[-1].size * 1.5:
            close()
    close()
    return blocks


def _continues(previous: Line, line: Line, column: Column) -> bool:
    """``line`` goes on with the paragraph that ``previous`` ended: previous ran to the right edge, the
    new line is not indented, the same size, no blank line between (on the same page)."""
    if previous.x1 < column.right - previous.size * 1.5:
        return False
    if line.x0 > column.left + line.size * 1.2 or abs(line.size - previous.size) > 1:
        return False
    return not (line.page == previous.page and line.top - previous.bottom > previous.size * 1.6)


def _table(page, table) -> Block:
    """A ruled table; merged cells from the cell boxes: a cell spanning rows repeats its text in each, a cell
    spanning columns keeps it in the first."""
    cells = table.cells
    xs = sorted({round(v) for c in cells for v in (c[0], c[2])})
    ys = sorted({round(v) for c in cells for v in (c[1], c[3])})
    xs = _merge_close(xs)
    ys = _merge_close(ys)
    grid = [["" for _ in range(len(xs) - 1)] for _ in range(len(ys) - 1)]
    for x0, top, x1, bottom in cells:
        cols = [i for i in range(len(xs) - 1) if xs[i] >= x0 - 2 and xs[i + 1] <= x1 + 2]
        rows = [i for i in range(len(ys) - 1) if ys[i] >= top - 2 and ys[i + 1] <= bottom + 2]
        if not cols or not rows:
            continue
        text = page.crop((x0, top, x1, bottom)).extract_text() or ""
        text = join_lines(text.split("\n"))
        for row in rows:
            grid[row][cols[0]] = text
    grid = [row for row in grid if any(cell for cell in row)]
    return Block("table", rows=grid, text="\n".join("".join(row) for row in grid), page=page.page_number)


def _merge_close(values: list[int]) -> list[int]:
    out: list[int] = []
    for value in values:
        if not out or value - out[-1] > 3:
            out.append(value)
    return out
