"""Generated section pages and the header of every document page.

Events:
- ``on_pre_build``: only the default language writes the site's 404 page (each run would overwrite it).
  A dirty rebuild of ``make serve`` does not write the sitemap again: it lists every page of the
  language (a third of a rebuild's time at 10,000 documents), the pages of a rebuild are those of the
  first build, and only search engines read it.
- ``on_files``: add one virtual source per generated page and language (``policies/index.md``,
  ``policies/index.en.md``) before mkdocs-static-i18n sorts files by language, so each language gets
  its own page, URL, navigation entry, search entry and language-switcher link.
- ``on_nav``: in a dirty rebuild (``make serve``), remove the output of the pages that show what
  changed since this language's previous build (:mod:`kb.rebuild`): MkDocs renders again only the
  pages whose output is missing or older than their own source. A generated page counts as its own
  source, so it is rendered again exactly when its output is missing. The output of a generated page
  the previous build had and this one has not (a keyword no document has any more, a page of a list
  that got shorter) is removed.
- ``on_env``: let the theme's environment reuse the templates an earlier build of this process compiled
  (``make serve`` makes a new one for every rebuild; compiling Material's templates took a tenth of it).
- ``on_page_read_source``: give those virtual sources their front matter (they are never on disk).
- ``on_page_markdown``: use ``summary`` as the page's meta description. A document without a
  translation shows its Chinese text on its English page: the English run does not convert the same
  Markdown again, nor build a converter for it, but takes the body the Chinese run rendered
  (:class:`kb.site.Site` keeps it), which halves the work of the English run (README "Performance").
- ``on_page_content``: render generated pages (the search page also gets what its head needs to start
  Pagefind, ``page.meta["kb_search_head"]``), and put the breadcrumb, banners and metadata card at
  the top of document pages, inside the content so that search indexes them, and the documents
  citing them below; mark ordinary pages shown in another language's site untranslated; replace
  ``<!-- kb:home -->`` in the home page with its generated blocks (counts, entry points, latest).
- ``on_post_page``: on pages of another language, mark Chinese text ``lang="zh"`` (:mod:`kb.lang`).
- ``on_post_build``: note that the language's pages are all written, so that the next dirty rebuild
  need not ask the system whether each page's output exists.
Reads: every key of the content model, through the catalogue of :mod:`kb.site`.
"""

from __future__ import annotations

import contextlib
import os
from typing import TYPE_CHECKING, Any

from jinja2 import Environment
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from kb import pages, rebuild, templates
from kb.catalog import Document
from kb.data import DEFAULT_LANGUAGE
from kb.lang import mark_chinese
from kb.pages import HOME_MARKER
from kb.searchindex import TITLE_META
from kb.site import RenderedBody, Site, same_in_every_language

if TYPE_CHECKING:  # hooks.plugin imports this module
    from hooks.plugin import KnowledgeBase


def on_pre_build(kb: KnowledgeBase, config: MkDocsConfig) -> None:
    # Every language run writes the theme's 404.html to the site root: keep the default language's.
    if _lang(config) != DEFAULT_LANGUAGE:
        config.theme.static_templates.discard("404.html")
    if kb.dirty and _previous_build(kb, config) is not None:
        config.theme.static_templates.discard("sitemap.xml")


def _previous_build(kb: KnowledgeBase, config: MkDocsConfig) -> rebuild.Built | None:
    """What this language's previous build of the same site rendered from (in this process): None in a
    first build."""
    site_dir, previous = kb.built.get(_lang(config), ("", None))
    return previous if site_dir == config.site_dir else None


def on_files(kb: KnowledgeBase, files: Files, config: MkDocsConfig) -> Files:
    site = kb.site
    for src_uri in site.generated:
        if files.get_file_from_path(src_uri) is None:
            files.append(File(src_uri, config.docs_dir, config.site_dir, config.use_directory_urls))
    return files


def on_nav(kb: KnowledgeBase, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    site, lang = kb.site, _lang(config)
    previous = _previous_build(kb, config)
    if kb.compared[0] is not previous or kb.compared[1] is not site:  # the first language's run of this build
        current = rebuild.built(site)
        kb.compared = (previous, site, current, rebuild.stale(previous, current, site))
    current, stale = kb.compared[2:]
    kb.built[lang] = (config.site_dir, current)
    kb.stale[lang] = stale
    # Every page of this language's previous build in this process was written, if it finished (only what
    # is removed below is missing then): one question to the system per page less (22,000 at 10,000 documents).
    finished = stale is not None and lang in kb.written
    kb.written.discard(lang)
    for page in stale.gone if stale else []:  # no longer generated: its output goes, in this language's run
        if page.lang == lang and os.path.isfile(gone := os.path.join(config.site_dir, page.url, "index.html")):
            os.remove(gone)
            with contextlib.suppress(OSError):  # and its folders, up to the first that holds anything else
                os.removedirs(os.path.dirname(gone))
    for file in files.documentation_pages():
        generated = site.generated.get(file.src_uri)
        known = True  # whether the comparison with the previous build decides alone
        if generated is not None:
            file.abs_src_path = file.abs_dest_path
            again = stale is None or file.src_uri in stale.generated
        elif stale is None:
            continue  # MkDocs compares each page with its own source
        elif (identity := getattr(file, "norm_src_uri", file.src_uri)) in site.catalog.documents:
            again = identity in stale.documents
        else:
            again, known = stale.home and HOME_MARKER in file.content_string, False
        written = finished or os.path.isfile(file.abs_dest_path)
        if again and written:  # (if this build fails, the next one finds it missing)
            with contextlib.suppress(FileNotFoundError):
                os.remove(file.abs_dest_path)
        if stale is not None and known:
            _render_again(file, again or not written)
    return nav


def _render_again(file: File, again: bool) -> None:
    """Tell MkDocs whether to render ``file``'s page again in this dirty build. It asks each page twice,
    each time testing whether the output exists and is older than the source (three system calls: at
    10,000 documents 130,000 per rebuild, a tenth of it); :func:`kb.rebuild.stale` has the answer."""
    file.is_modified = lambda: again  # type: ignore[method-assign]


def on_env(kb: KnowledgeBase, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    templates.reuse_compiled(env)
    env.globals["kb_header_search"] = pages.header_search_config(kb.site.vocab, _lang(config))
    env.globals["kb_not_found"] = pages.not_found(kb.site.vocab)
    return env


def on_page_read_source(kb: KnowledgeBase, page: Page, config: MkDocsConfig) -> str | None:
    generated = kb.site.generated.get(page.file.src_uri)
    return pages.front_matter(generated) if generated else None


def on_page_markdown(kb: KnowledgeBase, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    doc = _document(kb, page)
    if doc is None:
        return markdown
    page.meta.setdefault("description", doc.summary_in(_lang(config)))
    if (body := _chinese_body(kb, page, config, doc)) is not None:
        _render_as(page, body)
        return ""
    return markdown


def _render_as(page: Page, body: RenderedBody) -> None:
    """Give ``page`` the body the Chinese run rendered instead of converting its Markdown again: MkDocs'
    ``Page.render`` would build a Markdown converter with every extension for each page (a tenth of
    the English run), and convert what the Chinese run converted."""

    def render(config: MkDocsConfig, files: Files) -> None:
        page.content, page.toc, page.present_anchor_ids = body

    page.render = render  # type: ignore[method-assign]


def on_page_content(kb: KnowledgeBase, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    site = kb.site
    lang = _lang(config)
    generated = site.generated.get(page.file.src_uri)
    if generated is not None:
        context = pages.generated_context(site.catalog, generated, site.audience, site.vocab)
        if generated.kind == "search":  # main.html puts it in the page's head
            page.meta["kb_search_head"] = pages.search_head(context, lambda url: _href(url, page.url))
        return _render(site, f"{generated.kind}.html", dict(context, content=Markup(html)), page, config, lang)
    doc = _document(kb, page)
    if doc is None:
        if HOME_MARKER in html:
            home = pages.home_context(site.catalog, site.audience, lang, site.vocab)
            html = html.replace(HOME_MARKER, _render(site, "home.html", home, page, config, lang), 1)
        context = {"title": page.title, "title_meta": TITLE_META, "untranslated": _untranslated(page, config)}
        return _render(site, "page.html", dict(context, content=Markup(html)), page, config, lang)
    if lang == DEFAULT_LANGUAGE and same_in_every_language(html):
        site.rendered[doc.path] = RenderedBody(html, page.toc, page.present_anchor_ids)
    context = pages.document_context(site.catalog, doc, site.audience, lang, site.vocab)
    return _render(site, "document.html", dict(context, content=Markup(html)), page, config, lang)


def on_post_page(kb: KnowledgeBase, output: str, page: Page, config: MkDocsConfig) -> str:
    return mark_chinese(output, _lang(config))


def on_post_build(kb: KnowledgeBase, config: MkDocsConfig) -> None:
    kb.written.add(_lang(config))  # every page of this language's build is written (see on_nav)


def _lang(config: MkDocsConfig) -> str:
    return config.theme["language"]


def _untranslated(page: Page, config: MkDocsConfig) -> bool:
    """Whether ``page`` shows another language's source (a document without a translation)."""
    return getattr(page.file, "locale", _lang(config)) != _lang(config)


def _chinese_body(kb: KnowledgeBase, page: Page, config: MkDocsConfig, doc: Document) -> RenderedBody | None:
    """The body the Chinese run rendered, for the page of ``doc`` shown untranslated; None if it is not."""
    return kb.site.rendered.get(doc.path) if _untranslated(page, config) else None


def _document(kb: KnowledgeBase, page: Page) -> Document | None:
    identity = getattr(page.file, "norm_src_uri", page.file.src_uri)
    return kb.site.catalog.documents.get(identity)


def _render(site: Site, name: str, context: dict[str, Any], page: Page, config: MkDocsConfig, lang: str) -> str:
    return templates.render(config.theme.dirs, name, context, site, lang, href=lambda url: _href(url, page.url))


def _href(url: str, base: str) -> str:
    """``url`` (site-relative) relative to the page at ``base``; directories keep their slash."""
    relative = get_relative_url(url or ".", base or ".")
    return relative + "/" if (not url or url.endswith("/")) and not relative.endswith("/") else relative
