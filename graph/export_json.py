"""The graph as networkx node-link JSON, and back.

>>> import networkx as nx
>>> graph = nx.MultiDiGraph()
>>> graph.add_node("bureau:1", label="Bureau", name="市教育局")
>>> from_node_link(to_node_link(graph)).nodes["bureau:1"]["name"]
'市教育局'
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx


def to_node_link(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """The node-link form of the graph (edges under ``"edges"``, keyed by relationship type)."""
    return nx.node_link_data(graph, edges="edges")


def from_node_link(data: dict[str, Any]) -> nx.MultiDiGraph:
    graph = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    return graph


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def write_graph(graph: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write ``graph`` as node-link JSON (UTF-8, Chinese kept readable), one node or edge a line.

    Written item by item: json's C encoder only runs without ``indent``, and a graph of
    thousands of reports is never held as one string.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as file:
        file.write("{")
        for index, (key, value) in enumerate(to_node_link(graph).items()):
            file.write(("," if index else "") + "\n" + _json(key) + ": ")
            if isinstance(value, list):
                file.write("[")
                for item_index, item in enumerate(value):
                    file.write(("," if item_index else "") + "\n" + _json(item))
                file.write("\n]")
            else:
                file.write(_json(value))
        file.write("\n}\n")
    return path


def read_graph(path: str | Path) -> nx.MultiDiGraph:
    """Read a graph written by :func:`write_graph` (e.g. ``out/graph.json``)."""
    from edukg.errors import InputError

    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(path, "no such graph file (run `edukg build` first)") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InputError(path, f"not a graph JSON file ({error})") from None
    if not (
        isinstance(data, dict) and isinstance(data.get("nodes"), list) and isinstance(data.get("edges"), list)
    ):
        raise InputError(path, "not a node-link graph (expected an object with lists 'nodes' and 'edges')")
    try:
        return from_node_link(data)
    except (KeyError, TypeError, AttributeError, nx.NetworkXError) as error:
        raise InputError(path, f"not a node-link graph ({type(error).__name__}: {error})") from None
