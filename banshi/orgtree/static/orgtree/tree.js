/* The org tree's +/− buttons: the first click loads a node's children (htmx GET into its list),
   the next click folds them away again. Replaces an inline onclick, which the CSP forbids. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.toggle[data-children]");
    if (!button || typeof htmx === "undefined") return;
    var list = document.getElementById(button.getAttribute("aria-controls"));
    if (!list) return;
    if (button.getAttribute("aria-expanded") === "true") {
      list.replaceChildren();
      button.setAttribute("aria-expanded", "false");
      button.textContent = "+";
      return;
    }
    button.setAttribute("aria-expanded", "true");
    button.textContent = "−";
    htmx.ajax("GET", button.dataset.children, { target: list, swap: "innerHTML" });
  });
})();
