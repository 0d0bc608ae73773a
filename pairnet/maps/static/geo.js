// The geographic view: zoom and pan by the viewBox, a tooltip per county, a click opens the
// county's gap view, and labels kept at a fixed on-screen size with colliding ones hidden.
(function () {
  "use strict";
  var LABEL_PX = 13;
  var data = JSON.parse(document.getElementById("geo-data").textContent);
  // The page's texts come from the catalog, in the page's language (pairnet.maps.render).
  var TEXT = {
    covered: data.texts.paired,
    share: data.texts.coverage,
    noData: data.texts.noData,
    open: data.texts.openGaps,
    unmatched: data.texts.unmatched,
  };
  var svg = document.getElementById("map");
  var tip = document.getElementById("tip");
  var labels = Array.prototype.slice.call(document.querySelectorAll("#labels text"));
  var home = svg.viewBox.baseVal;
  var view = { x: home.x, y: home.y, w: home.width, h: home.height };
  var initial = { x: view.x, y: view.y, w: view.w, h: view.h };

  function pixelsPerUnit() {
    var box = svg.getBoundingClientRect();
    return Math.min(box.width / view.w, box.height / view.h);
  }

  // Labels: a fixed on-screen size at any zoom; greedy placement in document order (counties
  // with figures first), a label that would overlap one already placed is hidden. Boxes are
  // estimated from one measured label (names are CJK, one em per character), so that a
  // national map with thousands of labels needs no layout per label.
  var em = null;
  var OFFSETS = [[0, 0], [0, -1.1], [0, 1.1], [-0.6, 0], [0.6, 0]];
  var homes = labels.map(function (label) { return [+label.getAttribute("x"), +label.getAttribute("y")]; });
  var shapes = labels.map(function (label) { return document.getElementById(label.dataset.for); });
  function measure(size) {
    var probe = labels[0];
    probe.removeAttribute("hidden");
    probe.style.fontSize = size + "px";
    var box = probe.getBBox();
    return { width: box.width / size / Math.max(probe.textContent.length, 1), height: box.height / size };
  }

  function placeLabels() {
    if (!labels.length) return;
    var k = pixelsPerUnit();
    var size = LABEL_PX / k;
    var gap = 2 / k;
    em = em || measure(size);
    var placed = [];
    labels.forEach(function (label, i) {
      var w = label.textContent.length * em.width * size, h = em.height * size;
      // At the county's centre, else just above, below, left or right of it if that point
      // is still inside the county: a crowded label moves before it is hidden.
      var spot = null;
      for (var c = 0; c < OFFSETS.length && !spot; c++) {
        var x = homes[i][0] + OFFSETS[c][0] * w, y = homes[i][1] + OFFSETS[c][1] * h;
        var box = { left: x - w / 2 - gap, right: x + w / 2 + gap, top: y - h / 2 - gap, bottom: y + h / 2 + gap };
        var inside = box.right > view.x && box.left < view.x + view.w && box.bottom > view.y && box.top < view.y + view.h;
        if (!inside || placed.some(function (p) {
          return box.left < p.right && box.right > p.left && box.top < p.bottom && box.bottom > p.top;
        })) continue;
        if (c > 0 && !(shapes[i] && shapes[i].isPointInFill(new DOMPoint(x, y)))) continue;
        spot = { x: x, y: y, box: box };
      }
      if (!spot !== label.hasAttribute("hidden")) label.toggleAttribute("hidden", !spot);
      if (spot) {
        label.setAttribute("x", spot.x);
        label.setAttribute("y", spot.y);
        label.style.fontSize = size + "px";
        placed.push(spot.box);
      }
    });
  }

  function apply() {
    svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" "));
    placeLabels();
  }

  function zoom(factor, cx, cy) {
    var w = view.w / factor, h = view.h / factor;
    if (w > initial.w * 1.5 || w < initial.w / 60) return;
    view.x = cx - (cx - view.x) / factor;
    view.y = cy - (cy - view.y) / factor;
    view.w = w;
    view.h = h;
    apply();
  }

  function toMap(event) {
    var point = svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    return point.matrixTransform(svg.getScreenCTM().inverse());
  }

  svg.addEventListener("wheel", function (event) {
    event.preventDefault();
    var p = toMap(event);
    zoom(event.deltaY < 0 ? 1.25 : 0.8, p.x, p.y);
  }, { passive: false });

  var drag = null;
  svg.addEventListener("pointerdown", function (event) {
    drag = { x: event.clientX, y: event.clientY, moved: false };
  });
  window.addEventListener("pointermove", function (event) {
    if (!drag) return;
    var k = pixelsPerUnit();
    var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
    if (!drag.moved) return;
    view.x -= dx / k;
    view.y -= dy / k;
    drag.x = event.clientX;
    drag.y = event.clientY;
    svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" "));
  });
  window.addEventListener("pointerup", function () {
    if (drag && drag.moved) placeLabels();
    setTimeout(function () { drag = null; }, 0);
  });

  function centre() {
    return [view.x + view.w / 2, view.y + view.h / 2];
  }
  document.getElementById("zoom-in").addEventListener("click", function () { var c = centre(); zoom(1.5, c[0], c[1]); });
  document.getElementById("zoom-out").addEventListener("click", function () { var c = centre(); zoom(1 / 1.5, c[0], c[1]); });
  document.getElementById("zoom-reset").addEventListener("click", function () {
    view = { x: initial.x, y: initial.y, w: initial.w, h: initial.h };
    apply();
  });

  function line(text, strong) {
    var div = document.createElement("div");
    if (strong) div.style.fontWeight = "bold";
    div.textContent = text;
    return div;
  }

  document.getElementById("shapes").addEventListener("mousemove", function (event) {
    var county = data.counties[event.target.id];
    if (!county) return;
    tip.replaceChildren(line(county.name + (county.code ? " " + county.code : ""), true));
    if (!county.code) {
      tip.appendChild(line(TEXT.unmatched));
    } else if (county.figures) {
      var f = county.figures;
      tip.appendChild(line(TEXT.covered + ": " + f.covered + "/" + f.targets));
      tip.appendChild(line(TEXT.share + ": " + Math.round(f.share * 1000) / 10 + "%"));
      tip.appendChild(line(TEXT.open));
    } else {
      tip.appendChild(line(TEXT.noData));
    }
    var box = svg.parentNode.getBoundingClientRect();
    tip.style.left = Math.min(event.clientX - box.left + 14, box.width - 290) + "px";
    tip.style.top = event.clientY - box.top + 14 + "px";
    tip.style.display = "block";
  });
  document.getElementById("shapes").addEventListener("mouseleave", function () { tip.style.display = "none"; });
  document.getElementById("shapes").addEventListener("click", function (event) {
    var county = data.counties[event.target.id];
    if (county && county.href && !(drag && drag.moved)) window.location.href = county.href;
  });

  window.addEventListener("resize", placeLabels);
  placeLabels();
  // For tests and benchmarks: when the map became interactive (ms since navigation).
  window.pairnetGeo = { readyAt: performance.now() };
  document.body.dataset.ready = "true";
})();
