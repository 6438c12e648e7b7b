// The export page's "全选" box (templates/admin/import_export/export.html): ticks or clears every column of the
// chosen sheet, and follows the columns when they are ticked one by one. A file, as the CSP forbids inline handlers.
(function () {
  "use strict";

  function columnBoxes() {
    return Array.prototype.filter.call(
      document.querySelectorAll('.selectable-field-export-row input[type="checkbox"]'),
      function (box) {
        return box.id !== "id_select_all_fields" && box.closest(".selectable-field-export-row").style.display !== "none";
      }
    );
  }

  function start() {
    var toggle = document.getElementById("id_select_all_fields");
    if (!toggle) {
      return;
    }
    toggle.addEventListener("change", function () {
      columnBoxes().forEach(function (box) { box.checked = toggle.checked; });
    });
    document.addEventListener("change", function (event) {
      var box = event.target;
      if (box === toggle || !box.closest || !box.closest(".selectable-field-export-row")) {
        return;
      }
      var boxes = columnBoxes();
      var ticked = boxes.filter(function (each) { return each.checked; }).length;
      toggle.checked = ticked === boxes.length;
      toggle.indeterminate = ticked > 0 && ticked < boxes.length;
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
