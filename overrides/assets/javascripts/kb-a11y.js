/* X区政策知识库: keyboard access to boxes that scroll sideways.
 *
 * A wide table (Material wraps each in .md-typeset__scrollwrap), a chart or a row of content tabs that
 * does not fit its column scrolls inside its own box, not the page. Such a box joins the tab order
 * (tabindex="0"), so that a keyboard user can scroll it with the arrow keys (WCAG 2.1.1); a box that
 * fits stays out of it. Checked once the page is laid out and whenever the window is resized.
 */
(function () {
  "use strict";

  var BOXES = ".md-typeset__scrollwrap, .kb-chart, .md-typeset .tabbed-labels";

  function update() {
    document.querySelectorAll(BOXES).forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) box.setAttribute("tabindex", "0");
      else box.removeAttribute("tabindex");
    });
  }

  window.addEventListener("load", update);
  window.addEventListener("resize", update);
})();
