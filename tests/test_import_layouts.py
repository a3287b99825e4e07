"""make import on more layouts than tests/test_import.py: chapters and articles, 停止执行 by 文号 only,
dates typed as ○ numerals or full-width digits, 署名 pushed right with spaces, a 版头 in a table, an
article signed at its end, an interpretation found by its 文号, CMYK red. Each in Word and PDF."""

from __future__ import annotations

import datetime as dt
import shutil

import docx
import pytest
from conftest import ROOT, TODAY
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor
from gongwen import Doc, write_docx, write_pdf
from test_import import meta_of

from kb.data import load_vocabulary
from kb.importer import import_file
from kb.validate import validate

VOCAB = load_vocabulary()
EXT = {write_docx: "docx", write_pdf: "pdf"}


@pytest.fixture
def docs(tmp_path):
    target = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", target)
    return target


def regulation() -> Doc:
    return Doc(
        issuers=["中共X区委办公室"],
        doc_number="X委办发〔2024〕０９号",
        title_size=21,
        body_size=16,
        title_lines=["X区基层思想政治工作四级联动", "工作机制（修订）"],
        recipients="各镇党委、街道党工委，区委各部委办局：",
        body=[
            "第一章 总则",
            "第一条 为了推动思想政治工作重心下移，健全区、镇街、社区、网格四级联动机制，制定本机制。",
            "第二条 本机制适用于全区各级党组织。",
            "第二章 职责分工",
            "第三条 区级负责统筹协调；镇街负责组织实施；社区负责具体落实；网格负责联系群众。",
            "第四条 本机制自2024年5月1日起施行，原机制（X委办发〔2022〕5号）同时停止执行。",
        ],
        date="二○二四年四月八日",
        note="（此件不公开）",
        cc="抄送：区委宣传部。",
        printer="中共X区委办公室秘书科",
        printed="2024年4月10日",
    )


@pytest.mark.parametrize("writer", [write_docx, write_pdf], ids=["docx", "pdf"])
def test_chapters_articles_and_repeal_by_number(writer, docs, tmp_path):
    report = import_file(writer(regulation(), tmp_path / f"r.{EXT[writer]}"), docs, today=TODAY, vocab=VOCAB)
    meta, body = meta_of(docs.parent / report.display)
    assert report.doc_type == "policy"
    assert meta["title"] == "X区基层思想政治工作四级联动工作机制（修订）"
    assert meta["doc_number"] == "X委办发〔2024〕9号"
    assert meta["issuer"] == "中共X区委办公室"
    assert meta["issued"] == dt.date(2024, 4, 8)
    assert meta["published"] == dt.date(2024, 4, 10)
    assert meta["effective"] == dt.date(2024, 5, 1)  # 本机制自2024年5月1日起施行
    assert "第一章" not in meta["summary"]  # the summary is prose, not the chapter heading
    assert meta["visibility"] == "internal"
    assert meta["supersedes"] == ["policies/four-level-linkage.md"]
    assert meta_of(docs / "policies" / "four-level-linkage.md")[0]["validity"] == "repealed"
    assert "## 第一章\u3000总则" in body and "**第三条**\u3000区级负责统筹协调" in body
    assert set(meta["levels"]) >= {"subdistrict", "community", "grid"}
    assert validate(docs, today=TODAY, vocab=VOCAB)[1] == []


def signed_case() -> Doc:
    return Doc(
        title_lines=["石桥村“板凳课堂”让政策走进田间地头"],
        body=[
            "石桥村把宣讲课堂搬到村口的大树下，党员志愿者每月两次给村民讲政策。",
            "课堂结束后，网格员把村民提出的问题带回村委会，一周内答复。",
        ],
        issuers=["X区青石镇石桥村党支部"],
        date="2025年9月3日",
    )


@pytest.mark.parametrize("writer", [write_docx, write_pdf], ids=["docx", "pdf"])
def test_case_signed_at_its_end(writer, docs, tmp_path):
    report = import_file(writer(signed_case(), tmp_path / f"c.{EXT[writer]}"), docs, today=TODAY, vocab=VOCAB)
    meta, body = meta_of(docs.parent / report.display)
    assert report.doc_type == "case"
    assert meta["unit"] == "X区青石镇石桥村党支部" and meta["date"] == dt.date(2025, 9, 3)
    assert "一周内答复。" in body and "2025年9月3日" not in body


def qa_by_number() -> Doc:
    return Doc(
        title_lines=["联席会议制度修订有关问题答问"],
        byline=["解读机关：区委宣传部　2023年4月25日"],
        body=["问：这次修订的依据是什么？", "答：依据X委办发〔2023〕7号文件，联席会议全体会议改为每半年召开一次。"],
    )


@pytest.mark.parametrize("writer", [write_docx, write_pdf], ids=["docx", "pdf"])
def test_interpretation_found_by_number(writer, docs, tmp_path):
    report = import_file(writer(qa_by_number(), tmp_path / f"q.{EXT[writer]}"), docs, today=TODAY, vocab=VOCAB)
    meta, _ = meta_of(docs.parent / report.display)
    assert report.doc_type == "interpretation"
    assert meta["interprets"] == "policies/joint-meeting.md"
    assert meta["author"] == "区委宣传部" and meta["date"] == dt.date(2023, 4, 25)


def test_cmyk_red_pdf_and_full_width_numbers(docs, tmp_path):
    doc = regulation()
    doc.date, doc.doc_number = "２０２４年４月８日", "X委办发〔２０２４〕9号"
    report = import_file(write_pdf(doc, tmp_path / "r.pdf", cmyk=True), docs, today=TODAY, vocab=VOCAB)
    meta, _ = meta_of(docs.parent / report.display)
    assert meta["issued"] == dt.date(2024, 4, 8) and meta["doc_number"] == "X委办发〔2024〕9号"
    assert meta["issuer"] == "中共X区委办公室"


def test_word_with_header_table_and_signature_pushed_right_with_spaces(docs, tmp_path):
    """An older Word habit: the joint 版头 as a table (two names, 文件 beside them), the 署名 and date typed
    with leading spaces instead of right alignment, the title as one paragraph with a line break."""
    document = docx.Document()
    red = RGBColor(0xFF, 0, 0)
    header = document.add_table(rows=2, cols=2)
    for row, name in enumerate(["中共X区委宣传部", "X区文化和旅游局"]):
        run = header.cell(row, 0).paragraphs[0].add_run(name)
        run.font.color.rgb, run.font.size = red, Pt(26)
    merged = header.cell(0, 1).merge(header.cell(1, 1))
    run = merged.paragraphs[0].add_run("文件")
    run.font.color.rgb, run.font.size = red, Pt(26)
    number = document.add_paragraph("X宣发〔2023〕２１号")
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("关于加强社区图书室和文化活动中心")
    run.add_break()
    title.add_run("免费开放工作的意见")
    document.add_paragraph("各镇街：")
    document.add_paragraph("\u3000\u3000社区图书室和文化活动中心是基层思想政治工作的重要阵地，应当全年免费开放。")
    document.add_paragraph("\u3000" * 16 + "中共X区委宣传部\u3000\u3000X区文化和旅游局")
    document.add_paragraph("\u3000" * 18 + "2023年11月2日")
    document.add_paragraph("\u3000\u3000（此件公开发布）")
    path = tmp_path / "old.docx"
    document.save(str(path))
    report = import_file(path, docs, today=TODAY, vocab=VOCAB)
    meta, body = meta_of(docs.parent / report.display)
    assert meta["title"] == "关于加强社区图书室和文化活动中心免费开放工作的意见"
    assert meta["doc_number"] == "X宣发〔2023〕21号"
    assert meta["issuer"] == ["中共X区委宣传部", "X区文化和旅游局"]
    assert meta["issued"] == dt.date(2023, 11, 2)
    assert meta["visibility"] == "public"
    assert "venues" in meta["topics"]
    assert "应当全年免费开放。" in body and "2023年11月2日" not in body


@pytest.mark.parametrize("writer", [write_docx, write_pdf], ids=["docx", "pdf"])
def test_long_title_line_two_notes_and_a_cc_list_over_two_lines(writer, docs, tmp_path):
    doc = regulation()
    doc.title_lines = ["X区关于进一步加强网格思想政治工作的", "实施意见"]
    doc.note = "（此件公开发布）\n（联系人：王明，电话：12345678）"
    doc.cc = "抄送：区委宣传部，区委组织部，区财政局，区民政局，区文化和旅游局，\n区融媒体中心，团区委，区妇联。"
    report = import_file(writer(doc, tmp_path / f"r.{EXT[writer]}"), docs, today=TODAY, vocab=VOCAB)
    meta, body = meta_of(docs.parent / report.display)
    assert meta["title"] == "X区关于进一步加强网格思想政治工作的实施意见"
    assert meta["visibility"] == "public"
    assert meta["published"] == dt.date(2024, 4, 10)
    assert "区融媒体中心" not in body and "联系人" not in body
    assert body.rstrip().endswith("同时停止执行。")


@pytest.mark.parametrize("writer", [write_docx, write_pdf], ids=["docx", "pdf"])
def test_notice_whose_issued_text_has_no_attachment_label(writer, docs, tmp_path):
    from test_import import BODY, joint_fund

    doc = joint_fund(attachments=[("", "X区基层宣讲活动补助资金管理办法", BODY)], note="")
    report = import_file(writer(doc, tmp_path / f"n.{EXT[writer]}"), docs, today=TODAY, vocab=VOCAB)
    meta, body = meta_of(docs.parent / report.display)
    assert meta["title"] == "X区基层宣讲活动补助资金管理办法" and meta["visibility"] == "internal"
    assert all(paragraph in body for paragraph in BODY[2:4])
    assert "## X区基层宣讲活动补助资金管理办法" not in body


@pytest.mark.parametrize(
    "note, visibility",
    [("（此件主动公开）", "public"), ("（此件依申请公开）", "internal"), ("（此件不予公开）", "internal")],
)
def test_note_decides_visibility(note, visibility, docs, tmp_path):
    doc = regulation()
    doc.note = note
    report = import_file(write_docx(doc, tmp_path / "r.docx"), docs, today=TODAY, vocab=VOCAB)
    assert meta_of(docs.parent / report.display)[0]["visibility"] == visibility


def test_byline_with_time_and_encrypted_word_file(docs, tmp_path):
    from test_import import case

    doc = case(byline=["来源：X区南苑街道桂花社区", "发布时间：2025-06-18 10:30"])
    report = import_file(write_pdf(doc, tmp_path / "c.pdf"), docs, today=TODAY, vocab=VOCAB)
    meta, _ = meta_of(docs.parent / report.display)
    assert meta["unit"] == "X区南苑街道桂花社区" and meta["date"] == dt.date(2025, 6, 18)
    locked = tmp_path / "locked.docx"  # what Word writes for a password-protected .docx: an OLE container
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64 + "EncryptedPackage".encode("utf-16-le"))
    with pytest.raises(Exception, match="密码"):
        import_file(locked, docs, today=TODAY, vocab=VOCAB)


def test_joint_signature_and_date_in_a_borderless_table(docs, tmp_path):
    doc = regulation()
    doc.issuers, doc.date = ["中共X区委宣传部", "X区民政局"], ""
    path = write_docx(doc, tmp_path / "t.docx")
    document = docx.Document(str(path))
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "中共X区委宣传部", "X区民政局"
    table.cell(1, 1).text = "2024年4月8日"
    body_end = next(p for p in document.paragraphs if "同时停止执行" in p.text)
    body_end._p.addnext(table._tbl)
    document.save(str(path))
    report = import_file(path, docs, today=TODAY, vocab=VOCAB)
    meta, body = meta_of(docs.parent / report.display)
    assert meta["issuer"] == ["中共X区委宣传部", "X区民政局"] and meta["issued"] == dt.date(2024, 4, 8)
    assert "X区民政局" not in body


@pytest.mark.parametrize("writer", [write_docx, write_pdf], ids=["docx", "pdf"])
def test_long_joint_signatures_on_their_own_lines(writer, docs, tmp_path):
    doc = regulation()
    doc.issuers = ["中共X区委宣传部", "X区人力资源和社会保障局", "中共X区委网络安全和信息化委员会办公室"]
    doc.body = doc.body[:-1] + ["特此通知"]
    report = import_file(writer(doc, tmp_path / f"j.{EXT[writer]}"), docs, today=TODAY, vocab=VOCAB)
    meta, body = meta_of(docs.parent / report.display)
    assert meta["issuer"] == doc.issuers
    assert "特此通知" in body


def test_an_issued_texts_title_stops_at_its_first_chapter(tmp_path):
    """In the 附件 of a 印发通知, the title is the big centred lines after 附件; a centred 第一章 under it
    (smaller, a heading of the text) is the body's first heading, not part of the title."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()

    def line(text, size=16, centred=False):
        run = doc.add_paragraph().add_run(text)
        run.font.size = Pt(size)
        if centred:
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER

    line("中共X区委宣传部文件", 36, True)
    line("X宣发［2025］ ６ 号", 16, True)
    line("关于印发《X区基层理论宣讲", 22, True)
    line("志愿者管理办法》的通知", 22, True)
    line("各镇街党（工）委，区直各单位：")
    line("现将《X区基层理论宣讲志愿者管理办法》印发给你们，请结合实际认真贯彻执行。")
    line("中共X区委宣传部")
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    line("二〇二五年三月十二日")
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_page_break()
    line("附件")
    line("X区基层理论宣讲志愿者管理办法", 22, True)
    line("第一章　总则", 16, True)
    line("第一条　为规范基层理论宣讲志愿者队伍管理，制定本办法。")
    line("第二条　本办法自2025年4月1日起施行。")
    source = tmp_path / "lecture.docx"
    doc.save(source)
    from kb.importer import layout, run

    parsed = layout.parse(run.read_blocks(source), source.name)
    assert parsed.inner is not None and parsed.inner.title == "X区基层理论宣讲志愿者管理办法"
    assert parsed.doc_number == "X宣发〔2025〕6号" and parsed.issued == dt.date(2025, 3, 12)
    assert any(b.text.startswith("第一章") for b in parsed.inner.blocks)
