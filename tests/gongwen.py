"""Realistic 公文 (GB/T 9704-2012 layout) and articles, written by the tests as .docx (python-docx) and PDF
(reportlab, CJK text in Debian's WenQuanYi Micro Hei), from one :class:`Doc` description.

Layouts vary on purpose: font sizes, titles on one to three lines, joint 版头 and 署名, both date forms, red
rules drawn as a border or a line, tables with merged cells, pictures, 附件 after a page break, 版记 as a
table or as lines, 附注 or none.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


@dataclass
class Table:
    rows: list[list[str]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row0, col0, row1, col1)


@dataclass
class Doc:
    title_lines: list[str]
    body: list[object]  # str paragraphs, Table, or "IMAGE"
    issuers: list[str] = field(default_factory=list)  # 版头 and 署名; none: an article
    doc_number: str = ""  # as written
    recipients: str = ""
    attachment_note: list[str] = field(default_factory=list)
    date: str = ""  # 成文日期 as written
    note: str = ""  # 附注
    attachments: list[tuple[str, str, list[object]]] = field(default_factory=list)  # (label, title, body)
    cc: str = ""
    printer: str = ""
    printed: str = ""
    classification: str = ""
    byline: list[str] = field(default_factory=list)  # an article's unit/author and date lines
    title_size: float = 22
    body_size: float = 16
    banji_table: bool = False
    signers_one_line: bool = False


def picture() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 120), "white")
    ImageDraw.Draw(image).rectangle((20, 20, 220, 100), outline="red", width=6)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


# -- Word ------------------------------------------------------------------------------------------


def write_docx(doc: Doc, path: Path) -> Path:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    document = docx.Document()
    red = RGBColor(0xE6, 0x00, 0x12)

    def para(text, align=None, size=None, color=None, indent=False, bold=False):
        paragraph = document.add_paragraph()
        if align:
            paragraph.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
        if indent:
            paragraph.paragraph_format.first_line_indent = Pt(doc.body_size * 2)
        parts = text.split("\n")
        for number, part in enumerate(parts):
            run = paragraph.add_run(part)
            run.font.size = Pt(size or doc.body_size)
            run.bold = bold
            if color:
                run.font.color.rgb = color
            if number < len(parts) - 1:
                run.add_break()
        return paragraph

    def rule(color="E60012"):
        paragraph = document.add_paragraph()
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for key, value in (("val", "single"), ("sz", "18"), ("space", "1"), ("color", color)):
            bottom.set(qn(f"w:{key}"), value)
        borders.append(bottom)
        paragraph._p.get_or_add_pPr().append(borders)

    def page_break():
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def body(items):
        for item in items:
            if isinstance(item, Table):
                width = max(len(r) for r in item.rows)
                table = document.add_table(rows=len(item.rows), cols=width)
                table.style = "Table Grid"
                for r, row in enumerate(item.rows):
                    for c, text in enumerate(row):
                        if text:
                            table.cell(r, c).text = text
                for r0, c0, r1, c1 in item.merges:
                    keep = table.cell(r0, c0).text
                    merged = table.cell(r0, c0).merge(table.cell(r1, c1))
                    merged.text = keep
            elif item == "IMAGE":
                document.add_picture(io.BytesIO(picture()))
            else:
                para(item, indent=True)

    if doc.classification:
        para(doc.classification, bold=True)
    if doc.issuers and doc.doc_number:
        if len(doc.issuers) == 1:
            para(f"{doc.issuers[0]}文件", "center", 32, red, bold=True)
        else:
            para("\n".join(doc.issuers), "center", 26, red, bold=True)
            para("文件", "center", 26, red, bold=True)
        para(doc.doc_number, "center")
        rule()
    for line in doc.title_lines:
        para(line, "center", doc.title_size)
    for line in doc.byline:
        para(line, "center")
    if doc.recipients:
        para(doc.recipients)
    body(doc.body)
    for number, line in enumerate(doc.attachment_note):
        para(line, indent=number == 0)
    if doc.date:
        if doc.signers_one_line:
            para("\t\t".join(doc.issuers), "right")
        else:
            for signer in doc.issuers:
                para(signer, "right")
        para(doc.date, "right")
    for note in doc.note.split("\n") if doc.note else []:
        para(note, indent=True)
    for label, title, items in doc.attachments:
        page_break()
        if label:
            para(label, bold=True)
        para(title, "center", doc.title_size)
        body(items)
    if doc.cc or doc.printer:
        if doc.banji_table:
            table = document.add_table(rows=2 if doc.cc else 1, cols=1)
            table.style = "Table Grid"
            if doc.cc:
                table.cell(0, 0).text = doc.cc
            table.cell(len(table.rows) - 1, 0).text = f"{doc.printer}    {doc.printed}印发"
        else:
            rule("000000")
            if doc.cc:
                para(doc.cc)
            para(f"{doc.printer}            {doc.printed}印发")
    document.save(str(path))
    return path


# -- PDF -------------------------------------------------------------------------------------------


class _Pdf:
    """A4 pages: text column 79–521 pt, body lines of doc.body_size on a 1.75 line pitch."""

    LEFT, RIGHT, TOP, BOTTOM = 79.0, 521.0, 770.0, 80.0

    def __init__(self, path: Path, doc: Doc, cmyk: bool = False):
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        from reportlab.pdfgen import canvas

        if "wqy" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("wqy", FONT, subfontIndex=0))
        self.canvas = canvas.Canvas(str(path), pagesize=(595.0, 842.0))
        self.doc, self.cmyk = doc, cmyk
        self.y = self.TOP
        self.page = 1

    def color(self, red: bool) -> None:
        if red and self.cmyk:
            self.canvas.setFillColorCMYK(0, 1, 1, 0)
            self.canvas.setStrokeColorCMYK(0, 1, 1, 0)
        elif red:
            self.canvas.setFillColorRGB(0.9, 0, 0.07)
            self.canvas.setStrokeColorRGB(0.9, 0, 0.07)
        else:
            self.canvas.setFillColorRGB(0, 0, 0)
            self.canvas.setStrokeColorRGB(0, 0, 0)

    def need(self, height: float) -> None:
        if self.y - height < self.BOTTOM:
            self.new_page()

    def new_page(self) -> None:
        self.color(False)
        self.canvas.setFont("wqy", 14)
        self.canvas.drawCentredString(300, 50, f"— {self.page} —")
        self.canvas.showPage()
        self.page += 1
        self.y = self.TOP

    def line(
        self,
        text: str,
        align: str = "left",
        size: float | None = None,
        red: bool = False,
        x: float | None = None,
        right_space: float = 0,
    ) -> None:
        size = size or self.doc.body_size
        self.need(size * 1.75)
        self.y -= size * 1.75
        self.color(red)
        self.canvas.setFont("wqy", size)
        if align == "center":
            self.canvas.drawCentredString((self.LEFT + self.RIGHT) / 2, self.y, text)
        elif align == "right":
            self.canvas.drawRightString(self.RIGHT - right_space, self.y, text)
        else:
            self.canvas.drawString(x if x is not None else self.LEFT, self.y, text)
        self.color(False)

    def paragraph(self, text: str) -> None:
        size = self.doc.body_size
        per_line = int((self.RIGHT - self.LEFT) // size)
        first, rest = text[: per_line - 2], text[per_line - 2 :]
        self.line(first, x=self.LEFT + 2 * size)
        for chunk in textwrap.wrap(rest, per_line) if rest else []:
            self.line(chunk)

    def rule(self, red: bool, width: float = 1.5) -> None:
        self.y -= 8
        self.color(red)
        self.canvas.setLineWidth(width)
        self.canvas.line(self.LEFT, self.y, self.RIGHT, self.y)
        self.color(False)

    def table(self, item: Table) -> None:
        size = 12
        rows, cols = len(item.rows), max(len(r) for r in item.rows)
        height, width = size * 2.2, (self.RIGHT - self.LEFT) / cols
        self.need(rows * height + 10)
        top = self.y - 6
        covered = {}
        for r0, c0, r1, c1 in item.merges:
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    covered[(r, c)] = (r0, c0, r1, c1)
        self.canvas.setLineWidth(0.8)
        self.canvas.setFont("wqy", size)
        for r in range(rows):
            for c in range(cols):
                box = covered.get((r, c))
                if box and (r, c) != box[:2]:
                    continue
                r1, c1 = (box[2], box[3]) if box else (r, c)
                x0, x1 = self.LEFT + c * width, self.LEFT + (c1 + 1) * width
                y0, y1 = top - r * height, top - (r1 + 1) * height
                self.canvas.rect(x0, y1, x1 - x0, y0 - y1)
                text = item.rows[r][c] if c < len(item.rows[r]) else ""
                self.canvas.drawString(x0 + 4, (y0 + y1) / 2 - size / 3, text)
        self.y = top - rows * height - 6

    def image(self) -> None:
        from reportlab.lib.utils import ImageReader

        self.need(130)
        self.y -= 125
        self.canvas.drawImage(ImageReader(io.BytesIO(picture())), self.LEFT + 100, self.y, 240, 120)

    def body(self, items) -> None:
        for item in items:
            if isinstance(item, Table):
                self.table(item)
            elif item == "IMAGE":
                self.image()
            else:
                self.paragraph(item)

    def save(self) -> None:
        self.new_page()
        self.canvas.save()


def write_pdf(doc: Doc, path: Path, cmyk: bool = False, encrypt: str = "") -> Path:
    pdf = _Pdf(path, doc, cmyk)
    if encrypt:
        from reportlab.lib import pdfencrypt

        pdf.canvas._doc.encrypt = pdfencrypt.StandardEncryption(encrypt, canPrint=0)
    if doc.classification:
        pdf.line(doc.classification)
    if doc.issuers and doc.doc_number:
        pdf.y -= 30
        for issuer in doc.issuers:
            pdf.line(issuer + ("文件" if len(doc.issuers) == 1 else ""), "center", 30, red=True)
        if len(doc.issuers) > 1:
            pdf.line("文件", "center", 30, red=True)
        pdf.y -= 20
        pdf.line(doc.doc_number, "center")
        pdf.rule(True, 2)
        pdf.y -= 10
    for line in doc.title_lines:
        pdf.line(line, "center", doc.title_size)
    for line in doc.byline:
        pdf.line(line, "center")
    pdf.y -= 8
    if doc.recipients:
        pdf.line(doc.recipients)
    pdf.body(doc.body)
    for number, line in enumerate(doc.attachment_note):
        pdf.line(line, x=pdf.LEFT + (2 if number == 0 else 5) * doc.body_size)
    if doc.date:
        pdf.y -= 20
        if doc.signers_one_line:
            pdf.line("      ".join(doc.issuers), "right", right_space=2 * doc.body_size)
        else:
            for signer in doc.issuers:
                pdf.line(signer, "right", right_space=2 * doc.body_size)
        pdf.line(doc.date, "right", right_space=4 * doc.body_size)
    for note in doc.note.split("\n") if doc.note else []:
        pdf.line(note, x=pdf.LEFT + 2 * doc.body_size)
    for label, title, items in doc.attachments:
        pdf.new_page()
        if label:
            pdf.line(label)
        pdf.line(title, "center", doc.title_size)
        pdf.body(items)
    if doc.cc or doc.printer:
        pdf.y = min(pdf.y, 200)
        pdf.rule(False, 1)
        for number, cc_line in enumerate(doc.cc.split("\n") if doc.cc else []):
            pdf.line(cc_line, size=14, x=pdf.LEFT + 14 + (3 * 14 if number else 0))
        pdf.rule(False, 0.6)
        pdf.line(doc.printer, size=14, x=pdf.LEFT + 14)
        pdf.y += 14 * 1.75
        pdf.line(f"{doc.printed}印发", "right", 14, right_space=14)
        pdf.rule(False, 1)
    pdf.save()
    return path


def write_scanned_pdf(path: Path) -> Path:
    """A PDF with a picture and no text layer, as a scanner makes it."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path), pagesize=(595.0, 842.0))
    page.drawImage(ImageReader(io.BytesIO(picture())), 50, 50, 495, 742)
    page.showPage()
    page.save()
    return path
