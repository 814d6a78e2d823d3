"""Run a catalogue query on a graph store; its parameters always travel as query parameters."""

from __future__ import annotations

from collections.abc import Mapping

from edukg.errors import StoreError
from edukg.graph.load_store import COUNT_NODES, GraphStore, Statement
from edukg.queries.catalogue import ParameterValue, Query
from edukg.queries.format_result import Result


def dialect_of(store: GraphStore) -> str:
    """``falkordb`` for a FalkorDB store, ``neo4j`` for any other (the Neo4j adapter)."""
    from edukg.graph.load_falkordb import FalkorStore

    return "falkordb" if isinstance(store, FalkorStore) else "neo4j"


def run(query: Query, parameters: Mapping[str, ParameterValue], store: GraphStore) -> Result:
    """The rows ``query`` returns on ``store`` with ``parameters`` (see ``Query.bind``).

    The query's own dialect file is sent when the store's engine has one. An empty
    store is an error that says how to fill it, not an empty answer.
    """
    rows = store.read(Statement(query.cypher(dialect_of(store)), dict(parameters)))
    if not rows and not any(row["count"] for row in store.read(COUNT_NODES)):
        raise StoreError(f"{store.description} holds no graph: run `edukg build` and `edukg load` first")
    for row in rows[:1]:
        if tuple(row) != query.columns:
            raise StoreError(
                f"query {query.name!r} returned columns {', '.join(row)}; "
                f"its header declares {', '.join(query.columns)}"
            )
    return Result(query.columns, [tuple(row.values()) for row in rows])
