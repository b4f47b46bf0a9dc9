// mailkit client views: the email as mail apps that do not show it as written show it.
// What each view emulates, its sources and what it cannot know are in check/clients.py
// (VIEWS); this file is its port for the browser, used by the preview (app.js) and by
// `mailkit snapshot` (visual/clients.py runs it in a page and shoots the HTML it hands
// back), so a baseline is what the preview shows.
//
//   prepare(html, id)        the HTML the client starts from (a string: no DOM needed)
//   finish(doc, id, opts)    what it does to the laid-out email (recolouring, Word's CSS)
//   serialize(doc)           the result as HTML again
//
// The colour maps are clients.py's `partial` and `full`, the same math in the same
// order (a test holds them to agree on hundreds of colours); applyMso is its `apply_mso`,
// the same grammar. The Outlook view knows no caniemail data: Python writes the table of
// the email's unsupported declarations into its sources (site/clients.py), and this file
// only looks declarations up in it. No dependency, no network, works from file://.
(function () {
  "use strict";

  // sRGB (D65) → XYZ, adapted to D50, → CIELAB, as Blink's DarkModeSRGBColorSpace: clients.py
  var TO_XYZ = [[0.4348794143, 0.382018884188, 0.147313616029],
                [0.222123114626, 0.715954477566, 0.06192239174],
                [0.007011702482, 0.078393282334, 0.73978322336]];
  var FROM_XYZ = [[3.134231134, -1.618861499, -0.488617658],
                  [-0.978788898, 1.915210658, 0.034597307],
                  [0.074013814, -0.187607221, 1.352712272]];
  var D50 = [0.964212, 1.0, 0.825188];
  var E = 216 / 24389, K = 24389 / 27;

  function linear(c) { return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); }

  function encode(c) {
    c = Math.min(Math.max(c, 0.0), 1.0);
    c = c <= 0.0031308 ? 12.92 * c : 1.055 * Math.pow(c, 1 / 2.4) - 0.055;
    return Math.floor(c * 255 + 0.5);
  }

  function dot(row, v) { return 0 + row[0] * v[0] + row[1] * v[1] + row[2] * v[2]; }

  function toLab(rgb) {
    var lin = [linear(rgb[0] / 255), linear(rgb[1] / 255), linear(rgb[2] / 255)];
    var f = [0, 1, 2].map(function (i) {
      var t = dot(TO_XYZ[i], lin) / D50[i];
      return t > E ? Math.pow(t, 1 / 3) : (K * t + 16) / 116;
    });
    return [Math.min(Math.max(116 * f[1] - 16, 0.0), 100.0), 500 * (f[0] - f[1]), 200 * (f[1] - f[2])];
  }

  function fromLab(lab) {
    var l = Math.min(Math.max(lab[0], 0.0), 100.0), fy = (l + 16) / 116;
    var f = [fy + lab[1] / 500, fy, fy - lab[2] / 200];
    var xyz = f.map(function (t, i) {
      var cube = Math.pow(t, 3);
      return (cube > E ? cube : (116 * t - 16) / K) * D50[i];
    });
    return FROM_XYZ.map(function (row) { return encode(dot(row, xyz)); });
  }

  function brightness(rgb) { return Math.floor((rgb[0] * 299 + rgb[1] * 587 + rgb[2] * 114) / 1000); }

  // Chromium's force dark: `role` is "background", "text" or "border" (borders follow text).
  function partial(rgb, role) {
    var darken = role === "background" ? brightness(rgb) > 205 : brightness(rgb) < 150;
    if (!darken) return rgb.slice(0, 3);
    var lab = toLab(rgb), out = fromLab([Math.min(110 - lab[0], 100.0), lab[1], lab[2]]);
    if (out[0] === out[1] && out[1] === out[2] && out[0] > 18 && out[0] < 32) return [18, 18, 18];
    return out;
  }

  // Every colour's lightness inverted, whatever its role.
  function full(rgb) {
    var lab = toLab(rgb);
    return fromLab([100 - lab[0], lab[1], lab[2]]);
  }

  var MAPS = { partial: partial, full: full };

  // Word's conditional comments (clients.py's mso_condition and apply_mso).
  var REVEALED = /<!--\[if ([^\]]+)\]><!-->([\s\S]*?)<!--<!\[endif\]-->/gi;
  var HIDDEN = /<!--\[if ([^\]]+)\]>([\s\S]*?)<!\[endif\]-->/gi;
  var TOKEN = /\s*(\(|\)|!|\||&|lte|lt|gte|gt|mso|ie|vml|\d+(?:\.\d+)?)/gi;
  var WORD = { mso: 16.0, vml: 1.0 };

  function msoCondition(expr, env) {
    env = env || WORD;
    var tokens = [], m, pos = 0;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(expr))) tokens.push(m[1].toLowerCase());
    function take() { pos += 1; return pos <= tokens.length ? tokens[pos - 1] : ""; }
    function atom() {
      var token = take();
      if (token === "!") return !atom();
      if (token === "(") { var inner = either(); take(); return inner; }
      var op = "";
      if (["lt", "lte", "gt", "gte"].indexOf(token) >= 0) { op = token; token = take(); }
      var have = Object.prototype.hasOwnProperty.call(env, token) ? env[token] : null;
      var version = pos < tokens.length && /^\d/.test(tokens[pos]) ? parseFloat(take()) : null;
      if (have === null) return false;
      if (version === null) return true;
      return { lt: have < version, lte: have <= version, gt: have > version, gte: have >= version,
               "": Math.trunc(have) === Math.trunc(version) }[op];
    }
    function both() {
      var value = atom();
      while (pos < tokens.length && tokens[pos] === "&") { take(); var next = atom(); value = next && value; }
      return value;
    }
    function either() {
      var value = both();
      while (pos < tokens.length && tokens[pos] === "|") { take(); var next = both(); value = next || value; }
      return value;
    }
    return either();
  }

  function applyMso(html, env) {
    var keep = function (m, expr, body) { return msoCondition(expr, env) ? body : ""; };
    return html.replace(REVEALED, keep).replace(HIDDEN, keep);
  }

  // The start of each view, as text.
  var DARK_MEDIA = /@media[^{]*prefers-color-scheme\s*:\s*dark[^{]*\{/gi;
  var SCHEME_DECL = /(^|[;{\s"'])((?:supported-)?color-schemes?\s*:[^;}"']*;?)/gi;
  var SCHEME_META = /<meta\b[^>]*\bname\s*=\s*["']?(?:supported-)?color-schemes?\b[^>]*>/gi;

  function closing(text, open) {  // the index of the brace closing the one at `open`
    var depth = 0;
    for (var i = open; i < text.length; i++) {
      if (text[i] === "{") depth++;
      else if (text[i] === "}" && --depth === 0) return i;
    }
    return text.length - 1;
  }

  function stripBlocks(text, pattern) {
    var out = "", at = 0, m;
    pattern.lastIndex = 0;
    while ((m = pattern.exec(text))) {
      var end = closing(text, m.index + m[0].length - 1);
      out += text.slice(at, m.index);
      at = pattern.lastIndex = end + 1;
    }
    return out + text.slice(at);
  }

  function prepare(html, id) {
    if (id === "partial" || id === "full") {  // the client ignores the email's dark rules
      return stripBlocks(html, DARK_MEDIA).replace(SCHEME_META, "")
        .replace(SCHEME_DECL, function (m, before) { return before; });
    }
    if (id === "outlook") return applyMso(html).replace(/<xml\b[\s\S]*?<\/xml>/gi, "");  // Word's settings, never shown
    return html;
  }

  // Declarations split as check/css.py's split_top and declarations read them.
  function splitTop(text, sep) {
    var parts = [], depth = 0, quote = "", start = 0;
    for (var i = 0; i < text.length; i++) {
      var ch = text[i];
      if (quote) { if (ch === quote) quote = ""; }
      else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === "(" || ch === "[") depth++;
      else if (ch === ")" || ch === "]") depth = Math.max(0, depth - 1);
      else if (ch === sep && depth === 0) { parts.push(text.slice(start, i)); start = i + 1; }
    }
    parts.push(text.slice(start));
    return parts;
  }

  function declarationKey(part) {  // site/clients.py's key of a declaration
    var colon = part.indexOf(":");
    if (colon < 0) return "";
    var value = part.slice(colon + 1).trim().replace(/!\s*important\s*$/i, "").trim();
    return (part.slice(0, colon).trim() + ":" + value).toLowerCase();
  }

  // `text` without the declarations the table names; each dropped one counted in `seen`.
  function dropDeclarations(text, table, seen) {
    var kept = splitTop(text.replace(/\/\*[\s\S]*?\*\//g, " "), ";").filter(function (part) {
      var key = declarationKey(part), slugs = key && table[key];
      if (!slugs) return true;
      seen[key] = (seen[key] || 0) + 1;
      return false;
    });
    return kept.join(";");
  }

  // A stylesheet as Word reads it: no @media block, no unsupported declaration.
  function wordSheet(css, table, seen) {
    var out = "", at = 0;
    css = css.replace(/\/\*[\s\S]*?\*\//g, " ");
    while (at < css.length) {
      var open = css.indexOf("{", at);
      if (open < 0) { out += css.slice(at); break; }
      var close = closing(css, open), prelude = css.slice(at, open), body = css.slice(open + 1, close);
      var media = prelude.search(/@media\b/i);
      if (media >= 0) out += prelude.slice(0, media);
      else out += prelude + "{" + (body.indexOf("{") >= 0 ? body : dropDeclarations(body, table, seen)) + "}";
      at = close + 1;
    }
    return out;
  }

  function rgba(text) {  // a computed colour → [r, g, b, a], or null when transparent
    var m = /rgba?\(([^)]*)\)/.exec(text || "");
    if (!m) return null;
    var p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    var a = p.length > 3 ? p[3] : 1;
    return a > 0 ? [Math.round(p[0]), Math.round(p[1]), Math.round(p[2]), a] : null;
  }

  function css(rgb, a) { return a < 1 ? "rgba(" + rgb.join(", ") + ", " + a + ")" : "rgb(" + rgb.join(", ") + ")"; }

  var SIDES = ["top", "right", "bottom", "left"];
  var UNPAINTED = { HEAD: 1, META: 1, TITLE: 1, STYLE: 1, LINK: 1, SCRIPT: 1, BASE: 1, NOSCRIPT: 1 };

  // Every element's background, text and border colours through the client's map,
  // written inline (over any !important of the email); images are left as they are. All
  // colours are read before any is written: a child inherits its parent's original.
  function recolour(doc, id, canvas) {
    var map = MAPS[id], win = doc.defaultView, changes = [];
    Array.prototype.forEach.call(doc.querySelectorAll("*"), function (el) {
      if (UNPAINTED[el.tagName.toUpperCase()]) return;
      var cs = win.getComputedStyle(el), c;
      if ((c = rgba(cs.backgroundColor))) changes.push([el, "background-color", css(map(c, "background"), c[3])]);
      if ((c = rgba(cs.color))) changes.push([el, "color", css(map(c, "text"), c[3])]);
      SIDES.forEach(function (side) {
        var style = cs.getPropertyValue("border-" + side + "-style");
        if (style === "none" || style === "hidden" || !(parseFloat(cs.getPropertyValue("border-" + side + "-width")) > 0)) return;
        if ((c = rgba(cs.getPropertyValue("border-" + side + "-color")))) {
          changes.push([el, "border-" + side + "-color", css(map(c, "border"), c[3])]);
        }
      });
    });
    var root = doc.documentElement, body = doc.body;
    if (!rgba(win.getComputedStyle(root).backgroundColor) && !(body && rgba(win.getComputedStyle(body).backgroundColor))) {
      changes.push([root, "background-color", css(canvas || [18, 18, 18], 1)]);  // the client's own canvas
    }
    changes.forEach(function (x) { x[0].style.setProperty(x[1], x[2], "important"); });
    return changes.length;
  }

  // What the client does to the email once it is laid out in `doc`; returns what it did.
  // opts: {canvas: [r, g, b] (clients.CANVAS), outlook: {declaration key: [slugs]}}.
  function finish(doc, id, opts) {
    opts = opts || {};
    var done = { view: id, recoloured: 0, dropped: {} };
    if (id === "partial" || id === "full") done.recoloured = recolour(doc, id, opts.canvas);
    else if (id === "nostyle") {
      Array.prototype.forEach.call(doc.querySelectorAll("style, link"), function (el) { el.remove(); });
    } else if (id === "outlook") {
      var table = opts.outlook || {};
      Array.prototype.forEach.call(doc.querySelectorAll("style"), function (el) {
        if (el.hasAttribute("media")) el.remove();  // a media query, which Word ignores
        else el.textContent = wordSheet(el.textContent, table, done.dropped);
      });
      Array.prototype.forEach.call(doc.querySelectorAll("[style]"), function (el) {
        var style = el.getAttribute("style"), hide = /(^|;)\s*mso-hide\s*:\s*all/i.test(style);
        var kept = dropDeclarations(style, table, done.dropped);
        if (kept !== style) el.setAttribute("style", kept);
        if (hide) el.style.setProperty("display", "none", "important");  // Word hides it
      });
    }
    return done;
  }

  function serialize(doc) { return "<!doctype html>\n" + doc.documentElement.outerHTML; }

  window.mailkitClients = {
    partial: partial, full: full, msoCondition: msoCondition, applyMso: applyMso,
    prepare: prepare, finish: finish, serialize: serialize, declarationKey: declarationKey
  };
})();
