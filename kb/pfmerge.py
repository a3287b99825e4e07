"""Merging Pagefind bundles of disjoint sets of pages into the one bundle Pagefind would have written for
all of them, in bounded memory (plain Python: paths in, files out).

Why: Pagefind holds every page's word map in memory until it writes (~0.45 GB a 1,000 pages), so
kb.searchindex indexes a language in parts and merges them here. Merging in the browser (Pagefind's
``mergeIndex``) would make every query download every part's WebAssembly, meta and chunks.

The format, as Pagefind 1.5.2 writes it (``pagefind/src/index/*.rs``, ``output/mod.rs``) and its browser code
reads it (``pagefind_web``); checked by decoding the files ``python -m pagefind`` 1.5.2 writes:

- Every ``.pf_*`` file is gzip of ``pagefind_dcd`` followed by the payload; the payload of all but fragments is
  CBOR (minicbor, structs as arrays in field order), fragments are JSON.
- File names are ``<language>_`` and the first 7 hex digits of the payload's SHA-1, written byte by byte
  without zero padding (``utils::full_hash``), lengthened while a name is taken; the meta file's name has
  ``len(language) + 8`` digits.
- Meta ``pagefind.<hash>.pf_meta``: [version, pages [[fragment hash, word count]] in page-number order,
  index chunks [[from, to, hash]], filters [[name, hash]], sorts [[name, [page numbers]]], meta field names
  (sorted)].
- Word chunk ``index/<hash>.pf_index``: [[[word, pages, variants]]], words sorted (by UTF-8 bytes, which is
  code point order); ``pages`` [[page number, locs, meta_locs]] in page order, page numbers delta-encoded per
  list (from 0); ``variants`` [[form, pages]] alike (diacritics). ``locs`` do not depend on the page number;
  ``meta_locs`` are groups of ``-(field id + 1)`` then positions delta-encoded from 0 within the group, field
  ids indexing the meta field names, groups in field order.
- A chunk ends after the word that brings its size (sum over the word's pages of len(locs) +
  len(meta_locs) + 1, variants not counted) to ``index_chunk_size`` (default 20,000); each chunk's ``from``
  and ``to`` are then shortened to one character past the prefix shared with the neighbouring chunk
  (``chunk_meta``/``get_prefixes``): the browser loads the chunks whose [from, to] a query word falls in.
- Filter ``filter/<hash>.pf_filter``: [name, [[value, [page numbers, absolute]]]].
- A sort lists the pages that have the key, ordered by value: as numbers (f32) if every value of the key
  parses as one, else as strings; ties stay in page order. The values are in no file: :func:`sort_values`
  reads them from the page, and the merge checks them against each part's own order.
- ``pagefind-entry.json``: {version, languages: {language: {hash, wasm, page_count}}, include_characters}.
"""

from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import gc
import gzip
import hashlib
import heapq
import html
import itertools
import json
import math
import os
import re
import shutil
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import cbor2

SIGNATURE = b"pagefind_dcd"
CHUNK_SIZE = 20_000  # Pagefind's index_chunk_size (options.rs default_index_chunk_size)
CHUNK_SIZE_VARIABLE = "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE"  # which Pagefind reads to change it
STATIC_SKIPPED = ("pagefind-entry.json", "index", "filter", "fragment")
# data-pagefind-sort="key" (the element's text), "key:value", or several, comma-separated.
SORT_ATTRIBUTE = re.compile(r"<[^>]*\bdata-pagefind-sort\s*=\s*(?:\"([^\"]*)\"|'([^']*)')[^>]*>([^<]*)")
INTEGER = re.compile(r"[+-]?[0-9]+")
FLOAT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


class MergeError(Exception):
    """The parts cannot be merged faithfully (a sort value that could not be read, parts that disagree)."""


def read(path: Path) -> bytes:
    """The payload of a ``.pf_*`` file."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise MergeError(f"{path}: no pagefind_dcd signature")
    return data[len(SIGNATURE) :]


def write(path: Path, payload: bytes) -> None:
    """``payload`` as Pagefind writes a ``.pf_*`` file (best compression, as flate2's ``best``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(SIGNATURE + payload, compresslevel=9, mtime=0))


def full_hash(payload: bytes) -> str:
    """Pagefind's hash: SHA-1 hex digits of each byte without zero padding (Rust ``{:x?}``)."""
    return "".join(format(byte, "x") for byte in hashlib.sha1(payload).digest())


class Names:
    """Unique file names ``<language>_<hash prefix>`` of one kind, lengthened while taken by other content."""

    def __init__(self, language: str):
        self.language = language
        self.taken: dict[str, str] = {}

    def name(self, payload: bytes) -> str:
        full = f"{self.language}_{full_hash(payload)}"
        length = len(self.language) + 8
        while self.taken.get(full[:length], full) != full and length < len(full):
            length += 1
        self.taken[full[:length]] = full
        return full[:length]


def sort_values(page_html: str) -> dict[str, str]:
    """The ``data-pagefind-sort`` values of a page as Pagefind reads them: an element's own text or an inline
    ``key:value``, entities decoded, white space collapsed; a later value of a key wins. The forms this does not
    read (``key[attribute]``, text with tags inside) are caught by :func:`merge`, which checks each part's order."""
    values = {}
    for match in SORT_ATTRIBUTE.finditer(page_html):
        attribute = html.unescape(match.group(1) if match.group(1) is not None else match.group(2))
        key, colon, literal = attribute.partition(":")
        keys = [k.strip() for k in key.split(",")]
        if colon:
            values[keys.pop()] = _normal(literal)
        text = _normal(html.unescape(match.group(3)))
        values.update({k: text for k in keys if text})
    return values


def _normal(text: str) -> str:
    """White space as Pagefind's ``normalize_content`` leaves it."""
    return re.sub(r"\s+", " ", text.strip("\n")).strip()


@dataclass
class Part:
    """One part's bundle: its folder, decoded meta, and the number of its first page in the merged bundle."""

    folder: Path
    meta: list
    offset: int

    @classmethod
    def open(cls, folder: Path, offset: int) -> Part:
        (meta_file,) = folder.glob("pagefind.*.pf_meta")
        return cls(folder, cbor2.loads(read(meta_file)), offset)

    @property
    def pages(self) -> list:
        return self.meta[1]


def merge(
    folders: list[Path],
    out: Path,
    sort_value: Callable[[str], dict[str, str]],
    chunk_size: int | None = None,
) -> int:
    """Merge the Pagefind bundles in ``folders`` (one language, disjoint pages, in this order) into ``out``;
    ``sort_value(url)`` gives a page's sort values (:func:`sort_values`). Return the page count. Chunks are
    cut at ``chunk_size``, by default the size Pagefind used (its environment variable, else its default)."""
    chunk_size = chunk_size or int(os.environ.get(CHUNK_SIZE_VARIABLE) or CHUNK_SIZE)
    with _no_cycle_collection(), Writer() as writer:
        return _merge(folders, out, sort_value, chunk_size, writer)


def _merge(folders: list[Path], out: Path, sort_value, chunk_size: int, writer: Writer) -> int:
    """:func:`merge`, the files written by ``writer``."""
    entry = json.loads((folders[0] / "pagefind-entry.json").read_text(encoding="utf-8"))
    ((language, _about),) = entry["languages"].items()
    parts = list(_open_parts(folders))
    fields = sorted({field for part in parts for field in part.meta[5]})
    names = Names(language)
    pages, urls = _copy_fragments(parts, out, language)
    meta = [
        parts[0].meta[0],
        pages,
        _write_words(parts, fields, out, names, chunk_size, writer),
        _write_filters(parts, out, names, writer),
        _sorts(parts, urls, sort_value),
        fields,
    ]
    _copy_static(folders[0], out)
    _write_meta(out, entry, meta, writer.write)
    return len(pages)


def _write_meta(bundle: Path, entry: dict, meta: list, write_file: Callable[[Path, bytes], None]) -> None:
    """Write ``meta`` under its hash name and ``pagefind-entry.json`` (``entry``) naming it."""
    ((language, language_entry),) = entry["languages"].items()
    payload = cbor2.dumps(meta)
    meta_hash = f"{language}_{full_hash(payload)[: len(language) + 8]}"
    write_file(bundle / f"pagefind.{meta_hash}.pf_meta", payload)
    language_entry.update(hash=meta_hash, page_count=len(meta[1]))
    text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
    (bundle / "pagefind-entry.json").write_text(text, encoding="utf-8")


def number_pages(bundle: Path, key: str) -> None:
    """Name the fragments of ``bundle`` by number, newest first, instead of by hash, drop the sort ``key`` and
    round the word counts (:func:`rounded_count`): the meta, which each search downloads first, lists every
    page's fragment name and word count; names of 2–3 characters instead of 15 hex digits and the sort's list
    of every page were a tenth of what a search downloaded at 20,000 pages, the rounding takes a fifth off
    the meta (104 to 82 KB).

    A page's name becomes ``<folder>/<number>``: numbers in base 36 from 0, in the order of ``key`` descending
    (the last of Pagefind's ascending order first, as its ``desc``), then the pages without it in page
    order; the folder is ``<language>_`` and a hash of every fragment's own hash in that order, so a name
    still stands for the same bytes in every build (deploy/nginx.conf caches fragments for a year). A search
    without words orders its results by that number (kb-search/bundle.js ``find``) instead of by the sort."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    ((language, language_entry),) = entry["languages"].items()
    meta_file = bundle / f"pagefind.{language_entry['hash']}.pf_meta"
    meta = cbor2.loads(read(meta_file))
    pages, sorts = meta[1], meta[4]
    order = next((list(reversed(sorted_pages)) for name, sorted_pages in sorts if name == key), [])
    ranked = order + sorted(set(range(len(pages))) - set(order))
    folder = f"{language}_{full_hash(' '.join(pages[page][0] for page in ranked).encode())[:7]}"
    (bundle / "fragment" / folder).mkdir()
    old = {fragment for fragment, _count in pages}
    for number, page in enumerate(ranked):
        name = f"{folder}/{_base36(number)}"
        (bundle / "fragment" / f"{name}.pf_fragment").hardlink_to(bundle / "fragment" / f"{pages[page][0]}.pf_fragment")
        pages[page] = [name, rounded_count(pages[page][1])]
    for fragment in old:
        (bundle / "fragment" / f"{fragment}.pf_fragment").unlink()
    meta[4] = [sort for sort in sorts if sort[0] != key]
    meta_file.unlink()
    _write_meta(bundle, entry, meta, write)


COUNT_STEPS = 16  # word counts per doubling (rounded_count)


def rounded_count(count: int) -> int:
    """A page's word count rounded to one of :data:`COUNT_STEPS` values per doubling (within 3.4 %).

    Pagefind uses it for one thing: a match in a long page weighs less than in a short one (BM25's length
    norm, against the average count). Exact counts hardly repeat and compress badly: 29 of the meta's 104 KB
    at 20,000 pages; rounded, the meta is 82 KB, and a page's score moves by 1 % at most."""
    if count < 1:
        return count
    return round(2 ** (round(math.log2(count) * COUNT_STEPS) / COUNT_STEPS))


def _base36(number: int) -> str:
    digits = ""
    while True:
        number, digit = divmod(number, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[digit] + digits
        if not number:
            return digits


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector off: the merge makes millions of small lists (no cycles), and the collector,
    run again and again as they are made, took a large share of its time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Writer:
    """Writes ``.pf_*`` files in a thread: compressing as Pagefind does (zlib's best) is a third of the merge's
    work, and zlib lets other threads run meanwhile. At most ``pending`` files wait, so memory stays bounded."""

    def __init__(self, pending: int = 8):
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        self.pending: collections.deque[concurrent.futures.Future] = collections.deque()
        self.limit = pending

    def write(self, path: Path, payload: bytes) -> None:
        while len(self.pending) >= self.limit:
            self.pending.popleft().result()
        self.pending.append(self.pool.submit(write, path, payload))

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *exc) -> None:
        try:
            while self.pending:
                self.pending.popleft().result()  # a failed write fails the merge
        finally:
            self.pool.shutdown(cancel_futures=True)


def _open_parts(folders: list[Path]) -> Iterator[Part]:
    """The parts, each numbering its pages after the previous ones'."""
    offset = 0
    for folder in folders:
        part = Part.open(folder, offset)
        offset += len(part.pages)
        yield part


def _copy_fragments(parts: list[Part], out: Path, language: str) -> tuple[list, list[str]]:
    """Link every page's fragment under its merged name; the meta's pages and the pages' URLs, in page order.
    A fragment's content does not depend on its page number, so its file is the part's (a hard link where the
    file system allows, else a copy)."""
    names = Names(language)
    pages, urls = [], []
    (out / "fragment").mkdir(parents=True)
    for part in parts:
        for fragment, word_count in part.pages:
            source = part.folder / "fragment" / f"{fragment}.pf_fragment"
            payload = read(source)
            name = names.name(payload)
            _link(source, out / "fragment" / f"{name}.pf_fragment")
            pages.append([name, word_count])
            urls.append(json.loads(payload)["url"])
    return pages, urls


def _link(source: Path, target: Path) -> None:
    """``target`` the same file as ``source``: a hard link, or a copy."""
    try:
        target.hardlink_to(source)
    except FileExistsError:  # two pages of the same content (and name)
        pass
    except OSError:
        shutil.copyfile(source, target)


def _part_words(part: Part, fields: list[str]) -> Iterator[tuple[str, list, list, int]]:
    """A part's words in order, one chunk in memory at a time: (word, pages, variants, part offset) with the
    page numbers still delta-encoded (relative to the part) and the meta field ids the merged bundle's."""
    remap = [fields.index(name) for name in part.meta[5]]
    identity = remap == list(range(len(remap)))
    for _from, _to, chunk in part.meta[2]:
        for word, pages, variants in cbor2.loads(read(part.folder / "index" / f"{chunk}.pf_index"))[0]:
            if not identity:
                for page in itertools.chain(pages, *(v[1] for v in variants)):
                    if page[2]:
                        page[2] = _remap_meta_locs(page[2], remap)
            yield word, pages, variants, part.offset


def _remap_meta_locs(meta_locs: list[int], remap: list[int]) -> list[int]:
    """``meta_locs`` with field ids ``remap``-ed, groups in the new field order (their deltas start from 0 in
    each group, so a group moves as it is)."""
    groups: list[list[int]] = []
    for value in meta_locs:
        if value < 0:
            groups.append([-(remap[-value - 1] + 1)])
        else:
            groups[-1].append(value)
    return [value for group in sorted(groups, key=lambda g: -g[0]) for value in group]


def _merged_words(parts: list[Part], fields: list[str]) -> Iterator[tuple[str, list, list]]:
    """Every word once, in order, with the pages of all parts: a k-way merge of the parts' sorted words.
    Page lists stay delta-encoded; a part's list continues the previous one's by correcting its first delta."""
    streams = [_part_words(part, fields) for part in parts]
    for word, group in itertools.groupby(heapq.merge(*streams, key=lambda w: w[0]), key=lambda w: w[0]):
        pages: list = []
        variants: dict[str, list] = {}
        last = {None: 0}  # the last absolute page number of each list
        for _word, part_pages, part_variants, offset in group:
            _append(pages, part_pages, offset, last, None)
            for form, variant_pages in part_variants:
                _append(variants.setdefault(form, []), variant_pages, offset, last, form)
        yield word, pages, [[form, variant_pages] for form, variant_pages in variants.items()]


def _append(pages: list, part_pages: list, offset: int, last: dict, key: str | None) -> None:
    """Append a part's delta-encoded ``part_pages`` to ``pages``, whose last page number is ``last[key]``."""
    if not part_pages:
        return
    first = part_pages[0][0] + offset
    part_pages[0][0] = first - last.get(key, 0)
    last[key] = first + sum(page[0] for page in part_pages[1:])
    pages.extend(part_pages)


def _write_words(
    parts: list[Part], fields: list[str], out: Path, names: Names, chunk_size: int, writer: Writer
) -> list:
    """Write the merged words in chunks as Pagefind cuts them (``chunk_index``); the meta's chunk list."""
    chunks = []
    chunk: list = []
    size = 0
    for word in _merged_words(parts, fields):
        chunk.append(word)
        size += sum(len(page[1]) + len(page[2]) + 1 for page in word[1])
        if size >= chunk_size:
            chunks.append(_write_chunk(chunk, out, names, writer))
            chunk, size = [], 0
    if chunk:
        chunks.append(_write_chunk(chunk, out, names, writer))
    return _chunk_bounds(chunks)


def _write_chunk(words: list, out: Path, names: Names, writer: Writer) -> list[str]:
    """Write one chunk; [first word, last word, hash]."""
    payload = cbor2.dumps([words])
    name = names.name(payload)
    writer.write(out / "index" / f"{name}.pf_index", payload)
    return [words[0][0], words[-1][0], name]


def _chunk_bounds(chunks: list[list[str]]) -> list[list[str]]:
    """Shorten each chunk's ``to`` and the next one's ``from`` as Pagefind's ``chunk_meta`` does."""
    for current, following in itertools.pairwise(chunks):
        shared = _shared(current[1], following[0])
        to, start = current[1][: shared + 1], following[0][: shared + 1]
        if to >= current[0]:
            current[1] = to
        following[0] = start
    return chunks


def _shared(one: str, other: str) -> int:
    """How many characters ``one`` and ``other`` begin with in common (``get_prefixes``)."""
    return next((at for at, (a, b) in enumerate(zip(one, other, strict=False)) if a != b), min(len(one), len(other)))


def _write_filters(parts: list[Part], out: Path, names: Names, writer: Writer) -> list:
    """Write each filter with the pages of all parts (a few numbers a page); the meta's filter list."""
    filters: dict[str, dict[str, list[int]]] = {}
    for part in parts:
        for _name, hash_ in part.meta[3]:
            name, values = cbor2.loads(read(part.folder / "filter" / f"{hash_}.pf_filter"))
            merged = filters.setdefault(name, {})
            for value, pages in values:
                merged.setdefault(value, []).extend(page + part.offset for page in pages)
    listed = []
    for name in sorted(filters):
        payload = cbor2.dumps([name, [[value, pages] for value, pages in sorted(filters[name].items())]])
        hash_ = names.name(payload)
        writer.write(out / "filter" / f"{hash_}.pf_filter", payload)
        listed.append([name, hash_])
    return listed


def _sorts(parts: list[Part], urls: list[str], sort_value: Callable[[str], dict[str, str]]) -> list:
    """Each sort key's pages of all parts in order, sorted as Pagefind sorts them (``build_indexes``): the
    values come from ``sort_value``, checked against the order Pagefind gave each part."""
    values = [sort_value(url) for url in urls]
    keys = sorted({key for part in parts for key, _pages in part.meta[4]})
    for part in parts:
        for key, pages in part.meta[4]:
            mine = _sorted(key, range(part.offset, part.offset + len(part.pages)), values)
            if mine != [page + part.offset for page in pages]:
                raise MergeError(f"sort {key!r}: the values read from the pages do not give Pagefind's order")
    return [[key, _sorted(key, range(len(urls)), values)] for key in keys]


def _sorted(key: str, pages: range, values: list[dict[str, str]]) -> list[int]:
    """The ``pages`` that have ``key``, ordered by its value as Pagefind orders them: as f32 numbers if all
    the values of the key parse as numbers, else as strings; ties in page order (a stable sort)."""
    having = [(values[page][key], page) for page in pages if key in values[page]]
    if all(_number(value) is not None for value, _page in having):
        return [page for _v, page in sorted(having, key=lambda p: (_number(p[0]), p[1]))]
    return [page for _v, page in sorted(having, key=lambda p: (p[0].encode(), p[1]))]


def _number(value: str) -> float | None:
    """``value`` as Pagefind's sort reads a number: an i32 or else an f32 (as the f32 it rounds to)."""
    if INTEGER.fullmatch(value) and -(2**31) <= int(value) < 2**31:
        return _f32(float(int(value)))
    if FLOAT.fullmatch(value):
        return _f32(float(value))
    return None


def _f32(number: float) -> float:
    try:
        return struct.unpack("f", struct.pack("f", number))[0]
    except OverflowError:
        return float("inf") if number > 0 else float("-inf")


def _copy_static(folder: Path, out: Path) -> None:
    """The bundle's scripts, styles and WebAssembly, the same in every part."""
    for path in folder.iterdir():
        if path.name not in STATIC_SKIPPED and not path.name.endswith(".pf_meta"):
            (shutil.copytree if path.is_dir() else shutil.copyfile)(path, out / path.name)
