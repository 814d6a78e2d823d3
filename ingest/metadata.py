"""What a report says about itself: id, title, own bureau, level and jurisdiction."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import PurePath

from edukg.ingest.structure import MARKER
from edukg.ontology import lexicon_table
from edukg.records import Level, Paragraph
from edukg.text import MASK_CLASS, jieba_dictionary

# The last character of a jurisdiction's name, and the level it gives. 州/盟 are
# prefecture-level like a 市, 旗 is county-level.
_LEVEL_OF_SUFFIX: dict[str, Level] = {
    "省": "省",
    "市": "市",
    "区": "区",
    "县": "县",
    "州": "市",
    "盟": "市",
    "旗": "县",
}
_SUFFIXES = "".join(_LEVEL_OF_SUFFIX)
# A place name is a word of 3-6 CJK characters ending in a suffix, not a collective (全市, 各区).
_PLACE_NAME = re.compile(rf"[\u4e00-\u9fff]{{2,5}}[{_SUFFIXES}]")
_COLLECTIVE_START = "全各本我该此每"
_PLACE_WINDOW = 12
# jieba's tags for names: places, people (its dictionary tags some districts so) and others.
_NAME_TAGS = frozenset({"ns", "nr", "nz", "nt", "nrt", "nrfg"})
_MASKED_JURISDICTION = re.compile(rf"(?:{MASK_CLASS}+|某)[{_SUFFIXES}]")

_TITLE_ENDINGS = ("汇报", "发言", "发言稿", "情况", "材料", "总结", "要点", "报告", "讲话", "计划", "方案")
_NOT_IN_TITLE = re.compile(r"[。！？；：:!?;]")
_REPORTED_AS = re.compile(r"现将(?P<title>[^。！？；\n]{2,60}?)(?:汇报|报告)如下")
_MAX_TITLE = 60
# The own bureau introduces itself early: in the title, the greeting and the opening.
_OPENING_PARAGRAPHS = 5


def report_id(text: str) -> str:
    """``report:`` and 16 hex digits of the SHA-256 of the text.

    >>> report_id("abc")
    'report:ba7816bf8f01cfea'
    """
    return "report:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def guess_title(text: str, paragraphs: tuple[Paragraph, ...], source: str) -> str:
    """The first line when it reads as a title, else the subject of 现将…汇报如下, else the file stem.

    >>> guess_title("市教育局工作汇报\\n正文。", (Paragraph(0, 8), Paragraph(9, 12)), "a.txt")
    '市教育局工作汇报'
    """
    if paragraphs:
        first = text[paragraphs[0].start : paragraphs[0].end]
        if _looks_like_title(first):
            return first
        opening_end = paragraphs[min(len(paragraphs), _OPENING_PARAGRAPHS) - 1].end
        reported_as = _REPORTED_AS.search(text, 0, opening_end)
        if reported_as:
            return reported_as.group("title").strip()
    return PurePath(source).stem


def _looks_like_title(line: str) -> bool:
    if len(line) > _MAX_TITLE or _NOT_IN_TITLE.search(line) or MARKER.match(line):
        return False
    return line.endswith(_TITLE_ENDINGS) or ("，" not in line and "," not in line)


@dataclass(frozen=True, slots=True)
class OwnBureau:
    """The report's own bureau as the report names it, with its level and jurisdiction."""

    name: str
    level: Level
    jurisdiction: str
    masked: bool


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    level_char: str
    head: str  # the full head (教育委员会 for 教委), so that both forms count as one bureau
    written: str  # the head as the report writes it
    jurisdiction: str
    masked: bool


@cache
def _bureau_heads() -> tuple[re.Pattern[str], dict[str, Level]]:
    rows = lexicon_table("bureau-heads")
    heads = sorted((row[0] for row in rows), key=len, reverse=True)
    implied: dict[str, Level] = {
        row[0]: _LEVEL_OF_SUFFIX[row[1]] for row in rows if len(row) > 1 and not row[1].startswith("=")
    }
    head = "|".join(map(re.escape, heads))
    pattern = re.compile(rf"(?P<mask>(?:{MASK_CLASS}+|某))?(?P<level>[{_SUFFIXES}])?(?P<head>{head})")
    return pattern, implied


@cache
def _full_heads() -> dict[str, str]:
    """Abbreviated heads and the full head they stand for (教体局 → 教育体育局)."""
    return {
        row[0]: row[1].removeprefix("=").strip()
        for row in lexicon_table("bureau-heads")
        if len(row) > 1 and row[1].startswith("=")
    }


def own_bureau(text: str, paragraphs: tuple[Paragraph, ...]) -> OwnBureau:
    """The bureau the report speaks for: the most frequent education authority of its opening.

    A name with a level (区教育局) beats a bare head (教育局). The bureau is named with its
    jurisdiction when that is a real place (芜湖市教育局), else by level and head (市教育局).

    >>> own_bureau("芜湖市教育局工作汇报", (Paragraph(0, 10),))
    OwnBureau(name='芜湖市教育局', level='市', jurisdiction='芜湖市', masked=False)
    >>> own_bureau("**市教育局党组认真落实。", (Paragraph(0, 12),))
    OwnBureau(name='市教育局', level='市', jurisdiction='**市', masked=True)
    """
    mentions = _mentions(text)
    if not mentions:
        # Only 我局, 局党组, 全县: the education bureau of the level the report speaks for.
        level_char = _level_spoken_for(text)
        if not level_char:
            return OwnBureau("", "", "", False)
        return OwnBureau(level_char + "教育局", _LEVEL_OF_SUFFIX[level_char], "", False)
    opening_end = paragraphs[min(len(paragraphs), _OPENING_PARAGRAPHS) - 1].end
    candidates = [mention for mention in mentions if mention.start < opening_end] or mentions
    counts = Counter((mention.level_char, mention.head) for mention in candidates)
    first_seen = {}
    for mention in reversed(candidates):
        first_seen[(mention.level_char, mention.head)] = mention.start
    level_char, head = max(counts, key=lambda key: (bool(key[0]), counts[key], -first_seen[key]))
    # Named as the report writes it (县教委), in its most frequent form.
    written = Counter(m.written for m in candidates if (m.level_char, m.head) == (level_char, head))

    _, implied = _bureau_heads()
    named = [m for m in mentions if (m.level_char, m.head) == (level_char, head) and m.jurisdiction]
    if named:
        jurisdiction_counts = Counter((m.jurisdiction, m.masked) for m in named)
        jurisdiction, masked = jurisdiction_counts.most_common(1)[0][0]
    elif level_char:
        jurisdiction, masked = _masked_jurisdiction(text, level_char)
    else:
        jurisdiction, masked = "", False

    if not level_char and not jurisdiction and head not in implied:
        level_char = _level_spoken_for(text)
    suffix = jurisdiction[-1:] or level_char
    level: Level = _LEVEL_OF_SUFFIX.get(suffix) or implied.get(head, "")
    head = written.most_common(1)[0][0]
    name = jurisdiction + head if jurisdiction and not masked else level_char + head
    return OwnBureau(name, level, jurisdiction, masked)


# How a report speaks of its own level: itself (全县, 我区) and the local bodies it answers to
# or works with (县委, 区政府, 县级, 县属); a self-reference counts twice.
_SELF_REFERENCE = re.compile(r"[全我本]([县区市])")
_LOCAL_BODY = re.compile(r"([县区市])(?:委|政府|人民政府|级|属|直|教育系统)")


def _level_spoken_for(text: str) -> str:
    """The level a report speaks for when it names its bureau without one: 全县/我县 → 县.

    >>> _level_spoken_for("全县教育系统……县委县政府……全市")
    '县'
    """
    found = Counter(match.group(1) for match in _SELF_REFERENCE.finditer(text))
    found.update(found.keys())
    found.update(match.group(1) for match in _LOCAL_BODY.finditer(text))
    return found.most_common(1)[0][0] if found else ""


def _mentions(text: str) -> list[_Mention]:
    pattern, _ = _bureau_heads()
    mentions = []
    for match in pattern.finditer(text):
        level_char = match.group("level") or ""
        jurisdiction, masked = "", False
        if match.group("mask") and level_char:
            jurisdiction, masked = match.group("mask") + level_char, True
        elif level_char:
            jurisdiction = _place_name_before(text, match.start("head"), match.end("head"))
        written = match.group("head")
        head = _full_heads().get(written, written)
        mentions.append(_Mention(match.start(), level_char, head, written, jurisdiction, masked))
    return mentions


def _place_name_before(text: str, head_start: int, head_end: int) -> str:
    """The place name that ends where the head starts (芜湖市 in 现将芜湖市教育局), or ``""``.

    jieba segments the phrase with the head, so 印发市教育局 gives 印发/市/教育局. Only words of
    jieba's dictionary tagged as names count: its HMM joins unknown runs such as 现将市.
    """
    import jieba.posseg

    tokenizer = jieba_dictionary()
    window_start = max(0, head_start - _PLACE_WINDOW, text.rfind("\n", 0, head_start) + 1)
    for word, _, end in tokenizer.tokenize(text[window_start:head_end]):
        if end == head_start - window_start:
            tag = jieba.posseg.dt.word_tag_tab.get(word, "")
            if _PLACE_NAME.fullmatch(word) and word[0] not in _COLLECTIVE_START and tag in _NAME_TAGS:
                return word
    return ""


def _masked_jurisdiction(text: str, level_char: str) -> tuple[str, bool]:
    """The most frequent masked name of the given level anywhere (出台××市…), if any."""
    found = Counter(m.group() for m in _MASKED_JURISDICTION.finditer(text) if m.group().endswith(level_char))
    if not found:
        return "", False
    return found.most_common(1)[0][0], True
