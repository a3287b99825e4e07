"""The Markdown body as the wording checks read it (:mod:`kb.consistency`, :mod:`kb.issuers`,
:mod:`kb.glossary`): source lines outside fenced code, and the warning they report."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Protocol

from kb.problems import WARNING, Problem
from kb.source import Source

FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


def body_lines(src: Source) -> Iterator[tuple[int, str]]:
    """(file line, text) of the body outside fenced code."""
    fence = None
    for offset, line in enumerate(src.body.split("\n")):
        match = FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)
        elif fence is not None and line.strip().startswith(fence):
            fence = None
        elif fence is None:
            yield src.body_line + offset, line


class Shown(Protocol):
    """A file as problems name it, and the lines of its keys: a :class:`~kb.source.Source` or the
    :class:`~kb.facts.Facts` kept of one."""

    @property
    def display(self) -> str: ...

    def line_of(self, key: str) -> int: ...


def warning(src: Shown, line: int, field: str, message: str, expected: str = "") -> Problem:
    return Problem(src.display, line, field, message, expected, WARNING)
