"""Reading one Markdown file: bytes → text → front matter (with the line of every key) and body.

Nothing here raises on bad input: every problem becomes a :class:`~kb.problems.Problem`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from kb.problems import Problem

# The same front-matter delimiters MkDocs accepts (mkdocs.utils.meta).
FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)?(?:\.{3}|-{3})[ \t]*(?:\n|\Z)", re.S)
FULL_WIDTH_COLON = re.compile(r"^\s*[A-Za-z_][\w-]*\s*：", re.M)


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so that the validator can judge them itself.

    PyYAML turns ``2024-02-30`` into a ValueError deep inside its constructor; we want a message.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


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
            "请用 VS Code 打开，点右下角的编码，选“通过编码保存”→“UTF-8”；或在记事本中“另存为”并选择编码 UTF-8",
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


def _read_mapping(block: str, src: Source) -> None:
    offset = 2  # the front matter starts on line 2, after '---'
    loader = _Loader(block)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        line = offset + mark.line if mark else 1
        reason = getattr(err, "problem", None) or str(err)
        hint_line, hint = _yaml_hint(block)
        src.problem(hint_line + offset if hint_line is not None else line, "front_matter",
                    f"元数据不是合法的 YAML（{reason}）", hint)
        return
    finally:
        loader.dispose()
    if node is None:
        return
    if not isinstance(node, yaml.MappingNode):
        hint_line, hint = _yaml_hint(block)
        line = hint_line if hint_line is not None else node.start_mark.line
        src.problem(offset + line, "front_matter", "元数据不是“键: 值”的形式", hint)
        return
    for key_node, value_node in node.value:
        line = offset + key_node.start_mark.line
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
        if key in src.lines:
            src.problem(line, key, f"键 {key} 重复出现（第 {src.lines[key]} 行已有）", "每个键只写一次")
            continue
        try:
            value = _Loader("").construct_object(value_node, deep=True)
        except yaml.YAMLError as err:  # e.g. an unhashable key inside a value
            src.problem(line, key, f"无法读取该值（{err}）", "按示例填写")
            continue
        src.lines[key] = line
        src.meta[key] = value


def _yaml_hint(block: str) -> tuple[int | None, str]:
    """The most likely cause of a YAML failure, and its 0-based line in the block when known."""
    match = FULL_WIDTH_COLON.search(block)
    if match:
        line = block[: match.end()].count("\n")
        return line, "键名后用了全角冒号“：”，应为半角冒号加空格，例如 title: X区思想政治工作联席会议制度"
    if "\t" in block:
        return block[: block.index("\t")].count("\n"), "元数据中不能用 Tab 缩进，请改用空格"
    return None, "每行写成 英文键名 + 半角冒号 + 空格 + 值，例如 title: X区思想政治工作联席会议制度；值中含冒号、# 等符号时请用英文引号括起来"
