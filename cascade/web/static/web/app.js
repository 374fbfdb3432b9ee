// Cascade staff app: the few behaviours that need a script (htmx does the rest).
document.addEventListener("change", function (event) {
  // The language switcher changes language as soon as one is chosen.
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.requestSubmit();
  }
});
