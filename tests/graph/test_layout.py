from __future__ import annotations

import math

import networkx as nx
import pytest

from edukg.graph import layout


def _shuffled_copy(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    copy = nx.MultiDiGraph()
    copy.add_nodes_from(reversed(list(graph)))
    copy.add_edges_from(reversed(list(graph.edges(keys=True))))
    return copy


@pytest.mark.parametrize(
    "graph",
    [
        nx.MultiDiGraph(nx.path_graph(["a", "b", "c", "d"])),
        nx.MultiDiGraph(nx.star_graph(30)),
        nx.MultiDiGraph(nx.barabasi_albert_graph(200, 2, seed=3)),
    ],
    ids=["path", "star", "scale-free"],
)
def test_positions_same_for_same_graph_in_any_order(graph: nx.MultiDiGraph) -> None:
    assert layout.positions(graph) == layout.positions(_shuffled_copy(graph))


@pytest.mark.parametrize("size", [2, 50, 300])
def test_positions_spread_with_size(size: int) -> None:
    places = layout.positions(nx.path_graph(size), spacing=100)
    xs = [x for x, _ in places.values()]
    ys = [y for _, y in places.values()]
    extent = max(max(xs) - min(xs), max(ys) - min(ys))
    # about ``spacing`` per node along each side of the square the nodes fill
    assert 0.5 * 100 * math.sqrt(size) <= extent <= 1.01 * 100 * math.sqrt(size)


def test_positions_empty_graph() -> None:
    assert layout.positions(nx.MultiDiGraph()) == {}


def test_positions_refuses_graphs_past_the_dense_solver() -> None:
    with pytest.raises(ValueError, match="at most"):
        layout.positions(nx.empty_graph(layout.MAX_NODES + 1))
