/* "Remind me on this device": registers the portal's service worker, asks for permission,
   subscribes with the server's VAPID key and sends the subscription to the server. Without
   JavaScript or push support the box stays hidden and e-mail reminders work as before. */
"use strict";

(function () {
  const box = document.querySelector("[data-push]");
  if (!box || !("serviceWorker" in navigator) || !("PushManager" in window) || !box.dataset.key) {
    return;
  }
  box.hidden = false;
  const button = box.querySelector("button");
  const status = box.querySelector("[data-push-status]");
  const csrf = box.querySelector("input[name=csrfmiddlewaretoken]").value;

  function keyBytes(base64url) {
    const padded = (base64url + "===".slice((base64url.length + 3) % 4))
      .replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  }

  button.addEventListener("click", async () => {
    try {
      const permission = await Notification.requestPermission();
      if (permission !== "granted") {
        status.textContent = box.dataset.denied;
        return;
      }
      await navigator.serviceWorker.register(box.dataset.worker, { scope: box.dataset.scope });
      const registration = await navigator.serviceWorker.ready;
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(box.dataset.key),
      });
      const response = await fetch(box.dataset.subscribe, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify(subscription.toJSON()),
      });
      status.textContent = response.ok ? box.dataset.done : box.dataset.failed;
    } catch (error) {
      status.textContent = box.dataset.failed;
    }
  });
})();
