"""The graph as GraphML, written one node or edge at a time.

GraphML holds only scalars, so lists and dicts travel as JSON text. networkx's own
writer builds a flattened copy of the graph and the whole XML document in memory
(about a gigabyte per thousand reports); this writer streams one line per node or
edge, escaped by the standard library (``html.escape`` gives XML's five entities), and
reads back with
``networkx.read_graphml``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from html import escape
from pathlib import Path
from typing import Any

import networkx as nx

from edukg.graph.export_json import write_lines

GRAPHML = "http://graphml.graphdrawing.org/xmlns"
# XML 1.0 cannot hold these characters at all; GraphML gets U+FFFD in their place.
NOT_XML = {code: 0xFFFD for code in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF]}


def _scalar(value: Any) -> Any:
    if isinstance(value, list | dict | tuple):
        return json.dumps(value, ensure_ascii=False)
    return value


def _xml_type(kinds: set[type]) -> str:
    kinds = kinds - {type(None)}
    if kinds == {bool}:
        return "boolean"
    if kinds == {int}:
        return "long"
    if kinds and kinds <= {int, float}:
        return "double"
    return "string"


def _keys(graph: nx.MultiDiGraph) -> dict[tuple[str, str], str]:
    """(domain, attribute) → GraphML type, from the Python types of every node's and edge's values."""
    kinds: dict[tuple[str, str], set[type]] = {}
    for _, data in graph.nodes(data=True):
        for name, value in data.items():
            kinds.setdefault(("node", name), set()).add(type(value))
    for _, _, data in graph.edges(data=True):
        for name, value in data.items():
            kinds.setdefault(("edge", name), set()).add(type(value))
    return {key: _xml_type(found) for key, found in sorted(kinds.items())}


def _text(value: Any, kind: str) -> str:
    if kind == "boolean":
        return "true" if value else "false"
    return escape(str(value).translate(NOT_XML), quote=False)


def _attribute(value: object) -> str:
    return '"' + escape(str(value).translate(NOT_XML)) + '"'


def _data(
    domain: str, data: dict[str, Any], keys: dict[tuple[str, str], str], openings: dict[tuple[str, str], str]
) -> str:
    return "".join(
        f"{openings[(domain, name)]}{_text(_scalar(value), keys[(domain, name)])}</data>"
        for name, value in data.items()
        if value is not None
    )


def graphml_lines(graph: nx.MultiDiGraph) -> Iterator[str]:
    """The GraphML document of ``graph``, line by line (one line per node and per edge)."""
    keys = _keys(graph)
    openings = {key: f"<data key={_attribute(f'{key[0]}_{key[1]}')}>" for key in keys}
    yield "<?xml version='1.0' encoding='utf-8'?>\n"
    yield f'<graphml xmlns="{GRAPHML}">\n'
    for (domain, name), kind in keys.items():
        key = _attribute(f"{domain}_{name}")
        yield f'<key id={key} for="{domain}" attr.name={_attribute(name)} attr.type="{kind}"/>\n'
    yield '<graph edgedefault="directed">\n'
    for node, data in graph.nodes(data=True):
        yield f"<node id={_attribute(node)}>{_data('node', data, keys, openings)}</node>\n"
    for source, target, key, data in graph.edges(keys=True, data=True):
        ends = f"source={_attribute(source)} target={_attribute(target)} id={_attribute(key)}"
        yield f"<edge {ends}>{_data('edge', data, keys, openings)}</edge>\n"
    yield "</graph>\n</graphml>\n"


def to_graphml(graph: nx.MultiDiGraph) -> str:
    """GraphML text of ``graph``; list and dict attributes are JSON-encoded strings."""
    return "".join(graphml_lines(graph))


def write_graphml(graph: nx.MultiDiGraph, path: str | Path) -> Path:
    return write_lines(graphml_lines(graph), path)
