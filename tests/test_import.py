"""make import: realistic 公文 written by tests/gongwen.py as Word and PDF, imported into a copy of docs/,
field by field; the refusals; and a round trip (import → make check → build → the page shows the fields)."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import subprocess
import sys

import pytest
import yaml
from conftest import BUILD_DATE, ROOT, TODAY, build_site
from gongwen import Doc, Table, write_docx, write_pdf, write_scanned_pdf

from kb.data import load_vocabulary
from kb.importer import Refused, import_file, import_paths
from kb.validate import validate

VOCAB = load_vocabulary()
BODY = [
    "为深入贯彻落实《X区关于新时代加强和改进思想政治工作的贯彻落实举措》，加强基层思想政治工作专项资金管理，提高资金使用效益，结合本区实际，制定本办法。",
    "一、资金来源和使用范围",
    "（一）专项资金由区财政每年列入预算，实行专款专用，并建立多元化投入机制，鼓励社会力量捐赠。",
    "（二）专项资金主要用于社区、网格开展理论宣讲、教育培训、品牌活动和阵地建设。",
    "二、申报和拨付",
    "各镇街于每年3月底前汇总辖区社区、网格的项目申报材料，报区委宣传部和区财政局审核。审核通过的项目，资金在30日内拨付到位，镇街不得截留挪用。",
]
TABLE = Table(
    [
        ["项目类别", "支持内容", "标准（万元）"],
        ["阵地建设", "社区活动中心改造", "50"],
        ["", "网格活动室", "10"],
        ["教育培训", "基层党员轮训", "20"],
    ],
    merges=[(1, 0, 2, 0)],
)


def joint_fund(**changes) -> Doc:
    base = dict(
        issuers=["X区财政局", "中共X区委宣传部"],
        doc_number="X财行〔２０２４〕０８号",
        title_lines=["关于印发《X区基层宣讲活动", "补助资金管理办法》的通知"],
        recipients="各镇人民政府、街道办事处，区直各单位：",
        body=["现将《X区基层宣讲活动补助资金管理办法》印发给你们，请认真贯彻执行。"],
        date="2024年3月15日",
        note="（此件公开发布）",
        attachments=[("附件", "X区基层宣讲活动补助资金管理办法", BODY + [TABLE])],
        cc="抄送：区委办公室，区政府办公室。",
        printer="X区财政局办公室",
        printed="2024年3月20日",
    )
    base.update(changes)
    return Doc(**base)


def plan(**changes) -> Doc:
    base = dict(
        issuers=["中共X区委组织部", "中共X区委宣传部", "X区人力资源和社会保障局"],
        doc_number="X组发 [2024] 2号",
        title_lines=["X区网格宣讲员队伍", "建设规划", "（2024—2026年）"],
        title_size=20,
        body_size=15,
        recipients="各镇党委、街道党工委，区直各单位党组织：",
        body=[
            "为建设一支政治过硬、本领高强的思想政治工作队伍，制定本规划。",
            "一、总体目标",
            "到2026年，每个社区至少配备1名专职思想政治工作者，每个网格明确1名兼职宣讲员。",
            "IMAGE",
            "二、主要措施",
            "坚持内部培养和外部引进相结合，定期开展业务培训。",
        ],
        attachment_note=["附件：1．重点任务分工表", "2．年度培训计划"],
        date="二〇二四年一月二十二日",
        signers_one_line=True,
        attachments=[
            ("附件1", "重点任务分工表", [Table([["任务", "牵头单位"], ["专职队伍", "区委组织部"]])]),
            ("附件2", "年度培训计划", ["每季度举办1期网格员轮训班。"]),
        ],
        printer="中共X区委组织部办公室",
        printed="2024年1月25日",
        banji_table=True,
    )
    base.update(changes)
    return Doc(**base)


def notice(**changes) -> Doc:
    base = dict(
        issuers=["中共X区委宣传部"],
        doc_number="X宣发（2025）12号",
        title_lines=["关于开展2025年度“最美X人”评选活动的通知"],
        title_size=22,
        recipients="各镇党委、街道党工委：",
        body=[
            "为发挥典型引领作用，弘扬时代楷模老马精神，区委宣传部决定开展2025年度“最美X人”评选活动。现将有关事项通知如下。",
            "一、评选对象",
            "扎根社区、网格，在志愿服务、邻里互助中表现突出的个人。",
            "二、评选程序",
            "社区推荐、镇街初审、区级评审，结果在微信公众号公示。",
        ],
        date="2025年4月8日",
        cc="抄送：区文明办。",
        printer="中共X区委宣传部办公室",
        printed="2025年4月9日",
    )
    base.update(changes)
    return Doc(**base)


def case(**changes) -> Doc:
    base = dict(
        title_lines=["桂花社区“楼道夜话”：把思想工作做到居民家门口"],
        byline=["X区南苑街道桂花社区　2025年6月18日"],
        body=[
            "桂花社区是老旧小区集中的社区，居民白天上班，晚上才有空。",
            "社区党委组织网格员每周三晚上在楼道里和居民聊政策、听意见。",
            "一年来共开展夜话120场，收集意见建议300余条，办结率95%。",
        ],
    )
    base.update(changes)
    return Doc(**base)


def interpretation(**changes) -> Doc:
    base = dict(
        title_lines=["《X区基层宣讲活动补助资金管理办法》政策解读"],
        byline=["来源：区财政局", "2024年3月22日"],
        body=[
            "一、出台背景",
            "为规范专项资金管理，区财政局会同区委宣传部制定了《X区基层宣讲活动补助资金管理办法》（X财行〔2024〕8号）。",
            "二、主要内容",
            "办法明确了资金来源、使用范围和拨付程序。",
        ],
    )
    base.update(changes)
    return Doc(**base)


@pytest.fixture
def docs(tmp_path):
    target = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", target)
    return target


def meta_of(path):
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---", 2)[1]), text.split("---", 2)[2]


def run(path, docs, **options):
    return import_file(path, docs, today=TODAY, vocab=VOCAB, **options)


@pytest.mark.parametrize("writer", [write_docx, write_pdf], ids=["docx", "pdf"])
def test_joint_notice_wrapping_a_fund_measure(writer, docs, tmp_path):
    source = writer(joint_fund(), tmp_path / f"fund.{'docx' if writer is write_docx else 'pdf'}")
    report = run(source, docs)
    assert report.doc_type == "fund"
    meta, body = meta_of(docs.parent / report.display)
    assert meta["title"] == "X区基层宣讲活动补助资金管理办法"
    assert meta["doc_number"] == "X财行〔2024〕8号"
    assert meta["issuer"] == ["X区财政局", "中共X区委宣传部"]
    assert meta["issued"] == dt.date(2024, 3, 15)
    assert meta["published"] == dt.date(2024, 3, 20)
    assert meta["visibility"] == "public"
    assert meta["owner"] == "区财政局"
    assert "funding" in meta["topics"]
    assert "现将《X区基层宣讲活动补助资金管理办法》印发给你们" in body
    for paragraph in BODY:
        if len(paragraph) > 20:
            assert paragraph in body.replace("\n", "")
    assert "## 一、资金来源和使用范围" in body and "### （一）" not in body
    assert "| 阵地建设 | 社区活动中心改造 | 50 |" in body and "| 阵地建设 | 网格活动室 | 10 |" in body
    assert "抄送" not in body and "印发\n" not in body and "此件公开发布" not in body
    assert "# 自动推断，请核对" in (docs.parent / report.display).read_text(encoding="utf-8")


@pytest.mark.parametrize("writer", [write_docx, write_pdf], ids=["docx", "pdf"])
def test_three_line_title_joint_plan_chinese_date_picture_and_attachments(writer, docs, tmp_path):
    source = writer(plan(), tmp_path / f"plan.{'docx' if writer is write_docx else 'pdf'}")
    report = run(source, docs)
    assert report.doc_type == "talent"
    path = docs.parent / report.display
    meta, body = meta_of(path)
    assert meta["title"] == "X区网格宣讲员队伍建设规划（2024—2026年）"
    assert meta["doc_number"] == "X组发〔2024〕2号"
    assert meta["issuer"] == ["中共X区委组织部", "中共X区委宣传部", "X区人力资源和社会保障局"]
    assert meta["issued"] == dt.date(2024, 1, 22)
    assert meta["published"] == dt.date(2024, 1, 25)
    assert meta["period"] == "2024-2026"
    assert meta["visibility"] == "internal"
    assert "到2026年，每个社区至少配备1名专职思想政治工作者，每个网格明确1名兼职宣讲员。" in body
    assert "## 附件1\u3000重点任务分工表" in body and "| 专职队伍 | 区委组织部 |" in body
    assert "每季度举办1期网格员轮训班。" in body
    images = [p for p in report.written if p.suffix == ".png"]
    assert images and images[0].is_file() and f"]({images[0].name})" in body


@pytest.mark.parametrize("writer", [write_docx, write_pdf], ids=["docx", "pdf"])
def test_policy_with_round_brackets_and_no_note(writer, docs, tmp_path):
    report = run(writer(notice(), tmp_path / f"n.{'docx' if writer is write_docx else 'pdf'}"), docs)
    meta, body = meta_of(docs.parent / report.display)
    assert report.doc_type == "policy"
    assert meta["doc_number"] == "X宣发〔2025〕12号"
    assert meta["issuer"] == "中共X区委宣传部"
    assert meta["title"] == "关于开展2025年度“最美X人”评选活动的通知"
    assert meta["visibility"] == "internal"
    assert meta["owner"] == "区委宣传部"
    assert body.strip().startswith("各镇党委、街道党工委：")


@pytest.mark.parametrize("writer", [write_docx, write_pdf], ids=["docx", "pdf"])
def test_case_and_interpretation_are_articles(writer, docs, tmp_path):
    ext = "docx" if writer is write_docx else "pdf"
    case_report = run(writer(case(), tmp_path / f"c.{ext}"), docs)
    meta, body = meta_of(docs.parent / case_report.display)
    assert case_report.doc_type == "case"
    assert meta["unit"] == "X区南苑街道桂花社区" and meta["date"] == dt.date(2025, 6, 18)
    assert "一年来共开展夜话120场" in body
    fund = run(writer(joint_fund(), tmp_path / f"f.{ext}"), docs)
    report = run(writer(interpretation(), tmp_path / f"i.{ext}"), docs)
    meta, _ = meta_of(docs.parent / report.display)
    assert report.doc_type == "interpretation"
    assert meta["author"] == "区财政局" and meta["date"] == dt.date(2024, 3, 22)
    assert meta["interprets"] == fund.display.removeprefix("docs/")


def test_supersedes_sets_the_old_documents_validity(docs, tmp_path):
    old = docs / "policies" / "training.md"
    old_meta, _ = meta_of(old)
    text = f"本办法自印发之日起施行，《{old_meta['title']}》（{old_meta['doc_number']}）同时废止。"
    doc = notice(doc_number="X宣发〔2025〕30号", body=notice().body + [text], note="（此件公开发布）")
    report = run(write_docx(doc, tmp_path / "new.docx"), docs)
    meta, _ = meta_of(docs.parent / report.display)
    assert meta["supersedes"] == ["policies/training.md"]
    assert meta_of(old)[0]["validity"] == "repealed"
    assert any("policies/training.md" in change for change in report.changed)


@pytest.mark.parametrize("marking", ["机密★1年", "秘密★", "绝密"])
def test_classified_files_are_refused(marking, docs, tmp_path):
    before = sorted(docs.rglob("*"))
    for source in (
        write_docx(notice(classification=marking), tmp_path / "s.docx"),
        write_pdf(notice(classification=marking), tmp_path / "s.pdf"),
    ):
        with pytest.raises(Refused, match="涉密文件一律不得录入"):
            run(source, docs)
    assert sorted(docs.rglob("*")) == before


def test_damaged_encrypted_old_scanned_and_existing_are_refused(docs, tmp_path):
    before = sorted(docs.rglob("*"))
    damaged = tmp_path / "d.docx"
    damaged.write_bytes(b"PK\x03\x04 not really a zip")
    broken_pdf = tmp_path / "d.pdf"
    broken_pdf.write_bytes(b"%PDF-1.4\n garbage")
    old = tmp_path / "o.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    wps = tmp_path / "o.wps"
    wps.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    cases = {
        damaged: "已损坏",
        broken_pdf: "已损坏",
        old: "另存为",
        wps: "另存为",
        write_scanned_pdf(tmp_path / "scan.pdf"): "扫描件",
        write_pdf(notice(), tmp_path / "locked.pdf", encrypt="secret"): "密码",
    }
    for path, words in cases.items():
        with pytest.raises(Refused, match=words):
            run(path, docs)
    with pytest.raises(Refused, match="已存在"):
        run(write_docx(notice(), tmp_path / "n.docx"), docs, slug="training")
    assert sorted(docs.rglob("*")) == before


def test_cli_refusal_is_one_chinese_line_without_traceback(tmp_path):
    source = write_docx(notice(classification="机密★"), tmp_path / "s.docx")
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    result = subprocess.run(
        [sys.executable, "-m", "kb", "import", str(source), "--docs", str(docs)],
        capture_output=True,
        text=True,
        env={"KB_BUILD_DATE": BUILD_DATE, "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "涉密" in result.stderr


def test_folder_import_then_check_and_build_show_the_fields(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    folder = tmp_path / "old"
    folder.mkdir()
    write_pdf(interpretation(), folder / "a-解读.pdf")
    write_docx(joint_fund(), folder / "fund.docx")
    write_pdf(plan(), folder / "plan.pdf", cmyk=True)
    write_docx(case(), folder / "case.docx")
    write_pdf(notice(), folder / "notice.pdf")
    write_docx(notice(classification="秘密★"), folder / "secret.docx")
    reports = import_paths(sorted(folder.iterdir()), docs, today=TODAY, vocab=VOCAB)
    done = {r.source: r for r in reports if not r.refused}
    assert set(done) == {"a-解读.pdf", "fund.docx", "plan.pdf", "case.docx", "notice.pdf"}
    assert [r.source for r in reports if r.refused] == ["secret.docx"]
    _, problems = validate(docs, today=TODAY, vocab=VOCAB)
    assert problems == []
    check = subprocess.run(
        [sys.executable, "-m", "kb", "check", "--docs", str(docs)],
        capture_output=True,
        text=True,
        env={"KB_BUILD_DATE": BUILD_DATE, "PATH": "/usr/bin:/bin"},
    )
    assert check.returncode == 0 and "检查通过" in check.stdout
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    site = build_site(docs, tmp_path / "site", "internal")
    page = (site / done["fund.docx"].display.removeprefix("docs/").removesuffix(".md") / "index.html").read_text(
        encoding="utf-8"
    )
    assert "X财行〔2024〕8号" in page and "X区财政局" in page and "2024-03-15" in page
    assert "网格活动室" in page
