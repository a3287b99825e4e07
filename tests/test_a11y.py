"""Accessibility in real Chromium, on the shipped docs built per audience (``real_sites``).

- axe-core (the copy that axe-playwright-python ships) with the WCAG 2.0 and 2.1 A and AA rules on every
  page type: one page of each kind that ``kb.pages`` generates, the home, about, guide and 404 pages,
  documents of every section that between them show every banner, and the search page with results and
  facets; in Chinese and English, at 1280 and 390 px, in the light and the dark palette (switched with the
  header's toggle, as a reader does). The internal build has every page type the public one has, plus
  internal documents, their badges and review/; the public build's generated pages are checked too.
- On each of those pages: ``<html lang>``, text in the other language marked with ``lang``, and at 390 px
  no horizontal scrolling of the page (a wide table scrolls in its own box).
- Keyboard only: from the home page to a document, and a search narrowed by a facet, every stop showing
  its focus.
- With ``KB_SCREENSHOTS=1``, screenshots of the main page types, both widths, both palettes, into
  tests/screenshots/ (git-ignored), for a reviewer: 24 full pages, a tenth of the audits' time.
"""

from __future__ import annotations

import functools
import os
import re
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT, AxeResults
from conftest import ROOT, TODAY, SiteServer
from playwright.sync_api import expect

from kb.data import DEFAULT_LANGUAGE, LANGUAGES, load_vocabulary
from kb.pages import catalog_pages, generated_pages
from kb.validate import validate

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {"desktop": 1280, "phone": 390}
QUERIES = {"zh": "资金", "en": "fund"}  # a search page with results and facets
SCREENSHOT_KINDS = {"home", "section", "document", "search", "stats", "compare"}
TABS = 2  # pages audited at once: axe is CPU-bound and the machine has two cores


@dataclass(frozen=True)
class Target:
    kind: str
    lang: str
    path: str  # site-absolute, e.g. /en/policies/
    name: str  # for reports and screenshot files


def _prefix(lang: str) -> str:
    return "/" if lang == DEFAULT_LANGUAGE else f"/{lang}/"


def _banners(doc, lang: str) -> set[str]:
    """The banners above a document's text in ``lang``, named ``lang:banner``."""
    state = doc.state(TODAY)
    found = {"expired"} if state == "expired" else {"superseded"} if state in ("amended", "repealed") else set()
    if not doc.is_public:
        found.add("internal")
    found.add("translated" if doc.is_translated(lang) else "untranslated")
    return {f"{lang}:{name}" for name in found}


def _documents(catalog, audience: str, sections) -> list:
    """Per section, a few documents that between them show every banner its documents show, in every
    language (greedy cover, the document with the most still-missing banners first)."""
    chosen = []
    for section in sections:
        docs = catalog.in_section(section, audience)
        shows = {d.path: set().union(*(_banners(d, lang) for lang in LANGUAGES)) for d in docs}
        missing = set().union(*shows.values())
        while missing:
            best = max(docs, key=lambda d: (len(shows[d.path] & missing), d.path))
            chosen.append(best)
            missing -= shows[best.path]
    return chosen


@functools.lru_cache
def targets(audience: str) -> tuple[Target, ...]:
    """Every page type of one audience's build, in every language."""
    vocab = load_vocabulary()
    catalog, problems = validate(ROOT / "docs", root=ROOT, today=TODAY, vocab=vocab)
    assert not problems
    first = {}  # (kind, lang) -> its first page; a further page of a list (its pager) is a kind of its own
    for page in generated_pages(vocab) + catalog_pages(catalog, audience, vocab):
        first.setdefault((page.kind if page.number == 1 else f"{page.kind}-page", page.lang), page)
    found = []
    for lang in LANGUAGES:
        prefix = _prefix(lang)
        found.append(Target("home", lang, prefix, f"home-{lang}"))
        for name in ("about", "guide"):
            found.append(Target("page", lang, f"{prefix}{name}/", f"{name}-{lang}"))
        for (kind, page_lang), page in first.items():
            if page_lang == lang:
                query = f"?q={QUERIES[lang]}" if kind == "search" else ""
                found.append(Target(kind, lang, f"/{page.url}{query}", f"{kind}-{lang}"))
        for doc in _documents(catalog, audience, vocab.sections):
            found.append(Target("document", lang, "/" + doc.url_in(lang), f"{doc.slug.replace('/', '-')}-{lang}"))
    found.append(Target("404", DEFAULT_LANGUAGE, "/no-such-page/", "404"))
    return tuple(found)


# -- running axe: many pages per browser context, two tabs at a time ---------------------------------

PAGE_CHECKS = r"""() => {
  const lang = document.documentElement.lang;
  const han = /[\u3400-\u9fff]/, latin = /[A-Za-z]{2,}/;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const unmarked = [];
  for (let node; (node = walker.nextNode());) {
    const text = node.nodeValue.trim(), parent = node.parentElement;
    if (!text || parent.closest("script, style, svg, [hidden]")) continue;
    const marked = (parent.closest("[lang]")?.lang || "").slice(0, 2);
    // Code, and the editors' own text (their Markdown, its headings in the contents), may keep English
    // names and terms on a Chinese page (WCAG 3.1.2 exempts them); the interface around them may not.
    const editors = parent.closest(".md-nav--secondary, code, pre, kbd") ||
                    (parent.closest("[data-pagefind-body]") && !parent.closest("[class*='kb-']"));
    const foreign = lang === "en" ? han.test(text) && marked !== "zh"
                                  : !han.test(text) && latin.test(text) && marked !== "en" && !editors;
    if (foreign) unmarked.push(`${parent.tagName.toLowerCase()}.${parent.className}: ${text.slice(0, 40)}`);
  }
  // A name all in Chinese marks its element; a name that mixes the languages cannot be marked.
  for (const element of document.body.querySelectorAll("[aria-label], [title], [placeholder], [alt]")) {
    const names = ["aria-label", "title", "placeholder", "alt"].map(name => element.getAttribute(name) || "");
    if (lang === "en" && names.some(name => han.test(name) && !latin.test(name)) && !element.closest("[lang^=zh]"))
      unmarked.push(`${element.tagName.toLowerCase()}.${element.className} named ${names.join(" ").trim().slice(0, 40)}`);
  }
  return {lang, unmarked: [...new Set(unmarked)], scrollWidth: document.documentElement.scrollWidth,
          scheme: document.body.dataset.mdColorScheme};
}"""

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
SCHEMES = {"light": "default", "dark": "slate"}  # Material's data-md-color-scheme


def choose_palette(page, server: SiteServer, palette: str) -> None:
    """Switch the palette as a reader does, with the header's toggle; Material keeps the choice."""
    page.goto(server.url("/"))
    if palette == "dark":
        page.locator("form[data-md-component=palette] label:visible").click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[palette])


def load(tab, server: SiteServer, target: Target, width: str, palette: str, shots: set[str]) -> list[str]:
    """Open one page, check what needs no axe, take its screenshot if wanted, and start axe on it."""
    response = tab.goto(server.url(target.path))
    status = 404 if target.kind == "404" else 200
    if response is None or response.status != status:
        return [f"{target.path}: HTTP {response and response.status}, expected {status}"]
    tab.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")  # search filters too
    if target.kind == "search":
        expect(tab.locator("#kb-search-results > li").first).to_be_visible()
        expect(tab.locator("#kb-search-facets fieldset").first).to_be_visible()
    facts = tab.evaluate(PAGE_CHECKS)
    problems = [f"{target.path}: {text}" for text in facts["unmarked"]]
    if facts["lang"] != target.lang:
        problems.append(f"{target.path}: <html lang={facts['lang']}>, expected {target.lang}")
    if facts["scheme"] != SCHEMES[palette]:
        problems.append(f"{target.path}: palette {facts['scheme']}, expected {SCHEMES[palette]}")
    if facts["scrollWidth"] > WIDTHS[width]:
        problems.append(
            f"{target.path}: the page scrolls sideways, {facts['scrollWidth']} px wide at {WIDTHS[width]} px"
        )
    if target.name in shots:
        tab.screenshot(path=str(SCREENSHOTS / f"{target.name}-{width}-{palette}.png"), full_page=True)
    tab.evaluate("options => { window.kbAxe = axe.run(document, options); }", AXE_OPTIONS)
    return problems


def violations(tab, target: Target) -> list[str]:
    response = tab.evaluate("window.kbAxe || null")  # null: the page did not load, already reported
    results = AxeResults(response or {"violations": []})
    return [f"{target.path}: {results.generate_report()}"] if results.violations_count else []


def audit(page, guard, pages: tuple[Target, ...], width: str, palette: str, shots: set[str]) -> list[str]:
    """Every page loaded once; axe runs on one tab while the next page loads in the other."""
    tabs = deque([page])
    for _ in range(TABS - 1):
        tabs.append(page.context.new_page())
        guard.watch(tabs[-1])
    running = deque()
    problems = []
    for target in pages:
        if not tabs:
            tab, done = running.popleft()
            problems += violations(tab, done)
            tabs.append(tab)
        tab = tabs.popleft()
        problems += load(tab, guard.server, target, width, palette, shots)
        running.append((tab, target))
    problems += [p for tab, done in running for p in violations(tab, done)]
    return problems


# -- the tests -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def servers(real_sites):
    with SiteServer(real_sites["public"]) as public, SiteServer(real_sites["internal"]) as internal:
        yield {"public": public, "internal": internal}


# The internal build in every combination. The public build has the same page types with fewer entries
# and no internal marks; its generated pages are checked once, at desktop width in light (its documents
# are the internal build's pages minus the internal ones).
COMBOS = [("internal", width, palette) for width in WIDTHS for palette in SCHEMES] + [("public", "desktop", "light")]


@pytest.mark.parametrize(("audience", "width", "palette"), COMBOS)
def test_every_page_type_passes_axe_fits_the_screen_and_marks_its_languages(
    open_page, servers, audience, width, palette
):
    # Reduced motion: axe scrolls the page as it measures, and Material fades its tabs out and in on
    # scrolling; colours are measured at rest (Material drops its transitions for reduced motion).
    page, guard = open_page(
        servers[audience], viewport={"width": WIDTHS[width], "height": 900}, reduced_motion="reduce"
    )
    page.context.add_init_script(AXE_SCRIPT)
    pages = targets(audience)
    if audience == "public":  # its document pages are the internal build's, minus internal ones
        pages = tuple(t for t in pages if t.kind != "document")
    guard.expect_status("/no-such-page/", 404)
    choose_palette(page, guard.server, palette)
    shots = set()
    if audience == "internal" and os.environ.get("KB_SCREENSHOTS"):
        SCREENSHOTS.mkdir(exist_ok=True)
        for kind in SCREENSHOT_KINDS:
            shots.add(next(t.name for t in pages if t.kind == kind and t.lang == DEFAULT_LANGUAGE))
    problems = audit(page, guard, pages, width, palette, shots)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
    guard.assert_clean(page)


# -- keyboard only ---------------------------------------------------------------------------------

FOCUS = r"""(selector) => {
  const element = document.activeElement;
  // Material's palette switch is a visually hidden radio button, the phone menu a hidden checkbox:
  // their labels show the focus.
  const shown = element.matches("input.md-option") ? element.nextElementSibling
    : element.id === "__drawer" ? document.querySelector(".md-header__button[for='__drawer']") : element;
  const style = getComputedStyle(shown), box = shown.getBoundingClientRect();
  return {
    what: element.outerHTML.slice(0, 120),
    ring: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none",
    seen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight && box.left < innerWidth,
    arrived: element.matches(selector),
  };
}"""


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until the focus is on ``selector``; every stop on the way must show where the focus is."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS, selector)
        assert stop["ring"] and stop["seen"], f"the focus cannot be seen on {stop['what']}"
        if stop["arrived"]:
            return
    pytest.fail(f"{limit} presses of Tab never reached {selector}")


def test_a_keyboard_alone_finds_reads_and_searches_documents(open_page, servers):
    page, guard = open_page(servers["public"])
    server = guard.server
    page.goto(server.url("/"))
    tab_to(page, ".md-tabs__link[href$='policies/']")
    page.keyboard.press("Enter")
    page.wait_for_url(server.url("/policies/"))
    tab_to(page, ".kb-entry__title")
    page.keyboard.press("Enter")
    expect(page.locator("article section.kb-card")).to_be_visible()
    assert page.url.startswith(server.url("/policies/")) and page.url != server.url("/policies/")

    page.wait_for_load_state()  # the shortcut comes with the scripts at the end of the page
    page.keyboard.press("/")
    expect(page.locator("[data-kb-search-input]")).to_be_focused()
    page.keyboard.type("资金管理")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    status = page.locator("#kb-search-status")
    expect(status).to_have_text(re.compile(r"找到 \d+ 个结果"))
    search = page.locator("[data-kb-search-page]")
    expect(search).not_to_have_attribute("aria-busy", "true")  # the results, then the facets
    everything = status.inner_text()
    tab_to(page, "#kb-search-facets input[name=section]")
    page.keyboard.press("Space")  # the first section narrows the results
    page.wait_for_url("**&section=*")
    expect(status).not_to_have_text(everything)
    expect(status).to_have_text(re.compile(r"找到 \d+ 个结果"))  # not 正在搜索
    expect(search).not_to_have_attribute("aria-busy", "true")

    def count(text):
        return int(re.search(r"\d+", text).group())

    assert 0 < count(status.inner_text()) < count(everything)
    tab_to(page, ".kb-result__title")
    title = page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    expect(page.locator("article h1")).to_have_text(title)
    guard.assert_clean(page)


def test_a_keyboard_opens_the_phone_menu(open_page, servers):
    """On a phone the navigation is behind the menu button, Material's <label> of the drawer's checkbox:
    the keyboard reaches it (the checkbox, named by the label), Space opens and closes the menu."""
    page, guard = open_page(servers["public"], viewport={"width": WIDTHS["phone"], "height": 800})
    page.goto(guard.server.url("/"))
    drawer = page.locator("#__drawer")
    expect(page.get_by_role("checkbox", name="导航栏")).to_have_count(1)
    tab_to(page, "#__drawer")
    page.keyboard.press("Space")
    expect(drawer).to_be_checked()
    expect(page.locator(".md-sidebar--primary .md-nav__link[href$='policies/']").first).to_be_in_viewport()
    page.keyboard.press("Space")
    expect(drawer).not_to_be_checked()
    guard.assert_clean(page)
