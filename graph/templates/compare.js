// The cross-city page: a paged place x initiative matrix with its evidence, the places
// linked by shared initiatives, and one indicator family across places. Report text only
// ever enters the page as textContent, never as markup.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("compare-data").textContent);
  var ROWS = data.rowsPerPage;
  var NONE = "(province not known)";
  var places = data.places.map(function (p, index) {
    return { index: index, name: p[0], province: p[1] || NONE, city: p[2], level: p[3], reports: p[4] };
  });
  var initiatives = data.initiatives.map(function (i, index) {
    return { index: index, name: i[0], nameEn: i[1], domain: i[2] || "(no domain)", kind: i[3] };
  });
  var cells = {};  // "place,initiative" -> cell
  var byPlace = places.map(function () { return []; });
  data.cells.forEach(function (c) {
    var cell = { place: c[0], initiative: c[1], reports: c[2], evidence: c[3] };
    cells[c[0] + "," + c[1]] = cell;
    byPlace[c[0]].push(cell);
  });
  var state = { province: "", domain: "", search: "", page: 0, chosen: null };
  var page = { ready: false, data: data, state: state };
  window.edukgCompare = page;

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function option(select, value, text) {
    var node = el("option", text);
    node.value = value;
    select.appendChild(node);
  }

  function counted(items, key) {
    var counts = {};
    items.forEach(function (item) { counts[item[key]] = (counts[item[key]] || 0) + 1; });
    return Object.keys(counts).sort().map(function (name) { return [name, counts[name]]; });
  }

  counted(places, "province").forEach(function (entry) {
    option(document.getElementById("province"), entry[0], entry[0] + " (" + entry[1] + ")");
  });
  counted(initiatives, "domain").forEach(function (entry) {
    option(document.getElementById("domain"), entry[0], entry[0] + " (" + entry[1] + ")");
  });

  function placeShown(place) {
    if (state.province && place.province !== state.province) return false;
    if (!state.search) return true;
    var text = state.search.toLowerCase();
    return place.name.toLowerCase().indexOf(text) >= 0 ||
      place.reports.some(function (report) { return report.toLowerCase().indexOf(text) >= 0; });
  }

  // ------------------------------------------------------------------ the matrix

  function shownPlaces() { return places.filter(placeShown); }

  function shownInitiatives(rows) {
    var used = {};
    rows.forEach(function (place) {
      byPlace[place.index].forEach(function (cell) { used[cell.initiative] = true; });
    });
    return initiatives.filter(function (item) {
      return used[item.index] && (!state.domain || item.domain === state.domain);
    });
  }

  function shade(count, most) {
    var strength = 0.35 + 0.65 * Math.min(1, count / Math.max(1, most));
    return "rgba(78, 121, 167, " + strength.toFixed(2) + ")";
  }

  function drawMatrix() {
    var rows = shownPlaces();
    var columns = shownInitiatives(rows);
    var pages = Math.max(1, Math.ceil(rows.length / ROWS));
    state.page = Math.min(state.page, pages - 1);
    var first = state.page * ROWS;
    var pageRows = rows.slice(first, first + ROWS);
    var most = 1;
    data.cells.forEach(function (c) { most = Math.max(most, c[2].length); });
    document.getElementById("page").textContent = rows.length
      ? "places " + (first + 1) + "–" + (first + pageRows.length) + " of " + rows.length +
        " · " + columns.length + " initiatives"
      : "no place matches";
    document.getElementById("prev").disabled = state.page === 0;
    document.getElementById("next").disabled = state.page >= pages - 1;

    var table = document.getElementById("matrix");
    table.textContent = "";
    var head = el("thead");
    var domains = el("tr", null, "domains");
    var names = el("tr", null, "names");
    domains.appendChild(el("th", "domain", "place"));
    names.appendChild(el("th", "place", "place"));
    columns.forEach(function (item, at) {
      if (at === 0 || columns[at - 1].domain !== item.domain) {
        var span = columns.filter(function (other) { return other.domain === item.domain; }).length;
        var group = el("th", item.domain);
        group.colSpan = span;
        domains.appendChild(group);
      }
      var name = el("th", item.name);
      name.title = item.nameEn ? item.name + " · " + item.nameEn : item.name;
      names.appendChild(name);
    });
    head.appendChild(domains);
    head.appendChild(names);
    table.appendChild(head);

    var body = el("tbody");
    pageRows.forEach(function (place, at) {
      if (at === 0 || pageRows[at - 1].province !== place.province) {
        var group = el("tr", null, "province");
        group.appendChild(el("th", place.province));
        var rest = el("td");
        rest.colSpan = Math.max(1, columns.length);
        group.appendChild(rest);
        body.appendChild(group);
      }
      var row = el("tr");
      row.dataset.place = place.index;
      var label = el("th", place.name, "place");
      label.title = [place.province, place.city, place.name].filter(Boolean).join(" · ") +
        "\n" + place.reports.join(", ");
      row.appendChild(label);
      columns.forEach(function (item) {
        var cell = cells[place.index + "," + item.index];
        var td = el("td", cell ? cell.reports.length : "", "cell");
        if (cell) {
          td.className = "cell stated";
          td.style.background = shade(cell.reports.length, most);
          td.dataset.place = place.index;
          td.dataset.initiative = item.index;
          td.title = place.name + " · " + item.name + ": " + cell.reports.length + " report(s)";
          if (state.chosen === cell) td.className += " chosen";
        }
        row.appendChild(td);
      });
      body.appendChild(row);
    });
    table.appendChild(body);
  }

  function showCell(placeIndex, initiativeIndex) {
    var cell = cells[placeIndex + "," + initiativeIndex];
    if (!cell) return;
    state.chosen = cell;
    var place = places[placeIndex];
    var item = initiatives[initiativeIndex];
    document.getElementById("evidence-title").textContent = place.name + " · " + item.name;
    document.getElementById("evidence-reports").textContent =
      cell.reports.length + " report(s): " + cell.reports.join(", ");
    var list = document.getElementById("evidence");
    list.textContent = "";
    cell.evidence.forEach(function (entry) {
      var li = el("li");
      li.appendChild(el("span", entry[0], "source"));
      li.appendChild(document.createTextNode(entry[1]));
      list.appendChild(li);
    });
    if (!cell.evidence.length) list.appendChild(el("li", "(no sentence recorded)"));
    var chosen = document.querySelectorAll("#matrix td.chosen");
    for (var i = 0; i < chosen.length; i++) chosen[i].className = "cell stated";
    var td = document.querySelector(
      '#matrix td[data-place="' + placeIndex + '"][data-initiative="' + initiativeIndex + '"]');
    if (td) td.className = "cell stated chosen";
  }
  page.showCell = showCell;

  document.getElementById("matrix").addEventListener("click", function (event) {
    var td = event.target.closest("td.stated");
    if (td) showCell(Number(td.dataset.place), Number(td.dataset.initiative));
  });
  document.getElementById("prev").addEventListener("click", function () { state.page -= 1; drawMatrix(); });
  document.getElementById("next").addEventListener("click", function () { state.page += 1; drawMatrix(); });

  // ------------------------------------------------------------------ the links

  var PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
                 "#ff9da7", "#9c755f", "#bab0ac"];
  var provinceColour = {};
  counted(places, "province").forEach(function (entry, at) {
    provinceColour[entry[0]] = entry[0] === NONE ? "#cccccc" : PALETTE[at % PALETTE.length];
  });

  function tip(lines) {
    var box = el("div");
    lines.forEach(function (line) { box.appendChild(el("div", line)); });
    return box;
  }

  var network = null;
  function drawNetwork() {
    var links = data.links.filter(function (link) {
      return placeShown(places[link[0]]) || placeShown(places[link[1]]);
    });
    var used = {};
    links.forEach(function (link) { used[link[0]] = true; used[link[1]] = true; });
    var nodes = Object.keys(used).map(function (key) {
      var place = places[Number(key)];
      var short = place.name.length > data.labelChars ? place.name.slice(0, data.labelChars - 1) + "…" : place.name;
      return {
        id: place.index, label: short, shape: "dot", size: 8,
        color: provinceColour[place.province],
        title: tip([place.name, place.province, place.reports.join(", ")])
      };
    });
    var edges = links.map(function (link) {
      var shared = link[2].map(function (index) { return initiatives[index].name; });
      return {
        id: link[0] + "-" + link[1], from: link[0], to: link[1],
        width: Math.min(12, 1 + 1.5 * (link[2].length - 1)),
        color: { color: "rgba(90, 90, 90, " + (0.25 + 0.6 * link[3]).toFixed(2) + ")" },
        shared: link[2].length, jaccard: link[3],
        title: tip([places[link[0]].name + " — " + places[link[1]].name,
                    link[2].length + " shared, Jaccard " + link[3], shared.join("、")])
      };
    });
    document.getElementById("network-note").textContent =
      nodes.length + " places, the " + edges.length + " strongest links shown of " + data.linkedPairs +
      " pairs that share an initiative (each place's " + data.linksPerPlace + " strongest, at most " +
      data.maxLinks + ").";
    var container = document.getElementById("network");
    var content = { nodes: new vis.DataSet(nodes), edges: new vis.DataSet(edges) };
    var options = {
      physics: { solver: "forceAtlas2Based", stabilization: { iterations: 150, fit: true },
                 forceAtlas2Based: { gravitationalConstant: -40, springLength: 90 } },
      interaction: { hover: true, tooltipDelay: 120 },
      nodes: { font: { size: 12 } },
      edges: { smooth: false }
    };
    if (network) network.destroy();
    network = new vis.Network(container, content, options);
    page.settled = false;
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: false });
      page.settled = true;
    });
    page.network = network;
    page.edges = content.edges;
    page.nodes = content.nodes;
  }

  // ------------------------------------------------------------------ the indicators

  var families = {};
  data.metrics.forEach(function (m) {
    if (!families[m[0]]) families[m[0]] = { id: m[0], name: m[1], rows: [], places: {} };
    families[m[0]].rows.push(m);
    families[m[0]].places[m[2]] = true;
  });
  var familyList = Object.keys(families).map(function (key) { return families[key]; });
  familyList.sort(function (a, b) {
    return Object.keys(b.places).length - Object.keys(a.places).length || (a.name < b.name ? -1 : 1);
  });
  option(document.getElementById("family"), "", "All families: places × families");
  familyList.forEach(function (family) {
    option(document.getElementById("family"), family.id,
           family.name + " (" + Object.keys(family.places).length + " places)");
  });

  function headed(table, names) {
    var head = el("tr");
    names.forEach(function (name) { head.appendChild(el("th", name)); });
    var thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
  }

  function written(m) {
    var value = m[5].slice(-m[6].length) === m[6] ? m[5] : m[5] + m[6];
    return m[3] === null ? value : value + " (" + m[3] + ")";
  }

  // Every family's values side by side, a row per place (places in the matrix's order).
  function drawPivot(table) {
    headed(table, ["province", "place"].concat(familyList.map(function (family) { return family.name; })));
    var body = el("tbody");
    var rows = {};
    data.metrics.forEach(function (m) {
      if (!placeShown(places[m[2]])) return;
      rows[m[2]] = rows[m[2]] || {};
      (rows[m[2]][m[0]] = rows[m[2]][m[0]] || []).push(m);
    });
    Object.keys(rows).map(Number).sort(function (a, b) { return a - b; }).forEach(function (index) {
      var tr = el("tr");
      tr.appendChild(el("td", places[index].province));
      tr.appendChild(el("td", places[index].name));
      familyList.forEach(function (family) {
        var found = rows[index][family.id] || [];
        var td = el("td", null, "number");
        found.forEach(function (m) { td.appendChild(el("div", written(m))); });
        td.title = found.map(function (m) { return m[4] + " " + written(m) + " · " + m[8]; }).join("\n");
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    table.appendChild(body);
    return Object.keys(rows).length;
  }

  // One family, its values from the largest down (values that are no number last).
  function drawFamily(table, family) {
    headed(table, ["province", "place", "year", "indicator", "value", "number", "unit", "report"]);
    var body = el("tbody");
    var rows = family.rows.filter(function (m) { return placeShown(places[m[2]]); });
    rows.sort(function (a, b) {
      var na = a[7] === null ? -Infinity : a[7], nb = b[7] === null ? -Infinity : b[7];
      return nb - na || a[2] - b[2];
    });
    rows.forEach(function (m) {
      var place = places[m[2]];
      var tr = el("tr");
      [place.province, place.name, m[3] === null ? "" : m[3], m[4], m[5]].forEach(function (text) {
        tr.appendChild(el("td", text));
      });
      tr.appendChild(el("td", m[7] === null ? "" : m[7], "number"));
      tr.appendChild(el("td", m[6]));
      tr.appendChild(el("td", m[8], "meta"));
      body.appendChild(tr);
    });
    table.appendChild(body);
    return rows.length;
  }

  function drawMetrics() {
    var table = document.getElementById("metrics");
    table.textContent = "";
    var family = families[document.getElementById("family").value];
    var shown = family ? drawFamily(table, family) : drawPivot(table);
    if (!shown) {
      var none = el("tr");
      none.appendChild(el("td", "no comparable value for the places shown"));
      table.appendChild(none);
    }
  }
  document.getElementById("family").addEventListener("change", drawMetrics);

  // ------------------------------------------------------------------ filters

  function redraw() {
    state.page = 0;
    drawMatrix();
    drawNetwork();
    drawMetrics();
  }
  document.getElementById("province").addEventListener("change", function (event) {
    state.province = event.target.value; redraw();
  });
  document.getElementById("domain").addEventListener("change", function (event) {
    state.domain = event.target.value; drawMatrix();
  });
  document.getElementById("place-search").addEventListener("input", function (event) {
    state.search = event.target.value.trim(); redraw();
  });

  drawMatrix();
  drawNetwork();
  drawMetrics();
  page.ready = true;
})();
