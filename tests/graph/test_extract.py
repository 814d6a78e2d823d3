"""Extraction: entities, metrics and relations from the genre's signals, on hand-written snippets."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edukg.graph.evaluate import score_reports
from edukg.graph.extract import extract, to_guide_json
from edukg.ingest import read_report, report_from_text
from edukg.text import strip_quotes


def extracted(text: str) -> dict:
    return to_guide_json(extract(report_from_text(text, "case.txt")))


def entity_set(result: dict) -> set[tuple[str, str]]:
    found = set()
    for entity in result["entities"]:
        if entity["type"] != "Metric":
            found.add((entity["type"], entity["name"]))
            found.update((entity["type"], alias) for alias in entity.get("aliases", []))
    return found


ENTITY_CASES = [
    # quoted name with its head inside the quotes
    ("区教育局深入实施“强师计划”。", {("Programme", "强师计划")}, set()),
    # quoted formula followed by its head word
    ("推进“双一流”建设攻坚。", {("Programme", "双一流建设攻坚")}, set()),
    # a quoted slogan with no head is not an entity
    ("紧扣“学思想、强党性”的总要求开展工作。", set(), {"学思想、强党性"}),
    # book-title marks: policies by their head, (试行) kept out of the name
    (
        "市教育局印发《芜湖市中小学教师队伍建设实施意见（试行）》。",
        {("Policy", "芜湖市中小学教师队伍建设实施意见")},
        set(),
    ),
    ("组织学习《教育法规选读》。", {("Document", "教育法规选读")}, set()),
    # a head word right after 》 makes an outer campaign, the inner law stays an entity
    (
        "开展《家庭教育促进法》专项督导。",
        {("Campaign", "家庭教育促进法专项督导"), ("Policy", "家庭教育促进法")},
        set(),
    ),
    # coordinated names with their own heads are several entities
    (
        "开展违规收费专项整治、校园欺凌专项治理。",
        {("Campaign", "违规收费专项整治"), ("Campaign", "校园欺凌专项治理")},
        set(),
    ),
    # 行动: a Programme when 实施ed, a Campaign when 开展ed
    ("实施县域普通高中发展提升行动。", {("Programme", "县域普通高中发展提升行动")}, set()),
    ("开展高校毕业生就业促进行动。", {("Campaign", "高校毕业生就业促进行动")}, set()),
    # masked names are kept as written
    ("**大学获批建设**理工大学研究院。", {("Institution", "**大学")}, set()),
    # bodies written back to back are two bodies
    ("市委市政府高度重视教育工作。", {("Bureau", "市委"), ("Bureau", "市政府")}, {"市委市政府"}),
    # the national Party centre is background, as are spirits and bare categories
    (
        "认真贯彻党中央决策部署和全市教育大会精神，推动中小学发展。",
        set(),
        {"党中央", "全市教育大会", "中小学"},
    ),
    # a person after a post, and the body of the post
    (
        "市委常委、组织部部长刘晓明出席会议。",
        {("Person", "刘晓明"), ("Bureau", "市委"), ("Bureau", "组织部")},
        set(),
    ),
    # a standalone national concept
    ("局党组扎实推进主题教育。", {("Campaign", "主题教育")}, set()),
    # a category next to a count is the metric's indicator, not an institution
    ("新建公办幼儿园12所。", set(), {"公办幼儿园"}),
    # ... and so is a body counted after its name, but not one before a count of something else
    ("组建师生理论宣讲团**个。", set(), {"师生理论宣讲团"}),
    ("区委、区政府**件民生实事全部完成。", {("Bureau", "区委"), ("Bureau", "区政府")}, set()),
    # counted places are a kind of place (一批, 多所), an ordinal (第一次, 首批) is part of a name
    ("今年培育一批智慧校园示范学校。", set(), {"培育一批智慧校园示范学校", "智慧校园示范学校"}),
    ("被评为多所高校合作示范基地。", set(), {"高校合作示范基地"}),
    ("召开区委教育工作领导小组第一次会议。", {("Campaign", "区委教育工作领导小组第一次会议")}, set()),
    # a numbered formula in quotes counts kinds of places
    ("围绕“一中心四基地”布局，推进合作。", set(), {"一中心四基地"}),
    # ... but a numbered school is a name
    (
        "推进“第一中学”集团化办学，与“十一学校”开展合作。",
        {("Institution", "第一中学"), ("Institution", "十一学校")},
        set(),
    ),
    # 在…中 after an effort's name: 中学 is 中 + the verb 学
    ("各级党组织在党史学习教育中学在前、做在前。", {("Campaign", "党史学习教育")}, {"党史学习教育中学"}),
    # a bare place after a verb is its object; 直属 classifies
    ("各职业院校主动对接科技园，服务企业。", set(), {"对接科技园", "主动对接科技园"}),
    ("局领导深入直属学校调研指导。", set(), {"直属学校"}),
    # a leading year or class tells an event's edition, it is not part of the name
    (
        "启动2025年全省中小学科技活动周。",
        {("Campaign", "全省中小学科技活动周")},
        {"2025年全省中小学科技活动周"},
    ),
    # 暨 joins two events into one name; the quoted one is a name of its own too
    (
        "召开“城乡学校结对帮扶行动”暨优质资源共享活动启动大会。",
        {
            ("Campaign", "城乡学校结对帮扶行动暨优质资源共享活动启动大会"),
            ("Campaign", "城乡学校结对帮扶行动"),
        },
        {"暨优质资源共享活动"},
    ),
    # quotes around a kind of thing do not make it a name; a name never begins with 用
    ("推动“任务清单”逐项落实。", set(), {"任务清单"}),
    ("坚持用制度规定管权管事。", set(), {"用制度规定"}),
    # a space between the halves of a quoted title stays as written
    ("开展“守初心\u3000担使命”主题宣讲。", {("Campaign", "守初心\u3000担使命主题宣讲")}, set()),
    # a category written before a school's name is its kind, not part of the name
    ("规范民办学校育英中学办学行为。", {("Institution", "育英中学")}, {"民办学校育英中学"}),
    # a body named only as the holder of a plenum it cites is no entity
    ("深入贯彻市委九届七次全会精神。", set(), {"市委"}),
    # a level and a body's head make a kind of body, not one body
    ("推动县级人民政府履职。", set(), {"县级人民政府"}),
    # a verb does not belong to a school's or a body's name
    ("完成城北二小并入实验小学。", {("Institution", "城北二小"), ("Institution", "实验小学")}, set()),
    ("学校党组织隶属区教育工委。", {("Bureau", "区教育工委")}, {"学校党组织隶属区教育工委"}),
    # events, contests and evaluations by their heads; a year before a name is left out
    ("举办2024年全县中小学生田径运动会。", {("Campaign", "全县中小学生田径运动会")}, set()),
    # designations; receiving one is no responsibility, creating one is
    ("成功创建全国义务教育优质均衡发展县。", {("Institution", "全国义务教育优质均衡发展县")}, set()),
    # a school's short name inside a project's name; a verb after a quoted name's head ends it
    ("仙岩一小扩建工程开工。", {("Programme", "仙岩一小扩建工程")}, set()),
    ("我县教育“十四五”规划收官。", {("Policy", "十四五规划")}, set()),
    # a preposition between quote marks and a head ends the name
    ("派驻“两新组织”党建指导员对民办学校开展指导。", set(), {"两新组织党建指导员对民办学校"}),
    ("“双减”试点经验获省教育厅推广。", set(), {"双减试点经验获省教育厅"}),
    # a verb and a bare head are an act, not a name
    ("全力筹办大会。", set(), {"筹办大会"}),
    # a field of all work is no name of an effort
    ("深化教育教学改革。", set(), {"教育教学改革"}),
    # named sets of tasks and five-year plans
    ("实施教育“十四五”规划和八项工程。", {("Programme", "八项工程")}, set()),
    # the report's own genre is no policy
    ("印发县教育局2024年工作要点。", set(), {"县教育局2024年工作要点"}),
    # two laws back to back
    ("宣传义务教育法未成年人保护法。", {("Policy", "义务教育法"), ("Policy", "未成年人保护法")}, set()),
    # a title inside a title: both are names, and the body that issues the outer one is a body
    (
        "转发《省教育厅关于印发<中小学作业管理办法>的通知》。",
        {
            ("Policy", "省教育厅关于印发中小学作业管理办法的通知"),
            ("Policy", "中小学作业管理办法"),
            ("Bureau", "省教育厅"),
        },
        set(),
    ),
    # whoever admits the students is a school, however short its name; registered social
    # organisations are institutions
    (
        "今年5人被浙大、南大录取，2人被北京大学录取。",
        {("Institution", "浙大"), ("Institution", "南大"), ("Institution", "北京大学")},
        set(),
    ),
    ("引导企业向县教育发展基金会捐赠。", {("Institution", "县教育发展基金会")}, set()),
    # a title that explains a norm it names is normative too
    (
        "依据《<中小学校舍建设标准>有关条款的解读》执行。",
        {("Policy", "中小学校舍建设标准有关条款的解读")},
        set(),
    ),
    # a title written without marks: 关于 … 的 and a policy head
    (
        "为落实关于深化新时代学校体育改革的实施意见，区里出台细则。",
        {("Policy", "关于深化新时代学校体育改革的实施意见")},
        set(),
    ),
    # the field words before quote marks are another written form of the name
    ("落实学前教育“强基”计划。", {("Programme", "强基计划"), ("Programme", "学前教育强基计划")}, set()),
    ("今年是全县“书香”计划收官之年。", {("Programme", "书香计划")}, {"全县书香计划"}),
    # a head inside a longer word after the quotes (制度|化) does not end the name there
    ("推进“书香校园”学习教育制度化。", {("Campaign", "书香校园学习教育")}, set()),
    # an official name as the report writes it stays an alias of the name found in it
    (
        "全面推行党委领导下的校长负责制。",
        {("Policy", "校长负责制"), ("Policy", "党委领导下的校长负责制")},
        set(),
    ),
    # a designation counted is still a title, and in its own quote marks a name of its own
    ("培育两个区级劳动教育示范点。", {("Institution", "区级劳动教育示范点")}, set()),
    ("“省级智慧教育试点区”建设有序推进。", {("Institution", "省级智慧教育试点区")}, set()),
    (
        "新增全市首批智慧窗口学校3所。",
        {("Institution", "智慧窗口学校"), ("Institution", "全市首批智慧窗口学校")},
        set(),
    ),
    # making a plan is no plan's name; a rule is named by what it does
    ("各校逐校制定方案，对下一步工作加以规划。", set(), {"逐校制定方案", "下一步工作加以规划"}),
    ("建立作业公示制度。", {("Policy", "作业公示制度")}, set()),
    # verbs jieba tags as nouns end a name
    ("深入学习领会大会精神，各支部隶属于教育工委。", set(), {"领会大会", "隶属于教育工委"}),
    # a meeting cited for what it asked is cited as for its spirit; kinds of activity listed as
    # ways of doing something are no named events
    ("按照全县教育工作会议的部署要求推进。", set(), {"全县教育工作会议", "教育工作会议"}),
    ("通过专题报告会、座谈交流会等形式学习。", set(), {"专题报告会", "座谈交流会"}),
    ("区教育局召开全区教育工作会议。", {("Campaign", "全区教育工作会议")}, set()),
    # a verb before a named set of tasks governs it
    ("今年凝练四大举措。", {("Programme", "四大举措")}, {"凝练四大举措"}),
    # primary and middle schools together are several schools, whatever comes before
    ("今年新建城东中小学，用好国家中小学教材。", set(), {"城东中小学", "好国家中小学", "国家中小学"}),
    # 我 + the bureau's Party side is the report's own bureau
    ("我教育工委于去年成立。", set(), {"我教育工委"}),
    # two official forms joined by quote marks make the longer one
    (
        "扎实开展“不忘初心、牢记使命”主题教育。",
        {("Campaign", "不忘初心、牢记使命主题教育")},
        {"不忘初心、牢记使命"},
    ),
]


@pytest.mark.parametrize(("text", "expected", "absent"), ENTITY_CASES)
def test_extract_entities(text: str, expected: set[tuple[str, str]], absent: set[str]) -> None:
    found = entity_set(extracted(text))
    assert expected <= found
    assert not {name for _, name in found} & absent


METRIC_CASES = [
    # indicator before the value when the number closes the phrase; counting verb kept
    ("全市新增普惠学位3600个。", "新增普惠学位", "3600个", 3600.0, False),
    # indicator after the value when the number opens the phrase
    ("建设×个市域产教联合体。", "市域产教联合体", "×个", None, True),
    # qualifiers stay out of the value, 余 stays in
    ("覆盖学生约1.2万人。", "覆盖学生", "1.2万人", 12000.0, False),
    ("开展家访活动2000余次。", "家访活动", "2000余次", 2000.0, False),
    # comparisons are kept as the indicator
    ("就读比例比去年提高15个百分点。", "比去年提高", "15个百分点", 15.0, False),
    # definite Chinese numerals count
    ("形成四张清单。", "清单", "四张", 4.0, False),
    # masked decimals
    ("签约金额*.**亿元。", "签约金额", "*.**亿元", None, True),
    # a rate's indicator keeps its 率; areas, copies and bare magnitudes are units
    ("全县入学率99.8%，位居全省前列。", "全县入学率", "99.8%", 99.8, False),
    ("全县总人口43万。", "全县总人口", "43万", 430000.0, False),
    ("收到作品1200份。", "收到作品", "1200份", 1200.0, False),
    # with no counted noun, the counting verb names the quantity
    ("资助资金到位，惠及2300人次。", "惠及", "2300人次", 2300.0, False),
    # a number too large for a float has no numeric value (JSON has no infinity)
    ("新增学位" + "9" * 400 + "个。", "新增学位", "9" * 400 + "个", None, False),
]


@pytest.mark.parametrize(("text", "indicator", "value", "numeric", "masked"), METRIC_CASES)
def test_extract_metrics(text: str, indicator: str, value: str, numeric: float | None, masked: bool) -> None:
    metrics = [e for e in extracted(text)["entities"] if e["type"] == "Metric"]
    assert [(m["name"], m["value"], m["numeric"], m["masked"]) for m in metrics] == [
        (indicator, value, numeric, masked)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "X月X日召开会议。",  # dates
        "第二批试点名单公布。",  # ordinals
        "实施“十大行动”。",  # numbers inside a name
        "形成一批成果。",  # 一 as an article
        "2023年工作成效明显。",  # years
    ],
)
def test_extract_no_metric(text: str) -> None:
    assert [e for e in extracted(text)["entities"] if e["type"] == "Metric"] == []


RELATION_CASES = [
    # the report's own bureau is the default actor of programmes and campaigns
    ("市教育局工作总结\n深入实施“强师计划”。", ("RESPONSIBLE_FOR", "市教育局", "强师计划")),
    # a policy gets a responsibility only from who makes it
    (
        "市教育局工作总结\n印发《教师交流轮岗实施办法》。",
        ("RESPONSIBLE_FOR", "市教育局", "教师交流轮岗实施办法"),
    ),
    # two actors of one act give two relations
    (
        "市教育局工作总结\n市委、市政府印发《关于深化教育评价改革的实施方案》。",
        ("RESPONSIBLE_FOR", "市政府", "关于深化教育评价改革的实施方案"),
    ),
    # items listed before 等 are part of the named whole after it
    (
        "市教育局工作总结\n谋划基础教育综合改革、职业教育体系建设等“五大行动”。",
        ("PART_OF", "基础教育综合改革", "五大行动"),
    ),
    # Parent，即A、B: the listed items are its parts
    ("市教育局工作总结\n实施“两大工程”，即“强校工程”“名师工程”。", ("PART_OF", "名师工程", "两大工程")),
    # a district bureau named with its city and by an abbreviated head is one bureau
    (
        "合肥市蜀山区教育体育局工作总结\n区教体局开展“护苗”专项行动。",
        ("RESPONSIBLE_FOR", "蜀山区教育体育局", "护苗专项行动"),
    ),
    # a body whose name begins with another body's name is part of it
    (
        "市教育局工作总结\n市委教育工作领导小组召开会议，市委高度重视。",
        ("PART_OF", "市委教育工作领导小组", "市委"),
    ),
    # a campaign named as another one plus a head word is part of it
    ("市教育局工作总结\n开展主题教育，推进主题教育专项整治。", ("PART_OF", "主题教育专项整治", "主题教育")),
    # a person is part of the body of their post
    ("市教育局工作总结\n市委常委、宣传部部长王立新出席。", ("PART_OF", "王立新", "宣传部")),
    # a metric is measured by the bureau when the sentence names no initiative
    ("市教育局工作总结\n全市新增普惠学位3600个。", ("MEASURED_BY", "市教育局", "新增普惠学位")),
]


@pytest.mark.parametrize(("text", "relation"), RELATION_CASES)
def test_extract_relations(text: str, relation: tuple[str, str, str]) -> None:
    result = extracted(text)
    assert relation in {(r["type"], r["source"], r["target"]) for r in result["relations"]}


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        # following a policy made elsewhere gives no responsibility
        ("市教育局工作总结\n认真落实《义务教育法》。", ("RESPONSIBLE_FOR", "市教育局", "义务教育法")),
        # a national event only attended
        ("市教育局工作总结\n参加全国职业教育活动周。", ("RESPONSIBLE_FOR", "市教育局", "全国职业教育活动周")),
        # a body named after a policy does not own it
        (
            "市教育局工作总结\n市政府出台《校外培训管理办法》，教育部发来贺信。",
            ("RESPONSIBLE_FOR", "教育部", "校外培训管理办法"),
        ),
    ],
)
def test_extract_relations_absent(text: str, absent: tuple[str, str, str]) -> None:
    result = extracted(text)
    assert absent not in {(r["type"], r["source"], r["target"]) for r in result["relations"]}


def test_extract_status_follows_plan_sections() -> None:
    text = (
        "市教育局工作总结\n一、主要工作\n实施“强师计划”。\n二、下一步工作\n下一步，将启动“智慧校园”建设工程。"
    )
    statuses = {e["name"]: e["status"] for e in extracted(text)["entities"]}
    assert statuses["强师计划"] == "reported"
    assert statuses["智慧校园建设工程"] == "planned"


def test_extract_own_bureau_aliases_merge() -> None:
    text = "芜湖市教育局工作总结\n局党组坚持“第一议题”制度。我局实施“强师计划”。市教育局召开会议。"
    result = extracted(text)
    bureaus = [e for e in result["entities"] if e["type"] == "Bureau"]
    assert len(bureaus) == 1
    assert {"局党组", "我局", "市教育局"} <= set(bureaus[0]["aliases"])


def test_extract_concept_links() -> None:
    result = extracted("市教育局工作总结\n推进市“双一流”建设，坚持“第一议题”制度。")
    concepts = {e["name"]: e.get("concept") for e in result["entities"]}
    assert concepts["双一流建设"] == "double-first-class"
    assert concepts["第一议题制度"] == "first-agenda-item"


def _check_mentions(text: str) -> None:
    report = report_from_text(text, "property.txt")
    extraction = extract(report)
    keys = {entity.key for entity in extraction.entities}
    for entity in extraction.entities:
        names = {entity.name, *entity.aliases}
        for mention in entity.mentions:
            surface = report.text[mention.start : mention.end]
            assert surface
            if entity.type != "Metric":
                assert strip_quotes(surface) in names
            else:
                assert surface == entity.metric.value
    for relation in extraction.relations:
        assert relation.source in keys and relation.target in keys
        for evidence in relation.evidence:
            sentence = report.sentences[evidence.sentence]
            assert (evidence.start, evidence.end) == (sentence.start, sentence.end)


GENRE_PIECES = st.sampled_from(
    [
        "市教育局",
        "局党组",
        "实施",
        "开展",
        "“双一流”",
        "建设",
        "《",
        "》",
        "“",
        "”",
        "、",
        "，",
        "。",
        "**",
        "××",
        "X",
        "个",
        "项",
        "3600",
        "专项整治",
        "活动",
        "工程",
        "大学",
        "领导小组",
        "方案",
        "印发",
        "等",
        "的",
        "与",
        "主题教育",
        "部长",
        "王",
        "明",
        "\n",
        "下一步",
        "将",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(GENRE_PIECES, max_size=40).map("".join))
def test_extract_offsets_property_genre_text(text: str) -> None:
    _check_mentions(text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_extract_offsets_property_any_text(text: str) -> None:
    _check_mentions(text)


def test_extract_sample_reports_offsets(sample_reports: list[Path]) -> None:
    for path in sample_reports:
        _check_mentions(read_report(path).text)


# The development targets of the accuracy issue; an independent careful annotation
# agrees with the gold at 0.87 / 0.91 / 0.82.
TARGETS = {"entity": 0.85, "metric": 0.85, "relation": 0.75}


def test_extract_development_scores_hold_targets(gold_dir: Path, sample_reports: list[Path]) -> None:
    scores = score_reports(gold_dir, sample_reports)
    for key, target in TARGETS.items():
        assert scores.f1(key) >= target, f"{key} F1 {scores.f1(key):.3f} < {target}"
    for kind, counts in scores.by_type.items():
        if kind != "Person":
            assert counts.f1 >= 0.70, f"{kind} F1 {counts.f1:.3f} < 0.70"
