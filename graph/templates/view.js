// The page's behaviour: draw the network, tooltips, search, type/relation/city filters,
// names on zoom, and the evidence list of a report's page.
// Report text arrives as JSON and is only ever put into the page as text (textContent),
// never as markup.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("view-data").textContent);

  function tooltip(rows) {
    var box = document.createElement("div");
    rows.forEach(function (row) {
      var line = document.createElement("div");
      var key = document.createElement("b");
      line.className = "tip-row";
      key.textContent = row[0];
      line.appendChild(key);
      line.appendChild(document.createTextNode(row[1]));
      box.appendChild(line);
    });
    return box;
  }

  data.nodes.forEach(function (node) { node.title = tooltip(node.tip); });
  data.edges.forEach(function (edge) { edge.title = tooltip(edge.tip); });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(document.getElementById("network"), { nodes: nodes, edges: edges }, data.options);
  var view = { network: network, nodes: nodes, edges: edges, ready: false };
  window.edukgView = view;
  var allIds = data.nodes.map(function (node) { return node.id; });

  // Names: on a large page (labelScale > 0) a name shows only from that zoom on, on the
  // node under the pointer, and on what a search or an evidence sentence picked.
  var LABEL = "#222", NO_LABEL = "rgba(0,0,0,0)", DIM = 0.15;
  var zoomed = null, hovered = null, matched = null;

  var anchors = {};
  data.nodes.forEach(function (node) { anchors[node.id] = data.anchors.indexOf(node.type) !== -1; });
  function labelColour(id) {
    var named = !data.labelScale || zoomed || anchors[id] || id === hovered || (matched !== null && matched[id]);
    return named ? LABEL : NO_LABEL;
  }
  function paintLabels(ids) {
    nodes.update(ids.map(function (id) { return { id: id, font: { color: labelColour(id) } }; }));
  }
  network.on("afterDrawing", function () {
    var now = network.getScale() >= data.labelScale;
    if (data.labelScale && now !== zoomed) {
      zoomed = now;
      paintLabels(allIds);
    }
  });
  network.on("hoverNode", function (event) {
    var before = hovered;
    hovered = event.node;
    paintLabels(before === null ? [hovered] : [before, hovered]);
  });
  network.on("blurNode", function () {
    var before = hovered;
    hovered = null;
    if (before !== null) { paintLabels([before]); }
  });

  // What does not match a search (or the chosen sentence) is dimmed, not hidden.
  function paintMatches() {
    nodes.update(data.nodes.map(function (node) {
      return { id: node.id, opacity: matched === null || matched[node.id] ? 1 : DIM };
    }));
    edges.update(data.edges.map(function (edge) {
      var lit = matched === null || (matched[edge.from] && matched[edge.to]);
      return { id: edge.id, color: { color: edge.color.color, highlight: edge.color.highlight, opacity: lit ? 1 : DIM } };
    }));
    paintLabels(allIds);
  }
  function match(ids) {
    matched = null;
    if (ids !== null) {
      matched = {};
      ids.forEach(function (id) { matched[id] = true; });
    }
    paintMatches();
  }

  function markReady() {
    network.setOptions({ physics: { enabled: false } });
    network.once("afterDrawing", function () { view.ready = true; });
    network.redraw();
  }
  if (data.options.physics.enabled) {
    network.once("stabilizationIterationsDone", markReady);
  } else {
    markReady();
  }

  var neighbours = {};
  data.nodes.forEach(function (node) { neighbours[node.id] = []; });
  data.edges.forEach(function (edge) {
    neighbours[edge.from].push(edge.to);
    neighbours[edge.to].push(edge.from);
  });

  function checkedValues(name) {
    var values = {};
    document.querySelectorAll('input[name="' + name + '"]:checked').forEach(function (box) {
      values[box.value] = true;
    });
    return values;
  }

  // A node of the chosen city is shown; a node shared by all cities (national bodies,
  // concepts) is shown when it touches a shown node of that city.
  function applyFilters() {
    var types = checkedValues("type");
    var relations = checkedValues("relation");
    var city = document.getElementById("city").value;
    var shown = {};
    data.nodes.forEach(function (node) {
      shown[node.id] = Boolean(types[node.type]) && (city === "" || node.city === city);
    });
    if (city !== "") {
      data.nodes.forEach(function (node) {
        if (node.city === "" && types[node.type]) {
          shown[node.id] = neighbours[node.id].some(function (other) {
            return shown[other] && nodes.get(other).city === city;
          });
        }
      });
    }
    nodes.update(data.nodes.map(function (node) { return { id: node.id, hidden: !shown[node.id] }; }));
    edges.update(data.edges.map(function (edge) {
      return { id: edge.id, hidden: !(relations[edge.type] && shown[edge.from] && shown[edge.to]) };
    }));
    var visible = Object.keys(shown).filter(function (id) { return shown[id]; });
    document.getElementById("shown").textContent = visible.length + " of " + data.nodes.length + " nodes shown";
    if (visible.length > 0) {
      network.fit({ nodes: visible, animation: false });
    }
  }

  function search() {
    var query = document.getElementById("search").value.trim().toLowerCase();
    var found = [];
    if (query !== "") {
      found = nodes.get({
        filter: function (node) {
          return !node.hidden && node.search.some(function (name) { return name.indexOf(query) !== -1; });
        },
      }).map(function (node) { return node.id; });
    }
    network.selectNodes(found);
    match(query === "" ? null : found);
    document.getElementById("search-count").textContent = query === "" ? "" : found.length + " found";
    if (found.length > 0) {
      network.fit({ nodes: found, animation: false });
    }
  }

  document.querySelectorAll('input[name="type"], input[name="relation"]').forEach(function (box) {
    box.addEventListener("change", applyFilters);
  });
  document.getElementById("city").addEventListener("change", applyFilters);
  document.getElementById("search").addEventListener("input", search);

  // A report's page: its sentences; choosing one picks the nodes it states.
  var list = document.getElementById("evidence");
  var chosen = null;
  function choose(index, item) {
    list.querySelectorAll("li.chosen").forEach(function (other) { other.classList.remove("chosen"); });
    chosen = chosen === index ? null : index;
    if (chosen === null) {
      network.selectNodes([]);
      match(null);
      return;
    }
    list.children[index].classList.add("chosen");
    var ids = data.sentences[index].nodes.filter(function (id) { return !nodes.get(id).hidden; });
    network.selectNodes(ids);
    match(ids);
    if (ids.length > 0) { network.fit({ nodes: ids, animation: false }); }
  }
  if (list) {
    data.sentences.forEach(function (item, index) {
      var entry = document.createElement("li");
      entry.textContent = item.text;
      entry.className = item.status;
      entry.addEventListener("click", function () { choose(index, item); });
      list.appendChild(entry);
    });
  }
  applyFilters();
})();
