// Rows a form adds and removes in place (a Django formset): <fieldset data-formset="PREFIX"> holds the rows
// ([data-formset-rows]), a blank row in <template data-formset-empty> (its fields named PREFIX-__prefix__-…) and an
// add button. No inline script: the Content-Security-Policy forbids it.
(function () {
  "use strict";

  function add(fieldset) {
    const prefix = fieldset.getAttribute("data-formset");
    const total = fieldset.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
    const index = Number(total.value);
    const html = fieldset.querySelector("template[data-formset-empty]").innerHTML.replace(/__prefix__/g, index);
    const holder = document.createElement("div");
    holder.innerHTML = html.trim();
    const row = holder.firstElementChild;
    fieldset.querySelector("[data-formset-rows]").appendChild(row);
    total.value = index + 1;
    const first = row.querySelector("input:not([type=hidden]):not([type=checkbox])");
    if (first) first.focus();
  }

  // Removing ticks the row's DELETE box and hides the row: the indexes stay continuous, and Django deletes a saved
  // row and ignores a new one.
  function remove(row) {
    const box = row.querySelector('input[type=checkbox][name$="-DELETE"]');
    if (box) box.checked = true;
    row.hidden = true;
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-formset-add], [data-formset-remove]");
    if (!button) return;
    const fieldset = button.closest("[data-formset]");
    if (!fieldset) return;
    if (button.hasAttribute("data-formset-add")) add(fieldset);
    else remove(button.closest("[data-formset-row]"));
  });
})();
