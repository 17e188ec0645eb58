/* The portal without a connection (issue 12 item 6). Registers the portal's one service
   worker (/portal/sw.js, which keeps visited pages and static files), shows the "offline"
   banner on a saved copy or when the connection drops, queues a check-off made offline in
   IndexedDB with an idempotency key, says what is still waiting, and sends it when the
   connection returns. The server applies a key once, so a check-off sent twice is one log.
   Without JavaScript or service workers the portal works online as before. */
"use strict";

(function () {
  const box = document.querySelector("[data-offline]");
  if (!box) {
    return;
  }
  const banner = box.querySelector("[data-offline-banner]");
  const waiting = box.querySelector("[data-offline-waiting]");
  const CHECK = /^\/portal\/items\/\d+\/check\/$/;
  const PROBLEMS = "portal-offline-problems";
  const savedCopy = document.body.hasAttribute("data-served-offline");

  // --- The service worker ---------------------------------------------------------------
  if ("serviceWorker" in navigator) {
    const controlled = Boolean(navigator.serviceWorker.controller);
    navigator.serviceWorker.register(box.dataset.worker, { scope: box.dataset.scope })
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => {
        if (!controlled && !savedCopy && registration.active) {
          // This page loaded before the worker took control: ask it to keep a copy.
          registration.active.postMessage({ type: "keep-page", url: location.href });
        }
      })
      .catch(() => undefined);
  }

  // --- The queue (IndexedDB) --------------------------------------------------------------
  function withStore(mode, work) {
    return new Promise((resolve, reject) => {
      const opening = indexedDB.open("hep-portal", 1);
      opening.onupgradeneeded = () => opening.result.createObjectStore("checkoffs", { keyPath: "key" });
      opening.onerror = () => reject(opening.error);
      opening.onsuccess = () => {
        const db = opening.result;
        const transaction = db.transaction("checkoffs", mode);
        const request = work(transaction.objectStore("checkoffs"));
        transaction.oncomplete = () => { db.close(); resolve(request.result); };
        transaction.onerror = () => { db.close(); reject(transaction.error); };
      };
    });
  }
  const queued = () => withStore("readonly", (store) => store.getAll());
  const enqueue = (entry) => withStore("readwrite", (store) => store.put(entry));
  const dequeue = (key) => withStore("readwrite", (store) => store.delete(key));

  function newKey() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // --- What the page says -----------------------------------------------------------------
  function showBanner() {
    banner.hidden = navigator.onLine && !savedCopy;
  }

  function say(lines) {
    waiting.replaceChildren(...lines.map((line) => {
      const p = document.createElement("p");
      p.textContent = line;
      return p;
    }));
    waiting.hidden = lines.length === 0;
  }

  function storedProblems() {
    try {
      return JSON.parse(sessionStorage.getItem(PROBLEMS) || "[]");
    } catch (error) {
      return [];
    }
  }

  function render(entries, extra) {
    document.querySelectorAll("[data-waiting-note]").forEach((note) => note.remove());
    for (const entry of entries) {
      const article = entry.entry && document.getElementById(entry.entry);
      if (!article) {
        continue;
      }
      const note = document.createElement("p");
      note.className = "entry__waiting";
      note.dataset.waitingNote = "";
      note.textContent = box.dataset.entryWaiting;
      article.appendChild(note);
      article.querySelectorAll("form[action$='/check/'] button").forEach((b) => { b.disabled = true; });
    }
    const lines = [...storedProblems(), ...(extra || [])];
    if (entries.length) {
      lines.unshift(box.dataset.waiting.replace("{names}", entries.map((e) => e.name).join(", ")));
    }
    say(lines);
  }

  function refresh(extra) {
    return queued().then((entries) => render(entries, extra)).catch(() => undefined);
  }

  // --- Queueing a check-off made offline ----------------------------------------------------
  function queueForm(form) {
    const article = form.closest("article");
    const nameNode = article && article.querySelector(".entry__name");
    const data = new URLSearchParams(new FormData(form));
    const url = new URL(form.action, location.href).pathname;
    return queued().then((entries) => {
      const same = entries.find((e) => e.url === url && e.day === data.get("day") && e.session === data.get("session"));
      if (same) {
        return undefined;
      }
      return enqueue({
        key: newKey(),
        url,
        day: data.get("day"),
        session: data.get("session"),
        body: data.toString(),
        name: nameNode ? nameNode.textContent.trim() : "",
        entry: article ? article.id : "",
        queuedAt: Date.now(),
      });
    }).then(() => refresh());
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || navigator.onLine || form.method.toLowerCase() !== "post") {
      return;
    }
    // Before htmx (capture phase): no request is tried without a connection.
    event.preventDefault();
    event.stopImmediatePropagation();
    if (CHECK.test(new URL(form.action, location.href).pathname)) {
      queueForm(form);
    } else {
      refresh([box.dataset.notNow]);
    }
  }, true);

  // A connection that looked up but failed: the check-off waits too.
  document.addEventListener("htmx:sendError", (event) => {
    const form = event.detail && event.detail.elt && event.detail.elt.closest("form");
    if (form && CHECK.test(new URL(form.action, location.href).pathname)) {
      queueForm(form);
    }
  });

  // --- Sending what waited ------------------------------------------------------------------
  function currentToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function reasonOf(html) {
    const node = new DOMParser().parseFromString(html, "text/html").querySelector(".entry__error");
    return node ? node.textContent.trim() : "";
  }

  let flushing = false;
  async function flush() {
    if (flushing || !navigator.onLine) {
      return;
    }
    flushing = true;
    let sent = 0;
    const problems = [];
    try {
      for (const entry of await queued()) {
        const body = new URLSearchParams(entry.body);
        const token = currentToken() || body.get("csrfmiddlewaretoken") || "";
        body.set("csrfmiddlewaretoken", token);
        let response;
        try {
          response = await fetch(entry.url, {
            method: "POST",
            credentials: "same-origin",
            headers: {
              "Content-Type": "application/x-www-form-urlencoded",
              "HX-Request": "true",
              "Idempotency-Key": entry.key,
              "X-CSRFToken": token,
            },
            body: body.toString(),
          });
        } catch (error) {
          break; // still no connection: it keeps waiting
        }
        if (response.redirected || response.status === 403) {
          problems.push(box.dataset.signIn);
          break; // signed out: it keeps waiting for the next sign-in
        }
        await dequeue(entry.key);
        if (response.ok) {
          sent += 1;
        } else {
          const reason = reasonOf(await response.text()) || box.dataset.failed;
          problems.push(box.dataset.notSaved.replace("{name}", entry.name).replace("{reason}", reason));
        }
      }
    } catch (error) {
      problems.push(box.dataset.failed);
    } finally {
      flushing = false;
    }
    const reload = (sent > 0 || savedCopy) && !problems.includes(box.dataset.signIn);
    if (reload) {
      // Show what the server now has; problems are said again on the fresh page.
      const kept = problems.filter((line) => line !== box.dataset.signIn);
      if (kept.length) {
        sessionStorage.setItem(PROBLEMS, JSON.stringify(kept));
      }
      location.reload();
      return;
    }
    refresh(problems);
  }

  window.addEventListener("online", () => { showBanner(); flush(); });
  window.addEventListener("offline", showBanner);

  // --- Signing out leaves no copy of the patient's pages on the device ------------------
  document.querySelectorAll("form[action$='/logout/']").forEach((form) => {
    form.addEventListener("submit", () => {
      // Started at once, not awaited: sign-out itself is never held up. The worker also drops
      // the saved pages when a portal page is next sent to sign-in.
      if ("caches" in window) {
        caches.keys()
          .then((names) => Promise.all(names.filter((n) => n.startsWith("portal-pages")).map((n) => caches.delete(n))))
          .catch(() => undefined);
      }
    });
  });

  showBanner();
  refresh().then(() => {
    sessionStorage.removeItem(PROBLEMS);
    flush();
  });
})();
