"""The extractor's view of the lexicons in ``ontology/lexicon``, and the jieba segmenter.

Both are built once per process (jieba's dictionary is costly) and shared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from edukg.ontology import lexicon, lexicon_table
from edukg.ontology.concepts import concepts
from edukg.ontology.places import is_place_name
from edukg.text import MASK_CLASS, jieba_dictionary

# Adverbs that are not name boundaries on their own (教育全面振兴) but that jieba glues to
# a following verb (全面深化).
GLUED_ADVERBS = {"全面"}
# What may stand before a body's head: its level, masked or not (市, **区).
LEVEL_AT_START = re.compile(r"^[省市区县州]")
LEVEL_AT_END = re.compile(rf"{MASK_CLASS}*[省市区县州]$")
# A year or a half of one, written or masked (2018年, 二〇二二年度, xxxx年上半年), anywhere in a name.
YEAR = re.compile(
    rf"(?:[0-9０-９]{{4}}|[〇零一二三四五六七八九]{{4}}|{MASK_CLASS}{{2,4}})(?:年度?)?(?:上半年|下半年)?|(?:上半年|下半年|全年|年度)"
)


@dataclass(frozen=True, slots=True)
class Head:
    word: str
    type: str
    weak: bool
    min_modifier: int = 1  # characters a name needs before this head (min=N in heads.txt)
    bare: bool = False  # the head alone is a complete name (领导小组, 市委)
    sub_body: bool = False  # a body set up inside the one that names it (工作专班)


@dataclass(frozen=True)
class Lexicons:
    heads: dict[str, Head]
    heads_longest_first: tuple[str, ...]
    verbs: dict[str, str]  # verb -> role: carry, make, found, follow, attend
    stopwords: frozenset[str]
    measure_words: tuple[str, ...]
    excluded_exact: frozenset[str]
    excluded_suffix: tuple[str, ...]
    excluded_prefix: tuple[str, ...]
    excluded_bureau_prefix: tuple[str, ...]
    report_genres: tuple[str, ...]  # 工作要点, 工作总结: a body's, a year's one is the report itself
    generic_modifiers: tuple[str, ...]  # longest first
    titles: tuple[str, ...]
    surnames: frozenset[str]
    own_bureau: tuple[str, ...]
    # Look-ups repeat across sentences and reports; the lexicons never change in a process.
    _heads_of: dict[str, Head | None] = field(default_factory=dict, repr=False, compare=False)

    def head_of(self, name: str) -> Head | None:
        """The longest head word ``name`` ends with."""
        if name in self._heads_of:
            return self._heads_of[name]
        found = None
        for length in range(min(len(self.heads_longest_first[0]), len(name)), 0, -1):
            found = self.heads.get(name[-length:])
            if found is not None:
                break
        if len(self._heads_of) < 200_000:
            self._heads_of[name] = found
        return found

    def bare_body(self, name: str) -> bool:
        """A body named by its head alone (领导小组, 市委), or by a level and that head (市政府)."""
        head = self.heads.get(LEVEL_AT_START.sub("", name, count=1)) or self.heads.get(name)
        return head is not None and head.bare and head.type == "Bureau"

    def sub_body(self, name: str) -> bool:
        head = self.head_of(name)
        return head is not None and head.sub_body

    def excluded(self, name: str, kind: str = "") -> bool:
        return (
            name in self.excluded_exact
            or name.endswith(self.excluded_suffix)
            or name.startswith(self.excluded_prefix)
            or (kind == "Bureau" and name.startswith(self.excluded_bureau_prefix))
            or self.report_genre(name)
        )

    def report_genre(self, name: str) -> bool:
        """市教育局2018年工作要点, 2022年工作计划: a body's or a year's work plan or summary is
        a report of the genre (this one, or one like it), not a policy it makes."""
        genre = next((g for g in self.report_genres if name.endswith(g)), "")
        if not genre:
            return False
        rest = name[: len(name) - len(genre)]
        while True:
            rest = LEVEL_AT_END.sub("", YEAR.sub("", rest).removesuffix("暨"))
            if not rest or is_place_name(rest):
                break
            head = self.head_of(rest)
            if head is None or head.type != "Bureau":
                return False
            rest = rest[: len(rest) - len(head.word)]
        return True

    def generic(self, modifier: str) -> bool:
        """True when every word of ``modifier`` only classifies (公办, 城乡, 政策)."""
        rest = modifier
        while rest:
            for word in self.generic_modifiers:
                if rest.startswith(word):
                    rest = rest[len(word) :]
                    break
            else:
                return False
        return True

    def verb_role(self, word: str) -> str:
        """The role of a verb, also when jieba glued an adverb to it (全面深化 → 深化)."""
        role = self.verbs.get(word)
        if role is None and len(word) > 2 and (word[:-2] in self.stopwords or word[:-2] in GLUED_ADVERBS):
            role = self.verbs.get(word[-2:])
        return role or ""

    def hard_verb(self, word: str) -> bool:
        """Verbs that always end a name read leftwards (they govern it)."""
        return self.verb_role(word) in {"carry", "make", "found", "follow", "count", "attend"}

    def soft_verb(self, word: str) -> bool:
        """Verbs that end a name only where the words after them make a name of their own."""
        return self.verb_role(word) in {"other", "receive"}


@cache
def lexicons() -> Lexicons:
    heads = {}
    for row in lexicon_table("heads"):
        word, kind = row[0], row[1].split()
        flags = dict(flag.split("=", 1) for flag in kind[1:] if "=" in flag)
        heads[word] = Head(
            word,
            kind[0],
            "weak" in kind[1:],
            int(flags.get("min", 1)),
            bare="bare" in kind[1:],
            sub_body="sub-body" in kind[1:],
        )
    excluded: dict[str, list[str]] = {
        "exact": [],
        "suffix": [],
        "prefix": [],
        "bureau-prefix": [],
        "report-genre": [],
    }
    for rule, text in lexicon_table("not-entities"):
        excluded[rule].append(text)
    return Lexicons(
        heads=heads,
        heads_longest_first=tuple(sorted(heads, key=len, reverse=True)),
        verbs={verb: role for verb, role in lexicon_table("verbs")},
        stopwords=frozenset(lexicon("stopwords")),
        measure_words=tuple(sorted(lexicon("measure-words"), key=len, reverse=True)),
        excluded_exact=frozenset(excluded["exact"]),
        excluded_suffix=tuple(excluded["suffix"]),
        excluded_prefix=tuple(excluded["prefix"]),
        excluded_bureau_prefix=tuple(excluded["bureau-prefix"]),
        report_genres=tuple(sorted(excluded["report-genre"], key=len, reverse=True)),
        generic_modifiers=tuple(sorted(lexicon("generic-modifiers"), key=len, reverse=True)),
        titles=tuple(sorted(lexicon("titles"), key=len, reverse=True)),
        surnames=frozenset(name for line in lexicon("surnames") for name in line.split()),
        own_bureau=tuple(sorted(lexicon("own-bureau"), key=len, reverse=True)),
    )


class Segmenter:
    """jieba with the lexicons as its user dictionary, so heads and verbs stay whole words."""

    def __init__(self) -> None:
        import jieba

        # A copy of the loaded default dictionary, not a second load of it from the cache
        # (which took most of a worker process's start).
        default = jieba_dictionary()
        self._tokenizer = jieba.Tokenizer()
        self._tokenizer.FREQ, self._tokenizer.total = dict(default.FREQ), default.total
        self._tokenizer.initialized = True
        words = lexicons()
        for word in (*words.heads, *words.verbs, *words.own_bureau, *lexicon("compounds")):
            self._tokenizer.add_word(word, freq=200000)
        # Part-of-speech tags of jieba's own dictionary: a look-up, not a second pass.
        import jieba.posseg

        self.tags: dict[str, str] = jieba.posseg.dt.word_tag_tab
        for concept in concepts():
            for variant in concept.variants:
                if re.fullmatch(r"[\u4e00-\u9fff]+", variant):
                    self._tokenizer.add_word(variant, freq=100000)

    def tokens(self, text: str) -> list[tuple[str, int, int]]:
        """(word, start, end) for each word of ``text``; a verb glued to a head (召开会议) is two words."""
        words = lexicons()
        found = []
        for word, start, end in self._tokenizer.tokenize(text, HMM=False):
            if len(word) > 2 and word[:2] in words.verbs and word[2:] in words.heads:
                found.append((word[:2], start, start + 2))
                found.append((word[2:], start + 2, end))
            else:
                found.append((word, start, end))
        return found


@cache
def segmenter() -> Segmenter:
    return Segmenter()
