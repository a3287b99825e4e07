"""Problems found in the content, and the three ways of printing them (text, GitHub, JSON)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing an editor has to fix: where it is and what to write instead.

    ``path`` is relative to the project root (``docs/policies/x.md``); ``line`` is 1-based;
    ``field`` is the front-matter key, or one of ``encoding``, ``front_matter``, ``filename``, ``body``.
    """

    path: str
    line: int
    field: str
    message: str
    expected: str = ""

    def text(self) -> str:
        tail = f" — {self.expected}" if self.expected else ""
        return f"{self.path}:{self.line}: {self.field}: {self.message}{tail}"

    def github(self) -> str:
        # Workflow commands: '%', CR and LF must be escaped in the message, ',' and ':' in properties.
        def esc(value: str, prop: bool = False) -> str:
            value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            return value.replace(":", "%3A").replace(",", "%2C") if prop else value

        tail = f" — {self.expected}" if self.expected else ""
        return (
            f"::error file={esc(self.path, True)},line={self.line},title={esc(self.field, True)}"
            f"::{esc(self.message + tail)}"
        )


def format_problems(problems: list[Problem], fmt: str = "text") -> str:
    """Render problems for the terminal (text), GitHub annotations (github) or tools (json)."""
    problems = sorted(problems)
    if fmt == "json":
        return json.dumps([asdict(p) for p in problems], ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(p.github() for p in problems)
    return "\n".join(p.text() for p in problems)
