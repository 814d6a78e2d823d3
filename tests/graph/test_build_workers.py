"""``edukg build --workers N``: extraction in parallel processes gives the graph one worker gives,
in both files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner

from edukg.cli import main


def graph_meaning(path: Path) -> tuple[dict[str, Any], dict[tuple[str, str, str], Any]]:
    """A node-link file as {node id: attributes} and {(source, target, key): attributes}."""
    data = json.loads(path.read_text(encoding="utf-8"))
    nodes = {node["id"]: node for node in data["nodes"]}
    edges = {(edge["source"], edge["target"], edge["key"]): edge for edge in data["edges"]}
    return nodes, edges


def graphml_meaning(path: Path) -> tuple[dict[str, Any], list[Any]]:
    graph = nx.read_graphml(path, force_multigraph=True)
    return dict(graph.nodes(data=True)), sorted(graph.edges(keys=True, data=True), key=repr)


Meaning = tuple[tuple[dict[str, Any], dict[Any, Any]], tuple[dict[str, Any], list[Any]]]


def build(reports: list[Path], out: Path, workers: int) -> Meaning:
    """The graph.json and graph.graphml that ``edukg build --workers`` writes, by meaning."""
    result = CliRunner().invoke(
        main, ["build", *map(str, reports), "--out", str(out), "--workers", str(workers), "--strict"]
    )
    assert result.exit_code == 0, result.output
    return graph_meaning(out / "graph.json"), graphml_meaning(out / "graph.graphml")


@pytest.fixture(scope="module")
def one_worker(sample_reports: list[Path], tmp_path_factory: pytest.TempPathFactory):
    return build(sample_reports, tmp_path_factory.mktemp("one-worker"), 1)


@pytest.mark.parametrize("workers", [2, 3])
def test_build_workers_give_the_graph_of_one_worker(
    sample_reports: list[Path], tmp_path: Path, one_worker, workers: int
) -> None:
    (nodes, edges), graphml = one_worker
    (parallel_nodes, parallel_edges), parallel_graphml = build(sample_reports, tmp_path, workers)
    assert len(nodes) > 100 and len(edges) > 100
    assert parallel_nodes.keys() == nodes.keys()
    assert parallel_edges.keys() == edges.keys()
    assert parallel_nodes == nodes
    assert parallel_edges == edges
    assert len(graphml[0]) == len(nodes) and len(graphml[1]) == len(edges)
    assert parallel_graphml == graphml  # written by a second process with --workers 2 and more


def test_build_workers_reports_in_reverse_order_give_the_same_graph(
    sample_reports: list[Path], tmp_path: Path, one_worker
) -> None:
    assert build(list(reversed(sample_reports)), tmp_path, 2) == one_worker
