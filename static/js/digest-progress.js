// The live progress bar of a digest report being built: polls the report's status (same origin) and
// reloads the page when the report is done or failed. Without JavaScript the page's meta refresh does it.
(function () {
  "use strict";
  var bar = document.getElementById("digest-progress");
  if (!bar || !bar.dataset.statusUrl) { return; }
  var label = document.getElementById("digest-status");
  var refresh = document.querySelector("meta[http-equiv=refresh]");
  if (refresh) { refresh.parentNode.removeChild(refresh); }
  function poll() {
    fetch(bar.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) { window.setTimeout(poll, 5000); return; }
        bar.value = state.progress;
        bar.textContent = Math.round(state.progress * 100) + "%";
        if (label) { label.textContent = state.status_label; }
        if (state.status === "done" || state.status === "failed") { window.location.reload(); return; }
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
