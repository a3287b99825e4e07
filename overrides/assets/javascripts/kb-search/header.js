/* The header's search box on every page (partials/kb/header-search.html): the shortcuts "/" and "s"
 * that focus it (shortcuts), and the panel under it with the best few results of what is typed,
 * ranked as on the search page (headerSearch); the panel's last link opens the search page for all of
 * them. Pagefind is loaded when the box gets the focus, so the index is on its way while the reader
 * types.
 */
import { find, openBundle } from "./bundle.js";
import { chinese } from "./query.js";
import { PAGE_SIZE, rank, rankFirst, renderer, withEarlier } from "./result.js";

/* "/" and "s" focus the search page's box, or else the header's; on a phone, where the header's box
 * is hidden, they open the search page. */
export function shortcuts() {
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

/* The results panel of the header's form ``form``; its configuration is the form's data-kb-config
 * (kb/pages.py header_search_config). */
export function headerSearch(form) {
  var config = JSON.parse(form.getAttribute("data-kb-config"));
  var text = config.text;
  var cut = chinese(config.chars);
  var show = renderer(cut, config.values);
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
    function add(item) {
      if (list.children.length < config.size) list.appendChild(show.render(item.data, q));
    }
    openBundle(form, config.weights).then(function (pagefind) {
      var parts = cut.queryParts(q);
      var titles = cut.titleParts(parts, config.title_mark);
      // Ranked as the search page ranks its first page, so that both show the same best results; where
      // eight titles have the query, from the titles' index alone (rankFirst).
      return rankFirst(pagefind, parts, titles, {}, cut, q, add, live, config.size).then(function (early) {
        if (!live()) return null;
        if (early && early.placed.length >= config.size) {
          shownFor = q;
          status.replaceChildren(cut.textFor(text.titled.replace("{n}", early.titled)));
          return null;
        }
        return find(pagefind, parts, {}, false, titles, early && early.made).then(function (found) {
          if (!live() || !found) return null;
          shownFor = q;
          var head = found.results.slice(0, PAGE_SIZE);
          var shown = withEarlier(head, early && early.placed);
          status.replaceChildren(cut.textFor(head.length ? text.count.replace("{n}", found.results.length) : text.none));
          return rank(head, cut, q, function (item) { if (!shown(item)) add(item); }, live, config.size);
        });
      });
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
    openBundle(form, config.weights).catch(function () {});  // a failure shows when a search runs
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
