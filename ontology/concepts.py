"""The national concept scheme (``concepts.ttl``): initiatives and bodies that link cities.

>>> concept_by_name("“双一流”建设").id
'double-first-class'
>>> concept_in_name("市双一流建设攻坚").id
'double-first-class'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from edukg.ontology import read_text
from edukg.text import normalise

CONCEPT_BASE = "https://w3id.org/edukg/concept/"


@dataclass(frozen=True, slots=True)
class Concept:
    id: str
    name: str
    name_en: str
    kind: str  # "initiative" or "body"
    entity_type: str
    variants: tuple[str, ...]  # every Chinese name, preferred first
    standalone: bool = False  # its bare name is an entity wherever it is written

    @property
    def iri(self) -> str:
        return CONCEPT_BASE + self.id


@cache
def concepts() -> tuple[Concept, ...]:
    """Every concept of the scheme, in file order."""
    import rdflib
    from rdflib.namespace import SKOS

    graph = rdflib.Graph().parse(data=read_text("concepts.ttl"), format="turtle")
    edukg = rdflib.Namespace("https://w3id.org/edukg/ontology#")
    found = []
    for subject in graph.subjects(rdflib.RDF.type, edukg.Concept):
        labels = {lit.language: str(lit) for lit in graph.objects(subject, SKOS.prefLabel)}
        variants = [
            labels["zh"],
            *sorted(str(lit) for lit in graph.objects(subject, SKOS.altLabel) if lit.language == "zh"),
        ]
        found.append(
            Concept(
                id=str(subject).removeprefix(CONCEPT_BASE),
                name=labels["zh"],
                name_en=labels.get("en", ""),
                kind=str(graph.value(subject, edukg.kind)),
                entity_type=str(graph.value(subject, edukg.entityType)),
                variants=tuple(variants),
                standalone=bool(graph.value(subject, edukg.standalone)),
            )
        )
    return tuple(sorted(found, key=lambda concept: concept.id))


@cache
def _by_variant() -> dict[str, Concept]:
    return {normalise(variant): concept for concept in concepts() for variant in concept.variants}


@cache
def _variants_longest_first() -> tuple[tuple[str, Concept], ...]:
    return tuple(sorted(_by_variant().items(), key=lambda item: -len(item[0])))


def concept_by_id(concept_id: str) -> Concept:
    for concept in concepts():
        if concept.id == concept_id:
            return concept
    raise KeyError(concept_id)


def concept_by_name(name: str) -> Concept | None:
    """The concept named exactly ``name`` (quotes and masks aside), if any."""
    return _by_variant().get(normalise(name))


def concept_in_name(name: str) -> Concept | None:
    """The concept whose longest variant occurs in ``name`` (市双一流建设 → 双一流建设)."""
    key = normalise(name)
    for variant, concept in _variants_longest_first():
        if variant in key:
            return concept
    return None
