/**
 * switchyard's service worker: precaches every file of the build at install
 * time and answers same-origin GET requests from that cache, so the app works
 * with the network off after its first load. The build step replaces the
 * manifest placeholder below with `{version, files}`.
 */
const MANIFEST = self.__PRECACHE_MANIFEST__;
const CACHE_NAME = `switchyard-${MANIFEST.version}`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE_NAME);
      await cache.addAll(MANIFEST.files);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("switchyard-") && name !== CACHE_NAME) {
          await caches.delete(name);
        }
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  event.respondWith(respond(request));
});

/** Cache first; the network only for files that are not in the manifest. */
async function respond(request) {
  const cache = await caches.open(CACHE_NAME);
  // ignoreVary: the server varies on headers (Origin, Accept-Encoding) that
  // differ between the install-time fetch and a module script request.
  const cached = await cache.match(request, { ignoreSearch: true, ignoreVary: true });
  if (cached) return cached;
  if (request.mode === "navigate") {
    const page = await cache.match("./", { ignoreSearch: true, ignoreVary: true });
    try {
      return await fetch(request);
    } catch (error) {
      if (page) return page;
      throw error;
    }
  }
  return fetch(request);
}
