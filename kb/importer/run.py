"""One import: a Word or PDF file → ``docs/<section>/<slug>.md``, its pictures beside it, and a report.

:func:`import_file` reads, parses, fills the fields (from the layout where the file says them, guessed
with the ``# 自动推断，请核对`` comment where it does not), and writes only when nothing refuses the file;
:func:`import_paths` does a list of files (a folder), official documents before the articles that
interpret them. A refusal raises :class:`~kb.importer.blocks.Refused` before anything is written.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from kb import scaffold
from kb.data import Vocabulary
from kb.importer import infer, markdown
from kb.importer.blocks import Block, Refused
from kb.importer.docx_reader import read_docx
from kb.importer.layout import Parsed, parse
from kb.importer.pdf_reader import read_pdf
from kb.schema import FIELDS_BY_KEY
from kb.validate import SLUG

GUESSED = "  # 自动推断，请核对"
MISSING = "  # 文件中未找到，请填写"
OLD_FORMATS = {
    ".doc": "Word 97-2003 文档（.doc）",
    ".wps": "WPS 文字文档（.wps）",
    ".wpt": "WPS 模板（.wpt）",
    ".dot": "Word 模板（.dot）",
    ".rtf": "RTF 文档",
}
READERS = {".docx": read_docx, ".pdf": read_pdf}


@dataclass
class Report:
    source: str  # the file imported
    display: str = ""  # docs/policies/x.md
    doc_type: str = ""
    found: list[tuple[str, str]] = field(default_factory=list)  # (字段, 值 and where it came from)
    guessed: list[tuple[str, str]] = field(default_factory=list)
    check: list[str] = field(default_factory=list)  # what a person must look at
    changed: list[str] = field(default_factory=list)  # other files changed
    written: list[Path] = field(default_factory=list)
    refused: str = ""


def _label(key: str) -> str:
    return FIELDS_BY_KEY[key].label if key in FIELDS_BY_KEY else key


def read_blocks(path: Path) -> list[Block]:
    suffix = path.suffix.lower()
    if suffix in OLD_FORMATS:
        raise Refused(
            f"{path.name} 是{OLD_FORMATS[suffix]}，不能直接导入：请在 Word 或 WPS 中打开，"
            "选择“文件 → 另存为”，保存类型选“Word 文档（*.docx）”，再导入另存的 .docx 文件"
        )
    if suffix not in READERS:
        raise Refused(f"{path.name} 不是 Word（.docx）或 PDF 文件，不能导入")
    if not path.is_file():
        raise Refused(f"找不到文件 {path}")
    return READERS[suffix](path)


@dataclass
class _Draft:
    """A document being assembled: YAML texts per key (with their comment) and the body."""

    doc_type: str
    values: dict[str, str] = field(default_factory=dict)
    body: list[str] = field(default_factory=list)
    images: list[tuple[str, bytes]] = field(default_factory=list)  # (file name, bytes)
    repeal: list[tuple[infer.Known, str, str]] = field(default_factory=list)

    def set(self, key: str, value, comment: str = "") -> None:
        if isinstance(value, dt.date):
            self.values[key] = value.isoformat() + comment
        else:
            self.values[key] = scaffold.yaml_text(value) + comment


def import_file(
    path: Path,
    docs_dir: Path,
    *,
    doc_type: str = "",
    slug: str = "",
    today: dt.date,
    vocab: Vocabulary,
    library: infer.Library | None = None,
) -> Report:
    """Import one file; :class:`Refused` (nothing written) when it cannot or must not be imported."""
    try:
        return _import_file(
            Path(path), docs_dir, doc_type=doc_type, slug=slug, today=today, vocab=vocab, library=library
        )
    except (Refused, scaffold.ScaffoldError) as err:
        raise Refused(str(err)) from None
    except Exception as err:  # a layout this importer has not met: one line for the user, never a traceback
        raise Refused(
            f"{Path(path).name} 的版式无法识别（{type(err).__name__}: {err}），未写入任何文件："
            "请用 make new 手工录入，并把这份文件交给维护者改进导入程序"
        ) from None


def _import_file(
    path: Path,
    docs_dir: Path,
    *,
    doc_type: str,
    slug: str,
    today: dt.date,
    vocab: Vocabulary,
    library: infer.Library | None,
) -> Report:
    docs_dir = Path(docs_dir).resolve()
    library = library or infer.Library(docs_dir)
    report = Report(path.name)
    if slug and (not SLUG.match(slug.removesuffix(".md")) or slug.removesuffix(".md") == "index"):
        raise Refused(f"SLUG={slug} 不能用作文件名：只用小写英文字母、数字和连字符 -，例如 SLUG=activity-subsidy")
    blocks = read_blocks(path)
    parsed = parse(blocks, path.name)
    if not parsed.title:
        raise Refused(
            f"{path.name} 中找不到标题（居中的标题行）：请确认这是一份公文或文章，或先在 Word 中把标题居中后再导入"
        )
    title = parsed.inner.title if parsed.inner and parsed.inner.title else parsed.title
    if doc_type:
        doc_type = scaffold.resolve_type(doc_type, vocab)
        report.found.append(("类型", f"{doc_type}（TYPE 指定）"))
    else:
        doc_type, why = infer.document_type(
            parsed.notice_title + title, bool(parsed.doc_number), parsed.kind == "article"
        )
        report.guessed.append(("类型", f"{doc_type}（{why}）；不对时用 TYPE=… 重新导入"))
    draft = _Draft(doc_type)
    report.doc_type = doc_type
    _common(parsed, title, draft, report, library, today, vocab)
    if doc_type in ("policy", "fund", "talent"):
        _official(parsed, title, draft, report, library, vocab)
    else:
        _article(parsed, title, draft, report, library, path)
    target = _target(docs_dir, vocab.types[doc_type], slug, title, library, report)
    _body(parsed, draft, target, report)
    _write(draft, target, docs_dir, today, vocab, report, library)
    return report


def _common(
    parsed: Parsed, title: str, draft: _Draft, report: Report, library: infer.Library, today: dt.date, vocab: Vocabulary
) -> None:
    if len(title) > 100:
        report.check.append(f"标题超过 100 字，已截断，请改短：{title}")
        title = title[:100]
    draft.set("title", title)
    if parsed.notice_title:
        report.found.append(
            ("标题", f"{title}（印发通知《{parsed.notice_title}》所印发的文件的标题；正文为该文件全文）")
        )
    else:
        report.found.append(("标题", title))
    texts = _texts(parsed)
    draft.set("summary", infer.summary(texts) or title, GUESSED)
    topics, words = infer.topics(title, "\n".join(texts), vocab)
    draft.set("topics", topics, GUESSED)
    draft.set("levels", infer.levels(title, "\n".join(texts), vocab), GUESSED)
    if words:
        draft.set("tags", words, GUESSED)
    report.guessed += [
        ("摘要", "正文开头的句子"),
        ("主题分类", "、".join(topics)),
        ("适用层级", draft.values["levels"].split("#")[0].strip()),
    ]
    note = parsed.note
    words = infer.load_rules().get("visibility", {})
    internal = any(w in note for w in words.get("internal", []))
    visibility = "public" if note and not internal and any(w in note for w in words.get("public", [])) else "internal"
    draft.set("visibility", visibility)
    report.found.append(
        (
            "公开属性",
            f"{visibility}（附注“{note}”）" if note else "internal（没有附注，按内部处理；确认可以公开后改为 public）",
        )
    )


def _texts(parsed: Parsed) -> list[str]:
    blocks = parsed.inner.blocks if parsed.inner else parsed.body
    texts = [
        b.text.replace("\n", "") for b in blocks if b.is_text and not markdown.is_heading_line(b.text.replace("\n", ""))
    ]
    return [t for t in texts if t != parsed.recipients] or [parsed.title]


def _issuers(parsed: Parsed, report: Report) -> list[str]:
    signers = [s for s in parsed.signers if not re.search(r"\d", s) and len(s) >= 3]
    if signers and len(signers) >= len(parsed.header):
        report.found.append(("发文机关", f"{'、'.join(signers)}（署名）"))
        return signers
    if parsed.header:
        report.found.append(("发文机关", f"{'、'.join(parsed.header)}（版头）"))
        return parsed.header
    return []


def _official(
    parsed: Parsed, title: str, draft: _Draft, report: Report, library: infer.Library, vocab: Vocabulary
) -> None:
    if parsed.doc_number:
        number = parsed.doc_number
        if (other := library.by_number(number)) is not None:
            raise Refused(
                f"发文字号 {number} 已有文件 docs/{other.path}：这份文件可能已经导入过，未写入任何文件；"
                "要替换，请先核对并删除旧文件"
            )
        draft.set("doc_number", number)
        raw = f"（原文写作“{parsed.doc_number_raw}”）" if parsed.doc_number_raw.replace(" ", "") != number else ""
        report.found.append(("发文字号", number + raw))
    elif draft.doc_type != "talent":
        raise Refused(
            f"{report.source} 中找不到发文字号：政策文件和资金管理文件必须有发文字号；"
            "如果这是一篇案例或解读，请加 TYPE=case 或 TYPE=interpretation 重新导入"
        )
    issuers = _issuers(parsed, report)
    if not issuers:
        raise Refused(f"{report.source} 中找不到发文机关（版头和署名都没有）：请核对文件，或先用 make new 手工录入")
    draft.set("issuer", issuers[0] if len(issuers) == 1 else issuers)
    if parsed.issued:
        draft.set("issued", parsed.issued)
        report.found.append(("成文日期", parsed.issued.isoformat()))
    else:
        raise Refused(f"{report.source} 中找不到成文日期（署名下方的日期）：请核对文件，或先用 make new 手工录入")
    if parsed.printed and parsed.printed >= parsed.issued:
        draft.set("published", parsed.printed)
        report.found.append(("发布日期", f"{parsed.printed.isoformat()}（版记中的印发日期）"))
    published = parsed.printed if parsed.printed and parsed.printed >= parsed.issued else None
    effective, expires = infer.in_force(_all_texts(parsed), parsed.issued, published)
    if effective and effective >= parsed.issued:
        draft.set("effective", effective)
        report.found.append(("施行日期", f"{effective.isoformat()}（正文中的施行规定）"))
    if expires and expires > (effective or parsed.issued):
        draft.set("expires", expires)
        report.found.append(("有效期至", f"{expires.isoformat()}（正文中的有效期）"))
    if parsed.doc_number and parsed.doc_number.split("〔")[1][:4] != str(parsed.issued.year):
        report.check.append(f"发文字号的年份与成文日期 {parsed.issued} 不一致，make check 会报告，请核对原件")
    draft.set("validity", "current")
    if draft.doc_type == "talent":
        span = infer.period(parsed.notice_title + title) or infer.period(" ".join(_texts(parsed))[:400])
        if span:
            draft.set("period", span)
            report.found.append(("规划期", span))
        else:
            year = parsed.issued.year
            draft.set("period", f"{year}-{year + 2}", MISSING)
            report.check.append("标题中没有规划期（如“2024—2026年”），暂填成文年份起三年，请改为实际规划期")
    owner = library.usual_owner(issuers)
    draft.set("owner", owner, GUESSED)
    report.guessed.append(("责任单位", f"{owner}（{issuers[0]}的文件通常由它负责）"))
    draft.repeal = list(infer.superseded(_all_texts(parsed), library))
    if draft.repeal:
        draft.set("supersedes", [item[0].path for item in draft.repeal])
        report.found.append(("替代文件", "、".join(f"{k.path}（{v}）" for k, v, _ in draft.repeal)))


def _all_texts(parsed: Parsed) -> list[str]:
    blocks = parsed.body + [b for a in parsed.attachments for b in a.blocks]
    return [b.text.replace("\n", "") for b in blocks if b.is_text]


def _article(parsed: Parsed, title: str, draft: _Draft, report: Report, library: infer.Library, path: Path) -> None:
    byline = parsed.byline or "、".join(parsed.signers)
    date = parsed.issued or parsed.printed
    if date:
        draft.set("date", date)
        report.found.append(("日期", date.isoformat()))
    else:
        raise Refused(f"{path.name} 中找不到日期（标题下或文末的日期）：请核对文件，或先用 make new 手工录入")
    key = "unit" if draft.doc_type == "case" else "author"
    if byline:
        draft.set(key, byline)
        report.found.append((_label(key), byline))
    else:
        fallback = "、".join(parsed.header) or "待填写"
        draft.set(key, fallback, MISSING)
        report.check.append(f"{_label(key)}：标题下没有单位或作者行，暂填“{fallback}”，请改为实际的{_label(key)}")
    if draft.doc_type == "interpretation":
        target, name = infer.interpreted(title, _all_texts(parsed), library)
        if target is None:
            raise Refused(
                f"{path.name} 是政策解读，但所解读的文件{name or ''}不在知识库中：请先导入原文件，再导入这份解读"
            )
        draft.set("interprets", target.path)
        report.found.append(("解读文件", f"{target.path}（按{name}找到）"))


def _target(docs_dir: Path, folder: str, slug: str, title: str, library: infer.Library, report: Report) -> Path:
    if slug:
        slug = slug.removesuffix(".md")
        if not SLUG.match(slug) or slug == "index":
            raise Refused(f"SLUG={slug} 不能用作文件名：只用小写英文字母、数字和连字符 -，例如 SLUG=activity-subsidy")
        target = docs_dir / folder / f"{slug}.md"
        if target.exists():
            raise Refused(f"docs/{folder}/{slug}.md 已存在：导入从不覆盖已有文件，请换一个 SLUG")
        return target
    if (same := library.titled(title)) is not None and same.path.startswith(folder + "/"):
        raise Refused(
            f"docs/{same.path} 的标题与这份文件相同，可能已经导入过：未写入任何文件；确需再导入时请用 SLUG=… 指定新文件名"
        )
    base = infer.slug(title)
    candidate, number = base, 2
    while (docs_dir / folder / f"{candidate}.md").exists():
        candidate, number = f"{base}-{number}", number + 1
    report.guessed.append(("文件名", f"{candidate}.md（由标题的拼音生成；要换用 SLUG=…）"))
    return docs_dir / folder / f"{candidate}.md"


def _body(parsed: Parsed, draft: _Draft, target: Path, report: Report) -> None:
    images: dict[int, str] = {}
    every = parsed.body + [b for a in parsed.attachments for b in a.blocks]
    for block in (b for b in every if b.kind == "image"):
        if converted := _picture(block):
            name = f"{target.stem}-{len(draft.images) + 1}.{converted[1]}"
            draft.images.append((name, converted[0]))
            images[id(block)] = name
        else:
            report.check.append(
                f"正文中有一张 {block.image_ext or '未知'} 格式的图片无法转换为 png，未带入，请从原件中另存后手工插入"
            )
    parts: list[str] = []
    if parsed.inner:
        parts += markdown.render(parsed.body, images)  # the notice's own words first
        parts += markdown.render(parsed.inner.blocks, images)
        others = [a for a in parsed.attachments if a is not parsed.inner]
    else:
        parts += markdown.render(parsed.body, images)
        if parsed.attachment_note:
            parts.append("<br>".join(markdown.escape(line) for line in parsed.attachment_note))
        others = parsed.attachments
    for item in others:
        parts += markdown.attachment(item, images)
    draft.body = parts


def _picture(block: Block) -> tuple[bytes, str] | None:
    ext = {"jpeg": "jpg"}.get(block.image_ext, block.image_ext)
    if ext in ("png", "jpg"):
        return block.image, ext
    try:
        from PIL import Image

        with Image.open(io.BytesIO(block.image)) as picture:
            out = io.BytesIO()
            picture.convert("RGBA" if picture.mode in ("RGBA", "P", "LA") else "RGB").save(out, "PNG")
            return out.getvalue(), "png"
    except Exception:
        return None


def _write(
    draft: _Draft,
    target: Path,
    docs_dir: Path,
    today: dt.date,
    vocab: Vocabulary,
    report: Report,
    library: infer.Library,
) -> None:
    public = draft.values.get("visibility") == "public"
    if public:
        internal = [k.path for k, _, _ in draft.repeal if k.meta.get("visibility") != "public"]
        if internal:
            report.check.append(
                f"被替代的 {'、'.join(internal)} 是内部文件，公开文件不能引用它，未写入 supersedes，请核对"
            )
            draft.repeal = [item for item in draft.repeal if item[0].path not in internal]
            if draft.repeal:
                draft.set("supersedes", [item[0].path for item in draft.repeal])
            else:
                draft.values.pop("supersedes", None)
    draft.set("reviewed", today, GUESSED)
    report.guessed.append(("最近复核", f"{today.isoformat()}（今天）"))
    if "tags" in draft.values:
        report.guessed.append(("关键词", draft.values["tags"].split("#")[0].strip()))
    body = "\n\n".join(draft.body) + "\n"
    text = scaffold.render(draft.doc_type, draft.values, vocab, today.isoformat(), body=body)
    target.parent.mkdir(parents=True, exist_ok=True)
    for name, data in draft.images:
        (target.parent / name).write_bytes(data)
        report.written.append(target.parent / name)
    target.write_text(text, encoding="utf-8")
    report.written.insert(0, target)
    report.display = f"docs/{target.relative_to(docs_dir).as_posix()}"
    for known, validity, sentence in draft.repeal:
        if _set_validity(docs_dir / known.path, validity):
            report.changed.append(
                f"docs/{known.path}：validity 改为 {validity}（{vocab.label('validity', validity, 'zh')}），"
                f"依据正文“{sentence[:60]}”"
            )
    library.add(target)


def _set_validity(path: Path, validity: str) -> bool:
    """Set ``validity`` in the front matter of an existing document, changing no other line."""
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("\n---")
    if re.search(r"^validity:\s*\S+", head, re.M):
        new_head = re.sub(r"^validity:[^\n#]*", f"validity: {validity}", head, count=1, flags=re.M)
    else:
        new_head = head.rstrip("\n") + f"\nvalidity: {validity}"
    if new_head == head:
        return False
    path.write_text(new_head + sep + rest, encoding="utf-8")
    return True


def import_paths(
    paths: list[Path], docs_dir: Path, *, today: dt.date, vocab: Vocabulary, doc_type: str = ""
) -> list[Report]:
    """Every file of a folder: official documents first, so that the interpretations in the same folder find them."""
    library = infer.Library(docs_dir)

    def order(path: Path) -> int:
        name = path.stem
        words = infer.load_rules().get("types", {}).get("interpretation", [])
        return 1 if any(w in name for w in words) else 0

    reports = []
    pending = sorted(paths, key=lambda p: (order(p), p.name))
    retry: list[Path] = []
    for path in pending:
        try:
            reports.append(import_file(path, docs_dir, doc_type=doc_type, today=today, vocab=vocab, library=library))
        except Refused as err:
            if "不在知识库中" in str(err):
                retry.append(path)
                continue
            reports.append(Report(path.name, refused=str(err)))
    for path in retry:  # interpretations whose document came later in the folder
        try:
            reports.append(import_file(path, docs_dir, doc_type=doc_type, today=today, vocab=vocab, library=library))
        except Refused as err:
            reports.append(Report(path.name, refused=str(err)))
    return reports


def format_report(report: Report) -> str:
    if report.refused:
        return f"✗ 未导入 {report.source}：{report.refused}"
    lines = [f"✓ 已导入 {report.source} → {report.display}"]
    lines.append("  从文件读出：")
    lines += [f"    {key}：{value}" for key, value in report.found]
    lines.append("  推断（文件中的这些行标有 # 自动推断，请核对）：")
    lines += [f"    {key}：{value}" for key, value in report.guessed]
    if report.changed:
        lines.append("  同时修改了：")
        lines += [f"    {item}" for item in report.changed]
    if len(report.written) > 1:
        lines.append(f"  一并写入的图片：{'、'.join(p.name for p in report.written[1:])}")
    lines.append("  请人工核对：")
    lines += [f"    - {item}" for item in report.check]
    lines.append("    - 带 # 自动推断，请核对 的各行；核对后删去这段注释")
    return "\n".join(lines)
