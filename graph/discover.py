"""Discovered initiatives: shared work that the concept scheme does not list yet.

A Programme, Campaign or Policy that is an instance of no concept is named by its core:
its name without the place, scope, year, edition and generic suffix words around it
(``lexicon/concept-affixes.txt``, places from ``gazetteer.tsv``). Names whose core recurs
in two reports or more, and names work rather than a document, a meeting or a whole field
(``lexicon/discovery.txt``), become one Concept of kind ``discovered``, whose id is a hash of
the core, so the same work in different cities meets in one node that an analyst can
promote into ``ontology/concepts.ttl``.

>>> core_name("芜湖市2023年“教育强市”创建工作")
'教育强市'
>>> core_name("第二批全县课后服务提质行动")
'课后服务提质'
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache
from typing import Any

import networkx as nx

from edukg.graph import resolve
from edukg.ontology import lexicon_table
from edukg.ontology.concepts import affixes, match_key
from edukg.ontology.places import gazetteer
from edukg.text import MASK

KINDS = {"Programme", "Campaign", "Policy"}
MIN_REPORTS = 2
# A core shorter than this is a generic word (教育, 改革), not the name of an initiative.
MIN_CORE = 4
# A trailing parenthesis holds a period or a note: （2021—2025年）, (试行).
_PARENTHESIS = re.compile(r"[（(][^（()）]*[)）]$")
_PLACE_ENDINGS = "省市区县州旗盟"


@cache
def _strippers() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Scope words and masked places before a name, suffixes after it (match_key has taken
    years and editions out already)."""
    rules = affixes()
    scope = "|".join(re.escape(word) for word in rules.scope)
    front = re.compile(f"^(?:{scope}|{MASK.pattern}[{_PLACE_ENDINGS}]?)")
    back = re.compile(f"(?:{'|'.join(map(re.escape, rules.suffix))})$")
    return front, back


def _without_place(name: str) -> str:
    """``name`` without the full place name it starts with (芜湖市, 蜀山区), if any."""
    match = gazetteer().pattern.match(name)
    return name[match.end() :] if match and match.group()[-1] in _PLACE_ENDINGS else name


@cache
def _not_initiatives() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Cores that name a document or a meeting, and cores that name a field of work."""
    roles: dict[str, list[str]] = {}
    for word, role in lexicon_table("discovery"):
        roles.setdefault(role, []).append(re.escape(word))
    return (
        re.compile(f"(?:{'|'.join(roles['document'])})$"),
        re.compile(f"(?:{'|'.join(sorted(roles['field'], key=len, reverse=True))})+"),
    )


def is_initiative_core(core: str) -> bool:
    """Whether a core can name a shared initiative: long enough, and neither a document or
    meeting (教育发展规划) nor a field of work (教育教学).

    >>> is_initiative_core("教育强区"), is_initiative_core("教育教学"), is_initiative_core("教育大会")
    (True, False, False)
    """
    document, field = _not_initiatives()
    return len(core) >= MIN_CORE and not document.search(core) and not field.fullmatch(core)


def core_name(name: str) -> str:
    """``name`` without place, scope, year, edition and suffix words, quotes and spaces."""
    front, back = _strippers()
    core = match_key(name)[0]
    while True:
        stripped = _PARENTHESIS.sub("", core)
        for strip in (
            lambda text: front.sub("", text, count=1),
            _without_place,
            lambda text: back.sub("", text, count=1),
        ):
            shorter = strip(stripped)
            # A word is only set aside while a name remains (青蓝工程 keeps its 工程).
            stripped = shorter if len(shorter) >= MIN_CORE else stripped
        if stripped == core:
            return core
        core = stripped


def candidate_core(data: dict[str, Any]) -> str:
    """The core a node's attributes give it if it may be a discovered initiative: a Programme,
    Campaign or Policy of no concept whose core can name one; ``""`` otherwise."""
    if data["label"] in KINDS and not data.get("concept"):
        core = core_name(data["name"])
        if is_initiative_core(core):
            return core
    return ""


def discover_core(graph: nx.MultiDiGraph, core: str, nodes: list[str]) -> None:
    """Make ``nodes``, all of the one ``core``, instances of a discovered Concept if they are
    named in two reports or more (in place). Only the nodes, their MENTIONED_IN edges and the
    new Concept are read or written, so the cores can be discovered apart (the cluster build
    does so in the worker that holds the core)."""
    reports = {report for node in nodes for report in graph.nodes[node]["reports"]}
    if len(reports) < MIN_REPORTS:
        return
    concept = resolve.node_id("Concept", f"discovered|{core}")
    names = {graph.nodes[node]["name"] for node in nodes} - {core}
    graph.add_node(
        concept,
        label="Concept",
        name=core,
        name_en="",
        kind="discovered",
        domain="",
        aliases=sorted(names),
    )
    for node in sorted(nodes):
        graph.nodes[node]["concept"] = concept
        graph.add_edge(node, concept, key="INSTANCE_OF", type="INSTANCE_OF", **_mention_support(graph, node))


def discover_initiatives(graph: nx.MultiDiGraph) -> None:
    """Add a ``discovered`` Concept for every core that names initiatives of two reports or
    more, and an INSTANCE_OF edge to it from each (in place; the result does not depend on
    the order the reports came in)."""
    members: dict[str, list[str]] = defaultdict(list)
    for node, data in graph.nodes(data=True):
        if core := candidate_core(data):
            members[core].append(node)
    for core, nodes in sorted(members.items()):
        discover_core(graph, core, nodes)


def _mention_support(graph: nx.MultiDiGraph, node: str) -> dict[str, Any]:
    """The reports, evidence and status of the node's MENTIONED_IN edges: where it is named."""
    evidence = [
        row
        for _, _, kind, data in graph.out_edges(node, keys=True, data=True)
        if kind == "MENTIONED_IN"
        for row in data["evidence"]
    ]
    evidence.sort(key=lambda row: (row["report"], row["start"], row["end"]))
    return {
        "reports": sorted({row["report"] for row in evidence}),
        "evidence": evidence,
        "status": "reported" if any(row["status"] == "reported" for row in evidence) else "planned",
    }
