/* Section pages: filter and sort the whole section, not only the page shown (by the facets of
   data/facets.yml: each filter is a <select> named after its facet; by date or 文号), keeping the choice
   in the address (?topic=training&sort=number). The section's documents come from its browse.json
   (kb/listings.py), fetched the first time a reader filters or sorts; the matching documents are shown
   in place of the page's own list, a page's worth at a time ("Show more"). Back to no filter and the
   default order, the page shows its own list and pager again.
   Without JavaScript the form stays hidden and the page is the plain list with its pager.
   Printing: every link in the text is followed by its full address. */
(function () {
  "use strict";

  function compare(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function setUp(form) {
    var own = document.querySelector("[data-kb-list]");
    var filtered = document.querySelector("[data-kb-filtered]");
    var results = filtered.querySelector("[data-kb-results]");
    var more = filtered.querySelector("[data-kb-more]");
    var status = form.querySelector("[data-kb-status]");
    var none = form.querySelector("[data-kb-none]");
    var text = JSON.parse(document.getElementById("kb-browse-text").textContent);
    var root = new URL(form.dataset.kbRoot, location.href);
    var facets = Array.prototype.slice.call(form.querySelectorAll("[data-kb-facet]"));
    var loading = null; // the promise of the section's documents
    var matching = [];
    var shown = 0;
    var step = Number(form.dataset.kbStep); // documents shown at a time: as many as on a page of the list

    function documents() {
      if (!loading) {
        loading = fetch(form.dataset.kbBrowse).then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        });
        loading.catch(function () { loading = null; }); // a later change tries again
      }
      return loading;
    }

    function wanted() {
      var choice = {};
      facets.forEach(function (field) {
        var value = field.value.trim();
        if (value) choice[field.name] = value;
      });
      return choice;
    }

    // A menu's value is one of the document's; a typed one is part of one (any case).
    function matches(doc, choice) {
      return Object.keys(choice).every(function (name) {
        var values = doc.f[name] || [];
        if (!form.elements[name].hasAttribute("data-kb-typed")) return values.indexOf(choice[name]) >= 0;
        var part = choice[name].toLowerCase();
        return values.some(function (value) { return value.toLowerCase().indexOf(part) >= 0; });
      });
    }

    // A typed facet's values, offered as the reader types (once the section's documents are in).
    function offer(field) {
      documents().then(function (docs) {
        var list = document.getElementById(field.getAttribute("list"));
        if (list.options.length) return;
        var values = new Set();
        docs.forEach(function (doc) { (doc.f[field.name] || []).forEach(function (v) { values.add(v); }); });
        Array.from(values).sort().forEach(function (value) {
          var option = document.createElement("option");
          option.value = value;
          list.appendChild(option);
        });
      }, function () {});
    }

    function order(docs, sort) {
      // The file's order is the pages' order: in force first, newest first. A choice of sort orders by date or 文号 alone.
      var sorted = docs.slice();
      if (sort === "number") {
        sorted.sort(function (a, b) { return compare(!a.k, !b.k) || compare(a.k, b.k) || -compare(a.d, b.d); });
      } else if (sort === "date-asc") {
        sorted.sort(function (a, b) { return compare(a.d, b.d); });
      } else {
        sorted.sort(function (a, b) { return -compare(a.d, b.d); });
      }
      return sorted;
    }

    // One document as partials/kb/entry.html shows it; text only through textContent.
    function entry(doc) {
      var li = element("li", "kb-entry");
      var link = element("a", "kb-entry__title", doc.t);
      link.href = new URL(doc.u, root).href;
      li.appendChild(link);
      if (doc.c && text.in_chinese) {
        li.appendChild(document.createTextNode(" "));
        li.appendChild(element("span", "kb-entry__lang", text.in_chinese)).lang = "en";
      }
      var meta = element("div", "kb-entry__meta");
      if (doc.n) meta.appendChild(element("span", "kb-entry__number", doc.n));
      if (doc.a.length) meta.appendChild(element("span", "", doc.a.join("、")));
      var time = element("time", "", doc.d);
      time.dateTime = doc.d;
      meta.appendChild(time);
      if (doc.v) meta.appendChild(element("span", "kb-badge kb-badge--" + doc.v, text.validity[doc.v]));
      if (doc.i) meta.appendChild(element("span", "kb-badge kb-badge--internal", text.internal));
      li.appendChild(meta);
      li.appendChild(element("p", "kb-entry__summary", doc.s));
      return li;
    }

    function showMore() {
      matching.slice(shown, shown + step).forEach(function (doc) { results.appendChild(entry(doc)); });
      shown = Math.min(matching.length, shown + step);
      more.hidden = shown >= matching.length;
      status.textContent = status.dataset.template
        .replace("{shown}", String(shown)).replace("{total}", String(matching.length));
    }

    function remember(choice, sort) {
      var params = new URLSearchParams(choice);
      if (sort !== "date-desc") params.set("sort", sort);
      var query = params.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    }

    function apply() {
      var choice = wanted();
      var sort = form.elements.sort.value;
      remember(choice, sort);
      if (!Object.keys(choice).length && sort === "date-desc") {
        own.hidden = false; // the page's own list and pager
        filtered.hidden = true;
        none.hidden = true;
        status.textContent = "";
        return;
      }
      status.textContent = status.dataset.loading;
      documents().then(function (docs) {
        if (JSON.stringify(choice) !== JSON.stringify(wanted()) || sort !== form.elements.sort.value) return; // changed since
        matching = order(docs.filter(function (doc) { return matches(doc, choice); }), sort);
        results.textContent = "";
        shown = 0;
        own.hidden = true;
        filtered.hidden = false;
        none.hidden = matching.length > 0;
        showMore();
      }, function () {
        status.textContent = status.dataset.error;
      });
    }

    // Start from the address: a link such as policies/?level=grid opens the section filtered.
    new URLSearchParams(location.search).forEach(function (value, name) {
      var field = form.elements[name];
      if (field && field.hasAttribute("data-kb-typed")) {
        field.value = value;
      } else if (field && field.tagName === "SELECT" && field.querySelector('option[value="' + CSS.escape(value) + '"]')) {
        field.value = value;
      }
    });
    var typing = null;
    form.querySelectorAll("[data-kb-typed]").forEach(function (field) {
      field.addEventListener("focus", function () { offer(field); });
      field.addEventListener("input", function () {
        clearTimeout(typing);
        typing = setTimeout(apply, 250); // as the reader types, not at every key
      });
    });
    more.addEventListener("click", showMore);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    form.hidden = false;
    apply();
  }

  function showLinkAddresses() {
    document.querySelectorAll(".md-content article a[href]").forEach(function (a) {
      var href = a.getAttribute("href");
      if (href.charAt(0) === "#" || a.classList.contains("headerlink") || a.textContent.trim() === a.href) return;
      a.setAttribute("data-print-url", decodeURI(a.href));
    });
  }

  var form = document.querySelector("[data-kb-filter]");
  if (form && document.querySelector("[data-kb-list]")) setUp(form);
  window.addEventListener("beforeprint", showLinkAddresses);
})();
