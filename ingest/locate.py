"""Where a report is: its province, city and county, with their adcodes.

A report names its own place in its title and issuing body (临潭县教育局, 武乡县人民政府)
and where it speaks as that place (莘县教育系统, 青州教育). It names the places above it
where they rank or reward it (桂林市…一等奖, 位居嘉兴市第一). Any other place is a passing
mention: one the report visits, helps or works with (赴…考察, 与…结对) places nothing, and
one above the report's own level never becomes its own. The report's level is the lowest
it speaks for (我县, 县委县政府, 《区…计划》, 全县); a masked own place (**市, XX区) stays
masked, and only the places above it are named.

>>> placed = place_report("教育局年度总结\\n莘县教育系统有党支部40个。", "", OwnBureau("", "", "", False))
>>> placed.jurisdiction, placed.level, placed.location.city, placed.location.county_code
('莘县', '县', '聊城市', '371522')
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from edukg.errors import InputError
from edukg.ingest.metadata import OwnBureau
from edukg.ontology import lexicon_table
from edukg.ontology.places import Place, ancestors, chain, find_names, level_of, place_by_code, places_named
from edukg.records import Level, Location, Report
from edukg.text import MASK_CHARACTERS, MASK_CLASS

_LEVELS = "省市区县"
# A higher rank is a lower level: a report speaks for the lowest level it calls its own.
_RANK = {"省": 0, "市": 1, "区": 2, "县": 2}
# Characters that may stand before 县委 or 区属 when the level is the report's own (在县委、
# 县政府的领导下); any other character makes it part of a word (社区委员会, 城市属于).
_BEFORE_BARE_LEVEL = "在和与及由的对向经按为是将并全我本"
_CJK = re.compile(r"[\u4e00-\u9fff]")
# How far before a place name a cue of another place (赴, 与…) may stand: within its clause.
_AWAY_WINDOW = 6
_CLAUSE_END = re.compile(r"[，,。；;：:！!？?、\n]")
# jieba's tags of common words: a short form that is one (振兴, 合作, 资源) names a place only
# when the report also writes the place's full name.
_COMMON_WORD_TAGS = frozenset(
    {"v", "vn", "vd", "a", "ad", "an", "ag", "m", "f", "d", "s", "n", "t", "c", "p", "r", "q"}
)
# After a level character, these make a word rather than a level (××市场, 健全区域).
_NOT_A_LEVEL_AFTER = "场域间"


@dataclass(frozen=True, slots=True)
class Placement:
    """A report's place as ingest records it on the Report."""

    location: Location
    level: Level
    jurisdiction: str  # the own place as written: full name, mask (XX区) or ""
    masked: bool
    bureau: str  # the own bureau, named with its place when that is known


@dataclass(frozen=True, slots=True)
class _Seen:
    """One place name written in the report."""

    places: tuple[Place, ...]
    start: int
    own: bool  # written as the report's own: at the title's start, after 《, before 教育, 人民政府 …


@cache
def _cues() -> dict[str, tuple[str, ...]]:
    roles: dict[str, list[str]] = defaultdict(list)
    for word, role in lexicon_table("place-cues"):
        roles[role].append(word)
    return {role: tuple(sorted(words, key=len, reverse=True)) for role, words in roles.items()}


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(map(re.escape, words))


@cache
def _self_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    cues = _cues()
    level = rf"(?P<level>[{_LEVELS}])(?![{_NOT_A_LEVEL_AFTER}])"
    before = re.compile(rf"(?:{_alternatives(cues['self-before'])}){level}")
    after = re.compile(rf"{level}(?:{_alternatives(cues['self-after'])})")
    weak = re.compile(rf"(?:{_alternatives(cues['weak-self-before'])}){level}")
    return before, after, weak


def spoken_level(text: str) -> str:
    """The lowest level the report speaks for as its own, or ``""``.

    >>> spoken_level("在县委、县政府的领导下，全县学校位居全市前列。")
    '县'
    >>> spoken_level("全市教育系统完成目标，全省第一。")
    '市'
    """
    before, after, weak = _self_patterns()
    strong = Counter(match["level"] for match in before.finditer(text))
    for match in after.finditer(text):
        previous = text[match.start() - 1 : match.start()]
        if not _CJK.match(previous) or previous in _BEFORE_BARE_LEVEL:
            strong[match["level"]] += 1
    weaker = Counter(match["level"] for match in weak.finditer(text))
    if "自治区" in text:
        # 全区 then may be the autonomous region a report of any level is in.
        weaker.pop("区", None)
    for found in (strong, weaker):
        if found:
            return max(found, key=lambda level: (_RANK[level], found[level]))
    return ""


def _masked_name(text: str, level: str) -> str:
    """The most frequent masked place of ``level``, or of any level if it is ``""`` (XX区,
    xx 市), without its spaces."""
    pattern = re.compile(rf"(?:{MASK_CLASS}+|某)[ \u3000]?[{level or _LEVELS}](?![{_NOT_A_LEVEL_AFTER}])")
    found = Counter(
        match.group().replace(" ", "").replace("\u3000", "")
        for match in pattern.finditer(text)
        if not _away(text, match.start())
    )
    return found.most_common(1)[0][0] if found else ""


@cache
def _implied_heads() -> frozenset[str]:
    """Bureau heads that imply a level of their own (教育厅 is a province's)."""
    rows = lexicon_table("bureau-heads")
    return frozenset(row[0] for row in rows if len(row) > 1 and not row[1].startswith("="))


def _head(bureau: OwnBureau) -> str:
    """The bureau's name without its place or level (教育局 of 芜湖市教育局 or 区教育局)."""
    name = bureau.name
    if bureau.jurisdiction and not bureau.masked and name.startswith(bureau.jurisdiction):
        return name[len(bureau.jurisdiction) :]
    return name[1:] if name[:1] in _LEVELS else name


def _is_common_word(word: str) -> bool:
    import jieba.posseg

    return jieba.posseg.dt.word_tag_tab.get(word, "") in _COMMON_WORD_TAGS


def _away(text: str, start: int) -> bool:
    """Whether a cue of another place (赴, 与, 对口…) stands before ``start`` in its clause."""
    window = text[max(0, start - _AWAY_WINDOW) : start]
    clause = _CLAUSE_END.split(window)[-1]
    return any(cue in clause for cue in _cues()["away-before"])


def _seen(text: str, title_start: int) -> list[_Seen]:
    """The place names the report writes as its own or its superiors', passing mentions left out."""
    own_after, own_before = _cues()["own-after"], _cues()["own-before"]
    matches = list(find_names(text))
    full_written = {
        written for *_, written in matches if not any(p.short == written for p in places_named(written))
    }
    full_codes = {place.adcode for written in full_written for place in places_named(written)}
    seen = []
    for start, end, written in matches:
        places = places_named(written)
        if (start and text[start - 1] in MASK_CHARACTERS) or _away(text, start):
            continue
        own = start == title_start or text.endswith(own_before, 0, start) or text.startswith(own_after, end)
        if written not in full_written:
            # A short form: a place when its full name is written too, or when it acts
            # (寿光教育) and is no common word.
            spelled_out = [place for place in places if place.adcode in full_codes]
            if spelled_out:
                places = tuple(spelled_out)
            elif not own or _is_common_word(written):
                continue
        seen.append(_Seen(places, start, own))
    return seen


def _resolved(places: Sequence[Place], context: Counter[str]) -> Place | None:
    """The one place of several namesakes that the report's other places contain or hold."""
    if len(places) == 1:
        return places[0]
    score = {
        place: sum(context[p.adcode] for p in ancestors(place)) + context[place.adcode] for place in places
    }
    best = max(score.values())
    winners = [place for place in places if score[place] == best]
    return winners[0] if best and len(winners) == 1 else None


def _unique_most(counts: Counter[Place]) -> Place | None:
    if not counts:
        return None
    ranked = counts.most_common(2)
    return ranked[0][0] if len(ranked) == 1 or ranked[0][1] > ranked[1][1] else None


def _fits(place: Place, level: str) -> bool:
    """Whether a place can be the own place of a report of ``level`` (区 and 县 are one rank)."""
    return not level or _RANK[level_of(place)] == _RANK[level]


def location_of(place: Place | None, source: str) -> Location:
    """The Location of a gazetteer place: its names and codes from the province down."""
    if place is None:
        return Location()
    codes = {p.kind: p.adcode for p in (place, *ancestors(place))}
    province, city, county = chain(place)
    return Location(
        province,
        codes.get("province", ""),
        city,
        codes.get("city", ""),
        county,
        codes.get("county", ""),
        source,
    )


def _own_and_above(
    seen: list[_Seen], level: str, bureau: OwnBureau, masked: bool, title_start: int
) -> tuple[Place | None, Place | None]:
    """The report's own place if it is named, else the nearest place above it that is.

    A province is the own place only when the title starts with it: a report of any level
    writes its province's bodies (山东省教育厅) as they act."""
    context: Counter[str] = Counter(s.places[0].adcode for s in seen if len(s.places) == 1)
    resolved = [(s, _resolved(s.places, context)) for s in seen]
    if bureau.jurisdiction and not bureau.masked:
        own = _resolved(places_named(bureau.jurisdiction), context)
        return own, None
    if not masked:
        own_counts: Counter[Place] = Counter(
            place
            for s, place in resolved
            if place
            and s.own
            and _fits(place, level)
            and (place.kind != "province" or s.start == title_start)
        )
        # Of a county and its city, both acting (寿光市教育, 潍坊市教育), the county is the own.
        for place in list(own_counts):
            if any(place in ancestors(other) for other in own_counts):
                del own_counts[place]
        own = _unique_most(own_counts)
        if own is not None:
            return own, None
    if _RANK.get(level, 0) == 0:
        return None, None
    above = [place for _, place in resolved if place and _RANK[level_of(place)] < _RANK[level]]
    city = _unique_most(Counter(place for place in above if place.kind == "city"))
    if city is not None:
        return None, city
    return None, _unique_most(Counter(place for place in above if place.kind == "province"))


def place_report(text: str, title: str, bureau: OwnBureau) -> Placement:
    """The place of a report from its text, title and the own bureau ingest found."""
    level: str = bureau.level
    head = _head(bureau)
    spoken = spoken_level(text) if head and not bureau.jurisdiction else ""
    if spoken and (not level or _RANK[spoken] > _RANK[level]):
        # A bureau above the level the report speaks for is its superior (获省教育厅肯定).
        head = "教育局" if head in _implied_heads() else head
        level = spoken
    masked_as = ""
    if bureau.masked or not bureau.jurisdiction:
        # A masked place the report only visits or helps (与某县结对) is not its own.
        written = _masked_name(text, level)
        masked_as = (bureau.jurisdiction or written) if written else ""
        level = level or masked_as[-1:]
    name = bureau.name if bureau.jurisdiction or not head else level + head
    title_start = text.find(title) if title else -1
    own, above = _own_and_above(_seen(text, title_start), level, bureau, bool(masked_as), title_start)
    if own is not None:
        return Placement(
            location_of(own, "text"),
            level or level_of(own),  # type: ignore[arg-type]
            own.name,
            False,
            own.name + head if head else "",
        )
    jurisdiction = masked_as or (bureau.jurisdiction if not bureau.masked else "")
    return Placement(location_of(above, "text" if above else ""), level, jurisdiction, bool(masked_as), name)  # type: ignore[arg-type]


# ---------------------------------------------------------------- the user's places


@dataclass(frozen=True, slots=True)
class PlaceOverride:
    """A report's place as the user gives it: names of the gazetteer (any may be ``""``,
    full or short: 山东省 or 山东) or a six-digit adcode, which wins."""

    province: str = ""
    city: str = ""
    county: str = ""
    adcode: str = ""

    def place(self) -> Place:
        """The gazetteer's division, the lowest named; ValueError saying why there is none.

        >>> PlaceOverride("山东", "", "阳谷").place().adcode
        '371521'
        >>> PlaceOverride(adcode="371521").place().name
        '阳谷县'
        """
        if self.adcode:
            found = place_by_code(self.adcode)
            if found is None:
                raise ValueError(f"no division has the adcode {self.adcode!r}")
            return found
        above: Place | None = None
        for kind, name in (("province", self.province), ("city", self.city), ("county", self.county)):
            if not name:
                continue
            inside = [
                place
                for place in places_named(name)
                if place.kind == kind and (above is None or above in ancestors(place))
            ]
            if len(inside) != 1:
                where = f" in {above.name}" if above else ""
                what = "no" if not inside else "more than one"
                raise ValueError(f"{what} {kind} named {name!r}{where}")
            above = inside[0]
        if above is None:
            raise ValueError("no province, city, county or adcode given")
        return above


def with_place(report: Report, place: Place) -> Report:
    """The report placed in ``place`` as the user said. The place becomes the report's own
    when it is of the report's level (or the level is unknown); a place above the report's
    level (only the city of a district) fills the location and leaves the own place as it was.
    """
    location = location_of(place, "override")
    level = level_of(place)
    if report.level and level and _RANK[level] != _RANK[report.level]:
        return replace(report, location=location)
    bureau = OwnBureau(report.bureau, report.level, report.jurisdiction, report.jurisdiction_masked)
    head = _head(bureau)
    if head in _implied_heads() and level != "省":
        head = "教育局"
    return replace(
        report,
        location=location,
        level=level or report.level,
        jurisdiction=place.name,
        jurisdiction_masked=False,
        bureau=place.name + head if head else "",
    )


def read_places(path: str | Path) -> dict[str, PlaceOverride]:
    """The places a CSV file gives, by report file name; InputError naming the line and why.

    One report a line: its file name, then its province, city and county as the gazetteer
    names them (full or short, any may be empty), or its file name and a six-digit adcode.
    A first line whose first cell starts with ``file`` is a header::

        file,province,city,county
        report-11.txt,山东,聊城,阳谷县
        report-16.txt,140423
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(path, f"cannot read the places file: {error}") from None
    places: dict[str, PlaceOverride] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or (number == 1 and cells[0].lower().startswith("file")):
            continue
        name, values = cells[0], cells[1:]
        given = [value for value in values if value]
        if not name or not given or len(values) > 3:
            raise InputError(
                path, f"line {number}: expected a file name, then province, city, county or an adcode"
            )
        override = PlaceOverride(adcode=given[0]) if given[0].isdigit() else PlaceOverride(*values)
        try:
            override.place()
        except ValueError as error:
            raise InputError(path, f"line {number}: {error}") from None
        if name in places:
            raise InputError(path, f"line {number}: {name} is placed twice")
        places[name] = override
    return places
