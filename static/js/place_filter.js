/*
 * A list's place filter (district → town → village) without pressing 筛选: a changed place sends the form at once,
 * without the places below it or an organization chosen elsewhere, and the page comes back with the next list.
 * Without this script the 筛选 button does the same.
 */
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("form[data-place-filter]"), function (form) {
    var steps = form.querySelectorAll("select[data-place-step]");
    Array.prototype.forEach.call(steps, function (select, index) {
      select.addEventListener("change", function () {
        for (var below = index + 1; below < steps.length; below += 1) { steps[below].disabled = true; }
        var organization = form.querySelector("[data-place-organization]");
        if (organization) { organization.disabled = true; }
        form.submit();
      });
    });
  });
})();
