// The grading sheet: focus returns to the row just saved (the address names it: #row-<id>), or to the first
// field with a problem; Up and Down move to the same field of the row above or below. Without JavaScript
// the browser still scrolls to the row, and Tab moves through the fields.
(function () {
  "use strict";
  var form = document.getElementById("sheet-form");
  if (!form) { return; }

  var problem = form.getAttribute("data-focus");
  var row = window.location.hash && document.getElementById(window.location.hash.slice(1));
  var target = problem ? document.getElementById(problem) :
    row && row.tagName === "TR" ? row.querySelector("input:not([type=hidden])") : null;
  // After load: the browser's scroll to the address's #row-<id> would otherwise take the focus away again.
  if (target) { window.addEventListener("load", function () { window.setTimeout(function () { target.focus(); }, 0); }); }

  form.addEventListener("keydown", function (event) {
    var field = event.target;
    var kind = field.name ? field.name.slice(0, 2) : "";
    if ((kind !== "g-" && kind !== "c-") || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) { return; }
    var column = field.closest("td").cellIndex;
    var row = field.closest("tr");
    var found = null;
    while (!found && row) {
      row = event.key === "ArrowDown" ? row.nextElementSibling : row.previousElementSibling;
      found = row && row.cells[column] && row.cells[column].querySelector('input[name^="' + kind + '"]');
    }
    if (found) {
      event.preventDefault();
      found.focus();
      found.select();
    }
  });
})();
