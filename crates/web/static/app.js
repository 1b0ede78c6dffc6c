// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // The phone menu: one button that shows and hides the header's links.
  var menuButton = document.querySelector(".menu-button");
  var menu = document.getElementById("site-menu");
  if (menuButton && menu) {
    menuButton.hidden = false;
    document.querySelector(".site-header").classList.add("menu-ready");
    menuButton.addEventListener("click", function () {
      var open = menu.classList.toggle("open");
      menuButton.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // On phones the search filters fold unless one is set.
  var filters = document.querySelector("details[data-fold-narrow]");
  if (filters && !filters.hasAttribute("data-keep-open") && window.matchMedia("(max-width: 40rem)").matches) {
    filters.open = false;
  }

  // Move focus to the error summary so screen-reader and keyboard users start there.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  // Free text that touches what employers may not ask about: say so while typing.
  var form = document.querySelector("form[data-forbidden]");
  var live = document.getElementById("warn-live");
  if (form && live) {
    var topics = [];
    try { topics = JSON.parse(form.getAttribute("data-forbidden") || "[]"); } catch (e) { topics = []; }
    var timer;
    form.addEventListener("input", function (ev) {
      if (!ev.target || ev.target.tagName !== "TEXTAREA") { return; }
      clearTimeout(timer);
      timer = setTimeout(function () {
        var text = Array.prototype.map.call(form.querySelectorAll("textarea"), function (t) { return t.value; }).join("\n");
        var messages = topics.filter(function (t) {
          return t.words.some(function (w) { return text.indexOf(w) !== -1; });
        }).map(function (t) { return t.message; });
        live.textContent = messages.join(" ");
      }, 600);
    });
  }

  // Warn before an idle time-out and offer to extend (WCAG 2.2.1).
  var body = document.body;
  var left = parseInt(body.getAttribute("data-idle-left") || "", 10);
  var warnAt = parseInt(body.getAttribute("data-idle-warning") || "120", 10);
  var dialog = document.getElementById("idle-dialog");
  var button = document.getElementById("idle-extend");
  if (isNaN(left) || !dialog || !button) { return; }
  var deadline = Date.now() + left * 1000;
  var warnTimer, endTimer;
  function schedule() {
    clearTimeout(warnTimer); clearTimeout(endTimer);
    var ms = deadline - Date.now();
    warnTimer = setTimeout(function () {
      dialog.hidden = false;
      button.focus();
    }, Math.max(0, ms - warnAt * 1000));
    endTimer = setTimeout(function () {
      window.location.href = "/login?expired=1";
    }, Math.max(0, ms + 1000));
  }
  button.addEventListener("click", function () {
    fetch("/session/extend", {
      method: "POST",
      credentials: "same-origin",
      headers: { "x-csrf-token": body.getAttribute("data-csrf") || "" }
    }).then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (j) {
        deadline = Date.now() + j.idle_left * 1000;
        dialog.hidden = true;
        var status = document.getElementById("status");
        if (status) { status.textContent = button.getAttribute("data-done") || ""; }
        var main = document.getElementById("main");
        if (main) { main.focus(); }
        schedule();
      })
      .catch(function () { window.location.href = "/login?expired=1"; });
  });
  schedule();

  // The daily check-in: the answers are sent in the background; when the connection is
  // down they are kept on this device and sent once when it returns (the form carries
  // its idempotency key, so a second arrival changes nothing).
  var checkIn = document.querySelector("form[data-offline-key]");
  if (checkIn) {
    var storeKey = "tsunagu-" + checkIn.getAttribute("data-offline-key");
    var offlineStatus = document.getElementById("offline-status");
    var say = function (attr) {
      if (offlineStatus) { offlineStatus.textContent = checkIn.getAttribute(attr) || ""; }
    };
    var pairs = function () {
      var out = [];
      new FormData(checkIn).forEach(function (v, k) { out.push([k, String(v)]); });
      return out;
    };
    var send = function (list) {
      var body = new URLSearchParams();
      list.forEach(function (p) { body.append(p[0], p[1]); });
      return fetch(checkIn.action, { method: "POST", body: body, credentials: "same-origin" });
    };
    var flush = function () {
      var kept = null;
      try { kept = JSON.parse(window.localStorage.getItem(storeKey) || "null"); } catch (e) { kept = null; }
      if (!kept || !navigator.onLine) { return; }
      send(kept).then(function (r) {
        if (r.ok) {
          window.localStorage.removeItem(storeKey);
          say("data-sent");
          if (r.redirected) { window.location.href = r.url; }
        }
      }).catch(function () { say("data-kept"); });
    };
    checkIn.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var list = pairs();
      var keep = function () {
        try { window.localStorage.setItem(storeKey, JSON.stringify(list)); } catch (e) { /* full */ }
        say("data-kept");
      };
      if (!navigator.onLine) { keep(); return; }
      send(list).then(function (r) {
        if (r.ok && r.redirected) { window.location.href = r.url; return; }
        // The server found a problem: let it show the form with its messages.
        HTMLFormElement.prototype.submit.call(checkIn);
      }).catch(keep);
    });
    window.addEventListener("online", flush);
    flush();
  }
})();
