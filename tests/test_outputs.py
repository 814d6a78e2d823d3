"""One build's folder: every command finds the files of a build the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

from edukg.outputs import Outputs


@pytest.mark.parametrize(
    ("out", "graph", "folder", "graph_file"),
    [
        (None, None, "out", "out/graph.json"),
        ("b", None, "b", "b/graph.json"),
        (None, "builds/a/graph.json", "builds/a", "builds/a/graph.json"),
        (None, "builds/a/edited.json", "builds/a", "builds/a/edited.json"),
        ("c", "builds/a/graph.json", "c", "builds/a/graph.json"),  # --out wins for what is written
        (None, "graph.json", ".", "graph.json"),
    ],
)
def test_outputs_find_the_folder(out: str | None, graph: str | None, folder: str, graph_file: str) -> None:
    outputs = Outputs.find(out, graph)
    assert outputs.folder == Path(folder) and outputs.graph == Path(graph_file)


def test_every_output_lives_in_the_folder() -> None:
    outputs = Outputs.find("x")
    paths = [outputs.graphml, outputs.extractions, outputs.views, outputs.neo4j_import, outputs.db]
    paths += [outputs.rdf(suffix) for suffix in (".ttl", ".jsonld", ".nt", ".rdf")]
    assert all(path.parent == Path("x") for path in paths)
    assert len(set(paths)) == len(paths)
