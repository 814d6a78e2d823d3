"""Every catalogue query on Neo4j 5 and on FalkorDB, over the same graph: the rows agree.

Each engine runs its own file (``<name>.neo4j.cypher`` on Neo4j where there is one).
Rows are compared by meaning: numbers as numbers (Neo4j's integer is FalkorDB's
integer or float), lists as multisets (``collect`` has no order), rows as a multiset,
and in the order of the query's ``ORDER BY`` columns.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

import pytest

from edukg.graph.load_falkordb import FalkorStore
from edukg.graph.load_neo4j import Neo4jStore
from edukg.graph.load_store import load_graph
from edukg.queries.catalogue import ALL_ROWS, LIMIT, ParameterValue, Query, catalogue
from edukg.queries.run_query import run


class Engines(NamedTuple):
    graph: str  # the fixture that made the graph both hold
    falkordb: FalkorStore
    neo4j: Neo4jStore


@pytest.fixture(scope="module", params=["sample_graph", "store_graph"])
def engines(request: pytest.FixtureRequest, neo4j_server: Any, falkordb_server: Any) -> Iterator[Engines]:
    """The same graph in FalkorDB and in Neo4j (the sample reports' graph, then the hostile one)."""
    graph = request.getfixturevalue(request.param)
    falkordb = FalkorStore.connect(falkordb_server.url, graph=f"engines_{request.param}")
    neo4j = Neo4jStore.connect(neo4j_server.uri, neo4j_server.user, neo4j_server.password, "neo4j")
    falkordb.delete_graph()
    clear_neo4j(neo4j)
    load_graph(graph, falkordb)
    load_graph(graph, neo4j)
    try:
        yield Engines(request.param, falkordb, neo4j)
    finally:
        falkordb.delete_graph()
        falkordb.close()
        clear_neo4j(neo4j)
        neo4j.close()


def clear_neo4j(store: Neo4jStore) -> None:
    from edukg.graph.store import Statement

    store.write(Statement("MATCH (n) DETACH DELETE n"))


def meaning(value: Any) -> Any:
    """``value`` as the engines agree on it.

    >>> meaning([2, 1.0, True]) == meaning([1, 2.0, True])
    True
    """
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return (type(value).__name__, value)
    if isinstance(value, int | float):
        return ("number", round(float(value), 9))
    if isinstance(value, list):
        return ("list", tuple(sorted((meaning(item) for item in value), key=repr)))
    raise TypeError(f"a query returned {type(value).__name__}: {value!r}")


def order_columns(query: Query, text: str) -> list[str]:
    """The result columns the query's last ``ORDER BY`` sorts on (all its items are columns)."""
    if "ORDER BY" not in text:
        return []
    clause = re.split(r"\b(?:SKIP|LIMIT)\b", text.rsplit("ORDER BY", 1)[1])[0]
    items = [re.sub(r"\s+(?:ASC|DESC)$", "", item.strip()) for item in clause.split(",")]
    assert set(items) <= set(query.columns), f"{query.name}: ORDER BY on a non-column: {items}"
    return items


def variants(query: Query) -> list[dict[str, ParameterValue]]:
    """The defaults, and every text parameter empty (the broadest question) where that differs;
    every row (a limit could cut between rows that tie in the order)."""
    defaults = {**query.defaults(), LIMIT: ALL_ROWS}
    broadest = {name: "" if isinstance(value, str) else value for name, value in defaults.items()}
    return [defaults] if broadest == defaults else [defaults, broadest]


CASES = [(query, parameters) for query in catalogue() for parameters in variants(query)]


def keys(
    query: Query, rows: list[dict[str, Any]], columns: list[str] | tuple[str, ...]
) -> list[tuple[Any, ...]]:
    return [tuple(meaning(row[column]) for column in columns) for row in rows]


@pytest.mark.parametrize(
    ("query", "parameters"), CASES, ids=[f"{query.name}-{i}" for i, (query, _) in enumerate(CASES)]
)
def test_neo4j_and_falkordb_agree(
    engines: Engines, query: Query, parameters: Mapping[str, ParameterValue]
) -> None:
    on_neo4j = run(query, parameters, engines.neo4j).records()
    on_falkordb = run(query, parameters, engines.falkordb).records()
    assert Counter(keys(query, on_neo4j, query.columns)) == Counter(keys(query, on_falkordb, query.columns))
    order = order_columns(query, query.cypher("neo4j"))
    assert order == order_columns(query, query.cypher("falkordb"))
    assert keys(query, on_neo4j, order) == keys(query, on_falkordb, order)


def test_the_comparison_has_rows_to_compare(engines: Engines) -> None:
    """On the sample reports' graph nearly every case answers, so the agreement above means something."""
    answered = [query.name for query, parameters in CASES if run(query, parameters, engines.neo4j).rows]
    if engines.graph == "sample_graph":
        assert len(answered) >= 0.8 * len(CASES)
    assert answered
