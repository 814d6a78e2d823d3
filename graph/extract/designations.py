"""Designations: a title a level of government gives a place or a school.

全国义务教育优质均衡发展县, 省级党建示范校: the conferring level, words with a cue of
merit or trial, and the kind of place (``lexicon/designations.txt``), all whole words of
one phrase: no verb, conjunction or preposition inside. The guide makes them Institutions.
"""

from __future__ import annotations

from functools import cache

from edukg.graph.extract.lexicons import Lexicons
from edukg.graph.extract.mentions import Candidate, verb_before
from edukg.ontology import lexicon_table

MAX_DESIGNATION = 26
# Words that end a phrase: a designation holds none of them (…县和省…合格县 is two).
BREAK_TAGS = {"c", "p", "v", "u", "uj", "ul", "d", "r", "x"}


@cache
def _parts() -> dict[str, tuple[str, ...]]:
    parts: dict[str, list[str]] = {"prefix": [], "cue": [], "ending": []}
    for kind, word in lexicon_table("designations"):
        parts[kind].append(word)
    return {kind: tuple(words) for kind, words in parts.items()}


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
        if word not in parts["prefix"]:
            index += 1
            continue
        best = None
        for last in range(index + 1, len(tokens)):
            inner = tokens[last][0]
            if tags.get(inner, "") in BREAK_TAGS and not inner.endswith(parts["ending"]):
                break
            name = text[start + word_start : start + tokens[last][2]]
            if len(name) > MAX_DESIGNATION or not all("\u4e00" <= char <= "\u9fff" for char in name):
                break
            if name.endswith(parts["ending"]) and any(cue in name[len(word) :] for cue in parts["cue"]):
                best = (last, name)
        if best is None:
            index += 1
            continue
        last, name = best
        found.append(
            Candidate(
                start + word_start,
                start + tokens[last][2],
                name,
                "Institution",
                sentence,
                False,
                verb_before(text, start + word_start, start, words),
                "designation",
            )
        )
        index = last + 1
    return found
