"""The national concept scheme (``concepts.ttl``): initiatives and bodies that link cities.

A concept is found in text by its variants (``skos:altLabel``), wherever a report writes
them: quoted or not, inside a longer name, after a place or scope word, before a generic
word of work. ``lexicon/concept-affixes.txt`` says which words may stand around a variant
and which words before it make it another thing or deny it.

>>> concept_by_name("“双一流”建设").id
'double-first-class'
>>> concept_in_name("市双一流建设攻坚").id
'double-first-class'
>>> [(m.concept.id, m.text) for m in find_concepts("全面落实“双减”工作，开展爱国主义主题教育")]
[('double-reduction', '“双减”工作')]
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import unicodedata
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

from edukg.ontology import lexicon_table, read_text
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
    domain: str = ""  # field of education: 学前, 义务, 党建 … ("" for bodies)
    broader: tuple[str, ...] = ()  # ids of the initiatives it is part of
    document: str = ""  # the national document that launched it, as titled
    year: int | None = None  # the year it was launched
    hidden: tuple[str, ...] = ()  # forms matched in text only: slogans, phrasings led by a verb

    @property
    def iri(self) -> str:
        return CONCEPT_BASE + self.id


@cache
def concepts() -> tuple[Concept, ...]:
    """Every concept of the scheme, sorted by id.

    Parsing the scheme's Turtle takes rdflib half a second, in every process of a build, so
    the records are kept as JSON in the temp folder under a hash of the file's text (and the
    user's id: a cache another user owns is not trusted), and parsed only when it changes.
    """
    text = read_text("concepts.ttl")
    path = _cache_path(text)
    try:
        if hasattr(os, "getuid") and path.stat().st_uid != os.getuid():
            raise OSError(f"{path} belongs to another user")
        rows = json.loads(path.read_text(encoding="utf-8"))
        return tuple(
            Concept(**{**row, **{field: tuple(row[field]) for field in ("variants", "broader", "hidden")}})
            for row in rows
        )
    except (OSError, ValueError, TypeError, KeyError):
        pass
    found = _parse_scheme(text)
    try:
        partial = path.with_name(f"{path.name}.{os.getpid()}")
        partial.write_text(json.dumps([asdict(concept) for concept in found], ensure_ascii=False), "utf-8")
        partial.replace(path)
    except OSError:
        pass  # a read-only temp folder: parse again next time
    return found


def _cache_path(text: str) -> Path:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return (
        Path(tempfile.gettempdir())
        / f"edukg.concepts.{os.getuid() if hasattr(os, 'getuid') else 0}.{digest}.json"
    )


def _parse_scheme(text: str) -> tuple[Concept, ...]:
    import rdflib
    from rdflib.namespace import SKOS

    graph = rdflib.Graph().parse(data=text, format="turtle")
    edukg = rdflib.Namespace("https://w3id.org/edukg/ontology#")
    found = []
    for subject in graph.subjects(rdflib.RDF.type, edukg.Concept):
        labels = {
            lit.language: str(lit)
            for lit in graph.objects(subject, SKOS.prefLabel)
            if isinstance(lit, rdflib.Literal)
        }
        variants = [
            labels["zh"],
            *sorted(
                str(lit)
                for lit in graph.objects(subject, SKOS.altLabel)
                if isinstance(lit, rdflib.Literal) and lit.language == "zh"
            ),
        ]
        year = graph.value(subject, edukg.year)
        found.append(
            Concept(
                id=_local_id(subject),
                name=labels["zh"],
                name_en=labels.get("en", ""),
                kind=str(graph.value(subject, edukg.kind)),
                entity_type=str(graph.value(subject, edukg.entityType)),
                variants=tuple(variants),
                standalone=bool(graph.value(subject, edukg.standalone)),
                domain=str(graph.value(subject, edukg.domain) or ""),
                broader=tuple(sorted(_local_id(o) for o in graph.objects(subject, SKOS.broader))),
                document=str(graph.value(subject, edukg.launchedBy) or ""),
                year=int(year) if isinstance(year, rdflib.Literal) else None,
                hidden=tuple(sorted(str(lit) for lit in graph.objects(subject, SKOS.hiddenLabel))),
            )
        )
    return tuple(sorted(found, key=lambda concept: concept.id))


def _local_id(iri: Any) -> str:
    return str(iri).removeprefix(CONCEPT_BASE)


@cache
def _by_variant() -> dict[str, Concept]:
    return {normalise(variant): concept for concept in concepts() for variant in concept.variants}


@cache
def _by_id() -> dict[str, Concept]:
    return {concept.id: concept for concept in concepts()}


def concept_by_id(concept_id: str) -> Concept:
    return _by_id()[concept_id]


def concept_by_name(name: str) -> Concept | None:
    """The concept named exactly ``name`` (quotes and masks aside), if any."""
    return _by_variant().get(normalise(name))


# ---------------------------------------------------------------- finding concepts in text


@dataclass(frozen=True, slots=True)
class Affixes:
    """The words of ``lexicon/concept-affixes.txt`` by role, each role as one pattern."""

    scope: tuple[str, ...]  # longest first
    suffix: tuple[str, ...]  # longest first
    edition: re.Pattern[str]  # a year, edition or batch, anchored at its start
    before: re.Pattern[str]  # scope words and editions that may precede a name, read backwards
    after: re.Pattern[str]  # suffixes, designations and editions that may follow a name
    excluded: re.Pattern[str]  # a not-after or negation word ending right before a name
    longest_excluded: int
    across: tuple[str, ...]  # words a name must not end inside of
    cited: re.Pattern[str]  # a word after a name that cites it rather than runs it


@cache
def affixes() -> Affixes:
    """The affix rules, compiled once."""
    roles: dict[str, list[str]] = {}
    for word, role in lexicon_table("concept-affixes"):
        roles.setdefault(role, []).append(word)
    scope = sorted(roles["scope"], key=len, reverse=True)
    suffix = sorted(roles["suffix"], key=len, reverse=True)
    following = sorted(suffix + roles["designation"], key=len, reverse=True)
    edition = "|".join(roles["edition"])
    excluded = sorted(roles["not-after"] + roles["negation"], key=len, reverse=True)
    return Affixes(
        scope=tuple(scope),
        suffix=tuple(suffix),
        edition=re.compile(f"(?:{edition})"),
        # Matched against the reversed text before a name, so the longest run of words wins.
        before=re.compile(f"(?:{'|'.join(re.escape(w[::-1]) for w in scope)})*"),
        after=re.compile(f"(?:{'|'.join(map(re.escape, following))}|{edition})*"),
        excluded=re.compile(f"(?:{'|'.join(map(re.escape, excluded))})$"),
        longest_excluded=len(excluded[0]),
        across=tuple(roles["not-across"]),
        cited=re.compile("|".join(map(re.escape, sorted(roles["cited"], key=len, reverse=True)))),
    )


@dataclass(frozen=True, slots=True)
class ConceptMatch:
    concept: Concept
    start: int  # offsets into the text searched, affixes included
    end: int
    text: str  # the text between them, as written
    variant: str  # the variant found, as the scheme writes it without quotes


# Characters a report writes inside or around a name that the variants leave out.
_IGNORED = re.compile(r"[“”‘’\"'「」『』《》〈〉\s\u3000、·，,]")
_OPENING, _CLOSING = "“‘「『《〈", "”’」』》〉"
_COMMA = re.compile("[，,]")


def match_key(text: str) -> tuple[str, list[int]]:
    """``text`` as the variants are matched (NFKC, without quotes, spaces, 、 and commas, and
    without years and editions), and for each of its characters the offset of the
    character in ``text``.

    >>> match_key("“双减” 工作")
    ('双减工作', [1, 2, 5, 6])
    >>> match_key("学前教育第三期行动计划")[0]
    '学前教育行动计划'
    """
    kept, offsets = [], []
    for offset, char in enumerate(text):
        if _IGNORED.match(char):
            continue
        for piece in unicodedata.normalize("NFKC", char):
            kept.append(piece)
            offsets.append(offset)
    key = "".join(kept)
    editions = [match.span() for match in affixes().edition.finditer(key) if match.end() > match.start()]
    for start, end in reversed(editions):
        key = key[:start] + key[end:]
        del offsets[start:end]
    return key, offsets


def _trie_pattern(words: list[str]) -> str:
    """One regular expression for ``words`` that branches character by character, so a
    sentence is read once whatever the number of words, and the longest word wins."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = True

    def emit(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


@cache
def _matcher() -> tuple[re.Pattern[str], dict[str, Concept]]:
    keyed: dict[str, Concept] = {}
    for concept in concepts():
        for variant in (*concept.variants, *concept.hidden):
            keyed[match_key(variant)[0]] = concept
    return re.compile(_trie_pattern(sorted(keyed))), keyed


def find_concepts(text: str, kinds: frozenset[str] = frozenset({"initiative"})) -> list[ConceptMatch]:
    """The concepts of ``kinds`` that ``text`` names, in text order, each with the span of its
    mention (scope words, editions and suffixes around the variant included).

    A variant right after a not-after word (爱国主义主题教育) or a negation (非义务教育),
    ending inside a longer word (教育法律) or cited for the centre's deployment (建设教育强国
    的战略部署) is not a mention of the concept.
    """
    key, offsets = match_key(text)
    pattern, keyed = _matcher()
    rules = affixes()
    found = []
    for match in pattern.finditer(key):
        concept = keyed[match.group()]
        at = match.start()
        if (
            concept.kind not in kinds
            or rules.excluded.search(key, max(0, at - rules.longest_excluded), at)
            or _ends_inside(key, match.end(), rules.across)
        ):
            continue
        before = rules.before.match(key[at - 1 :: -1] if at else "")
        start = at - (before.end() if before else 0)
        after = rules.after.match(key, match.end())
        end = after.end() if after else match.end()
        if rules.cited.match(key, end):
            continue
        first, last = _span(text, offsets, (start, match.start(), match.end(), end))
        found.append(ConceptMatch(concept, first, last, text[first:last], match.group()))
    return found


def _span(text: str, offsets: list[int], bounds: tuple[int, int, int, int]) -> tuple[int, int]:
    """The mention's offsets in ``text``: the variant, widened over the affixes found
    around it in the key but not across a comma (the key has none), and over quote
    marks that open and close inside the mention."""
    start, variant_start, variant_end, end = bounds
    first, last = offsets[start], offsets[end - 1] + 1
    inner_first, inner_last = offsets[variant_start], offsets[variant_end - 1] + 1
    for comma in _COMMA.finditer(text, first, inner_first):
        first = comma.end()
    if after := _COMMA.search(text, inner_last, last):
        last = after.start()
    if first and text[first - 1] in _OPENING and any(c in _CLOSING for c in text[first : last + 1]):
        first -= 1
    if last < len(text) and text[last] in _CLOSING and any(c in _OPENING for c in text[first:last]):
        last += 1
    return first, last


def _ends_inside(key: str, end: int, words: tuple[str, ...]) -> bool:
    """Whether ``key[:end]`` ends inside one of ``words`` (教育法 in 教育法律)."""
    return any(key.startswith(word, end - cut) for word in words for cut in range(1, len(word)) if end >= cut)


def concept_in_name(name: str) -> Concept | None:
    """The concept whose longest variant ``name`` names (市双一流建设 → 双一流建设), if any."""
    found = find_concepts(name, frozenset({"initiative", "body"}))
    return max(found, key=lambda match: len(match.variant)).concept if found else None
