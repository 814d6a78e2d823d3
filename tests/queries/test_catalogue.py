"""The query files: complete headers, declared parameters, README, Neo4j validity, parsing."""

from __future__ import annotations

import doctest
import re
from importlib import resources

import pytest

from edukg.queries import catalogue as catalogue_module
from edukg.queries import format_result
from edukg.queries.catalogue import (
    QueryFileError,
    QueryParameterError,
    UnknownQueryError,
    catalogue,
    load,
    parse,
    to_catalogue,
    to_readme,
)

QUERIES = catalogue()
# Every (query, dialect) file: the common one (dialect None) and each dialect's own.
DIALECT_FILES = [(query, dialect) for query in QUERIES for dialect in query.dialects]
FILES = [(query, None) for query in QUERIES] + DIALECT_FILES
FILE_IDS = [query.name + (f".{dialect}" if dialect else "") for query, dialect in FILES]

# Issue 5's questions, each answered by a query of this name.
REQUIRED = [
    "bureau_responsibilities",
    "part_of_tree",
    "initiative_metrics",
    "shared_initiatives",
    "single_city_initiatives",
    "city_similarity",
    "planned_vs_reported",
    "bureau_policies",
    "programme_institutions",
    "most_connected",
    "shortest_path",
    "fact_evidence",
    "audit_unrelated_entities",
    "audit_masked_metrics",
    "audit_reports_without_responsibilities",
]
# Measured on FalkorDB 4.16: these parse in Neo4j 5 but not in FalkorDB.
FALKORDB_UNSUPPORTED = [
    r"EXISTS\s*\{",
    r"COUNT\s*\{",
    r"CALL\s*\(",
    "=~",
    r"elementId\s*\(",
    r"MATCH[^\n]*shortestPath",
]


def _body(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))


def test_catalogue_answers_every_question_of_the_issue():
    names = [query.name for query in QUERIES]
    assert set(REQUIRED) <= set(names)
    assert len(names) >= 15


@pytest.mark.parametrize("query", QUERIES, ids=[query.name for query in QUERIES])
def test_query_header_is_complete(query):
    assert query.title and query.question_en.endswith("?")
    assert re.search(r"[\u4e00-\u9fff]", query.question_zh) and "？" in query.question_zh
    assert query.columns and len(set(query.columns)) == len(query.columns)
    assert all(re.fullmatch(r"[a-z_]+", column) for column in query.columns)
    assert all(parameter.description for parameter in query.parameters)


@pytest.mark.parametrize(("query", "dialect"), FILES, ids=FILE_IDS)
def test_declared_parameters_are_exactly_those_used(query, dialect):
    used = set(re.findall(r"\$([A-Za-z_]\w*)", _body(query.cypher(dialect))))
    assert used == {parameter.name for parameter in query.parameters}


@pytest.mark.parametrize(("query", "dialect"), FILES, ids=FILE_IDS)
def test_query_is_valid_neo4j_5_cypher(cypher_lint, query, dialect):
    assert cypher_lint(query.cypher(dialect), query.defaults()) == []


@pytest.mark.parametrize(
    "query", [q for q in QUERIES if q.parameters], ids=[q.name for q in QUERIES if q.parameters]
)
def test_browser_params_are_a_cypher_map_of_the_defaults(cypher_lint, query):
    assert cypher_lint(f"RETURN {query.defaults_map()} AS params") == []
    assert all(f"{name}: " in query.defaults_map() for name in query.defaults())


@pytest.mark.parametrize("query", QUERIES, ids=[query.name for query in QUERIES])
def test_common_file_keeps_to_what_falkordb_supports(query):
    body = _body(query.text)
    assert [pattern for pattern in FALKORDB_UNSUPPORTED if re.search(pattern, body)] == []


@pytest.mark.parametrize("query", QUERIES, ids=[query.name for query in QUERIES])
def test_pattern_comprehensions_do_not_share_a_variable(query):
    # FalkorDB 4.16 answers [] for the second of two pattern comprehensions of one clause
    # that bind the same variable name.
    variables = re.findall(r"\[\(\w+\)[^|\n]*\((\w+)(?::\w+)?\)\s*\|", _body(query.text))
    assert len(variables) == len(set(variables))


def test_readme_is_generated_from_the_headers():
    readme = resources.files("edukg.queries").joinpath("README.md").read_text(encoding="utf-8")
    assert readme == to_readme(QUERIES), "regenerate with: .venv/bin/python -m edukg.queries.catalogue"


def test_readme_lists_every_query_and_parameter():
    readme = to_readme(QUERIES)
    unescaped = readme.replace("\\", "")
    for query in QUERIES:
        assert (
            f"## {query.name}\n" in readme
            and query.question_zh in unescaped
            and query.question_en in unescaped
        )
        assert all(f"`${parameter.name}`" in readme for parameter in query.parameters)


HEADER = """// title: T
// question_zh: 问？
// question_en: Q?
// param limit: 10  (how many)
// columns: a, b
MATCH (n) RETURN n.a AS a, n.b AS b LIMIT $limit
"""


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (HEADER.replace("// title: T\n", ""), "lacks title"),
        (HEADER.replace("// columns: a, b\n", ""), "lacks columns"),
        (HEADER.replace("// question_en: Q?", "// question: Q?"), "unknown header line"),
        (HEADER.replace("  (how many)", ""), "expected `// param"),
        (HEADER.replace("// title: T\n", "// title: T\n// title: U\n"), "given twice"),
    ],
)
def test_parse_rejects_an_incomplete_header(text, problem):
    with pytest.raises(QueryFileError, match=re.escape(problem)):
        parse("q", text)


@pytest.mark.parametrize(
    ("default", "given", "bound"),
    [
        ("10", "3", 3),
        ("0.5", "2", 2.0),
        ("true", "false", False),
        ("市教育局", "区教育局", "区教育局"),
        ('"10"', "7", "7"),
        ('""', "x y", "x y"),
    ],
)
def test_parameters_take_the_type_of_their_default(default, given, bound):
    query = parse("q", HEADER.replace("// param limit: 10 ", f"// param limit: {default} "))
    assert query.bind({}) == {"limit": query.parameters[0].default}
    result = query.bind({"limit": given})
    assert result == {"limit": bound} and type(result["limit"]) is type(bound)


@pytest.mark.parametrize(
    ("values", "problem"),
    [({"limit": "ten"}, "takes an integer"), ({"top": "3"}, "has no parameter top")],
)
def test_bind_rejects_a_wrong_parameter(values, problem):
    with pytest.raises(QueryParameterError, match=problem):
        parse("q", HEADER).bind(values)


def test_unknown_query_names_the_known_ones():
    with pytest.raises(UnknownQueryError, match="bureau_responsibilities"):
        load("no_such_query")


def test_dialect_file_shares_the_header_of_the_common_file():
    query = load("shortest_path")
    assert "shortestPath" in query.cypher("neo4j") and "shortestPath" not in _body(query.cypher("falkordb"))
    assert query.cypher("neo4j").split("MATCH")[0] == query.text.split("MATCH")[0]


@pytest.mark.parametrize(("query", "dialect"), DIALECT_FILES, ids=[f"{q.name}.{d}" for q, d in DIALECT_FILES])
def test_dialect_file_returns_the_same_columns(query, dialect):
    assert query.cypher(dialect).split("RETURN")[-1] == query.text.split("RETURN")[-1]


@pytest.mark.parametrize("module", [catalogue_module, format_result], ids=["catalogue", "format_result"])
def test_docstring_examples_run(module):
    result = doctest.testmod(module)
    assert result.attempted and not result.failed


@pytest.mark.parametrize(
    ("files", "problem"),
    [
        ({"a.memgraph.cypher": HEADER, "a.cypher": HEADER}, "unknown dialect 'memgraph'"),
        ({"a.neo4j.cypher": HEADER}, "a neo4j file without the common file a.cypher"),
        (
            {"a.cypher": HEADER, "a.neo4j.cypher": HEADER.replace("// title: T", "// title: U")},
            "header differs",
        ),
        ({"a.cypher": HEADER.split("MATCH")[0]}, "no query after the header"),
        ({"a.cypher": HEADER.replace(" LIMIT $limit", "")}, "does not stop at its row limit"),
        ({"a.cypher": HEADER.replace("param limit: 10", "param limit: 0")}, "declares no default row limit"),
        (
            {"a.cypher": HEADER.replace("param limit: 10", "param limit: ten")},
            "declares no default row limit",
        ),
    ],
)
def test_catalogue_rejects_inconsistent_files(files, problem):
    with pytest.raises(QueryFileError, match=re.escape(problem)):
        to_catalogue(files)


def test_catalogue_pairs_a_dialect_file_with_its_query():
    neo4j = HEADER.replace("LIMIT $limit", "LIMIT toInteger($limit)")
    [query] = to_catalogue({"a.cypher": HEADER, "a.neo4j.cypher": neo4j, "notes.txt": "x"})
    assert (query.cypher(), query.cypher("neo4j"), query.cypher("falkordb")) == (HEADER, neo4j, HEADER)
