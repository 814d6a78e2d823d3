"""The Neo4j Cypher linter harness (tests/support/cypher_lint) that the suite's Cypher checks rely on."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("query", "parameters", "valid"),
    [
        ("MATCH (b:Bureau)-[:RESPONSIBLE_FOR]->(i) WHERE b.name CONTAINS $bureau RETURN i.name", None, True),
        ("MATCH (a), (b) RETURN shortestPath((a)-[*..6]-(b)) AS path", None, True),
        ("MATCH (a) WHERE EXISTS { MATCH (a)-->() } RETURN a", None, True),
        ("MATCH (n RETURN n", None, False),
        ("MATCH (n) RETURN m", None, False),
        ("MATCH (n) RETURN n.name AS x, n.id AS x", None, False),
        ("MATCH (n) WHERE n.name = $name RETURN n", {"name": "x"}, True),
        ("MATCH (n) WHERE n.name = $name RETURN n", {}, False),
    ],
)
def test_cypher_lint_reports_neo4j_errors(cypher_lint, query, parameters, valid):
    errors = cypher_lint(query, parameters)
    assert (errors == []) is valid, errors


def test_cypher_lint_errors_say_where(cypher_lint):
    [error] = cypher_lint("MATCH (n:Bureau)\nRETURN m")
    assert error.startswith("2:8 ") and "m" in error
