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

export var TITLE_ALL = 3, TITLE_SOME = 1.5;       // a title with every part of the query, with some

/* Results best first, by ``score``; equal ones newest first (``order``: the page's number). */
export function byScore(a, b) {
  return b.score - a.score || a.order - b.order;  // Infinity - Infinity is NaN: then the number
}

/* The page's number: the bundle numbers its pages newest first, in base 36 after the last "/" of their
 * ids (kb/pfmerge.py number_pages). */
function pageNumber(id) {
  return parseInt(id.slice(id.lastIndexOf("/") + 1), 36);
}

/* Results for all ``parts`` of a query (queryParts; intersected, scores added) as {result, base, prior,
 * score, order}: best first; with no query (``parts`` null), everything newest first. Pagefind scores
 * every page that has a phrase (a Chinese word's pairs) alike (1), so the score is raised before any
 * result is loaded by whether its title has the parts: ``titles``, each part as the titles have it or
 * null (titleParts of query.js), are searched too; ``prior`` is TITLE_ALL if the title has every part
 * (a part without a title search counts as had: Pagefind's own score weighs the title there),
 * TITLE_SOME if it has some. rank (result.js) settles the first page with each result's metadata.
 * ``counted``: Pagefind has the filter chunks, so a single search's facet counts are complete.
 * ``made``: the searches rankFirst made for this query already (searchEach). */
export function find(pagefind, parts, filters, counted, titles, made) {
  var query = Boolean(parts);
  parts = parts || [null];
  titles = query ? titles : [null];
  var options = { filters: filters };
  return searchEach(pagefind, parts.concat(titles.filter(Boolean)), filters, made).then(function (found) {
    if (found.some(function (search) { return !search; })) return null;
    var maps = found.map(byId);
    var inBody = maps.slice(0, parts.length);
    var next = parts.length;
    var inTitle = titles.map(function (title) { return title ? maps[next++] : null; });
    function titled(id) {  // how many parts the title has
      return inTitle.filter(function (map) { return !map || map[id]; }).length;
    }
    var results = inAll(found[0], inBody).map(function (result) {
      var base = inBody.reduce(function (sum, map) { return sum + (map[result.id].score || 0); }, 0);
      var had = query ? titled(result.id) : 0;
      return item(result, base, had === parts.length ? TITLE_ALL : had ? TITLE_SOME : 1);
    });
    results.sort(query ? byScore : function (a, b) { return a.order - b.order; });
    var single = parts.length === 1;
    return {
      results: results,
      counts: single && counted ? found[0].filters : null,
      recount: single ? function () {
        return pagefind.search(parts[0], options).then(function (search) { return search.filters; });
      } : null,
    };
  });
}

/* The pages found by every one of ``searches`` (short lists: the titles' pairs of a query's parts, or
 * a 文号 as one word), newest first, as find's results would be with ``base`` and ``prior`` (rankFirst,
 * result.js, settles the first of them before the index of the pages' text is read). null if a newer
 * search has started. ``made``: as searchEach's. */
export function findIn(pagefind, searches, filters, base, prior, made) {
  return searchEach(pagefind, searches, filters, made).then(function (found) {
    if (found.some(function (search) { return !search; })) return null;
    return inAll(found[0], found.map(byId)).map(function (result) {
      return item(result, base, prior);
    }).sort(function (a, b) { return a.order - b.order; });
  });
}

/* Pagefind's search of each of ``terms`` with ``filters``; ``made`` (term → search), if given, keeps
 * them, so that the searches of one query are made once (rankFirst's titles, then find's). */
function searchEach(pagefind, terms, filters, made) {
  made = made || {};
  return Promise.all(terms.map(function (term) {
    return made[term] || (made[term] = pagefind.search(term, { filters: filters }));
  }));
}

/* A search's results by their ids. */
function byId(search) {
  var map = {};
  search.results.forEach(function (result) { map[result.id] = result; });
  return map;
}

/* The results of ``search`` that are in every one of ``maps`` (byId). */
function inAll(search, maps) {
  return search.results.filter(function (result) {
    return maps.every(function (map) { return map[result.id]; });
  });
}

/* One of find's results, its score raised by ``prior`` before its metadata is loaded. */
function item(result, base, prior) {
  return { result: result, base: base, prior: prior, score: base * prior, order: pageNumber(result.id) };
}
