/* The mediators' sign-in page. Whoever signs in here is not signed in: the app's offline copy
   left on the tablet (the last mediator's page, name and roster) must go before the app opens,
   or on a weak signal the service worker would serve it to the next mediator. The records
   still pending stay (IndexedDB): the only copy, sent by their author. */
"use strict";

(() => {
  if (!("caches" in window)) return;
  const clearing = caches.keys()
    .then((keys) => Promise.all(keys.filter((key) => key.startsWith("tablette-")).map((key) => caches.delete(key))))
    .catch(() => null);
  const form = document.querySelector("form.tablet-login");
  if (!form) return;
  form.addEventListener("submit", (event) => {
    if (form.dataset.cleared === "true") return;
    event.preventDefault();
    clearing.finally(() => {
      form.dataset.cleared = "true";
      form.submit();
    });
  });
})();
