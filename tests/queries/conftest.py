"""The sample reports' graph loaded once into the session's real FalkorDB, for the query tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

SAMPLE_GRAPH_NAME = "queries_sample"


@pytest.fixture(scope="session")
def sample_store(falkordb_server: Any, sample_graph: Any) -> Iterator[Any]:
    """A FalkorStore on graph ``queries_sample`` of the session server, holding the sample graph."""
    from edukg.graph.load_falkordb import FalkorStore
    from edukg.graph.load_store import load_graph

    store = FalkorStore.connect(falkordb_server.url, graph=SAMPLE_GRAPH_NAME)
    store.delete_graph()
    load_graph(sample_graph, store)
    try:
        yield store
    finally:
        store.delete_graph()
        store.close()
