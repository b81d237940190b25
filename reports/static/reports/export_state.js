// While an export is being prepared, ask where it stands every few seconds and show the
// page again once it is ready or failed. Without JavaScript, the page's link does the same.
(function () {
  "use strict";
  const box = document.querySelector("[data-state-url]");
  if (!box) return;
  const url = box.dataset.stateUrl;
  const every = 2000;
  async function ask() {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok && !(await response.json()).in_progress) {
        window.location.reload();
        return;
      }
    } catch (error) {
      // No signal for a moment: ask again later.
    }
    window.setTimeout(ask, every);
  }
  window.setTimeout(ask, every);
})();
