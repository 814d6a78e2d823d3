"""CSV files for neo4j-admin import and load.cypher, read back with csv and Neo4j's parser."""

from __future__ import annotations

import csv
import re
import shlex
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner

from edukg.cli import main
from edukg.graph.export_json import write_graph
from edukg.graph.export_neo4j_csv import ARRAY_DELIMITER, admin_command, write_neo4j_import
from edukg.graph.load_neo4j import Neo4jStore
from edukg.graph.load_store import load_graph


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
    assert "neo4j-admin database import full neo4j --array-delimiter=U+001F" in script


def test_export_command(store_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    graph_path = write_graph(store_graph, tmp_path / "graph.json")
    result = CliRunner().invoke(main, ["export", "neo4j-import", "--graph", str(graph_path)])
    assert result.exit_code == 0, result.output
    assert "--nodes=" in result.output and (tmp_path / "neo4j-import" / "load.cypher").exists()


ROOT = Path(__file__).resolve().parents[2]
SERVER = ROOT / "tests" / "neo4j-server" / "server.sh"
README = ROOT / "README.md"
IMPORTED = re.compile(r"^\s*(\d+) (nodes|relationships|properties)$", re.M)


def admin(home: Path, *arguments: str) -> dict[str, int]:
    """Run neo4j-admin (``server.sh admin``) on ``home``; the counts its import printed."""
    home.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(  # in home: the importer writes its import.report where it runs
        ["bash", SERVER, "admin", home, *arguments], cwd=home, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return {kind: int(count) for count, kind in IMPORTED.findall(done.stdout)}


def split_into_parts(directory: Path, rows_per_part: int) -> None:
    """Each CSV file as neo4j-admin also takes it: NAME.header.csv and NAME.part-N.csv."""
    for path in sorted(directory.glob("*.csv")):
        header, *lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        stem = path.name.removesuffix(".csv")
        (directory / f"{stem}.header.csv").write_text(header, encoding="utf-8")
        for part, start in enumerate(range(0, len(lines), rows_per_part)):
            (directory / f"{stem}.part-{part}.csv").write_text(
                "".join(lines[start : start + rows_per_part]), encoding="utf-8"
            )
        path.unlink()


@pytest.mark.slow
def test_neo4j_admin_imports_the_files_into_what_the_loader_writes(
    sample_graph: nx.MultiDiGraph,
    tmp_path: Path,
    falkordb_store: Any,
    neo4j_on: Any,
    contents: Any,
) -> None:
    """The printed neo4j-admin command, run by Neo4j's own importer into a new database; the
    server started on it holds every node, relationship and property the loader writes
    (an empty list is no property in the CSV files). A partitioned copy of the files
    (header files and parts, `server.sh import`) imports the same counts."""
    graph_path = write_graph(sample_graph, tmp_path / "graph.json")
    result = CliRunner().invoke(main, ["export", "neo4j-import", "--graph", str(graph_path)])
    assert result.exit_code == 0, result.output
    program, *arguments = shlex.split(result.output.splitlines()[-1])
    assert program == "neo4j-admin"
    files = [
        Path("out/neo4j-import") / Path(argument.partition("=")[2]).name
        for argument in arguments
        if argument.startswith(("--nodes=", "--relationships="))
    ]
    assert admin_command(files) in README.read_text(encoding="utf-8")  # the line the README shows in full
    imported = admin(tmp_path / "neo4j", *arguments)

    load_graph(sample_graph, falkordb_store)
    nodes, edges = contents(falkordb_store)
    expected = (
        {node: {k: v for k, v in props.items() if v != []} for node, props in nodes.items()},
        {edge: {k: v for k, v in props.items() if v != []} for edge, props in edges.items()},
    )
    assert imported == {
        "nodes": sample_graph.number_of_nodes(),
        "relationships": sample_graph.number_of_edges(),
        "properties": sum(len(props) - 1 for props in expected[0].values())  # - the label
        + sum(len(props) for props in expected[1].values()),
    }

    parts = tmp_path / "parts"
    shutil.copytree(tmp_path / "neo4j-import", parts)
    split_into_parts(parts, rows_per_part=50)
    done = subprocess.run(
        ["bash", SERVER, "import", tmp_path / "partitioned", parts],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert {kind: int(count) for count, kind in IMPORTED.findall(done.stdout)} == imported

    with neo4j_on(tmp_path / "neo4j") as server:
        store = Neo4jStore.connect(server.uri, server.user, server.password, "neo4j")
        try:
            assert contents(store) == expected
        finally:
            store.close()
