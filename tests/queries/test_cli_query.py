"""``edukg query list | show | run`` end to end, against the session's real FalkorDB."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from edukg.cli import main
from edukg.graph.export_json import write_graph
from edukg.graph.export_rdf import to_rdf
from edukg.queries.catalogue import catalogue, load, load_sparql, sparql_catalogue
from edukg.queries.run_query import run, run_sparql

pytestmark = pytest.mark.slow

SAMPLE_GRAPH_NAME = "queries_sample"


@pytest.fixture()
def invoke(falkordb_server, sample_store, monkeypatch):
    """Run ``edukg query ...`` against the embedded store that holds the sample graph."""
    monkeypatch.delenv("NEO4J_URI", raising=False)
    out = str(Path(falkordb_server.data_dir).parent)

    def invoke(*args: str, store_options: bool = True):
        options = (
            ["--out", out, "--database", SAMPLE_GRAPH_NAME] if store_options and args[0] == "run" else []
        )
        return CliRunner().invoke(main, ["query", *args, *options])

    return invoke


def test_list_names_every_query_with_its_defaults(invoke):
    result = invoke("list")
    assert result.exit_code == 0, result.output
    words = " ".join(line.strip() for line in result.output.splitlines())
    letters = "".join(result.output.split())
    for query in catalogue():
        assert query.name in result.output and query.question_en in words
        assert "".join(query.question_zh.split()) in letters
    assert all(f"{entry.query.name}  [" in result.output for entry in sparql_catalogue())
    assert "limit=10" in result.output and 'city_a=""' in result.output
    assert "shared_initiatives  [cypher, sparql]" in result.output


@pytest.mark.parametrize(("columns", "widest"), [("80", 80), ("100", 100), ("300", 100), ("20", 60)])
def test_list_fits_the_terminal(columns: str, widest: int) -> None:
    result = CliRunner().invoke(main, ["query", "list"], env={"COLUMNS": columns})
    assert result.exit_code == 0, result.output
    assert max(map(display_width, result.output.splitlines())) <= widest


def display_width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)


def test_show_prints_a_sparql_query() -> None:
    result = CliRunner().invoke(main, ["query", "show", "shared_initiatives", "--engine", "sparql"])
    assert result.exit_code == 0
    assert result.output == load_sparql("shared_initiatives").query.text


@pytest.mark.parametrize(
    ("name", "params"), [("shared_initiatives", []), ("bureau_responsibilities", ["-p", "bureau=区教育局"])]
)
def test_run_sparql_on_the_rdf_export_of_the_build(sample_graph, tmp_path, name, params) -> None:
    graph_json = write_graph(sample_graph, tmp_path / "build" / "graph.json")
    result = CliRunner().invoke(
        main,
        ["query", "run", name, "--engine", "sparql", "--graph", str(graph_json), "--format", "json", *params],
    )
    assert result.exit_code == 0, result.output
    values = dict(param.split("=", 1) for param in params[1::2])
    expected = run_sparql(to_rdf(sample_graph), name, values)
    assert json.loads(result.output) == expected and expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "most_connected", "--engine", "sparql"], "has no sparql form; it has: cypher"),
        (["show", "no_such_query"], "no query named 'no_such_query'"),
    ],
)
def test_query_engine_errors_are_one_line(args, message) -> None:
    result = CliRunner().invoke(main, ["query", *args])
    assert result.exit_code == 1
    assert result.output.startswith("edukg: error: ") and message in result.output


@pytest.mark.parametrize(("name", "dialect"), [("bureau_responsibilities", None), ("shortest_path", "neo4j")])
def test_show_prints_the_file_the_engine_runs(invoke, name, dialect):
    result = invoke("show", name, *(["--dialect", dialect] if dialect else []))
    assert result.exit_code == 0
    assert result.output == load(name).cypher(dialect)


@pytest.mark.parametrize("format_", ["table", "csv", "json"])
def test_run_prints_the_rows_in_each_format(invoke, sample_store, format_):
    query = load("bureau_responsibilities")
    expected = run(query, query.bind({"bureau": "区教育局"}), sample_store)
    assert expected.rows
    result = invoke("run", query.name, "--param", "bureau=区教育局", "--format", format_)
    assert result.exit_code == 0, result.output
    if format_ == "json":
        assert json.loads(result.output) == json.loads(json.dumps(expected.records()))
    elif format_ == "csv":
        table = list(csv.reader(io.StringIO(result.output)))
        assert table[0] == list(query.columns) and len(table) == len(expected.rows) + 1
        assert {row[3] for row in table[1:]} == {row[3] for row in expected.rows}
        assert all(row[0] == "区教育局" for row in table[1:])
    else:
        lines = result.output.splitlines()
        assert lines[0].split() == list(query.columns)
        assert lines[-1] == f"({len(expected.rows)} row{'s' if len(expected.rows) != 1 else ''})"


@pytest.mark.parametrize(
    ("arguments", "count"),
    [((), 100), (("--limit", "3"), 3), (("-p", "limit=4"), 4), (("--all",), None)],
)
def test_run_stops_at_the_default_limit_unless_told(invoke, arguments, count):
    every = json.loads(invoke("run", "find_entity", "-p", "name=", "--all", "--format", "json").output)
    assert len(every) > 100  # the sample graph has more entities than find_entity's default limit
    result = invoke("run", "find_entity", "-p", "name=", *arguments, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == every[: count or len(every)]


@pytest.mark.parametrize("arguments", [("--limit", "3", "--all"), ("--all", "-p", "limit=3")])
def test_the_limit_is_given_once(invoke, arguments):
    result = invoke("run", "find_entity", *arguments)
    assert result.exit_code == 2 and "give the row limit once" in result.output


def test_run_sends_numbers_as_numbers(invoke):
    result = invoke("run", "most_connected", "-p", "limit=2", "--format", "json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)) == 2


def test_run_against_a_falkordb_uri(invoke, falkordb_server):
    result = CliRunner().invoke(
        main,
        [
            "query",
            "run",
            "report_overview",
            "--uri",
            falkordb_server.url,
            "--database",
            SAMPLE_GRAPH_NAME,
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)) == 5


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["run", "no_such_query"], 1, "edukg: error: no query named 'no_such_query'"),
        (
            ["run", "most_connected", "-p", "limit=many"],
            1,
            "edukg: error: parameter 'limit' takes an integer",
        ),
        (["run", "most_connected", "-p", "top=3"], 1, "has no parameter top; its parameters: limit"),
        (["run", "most_connected", "-p", "limit"], 2, "expected KEY=VALUE"),
        (["show", "no_such_query"], 1, "no query named"),
    ],
)
def test_mistakes_give_one_clear_line(invoke, args, code, message):
    result = invoke(*args)
    assert result.exit_code == code
    assert message in result.output
    assert "Traceback" not in result.output


def test_run_on_a_store_without_a_graph_says_to_load_one(falkordb_server, monkeypatch):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    out = str(Path(falkordb_server.data_dir).parent)
    result = CliRunner().invoke(
        main, ["query", "run", "report_overview", "--out", out, "--database", "never_loaded"]
    )
    assert result.exit_code == 1
    assert "holds no graph: run `edukg build` and `edukg load` first" in result.output


def test_edukg_command_runs_a_query(falkordb_server, sample_store):
    out = str(Path(falkordb_server.data_dir).parent)
    edukg = Path(sys.executable).parent / "edukg"
    completed = subprocess.run(
        [str(edukg), "query", "run", "planned_vs_reported", "--out", out, "--database", SAMPLE_GRAPH_NAME,
         "--format", "csv", "-p", "report=002_"],
        capture_output=True, text=True, timeout=60, check=True,
        env={key: value for key, value in os.environ.items() if key != "NEO4J_URI"},
    )  # fmt: skip
    [header, row] = list(csv.reader(io.StringIO(completed.stdout)))
    assert header[:2] == ["report", "bureau"] and row[:2] == ["002_a69d6ec3abac42da.txt", "区教育局"]
