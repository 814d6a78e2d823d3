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

import fcntl
import os
import shutil
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DEFAULT_FOLDER = "out"
GRAPH_FILE = "graph.json"
BUILD_LOCK = ".build.lock"
STAGING = ".build-partial"
_HELD_BACK = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


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

    @contextmanager
    def staged(self, notify: Callable[[str], object] | None = None) -> Iterator[Outputs]:
        """Where a build writes, holding the folder's build lock (a second build waits for the
        first, and ``notify`` is told so): a staging folder inside it, whose graph files and
        extractions are put in place only once all are whole, with SIGINT, SIGTERM and SIGHUP
        held back meanwhile, so the folder holds one whole build, never a mix of two. A block
        that raises leaves the folder as it was.
        """
        with writing_into(self.folder, notify):
            staging = Outputs(self.folder / STAGING, self.folder / STAGING / GRAPH_FILE)
            shutil.rmtree(staging.folder, ignore_errors=True)  # what an interrupted build left
            staging.folder.mkdir()
            try:
                yield staging
                self._publish(staging)
            finally:
                shutil.rmtree(staging.folder, ignore_errors=True)

    def _publish(self, staging: Outputs) -> None:
        """Rename the staged outputs into place (the old extractions go into the staging folder)."""
        moves = [(staging.graph, self.graph), (staging.graphml, self.graphml)]
        # A folder of the build (a cluster build's neo4j-import/) replaces the old one whole.
        for staged, final in (
            (staging.extractions, self.extractions),
            (staging.neo4j_import, self.neo4j_import),
        ):
            if staged.is_dir() and final.is_dir():
                moves.append((final, staging.folder / f"{final.name}.old"))
            moves.append((staged, final))
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_BACK)
        try:
            for staged, final in moves:
                try:
                    if staged.exists():
                        staged.replace(final)
                except OSError as error:  # named by the place it should go, not the staging folder
                    raise OSError(error.errno, error.strerror, str(final)) from None
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)

    @classmethod
    def owning(cls, extractions: str | os.PathLike[str]) -> Path:
        """The folder whose lock guards ``extractions`` (a folder of extraction files): the build
        folder it belongs to when it is one's ``extractions/``, else the folder itself.

        >>> str(Outputs.owning("out/extractions")), str(Outputs.owning("out/one"))
        ('out', 'out/one')
        """
        folder = Path(extractions)
        return folder.parent if cls.find(folder.parent).extractions == folder else folder

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


@contextmanager
def writing_into(folder: Path, notify: Callable[[str], object] | None = None) -> Iterator[None]:
    """Hold ``folder``'s build lock (made if missing) while the block writes into it: a second
    ``edukg build`` or ``edukg extract`` into the same folder waits, and ``notify`` is told so."""
    folder.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(folder / BUILD_LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if notify:
                notify(f"waiting for another build or extraction into {folder} to finish")
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)
