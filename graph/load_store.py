"""The one loader: graph -> batched ``UNWIND $rows`` + ``MERGE`` statements, for any store.

Every statement is a ``store.Statement`` (Cypher text plus parameters). Labels and
relationship types enter the text only after ``edukg.ontology`` checked them; every
value from a report travels as a parameter. The store adapters
(``load_falkordb.FalkorStore``, ``load_neo4j.Neo4jStore``) only run statements.

Store model (see ARCHITECTURE.md, "In the stores", and ``store_properties``): a node or
relationship keeps the graph's attributes as properties; ``mentions`` and ``evidence``
(lists of records) become parallel lists ``mentions_report``, ``mentions_start`` ...;
every element has ``reports``, the ids of the reports that support it. Loading a graph replaces the
facts of the reports it contains and keeps those of other reports.

>>> import networkx as nx
>>> graph = nx.MultiDiGraph()
>>> graph.add_node("report:1", label="Report", name="t", source="a.txt", reports=["report:1"])
>>> [s.text.split()[5] for s in node_statements(graph)]
['(n:`Report`']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from edukg.errors import StoreError
from edukg.graph.store import GraphStore, Statement, count_elements
from edukg.graph.store_properties import (
    RECORD_FIELDS,
    edge_reports,
    graph_reports,
    node_reports,
    to_properties,
)
from edukg.ontology import check_label, check_relation, entity_types, node_labels

DEFAULT_BATCH = 2000
# A property no graph attribute can be (attributes start with a letter), set and removed by
# every statement that reads and rewrites an element's lists, to hold its write lock.
LOCK = "_edukg_lock"


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


# ---------------------------------------------------------------- graph -> rows


def _record_lists(names: Iterable[str]) -> dict[str, list[Any]]:
    return {f"{name}_{record_field}": [] for name in names for record_field in RECORD_FIELDS[name]}


def _node_records(label: str) -> tuple[str, ...]:
    return ("mentions",) if label in entity_types() else ()


_EDGE_RECORDS = ("evidence",)


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


def _locked(variable: str, locked: bool) -> str:
    """A write that takes the element's write lock before its lists are read (see ``_kept``)."""
    return f" SET {variable}.`{LOCK}` = true" if locked else ""


def _kept(variable: str, records: Sequence[str], drop: str) -> str:
    """``WITH`` items: per record list, the indices of entries from reports not in ``drop`` (the
    Cypher list of the reports being replaced).

    On a store that runs one edukg write at a time (FalkorDB) that is all. On one that does
    not (Neo4j), the statement writes ``LOCK`` first (``_locked``): Neo4j reads without
    locks, so two loads that read a shared node's lists at once would each write back their
    own version and one report's entries would be lost.
    """
    return "".join(
        f", [i IN range(0, size(coalesce({variable}.`{name}_report`, [])) - 1)"
        f" WHERE NOT {variable}.`{name}_report`[i] IN {drop}] AS kept_{name}"
        for name in records
    )


def _dropped(variable: str, records: Sequence[str], drop: str, locked: bool) -> str:
    """``SET`` items: each list keeps the entries of reports not in ``drop`` (see ``_kept``)."""
    items = [f"{variable}.reports = [r IN coalesce({variable}.reports, []) WHERE NOT r IN {drop}]"]
    if locked:
        items.insert(0, f"{variable}.`{LOCK}` = null")
    for record in records:
        for list_name in _record_lists([record]):
            items.append(f"{variable}.`{list_name}` = [i IN kept_{record} | {variable}.`{list_name}`[i]]")
    return ", ".join(items)


def _upsert(variable: str, lists: Sequence[str], locked: bool) -> str:
    """``ON CREATE SET`` / ``ON MATCH SET`` of a ``MERGE`` whose row replaces its own reports' entries.

    A new element takes the row as it is; one already in the store keeps the entries of
    other reports (``row.reports`` are the row's own) before the row's are appended. The
    ``*_report`` lists, which say whose each entry is, are rewritten after the lists they
    index, and the element's write lock is taken first (see ``_kept``).
    """
    created = [f"{variable} += row.props", f"{variable} += row.lists", f"{variable}.reports = row.reports"]
    matched = [f"{variable} += row.props"]
    for name in sorted(lists, key=lambda name: name.endswith("_report")):
        owner = f"{variable}.`{name.rpartition('_')[0]}_report`"
        if name.endswith("_report"):
            kept = f"[x IN coalesce({owner}, []) WHERE NOT x IN row.reports]"
        else:
            kept = (
                f"[i IN range(0, size(coalesce({owner}, [])) - 1)"
                f" WHERE NOT {owner}[i] IN row.reports | {variable}.`{name}`[i]]"
            )
        matched.append(f"{variable}.`{name}` = {kept} + row.lists.`{name}`")
    matched.append(
        f"{variable}.reports = [r IN coalesce({variable}.reports, []) WHERE NOT r IN row.reports] + row.reports"
    )
    if locked:
        matched = [f"{variable}.`{LOCK}` = true", *matched, f"{variable}.`{LOCK}` = null"]
    return f" ON CREATE SET {', '.join(created)} ON MATCH SET {', '.join(matched)}"


def _lists_of(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    return sorted({name for row in rows for name in row["lists"]})


def _batches(rows: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def node_statements(
    graph: nx.MultiDiGraph, batch_size: int = DEFAULT_BATCH, locked: bool = True
) -> list[Statement]:
    """``MERGE`` on id, label by label, in batches of ``batch_size`` rows.

    Each row replaces the entries of its own reports (``row.reports``) and keeps those of
    other reports already in the store (what a report no longer supports is taken out
    before, by :func:`unsupport_statements`). ``locked``: take each element's write lock
    (see ``_kept``); a store that runs one edukg write at a time needs none.
    """
    by_label: dict[str, list[str]] = defaultdict(list)
    for node, label in graph.nodes(data="label"):
        by_label[check_label(label)].append(node)
    statements = []
    for label in sorted(by_label):
        records = _node_records(label)
        rows = [_node_row(graph, node, records) for node in sorted(by_label[label])]
        for batch in _batches(rows, batch_size):
            lists = _lists_of(batch)
            text = f"UNWIND $rows AS row MERGE (n:`{label}` {{id: row.id}}){_upsert('n', lists, locked)}"
            statements.append(Statement(text, {"rows": list(batch)}, len(batch), "node"))
    return statements


def edge_statements(
    graph: nx.MultiDiGraph, batch_size: int = DEFAULT_BATCH, locked: bool = True
) -> list[Statement]:
    """``MERGE`` on (source id, type, target id), grouped by type and end labels, in batches
    (rows replace their own reports' entries, as in :func:`node_statements`)."""
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
            text = (
                f"UNWIND $rows AS row MATCH (a:`{source_label}` {{id: row.source}})"
                f" MATCH (b:`{target_label}` {{id: row.target}})"
                f" MERGE (a)-[e:`{relation}`]->(b){_upsert('e', lists, locked)}"
            )
            statements.append(Statement(text, {"rows": list(batch)}, len(batch), "relationship"))
    return statements


def strip_statements(reports: Sequence[str], locked: bool = True) -> list[Statement]:
    """Take ``reports`` out of every element's support; delete what nothing supports any more.

    A Concept node stays while anything links to it.
    """
    parameters = {"reports": list(reports)}
    statements = []
    statements.append(
        Statement(
            "MATCH ()-[e]->() WHERE any(r IN e.reports WHERE r IN $reports)"
            f"{_locked('e', locked)} WITH e{_kept('e', _EDGE_RECORDS, '$reports')}"
            f" SET {_dropped('e', _EDGE_RECORDS, '$reports', locked)}",
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
        statements.append(
            Statement(
                f"MATCH (n:`{label}`) WHERE any(r IN n.reports WHERE r IN $reports)"
                f"{_locked('n', locked)} WITH n{_kept('n', records, '$reports')}"
                f" SET {_dropped('n', records, '$reports', locked)}",
                parameters,
            )
        )
        if label == "Concept":
            statements.append(Statement(f"MATCH (n:`{label}`) WHERE NOT (n)--() DELETE n", {}))
        else:
            statements.append(Statement(f"MATCH (n:`{label}`) WHERE n.reports = [] DETACH DELETE n", {}))
    return statements


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
    """The nodes of ``label`` that ``reports`` support in the store, with those of the reports."""
    return Statement(
        f"MATCH (n:`{check_label(label)}`) WHERE any(r IN n.reports WHERE r IN $reports)"
        " RETURN n.id AS id, [r IN n.reports WHERE r IN $reports] AS reports",
        {"reports": list(reports)},
    )


def stale_edge_statement(reports: Sequence[str]) -> Statement:
    """The relationships that ``reports`` support in the store, with their ends' labels and those reports."""
    return Statement(
        "MATCH (a)-[e]->(b) WHERE any(r IN e.reports WHERE r IN $reports)"
        " RETURN a.id AS source, labels(a)[0] AS source_label, type(e) AS type,"
        " b.id AS target, labels(b)[0] AS target_label, [r IN e.reports WHERE r IN $reports] AS reports",
        {"reports": list(reports)},
    )


# An edge in the store: (source label, source id, type, target label, target id)
EdgeKey = tuple[str, str, str, str, str]


def unsupport_statements(
    nodes: Mapping[str, Mapping[str, Sequence[str]]],
    edges: Mapping[EdgeKey, Sequence[str]],
    locked: bool = True,
) -> list[Statement]:
    """Take reports out of the support of exactly these nodes (label -> id -> reports) and
    edges (key -> reports).

    Used before a load, for elements some of the graph's reports support in the store but
    no longer support in the graph being loaded; the deletion of what is left unsupported
    follows in :func:`strip_statements`.
    """
    statements = []
    for label in sorted(nodes):
        records = _node_records(check_label(label))
        statements.append(
            Statement(
                f"UNWIND $rows AS row MATCH (n:`{label}` {{id: row.id}})"
                f"{_locked('n', locked)} WITH n, row{_kept('n', records, 'row.reports')}"
                f" SET {_dropped('n', records, 'row.reports', locked)}",
                {
                    "rows": [
                        {"id": node, "reports": list(nodes[label][node])} for node in sorted(nodes[label])
                    ]
                },
            )
        )
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for (source_label, source, relation, target_label, target), reports in sorted(edges.items()):
        key = (check_relation(relation), check_label(source_label), check_label(target_label))
        groups[key].append({"source": source, "target": target, "reports": list(reports)})
    for relation, source_label, target_label in sorted(groups):
        statements.append(
            Statement(
                f"UNWIND $rows AS row MATCH (a:`{source_label}` {{id: row.source}})"
                f"-[e:`{relation}`]->(b:`{target_label}` {{id: row.target}})"
                f"{_locked('e', locked)} WITH e, row{_kept('e', _EDGE_RECORDS, 'row.reports')}"
                f" SET {_dropped('e', _EDGE_RECORDS, 'row.reports', locked)}",
                {"rows": groups[relation, source_label, target_label]},
            )
        )
    return statements


# ---------------------------------------------------------------- running


def _stale(store: GraphStore, graph: nx.MultiDiGraph, reports: Sequence[str]) -> list[Statement]:
    """Statements that drop each of ``reports`` from the elements it supports in the store but
    not in ``graph`` (all of them for an element the graph lacks), then delete what nothing supports."""
    nodes: dict[str, dict[str, list[str]]] = {}
    for label in node_labels():
        for row in store.read(stale_node_statement(label, reports)):
            kept = set(node_reports(graph, row["id"])) if row["id"] in graph else set()
            gone = [report for report in row["reports"] if report not in kept]
            if gone:
                nodes.setdefault(label, {})[row["id"]] = gone
    edges: dict[EdgeKey, list[str]] = {}
    for row in store.read(stale_edge_statement(reports)):
        source, target, relation = row["source"], row["target"], row["type"]
        kept = set()
        if graph.has_edge(source, target, key=relation):
            kept = set(edge_reports(graph, source, target, graph.edges[source, target, relation]))
        gone = [report for report in row["reports"] if report not in kept]
        if gone:
            edges[row["source_label"], source, relation, row["target_label"], target] = gone
    if not nodes and not edges:
        return []
    locked = not store.serial_writes
    return [*unsupport_statements(nodes, edges, locked), *strip_statements([], locked)]


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
    locked = not store.serial_writes
    statements = [*node_statements(graph, batch_size, locked), *edge_statements(graph, batch_size, locked)]
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
    for statement in strip_statements(reports, not store.serial_writes):
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
