"""The gazetteer: generated from its pinned source, and asked by full name or short form."""

from __future__ import annotations

import contextlib
import io

import pytest

from edukg.ontology import gazetteer_source, places, read_text


def test_gazetteer_file_is_what_its_source_generates() -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        gazetteer_source.main()
    assert out.getvalue() == read_text("gazetteer.tsv")


def test_gazetteer_covers_every_level() -> None:
    kinds = [place.kind for place in places.gazetteer().by_code.values()]
    assert kinds.count("province") == 34
    assert kinds.count("city") > 330
    assert kinds.count("county") > 2800


@pytest.mark.parametrize(
    ("name", "full_names"),
    [
        ("阳谷", ["阳谷县"]),
        ("阳谷县", ["阳谷县"]),
        ("广西", ["广西壮族自治区"]),
        ("内蒙古", ["内蒙古自治区"]),
        ("甘南", ["甘南县", "甘南藏族自治州"]),  # a short form may name several places
        ("学校", []),
    ],
)
def test_places_named(name: str, full_names: list[str]) -> None:
    assert sorted(place.name for place in places.places_named(name)) == sorted(full_names)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("寿光市", ("山东省", "潍坊市", "寿光市")),
        ("洞头区", ("浙江省", "温州市", "洞头区")),
        ("随州市", ("湖北省", "随州市", "")),
        ("重庆市", ("重庆市", "", "")),
    ],
)
def test_chain_from_province_down(name: str, expected: tuple[str, str, str]) -> None:
    found = [place for place in places.places_named(name) if place.name == name]
    assert places.chain(found[0]) == expected
