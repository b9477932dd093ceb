// On a wide screen the header shows its links in one line: the "Menu" disclosure is opened and laid out
// inline. On a phone it stays a menu. Without JavaScript it is a menu at every width.
(function () {
  "use strict";
  var menu = document.querySelector(".nav-menu");
  if (!menu || !window.matchMedia) { return; }
  var wide = window.matchMedia("(min-width: 72rem)");
  function fit() {
    menu.classList.toggle("nav-inline", wide.matches);
    menu.open = wide.matches;
  }
  fit();
  wide.addEventListener("change", fit);
})();
