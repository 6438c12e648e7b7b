/*
 * The header's menu and the folded filters, where Bootstrap's JavaScript is not loaded (the villagers' pages
 * leave it out to stay small on 3G): a [data-bs-toggle=collapse] button shows or hides its target, a
 * [data-bs-toggle=dropdown] link opens its menu, which a click elsewhere or Escape closes.
 */
(function () {
  "use strict";
  if (window.bootstrap) { return; } // staff pages: Bootstrap does it

  function closeMenus(except) {
    document.querySelectorAll(".dropdown-menu.show").forEach(function (menu) {
      if (menu === except) { return; }
      menu.classList.remove("show");
      var toggle = menu.parentNode.querySelector("[data-bs-toggle=dropdown]");
      if (toggle) { toggle.setAttribute("aria-expanded", "false"); }
    });
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-bs-toggle]");
    if (!toggle) { closeMenus(null); return; }
    var kind = toggle.getAttribute("data-bs-toggle");
    if (kind === "collapse") {
      var target = document.querySelector(toggle.getAttribute("data-bs-target") || toggle.getAttribute("href"));
      if (!target) { return; }
      event.preventDefault();
      var open = target.classList.toggle("show");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    } else if (kind === "dropdown") {
      var menu = toggle.parentNode.querySelector(".dropdown-menu");
      if (!menu) { return; }
      event.preventDefault();
      closeMenus(menu);
      toggle.setAttribute("aria-expanded", menu.classList.toggle("show") ? "true" : "false");
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { closeMenus(null); }
  });
})();
