"""``edukg build --workers N``: extraction in parallel processes gives the graph one worker gives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from edukg.cli import main


def graph_meaning(path: Path) -> tuple[dict[str, Any], dict[tuple[str, str, str], Any]]:
    """A node-link file as {node id: attributes} and {(source, target, key): attributes}."""
    data = json.loads(path.read_text(encoding="utf-8"))
    nodes = {node["id"]: node for node in data["nodes"]}
    edges = {(edge["source"], edge["target"], edge["key"]): edge for edge in data["edges"]}
    return nodes, edges


def build(reports: list[Path], out: Path, workers: int) -> tuple[dict[str, Any], dict[Any, Any]]:
    result = CliRunner().invoke(
        main, ["build", *map(str, reports), "--out", str(out), "--workers", str(workers), "--strict"]
    )
    assert result.exit_code == 0, result.output
    return graph_meaning(out / "graph.json")


@pytest.fixture(scope="module")
def one_worker(sample_reports: list[Path], tmp_path_factory: pytest.TempPathFactory):
    return build(sample_reports, tmp_path_factory.mktemp("one-worker"), 1)


@pytest.mark.parametrize("workers", [2, 3])
def test_build_workers_give_the_graph_of_one_worker(
    sample_reports: list[Path], tmp_path: Path, one_worker, workers: int
) -> None:
    nodes, edges = one_worker
    parallel_nodes, parallel_edges = build(sample_reports, tmp_path, workers)
    assert len(nodes) > 100 and len(edges) > 100
    assert parallel_nodes.keys() == nodes.keys()
    assert parallel_edges.keys() == edges.keys()
    assert parallel_nodes == nodes
    assert parallel_edges == edges


def test_build_workers_reports_in_reverse_order_give_the_same_graph(
    sample_reports: list[Path], tmp_path: Path, one_worker
) -> None:
    assert build(list(reversed(sample_reports)), tmp_path, 2) == one_worker
