"""The RDF export: every format round-trips, the shapes hold, the SPARQL catalogue answers."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import rdflib
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, XSD, Literal, URIRef
from rdflib.compare import isomorphic, to_isomorphic
from rdflib.namespace import ORG, PROV, SKOS

from edukg.cli import main
from edukg.errors import UnknownTypeError
from edukg.graph import export_rdf
from edukg.graph.export_json import to_node_link, write_graph
from edukg.graph.export_rdf import (
    DEFAULT_BASE,
    EDUKG,
    FORMATS,
    OA,
    NotConformingError,
    RdfExportError,
    check_base,
    concept_scheme,
    to_rdf,
    validate_rdf,
    write_rdf,
)
from edukg.graph.resolve import concept_node_id
from edukg.ingest import read_report
from edukg.ontology.concepts import concept_by_id
from edukg.queries.catalogue import QueryParameterError, UnknownQueryError, load_sparql, sparql_catalogue
from edukg.queries.run_query import run_sparql

WUHU = "report:" + "a1" * 8
MASKED = "report:" + "b2" * 8
DOUBLE_FIRST_CLASS = concept_node_id("double-first-class")
HOSTILE = (
    "He said \"hi\" and 'bye'",
    "<script>alert(1)</script> > < &amp;",
    "line one\nline two\r\nline three",
    "  spaces around  ",
    "back\\slash \\n \\u0041 ends with a backslash\\",
    'triple """ quotes \'\'\' and a closing quote"',
    "emoji 😀 and 𠀀 beyond the BMP",
    "@zh ^^xsd:string . ; , # not syntax",
)


def node_id(label: str, digit: int) -> str:
    return f"{label.lower()}:{digit:016x}"


BUREAU_WUHU = node_id("Bureau", 1)
BUREAU_MASKED = node_id("Bureau", 2)
TEN_ACTIONS = node_id("Programme", 3)
HIGHER_EDUCATION = node_id("Programme", 4)
DOUBLE_FIRST_WUHU = node_id("Programme", 5)
DOUBLE_FIRST_MASKED = node_id("Programme", 6)
CLUSTERS = node_id("Metric", 7)
MASKED_METRIC = node_id("Metric", 8)
WANG = node_id("Person", 9)
LEADING_GROUP = node_id("Bureau", 10)
PLACE_WUHU = node_id("Jurisdiction", 11)
PLACE_MASKED = node_id("Jurisdiction", 12)


def entity(label: str, name: str, report: str, place: str, start: int, **extra: Any) -> dict[str, Any]:
    attributes = {
        "label": label,
        "name": name,
        "aliases": [],
        "scope": "local",
        "jurisdiction": place,
        "status": "reported",
        "concept": "",
        "reports": [report],
        "mentions": [{"report": report, "start": start, "end": start + len(name), "sentence": start // 10}],
    }
    return attributes | extra


def evidence(report: str, sentence: int, start: int, text: str, status: str = "reported") -> dict[str, Any]:
    return {
        "report": report,
        "sentence": sentence,
        "start": start,
        "end": start + len(text),
        "text": text,
        "status": status,
    }


def fixture_graph(name: str = "市教育局", text: str = "市教育局实施“十大行动”。") -> nx.MultiDiGraph:
    """Two reports, one of a masked city, built by hand after ARCHITECTURE.md's schema."""
    graph = nx.MultiDiGraph()
    for report, title, source, place, masked in (
        (WUHU, "芜湖市教育局2023年工作总结", "000_wuhu.txt", "芜湖市", False),
        (MASKED, "**市教育局主题教育总结", "001 masked.txt", "**市", True),
    ):
        graph.add_node(
            report,
            label="Report",
            name=title,
            title=title,
            source=source,
            bureau="市教育局",
            level="市",
            jurisdiction=place,
            masked=masked,
            chars=1200,
            reports=[report],
        )
    graph.add_node(PLACE_WUHU, label="Jurisdiction", name="芜湖市", level="市", masked=False, reports=[WUHU])
    graph.add_node(PLACE_MASKED, label="Jurisdiction", name="**市", level="市", masked=True, reports=[MASKED])
    graph.add_node(BUREAU_WUHU, **entity("Bureau", name, WUHU, "芜湖市", 0, aliases=["局党组"]))
    graph.add_node(BUREAU_MASKED, **entity("Bureau", "市教育局", MASKED, "**市", 0))
    graph.add_node(LEADING_GROUP, **entity("Bureau", "主题教育领导小组", WUHU, "芜湖市", 90))
    graph.add_node(TEN_ACTIONS, **entity("Programme", "十大行动", WUHU, "芜湖市", 10))
    graph.add_node(HIGHER_EDUCATION, **entity("Programme", "高等教育综合改革", WUHU, "芜湖市", 20))
    graph.add_node(
        DOUBLE_FIRST_WUHU,
        **entity(
            "Programme", "双一流建设攻坚", WUHU, "芜湖市", 30, status="planned", concept=DOUBLE_FIRST_CLASS
        ),
    )
    graph.add_node(
        DOUBLE_FIRST_MASKED,
        **entity("Programme", "“双一流”建设", MASKED, "**市", 30, concept=DOUBLE_FIRST_CLASS),
    )
    graph.add_node(
        DOUBLE_FIRST_CLASS,
        label="Concept",
        name="双一流建设",
        name_en="Double First-Class",
        kind="initiative",
        aliases=["双一流建设"],
    )
    graph.add_node(
        CLUSTERS,
        **entity("Metric", "优势特色专业集群", WUHU, "芜湖市", 40, value="12个", numeric=12, masked=False)
        | {"unit": "个", "comparison": "比上年增加"},
    )
    graph.add_node(
        MASKED_METRIC,
        **entity("Metric", "市域产教联合体", WUHU, "芜湖市", 50, value="×个", numeric=None, masked=True)
        | {"unit": "个", "comparison": "", "mentions": []},
    )
    graph.add_node(WANG, **entity("Person", "王斌", WUHU, "芜湖市", 60))

    def relate(source: str, target: str, kind: str, *rows: dict[str, Any]) -> None:
        graph.add_edge(
            source,
            target,
            key=kind,
            type=kind,
            reports=sorted({row["report"] for row in rows}),
            evidence=list(rows),
            status="reported" if any(row["status"] == "reported" for row in rows) else "planned",
        )

    relate(BUREAU_WUHU, TEN_ACTIONS, "RESPONSIBLE_FOR", evidence(WUHU, 1, 10, text))
    relate(
        BUREAU_WUHU,
        DOUBLE_FIRST_WUHU,
        "RESPONSIBLE_FOR",
        evidence(WUHU, 3, 30, "谋划双一流建设攻坚", "planned"),
    )
    relate(BUREAU_MASKED, DOUBLE_FIRST_MASKED, "RESPONSIBLE_FOR", evidence(MASKED, 3, 30, "推进“双一流”建设"))
    relate(HIGHER_EDUCATION, TEN_ACTIONS, "PART_OF", evidence(WUHU, 2, 20, "一是高等教育综合改革"))
    relate(DOUBLE_FIRST_WUHU, HIGHER_EDUCATION, "PART_OF", evidence(WUHU, 3, 30, "其中双一流建设攻坚"))
    relate(WANG, BUREAU_WUHU, "PART_OF", evidence(WUHU, 6, 60, "王斌任市教育局局长"))
    relate(LEADING_GROUP, BUREAU_WUHU, "PART_OF", evidence(WUHU, 9, 90, "局主题教育领导小组"))
    relate(TEN_ACTIONS, CLUSTERS, "MEASURED_BY", evidence(WUHU, 4, 40, "打造12个优势特色专业集群"))
    relate(CLUSTERS, WUHU, "MENTIONED_IN", evidence(WUHU, 4, 40, "打造12个优势特色专业集群"))
    for node, report, place in (
        (BUREAU_WUHU, WUHU, PLACE_WUHU),
        (LEADING_GROUP, WUHU, PLACE_WUHU),
        (BUREAU_MASKED, MASKED, PLACE_MASKED),
    ):
        relate(node, place, "LOCATED_IN", evidence(report, 0, 0, "市教育局"))
    relate(WUHU, BUREAU_WUHU, "ISSUED_BY")
    relate(MASKED, BUREAU_MASKED, "ISSUED_BY")
    relate(DOUBLE_FIRST_WUHU, DOUBLE_FIRST_CLASS, "INSTANCE_OF", evidence(WUHU, 3, 30, "谋划双一流建设攻坚"))
    relate(
        DOUBLE_FIRST_MASKED, DOUBLE_FIRST_CLASS, "INSTANCE_OF", evidence(MASKED, 3, 30, "推进“双一流”建设")
    )
    return graph


@pytest.fixture(scope="module")
def fixture_rdf() -> rdflib.Graph:
    return to_rdf(fixture_graph())


@pytest.fixture(scope="module")
def sample_rdf(sample_graph: nx.MultiDiGraph) -> rdflib.Graph:
    """The sample reports' graph (tests/conftest.py) as RDF."""
    return to_rdf(sample_graph)


def iri(node: str, base: str = DEFAULT_BASE) -> URIRef:
    label, digest = node.split(":")
    return URIRef(f"{base}{label}/{digest}")


# ---------------------------------------------------------------- formats


@pytest.mark.parametrize("rdf_format", list(FORMATS))
def test_write_rdf_reads_back_isomorphic_fixture(tmp_path: Path, rdf_format: str) -> None:
    graph = fixture_graph()
    path = write_rdf(graph, tmp_path / f"graph{FORMATS[rdf_format][1]}", rdf_format)
    back = rdflib.Graph().parse(path, format=FORMATS[rdf_format][0])
    assert isomorphic(back, to_rdf(graph))


@pytest.mark.slow
@pytest.mark.parametrize("rdf_format", list(FORMATS))
def test_write_rdf_reads_back_isomorphic_sample(
    tmp_path: Path, sample_graph: nx.MultiDiGraph, sample_rdf: rdflib.Graph, rdf_format: str
) -> None:
    path = write_rdf(sample_graph, tmp_path / f"graph{FORMATS[rdf_format][1]}", rdf_format)
    back = rdflib.Graph().parse(path, format=FORMATS[rdf_format][0])
    assert len(back) == len(sample_rdf) > 1000
    assert to_isomorphic(back) == to_isomorphic(sample_rdf)


@pytest.mark.parametrize("rdf_format", list(FORMATS))
@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_survives_every_format(tmp_path: Path, rdf_format: str, hostile: str) -> None:
    graph = fixture_graph(name=hostile, text=hostile)
    graph.nodes[WUHU]["title"] = hostile
    graph.nodes[CLUSTERS]["value"] = hostile
    path = write_rdf(graph, tmp_path / "graph", rdf_format)
    back = rdflib.Graph().parse(path, format=FORMATS[rdf_format][0])
    (fact,) = set(back.subjects(RDF.subject, iri(BUREAU_WUHU))) & set(
        back.subjects(RDF.object, iri(TEN_ACTIONS))
    )
    assert back.value(iri(BUREAU_WUHU), EDUKG.name) == Literal(hostile, lang="zh")
    assert str(back.value(back.value(fact, EDUKG.evidence), EDUKG.text)) == hostile
    assert str(back.value(iri(WUHU), EDUKG.title)) == hostile
    assert str(back.value(iri(CLUSTERS), EDUKG.value)) == hostile
    assert isomorphic(back, to_rdf(graph))


def small_graph(text: str) -> nx.MultiDiGraph:
    """One report and its bureau, ``text`` as the bureau's name and as the evidence."""
    graph = nx.MultiDiGraph()
    graph.add_node(WUHU, label="Report", name="报告", title="报告", source="a.txt", masked=False, chars=9)
    graph.add_node(BUREAU_WUHU, **entity("Bureau", text, WUHU, "芜湖市", 0))
    graph.add_edge(
        WUHU, BUREAU_WUHU, key="ISSUED_BY", type="ISSUED_BY", evidence=[evidence(WUHU, 0, 0, text)]
    )
    return graph


# Any text but what XML 1.0 cannot hold (test_xml_refuses_... covers that).
XML_TEXT = st.text(
    st.characters(
        blacklist_categories=("Cs",), blacklist_characters="".join(map(chr, range(32))) + "\ufffe\uffff"
    )
    | st.sampled_from("\t\n\r"),
    min_size=1,
    max_size=40,
)


@pytest.mark.parametrize("rdf_format", list(FORMATS))
@settings(max_examples=25, deadline=None)
@given(text=XML_TEXT)
def test_any_text_survives_every_format(rdf_format: str, text: str) -> None:
    rdf = to_rdf(small_graph(text))
    rdf -= concept_scheme()  # the same in every example, and most of the serialising time
    plugin = FORMATS[rdf_format][0]
    back = rdflib.Graph().parse(data=rdf.serialize(format=plugin), format=plugin)
    assert str(back.value(iri(BUREAU_WUHU), EDUKG.name)) == text
    assert {str(literal) for literal in back.objects(None, EDUKG.text)} == {text}


def test_xml_refuses_control_characters_that_other_formats_keep(tmp_path: Path) -> None:
    graph = fixture_graph(name="page\x0cbreak")
    with pytest.raises(RdfExportError, match="turtle, nt or json-ld"):
        write_rdf(graph, tmp_path / "graph.rdf", "xml")
    back = rdflib.Graph().parse(write_rdf(graph, tmp_path / "graph.nt", "nt"), format="nt")
    assert str(back.value(iri(BUREAU_WUHU), EDUKG.name)) == "page\x0cbreak"


def test_json_ld_is_compacted_with_the_bound_prefixes(tmp_path: Path) -> None:
    text = write_rdf(fixture_graph(), tmp_path / "graph.jsonld", "json-ld").read_text(encoding="utf-8")
    assert '"edukg": "https://w3id.org/edukg/ontology#"' in text
    assert '"edukg:name"' in text


STREAMED = [name for name in FORMATS if name != "xml"]  # written as they go, not by rdflib


def _hand_made(graph: nx.MultiDiGraph, path: Path) -> Path:
    """``graph`` as one line of node-link JSON, its edges reversed: not laid out as edukg writes it."""
    data = to_node_link(graph)
    data["edges"].reverse()
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


GRAPH_SOURCES = {
    "graph": lambda graph, folder: graph,
    "graph.json": lambda graph, folder: write_graph(graph, folder / "graph.json"),
    "hand-made graph.json": lambda graph, folder: _hand_made(graph, folder / "graph.json"),
}


@pytest.mark.parametrize("rdf_format", STREAMED)
@pytest.mark.parametrize("source", list(GRAPH_SOURCES))
@pytest.mark.parametrize("hostile", ("市教育局", *HOSTILE))
def test_streamed_output_is_rdflibs_serialisation(
    tmp_path: Path, rdf_format: str, source: str, hostile: str
) -> None:
    """Whatever the source, the written file means what rdflib's own serialisation of the
    same graph means, hostile text included."""
    graph = fixture_graph(name=hostile, text=hostile)
    graph.nodes[WUHU]["title"] = hostile
    plugin = FORMATS[rdf_format][0]
    written = write_rdf(GRAPH_SOURCES[source](graph, tmp_path), tmp_path / "out" / "graph", rdf_format)
    rdflibs = rdflib.Graph().parse(data=to_rdf(graph).serialize(format=plugin), format=plugin)
    assert isomorphic(rdflib.Graph().parse(written, format=plugin), rdflibs)
    assert not list((tmp_path / "out").glob("*.partial"))


@pytest.mark.slow
@pytest.mark.parametrize("rdf_format", STREAMED)
def test_streamed_sample_is_rdflibs_serialisation(
    tmp_path: Path, sample_graph: nx.MultiDiGraph, sample_rdf: rdflib.Graph, rdf_format: str
) -> None:
    plugin = FORMATS[rdf_format][0]
    written = write_rdf(write_graph(sample_graph, tmp_path / "graph.json"), tmp_path / "graph", rdf_format)
    rdflibs = rdflib.Graph().parse(data=sample_rdf.serialize(format=plugin), format=plugin)
    assert to_isomorphic(rdflib.Graph().parse(written, format=plugin)) == to_isomorphic(rdflibs)


def test_turtle_declares_its_prefixes_first_and_groups_by_subject(tmp_path: Path) -> None:
    text = write_rdf(fixture_graph(), tmp_path / "graph.ttl").read_text(encoding="utf-8")
    head, _, body = text.partition("\n\n")
    assert head.splitlines() == [
        f"@prefix {p}: <{n}> ." for p, n in export_rdf.prefixes(DEFAULT_BASE).items()
    ]
    assert "@prefix" not in body
    assert f"bureau:{BUREAU_WUHU.split(':')[1]} a edukg:Bureau ;" in body


@pytest.mark.parametrize("source", ["graph.json", "hand-made graph.json"])
def test_streamed_graph_json_refuses_ids_that_are_not_ids(tmp_path: Path, source: str) -> None:
    graph = fixture_graph()
    graph.add_node("bureau:with space", label="Bureau", name="x", reports=[WUHU])
    with pytest.raises(RdfExportError, match="is not of the form"):
        write_rdf(GRAPH_SOURCES[source](graph, tmp_path), tmp_path / "graph.nt", "nt")
    assert list(tmp_path.glob("graph.nt*")) == []


@pytest.mark.parametrize("size", [1, 50, 10**6])
def test_validation_in_chunks_agrees_with_the_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    """However few triples a check holds, a conforming graph passes and a broken one fails."""
    monkeypatch.setattr(export_rdf, "VALIDATION_TRIPLES", size)
    graph_json = write_graph(fixture_graph(), tmp_path / "graph.json")
    assert write_rdf(graph_json, tmp_path / "graph.nt", "nt", validate=True).is_file()
    broken = fixture_graph()
    broken.add_edge(TEN_ACTIONS, HIGHER_EDUCATION, key="RESPONSIBLE_FOR", type="RESPONSIBLE_FOR", evidence=[])
    broken.nodes[CLUSTERS].pop("value")
    with pytest.raises(NotConformingError, match="violation") as raised:
        write_rdf(write_graph(broken, tmp_path / "broken.json"), tmp_path / "broken.nt", "nt", validate=True)
    focus = {line.split(": ")[0] for line in raised.value.validation.messages}
    assert focus and focus <= {str(iri(node)) for node in (TEN_ACTIONS, HIGHER_EDUCATION, CLUSTERS)}
    assert not (tmp_path / "broken.nt").exists()


# ---------------------------------------------------------------- IRIs and literals


@pytest.mark.parametrize("base", [DEFAULT_BASE, "https://example.org/kg/", "http://example.org/data#"])
def test_iris_are_minted_from_node_ids_under_the_base(base: str) -> None:
    rdf = to_rdf(fixture_graph(name=HOSTILE[1]), base)
    assert (iri(BUREAU_WUHU, base), RDF.type, EDUKG.Bureau) in rdf
    assert (iri(WUHU, base), RDF.type, EDUKG.Report) in rdf
    scheme_iris = {s for s in rdf.subjects() if str(s).startswith("https://w3id.org/edukg/concept/")}
    assert URIRef("https://w3id.org/edukg/concept/double-first-class") in scheme_iris
    for term in {*rdf.subjects(), *rdf.objects()}:
        if isinstance(term, URIRef) and str(term).startswith(base):
            assert set(str(term)[len(base) :]) <= set("abcdefghijklmnopqrstuvwxyz0123456789/")


@pytest.mark.parametrize(
    "base",
    [
        "w3id.org/edukg/id/",
        "https://w3id.org/edukg/id",
        "https://w3id.org/a b/",
        'https://x.org/"/',
        "",
        "/id/",
    ],
)
def test_check_base_refuses_what_is_not_a_namespace_iri(base: str) -> None:
    with pytest.raises(RdfExportError, match="must be an absolute IRI"):
        check_base(base)


@pytest.mark.parametrize(
    ("node", "label", "message"),
    [
        ("bureau:市教育局", "Bureau", "not of the form"),
        ("Bureau:00000000000000ff", "Bureau", "not of the form"),
        ("bureau:00ff> <x", "Bureau", "not of the form"),
        ("concept:00000000000000ff", "Concept", "not a concept of ontology/concepts.ttl"),
    ],
)
def test_to_rdf_refuses_node_ids_that_are_not_ids(node: str, label: str, message: str) -> None:
    graph = nx.MultiDiGraph()
    graph.add_node(node, label=label, name="x", reports=[])
    with pytest.raises(RdfExportError, match=message):
        to_rdf(graph)


def test_to_rdf_refuses_labels_and_types_the_ontology_does_not_define() -> None:
    graph = fixture_graph()
    graph.nodes[WANG]["label"] = "Mayor"
    with pytest.raises(UnknownTypeError, match="unknown node label 'Mayor'"):
        to_rdf(graph)
    graph = fixture_graph()
    graph.add_edge(BUREAU_WUHU, TEN_ACTIONS, key="FUNDS", type="FUNDS", evidence=[])
    with pytest.raises(UnknownTypeError, match="unknown relationship type 'FUNDS'"):
        to_rdf(graph)


@pytest.mark.parametrize(
    ("numeric", "lexical"),
    [(12, "12.0"), (12.5, "12.5"), (0.1, "0.1"), (1e20, "100000000000000000000.0"), (1e-7, "0.0000001")],
)
def test_metric_numbers_are_decimals_that_survive_turtle(numeric: float, lexical: str) -> None:
    graph = fixture_graph()
    graph.nodes[CLUSTERS]["numeric"] = numeric
    rdf = to_rdf(graph)
    assert rdf.value(iri(CLUSTERS), EDUKG.numeric) == Literal(lexical, datatype=XSD.decimal)
    back = rdflib.Graph().parse(data=rdf.serialize(format="turtle"), format="turtle")
    assert back.value(iri(CLUSTERS), EDUKG.numeric) == Literal(lexical, datatype=XSD.decimal)


def test_metric_without_a_number_has_no_numeric_and_keeps_its_mask(fixture_rdf: rdflib.Graph) -> None:
    assert fixture_rdf.value(iri(MASKED_METRIC), EDUKG.numeric) is None
    assert fixture_rdf.value(iri(MASKED_METRIC), EDUKG.masked) == Literal(True)
    assert fixture_rdf.value(iri(CLUSTERS), EDUKG.masked) == Literal(False)
    assert fixture_rdf.value(iri(CLUSTERS), EDUKG.value) == Literal("12个")


def test_non_finite_numbers_are_refused() -> None:
    graph = fixture_graph()
    graph.nodes[CLUSTERS]["numeric"] = float("nan")
    with pytest.raises(RdfExportError, match="not a finite number"):
        to_rdf(graph)


def test_names_are_tagged_zh_and_concepts_resolve_into_the_scheme(fixture_rdf: rdflib.Graph) -> None:
    assert set(fixture_rdf.objects(iri(BUREAU_WUHU), EDUKG.name)) == {Literal("市教育局", lang="zh")}
    assert set(fixture_rdf.objects(iri(BUREAU_WUHU), EDUKG.alias)) == {Literal("局党组", lang="zh")}
    concept = fixture_rdf.value(iri(DOUBLE_FIRST_WUHU), EDUKG.instanceOf)
    assert concept == URIRef("https://w3id.org/edukg/concept/double-first-class")
    assert (concept, RDF.type, SKOS.Concept) in fixture_rdf
    scheme = fixture_rdf.value(concept, SKOS.inScheme)
    assert (scheme, RDF.type, SKOS.ConceptScheme) in fixture_rdf
    assert Literal("双一流建设", lang="zh") in set(fixture_rdf.objects(concept, SKOS.prefLabel))


# ---------------------------------------------------------------- provenance


def test_every_edge_is_asserted_and_reified_with_its_evidence(fixture_rdf: rdflib.Graph) -> None:
    graph = fixture_graph()
    facts = set(fixture_rdf.subjects(RDF.type, EDUKG.Fact))
    assert len(facts) == graph.number_of_edges()
    for fact in facts:
        triple = tuple(fixture_rdf.value(fact, term) for term in (RDF.subject, RDF.predicate, RDF.object))
        assert triple in fixture_rdf


def test_a_fact_carries_report_sentence_offsets_and_text(fixture_rdf: rdflib.Graph) -> None:
    (fact,) = fixture_rdf.subjects(RDF.subject, iri(WANG))
    assert fixture_rdf.value(fact, RDF.predicate) == EDUKG.partOf
    assert fixture_rdf.value(fact, PROV.wasDerivedFrom) == iri(WUHU)
    assert fixture_rdf.value(fact, EDUKG.status) == Literal("reported")
    span = fixture_rdf.value(fact, EDUKG.evidence)
    selector = fixture_rdf.value(span, OA.hasSelector)
    assert fixture_rdf.value(span, OA.hasSource) == iri(WUHU)
    assert fixture_rdf.value(span, EDUKG.sentence).toPython() == 6
    assert (
        fixture_rdf.value(selector, OA.start).toPython(),
        fixture_rdf.value(selector, OA.end).toPython(),
    ) == (
        60,
        69,
    )
    assert (selector, RDF.type, OA.TextPositionSelector) in fixture_rdf
    assert fixture_rdf.value(span, EDUKG.text) == Literal("王斌任市教育局局长", lang="zh")


def test_mentions_are_text_positions_in_their_report(fixture_rdf: rdflib.Graph) -> None:
    (mention,) = fixture_rdf.objects(iri(TEN_ACTIONS), EDUKG.mention)
    selector = fixture_rdf.value(mention, OA.hasSelector)
    assert fixture_rdf.value(mention, OA.hasSource) == iri(WUHU)
    assert [fixture_rdf.value(selector, term).toPython() for term in (OA.start, OA.end)] == [10, 14]
    assert fixture_rdf.value(iri(TEN_ACTIONS), PROV.wasDerivedFrom) == iri(WUHU)


def test_part_of_between_organisations_is_also_said_in_org(fixture_rdf: rdflib.Graph) -> None:
    assert (iri(LEADING_GROUP), ORG.subOrganizationOf, iri(BUREAU_WUHU)) in fixture_rdf
    assert (iri(WANG), ORG.memberOf, iri(BUREAU_WUHU)) in fixture_rdf
    assert not set(fixture_rdf.subject_objects(ORG.subOrganizationOf)) - {
        (iri(LEADING_GROUP), iri(BUREAU_WUHU))
    }


# ---------------------------------------------------------------- SHACL


def test_fixture_export_conforms_to_the_shapes(fixture_rdf: rdflib.Graph) -> None:
    validation = validate_rdf(fixture_rdf)
    assert validation.conforms, validation.text
    assert validation.messages == ()


@pytest.mark.slow
def test_sample_export_conforms_to_the_shapes(sample_rdf: rdflib.Graph) -> None:
    validation = validate_rdf(sample_rdf)
    assert validation.conforms, validation.text


def _drop(rdf: rdflib.Graph, subject: URIRef, predicate: URIRef) -> None:
    rdf.remove((subject, predicate, None))


def _rename(rdf: rdflib.Graph, subject: URIRef, literal: Literal) -> None:
    rdf.set((subject, EDUKG.name, literal))


def _first_selector(rdf: rdflib.Graph) -> URIRef:
    return next(iter(rdf.subjects(RDF.type, OA.TextPositionSelector)))


BROKEN = {
    "metric without value": (lambda rdf: _drop(rdf, iri(CLUSTERS), EDUKG.value), "exactly one value"),
    "relation to a literal": (
        lambda rdf: rdf.add((iri(BUREAU_WUHU), EDUKG.responsibleFor, Literal("十大行动", lang="zh"))),
        "responsible for a Programme",
    ),
    "name without @zh": (lambda rdf: _rename(rdf, iri(BUREAU_WUHU), Literal("市教育局")), "tagged @zh"),
    "name tagged @en": (lambda rdf: _rename(rdf, iri(WANG), Literal("Wang Bin", lang="en")), "tagged @zh"),
    "two names": (lambda rdf: rdf.add((iri(WANG), EDUKG.name, Literal("王", lang="zh"))), "exactly one name"),
    "fact not asserted": (
        lambda rdf: rdf.remove((iri(BUREAU_WUHU), EDUKG.responsibleFor, iri(TEN_ACTIONS))),
        "does not assert",
    ),
    "programme responsible for": (
        lambda rdf: rdf.add((iri(TEN_ACTIONS), EDUKG.responsibleFor, iri(HIGHER_EDUCATION))),
        "Bureau or a Person",
    ),
    "measured by a programme": (
        lambda rdf: rdf.add((iri(BUREAU_WUHU), EDUKG.measuredBy, iri(TEN_ACTIONS))),
        "class edukg:Metric",
    ),
    "numeric as a string": (
        lambda rdf: rdf.set((iri(CLUSTERS), EDUKG.numeric, Literal("12"))),
        "xsd:decimal",
    ),
    "masked missing": (lambda rdf: _drop(rdf, iri(MASKED_METRIC), EDUKG.masked), "edukg:masked"),
    "start after end": (
        lambda rdf: rdf.set(
            (_first_selector(rdf), OA.start, Literal(10**6, datatype=XSD.nonNegativeInteger))
        ),
        "oa:end",
    ),
    "evidence without text": (
        lambda rdf: rdf.remove((next(iter(rdf.subjects(RDF.type, EDUKG.Evidence))), EDUKG.text, None)),
        "edukg:text",
    ),
    "unknown status": (lambda rdf: rdf.set((iri(WANG), EDUKG.status, Literal("done"))), '"done"'),
    "derived from a non-report": (
        lambda rdf: rdf.add((iri(WANG), PROV.wasDerivedFrom, iri(BUREAU_WUHU))),
        "class edukg:Report",
    ),
    "entity from no report": (lambda rdf: _drop(rdf, iri(WANG), PROV.wasDerivedFrom), "at least one report"),
    "report without its bureau": (lambda rdf: _drop(rdf, iri(MASKED), EDUKG.issuedBy), "its own bureau"),
    "instance of a non-concept": (
        lambda rdf: rdf.add((iri(WANG), EDUKG.instanceOf, iri(TEN_ACTIONS))),
        "class edukg:Concept",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_graph_does_not_conform(case: str) -> None:
    rdf = to_rdf(fixture_graph())
    breaking, message = BROKEN[case]
    breaking(rdf)
    validation = validate_rdf(rdf)
    assert not validation.conforms
    assert any(message in line for line in validation.messages), validation.messages


def test_write_rdf_with_validate_refuses_a_graph_that_breaks_the_shapes(tmp_path: Path) -> None:
    graph = fixture_graph()
    graph.add_edge(TEN_ACTIONS, HIGHER_EDUCATION, key="RESPONSIBLE_FOR", type="RESPONSIBLE_FOR", evidence=[])
    with pytest.raises(NotConformingError, match="violation"):
        write_rdf(graph, tmp_path / "graph.ttl", validate=True)
    assert not (tmp_path / "graph.ttl").exists()


# ---------------------------------------------------------------- SPARQL


def test_sparql_catalogue_answers_the_issue_questions() -> None:
    names = {entry.query.name for entry in sparql_catalogue()}
    assert {"bureau_responsibilities", "part_of_tree", "shared_initiatives", "fact_evidence"} <= names
    for entry in sparql_catalogue():
        assert entry.query.title and entry.query.question_zh and entry.query.question_en
        assert entry.query.columns


SPARQL_CASES = [
    (
        "bureau_responsibilities",
        {},
        [
            {
                "bureau": "市教育局",
                "jurisdiction": "**市",
                "type": "Programme",
                "initiative": "“双一流”建设",
                "status": "reported",
                "reports": "001 masked.txt",
            },
            {
                "bureau": "市教育局",
                "jurisdiction": "芜湖市",
                "type": "Programme",
                "initiative": "十大行动",
                "status": "reported",
                "reports": "000_wuhu.txt",
            },
            {
                "bureau": "市教育局",
                "jurisdiction": "芜湖市",
                "type": "Programme",
                "initiative": "双一流建设攻坚",
                "status": "planned",
                "reports": "000_wuhu.txt",
            },
        ],
    ),
    ("bureau_responsibilities", {"bureau": "领导小组"}, []),
    (
        "part_of_tree",
        {},
        [
            {
                "root": "十大行动",
                "root_type": "Programme",
                "depth": 1,
                "part": "高等教育综合改革",
                "type": "Programme",
                "parent": "十大行动",
            },
            {
                "root": "十大行动",
                "root_type": "Programme",
                "depth": 2,
                "part": "双一流建设攻坚",
                "type": "Programme",
                "parent": "高等教育综合改革",
            },
        ],
    ),
    (
        "part_of_tree",
        {"root": "高等教育"},
        [
            {
                "root": "高等教育综合改革",
                "root_type": "Programme",
                "depth": 1,
                "part": "双一流建设攻坚",
                "type": "Programme",
                "parent": "高等教育综合改革",
            }
        ],
    ),
    (
        "shared_initiatives",
        {},
        [
            {
                "concept": "双一流建设",
                "concept_en": concept_by_id("double-first-class").name_en,
                "city_count": 2,
                "cities": {"芜湖市", "**市 (001 masked.txt)"},
                "initiatives": {"双一流建设攻坚", "“双一流”建设"},
            }
        ],
    ),
    ("shared_initiatives", {"min_cities": "3"}, []),
    (
        "fact_evidence",
        {},
        [
            {
                "source": "市教育局",
                "relation": "RESPONSIBLE_FOR",
                "target": "十大行动",
                "report": "000_wuhu.txt",
                "sentence": 1,
                "start": 10,
                "end": 23,
                "status": "reported",
                "text": "市教育局实施“十大行动”。",
            }
        ],
    ),
    (
        "fact_evidence",
        {"source": "双一流建设攻坚", "target": "", "relation": "INSTANCE_OF"},
        [
            {
                "source": "双一流建设攻坚",
                "relation": "INSTANCE_OF",
                "target": "双一流建设",
                "report": "000_wuhu.txt",
                "sentence": 3,
                "start": 30,
                "end": 39,
                "status": "reported",
                "text": "谋划双一流建设攻坚",
            }
        ],
    ),
    ("fact_evidence", {"relation": "PART_OF"}, []),
    (
        "initiative_metrics",
        {"initiative": "十大"},
        [
            {
                "entity": "十大行动",
                "type": "Programme",
                "indicator": "优势特色专业集群",
                "value": "12个",
                "unit": "个",
                "numeric": Decimal("12.0"),
                "masked": False,
                "comparison": "比上年增加",
                "report": "000_wuhu.txt",
            }
        ],
    ),
]


def _comparable(row: dict[str, Any]) -> dict[str, Any]:
    """GROUP_CONCAT's order is the engine's: compare the joined columns as sets."""
    return {
        key: set(value.split("、")) if key in {"cities", "initiatives"} else value
        for key, value in row.items()
    }


@pytest.mark.parametrize(("name", "values", "expected"), SPARQL_CASES)
def test_sparql_query_rows_on_the_fixture(
    fixture_rdf: rdflib.Graph, name: str, values: dict[str, str], expected: list[dict[str, Any]]
) -> None:
    assert [_comparable(row) for row in run_sparql(fixture_rdf, name, values)] == expected


@pytest.mark.parametrize("name", [entry.query.name for entry in sparql_catalogue()])
def test_sparql_queries_need_only_a_values_clause_elsewhere(fixture_rdf: rdflib.Graph, name: str) -> None:
    """As queries/sparql/README.md says: another engine binds the parameters with VALUES."""
    entry = load_sparql(name)
    values = [
        {"root": "十大", "initiative": "十大", "min_cities": 2}.get(parameter.name, parameter.default)
        for parameter in entry.query.parameters
    ]
    clause = " ".join(
        f"VALUES ?{parameter.name} {{ {json.dumps(value, ensure_ascii=False)} }}"
        for parameter, value in zip(entry.query.parameters, values, strict=True)
    )
    text = entry.query.text.replace("WHERE {", "WHERE {\n  " + clause, 1)
    rows = [[None if cell is None else cell.toPython() for cell in row] for row in fixture_rdf.query(text)]
    given = {
        parameter.name: str(value) for parameter, value in zip(entry.query.parameters, values, strict=True)
    }
    expected = [list(row.values()) for row in run_sparql(fixture_rdf, name, given)]
    assert _unordered_lists(rows) == _unordered_lists(expected) and expected


def _unordered_lists(rows: list[list[Any]]) -> list[list[Any]]:
    """Rows with each GROUP_CONCAT cell (items joined by 、) as its sorted items: SPARQL leaves
    the order of a group's items to the engine, and rdflib's differs between two runs."""
    return [[sorted(cell.split("、")) if isinstance(cell, str) else cell for cell in row] for row in rows]


@pytest.mark.parametrize(
    "hostile",
    ['市教育局") } UNION { ?b ?p ?o } #', "?bureau", "\\u0022", '" . FILTER(true) . "'],
)
def test_sparql_parameters_are_bound_not_spliced(fixture_rdf: rdflib.Graph, hostile: str) -> None:
    assert run_sparql(fixture_rdf, "bureau_responsibilities", {"bureau": hostile}) == []


def test_sparql_parameter_errors_are_named() -> None:
    with pytest.raises(UnknownQueryError, match="bureau_responsibilities"):
        run_sparql(rdflib.Graph(), "no_such_query")
    with pytest.raises(QueryParameterError, match="city"):
        run_sparql(rdflib.Graph(), "bureau_responsibilities", {"city": "x"})
    with pytest.raises(QueryParameterError, match="min_cities"):
        run_sparql(rdflib.Graph(), "shared_initiatives", {"min_cities": "two"})


@pytest.mark.slow
def test_sparql_queries_answer_on_the_sample_reports(
    sample_rdf: rdflib.Graph, sample_reports: list[Path]
) -> None:
    responsibilities = run_sparql(sample_rdf, "bureau_responsibilities")
    assert len(responsibilities) > 20 and all("市教育局" in row["bureau"] for row in responsibilities)
    assert {row["type"] for row in responsibilities} == {"Programme", "Campaign", "Policy"}
    parts = run_sparql(sample_rdf, "part_of_tree")
    assert {"高等教育综合改革", "双一流建设攻坚", "现代职业教育体系建设"} <= {row["part"] for row in parts}
    assert {(row["root"], row["depth"], row["parent"]) for row in parts} == {("十大行动", 1, "十大行动")}
    shared = {row["concept"]: row for row in run_sparql(sample_rdf, "shared_initiatives")}
    assert shared["主题教育"]["city_count"] >= 3 and "双一流建设" in shared
    assert all(row["city_count"] == len(row["cities"].split("、")) >= 2 for row in shared.values())
    (fact,) = run_sparql(sample_rdf, "fact_evidence")
    report = read_report(next(path for path in sample_reports if path.name == fact["report"]))
    assert report.text[fact["start"] : fact["end"]] == fact["text"]
    assert "十大行动" in fact["text"] and fact["relation"] == "RESPONSIBLE_FOR"
    metrics = run_sparql(sample_rdf, "initiative_metrics")
    assert any(row["numeric"] is not None and not row["masked"] for row in metrics)
    assert all(row["numeric"] is None for row in metrics if row["masked"])


# ---------------------------------------------------------------- CLI


@pytest.mark.parametrize("rdf_format", list(FORMATS))
def test_cli_export_rdf_writes_each_format(tmp_path: Path, rdf_format: str) -> None:
    graph_json = write_graph(fixture_graph(), tmp_path / "graph.json")
    base = "https://example.org/kg/"
    result = CliRunner().invoke(
        main,
        ["export", "rdf", "--graph", str(graph_json), "--format", rdf_format, "--base", base, "--validate"],
    )
    assert result.exit_code == 0, result.output
    path = graph_json.with_suffix(FORMATS[rdf_format][1])
    assert f"wrote {path}" in result.output
    back = rdflib.Graph().parse(path, format=FORMATS[rdf_format][0])
    assert isomorphic(back, to_rdf(fixture_graph(), base))


def test_cli_export_rdf_out_folder_and_errors(tmp_path: Path) -> None:
    graph_json = write_graph(fixture_graph(), tmp_path / "graph.json")
    runner = CliRunner()
    result = runner.invoke(
        main, ["export", "rdf", "--graph", str(graph_json), "--out", str(tmp_path / "rdf")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "rdf" / "graph.ttl").is_file()
    result = runner.invoke(main, ["export", "rdf", "--graph", str(graph_json), "--base", "not an iri"])
    assert result.exit_code == 1
    assert result.output.startswith("edukg: error: base 'not an iri' must be an absolute IRI")
    assert result.output.count("\n") == 1
