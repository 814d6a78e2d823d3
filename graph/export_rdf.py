"""The graph as RDF, described by ``ontology/edukg.ttl`` and checked by ``ontology/shapes.ttl``.

Node ``bureau:0123456789abcdef`` becomes ``<BASE>bureau/0123456789abcdef``, a
Concept node the IRI of its concept in ``ontology/concepts.ttl`` (whose scheme
every export includes), or, for a discovered initiative, an IRI under the base;
every edge is asserted directly and described by an ``edukg:Fact`` with its evidence
(the ontology's header explains the modelling). Only ids, offsets and hashes of ids reach
IRIs; report text only becomes literals.

>>> import networkx as nx
>>> graph = nx.MultiDiGraph()
>>> graph.add_node("jurisdiction:00000000000000aa", label="Jurisdiction", name="芜湖市",
...                level="市", masked=False, reports=[])
>>> rdf = to_rdf(graph)
>>> print(rdf.value(rdflib.URIRef(DEFAULT_BASE + "jurisdiction/00000000000000aa"), EDUKG.name))
芜湖市
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import networkx as nx
import rdflib
from rdflib import RDF, XSD, Literal, Namespace, URIRef
from rdflib.namespace import ORG, PROV, SH, SKOS

from edukg.errors import EdukgError
from edukg.graph.resolve import concept_node_id
from edukg.ontology import NAMESPACE, check_label, check_relation, read_text, schema
from edukg.ontology.concepts import CONCEPT_BASE, concepts

DEFAULT_BASE = "https://w3id.org/edukg/id/"
DISCOVERED = "discovered"  # the kind of a Concept node that edukg.graph.discover made
EDUKG = Namespace(NAMESPACE)
OA = Namespace("http://www.w3.org/ns/oa#")

# CLI format name -> (rdflib plugin name, file suffix)
FORMATS: dict[str, tuple[str, str]] = {
    "turtle": ("turtle", ".ttl"),
    "json-ld": ("json-ld", ".jsonld"),
    "nt": ("nt", ".nt"),
    "xml": ("xml", ".rdf"),
}
# A JSON-LD @context from the bound prefixes, so that keys read edukg:name, not full IRIs.
_SERIALIZE_OPTIONS: dict[str, dict[str, Any]] = {"json-ld": {"auto_compact": True}}

_NODE_ID = re.compile(r"([a-z]+):([0-9a-f]+)")
# Characters RFC 3987 forbids in an IRI, plus the ones that would end it in Turtle or N-Triples.
_IRI_FORBIDDEN = re.compile(r'[\s<>"{}|\\^`]')
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ORGANIZATIONS = {"Bureau", "Institution"}
_MINTED = ("fact", "evidence", "mention")  # kinds of IRIs minted from hashes of ids, not node ids


class RdfExportError(EdukgError):
    """A graph or a base IRI that cannot be written as RDF; the message says which part."""


def _zh(value: Any) -> Literal:
    return Literal(str(value), lang="zh")


def _string(value: Any) -> Literal:
    return Literal(str(value))


def _boolean(value: Any) -> Literal:
    return Literal(bool(value), datatype=XSD.boolean)


def _count(value: Any) -> Literal:
    return Literal(int(value), datatype=XSD.nonNegativeInteger)


def _integer(value: Any) -> Literal:
    return Literal(int(value), datatype=XSD.integer)


def _decimal(value: Any) -> Literal:
    number = Decimal(str(value))
    if not number.is_finite():
        raise RdfExportError(f"numeric value {value!r} is not a finite number")
    # Always with a point: Turtle writes a decimal as a bare number, and one without a
    # point would read back as an xsd:integer.
    lexical = f"{number:f}"
    if "." not in lexical:
        lexical += ".0"
    return Literal(lexical, datatype=XSD.decimal)


_Attribute = tuple[URIRef, Callable[[Any], Literal]]

# Node attribute -> (property, literal maker). Lists give one triple per item; None and ""
# give none. `label`, `reports`, `mentions` and `concept` become resources, not literals;
# a Concept node's attributes are the scheme's own labels, so the scheme gives them.
_ATTRIBUTES: dict[str, _Attribute] = {
    "name": (EDUKG.name, _zh),
    "aliases": (EDUKG.alias, _zh),
    "scope": (EDUKG.scope, _string),
    "jurisdiction": (EDUKG.jurisdictionName, _zh),
    "status": (EDUKG.status, _string),
    "value": (EDUKG.value, _string),
    "unit": (EDUKG.unit, _string),
    "numeric": (EDUKG.numeric, _decimal),
    "masked": (EDUKG.masked, _boolean),
    "comparison": (EDUKG.comparison, _zh),
    "family": (EDUKG.indicatorFamily, _string),
    "family_name": (EDUKG.indicatorFamilyName, _zh),
    "year": (EDUKG.reportYear, _integer),
    "title": (EDUKG.title, _zh),
    "source": (EDUKG.source, _string),
    "bureau": (EDUKG.bureauName, _zh),
    "level": (EDUKG.level, _string),
    "chars": (EDUKG.chars, _count),
    "province": (EDUKG.provinceName, _zh),
    "province_code": (EDUKG.provinceCode, _string),
    "city": (EDUKG.cityName, _zh),
    "city_code": (EDUKG.cityCode, _string),
    "county": (EDUKG.countyName, _zh),
    "county_code": (EDUKG.countyCode, _string),
}


def check_base(base: str) -> str:
    """``base`` if it is an absolute IRI ending in ``/`` or ``#``, else RdfExportError."""
    parts = urlsplit(base)
    if not (parts.scheme and parts.netloc) or _IRI_FORBIDDEN.search(base) or base[-1:] not in "/#":
        raise RdfExportError(
            f'base {base!r} must be an absolute IRI without spaces or <>"{{}}|\\^` '
            f"that ends in '/' or '#', like {DEFAULT_BASE}"
        )
    return base


def _digest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class _Minter:
    base: str
    concepts: Mapping[str, str]  # Concept node id -> the concept's IRI in the scheme
    discovered: frozenset[str] = frozenset()  # Concept node ids of discovered initiatives

    def node(self, node_id: str) -> URIRef:
        if node_id in self.concepts:
            return URIRef(self.concepts[node_id])
        match = _NODE_ID.fullmatch(node_id)
        if match is None:
            raise RdfExportError(f"node id {node_id!r} is not of the form <label>:<hex>")
        if match[1] == "concept" and node_id not in self.discovered:
            raise RdfExportError(
                f"concept node {node_id!r} is not a concept of ontology/concepts.ttl nor a discovered one"
            )
        return URIRef(f"{self.base}{match[1]}/{match[2]}")

    def minted(self, kind: str, *parts: object) -> URIRef:
        return URIRef(f"{self.base}{kind}/{_digest(*parts)}")


@cache
def concept_scheme() -> rdflib.Graph:
    """``ontology/concepts.ttl``, each concept also typed skos:Concept for tools that do not reason."""
    scheme = rdflib.Graph().parse(data=read_text("concepts.ttl"), format="turtle")
    for concept in concepts():
        scheme.add((URIRef(concept.iri), RDF.type, SKOS.Concept))
    return scheme


def to_rdf(graph: nx.MultiDiGraph, base: str = DEFAULT_BASE) -> rdflib.Graph:
    """The graph as RDF triples, with IRIs minted from node ids under ``base``."""
    discovered = frozenset(
        node for node, attributes in graph.nodes(data=True) if attributes.get("kind") == DISCOVERED
    )
    mint = _Minter(
        check_base(base), {concept_node_id(concept.id): concept.iri for concept in concepts()}, discovered
    )
    rdf = rdflib.Graph(bind_namespaces="core")
    for prefix, namespace in (("edukg", EDUKG), ("oa", OA), ("prov", PROV), ("org", ORG), ("skos", SKOS)):
        rdf.bind(prefix, namespace)
    for kind in (*(label.lower() for label in schema().node_labels if label != "Concept"), *_MINTED):
        rdf.bind(kind, Namespace(f"{mint.base}{kind}/"))
    rdf.bind("concept", Namespace(CONCEPT_BASE))
    rdf += concept_scheme()
    for node_id, attributes in graph.nodes(data=True):
        _add_node(rdf, mint, node_id, attributes)
    for source, target, key, attributes in graph.edges(keys=True, data=True):
        _add_edge(rdf, mint, graph, source, target, attributes.get("type", key), attributes)
    return rdf


def _literals(
    attributes: Mapping[str, Any], table: Mapping[str, _Attribute]
) -> Iterable[tuple[URIRef, Literal]]:
    for attribute, value in attributes.items():
        if attribute not in table or value is None or value == "":
            continue
        predicate, make = table[attribute]
        for item in value if isinstance(value, list | tuple) else (value,):
            yield predicate, make(item)


def _add_node(rdf: rdflib.Graph, mint: _Minter, node_id: str, attributes: Mapping[str, Any]) -> None:
    label = check_label(attributes.get("label", ""))
    node = mint.node(node_id)
    if label == "Concept":
        if node_id in mint.discovered:
            _add_discovered(rdf, node, attributes)
        return
    rdf.add((node, RDF.type, URIRef(schema().class_iri[label])))
    for predicate, literal in _literals(attributes, _ATTRIBUTES):
        rdf.add((node, predicate, literal))
    for report in attributes.get("reports", ()):
        if report != node_id:
            rdf.add((node, PROV.wasDerivedFrom, mint.node(report)))
    if attributes.get("concept"):
        rdf.add((node, EDUKG.instanceOf, mint.node(attributes["concept"])))
    for mention in attributes.get("mentions", ()):
        span = mint.minted("mention", node_id, mention["report"], mention["start"], mention["end"])
        rdf.add((node, EDUKG.mention, span))
        rdf.add((span, RDF.type, EDUKG.Mention))
        _add_span(rdf, mint, span, mention)


def _add_discovered(rdf: rdflib.Graph, node: URIRef, attributes: Mapping[str, Any]) -> None:
    """A discovered initiative: a concept of the export's own scheme, labelled by its core
    name and the names the reports write."""
    rdf.add((node, RDF.type, EDUKG.Concept))
    rdf.add((node, RDF.type, SKOS.Concept))
    rdf.add((node, SKOS.inScheme, EDUKG.DiscoveredConcepts))
    rdf.add((node, SKOS.prefLabel, _zh(attributes["name"])))
    rdf.add((node, EDUKG.kind, _string(DISCOVERED)))
    for alias in attributes.get("aliases", ()):
        rdf.add((node, SKOS.altLabel, _zh(alias)))


def _add_span(rdf: rdflib.Graph, mint: _Minter, span: URIRef, place: Mapping[str, Any]) -> None:
    """Report, sentence and character offsets of a mention or a piece of evidence."""
    selector = URIRef(f"{span}/position")
    rdf.add((span, OA.hasSource, mint.node(place["report"])))
    rdf.add((span, OA.hasSelector, selector))
    rdf.add((span, EDUKG.sentence, _count(place["sentence"])))
    rdf.add((selector, RDF.type, OA.TextPositionSelector))
    rdf.add((selector, OA.start, _count(place["start"])))
    rdf.add((selector, OA.end, _count(place["end"])))


def _add_edge(
    rdf: rdflib.Graph,
    mint: _Minter,
    graph: nx.MultiDiGraph,
    source_id: str,
    target_id: str,
    kind: str,
    attributes: Mapping[str, Any],
) -> None:
    relation = check_relation(kind)
    predicate = URIRef(schema().property_iri[relation])
    source, target = mint.node(source_id), mint.node(target_id)
    rdf.add((source, predicate, target))
    if relation == "PART_OF":
        _add_org_membership(
            rdf, graph.nodes[source_id]["label"], graph.nodes[target_id]["label"], source, target
        )

    fact = mint.minted("fact", source_id, relation, target_id)
    rdf.add((fact, RDF.type, EDUKG.Fact))
    rdf.add((fact, RDF.subject, source))
    rdf.add((fact, RDF.predicate, predicate))
    rdf.add((fact, RDF.object, target))
    if attributes.get("status"):
        rdf.add((fact, EDUKG.status, _string(attributes["status"])))
    for report in attributes.get("reports", ()):
        rdf.add((fact, PROV.wasDerivedFrom, mint.node(report)))
    for evidence in attributes.get("evidence", ()):
        span = mint.minted("evidence", fact, evidence["report"], evidence["start"], evidence["end"])
        rdf.add((fact, EDUKG.evidence, span))
        rdf.add((span, RDF.type, EDUKG.Evidence))
        _add_span(rdf, mint, span, evidence)
        rdf.add((span, EDUKG.text, _zh(evidence["text"])))
        rdf.add((span, EDUKG.status, _string(evidence["status"])))


def _add_org_membership(
    rdf: rdflib.Graph, source_label: str, target_label: str, source: URIRef, target: URIRef
) -> None:
    """PART_OF between organisations, or from a person to one, in ORG's own terms."""
    if target_label not in _ORGANIZATIONS:
        return
    if source_label in _ORGANIZATIONS:
        rdf.add((source, ORG.subOrganizationOf, target))
    elif source_label == "Person":
        rdf.add((source, ORG.memberOf, target))


@cache
def ontology_graph() -> rdflib.Graph:
    """``ontology/edukg.ttl`` parsed: the classes and properties the export uses."""
    return rdflib.Graph().parse(data=read_text("edukg.ttl"), format="turtle")


@cache
def shapes_graph() -> rdflib.Graph:
    """``ontology/shapes.ttl`` parsed: the SHACL shapes an export must conform to."""
    return rdflib.Graph().parse(data=read_text("shapes.ttl"), format="turtle")


@dataclass(frozen=True, slots=True)
class Validation:
    conforms: bool
    messages: tuple[str, ...]  # one "<focus node>: <message>" per violation, sorted
    text: str  # pyshacl's full human-readable report


def validate_rdf(rdf: rdflib.Graph) -> Validation:
    """Check an export against the SHACL shapes, with the ontology's class hierarchy."""
    import pyshacl

    conforms, report, text = pyshacl.validate(
        rdf, shacl_graph=shapes_graph(), ont_graph=ontology_graph(), inference="none"
    )
    messages = sorted(
        f"{report.value(result, SH.focusNode)}: {report.value(result, SH.resultMessage)}"
        for result in report.objects(None, SH.result)
    )
    return Validation(conforms=bool(conforms), messages=tuple(messages), text=str(text))


class NotConformingError(RdfExportError):
    """An export that violates ontology/shapes.ttl: the message counts the violations and shows the first."""

    def __init__(self, validation: Validation) -> None:
        self.validation = validation
        count = len(validation.messages)
        first = validation.messages[0] if validation.messages else "see the report"
        super().__init__(
            f"the RDF does not conform to ontology/shapes.ttl: {count} violation(s); first: {first}"
        )


def _check_xml_characters(rdf: rdflib.Graph) -> None:
    """RdfExportError for a literal that XML 1.0 cannot carry (control characters but tab and newlines)."""
    for subject, predicate, literal in rdf:
        if isinstance(literal, Literal) and _XML_FORBIDDEN.search(literal):
            raise RdfExportError(
                f"{predicate} of {subject} holds a control character that RDF/XML cannot carry; "
                "write turtle, nt or json-ld instead"
            )


def write_rdf(
    graph: nx.MultiDiGraph,
    path: str | Path,
    format: str = "turtle",
    base: str = DEFAULT_BASE,
    validate: bool = False,
) -> Path:
    """Write the graph as RDF in ``format`` (a key of FORMATS) to ``path``; returns the path.

    With ``validate``, nothing is written unless the RDF conforms to the shapes.
    """
    if format not in FORMATS:
        raise RdfExportError(f"unknown RDF format {format!r}; valid: {', '.join(FORMATS)}")
    rdf = to_rdf(graph, base)
    if validate:
        validation = validate_rdf(rdf)
        if not validation.conforms:
            raise NotConformingError(validation)
    if format == "xml":
        _check_xml_characters(rdf)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    plugin, _ = FORMATS[format]
    rdf.serialize(destination=path, format=plugin, encoding="utf-8", **_SERIALIZE_OPTIONS.get(plugin, {}))
    return path
