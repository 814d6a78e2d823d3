"""Discovered initiatives: names that recur across reports but are not in the scheme."""

from __future__ import annotations

import networkx as nx
import pytest
from rdflib import RDF, URIRef
from rdflib.namespace import SKOS

from edukg.graph import resolve
from edukg.graph.build import build_graph
from edukg.graph.discover import core_name, is_initiative_core
from edukg.graph.export_rdf import EDUKG, to_rdf, validate_rdf
from edukg.graph.extract import extract
from edukg.ingest import report_from_text
from edukg.ontology.concepts import concept_by_id


@pytest.mark.parametrize(
    ("name", "core"),
    [
        ("芜湖市2023年“教育强区”创建工作", "教育强区"),
        ("全县教育强区建设", "教育强区"),
        ("第二批市级“青蓝工程”试点", "青蓝工程"),
        ("**区课后服务提质行动（2023—2025年）", "课后服务提质"),
        ("教育强县", "教育强县"),
    ],
)
def test_core_name_sets_place_year_edition_scope_and_suffix_aside(name: str, core: str) -> None:
    assert core_name(name) == core


@pytest.mark.parametrize(
    ("core", "expected"),
    [
        ("青蓝工程", True),
        ("县中托管", True),
        ("教育教学", False),
        ("基层党组织", False),
        ("教育发展规划", False),
    ],
)
def test_is_initiative_core(core: str, expected: bool) -> None:
    assert is_initiative_core(core) is expected


def concepts_of_kind(graph: nx.MultiDiGraph, kind: str) -> dict[str, str]:
    return {
        node: data["name"]
        for node, data in graph.nodes(data=True)
        if data["label"] == "Concept" and data["kind"] == kind
    }


def build_texts(*texts: str) -> nx.MultiDiGraph:
    return build_graph(extract(report_from_text(text, f"r{i}.txt")) for i, text in enumerate(texts))


REPORTS = (
    "芜湖市教育局工作总结\n芜湖市教育局实施“青蓝工程”，推进教育教学改革。",
    "合肥市教育局工作总结\n合肥市教育局启动2023年“青蓝工程”，深化教育教学改革。",
    "**市教育局工作总结\n**市教育局开展“春苗行动”。",
)


def test_shared_name_becomes_one_discovered_concept() -> None:
    graph = build_texts(*REPORTS)
    discovered = concepts_of_kind(graph, "discovered")
    concept = resolve.node_id("Concept", "discovered|青蓝工程")
    assert discovered == {concept: "青蓝工程"}
    instances = [u for u, _, kind in graph.in_edges(concept, keys=True) if kind == "INSTANCE_OF"]
    reports = {report for node in instances for report in graph.nodes[node]["reports"]}
    assert len(instances) == 2 and len(reports) == 2
    assert all(graph.nodes[node]["concept"] == concept for node in instances)
    assert all(graph.edges[node, concept, "INSTANCE_OF"]["evidence"] for node in instances)


def test_a_name_of_one_report_is_not_discovered() -> None:
    assert concepts_of_kind(build_texts(REPORTS[0], REPORTS[2]), "discovered") == {}


def test_discovery_does_not_depend_on_report_order() -> None:
    forward, backward = build_texts(*REPORTS), build_texts(*reversed(REPORTS))
    assert concepts_of_kind(forward, "discovered") == concepts_of_kind(backward, "discovered")


def test_discovered_concepts_and_report_links_export_to_valid_rdf() -> None:
    graph = build_texts(*REPORTS, "芜湖市教育局工作要点\n全面落实“双减”政策。")
    rdf = to_rdf(graph)
    validation = validate_rdf(rdf)
    assert validation.conforms, validation.messages
    [concept] = rdf.subjects(SKOS.inScheme, EDUKG.DiscoveredConcepts)
    assert str(rdf.value(concept, SKOS.prefLabel)) == "青蓝工程"
    double = URIRef(concept_by_id("double-reduction").iri)
    [report] = rdf.subjects(EDUKG.instanceOf, double)
    assert (report, RDF.type, EDUKG.Report) in rdf
