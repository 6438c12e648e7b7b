/*
 * The issue form checks itself before anything is sent over a weak signal: the required fields, and the phone
 * number against the pattern the server accepts. Each problem is told in Chinese (the server's own words, from
 * data-required-message / data-pattern-message) under its field and in a summary at the top that links to each;
 * the first field to fix gets the focus and is scrolled into view. Without this script the browser's own check
 * runs (required, pattern), and the server checks everything again whatever happened here.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-issue-form]");
  var summary = document.querySelector("[data-check-summary]");
  if (!form || !form.checkValidity) { return; }
  form.noValidate = true; // the checks below speak Chinese and show every problem at once

  function checkedFields() {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.willValidate && (field.hasAttribute("data-required-message") || field.hasAttribute("pattern"));
    });
  }

  function messageFor(field) {
    var validity = field.validity;
    if (validity.valueMissing) { return field.getAttribute("data-required-message"); }
    if (validity.patternMismatch) { return field.getAttribute("data-pattern-message"); }
    return validity.valid ? "" : field.validationMessage;
  }

  function labelOf(field) {
    var label = field.id ? form.querySelector("label[for='" + field.id + "']") : null;
    return label ? label.textContent.trim() : field.name;
  }

  function errorBox(field) {
    return document.getElementById(field.name + "-errors");
  }

  function showError(field, message) {
    var box = errorBox(field);
    if (!box) {
      box = document.createElement("div");
      box.className = "invalid-feedback d-block";
      box.id = field.name + "-errors";
      box.setAttribute("data-testid", "error-" + field.name);
      var wrapper = field.closest(".issue-field") || field.parentNode;
      wrapper.appendChild(box);
    }
    box.textContent = message;
    field.classList.add("is-invalid");
    field.setAttribute("aria-invalid", "true");
    field.setAttribute("aria-describedby", box.id);
  }

  function clearError(field) {
    var box = errorBox(field);
    if (box) { box.parentNode.removeChild(box); }
    field.classList.remove("is-invalid");
    field.removeAttribute("aria-invalid");
    field.removeAttribute("aria-describedby");
  }

  function showSummary(problems) {
    if (!summary) { return; }
    var list = summary.querySelector("ul");
    list.textContent = "";
    problems.forEach(function (problem) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + problem.field.id;
      var format = summary.getAttribute("data-item-format") || "%(label)s: %(error)s";
      link.textContent = format.replace("%(label)s", labelOf(problem.field)).replace("%(error)s", problem.message);
      link.addEventListener("click", function (event) {
        event.preventDefault();
        focusField(problem.field);
      });
      item.appendChild(link);
      list.appendChild(item);
    });
    summary.classList.toggle("d-none", problems.length === 0);
  }

  function focusField(field) {
    // The label and the red words above the field come into view with it, at once: Bootstrap's smooth
    // scrolling would still be under way on a slow phone when the villager starts typing.
    var wrapper = field.closest(".issue-field") || field;
    wrapper.scrollIntoView({ block: "start", behavior: "instant" });
    field.focus({ preventScroll: true });
  }

  form.addEventListener("submit", function (event) {
    // A step of the organization choice sends the form back unjudged (formnovalidate): nothing to check yet.
    if (event.submitter && event.submitter.formNoValidate) { return; }
    var problems = [];
    checkedFields().forEach(function (field) {
      var message = messageFor(field);
      if (message) {
        showError(field, message);
        problems.push({ field: field, message: message });
      } else {
        clearError(field);
      }
    });
    showSummary(problems);
    if (problems.length) {
      // Nothing is sent, and issue_form.js (listening after this) does not mark the form as being sent.
      event.preventDefault();
      event.stopImmediatePropagation();
      focusField(problems[0].field);
    }
  });

  // A field put right loses its red words at once; the summary follows at the next try.
  function recheck(event) {
    var field = event.target;
    if (!field.classList || !field.classList.contains("is-invalid") || !field.willValidate) { return; }
    if (!messageFor(field)) { clearError(field); }
  }
  form.addEventListener("input", recheck);
  form.addEventListener("change", recheck);

  // After the server sent the form back, the first field to fix is in view with the cursor in it.
  var firstInvalid = form.querySelector("[aria-invalid=true]:not([type=hidden])");
  if (firstInvalid) { focusField(firstInvalid); }
})();
