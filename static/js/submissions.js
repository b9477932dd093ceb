// Upload progress, a countdown to the due time, and the due time in the reader's own zone.
// Everything here is an addition: without JavaScript the form posts normally and the page says the same.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";
  var words = {
    en: { yours: "Your time", left: "left", passed: "The due time has passed.", grace: "The due time has passed; uploads in the grace period still count as on time.", failed: "The upload failed: the connection was interrupted. Nothing was stored; please try again.", refused: "The upload was not accepted (HTTP %s). Nothing was stored; please reload the page and try again.", tooLarge: "The file is too large for the server. Nothing was stored.", days: "d", hours: "h", minutes: "min", seconds: "s" },
    de: { yours: "Ihre Zeit", left: "verbleibend", passed: "Die Abgabezeit ist vorbei.", grace: "Die Abgabezeit ist vorbei; Uploads in der Kulanzzeit gelten noch als pünktlich.", failed: "Das Hochladen ist fehlgeschlagen: die Verbindung wurde unterbrochen. Es wurde nichts gespeichert; bitte versuchen Sie es noch einmal.", refused: "Das Hochladen wurde nicht angenommen (HTTP %s). Es wurde nichts gespeichert; bitte laden Sie die Seite neu und versuchen Sie es noch einmal.", tooLarge: "Die Datei ist zu groß für den Server. Es wurde nichts gespeichert.", days: "T", hours: "Std", minutes: "Min", seconds: "s" }
  }[lang] || null;
  if (!words) { return; }

  var ownZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  document.querySelectorAll("[data-local-time]").forEach(function (node) {
    var shown = node.querySelector("time");
    // The zone is named in the time itself or once for the page (data-zone): nothing to add in that zone.
    var zoneNamed = node.textContent.indexOf("(" + ownZone + ")") !== -1 || node.getAttribute("data-zone") === ownZone;
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
    var grace = Number(node.getAttribute("data-grace") || 0) * 60;
    function tick() {
      var left = Math.floor((due - Date.now()) / 1000);
      if (left < 0) {
        node.textContent = left >= -grace ? words.grace : words.passed;
        if (left >= -grace) { window.setTimeout(tick, 1000); }
        return;
      }
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
      // The server answers this header with the address to open next instead of a redirect, so that the
      // message waiting on that page is shown there rather than used up by this request.
      request.setRequestHeader("X-Portal-Upload", "1");
      request.upload.addEventListener("progress", function (progress) {
        if (progress.lengthComputable) {
          var value = Math.round(progress.loaded / progress.total * 100);
          bar.value = value;
          percent.textContent = value + " %";
        }
      });
      function fail(text) {
        button.disabled = false;
        percent.textContent = text;
        percent.setAttribute("role", "alert");
      }
      request.addEventListener("load", function () {
        var answer = null;
        try { answer = JSON.parse(request.responseText); } catch (ignored) { answer = null; }
        if (request.status === 200 && answer && answer.location) {
          window.location.assign(answer.location);
        } else if (request.status === 200 && request.responseURL && request.responseURL !== form.action) {
          window.location.assign(request.responseURL);  // for example the login page, when the session ended
        } else if (request.status === 413) {
          fail(words.tooLarge);
        } else {
          fail(words.refused.replace("%s", String(request.status)));
        }
      });
      request.addEventListener("error", function () { fail(words.failed); });
      request.send(new FormData(form));
    });
  });
})();
