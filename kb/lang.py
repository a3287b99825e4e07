"""Chinese text on pages of another language, marked ``lang="zh"`` so that screen readers read it as Chinese.

English pages carry Chinese wherever there is no translation: titles and summaries of untranslated
documents in lists, whole fallback pages, issuers, 文号 and keywords in the card, Chinese words inside a
translation. ``mark_chinese`` finds every run of text with Han characters in the body of a rendered page
that no ``lang="zh"`` element already holds and marks it: a text that is all of its element's content
gives that element the attribute, any other run is wrapped in ``<span lang="zh">``.

It runs on every English page, so it moves through the page with one regular expression that steps
over every token without Han characters at once, and looks closer only at the tokens with Chinese in
them: a loop over every tag took four seconds of the English build at 2,000 documents (``make bench``).
"""

from __future__ import annotations

import re

from kb.cjk import HAN, HAS_HAN
from kb.data import DEFAULT_LANGUAGE

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
_TAG_BODY = rf"""(?:[^>"'{HAN}]|"[^"{HAN}]*"|'[^'{HAN}]*')*"""
# Tokens with nothing to mark, as many as follow each other: comments, declarations, tags without Han
# characters that open no skipped element, whole texts without Han characters. Group 1: the last one.
QUIET = re.compile(
    rf"""(?:(<!--.*?-->|<![^>]*>|</?(?!(?:{"|".join(SKIP)})\b)[A-Za-z][\w:-]*{_TAG_BODY}>|[^<{HAN}]+(?=<|\Z)))*""",
    re.S | re.I,
)
# The attribute of an element already marked Chinese: nothing inside it is marked again.
MARKED = re.compile(r"""\slang\s*=\s*["']?zh\b""", re.I)
TAG_NAME = re.compile(r"<([A-Za-z][\w:-]*)")


def mark_chinese(html: str, lang: str) -> str:
    """``html``, a page in ``lang``, with its Chinese marked (a Chinese page is returned as it is)."""
    body = re.search(r"<body[\s>]", html, re.I)
    if lang == DEFAULT_LANGUAGE or body is None or not HAS_HAN.search(html, body.start()):
        return html
    return _Marker(html).mark(body.start())


def _end_tag(html: str, tag: str, pos: int) -> int:
    """Where the element ``tag`` opened just before ``pos`` ends: the start of its end tag."""
    depth = 1
    for match in re.compile(rf"<(/?){tag}\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*?(/?)>", re.I).finditer(html, pos):
        depth += -1 if match.group(1) else 0 if match.group(2) else 1
        if depth == 0:
            return match.start()
    return len(html)


def _token_at(html: str, pos: int) -> re.Match[str]:
    """The token at ``pos`` (before the end of ``html``): TOKEN matches any one character, so there is one."""
    token = TOKEN.match(html, pos)
    assert token is not None
    return token


def _span(text: str) -> str:
    return RUN.sub(lambda m: f'<span lang="zh">{m.group(0)}</span>', text)


class _Marker:
    def __init__(self, html: str):
        self.html = html
        self.edits: list[tuple[int, int, str]] = []  # (start, end, replacement), in order
        self.marked: list[tuple[int, int]] = []  # the insides of elements marked Chinese, in order

    def mark(self, pos: int) -> str:
        html = self.html
        self.marked = self.marked_elements(pos)
        previous = None  # the span of the token before pos
        while True:
            quiet = QUIET.match(html, pos)
            assert quiet is not None, "QUIET matches the empty string too"
            if quiet.end() > pos:
                previous, pos = quiet.span(1), quiet.end()
            if pos >= len(html):
                break
            inside = self.inside_marked(pos)
            if inside is not None:  # to the end tag of the marked element
                previous, pos = None, inside
                continue
            token = _token_at(html, pos)
            closing, tag, attrs = token.group(1, 2, 3)
            if tag is None:
                if token.group(0)[0] != "<":
                    self.text(token, previous)
            elif tag.lower() in SKIP and not closing and not attrs.endswith("/"):  # copied as it is
                end_tag = re.compile(rf"</{tag}\s*>", re.I).search(html, token.end())
                if end_tag is None:  # never closed: the rest of the page is copied as it is
                    break
                token = end_tag
            elif not closing:
                self.named(token)
            previous, pos = token.span(), token.end()
        out, last = [], 0
        for start, end, replacement in self.edits:
            out += [html[last:start], replacement]
            last = end
        out.append(html[last:])
        return "".join(out)

    def marked_elements(self, pos: int) -> list[tuple[int, int]]:
        regions: list[tuple[int, int]] = []
        for attribute in MARKED.finditer(self.html, pos):
            start = self.html.rfind("<", pos, attribute.start())
            tag = TAG_NAME.match(self.html, start) if start >= 0 else None
            if tag is None or ">" in self.html[start : attribute.start()] or (regions and start < regions[-1][1]):
                continue  # in a text, or inside an element already marked
            end = _token_at(self.html, start).end()
            regions.append((end, _end_tag(self.html, tag.group(1), end)))
        return regions

    def inside_marked(self, pos: int) -> int | None:
        """The end of the marked element ``pos`` is in, if any."""
        while self.marked and self.marked[0][1] <= pos:
            self.marked.pop(0)
        return self.marked[0][1] if self.marked and self.marked[0][0] <= pos else None

    def add_lang(self, tag_span: tuple[int, int]) -> None:
        """Give the tag at ``tag_span`` the attribute lang="zh"."""
        start, end = tag_span
        tag = self.html[start:end]
        closing = "/>" if tag.endswith("/>") else ">"
        self.edits.append((start, end, tag[: -len(closing)].rstrip() + ' lang="zh"' + closing))

    def text(self, token: re.Match[str], previous: tuple[int, int] | None) -> None:
        """Chinese text: its element marked if it is all its element holds, else its runs in spans."""
        parent = TOKEN.fullmatch(self.html, *previous) if previous else None
        after = TOKEN.match(self.html, token.end())
        if (
            parent
            and parent.group(2)
            and not parent.group(1)
            and not parent.group(3).endswith("/")
            and not LANG.search(parent.group(3))
            and after
            and after.group(1)
            and after.group(2).lower() == parent.group(2).lower()
            and (parent.group(2).lower() in TEXT_ONLY or RUN.fullmatch(token.group(0).strip()))
        ):
            self.add_lang(parent.span())  # the span of the token before, ``previous``
        elif not (parent and parent.group(2) and parent.group(2).lower() in TEXT_ONLY):
            self.edits.append((*token.span(), _span(token.group(0))))

    def named(self, token: re.Match[str]) -> None:
        """A start tag with Chinese in its attributes: marked if its name is all Chinese (and then
        everything inside it is taken as Chinese, as the attribute says)."""
        tag, attrs = token.group(2, 3)
        name = NAME.search(attrs)
        if LANG.search(attrs) or not name or not RUN.fullmatch(name.group(1)):
            return
        self.add_lang(token.span())
        if tag.lower() not in VOID and not attrs.endswith("/"):
            self.marked.insert(0, (token.end(), _end_tag(self.html, tag, token.end())))
