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

  network.on("beforeDrawing", function (ctx) {
    // Captions above a band grow as the reader zooms out, so that they stay readable.
    var above = Math.round(Math.min(Math.max(15, 14 / network.getScale()), 44));
    data.boxes.forEach(function (box, index) {
      ctx.fillStyle = index % 2 ? "rgba(120, 120, 120, 0.07)" : "rgba(70, 110, 160, 0.08)";
      ctx.fillRect(box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0);
      ctx.fillStyle = "#4a4a4a";
      ctx.font = "bold " + (box.above ? above : 15) + "px 'Noto Sans CJK SC', sans-serif";
      ctx.textBaseline = box.above ? "bottom" : "top";
      ctx.fillText(box.label, box.x0 + 8, box.above ? box.y0 - 4 : box.y0 + 6);
    });
  });
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
  function search() {
    var query = input.value.trim().toLowerCase();
    results.replaceChildren();
    if (!query) { status.textContent = ""; return []; }
    var found = index.filter(function (entry) { return entry.key.indexOf(query) !== -1; });
    status.textContent = found.length + (found.length === 1 ? " match" : " matches");
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
  // Fit the shaded boxes and their captions, not only the nodes.
  function fitAll() {
    if (!data.boxes.length) { network.fit({ animation: false }); return; }
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    data.boxes.forEach(function (box) {
      x0 = Math.min(x0, box.x0); x1 = Math.max(x1, box.x1);
      y0 = Math.min(y0, box.y0 - (box.above ? 50 : 0)); y1 = Math.max(y1, box.y1);
    });
    var frame = document.getElementById("map");
    var scale = Math.min(frame.clientWidth / (x1 - x0), frame.clientHeight / (y1 - y0), 1.5) * 0.96;
    network.moveTo({ position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 }, scale: scale, animation: false });
  }
  state.fitAll = fitAll;
  fitAll();
}());
