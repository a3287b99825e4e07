"""One English term per Chinese term in the translations (warnings), from ``data/glossary.yml``.

For each English translation (``name.en.md``) of a document:

- a glossary term (or an issuer of ``data/issuers.yml``) in the Chinese original whose English form the
  translation never uses is named, once, at the first line of the translation's body;
- a variant the glossary lists as wrong for a term is named at its line;
- a link to a document that has an English translation uses that translation's ``title`` (documents
  only: the home page may label its links shortly).

For every English page, document or not: British spelling (the glossary's ``spelling`` table).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from kb.data import Vocabulary
from kb.problems import Problem
from kb.source import Source
from kb.text import body_lines, warning

if TYPE_CHECKING:  # kb.consistency calls this module
    from kb.consistency import Entry

GLOSSARY_FILE = "data/glossary.yml"
LANG = "en"
LINK_TARGET = re.compile(r"\]\([^)]*\)")
MD_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(\s*<?([^)\s>]+)>?[^)]*\)")


def terms(vocab: Vocabulary) -> dict[str, dict]:
    """Chinese term -> {en, wrong}: the glossary's terms, every issuer's English name and every section's
    (as the original names it: “典型案例”栏目)."""
    table = {name: {"en": spec["en"], "wrong": []} for name, spec in vocab.issuers.items() if spec.get("en")}
    for spec in vocab.sections.values():
        table[f"“{spec['zh']['title']}”栏目"] = {"en": spec["en"]["title"], "wrong": []}
    for zh, spec in (vocab.glossary.get("terms") or {}).items():
        table[zh] = {"en": spec["en"], "wrong": list(spec.get("wrong") or [])}
    return table


def _plain(text: str) -> str:
    """For comparing terms: lower case, hyphens as spaces, one space."""
    return re.sub(r"\s+", " ", text.replace("-", " ").replace("\u00ad", "")).lower()


@dataclass
class English:
    """What an English translation says, as the checks against its original need it (kept with its
    :class:`kb.facts.Facts`): its spelling warnings (its own), the glossary terms whose English form it
    uses, the wrong variants it writes (warned of when it translates a document), and its links to
    Markdown files: (line, link text, path linked to, target as written)."""

    spelling: list[Problem]
    uses: list[str]
    wrong: list[Problem]
    links: list[tuple[int, str, str, str]]


class Translated(Protocol):
    """A translation as :func:`check` reads it (:class:`kb.facts.Facts`)."""

    english: English | None


def read_english(src: Source, vocab: Vocabulary) -> English:
    lines = list(body_lines(src))
    table = terms(vocab)
    spelling = {k.lower(): v for k, v in (vocab.glossary.get("spelling") or {}).items()}
    english = _plain(
        "\n".join([str(src.meta.get("title", "")), str(src.meta.get("summary", ""))] + [line for _, line in lines])
    )
    uses = [zh for zh, spec in table.items() if _plain(spec["en"]) in english]
    return English(_spelling(src, lines, spelling), uses, _wrong(src, lines, table), _links(src, lines))


def original_terms(title: str, src: Source, table: dict[str, dict]) -> list[str]:
    """The terms of ``table`` (:func:`terms`) in a Chinese original: its valid ``title`` and its body."""
    original = "\n".join([title] + [line for _, line in body_lines(src)])
    return [zh for zh in table if zh in original]


def check(
    entries: dict[str, Entry],
    translations: Mapping[str, Mapping[str, Translated]],
    vocab: Vocabulary,
) -> list[Problem]:
    """``entries``: document path -> :class:`kb.consistency.Entry`; ``translations``: original path
    (document or ordinary page) -> {lang: facts of the translation}.
    Spelling is each translation's own (:func:`read_english`)."""
    table = terms(vocab)
    problems = []
    for path, by_lang in sorted(translations.items()):
        src = by_lang.get(LANG)
        entry = entries.get(path)
        if src is None or src.english is None or entry is None:
            continue
        problems += _terms(entry, src, src.english, entry.terms, table)
        problems += src.english.wrong
        problems += _link_titles(src, src.english.links, entries)
    return problems


def _terms(entry: Entry, src, english: English, original: list[str], table: dict[str, dict]) -> list[Problem]:
    uses = set(english.uses)
    return [
        warning(
            src,
            src.body_line,
            "body",
            f"原文有“{zh}”，译文中没有它的统一译名“{table[zh]['en']}”",
            f"按 {GLOSSARY_FILE} 把“{zh}”译作“{table[zh]['en']}”，全站一致",
        )
        for zh in original
        if zh not in uses and zh in table
    ]


def _wrong(src: Source, lines: list[tuple[int, str]], table: dict[str, dict]) -> list[Problem]:
    problems = []
    for zh, spec in table.items():
        for wrong in spec["wrong"]:
            pattern = re.compile(rf"(?<![\w-]){re.escape(wrong)}(?![\w-])", re.I)
            for number, line in lines:
                if found := pattern.search(line):
                    problems.append(
                        warning(
                            src,
                            number,
                            "body",
                            f"“{found.group(0)}”不是“{zh}”的统一译名",
                            f"按 {GLOSSARY_FILE} 译作“{spec['en']}”",
                        )
                    )
    return problems


def _spelling(src: Source, lines: list[tuple[int, str]], spelling: dict[str, str]) -> list[Problem]:
    if not spelling:
        return []
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, spelling)) + r")(s|d|ed|ing|al)?\b", re.I)
    texts = [(src.line_of(key), str(src.meta.get(key, ""))) for key in ("title", "summary")]
    texts += [(number, LINK_TARGET.sub("]()", line)) for number, line in lines]  # not file names
    problems = []
    for number, line in texts:
        for match in pattern.finditer(line):
            right = spelling[match.group(1).lower()]
            problems.append(
                warning(
                    src,
                    number,
                    "body",
                    f"“{match.group(0)}”是美式拼写，本站英文用英式拼写",
                    f"写作“{right}{match.group(2) or ''}”（见 {GLOSSARY_FILE} 的 spelling）",
                )
            )
    return problems


def _links(src: Source, lines: list[tuple[int, str]]) -> list[tuple[int, str, str, str]]:
    found = []
    for number, line in lines:
        for match in MD_LINK.finditer(line):
            target = match.group(2).split("#", 1)[0]
            if not target.endswith(".md") or "://" in target:
                continue
            path = posixpath.normpath(posixpath.join(posixpath.dirname(src.path), target))
            path = re.sub(r"\.[a-z]{2}\.md$", ".md", path)
            found.append((number, match.group(1), path, match.group(2)))
    return found


def _link_titles(src, links: list[tuple[int, str, str, str]], entries: dict) -> list[Problem]:
    problems = []
    for number, text, path, target in links:
        entry = entries.get(path)
        translation = entry.doc.translations.get(LANG) if entry else None
        if translation is None:
            continue
        text = text.strip().strip("*_\"'“”‘’ ")
        if text.lower() != translation.title.lower():
            problems.append(
                warning(
                    src,
                    number,
                    "body",
                    f"链接文字“{text}”不是 {path} 的英文标题",
                    f"链接到已译文件时写它译文的标题：[{translation.title}]({target})",
                )
            )
    return problems
