// The grading sheet: focus returns to the row just saved (the address names it: #row-<id>), or to the first
// field with a problem; Up and Down move to the same field of the row above or below. Without JavaScript
// the browser still scrolls to the row, and Tab moves through the fields. A column pasted from a spreadsheet
// (several lines) into a field fills that field and the same field of the rows below, one line each.
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

  function kindOf(field) {
    var kind = field.name ? field.name.slice(0, 2) : "";
    return kind === "g-" || kind === "c-" ? kind : null;
  }

  // The same field (grade or comment) of the same component in the row below (down) or above.
  function neighbour(field, down) {
    var kind = kindOf(field);
    var column = field.closest("td").cellIndex;
    var row = field.closest("tr");
    var found = null;
    while (!found && row) {
      row = down ? row.nextElementSibling : row.previousElementSibling;
      found = row && row.cells[column] && row.cells[column].querySelector('input[name^="' + kind + '"]');
    }
    return found;
  }

  form.addEventListener("keydown", function (event) {
    if (!kindOf(event.target) || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) { return; }
    var found = neighbour(event.target, event.key === "ArrowDown");
    if (found) {
      event.preventDefault();
      found.focus();
      found.select();
    }
  });

  form.addEventListener("paste", function (event) {
    var data = event.clipboardData && event.clipboardData.getData("text/plain");
    if (!kindOf(event.target) || !data) { return; }
    var lines = data.replace(/\r\n?/g, "\n").replace(/\n$/, "").split("\n");
    if (lines.length < 2) { return; }
    event.preventDefault();
    var field = event.target;
    for (var i = 0; i < lines.length && field; i++) {
      field.value = lines[i].split("\t")[0].trim();
      if (i < lines.length - 1) { field = neighbour(field, true); }
    }
    if (field) { field.focus(); }
  });
})();
