"""Run a catalogue query: Cypher on a graph store, SPARQL on the RDF export. Its parameters
always travel as query parameters, never in the query's text."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import islice
from typing import TYPE_CHECKING, Any

from edukg.errors import StoreError
from edukg.graph.store import COUNT_NODES, GraphStore, Statement
from edukg.queries.catalogue import LIMIT, ParameterValue, Query, load_sparql
from edukg.queries.format_result import Result

if TYPE_CHECKING:
    import rdflib


def run(query: Query, parameters: Mapping[str, ParameterValue], store: GraphStore) -> Result:
    """The rows ``query`` returns on ``store`` with ``parameters`` (see ``Query.bind``); a
    parameter not given keeps its default, the row limit included.

    The query's own dialect file is sent when the store's engine has one. An empty
    store is an error that says how to fill it, not an empty answer.
    """
    rows = store.read(Statement(query.cypher(store.dialect), {**query.defaults(), **parameters}))
    if not rows and not any(row["count"] for row in store.read(COUNT_NODES)):
        raise StoreError(f"{store.description} holds no graph: run `edukg build` and `edukg load` first")
    for row in rows[:1]:
        if tuple(row) != query.columns:
            raise StoreError(
                f"query {query.name!r} returned columns {', '.join(row)}; "
                f"its header declares {', '.join(query.columns)}"
            )
    return Result(query.columns, [tuple(row.values()) for row in rows])


def run_sparql(rdf: rdflib.Graph, name: str, values: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """Rows of the SPARQL query ``name`` on ``rdf``, one dict per row keyed by the header's columns.

    Parameters are bound with ``initBindings`` (values never enter the query text);
    ``values`` override the header's defaults and take their types.
    """
    from rdflib import Literal
    from rdflib.query import ResultRow

    entry = load_sparql(name)
    bound = entry.query.bind(values or {})
    limit = int(bound.pop(LIMIT))  # SPARQL's LIMIT takes no variable: the rows are cut here
    bindings = {key: Literal(value) for key, value in bound.items()}
    result = rdf.query(entry.prepared, initBindings=bindings)
    rows = (row for row in result if isinstance(row, ResultRow))  # the catalogue holds SELECTs only
    return [
        {column: _python(cell) for column, cell in zip(entry.query.columns, row, strict=True)}
        for row in islice(rows, limit)
    ]


def sparql_result(rdf: rdflib.Graph, name: str, values: Mapping[str, str] | None = None) -> Result:
    """``run_sparql`` as a ``Result``, to print like a Cypher query's rows."""
    rows = run_sparql(rdf, name, values)
    return Result(load_sparql(name).query.columns, [tuple(row.values()) for row in rows])


def _python(cell: Any) -> Any:
    from rdflib import Literal

    if isinstance(cell, Literal):
        return cell.toPython()
    return None if cell is None else str(cell)
