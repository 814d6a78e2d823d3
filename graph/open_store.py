"""Which store a URI and the environment name, opened and closed.

No URI (and no ``NEO4J_URI``): the embedded FalkorDB of an output folder. ``bolt://``,
``neo4j://`` …: Neo4j through its driver. ``falkordb://``, ``unix://``: an external FalkorDB.
Every adapter is imported only when its store is chosen.

>>> "neo4j+s://" in NEO4J_SCHEMES, "unix://" in FALKORDB_SCHEMES
(True, True)
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from edukg.errors import StoreError
from edukg.graph.store import GraphStore

DEFAULT_GRAPH = "edukg"

NEO4J_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")
FALKORDB_SCHEMES = ("falkordb://", "falkor://", "falkors://", "unix://")


@contextmanager
def open_store(
    uri: str | None = None,
    out_dir: str | Path = "out",
    user: str | None = None,
    password: str | None = None,
    database: str | None = None,
) -> Iterator[GraphStore]:
    """The store to load into, closed on exit.

    With no ``uri`` (and no ``NEO4J_URI`` in the environment): the embedded FalkorDB
    under ``out_dir/db``, started if it is not running. ``bolt://``, ``neo4j://``,
    ``neo4j+s://``: Neo4j (user, password, database default to ``NEO4J_USER``,
    ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``). ``falkordb://HOST:PORT`` or
    ``unix:///path.sock``: an external FalkorDB (``database`` is the graph name;
    password from ``FALKORDB_PASSWORD``).
    """
    uri = uri or os.environ.get("NEO4J_URI") or None
    store: GraphStore
    if uri is None:
        from edukg.graph import embedded
        from edukg.graph.load_falkordb import FalkorStore

        server = embedded.start(out_dir)
        store = FalkorStore.connect(server.url, graph=database or DEFAULT_GRAPH, where=server.where)
    elif uri.startswith(NEO4J_SCHEMES):
        from edukg.graph.load_neo4j import Neo4jStore

        store = Neo4jStore.connect(
            uri,
            user=user or os.environ.get("NEO4J_USER") or "neo4j",
            password=password if password is not None else os.environ.get("NEO4J_PASSWORD", ""),
            database=database or os.environ.get("NEO4J_DATABASE") or None,
        )
    elif uri.startswith(FALKORDB_SCHEMES):
        from edukg.graph.load_falkordb import FalkorStore

        store = FalkorStore.connect(
            uri,
            graph=database or DEFAULT_GRAPH,
            user=user or os.environ.get("FALKORDB_USER") or None,
            password=password if password is not None else os.environ.get("FALKORDB_PASSWORD") or None,
        )
    else:
        raise StoreError(
            # Only the scheme: the rest of a URI may hold a password.
            f"unknown store URI scheme {urlsplit(uri).scheme!r} (expected SCHEME://HOST:PORT); use one of "
            f"{', '.join(NEO4J_SCHEMES + FALKORDB_SCHEMES)}"
        )
    try:
        yield store
    finally:
        store.close()
