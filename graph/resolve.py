"""Cross-report identity: which graph node an entity of one report is.

National bodies and initiatives (named as a concept of ``ontology/concepts.ttl``)
are one node for every report; local things are scoped to the report's
jurisdiction when it is a real name, and to the report itself when the
jurisdiction is masked or unnamed; anything whose own name is masked, and every
metric, belongs to its report alone. Ids are hashes of those keys: stable across
runs, machines and file order.
"""

from __future__ import annotations

import hashlib
import sys

from edukg.ontology import check_label
from edukg.ontology.concepts import concept_by_name
from edukg.records import Entity, Location, Report
from edukg.text import has_mask, normalise


def node_id(label: str, key: str) -> str:
    """``<label>:<16 hex>`` for an identity key.

    >>> node_id("Bureau", "national|Bureau|moe")
    'bureau:...'
    """
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    # Interned: a node's id is one string however many reports and edges name it.
    return sys.intern(f"{check_label(label).lower()}:{digest}")


def report_node_id(report: Report) -> str:
    return report.id


def _levels(location: Location) -> tuple[tuple[str, str], ...]:
    """(name, adcode) of the named divisions of a location, from the county up."""
    return tuple(
        (name, code)
        for name, code in (
            (location.county, location.county_code),
            (location.city, location.city_code),
            (location.province, location.province_code),
        )
        if name and code
    )


def own_code(report: Report) -> str:
    """The adcode of the report's own jurisdiction when it is named, else ``""``."""
    if report.jurisdiction and not report.jurisdiction_masked:
        for name, code in _levels(report.location):
            if name == report.jurisdiction:
                return code
    return ""


def jurisdiction_key(report: Report) -> str:
    """A named place is one node by its adcode (or its name outside the gazetteer);
    a masked or unnamed one belongs to its report."""
    code = own_code(report)
    if code:
        return f"adcode|{code}"
    if report.jurisdiction and not report.jurisdiction_masked:
        return f"name|{report.jurisdiction}"
    return f"report|{report.id}"


def places_above(report: Report) -> tuple[tuple[str, str], ...]:
    """(name, adcode) of the named divisions above the report's own, nearest first."""
    levels = _levels(report.location)
    code = own_code(report)
    if code:
        return levels[[c for _, c in levels].index(code) + 1 :]
    return levels


def place_node_id(adcode: str) -> str:
    """The Jurisdiction node of a division of the gazetteer."""
    return node_id("Jurisdiction", f"adcode|{adcode}")


def jurisdiction_node_id(report: Report) -> str:
    return node_id("Jurisdiction", jurisdiction_key(report))


def jurisdiction_name(report: Report) -> str:
    """The jurisdiction as written, or a readable stand-in for an unnamed one."""
    if report.jurisdiction:
        return report.jurisdiction
    return f"未具名{report.level or '地区'}"


def is_national(entity: Entity) -> bool:
    """True when the entity is named exactly as a national concept (教育部, 主题教育)."""
    concept = concept_by_name(entity.name)
    return concept is not None and concept.entity_type == entity.type and not has_mask(entity.name)


def entity_node_id(entity: Entity, report: Report) -> str:
    name = normalise(entity.name)
    if entity.type == "Metric":
        value = normalise(entity.metric.value if entity.metric else "")
        return node_id("Metric", f"report|{report.id}|{name}|{value}")
    if is_national(entity):
        concept = concept_by_name(entity.name)
        assert concept is not None
        return node_id(entity.type, f"national|{entity.type}|{concept.id}")
    if has_mask(entity.name):
        return node_id(entity.type, f"report|{report.id}|{entity.type}|{name}")
    return node_id(entity.type, f"local|{jurisdiction_key(report)}|{entity.type}|{name}")


def concept_node_id(concept_id: str) -> str:
    return node_id("Concept", f"concept|{concept_id}")
