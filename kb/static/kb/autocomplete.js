// Knowledge-base autocomplete: suggests article titles while typing; choosing one opens it.
// Plain fetch of a JSON endpoint; every form still works without this script.
(function () {
  "use strict";
  function attach(form) {
    var input = form.querySelector('input[name="q"]');
    var list = input && document.getElementById(input.getAttribute("list"));
    if (!input || !list || form.dataset.kbReady) { return; }
    form.dataset.kbReady = "1";
    var timer = null;
    var urls = {};
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (urls[q]) { window.location.href = urls[q]; return; }
      if (q.length < 2) { list.innerHTML = ""; return; }
      timer = setTimeout(function () {
        fetch(form.dataset.kbAutocomplete + "?q=" + encodeURIComponent(q), {
          credentials: "same-origin", headers: { "Accept": "application/json" }
        }).then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (data) {
            list.innerHTML = "";
            data.results.forEach(function (item) {
              var option = document.createElement("option");
              option.value = item.title;
              urls[item.title] = item.url;
              list.appendChild(option);
            });
          }).catch(function () { /* offline: the form still submits */ });
      }, 200);
    });
  }
  function init() {
    document.querySelectorAll("form[data-kb-autocomplete]").forEach(attach);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
