{% autoescape off %}/* Service worker of the mediators' tablet app: keeps the app and the day's rosters offline. */
"use strict";

const CACHE = "tablette-v{{ version }}";
const SHELL = {{ shell_json }};
const LOGIN_URL = "{{ login_url }}";
const STATIC_PREFIX = "{{ static_prefix }}";
// On a weak signal a request can hang for a minute: past this delay, answer from the cache.
const NETWORK_TIMEOUT_MS = 5000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      // One missing file must not stop the others from being cached.
      Promise.all(SHELL.map((url) => cache.add(new Request(url, { credentials: "same-origin" })).catch(() => null)))
    ).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith("tablette-") && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  const fromNetwork = fetch(request).then(async (response) => {
    // A redirect to the login page or an error must not replace the cached roster.
    if (response.ok && !response.redirected) {
      await cache.put(request, response.clone());
    }
    return response;
  });
  const timeout = new Promise((resolve) => setTimeout(resolve, NETWORK_TIMEOUT_MS, null));
  try {
    const response = await Promise.race([fromNetwork, timeout]);
    if (response) return response;
  } catch (error) {
    // Offline: fall through to the cache.
  }
  const cached = await cache.match(request, { ignoreSearch: true, ignoreVary: true });
  if (!cached) return fromNetwork;
  // Said so, for the app: a copy must not replace fresher data it already shows.
  const headers = new Headers(cached.headers);
  headers.set("X-Tablette-Cache", "1");
  return new Response(cached.body, { status: cached.status, statusText: cached.statusText, headers });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(LOGIN_URL) || url.pathname === "{{ sw_url }}") return;
  if (SHELL.includes(url.pathname) || url.pathname.startsWith(STATIC_PREFIX)) {
    event.respondWith(networkFirst(request));
  }
});

self.addEventListener("message", (event) => {
  if (event.data === "clear") {
    event.waitUntil(caches.delete(CACHE));
  }
});
{% endautoescape %}
