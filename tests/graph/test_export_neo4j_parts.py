"""Partitioned CSV files: headers typed as the single files are, rows in their columns."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from edukg.graph.export_neo4j_parts import (
    Row,
    admin_arguments,
    column_samples,
    graph_rows,
    header_tables,
    merge_samples,
    write_headers,
    write_manifest,
    write_parts,
)


def metric(node: str, value: Any) -> Row:
    return Row("nodes", "Metric", (node, "Metric"), {"numeric": value, "reports": ["r"]})


@pytest.mark.parametrize(
    ("partitions", "column"),
    [
        ([[metric("m1", 3)], [metric("m2", 2.5)]], "numeric:double"),  # long here, double there
        ([[metric("m1", 3)], [metric("m2", 4)]], "numeric:long"),
        ([[metric("m1", None)], [metric("m2", None)]], "numeric"),  # no value anywhere: a string
        ([[metric("m1", [1, 2])], [metric("m2", [0.5])]], "numeric:double[]"),
        ([[metric("m1", 3)], [metric("m2", "three")]], "numeric"),  # mixed: a string
    ],
)
def test_header_types_the_column_of_all_partitions(partitions: list[list[Row]], column: str) -> None:
    (table,) = header_tables(merge_samples(column_samples(rows) for rows in partitions))
    assert table.header == ("id:ID", ":LABEL", column, "reports:string[]")
    assert table.name == "nodes_Metric.header.csv"


def test_parts_hold_the_rows_of_the_single_files(
    tmp_path: Path, single_csv_tables: Callable[..., Any]
) -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("report:1", label="Report", name="一", chars=10, reports=["report:1"])
    graph.add_node("report:2", label="Report", name="二", chars=20, masked=True, reports=["report:2"])
    graph.add_node("bureau:1", label="Bureau", name="局", reports=["report:1", "report:2"])
    for report in ("report:1", "report:2"):
        graph.add_edge(report, "bureau:1", key="ISSUED_BY", type="ISSUED_BY", reports=[], evidence=[])
    # Two partitions: each holds its own nodes, and its edges with their targets.
    halves = [(["report:1", "bureau:1"], ["report:1", "bureau:1"]), (["report:2", "bureau:1"], ["report:2"])]
    rows = [graph_rows(graph.subgraph(held).copy(), own) for held, own in halves]
    headers = header_tables(merge_samples(column_samples(part) for part in rows))
    counts = {**write_parts(rows[0], headers, 0, tmp_path), **write_parts(rows[1], headers, 1, tmp_path)}
    write_headers(headers, tmp_path)
    manifest = json.loads(write_manifest(headers, counts, tmp_path).read_text(encoding="utf-8"))
    expected = single_csv_tables(graph, tmp_path / "single")
    found = {}
    for table in manifest["tables"]:
        with (tmp_path / table["header"]).open(encoding="utf-8", newline="") as file:
            header = tuple(next(csv.reader(file)))
        lines = set()
        for part in table["parts"]:
            with (tmp_path / part).open(encoding="utf-8", newline="") as file:
                lines.update(map(tuple, csv.reader(file)))
        found[table["kind"], table["label"]] = (header, lines)
    assert found == expected
    assert manifest["neo4j_admin"] == [
        "neo4j-admin",
        *admin_arguments(headers, counts),
    ]


def test_admin_arguments_put_each_header_before_its_parts() -> None:
    headers = header_tables(
        column_samples([metric("m1", 1), Row("relationships", "PART_OF", ("a", "b", "PART_OF"), {})])
    )
    parts = [
        "nodes_Metric.part-00001.csv",
        "nodes_Metric.part-00000.csv",
        "relationships_PART_OF.part-00000.csv",
    ]
    assert admin_arguments(headers, parts) == [
        "database",
        "import",
        "full",
        "neo4j",
        "--array-delimiter=U+001F",
        "--multiline-fields=true",
        "--nodes=nodes_Metric.header.csv,nodes_Metric.part-00000.csv,nodes_Metric.part-00001.csv",
        "--relationships=relationships_PART_OF.header.csv,relationships_PART_OF.part-00000.csv",
    ]
