"""What a built site weighs: output size, search index, and the size of its HTML pages by page type.

Issue 17 wants no HTML page over 150 KB at 20,000 documents; the page types tell which kind of page
grows with the library (a listing, a facet page) and which does not (a document).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Collection
from pathlib import Path

KB_ = 1024
PAGE_LIMIT_BYTES = 150 * KB_  # issue 17: no HTML page over 150 KB at 20,000 documents
LISTED_OVER_LIMIT = 10
FACETS = {"topics": "topic", "levels": "level", "tags": "tag"}  # index page's type, one key's page's type
OWN_PAGES = ("compare", "search", "stats", "review")
PAGE_TYPES = (  # every type page_type() gives, in the order the report lists them
    "home",
    "section",
    "document",
    "topics",
    "topic",
    "levels",
    "level",
    "tags",
    "tag",
    *OWN_PAGES,
    "other",
)


def page_type(path: str, sections: Collection[str]) -> str:
    """The type of the HTML page at ``path`` (relative to the site, ``/``-separated; a leading ``en/``
    language folder does not count): ``home``, ``document``, ``section`` (a section's listing and its
    further pages ``<section>/page/<n>/``), ``topics``/``topic``, ``levels``/``level``, ``tags``/``tag``
    (the index, or the pages of one key), ``compare``, ``search``, ``stats``, ``review``, ``other``."""
    parts = path.removeprefix("en/").split("/")
    folders, name = parts[:-1], parts[-1]
    if name != "index.html" or not folders:
        return "home" if parts == ["index.html"] else "other"
    first = folders[0]
    if first in sections:
        if len(folders) == 1 or (len(folders) == 3 and folders[1] == "page"):
            return "section"
        return "document" if len(folders) == 2 else "other"
    if first in FACETS:
        return first if len(folders) == 1 else FACETS[first]
    return first if first in OWN_PAGES else "other"


def _percentile(ordered: list[int], share: float) -> int:
    """Nearest rank: the smallest size that ``share`` of the pages do not exceed."""
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def page_types(pages: dict[str, int], sections: Collection[str]) -> dict[str, dict]:
    """For each page type present: count, median, 95th percentile and largest (bytes), the largest's path."""
    by_type: dict[str, list[tuple[int, str]]] = {}
    for path, size in pages.items():
        by_type.setdefault(page_type(path, sections), []).append((size, path))
    out = {}
    for kind, found in sorted(by_type.items(), key=lambda item: PAGE_TYPES.index(item[0])):
        ordered = sorted(size for size, _ in found)
        largest, path = max(found)
        out[kind] = {
            "count": len(found),
            "median_bytes": statistics.median(ordered),
            "p95_bytes": _percentile(ordered, 0.95),
            "max_bytes": largest,
            "largest": path,
        }
    return out


def site_sizes(site: Path, sections: Collection[str]) -> dict:
    """Output size, page sizes by type (every language), the largest page, the pages over 150 KB."""
    files = [p for p in site.rglob("*") if p.is_file()]
    pages = {p.relative_to(site).as_posix(): p.stat().st_size for p in files if p.suffix == ".html"}
    documents = sorted(size for path, size in pages.items() if page_type(path, sections) == "document")
    largest = max(pages, key=pages.__getitem__)
    over = sorted((path for path, size in pages.items() if size > PAGE_LIMIT_BYTES), key=lambda p: -pages[p])
    search = {
        name: sum(p.stat().st_size for p in files if part in p.as_posix())
        for name, part in (("pagefind", "/pagefind/"), ("material", "search_index.json"))
    }
    return {
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
        "document_pages": len(documents),
        "document_median_bytes": statistics.median(documents) if documents else None,
        "document_max_bytes": max(documents) if documents else None,
        "largest_page": largest,
        "largest_page_bytes": pages[largest],
        "page_types": page_types(pages, sections),
        "pages_over_150kb": {"count": len(over), "paths": over[:LISTED_OVER_LIMIT]},
        "search_index_bytes": search["pagefind"] or search["material"],
        "search_engine": "Pagefind" if search["pagefind"] else "Material (lunr)",
    }
