"""Named sets of tasks: a number with 大 or 项 and the head of an effort (十大行动, 八项工程).

The guide makes them Programmes, and their number is part of the name, not a metric.
"""

from __future__ import annotations

import re
from functools import cache

from edukg.graph.extract.lexicons import lexicons
from edukg.graph.extract.mentions import Candidate

EFFORT_TYPES = {"Programme", "Campaign"}


@cache
def _pattern() -> re.Pattern[str]:
    words = lexicons()
    heads = [word for word in words.heads_longest_first if words.heads[word].type in EFFORT_TYPES]
    alternatives = "|".join(re.escape(head) for head in heads)
    return re.compile(
        rf"(?<![0-9一二三四五六七八九十两第])[一二三四五六七八九十两]{{1,3}}[大项](?:{alternatives})"
    )


def numbered_set_mentions(
    text: str, start: int, end: int, sentence: int, word_edges: set[int]
) -> list[Candidate]:
    return [
        Candidate(match.start(), match.end(), match.group(0), "Programme", sentence, False, "", "numbered")
        for match in _pattern().finditer(text, start, end)
        if match.start() in word_edges and match.end() in word_edges
    ]
