"""Metrics: every number or masked number followed by a measure word, with its indicator.

The indicator is the counted noun phrase next to the number: after it when the
number opens the phrase (组建×个城区教育集团), before it when the number closes it
(新增公办学位**个). Dates, durations, ordinals, numbers inside names and 一 used as
an article are not metrics.

>>> parse_number("*.**", "亿元")
(None, True)
>>> parse_number("12", "个")
(12.0, False)
>>> parse_number("两", "个")
(2.0, False)
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass
from functools import cache

from edukg.graph.extract.lexicons import Lexicons
from edukg.ontology import lexicon
from edukg.text import MASK, MASK_CLASS, MASK_IN_CLASS

DIGITS = r"[0-9０-９]+(?:[.．][0-9０-９]+)?"
MASKED = rf"{MASK_CLASS}+(?:[.．](?:{MASK_CLASS}|[0-9])+)?"
HANZI = r"[一二三四五六七八九十百千两]+"
NUMBER = rf"(?:{DIGITS}|{MASKED}|{HANZI})"
ORDINAL_BEFORE = ("第", "首", "前", "每")
AFTER_NOT_UNIT = re.compile(r"^(?:钟|年|月|日|号|时|届|期|大|级|线|化|国|万亿)")
QUALIFIERS = ("超过", "达到", "超", "约", "近", "达", "共", "逾", "计", "有", "为", "其中", "总计", "合计")
COMPARISON = re.compile(r"^(?:比|较|高于|低于|同比|环比|增长|增加|提高|下降|减少)")
CLAUSE_END = re.compile(r"[，,。；;：:、（）()“”《》\n]")
HANZI_VALUES = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
HANZI_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
MAGNITUDE = {"万": 1e4, "亿": 1e8, "千": 1e3, "百": 1e2}


@dataclass(frozen=True, slots=True)
class MetricMention:
    start: int  # span of the value as written
    end: int
    value: str
    unit: str
    numeric: float | None
    masked: bool
    indicator: str
    indicator_span: tuple[int, int]
    comparison: str | None
    sentence: int


@cache
def _pattern(units: tuple[str, ...]) -> re.Pattern[str]:
    unit = "|".join(re.escape(word) for word in units)
    return re.compile(
        rf"(?P<number>{NUMBER}(?:[－\-—~～至到]{NUMBER})?)(?P<magnitude>[余多]?[万亿千百]?[余多]?)(?P<unit>{unit})"
    )


def _hanzi_number(text: str) -> float | None:
    total, current = 0, 0
    for char in text:
        if char in HANZI_VALUES:
            current = HANZI_VALUES[char]
        elif char in HANZI_UNITS:
            total += (current or 1) * HANZI_UNITS[char]
            current = 0
        else:
            return None
    return float(total + current)


def parse_number(number: str, magnitude: str = "") -> tuple[float | None, bool]:
    """The number a value states, and whether it is masked."""
    if MASK.search(number):
        return None, True
    if re.search(r"[－\-—~～至到]", number):
        return None, False
    scale = 1.0
    for char in magnitude:
        scale *= MAGNITUDE.get(char, 1.0)
    plain = number.translate(str.maketrans("０１２３４５６７８９．", "0123456789."))
    value = float(plain) if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", plain) else _hanzi_number(number)
    if value is None or not math.isfinite(value * scale):
        # A run of hundreds of digits overflows to infinity, which JSON cannot hold.
        return None, False
    return value * scale, False


def find_metrics(
    text: str,
    start: int,
    end: int,
    sentence: int,
    tokens: list[tuple[str, int, int]],
    words: Lexicons,
    name_spans: list[tuple[int, int]],
    tags: dict[str, str],
) -> list[MetricMention]:
    """The metrics of one sentence (``text[start:end]``)."""
    found: list[MetricMention] = []
    for match in _pattern(words.measure_words).finditer(text, start, end):
        number, magnitude, unit = match.group("number", "magnitude", "unit")
        value_start, value_end = match.span()
        before = text[max(start, value_start - 1) : value_start]
        after = text[value_end : value_end + 2]
        if before and (before in ORDINAL_BEFORE or re.match(r"[0-9A-Za-z.]", before)):
            continue
        if number == "一" or (re.fullmatch(HANZI, number) and unit == "分"):
            continue
        if re.match(r"[A-Za-z]", after) or (
            AFTER_NOT_UNIT.match(after) and unit in {"个", "项"} and after[0] in "大级化"
        ):
            continue
        if any(s <= value_start and value_end <= e for s, e in name_spans):
            continue
        # 27万: a bare magnitude is the unit, and still scales the number
        scale = magnitude.strip("余多") + (unit if unit in MAGNITUDE else "")
        numeric, masked = parse_number(number, scale)
        if unit == "次" and MEETING_ORDINAL.match(text[value_end : value_end + 4]):
            continue
        indicator_span = _indicator(text, start, value_start, value_end, tokens, words, tags)
        indicator = _strip_quotes(text[indicator_span[0] : indicator_span[1]])
        if not indicator and found and re.fullmatch(r"[、，,和及]", text[found[-1].end : value_start]):
            # 增加***项、*.**亿元: a value listed right after another shares its indicator.
            indicator, indicator_span = found[-1].indicator, found[-1].indicator_span
        if not indicator:
            indicator_span = _verb_right_before(start, value_start, tokens, words)
            indicator = text[indicator_span[0] : indicator_span[1]]
        if not indicator:
            continue
        comparison = indicator if COMPARISON.match(indicator) else None
        found.append(
            MetricMention(
                value_start,
                value_end,
                text[value_start:value_end],
                unit,
                numeric,
                masked,
                indicator,
                indicator_span,
                comparison,
                sentence,
            )
        )
    return found


@cache
def _indicator_suffixes() -> frozenset[str]:
    return frozenset(lexicon("indicator-suffixes"))


def _strip_quotes(text: str) -> str:
    return re.sub(r"[“”‘’\"《》]", "", text)


# 保持在95%, 提高到**%: a verb of reaching a level stands between the indicator and the value.
LEVEL_VERB = re.compile(r"^.{0,3}[在到至]$")
LEVEL_BODY = re.compile(r"^[省市区县](?:委|政府)$")
MEETING_ORDINAL = re.compile(r"^(?:全会|全体会议|会议|常委会|党代会|集体学习|代表大会)")
QUOTE_TOKEN = re.compile(r"^[“”‘’\"]+$")
STOP_TAGS = {"d", "p", "c", "u", "r", "m", "uj", "ul", "ud"}
ORDINAL_WORD = re.compile(r"^(?:首|第)")
VALUE_PART = re.compile(rf"^[0-9０-９{MASK_IN_CLASS}.．%％]+$")
COMPARISON_START = ("比", "较", "高于", "低于", "同比", "环比")
KEPT_IN_INDICATOR = {"以上", "以下"}
# A generic noun after the count when the counted thing comes before it (调研清单X项任务).
GENERIC_AFTER = {"任务", "工作"}


def _indicator(
    text: str,
    start: int,
    value_start: int,
    value_end: int,
    tokens: list[tuple[str, int, int]],
    words: Lexicons,
    tags: dict[str, str],
) -> tuple[int, int]:
    after = _phrase_after(start, value_end, tokens, words, tags)
    before = _phrase_before(text, start, value_start, tokens, words, tags)
    after_text = text[after[0] : after[1]]
    if after_text in KEPT_IN_INDICATOR:
        after = (after[0], after[0])
    if after[1] > after[0] and not (after_text in GENERIC_AFTER and before[1] > before[0]):
        return after
    return before


def _verb_right_before(
    start: int, position: int, tokens: list[tuple[str, int, int]], words: Lexicons
) -> tuple[int, int]:
    """惠及1869人次, 增加231人: with no counted noun, the verb that counts names the quantity."""
    for word, token_start, token_end in tokens:
        if start + token_end == position and words.verb_role(word) and word not in QUALIFIERS:
            return start + token_start, position
    return position, position


def _ends_phrase(word: str, words: Lexicons, tags: dict[str, str]) -> bool:
    if word in KEPT_IN_INDICATOR or word in _indicator_suffixes():
        return False
    if CLAUSE_END.fullmatch(word) or word in {"等", "的"} or word in words.stopwords:
        return True
    if words.verb_role(word):
        return True
    tag = tags.get(word, "")
    if tag == "m" and ORDINAL_WORD.match(word):
        return False
    return tag in STOP_TAGS or (tag in {"v", "f"} and len(word) == 1)


def _phrase_after(
    start: int, position: int, tokens: list[tuple[str, int, int]], words: Lexicons, tags: dict[str, str]
) -> tuple[int, int]:
    """The counted noun phrase after the value; past a 的, the noun after it (N个方面的X → X)."""
    # tokens are in text order: the slice from the first one at or after the value (no scan of the
    # whole sentence per value, which grew with the square of an unpunctuated sentence)
    following = tokens[bisect.bisect_left(tokens, position - start, key=lambda token: token[1]) :]
    begin = end = position
    for index, (word, _, token_end) in enumerate(following):
        if QUOTE_TOKEN.match(word):
            continue
        if word == "的" and (end > begin or index == 0):
            upcoming = following[index + 1][0] if index + 1 < len(following) else ""
            if upcoming and not re.match(rf"[0-9０-９{MASK_IN_CLASS}一二三四五六七八九十两]", upcoming):
                begin = end = start + token_end
                continue
        if _ends_phrase(word, words, tags):
            break
        # A verb with an object after it ends the counted thing (企业参展…).
        has_object = index + 1 < len(following) and not _ends_phrase(following[index + 1][0], words, tags)
        if tags.get(word) == "v" and end > begin and has_object:
            break
        end = start + token_end
    return begin, end


def _phrase_before(
    text: str,
    start: int,
    position: int,
    tokens: list[tuple[str, int, int]],
    words: Lexicons,
    tags: dict[str, str],
) -> tuple[int, int]:
    """The phrase the value closes: back to a boundary; a counting verb (新增, 转化) opens it."""
    preceding = tokens[: bisect.bisect_right(tokens, position - start, key=lambda token: token[2])]
    begin = position
    for index in range(len(preceding) - 1, -1, -1):
        word, token_start, _ = preceding[index]
        if CLAUSE_END.fullmatch(word):
            break
        if word.startswith(COMPARISON_START):
            # 比上年增加**项, 低于全省*个百分点: the comparison is the indicator.
            return start + token_start, position
    skipped_level = False
    for index in range(len(preceding) - 1, -1, -1):
        word, token_start, _ = preceding[index]
        if QUOTE_TOKEN.match(word):
            continue
        following = preceding[index + 1][0] if index + 1 < len(preceding) else ""
        if VALUE_PART.match(word) and (
            not following or VALUE_PART.match(following) or following in words.measure_words
        ):
            break
        role = words.verb_role(word)
        if role == "count":
            begin = start + token_start
            break
        reaching = LEVEL_VERB.match(word) or (tags.get(word) == "v" and skipped_level)
        if (word in QUALIFIERS or reaching) and begin == position:
            # 覆盖学生约1.2万人, 保持在95%: qualifiers and verbs of reaching a level are skipped.
            begin = position = start + token_start
            skipped_level = bool(LEVEL_VERB.match(word))
            continue
        skipped_level = False
        if role or word in QUALIFIERS or LEVEL_BODY.match(word) or _ends_phrase(word, words, tags):
            break
        begin = start + token_start
    clause = text[begin:position]
    changed = True
    while changed:
        changed = False
        for qualifier in QUALIFIERS:
            if clause.endswith(qualifier) and len(clause) > len(qualifier):
                clause = clause[: -len(qualifier)]
                changed = True
            if clause.startswith(qualifier) and len(clause) > len(qualifier):
                clause = clause[len(qualifier) :]
                begin += len(qualifier)
                changed = True
    return begin, begin + len(clause)
