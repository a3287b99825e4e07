/* A result, the same in the header's panel and on the search page: Pagefind's best matches ranked
 * again by their metadata and text (rank: title, places in the text, validity, section, exact 文号),
 * and shown as a list item with its title, section, 文号, date, validity and excerpt (renderer).
 */
import { byScore, findIn, load, TITLE_ALL, TITLE_SOME } from "./bundle.js";

export var PAGE_SIZE = 20;                          // the matches ranked again; the search page's page
var DOC_NUMBER = /^\s*\S+〔\d{4}〕[1-9]\d*号\s*$/;
// A phrase's further places in the text: each ×1.05, at most ×1.15, less than what a state or a section
// takes away (×0.8, ×0.85), so that of two matches alike the current document stays first, and the 原文.
var MORE_PLACES = 3, PLACE_FACTOR = 0.05;
var STATE_FACTOR = { current: 1, amended: 0.8, repealed: 0.8, expired: 0.8 };
var SECTION_FACTOR = { interpretations: 0.85 };   // the interpreted document before its 解读

/* Title above body text: a title with every word of the query, then one with some of them (as the
 * title's text has them; find, bundle.js, raised the score by what Pagefind matched, ``prior``). */
function titleFactor(title, words) {
  var lower = title.toLowerCase();
  var hits = words.filter(function (word) { return lower.indexOf(word) >= 0; }).length;
  return hits === words.length ? TITLE_ALL : hits ? TITLE_SOME : 1;
}

/* A text with a Chinese word several times is more about it: Pagefind scores every page that has a
 * phrase (its pairs, ``phrases``) alike, so its further places in the page's text (``content``, the copy
 * of pairs) raise the score, by PLACE_FACTOR each, up to MORE_PLACES. */
function placesFactor(content, phrases) {
  var more = phrases.reduce(function (sum, phrase) { return sum + Math.max(0, content.split(phrase).length - 2); }, 0);
  return 1 + PLACE_FACTOR * Math.min(more, MORE_PLACES);
}

/* ``head``, Pagefind's best matches for ``query``, ranked again by their metadata. ``place(item)`` is
 * called for each in its final order as soon as its place is settled, that is when no match still
 * unloaded could come before it, nor ``floor`` (the best score of the matches outside ``head``, if
 * some could come before its last: rankFirst). Only the first ``wanted`` are needed (all of ``head``
 * if not given): fragments load best score first, as many at once as places are still open, and no
 * more once that many are placed (the header's panel needs 8 of 20: a fragment is 3 KB). Resolves to
 * the ranked items loaded; ``live()`` false stops placing and loading (a newer search has started).
 * ``text``: chinese() of query.js. */
export function rank(head, text, query, place, live, wanted, floor) {
  wanted = Math.min(wanted || head.length, head.length);
  var exact = DOC_NUMBER.test(query) ? query.replace(/\s/g, "") : null;
  var words = text.queryWords(query.toLowerCase());
  var phrases = text.queryParts(query).map(text.phrasePairs).filter(Boolean);
  // The best a match not yet loaded can do: its score as found with the most its text can add (its
  // metadata only lowers it), or first as the exact 文号.
  var most = mostFor(phrases);
  var bounds = head.map(function (item) { return { score: exact ? Infinity : item.score * most, order: item.order }; });
  if (floor) bounds.push(floor);
  var known = [];
  var placed = 0;
  var next = 0;
  var loading = 0;
  return new Promise(function (resolve, reject) {
    function settle(i, data) {
      var item = head[i];
      var meta = data.meta || {};
      item.score = item.base * Math.min(item.prior, titleFactor(meta.title || "", words)) *
        placesFactor(data.content || "", phrases) * (STATE_FACTOR[meta.state] || 1) * (SECTION_FACTOR[meta.section] || 1);
      if (exact && meta.doc_number === exact) item.score = Infinity;
      bounds[i] = null;
      known.push(item);
      known.sort(byScore);
      while (live() && placed < known.length &&
             bounds.every(function (bound) { return !bound || byScore(known[placed], bound) < 0; })) {
        place(known[placed++]);
      }
    }
    function more() {
      // head is best score first (find, bundle.js): the next fragment is the one most likely needed.
      while (live() && placed < wanted && next < head.length && loading < wanted - placed) {
        var i = next++;
        loading++;
        load(head[i]).then(function (i, data) {
          loading--;
          settle(i, data);
          more();
        }.bind(null, i), reject);
      }
      if (!loading) resolve(known);
    }
    more();
  });
}

/* What a match's text can add to its score at most: something only if the query has phrases. */
function mostFor(phrases) {
  return phrases.length ? 1 + PLACE_FACTOR * MORE_PLACES : 1;
}

/* The first ``wanted`` results of ``query`` (its ``parts`` and ``titles``: queryParts, titleParts of
 * ``text``, query.js) read from short lists alone (firstSearches), each placed as soon as its place among
 * all of find's results is settled, exactly where rank over them would place it:
 * - a 文号: the document with that number, first wherever it is (the ``floor`` only it passes);
 * - Chinese words: the pages whose title has every one (findIn, bundle.js). Every page with a phrase
 *   scores alike, so such a page scores at least 3 × 0.8 × 0.85 = 2.04 a phrase (a superseded 解读) and
 *   any other at most TITLE_SOME × 1.15 = 1.725 (its places), the ``floor`` each must pass.
 * The header's panel needs no more when eight are placed; the search page shows them while it searches
 * the whole index (whose rank then settles them first again at once: withEarlier). Resolves to {placed:
 * best first; titled: how many pages the short lists found; made: its searches, for find}, or null where
 * they cannot tell. */
export function rankFirst(pagefind, parts, titles, filters, text, query, place, live, wanted) {
  var searches = firstSearches(text, query, parts, titles);
  if (!searches) return Promise.resolve(null);
  var numbered = DOC_NUMBER.test(query);
  var made = {};
  return findIn(pagefind, searches, filters, numbered ? 1 : parts.length, numbered ? 1 : TITLE_ALL, made).then(function (first) {
    if (!first || !live()) return null;
    var placed = [];
    var floor = numbered ? { score: Number.MAX_VALUE, order: -Infinity } :  // order: below every tie
      { score: parts.length * TITLE_SOME * mostFor(parts), order: -Infinity };
    return rank(first.slice(0, PAGE_SIZE), text, query, function (item) {
      placed.push(item);
      place(item);
    }, live, wanted, floor).then(function () {
      return { placed: placed, titled: first.length, made: made };
    });
  });
}

/* The searches of short lists that tell the first results of ``query`` (rankFirst): a 文号 as the one
 * word the index holds it as (text.joined: X政发2021179号, partials/kb/document.html), or the titles'
 * searches (``titles``) if every part has one (not so for English words, which Pagefind ranks itself);
 * otherwise null. */
export function firstSearches(text, query, parts, titles) {
  if (DOC_NUMBER.test(query)) return [text.joined(query)];
  return titles.every(Boolean) ? titles : null;
}

/* ``head`` (find's) with the fragments of the items rankFirst placed, ``earlier``, so that rank
 * settles them at once; returns whether an item is one of them (shown already). */
export function withEarlier(head, earlier) {
  var data = {};
  (earlier || []).forEach(function (item) { data[item.result.id] = item.data; });
  head.forEach(function (item) { if (data[item.result.id]) item.data = data[item.result.id]; });
  return function (item) { return Boolean(data[item.result.id]); };
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
