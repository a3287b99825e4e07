"""What HTML a page may carry: one allowlist, applied by nh3 (the Rust sanitizer ammonia) to every
page's rendered Markdown before it is written, and the list of what it removed, for the checker.

The site is safe by construction: whatever an editor writes (raw HTML, ``attr_list`` attributes,
entity tricks, SVG), the browser receives only the tags, attributes and URLs below, as parsed and
re-serialised by a browser-grade HTML parser (html5ever). The checker does not guess from the
Markdown source what a browser would do: :func:`removed_between` compares the rendered HTML with what
:func:`clean` makes of it, both read by another HTML5 parser (Lexbor, through selectolax), and names
every tag, attribute or URL that was dropped, so that ``make check`` can tell the editor at the line.

URLs: links (``href``) may be ``http``, ``https``, ``mailto`` or relative; everything the browser loads
by itself (``src``) must be a relative path inside the site. A backslash or a leading ``//`` makes a
relative-looking URL point to another host, so neither is allowed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache

import nh3
from selectolax.lexbor import LexborHTMLParser

# Tags the Markdown extensions of mkdocs.yml produce, and plain text markup. Nothing that runs code
# (script, iframe, object, embed, base, form), loads media (video, audio, source, picture, track),
# or lets SVG load or animate (image, use, animate, set, foreignObject): those are dropped.
TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "details",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "input",
        "ins",
        "kbd",
        "label",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "rp",
        "rt",
        "ruby",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "u",
        "ul",
        "var",
        "wbr",
        # Material's icons and emoji (pymdownx.emoji) are inline SVG made of paths.
        "svg",
        "path",
    }
)
# Attributes per tag ("*": every tag). No event handlers, no srcset, no style but text-align.
ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height", "loading"},
    "ol": {"start", "reversed"},
    "li": {"value"},
    "td": {"style", "colspan", "rowspan", "align"},
    "th": {"style", "colspan", "rowspan", "align", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "time": {"datetime"},
    "del": {"datetime"},
    "ins": {"datetime"},
    "details": {"open"},
    "input": {"checked", "disabled", "name"},  # pymdownx.tasklist and .tabbed
    "label": {"for"},
    "div": {"data-tabs"},  # pymdownx.tabbed
    "svg": {"viewBox", "xmlns", "width", "height", "fill", "aria-hidden", "focusable"},
    "path": {"d", "fill", "fill-rule", "clip-rule"},
}
VALUES = {"input": {"type": {"checkbox", "radio"}}}  # not type=image (it loads its src), not a text box
STYLE_PROPERTIES = frozenset({"text-align"})  # the alignment of table columns (Markdown tables)
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
CONTENT_DROPPED = frozenset({"script", "style"})  # removed with what is inside them

# A URL the browser resolves against another host although it has no scheme: //host, \\host, /\host.
_OTHER_HOST = re.compile(r"^[\s\x00-\x1f]*[/\\]{2}")
_SCHEME = re.compile(r"^[\s\x00-\x1f]*([a-z][a-z0-9+.\-]*)\s*:", re.I)


def _keep(tag: str, attribute: str, value: str) -> str | None:
    """The URL rules nh3's scheme list cannot say: nothing loaded from another host, no backslashes."""
    if attribute == "href" and ("\\" in value or _OTHER_HOST.match(value)):
        return None
    if attribute == "src" and ("\\" in value or _OTHER_HOST.match(value) or _SCHEME.match(value)):
        return None
    return value


@cache
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(TAGS),
        clean_content_tags=set(CONTENT_DROPPED),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        tag_attribute_values={tag: {a: set(v) for a, v in values.items()} for tag, values in VALUES.items()},
        attribute_filter=_keep,
        url_schemes=set(LINK_SCHEMES),
        filter_style_properties=set(STYLE_PROPERTIES),
        link_rel=None,
        strip_comments=True,
    )


def clean(html: str) -> str:
    """``html`` with only the allowed tags, attributes and URLs left."""
    return _cleaner().clean(html)


@dataclass(frozen=True)
class Removal:
    """One thing :func:`clean` took out: a tag (``attribute`` empty), or an attribute of a kept tag."""

    tag: str
    attribute: str = ""
    value: str = ""

    @property
    def reason(self) -> str:
        """Why, in the words the checker uses (see :mod:`kb.validate`)."""
        if not self.attribute:
            return "tag"
        if self.attribute.lower().startswith("on"):
            return "event"
        if self.attribute.lower() == "style":
            return "style"
        scheme = _SCHEME.match(self.value)
        if scheme and scheme.group(1).lower() not in LINK_SCHEMES:
            return "scheme"
        if self.attribute.lower() == "href":
            return "invalid"  # a link without a scheme to another host (//host, \\host), or no URL at all
        if self.attribute.lower() in _URL_ATTRIBUTES and (
            scheme or _OTHER_HOST.match(self.value) or "\\" in self.value
        ):
            return "external"
        return "attribute"


_URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "srcset",
        "poster",
        "data",
        "action",
        "formaction",
        "background",
        "xlink:href",
        "cite",
        "longdesc",
        "lowsrc",
        "dynsrc",
        "values",
        "to",
        "from",
    }
)


Elements = list[tuple[str, dict[str, str]]]


def removed_between(before: Elements, after: Elements) -> list[Removal]:
    """What is in the :func:`elements` ``before`` the sanitizer and not ``after`` it."""
    if before == after:
        return []  # the usual case, without aligning the two
    found: dict[Removal, None] = {}
    matcher = SequenceMatcher(None, [tag for tag, _ in before], [tag for tag, _ in after], autojunk=False)
    for op, i1, i2, j1, _ in matcher.get_opcodes():
        if op == "equal":
            for (tag, attrs), (_, kept) in zip(before[i1:i2], after[j1 : j1 + i2 - i1], strict=False):
                for name, value in attrs.items():
                    if name not in kept or (kept[name] != value and not _same_style(name, value, kept[name])):
                        found[Removal(tag, name, value)] = None
        else:
            for tag, _ in before[i1:i2]:
                found[Removal(tag)] = None
    return list(found)


def elements(html: str) -> Elements:
    """(tag, attributes) of every element of the fragment ``html``, in document order."""
    body = LexborHTMLParser(f"<body>{html}").body
    if body is None:
        return []
    return [
        (tag, {k: v or "" for k, v in node.attributes.items()})
        for node in body.traverse(include_text=False)
        if node is not body and (tag := node.tag) is not None and not tag.startswith("-")
    ]


def _same_style(name: str, value: str, kept: str) -> bool:
    """nh3 rewrites the style it keeps (``text-align: center;`` -> ``text-align:center``): not a removal."""
    return name == "style" and _declarations(value) == _declarations(kept)


def _declarations(style: str) -> set[tuple[str, str]]:
    pairs = (part.split(":", 1) for part in style.split(";") if ":" in part)
    return {(key.strip().lower(), value.strip()) for key, value in pairs}
