"""The graph as GraphML, written one node or edge at a time.

GraphML holds only scalars, so lists and dicts travel as JSON text. networkx's own
writer builds a flattened copy of the graph and the whole XML document in memory
(about a gigabyte per thousand reports); this writer streams one line per node or
edge, and reads back with ``networkx.read_graphml``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx

from edukg.graph.export_json import LONG_LIST, graph_json_pieces, graph_json_text, write_lines

GRAPHML = "http://graphml.graphdrawing.org/xmlns"
# What XML text and attribute values cannot hold as written: markup characters become
# entities, and characters XML 1.0 cannot hold at all become U+FFFD. One regular expression
# scan per value (markup is rare in report text), not html.escape's replace per character
# plus str.translate, which looks every Chinese character up in a dict.
NOT_XML = "\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff"
_TEXT_ESCAPES = re.compile(f"[&<>{NOT_XML}]")
_ATTRIBUTE_ESCAPES = re.compile(f"[&<>\"'{NOT_XML}]")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}


def _entity(match: re.Match[str]) -> str:
    return _ENTITIES.get(match.group(), "\ufffd")


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


def _boolean_text(value: Any) -> str:
    return "true" if value else "false"


def _escaped(text: str) -> str:
    return _TEXT_ESCAPES.sub(_entity, text)


def _string_text(value: Any) -> str:
    if not isinstance(value, str):
        value = graph_json_text(value) if isinstance(value, list | dict | tuple) else str(value)
    return _escaped(value)


# How a column's values become element text, by its GraphML type. Numbers hold no markup,
# so they skip the escaping scan: a graph of 10,000 reports has ten million values.
_TEXT_OF_TYPE: dict[str, Callable[[Any], str]] = {
    "boolean": _boolean_text,
    "long": str,
    "double": str,
    "string": _string_text,
}


def _attribute(value: object) -> str:
    return '"' + _ATTRIBUTE_ESCAPES.sub(_entity, str(value)) + '"'


def _data(data: dict[str, Any], columns: dict[str, tuple[str, Callable[[Any], str]]]) -> list[str]:
    """The ``<data>`` elements of one node's or edge's attributes as one string, or as pieces
    where a long list (the mentions of a node named in every report) goes item by item, as
    in graph.json (graph_json_pieces). ``columns`` maps each attribute to its opening tag and
    the function that writes its values."""
    pieces: list[str] = []
    elements: list[str] = []
    for name, value in data.items():
        if value is None:
            continue
        opening, text = columns[name]
        if type(value) is list and len(value) > LONG_LIST:
            pieces += ["".join(elements), opening, *map(_escaped, graph_json_pieces(value)), "</data>"]
            elements.clear()
        else:
            elements.append(opening + text(value) + "</data>")
    pieces.append("".join(elements))
    return pieces


def _element(opening: str, pieces: list[str], closing: str) -> Iterator[str]:
    if len(pieces) == 1:
        yield opening + pieces[0] + closing
    else:
        yield opening
        yield from pieces
        yield closing


def graphml_lines(graph: nx.MultiDiGraph) -> Iterator[str]:
    """The GraphML document of ``graph``, line by line (one line per node and per edge)."""
    keys = _keys(graph)
    columns: dict[str, dict[str, tuple[str, Callable[[Any], str]]]] = {"node": {}, "edge": {}}
    for (domain, name), kind in keys.items():
        columns[domain][name] = (f"<data key={_attribute(f'{domain}_{name}')}>", _TEXT_OF_TYPE[kind])
    yield "<?xml version='1.0' encoding='utf-8'?>\n"
    yield f'<graphml xmlns="{GRAPHML}">\n'
    for (domain, name), kind in keys.items():
        key = _attribute(f"{domain}_{name}")
        yield f'<key id={key} for="{domain}" attr.name={_attribute(name)} attr.type="{kind}"/>\n'
    yield '<graph edgedefault="directed">\n'
    for node, data in graph.nodes(data=True):
        yield from _element(f"<node id={_attribute(node)}>", _data(data, columns["node"]), "</node>\n")
    for source, target, key, data in graph.edges(keys=True, data=True):
        ends = f"source={_attribute(source)} target={_attribute(target)} id={_attribute(key)}"
        yield from _element(f"<edge {ends}>", _data(data, columns["edge"]), "</edge>\n")
    yield "</graph>\n</graphml>\n"


def to_graphml(graph: nx.MultiDiGraph) -> str:
    """GraphML text of ``graph``; list and dict attributes are JSON-encoded strings."""
    return "".join(graphml_lines(graph))


def write_graphml(graph: nx.MultiDiGraph, path: str | Path) -> Path:
    return write_lines(graphml_lines(graph), path)
