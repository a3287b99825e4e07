"""A page's Markdown as the site renders it, read for the checker: what the sanitizer removes, where
its links and images point, and which anchors it has.

The checker judges the HTML the build will write, not the Markdown source: raw HTML, ``attr_list``
attributes, reference definitions in block quotes and entity-encoded URLs are read exactly as the
Markdown extensions of ``mkdocs.yml`` turn them into HTML, and as a browser parses that HTML.
Results are kept per body text in this process (``make serve`` checks every file after each edit).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown
from selectolax.lexbor import LexborHTMLParser

from kb import sanitize


@dataclass(frozen=True)
class Rendered:
    """What the checker needs of one page body."""

    removals: tuple[sanitize.Removal, ...]  # what the sanitizer takes out
    links: tuple[str, ...]  # every href of a link, as written in the HTML that is published
    sources: tuple[str, ...]  # every src of an image
    anchors: frozenset[str]  # ids (and link names) a link can point to with #


def markdown_settings(config_file: Path) -> tuple[list[Any], dict[str, dict]]:
    """The Markdown extensions of ``mkdocs.yml`` and their settings, as MkDocs passes them to Markdown."""
    from mkdocs.utils.yaml import yaml_load  # reads !ENV and !!python/name as MkDocs does

    with open(config_file, encoding="utf-8") as handle:
        entries = yaml_load(handle).get("markdown_extensions") or []
    names, configs = [], {}
    for entry in entries:
        name, settings = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        names.append(name)
        if settings:
            configs[name] = settings
    return names, configs


class Renderer:
    """Markdown with the site's extensions, one instance reused for every page."""

    def __init__(self, extensions: list[Any], configs: dict[str, dict]):
        self._markdown = markdown.Markdown(extensions=extensions, extension_configs=configs)
        self._done: dict[bytes, Rendered] = {}  # digest of a body -> what it renders to

    def read(self, body: str) -> Rendered:
        key = hashlib.blake2b(body.encode("utf-8"), digest_size=16).digest()
        if key not in self._done:
            self._markdown.reset()
            self._done[key] = _read(self._markdown.convert(body))
        return self._done[key]


def _read(html: str) -> Rendered:
    removed = tuple(sanitize.removals(html))
    tree = LexborHTMLParser(f"<body>{sanitize.clean(html)}")
    links = tuple(node.attributes.get("href") or "" for node in tree.css("a[href]"))
    sources = tuple(node.attributes.get("src") or "" for node in tree.css("img[src]"))
    anchors = frozenset(
        value
        for node in tree.css("[id], a[name]")
        for value in (node.attributes.get("id"), node.attributes.get("name"))
        if value
    )
    return Rendered(removed, links, sources, anchors)


_renderers: dict[str, Renderer] = {}  # by the repr of the extensions and their configs


def renderer(extensions: list[Any], configs: dict[str, dict]) -> Renderer:
    """One renderer per set of extensions in this process, so its results are kept across checks."""
    key = repr((extensions, sorted(configs.items(), key=lambda item: str(item[0]))))
    if key not in _renderers:
        _renderers[key] = Renderer(extensions, configs)
    return _renderers[key]
