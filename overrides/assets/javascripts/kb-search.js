/* X区政策知识库 search.
 *
 * Every page: the header search box, and the shortcuts "/" and "s" that focus it.
 * The search page (search/, en/search/): reads ?q= and the facets from the URL, asks Pagefind
 * (pagefind/pagefind.js, built with the site: no external request), ranks the results (an exact
 * 文号 first; superseded or expired documents below current ones for equal matches), renders them
 * into <ol id="kb-search-results"> with facet counts, and keeps the URL in step so that a search
 * can be bookmarked and shared.
 */
(function () {
  "use strict";

  var PAGE_SIZE = 20;
  var DOC_NUMBER = /^\s*\S+〔\d{4}〕[1-9]\d*号\s*$/;
  var STATE_FACTOR = { current: 1, amended: 0.8, repealed: 0.8, expired: 0.8 };
  var SECTION_FACTOR = { interpretations: 0.85 };   // the interpreted document before its 解读
  var HAN = /([\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef])/g;   // as kb/searchindex.py
  var HAS_HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  var HAN_RUN = /\S*[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]\S*(?:\s+\S*[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]\S*)*/g;
  var PAGE_LANG = document.documentElement.lang;
  var PUNCTUATION = /[\s\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"'“”‘’《》]+/;
  var CJK = "[\\u3000-\\u303f\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef]";
  var JOIN_AFTER = new RegExp("(" + CJK + "(?:</?mark>)*)\\s+", "g");
  var JOIN_BEFORE = new RegExp("\\s+(?=(?:</?mark>)*" + CJK + ")", "g");

  /* The index was built with every Han character standing alone (kb/searchindex.py explains why).
   * A query is cut the same way: each word with Han characters becomes an exact phrase of single
   * characters ("联 席 会 议"), which finds exactly the pages containing 联席会议; the other words
   * (English, numbers) are searched together as usual. Several parts: results must match them all. */
  function queryParts(query) {
    var phrases = [];
    var plain = [];
    // The index keeps punctuation as a gap between words, so no phrase may span it: 〔 〕 。 split too.
    query.split(PUNCTUATION).filter(Boolean).forEach(function (word) {
      if (HAS_HAN.test(word)) phrases.push('"' + word.replace(HAN, " $1 ").replace(/\s+/g, " ").trim() + '"');
      else plain.push(word);
    });
    return plain.length ? phrases.concat([plain.join(" ")]) : phrases;
  }

  /* Title above body text: a title with every word of the query, then one with some of them. */
  function titleFactor(title, words) {
    var lower = title.toLowerCase();
    var hits = words.filter(function (word) { return lower.indexOf(word) >= 0; }).length;
    return hits === words.length ? 3 : hits ? 1.5 : 1;
  }

  /* Excerpts come from the spaced copy: join the characters again. */
  function joinHan(html) {
    // Pagefind also marks its Chinese word boundaries with U+200B.
    return html.replace(/\u200b/g, "").replace(JOIN_AFTER, "$1").replace(JOIN_BEFORE, "");
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

  function searchPage(form) {
    var config = JSON.parse(document.getElementById("kb-search-config").textContent);
    var text = config.text;
    var root = new URL(form.getAttribute("data-kb-root") || "./", location.href);
    var input = form.querySelector("input[name=q]");
    var status = document.getElementById("kb-search-status");
    var list = document.getElementById("kb-search-results");
    var facetsBox = document.getElementById("kb-search-facets");
    var more = document.getElementById("kb-search-more");
    var pagefind = null;
    var ranked = [];
    var shown = 0;
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

    function label(facet, value) {
      var names = config.values[facet];
      return (names && names[value]) || value;
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

    function renderResult(data) {
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
      excerpt.innerHTML = joinHan(data.excerpt);      // Pagefind escapes the text; only <mark> is markup
      markChinese(excerpt);
      return el("li", { "class": "kb-result" }, [heading, details, excerpt]);
    }

    function showMore(token) {
      var batch = ranked.slice(shown, shown + PAGE_SIZE);
      shown += batch.length;
      return Promise.all(batch.map(function (item) { return item.data || item.result.data(); }))
        .then(function (datas) {
          if (token !== generation) return;
          datas.forEach(function (data) { list.appendChild(renderResult(data)); });
          more.hidden = shown >= ranked.length;
        });
    }

    /* Results for all parts of the query (intersected, scores added) and the facet counts. */
    function find(state, filters) {
      var parts = state.q ? queryParts(state.q) : [null];
      var options = { filters: filters, sort: state.q ? undefined : { date: "desc" } };
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
        if (state.q) results.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
        return { results: results, counts: searches.length === 1 ? searches[0].filters : null };
      });
    }

    /* Facet counts of an intersection, from the results' own filter values. */
    function countFilters(items) {
      return Promise.all(items.map(function (item) { return item.data || item.result.data(); })).then(function (datas) {
        var counts = {};
        datas.forEach(function (data, i) {
          items[i].data = data;
          Object.keys(data.filters || {}).forEach(function (facet) {
            counts[facet] = counts[facet] || {};
            data.filters[facet].forEach(function (value) { counts[facet][value] = (counts[facet][value] || 0) + 1; });
          });
        });
        return counts;
      });
    }

    function rank(items, query) {
      // Load the metadata of the best matches to apply validity, section and exact-文号 rules to them.
      var head = items.slice(0, PAGE_SIZE);
      var exact = DOC_NUMBER.test(query) ? query.replace(/\s/g, "") : null;
      var words = query.toLowerCase().split(PUNCTUATION).filter(Boolean);
      return Promise.all(head.map(function (item) { return item.data || item.result.data(); })).then(function (datas) {
        head.forEach(function (item, i) {
          var meta = datas[i].meta || {};
          item.data = datas[i];
          item.score = item.score * titleFactor(meta.title || "", words) *
            (STATE_FACTOR[meta.state] || 1) * (SECTION_FACTOR[meta.section] || 1);
          if (exact && meta.doc_number === exact) item.score = Infinity;
        });
        head.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
        return head.concat(items.slice(head.length));
      });
    }

    function run(state) {
      var token = ++generation;
      writeUrl(state);
      list.textContent = "";
      more.hidden = true;
      ranked = [];
      shown = 0;
      if (!state.q && !Object.keys(state.selected).length) {
        say(text.hint);
        return pagefind.filters().then(function (counts) {
          if (token === generation) renderFacets(state, counts);
        });
      }
      say(text.loading);
      form.setAttribute("aria-busy", "true");
      var filters = {};
      Object.keys(state.selected).forEach(function (facet) { filters[facet] = { any: state.selected[facet] }; });
      return find(state, filters).then(function (found) {
        if (token !== generation || !found) return null;
        var counting = found.counts ? Promise.resolve(found.counts) : countFilters(found.results.slice(0, 200));
        return counting.then(function (counts) {
          if (token !== generation) return null;
          renderFacets(state, counts);
          return state.q ? rank(found.results, state.q) : found.results;
        }).then(function (items) {
          if (token !== generation || !items) return null;
          ranked = items;
          say(items.length ? text.count.replace("{n}", items.length) : text.none);
          return showMore(token);
        });
      })
        .catch(function () { say(text.error); })
        .then(function () { form.removeAttribute("aria-busy"); });
    }

    // On a phone the filters start folded, so the results come first.
    var filtersBox = form.querySelector("[data-kb-search-filters]");
    if (filtersBox && window.matchMedia("(max-width: 44.9375em)").matches) filtersBox.open = false;

    var bundle = new URL("pagefind/pagefind.js", root).href;
    var initial = readUrl();
    input.value = initial.q;
    import(bundle).then(function (module) {
      pagefind = module;
      return pagefind.options({ baseUrl: root.pathname });
    }).then(function () {
      return pagefind.filters();                    // loads the filter chunks, so searches can count
    }).then(function () {
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

  headerShortcuts();
  var page = document.querySelector("[data-kb-search-page]");
  if (page) searchPage(page);
})();
