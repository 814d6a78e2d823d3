"""Persons: written personal names, found where the genre writes them.

- after a post (部长王斌, 局长李湖), with the bodies named in the posts before it;
- before a post or a word for people (王斌局长, 郑梨花老师);
- in a list of names closed by a word for people (陈思、石相兄等10位教师).

A name is a surname of ``lexicon/surnames.txt`` and one or two characters, and is not
a word of jieba's dictionary with another part of speech (高中, 党委).
"""

from __future__ import annotations

import re
from functools import cache

from edukg.graph.extract.lexicons import Lexicons
from edukg.graph.extract.mentions import Candidate
from edukg.ontology import lexicon

PERSON_END = re.compile(
    r"^(?:同志|在|就|对|主持|出席|带队|实地|调研|讲授|作|为|表示|指出|强调|发表|率|等|，|、|。)"
)
NOT_IN_NAME = set("的了和与及是在等为中")
# jieba's tags for personal names; a dictionary word with any other tag is no name.
PERSON_TAGS = {"nr", "nrfg", "nrt"}


def person_mentions(
    text: str,
    start: int,
    end: int,
    sentence: int,
    words: Lexicons,
    tags: dict[str, str],
    word_edges: set[int],
) -> list[Candidate]:
    """Every written personal name of one sentence, with the bodies of the posts before it.

    ``word_edges`` are the offsets where jieba's words start or end: a name is whole words
    (习近平/总书记 holds no name 平总).
    """
    found = []
    for match in _after_title(words.titles).finditer(text, start, end):
        tail = text[match.start(1) : min(end, match.start(1) + 6)]
        name = _person_name(tail, words, tags)
        if name and {match.start(1), match.start(1) + len(name)} <= word_edges and not words.excluded(name):
            found.append(_candidate(match.start(1), name, sentence))
            found.extend(_post_bodies(text, start, match.start(), sentence, words))
    taken = {c.start for c in found}
    for name_start, name in _listed_names(text, start, end, words, tags):
        if (
            name_start not in taken
            and {name_start, name_start + len(name)} <= word_edges
            and not words.excluded(name)
        ):
            found.append(_candidate(name_start, name, sentence))
    return found


def _candidate(start: int, name: str, sentence: int) -> Candidate:
    return Candidate(start, start + len(name), name, "Person", sentence, False, "", "")


@cache
def _after_title(titles: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(title) for title in titles)
    return re.compile(rf"(?:{alternatives})([\u4e00-\u9fff]{{2,4}})")


@cache
def _before_people() -> re.Pattern[str]:
    """Names, one or a list, right before a post or a word for people (…等10位教师)."""
    people = "|".join(re.escape(w) for w in sorted(lexicon("people"), key=len, reverse=True))
    count = r"(?:等(?:[0-9０-９一二三四五六七八九十两百多几]+[位名个]|一批|多位|多名|一些)?)?"
    han = r"(?:(?!等)[\u4e00-\u9fff])"
    return re.compile(rf"((?:{han}{{2,4}}、)*{han}{{2,6}}){count}(?:{people})")


def _listed_names(
    text: str, start: int, end: int, words: Lexicons, tags: dict[str, str]
) -> list[tuple[int, str]]:
    found = []
    for match in _before_people().finditer(text, start, end):
        items = match.group(1).split("、")
        cursor = match.start(1)
        names = []
        for position, item in enumerate(items):
            # The first item may follow other words (同时郑梨花): its name is its tail.
            tails = [item[-n:] for n in (3, 2, 4)] if position == 0 else [item]
            name = next((t for t in tails if _is_name(t, words, tags)), "")
            if name:
                names.append((cursor + len(item) - len(name), name))
            cursor += len(item) + 1
        # A list is of names only when every later item is one (陈思、石相兄、郑育哲).
        if len(names) == len(items) or (len(items) == 1 and names):
            found.extend(names)
    return found


def _is_name(candidate: str, words: Lexicons, tags: dict[str, str]) -> bool:
    surname = candidate[:2] if candidate[:2] in words.surnames else candidate[:1]
    given = candidate[len(surname) :]
    return (
        surname in words.surnames
        and 1 <= len(given) <= 2
        and not NOT_IN_NAME & set(candidate)
        and tags.get(candidate, "nr") in PERSON_TAGS
    )


def _post_bodies(text: str, floor: int, position: int, sentence: int, words: Lexicons) -> list[Candidate]:
    """市委常委、宣传部部长: the bodies named in the posts written before a person's name."""
    chain_start = max(floor, *(text.rfind(mark, floor, position) + 1 for mark in "，,。；;：:"))
    found = []
    cursor = chain_start
    for element in re.split(r"(、)", text[chain_start : position + 1]):
        element_start = cursor
        cursor += len(element)
        title = next((t for t in words.titles if element.endswith(t)), "")
        body = element[: len(element) - len(title)] if title else ""
        head = words.head_of(body) if body else None
        if body and ((head is not None and head.type == "Bureau") or words.bare_body(body)):
            found.append(
                Candidate(
                    element_start, element_start + len(body), body, "Bureau", sentence, False, "", "post"
                )
            )
    return found


def _person_name(tail: str, words: Lexicons, tags: dict[str, str]) -> str:
    for length in (3, 2):
        candidate = tail[:length]
        if len(candidate) < length:
            continue
        rest = tail[length:]
        if _is_name(candidate, words, tags) and (not rest or PERSON_END.match(rest)):
            return candidate
    return ""
