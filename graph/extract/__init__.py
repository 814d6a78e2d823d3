"""Extraction: Report -> Extraction (entities, metrics, relations with evidence).

``extract`` reads each sentence once: jieba words, then mentions (marked names,
headed names, persons, the report's own bureau), then metrics; mentions of one
thing merge into one entity with aliases; relations follow the annotation
guide's defaults. ``to_guide_json`` writes the guide's per-report file format.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from typing import Any

from edukg.graph.extract import relations as rel
from edukg.graph.extract.designations import designation_mentions
from edukg.graph.extract.lexicons import Lexicons, lexicons, segmenter
from edukg.graph.extract.mentions import (
    Candidate,
    concept_mentions,
    headed_mentions,
    marked_spans,
    own_bureau_mentions,
    quoted_mentions,
    titled_mentions,
    unmarked_title_mentions,
    with_official_forms,
)
from edukg.graph.extract.metrics import MetricMention, find_metrics
from edukg.graph.extract.numbered import numbered_set_mentions
from edukg.graph.extract.persons import person_mentions
from edukg.graph.extract.schools import admitting_school_mentions, numbered_school_mentions
from edukg.ontology import lexicon_table
from edukg.ontology.concepts import concept_in_name
from edukg.records import Entity, Evidence, Extraction, Mention, MetricValue, Relation, Report, Status
from edukg.text import MASK_CLASS, has_mask, normalise

__all__ = ["extract", "to_guide_json"]

CONCEPT_TYPES = {"Programme", "Campaign", "Policy", "Bureau", "Institution"}
SCOPE_WORD = re.compile(r"^(?:全市|全区|全县|全省)")
SCOPE_PREFIX = re.compile(rf"^(?:全市|全区|全县|全省|全国|{MASK_CLASS}+|[省市区县])")


def _own_bureau_pattern(report: Report) -> re.Pattern[str]:
    """The report's own bureau under any of its written forms: with or without its place,
    as 教育局 or an abbreviation of its head (教体局), with its Party group (党组, 党委)."""
    level = report.level or ""
    heads = {row[0] for row in lexicon_table("bureau-heads")}
    bureau_head = next(
        (h for h in sorted(heads, key=len, reverse=True) if report.bureau.endswith(h)), "教育局"
    )
    same_kind = {h for h in heads if (h == "教育厅") == (bureau_head == "教育厅")}
    prefixes = [re.escape(level)] if level else []
    prefixes.append("[我本]")  # 我教育工委: the report speaks as its own bureau
    if level:
        prefixes.append(rf"{MASK_CLASS}+{re.escape(level)}")
        prefixes.append(rf"[我本]{re.escape(level)}")  # 我区教育局
    if report.jurisdiction and not report.jurisdiction_masked:
        # 合肥市蜀山区教育体育局: a district may be written after its city.
        prefixes.append(rf"(?:[\u4e00-\u9fff]{{2,4}}[市州])?{re.escape(report.jurisdiction)}")
    prefix = f"(?:{'|'.join(sorted(prefixes, key=len, reverse=True))})?" if prefixes else ""
    alternatives = "|".join(re.escape(h) for h in sorted(same_kind, key=len, reverse=True))
    return re.compile(rf"{prefix}(?:{alternatives})(?:党组|党委)?")


CITED = re.compile(r"^[”》’]*(?:的)?(?:重要)?(?:精神|上的(?:重要)?讲话|讲话)")
FORMS_AFTER = re.compile(r"(?:、[^，,。；;：:、]{1,12})*等(?:多种)?(?:形式|方式)")
CITED_DEMANDS = re.compile(r"^[”’]*(?:的)?(?:决策)?(?:部署|要求)")


# 市委九届三次全会, 省市委全会: a body named only as the holder of a plenum it cites.
PLENUM_AFTER = re.compile(r"^(?:第?[0-9一二三四五六七八九十]+届[^，,。；;]{0,8}?全会|全会|全体会议)")


def _cited_only(text: str, candidate: Candidate) -> bool:
    """Meetings and documents cited only for their spirit or speeches (meetings also for what
    they asked), activities listed only as ways of doing something, and a body named only as
    the holder of a plenum are not entities."""
    after = text[candidate.end : candidate.end + 16]
    if candidate.type == "Bureau" and not candidate.marked:
        return bool(PLENUM_AFTER.match(after))
    if candidate.type == "Campaign" and CITED_DEMANDS.match(after[:8]):
        return True  # 按照…大会的部署要求: a meeting cited for what it asked, as for its spirit
    if candidate.type == "Campaign" and FORMS_AFTER.match(text, candidate.end):
        return True  # 通过…、报告会、研讨会等形式: kinds of activity listed as ways, no named event
    return candidate.type in {"Campaign", "Policy", "Document"} and bool(CITED.match(after[:8]))


def _keep_outermost(candidates: list[Candidate]) -> list[Candidate]:
    """Drop a mention inside a longer one unless it carries its own marks."""
    # Of two mentions of one span, the marked one wins, then a designation (which knows its title).
    ordered = sorted(
        candidates, key=lambda c: (c.start, -(c.end - c.start), not c.marked, c.head != "designation")
    )
    kept: list[Candidate] = []
    for candidate in ordered:
        inside = any(
            k.start <= candidate.start
            and candidate.end <= k.end
            and (k.start, k.end) != (candidate.start, candidate.end)
            for k in kept
        )
        duplicate = any((k.start, k.end) == (candidate.start, candidate.end) for k in kept)
        overlapping = any(k.start < candidate.end and candidate.start < k.end for k in kept)
        if duplicate or (inside and not candidate.marked) or (overlapping and not inside):
            continue
        kept.append(candidate)
    return kept


def _sentence_tokens(
    report_tokens: list[tuple[str, int, int]], starts: list[int], start: int, end: int
) -> list[tuple[str, int, int]]:
    """The words of ``text[start:end]`` from the report's words, with offsets relative to ``start``."""
    first = bisect.bisect_left(starts, start)
    found = []
    for word, word_start, word_end in report_tokens[first:]:
        if word_start >= end:
            break
        if word_end <= end:
            found.append((word, word_start - start, word_end - start))
    return found


def _sentence_mentions(
    report: Report,
    index: int,
    words: Lexicons,
    own_pattern: re.Pattern[str],
    tokens: list[tuple[str, int, int]],
) -> tuple[list[Candidate], list[MetricMention]]:
    """The entity mentions and the metrics of one sentence, from its words."""
    sentence = report.sentences[index]
    text, start, end = report.text, sentence.start, sentence.end
    marked = (
        titled_mentions(text, start, end, index, words)
        + quoted_mentions(text, start, end, index, words)
        + unmarked_title_mentions(text, start, end, index, words)
    )
    edges = {start + edge for _, word_start, word_end in tokens for edge in (word_start, word_end)}
    persons = person_mentions(text, start, end, index, words, segmenter().tags, edges)
    spans = [(c.start, c.end) for c in marked + persons]
    headed = headed_mentions(
        text, start, tokens, index, words, marked_spans(marked, text, start, end) + spans, segmenter().tags
    )
    own = own_bureau_mentions(text, start, end, index, words, own_pattern)
    bare = concept_mentions(text, start, end, index)
    schools = numbered_school_mentions(text, start, end, index, words, segmenter().tags, edges)
    schools += admitting_school_mentions(text, start, end, index)
    designations = designation_mentions(text, start, tokens, index, words, segmenter().tags)
    sets = numbered_set_mentions(text, start, end, index, edges)
    found = marked + persons + headed + own + bare + schools + designations + sets
    everything = [c for c in found if not _occasion(report, c)]
    kept = [c for c in _keep_outermost(everything) if not _cited_only(text, c)]
    candidates = with_official_forms(kept, text, start)
    name_spans = marked_spans(candidates, text, start, end)
    metrics = find_metrics(text, start, end, index, tokens, words, name_spans, segmenter().tags)
    return [c for c in candidates if not _counted(c, metrics)], metrics


def _occasion(report: Report, candidate: Candidate) -> bool:
    """The meeting at which the report is delivered (named in its title) is not an entity."""
    return (
        candidate.type == "Campaign"
        and candidate.name.endswith(("会", "会议"))
        and candidate.name in report.title
        and not candidate.marked
    )


def _counted(candidate: Candidate, metrics: list[MetricMention]) -> bool:
    """A category right next to a count (**个创新创业学院, 宣讲团**个) is the metric's indicator,
    not a name. A body before a count of something else (区政府**件民生实事) stays an actor."""
    # A designation is a title even when counted (两个区级示范点: two holders of one title).
    if candidate.marked or candidate.type == "Person" or candidate.head == "designation":
        return False
    return any(
        (candidate.end == metric.start and metric.indicator_span[0] < metric.end)
        or candidate.start == metric.end
        or (metric.indicator_span[0] <= candidate.start and candidate.end <= metric.indicator_span[1])
        for metric in metrics
    )


class _Grouping:
    """Mentions of one thing merged into one entity: same type and same name, aliases by suffix."""

    def __init__(self, report: Report, own_pattern: re.Pattern[str]) -> None:
        self.report = report
        self.own_pattern = own_pattern
        self.key_of_name: dict[tuple[str, str], str] = {}
        self.forms: dict[str, list[str]] = defaultdict(list)
        self.types: dict[str, str] = {}
        self.mentions: dict[str, list[Mention]] = defaultdict(list)
        self.own = self._new_key("Bureau", report.bureau or "教育局")
        self.forms[self.own].append(report.bureau or "教育局")

    def _new_key(self, kind: str, name: str) -> str:
        key = f"e{len(self.types)}"
        self.types[key] = kind
        self.key_of_name[(kind, self.identity(name))] = key
        return key

    def identity(self, name: str) -> str:
        """The name as a merge key: the report's own jurisdiction (**市, 芜湖市) reads as its level."""
        report = self.report
        if report.jurisdiction and name.startswith(report.jurisdiction) and report.level:
            name = report.level + name[len(report.jurisdiction) :]
        elif report.level and report.jurisdiction_masked:
            name = re.sub(rf"^{MASK_CLASS}+{report.level}", report.level, name)
        return normalise(name)

    def add(self, candidate: Candidate, own_aliases: tuple[str, ...]) -> str:
        name = candidate.name
        own = candidate.head == "own" or name in own_aliases or self.own_pattern.fullmatch(name)
        if candidate.type == "Bureau" and own:
            key = self.own
        else:
            key = self.key_of_name.get((candidate.type, self.identity(name))) or self._new_key(
                candidate.type, name
            )
        for form in (name, candidate.written_with):
            if form and form not in self.forms[key]:
                self.forms[key].append(form)
        scope = SCOPE_WORD.match(name)
        if scope and len(name) - scope.end() >= 4 and name[scope.end() :] not in self.forms[key]:
            self.forms[key].append(name[scope.end() :])
        self.mentions[key].append(Mention(self.report.id, candidate.start, candidate.end, candidate.sentence))
        return key

    def merge_suffix_aliases(self) -> dict[str, str]:
        """X and 全市X (or 学习贯彻…X): one entity when the longer ends with the shorter."""
        merged: dict[str, str] = {}
        keys = sorted(self.types, key=lambda k: len(self.forms[k][0]))
        for short in keys:
            if short == self.own or self.types[short] in {"Person", "Metric"}:
                continue
            short_name = normalise(self.forms[short][0])
            if len(short_name) < 4:
                continue
            if lexicons().bare_body(short_name):
                # A sub-body named by its head alone is the one longer body with that head.
                longer = [
                    k
                    for k in keys
                    if k != short
                    and self.types[k] == "Bureau"
                    and k != self.own
                    and normalise(self.forms[k][0]).endswith(short_name)
                ]
                if len(longer) == 1:
                    merged[short] = longer[0]
                continue
            for long in keys:
                if long in (short, self.own) or long in merged or self.types[long] != self.types[short]:
                    continue
                long_name = normalise(self.forms[long][0])
                if (
                    len(long_name) > len(short_name)
                    and long_name.endswith(short_name)
                    and "暨" not in long_name
                ):
                    if self.types[short] == "Bureau" and not SCOPE_PREFIX.match(long_name):
                        continue
                    merged[long] = short
        for long, short in merged.items():
            target = short
            while target in merged:
                target = merged[target]
            for form in self.forms.pop(long):
                if form not in self.forms[target]:
                    self.forms[target].append(form)
            self.mentions[target].extend(self.mentions.pop(long))
            del self.types[long]
        return merged

    def display_name(self, key: str) -> str:
        if key == self.own:
            return self.forms[key][0]
        forms = self.forms[key]
        # The shortest unmasked complete form names the thing; the others are aliases.
        return min(forms, key=lambda form: (has_mask(form) and not has_mask(forms[0]), len(form)))


def _status(report: Report, mentions: list[Mention]) -> Status:
    """Reported work if any mention is in reported work (or there is none to say otherwise)."""
    if mentions and all(report.sentences[m.sentence].status == "planned" for m in mentions):
        return "planned"
    return "reported"


def extract(report: Report) -> Extraction:
    """All entities and relations of one report, each with its evidence."""
    words = lexicons()
    own_pattern = _own_bureau_pattern(report)
    grouping = _Grouping(report, own_pattern)
    per_sentence: dict[int, list[tuple[Candidate, str]]] = defaultdict(list)
    metric_mentions: list[MetricMention] = []
    # One pass of jieba over the whole report: sentences never split a word.
    report_tokens = segmenter().tokens(report.text)
    starts = [word_start for _, word_start, _ in report_tokens]
    for index, sentence in enumerate(report.sentences):
        tokens = _sentence_tokens(report_tokens, starts, sentence.start, sentence.end)
        candidates, metrics = _sentence_mentions(report, index, words, own_pattern, tokens)
        for candidate in candidates:
            per_sentence[index].append((candidate, grouping.add(candidate, words.own_bureau)))
        metric_mentions.extend(metrics)
    merged = grouping.merge_suffix_aliases()

    def resolved(key: str) -> str:
        while key in merged:
            key = merged[key]
        return key

    for index, mentions in per_sentence.items():
        per_sentence[index] = [(candidate, resolved(key)) for candidate, key in mentions]

    sentence_texts = {i: (s.start, report.text[s.start : s.end]) for i, s in enumerate(report.sentences)}
    names = {key: grouping.display_name(key) for key in grouping.types}
    first_sentence = {
        key: min((m.sentence for m in grouping.mentions[key]), default=0) for key in grouping.types
    }
    facts: list[rel.Fact] = []
    bodies = {
        key: [names[key], *grouping.forms[key]] for key, kind in grouping.types.items() if kind == "Bureau"
    }
    facts += rel.responsibilities(
        per_sentence, sentence_texts, grouping.types, names, bodies, grouping.own, words
    )
    facts += rel.body_parts(
        {key: [names[key], *grouping.forms[key]] for key in grouping.types},
        grouping.types,
        grouping.own,
        first_sentence,
        words,
    )
    facts += rel.enumerated_parts(per_sentence, sentence_texts, grouping.types)
    facts += rel.prefix_parts(names, grouping.types, words, first_sentence)
    persons = [
        (c, k) for mentions in per_sentence.values() for c, k in mentions if grouping.types[k] == "Person"
    ]
    bureaus = [
        (c, k) for mentions in per_sentence.values() for c, k in mentions if grouping.types[k] == "Bureau"
    ]
    facts += rel.person_posts(persons, sentence_texts, bureaus, grouping.own, words)

    entities = [
        Entity(
            key=key,
            type=kind,
            name=names[key],
            aliases=tuple(form for form in grouping.forms[key] if form != names[key]),
            mentions=tuple(sorted(grouping.mentions[key], key=lambda m: m.start)),
            concept=_concept(kind, names[key], grouping.forms[key]),
            status=_status(report, grouping.mentions[key]),
        )
        for key, kind in grouping.types.items()
    ]
    metric_entities, metric_facts = _metrics(report, metric_mentions, per_sentence, grouping, sentence_texts)
    entities += metric_entities
    facts += metric_facts
    return Extraction(
        report=report,
        bureau=grouping.own,
        entities=tuple(entities),
        relations=_relations(report, facts),
    )


def _concept(kind: str, name: str, forms: list[str]) -> str | None:
    if kind not in CONCEPT_TYPES:
        return None
    for form in [name, *forms]:
        concept = concept_in_name(form)
        if concept is not None and (kind != "Bureau" or concept.kind == "body"):
            if concept.kind == "body" and normalise(form) not in {normalise(v) for v in concept.variants}:
                continue
            return concept.id
    return None


def _metrics(
    report: Report,
    found: list[MetricMention],
    per_sentence: dict[int, list[tuple[Candidate, str]]],
    grouping: _Grouping,
    sentence_texts: dict[int, tuple[int, str]],
) -> tuple[list[Entity], list[rel.Fact]]:
    """One Metric per indicator and value; MEASURED_BY the thing its sentence is about."""
    entities: dict[tuple[str, str], Entity] = {}
    facts = []
    for metric in found:
        identity = (normalise(metric.indicator), metric.value)
        mention = Mention(report.id, metric.start, metric.end, metric.sentence)
        if identity in entities:
            entity = entities[identity]
            entities[identity] = Entity(
                entity.key,
                "Metric",
                entity.name,
                (),
                (*entity.mentions, mention),
                entity.metric,
                status=entity.status
                if entity.status == "reported"
                else report.sentences[metric.sentence].status,
            )
            continue
        key = f"m{len(entities)}"
        entities[identity] = Entity(
            key=key,
            type="Metric",
            name=metric.indicator,
            mentions=(mention,),
            metric=MetricValue(metric.value, metric.unit, metric.numeric, metric.masked, metric.comparison),
            status=report.sentences[metric.sentence].status,
        )
        mentions = per_sentence.get(metric.sentence, [])
        start, text = sentence_texts[metric.sentence]
        actors = [
            key
            for key in rel.subject_actors(text, start, mentions, metric.start)
            if grouping.types[key] == "Bureau"
        ] or [grouping.own]
        for source in rel.measured_by(
            metric.sentence, metric.start, mentions, grouping.types, actors, lexicons()
        ):
            facts.append(rel.Fact("MEASURED_BY", source, key, metric.sentence))
    return list(entities.values()), facts


def _relations(report: Report, facts: list[rel.Fact]) -> tuple[Relation, ...]:
    evidence: dict[tuple[str, str, str], list[Evidence]] = defaultdict(list)
    for fact in facts:
        if fact.source == fact.target:
            continue
        sentence = report.sentences[fact.sentence]
        row = Evidence(report.id, fact.sentence, sentence.start, sentence.end, sentence.status)
        if row not in evidence[(fact.type, fact.source, fact.target)]:
            evidence[(fact.type, fact.source, fact.target)].append(row)
    return tuple(
        Relation(kind, source, target, tuple(rows)) for (kind, source, target), rows in evidence.items()
    )


def to_guide_json(extraction: Extraction) -> dict[str, Any]:
    """The annotation guide's file format for one report (extra fields: ids, status, evidence)."""
    names = {entity.key: entity.name for entity in extraction.entities}
    entities = []
    for entity in extraction.entities:
        row: dict[str, Any] = {"type": entity.type, "name": entity.name}
        if entity.aliases:
            row["aliases"] = list(entity.aliases)
        if entity.metric is not None:
            row.update({key: value for key, value in entity.metric.properties().items() if value != ""})
        if entity.concept:
            row["concept"] = entity.concept
        row["status"] = entity.status
        row["mentions"] = [[m.start, m.end] for m in entity.mentions]
        entities.append(row)
    relations = [
        {
            "type": relation.type,
            "source": names[relation.source],
            "target": names[relation.target],
            "status": "reported" if any(e.status == "reported" for e in relation.evidence) else "planned",
            "evidence": [[e.start, e.end] for e in relation.evidence],
        }
        for relation in extraction.relations
    ]
    return {
        "doc": extraction.report.source,
        "report_id": extraction.report.id,
        "bureau": names[extraction.bureau],
        "entities": entities,
        "relations": relations,
    }
