"""Node-link JSON and GraphML: the graph survives the round trip, compared by meaning."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from edukg.errors import InputError
from edukg.graph.export_graphml import to_graphml, write_graphml
from edukg.graph.export_json import (
    LONG_LIST,
    from_node_link,
    graph_json_pieces,
    graph_json_text,
    node_link_lines,
    node_link_records,
    read_graph,
    to_node_link,
    write_graph,
)

HOSTILE = "a\"b'c<d>&e\\f\n{g}`h`\u200b\u202e"


def small_graph() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    graph.add_node(
        "bureau:1", label="Bureau", name="市教育局", aliases=["局党组", HOSTILE], reports=["report:a"]
    )
    graph.add_node(
        "metric:1",
        label="Metric",
        name="新增学位",
        value="**个",
        numeric=None,
        masked=True,
        reports=["report:a"],
    )
    graph.add_edge(
        "bureau:1",
        "metric:1",
        key="MEASURED_BY",
        type="MEASURED_BY",
        reports=["report:a"],
        evidence=[
            {"report": "report:a", "sentence": 0, "start": 0, "end": 4, "text": HOSTILE, "status": "reported"}
        ],
        status="reported",
    )
    return graph


def test_export_json_round_trip(tmp_path: Path) -> None:
    graph = small_graph()
    back = read_graph(write_graph(graph, tmp_path / "graph.json"))
    assert dict(back.nodes(data=True)) == dict(graph.nodes(data=True))
    assert list(back.edges(keys=True, data=True)) == list(graph.edges(keys=True, data=True))
    assert from_node_link(to_node_link(graph)).number_of_edges() == 1


def test_export_json_of_sample_graph_round_trips(sample_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    back = read_graph(write_graph(sample_graph, tmp_path / "graph.json"))
    assert nx.utils.graphs_equal(back, sample_graph)
    assert dict(back.nodes(data=True)) == dict(sample_graph.nodes(data=True))


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "no such graph file"),
        (b"{not json", "not a graph JSON file"),
        (b"\xff\xfe\x00", "not a graph JSON file"),
    ],
)
def test_export_json_read_errors(tmp_path: Path, content: bytes | None, reason: str) -> None:
    path = tmp_path / "graph.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=reason):
        read_graph(path)


def test_export_graphml_keeps_lists_as_json(tmp_path: Path) -> None:
    graph = small_graph()
    back = nx.read_graphml(write_graphml(graph, tmp_path / "graph.graphml"), force_multigraph=True)
    assert json.loads(back.nodes["bureau:1"]["aliases"]) == ["局党组", HOSTILE]
    assert back.nodes["metric:1"]["masked"] is True
    [(_, _, data)] = back.edges(data=True)
    assert json.loads(data["evidence"])[0]["text"] == HOSTILE
    assert "<d>" not in to_graphml(graph)  # escaped in XML


MENTION = {"report": "report:a", "start": 1204, "end": 1210, "sentence": 3, "text": HOSTILE}
LONG = [MENTION] * (LONG_LIST + 1)


@pytest.mark.parametrize(
    ("value", "pieces"),
    [
        ({"name": HOSTILE, "mentions": [MENTION]}, 1),  # short lists: one piece
        (LONG, LONG_LIST + 3),  # brackets and one piece per item
        ({"name": HOSTILE, "mentions": LONG, "reports": ["report:a"]}, LONG_LIST + 10),
        ({"nested": {"mentions": LONG}}, 1),  # only a value's own lists are split
    ],
)
def test_graph_json_pieces_spell_the_same_text(value: object, pieces: int) -> None:
    written = list(graph_json_pieces(value))
    assert "".join(written) == graph_json_text(value)
    assert len(written) == pieces


def test_export_of_a_node_with_a_long_list_round_trips(tmp_path: Path) -> None:
    graph = small_graph()
    graph.nodes["bureau:1"]["mentions"] = LONG
    graph.edges["bureau:1", "metric:1", "MEASURED_BY"]["evidence"] = LONG
    back = read_graph(write_graph(graph, tmp_path / "graph.json"))
    assert dict(back.nodes(data=True)) == dict(graph.nodes(data=True))
    assert list(back.edges(keys=True, data=True)) == list(graph.edges(keys=True, data=True))
    graphml = nx.read_graphml(write_graphml(graph, tmp_path / "graph.graphml"), force_multigraph=True)
    assert json.loads(graphml.nodes["bureau:1"]["mentions"]) == LONG


def test_node_link_records_read_each_line_write_graph_wrote() -> None:
    graph = small_graph()
    graph.nodes["bureau:1"]["mentions"] = LONG  # a record written in pieces is still one line
    text = "".join(node_link_lines(graph)).encode()
    records = list(node_link_records(text.splitlines(keepends=True)))
    data = to_node_link(graph)
    assert records == [("nodes", node) for node in data["nodes"]] + [
        ("edges", edge) for edge in data["edges"]
    ]


@pytest.mark.parametrize("kept", [0, 1, 2, 3, -1])
def test_node_link_records_refuse_text_that_stops_early(kept: int) -> None:
    lines = "".join(node_link_lines(small_graph())).encode().splitlines(keepends=True)
    with pytest.raises(ValueError, match="stops before its end"):
        list(node_link_records(lines[:kept] if kept >= 0 else lines[:-1]))
