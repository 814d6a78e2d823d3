"""Comparable metrics: the family of an indicator and the year of its report.

A family (``ontology/indicator-families.toml``) groups the names cities give one kind of
quantity (入园率, 学前教育毛入园率) under one id, with the unit kind its values take, so
that "compare this indicator across cities" is one query and one table. A metric's year
is its report's: the year the title names, else the year the text names most.

>>> family_of("全县学前教育毛入园率", "%").id, family_of("新增学位", "个").zh
('preschool-gross-enrolment', '新增学位')
>>> family_of("上线", "人").id, family_of("上线率", "%").id
('exam-passes', 'exam-pass-rate')
>>> family_of("比去年提高", "个百分点", comparison="比去年提高") is None
True
>>> report_year("区教育局2019年工作总结和2020年工作打算", "")
2019
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import cache

from edukg.errors import EdukgError
from edukg.ontology import read_text

FAMILY_FILE = "indicator-families.toml"
_ZH_DIGITS = str.maketrans("〇零○一二三四五六七八九", "00012345678" + "9")
# A year as reports write it: 2021年, 2021学年, 2014—2015学年度, 二〇二一年.
_YEAR = re.compile(
    r"(?<![0-9])((?:19|20)[0-9]{2}|[一二][〇零○一二三四五六七八九]{3})"
    r"(?=\s*(?:年|学年|[—\-－~～至]+\s*(?:19|20)?[0-9]{2}))"
)


@dataclass(frozen=True, slots=True)
class Family:
    """One kind of quantity: its id, names, unit kind, the units of that kind and the
    patterns that put an indicator's name in it."""

    id: str
    zh: str
    en: str
    unit_kind: str
    units: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]

    def holds(self, name: str, unit: str) -> bool:
        """Whether an indicator ``name`` measured in ``unit`` is of this family."""
        return unit in self.units and any(pattern.search(name) for pattern in self.patterns)


class FamilyFileError(EdukgError):
    """ontology/indicator-families.toml is not as its header says; the message names the entry."""


@cache
def families() -> tuple[Family, ...]:
    """The families of ``ontology/indicator-families.toml``, in its order (specific first)."""
    table = tomllib.loads(read_text(FAMILY_FILE))
    units = {kind: frozenset(names) for kind, names in table["units"].items()}
    found = []
    for entry in table["family"]:
        if entry.get("unit") not in units:
            raise FamilyFileError(
                f"{FAMILY_FILE}: family {entry.get('id')!r} has unit kind {entry.get('unit')!r}; "
                f"valid: {', '.join(sorted(units))}"
            )
        found.append(
            Family(
                entry["id"],
                entry["zh"],
                entry["en"],
                entry["unit"],
                units[entry["unit"]],
                tuple(re.compile(pattern) for pattern in entry["patterns"]),
            )
        )
    return tuple(found)


@cache
def family_by_id(family: str) -> Family:
    """The family of that id; KeyError for an unknown one."""
    return {item.id: item for item in families()}[family]


def family_of(name: str, unit: str, comparison: str = "") -> Family | None:
    """The first family that holds an indicator ``name`` in ``unit``, or None; a value
    written as a change (``comparison``) is no level to compare and has none."""
    if comparison:
        return None
    return next((family for family in families() if family.holds(name, unit)), None)


def _year(written: str) -> int:
    return int(written.translate(_ZH_DIGITS))


def report_year(title: str, text: str) -> int | None:
    """The year a report is about: the first year its title names, else the year its text
    names most often (the earliest of a tie: a review names the year it reviews more than
    the next), else None.

    >>> report_year("工作总结", "2019年，全区……2019年底……2020年将……")
    2019
    >>> report_year("二〇二一年工作要点", ""), report_year("2014—2015学年度总结", ""), report_year("总结", "")
    (2021, 2014, None)
    """
    if match := _YEAR.search(title):
        return _year(match[1])
    counts = Counter(_year(match[1]) for match in _YEAR.finditer(text))
    if not counts:
        return None
    return min(counts, key=lambda year: (-counts[year], year))


def metric_properties(name: str, unit: str, comparison: str, year: int | None) -> dict[str, object]:
    """The properties that make a Metric node comparable: ``family`` (its id, ``""`` for
    none), ``family_name`` (its Chinese name) and ``year`` (its report's, None if unknown).

    >>> metric_properties("新增公办学位", "个", "", 2025)
    {'family': 'new-school-places', 'family_name': '新增学位', 'year': 2025}
    """
    family = family_of(name, unit, comparison)
    return {
        "family": family.id if family else "",
        "family_name": family.zh if family else "",
        "year": year,
    }
