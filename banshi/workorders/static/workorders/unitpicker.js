/* The searchable unit picker of the dispatch forms: results (quick picks or an htmx search) are
   buttons; a click sets the single hidden input (lead unit) or adds a removable chip with a
   hidden input (co-units, at most data-max). Messages come translated in data-* attributes. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-pick-id]");
    if (!button) return;
    var form = button.closest("form");
    var picker = form && form.querySelector('.unitpicker[data-name="' + button.dataset.target + '"]');
    if (!picker) return;
    var id = button.dataset.pickId;
    var name = button.dataset.pickName;
    var shown = picker.querySelector("[data-picked]");
    if (!picker.hasAttribute("data-multiple")) {
      picker.querySelector('input[type=hidden][name="' + picker.dataset.name + '"]').value = id;
      shown.textContent = name;
      picker.dispatchEvent(new CustomEvent("picked", { bubbles: true }));
      return;
    }
    if (picker.querySelector('input[type=hidden][value="' + id + '"]')) return;
    var max = parseInt(picker.dataset.max || "5", 10);
    if (picker.querySelectorAll("input[type=hidden]").length >= max) {
      window.alert(picker.dataset.tooMany);
      return;
    }
    var empty = shown.querySelector("[data-empty]");
    if (empty) empty.remove();
    var chip = document.createElement("button");
    chip.type = "button";
    chip.className = "chip";
    chip.title = picker.dataset.remove;
    chip.textContent = name + " ×";
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = picker.dataset.name;
    input.value = id;
    chip.appendChild(input);
    chip.addEventListener("click", function () { chip.remove(); });
    shown.appendChild(chip);
  });
})();
