// On a narrow screen the main menu folds behind a "Menu" button. Without JavaScript the menu
// simply stays open: the button and the folding exist only once this script has run.
(function () {
  var nav = document.querySelector(".site-nav");
  var button = nav && nav.querySelector(".nav-toggle");
  if (!button) return;
  nav.setAttribute("data-collapsible", "");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", open ? "false" : "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      button.setAttribute("aria-expanded", "false");
      button.focus();
    }
  });
})();
