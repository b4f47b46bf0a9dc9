// mailkit brand home: where `mailkit snapshot` has cached no thumbnail, each email's
// miniature is drawn from its own built HTML (`<state>.html` beside its page): a frame
// 800 px wide, its top 1 000 px scaled into the box, as the snapshot's thumbnails are.
// The frame is a picture: sandboxed (no script, no form, no navigation), inert
// (no focus, no click: the link around it opens the email), hidden from screen readers
// (the link says what it opens). Works over file:// and under `mailkit serve`.
//
// A brand home may show dozens of emails: only the boxes within half a window of the
// view get a frame, at most AT_ONCE loading at a time, and a frame scrolled further away
// is dropped, so the documents alive stay about two windows' worth whatever the brand's
// size. Without JavaScript, a box shows the email's subject.
(function () {
  "use strict";
  var WIDTH = 800, AT_ONCE = 3, NEAR = "50% 0px";
  var queue = [], loading = 0, stats = { loaded: 0, most: 0 };
  var ready = false;  // the observer has said, once, which boxes are near the view
  var observer, resizer;

  function fit(box) {
    var frame = box.querySelector("iframe");
    if (frame) frame.style.transform = "scale(" + box.clientWidth / WIDTH + ")";
  }

  function draw(box) {
    var frame = document.createElement("iframe");
    frame.setAttribute("sandbox", "allow-same-origin");  // no script: its images load over file://
    frame.setAttribute("inert", "");
    frame.setAttribute("tabindex", "-1");
    frame.setAttribute("aria-hidden", "true");
    frame.setAttribute("title", "");
    frame.addEventListener("load", function () {
      if (box.mkState !== "loading") return;
      box.mkState = "drawn";
      box.classList.add("is-drawn");
      loading--;
      stats.loaded++;
      next();
    });
    box.mkState = "loading";
    loading++;
    stats.most = Math.max(stats.most, loading);
    frame.src = box.dataset.thumb;
    box.appendChild(frame);
    fit(box);
  }

  function next() {
    while (loading < AT_ONCE && queue.length) draw(queue.shift());
  }

  function drop(box) {  // out of reach: its document goes
    if (box.mkState === "queued") queue.splice(queue.indexOf(box), 1);
    if (box.mkState === "loading") loading--;
    var frame = box.querySelector("iframe");
    if (frame) frame.remove();
    box.classList.remove("is-drawn");
    box.mkState = "";
  }

  function seen(entries) {
    ready = true;
    entries.forEach(function (e) {
      var box = e.target;
      if (e.isIntersecting && !box.mkState) { box.mkState = "queued"; queue.push(box); }
      else if (!e.isIntersecting && box.mkState) drop(box);
    });
    next();
  }

  // Every box of the page, again after `mailkit serve` replaced the page's content.
  function scan() {
    if (observer) { observer.disconnect(); resizer.disconnect(); }
    queue = []; loading = 0;
    var boxes = document.querySelectorAll("[data-thumb]");
    ready = !boxes.length || !("IntersectionObserver" in window);  // nothing to wait for
    if (!("IntersectionObserver" in window)) return;
    observer = new IntersectionObserver(seen, { rootMargin: NEAR });
    resizer = new ResizeObserver(function (entries) { entries.forEach(function (e) { fit(e.target); }); });
    boxes.forEach(function (box) {
      box.mkState = "";
      observer.observe(box);
      resizer.observe(box);
    });
  }

  scan();
  window.mailkitThumbs = {  // for serve/client.js, and for tests: what is alive, loading, loaded
    scan: scan,
    stats: function () {
      return { ready: ready, frames: document.querySelectorAll("[data-thumb] iframe").length, loading: loading,
               queued: queue.length, loaded: stats.loaded, mostAtOnce: stats.most };
    }
  };
})();
