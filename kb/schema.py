"""The front-matter fields of the content model (CONTENT_MODEL.md), as one table.

The validator and the JSON Schema are both generated from :data:`FIELDS`: one source for both.
"""

from __future__ import annotations

from dataclasses import dataclass

ALL_TYPES = frozenset({"policy", "fund", "talent", "case", "interpretation"})
OFFICIAL = frozenset({"policy", "fund", "talent"})
DATED = frozenset({"case", "interpretation"})
NONE: frozenset[str] = frozenset()

#: Keys of MkDocs and Material that may appear in any file.
PASS_THROUGH = ("hide", "icon", "search", "template", "description")
#: The only content keys a translation (``name.en.md``) may carry.
TRANSLATION_KEYS = ("title", "summary")
#: Attachment file types.
ATTACHMENT_TYPES = ("pdf", "docx", "xlsx", "ofd", "jpg", "png")
VALIDITY = ("current", "amended", "repealed")
VISIBILITY = ("public", "internal")


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # 中文名, used in messages
    kind: str  # how the value is checked, see kb.validate.CHECKS
    types: frozenset[str]  # document types that may carry the field
    required: frozenset[str] = NONE  # document types that must carry it
    example: str = ""
    default: object = None
    min_len: int = 0
    max_len: int = 0
    choices: tuple[str, ...] = ()
    vocabulary: str = ""  # 'topics' or 'levels'
    not_future: bool = False
    not_before: str = ""  # another date field this one may not precede
    # The metadata card of a document page shows the fields with a ``card`` position, in that order, each
    # as ``shown`` says (partials/kb/document.html): text, list, date, number, state, period, document,
    # documents, versions, files, topics, levels, tags. Adding a field to the card is this, and its label.
    card: int = 0
    shown: str = "text"
    # A card value that search finds its document by: the weight of a match in it (a 文号 outweighs the
    # text); 0, not searched. The card is not indexed as text (its labels and values would run together in
    # results' excerpts): its value becomes the page's Pagefind metadata field search_<key>
    # (kb/searchindex.py), which Pagefind searches with this weight.
    searched: float = 0


FIELDS: tuple[Field, ...] = (
    Field("title", "标题", "text", ALL_TYPES, ALL_TYPES, "X区思想政治工作联席会议制度", min_len=2, max_len=100),
    Field(
        "summary", "摘要", "text", ALL_TYPES, ALL_TYPES, "明确联席会议的组成、职责和议事规则。", min_len=1, max_len=200
    ),
    Field(
        "topics",
        "主题分类",
        "vocabulary",
        ALL_TYPES,
        ALL_TYPES,
        "[structure, training]",
        vocabulary="topics",
        card=18,
        searched=1,
        shown="topics",
    ),
    Field(
        "levels",
        "适用层级",
        "vocabulary",
        ALL_TYPES,
        ALL_TYPES,
        "[community, grid]",
        vocabulary="levels",
        card=19,
        searched=1,
        shown="levels",
    ),
    Field("tags", "关键词", "strings", ALL_TYPES, NONE, "[联席会议, 责任制]", card=20, searched=1, shown="tags"),
    Field("visibility", "公开属性", "choice", ALL_TYPES, NONE, "public", default="internal", choices=VISIBILITY),
    Field(
        "related", "相关文件", "references", ALL_TYPES, NONE, "[policies/joint-meeting.md]", card=22, shown="documents"
    ),
    Field(
        "attachments",
        "附件",
        "attachments",
        ALL_TYPES,
        NONE,
        "[attachments/project-application-form.docx]",
        card=23,
        shown="files",
    ),
    Field(
        "doc_number",
        "发文字号",
        "doc_number",
        OFFICIAL,
        frozenset({"policy", "fund"}),
        "X宣发〔2024〕3号",
        card=1,
        searched=10,
        shown="number",
    ),
    Field(
        "issuer",
        "发文机关",
        "issuer",
        OFFICIAL,
        OFFICIAL,
        "中共X区委宣传部 或 [中共X区委宣传部, X区财政局]",
        card=2,
        searched=1,
        shown="list",
    ),
    Field("issued", "成文日期", "date", OFFICIAL, OFFICIAL, "2024-03-15", not_future=True, card=3, shown="date"),
    Field("published", "发布日期", "date", OFFICIAL, NONE, "2024-03-20", not_before="issued", card=4, shown="date"),
    Field("effective", "施行日期", "date", OFFICIAL, NONE, "2024-04-01", not_before="issued", card=5, shown="date"),
    Field("expires", "有效期至", "date", OFFICIAL, NONE, "2026-12-31", card=6, shown="date"),
    Field(
        "validity",
        "时效性",
        "choice",
        OFFICIAL,
        NONE,
        "current",
        default="current",
        choices=VALIDITY,
        card=8,
        shown="state",
    ),
    Field(
        "supersedes",
        "替代文件",
        "references",
        OFFICIAL,
        NONE,
        "[policies/joint-meeting-interim.md]",
        card=21,
        shown="versions",
    ),
    Field("owner", "责任单位", "text", OFFICIAL, OFFICIAL, "区委宣传部", min_len=1, max_len=100, card=16, searched=1),
    Field("reviewed", "最近复核", "date", OFFICIAL, OFFICIAL, "2026-03-10", not_future=True, card=17, shown="date"),
    Field("review_months", "复核周期（月）", "positive_int", OFFICIAL, NONE, "12"),
    Field(
        "fund",
        "资金名称",
        "text",
        frozenset({"fund"}),
        NONE,
        "基层思想政治工作专项资金",
        min_len=1,
        max_len=100,
        card=10,
        searched=1,
    ),
    Field("budget_wan", "年度预算（万元）", "amount", frozenset({"fund"}), NONE, "300", card=11),
    Field(
        "period", "规划期", "period", frozenset({"talent"}), frozenset({"talent"}), "2024-2026", card=9, shown="period"
    ),
    Field("date", "日期", "date", DATED, DATED, "2025-06-18", not_future=True, card=7, shown="date"),
    Field(
        "unit",
        "主体单位",
        "text",
        frozenset({"case"}),
        frozenset({"case"}),
        "X区东湖街道枫林社区",
        min_len=1,
        max_len=100,
        card=12,
        searched=1,
    ),
    Field(
        "honors",
        "荣誉称号",
        "strings",
        frozenset({"case"}),
        NONE,
        "[全区基层思想政治工作示范点]",
        card=13,
        searched=1,
        shown="list",
    ),
    Field(
        "interprets",
        "解读文件",
        "reference",
        frozenset({"interpretation"}),
        frozenset({"interpretation"}),
        "policies/joint-meeting.md",
        card=15,
        shown="document",
    ),
    Field(
        "author",
        "解读机关",
        "text",
        frozenset({"interpretation"}),
        frozenset({"interpretation"}),
        "区委宣传部",
        min_len=1,
        max_len=100,
        card=14,
        searched=1,
    ),
)

FIELDS_BY_KEY = {f.key: f for f in FIELDS}
ALL_KEYS = tuple(FIELDS_BY_KEY) + PASS_THROUGH


CARD = tuple(sorted((f for f in FIELDS if f.card), key=lambda f: f.card))  # the metadata card's rows, in order


def fields_for(doc_type: str) -> list[Field]:
    return [f for f in FIELDS if doc_type in f.types]
