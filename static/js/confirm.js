// Ask before an irreversible step: a submit button with data-confirm="question" asks first.
// A form sends once: a second press while the page is loading does nothing (no double drafts).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var button = event.submitter;
  var question = button && button.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
    return;
  }
  if (form.method && form.method.toLowerCase() === "post") {
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "yes";
    if (button) button.setAttribute("aria-disabled", "true");
  }
});
// Coming back to the page (the browser's back button) lets the form send again.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form[data-sending]").forEach(function (form) {
    delete form.dataset.sending;
  });
});

// After a refused form, take the reader to what went wrong: the error summary near the
// form may be far down the page.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.setAttribute("tabindex", "-1");
    summary.focus();
    summary.scrollIntoView({ block: "center" });
  }
});
