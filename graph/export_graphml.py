"""The graph as GraphML, written one node or edge at a time.

GraphML holds only scalars, so lists and dicts travel as JSON text. networkx's own
writer builds a flattened copy of the graph and the whole XML document in memory
(about a gigabyte per thousand reports); this writer streams one line per node or
edge, and reads back with ``networkx.read_graphml``. The same lines come from the graph
(:func:`write_graphml`) or from graph.json's text as another process writes it
(:func:`json_with_graphml_beside`, what ``edukg build --workers`` uses).
"""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO, TextIO

import networkx as nx
import orjson

from edukg.graph.export_json import (
    LONG_LIST,
    graph_json_pieces,
    graph_json_text,
    node_link_lines,
    node_link_records,
    write_graph,
    write_lines,
)

GRAPHML = "http://graphml.graphdrawing.org/xmlns"
# What XML text and attribute values cannot hold as written: markup characters become
# entities, and characters XML 1.0 cannot hold at all become U+FFFD. One regular expression
# scan per value (markup is rare in report text), not html.escape's replace per character
# plus str.translate, which looks every Chinese character up in a dict.
NOT_XML = "\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff"
_TEXT_ESCAPES = re.compile(f"[&<>{NOT_XML}]")
_ATTRIBUTE_ESCAPES = re.compile(f"[&<>\"'{NOT_XML}]")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}


# One node or edge to write: ("node", (id,), attributes) or ("edge", (source, target, key), attributes).
Element = tuple[str, tuple[Any, ...], dict[str, Any]]
Keys = dict[tuple[str, str], str]


def _entity(match: re.Match[str]) -> str:
    return _ENTITIES.get(match.group(), "\ufffd")


def _xml_type(kinds: set[type]) -> str:
    kinds = kinds - {type(None)}
    if kinds == {bool}:
        return "boolean"
    if kinds == {int}:
        return "long"
    if kinds and kinds <= {int, float}:
        return "double"
    return "string"


def _keys(graph: nx.MultiDiGraph) -> Keys:
    """(domain, attribute) → GraphML type, from the Python types of every node's and edge's values."""
    kinds: dict[tuple[str, str], set[type]] = {}
    for _, data in graph.nodes(data=True):
        for name, value in data.items():
            kinds.setdefault(("node", name), set()).add(type(value))
    for _, _, data in graph.edges(data=True):
        for name, value in data.items():
            kinds.setdefault(("edge", name), set()).add(type(value))
    return {key: _xml_type(found) for key, found in sorted(kinds.items())}


def _boolean_text(value: Any) -> str:
    return "true" if value else "false"


def _escaped(text: str) -> str:
    return _TEXT_ESCAPES.sub(_entity, text)


def _string_text(value: Any) -> str:
    if not isinstance(value, str):
        value = graph_json_text(value) if isinstance(value, list | dict | tuple) else str(value)
    return _escaped(value)


# How a column's values become element text, by its GraphML type. Numbers hold no markup,
# so they skip the escaping scan: a graph of 10,000 reports has ten million values.
_TEXT_OF_TYPE: dict[str, Callable[[Any], str]] = {
    "boolean": _boolean_text,
    "long": str,
    "double": str,
    "string": _string_text,
}


def _attribute(value: object) -> str:
    return '"' + _ATTRIBUTE_ESCAPES.sub(_entity, str(value)) + '"'


def _data(data: dict[str, Any], columns: dict[str, tuple[str, Callable[[Any], str]]]) -> list[str]:
    """The ``<data>`` elements of one node's or edge's attributes as one string, or as pieces
    where a long list (the mentions of a node named in every report) goes item by item, as
    in graph.json (graph_json_pieces). ``columns`` maps each attribute to its opening tag and
    the function that writes its values."""
    pieces: list[str] = []
    elements: list[str] = []
    for name, value in data.items():
        if value is None:
            continue
        opening, text = columns[name]
        if type(value) is list and len(value) > LONG_LIST:
            pieces += ["".join(elements), opening, *map(_escaped, graph_json_pieces(value)), "</data>"]
            elements.clear()
        else:
            elements.append(opening + text(value) + "</data>")
    pieces.append("".join(elements))
    return pieces


def _element(opening: str, pieces: list[str], closing: str) -> Iterator[str]:
    if len(pieces) == 1:
        yield opening + pieces[0] + closing
    else:
        yield opening
        yield from pieces
        yield closing


def graph_elements(graph: nx.MultiDiGraph) -> Iterator[Element]:
    """The elements of ``graph``, nodes first."""
    for node, data in graph.nodes(data=True):
        yield "node", (node,), data
    for source, target, key, data in graph.edges(keys=True, data=True):
        yield "edge", (source, target, key), data


def record_elements(records: Iterable[tuple[str, dict[str, Any]]]) -> Iterator[Element]:
    """The elements of node-link records (graph.json's, see ``node_link_records``)."""
    for section, record in records:
        if section == "nodes":
            yield "node", (record.pop("id"),), record
        else:
            yield "edge", (record.pop("source"), record.pop("target"), record.pop("key")), record


def document_lines(keys: Keys, elements: Iterable[Element]) -> Iterator[str]:
    """The GraphML document of ``elements`` (nodes first), whose attributes ``keys`` types,
    line by line (one line per node and per edge)."""
    columns: dict[str, dict[str, tuple[str, Callable[[Any], str]]]] = {"node": {}, "edge": {}}
    for (domain, name), kind in keys.items():
        columns[domain][name] = (f"<data key={_attribute(f'{domain}_{name}')}>", _TEXT_OF_TYPE[kind])
    yield "<?xml version='1.0' encoding='utf-8'?>\n"
    yield f'<graphml xmlns="{GRAPHML}">\n'
    for (domain, name), kind in keys.items():
        key = _attribute(f"{domain}_{name}")
        yield f'<key id={key} for="{domain}" attr.name={_attribute(name)} attr.type="{kind}"/>\n'
    yield '<graph edgedefault="directed">\n'
    for domain, ends, data in elements:
        if domain == "node":
            opening = f"<node id={_attribute(ends[0])}>"
        else:
            source, target, key = map(_attribute, ends)
            opening = f"<edge source={source} target={target} id={key}>"
        yield from _element(opening, _data(data, columns[domain]), f"</{domain}>\n")
    yield "</graph>\n</graphml>\n"


def graphml_lines(graph: nx.MultiDiGraph) -> Iterator[str]:
    """The GraphML document of ``graph``, line by line."""
    return document_lines(_keys(graph), graph_elements(graph))


def to_graphml(graph: nx.MultiDiGraph) -> str:
    """GraphML text of ``graph``; list and dict attributes are JSON-encoded strings."""
    return "".join(graphml_lines(graph))


def write_graphml(graph: nx.MultiDiGraph, path: str | Path) -> Path:
    return write_lines(graphml_lines(graph), path)


def _keys_line(keys: Keys) -> str:
    return orjson.dumps([[domain, name, kind] for (domain, name), kind in keys.items()]).decode() + "\n"


def write_graphml_from_stream(stream: BinaryIO, path: str | Path) -> Path:
    """GraphML at ``path`` from what :func:`json_with_graphml_beside` sends its second process: a line
    of attribute types, then graph.json's text. The file appears whole or not at all (it is
    written beside and renamed), so a stream that stops early leaves nothing half-written."""
    lines = iter(stream)
    keys = {(domain, name): kind for domain, name, kind in orjson.loads(next(lines, b"[]"))}
    partial = _partial(path)
    try:
        write_lines(document_lines(keys, record_elements(node_link_records(lines))), partial)
        return partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _partial(path: str | Path) -> Path:
    path = Path(path)
    return path.with_name(path.name + ".partial")


# Writes to the writing process go in pieces a fraction of the pipe's capacity, so this process
# runs ahead while the other parses: a write as large as the pipe waits until the reader has
# drained all of it, and the two processes would take turns instead of running together.
PIPE_CHUNK = 1 << 16
PIPE_CAPACITY = 1 << 20


def _widen(pipe: IO[bytes]) -> None:
    """Give ``pipe`` PIPE_CAPACITY where the system allows it (Linux; elsewhere its default stays)."""
    with contextlib.suppress(ImportError, AttributeError, OSError):
        import fcntl

        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_CAPACITY)


def _sent(lines: Iterable[str], pipe: TextIO) -> Iterator[str]:
    """``lines``, each also written to ``pipe`` until its reader stops."""
    lines = iter(lines)
    for line in lines:
        try:
            pipe.write(line)
        except BrokenPipeError:
            yield line
            yield from lines
            return
        yield line


def write_graph_files(
    graph: nx.MultiDiGraph, json_path: str | Path, graphml_path: str | Path, processes: int = 1
) -> None:
    """graph.json and graph.graphml of ``graph``.

    With two or more ``processes``, a second process writes the GraphML while this one
    writes the JSON (each takes seconds per thousand reports). Where that process cannot
    start or fails, this one writes the GraphML after all, and so meets the same error, if
    any, itself.
    """
    if processes < 2:
        write_graph(graph, json_path)
    elif json_with_graphml_beside(graph, json_path, graphml_path):
        return
    write_graphml(graph, graphml_path)


def json_with_graphml_beside(graph: nx.MultiDiGraph, json_path: str | Path, graphml_path: str | Path) -> bool:
    """Write graph.json here while a second process writes graph.graphml from its text as
    it is made (parsing it costs a fraction of making it, and the process holds no copy of
    the graph); whether that process wrote the GraphML. The JSON is written either way."""
    command = [sys.executable, "-m", __name__, str(graphml_path)]
    try:
        writer = subprocess.Popen(
            command, stdin=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=PIPE_CHUNK
        )
    except OSError:  # an interpreter this user may not start again, say
        write_graph(graph, json_path)
        return False
    assert writer.stdin is not None  # Popen made it: stdin=PIPE
    _widen(writer.stdin)
    pipe = io.TextIOWrapper(writer.stdin, encoding="utf-8", write_through=True)
    try:
        pipe.write(_keys_line(_keys(graph)))
        write_lines(_sent(node_link_lines(graph), pipe), json_path)
        with contextlib.suppress(BrokenPipeError):
            pipe.close()
    except BaseException:
        writer.kill()  # it must not finish a GraphML of part of the graph
        writer.wait()
        with contextlib.suppress(OSError):
            pipe.close()
        _partial(graphml_path).unlink(missing_ok=True)
        raise
    return writer.wait() == 0


if __name__ == "__main__":  # the second process of json_with_graphml_beside
    write_graphml_from_stream(sys.stdin.buffer, sys.argv[1])
