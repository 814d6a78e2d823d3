"""Hostile text from a real report file, through the real pipeline, into every sink.

A report crafted with quotes, backslashes, braces, backticks, ``<script>``, zero-width
and bidi characters in its names (and a newline in its file name) is ingested,
extracted and built; then each sink is shown to carry that text only as data:
Cypher statements (loader and query runner, real FalkorDB) hold none of it in their
text, SPARQL takes it by ``initBindings``, the HTML views show it without running it
(real Chromium), and no RDF IRI contains it. The sinks' own tests use hand-made
graphs: tests/graph/test_render_html.py (hostile labels in Chromium),
test_export_rdf.py (hostile literals in every format), test_load_falkordb.py (any
text round-trips).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import rdflib

from edukg.graph import render_html
from edukg.graph.build import build_from_paths
from edukg.graph.export_rdf import DEFAULT_BASE, to_rdf
from edukg.graph.load_falkordb import FalkorStore
from edukg.graph.load_store import load_graph
from edukg.graph.store import Statement
from edukg.queries.catalogue import load, load_sparql
from edukg.queries.run_query import run as run_query
from edukg.queries.run_query import run_sparql

SCRIPT = "<script>window.__pwned=1</script>"
IMG = "<img src=x onerror=window.__pwned=1>"
ZERO_WIDTH = "\u200b"
BIDI = "\u202e"
FILE_NAME = 'hostile\n"report" `x` {y} \\z <b>.txt'
REPORT = f"""X市教育局“{SCRIPT}”'引号'"双引号"工作总结
一、主要工作
市教育局实施“{SCRIPT}铸魂工程”，印发《关于"引号'与\\反斜杠{{花括号}}`反引号`的实施方案》。
市教育局开展“零宽{ZERO_WIDTH}字符与{BIDI}双向文本\u202c专项行动”，推进“</script>{IMG}工程”。
市教育局负责“'}}) DETACH DELETE n // $rows ${{x}} {{{{y}}}}计划”。
"""
# What each hostile feature looks like in the text, so that a test can find the names that carry it.
FEATURES = {
    "script tag": "<script>",
    "end of script": "</script>",
    "backslash": "\\",
    "brace": "{",
    "backtick": "`",
    "zero width": ZERO_WIDTH,
    "bidi override": BIDI,
    "Cypher": "DETACH DELETE",
}


@pytest.fixture(scope="module")
def hostile_graph(tmp_path_factory: pytest.TempPathFactory) -> nx.MultiDiGraph:
    """The graph ``build_from_paths`` makes of the crafted report file."""
    path = tmp_path_factory.mktemp("hostile") / FILE_NAME
    path.write_text(REPORT, encoding="utf-8")
    result = build_from_paths([path])
    assert result.failures == ()
    return result.graph


def names(graph: nx.MultiDiGraph) -> dict[str, str]:
    """Entity id -> name, for every entity whose name carries a hostile feature."""
    return {
        node: data["name"]
        for node, data in graph.nodes(data=True)
        if "scope" in data and any(feature in data["name"] for feature in FEATURES.values())
    }


def payloads(graph: nx.MultiDiGraph) -> set[str]:
    """Every piece of report text with a hostile feature: names, title, file name, evidence."""
    found = set(names(graph).values())
    for _, data in graph.nodes(data=True):
        found.update(str(data[key]) for key in ("title", "source") if key in data)
    for _, _, data in graph.edges(data=True):
        found.update(row["text"] for row in data.get("evidence", ()))
    return {text for text in found if any(feature in text for feature in FEATURES.values())}


def named(graph: nx.MultiDiGraph, feature: str) -> tuple[str, str]:
    """The (id, name) of a node whose name carries ``feature``."""
    return next((node, name) for node, name in names(graph).items() if FEATURES[feature] in name)


@pytest.mark.parametrize("feature", list(FEATURES))
def test_the_pipeline_keeps_each_hostile_feature_in_a_name(
    hostile_graph: nx.MultiDiGraph, feature: str
) -> None:
    """The crafted text reaches the sinks: else the tests below would prove nothing."""
    assert named(hostile_graph, feature)


def test_the_pipeline_keeps_quotes_and_newlines_in_title_file_name_and_evidence(
    hostile_graph: nx.MultiDiGraph,
) -> None:
    report = next(data for _, data in hostile_graph.nodes(data=True) if data["label"] == "Report")
    assert report["source"] == FILE_NAME
    assert "'引号'\"双引号\"" in report["title"] and SCRIPT in report["title"]
    assert any("\"引号'" in text for text in payloads(hostile_graph))


# ---------------------------------------------------------------- Cypher


class Recording:
    """A real store that keeps a copy of every statement sent to it."""

    def __init__(self, store: FalkorStore) -> None:
        self.store = store
        self.description = store.description
        self.dialect = store.dialect
        self.serial_writes = store.serial_writes
        self.sent: list[Statement] = []

    def ensure_schema(self, labels: Any) -> None:
        self.store.ensure_schema(labels)

    def write(self, statement: Statement) -> None:
        self.sent.append(statement)
        self.store.write(statement)

    def read(self, statement: Statement) -> list[dict[str, Any]]:
        self.sent.append(statement)
        return self.store.read(statement)

    def close(self) -> None:
        self.store.close()


@pytest.fixture()
def recording(falkordb_store: FalkorStore) -> Iterator[Recording]:
    yield Recording(falkordb_store)


def test_cypher_statements_carry_report_text_only_as_parameters(
    hostile_graph: nx.MultiDiGraph, recording: Recording
) -> None:
    load_graph(hostile_graph, recording, batch_size=3)
    node, name = named(hostile_graph, "script tag")
    answer = run_query(load("find_entity"), load("find_entity").bind({"name": name}), recording)
    assert [row[answer.columns.index("id")] for row in answer.rows] == [node]
    _, bidi_name = named(hostile_graph, "bidi override")
    assert [row[1] for row in run_query(load("find_entity"), {"name": bidi_name}, recording).rows] == [
        bidi_name
    ]

    assert len(recording.sent) > 10
    for statement in recording.sent:
        for text in payloads(hostile_graph):
            assert text not in statement.text
        assert not re.search(r"[\u4e00-\u9fff]", statement.text.split("\n// columns")[-1])
    stored = {
        row["id"]: row
        for row in recording.store.read(
            Statement("MATCH (n) RETURN n.id AS id, n.name AS name, n.source AS source, n.title AS title")
        )
    }
    for node_id, text in names(hostile_graph).items():
        assert stored[node_id]["name"] == text
    report = next(node for node, label in hostile_graph.nodes(data="label") if label == "Report")
    assert stored[report]["source"] == FILE_NAME
    assert stored[report]["title"] == hostile_graph.nodes[report]["title"]


# ---------------------------------------------------------------- SPARQL


@pytest.mark.parametrize("feature", list(FEATURES))
def test_sparql_binds_hostile_values_and_finds_their_facts(
    hostile_graph: nx.MultiDiGraph, feature: str
) -> None:
    rdf = to_rdf(hostile_graph)
    node, name = named(hostile_graph, feature)
    query_text = load_sparql("fact_evidence").query.text
    rows = run_sparql(rdf, "fact_evidence", {"source": "", "target": name, "relation": "RESPONSIBLE_FOR"})
    expected = sorted(
        (hostile_graph.nodes[source]["name"], name, FILE_NAME, row["start"], row["text"])
        for source, _, kind, data in hostile_graph.in_edges(node, keys=True, data=True)
        if kind == "RESPONSIBLE_FOR"
        for row in data["evidence"]
    )
    assert expected
    assert (
        sorted((row["source"], row["target"], row["report"], row["start"], row["text"]) for row in rows)
        == expected
    )
    assert load_sparql("fact_evidence").query.text == query_text


# ---------------------------------------------------------------- IRIs

VOCABULARIES = (
    "http://www.w3.org/",
    "https://w3id.org/edukg/ontology#",
    "https://w3id.org/edukg/concept/",
)
MINTED = re.compile(re.escape(DEFAULT_BASE) + r"[a-z]+/[0-9a-f]{16}(?:/position)?")


def test_rdf_iris_are_ids_never_report_text(hostile_graph: nx.MultiDiGraph) -> None:
    rdf = to_rdf(hostile_graph)
    iris = {term for triple in rdf for term in triple if isinstance(term, rdflib.URIRef)}
    minted = {iri for iri in iris if not str(iri).startswith(VOCABULARIES)}
    assert len(minted) > 10
    assert [iri for iri in minted if not MINTED.fullmatch(iri)] == []
    assert [iri for iri in iris if not str(iri).isascii()] == []
    literals = {str(term) for triple in rdf for term in triple if isinstance(term, rdflib.Literal)}
    assert payloads(hostile_graph) <= literals
    back = rdflib.Graph().parse(data=rdf.serialize(format="nt"), format="nt")
    assert {str(term) for triple in back for term in triple if isinstance(term, rdflib.Literal)} >= payloads(
        hostile_graph
    )


# ---------------------------------------------------------------- HTML, in Chromium


@pytest.fixture(scope="module")
def hostile_pages(hostile_graph: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hostile-views")
    render_html.write_views(hostile_graph, out)
    return out


@pytest.fixture()
def page(chromium: Any) -> Iterator[tuple[Any, list[str]]]:
    opened = chromium.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    yield opened, errors
    opened.close()


@pytest.mark.slow
@pytest.mark.parametrize("view", ["graph", "cities", "report", "index"])
def test_views_show_hostile_text_literally_and_run_none_of_it(
    hostile_graph: nx.MultiDiGraph, hostile_pages: Path, page: tuple[Any, list[str]], view: str
) -> None:
    opened, errors = page
    report = next(node for node, label in hostile_graph.nodes(data="label") if label == "Report")
    stem = render_html.report_stem(report) if view == "report" else view
    opened.goto((hostile_pages / f"{stem}.html").as_uri())
    if view != "index":
        opened.wait_for_function("window.edukgView !== undefined && window.edukgView.ready", timeout=20_000)
    assert opened.evaluate("window.__pwned") is None
    assert errors == []
    assert opened.evaluate("document.querySelectorAll('img, iframe, [onerror]').length") == 0
    if view == "index":
        links = opened.evaluate("[...document.querySelectorAll('#reports a')].map(a => a.textContent)")
        assert any(hostile_graph.nodes[report]["title"] in link for link in links)
        return
    if view == "report":
        assert hostile_graph.nodes[report]["title"] in opened.evaluate(
            "document.getElementById('title').textContent"
        )
    shown = opened.evaluate(
        "Object.fromEntries(edukgView.nodes.get().map(n => [n.id, n.title ? n.title.textContent : '']))"
    )
    hostile = {node: name for node, name in names(hostile_graph).items() if node in shown}
    assert hostile or view == "cities"
    for node, name in hostile.items():
        assert name in shown[node]  # zero-width and bidi characters kept, tags as text
