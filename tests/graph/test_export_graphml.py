"""GraphML written in a second process from graph.json's text is the GraphML of the graph."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import networkx as nx
import pytest

from edukg.graph.export_graphml import (
    _keys,
    _keys_line,
    json_with_graphml_beside,
    to_graphml,
    write_graph_files,
    write_graphml_from_stream,
)
from edukg.graph.export_json import LONG_LIST, node_link_lines, read_graph

# Markup, quotes and characters XML cannot hold, in ids, keys and values.
ODD = "a&b<c>\"d'e\x01f\ufffe 教育"
ODD_AS_XML = ODD.replace("\x01", "\ufffd").replace("\ufffe", "\ufffd")  # what XML 1.0 can hold


def odd_graph() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    graph.add_node(ODD, label="Policy", name=ODD, aliases=[ODD], numeric=1.5, masked=False)
    graph.add_node("n:2", label="Metric", value="**个", numeric=None, chars=12)
    graph.add_edge(ODD, "n:2", key=ODD, type="MEASURED_BY", evidence=[{"text": ODD, "start": 0}])
    graph.add_edge(ODD, "n:2", key="PART_OF", type="PART_OF", evidence=[])
    return graph


def _with_long_lists() -> nx.MultiDiGraph:
    graph = odd_graph()
    graph.nodes[ODD]["mentions"] = [{"report": "report:a", "start": 3, "text": ODD}] * (LONG_LIST + 1)
    graph.edges[ODD, "n:2", ODD]["evidence"] = graph.nodes[ODD]["mentions"]
    return graph


def _empty() -> nx.MultiDiGraph:
    return nx.MultiDiGraph()


def _sample(sample_graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    return sample_graph


@pytest.mark.parametrize("make", [odd_graph, _with_long_lists, _empty, _sample])
def test_write_graph_files_in_two_processes_writes_what_one_writes(
    make, sample_graph: nx.MultiDiGraph, tmp_path: Path
) -> None:
    graph = make(sample_graph) if make is _sample else make()
    one, two = tmp_path / "one", tmp_path / "two"
    write_graph_files(graph, one / "graph.json", one / "graph.graphml", processes=1)
    assert json_with_graphml_beside(graph, two / "graph.json", two / "graph.graphml")
    assert (two / "graph.json").read_bytes() == (one / "graph.json").read_bytes()
    assert (two / "graph.graphml").read_bytes() == (one / "graph.graphml").read_bytes()
    assert sorted(p.name for p in two.iterdir()) == ["graph.graphml", "graph.json"]  # no .partial left
    back = nx.read_graphml(two / "graph.graphml", force_multigraph=True)
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()


def test_write_graph_files_writes_both_here_when_no_second_process_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph = odd_graph()
    write_graph_files(graph, tmp_path / "one.json", tmp_path / "one.graphml")
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-such-python"))
    assert not json_with_graphml_beside(graph, tmp_path / "two.json", tmp_path / "two.graphml")
    write_graph_files(graph, tmp_path / "two.json", tmp_path / "two.graphml", processes=2)
    assert (tmp_path / "two.json").read_bytes() == (tmp_path / "one.json").read_bytes()
    assert (tmp_path / "two.graphml").read_bytes() == (tmp_path / "one.graphml").read_bytes()


def test_write_graph_files_meets_the_second_processs_error_itself(tmp_path: Path) -> None:
    (tmp_path / "graph.graphml").mkdir()
    assert not json_with_graphml_beside(odd_graph(), tmp_path / "graph.json", tmp_path / "graph.graphml")
    with pytest.raises(IsADirectoryError):
        write_graph_files(odd_graph(), tmp_path / "graph.json", tmp_path / "graph.graphml", processes=2)
    assert read_graph(tmp_path / "graph.json").number_of_edges() == 2  # the JSON is whole
    assert not (tmp_path / "graph.graphml.partial").exists()


def test_write_graph_files_writes_no_graphml_when_the_json_fails(tmp_path: Path) -> None:
    (tmp_path / "graph.json").mkdir()
    with pytest.raises(IsADirectoryError):
        write_graph_files(
            _with_long_lists(), tmp_path / "graph.json", tmp_path / "graph.graphml", processes=2
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.json"]


def stream_of(graph: nx.MultiDiGraph) -> list[bytes]:
    """The lines json_with_graphml_beside sends its second process: attribute types, then graph.json."""
    return [_keys_line(_keys(graph)).encode(), *"".join(node_link_lines(graph)).encode().splitlines(True)]


@pytest.mark.parametrize("cut", [1, 2, 5, -2])
def test_graphml_from_a_stream_that_stops_early_is_not_written(tmp_path: Path, cut: int) -> None:
    graph = _with_long_lists()
    lines = stream_of(graph)
    with pytest.raises(ValueError, match="stops before its end"):
        write_graphml_from_stream(iter(lines[:cut]), tmp_path / "graph.graphml")
    assert list(tmp_path.iterdir()) == []


def test_graphml_from_the_whole_stream_is_the_graphs(tmp_path: Path) -> None:
    graph = _with_long_lists()
    lines = stream_of(graph)
    path = write_graphml_from_stream(iter(lines), tmp_path / "graph.graphml")
    assert path.read_text(encoding="utf-8") == to_graphml(graph)
    back = nx.read_graphml(path, force_multigraph=True)
    assert len(json.loads(back.nodes[ODD_AS_XML]["mentions"])) > LONG_LIST
