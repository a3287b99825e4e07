"""Where everything lives: the one owner of the site's paths and URLs, in every language.

Site-relative URLs, with directory URLs (``policies/joint-meeting/``): the default language at the root,
every other language under its code (``en/policies/joint-meeting/``). Every other module and every
template receives ready URLs from here; none builds one itself.
"""

from __future__ import annotations

import posixpath

from kb.data import DEFAULT_LANGUAGE, LANGUAGES


def root(lang: str) -> str:
    """The folder of a language's site: ``""`` for the default language, ``en/`` for English."""
    return "" if lang == DEFAULT_LANGUAGE else f"{lang}/"


def other_roots(lang: str) -> tuple[str, ...]:
    """The folders inside ``lang``'s root that belong to other languages (the default language's root
    holds the others' roots)."""
    return tuple(root(other) for other in LANGUAGES if other != lang) if lang == DEFAULT_LANGUAGE else ()


def page(path: str, lang: str) -> str:
    """The URL of the page a Markdown source (an original, not a translation) makes: ``about.md`` ->
    ``about/``, ``x/index.md`` -> ``x/``, ``index.md`` -> ``""``."""
    stem = posixpath.splitext(path)[0]
    stem = stem[: -len("index")].rstrip("/") if stem == "index" or stem.endswith("/index") else stem
    return root(lang) + (f"{stem}/" if stem else "")


def folder(name: str, lang: str) -> str:
    """The URL of a generated page at ``name/`` (``policies``, ``topics/theory``, ``compare/…``)."""
    return f"{root(lang)}{name}/"


def source(name: str, lang: str) -> str:
    """The virtual Markdown source of the generated page at ``name/`` in ``lang`` (``policies/index.en.md``)."""
    return f"{name}/index{'' if lang == DEFAULT_LANGUAGE else '.' + lang}.md"


def facet(kind: str, key: str, lang: str) -> str:
    """The page of one topic or level: ``topics/theory/``."""
    return folder(f"{kind}/{key}", lang)


def listing(name: str, number: int, lang: str) -> str:
    """Page ``number`` of the list at ``name/``: the first at ``policies/``, the others at ``policies/page/2/``."""
    return folder(listing_name(name, number), lang)


def listing_name(name: str, number: int) -> str:
    return name if number == 1 else f"{name}/page/{number}"


def tag(key: str, lang: str) -> str:
    """The page of one keyword, by its key (:func:`kb.listings.tag_keys`): ``tags/lian-xi-hui-yi/``."""
    return folder(f"tags/{key}", lang)


def browse_data(section: str, lang: str) -> str:
    """The data file of a section's filters: ``policies/browse.json``, ``en/policies/browse.json``."""
    return f"{folder(section, lang)}browse.json"


def compare(new_slug: str, old_slug: str, lang: str) -> str:
    """The side-by-side comparison of two versions: ``compare/policies/training--policies-training-interim/``."""
    return folder(compare_name(new_slug, old_slug), lang)


def compare_name(new_slug: str, old_slug: str) -> str:
    return f"compare/{new_slug}--{old_slug.replace('/', '-')}"


def feed(lang: str) -> str:
    return root(lang) + "feed.xml"


def search_bundle(lang: str) -> str:
    """Pagefind's script of the language's own index."""
    return root(lang) + "pagefind/pagefind.js"


def asset(path: str) -> str:
    """A file under docs/ (an attachment, an image): it exists once, at its path under the default root."""
    return path
