"""The number extractor (drafter/text/numbers.py): what counts as a figure, its value, unit,
approximation and label — and what must be left alone."""

from __future__ import annotations

import math

import pytest

from drafter.text.numbers import Quantity, extract_quantities, quantities
from drafter.report.readers import read_report

# (text, [(value, unit, family, approx_kind, label), ...])
FIGURES = [
    ("共清理规范性文件10份，失效文件2份", [(10, "份", "item", None, "清理规范性文件"),
                                    (2, "份", "item", None, "失效文件")]),
    ("培训人员260余人次", [(260, "人次", "person_time", "more", "培训人员")]),
    ("全年共组织机关人员参加学习培训3期", [(3, "期", "session", None, "组织机关人员参加学习培训")]),
    ("举办三期培训班", [(3, "期", "session", None, "举办")]),
    ("接待来访二十批", [(20, "批", "batch", None, "接待来访")]),
    ("审查文件一百二十件", [(120, "件", "item", None, "审查文件")]),
    ("办结率百分之九十五", [(95, "%", "percent", None, "办结率")]),
    ("聘请两名律师", [(2, "名", "person", None, "聘请")]),
    ("办理业务1,286件", [(1286, "件", "item", None, "办理业务")]),
    ("审核文件１２件", [(12, "件", "item", None, "审核文件")]),
    ("败诉率7.7%", [(7.7, "%", "percent", None, "败诉率")]),
    ("出庭应诉率100％", [(100, "%", "percent", None, "出庭应诉率")]),
    ("提高2.3个百分点", [(2.3, "个百分点", "point", None, "提高")]),
    ("发放宣传资料1.2万余份", [(12000, "份", "item", "more", "发放宣传资料")]),
    ("培训1.2万人次", [(12000, "人次", "person_time", None, "培训")]),
    ("罚没款412.6万元", [(4126000, "元", "money", None, "罚没款")]),
    ("挽回损失3000余万元", [(30000000, "元", "money", "more", "挽回损失")]),
    ("投入资金1.5亿元", [(150000000, "元", "money", None, "投入资金")]),
    ("参与群众约300人", [(300, "人", "person", "about", "参与群众")]),
    ("覆盖近500人", [(500, "人", "person", "under", "覆盖")]),
    ("参训500多名", [(500, "名", "person", "more", "参训")]),
    ("受理逾200件", [(200, "件", "item", "more", "受理")]),
    ("服务超过100家企业", [(100, "家", "org", "more", "服务")]),
    ("开展宣讲上百次", [(100, "次", "session", "more", "开展宣讲")]),
    ("每村不少于5名", [(5, "名", "person", "floor", "每村")]),  # a per-unit floor (never a stock)
    ("全年不少于4次", [(4, "次", "session", "floor", "")]),
    ("参训干部300人左右", [(300, "人", "person", "about", "参训干部")]),
    ("培训千余人", [(1000, "人", "person", "more", "培训")]),
    ("全县846名执法人员全部持证", [(846, "名", "person", None, "全县")]),
    ("涉及我局 31 项权限", [(31, "项", "item", None, "涉及我局")]),
    ("新登记市场主体5218户", [(5218, "户", "org", None, "新登记市场主体")]),
    ("妥善处置群体性诉求4起", [(4, "起", "case", None, "妥善处置群体性诉求")]),
    ("检查单位3215户次", [(3215, "户次", "org_time", None, "检查单位")]),
    ("出庭应诉39件次", [(39, "件次", "item_time", None, "出庭应诉")]),
    ("上级转办案件5批次12人次", [(5, "批次", "batch", None, "上级转办案件"),
                          (12, "人次", "person_time", None, "上级转办案件")]),
    ("压缩至5个工作日", [(5, "个工作日", "duration", None, "压缩至")]),
    ("其中耕地12.4公顷", [(12.4, "公顷", "area", None, "耕地")]),
    ("审批用时压减40.0%", [(40.0, "%", "percent", None, "审批用时压减")]),
]


@pytest.mark.parametrize("text,expected", FIGURES, ids=[t for t, _ in FIGURES])
def test_figures_are_extracted_with_value_unit_approximation_and_label(text, expected):
    got = [(q.value, q.unit, q.family, q.approx_kind, q.label) for q in extract_quantities(text)]
    assert got == [(pytest.approx(v), u, f, a, lb) for v, u, f, a, lb in expected]


# Forms that are not counts: nothing may be extracted from them.
NOT_COUNTS = [
    "一是加强学习，二是完善制度，三是强化监督",
    "履行第一责任人职责，落实第一责任",
    "按照“三定”方案赋予职权",
    "“十四五”规划", "“八五”普法规划", "“七五”普法总结", "六五环境日",
    "把法治建设作为“一把手”工程", "推行一站式服务", "推进一体化平台", "推行“一网通办”",
    "做到“两个维护”", "增强“四个意识”", "坚定“四个自信”", "全面落实行政执法三项制度",
    "推行“高效办成一件事”", "推行“最多跑一次”", "一次性告知", "一起谋划、一起部署",
    "统一部署", "唯一一个", "之一", "逐一落实", "每周一的例会", "千家万户",
    "一、工作情况", "（一）健全制度", "1.完善机制", "（1）加强培训",
    "豫发〔2021〕23号", "豫发〔2021〕23 号", "国办发〔2018〕118号", "〔2023〕3号", "郑编[2021]31号",
    "2023年", "2023 年", "2023年度", "2月20日", "2024年3月1日", "2021—2025年", "二〇二三年",
    "《法治政府建设实施纲要（2021—2025年）》",
    "《关于印发<赋予县(市)255 项郑州市经济社会管理权限工作实施方案>的通知》",
    "《提升行政执法质量三年行动计划（2023—2025年）》",
    "依据第二十五条规定", "第25条", "第3期",
    "5G智能发展", "12345热线", "12315投诉举报渠道", "电话0371-66668888", "V2.0版系统",
    "“3·15”国际消费者权益日", "GB/T 9704-2012",
]


@pytest.mark.parametrize("text", NOT_COUNTS)
def test_forms_that_are_not_counts_yield_nothing(text):
    assert extract_quantities(text) == [], [q.raw for q in extract_quantities(text)]


def test_offsets_and_raw_text_point_into_the_input():
    text = "此外，全年共审核文件约120件，其中备案115件。"
    qs = extract_quantities(text, base_offset=100)
    assert [q.raw for q in qs] == ["约120件", "115件"]
    for q in qs:
        assert text[q.start - 100:q.end - 100] == q.raw
    assert text[qs[0].label_start - 100:qs[0].end - 100] == "全年共审核文件约120件"
    assert qs[1].scope == "part"
    assert qs[0].scope == "year"


@pytest.mark.parametrize("raw,low,high", [
    ("260余人次", 260, 270), ("500余人次", 500, 600), ("约300人", 250, 350),
    ("近500人", 450, 500), ("12人次", 12, 12), ("不少于4次", 4, math.inf),
])
def test_approximations_carry_a_tolerance(raw, low, high):
    (q,) = extract_quantities(raw)
    assert q.approx is (low != high)
    assert (q.low, q.high) == (pytest.approx(low), pytest.approx(high))


def test_overlap_respects_the_tolerance():
    a, b, c = (extract_quantities(t)[0] for t in ("500余人次", "560人次", "620人次"))
    assert a.overlaps(b) and b.overlaps(a)
    assert not a.overlaps(c)


def test_paired_figures_share_the_label():
    qs = extract_quantities("全年共接待群众来信来访20批500余人次")
    assert [(q.unit, q.label) for q in qs] == [("批", "接待群众来信来访"), ("人次", "接待群众来信来访")]


def test_after_holds_the_noun_following_the_unit():
    (q,) = extract_quantities("全局118名执法人员全部持证上岗")
    assert q.after.startswith("执法人员")


def test_seed_quantities_carry_their_lines(seed_path):
    report = read_report(seed_path)
    qs = quantities(report)
    assert all(isinstance(q, Quantity) and q.line for q in qs)
    by_raw = {q.raw: q for q in qs}
    assert by_raw["10份"].line == 9 and by_raw["10份"].label == "清理规范性文件"
    assert by_raw["260余人次"].line == 7 and by_raw["260余人次"].approx_kind == "more"
    assert by_raw["20批"].line == 12
    # Nothing from the 成文日期, the 文号 (豫发〔2021〕23 号) or the 《…255 项…》 title.
    assert not [q for q in qs if q.line == 19]
    assert [q.raw for q in qs if q.line == 8] == ["255 项", "31 项"]
    for q in qs:
        assert report.text[q.start:q.end] == q.raw


@pytest.mark.parametrize("text,raw,kind", [
    ("约300人", "约300人", "about"),
    ("超过20家", "超过20家", "more"),
    # The approximation word may end a line (a text of several paragraphs, as grounding
    # checks): it still belongs to the number.
    ("约\n5个", "约\n5个", "about"),
    ("全年超过\n20家", "超过\n20家", "more"),
    ("达5个", "5个", None),
])
def test_an_approximation_word_before_the_number_is_read(text, raw, kind):
    (q,) = extract_quantities(text)
    assert (q.raw, q.approx_kind) == (raw, kind)


@pytest.mark.parametrize("text,raw,unit,label", [
    ("全局配备执法记录仪316台。", "316台", "台", "全局配备执法记录仪"),
    ("排查整改安全隐患1.8万处。", "1.8万处", "处", "排查整改安全隐患"),
    ("筹集保障性租赁住房5,620套。", "5,620套", "套", "筹集保障性租赁住房"),
    ("组建应急救援队伍28支。", "28支", "支", "组建应急救援队伍"),
    ("细化裁量情形二百零八种。", "二百零八种", "种", "细化裁量情形"),
    ("开展应急演练三千二百余场次。", "三千二百余场次", "场次", "开展应急演练"),
    ("检查在建项目1236个次。", "1236个次", "个次", "检查在建项目"),
    # labels keep a word whose last character is a filler (行为, 统计); 合计 is a filler
    ("立案查处安全生产违法行为853起。", "853起", "起", "立案查处安全生产违法行为"),
    ("罚没款合计586.3万元。", "586.3万元", "元", "罚没款"),
    # more measure words of real reports: beds, couples, trees, loans, volume, area, dollars, pages
    ("新增养老床位1,260张。", "1,260张", "张", "新增养老床位"),
    ("办理婚姻登记3,102对。", "3,102对", "对", "办理婚姻登记"),
    ("完成植树造林8,500株。", "8,500株", "株", "完成植树造林"),
    ("发放创业担保贷款326笔。", "326笔", "笔", "发放创业担保贷款"),
    ("核发林木采伐许可蓄积量2.4万立方米。", "2.4万立方米", "立方米", "核发林木采伐许可蓄积量"),
    ("完成国土绿化12.6平方公里。", "12.6平方公里", "平方公里", "完成国土绿化"),
    ("实际利用外资2.15亿美元。", "2.15亿美元", "美元", "实际利用外资"),
    ("数字化档案影像45万页。", "45万页", "页", "数字化档案影像"),
    ("人均参训56学时。", "56学时", "学时", "人均参训"),
])
def test_things_counted_one_by_one_and_labels_kept_whole(text, raw, unit, label):
    (q,) = extract_quantities(text)
    assert (q.raw, q.unit, q.label) == (raw, unit, label)


@pytest.mark.parametrize("text", ["内设5处室。", "建立3支部。", "建立12台账。", "一种方式。", "一支队伍。",
                                  "开展一对一帮扶。", "实行1对1帮扶。", "制作2笔录。"])
def test_measure_words_inside_other_words_are_not_counts(text):
    assert extract_quantities(text) == []
