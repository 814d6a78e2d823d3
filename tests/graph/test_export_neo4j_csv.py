"""CSV files for neo4j-admin import and load.cypher, read back with csv and Neo4j's parser."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner

from edukg.cli import main
from edukg.graph.export_json import write_graph
from edukg.graph.export_neo4j_csv import ARRAY_DELIMITER, write_neo4j_import


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture()
def exported(store_graph: nx.MultiDiGraph, tmp_path: Path) -> Path:
    write_neo4j_import(store_graph, tmp_path / "import")
    return tmp_path / "import"


def test_one_file_per_label_and_type_with_all_rows(exported: Path, store_graph: nx.MultiDiGraph) -> None:
    labels = Counter(label for _, label in store_graph.nodes(data="label"))
    types = Counter(key for _, _, key in store_graph.edges(keys=True))
    assert {p.name for p in exported.glob("*.csv")} == {f"nodes_{label}.csv" for label in labels} | {
        f"relationships_{kind}.csv" for kind in types
    }
    for label, count in labels.items():
        header, rows = read_csv(exported / f"nodes_{label}.csv")
        assert header[:2] == ["id:ID", ":LABEL"]
        assert len(rows) == count and {row[":LABEL"] for row in rows} == {label}
    for kind, count in types.items():
        header, rows = read_csv(exported / f"relationships_{kind}.csv")
        assert header[:3] == [":START_ID", ":END_ID", ":TYPE"]
        assert len(rows) == count and {row[":TYPE"] for row in rows} == {kind}


@pytest.mark.parametrize(
    ("file", "column"),
    [
        ("nodes_Metric.csv", "numeric:double"),  # 98.5 and 12000 in one column
        ("nodes_Metric.csv", "masked:boolean"),
        ("nodes_Report.csv", "chars:long"),
        ("nodes_Bureau.csv", "aliases:string[]"),
        ("nodes_Bureau.csv", "reports:string[]"),
        ("nodes_Bureau.csv", "mentions_start:long[]"),
        ("nodes_Bureau.csv", "name"),
        ("relationships_PART_OF.csv", "evidence_text:string[]"),
        ("relationships_PART_OF.csv", "status"),
    ],
)
def test_typed_headers(exported: Path, file: str, column: str) -> None:
    assert column in read_csv(exported / file)[0]


def test_values_read_back(exported: Path, store_graph: nx.MultiDiGraph) -> None:
    bureaus = {row["id:ID"]: row for row in read_csv(exported / "nodes_Bureau.csv")[1]}
    hostile = store_graph.nodes["bureau:2222222222222222"]
    assert bureaus["bureau:2222222222222222"]["name"] == hostile["name"]
    assert bureaus["bureau:2222222222222222"]["aliases:string[]"].split(ARRAY_DELIMITER) == hostile["aliases"]
    national = bureaus["bureau:0000000000000000"]
    assert national["mentions_report:string[]"].split(ARRAY_DELIMITER) == [
        "report:aaaaaaaaaaaaaaaa",
        "report:bbbbbbbbbbbbbbbb",
    ]
    metrics = {row["id:ID"]: row for row in read_csv(exported / "nodes_Metric.csv")[1]}
    assert metrics["metric:2222222222222222"]["numeric:double"] == ""  # None: no property
    assert metrics["metric:2222222222222222"]["masked:boolean"] == "true"
    assert float(metrics["metric:1111111111111111"]["numeric:double"]) == 98.5
    issued = read_csv(exported / "relationships_ISSUED_BY.csv")[1]
    assert {row["reports:string[]"] for row in issued} == {
        "report:aaaaaaaaaaaaaaaa",
        "report:bbbbbbbbbbbbbbbb",
    }


def test_load_cypher_passes_neo4j_parser(exported: Path, cypher_lint: Any) -> None:
    script = (exported / "load.cypher").read_text(encoding="utf-8")
    statements = [line for line in script.splitlines() if line and not line.startswith("//")]
    assert len(statements) == len(list(exported.glob("*.csv"))) + len(list(exported.glob("nodes_*.csv")))
    errors = {statement: cypher_lint(statement) for statement in statements}
    assert {statement: found for statement, found in errors.items() if found} == {}
    assert "neo4j-admin database import full --array-delimiter=U+001F" in script


def test_export_command(store_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    graph_path = write_graph(store_graph, tmp_path / "graph.json")
    result = CliRunner().invoke(main, ["export", "neo4j-import", "--graph", str(graph_path)])
    assert result.exit_code == 0, result.output
    assert "--nodes=" in result.output and (tmp_path / "neo4j-import" / "load.cypher").exists()
