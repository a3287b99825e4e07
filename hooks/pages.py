"""Generated section pages and the header of every document page.

Events:
- ``on_files``: add one virtual source per generated page and language (``policies/index.md``,
  ``policies/index.en.md``) before mkdocs-static-i18n sorts files by language, so each language gets
  its own page, URL, navigation entry, search entry and language-switcher link.
- ``on_page_read_source``: give those virtual sources their front matter (they are never on disk).
- ``on_page_markdown``: use ``summary`` as the page's meta description.
- ``on_page_content``: render generated pages, and put the breadcrumb, banners and metadata card at
  the top of document pages, inside the content so that search indexes them; mark ordinary pages
  shown in another language's site untranslated.
Reads: every key of the content model, through the catalogue of :mod:`kb.site`.
"""

from __future__ import annotations

import jinja2
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from kb import pages

_templates: dict[tuple, jinja2.Environment] = {}


def on_files(files, config):
    site = config.extra["kb_site"]
    for src_uri in site.generated:
        if files.get_file_from_path(src_uri) is None:
            files.append(File(src_uri, config.docs_dir, config.site_dir, config.use_directory_urls))
    return files


def on_page_read_source(page, config):
    site = config.extra["kb_site"]
    generated = site.generated.get(page.file.src_uri)
    return pages.front_matter(generated, site.vocab) if generated else None


def on_page_markdown(markdown, page, config, files):
    doc = _document(page, config)
    if doc is not None:
        page.meta.setdefault("description", doc.summary_in(_lang(config)))
    return markdown


def on_page_content(html, page, config, files):
    site = config.extra["kb_site"]
    lang = _lang(config)
    generated = site.generated.get(page.file.src_uri)
    if generated is not None:
        context = pages.section_context(site.catalog, generated.key, site.audience, lang, site.vocab)
        return _render("section.html", context, page, config, lang)
    doc = _document(page, config)
    if doc is None:
        untranslated = getattr(page.file, "locale", lang) != lang
        return _render("untranslated.html", {}, page, config, lang) + html if untranslated else html
    context = pages.document_context(site.catalog, doc, site.audience, lang)
    return _render("document.html", context, page, config, lang) + html


def _lang(config) -> str:
    return config.theme["language"]


def _document(page, config):
    identity = getattr(page.file, "norm_src_uri", page.file.src_uri)
    return config.extra["kb_site"].catalog.documents.get(identity)


def _render(name: str, context: dict, page, config, lang: str) -> str:
    key = tuple(config.theme.dirs)
    if key not in _templates:
        _templates.clear()
        _templates[key] = jinja2.Environment(loader=jinja2.FileSystemLoader(key), autoescape=True)
    template = _templates[key].get_template(f"partials/kb/{name}")
    site = config.extra["kb_site"]
    return template.render(
        context,
        t=site.vocab.translator(lang),
        lang=lang,
        audience=site.audience,
        href=lambda url: _href(url, page.url),
    )


def _href(url: str, base: str) -> str:
    """``url`` (site-relative) relative to the page at ``base``; directories keep their slash."""
    relative = get_relative_url(url or ".", base or ".")
    return relative + "/" if (not url or url.endswith("/")) and not relative.endswith("/") else relative
