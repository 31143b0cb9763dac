// Quartier's service worker: the app keeps working without a connection, so a
// person who answers a survey can reload the page offline and carry on. Their
// answers and the survey itself are kept by the app in localStorage
// (frontend/src/pages/survey/saved.rs); this worker keeps the app's files.
//
// - /assets/* are content-hashed, so a cached copy is always right: cache first.
// - Pages (navigations) and other files: network first, the cached copy offline.
//   Every page but the answering app's is the same index.html, so any cached page
//   serves any address; an answering page (answer.html with its survey) and the code
//   page (answer.html too) are kept under their own addresses.
// - The API is never cached here.

const CACHE = "quartier-app-v1";
const SHELL = "/index.html";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.add(new Request("/", { cache: "reload" })).then(
      () => caches.match("/").then((r) => r && cache.put(SHELL, r)),
    )).catch(() => undefined).then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// The page sends the files it loaded before this worker took over.
self.addEventListener("message", (event) => {
  const urls = event.data && event.data.cache;
  if (Array.isArray(urls)) {
    event.waitUntil(
      caches.open(CACHE).then((cache) =>
        Promise.all(urls.map((url) =>
          cache.match(url).then((hit) => hit || cache.add(url).catch(() => undefined)))),
      ),
    );
  }
});

// An answering page (/s/…) is the answering app's page, with its survey's first paint
// (backend/src/web.rs), and so is the code page (/code). Each is kept under its own
// address, so that it reloads offline with the answering app, whose files are the ones
// kept; never as the shell, which would start the answering app (and show a survey's
// first paint) on every page opened offline.
function isAnsweringPage(request) {
  const path = new URL(request.url).pathname;
  return path.startsWith("/s/") || path === "/code" || path === "/code/";
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  const navigation = request.mode === "navigate";
  try {
    const response = await fetch(request);
    if (response.ok && (!navigation || isAnsweringPage(request))) {
      cache.put(request, response.clone());
    } else if (response.ok) {
      cache.put(SHELL, response.clone());
    }
    return response;
  } catch (error) {
    // The page's address may have lost or gained a query (?code=…) since it was kept.
    const page = navigation && isAnsweringPage(request)
      ? await cache.match(request, { ignoreSearch: true })
      : undefined;
    const hit = page || await cache.match(navigation ? SHELL : request);
    if (hit) {
      return hit;
    }
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) {
    return hit;
  }
  const response = await fetch(request);
  if (response.ok) {
    cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) {
    return;
  }
  event.respondWith(url.pathname.startsWith("/assets/") ? cacheFirst(request) : networkFirst(request));
});
