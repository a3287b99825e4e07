"""A page's Markdown as the site renders it, read for the checker: what the sanitizer removes, where
its links and images point, and which anchors it has.

The checker judges the HTML the build will write, not the Markdown source: raw HTML, ``attr_list``
attributes, reference definitions in block quotes and entity-encoded URLs are read exactly as the
Markdown extensions of ``mkdocs.yml`` turn them into HTML, and as a browser parses that HTML.
Results are kept per body text in this process (``make serve`` checks every file after each edit) and
on disk (``.cache/kb-render.json``), so that ``make check`` and ``make build`` after it, or a second
``make check``, render only the bodies that changed. The file is keyed by a fingerprint of the
extensions' settings, the versions of Markdown, its extensions and the parsers, and this module's and
the sanitizer's code: anything else is a different cache, and a file that cannot be read is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import markdown
from selectolax.lexbor import LexborHTMLParser

from kb import sanitize
from kb.data import PROJECT_ROOT


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


CACHE = PROJECT_ROOT / ".cache" / "kb-render.json"
_PACKAGES = ("markdown", "pymdown-extensions", "mkdocs-material", "nh3", "selectolax")


class Renderer:
    """Markdown with the site's extensions, one instance reused for every page."""

    def __init__(self, extensions: list[Any], configs: dict[str, dict], cache: Path = CACHE):
        self._markdown = markdown.Markdown(extensions=extensions, extension_configs=configs)
        self._done: dict[str, Rendered] = {}  # digest of a body -> what it renders to
        self._used: set[str] = set()  # the digests read since the last save
        self._cache = cache
        code = [Path(__file__).read_bytes(), Path(sanitize.__file__).read_bytes()]
        versions = [metadata.version(name) for name in _PACKAGES]
        # Functions in the settings (the emoji generator) by name: their repr holds an address.
        settings = json.dumps([extensions, configs, versions], sort_keys=True, default=_name)
        self._fingerprint = hashlib.blake2b(settings.encode() + b"".join(code), digest_size=16).hexdigest()
        self._done.update(_load(cache, self._fingerprint))

    def read(self, body: str) -> Rendered:
        key = hashlib.blake2b(body.encode("utf-8"), digest_size=16).hexdigest()
        if key not in self._done:
            self._markdown.reset()
            self._done[key] = _read(self._markdown.convert(body))
        self._used.add(key)
        return self._done[key]

    def save(self) -> None:
        """Keep what the bodies read since the last save render to (and nothing else: the file stays the
        size of one library) for the next process."""
        entries = {key: _plain(self._done[key]) for key in sorted(self._used)}
        self._used.clear()
        try:
            self._cache.parent.mkdir(parents=True, exist_ok=True)
            partial = self._cache.with_name(f"{self._cache.name}.{os.getpid()}")
            partial.write_text(json.dumps({"fingerprint": self._fingerprint, "entries": entries}), encoding="utf-8")
            partial.replace(self._cache)
        except OSError:
            pass  # a read-only checkout: the next run renders again


def _name(value: Any) -> str:
    return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__name__)}"


def _plain(page: Rendered) -> list:
    removals = [[r.tag, r.attribute, r.value] for r in page.removals]
    return [removals, list(page.links), list(page.sources), sorted(page.anchors)]


def _load(cache: Path, fingerprint: str) -> dict[str, Rendered]:
    try:
        stored = json.loads(cache.read_text(encoding="utf-8"))
        if stored.get("fingerprint") != fingerprint:
            return {}
        return {
            key: Rendered(
                tuple(sanitize.Removal(*r) for r in removals), tuple(links), tuple(sources), frozenset(anchors)
            )
            for key, (removals, links, sources, anchors) in stored["entries"].items()
        }
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}


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
