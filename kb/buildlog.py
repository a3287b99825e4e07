"""MkDocs' own warnings about content, in the checker's words.

``make check`` refuses what the build would refuse, so these should never appear; if one does (a case
the checker does not foresee), the editor still gets a Chinese line naming the file and the line, in
the form of :class:`~kb.problems.Problem`, instead of MkDocs' English. The hook that installs this is
``hooks/validate.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

from kb.problems import Problem

_FILE = r"Doc file '(?P<file>[^']+)' contains "
# MkDocs 1.6's messages (mkdocs/structure/pages.py) -> (message, expected); {link} is the link as written.
_WARNINGS = (
    (
        re.compile(_FILE + r"an unrecognized relative link '(?P<link>[^']*)'"),
        "链接 {link} 没有指向 .md 文件，网站上会成为断链",
        "链接其他页面时写它的 .md 文件路径，例如 ../funds/special-fund.md",
    ),
    (
        re.compile(_FILE + r"an absolute link '(?P<link>[^']*)'"),
        "链接 {link} 以 / 开头，网站放在子路径下时会失效",
        "写相对于本文件的路径，例如 ../funds/special-fund.md",
    ),
    (
        re.compile(_FILE + r"a link '(?P<link>[^']*)', but the target.* is not found"),
        "链接的文件 {link} 不存在或不在本版网站中",
        "请核对路径；公开页面不能链接内部文件",
    ),
    (
        re.compile(
            _FILE + r"a link '(?P<link>[^']*)', but (?:there is no such anchor|the doc .* does not contain an anchor)"
        ),
        "链接 {link} 中的锚点不存在",
        "请核对 # 后的名称，它应是目标页面某个标题的编号",
    ),
)


def problem(message: str, docs_dir: Path, display_root: Path) -> Problem | None:
    """The problem a MkDocs warning reports, or None if it is not one about a page's content."""
    for pattern, text, expected in _WARNINGS:
        match = pattern.search(message)
        if match:
            path = docs_dir / match["file"]
            link = match["link"]
            line = _line_of(path, link)
            shown = path.relative_to(display_root) if path.is_relative_to(display_root) else path
            return Problem(shown.as_posix(), line, "body", text.format(link=link), expected)
    return None


def _line_of(path: Path, needle: str) -> int:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    return next((number for number, line in enumerate(lines, 1) if needle in line), 1)
