// mailkit email page: the HTML and MJML tabs, pretty-printed and highlighted in the
// browser when first opened (payload.js fills in the exact source from sources.js; the
// build does no extra work per page), with a copy button that copies that exact source.
(function () {
  "use strict";
  var TOKEN = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<![^>]*>|<\/?[A-Za-z][^>]*>|\{%[\s\S]*?%\}|\{\{[\s\S]*?\}\}|\{#[\s\S]*?#\}/g;
  var VOID = /^(area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr|mj-image|mj-divider|mj-spacer|mj-font|mj-breakpoint|mj-preview-placeholder)$/i;
  var RAW = /^(style|script|mj-style|mj-raw)$/i;

  function esc(s) { return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"); }

  function tokens(text) {
    var out = [], last = 0, m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(text))) {
      if (m.index > last) out.push(["text", text.slice(last, m.index)]);
      var t = m[0];
      var kind = t.slice(0, 4) === "<!--" ? "comment" : t.charAt(0) === "{" ? "tpl" : t.slice(0, 2) === "<!" ? "doctype" :
        t.charAt(1) === "/" ? "close" : "open";
      out.push([kind, t]);
      last = TOKEN.lastIndex;
    }
    if (last < text.length) out.push(["text", text.slice(last)]);
    return out;
  }

  function tagName(t) { var m = /^<\/?([A-Za-z][\w:-]*)/.exec(t); return m ? m[1] : ""; }

  // One tag, comment or text per line, indented by nesting; style and script bodies kept.
  function pretty(text) {
    var lines = [], depth = 0, raw = null;
    var pad = function (n) { return new Array(n + 1).join("  "); };
    tokens(text).forEach(function (tok) {
      var kind = tok[0], t = tok[1];
      if (raw && !(kind === "close" && tagName(t).toLowerCase() === raw)) {
        t.split("\n").forEach(function (l) { if (l.trim()) lines.push(pad(depth) + l.trim()); });
        return;
      }
      if (kind === "text") { var s = t.replace(/\s+/g, " ").trim(); if (s) lines.push(pad(depth) + s); return; }
      if (kind === "close") { depth = Math.max(0, depth - 1); raw = null; lines.push(pad(depth) + t); return; }
      lines.push(pad(depth) + t.trim());
      if (kind === "open" && !/\/>$/.test(t) && !VOID.test(tagName(t))) {
        depth++;
        if (RAW.test(tagName(t))) raw = tagName(t).toLowerCase();
      }
    });
    return lines.join("\n");
  }

  function highlightTag(t) {
    var m = /^(<\/?)([\w:-]+)([\s\S]*?)(\/?>)$/.exec(t);
    if (!m) return esc(t);
    var attrs = esc(m[3]).replace(/([^\s=]+)(\s*=\s*)("[^"]*"|'[^']*'|[^\s"']+)?/g, function (_, n, eq, v) {
      return '<span class="t-attr">' + n + "</span>" + eq + (v ? '<span class="t-val">' + v + "</span>" : "");
    });
    return '<span class="t-tag">' + esc(m[1]) + m[2] + "</span>" + attrs + '<span class="t-tag">' + esc(m[4]) + "</span>";
  }

  function highlight(text) {
    return tokens(text).map(function (tok) {
      var kind = tok[0], t = tok[1];
      if (kind === "comment" || kind === "doctype") return '<span class="t-com">' + esc(t) + "</span>";
      if (kind === "tpl") return '<span class="t-tpl">' + esc(t) + "</span>";
      if (kind === "open" || kind === "close") return highlightTag(t).replace(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g, function (x) { return '<span class="t-tpl">' + x + "</span>"; });
      return esc(t);
    }).join("");
  }

  function prettify(tab) {
    if (!tab) return;
    tab.querySelectorAll("pre[data-code]").forEach(function (pre) {
      if (pre.mkPretty) return;
      var text = pre.textContent;
      // A template is shown as written (its Jinja structure is the author's); built output is re-indented.
      var isTemplate = /\{%|\{\{/.test(text) && pre.dataset.code === "mjml" && /\{%\s*(extends|block|include)/.test(text);
      var view = document.createElement("pre");
      view.className = "mk-code is-pretty";
      view.tabIndex = 0;
      view.setAttribute("aria-label", (pre.dataset.code === "html" ? "HTML" : "MJML") + " source, highlighted");
      view.innerHTML = highlight(isTemplate ? text : pretty(text));
      pre.hidden = true;
      pre.parentNode.insertBefore(view, pre.nextSibling);
      pre.mkPretty = view;
    });
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text; area.style.position = "fixed"; area.style.opacity = "0";
      document.body.appendChild(area); area.select();
      var ok = document.execCommand("copy");
      area.remove();
      if (ok) resolve(); else reject(new Error("copy refused"));
    });
  }

  document.addEventListener("click", function (ev) {
    var b = ev.target.closest("[data-copy]");
    if (!b) return;
    var pre = b.parentNode.querySelector("pre[data-code]"), label = b.dataset.label || b.textContent;
    b.dataset.label = label;
    (pre.textContent ? copy(pre.textContent) : Promise.reject(new Error("not loaded"))).then(function () { b.textContent = "Copied"; }, function () { b.textContent = "Copy failed: select the text"; });
    setTimeout(function () { b.textContent = label; }, 2000);
  });

  window.mailkitCode = { prettify: prettify, pretty: pretty, highlight: highlight };
})();
