// The pledge checklist (pledges/checklist.html): count the ticked boxes as they change, "tick all".
// Convenience only: the saved counts above come from the server after saving.
(function () {
  "use strict";
  const boxes = () => document.querySelectorAll("#pledge-checklist input[name$='-signed']");
  const show = () => { document.getElementById("pledge-ticked").textContent = [...boxes()].filter(b => b.checked).length; };
  document.getElementById("pledge-checklist")?.addEventListener("change", show);
  document.getElementById("pledge-tick-all")?.addEventListener("click", () => { boxes().forEach(b => { b.checked = true; }); show(); });
  if (document.getElementById("pledge-ticked")) show();
})();
