"""Run a catalogue query on a graph store; its parameters always travel as query parameters."""

from __future__ import annotations

from collections.abc import Mapping

from edukg.graph.load_store import GraphStore, Statement
from edukg.queries.catalogue import ParameterValue, Query
from edukg.queries.format_result import Result

from edukg.errors import StoreError


def dialect_of(store: GraphStore) -> str:
    """``falkordb`` for a FalkorDB store, ``neo4j`` for any other (the Neo4j adapter)."""
    from edukg.graph.load_falkordb import FalkorStore

    return "falkordb" if isinstance(store, FalkorStore) else "neo4j"


def run(query: Query, parameters: Mapping[str, ParameterValue], store: GraphStore) -> Result:
    """The rows ``query`` returns on ``store`` with ``parameters`` (see ``Query.bind``).

    The query's own dialect file is sent when the store's engine has one.
    """
    rows = store.read(Statement(query.cypher(dialect_of(store)), dict(parameters)))
    for row in rows[:1]:
        if tuple(row) != query.columns:
            raise StoreError(
                f"query {query.name!r} returned columns {', '.join(row)}; "
                f"its header declares {', '.join(query.columns)}"
            )
    return Result(query.columns, [tuple(row.values()) for row in rows])
