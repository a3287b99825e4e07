"""Chinese text on pages of another language, marked ``lang="zh"`` so that screen readers read it as Chinese.

English pages carry Chinese wherever there is no translation: titles and summaries of untranslated
documents in lists, whole fallback pages, issuers, 文号 and keywords in the card, Chinese words inside a
translation. ``mark_chinese`` finds every run of text with Han characters in the body of a rendered page
that no ``lang="zh"`` element already holds and marks it: a text that is all of its element's content
gives that element the attribute, any other run is wrapped in ``<span lang="zh">``.
"""

from __future__ import annotations

import re

from kb.data import DEFAULT_LANGUAGE

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAS_HAN = re.compile(f"[{HAN}]")
# A run: words (no white space) containing Han characters, with the white space between such words.
# A word is matched from its first Han character on, so it can match only one way: with "\S*" before
# the Han character, a failed fullmatch backtracked through every split of every word (minutes on a
# 修订对照 page).
RUN = re.compile(rf"[^\s{HAN}]*[{HAN}]\S*(?:\s+[^\s{HAN}]*[{HAN}]\S*)*")
# A comment or declaration; a tag (end mark, name, attributes: quoted values may hold ">"); text.
TOKEN = re.compile(r"""<!--.*?-->|<![^>]*>|<(/?)([A-Za-z][\w:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|[^<]+|<""", re.S)
LANG = re.compile(r"""\slang\s*=\s*["']?([\w-]+)""", re.I)
# A name that is all Chinese: a heading's link titled 本节链接, a contents list named after a Chinese heading.
NAME = re.compile(rf'\s(?:aria-label|title|alt)\s*=\s*"\s*([^"]*[{HAN}][^"]*?)\s*"')
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SKIP = {"script", "style", "textarea", "title", "svg", "math", "template"}  # no <span> may go inside
TEXT_ONLY = {"option"}  # no element may go inside: mark the element itself


def mark_chinese(html: str, lang: str) -> str:
    """``html``, a page in ``lang``, with its Chinese marked (a Chinese page is returned as it is)."""
    body = re.search(r"<body[\s>]", html, re.I)
    if lang == DEFAULT_LANGUAGE or body is None or not HAS_HAN.search(html, body.start()):
        return html
    return _Marker(html[:body.start()]).feed(html, body.start())


def _span(text: str) -> str:
    return RUN.sub(lambda m: f'<span lang="zh">{m.group(0)}</span>', text)


class _Marker:
    def __init__(self, head: str):
        self.out = [head]
        self.stack: list[tuple[str, str | None, int]] = []  # open elements: tag, lang, index of start tag in out
        self.pending: tuple[int, int] | None = None  # (start tag, text) in out: Chinese alone in its element so far

    def feed(self, html: str, pos: int) -> str:
        while pos < len(html):
            token = TOKEN.match(html, pos)
            pos = token.end()
            closing, tag, attrs = token.group(1, 2, 3)
            if tag is None:  # text, or a comment, declaration or stray "<" kept as it is
                (self.raw if token.group(0)[0] == "<" else self.text)(token.group(0))
                continue
            tag = tag.lower()
            self.settle(tag if closing else None)
            self.out.append(token.group(0))
            if closing:
                names = [name for name, _, _ in self.stack]
                if tag in names:
                    del self.stack[len(names) - 1 - names[::-1].index(tag):]
            elif tag in SKIP and not attrs.endswith("/"):  # copied as it is, up to its end tag
                end = re.compile(rf"</{tag}\s*>", re.I).search(html, pos)
                self.out.append(html[pos:end.start() if end else len(html)])
                pos = end.start() if end else len(html)
            else:
                lang = LANG.search(attrs)
                lang = lang and lang.group(1)
                name = NAME.search(attrs)
                if lang is None and name and RUN.fullmatch(name.group(1)) and not self.in_chinese():
                    self.out[-1] = self.out[-1][:-1].rstrip("/").rstrip() + ' lang="zh"' + ("/>" if attrs.endswith("/") else ">")
                    lang = "zh"
                if tag not in VOID and not attrs.endswith("/"):
                    self.stack.append((tag, lang, len(self.out) - 1))
        self.settle()
        return "".join(self.out)

    def raw(self, text: str) -> None:
        self.settle()
        self.out.append(text)

    def settle(self, end_tag: str | None = None) -> None:
        """Mark the pending text: on its element if the element ends right after it, else in a span."""
        if self.pending is None:
            return
        start, text = self.pending
        self.pending = None
        if end_tag == self.stack[-1][0]:
            self.out[start] = self.out[start][:-1] + ' lang="zh">'
        else:
            self.out[text] = _span(self.out[text])

    def in_chinese(self) -> bool:
        langs = [lang for _, lang, _ in self.stack if lang is not None]
        return bool(langs) and langs[-1].startswith("zh")

    def text(self, data: str) -> None:
        self.raw(data)
        if not RUN.search(data) or self.in_chinese() or not self.stack:
            return
        tag, _, start = self.stack[-1]
        if tag in TEXT_ONLY or (start == len(self.out) - 2 and RUN.fullmatch(data.strip())):
            self.pending = (start, len(self.out) - 1)
        else:
            self.out[-1] = _span(data)
