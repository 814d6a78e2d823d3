"""Interactive HTML views of the graph: the whole graph, cities side by side, each report.

A view is a small graph picked from the knowledge graph (``whole_view``,
``cities_view``, ``report_view``). ``to_html`` lays it out with networkx, builds
the vis-network nodes and edges with pyvis and renders one page with its data inline;
vis-network (as pyvis ships it) and the pages' own scripts and styles are files written
once beside the pages (``ASSETS``), so a page fetches nothing but files of its folder.

pyvis's page template is not used: it loads bootstrap from a CDN, and it writes
node ids, the heading and link-bearing titles into the page as markup. Here report
text reaches the page only as JSON in a non-executable script element, escaped so
that it cannot close that element, and the page's script puts it into the document
as text; the titles, legend and city names of the page are escaped by Jinja.

>>> import networkx as nx
>>> graph = nx.MultiDiGraph()
>>> graph.add_node("report:00", label="Report", name="报告", title="报告", source="a.txt", reports=[])
>>> sorted(to_pages(graph))
['cities.html', 'compare.html', 'graph.html', 'index.html', 'report-00.html']
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
from markupsafe import Markup
from pyvis.network import Network

from edukg.graph import cross_city, layout
from edukg.ontology import check_label, check_relation, read_text, schema

MAX_NODES = 400  # a view keeps this many nodes: the lowest ranks of view-style.toml, then the most connected
LABEL_CHARS = 18  # longer names are shortened on the canvas; the tooltip has them whole
EVIDENCE_SHOWN = 3  # evidence sentences per edge tooltip
SOURCES_SHOWN = 10  # report files per node tooltip (a national body's node has thousands)
SETTLE_ITERATIONS = 60  # physics steps in the browser after the precomputed layout
LABEL_SCALE = 0.75  # on pages that label on zoom, names show from this zoom on (and on hover, on a match)
LABEL_ALL_UP_TO = 60  # a report's page names every node up to this many nodes, larger ones on zoom
ANCHORS = ("Jurisdiction", "Report")  # node labels always named: what a reader finds their way by

# vis sizes these shapes by their label, so a size value would only skew the others' scale
_LABEL_INSIDE = frozenset({"box", "ellipse", "circle", "database", "text"})
_VIS_FILES = resources.files("pyvis").joinpath("templates", "lib", "vis-9.1.2")
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_SCRIPT_UNSAFE = re.compile("[<>&\u2028\u2029]")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One entry of a page's evidence list: a sentence of a report and the nodes it states."""

    report: str
    index: int  # the sentence's number in its report
    text: str
    status: str
    nodes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class View:
    """One page: ``graph`` holds the nodes and edges to draw, with the knowledge graph's
    attributes plus ``place`` (id of the node's jurisdiction, ``""`` when shared),
    ``place_name``, ``sources`` and ``evidence`` on every node.

    ``hidden`` names the node labels and relationship types the page starts with unticked;
    ``sentences`` is the page's evidence list; ``labels_on_zoom`` shows names only from a
    zoom on, or on the node under the pointer and on search matches (large pages).
    """

    stem: str
    title: str
    graph: nx.MultiDiGraph
    notice: str = ""
    hidden: frozenset[str] = frozenset()
    sentences: tuple[Sentence, ...] = ()
    labels_on_zoom: bool = False


@dataclass(frozen=True, slots=True)
class Style:
    nodes: dict[str, dict[str, Any]]
    edges: dict[str, dict[str, Any]]
    hidden: dict[str, frozenset[str]]  # view stem -> labels and types unticked at first


@cache
def view_style() -> Style:
    """How each node label and relationship type is drawn, from ``ontology/view-style.toml``."""
    table = tomllib.loads(read_text("view-style.toml"))
    return Style(
        nodes={check_label(label): style for label, style in table["node"].items()},
        edges={check_relation(kind): style for kind, style in table["edge"].items()},
        hidden={
            stem: frozenset(_check_kind(kind) for kind in settings.get("hidden", ()))
            for stem, settings in table.get("view", {}).items()
        },
    )


def _check_kind(kind: str) -> str:
    return check_relation(kind) if kind.isupper() else check_label(kind)


def script_json(value: Any) -> str:
    """``value`` as JSON that can sit inside a ``<script>`` element and mean the same.

    >>> script_json({"name": "</script>&"})
    '{"name": "\\\\u003c/script\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return _SCRIPT_UNSAFE.sub(lambda match: _SCRIPT_ESCAPES[match.group()], text)


def report_stem(report: str) -> str:
    """File stem of a report's page: ``report:1a2b`` -> ``report-1a2b``."""
    return "report-" + re.sub(r"[^0-9A-Za-z_-]", "_", report.removeprefix("report:"))


# ---------------------------------------------------------------- picking the views


def whole_view(graph: nx.MultiDiGraph, max_nodes: int = MAX_NODES) -> View:
    """The whole graph, or ``max_nodes`` of its nodes when it is larger (see ``cut``).

    It opens with metrics, reports and MENTIONED_IN unticked, and names on zoom.
    """
    kept, notice = cut(graph, max_nodes)
    drawn = _subgraph(graph, kept, graph.subgraph(kept).edges(keys=True))
    hidden = view_style().hidden.get("graph", frozenset())
    return View("graph", "Knowledge graph", drawn, notice, hidden=hidden, labels_on_zoom=True)


def cities_view(graph: nx.MultiDiGraph, max_nodes: int = MAX_NODES) -> View:
    """Jurisdictions and the national initiatives they share.

    A jurisdiction is linked to an initiative concept when one of its reports mentions
    an instance of the concept, or one of its bodies is responsible for one; a concept
    is drawn larger the more jurisdictions share it.
    """
    by_report = _report_jurisdictions(graph)
    concepts = {
        node
        for node, attrs in graph.nodes(data=True)
        if attrs["label"] == "Concept" and attrs.get("kind") == "initiative"
    }
    instances: dict[tuple[str, str], set[str]] = {}
    for entity, concept in _instances(graph, concepts):
        places = {
            by_report[report] for report in graph.nodes[entity].get("reports", ()) if report in by_report
        }
        for body, _, kind in graph.in_edges(entity, keys=True):
            if kind == "RESPONSIBLE_FOR":
                places.update(_located_in(graph, body))
        for place in places:
            instances.setdefault((place, concept), set()).add(entity)
    jurisdictions = {node for node, attrs in graph.nodes(data=True) if attrs["label"] == "Jurisdiction"}
    shared = {concept for _, concept in instances}
    view = _subgraph(graph, sorted(jurisdictions | shared), ())
    for (place, concept), entities in sorted(instances.items()):
        names = sorted({graph.nodes[entity]["name"] for entity in entities})
        reports = sorted({report for entity in entities for report in graph.nodes[entity].get("reports", ())})
        view.add_edge(place, concept, key="INSTANCE_OF", type="INSTANCE_OF", instances=names, reports=reports)
    for concept in shared:
        view.nodes[concept]["shared_by"] = sorted(
            view.nodes[place]["place_name"] for place in view.predecessors(concept)
        )
    kept, notice = cut(view, max_nodes)
    return View(
        "cities", "Cities side by side: shared national initiatives", view.subgraph(kept).copy(), notice
    )


@dataclass(frozen=True, slots=True)
class Index:
    """What the pages of one graph look up, found in one pass over its nodes and edges: each
    report's jurisdiction, entities and evidence; each node's first evidence sentence as it
    is first asked. A page then reads only its own report's share, never a national
    body's thousands of edges."""

    jurisdictions: dict[str, str]  # report id -> the jurisdiction node it supports
    entities: dict[str, list[str]]  # report id -> the entities whose reports list it
    evidence: dict[str, list[tuple[str, str, dict[str, Any]]]]  # report id -> (u, v, evidence item)
    first_evidence: dict[str, str]


def index(graph: nx.MultiDiGraph) -> Index:
    """The :class:`Index` of ``graph``."""
    entities: dict[str, list[str]] = {}
    for node, attrs in graph.nodes(data=True):
        if attrs["label"] not in _STRUCTURE:
            for report in attrs.get("reports", ()):
                entities.setdefault(report, []).append(node)
    evidence: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}
    for u, v, items in graph.edges(data="evidence"):
        for item in items or ():
            evidence.setdefault(item.get("report", ""), []).append((u, v, item))
    return Index(_report_jurisdictions(graph), entities, evidence, {})


def report_view(
    graph: nx.MultiDiGraph, report: str, max_nodes: int = MAX_NODES, found: Index | None = None
) -> View:
    """One report: every entity it mentions, the relations it states between them, and
    its sentences as the evidence list (``found``: the graph's index, made if not given).

    An entity with no relation stated in this report is tied to the report node, so that
    every node sits near its report.
    """
    found = found or index(graph)
    drawn = {"ISSUED_BY", "RESPONSIBLE_FOR", "PART_OF", "MEASURED_BY"}
    kept = {*found.entities.get(report, ()), report}
    edges = [
        (u, v, kind)
        for u in kept
        for _, v, kind, reports in graph.out_edges(u, keys=True, data="reports")
        if kind in drawn and v in kept and (u == report or report in (reports or ()))
    ]
    tied = {node for u, v, _ in edges for node in (u, v)}
    edges += [(node, report, "MENTIONED_IN") for node in sorted(kept - tied - {report})]
    attrs = graph.nodes[report]
    title, source = attrs.get("title") or attrs["name"], attrs.get("source", "")
    heading = f"{title} ({source})" if source and title != Path(source).stem else source or title
    view = _subgraph(graph, sorted(kept), edges, found)
    shown, notice = cut(view, max_nodes)
    return View(
        report_stem(report),
        heading,
        view.subgraph(shown).copy(),
        notice,
        sentences=_sentences(found.evidence.get(report, ()), report, set(shown)),
        labels_on_zoom=len(shown) > LABEL_ALL_UP_TO,
    )


_STRUCTURE = frozenset({"Report", "Jurisdiction", "Concept"})  # node labels that are not entities


def _sentences(
    evidence: Iterable[tuple[str, str, dict[str, Any]]], report: str, nodes: set[str]
) -> tuple[Sentence, ...]:
    """The sentences of ``report`` that state something about ``nodes``, in report order,
    each with the nodes it states (``evidence``: the report's evidence items, with the
    edge each supports)."""
    found: dict[int, tuple[str, str]] = {}
    stated: dict[int, set[str]] = {}
    for u, v, item in evidence:
        if u in nodes:
            about = {node for node in (u, v) if node in nodes}
        elif v in nodes:
            about = {v}
        else:
            continue
        index = item["sentence"]
        found.setdefault(index, (item["text"], item.get("status", "")))
        stated.setdefault(index, set()).update(about)
    return tuple(
        Sentence(report, index, text, status, tuple(sorted(stated[index] - {report})))
        for index, (text, status) in sorted(found.items())
    )


def cut(graph: nx.MultiDiGraph, max_nodes: int) -> tuple[list[str], str]:
    """The ``max_nodes`` nodes a view keeps, and a notice if that left any out.

    Nodes are kept by meaning first: the lowest ``rank`` of ``ontology/view-style.toml``
    (bodies, initiatives, national concepts), then within a rank the most connected, not
    counting MENTIONED_IN (which ties every entity to its reports), ties by id.
    """
    ranks = {label: style["rank"] for label, style in view_style().nodes.items()}

    def order(node: str) -> tuple[int, int, str]:
        degree = sum(
            1
            for edges in (graph.out_edges, graph.in_edges)
            for *_, kind in edges(node, keys=True)
            if kind != "MENTIONED_IN"
        )
        return ranks[graph.nodes[node]["label"]], -degree, node

    kept = sorted(graph, key=order)[:max_nodes]
    if len(graph) <= max_nodes:
        return kept, ""
    first = sorted({label for label, rank in ranks.items() if rank == min(ranks.values())})
    return kept, (
        f"Showing {max_nodes} of {len(graph)} nodes: {', '.join(first)} first, then the most "
        "connected of the rest, and the edges between them."
    )


def _subgraph(
    graph: nx.MultiDiGraph,
    nodes: Iterable[str],
    edges: Iterable[tuple[str, str, str]],
    found: Index | None = None,
) -> nx.MultiDiGraph:
    """A new graph of ``nodes`` and ``edges`` of ``graph`` (edges it lacks get no attributes),
    with the display attributes of ``View`` on the nodes (``sources``: the first
    SOURCES_SHOWN report files, ``source_count`` all of them)."""
    found = found or Index(_report_jurisdictions(graph), {}, {}, {})
    view = nx.MultiDiGraph()
    for node in nodes:
        attrs = graph.nodes[node]
        city = _city(graph, node, found.jurisdictions)
        reports = [report for report in attrs.get("reports", ()) if report in graph]
        if node not in found.first_evidence:
            found.first_evidence[node] = _first_evidence(graph, node)
        view.add_node(
            node,
            **attrs,
            place=city,
            place_name=_place_name(graph, city) if city else "",
            sources=[graph.nodes[report].get("source", report) for report in reports[:SOURCES_SHOWN]],
            source_count=len(reports),
            evidence=found.first_evidence[node],
        )
    for u, v, kind in edges:
        stored = graph.edges[u, v, kind] if graph.has_edge(u, v, kind) else {}
        view.add_edge(u, v, key=kind, **{**stored, "type": kind})
    return view


def _report_jurisdictions(graph: nx.MultiDiGraph) -> dict[str, str]:
    """Report id -> the jurisdiction node that the report supports."""
    return {
        report: node
        for node, attrs in graph.nodes(data=True)
        if attrs["label"] == "Jurisdiction"
        for report in attrs.get("reports", ())
    }


def _located_in(graph: nx.MultiDiGraph, node: str) -> list[str]:
    return [place for _, place, kind in graph.out_edges(node, keys=True) if kind == "LOCATED_IN"]


def _instances(graph: nx.MultiDiGraph, concepts: set[str]) -> set[tuple[str, str]]:
    """(entity, concept) for every entity that is an instance of one of ``concepts``."""
    found = {(u, v) for u, v, kind in graph.edges(keys=True) if kind == "INSTANCE_OF" and v in concepts}
    found.update(
        (node, attrs["concept"]) for node, attrs in graph.nodes(data=True) if attrs.get("concept") in concepts
    )
    return found


def _city(graph: nx.MultiDiGraph, node: str, by_report: dict[str, str]) -> str:
    """The jurisdiction a node belongs to, ``""`` for what all cities share."""
    attrs = graph.nodes[node]
    if attrs["label"] == "Jurisdiction":
        return node
    if attrs["label"] == "Report":
        return by_report.get(node, "")
    if attrs["label"] == "Concept" or not attrs.get("jurisdiction"):
        return ""
    for place in _located_in(graph, node):
        return place
    return next((by_report[report] for report in attrs.get("reports", ()) if report in by_report), "")


def _place_name(graph: nx.MultiDiGraph, place: str) -> str:
    """A jurisdiction's name; a masked one (``**市``) also names its report, to tell them apart."""
    attrs = graph.nodes[place]
    if not attrs.get("masked"):
        return attrs["name"]
    sources = [
        graph.nodes[report].get("source", report) for report in attrs.get("reports", ()) if report in graph
    ]
    return f"{attrs['name']} · {', '.join(sources)}" if sources else attrs["name"]


def _first_evidence(graph: nx.MultiDiGraph, node: str) -> str:
    """The first sentence (by report and offset) that states an edge of ``node``."""
    evidence = [
        item
        for edges in (graph.out_edges(node, data="evidence"), graph.in_edges(node, data="evidence"))
        for _, _, items in edges
        for item in items or ()
    ]
    if not evidence:
        return ""
    return min(evidence, key=lambda item: (item.get("report", ""), item.get("start", 0)))["text"]


# ---------------------------------------------------------------- drawing a view


def to_html(view: View, inline: bool = False) -> str:
    """The page of ``view``, asking ASSETS beside it; ``inline``: with them inside, a page
    that stands alone (for an iframe's srcdoc, as the notebook shows one)."""
    style = view_style()
    names = schema().labels
    graph = view.graph
    net = Network(directed=True, cdn_resources="in_line")
    places = layout.positions(graph)
    for node, attrs in sorted(graph.nodes(data=True)):
        drawn = style.nodes[attrs["label"]]
        net.add_node(
            node,
            label=_short(_display_name(attrs)),
            shape=drawn["shape"],
            color=drawn["color"],
            x=places[node][0],
            y=places[node][1],
            **({} if drawn["shape"] in _LABEL_INSIDE else {"value": graph.degree(node) + 1}),
            type=attrs["label"],
            city=attrs["place"],
            search=[name.lower() for name in (attrs["name"], *attrs.get("aliases", ()))],
            tip=_node_tooltip(attrs),
        )
    for u, v, kind, attrs in sorted(graph.edges(keys=True, data=True)):
        drawn = style.edges[kind]
        instances = attrs.get("instances")
        net.add_edge(
            u,
            v,
            id=f"{u}>{kind}>{v}",
            label="" if instances is not None else kind,
            type=kind,
            color={"color": drawn["color"], "highlight": drawn["color"]},
            dashes=drawn["dashes"],
            width=len(instances) if instances else 1,
            tip=_edge_tooltip(attrs, graph.nodes[u]["name"], graph.nodes[v]["name"]),
        )
    cities = sorted(
        {(attrs["place"], attrs["place_name"]) for _, attrs in graph.nodes(data=True) if attrs["place"]},
        key=lambda city: (city[1], city[0]),
    )
    node_counts = _count(attrs["label"] for _, attrs in graph.nodes(data=True))
    edge_counts = _count(kind for _, _, kind in graph.edges(keys=True))
    return (
        _templates()
        .get_template("view.html")
        .render(
            title=view.title,
            notice=view.notice,
            cities=[{"id": city, "name": name} for city, name in cities],
            evidence_list=bool(view.sentences),
            node_legend=[
                {
                    "key": label,
                    "shown": label not in view.hidden,
                    "name": f"{names[label]['zh']} {label}",
                    "count": node_counts[label],
                    "color": style.nodes[label]["color"],
                    "shape": style.nodes[label]["shape"],
                }
                for label in schema().node_labels
                if label in node_counts
            ],
            edge_legend=[
                {
                    "key": kind,
                    "name": kind,
                    "count": edge_counts[kind],
                    "shown": kind not in view.hidden,
                    **style.edges[kind],
                }
                for kind in schema().relation_types
                if kind in edge_counts
            ],
            data=Markup(
                script_json(
                    {
                        "nodes": net.nodes,
                        "edges": net.edges,
                        "options": _options(len(graph)),
                        "labelScale": LABEL_SCALE if view.labels_on_zoom else 0,
                        "anchors": list(ANCHORS),
                        "sentences": [
                            {"text": item.text, "status": item.status, "nodes": list(item.nodes)}
                            for item in view.sentences
                        ],
                    }
                )
            ),
            page="view",
            inlined=_inlined("view") if inline else None,
        )
    )


def metric_value(value: str, unit: str) -> str:
    """A metric's value with its unit once: the value is as written, usually with the unit.

    >>> metric_value("1665万元", "万元"), metric_value("95%", "%"), metric_value("120", "所")
    ('1665万元', '95%', '120所')
    """
    return value if value.endswith(unit) else value + unit


def _display_name(attrs: dict[str, Any]) -> str:
    if attrs["label"] == "Metric" and attrs.get("value"):
        return f"{attrs['name']} {metric_value(attrs['value'], attrs.get('unit') or '')}"
    if attrs["label"] == "Jurisdiction":
        return attrs["place_name"]
    return attrs.get("title") or attrs["name"] if attrs["label"] == "Report" else attrs["name"]


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _node_tooltip(attrs: dict[str, Any]) -> list[list[str]]:
    """Rows of (field, text) shown when the pointer rests on a node."""
    label = attrs["label"]
    rows = [["type", f"{label} · {schema().labels[label]['zh']}"], ["name", _display_name(attrs)]]
    if attrs.get("aliases"):
        rows.append(["aliases", "、".join(attrs["aliases"])])
    if label == "Concept":
        rows.append(["English", attrs.get("name_en", "")])
    elif attrs.get("scope") == "national":
        rows.append(["jurisdiction", "national"])
    else:
        rows.append(["jurisdiction", attrs.get("jurisdiction") or attrs["place_name"] or "not named"])
    if label == "Metric" and attrs.get("comparison"):
        rows.append(["comparison", attrs["comparison"]])
    if attrs.get("status"):
        rows.append(["status", attrs["status"]])
    if attrs.get("sources"):
        more = attrs.get("source_count", 0) - len(attrs["sources"])
        rows.append(["reports", ", ".join(attrs["sources"]) + (f" … and {more} more" if more > 0 else "")])
    if attrs.get("shared_by"):
        rows.append(["shared by", f"{len(attrs['shared_by'])}: {'、'.join(attrs['shared_by'])}"])
    if attrs.get("evidence"):
        rows.append(["evidence", attrs["evidence"]])
    return rows


def _edge_tooltip(attrs: dict[str, Any], source: str, target: str) -> list[list[str]]:
    """Rows of (field, text) shown when the pointer rests on an edge."""
    rows = [["relation", f"{source} → {attrs['type']} → {target}"]]
    if "instances" in attrs:
        rows.append(["instances", "、".join(attrs["instances"])])
    if attrs.get("status"):
        rows.append(["status", attrs["status"]])
    evidence = attrs.get("evidence") or []
    rows.extend(["evidence", item["text"]] for item in evidence[:EVIDENCE_SHOWN])
    if len(evidence) > EVIDENCE_SHOWN:
        rows.append(["", f"… and {len(evidence) - EVIDENCE_SHOWN} more"])
    return rows


def _options(node_count: int) -> dict[str, Any]:
    """vis-network options: a short, bounded settling from the precomputed layout, then still."""
    return {
        "autoResize": True,
        "layout": {"improvedLayout": False},
        "physics": {
            "enabled": node_count > 1,
            "solver": "barnesHut",
            "barnesHut": {
                "gravitationalConstant": -3000,
                "springLength": 110,
                "springConstant": 0.03,
                "avoidOverlap": 0.3,
                "damping": 0.5,
            },
            "stabilization": {
                "enabled": True,
                "iterations": SETTLE_ITERATIONS,
                "updateInterval": 20,
                "fit": True,
            },
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": node_count > 150},
        "nodes": {"font": {"size": 13}, "scaling": {"min": 8, "max": 30}},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "font": {"size": 9, "color": "#666", "strokeWidth": 2},
            # relation names appear once zoomed in far enough to read them (about 1.5x)
            "scaling": {"label": {"drawThreshold": 13}},
            "smooth": {"enabled": True, "type": "continuous", "roundness": 0.2},
        },
    }


def _count(items: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return counts


@cache
def _templates() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("edukg.graph", "templates"), autoescape=True)


def _inlined(page: str) -> dict[str, Markup]:
    """The ASSETS a ``page`` ("view", "compare") asks, as text to put inside it."""
    names = {
        "vis_js": "vis-network.min.js",
        "vis_css": "vis-network.css",
        "js": f"{page}.js",
        "css": f"{page}.css",
    }
    return {key: Markup(ASSETS[name].read_text(encoding="utf-8")) for key, name in names.items()}


# The files every page shares, written once beside them: vis-network as pyvis ships it,
# and the pages' own scripts and styles.
ASSETS = {
    "vis-network.min.js": _VIS_FILES.joinpath("vis-network.min.js"),
    "vis-network.css": _VIS_FILES.joinpath("vis-network.css"),
    **{
        name: resources.files(__package__).joinpath("templates", name)
        for name in ("view.js", "view.css", "compare.js", "compare.css")
    },
}


def write_assets(out_dir: str | Path) -> list[Path]:
    """Write ASSETS into ``out_dir``; the paths written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, source in ASSETS.items():
        path = out / name
        path.write_bytes(source.read_bytes())
        written.append(path)
    return written


# ---------------------------------------------------------------- the cross-city page

COMPARE_STEM = "compare"
MATRIX_ROWS = 50  # places a page of the matrix shows


def to_compare_html(graph: nx.MultiDiGraph) -> str:
    """The analysts' cross-city page (``edukg.graph.cross_city``): the place x initiative
    matrix, paged and filtered by province and domain, with each cell's sentences; the
    places linked by the initiatives they share (the strongest links); and one indicator
    family's values across places. Plain HTML and script, asking ASSETS beside it."""
    view = cross_city.cross_city(graph)
    data = {
        **cross_city.to_json(view),
        "rowsPerPage": MATRIX_ROWS,
        "labelChars": LABEL_CHARS,
        "linksPerPlace": cross_city.LINKS_PER_PLACE,
        "maxLinks": cross_city.MAX_LINKS,
    }
    return (
        _templates()
        .get_template("compare.html")
        .render(
            title="Cities side by side: initiatives and indicators",
            summary=(
                f"{len(view.places)} places, {len(view.initiatives)} initiatives, "
                f"{len(view.metrics)} comparable values"
            ),
            data=Markup(script_json(data)),
            page="compare",
        )
    )


# ---------------------------------------------------------------- all pages


def to_index(graph: nx.MultiDiGraph) -> str:
    """The page that links every view: the reports as data, listed a page at a time by its
    script, with a search over titles, files and places."""
    reports = sorted(
        (attrs.get("source", ""), node, attrs)
        for node, attrs in graph.nodes(data=True)
        if attrs["label"] == "Report"
    )
    return (
        _templates()
        .get_template("index.html")
        .render(
            summary=f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges",
            reports=Markup(
                script_json(
                    [
                        [
                            report_stem(node) + ".html",
                            attrs.get("title") or attrs["name"],
                            " · ".join(part for part in (source, attrs.get("jurisdiction", "")) if part),
                        ]
                        for source, node, attrs in reports
                    ]
                )
            ),
            report_count=len(reports),
            per_page=INDEX_ROWS,
        )
    )


INDEX_ROWS = 100  # reports the index lists at a time


@dataclass(frozen=True, slots=True)
class Views:
    """Every view of ``graph``: the whole graph, the cities, then one per report, each made
    as it is reached (``len`` counts them without making them)."""

    graph: nx.MultiDiGraph

    def reports(self) -> list[str]:
        return sorted(node for node, label in self.graph.nodes(data="label") if label == "Report")

    def __len__(self) -> int:
        return 2 + len(self.reports())

    def __iter__(self) -> Iterator[View]:
        yield whole_view(self.graph)
        yield cities_view(self.graph)
        found = index(self.graph)
        for report in self.reports():
            yield report_view(self.graph, report, found=found)


def views(graph: nx.MultiDiGraph) -> Views:
    """Every view of ``graph`` (see :class:`Views`)."""
    return Views(graph)


def to_pages(graph: nx.MultiDiGraph) -> dict[str, str]:
    """File name -> page, for every view of ``graph`` and the index (the pages ask ASSETS)."""
    pages = {f"{view.stem}.html": to_html(view) for view in views(graph)}
    pages[f"{COMPARE_STEM}.html"] = to_compare_html(graph)
    pages["index.html"] = to_index(graph)
    return pages


def write_views(
    graph: nx.MultiDiGraph,
    out_dir: str | Path,
    progress: Callable[[Views], Iterable[View]] = iter,
) -> list[Path]:
    """Write every view of ``graph``, ``index.html`` and ASSETS into ``out_dir``; the pages
    written. Each page is written as soon as it is made.

    ``progress`` wraps the views as they are written, e.g. ``tqdm``.
    """
    out = Path(out_dir)
    write_assets(out)
    written = []
    for view in progress(views(graph)):
        path = out / f"{view.stem}.html"
        path.write_text(to_html(view), encoding="utf-8")
        written.append(path)
    compare = out / f"{COMPARE_STEM}.html"
    compare.write_text(to_compare_html(graph), encoding="utf-8")
    index = out / "index.html"
    index.write_text(to_index(graph), encoding="utf-8")
    return [*written, compare, index]
