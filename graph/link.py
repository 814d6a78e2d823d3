"""Linking: the national initiatives a report states, each with the sentences that state it.

A report states an initiative when one of its sentences names it by a variant of the
concept scheme (``ontology/concepts.ttl``), as ``edukg.ontology.concepts.find_concepts``
finds them: quoted or not, inside a longer name, with its place, scope and suffix words.
Whether the text around the name is an extracted entity does not matter: the link is
the report's (in the graph, ``Report -INSTANCE_OF-> Concept`` with the sentences as its
evidence), so "this report runs 双减" holds even where 双减 is written in passing.

>>> from edukg.ingest import report_from_text
>>> report = report_from_text("2023年全市深入推进“双减”工作。课后服务覆盖率达100%。", "a.txt")
>>> [(link.concept, [e.sentence for e in link.evidence]) for link in link_concepts(report)]
[('after-school-services', [1]), ('double-reduction', [0])]
"""

from __future__ import annotations

from dataclasses import dataclass

from edukg.ontology.concepts import find_concepts
from edukg.records import Evidence, Report


@dataclass(frozen=True, slots=True)
class ConceptLink:
    concept: str  # concept id
    evidence: tuple[Evidence, ...]  # one per sentence that names it, in text order
    names: tuple[str, ...]  # the mentions as written, first one first


def link_concepts(report: Report) -> tuple[ConceptLink, ...]:
    """The initiatives of the scheme that ``report`` states, sorted by concept id."""
    evidence: dict[str, list[Evidence]] = {}
    names: dict[str, list[str]] = {}
    for sentence in report.sentences:
        text = report.text[sentence.start : sentence.end]
        for match in find_concepts(text):
            rows = evidence.setdefault(match.concept.id, [])
            if not rows or rows[-1].sentence != sentence.index:
                rows.append(
                    Evidence(report.id, sentence.index, sentence.start, sentence.end, sentence.status)
                )
            if match.text not in names.setdefault(match.concept.id, []):
                names[match.concept.id].append(match.text)
    return tuple(
        ConceptLink(concept, tuple(rows), tuple(names[concept])) for concept, rows in sorted(evidence.items())
    )
