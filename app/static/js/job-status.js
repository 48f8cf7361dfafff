// The job page (templates/jobs/status.html): asks the JSON status every few seconds instead
// of reloading the page, moves the progress bar and shows the download button when the file
// is ready. Without JavaScript the page reloads itself (meta refresh in <noscript>).
(function () {
  "use strict";
  var root = document.querySelector("[data-job-status]");
  if (!root || !window.fetch) { return; }
  var url = root.getAttribute("data-job-status");
  var bar = root.querySelector(".job-progress");
  var percent = root.querySelector(".job__percent");
  var heading = root.querySelector(".job__heading");
  var parts = {
    running: root.querySelector(".job__running"),
    finished: root.querySelector(".job__finished"),
    failed: root.querySelector(".job__failed")
  };
  var delay = 1000;
  var failures = 0;

  function show(state) {
    parts.running.hidden = state !== "queued" && state !== "started";
    parts.finished.hidden = state !== "finished";
    parts.failed.hidden = state !== "failed";
  }

  function update(status) {
    root.setAttribute("data-state", status.state);
    if (status.state === "finished" || status.state === "failed") {
      show(status.state);
      heading.textContent = root.getAttribute("data-text-" + status.state);
      document.title = heading.textContent;
      if (status.download) {
        root.querySelector(".job__download").setAttribute("href", status.download);
      }
      heading.focus();
      return false;
    }
    bar.value = status.progress;
    bar.textContent = status.progress + " %";
    percent.textContent = status.progress + " %";
    return true;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 404) { failures = 5; }
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (status) {
        failures = 0;
        if (update(status)) {
          delay = Math.min(delay * 1.3, 4000);
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () {
        // A network hiccup: try again a few times; a 404 (expired, not yours) ends it.
        failures += 1;
        if (failures < 5) { window.setTimeout(poll, 4000); } else { update({ state: "failed" }); }
      });
  }

  var state = root.getAttribute("data-state");
  if (state === "queued" || state === "started") { window.setTimeout(poll, delay); }
}());
