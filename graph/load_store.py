"""The one loader: graph -> batched ``UNWIND $rows`` + ``MERGE`` statements, for any store.

Every statement is a :class:`Statement` (Cypher text plus parameters). Labels and
relationship types enter the text only after ``edukg.ontology`` checked them; every
value from a report travels as a parameter. The store adapters
(``load_falkordb.FalkorStore``, ``load_neo4j.Neo4jStore``) only run statements.

Store model (see ARCHITECTURE.md, "In the stores"): a node or relationship keeps the
graph's attributes as properties; ``mentions`` and ``evidence`` (lists of records)
become parallel lists ``mentions_report``, ``mentions_start`` ...; every element has
``reports``, the ids of the reports that support it. Loading a graph replaces the
facts of the reports it contains and keeps those of other reports.

>>> import networkx as nx
>>> graph = nx.MultiDiGraph()
>>> graph.add_node("report:1", label="Report", name="t", source="a.txt", reports=["report:1"])
>>> [s.text.split()[5] for s in node_statements(graph)]
['(n:`Report`']
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import networkx as nx

from edukg.errors import StoreError
from edukg.ontology import check_label, check_relation, entity_types, node_labels

DEFAULT_BATCH = 2000
DEFAULT_GRAPH = "edukg"

# Lists of records the schema defines, flattened into one list property per field.
RECORD_FIELDS: dict[str, tuple[str, ...]] = {
    "mentions": ("report", "start", "end", "sentence"),
    "evidence": ("report", "sentence", "start", "end", "text", "status"),
}
# Attributes that are not properties: the label / type go into the statement text.
_STRUCTURE = {"label", "type", "reports", "id"}
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
# A property no graph attribute can be (attributes start with a letter), set and removed by
# every statement that reads and rewrites an element's lists, to hold its write lock.
LOCK = "_edukg_lock"


@dataclass(frozen=True, slots=True)
class Statement:
    """One Cypher statement with its parameters; ``rows`` counts the graph elements it writes."""

    text: str
    parameters: dict[str, Any] = field(default_factory=dict)
    rows: int = 0
    kind: str = ""  # "node", "relationship", or "" for anything else


@dataclass(frozen=True, slots=True)
class LoadSummary:
    store: str
    nodes: int
    relationships: int
    batches: int
    replaced_reports: tuple[str, ...]
    nodes_in_store: int
    relationships_in_store: int

    def __str__(self) -> str:
        replaced = (
            f"; replaced {len(self.replaced_reports)} changed report(s)" if self.replaced_reports else ""
        )
        return (
            f"loaded {self.nodes} nodes and {self.relationships} relationships in {self.batches} batches "
            f"into {self.store}{replaced}; the store now holds {self.nodes_in_store} nodes and "
            f"{self.relationships_in_store} relationships"
        )


@dataclass(frozen=True, slots=True)
class RemoveSummary:
    store: str
    reports: tuple[str, ...]
    nodes_deleted: int
    relationships_deleted: int

    def __str__(self) -> str:
        return (
            f"removed report(s) {', '.join(self.reports)} from {self.store}: deleted {self.nodes_deleted} "
            f"nodes and {self.relationships_deleted} relationships that only they supported"
        )


class GraphStore(Protocol):
    """What the loader needs from a store; ``description`` never contains a password."""

    description: str

    def ensure_schema(self, labels: Sequence[str]) -> None: ...

    def write(self, statement: Statement) -> None: ...

    def read(self, statement: Statement) -> list[dict[str, Any]]: ...

    def close(self) -> None: ...


# ---------------------------------------------------------------- graph -> rows


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


def _record_lists(names: Iterable[str]) -> dict[str, list[Any]]:
    return {f"{name}_{record_field}": [] for name in names for record_field in RECORD_FIELDS[name]}


def _node_records(label: str) -> tuple[str, ...]:
    return ("mentions",) if label in entity_types() else ()


_EDGE_RECORDS = ("evidence",)


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


def _node_row(graph: nx.MultiDiGraph, node: str, records: tuple[str, ...]) -> dict[str, Any]:
    properties, lists = to_properties(graph.nodes[node])
    return {
        "id": node,
        "props": properties,
        "reports": node_reports(graph, node),
        "lists": {**_record_lists(records), **lists},
    }


def _edge_row(graph: nx.MultiDiGraph, source: str, target: str, data: Mapping[str, Any]) -> dict[str, Any]:
    properties, lists = to_properties(data)
    return {
        "source": source,
        "target": target,
        "props": properties,
        "reports": edge_reports(graph, source, target, data),
        "lists": {**_record_lists(_EDGE_RECORDS), **lists},
    }


# ---------------------------------------------------------------- statements


def _locked(variable: str) -> str:
    """A write that takes the element's write lock before its lists are read (see ``_kept``)."""
    return f" SET {variable}.`{LOCK}` = true"


def _kept(variable: str, records: Sequence[str]) -> str:
    """``WITH`` items: per record list, the indices of entries from reports not being replaced.

    The statement writes ``LOCK`` first (``_locked``): Neo4j reads without locks, so two
    loads that read a shared node's lists at once would each write back their own
    version and one report's entries would be lost.
    """
    return "".join(
        f", [i IN range(0, size(coalesce({variable}.`{name}_report`, [])) - 1)"
        f" WHERE NOT {variable}.`{name}_report`[i] IN $reports] AS kept_{name}"
        for name in records
    )


def _merge_lists(variable: str, lists: Iterable[str], records: Sequence[str], source: str) -> str:
    """``SET`` items: kept entries of other reports, then the incoming ones (``source`` = None to drop)."""
    items = [
        f"{variable}.`{LOCK}` = null",
        f"{variable}.reports = [r IN coalesce({variable}.reports, []) WHERE NOT r IN $reports]",
    ]
    if source:
        items[1] += f" + {source}.reports"
    for list_name in lists:
        record = next(name for name in records if list_name.startswith(f"{name}_"))
        kept = f"[i IN kept_{record} | {variable}.`{list_name}`[i]]"
        items.append(
            f"{variable}.`{list_name}` = {kept}" + (f" + {source}.lists.`{list_name}`" if source else "")
        )
    return ", ".join(items)


def _lists_of(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    return sorted({name for row in rows for name in row["lists"]})


def _record_names(lists: Iterable[str]) -> tuple[str, ...]:
    return tuple(
        sorted({name for name in RECORD_FIELDS for list_name in lists if list_name.startswith(f"{name}_")})
    )


def _batches(rows: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def node_statements(
    graph: nx.MultiDiGraph, batch_size: int = DEFAULT_BATCH, reports: Sequence[str] | None = None
) -> list[Statement]:
    """``MERGE`` on id, label by label, in batches of ``batch_size`` rows.

    ``reports`` (default: every report of the graph) are the reports whose facts the
    rows replace; entries of other reports already in the store are kept.
    """
    replaced = list(graph_reports(graph) if reports is None else reports)
    by_label: dict[str, list[str]] = defaultdict(list)
    for node, label in graph.nodes(data="label"):
        by_label[check_label(label)].append(node)
    statements = []
    for label in sorted(by_label):
        records = _node_records(label)
        rows = [_node_row(graph, node, records) for node in sorted(by_label[label])]
        for batch in _batches(rows, batch_size):
            lists = _lists_of(batch)
            names = _record_names(lists)
            text = (
                f"UNWIND $rows AS row MERGE (n:`{label}` {{id: row.id}})"
                f"{_locked('n')} WITH n, row{_kept('n', names)}"
                f" SET n += row.props, {_merge_lists('n', lists, names, 'row')}"
            )
            statements.append(Statement(text, {"rows": list(batch), "reports": replaced}, len(batch), "node"))
    return statements


def edge_statements(
    graph: nx.MultiDiGraph, batch_size: int = DEFAULT_BATCH, reports: Sequence[str] | None = None
) -> list[Statement]:
    """``MERGE`` on (source id, type, target id), grouped by type and end labels, in batches."""
    replaced = list(graph_reports(graph) if reports is None else reports)
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for source, target, kind, data in graph.edges(keys=True, data=True):
        relation = check_relation(data.get("type", kind))
        key = (relation, check_label(graph.nodes[source]["label"]), check_label(graph.nodes[target]["label"]))
        groups[key].append(_edge_row(graph, source, target, data))
    statements = []
    for relation, source_label, target_label in sorted(groups):
        rows = sorted(
            groups[relation, source_label, target_label], key=lambda row: (row["source"], row["target"])
        )
        for batch in _batches(rows, batch_size):
            lists = _lists_of(batch)
            names = _record_names(lists)
            text = (
                f"UNWIND $rows AS row MATCH (a:`{source_label}` {{id: row.source}})"
                f" MATCH (b:`{target_label}` {{id: row.target}})"
                f" MERGE (a)-[e:`{relation}`]->(b)"
                f"{_locked('e')} WITH e, row{_kept('e', names)}"
                f" SET e += row.props, {_merge_lists('e', lists, names, 'row')}"
            )
            statements.append(
                Statement(text, {"rows": list(batch), "reports": replaced}, len(batch), "relationship")
            )
    return statements


def strip_statements(reports: Sequence[str]) -> list[Statement]:
    """Take ``reports`` out of every element's support; delete what nothing supports any more.

    A Concept node stays while anything links to it.
    """
    parameters = {"reports": list(reports)}
    statements = []
    edge_lists = list(_record_lists(_EDGE_RECORDS))
    statements.append(
        Statement(
            "MATCH ()-[e]->() WHERE any(r IN e.reports WHERE r IN $reports)"
            f"{_locked('e')} WITH e{_kept('e', _EDGE_RECORDS)}"
            f" SET {_merge_lists('e', edge_lists, _EDGE_RECORDS, '')}",
            parameters,
        )
    )
    statements.append(
        Statement(
            "MATCH ()-[e]->() WHERE e.reports = [] DELETE e",
            {},
        )
    )
    statements.append(
        Statement(
            "MATCH ()-[e]->() WHERE e.evidence_status IS NOT NULL AND e.evidence_status <> []"
            " SET e.status = CASE WHEN 'reported' IN e.evidence_status THEN 'reported' ELSE 'planned' END",
            {},
        )
    )
    for label in node_labels():
        records = _node_records(check_label(label))
        lists = list(_record_lists(records))
        statements.append(
            Statement(
                f"MATCH (n:`{label}`) WHERE any(r IN n.reports WHERE r IN $reports)"
                f"{_locked('n')} WITH n{_kept('n', records)} SET {_merge_lists('n', lists, records, '')}",
                parameters,
            )
        )
        if label == "Concept":
            statements.append(Statement(f"MATCH (n:`{label}`) WHERE NOT (n)--() DELETE n", {}))
        else:
            statements.append(Statement(f"MATCH (n:`{label}`) WHERE n.reports = [] DETACH DELETE n", {}))
    return statements


COUNT_NODES = Statement("MATCH (n) RETURN count(n) AS count")
COUNT_RELATIONSHIPS = Statement("MATCH ()-[e]->() RETURN count(e) AS count")


def find_reports_statement(report: str) -> Statement:
    """The Report nodes whose id or source file name is ``report``."""
    return Statement(
        "MATCH (r:`Report`) WHERE r.id = $report OR r.source = $report RETURN r.id AS id ORDER BY id",
        {"report": report},
    )


def superseded_statement(graph: nx.MultiDiGraph) -> Statement:
    """Report nodes in the store from the same files as the graph's reports, with other ids."""
    sources = {
        data["source"]: node
        for node, data in graph.nodes(data=True)
        if data.get("label") == "Report" and "source" in data
    }
    return Statement(
        "MATCH (r:`Report`) WHERE r.source IN $sources AND NOT r.id IN $ids RETURN r.id AS id ORDER BY id",
        {"sources": sorted(sources), "ids": sorted(sources.values())},
    )


def stale_node_statement(label: str, reports: Sequence[str]) -> Statement:
    return Statement(
        f"MATCH (n:`{check_label(label)}`) WHERE any(r IN n.reports WHERE r IN $reports) RETURN n.id AS id",
        {"reports": list(reports)},
    )


def stale_edge_statement(reports: Sequence[str]) -> Statement:
    return Statement(
        "MATCH (a)-[e]->(b) WHERE any(r IN e.reports WHERE r IN $reports)"
        " RETURN a.id AS source, type(e) AS type, b.id AS target",
        {"reports": list(reports)},
    )


def unsupport_statements(
    reports: Sequence[str], nodes: Mapping[str, Sequence[str]], edges: Sequence[tuple[str, str, str]]
) -> list[Statement]:
    """Take ``reports`` out of the support of exactly these nodes (by label) and edges.

    Used before a reload, for elements a report supported in the store but no longer
    supports in the graph being loaded; the deletion of what is left unsupported
    follows in :func:`strip_statements`.
    """
    statements = []
    for label in sorted(nodes):
        records = _node_records(check_label(label))
        statements.append(
            Statement(
                f"MATCH (n:`{label}`) WHERE n.id IN $ids"
                f"{_locked('n')} WITH n{_kept('n', records)} SET {_merge_lists('n', list(_record_lists(records)), records, '')}",
                {"ids": sorted(nodes[label]), "reports": list(reports)},
            )
        )
    by_type: dict[str, list[dict[str, str]]] = defaultdict(list)
    for source, relation, target in edges:
        by_type[check_relation(relation)].append({"source": source, "target": target})
    for relation in sorted(by_type):
        statements.append(
            Statement(
                f"UNWIND $rows AS row MATCH (a {{id: row.source}})-[e:`{relation}`]->(b {{id: row.target}})"
                f"{_locked('e')} WITH e{_kept('e', _EDGE_RECORDS)}"
                f" SET {_merge_lists('e', list(_record_lists(_EDGE_RECORDS)), _EDGE_RECORDS, '')}",
                {"rows": by_type[relation], "reports": list(reports)},
            )
        )
    return statements


# ---------------------------------------------------------------- running


def _count(store: GraphStore, statement: Statement) -> int:
    rows = store.read(statement)
    return int(rows[0]["count"]) if rows else 0


def count_elements(store: GraphStore) -> tuple[int, int]:
    """(nodes, relationships) in the store."""
    return _count(store, COUNT_NODES), _count(store, COUNT_RELATIONSHIPS)


def _stale(store: GraphStore, graph: nx.MultiDiGraph, reports: Sequence[str]) -> list[Statement]:
    """Statements that drop ``reports`` from elements they support in the store but not in ``graph``."""
    nodes: dict[str, list[str]] = {}
    for label in node_labels():
        gone = [
            row["id"] for row in store.read(stale_node_statement(label, reports)) if row["id"] not in graph
        ]
        if gone:
            nodes[label] = gone
    edges = [
        (row["source"], row["type"], row["target"])
        for row in store.read(stale_edge_statement(reports))
        if not graph.has_edge(row["source"], row["target"], key=row["type"])
    ]
    if not nodes and not edges:
        return []
    return [*unsupport_statements(reports, nodes, edges), *strip_statements([])]


def load_graph(
    graph: nx.MultiDiGraph,
    store: GraphStore,
    batch_size: int = DEFAULT_BATCH,
    progress: Callable[[Statement], object] | None = None,
) -> LoadSummary:
    """Write ``graph`` into ``store``: it replaces the facts of its reports and keeps the others'.

    Idempotent: loading the same graph twice leaves the same store. A report file
    whose text changed (same ``source``, new id) replaces the old report's facts.
    ``progress`` is called after each statement that wrote rows. If the store fails
    midway, the StoreError says how much was written; loading again completes it.
    """
    store.ensure_schema(node_labels())
    reports = graph_reports(graph)
    replaced = tuple(row["id"] for row in store.read(superseded_statement(graph)))
    if replaced:
        remove_reports(store, replaced)
    for statement in _stale(store, graph, reports):
        store.write(statement)
    statements = [*node_statements(graph, batch_size, reports), *edge_statements(graph, batch_size, reports)]
    written = {"node": 0, "relationship": 0}
    for statement in statements:
        try:
            store.write(statement)
        except StoreError as error:
            raise StoreError(
                f"load into {store.description} stopped after {written['node']} of "
                f"{graph.number_of_nodes()} nodes and {written['relationship']} of "
                f"{graph.number_of_edges()} relationships ({error}); run the same load again "
                "to complete it, loading is idempotent"
            ) from error
        written[statement.kind] += statement.rows
        if progress:
            progress(statement)
    nodes_in_store, relationships_in_store = count_elements(store)
    return LoadSummary(
        store.description,
        written["node"],
        written["relationship"],
        len(statements),
        replaced,
        nodes_in_store,
        relationships_in_store,
    )


def remove_reports(store: GraphStore, reports: Sequence[str]) -> tuple[int, int]:
    """Drop ``reports`` (ids) from the store; returns (nodes, relationships) deleted."""
    nodes_before, relationships_before = count_elements(store)
    for statement in strip_statements(reports):
        store.write(statement)
    nodes_after, relationships_after = count_elements(store)
    return nodes_before - nodes_after, relationships_before - relationships_after


def remove_report(store: GraphStore, report: str) -> RemoveSummary:
    """Delete what only ``report`` (a report id or its source file name) supported.

    Nodes and relationships that other reports still mention stay, without it in
    their ``reports``; a Concept stays while anything links to it.
    """
    ids = tuple(row["id"] for row in store.read(find_reports_statement(report)))
    if not ids:
        raise StoreError(
            f"no report {report!r} in {store.description} (give a report id or a source file name)"
        )
    nodes, relationships = remove_reports(store, ids)
    return RemoveSummary(store.description, ids, nodes, relationships)


# ---------------------------------------------------------------- opening a store


def public_uri(uri: str, default_port: int | None = None) -> str:
    """``uri`` as a message may show it: scheme, host (an IPv6 one in brackets) and port, never
    a user or password; a StoreError naming what is wrong with a port or an IPv6 host.

    >>> public_uri("falkordb://me:secret@[::1]:6379"), public_uri("bolt://db", default_port=7687)
    ('falkordb://[::1]:6379', 'bolt://db:7687')
    """
    try:
        parts = urlsplit(uri)
        host, port = parts.hostname or "", parts.port or default_port
    except ValueError as error:
        scheme = uri.partition("://")[0]
        reason = (
            "a malformed IPv6 host (write it in brackets: [::1]:PORT)"
            if "IPv6" in str(error)
            else "a port that is not a number from 1 to 65535"
        )
        raise StoreError(f"cannot use the store URI {scheme}://…: it has {reason}") from None
    if parts.scheme == "unix":
        return f"unix://{parts.path}"
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


NEO4J_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")
FALKORDB_SCHEMES = ("falkordb://", "falkor://", "falkors://", "unix://")


@contextmanager
def open_store(
    uri: str | None = None,
    out_dir: str | Path = "out",
    user: str | None = None,
    password: str | None = None,
    database: str | None = None,
) -> Iterator[GraphStore]:
    """The store to load into, closed on exit.

    With no ``uri`` (and no ``NEO4J_URI`` in the environment): the embedded FalkorDB
    under ``out_dir/db``, started if it is not running. ``bolt://``, ``neo4j://``,
    ``neo4j+s://``: Neo4j (user, password, database default to ``NEO4J_USER``,
    ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``). ``falkordb://HOST:PORT`` or
    ``unix:///path.sock``: an external FalkorDB (``database`` is the graph name;
    password from ``FALKORDB_PASSWORD``).
    """
    import os

    uri = uri or os.environ.get("NEO4J_URI") or None
    store: GraphStore
    if uri is None:
        from edukg.graph import embedded
        from edukg.graph.load_falkordb import FalkorStore

        server = embedded.start(out_dir)
        store = FalkorStore.connect(server.url, graph=database or DEFAULT_GRAPH, where=server.where)
    elif uri.startswith(NEO4J_SCHEMES):
        from edukg.graph.load_neo4j import Neo4jStore

        store = Neo4jStore.connect(
            uri,
            user=user or os.environ.get("NEO4J_USER") or "neo4j",
            password=password if password is not None else os.environ.get("NEO4J_PASSWORD", ""),
            database=database or os.environ.get("NEO4J_DATABASE") or None,
        )
    elif uri.startswith(FALKORDB_SCHEMES):
        from edukg.graph.load_falkordb import FalkorStore

        store = FalkorStore.connect(
            uri,
            graph=database or DEFAULT_GRAPH,
            user=user or os.environ.get("FALKORDB_USER") or None,
            password=password if password is not None else os.environ.get("FALKORDB_PASSWORD") or None,
        )
    else:
        raise StoreError(
            # Only the scheme: the rest of a URI may hold a password.
            f"unknown store URI scheme {urlsplit(uri).scheme!r} (expected SCHEME://HOST:PORT); use one of "
            f"{', '.join(NEO4J_SCHEMES + FALKORDB_SCHEMES)}"
        )
    try:
        yield store
    finally:
        store.close()
