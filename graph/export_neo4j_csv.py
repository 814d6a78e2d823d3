"""The graph as CSV files for ``neo4j-admin database import full``, plus ``load.cypher``.

One node file per label (``nodes_<Label>.csv``: ``id:ID``, ``:LABEL``, the
properties) and one relationship file per type (``relationships_<TYPE>.csv``:
``:START_ID``, ``:END_ID``, ``:TYPE``, the properties). Properties are those the
loader writes (``edukg.graph.load_store``): the same names and the same flattening,
with typed headers (``chars:long``, ``numeric:double``, ``masked:boolean``,
``aliases:string[]``). Array elements are separated by U+001F, a control
character report text does not contain. ``load.cypher`` loads the same files with
``LOAD CSV`` through cypher-shell, for a database that already exists.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from edukg.errors import StoreError
from edukg.graph.store_properties import edge_reports, node_reports, to_properties
from edukg.ontology import check_label, check_relation

ARRAY_DELIMITER = "\x1f"
ADMIN_ARRAY_DELIMITER = "U+001F"


@dataclass(frozen=True, slots=True)
class Table:
    """One CSV file: its name, typed header and rows (already strings)."""

    name: str
    kind: str  # "nodes" or "relationships"
    label: str  # node label or relationship type
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _type_of(values: Iterable[Any]) -> str:
    """The neo4j-admin type of a column from its non-null values."""
    kinds = set()
    for value in values:
        sample = value[0] if isinstance(value, list) else value
        element = {bool: "boolean", int: "long", float: "double"}.get(type(sample), "string")
        kinds.add(f"{element}[]" if isinstance(value, list) else element)
    if kinds == {"long", "double"}:
        return "double"
    if kinds == {"long[]", "double[]"}:
        return "double[]"
    return kinds.pop() if len(kinds) == 1 else "string"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(_cell(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if ARRAY_DELIMITER in text:
        raise StoreError(f"a value contains the array delimiter U+001F: {text[:40]!r}")
    return text


def _table(
    name: str,
    kind: str,
    label: str,
    fixed: Sequence[str],
    records: Sequence[tuple[Sequence[str], dict[str, Any]]],
) -> Table:
    columns = sorted({column for _, properties in records for column in properties})
    types = {
        column: _type_of(p[column] for _, p in records if p.get(column) is not None and p.get(column) != [])
        for column in columns
    }
    header = (
        *fixed,
        *(f"{column}:{types[column]}" if types[column] != "string" else column for column in columns),
    )
    rows = tuple(
        (*ids, *(_cell(properties.get(column)) for column in columns)) for ids, properties in records
    )
    return Table(name, kind, label, header, rows)


def _element_properties(attributes: Mapping[str, Any], reports: list[str]) -> dict[str, Any]:
    properties, lists = to_properties(attributes)
    return {**properties, **lists, "reports": reports}


def to_tables(graph: nx.MultiDiGraph) -> list[Table]:
    """The node and relationship tables of ``graph``, in a stable order."""
    nodes: dict[str, list[tuple[Sequence[str], dict[str, Any]]]] = defaultdict(list)
    for node in sorted(graph.nodes):
        label = check_label(graph.nodes[node]["label"])
        nodes[label].append(
            ((node, label), _element_properties(graph.nodes[node], node_reports(graph, node)))
        )
    edges: dict[str, list[tuple[Sequence[str], dict[str, Any]]]] = defaultdict(list)
    for source, target, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3]):
        relation = check_relation(data.get("type", key))
        properties = _element_properties(data, edge_reports(graph, source, target, data))
        edges[relation].append(((source, target, relation), properties))
    return [
        *(
            _table(f"nodes_{label}.csv", "nodes", label, ("id:ID", ":LABEL"), nodes[label])
            for label in sorted(nodes)
        ),
        *(
            _table(
                f"relationships_{kind}.csv",
                "relationships",
                kind,
                (":START_ID", ":END_ID", ":TYPE"),
                edges[kind],
            )
            for kind in sorted(edges)
        ),
    ]


def to_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.header)
    writer.writerows(table.rows)
    return buffer.getvalue()


def _read_value(column: str) -> str:
    """The Cypher expression that turns LOAD CSV's text cell ``row.`column``` into the typed value."""
    kind = column.partition(":")[2]
    cell = f"row.`{column}`"
    convert = {"long": "toInteger({})", "double": "toFloat({})", "boolean": "({} = 'true')"}
    if kind.endswith("[]"):
        element = convert.get(kind[:-2], "{}").format("x")
        items = f"split({cell}, '\\u001F')"
        mapped = items if element == "x" else f"[x IN {items} | {element}]"
        return f"CASE WHEN {cell} IS NULL THEN [] ELSE {mapped} END"
    return convert.get(kind, "{}").format(cell)


def _assignments(variable: str, header: Sequence[str], fixed: int) -> str:
    return ", ".join(
        f"{variable}.`{column.partition(':')[0]}` = {_read_value(column)}" for column in header[fixed:]
    )


def to_load_cypher(tables: Sequence[Table]) -> str:
    """Statements for cypher-shell that load the CSV files from Neo4j's import folder."""
    lines = [
        "// Load edukg's CSV files into an existing Neo4j 5 database with cypher-shell:",
        "//   copy the CSV files into the server's import folder, then",
        "//   cypher-shell -a bolt://localhost:7687 -u neo4j -f load.cypher",
        "// (the password from NEO4J_PASSWORD). For a new database, neo4j-admin is faster:",
        f"//   {admin_command([Path(table.name) for table in tables])}",
        "",
    ]
    for table in tables:
        if table.kind == "nodes":
            lines.append(
                f"CREATE CONSTRAINT edukg_{table.label.lower()}_id IF NOT EXISTS "
                f"FOR (n:`{table.label}`) REQUIRE n.id IS UNIQUE;"
            )
    for table in tables:
        source = f"LOAD CSV WITH HEADERS FROM 'file:///{table.name}' AS row"
        if table.kind == "nodes":
            lines.append(
                f"{source} MERGE (n:`{table.label}` {{id: row.`id:ID`}}) SET {_assignments('n', table.header, 2)};"
            )
        else:
            lines.append(
                f"{source} MATCH (a {{id: row.`:START_ID`}}) MATCH (b {{id: row.`:END_ID`}})"
                f" MERGE (a)-[e:`{table.label}`]->(b) SET {_assignments('e', table.header, 3)};"
            )
    return "\n".join(lines) + "\n"


def admin_command(files: Sequence[Path]) -> str:
    """The ``neo4j-admin database import full`` command line for the written files."""
    parts = [
        "neo4j-admin database import full",
        f"--array-delimiter={ADMIN_ARRAY_DELIMITER}",
        "--multiline-fields=true",
    ]
    for path in files:
        if path.name.startswith("nodes_"):
            parts.append(f"--nodes={path}")
        elif path.name.startswith("relationships_"):
            parts.append(f"--relationships={path}")
    return " ".join(parts) + " neo4j"


def write_neo4j_import(graph: nx.MultiDiGraph, directory: str | Path) -> list[Path]:
    """Write the CSV files and ``load.cypher`` into ``directory``; returns the paths written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    tables = to_tables(graph)
    written = []
    for table in tables:
        path = directory / table.name
        path.write_text(to_csv(table), encoding="utf-8")
        written.append(path)
    script = directory / "load.cypher"
    script.write_text(to_load_cypher(tables), encoding="utf-8")
    return [*written, script]
