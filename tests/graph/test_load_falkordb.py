"""The loader and the FalkorDB adapter against a real FalkorDB (the session's embedded server)."""

from __future__ import annotations

import math
import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edukg.cli import main
from edukg.errors import StoreError
from edukg.graph import embedded
from edukg.graph.build import build_from_paths
from edukg.graph.export_json import write_graph
from edukg.graph.load_falkordb import FalkorStore
from edukg.graph.load_store import load_graph, remove_report
from edukg.graph.open_store import open_store
from edukg.graph.store import Statement, count_elements
from edukg.graph.store_properties import to_properties

Contents = Callable[[Any], tuple[dict[str, dict[str, Any]], dict[tuple[str, str, str], dict[str, Any]]]]
ChangedReport = tuple[Any, Any, str]  # conftest's changed_report: before, after, the old id


def support(
    contents: Contents, store: FalkorStore
) -> tuple[dict[str, list[str]], dict[tuple[str, str, str], list[str]]]:
    """What supports each element: the ids and their sorted ``reports``."""
    nodes, edges = contents(store)
    return (
        {node: sorted(props["reports"]) for node, props in nodes.items()},
        {edge: sorted(props["reports"]) for edge, props in edges.items()},
    )


def test_load_counts_and_reload_is_idempotent(
    falkordb_store: FalkorStore, sample_graph: nx.MultiDiGraph, contents: Contents
) -> None:
    first = load_graph(sample_graph, falkordb_store)
    expected = (sample_graph.number_of_nodes(), sample_graph.number_of_edges())
    assert (first.nodes_in_store, first.relationships_in_store) == expected
    before = contents(falkordb_store)
    second = load_graph(sample_graph, falkordb_store, batch_size=7)
    assert (second.nodes_in_store, second.relationships_in_store) == expected
    assert contents(falkordb_store) == before


def test_load_creates_unique_constraints(falkordb_store: FalkorStore, store_graph: nx.MultiDiGraph) -> None:
    load_graph(store_graph, falkordb_store)
    constraints = {(c["label"], tuple(c["properties"]), c["status"]) for c in falkordb_store.constraints()}
    assert ("Bureau", ("id",), "OPERATIONAL") in constraints
    with pytest.raises(StoreError):
        falkordb_store.write(Statement("CREATE (:`Bureau` {id: 'bureau:1111111111111111'})"))


@pytest.mark.parametrize(
    "node",
    [
        "bureau:2222222222222222",  # quotes, backslash, backticks, braces, $rows in name and aliases
        "bureau:0000000000000000",  # national: two reports, two mentions
        "metric:1111111111111111",  # float
        "metric:2222222222222222",  # numeric None, masked
        "metric:3333333333333333",  # integer-valued numeric
        "report:bbbbbbbbbbbbbbbb",
        "jurisdiction:2222222222222222",
    ],
)
def test_node_properties_round_trip(
    falkordb_store: FalkorStore, store_graph: nx.MultiDiGraph, node: str, contents: Contents
) -> None:
    load_graph(store_graph, falkordb_store)
    stored = contents(falkordb_store)[0][node]
    properties, lists = to_properties(store_graph.nodes[node])
    assert stored.pop("_label") == store_graph.nodes[node]["label"]
    assert stored.pop("id") == node
    assert sorted(stored.pop("reports")) == store_graph.nodes[node]["reports"]
    expected = {name: value for name, value in {**properties, **lists}.items() if value is not None}
    assert stored == expected


def test_relationship_properties_round_trip(
    falkordb_store: FalkorStore, store_graph: nx.MultiDiGraph, contents: Contents
) -> None:
    load_graph(store_graph, falkordb_store)
    edges = contents(falkordb_store)[1]
    hostile = edges["bureau:2222222222222222", "MENTIONED_IN", "report:bbbbbbbbbbbbbbbb"]
    assert hostile["evidence_text"] == [store_graph.nodes["bureau:2222222222222222"]["name"]]
    assert hostile["status"] == "planned"
    national = edges["bureau:0000000000000000", "RESPONSIBLE_FOR", "campaign:0000000000000000"]
    assert national["evidence_report"] == ["report:aaaaaaaaaaaaaaaa", "report:bbbbbbbbbbbbbbbb"]
    assert national["evidence_status"] == ["reported", "planned"]
    # an edge without evidence is supported by the reports its two ends share
    assert edges["report:aaaaaaaaaaaaaaaa", "ISSUED_BY", "bureau:1111111111111111"]["reports"] == [
        "report:aaaaaaaaaaaaaaaa"
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(st.characters(exclude_categories=("Cs",)), max_size=40))
def test_any_text_round_trips(falkordb_store: FalkorStore, text: str, contents: Contents) -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("bureau:1", label="Bureau", name=text, aliases=[text, "乙"], reports=["report:1"])
    load_graph(graph, falkordb_store)
    stored = contents(falkordb_store)[0]["bureau:1"]
    expected = text.replace("\x00", "\ufffd")  # the one character FalkorDB cannot carry
    assert (stored["name"], stored["aliases"]) == (expected, [expected, "乙"])


def test_non_finite_float_is_stored_as_missing(falkordb_store: FalkorStore, contents: Contents) -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("metric:1", label="Metric", name="x", numeric=math.nan, masked=False, reports=["report:1"])
    load_graph(graph, falkordb_store)
    assert contents(falkordb_store)[0]["metric:1"].get("numeric") is None


def test_incremental_loads_equal_one_load(
    falkordb_server: Any,
    fresh_graph_name: str,
    sample_reports: list[Path],
    sample_graph: nx.MultiDiGraph,
    contents: Contents,
) -> None:
    """Loading reports in two graphs gives the store one load of all of them gives."""
    first = build_from_paths(sample_reports[:2]).graph
    rest = build_from_paths(sample_reports[2:]).graph
    with (
        open_store(falkordb_server.url, database=f"{fresh_graph_name}_a") as parts,
        open_store(falkordb_server.url, database=f"{fresh_graph_name}_b") as whole,
    ):
        try:
            load_graph(first, parts)
            load_graph(rest, parts)
            load_graph(sample_graph, whole)
            assert support(contents, parts) == support(contents, whole)
            mentions = {node: sorted(p.get("mentions_start", [])) for node, p in contents(parts)[0].items()}
            assert mentions == {
                node: sorted(p.get("mentions_start", [])) for node, p in contents(whole)[0].items()
            }
        finally:
            parts.delete_graph()
            whole.delete_graph()


@pytest.mark.parametrize("by", ["id", "source"])
def test_remove_report_keeps_what_others_support(
    falkordb_server: Any,
    fresh_graph_name: str,
    sample_reports: list[Path],
    sample_graph: nx.MultiDiGraph,
    by: str,
    contents: Contents,
) -> None:
    removed = sample_reports[1]
    others = build_from_paths([path for path in sample_reports if path != removed]).graph
    report_id = next(n for n, d in sample_graph.nodes(data=True) if d.get("source") == removed.name)
    with (
        open_store(falkordb_server.url, database=f"{fresh_graph_name}_all") as store,
        open_store(falkordb_server.url, database=f"{fresh_graph_name}_rest") as expected,
    ):
        try:
            load_graph(sample_graph, store)
            summary = remove_report(store, report_id if by == "id" else removed.name)
            assert summary.reports == (report_id,)
            load_graph(others, expected)
            assert support(contents, store) == support(contents, expected)
            assert summary.nodes_deleted == sample_graph.number_of_nodes() - others.number_of_nodes()
            assert count_elements(store) == (others.number_of_nodes(), others.number_of_edges())
        finally:
            store.delete_graph()
            expected.delete_graph()


def test_remove_unknown_report_is_a_clear_error(
    falkordb_store: FalkorStore, store_graph: nx.MultiDiGraph
) -> None:
    load_graph(store_graph, falkordb_store)
    with pytest.raises(StoreError, match=r"no report 'nope\.txt'"):
        remove_report(falkordb_store, "nope.txt")


def test_changed_report_replaces_its_facts(
    falkordb_server: Any,
    fresh_graph_name: str,
    changed_report: ChangedReport,
    contents: Contents,
) -> None:
    """Same file name, new text: the old report's facts go, the new ones come, the others stay."""
    before, after, old_id = changed_report
    with (
        open_store(falkordb_server.url, database=f"{fresh_graph_name}_x") as store,
        open_store(falkordb_server.url, database=f"{fresh_graph_name}_y") as expected,
    ):
        try:
            load_graph(before, store)
            summary = load_graph(after, store)
            assert summary.replaced_reports == (old_id,)
            load_graph(after, expected)
            assert support(contents, store) == support(contents, expected)
            assert old_id not in contents(store)[0]
        finally:
            store.delete_graph()
            expected.delete_graph()


# ---------------------------------------------------------------- faults


RIGHT_PASSWORD = "right-Secret-1"


@pytest.fixture()
def acl_user(falkordb_server: Any) -> Any:
    """A FalkorDB ACL user ``edukg_test`` with a password, removed after the test."""
    import redis

    client = redis.Redis(unix_socket_path=falkordb_server.socket)
    client.acl_setuser(
        "edukg_test", enabled=True, passwords=[f"+{RIGHT_PASSWORD}"], keys=["*"], commands=["+@all"]
    )
    yield "edukg_test"
    client.acl_deluser("edukg_test")
    client.close()


def test_wrong_password_is_a_clear_error(falkordb_server: Any, acl_user: str, fresh_graph_name: str) -> None:
    with pytest.raises(StoreError, match="refused the user name or password") as caught:
        FalkorStore.connect(
            falkordb_server.url, graph=fresh_graph_name, user=acl_user, password="wrong-Secret-2"
        )
    assert "wrong-Secret-2" not in str(caught.value)
    store = FalkorStore.connect(
        falkordb_server.url, graph=fresh_graph_name, user=acl_user, password=RIGHT_PASSWORD
    )
    assert count_elements(store) == (0, 0)
    store.close()


@pytest.mark.slow
def test_server_killed_mid_load_then_rerun_completes(
    tmp_path: Path, programme_chain: Callable[[int], nx.MultiDiGraph]
) -> None:
    graph = programme_chain(3000)
    server = embedded.start(tmp_path)
    statements_done = []

    def kill_after_three(statement: Statement) -> None:
        statements_done.append(statement)
        if len(statements_done) == 3:
            os.kill(server.pid, signal.SIGKILL)

    try:
        store = FalkorStore.connect(server.url, graph="edukg")
        with pytest.raises(StoreError, match=r"stopped after 600 of 3001 nodes and 0 of 2999 relationships"):
            load_graph(graph, store, batch_size=200, progress=kill_after_three)
        store.close()
        assert embedded.status(tmp_path) is None  # the dead server's pid and socket are cleaned
        restarted = embedded.start(tmp_path)
        assert restarted.pid != server.pid
        with open_store(restarted.url) as again:
            summary = load_graph(graph, again, batch_size=200)
        assert (summary.nodes_in_store, summary.relationships_in_store) == (3001, 2999)
    finally:
        embedded.stop(tmp_path)


@pytest.mark.slow
def test_load_command_uses_the_embedded_store(store_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    graph_path = str(write_graph(store_graph, tmp_path / "graph.json"))
    out = str(tmp_path / "out")
    runner = CliRunner()
    try:
        for _ in range(2):
            loaded = runner.invoke(main, ["load", "--graph", graph_path, "--out", out])
            assert loaded.exit_code == 0, loaded.output
            assert "the store now holds 18 nodes and 30 relationships" in loaded.stdout
            assert "embedded FalkorDB" in loaded.stdout
        removed = runner.invoke(main, ["load", "--out", out, "--remove", "b.txt"])
        assert removed.exit_code == 0, removed.output
        assert "removed report(s) report:bbbbbbbbbbbbbbbb" in removed.stdout
        missing = runner.invoke(main, ["load", "--out", out, "--remove", "b.txt"])
        assert missing.exit_code == 1
        assert (
            missing.stderr
            == f"edukg: error: no report 'b.txt' in FalkorDB graph 'edukg' at {embedded.status(out).where} (give a report id or a source file name)\n"
        )
    finally:
        embedded.stop(out)


def test_load_command_wrong_password(
    falkordb_server: Any, acl_user: str, store_graph: nx.MultiDiGraph, tmp_path: Path
) -> None:
    graph_path = str(write_graph(store_graph, tmp_path / "graph.json"))
    result = CliRunner().invoke(
        main,
        [
            "load",
            "--uri",
            falkordb_server.url,
            "--user",
            acl_user,
            "--password",
            "wrong-Secret-3",
            "--graph",
            graph_path,
        ],
    )
    assert result.exit_code == 1
    assert "refused the user name or password" in result.stderr
    assert "wrong-Secret-3" not in result.stdout + result.stderr


def _two_reports(supporting: list[str]) -> nx.MultiDiGraph:
    """Reports r1 and r2, and a programme that the ``supporting`` ones mention."""
    graph = nx.MultiDiGraph()
    for report in ("report:0000000000000001", "report:0000000000000002"):
        graph.add_node(report, label="Report", name=report, source=f"{report[-1]}.txt", reports=[report])
    mentions = [{"report": report, "start": 0, "end": 2, "sentence": 0} for report in supporting]
    graph.add_node("programme:1", label="Programme", name="项目", reports=supporting, mentions=mentions)
    for report in supporting:
        graph.add_edge(
            "programme:1", report, key="MENTIONED_IN", type="MENTIONED_IN", reports=[report], evidence=[]
        )
    return graph


def test_a_report_that_stops_supporting_a_node_leaves_it(falkordb_store: FalkorStore, contents: Any) -> None:
    """Loading a graph in which r1 no longer mentions the programme that r2 still does drops r1's
    support and mentions from it, and r1's relationship to it."""
    both, one = ["report:0000000000000001", "report:0000000000000002"], ["report:0000000000000002"]
    load_graph(_two_reports(both), falkordb_store)
    load_graph(_two_reports(one), falkordb_store)
    nodes, edges = contents(falkordb_store)
    assert (nodes["programme:1"]["reports"], nodes["programme:1"]["mentions_report"]) == (one, one)
    assert [key for key in edges if key[0] == "programme:1"] == [("programme:1", "MENTIONED_IN", one[0])]
