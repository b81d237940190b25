// While an export is being prepared, ask where it stands every few seconds and show the
// page again once it is ready or failed. Without JavaScript, the page's link does the same.
// When an answer does not come (no signal, the session ended), ask less and less often.
(function () {
  "use strict";
  const box = document.querySelector("[data-state-url]");
  if (!box) return;
  const url = box.dataset.stateUrl;
  let every = 2000;
  async function ask() {
    try {
      const response = await fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        redirect: "error",
      });
      if (response.ok) {
        if (!(await response.json()).in_progress) {
          window.location.reload();
          return;
        }
        every = 2000;
      } else {
        every = Math.min(every * 2, 60000);
      }
    } catch (error) {
      every = Math.min(every * 2, 60000);
    }
    window.setTimeout(ask, every);
  }
  window.setTimeout(ask, every);
})();
