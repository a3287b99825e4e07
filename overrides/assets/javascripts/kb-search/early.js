/* The search page starts Pagefind from its head (partials/kb/search-head.html, through main.html), as
 * soon as this module arrives: its bundle, WebAssembly, index entry and metadata load while the page's
 * styles, Material's script and the rest of the page do, not after them; and the index chunks that the
 * first results of the query in the address (?q=) need with them. The page's own script (kb-search.js,
 * page.js) opens the same bundle later and finds it open (bundle.js keeps one per page), its chunks
 * loaded or on their way.
 * A shared link or the browser's site search opens the search page as the first page of a visit:
 * before, its search started only after Material's script had run.
 */
import { openBundleAt } from "./bundle.js";
import { chinese } from "./query.js";
import { firstSearches } from "./result.js";

var start = JSON.parse(document.getElementById("kb-search-head").textContent);
var query = (new URLSearchParams(location.search).get("q") || "").trim();
openBundleAt(start.bundle, start.root, start.index_lang, start.weights).then(function (pagefind) {
  if (!query) return null;
  var cut = chinese(start.chars);
  var parts = cut.queryParts(query);
  var titles = cut.titleParts(parts, start.title_mark);
  // Only what the first results need: the short lists' chunks where they tell them (rankFirst), the
  // query's otherwise. The page searches the rest (a common word's are ten times larger) after them.
  var first = firstSearches(cut, query, parts, titles) || parts;
  return Promise.all(first.map(function (part) { return pagefind.preload(part); }));
}).catch(function () {});  // page.js reports a bundle that fails
