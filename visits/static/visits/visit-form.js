// Autosave of the visit form: every answer is posted as soon as it changes, so a lost
// connection loses at most the current answer. Without JavaScript each section's
// "Save" button posts the whole section instead (the same server code).
(function () {
  "use strict";
  var form = document.querySelector("form.visit-form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var url = form.getAttribute("data-autosave");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var latest = 0;  // only the newest save of an item may set its status: saves can overlap

  function save(fieldset) {
    var key = fieldset.getAttribute("data-item");
    var data = new FormData();
    data.append("item", key);
    fieldset.querySelectorAll("input").forEach(function (input) {
      if (input.type === "file") {
        if (input.files.length) { data.append(input.name, input.files[0]); }
      } else if ((input.type !== "radio" && input.type !== "checkbox") || input.checked) {
        data.append(input.name, input.value);
      }
    });
    var status = fieldset.querySelector(".visit-status");
    var mine = ++latest;
    fieldset.setAttribute("data-save", mine);
    status.textContent = "…";
    fetch(url, { method: "POST", body: data, headers: { "X-CSRFToken": token }, credentials: "same-origin" })
      .then(function (response) { return response.json().then(function (body) { return [response.ok, body]; }); })
      .then(function (result) {
        if (fieldset.getAttribute("data-save") !== String(mine)) { return; }
        fieldset.classList.toggle("visit-item--error", !result[0]);
        status.textContent = result[0] ? "✓" : result[1].error;
      })
      .catch(function () {
        if (fieldset.getAttribute("data-save") === String(mine)) { status.textContent = "⚠"; }
      });
  }

  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset[data-item]");
    if (fieldset) { save(fieldset); }
  });
})();
