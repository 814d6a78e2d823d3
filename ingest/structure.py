"""Paragraphs, sentences, numbered sections and reported/planned status of a report's text.

Every offset points into the normalised text (see ``normalise_text``) and excludes the
whitespace around the thing it describes.

>>> text = "一、工作开展情况\\n完成了培训。下一步，我们将继续推进。"
>>> sections, paragraphs, sentences = parse_structure(text)
>>> [(s.marker, s.heading, s.level) for s in sections]
[('一、', '工作开展情况', 1)]
>>> [(text[s.start : s.end], s.status) for s in sentences]
[('一、工作开展情况', 'reported'), ('完成了培训。', 'reported'), ('下一步，我们将继续推进。', 'planned')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from edukg.ontology import lexicon_table
from edukg.records import Paragraph, Section, Sentence, Status
from edukg.text import MASK_CLASS

_TERMINATORS = "。！？；!?;"
_CLOSERS = "”’）」』】〕》)]\"'"
_SENTENCE = re.compile(
    rf"[^{re.escape(_TERMINATORS)}]*[{re.escape(_TERMINATORS)}]+[{re.escape(_CLOSERS)}]*"
    rf"|[^{re.escape(_TERMINATORS)}]+"
)
_PARAGRAPH = re.compile(r"\S[^\n]*")
# C0 controls but tab and line ends, and the two non-characters: GraphML and RDF/XML cannot hold them.
_UNWRITABLE = re.compile("[\x00-\x08\x0e-\x1b\x1f\ufffe\uffff]")

_NUMERAL = "[一二三四五六七八九十]{1,3}"
# A section heading's marker at the start of a paragraph; the group name gives the level.
MARKER = re.compile(
    rf"(?P<l1>{_NUMERAL}、)"
    rf"|(?P<l2>[（(]{_NUMERAL}[）)])"
    rf"|(?P<l3>{_NUMERAL}是|\d{{1,2}}(?:[.．](?!\d)|、)|[（(]\d{{1,2}}[）)]|第{_NUMERAL}[，,、]|[①-⑳])"
)
_MARKER_LEVEL = {"l1": 1, "l2": 2, "l3": 3}
_HEADING_END = re.compile(r"[。！？!?]")
_CLAUSE_END = re.compile(r"[，,；;。！？!?]")


def writable(text: str) -> str:
    """``text`` without the control characters that GraphML and RDF/XML cannot hold."""
    return _UNWRITABLE.sub("", text)


def normalise_text(text: str) -> str:
    """Line ends as ``\\n``, no trailing whitespace on a line, no empty lines at either end,
    and no control characters that no text format holds (XML 1.0 forbids them).

    Spaces that break a word (全 国) go, and hard-wrapped lines join their paragraph.
    Offsets are computed on the result.

    >>> normalise_text("\\r\\n标题  \\r\\n正\\x1f文。\\r\\n\\r\\n")
    '标题\\n正文。'
    """
    lines = [
        _ANGLE_TITLE.sub(r"《\1》", _CJK_GAP.sub("", line.rstrip())) for line in writable(text).splitlines()
    ]
    start = next((index for index, line in enumerate(lines) if line), len(lines))
    end = len(lines)
    while end > start and not lines[end - 1]:
        end -= 1
    return "\n".join(_unwrap(lines[start:end]))


# Text taken from PDFs and web pages breaks words with spaces (全 国, 2022 年) that
# Chinese never writes between its characters. A full-width space is written on purpose
# (between the halves of a slogan) and stays.
_HAN_OR_DIGIT = rf"(?:[\u4e00-\u9fff0-9]|{MASK_CLASS})"
_CJK_GAP = re.compile(rf"(?<={_HAN_OR_DIGIT}) +(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff]) +(?={_HAN_OR_DIGIT})")
# Plain-text copies write book-title marks as ASCII angle brackets (<…标准>相关指标).
_ANGLE_TITLE = re.compile(r"<([^<>《》\n]*[\u4e00-\u9fff][^<>《》\n]*)>")
# A PDF's text keeps its line breaks: most lines are as long as the page is wide.
_WRAPPED_SHARE = 0.5
_WRAP_SLACK = 3
_MIN_WRAPPED_LINES = 5
# A page's line holds at least this many characters; shorter lines are paragraphs of their own.
_MIN_PAGE_WIDTH = 20


def _unwrap(lines: list[str]) -> list[str]:
    """Hard-wrapped lines joined into their paragraphs: a line as long as the page that
    ends without a sentence's end runs on into the next one, unless that one opens a section.

    >>> page = "二十个字的一行" * 3
    >>> _unwrap(["标题", page, page, "三四。", page, page, "七八", "二、下一节"])[1:3] == [page * 2 + "三四。", page * 2 + "七八"]
    True
    """
    lengths = sorted(len(line) for line in lines if line)
    if len(lengths) < _MIN_WRAPPED_LINES:
        return lines
    width = lengths[len(lengths) * 3 // 4]
    if width < _MIN_PAGE_WIDTH:
        return lines
    near = sum(1 for length in lengths if width - _WRAP_SLACK <= length <= width)
    if near < len(lengths) * _WRAPPED_SHARE:
        return lines
    joined: list[str] = []
    runs_on = False
    for line in lines:
        if runs_on and line and not MARKER.match(line):
            joined[-1] += line
        else:
            joined.append(line)
        runs_on = len(line) >= width - _WRAP_SLACK and not line.endswith(tuple("。！？；：:!?;"))
    return joined


@dataclass(frozen=True, slots=True)
class PlanCues:
    heading: tuple[str, ...]
    opening: re.Pattern[str]
    sentence: re.Pattern[str]
    disposal: re.Pattern[str]


@cache
def plan_cues() -> PlanCues:
    """The rules of ``ontology/lexicon/plan-cues.txt``, compiled."""
    by_rule: dict[str, list[str]] = {"heading": [], "opening": [], "sentence": [], "disposal": []}
    for rule, cue in lexicon_table("plan-cues"):
        if rule not in by_rule:
            raise ValueError(f"plan-cues.txt: unknown rule {rule!r} (expected one of {', '.join(by_rule)})")
        by_rule[rule].append(cue)

    def alternation(cues: list[str]) -> re.Pattern[str]:
        return re.compile("|".join(re.escape(cue) for cue in sorted(cues, key=len, reverse=True)))

    return PlanCues(
        heading=tuple(by_rule["heading"]),
        opening=alternation(by_rule["opening"]),
        sentence=alternation(by_rule["sentence"]),
        disposal=alternation(by_rule["disposal"]),
    )


def states_plan(sentence: str) -> bool:
    """Whether a sentence's own wording marks planned work (see plan-cues.txt).

    >>> states_plan("我们将继续深化改革。"), states_plan("将主题教育与服务中心工作相结合。")
    (True, False)
    >>> states_plan("局党组将化解信访积案作为重点。"), states_plan("局党组将加大投入。")
    (False, True)
    """
    cues = plan_cues()
    for cue in cues.sentence.finditer(sentence):
        if not cue.group().endswith("将"):
            return True
        clause_end = _CLAUSE_END.search(sentence, cue.end())
        clause = sentence[cue.end() : clause_end.start() if clause_end else len(sentence)]
        if not cues.disposal.search(clause):
            return True
    return False


def paragraphs_of(text: str) -> tuple[Paragraph, ...]:
    """Every non-empty line, without its leading whitespace."""
    return tuple(Paragraph(match.start(), match.end()) for match in _PARAGRAPH.finditer(text))


@dataclass(slots=True)
class _OpenSection:
    marker: str
    heading: str
    level: int
    start: int
    end: int
    planned: bool


def parse_structure(
    text: str,
) -> tuple[tuple[Section, ...], tuple[Paragraph, ...], tuple[Sentence, ...]]:
    """Sections, paragraphs and sentences of normalised text, with reported/planned status."""
    paragraphs = paragraphs_of(text)
    markers = [MARKER.match(text, paragraph.start, paragraph.end) for paragraph in paragraphs]
    regions = _plan_regions(text, paragraphs, markers)
    sections, innermost = _sections(text, paragraphs, markers, regions)
    sentences: list[Sentence] = []
    for paragraph_index, paragraph in enumerate(paragraphs):
        section = innermost[paragraph_index]
        section_planned = section >= 0 and sections[section].status == "planned"
        for match in _SENTENCE.finditer(text, paragraph.start, paragraph.end):
            piece = match.group()
            body = piece.strip()
            if not body:
                continue
            start = match.start() + len(piece) - len(piece.lstrip())
            planned = section_planned or _within(regions, start) or states_plan(body)
            status: Status = "planned" if planned else "reported"
            sentences.append(
                Sentence(len(sentences), start, start + len(body), paragraph_index, section, status)
            )
    return sections, paragraphs, tuple(sentences)


_Markers = list[re.Match[str] | None]


def _plan_regions(text: str, paragraphs: tuple[Paragraph, ...], markers: _Markers) -> list[tuple[int, int]]:
    """Spans planned by an opening paragraph (下一步，…): up to the next level-1 section or the end."""
    level_one_starts = [
        paragraph.start
        for paragraph, marker in zip(paragraphs, markers, strict=True)
        if marker and marker.lastgroup == "l1"
    ]
    opening = plan_cues().opening
    return [
        (paragraph.start, next((s for s in level_one_starts if s > paragraph.start), len(text)))
        for paragraph in paragraphs
        if opening.match(text, paragraph.start, paragraph.end)
    ]


def _within(regions: list[tuple[int, int]], offset: int) -> bool:
    return any(start <= offset < end for start, end in regions)


def _sections(
    text: str, paragraphs: tuple[Paragraph, ...], markers: _Markers, regions: list[tuple[int, int]]
) -> tuple[tuple[Section, ...], list[int]]:
    """The sections, and for each paragraph the index of its innermost section (-1 for none).

    A section runs until the next heading of the same or a higher level; it is planned when
    its heading has a heading cue, its parent is planned, or it starts in a planned region.
    """
    heading_cues = plan_cues().heading
    sections: list[_OpenSection] = []
    stack: list[int] = []
    innermost: list[int] = []
    for index, (paragraph, marker) in enumerate(zip(paragraphs, markers, strict=True)):
        if marker:
            level = _MARKER_LEVEL[marker.lastgroup or ""]
            while stack and sections[stack[-1]].level >= level:
                sections[stack.pop()].end = paragraphs[index - 1].end
            heading_end = _HEADING_END.search(text, marker.end(), paragraph.end)
            heading = text[marker.end() : heading_end.start() if heading_end else paragraph.end]
            heading = heading.strip().rstrip("：:").rstrip()
            planned = (
                any(cue in heading for cue in heading_cues)
                or (bool(stack) and sections[stack[-1]].planned)
                or _within(regions, paragraph.start)
            )
            stack.append(len(sections))
            sections.append(_OpenSection(marker.group(), heading, level, paragraph.start, 0, planned))
        innermost.append(stack[-1] if stack else -1)
    for open_index in stack:
        sections[open_index].end = paragraphs[-1].end
    return (
        tuple(
            Section(s.marker, s.heading, s.level, s.start, s.end, "planned" if s.planned else "reported")
            for s in sections
        ),
        innermost,
    )
