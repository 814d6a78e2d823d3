"""The pure part of the loader: properties, rows and statements, without a store."""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import pytest

from edukg.errors import StoreError, UnknownTypeError
from edukg.graph.load_store import (
    edge_reports,
    edge_statements,
    graph_reports,
    node_reports,
    node_statements,
    strip_statements,
    to_properties,
)


@pytest.mark.parametrize(
    ("attributes", "properties", "lists"),
    [
        ({"name": "市教育局", "label": "Bureau", "reports": ["r"]}, {"name": "市教育局"}, {}),
        ({"numeric": None, "masked": True, "chars": 3}, {"numeric": None, "masked": True, "chars": 3}, {}),
        ({"numeric": math.inf}, {"numeric": None}, {}),
        ({"name": "a\x00b", "aliases": ["\x00"]}, {"name": "a\ufffdb", "aliases": ["\ufffd"]}, {}),
        ({"aliases": ("甲", "乙")}, {"aliases": ["甲", "乙"]}, {}),
        ({"extra": {"b": 1, "a": "x"}}, {"extra": '{"a": "x", "b": 1}'}, {}),
        (
            {
                "mentions": [
                    {"report": "r1", "start": 0, "end": 2, "sentence": 0},
                    {"report": "r2", "start": 5, "end": 9, "sentence": 3},
                ]
            },
            {},
            {
                "mentions_report": ["r1", "r2"],
                "mentions_start": [0, 5],
                "mentions_end": [2, 9],
                "mentions_sentence": [0, 3],
            },
        ),
        (
            {
                "evidence": [
                    {"report": "r", "sentence": 1, "start": 2, "end": 3, "text": "句", "status": "planned"}
                ]
            },
            {},
            {
                "evidence_report": ["r"],
                "evidence_sentence": [1],
                "evidence_start": [2],
                "evidence_end": [3],
                "evidence_text": ["句"],
                "evidence_status": ["planned"],
            },
        ),
    ],
)
def test_to_properties(attributes: dict[str, Any], properties: dict[str, Any], lists: dict[str, Any]) -> None:
    assert to_properties(attributes) == (properties, lists)


@pytest.mark.parametrize("name", ["bad name", "x`) DETACH DELETE (n", "名字", "1st"])
def test_attribute_names_that_cannot_be_properties_are_refused(name: str) -> None:
    with pytest.raises(StoreError, match="cannot be a store property"):
        to_properties({name: "x"})


def test_no_graph_value_reaches_statement_text(store_graph: nx.MultiDiGraph) -> None:
    statements = [*node_statements(store_graph), *edge_statements(store_graph)]
    texts = " ".join(statement.text for statement in statements)
    values = {data["name"] for _, data in store_graph.nodes(data=True)}
    values |= {row["text"] for _, _, data in store_graph.edges(data=True) for row in data["evidence"]}
    values |= set(store_graph.nodes)
    assert [value for value in values if value in texts] == []
    assert sum(s.rows for s in statements if s.kind == "node") == store_graph.number_of_nodes()
    assert sum(s.rows for s in statements if s.kind == "relationship") == store_graph.number_of_edges()


@pytest.mark.parametrize("batch_size", [1, 4, 5000])
def test_batches_hold_at_most_batch_size_rows(store_graph: nx.MultiDiGraph, batch_size: int) -> None:
    statements = node_statements(store_graph, batch_size) + edge_statements(store_graph, batch_size)
    assert max(len(s.parameters["rows"]) for s in statements) <= batch_size
    assert all(s.parameters["reports"] == graph_reports(store_graph) for s in statements)


@pytest.mark.parametrize(
    ("kind", "label"),
    [("node", "Bureau`) DETACH DELETE (m"), ("relationship", "KNOWS")],
)
def test_labels_and_types_come_from_the_ontology(kind: str, label: str) -> None:
    graph = nx.MultiDiGraph()
    if kind == "node":
        graph.add_node("x:1", label=label, name="x", reports=["r"])
        build = node_statements
    else:
        graph.add_node("a", label="Bureau", reports=["r"])
        graph.add_node("b", label="Programme", reports=["r"])
        graph.add_edge("a", "b", key=label, type=label, reports=["r"], evidence=[])
        build = edge_statements
    with pytest.raises(UnknownTypeError, match="valid: "):
        build(graph)


def test_edges_without_evidence_and_concepts_get_derived_reports(store_graph: nx.MultiDiGraph) -> None:
    issued = store_graph.edges["report:aaaaaaaaaaaaaaaa", "bureau:1111111111111111", "ISSUED_BY"]
    assert edge_reports(store_graph, "report:aaaaaaaaaaaaaaaa", "bureau:1111111111111111", issued) == [
        "report:aaaaaaaaaaaaaaaa"
    ]
    assert node_reports(store_graph, "concept:moe") == ["report:aaaaaaaaaaaaaaaa", "report:bbbbbbbbbbbbbbbb"]


def test_strip_statements_cover_every_label_and_keep_linked_concepts() -> None:
    texts = [statement.text for statement in strip_statements(["report:1"])]
    assert any("`Concept`" in text and "NOT (n)--()" in text for text in texts)
    assert not any("`Concept`" in text and "DETACH DELETE" in text for text in texts)
    assert sum("DETACH DELETE" in text for text in texts) == 10
