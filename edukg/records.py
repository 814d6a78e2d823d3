"""The typed records that flow between edukg's stages.

ingest:  path -> Report (text, sections, paragraphs, sentences with offsets)
extract: Report -> Extraction (entities with mentions, relations with evidence)
resolve/build: [Extraction] -> networkx.MultiDiGraph (see edukg.graph.build)

All offsets are character offsets into ``Report.text``; ``text[start:end]`` is
the thing the record describes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["reported", "planned"]
Level = Literal["省", "市", "区", "县", ""]


class Record:
    """Base of the records: a record pickles as a call of its class with its fields.

    That unpickles in half the time of the slot-by-slot state dataclasses pickle with,
    which shows when worker processes send back thousands of reports' records.
    """

    __slots__ = ()
    __match_args__: tuple[str, ...] = ()

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return type(self), tuple(getattr(self, name) for name in self.__match_args__)


@dataclass(frozen=True, slots=True)
class Section(Record):
    """A numbered part of a report: 一、 (level 1), （一） (level 2), 一是/1. (level 3)."""

    marker: str
    heading: str
    level: int
    start: int
    end: int
    status: Status


@dataclass(frozen=True, slots=True)
class Paragraph(Record):
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence(Record):
    index: int
    start: int
    end: int
    paragraph: int
    section: int  # index into Report.sections of the innermost section, -1 for none
    status: Status


@dataclass(frozen=True, slots=True)
class Location(Record):
    """The divisions a report belongs to: names from the gazetteer and their six-digit
    adcodes, ``""`` where a level is unknown. A masked or unnamed place has no name here
    (``Report.jurisdiction`` keeps the mask as written); ``source`` says how it was found:
    ``text``, ``override`` or ``""`` for nothing found."""

    province: str = ""
    province_code: str = ""
    city: str = ""
    city_code: str = ""
    county: str = ""
    county_code: str = ""
    source: str = ""

    def properties(self) -> dict[str, str]:
        """The names and codes as graph properties."""
        return {
            "province": self.province,
            "province_code": self.province_code,
            "city": self.city,
            "city_code": self.city_code,
            "county": self.county,
            "county_code": self.county_code,
        }


@dataclass(frozen=True, slots=True)
class Report(Record):
    """One ingested report. ``id`` is a hash of the text, stable across runs and machines."""

    id: str
    source: str
    text: str
    title: str
    bureau: str
    level: Level
    jurisdiction: str
    jurisdiction_masked: bool
    sections: tuple[Section, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    location: Location = Location()

    def sentence_text(self, index: int) -> str:
        sentence = self.sentences[index]
        return self.text[sentence.start : sentence.end]


@dataclass(frozen=True, slots=True)
class Mention(Record):
    report: str
    start: int
    end: int
    sentence: int


@dataclass(frozen=True, slots=True)
class MetricValue(Record):
    """A quantity as the report writes it (``value``), and what can be read from it."""

    value: str
    unit: str
    numeric: float | None
    masked: bool
    comparison: str | None = None

    def properties(self) -> dict[str, object]:
        """The value's fields as graph properties (no comparison is ``""``)."""
        return {
            "value": self.value,
            "unit": self.unit,
            "numeric": self.numeric,
            "masked": self.masked,
            "comparison": self.comparison or "",
        }


@dataclass(frozen=True, slots=True)
class Entity(Record):
    """An entity of one report. ``key`` identifies it within its Extraction."""

    key: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()
    metric: MetricValue | None = None
    concept: str | None = None
    status: Status = "reported"


@dataclass(frozen=True, slots=True)
class Evidence(Record):
    report: str
    sentence: int
    start: int
    end: int
    status: Status


@dataclass(frozen=True, slots=True)
class Relation(Record):
    type: str
    source: str
    target: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Extraction(Record):
    report: Report
    bureau: str  # key of the report's own bureau among ``entities``
    entities: tuple[Entity, ...] = field(default_factory=tuple)
    relations: tuple[Relation, ...] = field(default_factory=tuple)

    def entity(self, key: str) -> Entity:
        for entity in self.entities:
            if entity.key == key:
                return entity
        raise KeyError(key)
