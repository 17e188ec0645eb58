// Automatic logoff warning for staff (clinic/sessions.py). Without this file nothing is lost:
// the server signs an idle session out and the next request asks to sign in again.
(function () {
  var box = document.getElementById("session-warning");
  if (!box) {
    return;
  }
  var idle = parseInt(box.getAttribute("data-idle-seconds"), 10) * 1000;
  var warn = parseInt(box.getAttribute("data-warn-seconds"), 10) * 1000;
  var loginUrl = box.getAttribute("data-login-url");
  var form = box.querySelector("form");
  var warnTimer = null;
  var endTimer = null;

  function signedOut() {
    // Leave the page, so patients' data does not stay on an unattended screen.
    window.location.assign(loginUrl);
  }

  function schedule() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    box.hidden = true;
    warnTimer = window.setTimeout(function () {
      box.hidden = false;
      box.querySelector("button").focus();
    }, Math.max(idle - warn, 0));
    endTimer = window.setTimeout(signedOut, idle + 2000);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      if (response.ok && !response.redirected) {
        schedule();
      } else {
        signedOut();
      }
    }, signedOut);
  });
  // htmx requests reach the server too, so they count as activity.
  document.addEventListener("htmx:afterRequest", schedule);
  schedule();
})();
