/*
 * Attendance of a 议事会 from a roster of sixty: a search by name, "select all" (of the names the search shows)
 * and a running count. Without this script the same checkboxes work, only without the three helpers.
 */
(function () {
  "use strict";
  document.querySelectorAll("[data-attendance-picker]").forEach(function (picker) {
    var search = picker.querySelector("[data-attendance-search]");
    var all = picker.querySelector("[data-attendance-all]");
    var count = picker.querySelector("[data-attendance-count]");
    var rows = Array.prototype.slice.call(picker.querySelectorAll("[data-attendee]"));
    var format = count ? count.getAttribute("data-format") : "";

    picker.querySelectorAll("[data-needs-js]").forEach(function (element) { element.classList.remove("d-none"); });

    function boxOf(row) { return row.querySelector("input[type=checkbox]"); }
    function shown() { return rows.filter(function (row) { return !row.hidden; }); }

    function update() {
      var checked = rows.filter(function (row) { return boxOf(row).checked; }).length;
      if (count) {
        count.textContent = format.replace("%(checked)s", String(checked)).replace("%(total)s", String(rows.length));
      }
      if (all) {
        var visible = shown();
        var visibleChecked = visible.filter(function (row) { return boxOf(row).checked; }).length;
        all.checked = visible.length > 0 && visibleChecked === visible.length;
        all.indeterminate = visibleChecked > 0 && visibleChecked < visible.length;
      }
    }

    if (search) {
      search.addEventListener("input", function () {
        var words = search.value.trim();
        rows.forEach(function (row) {
          row.hidden = words !== "" && row.getAttribute("data-name").indexOf(words) === -1;
        });
        update();
      });
      // Enter in the search box must not send the attendance form.
      search.addEventListener("keydown", function (event) { if (event.key === "Enter") { event.preventDefault(); } });
    }
    if (all) {
      all.addEventListener("change", function () {
        shown().forEach(function (row) { boxOf(row).checked = all.checked; });
        update();
      });
    }
    picker.addEventListener("change", function (event) { if (event.target !== all) { update(); } });
    update();
  });
})();
