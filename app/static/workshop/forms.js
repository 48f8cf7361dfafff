// Moves keyboard and screen-reader focus to the error summary after a failed submission.
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary[data-autofocus]");
  if (summary) { summary.focus(); }
})();
