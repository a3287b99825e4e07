"""Problems found in the content, and the three ways of printing them (text, GitHub, JSON).

A problem is an **error** (the build fails) or a **warning** (consistency a 文书 officer would question:
numbering against dates, an issuer's 机关代字, 施行 wording against ``effective``…). Warnings are printed
after every error; the build passes with them, ``make check STRICT=1`` (CI) does not.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing an editor has to fix: where it is and what to write instead.

    ``path`` is relative to the project root (``docs/policies/x.md``); ``line`` is 1-based;
    ``field`` is the front-matter key, or one of ``encoding``, ``front_matter``, ``filename``, ``body``;
    ``severity`` is ``error`` or ``warning``.
    """

    path: str
    line: int
    field: str
    message: str
    expected: str = ""
    severity: str = ERROR

    @property
    def is_warning(self) -> bool:
        return self.severity == WARNING

    def text(self) -> str:
        tail = f" — {self.expected}" if self.expected else ""
        mark = "警告：" if self.is_warning else ""
        return f"{self.path}:{self.line}: {self.field}: {mark}{self.message}{tail}"

    def github(self) -> str:
        # Workflow commands: '%', CR and LF must be escaped in the message, ',' and ':' in properties.
        def esc(value: str, prop: bool = False) -> str:
            value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            return value.replace(":", "%3A").replace(",", "%2C") if prop else value

        tail = f" — {self.expected}" if self.expected else ""
        return (
            f"::{self.severity} file={esc(self.path, True)},line={self.line},title={esc(self.field, True)}"
            f"::{esc(self.message + tail)}"
        )


def format_problems(problems: list[Problem], fmt: str = "text") -> str:
    """Render problems for the terminal (text), GitHub annotations (github) or tools (json)."""
    problems = ordered(problems)
    if fmt == "json":
        return json.dumps([asdict(p) for p in problems], ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(p.github() for p in problems)
    return "\n".join(p.text() for p in problems)


def ordered(problems: list[Problem]) -> list[Problem]:
    """Errors first, then warnings; each by file, line and field."""
    return sorted(problems, key=lambda p: (p.is_warning, *sort_key(p)))


def sort_key(problem: Problem) -> tuple[str, int, str, str, str, str]:
    """The order of :class:`Problem` (its fields in turn), as a tuple: sorting thousands of problems
    compares tuples instead of calling the dataclass's comparison."""
    return (problem.path, problem.line, problem.field, problem.message, problem.expected, problem.severity)


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if not p.is_warning]


def warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_warning]
