"""Node positions for the HTML views, computed in Python so a page opens already laid out.

vis-network's own physics needs tens of seconds to untangle a few hundred nodes
from random positions; a seeded networkx spring layout takes well under a second
and gives the browser only a short, bounded settling to do.
"""

from __future__ import annotations

import math

import networkx as nx

# networkx lays out smaller graphs with its dense numpy solver; from 500 nodes on it
# switches to a sparse one that needs scipy, which edukg does not depend on.
MAX_NODES = 499


def positions(graph: nx.Graph, *, spacing: float = 110.0, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Pixel positions of the nodes of ``graph``, about ``spacing`` apart, the same on every run.

    >>> sorted(positions(nx.path_graph(["a", "b", "c"])))
    ['a', 'b', 'c']
    """
    if len(graph) > MAX_NODES:
        raise ValueError(f"a view lays out at most {MAX_NODES} nodes; reduce the graph first")
    if len(graph) == 0:
        return {}
    # Insertion order changes a seeded layout: sort, so that equal graphs give equal pictures.
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph))
    simple.add_edges_from(sorted((min(u, v), max(u, v)) for u, v in graph.edges() if u != v))
    unit = nx.spring_layout(simple, seed=seed, method="force", iterations=100)
    scale = spacing * math.sqrt(len(simple)) / 2
    return {node: (round(float(x) * scale, 1), round(float(y) * scale, 1)) for node, (x, y) in unit.items()}
