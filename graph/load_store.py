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
