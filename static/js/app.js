// Small progressive enhancements only: every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Move keyboard and screen-reader focus to a form's error summary.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});
