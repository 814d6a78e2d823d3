"""The HTML views, checked as pages in a real headless Chromium.

Screenshots go to tests/artifacts/views/ (git-ignored).
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from edukg.graph import cross_city, render_html
from edukg.ontology import node_labels, relation_types

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "views"

# ---------------------------------------------------------------- fixture graphs after ARCHITECTURE.md


def node_id(label: str, *identity: str) -> str:
    return f"{label.lower()}:{hashlib.sha256('|'.join(identity).encode()).hexdigest()[:16]}"


def evidence(report: str, text: str) -> dict[str, Any]:
    """An evidence row; one text is one sentence of its report (its number made from the text)."""
    sentence = zlib.crc32(text.encode())  # the whole 32 bits: two texts never share a number here
    return {
        "report": report,
        "sentence": sentence,
        "start": 0,
        "end": len(text),
        "text": text,
        "status": "reported",
    }


@dataclass
class GraphMaker:
    """Adds nodes and edges with the attributes build.py gives them."""

    graph: nx.MultiDiGraph = field(default_factory=nx.MultiDiGraph)

    def report(self, key: str, title: str, source: str, place: str, masked: bool = False) -> str:
        report = node_id("Report", key)
        self.graph.add_node(
            report,
            label="Report",
            name=title,
            title=title,
            source=source,
            bureau="教育局",
            level="市",
            jurisdiction=place,
            masked=masked,
            chars=1000,
            reports=[report],
        )
        jurisdiction = node_id("Jurisdiction", place if not masked else key)
        self.graph.add_node(
            jurisdiction, label="Jurisdiction", name=place, level="市", masked=masked, reports=[report]
        )
        return report

    def concept(self, name: str, kind: str = "initiative") -> str:
        concept = node_id("Concept", name)
        self.graph.add_node(
            concept, label="Concept", name=name, name_en=f"{name} (en)", kind=kind, aliases=[]
        )
        return concept

    def entity(
        self, label: str, name: str, reports: list[str], concept: str = "", aliases: tuple[str, ...] = ()
    ) -> str:
        national = len(reports) > 1
        place = "" if national else self.graph.nodes[reports[0]]["jurisdiction"]
        entity = node_id(label, name, *([] if national else reports))
        self.graph.add_node(
            entity,
            label=label,
            name=name,
            aliases=sorted(aliases),
            scope="national" if national else "local",
            jurisdiction=place,
            status="reported",
            concept=concept,
            mentions=[],
            reports=sorted(reports),
        )
        for report in reports:
            self.edge(entity, report, "MENTIONED_IN", report, f"{name}的有关情况。")
        if concept:
            self.edge(entity, concept, "INSTANCE_OF", reports[0], f"{name}的有关情况。")
        if not national and label in ("Bureau", "Institution"):
            place_node = next(
                n
                for n, a in self.graph.nodes(data=True)
                if a["label"] == "Jurisdiction" and reports[0] in a["reports"]
            )
            self.edge(entity, place_node, "LOCATED_IN", reports[0], f"{name}的有关情况。")
        return entity

    def edge(self, source: str, target: str, kind: str, report: str, text: str) -> None:
        rows = [evidence(report, text)] if kind != "ISSUED_BY" else []
        self.graph.add_edge(
            source,
            target,
            key=kind,
            type=kind,
            reports=sorted({row["report"] for row in rows}),
            evidence=rows,
            status="reported" if rows else "planned",
        )


@dataclass(frozen=True)
class Crafted:
    graph: nx.MultiDiGraph
    ids: dict[str, str]  # short name -> node id


def make_crafted(text: Callable[[str], str] = lambda name: name) -> Crafted:
    """Three reports (one masked), national campaign and bureau, initiatives, a part and a metric.

    ``text`` rewrites every piece of report text, to plant hostile strings.
    """
    make = GraphMaker()
    ids: dict[str, str] = {}
    ids["r1"] = make.report(
        "r1", text("芜湖市教育局主题教育进展情况汇报"), text("000_wuhu.txt"), text("芜湖市")
    )
    ids["r2"] = make.report("r2", text("教育局汇报发言"), text("001_masked.txt"), text("**市"), masked=True)
    ids["r3"] = make.report("r3", text("蜀山区教育局工作总结"), text("002_shushan.txt"), text("蜀山区"))
    ids["theme"] = make.concept(text("主题教育"))
    ids["double"] = make.concept(text("双减"))
    ids["moe-concept"] = make.concept(text("教育部"), kind="body")
    ids["campaign"] = make.entity(
        "Campaign", text("主题教育"), [ids["r1"], ids["r2"], ids["r3"]], ids["theme"]
    )
    ids["moe"] = make.entity("Bureau", text("教育部"), [ids["r1"], ids["r3"]], ids["moe-concept"])
    ids["b1"] = make.entity("Bureau", text("芜湖市教育局"), [ids["r1"]], aliases=(text("局党组"),))
    ids["p1"] = make.entity("Programme", text("时代新人铸魂工程"), [ids["r1"]])
    ids["p2"] = make.entity("Programme", text("芜湖双减行动"), [ids["r1"]], ids["double"])
    ids["p3"] = make.entity("Programme", text("思政课一体化建设"), [ids["r1"]])
    ids["m1"] = make.entity("Metric", text("覆盖学校"), [ids["r1"]])
    make.graph.nodes[ids["m1"]].update(value="120所", unit="所", numeric=120.0, masked=False, comparison="")
    ids["b2"] = make.entity("Bureau", text("**市教育局"), [ids["r2"]])
    ids["p4"] = make.entity("Campaign", text("双减专项治理"), [ids["r2"]], ids["double"])
    ids["q1"] = make.entity("Policy", text("课后服务实施方案"), [ids["r2"]])
    ids["b3"] = make.entity("Bureau", text("蜀山区教育局"), [ids["r3"]])
    ids["i1"] = make.entity("Institution", text("蜀山区实验小学"), [ids["r3"]])
    for report, bureau in (("r1", "b1"), ("r2", "b2"), ("r3", "b3")):
        make.edge(ids[report], ids[bureau], "ISSUED_BY", ids[report], "")
    for source, target, kind, report in (
        ("b1", "p1", "RESPONSIBLE_FOR", "r1"),
        ("b1", "p2", "RESPONSIBLE_FOR", "r1"),
        ("b1", "campaign", "RESPONSIBLE_FOR", "r1"),
        ("p3", "p1", "PART_OF", "r1"),
        ("p1", "m1", "MEASURED_BY", "r1"),
        ("b2", "p4", "RESPONSIBLE_FOR", "r2"),
        ("b2", "q1", "RESPONSIBLE_FOR", "r2"),
        ("b3", "i1", "RESPONSIBLE_FOR", "r3"),
    ):
        make.edge(ids[source], ids[target], kind, ids[report], text(f"{kind}的证据句。"))
    return Crafted(make.graph, ids)


def make_big(size: int) -> nx.MultiDiGraph:
    """A graph of ``size`` nodes in five reports; a few hubs and many leaves, like real ones."""
    make = GraphMaker()
    reports = [make.report(f"r{i}", f"第{i}号报告", f"{i:03}.txt", f"第{i}市") for i in range(5)]
    entities = []
    labels = ["Programme", "Campaign", "Policy", "Document", "Institution", "Metric"]
    while make.graph.number_of_nodes() < size:
        index = len(entities)
        report = reports[index % 5]
        entities.append(make.entity(labels[index % 6], f"举措{index}", [report]))
        if index >= 5:
            make.edge(entities[index // 7], entities[index], "PART_OF", report, f"第{index}句。")
    return make.graph


@pytest.fixture(scope="module")
def crafted() -> Crafted:
    return make_crafted()


# ---------------------------------------------------------------- pure parts


def test_view_style_covers_the_ontology() -> None:
    style = render_html.view_style()
    assert set(style.nodes) == set(node_labels())
    assert set(style.edges) == set(relation_types())


@pytest.mark.parametrize(
    "value",
    ["</script><script>alert(1)</script>", "<!-- x", "A & B", "\u2028\u2029", "引号“”'\"", {"k": ["<b>"]}],
)
def test_script_json_cannot_leave_its_element(value: Any) -> None:
    text = render_html.script_json(value)
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(text) == value


def test_whole_view_keeps_small_graphs_whole(crafted: Crafted) -> None:
    view = render_html.whole_view(crafted.graph)
    assert set(view.graph) == set(crafted.graph)
    assert set(view.graph.edges(keys=True)) == set(crafted.graph.edges(keys=True))
    assert view.notice == ""


PICKERS = {
    "graph": lambda crafted, most: render_html.whole_view(crafted.graph, max_nodes=most),
    "cities": lambda crafted, most: render_html.cities_view(crafted.graph, max_nodes=most),
    "report": lambda crafted, most: render_html.report_view(crafted.graph, crafted.ids["r1"], max_nodes=most),
}


def by_meaning(graph: nx.MultiDiGraph) -> list[str]:
    """Nodes in the order a view keeps them: rank of view-style.toml, then degree without MENTIONED_IN."""
    ranks = {label: style["rank"] for label, style in render_html.view_style().nodes.items()}
    return sorted(
        graph,
        key=lambda node: (
            ranks[graph.nodes[node]["label"]],
            -sum(1 for *_, kind in graph.out_edges(node, keys=True) if kind != "MENTIONED_IN")
            - sum(1 for *_, kind in graph.in_edges(node, keys=True) if kind != "MENTIONED_IN"),
            node,
        ),
    )


@pytest.mark.parametrize("kind", PICKERS)
def test_views_cut_by_meaning_then_connections(kind: str, crafted: Crafted) -> None:
    full = PICKERS[kind](crafted, 1000).graph
    view = PICKERS[kind](crafted, 4)
    kept = by_meaning(full)[:4]
    assert set(view.graph) == set(kept)
    assert set(view.graph.edges(keys=True)) == set(full.subgraph(kept).edges(keys=True))
    assert f"Showing 4 of {len(full)} nodes" in view.notice
    assert PICKERS[kind](crafted, len(full)).notice == ""


def test_cut_keeps_bodies_and_initiatives_before_busy_metrics() -> None:
    """A policy with one edge outranks metrics with many: the cut is by meaning first."""
    make = GraphMaker()
    report = make.report("r", "报告", "r.txt", "芜湖市")
    policy = make.entity("Policy", "课后服务实施方案", [report])
    bureau = make.entity("Bureau", "芜湖市教育局", [report])
    make.edge(bureau, policy, "RESPONSIBLE_FOR", report, "负责方案。")
    metrics = [make.entity("Metric", f"指标{index}", [report]) for index in range(6)]
    for metric in metrics:
        for other in metrics:
            if other != metric:
                make.edge(metric, other, "PART_OF", report, "指标之间。")
    kept = render_html.whole_view(make.graph, max_nodes=3).graph
    assert {policy, bureau} <= set(kept)
    assert not set(metrics) & set(kept) - set(metrics[:1])


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        ("1665万元", "万元", "1665万元"),
        ("95%", "%", "95%"),
        ("48人", "人", "48人"),
        ("120", "所", "120所"),
        ("**所", "所", "**所"),
        ("3", "", "3"),
    ],
)
def test_metric_value_shows_its_unit_once(value: str, unit: str, shown: str) -> None:
    assert render_html.metric_value(value, unit) == shown


def names(graph: nx.MultiDiGraph, nodes: Any) -> set[str]:
    return {graph.nodes[node]["name"] for node in nodes}


def test_cities_view_links_jurisdictions_to_shared_initiatives(crafted: Crafted) -> None:
    view = render_html.cities_view(crafted.graph).graph
    links = {(view.nodes[u]["name"], view.nodes[v]["name"]) for u, v in view.edges()}
    assert links == {
        ("芜湖市", "主题教育"),
        ("芜湖市", "双减"),
        ("**市", "主题教育"),
        ("**市", "双减"),
        ("蜀山区", "主题教育"),
    }
    assert names(view, view) == {
        "芜湖市",
        "**市",
        "蜀山区",
        "主题教育",
        "双减",
    }  # the body concept is not an initiative
    assert view.nodes[crafted.ids["theme"]]["shared_by"] == sorted(
        ["芜湖市", "**市 · 001_masked.txt", "蜀山区"]
    )
    assert view.in_degree(crafted.ids["theme"]) == 3
    masked = next(node for node in view if view.nodes[node]["name"] == "**市")
    assert view.edges[masked, crafted.ids["double"], "INSTANCE_OF"]["instances"] == ["双减专项治理"]


def test_report_view_is_every_entity_of_the_report(crafted: Crafted) -> None:
    view = render_html.report_view(crafted.graph, crafted.ids["r1"])
    assert view.stem == "report-" + crafted.ids["r1"].removeprefix("report:")
    keys = ("r1", "b1", "p1", "p2", "p3", "m1", "campaign", "moe")
    assert set(view.graph) == {crafted.ids[key] for key in keys}
    kinds = {(u, v, k) for u, v, k in view.graph.edges(keys=True)}
    assert (crafted.ids["r1"], crafted.ids["b1"], "ISSUED_BY") in kinds
    assert (crafted.ids["p3"], crafted.ids["p1"], "PART_OF") in kinds
    assert (crafted.ids["p1"], crafted.ids["m1"], "MEASURED_BY") in kinds
    assert (crafted.ids["moe"], crafted.ids["r1"], "MENTIONED_IN") in kinds  # no relation: tied to the report
    texts = [sentence.text for sentence in view.sentences]
    assert "RESPONSIBLE_FOR的证据句。" in texts and "教育部的有关情况。" in texts
    assert all(sentence.report == crafted.ids["r1"] for sentence in view.sentences)
    moe = next(sentence for sentence in view.sentences if sentence.text == "教育部的有关情况。")
    assert crafted.ids["moe"] in moe.nodes and crafted.ids["r1"] not in moe.nodes


@pytest.mark.parametrize(
    ("report", "stem"),
    [
        ("report:1a2b3c", "report-1a2b3c"),
        ("report:../../etc/passwd", "report-______etc_passwd"),
        ("x/y", "report-x_y"),
    ],
)
def test_report_stem_is_a_plain_file_name(report: str, stem: str) -> None:
    assert render_html.report_stem(report) == stem


def test_hostile_ids_stay_inside_their_attributes() -> None:
    graph = nx.MultiDiGraph()
    place = 'jurisdiction:"><img src=x onerror=alert(1)>'
    graph.add_node(place, label="Jurisdiction", name="芜湖市", level="市", masked=False, reports=[])
    graph.add_node("bureau:1", label="Bureau", name="教育局", jurisdiction="芜湖市", reports=[])
    graph.add_edge("bureau:1", place, key="LOCATED_IN", type="LOCATED_IN", reports=[], evidence=[])
    page = render_html.to_html(render_html.whole_view(graph))
    assert "<img" not in page
    assert 'value="jurisdiction:&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"' in page


def test_write_views_writes_every_page(crafted: Crafted, tmp_path: Path) -> None:
    written = render_html.write_views(crafted.graph, tmp_path)
    reports = sorted(crafted.ids[key].removeprefix("report:") for key in ("r1", "r2", "r3"))
    assert sorted(path.name for path in written) == sorted(
        [
            "graph.html",
            "cities.html",
            "compare.html",
            "index.html",
            *(f"report-{hex_id}.html" for hex_id in reports),
        ]
    )
    shared = set(render_html.ASSETS)
    assert shared <= {path.name for path in tmp_path.iterdir()}
    for path in written:
        page = path.read_text(encoding="utf-8")
        assert "cdn." not in page and "//" not in "".join(re.findall(r'(?:src|href)="([^"]*)"', page))
        assert set(re.findall(r'<(?:script src|link rel="stylesheet" href)="([^"]+)"', page)) <= shared
        assert len(page) < 200_000  # the library is not inlined in every page
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert all(f'"report-{hex_id}.html"' in index for hex_id in reports)  # the script lists them
    assert 'href="compare.html"' in index


# ---------------------------------------------------------------- in Chromium


@dataclass
class Opened:
    page: Any
    errors: list[str]
    requests: list[str]

    def js(self, expression: str, argument: Any = None) -> Any:
        return self.page.evaluate(expression, argument)

    def shown_nodes(self) -> set[str]:
        return set(self.js("edukgView.nodes.get({filter: n => !n.hidden}).map(n => n.id)"))

    def shown_edges(self) -> set[tuple[str, str, str]]:
        rows = self.js("edukgView.edges.get({filter: e => !e.hidden}).map(e => [e.from, e.to, e.type])")
        return {tuple(row) for row in rows}


@pytest.fixture
def open_page(chromium: Any) -> Iterator[Callable[[Path], Opened]]:
    """Open a page, wait until the network is drawn, and record errors and requests on the way."""
    pages = []

    def open_(path: Path) -> Opened:
        page = chromium.new_page(viewport={"width": 1400, "height": 900})
        pages.append(page)
        opened = Opened(page, [], [])
        page.on(
            "console",
            lambda message: message.type in ("error", "warning") and opened.errors.append(message.text),
        )
        page.on("pageerror", lambda error: opened.errors.append(str(error)))
        page.on("request", lambda request: opened.requests.append(request.url))
        page.goto(path.as_uri())
        page.wait_for_function("window.edukgView !== undefined && window.edukgView.ready", timeout=20_000)
        return opened

    yield open_
    for page in pages:
        page.close()


@pytest.fixture(scope="module")
def crafted_pages(crafted: Crafted, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("views")
    render_html.write_views(crafted.graph, out)
    return out


def write_page(path: Path, page: str) -> None:
    """Write one page and the files it shares with the others beside it."""
    render_html.write_assets(path.parent)
    path.write_text(page, encoding="utf-8")


def screenshot(opened: Opened, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    opened.page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def assert_clean(opened: Opened, path: Path) -> None:
    assert opened.errors == []
    # nothing fetched but the page and the files beside it: no CDN, no fonts, no images
    assert opened.requests[0] == path.as_uri()
    assert {request.rsplit("/", 1)[0] for request in opened.requests} == {path.parent.as_uri()}


def shown_at_first(view: render_html.View) -> tuple[set[str], set[tuple[str, str, str]]]:
    """The nodes and edges a page shows when it opens: all but the types it starts unticked."""
    nodes = {node for node, label in view.graph.nodes(data="label") if label not in view.hidden}
    edges = {
        (u, v, kind)
        for u, v, kind in view.graph.edges(keys=True)
        if kind not in view.hidden and u in nodes and v in nodes
    }
    return nodes, edges


def check_drawn(opened: Opened, view: render_html.View) -> None:
    """The page draws exactly the view's nodes and edges, with a legend of its node types."""
    assert (opened.shown_nodes(), opened.shown_edges()) == shown_at_first(view)
    legend = opened.js("[...document.querySelectorAll('input[name=type]')].map(box => box.value)")
    assert sorted(legend) == sorted({label for _, label in view.graph.nodes(data="label")})
    assert opened.js("document.querySelectorAll('#legend svg.glyph').length") == len(legend)
    labels = opened.js("Object.fromEntries(edukgView.nodes.get().map(n => [n.id, n.label]))")
    for node, name in view.graph.nodes(data="name"):
        assert len(labels[node]) <= render_html.LABEL_CHARS
        assert name.startswith(labels[node].removesuffix("…")[: len(name)])


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["graph", "cities", "report"])
def test_view_draws_exactly_its_graph(
    kind: str, crafted: Crafted, crafted_pages: Path, open_page: Any
) -> None:
    view = {
        "graph": lambda: render_html.whole_view(crafted.graph),
        "cities": lambda: render_html.cities_view(crafted.graph),
        "report": lambda: render_html.report_view(crafted.graph, crafted.ids["r1"]),
    }[kind]()
    path = crafted_pages / f"{view.stem}.html"
    opened = open_page(path)
    assert_clean(opened, path)
    check_drawn(opened, view)
    if kind == "graph":
        assert set(view.graph) == set(crafted.graph) and view.hidden == {"Metric", "Report", "MENTIONED_IN"}
    screenshot(opened, f"crafted-{kind}")


@pytest.mark.slow
def test_views_of_the_sample_reports(sample_graph: nx.MultiDiGraph, tmp_path: Path, open_page: Any) -> None:
    written = render_html.write_views(sample_graph, tmp_path)
    reports = [node for node, label in sample_graph.nodes(data="label") if label == "Report"]
    assert len(written) == 4 + len(reports)  # the whole graph, cities, compare, index, one per report
    ranked = by_meaning(sample_graph)
    for view in render_html.views(sample_graph):
        path = tmp_path / f"{view.stem}.html"
        opened = open_page(path)
        assert_clean(opened, path)
        check_drawn(opened, view)
        if view.stem == "graph":
            assert set(view.graph) == set(ranked[: render_html.MAX_NODES])
        screenshot(opened, f"sample-{view.stem}")
        opened.page.close()


def city_of(view: nx.MultiDiGraph, city: str, hidden: frozenset[str] = frozenset()) -> set[str]:
    """What the city filter should leave: the city's nodes and the shared nodes they touch
    (of the types ticked)."""
    local = {
        node
        for node, attrs in view.nodes(data=True)
        if attrs["place"] == city and attrs["label"] not in hidden
    }
    shared = {
        other
        for node in local
        for other in nx.all_neighbors(view, node)
        if view.nodes[other]["place"] == "" and view.nodes[other]["label"] not in hidden
    }
    return local | shared


@pytest.mark.slow
def test_city_and_type_filters_hide_nodes(crafted: Crafted, crafted_pages: Path, open_page: Any) -> None:
    whole = render_html.whole_view(crafted.graph)
    view = whole.graph
    opened = open_page(crafted_pages / "graph.html")
    wuhu = next(
        node
        for node, attrs in view.nodes(data=True)
        if attrs["label"] == "Jurisdiction" and attrs["name"] == "芜湖市"
    )
    opened.page.select_option("#city", wuhu)
    shown = opened.shown_nodes()
    assert shown == city_of(view, wuhu, whole.hidden)
    assert (
        crafted.ids["b2"] not in shown and crafted.ids["b3"] not in shown and crafted.ids["campaign"] in shown
    )
    assert all(u in shown and v in shown for u, v, _ in opened.shown_edges())
    screenshot(opened, "crafted-graph-city-filter")

    opened.page.select_option("#city", "")
    opened.page.check("input[name=type][value=Metric]")
    opened.page.uncheck("input[name=type][value=Report]")
    opened.page.uncheck("input[name=relation][value=PART_OF]")
    shown = opened.shown_nodes()
    assert shown == {node for node, label in view.nodes(data="label") if label != "Report"}
    assert {kind for _, _, kind in opened.shown_edges()} == {
        "RESPONSIBLE_FOR",
        "MEASURED_BY",
        "LOCATED_IN",
        "INSTANCE_OF",
    }
    assert (
        opened.js("document.getElementById('shown').textContent")
        == f"{len(shown)} of {len(view)} nodes shown"
    )


@pytest.mark.slow
def test_city_filter_on_the_sample_reports(
    sample_graph: nx.MultiDiGraph, tmp_path: Path, open_page: Any
) -> None:
    view = render_html.whole_view(sample_graph)
    path = tmp_path / "graph.html"
    write_page(path, render_html.to_html(view))
    opened = open_page(path)
    cities = opened.js("[...document.querySelectorAll('#city option')].map(o => o.value).filter(v => v)")
    assert sorted(cities) == sorted(
        node for node, label in sample_graph.nodes(data="label") if label == "Jurisdiction"
    )
    for city in cities:
        opened.page.select_option("#city", city)
        expected = city_of(view.graph, city, view.hidden)
        assert opened.shown_nodes() == expected
        assert all(u in expected and v in expected for u, v, _ in opened.shown_edges())
    screenshot(opened, "sample-graph-city-filter")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("query", "found"),
    [("铸魂", ["p1"]), ("局党组", ["b1"]), ("教育局", ["b1", "b2", "b3"])],  # reports start hidden
)
def test_search_selects_names_and_aliases(
    query: str, found: list[str], crafted: Crafted, crafted_pages: Path, open_page: Any
) -> None:
    opened = open_page(crafted_pages / "graph.html")
    opened.page.fill("#search", query)
    assert set(opened.js("edukgView.network.getSelectedNodes()")) == {crafted.ids[key] for key in found}
    assert opened.js("document.getElementById('search-count').textContent") == f"{len(found)} found"


@pytest.mark.slow
def test_large_graph_is_reduced_laid_out_and_interactive(tmp_path: Path, open_page: Any) -> None:
    graph = make_big(700)
    view = render_html.whole_view(graph)
    path = tmp_path / "graph.html"
    write_page(path, render_html.to_html(view))
    opened = open_page(path)
    assert_clean(opened, path)
    assert len(view.graph) == render_html.MAX_NODES
    assert (opened.shown_nodes(), opened.shown_edges()) == shown_at_first(view)
    notice = opened.js("document.getElementById('notice').textContent")
    assert f"Showing {render_html.MAX_NODES} of 700 nodes" in notice
    screenshot(opened, "big-graph-reduced")


HOSTILE = [
    "<script>window.__pwned=1</script>",
    '"><img src=x onerror=window.__pwned=1>',
    "</script><script>window.__pwned=1</script>",
    '<a href="javascript:window.__pwned=1">href</a>',
    "' onmouseover='window.__pwned=1' & \"引号\" &amp;",
]


@pytest.mark.slow
@pytest.mark.parametrize(("case", "payload"), [("all", " ".join(HOSTILE)), ("attribute", HOSTILE[1])])
def test_hostile_text_is_shown_not_run(
    case: str, payload: str, tmp_path: Path, open_page: Any, chromium: Any
) -> None:
    hostile = make_crafted(lambda name: f"{name}{payload}")
    render_html.write_views(hostile.graph, tmp_path)
    for stem in ("graph", "cities", render_html.report_stem(hostile.ids["r2"])):
        path = tmp_path / f"{stem}.html"
        opened = open_page(path)
        assert opened.errors == []
        assert opened.js("window.__pwned") is None
        assert opened.js("document.querySelectorAll('img, iframe, a[href^=javascript]').length") == 0
        if stem.startswith("report-"):
            assert payload in opened.js("document.getElementById('title').textContent")
        if stem == "graph":
            options = opened.js("[...document.querySelectorAll('#city option')].map(o => o.textContent)")
            assert f"芜湖市{payload}" in options
            tip = opened.js("id => edukgView.nodes.get(id).title.textContent", hostile.ids["b1"])
            assert f"芜湖市教育局{payload}" in tip and f"局党组{payload}" in tip
            hover(opened, hostile.ids["p1"])
            tooltip = opened.js("document.querySelector('div.vis-tooltip').textContent")
            assert f"时代新人铸魂工程{payload}" in tooltip
            assert opened.js("window.__pwned") is None
            screenshot(opened, f"hostile-{case}-graph")
    compare = open_compare(chromium, tmp_path / "compare.html")
    assert compare.js("window.__pwned") is None
    assert compare.js("document.querySelectorAll('img, iframe, a[href^=javascript]').length") == 0
    places = compare.js("[...document.querySelectorAll('#matrix th.place')].map(th => th.textContent)")
    assert f"芜湖市{payload}" in places
    compare.page.click("#matrix td.stated")
    assert payload in compare.js("document.getElementById('evidence-title').textContent")
    assert compare.js("window.__pwned") is None and compare.errors == []
    screenshot(compare, f"hostile-{case}-compare")
    compare.page.close()
    index = chromium.new_page()
    try:
        index.goto((tmp_path / "index.html").as_uri())
        assert index.evaluate("window.__pwned") is None
        titles = index.evaluate("[...document.querySelectorAll('#reports a')].map(a => a.textContent)")
        assert f"蜀山区教育局工作总结{payload}" in titles
    finally:
        index.close()


def hover(opened: Opened, node: str) -> None:
    """Rest the pointer on ``node`` until vis-network shows its tooltip."""
    x, y = opened.js(
        """id => {
            const network = edukgView.network;
            const point = network.canvasToDOM(network.getPositions([id])[id]);
            const box = document.getElementById("network").getBoundingClientRect();
            return [point.x + box.left, point.y + box.top];
        }""",
        node,
    )
    opened.page.mouse.move(x - 40, y - 40)
    opened.page.mouse.move(x, y, steps=4)
    opened.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)


# ---------------------------------------------------------------- a readable start


def label_colours(opened: Opened) -> dict[str, str]:
    return opened.js("Object.fromEntries(edukgView.nodes.get().map(n => [n.id, (n.font || {}).color]))")


@pytest.mark.slow
def test_whole_graph_opens_without_metrics_reports_and_mentions(
    crafted: Crafted, crafted_pages: Path, open_page: Any
) -> None:
    opened = open_page(crafted_pages / "graph.html")
    unticked = opened.js(
        "[...document.querySelectorAll('#legend input:not(:checked)')].map(box => box.value)"
    )
    assert sorted(unticked) == ["MENTIONED_IN", "Metric", "Report"]
    assert not {crafted.ids[key] for key in ("r1", "r2", "r3", "m1")} & opened.shown_nodes()
    assert all(kind != "MENTIONED_IN" for *_, kind in opened.shown_edges())
    opened.page.check("input[name=type][value=Report]")
    opened.page.check("input[name=relation][value=MENTIONED_IN]")
    assert {crafted.ids[key] for key in ("r1", "r2", "r3")} <= opened.shown_nodes()
    assert (crafted.ids["p1"], crafted.ids["r1"], "MENTIONED_IN") in opened.shown_edges()


@pytest.mark.slow
def test_large_page_names_nodes_on_zoom_and_hover(tmp_path: Path, open_page: Any) -> None:
    view = render_html.whole_view(make_big(700))
    path = tmp_path / "graph.html"
    write_page(path, render_html.to_html(view))
    opened = open_page(path)
    assert opened.js("edukgView.network.getScale()") < render_html.LABEL_SCALE
    colours = label_colours(opened)
    anchors = {node for node, label in view.graph.nodes(data="label") if label in render_html.ANCHORS}
    assert {colours[node] for node in set(view.graph) - anchors} == {"rgba(0,0,0,0)"}
    assert {colours[node] for node in anchors} == {"#222"}
    screenshot(opened, "big-graph-unzoomed")

    node = next(node for node, label in view.graph.nodes(data="label") if label == "Programme")
    hover(opened, node)
    assert label_colours(opened)[node] == "#222"

    opened.js("edukgView.network.moveTo({scale: 1.5, animation: false})")
    opened.page.wait_for_function("edukgView.nodes.get().every(n => n.font.color === '#222')", timeout=5_000)
    screenshot(opened, "big-graph-zoomed")


@pytest.mark.slow
def test_search_dims_what_does_not_match(crafted: Crafted, crafted_pages: Path, open_page: Any) -> None:
    opened = open_page(crafted_pages / "graph.html")
    opened.page.fill("#search", "铸魂")
    opacity = opened.js("Object.fromEntries(edukgView.nodes.get().map(n => [n.id, n.opacity]))")
    assert opacity[crafted.ids["p1"]] == 1
    assert {opacity[node] for node in set(crafted.graph) - {crafted.ids["p1"]}} == {0.15}
    edges = opened.js("edukgView.edges.get().map(e => e.color.opacity)")
    assert set(edges) == {0.15}  # no edge joins two matches
    screenshot(opened, "crafted-graph-search")
    opened.page.fill("#search", "")
    assert set(opened.js("edukgView.nodes.get().map(n => n.opacity)")) == {1}


@pytest.mark.slow
def test_report_page_lists_its_sentences(
    sample_graph: nx.MultiDiGraph, tmp_path: Path, open_page: Any
) -> None:
    report = max(
        (node for node, label in sample_graph.nodes(data="label") if label == "Report"),
        key=lambda node: sample_graph.degree(node),
    )
    view = render_html.report_view(sample_graph, report)
    entities = {
        node
        for node, attrs in sample_graph.nodes(data=True)
        if report in attrs.get("reports", ()) and attrs["label"] not in ("Report", "Jurisdiction", "Concept")
    }
    assert entities | {report} == set(view.graph)
    path = tmp_path / "report.html"
    write_page(path, render_html.to_html(view))
    opened = open_page(path)
    assert_clean(opened, path)
    assert opened.shown_nodes() == set(view.graph)
    items = opened.js("[...document.querySelectorAll('#evidence li')].map(li => li.textContent)")
    assert items == [sentence.text for sentence in view.sentences] and len(items) > 10
    mentioned = {node for sentence in view.sentences for node in sentence.nodes}
    assert mentioned == entities  # every entity of the report has a sentence in the list
    chosen = next(index for index, sentence in enumerate(view.sentences) if len(sentence.nodes) > 1)
    opened.page.click(f"#evidence li:nth-child({chosen + 1})")
    assert set(opened.js("edukgView.network.getSelectedNodes()")) == set(view.sentences[chosen].nodes)
    screenshot(opened, "sample-report-sentence")


# ---------------------------------------------------------------- the cross-city page


def test_cross_city_cells_links_and_metrics(crafted: Crafted) -> None:
    graph = crafted.graph.copy()
    graph.nodes[crafted.ids["m1"]].update(family="new-school-places", family_name="新增学位", year=2023)
    view = cross_city.cross_city(graph)
    names = [place.name for place in view.places]
    assert sorted(names) == sorted(["芜湖市", "**市 (001_masked.txt)", "蜀山区"])
    stated = {
        (view.places[cell.place].name, view.initiatives[cell.initiative].name): cell for cell in view.cells
    }
    assert set(stated) == {
        ("芜湖市", "主题教育"),
        ("芜湖市", "双减"),
        ("**市 (001_masked.txt)", "主题教育"),
        ("**市 (001_masked.txt)", "双减"),
        ("蜀山区", "主题教育"),
    }  # the body concept (教育部) is no initiative
    assert stated["芜湖市", "双减"].reports == ("000_wuhu.txt",)
    assert stated["芜湖市", "双减"].evidence == (("000_wuhu.txt", "芜湖双减行动的有关情况。"),)
    links = {
        frozenset((view.places[link.a].name, view.places[link.b].name)): (len(link.shared), link.jaccard)
        for link in view.links
    }
    assert links == {
        frozenset(("芜湖市", "**市 (001_masked.txt)")): (2, 1.0),
        frozenset(("芜湖市", "蜀山区")): (1, 0.5),
        frozenset(("**市 (001_masked.txt)", "蜀山区")): (1, 0.5),
    }
    assert view.linked_pairs == 3
    [metric] = view.metrics
    assert (metric.family, view.places[metric.place].name, metric.year, metric.value) == (
        "new-school-places",
        "芜湖市",
        2023,
        "120所",
    )


def test_cross_city_keeps_each_places_strongest_links() -> None:
    graph = make_places(60, initiatives=12)
    view = cross_city.cross_city(graph, max_links=40, links_per_place=2)
    assert len(view.links) == 40 < view.linked_pairs
    ranked = [(-link.jaccard, -len(link.shared)) for link in view.links]
    assert ranked == sorted(ranked)


PROVINCES = ["安徽省", "浙江省", "四川省", "广东省", "甘肃省", "山东省", "江苏省", "湖南省"]
DOMAINS = ["义务", "学前", "党建", "治理", "高中", "职教"]


def make_places(count: int, initiatives: int = 40) -> nx.MultiDiGraph:
    """``count`` reports of as many places in eight provinces; each states a few of
    ``initiatives`` initiatives and gives a few indicator values."""
    make = GraphMaker()
    concepts = []
    for index in range(initiatives):
        concept = make.concept(f"举措{index:02}")
        make.graph.nodes[concept]["domain"] = DOMAINS[index % len(DOMAINS)]
        concepts.append(concept)
    for index in range(count):
        place = f"第{index:04}县"
        report = make.report(f"r{index}", f"{place}教育局工作总结", f"{index:04}.txt", place)
        province = PROVINCES[index % len(PROVINCES)]
        make.graph.nodes[report]["province"] = province
        bureau = make.entity("Bureau", f"{place}教育局", [report])
        make.edge(report, bureau, "ISSUED_BY", report, "")
        for step in range(1 + index % 5):
            concept = concepts[(index * 7 + step * 3) % initiatives]
            make.edge(report, concept, "INSTANCE_OF", report, f"{place}推进举措{step}的句子。")
        metric = make.entity("Metric", "学前教育毛入园率", [report])
        make.graph.nodes[metric].update(
            value=f"{90 + index % 10}.5%",
            unit="%",
            numeric=90.5 + index % 10,
            masked=False,
            comparison="",
            family="preschool-gross-enrolment",
            family_name="学前教育毛入园率",
            year=2020 + index % 5,
        )
    return make.graph


def open_compare(chromium: Any, path: Path) -> Opened:
    """Open a compare page and wait until it has drawn its matrix, links and table."""
    page = chromium.new_page(viewport={"width": 1400, "height": 900})
    opened = Opened(page, [], [])
    page.on("console", lambda message: message.type == "error" and opened.errors.append(message.text))
    page.on("pageerror", lambda error: opened.errors.append(str(error)))
    page.on("request", lambda request: opened.requests.append(request.url))
    page.goto(path.as_uri())
    page.wait_for_function("window.edukgCompare !== undefined && window.edukgCompare.ready", timeout=30_000)
    return opened


def matrix_rows(opened: Opened) -> list[str]:
    return opened.js("[...document.querySelectorAll('#matrix tbody th.place')].map(th => th.textContent)")


@pytest.mark.slow
def test_compare_page_cell_shows_its_sentences(crafted: Crafted, crafted_pages: Path, chromium: Any) -> None:
    path = crafted_pages / "compare.html"
    opened = open_compare(chromium, path)
    assert_clean(opened, path)
    view = cross_city.cross_city(crafted.graph)
    assert matrix_rows(opened) == [place.name for place in view.places]
    wuhu = next(index for index, place in enumerate(view.places) if place.name == "芜湖市")
    double = next(index for index, item in enumerate(view.initiatives) if item.name == "双减")
    opened.page.click(f'#matrix td[data-place="{wuhu}"][data-initiative="{double}"]')
    items = opened.js("[...document.querySelectorAll('#evidence li')].map(li => li.lastChild.textContent)")
    assert items == ["芜湖双减行动的有关情况。"]
    assert opened.js("document.getElementById('evidence-title').textContent") == "芜湖市 · 双减"
    assert opened.js("document.querySelector('#matrix td.chosen').textContent") == "1"
    assert opened.js("edukgCompare.edges.length") == len(view.links)
    screenshot(opened, "crafted-compare")
    opened.page.close()


@pytest.mark.slow
def test_compare_page_stays_readable_at_a_thousand_places(tmp_path: Path, chromium: Any) -> None:
    graph = make_places(1000)
    path = tmp_path / "compare.html"
    write_page(path, render_html.to_compare_html(graph))
    opened = open_compare(chromium, path)
    assert_clean(opened, path)
    view = cross_city.cross_city(graph)
    first = matrix_rows(opened)
    assert first == [place.name for place in view.places[: render_html.MATRIX_ROWS]]
    assert opened.js("document.getElementById('page').textContent").startswith("places 1–50 of 1000")
    assert opened.js("edukgCompare.edges.length") == len(view.links) == cross_city.MAX_LINKS
    screenshot(opened, "thousand-places-compare")
    opened.page.wait_for_function("edukgCompare.settled", timeout=30_000)
    opened.js("document.getElementById('network-section').scrollIntoView()")
    screenshot(opened, "thousand-places-compare-links")

    opened.page.click("#next")
    assert matrix_rows(opened) == [place.name for place in view.places[50:100]]
    opened.page.select_option("#province", "甘肃省")
    gansu = [place.name for place in view.places if place.province == "甘肃省"]
    assert matrix_rows(opened) == gansu[: render_html.MATRIX_ROWS]
    shown = set(opened.js("edukgCompare.nodes.getIds()"))
    assert all(
        view.places[link.a].province == "甘肃省" or view.places[link.b].province == "甘肃省"
        for link in view.links
        if link.a in shown and link.b in shown
    )
    opened.page.select_option("#domain", "党建")
    columns = opened.js(
        "[...document.querySelectorAll('#matrix tr.domains th:not(.place)')].map(th => th.textContent)"
    )
    assert columns == ["党建"]
    rows = opened.js("document.querySelectorAll('#metrics tbody tr').length")
    assert rows == len(gansu)  # the indicator table follows the province filter
    opened.js("document.getElementById('metrics-section').scrollIntoView()")
    screenshot(opened, "thousand-places-compare-filtered")


@pytest.mark.slow
def test_index_pages_and_searches_many_reports_as_text(tmp_path: Path, chromium: Any) -> None:
    graph = nx.MultiDiGraph()
    hostile = '<img src=x onerror="window.pwned=1">报告'
    for number in range(250):
        title = hostile if number == 137 else f"报告{number:03d}"
        graph.add_node(
            f"report:{number:04x}", label="Report", name=title, title=title, source=f"{number:03d}.txt"
        )
    path = tmp_path / "index.html"
    path.write_text(render_html.to_index(graph), encoding="utf-8")
    page = chromium.new_page()
    page.goto(path.as_uri())
    items = "[...document.querySelectorAll('#reports li a')].map(a => a.textContent)"
    assert len(page.evaluate(items)) == render_html.INDEX_ROWS
    assert page.text_content("#page") == "page 1 of 3 · 250 reports"
    page.click("#next")
    page.click("#next")
    assert len(page.evaluate(items)) == 250 - 2 * render_html.INDEX_ROWS
    page.fill("#search", "onerror")
    assert page.evaluate(items) == [hostile]
    assert page.evaluate("window.pwned") is None
    page.close()


def test_inline_page_stands_alone(crafted: Crafted) -> None:
    shared = render_html.to_html(render_html.whole_view(crafted.graph))
    alone = render_html.to_html(render_html.whole_view(crafted.graph), inline=True)
    assert '<script src="vis-network.min.js">' in shared
    assert "<script src" not in alone and "<link" not in alone
    assert render_html.ASSETS["vis-network.min.js"].read_text(encoding="utf-8") in alone
