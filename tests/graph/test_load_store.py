"""The pure part of the loader: properties, rows and statements, without a store."""

from __future__ import annotations

import networkx as nx
import pytest

from edukg.errors import UnknownTypeError
from edukg.graph.load_store import edge_statements, node_statements, strip_statements


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
    assert all(row["reports"] for s in statements for row in s.parameters["rows"])  # each row's own


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


def test_strip_statements_cover_every_label_and_keep_linked_concepts() -> None:
    texts = [statement.text for statement in strip_statements(["report:1"])]
    assert any("`Concept`" in text and "NOT (n)--()" in text for text in texts)
    assert not any("`Concept`" in text and "DETACH DELETE" in text for text in texts)
    assert sum("DETACH DELETE" in text for text in texts) == 10
