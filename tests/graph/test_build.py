"""Resolution and the graph: identity across reports, structural edges, evidence, order independence."""

from __future__ import annotations

import pickle
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from edukg.graph import resolve
from edukg.graph.build import BuildResult, build_from_paths, build_graph, extract_path, report_part
from edukg.graph.extract import extract
from edukg.ingest import report_from_text
from edukg.ontology import entity_types, relation_types
from edukg.records import Extraction


@pytest.fixture(scope="module")
def sample_build(sample_reports: list[Path]) -> BuildResult:
    return build_from_paths(sample_reports)


@pytest.fixture(scope="module")
def sample_extractions(sample_reports: list[Path]) -> list[Extraction]:
    return [extract_path(path) for path in sample_reports]


def nodes_named(graph: nx.MultiDiGraph, name: str, label: str | None = None) -> list[str]:
    return [
        node
        for node, data in graph.nodes(data=True)
        if data.get("name") == name and (label is None or data["label"] == label)
    ]


def build_texts(*texts: str) -> nx.MultiDiGraph:
    return build_graph(extract(report_from_text(text, f"r{i}.txt")) for i, text in enumerate(texts))


def test_build_national_concept_is_one_node_for_every_report(
    sample_build, sample_extractions: list[Extraction]
) -> None:
    graph = sample_build.graph
    [theme] = nodes_named(graph, "主题教育", "Campaign")
    assert graph.nodes[theme]["scope"] == "national"
    mentioning = {e.report.id for e in sample_extractions if "主题教育" in e.report.text}
    assert len(mentioning) >= 3
    assert set(graph.nodes[theme]["reports"]) == mentioning


def test_build_concepts_shared_by_two_or_more_reports(sample_build) -> None:
    graph = sample_build.graph
    shared = {
        graph.nodes[concept]["name"]
        for concept, data in graph.nodes(data=True)
        if data["label"] == "Concept"
        and len({r for source, _ in graph.in_edges(concept) for r in graph.nodes[source].get("reports", [])})
        >= 2
    }
    assert {"主题教育", "大中小学思政课一体化建设", "双一流建设", "第一议题制度"} <= shared


def test_build_every_report_issued_by_its_bureau(sample_build, sample_extractions: list[Extraction]) -> None:
    graph = sample_build.graph
    for extraction in sample_extractions:
        targets = [
            target
            for _, target, kind in graph.out_edges(extraction.report.id, keys=True)
            if kind == "ISSUED_BY"
        ]
        assert len(targets) == 1
        assert graph.nodes[targets[0]]["label"] == "Bureau"
        assert graph.nodes[targets[0]]["name"] == extraction.report.bureau


def test_build_labels_and_types_come_from_the_ontology(sample_build) -> None:
    graph = sample_build.graph
    labels = Counter(data["label"] for _, data in graph.nodes(data=True))
    assert set(entity_types()) - {"Person"} <= set(labels)
    assert {kind for _, _, kind in graph.edges(keys=True)} <= set(relation_types())


def test_build_located_in_only_for_local_bodies(sample_build) -> None:
    graph = sample_build.graph
    for source, target, kind in graph.edges(keys=True):
        if kind == "LOCATED_IN":
            assert graph.nodes[source]["label"] in {"Bureau", "Institution"}
            assert graph.nodes[source]["scope"] == "local"
            assert graph.nodes[target]["label"] == "Jurisdiction"


def test_build_evidence_is_the_stating_sentence(sample_build, sample_extractions: list[Extraction]) -> None:
    graph = sample_build.graph
    texts = {e.report.id: e.report.text for e in sample_extractions}
    checked = 0
    for _, _, data in graph.edges(data=True):
        for row in data["evidence"]:
            assert texts[row["report"]][row["start"] : row["end"]] == row["text"]
            assert row["status"] in {"reported", "planned"}
            checked += 1
    assert checked > 100


def test_build_mentions_point_into_reports(sample_build, sample_extractions: list[Extraction]) -> None:
    graph = sample_build.graph
    texts = {e.report.id: e.report.text for e in sample_extractions}
    for _, data in graph.nodes(data=True):
        for mention in data.get("mentions", []):
            assert texts[mention["report"]][mention["start"] : mention["end"]]


def test_build_does_not_depend_on_report_order(sample_build, sample_extractions: list[Extraction]) -> None:
    again = build_graph(reversed(sample_extractions))
    assert nx.utils.graphs_equal(again, sample_build.graph)
    assert dict(again.nodes(data=True)) == dict(sample_build.graph.nodes(data=True))


SCOPE_CASES = [
    # masked universities in two reports are two unknown universities
    ("**市教育局工作总结\n支持**大学建设。", "××市教育局工作总结\n支持**大学建设。", "**大学", 2),
    # the same real city's bureau is one node
    (
        "芜湖市教育局工作总结\n芜湖市教育局实施“青蓝工程”。",
        "芜湖市教育局工作要点\n芜湖市教育局推进“青蓝工程”。",
        "青蓝工程",
        1,
    ),
    # two real cities' programmes of one name are two nodes
    ("芜湖市教育局工作总结\n实施“青蓝工程”。", "合肥市教育局工作总结\n实施“青蓝工程”。", "青蓝工程", 2),
    # two masked cities are never merged
    ("X市教育局工作总结\n实施“青蓝工程”。", "Y市教育局工作总结\n实施“青蓝工程”。", "青蓝工程", 2),
    # a national initiative is one node whatever the city
    ("芜湖市教育局工作总结\n推进“双一流”建设。", "**市教育局工作总结\n推进“双一流”建设。", "双一流建设", 1),
]


@pytest.mark.parametrize(("first", "second", "name", "count"), SCOPE_CASES)
def test_resolve_scopes(first: str, second: str, name: str, count: int) -> None:
    graph = build_texts(first, second)
    entities = [node for node in nodes_named(graph, name) if graph.nodes[node]["label"] != "Concept"]
    assert len(entities) == count


def test_resolve_ids_are_stable_and_typed() -> None:
    text = "芜湖市教育局工作总结\n实施“青蓝工程”。"
    first = set(build_texts(text).nodes)
    second = set(build_texts(text).nodes)
    assert first == second
    assert all(
        node.split(":")[0] in {"report", "jurisdiction", "bureau", "programme", "concept"} for node in first
    )
    assert resolve.node_id("Bureau", "x") == resolve.node_id("Bureau", "x") != resolve.node_id("Bureau", "y")


def test_build_records_failures_and_goes_on(tmp_path: Path, sample_reports: list[Path]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    result = build_from_paths([empty, binary, sample_reports[0]])
    assert result.read == 1
    assert {Path(failure.path).name for failure in result.failures} == {"empty.txt", "binary.txt"}
    assert all(failure.reason for failure in result.failures)


def _source_name(extraction: Extraction) -> str:
    return Path(extraction.report.source).name


@pytest.mark.parametrize("workers", [1, 2])
def test_build_hands_each_reports_output_on_in_order(sample_reports: list[Path], workers: int) -> None:
    outputs: list[str] = []
    result = build_from_paths(
        sample_reports, workers=workers, per_report=_source_name, on_report=outputs.append
    )
    assert outputs == [path.name for path in sorted(sample_reports)]
    assert result.read == len(sample_reports)


def test_report_part_is_plain_values_that_pickle_whole(sample_extractions: list[Extraction]) -> None:
    part = report_part(sample_extractions[0])
    again = pickle.loads(pickle.dumps(part))
    assert again == part
    plain = (str, int, float, bool, list, dict, tuple, type(None))

    def plain_values(value: object) -> bool:
        if isinstance(value, dict):
            return all(isinstance(k, str) and plain_values(v) for k, v in value.items())
        if isinstance(value, list | tuple):
            return all(plain_values(item) for item in value)
        return isinstance(value, plain)

    assert all(plain_values(getattr(part, name)) for name in part.__slots__)
    # The rows of one sentence stay one object after the trip (the graph shares them).
    rows = [id(row) for *_, evidence in again.edges for row in evidence]
    assert len(rows) > len(set(rows))
