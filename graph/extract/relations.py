"""Relations between the entities of one report, by the annotation guide's defaults.

- RESPONSIBLE_FOR: programmes and campaigns from the actor of their sentence (the
  report's own bureau unless the sentence names another as its subject); policies and
  documents only from whoever makes them; institutions only from whoever founds them.
- PART_OF: a body whose name begins with another body's name; a sub-body (领导小组,
  工作专班) of the body that sets it up; items enumerated before 等 + a named parent;
  a name that is another initiative's name plus a head word (党史学习教育专项整治); a
  person and each body the text gives them a post in.
- MEASURED_BY: a metric and the initiative its sentence states it for, else the actor.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from edukg.graph.extract.lexicons import Lexicons
from edukg.graph.extract.mentions import Candidate
from edukg.text import MASK_CLASS, MASK_IN_CLASS, normalise

INITIATIVES = {"Programme", "Campaign"}
# What an effort or a document is made of: other efforts and documents, not the people,
# bodies or schools listed near it (the guide: PART_OF the same or a broader kind).
PARTS_OF_EFFORTS = {"Programme", "Campaign", "Policy", "Document"}
HIGHER_LEVEL = re.compile(r"^(?:全国|全省|中央|国家级?会议|省)")
SUBJECT_FILLER = re.compile(
    rf"^(?:[\s、，,和与及]|同时|其中|今年|近年来|目前|此外|一是|二是|三是|四是|五是|[{MASK_IN_CLASS}0-9０-９一二三四五六七八九十]+月[{MASK_IN_CLASS}0-9０-９一二三四五六七八九十]+日|"
    r"书记|副书记|常委|部长|局长|厅长|主任|组长|副组长|委员|校长|院长|处长|党委|党组|班子成员)*$"
)
PARENT_AFTER_ENUMERATION = 14
POST_CHAIN_CHARS = 48
MEETING = re.compile(r"(?:会|会议)$")
POSSESSIVE_GAP = re.compile(r"的?(?:[“《‘][^“”《》]*[”》’][、和及]?)*[“《‘]*")
# Bodies that issue documents under their own name carry a level or a place (市委, **市教育局).
ISSUING_BODY = re.compile(rf"^(?:{MASK_CLASS}+|[\u4e00-\u9fff]{{1,4}})?[省市区县州]")


@dataclass(frozen=True, slots=True)
class Fact:
    type: str
    source: str  # entity key
    target: str
    sentence: int


def subject_actors(
    sentence_text: str, sentence_start: int, mentions: list[tuple[Candidate, str]], before: int
) -> list[str]:
    """Keys of the bodies and persons that are the subject of the clause before ``before``."""
    clause_start = sentence_start
    for match in re.finditer(r"[，,；;：:]", sentence_text[: before - sentence_start]):
        clause_start = sentence_start + match.end()
    actors: list[str] = []
    for floor in (clause_start, sentence_start):
        cursor = floor
        found: list[str] = []
        for candidate, key in sorted(mentions, key=lambda item: item[0].start):
            if candidate.start < floor or candidate.end > before:
                continue
            if candidate.type not in {"Bureau", "Person"}:
                break
            gap = sentence_text[cursor - sentence_start : candidate.start - sentence_start]
            if not SUBJECT_FILLER.match(gap):
                break
            found.append(key)
            cursor = candidate.end
        if found:
            actors = found
            break
    return list(dict.fromkeys(actors))


def issuer(name: str, bodies: dict[str, list[str]]) -> str:
    """The body a title begins with (中共X市委…工作任务, 市教育局…实施方案): who issued it."""
    plain = re.sub(r"^(?:中共|中国共产党)", "", name)
    best, best_length = "", 0
    for key, forms in bodies.items():
        for form in forms:
            body = re.sub(r"^(?:中共|中国共产党)", "", form)
            if not ISSUING_BODY.match(body):
                continue
            if (
                len(body) >= 2
                and len(body) > best_length
                and plain.startswith(body)
                and len(plain) > len(body)
            ):
                best, best_length = key, len(body)
    return best


def _possessor(
    text: str, start: int, candidate: Candidate, mentions: list[tuple[Candidate, str]], types: dict[str, str]
) -> str:
    """A body written right before a name (区教育局“阳光招生”实施方案) is its owner."""
    for other, key in mentions:
        if other.end > candidate.start:
            continue
        between = text[other.end - start : candidate.start - start]
        if types[key] == "Bureau" and POSSESSIVE_GAP.fullmatch(between):
            return key
    return ""


def responsibilities(
    sentences: dict[int, list[tuple[Candidate, str]]],
    sentence_texts: dict[int, tuple[int, str]],
    types: dict[str, str],
    names: dict[str, str],
    bodies: dict[str, list[str]],
    own: str,
    words: Lexicons,
) -> list[Fact]:
    facts: list[Fact] = []
    for index, mentions in sentences.items():
        start, text = sentence_texts[index]
        for candidate, key in mentions:
            kind = types[key]
            role = words.verb_role(candidate.verb)
            named_issuer = issuer(names[key], bodies) if kind in {"Policy", "Document", "Campaign"} else ""
            owner = _possessor(text, start, candidate, mentions, types)
            if named_issuer and (kind != "Campaign" or MEETING.search(names[key])):
                facts.append(Fact("RESPONSIBLE_FOR", named_issuer, key, index))
                continue
            if owner and kind == "Policy":
                facts.append(Fact("RESPONSIBLE_FOR", owner, key, index))
                continue
            if role in {"attend", "receive"}:
                continue  # someone else's event, or a prize or title given to the actor
            if kind in INITIATIVES:
                if HIGHER_LEVEL.match(names[key]):
                    continue
            elif kind in {"Policy", "Document"}:
                if role != "make":
                    continue
            elif kind == "Institution":
                founded = role == "found" or candidate.verb in {"建设", "打造", "创建"}
                if not founded and not _founded_after(text, start, candidate, words):
                    continue
            else:
                continue
            actors = subject_actors(text, start, mentions, candidate.start) or [own]
            if kind in INITIATIVES:
                actors = [*actors, *leaders(text, start, mentions, candidate.start)]
            facts.extend(Fact("RESPONSIBLE_FOR", actor, key, index) for actor in actors if actor != key)
    return facts


def _founded_after(text: str, start: int, candidate: Candidate, words: Lexicons) -> bool:
    """X小学、Y中学等新建项目 / …已开工建设: schools listed before a founding verb in their clause."""
    clause = re.split(r"[，,。；;：:]", text[candidate.end - start :], maxsplit=1)[0]
    return any(role == "found" and verb in clause for verb, role in words.verbs.items())


LEADERSHIP = re.compile(r"在([^，,。；;]{2,40}?)的(?:正确|坚强|统一|有力)?领导")


def leaders(text: str, start: int, mentions: list[tuple[Candidate, str]], before: int) -> list[str]:
    """在X的领导下: X leads the work of the sentence (not 指导, which only guides)."""
    found = []
    for match in LEADERSHIP.finditer(text[: before - start]):
        for candidate, key in mentions:
            inside = match.start(1) <= candidate.start - start and candidate.end - start <= match.end(1)
            if candidate.type == "Bureau" and inside and candidate.name.endswith("领导小组"):
                found.append(key)
    return found


def body_parts(
    names: dict[str, list[str]],
    types: dict[str, str],
    own: str,
    first_sentence: dict[str, int],
    words: Lexicons,
) -> list[Fact]:
    """Bodies whose name begins with another body's name, and unprefixed sub-bodies."""
    bodies = {key: forms for key, forms in names.items() if types[key] == "Bureau"}
    facts = []
    for key, forms in bodies.items():
        if key == own:
            continue
        best, best_length = "", 0
        for other, other_forms in bodies.items():
            if other == key:
                continue
            for form in forms:
                for prefix in other_forms:
                    if len(prefix) > best_length and form.startswith(prefix) and len(form) > len(prefix):
                        best, best_length = other, len(prefix)
        if best:
            facts.append(Fact("PART_OF", key, best, first_sentence[key]))
        elif words.sub_body(forms[0]) and not re.match(r"^[省市区县州]", forms[0]):
            facts.append(Fact("PART_OF", key, own, first_sentence[key]))
    return facts


def enumerated_parts(
    sentences: dict[int, list[tuple[Candidate, str]]],
    sentence_texts: dict[int, tuple[int, str]],
    types: dict[str, str],
) -> list[Fact]:
    """A、B、C等…Parent: each listed item is PART_OF the named parent after 等."""
    facts: list[Fact] = []
    for index, mentions in sentences.items():
        start, text = sentence_texts[index]
        ordered = sorted(mentions, key=lambda item: item[0].start)
        for position, (candidate, key) in enumerate(ordered):
            tail = text[candidate.end - start :]
            marker = re.match(r"[”》’]*等", tail)
            if not marker:
                continue
            parent = next(
                (
                    (c, k)
                    for c, k in ordered[position + 1 :]
                    if c.start - candidate.end <= PARENT_AFTER_ENUMERATION
                    and types[k] in {"Programme", "Campaign", "Document"}
                ),
                None,
            )
            if parent is None:
                continue
            items = [key]
            cursor = candidate.start
            for previous, previous_key in reversed(ordered[:position]):
                gap = text[previous.end - start : cursor - start]
                if not re.fullmatch(r"[、，,和及与“”《》‘’\s]*", gap):
                    break
                items.append(previous_key)
                cursor = previous.start
            facts.extend(
                Fact("PART_OF", item, parent[1], index)
                for item in items
                if item != parent[1] and types[item] in PARTS_OF_EFFORTS
            )
        facts.extend(_listed_after(text, start, ordered, types, index))
    return facts


INTRODUCES_PARTS = re.compile(r"^[”》’]*[，,]?(?:即|包括|包含|主要包括|分别是|具体为|[：:（(])[“《‘]*")


def _listed_after(
    text: str, start: int, ordered: list[tuple[Candidate, str]], types: dict[str, str], index: int
) -> list[Fact]:
    """Parent，即A、B、C / Parent：A、B / Parent（A、B）: the listed items are its parts."""
    facts = []
    for position, (parent, parent_key) in enumerate(ordered):
        if types[parent_key] not in {"Programme", "Campaign", "Document", "Policy"}:
            continue
        marker = INTRODUCES_PARTS.match(text[parent.end - start :])
        if not marker:
            continue
        cursor = parent.end + marker.end()
        for item, item_key in ordered[position + 1 :]:
            gap = text[cursor - start : item.start - start]
            if item.start < cursor or not re.fullmatch(r"[、，,和及与“”《》‘’\s]*", gap):
                break
            if item_key != parent_key and types[item_key] in PARTS_OF_EFFORTS:
                facts.append(Fact("PART_OF", item_key, parent_key, index))
            cursor = item.end
    return facts


def prefix_parts(
    names: dict[str, str], types: dict[str, str], words: Lexicons, first: dict[str, int]
) -> list[Fact]:
    """An initiative named as another one plus a head word is part of it (X专项整治 → X)."""
    facts = []
    by_name = {normalise(name): key for key, name in names.items() if types[key] in INITIATIVES}
    for key, name in names.items():
        if types[key] not in INITIATIVES:
            continue
        plain = normalise(name)
        for parent_name, parent in by_name.items():
            if parent != key and plain.startswith(parent_name):
                rest = plain[len(parent_name) :]
                if rest in words.heads and words.heads[rest].type in INITIATIVES:
                    facts.append(Fact("PART_OF", key, parent, first[key]))
    return facts


def person_posts(
    persons: Iterable[tuple[Candidate, str]],
    sentence_texts: dict[int, tuple[int, str]],
    body_keys: list[tuple[Candidate, str]],
    own: str,
    words: Lexicons,
) -> list[Fact]:
    """部长王斌: a person is PART_OF each body named in the posts written before the name."""
    facts: list[Fact] = []
    titles = "|".join(re.escape(title) for title in words.titles)
    for person, key in persons:
        start, text = sentence_texts[person.sentence]
        # The posts before a name are a few words: a bounded look back keeps this linear in the
        # report (an unpunctuated page made the anchored search backtrack for minutes).
        offset = max(0, person.start - start - POST_CHAIN_CHARS)
        before = text[offset : person.start - start]
        chain = re.search(rf"((?:[^，,。；;：:]*?(?:{titles})[、]?)+)$", before)
        if not chain:
            continue
        chain_start = start + offset + chain.start()
        bodies = [
            body_key
            for body, body_key in body_keys
            if body.sentence == person.sentence and chain_start <= body.start and body.end <= person.start
        ]
        if not bodies and re.search(r"(?:^|[、，,])局(?:长|党组书记|党委书记)", before[chain.start() :]):
            bodies = [own]
        facts.extend(Fact("PART_OF", key, body, person.sentence) for body in dict.fromkeys(bodies))
    return facts


def measured_by(
    metric_sentence: int,
    metric_start: int,
    mentions: list[tuple[Candidate, str]],
    types: dict[str, str],
    actors: list[str],
    words: Lexicons,
) -> list[str]:
    """The entities a metric is stated for: the one initiative its sentence is about, else the actor.
    A designation or prize the actor receives (获评…示范校) is not what the sentence counts."""
    about = {
        key
        for candidate, key in mentions
        if types[key] in {"Programme", "Campaign", "Institution"}
        and words.verb_role(candidate.verb) != "receive"
    }
    return sorted(about) if len(about) == 1 else actors
