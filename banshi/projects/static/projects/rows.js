/* Repeated rows of a ledger form (milestones, meeting decisions, rectification items): the add
   button clones the block's <template> row (and lets htmx wire its picker), the remove button
   removes a row. Rows post as parallel
   lists of the same names; the server drops rows left blank. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-row]");
    if (add) {
      var block = document.getElementById(add.dataset.addRow);
      var template = block && block.querySelector("template");
      if (!template) return;
      var row = template.content.firstElementChild.cloneNode(true);
      block.querySelector("[data-rows-list]").appendChild(row);
      if (window.htmx) window.htmx.process(row);
      var first = row.querySelector("input:not([type=hidden]), textarea");
      if (first) first.focus();
      return;
    }
    var remove = event.target.closest("[data-remove-row]");
    if (remove) {
      var item = remove.closest("[data-row]");
      if (item) item.remove();
    }
  });
})();
