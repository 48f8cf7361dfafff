// Auto-refresh of the moderator's results table (the page works without it).
(function () {
  "use strict";
  var box = document.getElementById("vote-results-container");
  if (!box) { return; }
  var url = box.getAttribute("data-refresh-url");
  var seconds = parseInt(box.getAttribute("data-refresh-seconds"), 10);
  if (!url || !seconds) { return; }
  function refresh() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("vote-results");
        var current = document.getElementById("vote-results");
        if (fresh && current) { current.replaceWith(document.importNode(fresh, true)); }
      })
      .catch(function () { /* keep the last result on network errors */ });
  }
  window.setInterval(refresh, seconds * 1000);
})();
