"""What a graph element becomes in a store: its properties, the flattened record
lists and the reports that support it. The loader (``load_store``) and the bulk-import
CSV (``export_neo4j_csv``) write the same properties from these functions.

>>> to_properties({"name": "市教育局", "aliases": ("教体局",)})
({'name': '市教育局', 'aliases': ['教体局']}, {})
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

import networkx as nx

from edukg.errors import StoreError

# Lists of records the schema defines, flattened into one list property per field.
RECORD_FIELDS: dict[str, tuple[str, ...]] = {
    "mentions": ("report", "start", "end", "sentence"),
    "evidence": ("report", "sentence", "start", "end", "text", "status"),
}
# Attributes that are not properties: the label / type go into the statement text.
_STRUCTURE = {"label", "type", "reports", "id"}
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


def _identifier(name: str) -> str:
    if not _IDENTIFIER.match(name):
        raise StoreError(f"attribute name {name!r} cannot be a store property (letters, digits, _ only)")
    return name


def _primitive(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")  # FalkorDB's query text ends at a NUL
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def to_properties(attributes: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """Split graph attributes into scalar properties and the flattened record lists.

    Values become primitives or lists of primitives: a known list of records
    (``mentions``, ``evidence``) becomes parallel lists ``<name>_<field>``; any other
    record becomes a JSON string; a non-finite float becomes ``None``; a NUL character
    in text becomes U+FFFD.

    >>> to_properties({"name": "x", "numeric": None, "mentions": [{"report": "r", "start": 0, "end": 2, "sentence": 1}]})
    ({'name': 'x', 'numeric': None}, {'mentions_report': ['r'], 'mentions_start': [0], 'mentions_end': [2], 'mentions_sentence': [1]})
    """
    properties: dict[str, Any] = {}
    lists: dict[str, list[Any]] = {}
    for name, value in attributes.items():
        if name in _STRUCTURE:
            continue
        if name in RECORD_FIELDS:
            for record_field in RECORD_FIELDS[name]:
                lists[f"{name}_{record_field}"] = [_primitive(record[record_field]) for record in value]
        elif isinstance(value, list | tuple):
            properties[_identifier(name)] = [_primitive(item) for item in value]
        else:
            properties[_identifier(name)] = _primitive(value)
    return properties, lists


def graph_reports(graph: nx.MultiDiGraph) -> list[str]:
    """Every report id that supports something in ``graph``."""
    found = {report for _, data in graph.nodes(data=True) for report in data.get("reports", ())}
    found |= {report for _, _, data in graph.edges(data=True) for report in data.get("reports", ())}
    found |= {node for node, data in graph.nodes(data=True) if data.get("label") == "Report"}
    return sorted(found)


def edge_reports(graph: nx.MultiDiGraph, source: str, target: str, data: Mapping[str, Any]) -> list[str]:
    """An edge's reports; one without evidence (ISSUED_BY) is supported by the reports its ends share."""
    if data.get("reports"):
        return sorted(data["reports"])
    ends = [graph.nodes[node].get("reports") for node in (source, target)]
    known = [set(reports) for reports in ends if reports is not None]
    return sorted(set.intersection(*known)) if known else []


def node_reports(graph: nx.MultiDiGraph, node: str) -> list[str]:
    """A node's reports; a Concept, which has none in the graph, gets those of its links."""
    data = graph.nodes[node]
    if "reports" in data:
        return sorted(data["reports"])
    linked: set[str] = set()
    for source, target, edge in [*graph.in_edges(node, data=True), *graph.out_edges(node, data=True)]:
        linked.update(edge_reports(graph, source, target, edge))
    return sorted(linked)
