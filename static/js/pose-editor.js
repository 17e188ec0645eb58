// Pose editor: show each range input's number as it moves, and redraw the preview pictures
// from the form's values (fetched from the preview URL; nothing is saved). Without this file
// the "Preview" button does the same with a page load.
(function () {
  "use strict";
  var form = document.querySelector("[data-pose-editor]");
  if (!form) return;
  var status = form.querySelector("[data-pose-status]");
  var timer = null;

  function query() {
    var params = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.type === "submit") return;
      params.append(el.name, el.value);
    });
    return params.toString();
  }

  function redraw() {
    var q = query();
    ["start", "end"].forEach(function (frame) {
      var img = form.querySelector('[data-pose-preview="' + frame + '"]');
      var url = form.getAttribute("data-preview-" + frame) + "?" + q;
      fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) {
          return response.text().then(function (text) {
            if (status) status.textContent = text;
          });
        }
        // A data: URL (allowed by the CSP's img-src), not a second request for the same SVG.
        return response.text().then(function (svg) {
          img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);
          if (status) status.textContent = "";
        });
      });
    });
  }

  form.addEventListener("input", function (event) {
    var el = event.target;
    if (el.type === "range") {
      var output = el.parentNode.querySelector("[data-pose-output]");
      if (output) output.textContent = el.value;
    }
    clearTimeout(timer);
    timer = setTimeout(redraw, 150);
  });
  form.addEventListener("change", function () {
    clearTimeout(timer);
    timer = setTimeout(redraw, 150);
  });
})();
