"""The Neo4j adapter and the loader against a real Neo4j 5 (the session's ``neo4j_server``).

Every test that loads starts from an empty database (``neo4j_store``). Where FalkorDB
runs the same load, the two stores must hold the same nodes, relationships and
properties. Neo4j's own Cypher parser also checks every statement shape the loader can
send, without a server (``cypher_lint``).
"""

from __future__ import annotations

import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner

from edukg.cli import main
from edukg.errors import StoreError
from edukg.graph.build import build_from_paths
from edukg.graph.export_json import write_graph
from edukg.graph.load_neo4j import Neo4jStore, constraint_statements
from edukg.graph.load_store import (
    DEFAULT_BATCH,
    edge_statements,
    find_reports_statement,
    load_graph,
    node_statements,
    remove_report,
    stale_edge_statement,
    stale_node_statement,
    strip_statements,
    superseded_statement,
    unsupport_statements,
)
from edukg.graph.store import COUNT_NODES, COUNT_RELATIONSHIPS, Statement, count_elements
from edukg.ontology import node_labels, relation_types

EDUKG = Path(sys.executable).with_name("edukg")
Contents = Callable[[Any], Any]
ChangedReport = tuple[Any, Any, str]  # conftest's changed_report: before, after, the old id


def connect(server: Any, uri: str | None = None) -> Neo4jStore:
    return Neo4jStore.connect(uri or server.uri, server.user, server.password, "neo4j")


def facts(contents: Contents, store: Any) -> dict[Any, tuple[list[str], list[tuple[Any, ...]]]]:
    """Per node id and relationship key: its sorted ``reports`` and its mention or evidence
    records (the parallel lists zipped), sorted: what loads in another order must agree on."""
    nodes, edges = contents(store)
    found = {}
    for key, props in [*nodes.items(), *edges.items()]:
        lists = sorted(name for name in props if name.startswith(("mentions_", "evidence_")))
        found[key] = (sorted(props["reports"]), sorted(zip(*(props[name] for name in lists), strict=True)))
    return found


def sizes(graph: nx.MultiDiGraph) -> tuple[int, int]:
    return graph.number_of_nodes(), graph.number_of_edges()


# ---------------------------------------------------------------- on the server


def constraints(store: Neo4jStore) -> set[tuple[str, str, tuple[str, ...], tuple[str, ...]]]:
    rows = store.read(Statement("SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties"))
    return {
        (row["name"], row["type"], tuple(row["labelsOrTypes"]), tuple(row["properties"]))
        for row in rows
        if row["name"].startswith("edukg_")
    }


def test_constraints_are_created_once_and_again(neo4j_store: Neo4jStore) -> None:
    for name, *_ in constraints(neo4j_store):
        neo4j_store.write(Statement(f"DROP CONSTRAINT `{name}`"))  # names the server gave, edukg_<label>_id
    expected = {(f"edukg_{label.lower()}_id", "UNIQUENESS", (label,), ("id",)) for label in node_labels()}
    for _ in range(2):
        neo4j_store.ensure_schema(node_labels())
        assert constraints(neo4j_store) == expected
    neo4j_store.write(Statement("CREATE (:`Bureau` {id: 'bureau:1'})"))
    with pytest.raises(StoreError, match="already exists"):
        neo4j_store.write(Statement("CREATE (:`Bureau` {id: 'bureau:1'})"))


@pytest.mark.parametrize(
    ("graph_name", "batches"), [("store_graph", (4, 7)), ("sample_graph", (DEFAULT_BATCH, 50))]
)
def test_load_twice_holds_what_falkordb_holds(
    neo4j_store: Neo4jStore,
    falkordb_store: Any,
    contents: Contents,
    request: pytest.FixtureRequest,
    graph_name: str,
    batches: tuple[int, int],
) -> None:
    """Hostile text (quotes, backslashes, braces, $rows, NUL) and every label and type included."""
    graph = request.getfixturevalue(graph_name)
    first = load_graph(graph, neo4j_store, batch_size=batches[0])
    assert (first.nodes_in_store, first.relationships_in_store) == sizes(graph)
    before = contents(neo4j_store)
    second = load_graph(graph, neo4j_store, batch_size=batches[1])
    assert (second.nodes_in_store, second.relationships_in_store) == sizes(graph)
    assert contents(neo4j_store) == before
    load_graph(graph, falkordb_store)
    assert before == contents(falkordb_store)


@pytest.mark.parametrize("by", ["id", "source"])
def test_remove_report_leaves_what_the_other_reports_load(
    neo4j_store: Neo4jStore,
    contents: Contents,
    sample_reports: list[Path],
    sample_graph: nx.MultiDiGraph,
    by: str,
) -> None:
    removed = sample_reports[1]
    others = build_from_paths([path for path in sample_reports if path != removed]).graph
    report_id = next(n for n, d in sample_graph.nodes(data=True) if d.get("source") == removed.name)
    load_graph(sample_graph, neo4j_store)
    summary = remove_report(neo4j_store, report_id if by == "id" else removed.name)
    assert summary.reports == (report_id,)
    assert (summary.nodes_deleted, summary.relationships_deleted) == (
        sample_graph.number_of_nodes() - others.number_of_nodes(),
        sample_graph.number_of_edges() - others.number_of_edges(),
    )
    left = facts(contents, neo4j_store)
    neo4j_store.write(Statement("MATCH (n) DETACH DELETE n"))
    load_graph(others, neo4j_store)
    assert left == facts(contents, neo4j_store)
    with pytest.raises(StoreError, match=r"no report 'nope\.txt' in Neo4j at bolt://127\.0\.0\.1:"):
        remove_report(neo4j_store, "nope.txt")


def test_changed_report_replaces_its_facts(
    neo4j_store: Neo4jStore, contents: Contents, changed_report: ChangedReport
) -> None:
    """Same file name, new text: the old report's facts go, the new ones come, the others stay."""
    before, after, old_id = changed_report
    load_graph(before, neo4j_store)
    summary = load_graph(after, neo4j_store)
    assert summary.replaced_reports == (old_id,)
    assert (summary.nodes_in_store, summary.relationships_in_store) == sizes(after)
    replaced = facts(contents, neo4j_store)
    assert old_id not in replaced
    neo4j_store.write(Statement("MATCH (n) DETACH DELETE n"))
    load_graph(after, neo4j_store)
    assert replaced == facts(contents, neo4j_store)


def load_at_once(server: Any, loads: Sequence[Sequence[nx.MultiDiGraph]]) -> list[BaseException]:
    """Run ``loads`` at the same time, each from its own thread and driver, graph after graph;
    the errors raised."""
    errors: list[BaseException] = []
    ready = threading.Barrier(len(loads))

    def load(graphs: Sequence[nx.MultiDiGraph]) -> None:
        store = connect(server)
        try:
            ready.wait()
            for graph in graphs:
                load_graph(graph, store, batch_size=3)
        except BaseException as error:  # handed to the test
            errors.append(error)
        finally:
            store.close()

    threads = [threading.Thread(target=load, args=(graphs,)) for graphs in loads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.parametrize("split", ["same graph", "reports apart"])
def test_two_loads_at_once(
    neo4j_server: Any,
    neo4j_store: Neo4jStore,
    contents: Contents,
    sample_reports: list[Path],
    sample_graph: nx.MultiDiGraph,
    split: str,
) -> None:
    """No duplicates, no errors, and the store one load of everything gives."""
    if split == "same graph":
        graphs = [sample_graph, sample_graph]
    else:  # the national nodes (教育部, 主题教育) are in both
        graphs = [build_from_paths(sample_reports[:2]).graph, build_from_paths(sample_reports[2:]).graph]
    assert load_at_once(neo4j_server, [[graph] for graph in graphs]) == []
    assert count_elements(neo4j_store) == sizes(sample_graph)
    together = facts(contents, neo4j_store)
    neo4j_store.write(Statement("MATCH (n) DETACH DELETE n"))
    load_graph(sample_graph, neo4j_store)
    assert together == facts(contents, neo4j_store)


def one_mention(report: int) -> nx.MultiDiGraph:
    """A report that mentions the one national bureau once."""
    graph = nx.MultiDiGraph()
    report_id = f"report:{report:016x}"
    graph.add_node(report_id, label="Report", name="r", source=f"{report}.txt", reports=[report_id])
    mention = {"report": report_id, "start": report, "end": report + 3, "sentence": 0}
    graph.add_node(
        "bureau:0000000000000000", label="Bureau", name="教育部", reports=[report_id], mentions=[mention]
    )
    return graph


def test_loads_at_once_keep_every_mention_of_a_shared_node(
    neo4j_server: Any, neo4j_store: Neo4jStore
) -> None:
    """Each load rewrites the shared node's lists; without its write lock first, one load's
    entries were lost when both read the lists before either wrote."""
    reports = 24
    assert (
        load_at_once(neo4j_server, [[one_mention(r) for r in range(start, reports, 2)] for start in (0, 1)])
        == []
    )
    [row] = neo4j_store.read(
        Statement("MATCH (n:`Bureau`) RETURN size(n.reports) AS reports, size(n.mentions_report) AS mentions")
    )
    assert row == {"reports": reports, "mentions": reports}


def programmes(store: Neo4jStore) -> int:
    return int(store.read(Statement("MATCH (n:`Programme`) RETURN count(n) AS count"))[0]["count"])


@pytest.mark.slow
def test_load_killed_midway_then_rerun_gives_exact_counts(
    neo4j_server: Any,
    neo4j_store: Neo4jStore,
    tmp_path: Path,
    programme_chain: Callable[[int], nx.MultiDiGraph],
) -> None:
    """The `edukg load` process is killed between batches; each batch was one transaction."""
    programmes_in_graph = 4000
    graph = programme_chain(programmes_in_graph)
    graph_path = str(write_graph(graph, tmp_path / "graph.json"))
    command = [str(EDUKG), "load", "--graph", graph_path, "--uri", neo4j_server.uri, "--batch-size", "100"]
    environment = {**os.environ, "NEO4J_USER": neo4j_server.user, "NEO4J_PASSWORD": neo4j_server.password}
    child = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while programmes(neo4j_store) == 0 and child.poll() is None:
            time.sleep(0.02)
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL, "the load ended before it was killed"
    written = programmes(neo4j_store)
    assert 0 < written < programmes_in_graph and written % 100 == 0  # whole batches only
    rerun = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    nodes, relationships = sizes(graph)
    assert f"the store now holds {nodes} nodes and {relationships} relationships" in rerun.stdout
    assert count_elements(neo4j_store) == sizes(graph)


def test_a_failed_batch_leaves_nothing_of_itself(
    neo4j_store: Neo4jStore, programme_chain: Callable[[int], nx.MultiDiGraph]
) -> None:
    """Neo4j refuses a list of mixed types as a property: the batch holding it writes nothing."""
    graph = programme_chain(10)
    graph.nodes["programme:0000000000000006"]["aliases"] = ["别名", 1]
    with pytest.raises(StoreError, match=r"stopped after 4 of 11 nodes and 0 of 9 relationships") as caught:
        load_graph(graph, neo4j_store, batch_size=4)
    assert "run the same load again" in str(caught.value) and "\n" not in str(caught.value)
    assert programmes(neo4j_store) == 4  # the first batch; none of the second's four
    graph.nodes["programme:0000000000000006"]["aliases"] = ["别名", "1"]
    summary = load_graph(graph, neo4j_store, batch_size=4)
    assert (summary.nodes_in_store, summary.relationships_in_store) == sizes(graph)


def cli_load(graph_path: Path, *arguments: str) -> Any:
    return CliRunner().invoke(main, ["load", "--graph", str(graph_path), *arguments])


def test_wrong_password_is_one_line_without_the_password(
    neo4j_server: Any, store_graph: nx.MultiDiGraph, tmp_path: Path
) -> None:
    graph_path = write_graph(store_graph, tmp_path / "graph.json")
    wrong = "wrong-Neo4j-Sekret-5"
    result = cli_load(graph_path, "--uri", neo4j_server.uri, "--password", wrong)
    assert result.exit_code == 1
    assert result.stderr == (
        f"edukg: error: Neo4j at {neo4j_server.uri} (database default, user neo4j) refused the user "
        "name or password (set --user/--password or NEO4J_USER/NEO4J_PASSWORD)\n"
    )
    assert wrong not in result.stdout + result.stderr


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_closed_port_is_one_line_without_the_password(
    scheme: str, store_graph: nx.MultiDiGraph, tmp_path: Path
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    graph_path = write_graph(store_graph, tmp_path / "graph.json")
    result = cli_load(graph_path, "--uri", f"{scheme}://127.0.0.1:{port}", "--password", "closed-Sekret-6")
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"edukg: error: cannot reach Neo4j at {scheme}://127.0.0.1:{port} ")
    assert "closed-Sekret-6" not in result.stdout + result.stderr


def test_environment_names_the_server_user_password_and_database(
    neo4j_server: Any,
    neo4j_store: Neo4jStore,  # an empty database
    store_graph: nx.MultiDiGraph,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NEO4J_URI", neo4j_server.uri)
    monkeypatch.setenv("NEO4J_USER", neo4j_server.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_server.password)
    monkeypatch.setenv("NEO4J_DATABASE", "neo4j")
    graph_path = write_graph(store_graph, tmp_path / "graph.json")
    loaded = cli_load(graph_path)
    assert loaded.exit_code == 0, loaded.output
    assert f"into Neo4j at {neo4j_server.uri} (database neo4j, user neo4j)" in loaded.stdout
    assert f"the store now holds {store_graph.number_of_nodes()} nodes" in loaded.stdout
    assert "notification" not in loaded.stderr  # the server's warnings are not the user's business
    monkeypatch.setenv("NEO4J_DATABASE", "nosuchdb")
    missing = cli_load(graph_path)
    assert missing.exit_code == 1
    [line] = [line for line in missing.stderr.splitlines() if "error" in line]  # after the progress bar
    assert line == (
        f"edukg: error: a write failed on Neo4j at {neo4j_server.uri} (database nosuchdb, user neo4j): "
        "Graph not found: nosuchdb (Neo.ClientError.Database.DatabaseNotFound)"
    )
    assert neo4j_server.password not in missing.stdout + missing.stderr


def test_password_never_printed_or_logged(
    neo4j_server: Any,
    neo4j_store: Neo4jStore,
    store_graph: nx.MultiDiGraph,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A load that authenticates with the password and logs the driver's debug output."""
    graph_path = write_graph(store_graph, tmp_path / "graph.json")
    caplog.set_level(logging.DEBUG, logger="neo4j")
    arguments = ["--uri", neo4j_server.uri, "--user", neo4j_server.user, "--password", neo4j_server.password]
    loaded = cli_load(graph_path, *arguments)
    removed = CliRunner().invoke(main, ["load", *arguments, "--remove", "b.txt"])
    assert loaded.exit_code == 0 and removed.exit_code == 0, loaded.output + removed.output
    assert "HELLO" in caplog.text or "LOGON" in caplog.text  # the driver did log its authentication
    for text in (loaded.stdout, loaded.stderr, removed.stdout, removed.stderr, caplog.text):
        assert neo4j_server.password not in text


# ---------------------------------------------------------------- without a server


def every_statement(graph: nx.MultiDiGraph) -> list[Statement]:
    """Every statement the loader can send for ``graph``, generated by the pure builders."""
    reports = sorted(n for n, d in graph.nodes(data=True) if d["label"] == "Report")
    some_nodes = {label: {f"{label.lower()}:x": reports[:1]} for label in node_labels()}
    some_edges = {
        (graph.nodes[u]["label"], u, k, graph.nodes[v]["label"], v): reports[:1]
        for u, v, k in list(graph.edges(keys=True))[:20]
    }
    return [
        *constraint_statements(node_labels()),
        *node_statements(graph),
        *edge_statements(graph),
        *node_statements(graph, locked=False),
        *edge_statements(graph, locked=False),
        *strip_statements(reports),
        *unsupport_statements(some_nodes, some_edges),
        *(stale_node_statement(label, reports) for label in node_labels()),
        stale_edge_statement(reports),
        superseded_statement(graph),
        find_reports_statement("000_x.txt"),
        COUNT_NODES,
        COUNT_RELATIONSHIPS,
    ]


def declared(parameters: dict[str, Any]) -> dict[str, Any]:
    """The parameters as the linter needs them: names and types (one row of a batch is enough)."""
    return {name: value[:1] if isinstance(value, list) else value for name, value in parameters.items()}


def shape(text: str) -> str:
    """``text`` with every backticked identifier renamed: the parser's verdict does not depend on the name."""
    return re.sub(r"edukg_[a-z]+_id", "edukg_x_id", re.sub(r"`[A-Za-z][A-Za-z0-9_]*`", "`X`", text))


def lint_errors(cypher_lint: Any, statements: Sequence[Statement]) -> dict[str, list[str]]:
    """The parser's errors per statement shape; empty when all pass.

    Statements that differ only in a backticked label, type or property name are
    checked once (the linter needs about 0.1-0.7 s a query); each identifier the
    ontology defines is checked once on its own in ``test_ontology_names_pass_neo4j_parser``.
    """
    shapes = {shape(statement.text): declared(statement.parameters) for statement in statements}
    found = {text: cypher_lint(text, parameters) for text, parameters in shapes.items()}
    return {text: errors for text, errors in found.items() if errors}


def test_ontology_names_pass_neo4j_parser(cypher_lint: Any) -> None:
    labels = [f"MATCH (n:`{label}`) RETURN n.id" for label in node_labels()]
    types = [f"MATCH ()-[e:`{kind}`]->() RETURN e" for kind in relation_types()]
    assert [query for query in labels + types if cypher_lint(query)] == []


def test_every_statement_passes_neo4j_parser(
    cypher_lint: Any, sample_graph: nx.MultiDiGraph, store_graph: nx.MultiDiGraph
) -> None:
    statements = every_statement(sample_graph) + every_statement(store_graph)
    assert len({shape(statement.text) for statement in statements}) > 10
    assert lint_errors(cypher_lint, statements) == {}


def test_parser_catches_a_broken_statement(cypher_lint: Any) -> None:
    """The check above could fail: a statement with a syntax error is reported."""
    assert cypher_lint("UNWIND $rows AS row MERGE (n:`Bureau` {id: row.id) SET n += row.props", {"rows": []})
