"""The place of every report: title, issuing body, own documents and superiors; passing
mentions, masks and namesakes; the user's places file."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

from edukg.errors import InputError
from edukg.ingest import locate, read_report, report_from_text
from edukg.ingest.locate import PlaceOverride, place_report, read_places, with_place
from edukg.ingest.metadata import OwnBureau
from edukg.text import has_mask

REAL = Path(__file__).resolve().parent.parent / "data" / "real" / "reports"

# Every real report whose text names its own place or the city it is in: (province, city,
# county) exactly, and the own place as the report's jurisdiction ("" when it is unnamed or
# masked: then only the places above it are named).
NAMED = [
    ("05_guigang.txt", ("广西壮族自治区", "贵港市", ""), "XX区"),
    ("08_liuzhou.txt", ("广西壮族自治区", "柳州市", ""), ""),
    ("11_yanggu.txt", ("山东省", "聊城市", "阳谷县"), "阳谷县"),
    ("16_xiangyuan.txt", ("山西省", "长治市", "襄垣县"), "襄垣县"),
    ("17_zhuoni.txt", ("甘肃省", "甘南藏族自治州", "卓尼县"), "卓尼县"),
    ("22_yancheng.txt", ("江苏省", "盐城市", ""), "盐城市"),
    ("29_jiujiang.txt", ("江西省", "九江市", ""), "九江市"),
    ("31_pucheng.txt", ("陕西省", "渭南市", "蒲城县"), "蒲城县"),
    ("40_shouguang.txt", ("山东省", "潍坊市", "寿光市"), "寿光市"),
]

# The other real reports never name their own place: their place as their sources infer
# it (from school names, slogans, a province's name), "" where nothing is known. Each level
# may be left unfound, but what is found must be that.
UNNAMED = [
    ("01_anon_guangdong.txt", ("广东省", "", "")),
    ("02_chenghua.txt", ("四川省", "成都市", "成华区")),
    ("04_anon_unknown.txt", ("", "", "")),
    ("07_anon_zhejiang.txt", ("浙江省", "台州市", "")),
    ("10_ouhai.txt", ("浙江省", "温州市", "瓯海区")),
    ("13_anon_unknown.txt", ("", "", "")),
    ("14_dongtou.txt", ("浙江省", "温州市", "洞头区")),
    ("19_anon_hunan.txt", ("湖南省", "", "")),
    ("20_suizhou.txt", ("湖北省", "随州市", "")),
    ("23_anon_unknown.txt", ("", "", "")),
    ("25_anon_northeast.txt", ("", "", "")),
    ("26_anon_unknown.txt", ("", "", "")),
    ("28_wuhan.txt", ("湖北省", "武汉市", "")),
    ("32_anon_chongqing.txt", ("重庆市", "", "")),
    ("34_anon_shaanxi.txt", ("陕西省", "", "")),
    ("35_anon_guangxi.txt", ("广西壮族自治区", "", "")),
    ("37_anon_unknown.txt", ("", "", "")),
    ("38_anon_unknown.txt", ("", "", "")),
]

# Real reports that write their own place with a mask: it stays masked.
MASKED = ["05_guigang.txt", "07_anon_zhejiang.txt", "13_anon_unknown.txt", "14_dongtou.txt",
          "19_anon_hunan.txt", "35_anon_guangxi.txt", "37_anon_unknown.txt"]  # fmt: skip


def names(location: object) -> tuple[str, str, str]:
    return location.province, location.city, location.county  # type: ignore[attr-defined]


def test_every_real_report_is_listed() -> None:
    listed = {name for name, *_ in NAMED} | {name for name, _ in UNNAMED}
    assert listed == {path.name for path in REAL.glob("*.txt")}


@pytest.mark.parametrize(("name", "expected", "jurisdiction"), NAMED)
def test_real_report_named_place_is_found(
    name: str, expected: tuple[str, str, str], jurisdiction: str
) -> None:
    report = read_report(REAL / name)
    assert names(report.location) == expected
    assert report.jurisdiction == jurisdiction
    location = report.location
    codes = [location.province_code, location.city_code, location.county_code]
    assert [bool(code) for code in codes] == [bool(place) for place in expected]
    assert all(code.isdigit() and len(code) == 6 for code in codes if code)


@pytest.mark.parametrize(("name", "inferred"), UNNAMED)
def test_real_report_unnamed_place_is_never_wrong(name: str, inferred: tuple[str, str, str]) -> None:
    report = read_report(REAL / name)
    for found, truth in zip(names(report.location), inferred, strict=True):
        assert found in {"", truth}
    # Its own place is not named: masked, or said to be unnamed.
    assert report.jurisdiction == "" or report.jurisdiction_masked


@pytest.mark.parametrize("name", MASKED)
def test_real_report_masked_place_stays_masked(name: str) -> None:
    report = read_report(REAL / name)
    assert report.jurisdiction_masked and has_mask(report.jurisdiction)
    level_name = report.location.county if report.level in {"区", "县"} else report.location.city
    assert level_name == ""


@pytest.mark.parametrize(
    ("text", "expected", "jurisdiction", "level"),
    [
        # the title names the issuing body
        ("蒲城县教育局2021年工作总结\n全县学校共计100所。", ("陕西省", "渭南市", "蒲城县"), "蒲城县", "县"),
        (
            "襄垣县人民政府关于教育工作的自评报告\n我县认真自查。",
            ("山西省", "长治市", "襄垣县"),
            "襄垣县",
            "县",
        ),
        ("九江市教育局工作要点\n全市教育系统推进改革。", ("江西省", "九江市", ""), "九江市", "市"),
        # a county-level city is a county, inside its city
        ("寿光市教育局工作总结\n我市学校均衡发展。", ("山东省", "潍坊市", "寿光市"), "寿光市", "市"),
        # an autonomous prefecture as it is usually written, before its county
        (
            "甘南州卓尼县教育局工作总结\n全县学校115所。",
            ("甘肃省", "甘南藏族自治州", "卓尼县"),
            "卓尼县",
            "县",
        ),
        # the report speaks as its place in the body: full name or short form
        (
            "教育工作总结\n截至目前，阳谷县教育系统共有党支部66个。",
            ("山东省", "聊城市", "阳谷县"),
            "阳谷县",
            "县",
        ),
        (
            "教育局工作总结\n在县委、县政府领导下，蒲城教育工作稳步推进。",
            ("陕西省", "渭南市", "蒲城县"),
            "蒲城县",
            "县",
        ),
        # a document of its own
        (
            "教育局工作总结\n全县印发《阳谷县学前教育行动计划》。",
            ("山东省", "聊城市", "阳谷县"),
            "阳谷县",
            "县",
        ),
        # the city a district is ranked or rewarded by is the city it is in
        (
            "区教育局工作总结\n我区学校获柳州市教育创新奖，柳州市表彰3所学校。",
            ("广西壮族自治区", "柳州市", ""),
            "",
            "区",
        ),
    ],
)
def test_place_from_title_body_and_documents(
    text: str, expected: tuple[str, str, str], jurisdiction: str, level: str
) -> None:
    report = report_from_text(text, "x.txt")
    assert (names(report.location), report.jurisdiction, report.level) == (expected, jurisdiction, level)
    assert not report.jurisdiction_masked


@pytest.mark.parametrize(
    ("text", "expected", "level", "bureau"),
    [
        # a district citing the province's 教育厅 is no provincial report
        (
            "1.实施《区教育提质行动计划》。课后服务获省教育厅主要领导肯定。",
            ("", "", ""),
            "区",
            "区教育局",
        ),
        # places it visits, learns from or works with place nothing
        (
            "区教育局工作总结\n我区组织校长赴杭州市考察学习，与成都七中合作办学。",
            ("", "", ""),
            "区",
            "区教育局",
        ),
        ("县教育局工作总结\n全县学校与甘肃省某县学校结对帮扶。", ("", "", ""), "县", "县教育局"),
        # a short form that is also a common word is no place unless spelled out
        ("区教育局工作总结\n全区振兴教育事业，合作教育成效明显。", ("", "", ""), "区", "区教育局"),
        # a city named by a city report is not its own unless it speaks as it
        ("市教育局工作总结\n全市学校获杭州市优秀案例。", ("", "", ""), "市", "市教育局"),
    ],
)
def test_passing_mentions_place_nothing(
    text: str, expected: tuple[str, str, str], level: str, bureau: str
) -> None:
    report = report_from_text(text, "x.txt")
    assert (names(report.location), report.level, report.bureau) == (expected, level, bureau)
    assert report.jurisdiction == ""


@pytest.mark.parametrize(
    ("text", "title", "jurisdiction"),
    [
        # a province's government acting in a report of no known level
        ("教育工作总结\n山东省人民政府印发通知，学校认真落实。", "教育工作总结", ""),
        # a province whose title it is
        ("山东省人民政府教育督导报告\n学校认真落实。", "山东省人民政府教育督导报告", "山东省"),
    ],
)
def test_province_is_own_only_by_its_title(text: str, title: str, jurisdiction: str) -> None:
    placed = place_report(text, title, OwnBureau("", "", "", False))
    assert (placed.jurisdiction, placed.location.province) == (jurisdiction, jurisdiction)


@pytest.mark.parametrize(
    ("text", "expected", "jurisdiction"),
    [
        ("**市教育局工作总结\n全市学校连续三年获浙江省考核优秀。", ("浙江省", "", ""), "**市"),
        ("XX区教育局工作总结\n区委教育工委获贵港市先进集体。", ("广西壮族自治区", "贵港市", ""), "XX区"),
        ("教育局工作总结\n紧紧围绕xx区发展大局，连续获温州市考核一等奖。", ("浙江省", "温州市", ""), "xx区"),
        ("2021年控辍保学工作总结 XX 县现有小学204所。全县劝返率99%。", ("", "", ""), "XX县"),
        ("某县教育局工作总结\n全县学校均衡发展。", ("", "", ""), "某县"),
    ],
)
def test_masked_place_stays_masked(text: str, expected: tuple[str, str, str], jurisdiction: str) -> None:
    report = report_from_text(text, "x.txt")
    assert (names(report.location), report.jurisdiction, report.jurisdiction_masked) == (
        expected,
        jurisdiction,
        True,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # namesakes: the city or province written beside it decides
        (
            "朝阳区教育委员会工作要点\n北京市朝阳区推进改革，朝阳区教育系统学习。",
            ("北京市", "", "朝阳区", "110105"),
        ),
        ("朝阳区教育局工作总结\n长春市朝阳区教育系统推进改革。", ("吉林省", "长春市", "朝阳区", "220104")),
        ("和平区教育局工作总结\n天津市和平区教育系统推进改革。", ("天津市", "", "和平区", "120101")),
        # nothing decides: the name stays as written, with no division
        ("朝阳区教育局工作总结\n全区学校推进改革。", ("", "", "", "")),
    ],
)
def test_namesakes_resolved_by_context(text: str, expected: tuple[str, str, str, str]) -> None:
    report = report_from_text(text, "x.txt")
    assert (*names(report.location), report.location.county_code) == expected
    assert report.jurisdiction == "朝阳区" if "朝阳" in text else "和平区"


@pytest.mark.parametrize(
    ("override", "adcode"),
    [
        (PlaceOverride("山东省", "聊城市", "阳谷县"), "371521"),
        (PlaceOverride("山东", "", "阳谷"), "371521"),
        (PlaceOverride("", "", "寿光市"), "370783"),
        (PlaceOverride("北京市", "", "朝阳区"), "110105"),
        (PlaceOverride("浙江", "台州", ""), "331000"),
        (PlaceOverride(adcode="140423"), "140423"),
    ],
)
def test_override_names_a_division(override: PlaceOverride, adcode: str) -> None:
    assert override.place().adcode == adcode


@pytest.mark.parametrize(
    ("override", "reason"),
    [
        (PlaceOverride("", "", "朝阳区"), "more than one county named '朝阳区'"),
        (PlaceOverride("河北省", "", "阳谷县"), "no county named '阳谷县' in 河北省"),
        (PlaceOverride(adcode="999999"), "no division has the adcode '999999'"),
        (PlaceOverride(), "no province, city, county or adcode given"),
    ],
)
def test_override_that_names_no_division(override: PlaceOverride, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        override.place()


@pytest.mark.parametrize(
    ("text", "override", "jurisdiction", "bureau", "expected"),
    [
        # of the report's level: the place becomes its own, unmasked and named
        ("XX区教育局工作总结\n我区学校发展。", PlaceOverride(adcode="450802"), "港北区", "港北区教育局",
         ("广西壮族自治区", "贵港市", "港北区")),
        ("教育局工作总结\n学校发展。", PlaceOverride("山东", "聊城", "阳谷县"), "阳谷县", "阳谷县教育局",
         ("山东省", "聊城市", "阳谷县")),
        # above the report's level: only the location, the own place as it was
        ("XX区教育局工作总结\n我区学校发展。", PlaceOverride("广西", "贵港", ""), "XX区", "区教育局",
         ("广西壮族自治区", "贵港市", "")),
    ],
)  # fmt: skip
def test_with_place(
    text: str, override: PlaceOverride, jurisdiction: str, bureau: str, expected: tuple[str, str, str]
) -> None:
    report = with_place(report_from_text(text, "x.txt"), override.place())
    assert (report.jurisdiction, report.bureau, names(report.location)) == (jurisdiction, bureau, expected)
    assert report.location.source == "override"
    assert report.jurisdiction_masked == has_mask(jurisdiction)


def test_read_places(tmp_path: Path) -> None:
    path = tmp_path / "places.csv"
    path.write_text(
        "file,province,city,county\na.txt,山东省,聊城市,阳谷县\n\nb.txt,140423\nc.txt,浙江,台州\n", "utf-8"
    )
    assert read_places(path) == {
        "a.txt": PlaceOverride("山东省", "聊城市", "阳谷县"),
        "b.txt": PlaceOverride(adcode="140423"),
        "c.txt": PlaceOverride("浙江", "台州"),
    }


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("a.txt,山东,潍坊,阳谷\n", "line 1: no county named '阳谷' in 潍坊市"),
        ("file\na.txt\n", "line 2: expected a file name, then province, city, county or an adcode"),
        ("a.txt,山东,聊城,阳谷,x\n", "line 1: expected a file name"),
        ("a.txt,123456\n", "line 1: no division has the adcode '123456'"),
        ("a.txt,山东\na.txt,浙江\n", "line 2: a.txt is placed twice"),
        (",山东\n", "line 1: expected a file name"),
    ],
)
def test_read_places_bad_file_is_one_clear_line(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "places.csv"
    path.write_text(text, "utf-8")
    with pytest.raises(InputError, match=reason) as error:
        read_places(path)
    assert error.value.path == str(path) and "\n" not in str(error.value)


def test_read_places_file_that_cannot_be_read(tmp_path: Path) -> None:
    (tmp_path / "gbk.csv").write_bytes("a.txt,山东".encode("gbk"))
    for path in (tmp_path / "missing.csv", tmp_path / "gbk.csv"):
        with pytest.raises(InputError, match="cannot read the places file"):
            read_places(path)


def test_docstring_examples() -> None:
    result = doctest.testmod(locate)
    assert result.attempted > 0 and result.failed == 0
