"""The Cypher query catalogue: ``queries/<name>.cypher`` files, loaded by name.

Each file starts with a header of ``//`` lines, then the query::

    // title: Responsibilities of a bureau
    // question_zh: 某教育局负责哪些工程项目、专项活动和政策？
    // question_en: Which programmes, campaigns and policies is a given bureau responsible for?
    // param bureau: 市教育局  (the bureau's name, or part of it)
    // columns: bureau, jurisdiction, type, initiative, status, reports

A parameter's default is read as JSON when it parses (``10`` is a number, ``"10"``
a string), else it is the text as written; values given on the command line take the
type of the default. ``<name>.<dialect>.cypher`` (dialect ``neo4j``) replaces the
query on that engine, with the same header; every other engine runs ``<name>.cypher``.

Every query declares a default row limit, the integer parameter ``limit`` (the Cypher ends
with ``LIMIT $limit``; a SPARQL query's rows are cut there), so no question prints a
whole store by default; ``edukg query run --all`` asks for every row.

``queries/sparql/<name>.rq`` files hold SPARQL for the RDF export with the same
header, ``#`` for ``//`` (``sparql_catalogue``, ``load_sparql``); a question may be in
both languages under one name.

Regenerate ``queries/README.md`` after editing a header with
``python -m edukg.queries.catalogue``.

>>> query = load("bureau_responsibilities")
>>> query.bind({"bureau": "区教育局"})
{'bureau': '区教育局', 'limit': 100}
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from itertools import takewhile
from typing import TYPE_CHECKING

from edukg.errors import EdukgError

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query as PreparedQuery

SUFFIX = ".cypher"
SPARQL_FOLDER = "sparql"
SPARQL_SUFFIX = ".rq"
ENGINES = ("cypher", "sparql")  # the graph stores answer Cypher, the RDF export SPARQL
DIALECTS = ("neo4j",)
HEADER_KEYS = ("title", "question_zh", "question_en", "columns")

ParameterValue = str | int | float | bool

INT_RANGE = (-(2**31), 2**31 - 1)
LIMIT = "limit"  # the parameter every query declares: the most rows it returns
ALL_ROWS = INT_RANGE[1]  # the limit that returns every row (within FalkorDB's 32-bit LIMIT)
_KINDS = {
    bool: "true or false",
    int: f"an integer from {INT_RANGE[0]} to {INT_RANGE[1]}",
    float: "a finite number",
}
_LIMITED = re.compile(rf"\bLIMIT\b[^\n]*\${LIMIT}\b")
_PARAM = re.compile(r"param (?P<name>[A-Za-z_]\w*):\s*(?P<default>.*?)\s{2,}\((?P<description>.+)\)")


class UnknownQueryError(EdukgError):
    """A query name that the catalogue does not hold."""

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(f"no query named {name!r}; run `edukg query list` to see them: {', '.join(known)}")


class QueryFileError(EdukgError):
    """A query file whose header is incomplete or malformed."""

    def __init__(self, name: str, reason: str, path: str = "") -> None:
        self.reason = reason
        super().__init__(f"{path or f'queries/{name}{SUFFIX}'}: {reason}")


class QueryParameterError(EdukgError):
    """A parameter value that the query does not declare or cannot take."""


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    default: ParameterValue
    description: str

    def convert(self, value: str) -> ParameterValue:
        """``value`` (as typed on a command line) as the type of the default, in the range both
        stores take: FalkorDB keeps integers such as LIMIT's in 32 bits (2**32 would wrap to 0).

        >>> Parameter("limit", 10, "").convert("5")
        5
        """
        try:
            if isinstance(self.default, bool):
                return {"true": True, "false": False}[value.strip().lower()]
            if isinstance(self.default, int):
                number = int(value)
                if not INT_RANGE[0] <= number <= INT_RANGE[1]:
                    raise ValueError(value)
                return number
            if isinstance(self.default, float):
                real = float(value)
                if not math.isfinite(real):
                    raise ValueError(value)
                return real
        except (KeyError, ValueError):
            kind = _KINDS[type(self.default)]
            raise QueryParameterError(f"parameter {self.name!r} takes {kind}, not {value!r}") from None
        return value


@dataclass(frozen=True, slots=True)
class Query:
    """One catalogue entry: its header and its Cypher, per dialect."""

    name: str
    title: str
    question_zh: str
    question_en: str
    parameters: tuple[Parameter, ...]
    columns: tuple[str, ...]
    text: str
    dialects: Mapping[str, str]

    def cypher(self, dialect: str | None = None) -> str:
        """The file to send: the dialect's own file if there is one, else the common one."""
        return self.dialects.get(dialect or "", self.text)

    def defaults(self) -> dict[str, ParameterValue]:
        return {parameter.name: parameter.default for parameter in self.parameters}

    def defaults_map(self) -> str:
        """The defaults as a Cypher map literal, for Neo4j Browser's ``:params``."""
        entries = (f"{p.name}: {json.dumps(p.default, ensure_ascii=False)}" for p in self.parameters)
        return "{" + ", ".join(entries) + "}"

    @property
    def limit(self) -> int:
        """The default row limit the header declares (``parse`` checks there is one)."""
        return int(self.defaults()[LIMIT])

    def bind(self, values: Mapping[str, str]) -> dict[str, ParameterValue]:
        """The defaults, overridden by ``values`` converted to each default's type."""
        declared = {parameter.name: parameter for parameter in self.parameters}
        unknown = sorted(set(values) - set(declared))
        if unknown:
            valid = ", ".join(declared) or "none"
            raise QueryParameterError(
                f"query {self.name!r} has no parameter {', '.join(unknown)}; its parameters: {valid}"
            )
        bound = self.defaults()
        for key, value in values.items():
            bound[key] = declared[key].convert(value)
        return bound


def parse(name: str, text: str) -> Query:
    """A Query from the text of ``queries/<name>.cypher``."""
    fields: dict[str, str] = {}
    parameters: list[Parameter] = []
    header = _header(text)
    for line in header:
        entry = line[2:].strip()
        if entry.startswith("param "):
            match = _PARAM.fullmatch(entry)
            if match is None:
                raise QueryFileError(name, f"expected `// param NAME: DEFAULT  (DESCRIPTION)`, got {line!r}")
            parameters.append(
                Parameter(match["name"], _default(match["default"]), match["description"].strip())
            )
            continue
        key, colon, value = entry.partition(":")
        if not colon or key not in HEADER_KEYS:
            raise QueryFileError(name, f"unknown header line {line!r}; keys: param, {', '.join(HEADER_KEYS)}")
        if key in fields:
            raise QueryFileError(name, f"header key {key!r} given twice")
        fields[key] = value.strip()
    missing = [key for key in HEADER_KEYS if not fields.get(key)]
    if missing:
        raise QueryFileError(name, f"header lacks {', '.join(missing)}")
    if not "".join(text.splitlines()[len(header) :]).strip():
        raise QueryFileError(name, "no query after the header")
    return Query(
        name=name,
        title=fields["title"],
        question_zh=fields["question_zh"],
        question_en=fields["question_en"],
        parameters=tuple(parameters),
        columns=tuple(column.strip() for column in fields["columns"].split(",")),
        text=text,
        dialects={},
    )


def _default(written: str) -> ParameterValue:
    try:
        value = json.loads(written)
    except json.JSONDecodeError:
        return written
    if not isinstance(value, str | int | float | bool):
        return written
    return value


def to_catalogue(files: Mapping[str, str]) -> tuple[Query, ...]:
    """The queries of ``files`` (file name -> text), sorted by name, each with its dialect files."""
    texts = {
        file_name.removesuffix(SUFFIX): text
        for file_name, text in files.items()
        if file_name.endswith(SUFFIX)
    }
    queries = []
    for name in sorted(texts):
        base, dot, dialect = name.partition(".")
        if dot and dialect not in DIALECTS:
            raise QueryFileError(name, f"unknown dialect {dialect!r}; known: {', '.join(DIALECTS)}")
        if dot and base not in texts:
            raise QueryFileError(name, f"a {dialect} file without the common file {base}{SUFFIX}")
        if not dot:
            dialects = {d: texts[f"{name}.{d}"] for d in DIALECTS if f"{name}.{d}" in texts}
            query = _with_dialects(parse(name, texts[name]), dialects)
            for text in (query.text, *dialects.values()):
                if not _LIMITED.search(text):
                    raise QueryFileError(name, f"does not stop at its row limit: end it with LIMIT ${LIMIT}")
            queries.append(_limited(query))
    return tuple(queries)


def _limited(query: Query, path: str = "") -> Query:
    """``query``, which must declare its default row limit: an integer parameter ``limit``."""
    limit = query.defaults().get(LIMIT)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= ALL_ROWS:
        reason = f"declares no default row limit: add the parameter {LIMIT} (an integer from 1)"
        raise QueryFileError(query.name, reason, path)
    return query


@cache
def catalogue() -> tuple[Query, ...]:
    """Every query of the package's ``queries/`` folder, sorted by name."""
    folder = resources.files(__package__)
    return to_catalogue(
        {
            entry.name: entry.read_text(encoding="utf-8")
            for entry in folder.iterdir()
            if entry.name.endswith(SUFFIX)
        }
    )


def _with_dialects(query: Query, dialects: dict[str, str]) -> Query:
    for dialect, text in dialects.items():
        if _header(text) != _header(query.text):
            raise QueryFileError(f"{query.name}.{dialect}", "its header differs from the common file's")
    return replace(query, dialects=dialects)


def _header(text: str) -> list[str]:
    return list(takewhile(lambda line: line.startswith("//"), text.splitlines()))


def names() -> list[str]:
    return [query.name for query in catalogue()]


def load(name: str) -> Query:
    """The query called ``name``, or UnknownQueryError listing the known ones."""
    for query in catalogue():
        if query.name == name:
            return query
    raise UnknownQueryError(name, names())


@dataclass(frozen=True, slots=True)
class SparqlQuery:
    """A SPARQL catalogue entry: its header and text as a ``Query``, and its parsed SPARQL."""

    query: Query
    prepared: PreparedQuery


def parse_sparql(name: str, text: str) -> SparqlQuery:
    """``queries/sparql/<name>.rq``: the Cypher catalogue's header with ``#`` for ``//``, then SPARQL.

    The ``columns`` name the SELECT's variables in order, so a column may share its
    name with a parameter (``bureau``) while the variables differ.
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    path = f"queries/{SPARQL_FOLDER}/{name}{SPARQL_SUFFIX}"
    lines = text.splitlines()
    header = list(takewhile(lambda line: line.startswith("#"), lines))
    as_cypher = ["//" + line[1:] for line in header] + lines[len(header) :]
    try:
        query = replace(parse(name, "\n".join(as_cypher)), text=text)
        prepared = prepareQuery(text)
    except QueryFileError as error:
        raise QueryFileError(name, error.reason, path) from None
    except ParseException as error:
        raise QueryFileError(name, str(error), path) from None
    selected = len(prepared.algebra.get("PV") or ())
    if selected != len(query.columns):
        reason = f"SELECT gives {selected} variables but the header names {len(query.columns)} columns"
        raise QueryFileError(name, reason, path)
    return SparqlQuery(query, prepared)


@cache
def sparql_catalogue() -> tuple[SparqlQuery, ...]:
    """Every SPARQL query of ``queries/sparql/``, sorted by name."""
    folder = resources.files(__package__).joinpath(SPARQL_FOLDER)
    files = sorted(
        (entry for entry in folder.iterdir() if entry.name.endswith(SPARQL_SUFFIX)), key=lambda e: e.name
    )
    entries = [
        parse_sparql(entry.name.removesuffix(SPARQL_SUFFIX), entry.read_text(encoding="utf-8"))
        for entry in files
    ]
    for entry in entries:
        _limited(entry.query, f"queries/{SPARQL_FOLDER}/{entry.query.name}{SPARQL_SUFFIX}")
    return tuple(entries)


def load_sparql(name: str) -> SparqlQuery:
    """The SPARQL query called ``name``, or UnknownQueryError listing the known ones."""
    for entry in sparql_catalogue():
        if entry.query.name == name:
            return entry
    raise UnknownQueryError(name, [entry.query.name for entry in sparql_catalogue()])


def by_name() -> dict[str, dict[str, Query]]:
    """Query name -> engine (``cypher``, ``sparql``) -> its entry, sorted by name: one question
    may be asked in both languages.

    >>> sorted(by_name()["shared_initiatives"])
    ['cypher', 'sparql']
    """
    entries: dict[str, dict[str, Query]] = {}
    for query in catalogue():
        entries.setdefault(query.name, {})["cypher"] = query
    for sparql in sparql_catalogue():
        entries.setdefault(sparql.query.name, {})["sparql"] = sparql.query
    return dict(sorted(entries.items()))


def engine_of(name: str, engine: str | None = None) -> str:
    """The engine to run query ``name`` on: ``engine`` if the query has that form, else
    Cypher when it has it, else SPARQL.

    >>> engine_of("shared_initiatives"), engine_of("shared_initiatives", "sparql")
    ('cypher', 'sparql')
    """
    engines = by_name().get(name)
    if engines is None:
        raise UnknownQueryError(name, list(by_name()))
    chosen = engine or next(known for known in ENGINES if known in engines)
    if chosen not in engines:
        raise QueryParameterError(f"query {name!r} has no {chosen} form; it has: {', '.join(engines)}")
    return chosen


def to_readme(queries: tuple[Query, ...]) -> str:
    """The catalogue as Markdown: an index table, then each query's questions, parameters, columns."""
    lines = [
        "# The Cypher query catalogue",
        "",
        "<!-- Generated from the query headers by `python -m edukg.queries.catalogue`; do not edit. -->",
        "",
        "The questions an education-policy analyst asks of the reports' graph. Each query runs on",
        "the embedded FalkorDB store and is valid Neo4j 5 Cypher, so it can be pasted into Neo4j",
        "Browser (with `:param` for its parameters) or run by name:",
        "",
        "```sh",
        "edukg query list",
        "edukg query show bureau_responsibilities",
        "edukg query run bureau_responsibilities --param bureau=区教育局 --format csv",
        "```",
        "",
        "Portability: the common `<name>.cypher` files keep to the Cypher that FalkorDB 4.16 and",
        "Neo4j 5 both run (no `EXISTS {}`, `COUNT {}`, `CALL (x) {}`, `=~`, `elementId()`, nor",
        "`shortestPath` inside `MATCH`; two pattern comprehensions of one clause never bind the same",
        "variable, which FalkorDB answers wrongly). Where the engines differ a `<name>.neo4j.cypher` file holds",
        "Neo4j's form, and `edukg query run` sends the store's own file. The tests run every query",
        "on a real Neo4j 5 (its `.neo4j.cypher` file where there is one) and on a real FalkorDB, both",
        "holding the same graph, and the two engines' rows agree (tests/queries/test_engines.py); every",
        "file also passes Neo4j's own Cypher parser.",
        "",
        "What the queries read: the labels, relationship types and properties of ARCHITECTURE.md.",
        "In the stores, lists of records are parallel list properties (`mentions_report`,",
        "`mentions_sentence` on entities; `evidence_report`, `evidence_sentence`, `evidence_text`,",
        "`evidence_status` on relationships) and every node and relationship has `reports`, the",
        "ids of the reports that support it. A masked jurisdiction is scoped to its report, so a",
        "query names such a city with its report's file: `**市 (<report file>)`.",
        "",
        "| query | question | 问题 |",
        "|---|---|---|",
    ]
    lines += [f"| [`{q.name}`](#{q.name}) | {_md(q.question_en)} | {_md(q.question_zh)} |" for q in queries]
    for query in queries:
        lines += ["", f"## {query.name}", "", f"**{_md(query.title)}**", "", f"- {_md(query.question_zh)}"]
        lines += [f"- {_md(query.question_en)}", ""]
        files = [f"[`{query.name}{SUFFIX}`]({query.name}{SUFFIX})"]
        files += [
            f"[`{query.name}.{dialect}{SUFFIX}`]({query.name}.{dialect}{SUFFIX}) on {dialect}"
            for dialect in query.dialects
        ]
        lines.append(f"File: {', '.join(files)}.")
        lines.append("")
        if query.parameters:
            lines += ["| parameter | default | meaning |", "|---|---|---|"]
            lines += [
                f"| `${p.name}` | `{json.dumps(p.default, ensure_ascii=False)}` | {_md(p.description)} |"
                for p in query.parameters
            ]
            browser = ", ".join(
                f"{p.name}: {json.dumps(p.default, ensure_ascii=False)}" for p in query.parameters
            )
            lines += ["", f"In Neo4j Browser: `:params {{{browser}}}`"]
        else:
            lines.append("No parameters.")
        lines += ["", f"Columns: {', '.join(f'`{column}`' for column in query.columns)}."]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """``text`` as literal Markdown: masks (``**``) and table bars are not markup."""
    return re.sub(r"([\\*_|`\[\]<>])", r"\\\1", text)


def write_readme() -> None:
    """Rewrite ``queries/README.md`` from the headers."""
    readme = resources.files(__package__).joinpath("README.md")
    with resources.as_file(readme) as path:
        path.write_text(to_readme(catalogue()), encoding="utf-8")


if __name__ == "__main__":
    write_readme()
