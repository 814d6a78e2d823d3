"""The typed records that flow between edukg's stages.

ingest:  path -> Report (text, sections, paragraphs, sentences with offsets)
extract: Report -> Extraction (entities with mentions, relations with evidence)
resolve/build: [Extraction] -> networkx.MultiDiGraph (see edukg.graph.build)

All offsets are character offsets into ``Report.text``; ``text[start:end]`` is
the thing the record describes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Status = Literal["reported", "planned"]
Level = Literal["省", "市", "区", "县", ""]


@dataclass(frozen=True, slots=True)
class Section:
    """A numbered part of a report: 一、 (level 1), （一） (level 2), 一是/1. (level 3)."""

    marker: str
    heading: str
    level: int
    start: int
    end: int
    status: Status


@dataclass(frozen=True, slots=True)
class Paragraph:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    paragraph: int
    section: int  # index into Report.sections of the innermost section, -1 for none
    status: Status


@dataclass(frozen=True, slots=True)
class Report:
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

    def sentence_text(self, index: int) -> str:
        sentence = self.sentences[index]
        return self.text[sentence.start : sentence.end]


@dataclass(frozen=True, slots=True)
class Mention:
    report: str
    start: int
    end: int
    sentence: int


@dataclass(frozen=True, slots=True)
class MetricValue:
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
class Entity:
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
class Evidence:
    report: str
    sentence: int
    start: int
    end: int
    status: Status


@dataclass(frozen=True, slots=True)
class Relation:
    type: str
    source: str
    target: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Extraction:
    report: Report
    bureau: str  # key of the report's own bureau among ``entities``
    entities: tuple[Entity, ...] = field(default_factory=tuple)
    relations: tuple[Relation, ...] = field(default_factory=tuple)

    def entity(self, key: str) -> Entity:
        for entity in self.entities:
            if entity.key == key:
                return entity
        raise KeyError(key)
