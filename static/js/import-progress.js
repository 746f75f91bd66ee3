// The import job page (templates/admin/claims/upload_job.html): polls the job's status (JSON)
// and moves its progress bars; once the job is done, reloads the page to show the outcome.
// Without JavaScript the page refreshes itself (its <noscript> meta refresh).
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-status-url");
  var number = new Intl.NumberFormat("en-GB");

  function show(status) {
    box.querySelectorAll("[data-field]").forEach(function (element) {
      var value = status[element.getAttribute("data-field")];
      element.textContent = typeof value === "number" ? number.format(value) : value;
    });
    box.querySelectorAll("progress[data-bar]").forEach(function (bar) {
      bar.max = Math.max(status.rows_total, 1);
      bar.value = status[bar.getAttribute("data-bar")];
      bar.textContent = bar.value;
    });
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (status) {
        show(status);
        if (status.is_finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 500);
})();
