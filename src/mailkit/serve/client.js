// mailkit serve: a livereload.js plugin that refreshes a preview page in place.
// A full reload costs two navigations (the page, then the email's iframe), each one
// ~100 ms in Chromium; instead, reload the email's sources (its sources.js, which the
// page's app.js writes into the open frame and code tabs) at once, fetch the rebuilt
// page alongside and patch the parts that changed. Anything it cannot patch
// (the scenarios or tabs changed) falls back to a normal reload. Served by `mailkit
// serve` only.
(function () {
  "use strict";

  function sameShape(a, b) {
    var names = function (root) {
      return Array.prototype.map.call(root.querySelectorAll("[data-scenario-panel], [data-tab-panel]"),
        function (e) { return (e.dataset.scenarioPanel || "") + "/" + (e.dataset.tabPanel || ""); }).join(",");
    };
    return names(a) === names(b);
  }

  function replace(current, fresh, selector) {
    var olds = current.querySelectorAll(selector), news = fresh.querySelectorAll(selector);
    if (olds.length !== news.length) return false;
    for (var i = 0; i < olds.length; i++) olds[i].innerHTML = news[i].innerHTML;
    return true;
  }

  function showOverlay(fresh) {
    ["[data-mailkit-error]", "[data-mailkit-warning]"].forEach(function (selector) {
      var old = document.querySelector(selector), overlay = fresh.querySelector(selector);
      if (old) old.remove();
      if (overlay) document.body.appendChild(document.importNode(overlay, true));
    });
    return !!fresh.querySelector("[data-mailkit-error]");
  }

  function patch(fresh) {
    if (showOverlay(fresh)) return true;  // broken save: keep the last good page as is
    var main = document.querySelector(".mk-main"), freshMain = fresh.querySelector(".mk-main");
    if (!main || !freshMain) return false;
    if (window.mailkitSidebar) window.mailkitSidebar.reload();  // the sidebar is nav-data.js
    if (!main.querySelector("[data-scenario-panel]")) {  // a home page: replaced whole
      main.innerHTML = freshMain.innerHTML;
      if (window.mailkitSidebar) window.mailkitSidebar.decorate();
      if (window.mailkitThumbs) window.mailkitThumbs.scan();  // the emails drawn again
      return true;
    }
    if (!sameShape(main, freshMain)) return false;
    if (!replace(main, freshMain, ".mk-page-head") || !replace(main, freshMain, ".mk-inbox") ||
        !replace(main, freshMain, ".mk-states") ||  // descriptions and edge-state findings
        !replace(main, freshMain, ".mk-facts") ||
        !replace(main, freshMain, "[data-tab-panel]:not([data-tab-panel=rendered])")) return false;
    document.querySelectorAll("[data-tab]").forEach(function (button) {  // counts on tabs
      var twin = fresh.querySelector('[data-tab="' + button.dataset.tab + '"]');
      if (twin) button.textContent = twin.textContent;
    });
    // the patched tabs are filled again from the sources, new or (still loading) current
    if (window.mailkitPreview) window.mailkitPreview.refresh();
    else location.reload();
    return true;
  }

  function MailkitReload(window, host) { this.window = window; this.host = host; }
  MailkitReload.identifier = "mailkit";
  MailkitReload.version = "1.0";
  MailkitReload.prototype.reload = function () {
    // The email on screen is what a designer waits for: reload its sources now, alongside
    // the fetch of the page around it (a save that broke the build leaves them as they were).
    if (window.mailkitPreview && window.mailkitPreview.reload) window.mailkitPreview.reload();
    fetch(location.href, { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (text) {
        var fresh = new DOMParser().parseFromString(text, "text/html");
        if (!patch(fresh)) location.reload();
      })
      .catch(function () { location.reload(); });
    return true;
  };
  window.LiveReloadPluginMailkit = MailkitReload;
})();
