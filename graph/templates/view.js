// The page's behaviour: draw the network, tooltips, search, type/relation/city filters.
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
  applyFilters();
})();
