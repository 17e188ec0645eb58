/* The portal's service worker (served at /portal/sw.js, scope /portal/): shows a reminder
   pushed by the server and opens Today when the patient taps it. No inline code (CSP). */
"use strict";

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = {};
  }
  const url = data.url || "/portal/";
  event.waitUntil(
    self.registration.showNotification(data.title || "Reminder", {
      body: data.body || "",
      tag: "exercise-reminder",
      data: { url },
    })
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || "/portal/";
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      for (const client of windows) {
        if (new URL(client.url).pathname === url && "focus" in client) {
          return client.focus();
        }
      }
      return self.clients.openWindow(url);
    })
  );
});

/* --- Offline (issue 12 item 6) -------------------------------------------------------------
   Portal pages the patient opened (Today, the exercise pages, past days) are fetched from the
   network first and kept; without a connection the kept copy is shown, marked with
   data-served-offline on <body> so the page script shows the "offline" banner. Static files
   are kept on install and answered from the cache first. Check-offs are not touched here: the
   page script queues them (static/js/portal-offline.js). The view that serves this file
   replaces the two constants below (the static URLs, with their hashed names in production,
   and a version that changes with them and with this file). */
const PRECACHE_URLS = [];
const VERSION = "dev";
const PAGES = `portal-pages-${VERSION}`;
const STATIC = `portal-static-${VERSION}`;
const KEPT_PAGE = /^\/portal\/(?:$|items\/\d+\/(?:$|image\/|illustration\/)|days\/)/;

self.addEventListener("install", (event) => {
  event.waitUntil(
    // One by one, a missing file skipped: the worker also carries the push reminders, which
    // must not fail to install because of a static file.
    caches.open(STATIC)
      .then((cache) => Promise.all(PRECACHE_URLS.map((url) => cache.add(url).catch(() => undefined))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((name) => name.startsWith("portal-") && name !== PAGES && name !== STATIC)
          .map((name) => caches.delete(name))
      ))
      .then(() => self.clients.claim())
  );
});

function offlineCopy(response) {
  // Mark the kept page so its script can say it is a saved copy.
  return response.text().then((html) => new Response(
    html.replace("<body", "<body data-served-offline"),
    { status: 200, headers: { "Content-Type": "text/html; charset=utf-8" } }
  ));
}

function notSaved() {
  return new Response(
    "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">" +
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
    "<title>Offline</title></head><body data-served-offline><main>" +
    "<h1>You are offline</h1><p>This page was not saved on this device. " +
    "<a href=\"/portal/\">Open Today</a></p></main></body></html>",
    { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } }
  );
}

async function pageFromNetwork(request) {
  const url = new URL(request.url);
  try {
    const response = await fetch(request);
    const signedOut = response.redirected && !new URL(response.url).pathname.startsWith("/portal/");
    if (signedOut) {
      // Signed out (or another person signs in next): nothing of this patient stays here.
      await caches.delete(PAGES);
    } else if (response.ok && !response.redirected && KEPT_PAGE.test(url.pathname)) {
      // Not a redirect: Today sent on to the pain check must not be kept as Today.
      const cache = await caches.open(PAGES);
      await cache.put(request.url, response.clone());
    }
    return response;
  } catch (error) {
    const cache = await caches.open(PAGES);
    const kept = (await cache.match(request.url)) || (await cache.match(request.url, { ignoreSearch: true }));
    if (!kept) {
      return request.mode === "navigate" ? notSaved() : Response.error();
    }
    return request.mode === "navigate" ? offlineCopy(kept) : kept;
  }
}

async function staticFile(request) {
  const cache = await caches.open(STATIC);
  const kept = await cache.match(request);
  if (kept) {
    return kept;
  }
  const response = await fetch(request);
  if (response.ok) {
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) {
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(staticFile(request));
  } else if (url.pathname.startsWith("/portal/") && !url.pathname.endsWith("/sw.js")) {
    event.respondWith(pageFromNetwork(request));
  }
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "keep-page" && typeof data.url === "string") {
    // The first page, opened before this worker took control: fetch it again to keep it.
    const url = new URL(data.url, self.location.origin);
    if (url.origin === self.location.origin && KEPT_PAGE.test(url.pathname)) {
      event.waitUntil(
        fetch(url.href, { credentials: "same-origin" }).then((response) => {
          if (response.ok && !response.redirected) {
            return caches.open(PAGES).then((cache) => cache.put(url.href, response));
          }
          return undefined;
        }).catch(() => undefined)
      );
    }
  } else if (data.type === "forget") {
    event.waitUntil(caches.delete(PAGES));
  }
});
