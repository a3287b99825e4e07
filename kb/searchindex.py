"""Building the Pagefind search index of a built site (plain Python around the pagefind binary).

One bundle per language, in the language's root: ``<site>/pagefind/`` for Chinese, ``<site>/en/pagefind/``
for English. Each is built as soon as its language's pages are written, in a process of its own
(``python -m kb.searchindex``), so that the Chinese index is built while MkDocs builds the English
pages: on two cores that takes the index off the build's critical path (README "Performance"). A
bundle is written beside the old one and put in its place when complete, so the site never serves
half an index. Only the parts marked ``data-pagefind-body`` (document and ordinary pages) are indexed;
list pages are not, so a 文号 finds its document, not every list. Pagefind holds all the words of the
pages it indexes in memory until it writes them, so a language's pages are indexed in parts of
:data:`PART_PAGES`, one after another, and the parts merged into one ordinary bundle (kb/pfmerge.py): the
browser reads it as if Pagefind had indexed every page at once.

Chinese has no spaces, so both sides of a search cut text into words, and they disagree: Pagefind
segments pages with one dictionary when indexing and queries with the browser's ``Intl.Segmenter``.
Measured on the shipped content, 老马 typed as a query found 2 of the 23 documents that contain it,
联席会议 1 of 24. So the index is built from a copy of the pages in which each word with Han characters
is cut into overlapping pairs of its units, a unit being a Han character or a run of Latin letters and
digits (:func:`paired`: 联席会议 → 联席 席会 会议 议, X政发 → X政 政发 发), and the search cuts a query the
same way and asks for its pairs as a phrase: a query then finds exactly the pages that contain it,
whatever a dictionary thinks a word is. Pairs, not single characters, because a pair's list of places
is short: a single character such as 会 is in nearly every page, and a phrase query had to read and
match the places of each of its characters (100 ms of a query at 2,000 documents, more as the library
grows). The Chinese bundle's language is ``x-pairs``, so that neither Pagefind nor the browser cuts the
pairs again. Readers never see the copy: excerpts are joined back together in the browser
(kb-search/query.js). The spaces around a word's pairs are not the text's, so where the text had white
space beside a word, the copy glues :data:`kb.cjk.GAP` (an invisible mark) to that side of the word:
网格员 入户 → 网格 格员 员+GAP GAP+入户 户. The browser shows a space there and nowhere else beside a word
of pairs, so "Markdown 文本" and "12号 Issued" keep their space, and 联席会议 gets none.

Pagefind also searches the fields of a page's metadata (``data-pagefind-meta``), each with the weight the
browser gives it (``metaWeights``). Those named ``search_…`` are there to be searched (a document's 文号,
issuers, keywords: kb/schema.py ``searched``), so their text is cut into pairs too; the others are
values that results show, and keep their text.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kb import pfmerge, routes
from kb.cjk import GAP, HAN, HAS_HAN, PUNCTUATION  # punctuation marks are words of their own
from kb.schema import CARD

# A word the copy cuts into pairs: Han characters and runs of Latin letters and digits with no space
# between them, at least one Han; or one punctuation mark. (Possessive runs and the look-behind keep the
# match linear on long runs of letters.)
# An ideographic space (第一章　总则) is white space, not a mark: a gap beside its words.
WORD = re.compile(rf"(?<![A-Za-z0-9])[A-Za-z0-9]*+(?:[{HAN}][A-Za-z0-9]*+)++|(?!\s)[{PUNCTUATION}]")
UNIT = re.compile(rf"[A-Za-z0-9]+|[{HAN}{PUNCTUATION}]")
OPEN, CLOSE = "\x01", "\x02"  # around a word until the parts that keep their text are restored; never in HTML
MARKED = re.compile("\x01([^\x01\x02]*)\x02")
# The metadata fields meant to be searched are named with this prefix: the card values search finds a
# document by, with the weights the browser gives Pagefind (kb-search/bundle.js: ranking.metaWeights).
SEARCHED = "search_"
META_WEIGHTS = {SEARCHED + field.key: field.searched for field in CARD if field.searched}
# A page's title is also a metadata field (partials/kb/document.html, page.html) whose pairs are marked
# (_联席 _席会 _会议 _议), so they are words of their own: a phrase of marked pairs finds the pages whose
# title has a Chinese word (kb-search/bundle.js find) from a few short lists, before any result is
# loaded. Pagefind scores every page that has a phrase alike (1) and says nothing of where it matched,
# so before, only the first page of its matches, in the order of its index, was ranked by title
# (kb-search/result.js rank): at 20,000 documents a title with the query on its 30th page of matches
# was never shown first.
TITLE_META, TITLE_MARK = SEARCHED + "title", "_"  # "_" is a character of words to Pagefind
TITLE_TEXT = re.compile(rf"(<[^>]*data-pagefind-meta=([\"']){TITLE_META}\2[^>]*>)([^<]*)")
# A document's 文号 is also a metadata field holding it as one word (kb.cjk.joined: X政发2021179号), not
# cut into pairs (not a ``search_`` field): a search of a 文号 finds its document from that word's short
# list at once (kb-search/result.js rankFirst), while its pairs, in text and card, are still searched
# for the documents citing it.
NUMBER_META = "doc_word"
# What keeps its text: scripts and styles; the text of elements whose text is a value, not prose
# (filter values, result metadata but the fields meant to be searched, sort keys); attributes (any tag
# with a mark in it).
KEEP = (
    re.compile(r"<(script|style)\b.*?</\1", re.S | re.I),
    re.compile(rf"<[^>]*data-pagefind-(?:filter|sort|meta(?!\s*=\s*[\"']?{SEARCHED}))\s*=[^>]*>[^<]*"),
    re.compile(r"<[^>\x01\x02]*[\x01\x02][^>]*>"),
)
# A heading's permalink (mkdocs.yml toc: permalink), whose ¶ is not the text's.
PERMALINK = re.compile(r'<a class="headerlink"[^>]*>[^<]*</a>')
# The bundles' languages: the Chinese one is of pairs, which nothing must cut again (kb-search/bundle.js
# tells Pagefind in the browser the same); the English one is English, with its stemming.
INDEX_LANGUAGE = {"zh": "x-pairs", "en": "en"}
# The most pages Pagefind indexes at once: it holds every page's words in memory until it writes (~0.45 GB
# a 1,000 pages), so larger sites are indexed in parts and merged (kb/pfmerge.py). At 10,000 documents
# (8,826 Chinese pages) parts of 500 peaked at 0.40 GB for the index's processes, of 1,000 at 0.72 GB, one
# run at 4.5 GB; the index is built while MkDocs (~1 GB there) builds the English pages. KB_SEARCH_PART_PAGES
# sets it (the tests force a merge on the small test site).
PART_PAGES = int(os.environ.get("KB_SEARCH_PART_PAGES", "500"))
# The sort of a document's date (partials/kb/document.html): the bundle numbers its pages by it, newest
# first, and a search without words lists its results in that order (pfmerge.number_pages).
NEWEST_FIRST = "date"


class SearchIndexError(RuntimeError):
    """Pagefind failed; the message is its own output."""


def pairs(word: str) -> str:
    """``word``'s overlapping pairs of units and its last unit: 联席会议 → "联席 席会 会议 议"."""
    units = UNIT.findall(word)
    return " ".join([first + second for first, second in itertools.pairwise(units)] + units[-1:])


def paired(html: str) -> str:
    """``html`` with each word of its text that has Han characters (not in tags, scripts, styles or
    ``data-pagefind-filter/meta/sort`` values but the ``search_…`` fields) replaced by its :func:`pairs`,
    with a space on each side, and :data:`~kb.cjk.GAP` inside it on a side where the text had white space;
    and without the headings' permalinks (their ¶ ran into excerpts).

    Whole-page regular expressions, not a loop over tags: it runs on every page of the site, and
    the loop took most of the search index's time (9 of 20 s at 2,000 documents, ``make bench``)."""
    marked = WORD.sub(lambda word: OPEN + word.group() + CLOSE, PERMALINK.sub("", html))
    for keep in KEEP:
        marked = keep.sub(lambda part: part.group().replace(OPEN, "").replace(CLOSE, ""), marked)
    return TITLE_TEXT.sub(_title, MARKED.sub(_cut, marked))


def _title(element: re.Match[str]) -> str:
    """The title field of :func:`paired`, each of its pairs marked (:data:`TITLE_MARK`)."""
    words = (TITLE_MARK + word if HAS_HAN.search(word) else word for word in element.group(3).split())
    return element.group(1) + " ".join(words)


def _cut(word: re.Match[str]) -> str:
    """A marked word of :func:`paired` as the copy holds it; ``word.string`` tells whether white space
    was beside it."""
    text, start, end = word.string, word.start(), word.end()
    before = GAP if _gap(text, start, -1) else ""
    after = GAP if _gap(text, end, 1) else ""
    return f" {before}{pairs(word.group(1))}{after} "


def _gap(html: str, at: int, step: int) -> bool:
    """Whether white space is next to place ``at`` of ``html``, before it (``step`` -1) or after it (1),
    past any tags between: a space of the text (资金</a> 管理), or the line break between two blocks (a
    heading 第一章 总则, then its first paragraph)."""
    if step < 0:
        while at > 0 and html[at - 1] == ">":
            at = html.rfind("<", 0, at - 1)
            if at < 0:
                return False
        at -= 1
    else:
        while html.startswith("<", at):
            at = html.find(">", at) + 1
            if not at:
                return False
    return 0 <= at < len(html) and html[at].isspace()


def build_index(site_dir: Path, lang: str, part_pages: int | None = None) -> str:
    """Index ``lang``'s pages of ``site_dir`` into the bundle in that language's root (:func:`language_root`);
    return Pagefind's summary. Result URLs stay relative to ``site_dir``.

    Pagefind holds every page's words in memory until it writes (~0.45 GB a 1,000 pages), so the pages are
    indexed in parts of at most ``part_pages`` (:data:`PART_PAGES`), one after another, and the parts
    merged into one ordinary bundle (:mod:`kb.pfmerge`); one part is Pagefind's bundle as it is. Its pages
    are then numbered newest first (:func:`kb.pfmerge.number_pages`).

    Raise SearchIndexError if Pagefind or the merge fails; the previous bundle is then left as it was.
    """
    site_dir = Path(site_dir)
    root, exclude = language_root(lang)
    folder = site_dir / root
    # A stop (SIGTERM, see main) between making the folder and the try below would leave it behind.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    new = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=folder))
    try:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
        sorts: dict[str, dict[str, str]] = {}
        parts = [
            _index_part(site_dir, batch, new / f"part-{number}", lang, sorts)
            for number, batch in enumerate(_batches(_indexed(folder, exclude), part_pages or PART_PAGES))
        ]
        bundle = parts[0][0]
        try:
            if len(parts) > 1:
                bundle = new / "merged"
                pfmerge.merge([part for part, _summary in parts], bundle, lambda url: sorts.get(url, {}))
            pfmerge.number_pages(bundle, NEWEST_FIRST)
        except (pfmerge.MergeError, ValueError, KeyError, EOFError, OSError) as err:
            raise SearchIndexError(f"搜索索引（{len(parts)} 部分）合并或编号失败：{err}") from err
        _replace(folder / "pagefind", bundle)
    finally:
        shutil.rmtree(new, ignore_errors=True)  # a failed or stopped run leaves nothing behind
    return " ".join(summary for _part, summary in parts if summary)


def _indexed(folder: Path, exclude: tuple[str, ...]):
    """The pages Pagefind indexes (those with a ``data-pagefind-body``) as (path, HTML)."""
    for page in _pages(folder, exclude):
        html = page.read_text(encoding="utf-8")
        if "data-pagefind-body" in html:
            yield page, html


def _batches(pages, size: int):
    """``pages`` in lists of at most ``size``; at least one list, so that an empty site still gets a bundle."""
    batch = list(itertools.islice(pages, size))
    yield batch
    while batch := list(itertools.islice(pages, size)):
        yield batch


def _index_part(site_dir: Path, batch, output: Path, lang: str, sorts: dict) -> tuple[Path, str]:
    """Run Pagefind over the copies (:func:`paired`) of ``batch``'s pages into ``output``; (output, summary).
    Only this part's copies exist at a time. Notes each page's sort values in ``sorts`` by its URL, for the
    merge: no file of the bundle holds them."""
    with tempfile.TemporaryDirectory(prefix="kb-search-") as shadow:
        for page, html in batch:
            relative = page.relative_to(site_dir)
            target = Path(shadow, relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            copy = paired(html)
            target.write_text(copy, encoding="utf-8")
            if values := pfmerge.sort_values(copy):
                sorts[_url(relative)] = values
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pagefind",
                "--site",
                shadow,
                "--output-path",
                str(output),
                "--quiet",
                "--force-language",
                INDEX_LANGUAGE[lang],
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0 or not (output / "pagefind.js").is_file():
        raise SearchIndexError((result.stderr or result.stdout).strip() or f"pagefind exit {result.returncode}")
    return output, result.stdout.strip()


def _url(relative: Path) -> str:
    """The URL Pagefind gives the page at ``relative`` (``build_url``: an ``index.html`` left off)."""
    url = relative.as_posix()
    return "/" + (url[: -len("index.html")] if url == "index.html" or url.endswith("/index.html") else url)


def _pages(folder: Path, exclude: tuple[str, ...]):
    """The HTML files under ``folder``, without the ``exclude`` subfolders, the bundles, and the hidden
    folders (another run's bundle in the making)."""
    for path, dirs, files in os.walk(folder):
        below = Path(path).relative_to(folder)
        dirs[:] = [
            d
            for d in dirs
            if not d.startswith(".") and d != "pagefind" and not f"{(below / d).as_posix()}/".startswith(exclude)
        ]
        yield from (Path(path, name) for name in files if name.endswith(".html"))


def _replace(bundle: Path, new: Path) -> None:
    """Put the folder ``new`` in the place of ``bundle``."""
    old = bundle.with_name(f".pagefind-old-{os.getpid()}")
    if bundle.exists():
        bundle.rename(old)
    new.chmod(0o755)  # mkdtemp makes it private
    new.rename(bundle)
    shutil.rmtree(old, ignore_errors=True)


def language_root(lang: str) -> tuple[str, tuple[str, ...]]:
    """Where ``lang``'s pages are, as :func:`build_index` takes it: the folder, and the folders in it
    that belong to other languages (:mod:`kb.routes`)."""
    return routes.root(lang), routes.other_roots(lang)


def start_index(site_dir: Path, lang: str, background: bool = False) -> subprocess.Popen:
    """:func:`build_index` of ``lang``'s pages in a process of its own; :func:`finish_index` waits for it.
    In the ``background`` nobody waits: the process runs at a low priority, and reports only errors, on
    this process's standard error."""
    command = [sys.executable, "-m", "kb.searchindex", str(site_dir), lang]
    if background:
        return subprocess.Popen(["nice", "-n", "10", *command], stdout=subprocess.DEVNULL, text=True)
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish_index(process: subprocess.Popen) -> str:
    """Wait for a :func:`start_index` process; Pagefind's summary, or SearchIndexError."""
    out, err = process.communicate()
    if process.returncode != 0:
        raise SearchIndexError(err.strip() or f"exit {process.returncode}")
    return out.strip()


def main(argv: list[str]) -> int:
    """``python -m kb.searchindex SITE_DIR LANG``: index one language of a built site."""
    site_dir, lang = argv
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))  # stopped: clean up, see build_index
    start = time.perf_counter()
    try:
        summary = build_index(Path(site_dir), lang)
        print(f"用时 {time.perf_counter() - start:.1f} 秒 {summary}".strip())
    except (SearchIndexError, OSError) as err:  # Pagefind's own message, or a folder that went away
        print(f"搜索索引生成失败（{lang}）：{err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
