// Moves keyboard and screen-reader focus to the error summary after a failed submission.
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary[data-autofocus]");
  if (summary) { summary.focus(); }
})();

// A table wider than the screen scrolls inside its .table-wrap; make that region reachable
// and named for keyboard and screen-reader users (WCAG 2.1.1), only where it does scroll.
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        var caption = wrap.querySelector("caption");
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("data-scroll-region", "");
        if (caption) { wrap.setAttribute("aria-label", caption.textContent.trim()); }
      } else if (!scrolls && wrap.hasAttribute("data-scroll-region")) {
        ["tabindex", "role", "aria-label", "data-scroll-region"].forEach(function (name) {
          wrap.removeAttribute(name);
        });
      }
    });
  }
  mark();
  window.addEventListener("resize", mark);
})();
