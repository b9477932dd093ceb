// Upload progress, a countdown to the due time, and the due time in the reader's own zone.
// Everything here is an addition: without JavaScript the form posts normally and the page says the same.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";
  var words = {
    en: { yours: "Your time", left: "left", passed: "The due time has passed.", failed: "The upload failed: the connection was interrupted. Nothing was stored; please try again.", days: "d", hours: "h", minutes: "min", seconds: "s" },
    de: { yours: "Ihre Zeit", left: "verbleibend", passed: "Die Abgabezeit ist vorbei.", failed: "Das Hochladen ist fehlgeschlagen: die Verbindung wurde unterbrochen. Es wurde nichts gespeichert; bitte versuchen Sie es noch einmal.", days: "T", hours: "Std", minutes: "Min", seconds: "s" }
  }[lang] || null;
  if (!words) { return; }

  var ownZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  document.querySelectorAll("[data-local-time]").forEach(function (node) {
    var shown = node.querySelector("time");
    var zoneNamed = node.textContent.indexOf("(" + ownZone + ")") !== -1;
    if (!shown || zoneNamed) { return; }
    var when = new Date(node.getAttribute("data-local-time"));
    var text = new Intl.DateTimeFormat(lang, { dateStyle: "full", timeStyle: "short", timeZone: ownZone }).format(when);
    var extra = document.createElement("span");
    extra.className = "meta own-zone";
    extra.textContent = " — " + words.yours + ": " + text + " (" + ownZone + ")";
    node.appendChild(extra);
  });

  document.querySelectorAll("[data-countdown]").forEach(function (node) {
    var due = new Date(node.getAttribute("data-countdown")).getTime();
    function tick() {
      var left = Math.floor((due - Date.now()) / 1000);
      if (left < 0) { node.textContent = words.passed; return; }
      var d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
      var parts = d > 0 ? [d + " " + words.days, h + " " + words.hours, m + " " + words.minutes] :
        [h + " " + words.hours, m + " " + words.minutes, s + " " + words.seconds];
      node.textContent = parts.join(" ") + " " + words.left;
      window.setTimeout(tick, 1000);
    }
    tick();
  });

  document.querySelectorAll("form[data-upload]").forEach(function (form) {
    var box = form.querySelector(".upload-progress");
    var bar = form.querySelector("progress");
    var percent = form.querySelector(".upload-percent");
    form.addEventListener("submit", function (event) {
      if (!window.XMLHttpRequest || !window.FormData) { return; }
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      box.hidden = false;
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.upload.addEventListener("progress", function (progress) {
        if (progress.lengthComputable) {
          var value = Math.round(progress.loaded / progress.total * 100);
          bar.value = value;
          percent.textContent = value + " %";
        }
      });
      // The server answers every upload with a redirect: to the receipt, or back here with a message.
      request.addEventListener("load", function () { window.location.assign(request.responseURL || form.action); });
      request.addEventListener("error", function () {
        button.disabled = false;
        percent.textContent = words.failed;
      });
      request.send(new FormData(form));
    });
  });
})();
