"""The graph as networkx node-link JSON, and back.

>>> import networkx as nx
>>> graph = nx.MultiDiGraph()
>>> graph.add_node("bureau:1", label="Bureau", name="市教育局")
>>> from_node_link(to_node_link(graph)).nodes["bureau:1"]["name"]
'市教育局'
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx
import orjson


def to_node_link(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """The node-link form of the graph (edges under ``"edges"``, keyed by relationship type)."""
    return nx.node_link_data(graph, edges="edges")


def from_node_link(data: dict[str, Any]) -> nx.MultiDiGraph:
    graph = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    return graph


def json_text(value: Any) -> str:
    """``value`` as compact JSON, Chinese kept as it is (not ``\\u`` escapes), by orjson.

    For values made to be written and dropped (a report's extraction file): orjson is about
    twice as fast as the json module, but it leaves a UTF-8 copy inside every non-ASCII str
    it encodes (CPython caches it there), which a graph would keep for good.
    """
    return orjson.dumps(value).decode()


# The json module encodes without that copy: writing a graph of 10,000 reports with orjson
# left 110 MB of copies in the strings of the graph, at the build's peak of memory.
graph_json_text = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode

# A list longer than this is encoded item by item (see graph_json_pieces).
LONG_LIST = 1000


def graph_json_pieces(value: Any) -> Iterator[str]:
    """``graph_json_text(value)`` in pieces: the items of a long list (in ``value`` or one of its
    values) one at a time. The encoder holds a small string per bracket, key and value
    until it joins them, and a writer then copies the text: for the nodes named in every
    report, memory that grows with the corpus (with GraphML's copies, 50 MB of the peak
    at 10,000 reports)."""
    if isinstance(value, list) and len(value) > LONG_LIST:
        yield "["
        for index, item in enumerate(value):
            yield (", " if index else "") + graph_json_text(item)
        yield "]"
    elif isinstance(value, dict) and any(isinstance(v, list) and len(v) > LONG_LIST for v in value.values()):
        yield "{"
        for index, (name, item) in enumerate(value.items()):
            yield (", " if index else "") + graph_json_text(name) + ": "
            yield from graph_json_pieces(item)
        yield "}"
    else:
        yield graph_json_text(value)


def node_link_lines(graph: nx.MultiDiGraph) -> Iterator[str]:
    """The node-link JSON of ``graph`` (as :func:`to_node_link` gives it), one node or edge a line.

    Items are made one at a time from the graph: neither a copy of the graph's
    attribute dicts nor the whole text is ever held.
    """
    yield "{" + json_text("directed") + ": true, " + json_text("multigraph") + ": true, "
    yield json_text("graph") + ": " + graph_json_text(graph.graph) + ",\n" + json_text("nodes") + ": ["
    for index, (node, data) in enumerate(graph.nodes(data=True)):
        yield ("," if index else "") + "\n"
        yield from graph_json_pieces({**data, "id": node})
    yield "\n],\n" + json_text("edges") + ": ["
    for index, (source, target, key, data) in enumerate(graph.edges(keys=True, data=True)):
        yield ("," if index else "") + "\n"
        yield from graph_json_pieces({**data, "source": source, "target": target, "key": key})
    yield "\n]}\n"


def node_link_records(
    lines: Iterable[bytes], sections: tuple[str, ...] = ("nodes", "edges")
) -> Iterator[tuple[str, dict[str, Any]]]:
    """``("nodes", record)`` or ``("edges", record)`` for each line of graph.json text as
    :func:`node_link_lines` lays it out (one record a line), parsed as the lines arrive: a
    reader that never holds the whole file, for a process that follows a writer. Lines of
    the other ``sections`` are skipped unparsed. Raises ValueError if the text stops before
    its last line."""
    section = ""
    for line in lines:
        if line.startswith(b"{") and section:
            if section in sections:
                yield section, orjson.loads(line.rstrip(b",\r\n"))
        elif line.startswith(b'"nodes"'):
            section = "nodes"
        elif line.startswith(b'"edges"'):
            section = "edges"
        elif line.startswith(b"]}"):
            return
        elif line.startswith(b"]"):
            section = ""
    raise ValueError("the graph JSON text stops before its end")


def write_lines(lines: Iterable[str], path: str | Path) -> Path:
    """Write ``lines`` to ``path`` (UTF-8) as they come, making its folder if needed; an error
    of the writes (a full disk) names ``path``, which the system's error does not."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with naming(path), path.open("w", encoding="utf-8") as file:  # closing flushes: inside too
        file.writelines(lines)
    return path


@contextmanager
def naming(path: Path) -> Iterator[None]:
    """Give an OSError raised in the block without a file name the name ``path``."""
    try:
        yield
    except OSError as error:
        if error.filename is not None:
            raise
        raise OSError(error.errno, error.strerror, str(path)) from None


def write_graph(graph: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write ``graph`` as node-link JSON (UTF-8, Chinese kept readable), one node or edge a line.

    The file is the contract that scorers of report-to-initiative links read
    (``eval/concept_score.py``, tested in ``tests/graph/test_concept_links.py``):

    - every report is a node with ``"label": "Report"`` and ``"source"``, its file name;
    - every initiative is a node with ``"label": "Concept"``, a ``"name"`` (the scheme's
      Chinese name, or the core of a discovered name) and ``"aliases"`` (the scheme's
      variants and the mentions reports write), with ``"kind"`` ``initiative`` or
      ``discovered``; a Concept carries no ``reports`` of its own;
    - a report runs an initiative when an ``"INSTANCE_OF"`` edge (under ``"edges"``, with
      ``"type"``) goes to the Concept from the Report node itself (the report states it:
      the edge's ``evidence`` holds the sentences), or from an entity that is tied to the
      report by a ``"MENTIONED_IN"`` edge or its ``"reports"`` list.

    Scorers match predicted Concepts to gold ones by name (character-bigram Dice between
    names and aliases), never by id, so names and aliases must be the names reports use.
    """
    return write_lines(node_link_lines(graph), path)


def read_graph(path: str | Path) -> nx.MultiDiGraph:
    """Read a graph written by :func:`write_graph` (e.g. ``out/graph.json``).

    It is read a line at a time (:func:`node_link_records`), so that only the graph is held,
    not the file's text and its parse besides; a node-link file laid out otherwise is read
    whole.
    """
    from edukg.errors import InputError

    path = Path(path)
    try:
        return _read_lines(path)
    except FileNotFoundError:
        raise InputError(path, "no such graph file (run `edukg build` first)") from None
    except (ValueError, KeyError, TypeError, AttributeError):
        pass  # not laid out one record a line: parse it whole, which says what is wrong
    try:
        data = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as error:
        raise InputError(path, f"not a graph JSON file ({error})") from None
    if not (
        isinstance(data, dict) and isinstance(data.get("nodes"), list) and isinstance(data.get("edges"), list)
    ):
        raise InputError(path, "not a node-link graph (expected an object with lists 'nodes' and 'edges')")
    try:
        return from_node_link(data)
    except (KeyError, TypeError, AttributeError, nx.NetworkXError) as error:
        raise InputError(path, f"not a node-link graph ({type(error).__name__}: {error})") from None


def _read_lines(path: Path) -> nx.MultiDiGraph:
    """The graph of a file laid out as :func:`node_link_lines` writes it; ValueError (or
    KeyError …) for any other layout."""
    with path.open("rb") as lines:
        head = orjson.loads(lines.readline().rstrip(b",\r\n") + b"}")
        if not (head.get("directed") is True and head.get("multigraph") is True):
            raise ValueError("not a directed multigraph's header line")
        graph = nx.MultiDiGraph()
        graph.graph.update(head["graph"])
        for section, record in node_link_records(lines):
            if section == "nodes":
                graph.add_node(record.pop("id"), **record)
            else:
                graph.add_edge(record.pop("source"), record.pop("target"), key=record.pop("key"), **record)
    return graph
