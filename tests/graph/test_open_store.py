"""The store a URI and the environment name: FalkorDB, Neo4j (direct and routed), or a clear error."""

from __future__ import annotations

import socket
from typing import Any

import networkx as nx
import pytest

from edukg.errors import StoreError
from edukg.graph.load_neo4j import Neo4jStore
from edukg.graph.load_store import load_graph
from edukg.graph.open_store import open_store
from edukg.graph.store import count_elements


def sizes(graph: nx.MultiDiGraph) -> tuple[int, int]:
    return graph.number_of_nodes(), graph.number_of_edges()


def closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(
    "uri",
    [
        f"falkordb://127.0.0.1:{closed_port()}",
        "unix:///nonexistent/edukg/falkordb.sock",
    ],
)
def test_unreachable_server_fails_with_one_clear_error(uri: str) -> None:
    with pytest.raises(StoreError, match="cannot use FalkorDB"), open_store(uri):
        pass


def test_neo4j_scheme_routes_to_the_single_instance(
    neo4j_server: Any, neo4j_store: Neo4jStore, store_graph: nx.MultiDiGraph
) -> None:
    routed = neo4j_server.uri.replace("bolt://", "neo4j://")
    with open_store(routed, user=neo4j_server.user, password=neo4j_server.password) as store:
        summary = load_graph(store_graph, store)
        assert summary.store.startswith(f"Neo4j at {routed} ")
        assert (summary.nodes_in_store, summary.relationships_in_store) == sizes(store_graph)
    assert count_elements(neo4j_store) == sizes(store_graph)


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_unreachable_neo4j_fails_with_one_clear_error(scheme: str) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with (
        pytest.raises(StoreError, match="cannot reach Neo4j"),
        open_store(f"{scheme}://127.0.0.1:{port}", password="x"),
    ):
        pass


def test_unknown_scheme_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="unknown store URI scheme"), open_store("http://localhost:7474"):
        pass
