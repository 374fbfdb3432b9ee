// Cascade staff app: the few behaviours that need a script (htmx does the rest).
document.addEventListener("change", function (event) {
  // The language switcher changes language as soon as one is chosen.
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.requestSubmit();
  }
});

// Keys (includes/key.html): the copy button shows where the clipboard can be written; the status
// line says "Copied" to screen readers too (aria-live). Without a script the key is selectable text.
document.addEventListener("DOMContentLoaded", function () {
  if (!navigator.clipboard) return;
  document.querySelectorAll("button[data-copy-key]").forEach(function (button) { button.hidden = false; });
});
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-copy-key]");
  if (!button) return;
  var status = button.parentElement.querySelector(".key-status");
  navigator.clipboard.writeText(button.dataset.copyKey).then(function () {
    status.textContent = status.dataset.copied;
  }, function () {
    status.textContent = status.dataset.failed;
  });
  window.setTimeout(function () { status.textContent = ""; }, 4000);
});
