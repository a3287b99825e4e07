/* A result, the same in the header's panel and on the search page: Pagefind's best matches ranked
 * again by their metadata (rank: title, validity, section, exact 文号), and shown as a list item with
 * its title, section, 文号, date, validity and excerpt (renderer).
 */
import { byScore, load } from "./bundle.js";

export var PAGE_SIZE = 20;                          // the matches ranked again; the search page's page
var DOC_NUMBER = /^\s*\S+〔\d{4}〕[1-9]\d*号\s*$/;
var TITLE_ALL = 3, TITLE_SOME = 1.5;               // the most metadata can raise a score: TITLE_ALL
var STATE_FACTOR = { current: 1, amended: 0.8, repealed: 0.8, expired: 0.8 };
var SECTION_FACTOR = { interpretations: 0.85 };   // the interpreted document before its 解读

/* Title above body text: a title with every word of the query, then one with some of them. */
function titleFactor(title, words) {
  var lower = title.toLowerCase();
  var hits = words.filter(function (word) { return lower.indexOf(word) >= 0; }).length;
  return hits === words.length ? TITLE_ALL : hits ? TITLE_SOME : 1;
}

/* ``head``, Pagefind's best matches for ``query``, ranked again by their metadata. ``place(item)`` is
 * called for each in its final order as soon as its place is settled, that is when no match still
 * loading could come before it. Resolves to the ranked items; ``live()`` false stops placing (a newer
 * search has started). ``text``: chinese() of query.js. */
export function rank(head, text, query, place, live) {
  var exact = DOC_NUMBER.test(query) ? query.replace(/\s/g, "") : null;
  var words = text.queryWords(query.toLowerCase());
  // The best a match still loading can do: TITLE_ALL times its score, or first as the exact 文号.
  var bounds = head.map(function (item) { return { score: exact ? Infinity : item.score * TITLE_ALL, order: item.order }; });
  var known = [];
  var placed = 0;
  return Promise.all(head.map(function (item, i) {
    return load(item).then(function (data) {
      var meta = data.meta || {};
      item.score = item.score * titleFactor(meta.title || "", words) *
        (STATE_FACTOR[meta.state] || 1) * (SECTION_FACTOR[meta.section] || 1);
      if (exact && meta.doc_number === exact) item.score = Infinity;
      bounds[i] = null;
      known.push(item);
      known.sort(byScore);
      while (live() && placed < known.length &&
             bounds.every(function (bound) { return !bound || byScore(known[placed], bound) < 0; })) {
        place(known[placed++]);
      }
    });
  })).then(function () { return known; });
}

/* How a page shows results: ``el`` builds an element (its text children marked as Chinese where they
 * are, text.textFor), ``label`` names a facet's value (``values``: sections, topics, levels, validity
 * labels, from the page's configuration), ``render`` makes a result's list item. */
export function renderer(text, values) {
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? text.textFor(child) : child);
    });
    return node;
  }

  /* A facet value's name, or the value. */
  function label(facet, value) {
    var names = values[facet];
    return (names && names[value]) || value;
  }

  function render(data, query) {
    var meta = data.meta || {};
    // Pagefind's URLs are absolute paths that already carry the site's sub-path (options.baseUrl).
    var heading = el("a", { "class": "kb-result__title", href: data.url }, [meta.title || data.url]);
    var details = el("div", { "class": "kb-result__meta" }, []);
    if (meta.section) details.appendChild(el("span", {}, [label("section", meta.section)]));
    if (meta.doc_number) details.appendChild(el("span", { "class": "kb-result__number" }, [meta.doc_number]));
    if (meta.date) details.appendChild(el("time", { datetime: meta.date }, [meta.date]));
    if (meta.state) {
      details.appendChild(el("span", { "class": "kb-badge kb-badge--" + meta.state }, [label("validity", meta.state)]));
    }
    var excerpt = el("p", { "class": "kb-result__excerpt" }, []);
    excerpt.innerHTML = text.readExcerpt(data.excerpt, query);   // Pagefind escapes the text; only <mark> is markup
    text.markChinese(excerpt);
    return el("li", { "class": "kb-result" }, [heading, details, excerpt]);
  }

  return { el: el, label: label, render: render };
}
