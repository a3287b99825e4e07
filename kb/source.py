"""Reading one Markdown file: bytes → text → front matter (with the line of every key) and body.

Nothing here raises on bad input: every problem becomes a :class:`~kb.problems.Problem`.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from kb.problems import Problem

# The same front-matter delimiters MkDocs accepts (mkdocs.utils.meta).
FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)?(?:\.{3}|-{3})[ \t]*(?:\n|\Z)", re.S)
# The usual causes of a front matter that does not parse, each with the key it happened on.
FULL_WIDTH_COLON = re.compile(r"^\s*([A-Za-z_][\w-]*)\s*：", re.M)
FULL_WIDTH_SPACE = re.compile(r"^([A-Za-z_][\w-]*):[ ]*\u3000", re.M)
NO_SPACE = re.compile(r"^([A-Za-z_][\w-]*):(?=[^\s])", re.M)

LINE_FORM = (
    "每行写成 英文键名 + 半角冒号 + 空格 + 值，例如 title: X区思想政治工作联席会议制度；"
    "值中含冒号、# 等符号时请用英文引号括起来"
)
QUOTE = '请用英文双引号把整个值括起来，例如 summary: "工作目标: 全覆盖"'
LAYOUT = "每个键都从行首写起，列表各项缩进一致；值以 [ 或引号开头而后面还有文字时，用英文单引号把整个值括起来，或改用中文引号“”"

# What PyYAML says (part of its message) -> what it means for an editor, and how to fix it.
_YAML_REASONS = (
    ("mapping values are not allowed", "一行中出现了第二个“: ”，或这一行的缩进不对", f"{QUOTE}；每个键都从行首写起"),
    ("could not find expected ':'", "这一行缺少键名后的半角冒号", LINE_FORM),
    (
        "expected ',' or ']'",
        "方括号 [ ] 没有成对，或列表各项之间缺少半角逗号",
        "列表写成 [structure, training]，用半角方括号和半角逗号",
    ),
    ("expected ',' or '}'", "花括号 { } 没有成对", QUOTE),
    ("end of stream", "引号没有成对", "检查这一行的英文引号是否成对；值里本身有英文双引号时，改用中文引号“”"),
    ("expected <block end>", "缩进不齐，或值以 [ 或引号开头、后面却还有文字", LAYOUT),
    ("did not find expected", "缩进不齐，或值以 [ 或引号开头、后面却还有文字", LAYOUT),
    ("alphabetic or numeric character", "值以 * 或 & 开头，被当成了 YAML 的特殊符号", QUOTE),
    ("undefined alias", "值以 * 开头，被当成了 YAML 的特殊符号", QUOTE),
    ("cannot start any token", "值以 YAML 不允许的符号（如 @ 或 `）开头", QUOTE),
    ("a tag", "值以 ! 开头，被当成了 YAML 的标签", QUOTE),
)


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so that the validator can judge them itself.

    PyYAML turns ``2024-02-30`` into a ValueError deep inside its constructor; we want a message.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


# PyYAML built without libyaml has no CSafeLoader; the stubs always declare it, and it has SafeLoader's interface.
if TYPE_CHECKING:
    _FastBase = yaml.CSafeLoader
else:
    _FastBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FastLoader(_FastBase):
    """The same rules, parsed by libyaml when PyYAML comes with it: ten times faster, which is most of
    ``make check`` at thousands of documents (``make bench``). Only for front matter without Tabs
    (where the two parsers may disagree); a front matter libyaml rejects is parsed again by
    :class:`_Loader`, whose error messages the reasons above are written for."""


_FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


@dataclass
class Source:
    """A Markdown file as the validator sees it."""

    path: str  # relative to docs/, with forward slashes
    display: str  # what messages call it, e.g. docs/policies/x.md
    text: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # key -> 1-based line
    body: str = ""
    body_line: int = 1  # line of the first body line
    has_front_matter: bool = False
    problems: list[Problem] = field(default_factory=list)

    def problem(self, line: int, key: str, message: str, expected: str = "") -> None:
        self.problems.append(Problem(self.display, line, key, message, expected))

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)


def decode(raw: bytes, src: Source) -> str | None:
    """UTF-8 (with or without BOM, LF or CRLF) or a clear problem; GBK gets its own hint."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        try:
            raw.decode("gb18030")
            guess = "看起来是 GBK/GB2312 编码（Windows 记事本、WPS 的默认编码）"
        except UnicodeDecodeError:
            guess = "含有无法识别的字节"
        src.problem(
            line,
            "encoding",
            f"文件不是 UTF-8 编码，{guess}",
            "请转存为 UTF-8：在 VS Code 中点右下角的编码名称，若文字是乱码，先选“通过编码重新打开”→“简体中文 (GBK)”，"
            "文字正常后再点一次，选“通过编码保存”→“UTF-8”；或用记事本打开，“另存为”时编码选 UTF-8",
        )
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse(raw: bytes, path: str, display: str) -> Source:
    """Split and parse a file; problems are collected on the returned Source."""
    src = Source(path=path, display=display)
    text = decode(raw, src)
    if text is None:
        return src
    src.text = text
    match = FRONT_MATTER.match(text)
    if not match:
        src.body = text
        if text.startswith("---"):
            src.problem(
                1,
                "front_matter",
                "文件以 --- 开头，但找不到结束的 ---",
                "元数据（front matter）须以单独一行 --- 开始，并以单独一行 --- 结束",
            )
        return src
    src.has_front_matter = True
    src.body = text[match.end() :]
    src.body_line = text[: match.end()].count("\n") + 1
    _read_mapping(match.group(1) or "", src)
    return src


def parse_mapping(raw: bytes, path: str, display: str) -> Source:
    """A YAML data file (e.g. data/redirects.yml) read as a front matter is: mapping, key lines, problems."""
    src = Source(path=path, display=display)
    text = decode(raw, src)
    if text is not None:
        src.text = text
        _read_mapping(text, src, offset=1)
    return src


def _read_mapping(block: str, src: Source, offset: int = 2) -> None:
    """``offset``: the file line of the block's first line (a front matter starts on line 2, after '---')."""
    try:
        node = _compose(block)
    except yaml.YAMLError as err:
        line, reason, hint = _yaml_problem(err, block)
        src.problem(offset + line if line is not None else 1, "front_matter", f"元数据不是合法的 YAML：{reason}", hint)
        return
    if node is None:
        return
    if not isinstance(node, yaml.MappingNode):
        line, reason, hint = _layout_problem(block) or (node.start_mark.line, "", LINE_FORM)
        src.problem(offset + line, "front_matter", "元数据不是“键: 值”的形式" + (f"：{reason}" if reason else ""), hint)
        return
    for key_node, value_node in node.value:
        line = offset + key_node.start_mark.line
        if not isinstance(key_node, yaml.ScalarNode):
            src.problem(line, "front_matter", "键名应为一个英文单词，这里是列表或键值对", LINE_FORM)
            continue
        key = key_node.value
        if key in src.lines:
            src.problem(line, key, f"键 {key} 重复出现（第 {src.lines[key]} 行已有）", "每个键只写一次")
            continue
        try:
            value = yaml.constructor.SafeConstructor().construct_object(value_node, deep=True)
        except yaml.YAMLError as err:  # e.g. a tag such as !!python/object, or an unhashable key
            reason = "值以 ! 开头，被当成了 YAML 的标签" if "tag" in str(err) else "值的写法不对"
            src.problem(line, key, f"无法读取该值：{reason}", QUOTE)
            continue
        src.lines[key] = line
        src.meta[key] = value


def _compose(block: str) -> yaml.Node | None:
    """The node tree of ``block``: by libyaml if it can, else by PyYAML (raising its YAMLError)."""
    if "\t" not in block:
        with contextlib.suppress(yaml.YAMLError):
            return _single_node(_FastLoader, block)
    return _single_node(_Loader, block)


def _single_node(loader_class: type, block: str) -> yaml.Node | None:
    loader = loader_class(block)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _yaml_problem(err: yaml.YAMLError, block: str) -> tuple[int | None, str, str]:
    """0-based line in the block (if known), reason and hint for a front matter that does not parse."""
    problem = getattr(err, "problem", None) or str(err)
    context = getattr(err, "context", None) or ""
    # An unclosed bracket or quote is found further down: point at where it was opened.
    mark = getattr(err, "context_mark", None) if "block" not in context else None
    mark = mark or getattr(err, "problem_mark", None)
    line = mark.line if mark else None
    reason, hint = next(
        ((r, h) for text, r, h in _YAML_REASONS if text in f"{context} {problem}"),
        (f"YAML 解析器报告 {problem}", LINE_FORM),
    )
    return _layout_problem(block) or (line, reason, hint)


def _layout_problem(block: str) -> tuple[int, str, str] | None:
    """A full-width colon or space, a missing space or a Tab, the usual causes of a broken front matter:
    0-based line, reason, hint."""
    for pattern, reason, hint in (
        (FULL_WIDTH_COLON, "键名后用了全角冒号“：”", "把“{key}：”改为“{key}: ”（半角冒号加一个空格）"),
        (FULL_WIDTH_SPACE, "冒号后用了全角空格", "删去冒号后的全角空格，写成“{key}: ”（半角冒号加一个半角空格）"),
        (NO_SPACE, "冒号后缺少空格", "写成“{key}: ”（半角冒号后加一个空格）"),
    ):
        if match := pattern.search(block):
            return block[: match.end()].count("\n"), reason, hint.format(key=match.group(1))
    if "\t" in block:
        return block[: block.index("\t")].count("\n"), "含有 Tab 字符", "元数据中不能用 Tab 缩进，请改用空格"
    return None
