// A search box in front of each select[data-search-url] (portal/forms/search_select.py): what is typed asks the
// endpoint for at most twenty matches, which replace the options not chosen; chosen options stay.
(function () {
  "use strict";
  function attach(select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = select.dataset.searchPlaceholder || "";
    box.setAttribute("aria-label", box.placeholder);
    box.autocomplete = "off";
    select.parentNode.insertBefore(box, select);
    var timer = null;
    var asked = 0;
    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var term = box.value.trim();
        if (!term) return;
        var mine = ++asked;
        var url = select.dataset.searchUrl + (select.dataset.searchUrl.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(term);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            if (mine !== asked) return;
            var kept = {};
            Array.prototype.slice.call(select.options).forEach(function (option) {
              if (option.selected || option.value === "") kept[option.value] = true;
              else option.remove();
            });
            data.results.forEach(function (row) {
              if (kept[String(row.id)]) return;
              select.add(new Option(row.text, row.id));
            });
          });
      }, 250);
    });
  }
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-search-url]"), attach);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
