"""The graph as partitioned CSV files for ``neo4j-admin database import full``.

The cluster build (``graph.build_cluster``) writes the graph this way without gathering it:
each partition of nodes and edges becomes part files of rows (``nodes_<Label>.part-<n>.csv``,
``relationships_<TYPE>.part-<n>.csv``), and each label or type one header file
(``….header.csv``) that holds for all its parts, as ``neo4j-admin`` reads them: one
``--nodes=HEADER,PART,PART…`` per label. Columns, types and cells are those of
``graph.export_neo4j_csv`` (the same properties and typed headers as its single files);
``manifest.json`` lists the files and the exact ``neo4j-admin`` arguments.

>>> rows = [Row("nodes", "Report", ("report:1", "Report"), {"chars": 12, "name": "x"})]
>>> headers = header_tables(column_samples(rows))
>>> headers[0].header
('id:ID', ':LABEL', 'chars:long', 'name')
"""

from __future__ import annotations

import json
import shlex
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from edukg.graph.export_neo4j_csv import (
    ADMIN_ARRAY_DELIMITER,
    Table,
    csv_line,
    csv_row,
    edge_record,
    make_table,
    node_record,
    value_kind,
)

MANIFEST = "manifest.json"
DATABASE = "neo4j"
# Each table's columns, with the neo4j-admin types of the values each holds: all a header needs.
Samples = dict[tuple[str, str], dict[str, set[str]]]


@dataclass(frozen=True, slots=True)
class Row:
    """One node or relationship as a row of its table: the ids of the fixed columns and the
    properties (the loader's, with ``reports``)."""

    kind: str  # "nodes" or "relationships"
    label: str  # node label or relationship type
    ids: tuple[str, ...]
    properties: dict[str, Any]


def graph_rows(graph: nx.MultiDiGraph, nodes: Iterable[str]) -> list[Row]:
    """The rows of ``nodes`` (those of them with a label) and of every edge of ``graph``.

    ``graph`` may be a part of the whole: it must hold each edge's target with its attributes,
    and the source's ``reports`` where the edge has none (ISSUED_BY reads the reports its two
    ends share); a Concept among ``nodes`` must have all its edges there (it has the reports
    of its links).
    """
    rows = [Row("nodes", *node_record(graph, node)) for node in nodes]
    rows += [Row("relationships", *edge_record(graph, *edge)) for edge in graph.edges(keys=True, data=True)]
    return rows


def column_samples(rows: Iterable[Row]) -> Samples:
    """For each table, its columns, each with the types of the values it holds: all a header
    needs, small enough to send from every partition to one place."""
    samples: Samples = defaultdict(dict)
    for row in rows:
        columns = samples[row.kind, row.label]
        for column, value in row.properties.items():
            kinds = columns.setdefault(column, set())  # a column even where no row has a value
            if value is not None and value != []:
                kinds.add(value_kind(value))
    return dict(samples)


def merge_samples(parts: Iterable[Samples]) -> Samples:
    """The samples of all partitions together."""
    merged: Samples = defaultdict(dict)
    for part in parts:
        for table, columns in part.items():
            for column, kinds in columns.items():
                merged[table].setdefault(column, set()).update(kinds)
    return dict(merged)


def _table_name(kind: str, label: str, suffix: str) -> str:
    return f"{kind}_{label}.{suffix}.csv"


def header_tables(samples: Samples) -> list[Table]:
    """Each table's header, typed as ``export_neo4j_csv`` types the whole table: its typing
    depends only on which types a column holds, which the samples keep."""
    return [
        Table(_table_name(kind, label, "header"), kind, label, make_table(kind, label, columns).header)
        for (kind, label), columns in sorted(samples.items())
    ]


def write_parts(rows: Sequence[Row], headers: Sequence[Table], number: int, folder: Path) -> dict[str, int]:
    """Write one partition's rows into part files in ``folder`` (without the header line: rows
    in the order of their ids, cells in the columns of their table's header); returns each
    file's name and rows."""
    by_table = {(table.kind, table.label): table for table in headers}
    tables: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in rows:
        tables[row.kind, row.label].append(row)
    written = {}
    for (kind, label), table_rows in sorted(tables.items()):
        table = by_table[kind, label]
        lines = (
            csv_row(table, row.ids, row.properties) for row in sorted(table_rows, key=lambda row: row.ids)
        )
        name = _table_name(kind, label, f"part-{number:05d}")
        (folder / name).write_text("".join(lines), encoding="utf-8")
        written[name] = len(table_rows)
    return written


def admin_arguments(headers: Sequence[Table], parts: Iterable[str]) -> list[str]:
    """The arguments of ``neo4j-admin database import full`` into the database ``neo4j`` for these
    files, run in their folder: each label and type one ``--nodes=`` or ``--relationships=``
    with its header first."""
    by_table: dict[str, list[str]] = defaultdict(list)
    for name in sorted(parts):
        by_table[name.split(".part-")[0]].append(name)
    # The database first: since Neo4j 5.19 a name after the file lists is read as one more file.
    arguments = [
        "database",
        "import",
        "full",
        DATABASE,
        f"--array-delimiter={ADMIN_ARRAY_DELIMITER}",
        "--multiline-fields=true",
    ]
    for table in headers:
        files = by_table.get(table.name.removesuffix(".header.csv"), [])
        if files:
            arguments.append(f"--{table.kind}={','.join([table.name, *files])}")
    return arguments


def write_headers(headers: Sequence[Table], folder: Path) -> list[Path]:
    """Write each table's header file (one line) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in headers:
        path = folder / table.name
        path.write_text(csv_line(table.header), encoding="utf-8")
        written.append(path)
    return written


def write_manifest(headers: Sequence[Table], counts: Mapping[str, int], folder: Path) -> Path:
    """``manifest.json``: every header with its part files and rows, and the neo4j-admin command."""
    arguments = admin_arguments(headers, counts)
    tables: list[dict[str, Any]] = [
        {
            "kind": table.kind,
            "label": table.label,
            "header": table.name,
            "parts": sorted(
                name for name in counts if name.split(".part-")[0] == table.name.removesuffix(".header.csv")
            ),
        }
        for table in headers
    ]
    for table in tables:
        table["rows"] = sum(counts[name] for name in table["parts"])
    manifest = {
        "run_in": "this folder (the file names are relative to it)",
        "tables": tables,
        "neo4j_admin": ["neo4j-admin", *arguments],
        "command": f"neo4j-admin {shlex.join(arguments)}",
    }
    path = folder / MANIFEST
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path
