/* The search page (search/, en/search/; partials/kb/search.html): reads ?q= and the facets from the
 * URL, asks this language's Pagefind bundle (preloaded by the page), shows the ranked results in
 * <ol id="kb-search-results"> as soon as each one's place is settled, then the facets with their
 * counts, and keeps the URL in step so that a search can be bookmarked and shared.
 */
import { find, load, openBundle } from "./bundle.js";
import { chinese } from "./query.js";
import { PAGE_SIZE, rank, rankFirst, renderer, withEarlier } from "./result.js";

/* The search page of the form ``form``; its configuration is the JSON block #kb-search-config
 * (kb/pages.py search_context). */
export function searchPage(form) {
  var config = JSON.parse(document.getElementById("kb-search-config").textContent);
  var text = config.text;
  var cut = chinese(config.chars);
  var show = renderer(cut, config.values);
  var el = show.el;
  var label = show.label;
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
    status.replaceChildren(cut.textFor(message));
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
      batch.forEach(function (item) { list.appendChild(show.render(item.data, shownQuery)); });
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

  /* The first page of a query's results, ranked (rank), each shown as soon as its place is settled;
   * ``earlier``: those rankFirst placed and showed already. */
  function showRanked(query, token, earlier) {
    var head = ranked.slice(0, PAGE_SIZE);
    var shownBefore = withEarlier(head, earlier);
    shown = head.length;
    var live = function () { return token === generation; };
    return rank(head, cut, query, function (item) {
      if (!shownBefore(item)) list.appendChild(show.render(item.data, query));
    }, live).then(function (known) {
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
    var parts = state.q ? cut.queryParts(state.q) : null;
    var titles = parts && cut.titleParts(parts, config.title_mark);
    // The best results from short lists alone, where they tell them (rankFirst: the titles', a 文号's),
    // shown while the whole index is searched for the rest, their count and the facets.
    var early = parts ? rankFirst(pagefind, parts, titles, filters, cut, state.q, function (item) {
      list.appendChild(show.render(item.data, state.q));
    }, function () { return token === generation; }, PAGE_SIZE) : Promise.resolve(null);
    return early.then(function (first) {
      if (token !== generation) return null;
      return find(pagefind, parts, filters, filtersReady, titles, first && first.made).then(function (found) {
        if (token !== generation || !found) return null;
        ranked = found.results;
        say(ranked.length ? text.count.replace("{n}", ranked.length) : text.none);
        // The results first, then the facets: counting an intersection loads the results' fragments.
        return (state.q ? showRanked(state.q, token, first && first.placed) : showMore(token)).then(function () {
          if (token !== generation) return null;
          if (found.counts) return found.counts;
          return found.recount ? loadFilters().then(found.recount) : countFilters(found.results.slice(0, 200));
        }).then(function (counts) {
          if (token === generation && counts) renderFacets(state, counts);
        });
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
  openBundle(form, config.weights).then(function (module) {
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
