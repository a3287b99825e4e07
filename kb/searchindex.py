"""Building the Pagefind search index of a built site (plain Python around the pagefind binary).

Pagefind reads the HTML, finds each page's language from ``<html lang>``, and writes one index per
language into ``<site>/pagefind/``. Only the parts marked ``data-pagefind-body`` (document and
ordinary pages) are indexed; list pages are not, so a 文号 finds its document, not every list.

Chinese has no spaces, so both sides of a search cut text into words, and they disagree: Pagefind
segments pages with one dictionary when indexing and queries with the browser's ``Intl.Segmenter``.
Measured on the shipped content, 老马 typed as a query found 2 of the 23 documents that contain it,
联席会议 1 of 24. So the index is built from a copy of the pages in which every Han character stands
alone (:func:`spaced`), and the search page does the same to the query and asks for it as a phrase:
a query then finds exactly the pages that contain it, whatever a dictionary thinks a word is. Readers
never see the copy: excerpts are joined back together in the browser.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Runs of Han characters, CJK punctuation (〔〕、。) and full-width forms: each character becomes a token.
HAN_RUN = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")
MARK = "\x00"  # stands for an added space until the parts that keep their text are restored; never in HTML
# What keeps its text: scripts and styles; the text of elements whose text is a value, not prose
# (filter values, result metadata, sort keys); attributes (any tag with a mark in it).
KEEP = (
    re.compile(r"<(script|style)\b.*?</\1", re.S | re.I),
    re.compile(r"<[^>]*data-pagefind-(?:filter|meta|sort)\s*=[^>]*>[^<]*"),
    re.compile(r"<[^>\x00]*\x00[^>]*>"),
)


class SearchIndexError(RuntimeError):
    """Pagefind failed; the message is its own output."""


def spaced(html: str) -> str:
    """``html`` with a space on each side of every Han character in its text (not in tags, scripts,
    styles or ``data-pagefind-filter/meta/sort`` values).

    Whole-page regular expressions, not a loop over tags: it runs on every page of the site, and
    the loop took most of the search index's time (9 of 20 s at 2,000 documents, ``make bench``)."""
    marked = HAN_RUN.sub(lambda run: MARK + (MARK * 2).join(run.group()) + MARK, html)
    for keep in KEEP:
        marked = keep.sub(lambda part: part.group().replace(MARK, ""), marked)
    return marked.replace(MARK, " ")


def build_index(site_dir: Path) -> str:
    """Index ``site_dir`` into ``site_dir/pagefind``; return Pagefind's summary.

    Raise SearchIndexError if Pagefind fails. Only pages with ``data-pagefind-body`` are copied.
    """
    site_dir = Path(site_dir)
    with tempfile.TemporaryDirectory(prefix="kb-search-") as tmp:
        shadow = Path(tmp)
        for page in site_dir.rglob("*.html"):
            html = page.read_text(encoding="utf-8")
            if "data-pagefind-body" not in html:
                continue
            target = shadow / page.relative_to(site_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(spaced(html), encoding="utf-8")
        bundle = site_dir / "pagefind"
        shutil.rmtree(bundle, ignore_errors=True)
        result = subprocess.run(
            [sys.executable, "-m", "pagefind", "--site", str(shadow), "--output-path", str(bundle), "--quiet"],
            capture_output=True, text=True, check=False,
        )
    if result.returncode != 0 or not (bundle / "pagefind.js").is_file():
        raise SearchIndexError((result.stderr or result.stdout).strip() or f"pagefind exit {result.returncode}")
    return result.stdout.strip()
