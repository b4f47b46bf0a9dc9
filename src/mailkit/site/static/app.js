// mailkit email page: scenario, viewport, dark mode, tab and compare, all kept in the URL
// so a link shows exactly what the sender saw, and carried from email to email by the
// sidebar. Plain JS, no dependency, works from file://.
//
// The email is written into its frame from the email's sources (sources.js beside the
// page, read by payload.js), not loaded with `src`: the frame is then readable by script
// everywhere, file:// included, so it always gets the email's exact height; and writing
// a document adds no entry to the browser's history, so Back and Forward never
// desynchronise frame, URL and toolbar. Dark is made here too: the dark media query made
// unconditional; and so are the client views (clients.js: how Gmail, Outlook… show it).
// The view itself changes with replaceState: a toggle is not a navigation.
(function () {
  "use strict";
  var WIDTHS = { desktop: 800, mobile: 375 }, MIN = 240, MAX = 1600;
  var FACTS = 300, GAP = 16, PAD = 16, KEY = "mailkit.view";
  var DARK_QUERY = /@media\s*\(\s*prefers-color-scheme\s*:\s*dark\s*\)/gi;
  var all = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };
  var scenarios = all("[data-scenario]").map(function (b) { return b.dataset.scenario; });
  var tabs = all("[data-tab]").map(function (b) { return b.dataset.tab; });
  var widthInput = document.querySelector("[data-width]");
  var widthMsg = document.querySelector("[data-width-msg]");
  var scaleMsg = document.querySelector("[data-scale-note]");
  var clientSelect = document.querySelector("[data-client]");
  var VIEWS = window.MAILKIT_CLIENT_VIEWS || { views: [{ id: "", label: "As written", emulates: "", how: "", cannot_know: "" }], canvas: [18, 18, 18] };
  var clients = VIEWS.views.map(function (v) { return v.id; });  // "" is the email as written
  var INVERTED = { partial: true, full: true };  // views that paint the email dark
  VIEWS.views.forEach(function (v) {
    var option = document.createElement("option");
    option.value = v.id; option.textContent = v.label; option.title = v.emulates;
    clientSelect.appendChild(option);
  });
  var state;

  function read(p) {
    var s = {
      scenario: scenarios.indexOf(p.get("scenario")) >= 0 ? p.get("scenario") : scenarios[0],
      view: p.get("view") || (p.get("width") ? "custom" : "desktop"), width: null,
      dark: p.get("dark") === "1", facts: p.get("facts") !== "0",
      tab: tabs.indexOf(p.get("tab")) >= 0 ? p.get("tab") : "rendered",
      with: p.get("with") || "scheme", overlay: p.get("overlay") === "1", notice: "",
      client: p.get("client") || ""
    };
    if (["desktop", "mobile", "custom"].indexOf(s.view) < 0) {
      s.notice = "Unknown view “" + s.view + "” in the address: showing desktop.";
      s.view = "desktop";
    }
    if (s.view === "custom") {
      var w = Number(p.get("width"));
      if (w >= MIN && w <= MAX && Math.round(w) === w) s.width = w;
      else { s.notice = outOfRange(p.get("width")); s.view = "desktop"; }
    }
    if (clients.indexOf(s.client) < 0) {
      s.notice = "Unknown client view “" + s.client + "” in the address: showing the email as written.";
      s.client = "";
    }
    if (!validWith(s)) s.with = "scheme";
    return s;
  }

  function validWith(s) {  // what Compare puts beside the current view
    if (s.with === "scheme" || s.with === "viewport") return true;
    var other = s.with.slice(s.with.indexOf(":") + 1);
    if (s.with.indexOf("scenario:") === 0) return other !== s.scenario && scenarios.indexOf(other) >= 0;
    return s.with.indexOf("client:") === 0 && other !== s.client && clients.indexOf(other) >= 0;
  }

  function outOfRange(value) {
    return "Width " + (value === "" || value === null ? "(empty)" : "“" + value + "” px") +
      " is out of range: give a whole number from " + MIN + " to " + MAX + " px.";
  }

  function frameWidth(view, width) {
    view = view || state.view;
    return view === "custom" ? (width || state.width) : WIDTHS[view];
  }

  function query(forOthers) {  // forOthers: what the next email inherits
    var q = new URLSearchParams();
    if (!forOthers || state.scenario !== scenarios[0]) q.set("scenario", state.scenario);
    if (state.view !== "desktop") q.set("view", state.view);
    if (state.view === "custom") q.set("width", String(state.width));
    if (state.dark) q.set("dark", "1");
    if (state.client) q.set("client", state.client);
    if (!state.facts) q.set("facts", "0");
    if (state.tab !== "rendered") q.set("tab", state.tab);
    if (state.with !== "scheme" && !(forOthers && state.with.indexOf("scenario:") === 0)) q.set("with", state.with);
    if (state.overlay) q.set("overlay", "1");
    return q.toString();
  }

  function panel() { return document.querySelector('[data-scenario-panel="' + CSS.escape(state.scenario) + '"]'); }

  var payload = window.mailkitPayload;

  function source(scenario, dark, client) {
    var html = payload.html(scenario);
    if (html === null) return null;
    if (client) return window.mailkitClients.prepare(html, client);
    return dark ? html.replace(DARK_QUERY, "@media all") : html;
  }

  // One email in one frame: write it (only when it changed), size it, scale it to `room`.
  // `client`: a client view of it (clients.js), "" for the email as written.
  function show(box, scenario, dark, width, room, client) {
    var iframe = box.querySelector("iframe");
    client = client || "";
    var html = source(scenario, dark, client);
    iframe.dataset.src = scenario + ".html";  // the email as built, for tools and tests
    iframe.dataset.scheme = client ? (INVERTED[client] ? "dark" : "light") : dark ? "dark" : "light";
    iframe.dataset.clientView = client;
    iframe.dataset.w = width;
    iframe.style.width = width + "px";
    payload.say(box.parentNode);  // a payload that did not load says so in the frame's place
    box.hidden = html === null && !!payload.failed();
    // a client view is redrawn from its HTML when it changes, or the width (its colours
    // are read from the laid-out email) or the table (a save) does
    var key = html === null ? null : !client ? html :
      [client, width, client === "outlook" ? JSON.stringify(payload.outlook()) : "", html].join("|");
    if (key !== null && iframe.mkHtml !== key) write(iframe, html, key, client);
    else fit(iframe);
    scale(box, room);
  }

  function write(iframe, html, key, client) {
    iframe.mkHtml = key;
    var doc = iframe.contentDocument;
    doc.open(); doc.write(html); doc.close();
    if (client) iframe.mkDone = window.mailkitClients.finish(doc, client, { canvas: VIEWS.canvas, outlook: payload.outlook() });
    doc.addEventListener("click", function (ev) {  // links open outside, never in the frame
      var a = ev.target.closest && ev.target.closest("a[href]");
      if (a) { ev.preventDefault(); window.open(a.href, "_blank", "noopener"); }
    });
    var refit = function () { fit(iframe); relayout(); };
    Array.prototype.forEach.call(doc.images, function (img) { if (!img.complete) img.addEventListener("load", refit); });
    if (doc.fonts) doc.fonts.ready.then(refit);
    fit(iframe);
  }

  function fit(iframe) {
    var doc = iframe.contentDocument;
    if (!doc || !doc.documentElement) return;
    iframe.style.height = "1px";  // measured at its smallest: the height is the email's, never the frame's
    var h = doc.documentElement.scrollHeight;
    iframe.style.height = h + "px";
    iframe.dataset.h = h;
  }

  function scale(box, room) {
    var iframe = box.querySelector("iframe");
    var w = Number(iframe.dataset.w), h = Number(iframe.dataset.h) || 0;
    var s = room && room < w ? Math.floor(room / w * 1000) / 1000 : 1;
    iframe.style.transform = s < 1 ? "scale(" + s + ")" : "";
    box.style.width = Math.floor(w * s) + "px";
    box.style.height = Math.ceil(h * s) + "px";
    box.dataset.scale = s;
    return s;
  }

  function relayout() {
    var p = panel();
    if (!p) return;
    var body = p.querySelector(".mk-body"), facts = p.querySelector(".mk-facts");
    facts.hidden = !state.facts;
    var wide = state.tab === "compare" ? Infinity : (state.tab === "rendered" ? frameWidth() + 2 * PAD : 560);
    body.classList.toggle("is-stacked", !state.facts || body.clientWidth < wide + GAP + FACTS);
    var s = 1;
    if (state.tab === "rendered") {
      var canvas = p.querySelector("[data-tab-panel=rendered] .mk-canvas");
      s = scale(canvas.querySelector(".mk-frame-box"), canvas.clientWidth - 2 * PAD);
    } else if (state.tab === "compare" && window.mailkitViews) {
      s = window.mailkitViews.layoutCompare(p);
    }
    scaleMsg.textContent = s < 1 ? "Shown at " + Math.floor(s * 100 + 1e-9) + " % to fit the window" : "";
    scaleMsg.hidden = s >= 1;
  }

  function apply(push) {
    all("[data-scenario]").forEach(function (b) { b.setAttribute("aria-pressed", String(b.dataset.scenario === state.scenario)); });
    if (window.mailkitPicker) window.mailkitPicker.update();
    all("[data-view]").forEach(function (b) { b.setAttribute("aria-pressed", String(b.dataset.view === state.view)); });
    var dark = document.querySelector("[data-dark]");
    dark.setAttribute("aria-pressed", String(state.dark));
    dark.title = state.client ? "The client views paint their own colours: Dark applies to the email as written (and to it in Compare)" :
      "Dark mode: the email as a client set to dark shows it";
    clientSelect.value = state.client;
    describe(viewOf(state.client));
    document.querySelector("[data-facts-toggle]").setAttribute("aria-pressed", String(state.facts));
    all("[data-tab]").forEach(function (b) {
      var on = b.dataset.tab === state.tab;
      b.setAttribute("aria-selected", String(on));
      b.tabIndex = on ? 0 : -1;
    });
    if (document.activeElement !== widthInput) widthInput.value = frameWidth();
    widthInput.setAttribute("aria-invalid", String(!!state.notice && state.notice.indexOf("Width") === 0));
    widthMsg.textContent = state.notice;
    all("[data-scenario-panel]").forEach(function (p) {
      var active = p.dataset.scenarioPanel === state.scenario;
      p.hidden = !active;
      all("[data-tab-panel]", p).forEach(function (t) { t.hidden = !active || t.dataset.tabPanel !== state.tab; });
    });
    var p = panel();
    if (state.tab === "rendered") {
      var canvas = p.querySelector("[data-tab-panel=rendered] .mk-canvas");
      canvas.classList.toggle("is-dark", state.client ? !!INVERTED[state.client] : state.dark);
      show(canvas.querySelector(".mk-frame-box"), state.scenario, state.dark, frameWidth(), 0, state.client);
    } else if (window.mailkitViews && state.tab === "compare") window.mailkitViews.compare(p, state, api);
    else if (window.mailkitViews && state.tab === "inbox") window.mailkitViews.inbox(p);
    else {
      var tab = p.querySelector('[data-tab-panel="' + state.tab + '"]');
      payload.fill(tab, state.scenario);  // a code tab is filled when first opened
      if (window.mailkitCode) window.mailkitCode.prettify(tab);
    }
    if (state.facts) payload.showFacts(p, state.scenario);
    relayout();
    var q = query(false);
    if (push !== false) history.replaceState(null, "", "?" + q + location.hash);
    try { sessionStorage.setItem(KEY, query(true)); } catch (e) { /* storage off: links still carry it */ }
    if (window.mailkitSidebar) window.mailkitSidebar.decorate();
  }

  function viewOf(id) { return VIEWS.views[clients.indexOf(id)]; }

  function describe(v) {  // the About panel: what the chosen view emulates, how, what it cannot know
    var box = document.getElementById("mk-client-about");
    if (box.mkView === v.id) return;
    box.mkView = v.id;
    box.textContent = "";
    var dl = document.createElement("dl");
    [[v.label + " emulates", v.emulates, "mk-client-emulates"], ["How", v.how], ["It cannot know", v.cannot_know]].forEach(function (x) {
      var dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = x[0]; dd.textContent = x[1];
      if (x[2]) dd.id = x[2];
      dl.appendChild(dt); dl.appendChild(dd);
    });
    box.appendChild(dl);
  }

  var api = { show: show, scale: scale, frameWidth: frameWidth, WIDTHS: WIDTHS, PAD: PAD, INVERTED: INVERTED,
              views: VIEWS.views, clientLabel: function (id) { return viewOf(id).label; } };
  window.mailkitView = function () { return query(true); };
  window.mailkitPreview = {  // for serve/client.js
    refresh: function () { apply(false); },  // the page around the email was patched
    reload: function () { return payload.load(true).then(function () { apply(false); }); },  // sources rebuilt
    state: function () { return state; }
  };

  function set(change) { for (var k in change) state[k] = change[k]; state.notice = ""; apply(); }

  document.addEventListener("click", function (ev) {
    var b = ev.target.closest("button");
    if (!b || b.closest(".mk-sidebar")) return;
    if (b.dataset.scenario) set({ scenario: b.dataset.scenario, with: state.with === "scenario:" + b.dataset.scenario ? "scheme" : state.with });
    else if (b.dataset.view) set({ view: b.dataset.view, width: null });
    else if (b.hasAttribute("data-dark")) set({ dark: !state.dark });
    else if (b.hasAttribute("data-facts-toggle")) set({ facts: !state.facts });
    else if (b.hasAttribute("data-client-about")) about(b.getAttribute("aria-expanded") !== "true");
    else if (b.dataset.tab) set({ tab: b.dataset.tab });
  });
  document.querySelector("[role=tablist]").addEventListener("keydown", function (ev) {
    var i = tabs.indexOf(state.tab), next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[ev.key];
    if (next === undefined) return;
    ev.preventDefault();
    set({ tab: tabs[(next + tabs.length) % tabs.length] });
    document.querySelector('[data-tab="' + state.tab + '"]').focus();
  });
  widthInput.addEventListener("change", function () {
    var raw = widthInput.value.trim(), w = Number(raw);
    if (raw !== "" && w >= MIN && w <= MAX && Math.round(w) === w) { set({ view: "custom", width: w }); return; }
    state.notice = outOfRange(raw);
    apply();
    widthInput.value = raw;
  });
  function about(open) {  // the client view's description, over the page (no new row)
    var toggle = document.querySelector("[data-client-about]");
    toggle.setAttribute("aria-expanded", String(open));
    document.getElementById("mk-client-about").hidden = !open;
  }
  document.addEventListener("click", function (ev) {
    if (!ev.target.closest(".mk-client")) about(false);
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape" || document.getElementById("mk-client-about").hidden) return;
    about(false);
    document.querySelector("[data-client-about]").focus();
  });
  document.addEventListener("change", function (ev) {
    if (ev.target === clientSelect) {
      var c = clientSelect.value;
      set({ client: c, with: state.with === "client:" + c ? "scheme" : state.with });
    } else if (ev.target.matches("[data-compare-with]")) set({ with: ev.target.value });
    else if (ev.target.matches("[data-compare-overlay]")) set({ overlay: ev.target.checked });
  });
  var pending = 0;
  window.addEventListener("resize", function () {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(relayout);
  });
  window.addEventListener("pageshow", function (ev) { if (ev.persisted) { state = read(new URLSearchParams(location.search)); apply(false); } });
  state = read(new URLSearchParams(location.search));
  apply();
  payload.load(false).then(function () {
    apply(false);
    document.body.dataset.ready = "1";  // for tests and tools: the view is applied, the email shown
  });
})();
