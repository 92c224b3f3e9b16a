/* The dispatch assistant's suggestions: a click on a suggested category selects it — in the
   three linked category selects of the intake and citizen forms (see workorders/category.js), or
   in the dispatch form's hidden "category" input. Unit suggestions reuse the unit picker's
   data-pick-id buttons (workorders/unitpicker.js). No HTML is built from text here. */
(function () {
  "use strict";
  if (window.banshiSuggest) return;
  window.banshiSuggest = true;

  function choose(id, value) {
    var select = document.getElementById(id);
    if (!select) return;
    select.value = String(value);
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function mark(button) {
    var box = button.closest(".suggest-options");
    if (!box) return;
    box.querySelectorAll("[data-suggest-category]").forEach(function (b) {
      b.classList.remove("chosen");
      b.setAttribute("aria-pressed", "false");
    });
    button.classList.add("chosen");
    button.setAttribute("aria-pressed", "true");
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-suggest-category]");
    if (!button) return;
    var leaf = button.dataset.suggestCategory;
    var form = button.closest("form");
    var hidden = form && form.querySelector("input[data-suggest-target]");
    if (hidden) {
      hidden.value = leaf;
      mark(button);
      return;
    }
    var parents = (button.dataset.suggestParents || "").split(",");
    if (document.getElementById("id_category_1") && parents.length === 2) {
      choose("id_category_1", parents[0]);
      choose("id_category_2", parents[1]);
    }
    choose("id_category", leaf);
    mark(button);
  });
})();
