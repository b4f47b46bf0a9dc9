// mailkit email page: the email's sources, loaded from `sources.js` beside the page
// (one script per email: every state's HTML, text and MJML, the template once, the
// Klaviyo export once), instead of being copied into the page. A script, not a fetch:
// a page opened from file:// may run a script beside it but not fetch a file. The data
// is gzip-compressed JSON in base64, inflated with the browser's DecompressionStream.
//
// From it: the frame's HTML (app.js), the code tabs filled when first opened, the
// Klaviyo and Checks tabs, and the facts panel (size, links, images), computed here from
// the HTML rather than by the build, with the build's SpamAssassin score. A payload that
// does not load says so where it is missing.
(function () {
  "use strict";
  var KLAVIYO_TAG = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g;  // klaviyo.tokens.KLAVIYO_TAG
  var CLIP = 102 * 1024;  // Gmail clips an email beyond 102 KB
  var data = null, failure = "", generation = 0, loading = 0;

  function esc(s) {
    return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  function fileName() {
    var tag = document.querySelector("script[data-sources]");
    return tag ? tag.getAttribute("src").split("?")[0] : "sources.js";
  }

  function inflate(packed) {
    var binary = atob(packed), bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(JSON.parse);
  }

  function index(raw) {  // scenario → its sources
    var states = {};
    raw.scenarios.forEach(function (s, i) {
      states[s] = { html: raw.html[i], text: raw.text[i], mjml: raw.mjml[i],
                    template: raw.templates[raw.template[i]], checks: raw.checks[i] || "",
                    spam: (raw.spam || [])[i] || "" };
    });
    var klaviyo = raw.klaviyo;
    if (klaviyo && raw.klaviyo_html) klaviyo.html = raw.klaviyo_html;
    return { states: states, klaviyo: klaviyo, outlook: raw.outlook || {} };
  }

  // The script tag in the page has already run (or failed); `again` fetches a fresh copy
  // (the dev server rebuilt it: http, where fetch is allowed). Resolves once the data is
  // in, or the failure is known.
  function load(again) {
    var mine = ++loading, name = fileName();
    var got = !again ? Promise.resolve(window.MAILKIT_SOURCES) :
      fetch(name, { cache: "no-store" }).then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (text) { var m = /MAILKIT_SOURCES = "([^"]*)"/.exec(text); return m ? m[1] : undefined; });
    return got.then(function (packed) {
      if (typeof packed !== "string") throw new Error("missing");
      if (typeof DecompressionStream !== "function") throw new Error("old");
      return inflate(packed);
    }).then(function (raw) {
      if (mine !== loading) return;
      data = index(raw); failure = ""; generation++;
    }, function (err) {
      if (mine !== loading || (again && data)) return;  // a failed refresh keeps what is shown
      failure = err.message === "missing" ?
        "This email’s sources did not load: " + name + " beside this page is missing or unreadable. Run mailkit build again." :
        err.message === "old" ?
        "This browser cannot unpack this email’s sources: it needs DecompressionStream (Chromium 80, Firefox 113, Safari 16.4 or later)." :
        "This email’s sources could not be read from " + name + " (" + err.message + "). Run mailkit build again.";
      generation++;
    });
  }

  function state(scenario) { return data && data.states[scenario] || null; }

  // The failure, said once at the top of `host`; removed once the sources are in.
  function say(host) {
    var note = host.querySelector(":scope > [data-sources-error]");
    if (!failure) { if (note) note.remove(); return !!data; }
    if (!note) {
      note = document.createElement("p");
      note.className = "mk-bad mk-sources-error";
      note.setAttribute("role", "alert");
      note.dataset.sourcesError = "";
      host.insertBefore(note, host.firstChild);
    }
    note.textContent = failure;
    return false;
  }

  function highlightKlaviyo(text) {
    var out = "", last = 0, m;
    KLAVIYO_TAG.lastIndex = 0;
    while ((m = KLAVIYO_TAG.exec(text))) {
      out += esc(text.slice(last, m.index)) + '<mark class="kl-tag">' + esc(m[0]) + "</mark>";
      last = KLAVIYO_TAG.lastIndex;
    }
    return out + esc(text.slice(last));
  }

  function klaviyo(k) {
    if (!k || k.pending) return "<p>Exporting… (the dev server shows a save first, then this)</p>";
    if (k.error) return '<p class="mk-bad">The export failed: <code>' + esc(k.error) + "</code></p>";
    return '<div class="mk-klaviyo"><p>One Klaviyo template serves every scenario of this email. ' +
      "Template name <strong>" + esc(k.name) + "</strong></p>" +
      "<p>Subject <span>" + highlightKlaviyo(k.subject) + "</span><br>Preheader <span>" + highlightKlaviyo(k.preheader) + "</span></p>" +
      "<h2>Klaviyo tags and variables <small>" + k.tags.length + '</small></h2><ul class="mk-tags">' +
      k.tags.map(function (t) { return "<li><code>" + esc(t) + "</code></li>"; }).join("") + "</ul>" +
      '<h2>HTML</h2><pre tabindex="0" class="mk-code">' + highlightKlaviyo(k.html) + "</pre>" +
      '<h2>Text</h2><pre tabindex="0" class="mk-code mk-text">' + highlightKlaviyo(k.text) + "</pre></div>";
  }

  // Fill the [data-source] elements of one tab panel with `scenario`'s sources, once
  // per load of the data: opening a tab costs nothing until then.
  function fill(tab, scenario) {
    if (!tab || !say(tab)) return;
    var s = state(scenario);
    tab.querySelectorAll("[data-source]").forEach(function (el) {
      if (el.mkGeneration === generation) return;
      el.mkGeneration = generation;
      if (el.dataset.source === "klaviyo") { el.innerHTML = klaviyo(data.klaviyo); return; }
      if (el.dataset.source === "checks") { el.innerHTML = s ? s.checks : ""; return; }  // HTML the build rendered
      var text = s ? s[el.dataset.source] || "" : "";
      if (el.textContent === text) return;  // unchanged: its highlighted view stays
      el.textContent = text;
      if (el.mkPretty) { el.mkPretty.remove(); el.mkPretty = null; el.hidden = false; }
    });
  }

  function whatsapp(href, hosts) {
    try {
      var url = new URL(href);
      return hosts.indexOf(url.hostname.toLowerCase()) >= 0 ? url.searchParams.get("text") || "" : "";
    } catch (e) { return ""; }
  }

  // What the facts panel says of an email: its size, its links (a WhatsApp message
  // decoded) and its images, read from the HTML as a mail client parses it.
  function facts(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var head = document.querySelector("[data-whatsapp-hosts]");
    var hosts = head ? head.dataset.whatsappHosts.split(" ") : [];
    var words = function (t) { return t.split(/\s+/).filter(Boolean).join(" "); };
    return {
      bytes: new TextEncoder().encode(html).length,
      links: Array.prototype.map.call(doc.querySelectorAll("a"), function (a) {
        var href = a.getAttribute("href") || "";
        var label = words(a.textContent) || Array.prototype.map.call(a.querySelectorAll("img"),
          function (i) { return i.getAttribute("alt") || ""; }).join(" ").trim();
        return { label: label, href: href, decoded: whatsapp(href, hosts) };
      }),
      images: Array.prototype.map.call(doc.querySelectorAll("img"), function (i) {
        return { src: i.getAttribute("src") || "", alt: i.getAttribute("alt"), width: i.getAttribute("width") || "" };
      })
    };
  }

  function showFacts(panel, scenario) {
    var size = panel.querySelector('[data-facts="size"]'), lists = panel.querySelector('[data-facts="lists"]');
    if (!size || size.mkGeneration === generation && lists.mkGeneration === generation) return;
    size.mkGeneration = lists.mkGeneration = generation;
    var s = state(scenario);
    if (!say(size) || !s) return;
    var f = facts(s.html), spam = panel.querySelector('[data-facts="spam"]');
    if (spam) spam.textContent = s.spam;  // the last `mailkit check --spam`, by content
    size.innerHTML = "<h2>Size</h2><p><strong>" + (f.bytes / 1024).toFixed(1) + " KB</strong> of 102 KB (Gmail clips beyond) " +
      '<meter min="0" max="1" low="0.8" high="0.9" optimum="0.2" value="' + (f.bytes / CLIP).toFixed(3) +
      '" aria-label="Share of Gmail’s 102 KB"></meter></p>';
    lists.innerHTML = "<h2>Links <small>" + f.links.length + '</small></h2><ul class="mk-links">' +
      f.links.map(function (l) {
        return "<li><span>" + esc(l.label || "(no label)") + "</span> <code>" + esc(l.href) + "</code>" +
          (l.decoded ? '<q class="mk-decoded" title="WhatsApp message, decoded">' + esc(l.decoded) + "</q>" : "") + "</li>";
      }).join("") + "</ul><h2>Images <small>" + f.images.length + '</small></h2><ul class="mk-images">' +
      f.images.map(function (i) {
        var alt = i.alt === null ? '<em class="mk-bad">no alt</em>' :
          i.alt ? "alt «\u00a0" + esc(i.alt) + "\u00a0»" : '<em>decorative (alt="")</em>';
        return "<li><code>" + esc(i.src) + '</code><span class="mk-img-facts">' + (i.width ? esc(i.width) + " px · " : "") + alt + "</span></li>";
      }).join("") + "</ul>";
  }

  window.mailkitPayload = {
    load: load, fill: fill, facts: facts, showFacts: showFacts, say: say,
    html: function (scenario) { var s = state(scenario); return s ? s.html : null; },
    outlook: function () { return data ? data.outlook : {}; },  // site/clients.py's table
    failed: function () { return failure; }
  };
})();
