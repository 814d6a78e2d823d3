"""A query result as a terminal table, CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
import unicodedata

import pytest

from edukg.queries.format_result import Result, render, to_csv, to_json, to_table, wrap

RESULT = Result(
    ("name", "count", "share", "masked", "reports", "note"),
    [("市教育局", 3, 2.0, True, ["a.txt", "b.txt"], None), ("区教育局, 党组", 1, 0.25, False, [], "x")],
)


def _cells(text):
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def test_table_aligns_chinese_text_by_display_width():
    lines = to_table(RESULT).splitlines()
    assert lines[0].split() == list(RESULT.columns)
    # A Chinese character takes two terminal cells: the count column starts at the same cell.
    assert _cells(lines[2][: lines[2].index("3")]) == _cells(lines[3][: lines[3].index("1")]) == 16
    assert lines[2].endswith("a.txt; b.txt") and lines[-1] == "(2 rows)"


def test_csv_round_trips_through_a_csv_reader():
    rows = list(csv.reader(io.StringIO(to_csv(RESULT))))
    assert rows == [
        list(RESULT.columns),
        ["市教育局", "3", "2", "true", "a.txt; b.txt", ""],
        ["区教育局, 党组", "1", "0.25", "false", "", "x"],
    ]


def test_json_keeps_types_and_column_order():
    records = json.loads(to_json(RESULT))
    assert records[0] == {
        "name": "市教育局",
        "count": 3,
        "share": 2.0,
        "masked": True,
        "reports": ["a.txt", "b.txt"],
        "note": None,
    }
    assert list(records[1]) == list(RESULT.columns)


@pytest.mark.parametrize(("format_", "empty"), [("table", "(0 rows)"), ("csv", "name\n"), ("json", "[]")])
def test_an_empty_result_still_names_its_columns(format_, empty):
    assert render(Result(("name",), []), format_).endswith(empty)


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("Which bureau runs 双一流建设？", 18, ["Which bureau runs", "双一流建设？"]),
        ("某教育局负责哪些工程项目", 10, ["某教育局负", "责哪些工程", "项目"]),
        ("a" * 12 + " b", 5, ["aaaaa", "aaaaa", "aa b"]),
        ("", 10, []),
    ],
)
def test_wrap_counts_wide_characters_twice(text: str, width: int, lines: list[str]) -> None:
    assert wrap(text, width) == lines
    assert all(
        sum(2 if "\u4e00" <= c <= "\u9fff" or c == "？" else 1 for c in line) <= width for line in lines
    )
