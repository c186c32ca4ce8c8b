// vanban: the progress note while a report is read (the pages work without this file).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("report-form");
  if (!form) { return; }
  form.addEventListener("submit", function () {
    var note = document.getElementById("progress");
    var elapsed = document.getElementById("elapsed");
    var button = form.querySelector("button[type=submit]");
    var started = Date.now();
    if (button) { button.disabled = true; }
    if (note) { note.hidden = false; }
    window.setInterval(function () {
      if (elapsed) {
        elapsed.textContent = "(" + Math.round((Date.now() - started) / 1000) + " giây)";
      }
    }, 1000);
  });
});
