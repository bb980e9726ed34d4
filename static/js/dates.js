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

  // Attached when a box is first focused: a pledge checklist has a date box per household, and a calendar built for
  // each at load would cost a phone for nothing. Rows added later (htmx, static/js/formset.js) need nothing more.
  function attachAndOpen(event) {
    const input = event.target;
    if (!input.matches || !input.matches("input[data-datepicker]") || input._flatpickr) return;
    attach(input);
    if (input._flatpickr) input._flatpickr.open();
  }
  document.addEventListener("focusin", attachAndOpen);
  document.addEventListener("click", attachAndOpen); // a box focused before this script ran (autofocus)
})();
