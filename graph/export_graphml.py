"""The graph as GraphML. GraphML holds only scalars, so lists and dicts travel as JSON text."""

from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx


def _scalar(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, list | dict | tuple):
        return json.dumps(value, ensure_ascii=False)
    return value


def to_graphml(graph: nx.MultiDiGraph) -> str:
    """GraphML text of ``graph``; list and dict attributes are JSON-encoded strings."""
    flat = nx.MultiDiGraph()
    for node, attributes in graph.nodes(data=True):
        flat.add_node(node, **{key: _scalar(value) for key, value in attributes.items()})
    for source, target, key, attributes in graph.edges(keys=True, data=True):
        flat.add_edge(source, target, key=key, **{k: _scalar(v) for k, v in attributes.items()})
    buffer = io.BytesIO()
    nx.write_graphml(flat, buffer, encoding="utf-8", named_key_ids=True)
    return buffer.getvalue().decode("utf-8")


def write_graphml(graph: nx.MultiDiGraph, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_graphml(graph), encoding="utf-8")
    return path
