"""ontology/edukg.ttl and ontology/shapes.ttl: complete, labelled, consistent with each other and the code."""

from __future__ import annotations

import pyshacl
import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, URIRef
from rdflib.namespace import SH

from edukg.ontology import NAMESPACE, read_text, schema

EDUKG = rdflib.Namespace(NAMESPACE)
# ARCHITECTURE.md's node labels and relationship types, in its order.
NODE_LABELS = [
    "Bureau",
    "Institution",
    "Programme",
    "Policy",
    "Campaign",
    "Document",
    "Person",
    "Metric",
    "Report",
    "Jurisdiction",
    "Concept",
]
RELATION_TYPES = [
    "RESPONSIBLE_FOR",
    "PART_OF",
    "MEASURED_BY",
    "MENTIONED_IN",
    "LOCATED_IN",
    "ISSUED_BY",
    "INSTANCE_OF",
]


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(data=read_text("edukg.ttl"), format="turtle")


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(data=read_text("shapes.ttl"), format="turtle")


def own_terms(ontology: rdflib.Graph, kind: URIRef) -> set[URIRef]:
    return {term for term in ontology.subjects(RDF.type, kind) if str(term).startswith(NAMESPACE)}


def own_properties(ontology: rdflib.Graph) -> set[URIRef]:
    return own_terms(ontology, OWL.ObjectProperty) | own_terms(ontology, OWL.DatatypeProperty)


@pytest.mark.parametrize("kind", [OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty])
def test_every_class_and_property_has_one_zh_and_one_en_label(ontology: rdflib.Graph, kind: URIRef) -> None:
    terms = own_terms(ontology, kind)
    assert terms
    for term in terms:
        languages = sorted(label.language for label in ontology.objects(term, RDFS.label))
        assert languages == ["en", "zh"], term


def test_graph_annotations_are_the_schema_the_code_reads(ontology: rdflib.Graph) -> None:
    labels = {str(value): str(term) for term, value in ontology.subject_objects(EDUKG.graphLabel)}
    types = {str(value): str(term) for term, value in ontology.subject_objects(EDUKG.graphType)}
    assert labels == schema().class_iri
    assert types == schema().property_iri
    assert list(schema().node_labels) == NODE_LABELS
    assert list(schema().relation_types) == RELATION_TYPES
    assert set(schema().entity_types) == set(NODE_LABELS[:8])
    assert all((URIRef(iri), RDF.type, OWL.Class) in ontology for iri in labels.values())
    assert all((URIRef(iri), RDF.type, OWL.ObjectProperty) in ontology for iri in types.values())


def test_relations_have_a_declared_domain_and_range(ontology: rdflib.Graph) -> None:
    classes = own_terms(ontology, OWL.Class)
    for relation in own_terms(ontology, OWL.ObjectProperty):
        assert ontology.value(relation, RDFS.domain) in classes, relation
        assert ontology.value(relation, RDFS.range) in classes, relation


def test_w3c_vocabularies_are_reused_where_they_fit(ontology: rdflib.Graph) -> None:
    superclasses = {
        (str(term).removeprefix(NAMESPACE), str(parent))
        for term, parent in ontology.subject_objects(RDFS.subClassOf)
    }
    assert {
        ("Bureau", "http://www.w3.org/ns/org#Organization"),
        ("Institution", "http://www.w3.org/ns/org#Organization"),
        ("Concept", "http://www.w3.org/2004/02/skos/core#Concept"),
        ("Report", "http://www.w3.org/ns/prov#Entity"),
        ("Fact", "http://www.w3.org/ns/prov#Entity"),
        ("Evidence", "http://www.w3.org/ns/oa#SpecificResource"),
    } <= superclasses
    assert ontology.value(EDUKG.numeric, RDFS.range) == rdflib.XSD.decimal
    assert ontology.value(EDUKG.masked, RDFS.range) == rdflib.XSD.boolean


def _superclasses(ontology: rdflib.Graph, term: URIRef) -> set[URIRef]:
    return set(ontology.transitive_objects(term, RDFS.subClassOf))


def test_shapes_cover_every_class(ontology: rdflib.Graph, shapes: rdflib.Graph) -> None:
    """A class is covered by a shape that targets it or a class above it (EntityShape covers a Bureau)."""
    targets = set(shapes.objects(None, SH.targetClass))
    for term in own_terms(ontology, OWL.Class):
        assert _superclasses(ontology, term) & targets, f"no shape targets {term} or a superclass"


def test_shapes_cover_every_property(ontology: rdflib.Graph, shapes: rdflib.Graph) -> None:
    paths = set(shapes.objects(None, SH.path)) | set(shapes.objects(None, SH.inversePath))
    missing = own_properties(ontology) - paths
    assert not missing
    relation_targets = set(shapes.objects(None, SH.targetSubjectsOf))
    assert own_terms(ontology, OWL.ObjectProperty) <= relation_targets


@pytest.mark.parametrize("name", ["shapes.ttl", "concepts.ttl"])
def test_every_edukg_term_used_elsewhere_is_declared(ontology: rdflib.Graph, name: str) -> None:
    """A misspelt edukg: term in the shapes or the concept scheme would silently check nothing."""
    declared = {term for term in ontology.subjects() if isinstance(term, URIRef)}
    used = {
        term
        for triple in rdflib.Graph().parse(data=read_text(name), format="turtle")
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(NAMESPACE)
    }
    shape_names = {term for term in used if str(term).endswith("Shape")} | {
        EDUKG.NationalConcepts,
        EDUKG.DiscoveredConcepts,
    }
    assert used - shape_names - declared == set()


def test_shapes_are_valid_shacl(shapes: rdflib.Graph) -> None:
    conforms, _, text = pyshacl.validate(rdflib.Graph(), shacl_graph=shapes, meta_shacl=True)
    assert conforms, text
