"""One rule for every command: a build's outputs live in one folder, found from --out or
from the folder of --graph, never from the current folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from edukg.cli import main
from edukg.graph import embedded


@pytest.fixture(scope="module")
def build(sample_reports: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A build of two reports in its own folder; its embedded store is stopped at the end."""
    folder = tmp_path_factory.mktemp("outputs") / "build-a"
    result = CliRunner().invoke(main, ["build", *map(str, sample_reports[:2]), "--out", str(folder)])
    assert result.exit_code == 0, result.output
    yield folder
    embedded.stop(folder)


# command, what it writes or reads in the build's folder
COMMANDS = [
    (["view"], "views/index.html"),
    (["export", "rdf"], "graph.ttl"),
    (["export", "rdf", "--format", "json-ld"], "graph.jsonld"),
    (["export", "neo4j-import"], "neo4j-import/load.cypher"),
    (["load"], "db/server.json"),
    (["query", "run", "most_connected", "-p", "limit=2"], "db/server.json"),
    (["query", "run", "shared_initiatives", "--engine", "sparql"], "graph.json"),
    (["db", "status"], "db/server.json"),
]


@pytest.mark.slow
@pytest.mark.parametrize("located_by", ["--out", "--graph"])
@pytest.mark.parametrize(("command", "written"), COMMANDS, ids=[" ".join(c) for c, _ in COMMANDS])
def test_command_finds_the_build_from_out_or_graph(
    build: Path, tmp_path: Path, located_by: str, command: list[str], written: str
) -> None:
    """Run from an unrelated folder: nothing may appear there, everything in the build's."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = str(build) if located_by == "--out" else str(build / "graph.json")
    if command[0] == "query" or command[:2] == ["db", "status"]:
        assert CliRunner().invoke(main, ["load", "--out", str(build)]).exit_code == 0
    cwd = os.getcwd()
    os.chdir(elsewhere)
    try:
        result = CliRunner().invoke(main, [*command, located_by, where])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    assert (build / written).exists()
    assert list(elsewhere.iterdir()) == []
    if command[0] in ("view", "export", "load", "db"):
        assert str(build) in result.output


def test_two_builds_keep_their_views_apart(sample_graph_json: Path, tmp_path: Path) -> None:
    """`view --graph B/graph.json` writes B/views, never the default out/views."""
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["view", "--graph", str(sample_graph_json)])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    assert (sample_graph_json.parent / "views" / "graph.html").exists()
    assert not (tmp_path / "out").exists()


@pytest.fixture
def sample_graph_json(sample_graph, tmp_path: Path) -> Path:
    from edukg.graph.export_json import write_graph

    return write_graph(sample_graph, tmp_path / "build-b" / "graph.json")
