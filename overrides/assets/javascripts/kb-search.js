/* X区政策知识库 search.
 *
 * Every page: the header search box shows the best results as the reader types, in a panel under it
 * (Enter, or the panel's last link, opens the search page with everything and the facets), and the
 * shortcuts "/" and "s" focus it. Pagefind is loaded when the box gets the focus, so the index is on
 * its way while the reader types.
 * The search page (search/, en/search/): reads ?q= and the facets from the URL, asks Pagefind
 * (pagefind/pagefind.js, built with the site: no external request), ranks the results (an exact
 * 文号 first; superseded or expired documents below current ones for equal matches), renders them
 * into <ol id="kb-search-results"> with facet counts, and keeps the URL in step so that a search
 * can be bookmarked and shared.
 * Speed (issue 8: first result within 500 ms): this script is async and the search page preloads the
 * bundle; each result shows as soon as its place is settled; the filter chunks and facet counts come
 * after the results.
 */
(function () {
  "use strict";

  var PAGE_SIZE = 20;
  var DOC_NUMBER = /^\s*\S+〔\d{4}〕[1-9]\d*号\s*$/;
  var TITLE_ALL = 3, TITLE_SOME = 1.5;               // the most metadata can raise a score: TITLE_ALL
  var STATE_FACTOR = { current: 1, amended: 0.8, repealed: 0.8, expired: 0.8 };
  var SECTION_FACTOR = { interpretations: 0.85 };   // the interpreted document before its 解读
  // The character classes of kb/searchindex.py: Han characters; CJK punctuation and full-width forms.
  var HAN_CHARS = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff";
  var CJK_PUNCTUATION = "\\u3000-\\u303f\\uff00-\\uffef";
  var CJK = "[" + HAN_CHARS + CJK_PUNCTUATION + "]";
  var HAS_HAN = new RegExp("[" + HAN_CHARS + "]");
  var HAN_RUN = new RegExp("\\S*[" + HAN_CHARS + "]\\S*(?:\\s+\\S*[" + HAN_CHARS + "]\\S*)*", "g");
  var PAGE_LANG = document.documentElement.lang;
  var PUNCTUATION = /[\s\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"'“”‘’《》]+/;
  // As kb/searchindex.py: a unit is a Han character, a CJK punctuation mark, or a run of Latin letters
  // and digits; a word of the index is units with nothing between them.
  var UNIT = new RegExp("[A-Za-z0-9]+|[" + HAN_CHARS + CJK_PUNCTUATION + "]", "g");
  var WORD = new RegExp("[A-Za-z0-9" + HAN_CHARS + "]+", "g");
  var EXCERPT_WORD = /(<mark>)?([^\s<]+)(?:<\/mark>)?/g;
  var ENDS_CJK = new RegExp(CJK + "$");
  var STARTS_CJK = new RegExp("^" + CJK);

  /* The index was built from a copy of the pages in which each word with Han characters is cut into
   * overlapping pairs of units: 联席会议 → 联席 席会 会议 议 (kb/searchindex.py explains why). A query is
   * cut the same way: each such word becomes the exact phrase of its pairs ("联席 席会 会议"), which
   * finds exactly the pages containing 联席会议; a single Han character is searched as the start of a
   * word of the copy, which every one of its places is. The other words (English, numbers) are
   * searched together as usual. Several parts: results must match them all. */
  function queryParts(query) {
    var phrases = [];
    var plain = [];
    // The index keeps punctuation as a gap between words, so no phrase may span it: 〔 〕 。 split too.
    query.split(PUNCTUATION).filter(Boolean).forEach(function (word) {
      if (!HAS_HAN.test(word)) return plain.push(word);
      (word.match(WORD) || []).forEach(function (part) {
        var units = part.match(UNIT);
        if (units.length < 2) return plain.push(part);
        phrases.push('"' + units.slice(1).map(function (unit, i) { return units[i] + unit; }).join(" ") + '"');
      });
    });
    return plain.length ? phrases.concat([plain.join(" ")]) : phrases;
  }

  /* Title above body text: a title with every word of the query, then one with some of them. */
  function titleFactor(title, words) {
    var lower = title.toLowerCase();
    var hits = words.filter(function (word) { return lower.indexOf(word) >= 0; }).length;
    return hits === words.length ? TITLE_ALL : hits ? TITLE_SOME : 1;
  }

  function byScore(a, b) {
    return b.score - a.score || a.order - b.order;  // Infinity - Infinity is NaN: then Pagefind's order
  }

  /* Excerpts come from the copy of pairs (queryParts): each word is joined again (联席 席会 会议 议 →
   * 联席会议), and the query's words with Han characters are marked in the joined text; Pagefind's own
   * marks stay on the other words (English ones, matched by their stem). The text is HTML already
   * (Pagefind escapes it); only <mark> is added. */
  function readExcerpt(html, query) {
    var words = [];
    html.replace(/\u200b/g, "").replace(EXCERPT_WORD, function (all, mark, word) {
      words.push({ text: word, mark: Boolean(mark) });
    });
    var out = "";
    words.forEach(function (word, i) {
      var text = word.text;
      if (HAS_HAN.test(text)) {
        // A pair followed by the pair it overlaps shows its first unit; a word's last unit, itself.
        var units = text.match(UNIT) || [text];
        var next = words[i + 1];
        var last = units[units.length - 1];
        if (units.length > 1 && next && HAS_HAN.test(next.text) && next.text.indexOf(last) === 0) {
          text = text.slice(0, text.length - last.length);
        }
      } else if (word.mark) {
        text = "<mark>" + text + "</mark>";
      }
      out += (out && !ENDS_CJK.test(out) && !STARTS_CJK.test(word.text) ? " " : "") + text;
    });
    var han = query.split(PUNCTUATION).filter(function (word) { return HAS_HAN.test(word); });
    if (!han.length) return out;
    var pattern = new RegExp(han.map(function (word) {
      return escapeHtml(word).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }).join("|"), "gi");
    return out.split(/(<mark>[^<]*<\/mark>)/).map(function (part, i) {
      return i % 2 ? part : part.replace(pattern, "<mark>$&</mark>");
    }).join("");
  }

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function headerShortcuts() {
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key !== "/" && event.key !== "s") return;
      var target = event.target;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      var input = document.querySelector("[data-kb-search-page] input[name=q]") ||
        document.querySelector("[data-kb-search-input]");
      if (!input) return;
      event.preventDefault();
      if (input.offsetParent === null) {            // hidden on a phone: open the search page
        input.form.submit();
        return;
      }
      input.focus();
      input.select();
    });
  }

  /* Text for the page. On a page of another language its Chinese runs (untranslated titles, issuers,
   * 文号, excerpts) go in <span lang="zh">, as kb/lang.py marks the pages the build writes. */
  function textFor(value) {
    var fragment = document.createDocumentFragment();
    var last = 0;
    if (PAGE_LANG !== "zh") {
      value.replace(HAN_RUN, function (run, at) {
        var span = document.createElement("span");
        span.lang = "zh";
        span.textContent = run;
        fragment.append(value.slice(last, at), span);
        last = at + run.length;
      });
    }
    fragment.append(value.slice(last));
    return fragment;
  }

  function markChinese(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) if (HAS_HAN.test(walker.currentNode.nodeValue)) nodes.push(walker.currentNode);
    nodes.forEach(function (node) { node.replaceWith(textFor(node.nodeValue)); });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? textFor(child) : child);
    });
    return node;
  }

  /* A facet value's name (config.values: sections, topics, levels, validity labels), or the value. */
  function labeller(values) {
    return function (facet, value) {
      var names = values[facet];
      return (names && names[value]) || value;
    };
  }

  function renderResult(data, label, query) {
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
    excerpt.innerHTML = readExcerpt(data.excerpt, query);   // Pagefind escapes the text; only <mark> is markup
    markChinese(excerpt);
    return el("li", { "class": "kb-result" }, [heading, details, excerpt]);
  }

  /* The Pagefind bundle at ``url``, loaded once per page and started at once: its worker fetches the
   * index's metadata and WebAssembly while the page goes on. ``root`` is the site's root path. */
  var bundles = {};
  function openBundle(form) {
    // The form names its language's bundle, the language of its index, and the site's root path.
    var url = new URL(form.getAttribute("data-kb-bundle"), location.href).href;
    var root = new URL(form.getAttribute("data-kb-root") || "./", location.href).pathname;
    var language = form.getAttribute("data-kb-index-lang");
    if (!bundles[url]) {
      bundles[url] = import(url).then(function (module) {
        return module.options({ baseUrl: root }).then(function () {
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
  function load(item) {
    return item.data ? Promise.resolve(item.data) : item.result.data().then(function (data) { return (item.data = data); });
  }

  /* Results for all parts of the query (intersected, scores added), as {result, score, order}: best
   * first by Pagefind's score; with no query, newest first. ``counted``: Pagefind has the filter
   * chunks, so a single search's facet counts are complete. */
  function find(pagefind, q, filters, counted) {
    var parts = q ? queryParts(q) : [null];
    var options = { filters: filters, sort: q ? undefined : { date: "desc" } };
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
      if (q) results.sort(byScore);
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

  /* ``head``, Pagefind's best matches, ranked again by their metadata (title, validity, section,
   * exact 文号). ``place(item)`` is called for each in its final order as soon as its place is
   * settled, that is when no match still loading could come before it. Resolves to the ranked
   * items; ``live()`` false stops placing (a newer search has started). */
  function rank(head, query, place, live) {
    var exact = DOC_NUMBER.test(query) ? query.replace(/\s/g, "") : null;
    var words = query.toLowerCase().split(PUNCTUATION).filter(Boolean);
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

  function searchPage(form) {
    var config = JSON.parse(document.getElementById("kb-search-config").textContent);
    var text = config.text;
    var label = labeller(config.values);
    var input = form.querySelector("input[name=q]");
    var status = document.getElementById("kb-search-status");
    var list = document.getElementById("kb-search-results");
    var facetsBox = document.getElementById("kb-search-facets");
    var more = document.getElementById("kb-search-more");
    var pagefind = null;
    var filtersLoaded = null;                       // loadFilters(): Pagefind's filter chunks
    var filtersReady = false;
    var ranked = [];
    var shown = 0;
    var shownQuery = "";                            // the query of the results shown
    var generation = 0;

    function say(message) {
      status.replaceChildren(textFor(message));
    }

    function readUrl() {
      var params = new URLSearchParams(location.search);
      var selected = {};
      config.facets.forEach(function (facet) {
        var values = params.getAll(facet).filter(Boolean);
        if (values.length) selected[facet] = values;
      });
      return { q: (params.get("q") || "").trim(), selected: selected };
    }

    function writeUrl(state) {
      var params = new URLSearchParams();
      if (state.q) params.set("q", state.q);
      config.facets.forEach(function (facet) {
        (state.selected[facet] || []).forEach(function (value) { params.append(facet, value); });
      });
      var query = params.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
    }

    function currentState() {
      var selected = {};
      facetsBox.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
        (selected[box.name] = selected[box.name] || []).push(box.value);
      });
      return { q: input.value.trim(), selected: selected };
    }

    function renderFacets(state, counts) {
      facetsBox.textContent = "";
      config.facets.forEach(function (facet) {
        var chosen = state.selected[facet] || [];
        var values = Object.keys(counts[facet] || {}).filter(function (value) {   // no dead ends
          return counts[facet][value] > 0 || chosen.indexOf(value) >= 0;
        });
        chosen.forEach(function (value) { if (values.indexOf(value) < 0) values.push(value); });
        if (!values.length) return;
        var order = config.order[facet] || [];
        values.sort(function (a, b) {
          if (facet === "year") return b.localeCompare(a);
          if (order.length) return order.indexOf(a) - order.indexOf(b);
          return (counts[facet][b] || 0) - (counts[facet][a] || 0) || a.localeCompare(b, "zh");
        });
        var fieldset = el("fieldset", { "class": "kb-search-facet" }, [el("legend", {}, [text["facet_" + facet]])]);
        values.forEach(function (value) {
          var id = "kb-f-" + facet + "-" + value.replace(/\W/g, function (c) { return c.charCodeAt(0).toString(16); });
          var box = el("input", { type: "checkbox", name: facet, value: value, id: id });
          box.checked = chosen.indexOf(value) >= 0;
          var count = (counts[facet] || {})[value] || 0;
          fieldset.appendChild(el("div", { "class": "kb-search-facet__option" }, [
            box, el("label", { "for": id }, [label(facet, value) + " ", el("span", { "class": "kb-search-facet__count" }, ["(" + count + ")"])]),
          ]));
        });
        facetsBox.appendChild(fieldset);
      });
      if (Object.keys(state.selected).length) {
        var clear = el("button", { type: "button", "class": "md-button kb-search-facet__clear" }, [text.clear]);
        clear.addEventListener("click", function () {
          facetsBox.querySelectorAll("input:checked").forEach(function (box) { box.checked = false; });
          run(currentState());
        });
        facetsBox.appendChild(clear);
      }
    }

    /* Pagefind's filter chunks, which it needs to count the facets, loaded once. Only the facets wait
     * for them: the first results need the index chunks alone and come first. */
    function loadFilters() {
      if (!filtersLoaded) {
        filtersLoaded = pagefind.filters();
        filtersLoaded.then(function () { filtersReady = true; }, function () {});   // a failure shows in run
      }
      return filtersLoaded;
    }

    function showMore(token) {
      var batch = ranked.slice(shown, shown + PAGE_SIZE);
      shown += batch.length;
      return Promise.all(batch.map(load)).then(function () {
        if (token !== generation) return;
        batch.forEach(function (item) { list.appendChild(renderResult(item.data, label, shownQuery)); });
        more.hidden = shown >= ranked.length;
      });
    }

    /* Facet counts of an intersection, from the results' own filter values. */
    function countFilters(items) {
      return Promise.all(items.map(load)).then(function (datas) {
        var counts = {};
        datas.forEach(function (data) {
          Object.keys(data.filters || {}).forEach(function (facet) {
            counts[facet] = counts[facet] || {};
            data.filters[facet].forEach(function (value) { counts[facet][value] = (counts[facet][value] || 0) + 1; });
          });
        });
        return counts;
      });
    }

    /* The first page of a query's results, ranked (rank), each shown as soon as its place is settled. */
    function showRanked(query, token) {
      var head = ranked.slice(0, PAGE_SIZE);
      shown = head.length;
      var live = function () { return token === generation; };
      return rank(head, query, function (item) { list.appendChild(renderResult(item.data, label, query)); }, live).then(function (known) {
        if (!live()) return;
        ranked = known.concat(ranked.slice(head.length));
        more.hidden = shown >= ranked.length;
      });
    }

    function run(state) {
      var token = ++generation;
      shownQuery = state.q;
      writeUrl(state);
      list.textContent = "";
      more.hidden = true;
      ranked = [];
      shown = 0;
      if (!state.q && !Object.keys(state.selected).length) {
        say(text.hint);
        return loadFilters().then(function (counts) {
          if (token === generation) renderFacets(state, counts);
        });
      }
      say(text.loading);
      form.setAttribute("aria-busy", "true");
      var filters = {};
      Object.keys(state.selected).forEach(function (facet) { filters[facet] = { any: state.selected[facet] }; });
      return find(pagefind, state.q, filters, filtersReady).then(function (found) {
        if (token !== generation || !found) return null;
        ranked = found.results;
        say(ranked.length ? text.count.replace("{n}", ranked.length) : text.none);
        // The results first, then the facets: counting an intersection loads the results' fragments.
        return (state.q ? showRanked(state.q, token) : showMore(token)).then(function () {
          if (token !== generation) return null;
          if (found.counts) return found.counts;
          return found.recount ? loadFilters().then(found.recount) : countFilters(found.results.slice(0, 200));
        }).then(function (counts) {
          if (token === generation && counts) renderFacets(state, counts);
        });
      })
        .catch(function () { say(text.error); })
        .then(function () { form.removeAttribute("aria-busy"); });
    }

    // On a phone the filters start folded, so the results come first.
    var filtersBox = form.querySelector("[data-kb-search-filters]");
    if (filtersBox && window.matchMedia("(max-width: 44.9375em)").matches) filtersBox.open = false;

    // This language's Pagefind bundle (pagefind/, en/pagefind/); search.html preloads the same URL.
    input.value = readUrl().q;
    openBundle(form).then(function (module) {
      pagefind = module;
      return run(readUrl());                        // the URL, as a search typed meanwhile left it
    }).catch(function () { say(text.error); });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (pagefind) run(currentState());
      else writeUrl({ q: input.value.trim(), selected: readUrl().selected });   // still loading
    });
    facetsBox.addEventListener("change", function () { if (pagefind) run(currentState()); });
    more.addEventListener("click", function () { showMore(generation); });
  }

  /* The header box's results panel (partials/kb/header-search.html): the best few results of what is
   * typed, ranked as on the search page; the last link opens the search page for all of them. */
  function headerSearch(form) {
    var config = JSON.parse(form.getAttribute("data-kb-config"));
    var text = config.text;
    var label = labeller(config.values);
    var input = form.querySelector("[data-kb-search-input]");
    var panel = form.querySelector("[data-kb-search-panel]");
    var status = panel.querySelector("[role=status]");
    var list = panel.querySelector("ol");
    var all = panel.querySelector("[data-kb-search-all]");
    var generation = 0;
    var shownFor = null;
    var timer = null;
    var busy = false;

    function open(isOpen) {
      panel.hidden = !isOpen;
    }

    function run() {
      var q = input.value.trim();
      var token = ++generation;
      var live = function () { return token === generation; };
      if (!q) {
        shownFor = null;
        return open(false);
      }
      if (q === shownFor) return open(true);
      busy = true;
      panel.setAttribute("aria-busy", "true");
      list.textContent = "";
      status.textContent = text.loading;
      all.href = form.action + "?" + new URLSearchParams({ q: q });
      open(true);
      openBundle(form).then(function (pagefind) {
        return find(pagefind, q, {}, false);
      }).then(function (found) {
        if (!live() || !found) return null;
        shownFor = q;
        // Ranked as the search page ranks its first page, so that both show the same best results.
        var head = found.results.slice(0, PAGE_SIZE);
        status.replaceChildren(textFor(head.length ? text.count.replace("{n}", found.results.length) : text.none));
        return rank(head, q, function (item) {
          if (list.children.length < config.size) list.appendChild(renderResult(item.data, label, q));
        }, live);
      }).catch(function () {
        if (live()) status.textContent = text.error;
      }).then(function () {
        if (!live()) return;
        busy = false;
        panel.removeAttribute("aria-busy");
      });
    }

    // A search starts at once; while one is still running, the next waits for a pause in the typing.
    function schedule(event) {
      if (event && event.isComposing) return;       // an input method is still composing the word
      clearTimeout(timer);
      timer = setTimeout(run, busy ? 150 : 0);
    }

    input.addEventListener("focus", function () {
      openBundle(form).catch(function () {});                 // a failure shows when a search runs
    });
    // The panel again, as it was: at once for the results it has, else after a search.
    function reopen() {
      if (input.value.trim() && input.value.trim() === shownFor) open(true);
      else schedule();
    }

    input.addEventListener("click", reopen);
    input.addEventListener("input", schedule);
    input.addEventListener("compositionend", schedule);
    // Arrow keys move between the input and the links of the panel; Escape closes it.
    form.addEventListener("keydown", function (event) {
      var links = Array.prototype.slice.call(panel.querySelectorAll("a"));
      var at = links.indexOf(document.activeElement);
      if (event.key === "Escape" && !panel.hidden) {
        open(false);
        input.focus();
      } else if (event.key === "ArrowDown" && panel.hidden && input.value.trim()) {
        reopen();
      } else if ((event.key === "ArrowDown" || event.key === "ArrowUp") && !panel.hidden && links.length) {
        var next = event.key === "ArrowDown" ? at + 1 : (at < 0 ? links.length : at) - 1;
        if (next < 0) input.focus();
        else links[Math.min(next, links.length - 1)].focus();
      } else {
        return;
      }
      event.preventDefault();
    });
    form.addEventListener("focusout", function (event) {
      if (!form.contains(event.relatedTarget)) open(false);
    });
  }

  headerShortcuts();
  var page = document.querySelector("[data-kb-search-page]");
  if (page) {
    searchPage(page);                               // its own box does what the header panel would
  } else {
    document.querySelectorAll("[data-kb-search-form][data-kb-config]").forEach(headerSearch);
  }
})();
