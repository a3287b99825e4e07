"""The character classes of Chinese text, defined here once: Han characters, CJK punctuation, and what
breaks a typed query into words.

Each is the inside of a regular expression's character class, read the same by Python's ``re`` and the
browser's ``RegExp``: the search index (kb/searchindex.py) and the marking of Chinese on English pages
(kb/lang.py) use them here; the search scripts (overrides/assets/javascripts/kb-search/) get
:data:`SEARCH_CHARS` in the configuration the page carries (kb/pages.py) and build their expressions
from it, so the pages, the index and the query are cut by the same characters.
"""

from __future__ import annotations

import re

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK unified ideographs, extension A, compatibility ideographs
HAS_HAN = re.compile(f"[{HAN}]")  # a text with a Han character
PUNCTUATION = "\u3000-\u303f\uff00-\uffef"  # CJK punctuation (〔〕、。) and full-width forms: words of their own
# What separates the words of a query: white space, CJK and full-width punctuation (not the full-width
# letters and digits, nor the half-width kana and hangul), quotation marks.
QUERY_BREAKS = r"\s" + "\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65" + "\"'“”‘’《》"

QUERY_BREAK = re.compile(f"[{QUERY_BREAKS}]+")


def joined(text: str) -> str:
    """``text``'s words run together (what :data:`QUERY_BREAKS` separates): a 文号 as one word of the
    search index (X政发〔2021〕179号 → X政发2021179号), found from short lists before the rest of a query
    (partials/kb/document.html; kb-search/query.js ``joined`` does the same to a query)."""
    return QUERY_BREAK.sub("", text)


# In the copy of the pages the search index is built from (kb/searchindex.py), the mark of white space
# beside a word cut into pairs, glued to the word: the pairs' own spaces are no gap of the text, so the
# browser joining an excerpt shows a space only where it finds this mark. WORD JOINER: invisible,
# neither a letter nor white space, so Pagefind neither splits on it nor indexes it.
GAP = "\u2060"

# As the search scripts read them (kb-search/query.js).
SEARCH_CHARS = {"han": HAN, "punctuation": PUNCTUATION, "breaks": QUERY_BREAKS, "gap": GAP}
