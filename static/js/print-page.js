// Buttons marked data-print-page open the browser's print dialog (CSP forbids inline handlers).
document.querySelectorAll("[data-print-page]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
