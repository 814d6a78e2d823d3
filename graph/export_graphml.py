"""The graph as GraphML, written element by element.

GraphML holds only scalars, so lists and dicts travel as JSON text. networkx's own
writer builds the whole document (and a flattened copy of the graph) in memory;
lxml's incremental ``xmlfile`` writes one node or edge at a time, so a graph of ten
thousand reports is written in little more memory than the graph itself. The result
reads back with ``networkx.read_graphml``.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import networkx as nx
from lxml import etree

GRAPHML = "http://graphml.graphdrawing.org/xmlns"
# XML 1.0 cannot hold these characters at all; GraphML gets U+FFFD in their place.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _scalar(value: Any) -> Any:
    if isinstance(value, list | dict | tuple):
        return json.dumps(value, ensure_ascii=False)
    return value


def _xml_type(values: Iterator[Any]) -> str:
    kinds = {type(value) for value in values if value is not None}
    if kinds == {bool}:
        return "boolean"
    if kinds == {int}:
        return "long"
    if kinds and kinds <= {int, float}:
        return "double"
    return "string"


def _keys(graph: nx.MultiDiGraph) -> dict[tuple[str, str], str]:
    """(domain, attribute) → GraphML type, over every node and edge."""
    values: dict[tuple[str, str], list[Any]] = {}
    for _, data in graph.nodes(data=True):
        for name, value in data.items():
            values.setdefault(("node", name), []).append(_scalar(value))
    for _, _, data in graph.edges(data=True):
        for name, value in data.items():
            values.setdefault(("edge", name), []).append(_scalar(value))
    return {key: _xml_type(iter(found)) for key, found in sorted(values.items())}


def _text(value: Any, kind: str) -> str:
    if kind == "boolean":
        return "true" if value else "false"
    return NOT_XML.sub("\ufffd", str(value))


def _element(
    tag: str, attributes: dict[str, str], data: dict[str, Any], keys: dict[tuple[str, str], str]
) -> Any:
    element = etree.Element(tag, {name: NOT_XML.sub("\ufffd", value) for name, value in attributes.items()})
    domain = "node" if tag == "node" else "edge"
    for name, value in data.items():
        value = _scalar(value)
        if value is None:
            continue
        item = etree.SubElement(element, "data", key=f"{domain}_{name}")
        item.text = _text(value, keys[(domain, name)])
    return element


def _write(graph: nx.MultiDiGraph, target: str | IO[bytes]) -> None:
    keys = _keys(graph)
    with etree.xmlfile(target, encoding="utf-8") as xml:
        xml.write_declaration()
        with xml.element("graphml", nsmap={None: GRAPHML}):
            for (domain, name), kind in keys.items():
                attributes = {"id": f"{domain}_{name}", "for": domain, "attr.name": name, "attr.type": kind}
                xml.write(etree.Element("key", attributes))
            with xml.element("graph", edgedefault="directed"):
                for node, data in graph.nodes(data=True):
                    xml.write(_element("node", {"id": str(node)}, data, keys))
                for source, target_node, key, data in graph.edges(keys=True, data=True):
                    attributes = {"source": str(source), "target": str(target_node), "id": str(key)}
                    xml.write(_element("edge", attributes, data, keys))


def to_graphml(graph: nx.MultiDiGraph) -> str:
    """GraphML text of ``graph``; list and dict attributes are JSON-encoded strings."""
    buffer = io.BytesIO()
    _write(graph, buffer)
    return buffer.getvalue().decode("utf-8")


def write_graphml(graph: nx.MultiDiGraph, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _write(graph, str(path))
    return path
