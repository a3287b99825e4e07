"""A Pagefind bundle decoded into a canonical form that does not depend on page numbers, file names or the
order of meta fields: two bundles of the same pages compare equal if the browser reads the same from both
(kb/pfmerge.py says what the files hold)."""

import json
from pathlib import Path

import cbor2

from kb.pfmerge import read


def decode(bundle: Path) -> dict:
    """The bundle as {pages: url → word count, fragments: url → fragment, words: word → (pages, variants),
    filters: name → value → urls, sorts: name → urls, numbered: urls in the order of their fragments'
    numbers (kb.pfmerge.number_pages), fields, chunks: [(from, to)], entry}."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    ((language, about),) = entry["languages"].items()
    meta = cbor2.loads(read(bundle / f"pagefind.{about['hash']}.pf_meta"))
    version, pages, chunks, filters, sorts, fields = meta
    fragments = [json.loads(read(bundle / "fragment" / f"{hash_}.pf_fragment")) for hash_, _count in pages]
    urls = [fragment["url"] for fragment in fragments]
    words = {}
    for start, end, hash_ in chunks:
        for word, word_pages, variants in cbor2.loads(read(bundle / "index" / f"{hash_}.pf_index"))[0]:
            assert start <= word and (word <= end or word.startswith(end)), (word, start, end)
            assert word not in words
            words[word] = (
                _pages(word_pages, urls, fields),
                {form: _pages(form_pages, urls, fields) for form, form_pages in variants},
            )
    return {
        "version": version,
        "entry": {**entry, "languages": {language: {**about, "hash": None}}},
        "pages": {url: count for url, (_hash, count) in zip(urls, pages, strict=True)},
        "fragments": dict(zip(urls, fragments, strict=True)),
        "words": words,
        "filters": {name: _filter(bundle / "filter" / f"{hash_}.pf_filter", name, urls) for name, hash_ in filters},
        "sorts": {name: [urls[page] for page in order] for name, order in sorts},
        "numbered": _numbered(pages, urls),
        "fields": fields,
        "chunks": [(start, end) for start, end, _hash in chunks],
    }


def _pages(packed: list, urls: list[str], fields: list[str]) -> dict:
    """url → (locs, {field name: positions}) of a word's delta-encoded page list."""
    decoded, page = {}, 0
    for delta, locs, meta_locs in packed:
        page += delta
        assert urls[page] not in decoded
        decoded[urls[page]] = (locs, _meta(meta_locs, fields))
    return decoded


def _meta(meta_locs: list[int], fields: list[str]) -> dict[str, list[int]]:
    """{field name: positions} of a page's meta_locs (field markers, then deltas from 0)."""
    positions: dict[str, list[int]] = {}
    field = None
    for value in meta_locs:
        if value < 0:
            field, last = fields[-value - 1], 0
            assert field not in positions
            positions[field] = []
        else:
            last += value
            positions[field].append(last)
    return positions


def _filter(path: Path, name: str, urls: list[str]) -> dict[str, set[str]]:
    """value → urls of a filter file."""
    read_name, values = cbor2.loads(read(path))
    assert read_name == name
    return {value: {urls[page] for page in pages} for value, pages in values}


def _numbered(pages: list, urls: list[str]) -> list[str]:
    """The pages' URLs in the order of their numbers (``<folder>/<base 36>``), which run from 0 without a gap
    in one folder."""
    folders = {hash_.rpartition("/")[0] for hash_, _count in pages}
    numbers = [int(hash_.rpartition("/")[2], 36) for hash_, _count in pages]
    assert len(folders) == 1 and sorted(numbers) == list(range(len(pages))), (folders, numbers)
    return [url for _number, url in sorted(zip(numbers, urls, strict=True))]
