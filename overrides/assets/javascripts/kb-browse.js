/* Section pages: filter and sort the server-rendered list in place (by the facets of data/facets.yml:
   each filter is a <select> named after its facet, each entry carries data-facet-<facet>, values joined
   by |; by date or 文号), keeping the choice in the address (?topic=training&sort=number).
   Without JavaScript the form stays hidden and the page is the plain list, newest first.
   Printing: every link in the text is followed by its full address. */
(function () {
  "use strict";

  function compare(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function setUp(form) {
    var list = document.querySelector("[data-kb-list]");
    var flat = list.querySelector("[data-kb-flat]");
    var groups = Array.prototype.slice.call(list.querySelectorAll("[data-kb-group]"));
    var entries = Array.prototype.slice.call(list.querySelectorAll(".kb-entry"));
    var homes = new Map(entries.map(function (li) { return [li, li.parentElement]; }));
    var status = form.querySelector("[data-kb-status]");
    var none = form.querySelector("[data-kb-none]");

    var facets = Array.prototype.slice.call(form.querySelectorAll("select[data-kb-facet]"));

    function wanted() {
      var choice = {};
      facets.forEach(function (select) {
        if (select.value) choice[select.name] = select.value;
      });
      return choice;
    }

    function matches(li, choice) {
      return Object.keys(choice).every(function (name) {
        return (li.getAttribute("data-facet-" + name) || "").split("|").indexOf(choice[name]) >= 0;
      });
    }

    function byDate(a, b) {
      return compare(a.dataset.date, b.dataset.date);
    }

    function arrange(sort) {
      if (sort === "number") {
        // Documents with a 文号 first, in 文号 order; the others after them, newest first.
        entries.slice().sort(function (a, b) {
          var x = a.dataset.number, y = b.dataset.number;
          return compare(!x, !y) || compare(x, y) || -byDate(a, b);
        }).forEach(function (li) { flat.appendChild(li); });
        flat.hidden = false;
        groups.forEach(function (group) { group.hidden = true; });
        return;
      }
      var direction = sort === "date-asc" ? 1 : -1;
      // A stable sort of the page's own order: ties keep the order the server gave them.
      entries.slice().sort(function (a, b) { return direction * byDate(a, b); }).forEach(function (li) {
        homes.get(li).appendChild(li);
      });
      groups.slice().sort(function (a, b) {
        return direction * compare(Number(a.dataset.year), Number(b.dataset.year));
      }).forEach(function (group) {
        list.insertBefore(group, flat);
        group.hidden = !group.querySelector(".kb-entry:not([hidden])");
      });
      flat.hidden = true;
    }

    function apply() {
      var choice = wanted();
      var sort = form.elements.sort.value;
      var shown = 0;
      entries.forEach(function (li) {
        li.hidden = !matches(li, choice);
        if (!li.hidden) shown += 1;
      });
      arrange(sort);
      status.textContent = status.dataset.template
        .replace("{shown}", String(shown)).replace("{total}", String(entries.length));
      none.hidden = shown > 0;
      var params = new URLSearchParams(choice);
      if (sort !== "date-desc") params.set("sort", sort);
      var query = params.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    }

    // Start from the address: a link such as policies/?level=grid opens the page filtered.
    new URLSearchParams(location.search).forEach(function (value, name) {
      var field = form.elements[name];
      if (field && field.tagName === "SELECT" && field.querySelector('option[value="' + CSS.escape(value) + '"]')) {
        field.value = value;
      }
    });
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
