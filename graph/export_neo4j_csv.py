"""The graph as CSV files for ``neo4j-admin database import full``, plus ``load.cypher``.

One node file per label (``nodes_<Label>.csv``: ``id:ID``, ``:LABEL``, the
properties) and one relationship file per type (``relationships_<TYPE>.csv``:
``:START_ID``, ``:END_ID``, ``:TYPE``, the properties). Properties are those the
loader writes (``edukg.graph.store_properties``): the same names and the same flattening,
with typed headers (``chars:long``, ``numeric:double``, ``masked:boolean``,
``aliases:string[]``). Array elements are separated by U+001F, a control
character report text does not contain. Every value is quoted, so an empty string is a
property; an empty field (``None``, an empty list) is none. ``load.cypher`` loads the same files with
``LOAD CSV`` through cypher-shell, for a database that already exists.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack
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
    """One CSV file: its name, its kind (``nodes``, ``relationships``), label or type, and typed header."""

    name: str
    kind: str
    label: str
    header: tuple[str, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        """The property names of the header's typed columns, in order."""
        fixed = len(NODE_IDS) if self.kind == "nodes" else len(RELATIONSHIP_IDS)
        return tuple(column.partition(":")[0] for column in self.header[fixed:])


NODE_IDS = ("id:ID", ":LABEL")
RELATIONSHIP_IDS = (":START_ID", ":END_ID", ":TYPE")

# One element of the graph as the CSV holds it: its label or type, its id cells, its properties.
Record = tuple[str, tuple[str, ...], dict[str, Any]]


def value_kind(value: Any) -> str:
    """The neo4j-admin type of one non-null value (``column_type`` joins a column's).

    >>> value_kind(3), value_kind([1.5]), value_kind("x")
    ('long', 'double[]', 'string')
    """
    sample = value[0] if isinstance(value, list) else value
    element = {bool: "boolean", int: "long", float: "double"}.get(type(sample), "string")
    return f"{element}[]" if isinstance(value, list) else element


def column_type(kinds: set[str]) -> str:
    """The neo4j-admin type of a column whose non-null values have these ``kinds``.

    >>> column_type({"long", "double"}), column_type({"string[]"}), column_type({"long", "string"})
    ('double', 'string[]', 'string')
    """
    if kinds == {"long", "double"}:
        return "double"
    if kinds == {"long[]", "double[]"}:
        return "double[]"
    return next(iter(kinds)) if len(kinds) == 1 else "string"


def cell(value: Any) -> str:
    """A property value as neo4j-admin reads it: arrays joined by U+001F.

    >>> cell([1, 2]), cell(True), cell("教育局")
    ('1\\x1f2', 'true', '教育局')
    """
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(cell(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if ARRAY_DELIMITER in text:
        raise StoreError(f"a value contains the array delimiter U+001F: {text[:40]!r}")
    return text


def csv_field(value: Any) -> str:
    """One CSV field: quoted, so that an empty string stays a property; ``None`` and ``[]``
    empty and unquoted, which neo4j-admin and ``LOAD CSV`` read as no property.

    >>> csv_field(""), csv_field(None), csv_field('a"b')
    ('""', '', '"a""b"')
    """
    if value is None or value == []:
        return ""
    return '"' + cell(value).replace('"', '""') + '"'


def _element_properties(attributes: Mapping[str, Any], reports: list[str]) -> dict[str, Any]:
    properties, lists = to_properties(attributes)
    return {**properties, **lists, "reports": reports}


def node_record(graph: nx.MultiDiGraph, node: str) -> Record:
    """A node's label, id cells and properties (those the loader writes)."""
    label = check_label(graph.nodes[node]["label"])
    return label, (node, label), _element_properties(graph.nodes[node], node_reports(graph, node))


def edge_record(
    graph: nx.MultiDiGraph, source: str, target: str, key: str, data: Mapping[str, Any]
) -> Record:
    """A relationship's type, id cells and properties (those the loader writes)."""
    relation = check_relation(data.get("type", key))
    properties = _element_properties(data, edge_reports(graph, source, target, data))
    return relation, (source, target, relation), properties


def records(graph: nx.MultiDiGraph) -> Iterator[tuple[str, Record]]:
    """(``nodes`` or ``relationships``, record) for every element, nodes first, in a stable order."""
    for node in sorted(graph.nodes):
        yield "nodes", node_record(graph, node)
    for source, target, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3]):
        yield "relationships", edge_record(graph, source, target, key, data)


def make_table(kind: str, label: str, kinds: Mapping[str, set[str]]) -> Table:
    """The table of one label or type from the value kinds of its columns (see ``column_type``)."""
    fixed = NODE_IDS if kind == "nodes" else RELATIONSHIP_IDS
    typed = ((column, column_type(kinds[column])) for column in sorted(kinds))
    header = (*fixed, *(f"{column}:{type_}" if type_ != "string" else column for column, type_ in typed))
    return Table(f"{kind}_{label}.csv", kind, label, header)


def to_tables(graph: nx.MultiDiGraph) -> list[Table]:
    """The node and relationship tables of ``graph`` (headers only), in a stable order."""
    kinds: dict[tuple[str, str], dict[str, set[str]]] = {}
    for kind, (label, _, properties) in records(graph):
        columns = kinds.setdefault((kind, label), {})
        for column, value in properties.items():
            found = columns.setdefault(column, set())  # a column even where no element has a value
            if value is not None and value != []:
                found.add(value_kind(value))
    return [make_table(kind, label, kinds[kind, label]) for kind, label in sorted(kinds)]


def csv_line(fields: Iterable[Any]) -> str:
    """One line of a CSV file: the fields (a header's names, ids, property values), each a ``csv_field``."""
    return ",".join(csv_field(field) for field in fields) + "\n"


def csv_row(table: Table, ids: Sequence[str], properties: Mapping[str, Any]) -> str:
    """One element's line of ``table``'s file."""
    return csv_line([*ids, *(properties.get(column) for column in table.columns)])


def _read_value(column: str) -> str:
    """The Cypher expression that turns LOAD CSV's text cell ``row.`column``` into the typed value."""
    kind = column.partition(":")[2]
    text = f"row.`{column}`"
    convert = {"long": "toInteger({})", "double": "toFloat({})", "boolean": "({} = 'true')"}
    if kind.endswith("[]"):
        element = convert.get(kind[:-2], "{}").format("x")
        items = f"split({text}, '\\u001F')"
        mapped = items if element == "x" else f"[x IN {items} | {element}]"
        return f"CASE WHEN {text} IS NULL THEN [] ELSE {mapped} END"
    return convert.get(kind, "{}").format(text)


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


def admin_command(files: Sequence[Path], database: str = "neo4j") -> str:
    """The ``neo4j-admin database import full`` command line for the written files.

    The database comes first: ``--nodes`` and ``--relationships`` take any number of files.

    >>> admin_command([Path("d/nodes_Report.csv"), Path("d/relationships_ISSUED_BY.csv")])
    'neo4j-admin database import full neo4j --array-delimiter=U+001F --multiline-fields=true --nodes=d/nodes_Report.csv --relationships=d/relationships_ISSUED_BY.csv'
    """
    parts = [
        f"neo4j-admin database import full {database}",
        f"--array-delimiter={ADMIN_ARRAY_DELIMITER}",
        "--multiline-fields=true",
    ]
    for path in files:
        if path.name.startswith("nodes_"):
            parts.append(f"--nodes={path}")
        elif path.name.startswith("relationships_"):
            parts.append(f"--relationships={path}")
    return " ".join(parts)


def write_neo4j_import(graph: nx.MultiDiGraph, directory: str | Path) -> list[Path]:
    """Write the CSV files and ``load.cypher`` into ``directory``; returns the paths written.

    Two passes over the graph: the first finds each column's type for the headers, the
    second writes each element's line as it goes, so no file's rows are held in memory.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    tables = {(table.kind, table.label): table for table in to_tables(graph)}
    with ExitStack() as files:
        handles = {}
        for key, table in tables.items():
            handles[key] = files.enter_context(
                (directory / table.name).open("w", encoding="utf-8", newline="")
            )
            handles[key].write(csv_line(table.header))
        for kind, (label, ids, properties) in records(graph):
            handles[kind, label].write(csv_row(tables[kind, label], ids, properties))
    script = directory / "load.cypher"
    script.write_text(to_load_cypher(list(tables.values())), encoding="utf-8")
    return [*(directory / table.name for table in tables.values()), script]
