"""The graph as RDF, described by ``ontology/edukg.ttl`` and checked by ``ontology/shapes.ttl``.

The triples are made node by node (``rdf_chunks``) and written as they come
(``nt_lines``, ``turtle_lines``, ``json_ld_lines``), escaped by rdflib's N-Triples
escaping; ``to_rdf`` gathers the same triples into an rdflib graph for SPARQL.

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
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import networkx as nx
import rdflib
from rdflib import OWL, RDF, RDFS, XSD, Literal, Namespace, URIRef
from rdflib.namespace import ORG, PROV, SH, SKOS
from rdflib.plugins.serializers.nt import _quote_encode

from edukg.errors import EdukgError
from edukg.graph.export_json import graph_json_text, node_link_records, read_graph, write_lines
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

_NODE_ID = re.compile(r"([a-z]+):([0-9a-f]+)")
# Characters RFC 3987 forbids in an IRI, plus the ones that would end it in Turtle or N-Triples.
_IRI_FORBIDDEN = re.compile(r'[\s<>"{}|\\^`]')
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ORGANIZATIONS = {"Bureau", "Institution"}
_MINTED = ("fact", "evidence", "mention")  # kinds of IRIs minted from hashes of ids, not node ids


class RdfExportError(EdukgError):
    """A graph or a base IRI that cannot be written as RDF; the message says which part."""


class Lit(NamedTuple):
    """A literal as it is written: its lexical form, and a language tag or a datatype IRI."""

    lexical: str
    language: str = ""
    datatype: str = ""


Term = str | Lit  # an IRI (every subject and predicate is one) or a literal
Triple = tuple[str, str, Term]


class _Vocabulary:
    """A namespace whose terms are plain strings, each made once (rdflib's namespaces make
    a new URIRef at every use, a third of the export's time)."""

    def __init__(self, namespace: object) -> None:
        self._namespace = str(namespace)

    def __getattr__(self, name: str) -> str:
        term = self._namespace + name
        setattr(self, name, term)
        return term


_E, _OA, _PROV, _RDF, _SKOS, _ORG = map(_Vocabulary, (EDUKG, OA, PROV, RDF, SKOS, ORG))
_RDF_TYPE = _RDF.type
_BOOLEAN, _NON_NEGATIVE, _INTEGER, _DECIMAL = map(
    str, (XSD.boolean, XSD.nonNegativeInteger, XSD.integer, XSD.decimal)
)


def _zh(value: Any) -> Lit:
    return Lit(str(value), language="zh")


def _string(value: Any) -> Lit:
    return Lit(str(value))


def _boolean(value: Any) -> Lit:
    return Lit("true" if value else "false", datatype=_BOOLEAN)


def _count(value: Any) -> Lit:
    return Lit(str(int(value)), datatype=_NON_NEGATIVE)


def _integer(value: Any) -> Lit:
    return Lit(str(int(value)), datatype=_INTEGER)


def _decimal(value: Any) -> Lit:
    number = Decimal(str(value))
    if not number.is_finite():
        raise RdfExportError(f"numeric value {value!r} is not a finite number")
    # Always with a point: Turtle writes a decimal as a bare number, and one without a
    # point would read back as an xsd:integer.
    lexical = f"{number:f}"
    if "." not in lexical:
        lexical += ".0"
    return Lit(lexical, datatype=_DECIMAL)


_Attribute = tuple[str, Callable[[Any], Lit]]

# Node attribute -> (property, literal maker). Lists give one triple per item; None and ""
# give none. `label`, `reports`, `mentions` and `concept` become resources, not literals;
# a Concept node's attributes are the scheme's own labels, so the scheme gives them.
_ATTRIBUTES: dict[str, _Attribute] = {
    "name": (_E.name, _zh),
    "aliases": (_E.alias, _zh),
    "scope": (_E.scope, _string),
    "jurisdiction": (_E.jurisdictionName, _zh),
    "status": (_E.status, _string),
    "value": (_E.value, _string),
    "unit": (_E.unit, _string),
    "numeric": (_E.numeric, _decimal),
    "masked": (_E.masked, _boolean),
    "comparison": (_E.comparison, _zh),
    "family": (_E.indicatorFamily, _string),
    "family_name": (_E.indicatorFamilyName, _zh),
    "year": (_E.reportYear, _integer),
    "title": (_E.title, _zh),
    "source": (_E.source, _string),
    "bureau": (_E.bureauName, _zh),
    "level": (_E.level, _string),
    "chars": (_E.chars, _count),
    "province": (_E.provinceName, _zh),
    "province_code": (_E.provinceCode, _string),
    "city": (_E.cityName, _zh),
    "city_code": (_E.cityCode, _string),
    "county": (_E.countyName, _zh),
    "county_code": (_E.countyCode, _string),
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

    def node(self, node_id: str) -> str:
        if node_id in self.concepts:
            return self.concepts[node_id]
        match = _NODE_ID.fullmatch(node_id)
        if match is None:
            raise RdfExportError(f"node id {node_id!r} is not of the form <label>:<hex>")
        if match[1] == "concept" and node_id not in self.discovered:
            raise RdfExportError(
                f"concept node {node_id!r} is not a concept of ontology/concepts.ttl nor a discovered one"
            )
        return f"{self.base}{match[1]}/{match[2]}"

    def minted(self, kind: str, *parts: object) -> str:
        return f"{self.base}{kind}/{_digest(*parts)}"

    def node_id(self, iri: str) -> str:
        """The node id an IRI under the base was minted from (``""`` for any other IRI)."""
        kind, _, digest = (
            iri.removeprefix(self.base).partition("/") if iri.startswith(self.base) else ("", "", "")
        )
        return f"{kind}:{digest}" if digest else ""


@cache
def concept_scheme() -> rdflib.Graph:
    """``ontology/concepts.ttl``, each concept also typed skos:Concept for tools that do not reason."""
    scheme = rdflib.Graph().parse(data=read_text("concepts.ttl"), format="turtle")
    for concept in concepts():
        scheme.add((URIRef(concept.iri), RDF.type, SKOS.Concept))
    return scheme


@cache
def _scheme_triples() -> tuple[Triple, ...]:
    return tuple((str(s), str(p), _term(o)) for s, p, o in concept_scheme())


def _term(node: rdflib.term.Node) -> Term:
    if isinstance(node, Literal):
        return Lit(str(node), node.language or "", str(node.datatype or ""))
    if isinstance(node, URIRef):
        return str(node)
    raise RdfExportError(f"ontology/concepts.ttl holds a blank node ({node}); name it with an IRI")


def to_term(term: Term) -> rdflib.term.Identifier:
    """The rdflib term of an IRI or a :class:`Lit`."""
    if isinstance(term, Lit):
        return Literal(term.lexical, lang=term.language or None, datatype=term.datatype or None)
    return URIRef(term)


# ---------------------------------------------------------------- the graph, node by node

# A node as the export reads it: its id, its attributes, and its out-edges as
# (target, relationship type, attributes), read as they are asked for (a national body
# has tens of thousands), before the next node.
Group = tuple[str, Mapping[str, Any], Iterator[tuple[str, str, Mapping[str, Any]]]]


@dataclass(frozen=True, slots=True)
class _Nodes:
    """What the export must know before it writes the first node: every node's label (for
    PART_OF between organisations, and the classes a validation chunk refers to) and the
    discovered initiatives (to tell an IRI under the base from an unknown concept)."""

    labels: Mapping[str, str]
    discovered: frozenset[str]
    groups: Callable[[], Iterator[Group]]


def _graph_nodes(graph: nx.MultiDiGraph) -> _Nodes:
    def groups() -> Iterator[Group]:
        for node, attributes in graph.nodes(data=True):
            edges = graph.out_edges(node, keys=True, data=True)
            yield node, attributes, ((v, data.get("type", key), data) for _, v, key, data in edges)

    return _Nodes(
        labels=dict(graph.nodes(data="label", default="")),
        discovered=frozenset(n for n, kind in graph.nodes(data="kind") if kind == DISCOVERED),
        groups=groups,
    )


class _NotInNodeOrder(ValueError):
    """graph.json's edges are not grouped by source in the order of the nodes (a hand-made file)."""


def _file_nodes(path: Path) -> _Nodes:
    """The nodes of a graph.json as ``write_graph`` lays it out, read line by line: one pass
    for the labels, then the node lines and the edge lines side by side (networkx lists
    edges by source, in node order), so that no more than a node's record and an edge's
    are held."""
    labels: dict[str, str] = {}
    discovered = set()
    with path.open("rb") as lines:
        for _, record in node_link_records(lines, ("nodes",)):
            labels[record["id"]] = sys.intern(record.get("label", ""))
            if record.get("kind") == DISCOVERED:
                discovered.add(record["id"])

    def groups() -> Iterator[Group]:
        with path.open("rb") as node_lines, path.open("rb") as edge_lines:
            edges = (record for _, record in node_link_records(edge_lines, ("edges",)))
            edge = next(edges, None)

            def out_edges(node_id: str) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
                nonlocal edge
                while edge is not None and edge["source"] == node_id:
                    yield edge["target"], edge.get("type", edge["key"]), edge
                    edge = next(edges, None)

            for _, node in node_link_records(node_lines, ("nodes",)):
                node_id = node.pop("id")
                yield node_id, node, out_edges(node_id)
                for _ in out_edges(node_id):  # what the consumer left unread
                    pass
            if edge is not None:
                raise _NotInNodeOrder(f"edge {edge['source']} -> {edge['target']} is out of node order")

    return _Nodes(labels, frozenset(discovered), groups)


def _minter(nodes: _Nodes, base: str) -> _Minter:
    scheme = {concept_node_id(concept.id): concept.iri for concept in concepts()}
    return _Minter(check_base(base), scheme, nodes.discovered)


def rdf_chunks(nodes: _Nodes, mint: _Minter, whole_nodes: bool = False) -> Iterator[list[Triple]]:
    """The export's triples: the concept scheme, then one list for each node's own triples
    and one for each of its out-edges'; with ``whole_nodes``, one list per node and its
    out-edges, so that every triple about a node comes in one list (for validation; a
    national body's list is long)."""
    yield list(_scheme_triples())
    for node_id, attributes, edges in nodes.groups():
        triples = list(_node_triples(mint, node_id, attributes))
        for target, kind, data in edges:
            if not whole_nodes:
                yield triples
                triples = []
            triples.extend(_edge_triples(mint, nodes.labels, node_id, target, kind, data))
        yield triples


def to_rdf(graph: nx.MultiDiGraph, base: str = DEFAULT_BASE) -> rdflib.Graph:
    """The graph as an rdflib graph, with IRIs minted from node ids under ``base`` (for
    SPARQL and tests; the files are written triple by triple, see :func:`write_rdf`)."""
    nodes = _graph_nodes(graph)
    mint = _minter(nodes, base)
    rdf = rdflib.Graph(bind_namespaces="core")
    for prefix, namespace in prefixes(mint.base).items():
        rdf.bind(prefix, Namespace(namespace))
    for chunk in rdf_chunks(nodes, mint):
        for subject, predicate, term in chunk:
            rdf.add((URIRef(subject), URIRef(predicate), to_term(term)))
    return rdf


def prefixes(base: str) -> dict[str, str]:
    """The prefixes an export declares: vocabularies, one per kind of node IRI under ``base``,
    and the concept scheme's."""
    kinds = (*(label.lower() for label in schema().node_labels if label != "Concept"), *_MINTED)
    return {
        "rdf": str(RDF),
        "rdfs": str(RDFS),
        "xsd": str(XSD),
        "owl": str(OWL),
        "edukg": str(EDUKG),
        "oa": str(OA),
        "prov": str(PROV),
        "org": str(ORG),
        "skos": str(SKOS),
        **{kind: f"{base}{kind}/" for kind in kinds},
        "concept": CONCEPT_BASE,
    }


def _literals(attributes: Mapping[str, Any], table: Mapping[str, _Attribute]) -> Iterator[tuple[str, Lit]]:
    for attribute, value in attributes.items():
        if attribute not in table or value is None or value == "":
            continue
        predicate, make = table[attribute]
        for item in value if isinstance(value, list | tuple) else (value,):
            yield predicate, make(item)


def _node_triples(mint: _Minter, node_id: str, attributes: Mapping[str, Any]) -> Iterator[Triple]:
    label = check_label(attributes.get("label", ""))
    node = mint.node(node_id)
    if label == "Concept":
        if node_id in mint.discovered:
            yield from _discovered_triples(node, attributes)
        return
    yield node, _RDF_TYPE, schema().class_iri[label]
    for predicate, literal in _literals(attributes, _ATTRIBUTES):
        yield node, predicate, literal
    for report in attributes.get("reports", ()):
        if report != node_id:
            yield node, _PROV.wasDerivedFrom, mint.node(report)
    if attributes.get("concept"):
        yield node, _E.instanceOf, mint.node(attributes["concept"])
    for mention in attributes.get("mentions", ()):
        span = mint.minted("mention", node_id, mention["report"], mention["start"], mention["end"])
        yield node, _E.mention, span
        yield span, _RDF_TYPE, _E.Mention
        yield from _span_triples(mint, span, mention)


def _discovered_triples(node: str, attributes: Mapping[str, Any]) -> Iterator[Triple]:
    """A discovered initiative: a concept of the export's own scheme, labelled by its core
    name and the names the reports write."""
    yield node, _RDF_TYPE, _E.Concept
    yield node, _RDF_TYPE, _SKOS.Concept
    yield node, _SKOS.inScheme, _E.DiscoveredConcepts
    yield node, _SKOS.prefLabel, _zh(attributes["name"])
    yield node, _E.kind, _string(DISCOVERED)
    for alias in attributes.get("aliases", ()):
        yield node, _SKOS.altLabel, _zh(alias)


def _span_triples(mint: _Minter, span: str, place: Mapping[str, Any]) -> Iterator[Triple]:
    """Report, sentence and character offsets of a mention or a piece of evidence."""
    selector = f"{span}/position"
    yield span, _OA.hasSource, mint.node(place["report"])
    yield span, _OA.hasSelector, selector
    yield span, _E.sentence, _count(place["sentence"])
    yield selector, _RDF_TYPE, _OA.TextPositionSelector
    yield selector, _OA.start, _count(place["start"])
    yield selector, _OA.end, _count(place["end"])


def _edge_triples(
    mint: _Minter,
    labels: Mapping[str, str],
    source_id: str,
    target_id: str,
    kind: str,
    attributes: Mapping[str, Any],
) -> Iterator[Triple]:
    relation = check_relation(kind)
    predicate = schema().property_iri[relation]
    source, target = mint.node(source_id), mint.node(target_id)
    yield source, predicate, target
    if relation == "PART_OF" and labels.get(target_id) in _ORGANIZATIONS:
        if labels.get(source_id) in _ORGANIZATIONS:
            yield source, _ORG.subOrganizationOf, target
        elif labels.get(source_id) == "Person":
            yield source, _ORG.memberOf, target

    fact = mint.minted("fact", source_id, relation, target_id)
    yield fact, _RDF_TYPE, _E.Fact
    yield fact, _RDF.subject, source
    yield fact, _RDF.predicate, predicate
    yield fact, _RDF.object, target
    if attributes.get("status"):
        yield fact, _E.status, _string(attributes["status"])
    for report in attributes.get("reports", ()):
        yield fact, _PROV.wasDerivedFrom, mint.node(report)
    for evidence in attributes.get("evidence", ()):
        span = mint.minted("evidence", fact, evidence["report"], evidence["start"], evidence["end"])
        yield fact, _E.evidence, span
        yield span, _RDF_TYPE, _E.Evidence
        yield from _span_triples(mint, span, evidence)
        yield span, _E.text, _zh(evidence["text"])
        yield span, _E.status, _string(evidence["status"])


# ---------------------------------------------------------------- writing the triples


def _nt_literal(term: Lit) -> str:
    quoted = _quote_encode(term.lexical)  # rdflib's own N-Triples escaping of the lexical form
    if term.language:
        return f"{quoted}@{term.language}"
    return f"{quoted}^^<{term.datatype}>" if term.datatype else quoted


def nt_lines(chunks: Iterable[list[Triple]]) -> Iterator[str]:
    """N-Triples, one line a triple.

    >>> list(nt_lines([[("https://a.org/x", "https://a.org/p", Lit('say "hi"', language="zh"))]]))
    ['<https://a.org/x> <https://a.org/p> "say \\\\"hi\\\\""@zh .\\n']
    """
    for chunk in chunks:
        # IRIs are minted from ids and hashes, or the scheme's: nothing in them to escape
        yield "".join(
            f"<{s}> <{p}> {_nt_literal(o)} .\n" if isinstance(o, Lit) else f"<{s}> <{p}> <{o}> .\n"
            for s, p, o in chunk
        )


_PN_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")


@dataclass(frozen=True, slots=True)
class _Names:
    """Prefixed names for the IRIs of namespaces with a prefix."""

    namespaces: Mapping[str, str]  # namespace IRI -> prefix

    def name(self, iri: str) -> str:
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        prefix = self.namespaces.get(iri[:cut])
        if prefix is not None and _PN_LOCAL.fullmatch(iri, cut):
            return f"{prefix}:{iri[cut:]}"
        return f"<{iri}>"

    def term(self, term: Term) -> str:
        if isinstance(term, Lit):
            quoted = _quote_encode(term.lexical)
            if term.language:
                return f"{quoted}@{term.language}"
            return f"{quoted}^^{self.name(term.datatype)}" if term.datatype else quoted
        return self.name(term)


def _by_subject(chunk: list[Triple]) -> dict[str, dict[str, list[Term]]]:
    subjects: dict[str, dict[str, list[Term]]] = {}
    for subject, predicate, term in chunk:
        subjects.setdefault(subject, {}).setdefault(predicate, []).append(term)
    return subjects


def turtle_lines(chunks: Iterable[list[Triple]], base: str = DEFAULT_BASE) -> Iterator[str]:
    """Turtle: the prefixes, then each chunk's triples grouped by subject and predicate."""
    declared = prefixes(base)
    names = _Names({namespace: prefix for prefix, namespace in declared.items()})
    yield "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in declared.items())
    for chunk in chunks:
        blocks = []
        for subject, predicates in _by_subject(chunk).items():
            body = " ;\n    ".join(
                ("a" if predicate == _RDF_TYPE else names.name(predicate))
                + " "
                + ", ".join(map(names.term, terms))
                for predicate, terms in predicates.items()
            )
            blocks.append(f"\n{names.name(subject)} {body} .\n")
        yield "".join(blocks)


def _json_ld_value(term: Term) -> dict[str, str]:
    if isinstance(term, Lit):
        if term.language:
            return {"@value": term.lexical, "@language": term.language}
        return {"@value": term.lexical, "@type": term.datatype} if term.datatype else {"@value": term.lexical}
    return {"@id": term}


def json_ld_lines(chunks: Iterable[list[Triple]], base: str = DEFAULT_BASE) -> Iterator[str]:
    """JSON-LD: a context of the prefixes, then one node object a subject of each chunk,
    keyed by prefixed property names (a subject may have more than one object)."""
    declared = prefixes(base)
    names = _Names({namespace: prefix for prefix, namespace in declared.items()})
    yield '{"@context": ' + graph_json_text(declared) + ',\n"@graph": ['
    first = True
    for chunk in chunks:
        for subject, predicates in _by_subject(chunk).items():
            item: dict[str, Any] = {"@id": subject}
            for predicate, terms in predicates.items():
                if predicate == _RDF_TYPE:
                    item["@type"] = [str(term) for term in terms]
                else:
                    item[names.name(predicate).strip("<>")] = [_json_ld_value(term) for term in terms]
            yield ("\n" if first else ",\n") + graph_json_text(item)
            first = False
    yield "\n]}\n"


# ---------------------------------------------------------------- checking the triples


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


def validate_rdf(rdf: rdflib.Graph, focus: Iterable[str] | None = None) -> Validation:
    """Check an export against the SHACL shapes, with the ontology's class hierarchy; with
    ``focus``, only those nodes (the rest of ``rdf`` is what they refer to)."""
    import pyshacl

    conforms, report, text = pyshacl.validate(
        rdf,
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph(),
        inference="none",
        focus_nodes=None if focus is None else [URIRef(node) for node in focus],
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


VALIDATION_TRIPLES = 200_000  # triples checked at once: what bounds the memory of --validate


def _validated(chunks: Iterable[list[Triple]], nodes: _Nodes, mint: _Minter) -> Iterator[list[Triple]]:
    """``chunks`` as they come, checked against the shapes VALIDATION_TRIPLES at a time.

    Each check holds whole nodes (every triple about a node is in one chunk), the concept
    scheme and the class of every node they refer to, and focuses on the chunks' own
    subjects; the scheme is checked on its own, whole (pyshacl, focused on a concept,
    miscounts its qualified labels). Raises NotConformingError at the first set that does
    not conform.
    """
    scheme = _scheme_validation()
    if not scheme.conforms:
        raise NotConformingError(scheme)
    held: list[Triple] = []
    for chunk in chunks:
        yield chunk
        held.extend(chunk)
        if len(held) >= VALIDATION_TRIPLES:
            _check(held, nodes, mint)
            held = []
    if held:
        _check(held, nodes, mint)


@cache
def _scheme_validation() -> Validation:
    return validate_rdf(concept_scheme())


def _check(triples: list[Triple], nodes: _Nodes, mint: _Minter) -> None:
    rdf = rdflib.Graph()
    for subject, predicate, term in (*triples, *_scheme_triples()):
        rdf.add((URIRef(subject), URIRef(predicate), to_term(term)))
    for term in {term for _, _, term in triples if isinstance(term, str)}:
        label = nodes.labels.get(mint.node_id(term), "")
        if label in schema().class_iri:
            rdf.add((URIRef(term), RDF.type, URIRef(schema().class_iri[label])))
    scheme = {subject for subject, _, _ in _scheme_triples()}
    validation = validate_rdf(rdf, focus={subject for subject, _, _ in triples} - scheme)
    if not validation.conforms:
        raise NotConformingError(validation)


def _check_xml_characters(rdf: rdflib.Graph) -> None:
    """RdfExportError for a literal that XML 1.0 cannot carry (control characters but tab and newlines)."""
    for subject, predicate, literal in rdf:
        if isinstance(literal, Literal) and _XML_FORBIDDEN.search(literal):
            raise RdfExportError(
                f"{predicate} of {subject} holds a control character that RDF/XML cannot carry; "
                "write turtle, nt or json-ld instead"
            )


def _xml_text(chunks: Iterable[list[Triple]], base: str) -> Iterator[str]:
    """RDF/XML, through an rdflib graph of everything: the one format not written as it goes."""
    rdf = rdflib.Graph(bind_namespaces="core")
    for prefix, namespace in prefixes(base).items():
        rdf.bind(prefix, Namespace(namespace))
    for chunk in chunks:
        for subject, predicate, term in chunk:
            rdf.add((URIRef(subject), URIRef(predicate), to_term(term)))
    _check_xml_characters(rdf)
    yield rdf.serialize(format="xml")


# CLI format name -> the writer of its text (given the chunks of triples and the base)
_WRITERS: dict[str, Callable[[Iterable[list[Triple]], str], Iterator[str]]] = {
    "turtle": turtle_lines,
    "json-ld": json_ld_lines,
    "nt": lambda chunks, _: nt_lines(chunks),
    "xml": _xml_text,
}


def write_rdf(
    graph: nx.MultiDiGraph | str | Path,
    path: str | Path,
    format: str = "turtle",
    base: str = DEFAULT_BASE,
    validate: bool = False,
) -> Path:
    """Write the graph (or the graph.json at ``graph``, read as it goes) as RDF in ``format``
    (a key of FORMATS) to ``path``; returns the path.

    Triples are written node by node: no graph of them all is held (but for RDF/XML).
    With ``validate``, they are checked against the shapes as they go, and nothing is
    written unless they all conform.
    """
    if format not in FORMATS:
        raise RdfExportError(f"unknown RDF format {format!r}; valid: {', '.join(FORMATS)}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    try:
        if isinstance(graph, nx.MultiDiGraph):
            _write(_graph_nodes(graph), partial, format, base, validate)
        else:
            try:
                _write(_file_nodes(Path(graph)), partial, format, base, validate)
            except (ValueError, KeyError, TypeError, AttributeError, FileNotFoundError):
                # not laid out as edukg writes it (or not a graph at all): read it whole,
                # which says what is wrong with it
                _write(_graph_nodes(read_graph(graph)), partial, format, base, validate)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def _write(nodes: _Nodes, path: Path, format: str, base: str, validate: bool) -> None:
    mint = _minter(nodes, base)
    chunks = rdf_chunks(nodes, mint, whole_nodes=validate)
    write_lines(_WRITERS[format](_validated(chunks, nodes, mint) if validate else chunks, mint.base), path)
