"""Where the outputs of one build live: every file of a build sits in one folder.

``edukg build --out X`` writes ``X/graph.json``; every later command finds the rest
from that folder (given as ``--out X``, or as the folder of ``--graph X/graph.json``),
so two builds never write into each other's files.

>>> outputs = Outputs.find(graph="builds/a/graph.json")
>>> str(outputs.views), str(outputs.rdf(".ttl")), str(outputs.db)
('builds/a/views', 'builds/a/graph.ttl', 'builds/a/db')
>>> str(Outputs.find().graph), str(Outputs.find(out="b").graph)
('out/graph.json', 'b/graph.json')
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_FOLDER = "out"
GRAPH_FILE = "graph.json"


@dataclass(frozen=True, slots=True)
class Outputs:
    """One build's folder and its graph file (``folder/graph.json`` unless named)."""

    folder: Path
    graph: Path

    @classmethod
    def find(
        cls, out: str | os.PathLike[str] | None = None, graph: str | os.PathLike[str] | None = None
    ) -> Outputs:
        """The outputs of ``--out`` and ``--graph``: the folder is ``out``, else the graph's
        folder, else ``out/``; the graph is ``graph``, else ``graph.json`` in the folder."""
        if out is not None:
            folder = Path(out)
        elif graph is not None:
            folder = Path(graph).parent
        else:
            folder = Path(DEFAULT_FOLDER)
        return cls(folder, Path(graph) if graph is not None else folder / GRAPH_FILE)

    @property
    def graphml(self) -> Path:
        return self.folder / "graph.graphml"

    @property
    def extractions(self) -> Path:
        return self.folder / "extractions"

    @property
    def views(self) -> Path:
        return self.folder / "views"

    @property
    def neo4j_import(self) -> Path:
        return self.folder / "neo4j-import"

    @property
    def db(self) -> Path:
        """The embedded FalkorDB's data (``edukg.graph.embedded`` takes the folder and adds ``db``)."""
        return self.folder / "db"

    def rdf(self, suffix: str) -> Path:
        """The RDF export in the syntax of ``suffix`` (``.ttl``, ``.jsonld``, …)."""
        return self.folder / f"graph{suffix}"
