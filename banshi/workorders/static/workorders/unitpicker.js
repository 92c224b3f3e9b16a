/* The searchable unit picker of the dispatch forms and the ledger's forms: results (quick picks
   or an htmx search) are buttons; a click sets the single hidden input (lead unit) or adds a
   removable chip with a hidden input (co-units, at most data-max). A picker inside a repeated
   row is found from the clicked result itself, so rows never pick for one another. A picker
   with data-place-from sends the ids picked in those other pickers of its form. Messages come
   translated in data-* attributes. */
(function () {
  "use strict";
  function pickerOf(button) {
    var own = button.closest(".unitpicker");
    if (own && own.dataset.name === button.dataset.target) return own;
    var form = button.closest("form");
    return form && form.querySelector('.unitpicker[data-name="' + button.dataset.target + '"]');
  }
  document.addEventListener("click", function (event) {
    var chip = event.target.closest(".unitpicker .chip");
    if (chip) {
      var holder = chip.parentElement;
      chip.remove();
      if (!holder.querySelector(".chip")) {
        var none = document.createElement("span");
        none.className = "muted";
        none.setAttribute("data-empty", "");
        none.textContent = holder.closest(".unitpicker").dataset.none || "";
        holder.appendChild(none);
      }
      return;
    }
    var button = event.target.closest("[data-pick-id]");
    if (!button) return;
    var picker = pickerOf(button);
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
    var added = document.createElement("button");
    added.type = "button";
    added.className = "chip";
    added.title = picker.dataset.remove;
    added.textContent = name + " ×";
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = picker.dataset.name;
    input.value = id;
    added.appendChild(input);
    shown.appendChild(added);
  });
  // Enter in a picker's search box searches; it must not submit the whole form.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.closest(".unitpicker input[type=search]")) {
      event.preventDefault();
    }
  });
  // A search that depends on other choices of the form (the units serving the chosen place,
  // the leaders of the chosen unit) sends what was picked there, under the same names.
  document.addEventListener("htmx:configRequest", function (event) {
    var picker = event.target.closest && event.target.closest(".unitpicker[data-place-from]");
    var form = picker && picker.closest("form");
    if (!form) return;
    picker.dataset.placeFrom.split(" ").forEach(function (field) {
      if (!field) return;
      var values = [];
      form.querySelectorAll('input[type=hidden][name="' + field + '"]').forEach(function (input) {
        if (input.value) values.push(input.value);
      });
      event.detail.parameters[field] = values.join(",");
    });
  });
})();
