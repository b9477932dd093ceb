// Names for what the Django admin's scripts build after the page loaded (axe-core, issue 19): they add
// their elements at different times (select2 in jQuery's asynchronous "ready", SelectFilter2 on "load",
// both again for an inline row added later), so every addition to the page is looked at.
"use strict";

// The autocomplete's combobox (select2) was named by its selection only, and that is empty on an add page;
// its selection sat in a read-only "textbox" without a name (axe aria-input-field-name, both). The combobox
// is named by the field's label and then by the selection, which is plain text.
function nameAutocompletes() {
  document.querySelectorAll("select.admin-autocomplete").forEach((select) => {
    const label = select.labels && select.labels[0];
    const container = select.nextElementSibling;
    const combobox = container && container.querySelector(".select2-selection[role=combobox]");
    if (!label || !combobox || combobox.dataset.named) {
      return;
    }
    label.id = label.id || `${select.id}-label`;
    const rendered = combobox.querySelector(".select2-selection__rendered[id]");
    const names = rendered ? `${label.id} ${rendered.id}` : label.id;
    if (rendered) {
      rendered.removeAttribute("role");
      rendered.removeAttribute("aria-readonly");
    }
    combobox.setAttribute("aria-labelledby", names);
    combobox.dataset.named = "";
  });
}

// The filter_horizontal search icons carry an aria-label without a role, which ARIA forbids on a span
// (axe aria-prohibited-attr); as images their text names the search box their label belongs to.
function giveFilterIconsARole() {
  document.querySelectorAll(".selector .search-label-icon[aria-label]:not([role])").forEach((icon) => {
    icon.setAttribute("role", "img");
  });
}

// The split date and time inputs were named "Date:" and "Time:" alone, alike for every date field of the
// page: the field's own label names nothing (Django's MultiWidget gives it no id to point at). Each input
// is named by the field's label and then its own.
function nameSplitDateTimes() {
  document.querySelectorAll("p.datetime").forEach((box) => {
    const row = box.closest(".form-row, .fieldBox");
    const fieldLabel = row && [...row.querySelectorAll("label")].find((label) => !box.contains(label));
    if (!fieldLabel || box.dataset.named !== undefined) {
      return;
    }
    fieldLabel.id = fieldLabel.id || `${box.querySelector("input").id}-field-label`;
    box.querySelectorAll("label[for]").forEach((label) => {
      const input = document.getElementById(label.htmlFor);
      if (input) {
        label.id = label.id || `${input.id}-label`;
        input.setAttribute("aria-labelledby", `${fieldLabel.id} ${label.id}`);
      }
    });
    box.dataset.named = "";
  });
}

function nameWhatScriptsBuilt() {
  nameAutocompletes();
  giveFilterIconsARole();
  nameSplitDateTimes();
}

nameWhatScriptsBuilt();
new MutationObserver(nameWhatScriptsBuilt).observe(document.body, { childList: true, subtree: true });
