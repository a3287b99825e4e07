/* X区政策知识库 search: starts what the page has. Loaded as an ES module (mkdocs.yml: type module,
 * async, so it runs as soon as it and its imports arrive; it needs only the page above it).
 *
 * Every page has the header's box (kb-search/header.js): results in a panel as the reader types, the
 * shortcuts "/" and "s". The search page (kb-search/page.js) has its own box, which does what the
 * header's panel would, with every result and the facets. Both cut the query and join the excerpts
 * as kb/searchindex.py cuts the index (kb-search/query.js, with the characters of kb/cjk.py from the
 * page's configuration), ask Pagefind (kb-search/bundle.js: pagefind/pagefind.js, built with the
 * site, no external request) and rank and show results alike (kb-search/result.js: an exact 文号
 * first; superseded or expired documents below current ones for equal matches).
 * Speed (issue 8: first result within 500 ms): the search page preloads the bundle; each result shows
 * as soon as its place is settled; the filter chunks and facet counts come after the results.
 */
import { headerSearch, shortcuts } from "./kb-search/header.js";
import { searchPage } from "./kb-search/page.js";

shortcuts();
var page = document.querySelector("[data-kb-search-page]");
if (page) {
  searchPage(page);                               // its own box does what the header panel would
} else {
  document.querySelectorAll("[data-kb-search-form][data-kb-config]").forEach(headerSearch);
}
