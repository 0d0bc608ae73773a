// pairnet map controls: draws the network, shades the bands, search, and the unit panel.
// Every name reaches the page through textContent or canvas fillText, never as HTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(document.getElementById("map"), { nodes: nodes, edges: edges }, data.options);
  var state = { network: network, nodes: nodes, edges: edges, ready: false, showInfo: showInfo, focusOn: focusOn };
  window.pairnetMap = state;
  state.boxes = data.boxes;  // their captions, as the program filter recounts them (for tests and tools)

  network.on("beforeDrawing", function (ctx) {
    data.boxes.forEach(function (box, index) {
      ctx.fillStyle = index % 2 ? "rgba(120, 120, 120, 0.07)" : "rgba(70, 110, 160, 0.08)";
      ctx.fillRect(box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0);
    });
  });

  // Labels by level of detail: drawn after each frame at a fixed size on screen, band and
  // township captions first, then nodes by rank (counties, townships, ..., schools); a label
  // that would overlap one already placed, or a node, tries the other sides of its node and
  // is left out if none is free. Zooming in makes room, and more labels appear.
  var LABEL_PX = 13;
  var CAPTION_PX = 14;
  var FONT = "'Noto Sans CJK SC', 'Noto Sans SC', sans-serif";
  var CELL = 48;
  var placed = [];
  var placedKey = "";
  var hiddenIds = {};
  var order = data.nodes.slice().sort(function (a, b) { return (a.rank || 0) - (b.rank || 0); });

  function Grid() { this.cells = {}; }
  Grid.prototype.keys = function (r) {
    var keys = [];
    for (var cx = Math.floor(r.x / CELL); cx <= Math.floor((r.x + r.w) / CELL); cx++) {
      for (var cy = Math.floor(r.y / CELL); cy <= Math.floor((r.y + r.h) / CELL); cy++) { keys.push(cx + ":" + cy); }
    }
    return keys;
  };
  Grid.prototype.free = function (r, own) {
    var keys = this.keys(r);
    for (var k = 0; k < keys.length; k++) {
      var cell = this.cells[keys[k]] || [];
      for (var i = 0; i < cell.length; i++) {
        var o = cell[i];
        if (o.own !== own && r.x < o.x + o.w && o.x < r.x + r.w && r.y < o.y + o.h && o.y < r.y + r.h) { return false; }
      }
    }
    return true;
  };
  Grid.prototype.add = function (r) {
    var self = this;
    this.keys(r).forEach(function (key) { (self.cells[key] = self.cells[key] || []).push(r); });
  };

  function layoutLabels(ctx) {
    var frame = document.getElementById("map");
    var width = frame.clientWidth, height = frame.clientHeight;
    var scale = network.getScale();
    var grid = new Grid();
    var result = [];
    function onScreen(r) { return r.x + r.w > 0 && r.x < width && r.y + r.h > 0 && r.y < height; }
    ctx.font = "bold " + CAPTION_PX + "px " + FONT;
    data.boxes.forEach(function (box) {
      var left = network.canvasToDOM({ x: box.x0, y: box.y0 });
      var right = network.canvasToDOM({ x: box.x1, y: box.y0 });
      var texts = [box.label, String(box.label).split(" (")[0]];
      // The full caption where it fits the box's width, else its short form; at the box's
      // left corner, then at its right.
      var room = right.x - left.x - 12;
      if (ctx.measureText(texts[0]).width + 4 > room && texts[1] !== texts[0]) { texts.shift(); }
      for (var t = 0; t < texts.length * 2; t++) {
        var text = texts[t % texts.length];
        var w = ctx.measureText(text).width + 4, h = CAPTION_PX + 4;
        // Kept inside the map when the box reaches beyond it (e.g. in a view that opens zoomed in).
        var x = t < texts.length ? Math.max(left.x, 0) + 6 : Math.min(right.x, width) - w - 6;
        var r = { x: x, y: box.above ? left.y - h - 2 : left.y + 4, w: w, h: h, text: text, px: CAPTION_PX, bold: true, caption: true };
        if (grid.free(r, null)) { grid.add(r); if (onScreen(r)) { result.push(r); } break; }
      }
    });
    var discs = [];
    order.forEach(function (node) {
      if (hiddenIds[node.id]) { return; }
      var p = network.canvasToDOM({ x: node.x, y: node.y });
      var radius = (node.size || 10) * (node.shape === "square" ? 1.42 : 1) * scale + 1;
      var disc = { x: p.x - radius, y: p.y - radius, w: 2 * radius, h: 2 * radius, own: node.id, cx: p.x, cy: p.y, r: radius, node: node };
      discs.push(disc);
      grid.add(disc);
    });
    ctx.font = LABEL_PX + "px " + FONT;
    discs.forEach(function (disc) {
      if (disc.cx < -100 || disc.cx > width + 100 || disc.cy < -40 || disc.cy > height + 40) { return; }
      var node = disc.node;
      var text = String(node.short || node.label);
      var w = ctx.measureText(text).width + 4, h = LABEL_PX + 3;
      var sides = [
        { x: disc.cx - w / 2, y: disc.cy + disc.r + 1 },
        { x: disc.cx - w / 2, y: disc.cy - disc.r - h - 1 },
        { x: disc.cx + disc.r + 2, y: disc.cy - h / 2 },
        { x: disc.cx - disc.r - w - 2, y: disc.cy - h / 2 },
      ];
      for (var s = 0; s < sides.length; s++) {
        var r = { x: sides[s].x, y: sides[s].y, w: w, h: h, own: node.id, id: node.id, text: text, px: LABEL_PX };
        if (grid.free(r, node.id)) { grid.add(r); if (onScreen(r)) { result.push(r); } return; }
      }
    });
    return result;
  }

  network.on("afterDrawing", function (ctx) {
    var view = network.getViewPosition();
    var key = [network.getScale(), view.x, view.y, Object.keys(hiddenIds).length].join("|");
    if (key !== placedKey) { placed = layoutLabels(ctx); placedKey = key; }
    var ratio = window.devicePixelRatio || 1;
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.textBaseline = "top";
    placed.forEach(function (r) {
      ctx.font = (r.bold ? "bold " : "") + r.px + "px " + FONT;
      ctx.lineWidth = 3;
      ctx.strokeStyle = "rgba(255, 255, 255, 0.9)";
      ctx.strokeText(r.text, r.x + 2, r.y + 1);
      ctx.fillStyle = r.caption ? "#3a3a3a" : "#222222";
      ctx.fillText(r.text, r.x + 2, r.y + 1);
    });
    ctx.restore();
  });
  // The label boxes drawn now, in CSS pixels of the map element (for tests and tools).
  window.pairnetLabels = function () {
    return placed.map(function (r) { return { text: r.text, x: r.x, y: r.y, width: r.w, height: r.h, fontPx: r.px, caption: !!r.caption }; });
  };
  state.hideNodes = function (ids) {
    hiddenIds = {};
    ids.forEach(function (id) { hiddenIds[id] = true; });
    placedKey = "";
  };
  network.once("afterDrawing", function () {
    state.ready = true;
    state.readyAt = performance.now();
    document.body.setAttribute("data-ready", "true");
  });

  var info = document.getElementById("info");
  var rows = document.getElementById("info-rows");
  function showInfo(id) {
    var node = nodes.get(id);
    if (!node) { return; }
    rows.replaceChildren();
    node.info.forEach(function (row) {
      var term = document.createElement("dt");
      term.textContent = row[0];
      var text = document.createElement("dd");
      text.textContent = row[1];
      rows.append(term, text);
    });
    info.hidden = false;
  }
  network.on("click", function (params) {
    if (params.nodes.length) { showInfo(params.nodes[0]); } else { info.hidden = true; }
  });

  function focusOn(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: 1.3, animation: false });
    showInfo(id);
  }

  var input = document.getElementById("search");
  var results = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var index = data.nodes.map(function (node) {
    return { id: node.id, label: String(node.label), code: String(node.code || ""), key: (node.label + " " + (node.code || "")).toLowerCase() };
  });
  function matches(n) {
    return (n === 1 ? data.texts.oneMatch : data.texts.manyMatches).replace("{n}", String(n));
  }
  function search() {
    var query = input.value.trim().toLowerCase();
    results.replaceChildren();
    if (!query) { status.textContent = ""; return []; }
    var found = index.filter(function (entry) { return entry.key.indexOf(query) !== -1; });
    status.textContent = matches(found.length);
    found.slice(0, 50).forEach(function (entry) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = entry.code ? entry.label + " · " + entry.code : entry.label;
      button.addEventListener("click", function () { focusOn(entry.id); });
      item.append(button);
      results.append(item);
    });
    return found;
  }
  input.addEventListener("input", search);
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var found = search();
      if (found.length) { focusOn(found[0].id); }
    }
  });
  // Fit a rectangle of the canvas (with room above for a caption) into the map, at most 1.5×.
  function fitScale(x0, y0, x1, y1) {
    var frame = document.getElementById("map");
    return Math.min(frame.clientWidth / (x1 - x0), frame.clientHeight / (y1 - y0), 1.5) * 0.96;
  }
  function fitRect(x0, y0, x1, y1, least) {
    var frame = document.getElementById("map");
    var scale = fitScale(x0, y0, x1, y1);
    if (scale >= least) {
      network.moveTo({ position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 }, scale: scale, animation: false });
      return;
    }
    // Too large to read whole: its top left corner at the least readable scale, the rest a
    // scroll or a drag away.
    network.moveTo({
      position: { x: x0 + frame.clientWidth / 2 / least, y: y0 + frame.clientHeight / 2 / least },
      scale: least,
      animation: false,
    });
  }
  // Fit the shaded boxes and their captions, not only the nodes.
  function fitAll() {
    if (!data.boxes.length) { network.fit({ animation: false }); return; }
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    data.boxes.forEach(function (box) {
      x0 = Math.min(x0, box.x0); x1 = Math.max(x1, box.x1);
      y0 = Math.min(y0, box.y0 - (box.above ? 50 : 0)); y1 = Math.max(y1, box.y1);
    });
    fitRect(x0, y0, x1, y1, 0);
  }
  // The view a page opens on: the first of its focus rectangles that fits at a scale where
  // names can be read (e.g. the helped county's townships and their partners in the
  // five-in-one, else those townships alone), else the whole map.
  var FOCUS_LEAST_SCALE = 0.5;
  function initialView() {
    var rects = data.focus || [];
    if (!rects.length) { fitAll(); return; }
    var f = rects.filter(function (r) { return fitScale(r.x0, r.y0, r.x1, r.y1) >= FOCUS_LEAST_SCALE; })[0];
    f = f || rects[rects.length - 1];
    fitRect(f.x0, f.y0, f.x1, f.y1, FOCUS_LEAST_SCALE);
  }
  state.fitAll = fitAll;
  state.initialView = initialView;
  initialView();
  var wholeButton = document.getElementById("view-whole");
  var focusButton = document.getElementById("view-focus");
  if (wholeButton) { wholeButton.addEventListener("click", fitAll); }
  if (focusButton) { focusButton.addEventListener("click", initialView); }

  // Served pages (under /maps/) link back, change the date and search the whole store; a
  // saved file has no server, so those controls stay hidden there.
  var at = location.pathname.indexOf("/maps/");
  var served = location.protocol.indexOf("http") === 0 && at !== -1;
  var mapsRoot = served ? location.pathname.slice(0, at + "/maps/".length) : "";
  // A language asked for in the address (?lang=) is kept by every link the page builds.
  var asked = new URLSearchParams(location.search).get("lang");
  function keepLanguage(url) {
    if (!asked) { return url; }
    return url + (url.indexOf("?") === -1 ? "?" : "&") + "lang=" + encodeURIComponent(asked);
  }

  function withSetting(name, value) {
    var url = new URL(location.href);
    url.searchParams.set(name, value);
    return url.toString();
  }
  if (served) {
    var back = document.getElementById("back");
    back.href = keepLanguage(mapsRoot);
    back.hidden = false;
    var picker = document.getElementById("as-of-date");
    picker.value = data.asOf || data.today;
    document.getElementById("as-of-picker").hidden = false;
    picker.addEventListener("change", function () {
      if (picker.value) { location.assign(withSetting("as_of", picker.value)); }
    });
    document.querySelectorAll("a.expand").forEach(function (link) {
      var url = new URL(location.href);
      url.searchParams.append("expand", link.getAttribute("data-expand"));
      link.href = url.toString();
      link.hidden = false;
    });
    document.getElementById("store-search").hidden = false;
  }

  // Search across the store: a unit on this page is focused, any other opens its own map.
  var storeQuery = document.getElementById("store-query");
  var storeResults = document.getElementById("store-results");
  var pending = 0;
  function mapOf(unit) { return keepLanguage(mapsRoot + unit.href + (data.asOf ? "?as_of=" + data.asOf : "")); }
  function storeSearch() {
    var query = storeQuery.value.trim();
    var ticket = ++pending;
    if (!query) { storeResults.hidden = true; return Promise.resolve([]); }
    var url = mapsRoot + "search?" + new URLSearchParams({ q: query }).toString();
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (response) {
      return response.ok ? response.json() : [];
    }).then(function (found) {
      if (ticket !== pending) { return found; }
      storeResults.replaceChildren();
      found.forEach(function (unit) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        var here = nodes.get(unit.id);
        link.textContent = unit.name + (unit.code ? " · " + unit.code : "") + (unit.parents ? " — " + unit.parents : "") + (here ? " " + data.texts.onThisMap : "");
        link.href = mapOf(unit);
        link.addEventListener("click", function (event) {
          if (here) { event.preventDefault(); storeResults.hidden = true; focusOn(unit.id); }
        });
        item.append(link);
        storeResults.append(item);
      });
      if (!found.length) {
        var none = document.createElement("li");
        none.textContent = matches(0);
        storeResults.append(none);
      }
      storeResults.hidden = false;
      return found;
    });
  }
  if (storeQuery) {
    storeQuery.addEventListener("input", storeSearch);
    storeQuery.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") { return; }
      storeSearch().then(function (found) {
        if (!found.length) { return; }
        if (nodes.get(found[0].id)) { storeResults.hidden = true; focusOn(found[0].id); }
        else { location.assign(mapOf(found[0])); }
      });
    });
  }

  // Filters: a unit is shown when each of its fields (band, side, status) is ticked; a
  // pairing when its level and its program are ticked (and vis-network hides edges of hidden
  // units). A unit that is not a target (one that expects a partner) is drawn for its
  // pairings: it is hidden with them when none is left (e.g. the enterprises of an unticked
  // 万企帮万村); targets stay, so that a gap never disappears.
  var form = document.getElementById("filters");
  var pairingsOf = {};
  data.edges.forEach(function (edge) {
    if (edge.level === undefined) { return; }
    [edge.from, edge.to].forEach(function (end) { (pairingsOf[end] = pairingsOf[end] || []).push(edge); });
  });
  // value -> ticked (true or false) for each box of a filter; null when the page has none.
  function ticked(field) {
    var boxes = form ? form.querySelectorAll("input[name='" + field + "']") : [];
    if (!boxes.length) { return null; }
    var on = {};
    boxes.forEach(function (box) { on[box.value] = box.checked; });
    return on;
  }
  // A paired target is a gap while every program that pairs it is unticked: which programs
  // pair it (coveredBy, a row's programs) and how it looks as a gap come from pairnet.graph
  // through the page's data; the page only switches between the two.
  function onlyUnticked(programsOfUnit, programs) {
    return !!(programs && programsOfUnit && !programsOfUnit.some(function (p) { return programs[p] !== false; }));
  }
  function applyFilters() {
    var fields = ["band", "side", "status"].map(function (f) { return [f, ticked(f)]; });
    var levels = ticked("level");
    var programs = ticked("program");
    function pairingShown(edge) {
      return (!levels || !!levels[edge.level]) && (!programs || !!programs[edge.program || ""]);
    }
    var hidden = [];
    // The key of the programs ticked, as pairnet.maps.programs.program_key makes it.
    var programKey = programs
      ? Object.keys(programs).filter(function (p) { return programs[p]; }).sort().map(function (p) { return p + "|"; }).join("")
      : null;
    nodes.update(data.nodes.map(function (node) {
      var gap = onlyUnticked(node.coveredBy, programs);
      var switched = node.statusWith && programKey !== null && node.statusWith[programKey] !== undefined;
      var status = gap ? "gap" : switched ? node.statusWith[programKey] : node.status;
      var off = fields.some(function (pair) {
        return pair[1] && !pair[1][pair[0] === "status" ? status : node[pair[0]]];
      });
      var own = pairingsOf[node.id];
      if (!off && programs && !node.target && own && !own.some(pairingShown)) { off = true; }
      if (off) { hidden.push(node.id); }
      var change = { id: node.id, hidden: off };
      if (switched) {  // a place of the national view: its coverage by the programs ticked
        change.status = status;
        change.color = Object.assign({}, node.color, { background: node.fillWith[programKey] });
        change.title = node.titleWith[programKey];
        change.info = node.infoWith[programKey];
      }
      if (node.coveredBy) {
        change.status = status;
        change.color = gap ? node.gapColor : node.color;
        change.size = gap ? node.gapSize : node.size;
        change.title = gap ? node.gapTitle : node.title;
        change.info = gap ? node.gapInfo : node.info;
      }
      return change;
    }));
    edges.update(data.edges.filter(function (e) { return e.level !== undefined; }).map(function (edge) {
      return { id: edge.id, hidden: !pairingShown(edge) };
    }));
    // The national view's edges count pairings per program: those of the programs ticked.
    edges.update(data.edges.filter(function (e) { return e.programs; }).map(function (edge) {
      var count = 0;
      Object.keys(edge.programs).forEach(function (p) { if (!programs || programs[p] !== false) { count += edge.programs[p]; } });
      return { id: edge.id, hidden: count === 0, value: count || edge.value };
    }));
    state.hideNodes(hidden);
    recount(programs);
    showGaps();
  }

  // The figures above the map and the boxes' captions count the programs ticked: each has
  // its text for every set of the programs that cover its units (pairnet.maps.programs).
  function switchedText(switcher, programs) {
    if (!switcher || !switcher.programs || !programs) { return undefined; }
    var key = switcher.programs.filter(function (p) { return programs[p] !== false; }).map(function (p) { return p + "|"; }).join("");
    return switcher.with[key];
  }
  var figureValues = document.querySelectorAll("#figures .figure-value");
  var figureTexts = Array.prototype.map.call(figureValues, function (el) { return el.textContent; });
  function recount(programs) {
    (data.figures || []).forEach(function (switcher, i) {
      var text = switchedText(switcher, programs);
      if (figureValues[i]) { figureValues[i].textContent = text === undefined ? figureTexts[i] : text; }
    });
    data.boxes.forEach(function (box) {
      if (box.fullLabel === undefined) { box.fullLabel = box.label; }
      var text = switchedText(box.switch, programs);
      box.label = text === undefined ? box.fullLabel : text;
    });
    placedKey = "";
    network.redraw();
  }
  if (form) { form.addEventListener("change", applyFilters); }

  // The gap list: the rows of `pairnet gaps` for this place, with the status chosen here.
  var gapRows = document.getElementById("gap-rows");
  var gapStatus = document.getElementById("gap-status");
  function showGaps() {
    if (!gapRows) { return; }
    var status = gapStatus.value;
    var programs = ticked("program");
    // The national view's places: a gap and its reason for each set of programs ticked.
    var key = programs ? Object.keys(programs).filter(function (p) { return programs[p]; }).sort().map(function (p) { return p + "|"; }).join("") : null;
    var filtered = (data.programGaps || []).filter(function (row) {
      return row.gapWith ? key !== null && !!row.gapWith[key] : onlyUnticked(row.programs, programs);
    });
    var rowsShown = data.gaps.concat(filtered).filter(function (row) { return !status || row.status === status; });
    gapRows.replaceChildren();
    rowsShown.forEach(function (row) {
      var item = document.createElement("li");
      item.className = "gap-row";
      item.setAttribute("data-id", row.id);
      var name = document.createElement("a");
      name.href = "#";
      name.className = "gap-name";
      name.textContent = row.name;
      name.addEventListener("click", function (event) {
        event.preventDefault();
        if (nodes.get(row.id)) { focusOn(row.id); }
      });
      var code = document.createElement("span");
      code.className = "gap-code";
      code.textContent = " " + (row.code || "") + (row.township ? " · " + row.township : "");
      var reason = document.createElement("span");
      reason.className = "gap-reason";
      reason.textContent = (row.reasonWith && key !== null && row.reasonWith[key]) || row.reason;
      item.append(name, code, reason);
      gapRows.append(item);
    });
    document.getElementById("gap-count").textContent = String(rowsShown.length);
    var download = document.getElementById("gap-download");
    if (served && data.gapDownload[status] !== undefined) {
      // The server's list counts one program's pairings (program=) or all of them: the link
      // is offered when the programs ticked are one of those, so that the file equals the list.
      var url = new URL(data.gapDownload[status], location.href);
      var chosen = programs ? Object.keys(programs).filter(function (p) { return programs[p]; }) : [];
      var all = !programs || chosen.length === Object.keys(programs).length;
      var one = !all && !data.list && !status && chosen.length === 1 && chosen[0] !== "";
      if (one) { url.searchParams.set("program", chosen[0]); }
      download.href = url.toString();
      download.hidden = !(all || one);
      document.getElementById("gap-download-note").hidden = all || one;
    }
  }
  if (gapStatus) { gapStatus.addEventListener("change", showGaps); }
  // What a helper-side unit helps: a unit on this map is focused when its name is clicked.
  document.querySelectorAll("#helps-rows a.helped").forEach(function (link) {
    var id = link.getAttribute("data-id");
    if (!nodes.get(id)) { link.removeAttribute("href"); return; }
    link.addEventListener("click", function (event) { event.preventDefault(); focusOn(id); });
  });
  showGaps();
  // The panels above may have changed the page's layout: fit again to the map's final size.
  network.setSize("100%", "100%");
  initialView();
  window.addEventListener("resize", initialView);
}());
