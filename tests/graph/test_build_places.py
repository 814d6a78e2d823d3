"""Places in the graph: Report and Jurisdiction nodes with province, city and county and
their adcodes, a county inside its city and province, and the user's places."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pytest

from edukg.errors import InputError
from edukg.graph import resolve
from edukg.graph.build import build_from_paths, build_graph
from edukg.graph.export_json import from_node_link, to_node_link
from edukg.graph.export_neo4j_csv import to_tables
from edukg.graph.export_rdf import to_rdf, validate_rdf
from edukg.graph.extract import extract
from edukg.ingest import report_from_text
from edukg.ingest.locate import PlaceOverride

COUNTY = "阳谷县教育局工作总结\n全县教育系统有党支部66个。"
CITY = "聊城市教育局工作要点\n全市推进改革。"
MASKED = "XX区教育局工作总结\n我区学校获贵港市先进集体。"
UNNAMED = "区教育局工作总结\n我区学校获柳州市教育改革创新奖。"


def build(*texts: str) -> nx.MultiDiGraph:
    return build_graph(extract(report_from_text(text, f"r{i}.txt")) for i, text in enumerate(texts))


def place_named(graph: nx.MultiDiGraph, name: str) -> str:
    [node] = [n for n, d in graph.nodes(data=True) if d["label"] == "Jurisdiction" and d["name"] == name]
    return node


def inside(graph: nx.MultiDiGraph, node: str) -> list[str]:
    """The names of the jurisdictions a jurisdiction is in, nearest first."""
    names = []
    while True:
        outer = [t for _, t, k in graph.out_edges(node, keys=True) if k == "LOCATED_IN"]
        if not outer:
            return names
        [node] = outer
        names.append(graph.nodes[node]["name"])


@pytest.mark.parametrize(
    ("text", "own", "expected"),
    [
        (COUNTY, "阳谷县", ["聊城市", "山东省"]),
        (CITY, "聊城市", ["山东省"]),
        (MASKED, "XX区", ["贵港市", "广西壮族自治区"]),
        (UNNAMED, "未具名区", ["柳州市", "广西壮族自治区"]),
    ],
)
def test_jurisdiction_is_inside_its_city_and_province(text: str, own: str, expected: list[str]) -> None:
    graph = build(text)
    assert inside(graph, place_named(graph, own)) == expected


def test_place_nodes_carry_names_and_codes() -> None:
    graph = build(COUNTY)
    [report] = [d for _, d in graph.nodes(data=True) if d["label"] == "Report"]
    county = graph.nodes[place_named(graph, "阳谷县")]
    for data in (report, county):
        assert (data["province"], data["city"], data["county"]) == ("山东省", "聊城市", "阳谷县")
        assert (data["province_code"], data["city_code"], data["county_code"]) == (
            "370000",
            "371500",
            "371521",
        )
    city = graph.nodes[place_named(graph, "聊城市")]
    assert (city["level"], city["masked"], city["county"], city["city_code"]) == ("市", False, "", "371500")


def test_named_place_is_one_node_by_adcode() -> None:
    """A city that is one report's own place and the city above another's is one node."""
    graph = build(COUNTY, CITY, "教育局工作总结\n在县委、县政府领导下，阳谷县教育系统稳步推进。")
    city = place_named(graph, "聊城市")
    assert city == resolve.place_node_id("371500")
    assert len(graph.nodes[city]["reports"]) == 3
    assert len(graph.nodes[place_named(graph, "阳谷县")]["reports"]) == 2


def test_masked_and_unnamed_places_keep_their_report_ids() -> None:
    graph = build(MASKED, UNNAMED)
    for text, name in ((MASKED, "XX区"), (UNNAMED, "未具名区")):
        report = report_from_text(text, "x.txt")
        node = place_named(graph, name)
        assert node == resolve.node_id("Jurisdiction", f"report|{report.id}")
        assert graph.nodes[node]["masked"] and graph.nodes[node]["county"] == ""


def test_own_bureau_of_a_named_place_is_named_with_it() -> None:
    graph = build("教育工作总结\n截至目前，阳谷县教育系统有党支部66个。县教育局加强管理。")
    [report] = [n for n, d in graph.nodes(data=True) if d["label"] == "Report"]
    [bureau] = [t for _, t, k in graph.out_edges(report, keys=True) if k == "ISSUED_BY"]
    assert graph.nodes[bureau]["name"] == "阳谷县教育局"


def test_place_exports_conform_and_round_trip() -> None:
    graph = build(COUNTY, MASKED)
    assert validate_rdf(to_rdf(graph)).conforms
    assert nx.utils.graphs_equal(from_node_link(to_node_link(graph)), graph)
    jurisdictions = next(table for table in to_tables(graph) if table.label == "Jurisdiction")
    assert {"province", "county_code"} <= set(jurisdictions.header)


@pytest.mark.parametrize("workers", [1, 2])
def test_build_from_paths_with_places(tmp_path: Path, workers: int) -> None:
    (tmp_path / "a.txt").write_text("教育局工作总结\n全县学校发展。", encoding="utf-8")
    (tmp_path / "b.txt").write_text(MASKED, encoding="utf-8")
    places = {"a.txt": PlaceOverride("山东省", "聊城市", "阳谷县"), "b.txt": PlaceOverride(adcode="450802")}
    graph = build_from_paths([tmp_path], workers=workers, places=places).graph
    reports = {d["source"]: d for _, d in graph.nodes(data=True) if d["label"] == "Report"}
    assert (reports["a.txt"]["county_code"], reports["a.txt"]["jurisdiction"]) == ("371521", "阳谷县")
    assert (reports["b.txt"]["county"], reports["b.txt"]["masked"]) == ("港北区", False)
    assert inside(graph, place_named(graph, "港北区")) == ["贵港市", "广西壮族自治区"]


def test_build_from_paths_with_a_bad_place(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=re.escape("a.txt: its place: no county named '阳谷' in 潍坊市")):
        build_from_paths([tmp_path], places={"a.txt": PlaceOverride("山东", "潍坊", "阳谷")})
