// mailkit email page, two more views of one email: Compare (two states or client views
// side by side at the same scale, in one scrolling page, or overlaid as a difference) and Inbox (the
// email as one row of Gmail's inbox on a 375 px phone, truncated where Gmail truncates).
(function () {
  "use strict";
  var GAP = 16;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function stateName(scenario) {
    var b = document.querySelector('[data-scenario="' + CSS.escape(scenario) + '"]');
    return b ? b.childNodes[0].textContent.trim() : scenario;
  }

  function label(o, api) {
    var view = o.view === "custom" ? "Width " + o.width + " px" : (o.view === "mobile" ? "Mobile" : "Desktop") + " " + o.width + " px";
    return stateName(o.scenario) + " · " + view + " · " + (o.client ? api.clientLabel(o.client) : o.dark ? "Dark" : "Light");
  }

  function compare(p, state, api) {
    var wrap = p.querySelector("[data-compare]");
    var a = { scenario: state.scenario, dark: state.dark, view: state.view, width: api.frameWidth(), client: state.client };
    var b = { scenario: a.scenario, dark: a.dark, view: a.view, width: a.width, client: a.client };
    // beside a client view, the other colour scheme is the same view: show the email as written
    var w = state.client && state.with === "scheme" ? "client:" : state.with;
    if (w === "scheme") b.dark = !a.dark;
    else if (w === "viewport") { b.view = a.view === "mobile" ? "desktop" : "mobile"; b.width = api.WIDTHS[b.view]; }
    else if (w.indexOf("client:") === 0) b.client = w.slice(7);
    else b.scenario = w.slice(9);
    var select = p.querySelector("[data-compare-with]");
    if (!select.mkStates) {  // the other states, from the page's state buttons: not repeated per state
      select.mkStates = true;
      var group = select.querySelector("[data-compare-clients]");
      api.views.forEach(function (v) {  // the client views (client-views.js)
        var option = el("option", "", "Client: " + v.label);
        option.value = "client:" + v.id;
        group.appendChild(option);
      });
      Array.prototype.forEach.call(document.querySelectorAll("button[data-scenario]"), function (button) {
        if (button.dataset.scenario === state.scenario) return;
        var option = el("option", "", (button.classList.contains("is-edge") ? "Edge state: " : "Scenario: ") + stateName(button.dataset.scenario));
        option.value = "scenario:" + button.dataset.scenario;
        select.appendChild(option);
      });
    }
    Array.prototype.forEach.call(select.options, function (o) {  // never A beside itself
      o.disabled = o.value === "client:" + a.client || (o.value === "scheme" && !!a.client);
    });
    select.value = w;
    var overlay = p.querySelector("[data-compare-overlay]");
    var can = a.width === b.width;
    overlay.disabled = !can;
    overlay.checked = state.overlay && can;
    overlay.parentNode.title = can ? "" : "Both sides need the same width to overlay";
    wrap.classList.toggle("is-overlay", overlay.checked);
    if (!wrap.children.length) {
      [0, 1].forEach(function (i) {
        var side = el("figure", "mk-side");
        side.appendChild(el("figcaption", "mk-side-label"));
        var canvas = el("div", "mk-canvas"), box = el("div", "mk-frame-box"), frame = el("iframe");
        box.appendChild(frame); canvas.appendChild(box); side.appendChild(canvas);
        wrap.appendChild(side);
      });
    }
    var sides = wrap.querySelectorAll(".mk-side");
    [a, b].forEach(function (o, i) {
      var side = sides[i], frame = side.querySelector("iframe");
      side.querySelector("figcaption").textContent = (i ? "B · " : "A · ") + label(o, api);
      frame.title = (i ? "B: " : "A: ") + label(o, api);
      side.querySelector(".mk-canvas").classList.toggle("is-dark", o.client ? !!api.INVERTED[o.client] : o.dark);
      api.show(side.querySelector(".mk-frame-box"), o.scenario, o.dark, o.width, 0, o.client);
    });
    var note = p.querySelector("[data-compare-note]");
    if (!note) { note = el("p", "mk-compare-note"); note.dataset.compareNote = ""; wrap.parentNode.insertBefore(note, wrap); }
    note.textContent = overlay.checked ? "B is laid over A as a difference: identical pixels are black, every change shows bright." :
      "Both sides share the page's scroll and the same scale.";
    wrap.mk = { a: a, b: b, api: api };
  }

  function layoutCompare(p) {
    var wrap = p.querySelector("[data-compare]"), m = wrap.mk;
    if (!m) return 1;
    var pad = 2 * m.api.PAD, room = wrap.clientWidth;
    var s = wrap.classList.contains("is-overlay") ? (room - pad) / m.a.width
      : (room - GAP - 2 * pad) / (m.a.width + m.b.width);
    s = Math.min(1, Math.floor(s * 1000) / 1000);
    var boxes = wrap.querySelectorAll(".mk-frame-box");
    [m.a, m.b].forEach(function (o, i) {
      m.api.scale(boxes[i], s < 1 ? o.width * s + 0.001 : 0);
      boxes[i].closest(".mk-side").style.width = Math.ceil(o.width * s) + pad + "px";
    });
    return s;
  }

  var ctx = document.createElement("canvas").getContext("2d");
  function shownChars(node) {  // how many characters Gmail's one-line ellipsis lets through
    var text = node.textContent, style = getComputedStyle(node);
    ctx.font = style.fontWeight + " " + style.fontSize + " " + style.fontFamily;
    var room = node.clientWidth;
    if (ctx.measureText(text).width <= room) return text.length;
    var lo = 0, hi = text.length;
    while (lo < hi) {
      var mid = Math.ceil((lo + hi) / 2);
      if (ctx.measureText(text.slice(0, mid) + "…").width <= room) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  function row(from, subject, preheader, time, unread) {
    var li = el("li", "mk-row" + (unread ? " is-unread" : ""));
    li.appendChild(el("span", "mk-avatar", (from || "?").trim().charAt(0).toUpperCase()));
    var main = el("div", "mk-row-main"), top = el("div", "mk-row-top");
    top.appendChild(el("span", "mk-row-from", from));
    top.appendChild(el("span", "mk-row-time", time));
    main.appendChild(top);
    main.appendChild(el("span", "mk-row-subject", subject));
    main.appendChild(el("span", "mk-row-pre", preheader));
    li.appendChild(main);
    return li;
  }

  function neighbours(brandLabel) {  // other emails of the brand, as the rows around it
    var nav = window.MAILKIT_NAV, current = document.body.dataset.current, out = [];
    if (!nav) return out;
    nav.brands.forEach(function (b) {
      b.flows.forEach(function (f) {
        f.emails.forEach(function (e) { if (e.url !== current && b.label === brandLabel) out.push(e.subject); });
      });
    });
    return out.slice(0, 3);
  }

  function inbox(p) {
    // The preview text as Gmail makes it: the text of the email's body in document order,
    // CSS ignored (a hidden preheader shows), head, style, script and comments dropped,
    // HTML's white space squashed (no-break spaces stay). Until the sources are in, the
    // preheader the template wrote.
    function previewText(html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      doc.querySelectorAll("head, style, script, template").forEach(function (n) { n.remove(); });
      return (doc.body ? doc.body.textContent : "").replace(/[ \t\n\f\r]+/g, " ").trim();
    }
    var host = p.querySelector("[data-inbox-view]");
    var from = p.querySelector("[data-sender]").textContent;
    var subject = p.querySelector("[data-subject]").textContent;
    var preheader = p.querySelector("[data-preheader]").textContent;
    var html = window.mailkitPayload && window.mailkitPayload.html(p.dataset.scenarioPanel);
    var pre = html ? previewText(html).slice(0, 300) : preheader;  // more than a row shows
    host.textContent = "";
    var phone = el("div", "mk-phone");
    phone.setAttribute("role", "img");
    phone.setAttribute("aria-label", "Gmail's inbox on a 375 px phone, this email first");
    phone.appendChild(el("div", "mk-phone-bar", "Principale"));
    var list = el("ul", "mk-inbox-list");
    list.appendChild(row(from, subject, pre, "10:42", true));
    var crumbs = document.querySelector(".mk-crumbs").textContent.split(" · ")[0];
    neighbours(crumbs).forEach(function (s, i) { list.appendChild(row(from, s, "", ["Hier", "27 nov.", "12 nov."][i], false)); });
    phone.appendChild(list);
    host.appendChild(phone);
    var first = list.firstChild, facts = el("dl", "mk-inbox-facts");
    [["Sender", ".mk-row-from"], ["Subject", ".mk-row-subject"], ["Preheader", ".mk-row-pre"]].forEach(function (x) {
      var node = first.querySelector(x[1]), n = node.textContent.length, shown = shownChars(node);
      var whole = ": shown whole", said;
      if (x[0] === "Preheader") {  // the start of the preview text, the email's own words after it
        n = preheader.length; shown = Math.min(shown, n); whole += ", then the email's first words";
        if (node.textContent.indexOf(preheader) !== 0) said = "not where Gmail reads it: the preview text starts “" + node.textContent.slice(0, 40) + "…”";
      }
      facts.appendChild(el("dt", "", x[0]));
      var dd = el("dd", "", said || n + " characters" + (shown < n ? ": Gmail shows the first " + shown + ", then “…”" : whole));
      dd.dataset.inboxFact = x[0].toLowerCase();
      dd.dataset.shown = shown;
      facts.appendChild(dd);
    });
    host.appendChild(facts);
  }

  window.mailkitViews = { compare: compare, layoutCompare: layoutCompare, inbox: inbox };
})();
