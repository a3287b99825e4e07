"""A page's Markdown as the site renders it, read for the checker: what the sanitizer removes, where
its links and images point, and which anchors it has.

The checker judges the HTML the build will write, not the Markdown source: raw HTML, ``attr_list``
attributes, reference definitions in block quotes and entity-encoded URLs are read exactly as the
Markdown extensions of ``mkdocs.yml`` turn them into HTML, and as a browser parses that HTML.
Results are kept per body text in this process and on disk (``kb-render.json`` in the checkout's
cache folder, :data:`kb.data.CACHE_DIR`), so that a check that has to read many files again (its code
or ``data/`` changed: :mod:`kb.checkcache` keeps each file's facts, the rendered body's included, for
as long as neither does) renders only the bodies that changed. The file is keyed by a fingerprint of
the extensions' settings, the versions of Markdown, its extensions and the parsers, and this module's
and the sanitizer's code: anything else is a different cache, and a file that cannot be read is ignored.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import markdown

from kb import sanitize
from kb.data import CACHE_DIR


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


CACHE = CACHE_DIR / "kb-render.json"
_PACKAGES = ("markdown", "pymdown-extensions", "mkdocs-material", "nh3", "selectolax")


class Renderer:
    """Markdown with the site's extensions, one instance reused for every page."""

    def __init__(self, extensions: list[Any], configs: dict[str, dict], cache: Path = CACHE):
        self._settings = (extensions, configs)
        self._markdown_instance: markdown.Markdown | None = None  # made when a body is first rendered
        self._done: dict[str, Rendered] = {}  # digest of a body -> what it renders to
        self._used: set[str] = set()  # the digests read since the last save
        self._cache = cache
        self._loaded = False  # whether the cache file was read
        self._new = 0  # bodies rendered since the cache file was read or written
        code = [Path(__file__).read_bytes(), Path(sanitize.__file__).read_bytes()]
        versions = [metadata.version(name) for name in _PACKAGES]
        # Functions in the settings (the emoji generator) by name: their repr holds an address.
        settings = json.dumps([extensions, configs, versions], sort_keys=True, default=_name)
        self.fingerprint = hashlib.blake2b(settings.encode() + b"".join(code), digest_size=16).hexdigest()

    def load(self) -> None:
        """What the cache file holds, read when it is first worth it (a run that finds every file's
        facts kept by :mod:`kb.checkcache` reads no body; one edit renders one)."""
        if not self._loaded:
            self._done = _load(self._cache, self.fingerprint) | self._done
            self._loaded = True

    @property
    def _markdown(self) -> markdown.Markdown:
        if self._markdown_instance is None:
            extensions, configs = self._settings
            configs = {name: _lazy_emoji(settings) for name, settings in configs.items()}
            self._markdown_instance = markdown.Markdown(extensions=extensions, extension_configs=configs)
        return self._markdown_instance

    def read(self, body: str, key: str = "") -> Rendered:
        """What ``body`` renders to; ``key``: its :func:`_digest`, if the caller has it already."""
        self.load()
        return self._read_one(body, key or _digest(body))

    def _read_one(self, body: str, key: str) -> Rendered:
        if key not in self._done:
            self._markdown.reset()
            self._done[key] = _read(self._markdown.convert(body))
            self._new += 1
        self._used.add(key)
        return self._done[key]

    def read_many(
        self, bodies: dict[str, str], jobs: int = 1, digests: dict[str, str] | None = None
    ) -> dict[str, Rendered | Exception]:
        """:meth:`read` of every body (by any key), those not seen yet in ``jobs`` processes when there are
        enough of them to gain from it (``make check`` of a large library); a body Markdown fails on gives
        its exception. ``digests``: the :func:`digest` of each body, if the caller has them already. The
        cache file is read for :data:`LOAD_FROM` bodies or more (a few take less time to render than the
        cache file of a large library to read and write)."""
        if len(bodies) >= LOAD_FROM:
            self.load()
        digests = digests or {name: _digest(body) for name, body in bodies.items()}
        todo = {digests[name]: body for name, body in bodies.items() if digests[name] not in self._done}
        if jobs > 1 and len(todo) >= PARALLEL_FROM:
            context = multiprocessing.get_context("fork")  # the command line only: one thread, nothing to inherit badly
            with ProcessPoolExecutor(
                jobs, mp_context=context, initializer=_start_worker, initargs=self._settings
            ) as pool:
                for key, result in zip(todo, pool.map(_work, todo.values(), chunksize=32), strict=True):
                    if isinstance(result, Rendered):
                        self._done[key] = result
                        self._new += 1
        return {name: self.result(body, digests[name]) for name, body in bodies.items()}

    def result(self, body: str, key: str) -> Rendered | Exception:
        """What ``body`` (of :func:`digest` ``key``) renders to, or the exception Markdown fails with."""
        try:
            return self._read_one(body, key)
        except Exception as err:  # a Markdown extension failing on some input: the caller reports it
            return err

    def learn(self, key: str, page: Rendered) -> None:
        """What a body another process read renders to (:func:`kb.validate`'s processes)."""
        self._done[key] = page
        self._new += 1
        self._used.add(key)

    def save(self, keep: Iterable[str] = ()) -> None:
        """Keep what the bodies read since the last save render to, and the bodies of digests ``keep``
        (of bodies not read again: :mod:`kb.checkcache` kept what they say), and nothing else: the file
        stays the size of one library, for the next process. Nothing when the file was not read, or when
        fewer than :data:`LOAD_FROM` bodies were rendered since it was read or written: they take less time
        to render again than the file of a large library to write (``make serve`` saves after every edit)."""
        if not self._loaded or self._new < LOAD_FROM:
            self._used.clear()
            return
        self._new = 0
        self._used.update(key for key in keep if key in self._done)
        entries = {key: _plain(self._done[key]) for key in sorted(self._used)}
        self._used.clear()
        try:
            self._cache.parent.mkdir(parents=True, exist_ok=True)
            partial = self._cache.with_name(f"{self._cache.name}.{os.getpid()}")
            partial.write_text(json.dumps({"fingerprint": self.fingerprint, "entries": entries}), encoding="utf-8")
            partial.replace(self._cache)
        except OSError:
            pass  # a read-only checkout: the next run renders again


def _digest(body: str) -> str:
    return hashlib.blake2b(body.encode("utf-8"), digest_size=16).hexdigest()


digest = _digest
LOAD_FROM = 50  # bodies to read before the cache file is worth reading
PARALLEL_FROM = 200  # bodies to render before more processes are worth their start
_worker: Renderer | None = None


def _start_worker(extensions: list[Any], configs: dict[str, dict]) -> None:
    global _worker
    _worker = Renderer(extensions, configs, cache=Path(os.devnull))


def _work(body: str) -> Rendered | str:
    """One body in a worker process; a failure comes back as a name and is met again by the caller."""
    assert _worker is not None
    try:
        return _worker.read(body)
    except Exception as err:
        return type(err).__name__


def _lazy_emoji(settings: dict) -> dict:
    """``settings`` with an ``emoji_index`` (``pymdownx.emoji``'s) that is read when an emoji is first met,
    not when Markdown is set up: Material's looks at its 10,000 icon files, 0.6 s of a check after one
    edit, for bodies that seldom have an emoji. What is rendered is the same."""
    index = settings.get("emoji_index")
    if not callable(index):
        return settings
    return settings | {"emoji_index": lambda options, md: _LazyIndex(lambda: index(options, md))}


class _LazyIndex(dict):
    """An emoji index, made by ``load`` at the first look-up (``pymdownx.emoji`` and Material's
    generator only look keys up)."""

    def __init__(self, load):
        super().__init__()
        self._load = load

    def __missing__(self, key: str) -> Any:
        if self._load is not None:
            self.update(self._load())
            self._load = None
            return self[key]
        raise KeyError(key)


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
    kept = sanitize.elements(sanitize.clean(html))  # what is published, as a browser parses it
    removed = tuple(sanitize.removed_between(sanitize.elements(html), kept))
    links = tuple(attrs["href"] for tag, attrs in kept if tag == "a" and "href" in attrs)
    sources = tuple(attrs["src"] for tag, attrs in kept if tag == "img" and "src" in attrs)
    anchors = frozenset(
        value
        for tag, attrs in kept
        for key in ("id", "name")
        if (value := attrs.get(key)) and (key == "id" or tag == "a")
    )
    return Rendered(removed, links, sources, anchors)


_renderers: dict[str, Renderer] = {}  # by the repr of the extensions and their configs


def renderer(extensions: list[Any], configs: dict[str, dict]) -> Renderer:
    """One renderer per set of extensions in this process, so its results are kept across checks."""
    key = repr((extensions, sorted(configs.items(), key=lambda item: str(item[0]))))
    if key not in _renderers:
        _renderers[key] = Renderer(extensions, configs)
    return _renderers[key]
