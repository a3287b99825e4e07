/* Pagefind in the browser: a language's bundle, opened once per page (openBundle); the results of a
 * query's parts in it, intersected, best first (find, byScore); a result's fragment, loaded once
 * (load). It knows nothing of Chinese: the parts come cut (query.js).
 */

var bundles = {};

/* The Pagefind bundle a form names, loaded once per page and started at once: its worker fetches the
 * index's metadata and WebAssembly while the page goes on. ``weights``: the weight of a match in each
 * metadata field meant to be searched, from the page's configuration (kb/searchindex.py META_WEIGHTS:
 * the document's 文号 outweighs its text). */
export function openBundle(form, weights) {
  // The form names its language's bundle, the language of its index, and the site's root path.
  return openBundleAt(form.getAttribute("data-kb-bundle"), form.getAttribute("data-kb-root"),
                      form.getAttribute("data-kb-index-lang"), weights);
}

/* The same, from the bundle's address, the site's root and the index's language, relative to the page
 * (the search page's head starts it so: kb-search/early.js). */
export function openBundleAt(bundle, siteRoot, language, weights) {
  var url = new URL(bundle, location.href).href;
  var root = new URL(siteRoot || "./", location.href).pathname;
  if (!bundles[url]) {
    bundles[url] = import(url).then(function (module) {
      return module.options({ baseUrl: root, ranking: { metaWeights: weights || {} } }).then(function () {
        // Pagefind takes the language of its index, and whether to cut a query into words with the
        // browser's segmenter, from <html lang> as it starts. The Chinese index is of pairs of units
        // (queryParts), which must not be cut again: it starts with the index's own language.
        var html = document.documentElement;
        var pageLanguage = html.lang;
        if (language) html.lang = language;
        module.init();
        html.lang = pageLanguage;
        return module;
      });
    });
  }
  return bundles[url];
}

/* A result's fragment (its metadata and excerpt), loaded once. */
export function load(item) {
  return item.data ? Promise.resolve(item.data) : item.result.data().then(function (data) { return (item.data = data); });
}

/* Results best first, by ``score``; equal ones in Pagefind's ``order``. */
export function byScore(a, b) {
  return b.score - a.score || a.order - b.order;  // Infinity - Infinity is NaN: then Pagefind's order
}

/* Results newest first: the bundle numbers its pages so, in base 36 after the last "/" of their ids
 * (kb/pfmerge.py number_pages). */
function byNumber(a, b) {
  return pageNumber(a.result.id) - pageNumber(b.result.id);
}

function pageNumber(id) {
  return parseInt(id.slice(id.lastIndexOf("/") + 1), 36);
}

/* Results for all ``parts`` of a query (queryParts; intersected, scores added), as {result, score,
 * order}: best first by Pagefind's score; with no query (``parts`` null), everything newest first.
 * ``counted``: Pagefind has the filter chunks, so a single search's facet counts are complete. */
export function find(pagefind, parts, filters, counted) {
  var query = Boolean(parts);
  parts = parts || [null];
  var options = { filters: filters };
  return Promise.all(parts.map(function (part) { return pagefind.search(part, options); })).then(function (searches) {
    if (searches.some(function (search) { return !search; })) return null;
    var byId = searches.map(function (search) {
      var map = {};
      search.results.forEach(function (result) { map[result.id] = result; });
      return map;
    });
    var results = searches[0].results.filter(function (result) {
      return byId.every(function (map) { return map[result.id]; });
    }).map(function (result, order) {
      var score = byId.reduce(function (sum, map) { return sum + (map[result.id].score || 0); }, 0);
      return { result: result, score: score, order: order };
    });
    results.sort(query ? byScore : byNumber);
    var single = searches.length === 1;
    return {
      results: results,
      counts: single && counted ? searches[0].filters : null,
      recount: single ? function () {
        return pagefind.search(parts[0], options).then(function (search) { return search.filters; });
      } : null,
    };
  });
}
