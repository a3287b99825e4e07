"""The vocabulary files of ``data/`` are input too: an editor changes them by pull request.

Keys of topics, levels and sections become addresses (``topics/<key>/``) and front-matter values, so
they must be plain slugs; every label is text in both languages. Labels may hold any text: the
templates escape it where they print it.
"""

from __future__ import annotations

import re
from pathlib import Path

from kb import source
from kb.data import LANGUAGES
from kb.problems import Problem

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_FILES = ("topics.yml", "levels.yml", "sections.yml")  # their keys are addresses and front-matter values


def check(folder: Path, root: Path) -> list[Problem]:
    """Every problem of the vocabulary files in ``folder``; paths shown relative to ``root``."""
    problems = []
    for name in (*SLUG_FILES, "labels.yml"):
        path = folder / name
        shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
        src = source.parse_mapping(path.read_bytes(), name, shown)
        problems += src.problems
        for key, value in src.meta.items():
            line = src.line_of(key)
            if name in SLUG_FILES and not SLUG.match(str(key)):
                problems.append(
                    Problem(
                        shown,
                        line,
                        str(key),
                        f"键“{key}”会成为网址的一部分，只能用小写英文字母、数字和连字符",
                        "例如 new-media: {zh: 新媒体传播, en: New media}",
                    )
                )
            entries = value.items() if name == "labels.yml" and isinstance(value, dict) else [(key, value)]
            for label, entry in entries:
                if name == "sections.yml" and isinstance(entry, dict):
                    entry = {lang: (entry.get(lang) or {}).get("title") for lang in LANGUAGES}
                if not (isinstance(entry, dict) and all(isinstance(entry.get(lang), str) for lang in LANGUAGES)):
                    problems.append(
                        Problem(
                            shown,
                            line,
                            str(label),
                            f"“{label}”须有中英文两个名称，且都是文字",
                            "写成 键: {zh: 中文名, en: English name}",
                        )
                    )
    return problems
