// Activity pages: a form marked data-once is sent once, however many times a shaky thumb taps its button.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.hasAttribute || !form.hasAttribute("data-once")) return;
  if (form.dataset.sent === "yes") {
    event.preventDefault();
    return;
  }
  form.dataset.sent = "yes";
  form.querySelectorAll("button[type=submit]").forEach(function (button) {
    button.classList.add("disabled");
    button.setAttribute("aria-disabled", "true");
  });
});
