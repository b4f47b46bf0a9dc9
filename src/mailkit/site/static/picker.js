// mailkit email page, the state picker: one button that says which state is shown and
// its place among them ("Sans app · 1 of 10"), the list of every state over the page (a
// row per state only while it is open), and previous / next. Choosing a state is the
// state button's own click, which app.js handles; this file opens and closes the list
// and moves the focus. Elements are looked up on each use: `mailkit serve` patches the
// list in place after a save.
(function () {
  "use strict";
  var picker = document.querySelector("[data-picker]");
  if (!picker) return;
  var toggle = picker.querySelector("[data-states-toggle]"), stepping = false;

  function list() { return document.getElementById("mk-states"); }
  function buttons() { return Array.prototype.slice.call(list().querySelectorAll("button[data-scenario]")); }
  function pressed(all) { return Math.max(0, all.findIndex(function (b) { return b.getAttribute("aria-pressed") === "true"; })); }
  function label(b) { return b.childNodes[0].textContent.trim(); }  // without its findings pill
  function isOpen() { return !list().hidden; }

  function open(show, focus) {
    list().hidden = !show;
    toggle.setAttribute("aria-expanded", String(show));
    if (!focus) return;
    if (show) { var all = buttons(); all[pressed(all)].focus(); } else toggle.focus();
  }

  // What the toggle says: the state shown (its slug in the tooltip), and which of how many.
  function update() {
    var all = buttons(), i = pressed(all), b = all[i];
    if (!b) return;
    picker.querySelector("[data-state-current]").textContent = label(b);
    picker.querySelector("[data-state-count]").textContent = (i + 1) + " of " + all.length;
    toggle.title = label(b) + " (" + b.dataset.scenario + ")" + (b.classList.contains("is-edge") ? ", an edge state" : "");
  }

  function step(by) {  // previous or next state, round the list; the focus stays on the step
    var all = buttons();
    stepping = true;
    try { all[(pressed(all) + by + all.length) % all.length].click(); } finally { stepping = false; }
  }

  picker.addEventListener("click", function (ev) {
    var b = ev.target.closest("button");
    if (!b) return;
    if (b === toggle) open(!isOpen(), true);
    else if (b.dataset.stateStep) step(Number(b.dataset.stateStep));
    else if (b.dataset.scenario && !stepping) open(false, true);  // chosen (app.js shows it): closed
  });
  picker.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && isOpen()) { ev.preventDefault(); open(false, true); return; }
    if (ev.target === toggle && (ev.key === "ArrowDown" || ev.key === "ArrowUp")) {
      ev.preventDefault();
      open(true, true);
      return;
    }
    var all = buttons(), i = all.indexOf(ev.target);
    if (i < 0) return;
    var next = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: all.length - 1 }[ev.key];
    if (next === undefined) return;
    ev.preventDefault();
    all[(next + all.length) % all.length].focus();
  });
  picker.addEventListener("focusout", function (ev) {  // Tab out of the list closes it
    if (isOpen() && ev.relatedTarget && !picker.contains(ev.relatedTarget)) open(false, false);
  });
  document.addEventListener("click", function (ev) {
    if (isOpen() && !picker.contains(ev.target)) open(false, false);
  });

  window.mailkitPicker = { update: update, open: open };
})();
