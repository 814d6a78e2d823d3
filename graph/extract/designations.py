"""Designations: a title a level of government gives a place or a school.

全国义务教育优质均衡发展县, 省级党建示范校: the conferring level, words with a cue of
merit or trial, and the kind of place (``lexicon/designations.txt``), all whole words of
one phrase: no verb, conjunction or preposition inside. The guide makes them Institutions.
"""

from __future__ import annotations

import re
from functools import cache

from edukg.graph.extract.lexicons import Lexicons
from edukg.graph.extract.mentions import SCOPE_WORDS, Candidate, verb_before
from edukg.ontology import lexicon_table

MAX_DESIGNATION = 26
OPENING, CLOSING = "“‘「", "”’」"
BATCH = re.compile(r"首批|第[一二三四五六七八九十0-9０-９]{1,3}批")
# Words that end a phrase: a designation holds none of them (…县和省…合格县 is two).
BREAK_TAGS = {"c", "p", "v", "u", "uj", "ul", "d", "r", "x"}


@cache
def _parts() -> dict[str, tuple[str, ...]]:
    parts: dict[str, list[str]] = {"prefix": [], "cue": [], "ending": []}
    for kind, word in lexicon_table("designations"):
        parts[kind].append(word)
    return {kind: tuple(words) for kind, words in parts.items()}


def _named(title: str, endings: tuple[str, ...], words: Lexicons, tags: dict[str, str]) -> bool:
    """A batch's title names something of its own, not a kind (首批|培育基地 names none)."""
    ending = max((e for e in endings if title.endswith(e)), key=len)
    modifier = title[: -len(ending)]
    return len(modifier) >= 2 and tags.get(modifier) not in {"v", "vn"} and not words.generic(modifier)


def designation_mentions(
    text: str,
    start: int,
    tokens: list[tuple[str, int, int]],
    sentence: int,
    words: Lexicons,
    tags: dict[str, str],
) -> list[Candidate]:
    """The longest designation that starts at each word of a conferring level, with the verb
    before it (创建 makes the actor responsible, 获评 does not)."""
    parts = _parts()
    found = []
    index = 0
    while index < len(tokens):
        word, word_start, _ = tokens[index]
        batch = BATCH.fullmatch(word) is not None
        if word not in parts["prefix"] and not batch:
            index += 1
            continue
        best = None
        for last in range(index + 1, len(tokens)):
            inner = tokens[last][0]
            breaks = tags.get(inner, "") in BREAK_TAGS or words.verb_role(inner)
            # jieba tags 示范 and 培养 as verbs: inside a title they are its words, not its verb
            if (
                breaks
                and not inner.endswith(parts["ending"])
                and (words.verb_role(inner) or tags.get(inner) != "v")
            ):
                break
            name = text[start + word_start : start + tokens[last][2]]
            if len(name) > MAX_DESIGNATION or not all("\u4e00" <= char <= "\u9fff" for char in name):
                break
            # a title given in batches (首批, 第二批) needs no word of merit: the batch is the honour
            title = name[len(word) :]
            if name.endswith(parts["ending"]) and (
                any(cue in title for cue in parts["cue"])
                or (batch and _named(title, parts["ending"], words, tags))
            ):
                best = (last, name)
        if best is None:
            index += 1
            continue
        last, name = best
        name_start, name_end = start + word_start, start + tokens[last][2]
        written_with = ""
        if batch:
            # 全县首批|…智慧学校: the batch (and the scope before it) is how it was given, the
            # title is the rest; the mention spans the whole, another written form of it
            scope = tokens[index - 1] if index and tokens[index - 1][0] in SCOPE_WORDS else None
            name_start = start + scope[1] if scope else name_start
            written_with = text[name_start:name_end]
            name = text[start + tokens[index][2] : name_end]
        # in quote marks of its own, it is a name even inside a longer one (“…试点区”建设)
        quoted = text[name_start - 1 : name_start] in OPENING and text[name_end : name_end + 1] in CLOSING
        found.append(
            Candidate(
                name_start,
                name_end,
                name,
                "Institution",
                sentence,
                quoted,
                verb_before(text, start + word_start, start, words),
                "designation",
                written_with,
            )
        )
        index = last + 1
    return found
