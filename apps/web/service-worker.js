/* The desk's service worker (hand-rolled; vite.config.ts prepends SHELL, the built files, and emits it as /sw.js).
 * App shell cache-first, so a desk page opens again with no network; the session and branch list
 * network-first with the last answer kept, so the page knows who is signed in while offline. Every
 * other API call goes to the network untouched: offline, the desk queues writes itself (IndexedDB). */
/* global SHELL, VERSION */
const SHELL_CACHE = `culture-shell-${VERSION}`;
const API_CACHE = 'culture-api';
const API_KEPT = ['/api/me', '/api/branches'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('culture-shell-') && k !== SHELL_CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/socket.io')) return;
  if (url.pathname.startsWith('/api/')) {
    if (API_KEPT.includes(url.pathname)) event.respondWith(networkFirst(request));
    return;
  }
  if (request.mode === 'navigate') {
    // Every page path is the one-page app: its index.html from this build.
    event.respondWith(caches.match('/index.html', { cacheName: SHELL_CACHE }).then((hit) => hit || fetch(request)));
    return;
  }
  event.respondWith(caches.match(request, { cacheName: SHELL_CACHE }).then((hit) => hit || fetch(request)));
});

async function networkFirst(request) {
  try {
    const response = await fetch(request);
    if (response.ok) {
      const copy = response.clone();
      caches.open(API_CACHE).then((cache) => cache.put(request, copy));
    }
    return response;
  } catch (error) {
    const kept = await caches.match(request, { cacheName: API_CACHE, ignoreVary: true });
    if (kept) return kept;
    throw error;
  }
}
