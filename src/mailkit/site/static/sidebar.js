// mailkit sidebar: drawn from window.MAILKIT_NAV (_mailkit/nav-data.js, written once per
// build) rather than copied into every page, and filtered by the search box. Each email
// link carries the current view (viewport, dark, tab, scenario) so it persists from email
// to email. Plain JS, works from file://.
(function () {
  "use strict";
  var KEY = "mailkit.view";
  var body = document.body, root = body.dataset.root || "", current = body.dataset.current || "";
  var tree = document.querySelector("[data-nav-tree]");
  var search = document.querySelector("[data-search]");
  var count = document.querySelector("[data-search-count]");
  var items = [];  // {li, text, flow, brand}

  function normal(s) {  // case, accents and apostrophes do not matter in a search
    return (s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[’‘`]/g, "'").toLowerCase();
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) if (attrs[k] !== undefined) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function viewQuery() {  // the email page's live view, else the last one seen
    if (window.mailkitView) return window.mailkitView();
    try { return sessionStorage.getItem(KEY) || ""; } catch (e) { return ""; }
  }

  function decorate() {
    var view = viewQuery();
    document.querySelectorAll("a[data-email-link]").forEach(function (a) {
      var q = new URLSearchParams(view);
      if (a.dataset.scenarioLink) q.set("scenario", a.dataset.scenarioLink);  // a home branch
      var text = q.toString();
      a.href = a.dataset.emailLink + (text ? "?" + text : "");
    });
  }

  // Brands fold: with many brands only the one in view (and those opened) stay open.
  var OPEN = "mailkit.nav.open", FEW = 3;
  function opened() {
    try { return JSON.parse(sessionStorage.getItem(OPEN) || "{}"); } catch (e) { return {}; }
  }
  function remember(slug, open) {
    var o = opened(); o[slug] = open;
    try { sessionStorage.setItem(OPEN, JSON.stringify(o)); } catch (e) { /* private mode */ }
  }
  function fold(section, toggle, open) {
    if (open) section.removeAttribute("data-collapsed"); else section.setAttribute("data-collapsed", "");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }

  function render() {
    var nav = window.MAILKIT_NAV;
    if (!tree || !nav) return;
    var frag = document.createDocumentFragment();
    var here = current.split("/")[0] || body.dataset.brand || "", state = opened();
    items = [];
    nav.brands.forEach(function (brand) {
      var section = el("section", { "class": "mk-nav-brand", "data-brand": brand.slug });
      var h2 = el("h2"), flows = el("div", { "class": "mk-nav-flows", id: "mk-nav-" + brand.slug });
      var toggle = el("button", { type: "button", "class": "mk-nav-toggle", "aria-controls": flows.id,
        "aria-label": "Show or hide the emails of " + brand.label });
      var link = el("a", { href: root + (brand.url || brand.slug + "/index.html") }, brand.label);
      if (brand.slug === body.dataset.brand) { link.className = "is-current"; link.setAttribute("aria-current", "page"); }
      h2.appendChild(toggle); h2.appendChild(link); section.appendChild(h2); section.appendChild(flows);
      var open = brand.slug === here || (brand.slug in state ? state[brand.slug] : nav.brands.length <= FEW);
      fold(section, toggle, open);
      toggle.addEventListener("click", function () {
        var now = section.hasAttribute("data-collapsed");
        fold(section, toggle, now); remember(brand.slug, now);
      });
      brand.flows.forEach(function (flow) {
        var h3 = el("h3", {}, flow.name + " ");
        h3.appendChild(el("small", {}, flow.trigger));
        var ul = el("ul");
        flow.emails.forEach(function (email) {
          var li = el("li");
          var a = el("a", { "data-email-link": root + email.url, href: root + email.url });
          if (email.url === current) { a.className = "is-current"; a.setAttribute("aria-current", "page"); }
          a.appendChild(el("span", { "class": "mk-delay" }, email.delay));
          a.appendChild(document.createTextNode(" " + email.name));
          li.appendChild(a);
          ul.appendChild(li);
          items.push({ li: li, ul: ul, h3: h3, section: section,
            text: normal([brand.label, brand.slug, flow.name, flow.trigger, email.name, email.subject,
              email.delay].concat(email.states).join(" ")) });
        });
        flows.appendChild(h3);
        flows.appendChild(ul);
      });
      frag.appendChild(section);
    });
    if (nav.report) {
      var p = el("p", { "class": "mk-nav-extra" });
      p.appendChild(el("a", { href: root + nav.report }, "Visual report"));
      frag.appendChild(p);
    }
    tree.textContent = "";
    tree.appendChild(frag);
    decorate();
    if (search && search.value) filter();
    var here = tree.querySelector(".is-current");
    if (here && here.scrollIntoView) here.scrollIntoView({ block: "nearest" });
  }

  function filter() {
    var words = normal(search.value).split(/\s+/).filter(Boolean);
    if (words.length) tree.setAttribute("data-searching", ""); else tree.removeAttribute("data-searching");
    var shown = 0;
    items.forEach(function (item) { item.ul.dataset.hit = ""; item.section.dataset.hit = ""; });
    items.forEach(function (item) {
      var hit = words.every(function (w) { return item.text.indexOf(w) >= 0; });
      item.li.hidden = !hit;
      if (hit) { shown++; item.ul.dataset.hit = "1"; item.section.dataset.hit = "1"; }
    });
    items.forEach(function (item) {
      item.ul.hidden = item.h3.hidden = !item.ul.dataset.hit;
      item.section.hidden = !item.section.dataset.hit;
    });
    if (count) count.textContent = words.length ? shown + " of " + items.length + " emails" : "";
  }

  if (search) {
    search.addEventListener("input", filter);
    search.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") { search.value = ""; filter(); }
      if (ev.key === "Enter") {
        var first = items.filter(function (i) { return !i.li.hidden; })[0];
        if (first) first.li.querySelector("a").click();
      }
    });
  }
  window.addEventListener("pageshow", decorate);
  window.mailkitSidebar = {
    render: render, decorate: decorate, filter: filter,
    reload: function () {  // serve: a rebuild may have changed the list
      var s = document.createElement("script");
      s.src = root + "_mailkit/nav-data.js?t=" + Date.now();
      s.onload = function () { render(); s.remove(); };
      document.body.appendChild(s);
    }
  };
  render();
})();
