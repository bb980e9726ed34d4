// Date picker for every date box (drugfree.forms.DateInput marks them data-datepicker): flatpickr, vendored in
// static/vendor/flatpickr/ (MIT). It shows and accepts dd/mm/yyyy as on the paperwork, and typing still works.
(function () {
  "use strict";
  if (typeof window.flatpickr !== "function") return;

  const TYPED = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/;

  // Strict dd/mm/yyyy: 31/02/2026 is no date (flatpickr's own parser would quietly make it 03/03/2026).
  function parseDate(text) {
    const parts = TYPED.exec(text || "");
    if (!parts) return undefined;
    const day = Number(parts[1]), month = Number(parts[2]) - 1, year = Number(parts[3]);
    const date = new Date(year, month, day);
    const real = date.getFullYear() === year && date.getMonth() === month && date.getDate() === day;
    return real ? date : undefined;
  }

  function attach(input) {
    if (input._flatpickr || input.readOnly || input.disabled) return;
    // What the officer typed stays when it is not a date (flatpickr would empty the box): the form says what is wrong.
    input.addEventListener("blur", function () {
      const typed = input.value;
      window.setTimeout(function () {
        if (typed.trim() && !input.value) input.value = typed;
      }, 0);
    });
    const vietnamese = document.documentElement.lang.indexOf("vi") === 0 && window.flatpickr.l10ns.vn;
    window.flatpickr(input, {
      allowInput: true,
      dateFormat: "d/m/Y",
      parseDate: parseDate,
      disableMobile: true, // a phone's own picker shows the phone's format, not dd/mm/yyyy
      locale: vietnamese || "default",
      monthSelectorType: "static",
    });
  }

  function attachAll(root) {
    if (root.matches && root.matches("input[data-datepicker]")) attach(root);
    if (root.querySelectorAll) root.querySelectorAll("input[data-datepicker]").forEach(attach);
  }

  attachAll(document);
  // Content added later: htmx swaps, and rows a form adds in place (static/js/formset.js sends "content:added").
  document.addEventListener("htmx:load", function (event) { attachAll(event.detail.elt); });
  document.addEventListener("content:added", function (event) { attachAll(event.target); });
})();
