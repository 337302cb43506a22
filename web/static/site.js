// Progressive enhancement only: every page works without this file.
// Moves focus to the error summary after a failed form post, so screen-reader and
// keyboard users hear what went wrong first.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
});
