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

// A caption that names the seminar's zone also names the reader's own when it differs.
(function () {
  "use strict";
  var own = window.Intl && Intl.DateTimeFormat().resolvedOptions().timeZone;
  var label = { en: "your zone", de: "Ihre Zone" }[document.documentElement.lang || "en"];
  if (!own || !label) { return; }
  document.querySelectorAll(".zone-caption[data-zone]").forEach(function (node) {
    if (node.getAttribute("data-zone") === own) { return; }
    var extra = document.createElement("span");
    extra.className = "own-zone";
    extra.textContent = " (" + label + ": " + own + ")";
    node.appendChild(extra);
  });
})();

// A live region filled after the page has loaded is announced by screen readers (one present from the
// start is not): the receipt's "Version 2 received on time."
(function () {
  "use strict";
  document.querySelectorAll("[data-announce]").forEach(function (region) {
    window.setTimeout(function () { region.textContent = region.getAttribute("data-announce"); }, 300);
  });
  var first = document.querySelector("[autofocus][tabindex='-1']");
  if (first && document.activeElement !== first) { first.focus(); }
})();
