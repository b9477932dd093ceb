// Keeps the reader's place on a page of buttons that each reload it (ranking papers): the scroll position and
// the focus come back after the reload. Without JavaScript the server's answer returns to the changed row's
// anchor instead.
(function () {
  "use strict";
  var key = "keep-place:" + window.location.pathname;
  var saved = null;
  try { saved = JSON.parse(window.sessionStorage.getItem(key) || "null"); } catch (ignored) { saved = null; }
  window.sessionStorage.removeItem(key);
  // After "load": the browser's own jump to the anchor comes first and would undo the scroll.
  if (saved) { window.addEventListener("load", restore); }
  function restore() {
    window.scrollTo(0, saved.y);
    var again = document.querySelector('form input[name="paper"][value="' + saved.paper + '"] ~ button[value="' + saved.action + '"]');
    var row = document.getElementById((saved.action === "remove" ? "paper-" : "rank-") + saved.paper);
    var target = again || row;
    if (target) { target.focus({ preventScroll: true }); }
  }
  document.querySelectorAll(".keeps-place form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter || form.querySelector("button");
      var paper = form.querySelector('input[name="paper"]');
      window.sessionStorage.setItem(key, JSON.stringify({
        y: window.scrollY, action: button ? button.value : "", paper: paper ? paper.value : ""
      }));
    });
  });
})();
