// Behaviour shared by every page, bound from data attributes: the Content-Security-Policy forbids inline scripts
// and on* handler attributes, so templates say what they need (data-print, data-autosubmit, …) and this file does it.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    const target = event.target.closest("[data-print], [data-history-back]");
    if (!target) return;
    if (target.hasAttribute("data-print")) {
      window.print();
    } else if (window.history.length > 1) {
      window.history.back();
    } else {
      window.location.href = "/";
    }
  });

  // A select that applies itself (e.g. the criteria set of a dashboard): submit its form on change.
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-autosubmit]") && event.target.form) event.target.form.submit();
  });

  // A page opened for printing (?print=1) prints itself once loaded.
  window.addEventListener("load", function () {
    if (document.querySelector("[data-print-on-load]")) window.print();
  });
})();
