// mailkit email page: scenario, viewport, dark mode and tab, all kept in the URL so a
// link shows exactly what the sender saw. Plain JS, no dependency, works from file://.
(function () {
  "use strict";
  var WIDTHS = { desktop: 800, mobile: 375 };
  var params = new URLSearchParams(location.search);
  var scenarios = Array.prototype.map.call(document.querySelectorAll("[data-scenario]"), function (b) { return b.dataset.scenario; });
  var state = {
    scenario: scenarios.indexOf(params.get("scenario")) >= 0 ? params.get("scenario") : scenarios[0],
    view: params.get("view") || "desktop",
    width: parseInt(params.get("width"), 10) || null,
    dark: params.get("dark") === "1",
    tab: params.get("tab") || "rendered"
  };
  if (!document.querySelector('[data-tab="' + state.tab + '"]')) state.tab = "rendered";

  function frameWidth() { return state.view === "custom" && state.width ? state.width : (WIDTHS[state.view] || WIDTHS.desktop); }

  function fit(iframe) {
    try {  // same origin when served; file:// pages keep the fixed height and scroll
      var doc = iframe.contentDocument;
      if (doc && doc.documentElement) iframe.style.height = doc.documentElement.scrollHeight + "px";
    } catch (e) { /* cross-origin: keep the default height */ }
  }

  function apply() {
    document.querySelectorAll("[data-scenario]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.dataset.scenario === state.scenario));
    });
    document.querySelectorAll("[data-view]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.dataset.view === state.view));
    });
    var widthInput = document.querySelector("[data-width]");
    if (widthInput) widthInput.value = frameWidth();
    var dark = document.querySelector("[data-dark]");
    if (dark) dark.setAttribute("aria-pressed", String(state.dark));
    document.querySelectorAll("[data-tab]").forEach(function (b) {
      b.setAttribute("aria-selected", String(b.dataset.tab === state.tab));
    });
    document.querySelectorAll("[data-scenario-panel]").forEach(function (panel) {
      var active = panel.dataset.scenarioPanel === state.scenario;
      panel.hidden = !active;
      panel.querySelectorAll("[data-tab-panel]").forEach(function (t) { t.hidden = t.dataset.tabPanel !== state.tab; });
      var iframe = panel.querySelector("iframe");
      if (!iframe) return;
      iframe.parentNode.classList.toggle("is-dark", state.dark);
      iframe.style.width = frameWidth() + "px";
      if (active) {
        var src = state.dark ? iframe.dataset.darksrc : iframe.dataset.light;
        if (iframe.getAttribute("src") !== src) iframe.setAttribute("src", src);
        else fit(iframe);
      }
    });
    var q = new URLSearchParams();
    q.set("scenario", state.scenario);
    if (state.view !== "desktop") q.set("view", state.view);
    if (state.view === "custom" && state.width) q.set("width", String(state.width));
    if (state.dark) q.set("dark", "1");
    if (state.tab !== "rendered") q.set("tab", state.tab);
    history.replaceState(null, "", "?" + q.toString() + location.hash);
  }

  document.addEventListener("click", function (ev) {
    var b = ev.target.closest("button");
    if (!b) return;
    if (b.dataset.scenario) state.scenario = b.dataset.scenario;
    else if (b.dataset.view) { state.view = b.dataset.view; state.width = null; }
    else if (b.hasAttribute("data-dark")) state.dark = !state.dark;
    else if (b.dataset.tab) state.tab = b.dataset.tab;
    else return;
    apply();
  });
  var widthInput = document.querySelector("[data-width]");
  if (widthInput) widthInput.addEventListener("change", function () {
    var w = parseInt(widthInput.value, 10);
    if (w >= 240 && w <= 1600) { state.view = "custom"; state.width = w; apply(); }
  });
  document.querySelectorAll("iframe").forEach(function (f) { f.addEventListener("load", function () { fit(f); }); });
  apply();
})();
