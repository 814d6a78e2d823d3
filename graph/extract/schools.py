"""Schools written as a number and a kind, as people say them: 一中, 35中, 城北二小, **职中.

A school's short name is its number and 中 (中学), 小 (小学) or 职中, after the place it
belongs to (a place of the gazetteer or of jieba's dictionary, a mask) or alone in a
list of schools. The name is whole words: 二中全会 and 一小部分 hold no school.
"""

from __future__ import annotations

import re

from edukg.graph.extract.lexicons import Lexicons
from edukg.graph.extract.mentions import Candidate, verb_before
from edukg.ontology.places import is_place_name
from edukg.text import MASK

NUMBERED = re.compile(
    r"(?P<number>[一二三四五六七八九十]{1,3}|[0-9]{1,3})?(?P<kind>职中|中|小)(?P<campus>[\u4e00-\u9fff]{2}校区)?"
)
PLENUMS = re.compile(r"(?:[一二三四五六七八九十]{1,3}中、)*[一二三四五六七八九十]{1,3}中全会")
# Where a bare number-and-kind stands as a school: first in its clause or item of a list,
# or after a verb.
LIST_BEFORE = set("、，,。；;：:（(和与及")
PLACE_TAGS = {"ns", "nr", "nz"}
VERB_TAGS = {"v", "vn"}


def numbered_school_mentions(
    text: str,
    start: int,
    end: int,
    sentence: int,
    words: Lexicons,
    tags: dict[str, str],
    word_edges: set[int],
) -> list[Candidate]:
    found = []
    for match in NUMBERED.finditer(text, start, end):
        if match.start() not in word_edges or match.end() not in word_edges:
            continue
        if match.group("number") is None and match.group("kind") != "职中":
            continue  # 职中 (a vocational school) is a name after its place without a number
        if match.start() > start and text[match.start() - 1] == "第":
            continue  # 第一中学 is a name its head finds
        if PLENUMS.match(text, match.start()):
            continue  # 三中、四中全会: plenums of a Party congress
        name_start = _owner_start(text, start, match.start(), tags, word_edges)
        if name_start is None or (name_start == match.start() and match.group("number") is None):
            continue
        found.append(
            Candidate(
                name_start,
                match.end(),
                text[name_start : match.end()],
                "Institution",
                sentence,
                False,
                verb_before(text, name_start, start, words),
                match.group("kind"),
            )
        )
    return found


def _owner_start(text: str, floor: int, at: int, tags: dict[str, str], word_edges: set[int]) -> int | None:
    """Where the school's name starts: at its place or mask before the number, or at the
    number itself when nothing but a list mark stands before it; None when it is no school."""
    mask = MASK.search(text, max(floor, at - 4), at)
    if mask is not None and mask.end() == at:
        return mask.start()
    for length in (4, 3, 2):
        owner_start = at - length
        if owner_start < floor or owner_start not in word_edges:
            continue
        owner = text[owner_start:at]
        if is_place_name(owner) or tags.get(owner) in PLACE_TAGS:
            return owner_start
    if at == floor or text[at - 1] in LIST_BEFORE or _after_verb(text, floor, at, tags, word_edges):
        return at
    return None


def _after_verb(text: str, floor: int, at: int, tags: dict[str, str], word_edges: set[int]) -> bool:
    """扩建二中: the object of a verb."""
    return any(
        at - length >= floor and at - length in word_edges and tags.get(text[at - length : at]) in VERB_TAGS
        for length in (2, 3)
    )


# 被清华、北大录取: whoever admits a student is a school, however short its name.
ADMITTED_BY = re.compile(r"被([\u4e00-\u9fff、和及 \u3000]{2,40}?)\s*录取")
ADMITTER = re.compile(r"[\u4e00-\u9fff]{2,12}")


def admitting_school_mentions(text: str, start: int, end: int, sentence: int) -> list[Candidate]:
    """The schools a report says admitted its students (被…、…录取), each item of the list."""
    found = []
    for match in ADMITTED_BY.finditer(text, start, end):
        for item in re.finditer(r"[^、和及\s]+", match.group(1)):
            if ADMITTER.fullmatch(item.group(0)):
                base = match.start(1)
                found.append(
                    Candidate(
                        base + item.start(),
                        base + item.end(),
                        item.group(0),
                        "Institution",
                        sentence,
                        False,
                        "",
                        "",
                    )
                )
    return found
