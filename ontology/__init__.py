"""The ontology and the lexicons, as data that code asks.

``edukg.ttl`` defines node labels and relationship types; ``concepts.ttl`` the
national concept scheme; ``lexicon/*.txt`` the word lists the extractor and the
segmenter use. Everything is read once through importlib.resources.

>>> "Programme" in entity_types()
True
>>> check_relation("PART_OF")
'PART_OF'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from edukg.errors import UnknownTypeError

NAMESPACE = "https://w3id.org/edukg/ontology#"


def read_text(name: str) -> str:
    """The text of a data file of this package, e.g. ``read_text("edukg.ttl")``."""
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


@dataclass(frozen=True, slots=True)
class Schema:
    node_labels: tuple[str, ...]
    entity_types: tuple[str, ...]
    relation_types: tuple[str, ...]
    extracted_relations: tuple[str, ...]
    class_iri: dict[str, str]
    property_iri: dict[str, str]
    labels: dict[str, dict[str, str]]  # graph label or type -> {"zh": ..., "en": ...}


@cache
def schema() -> Schema:
    """Labels and relationship types as ``edukg.ttl`` defines them."""
    import rdflib

    graph = rdflib.Graph().parse(data=read_text("edukg.ttl"), format="turtle")
    ns = rdflib.Namespace(NAMESPACE)
    labels: dict[str, dict[str, str]] = {}

    def names(annotation: rdflib.URIRef) -> list[tuple[str, str, bool]]:
        found = []
        for subject, value in graph.subject_objects(annotation):
            extracted = bool(graph.value(subject, ns.extracted))
            found.append((str(value), str(subject), extracted))
            labels[str(value)] = {
                literal.language: str(literal)
                for literal in graph.objects(subject, rdflib.RDFS.label)
                if isinstance(literal, rdflib.Literal) and literal.language
            }
        return sorted(found, key=lambda item: _ORDER.get(item[0], 99))

    node_rows = names(ns.graphLabel)
    edge_rows = names(ns.graphType)
    return Schema(
        node_labels=tuple(name for name, _, _ in node_rows),
        entity_types=tuple(name for name, _, extracted in node_rows if extracted),
        relation_types=tuple(name for name, _, _ in edge_rows),
        extracted_relations=tuple(name for name, _, extracted in edge_rows if extracted),
        class_iri={name: iri for name, iri, _ in node_rows},
        property_iri={name: iri for name, iri, _ in edge_rows},
        labels=labels,
    )


# Display order: the guide's order of entity types, then the structural ones.
_ORDER = {
    name: position
    for position, name in enumerate(
        [
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
            "RESPONSIBLE_FOR",
            "PART_OF",
            "MEASURED_BY",
            "MENTIONED_IN",
            "LOCATED_IN",
            "ISSUED_BY",
            "INSTANCE_OF",
        ]
    )
}


def entity_types() -> tuple[str, ...]:
    """The eight types the extractor produces."""
    return schema().entity_types


def node_labels() -> tuple[str, ...]:
    return schema().node_labels


def relation_types() -> tuple[str, ...]:
    return schema().relation_types


def check_label(name: str) -> str:
    """``name`` if the ontology defines that node label, else UnknownTypeError."""
    if name not in schema().node_labels:
        raise UnknownTypeError("node label", name, list(schema().node_labels))
    return name


def check_relation(name: str) -> str:
    """``name`` if the ontology defines that relationship type, else UnknownTypeError."""
    if name not in schema().relation_types:
        raise UnknownTypeError("relationship type", name, list(schema().relation_types))
    return name


@cache
def lexicon(name: str) -> tuple[str, ...]:
    """The entries of ``lexicon/<name>.txt``: one per line, ``#`` starts a comment."""
    entries = []
    for line in read_text(f"lexicon/{name}.txt").splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            entries.append(entry)
    return tuple(entries)


@cache
def lexicon_table(name: str) -> tuple[tuple[str, ...], ...]:
    """The rows of a lexicon whose entries are ``|``-separated fields."""
    return tuple(tuple(field.strip() for field in entry.split("|")) for entry in lexicon(name))
