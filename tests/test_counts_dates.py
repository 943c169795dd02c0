"""The CNT and DAT rules on real and sample reports, the relations behind them, and the
report-level inference (reporting year, unit type, 成文日期) they rest on."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from drafter.checker import CheckOptions, check_report, select_rules
from drafter.checker.metrics import breakdowns
from drafter.checker.rates import rate_checks
from drafter.checker.profiles import load_profile, profile_names
from drafter.errors import ConfigError
from drafter.text.numbers import quantities
from drafter.report.readers import read_report
from drafter.report.info import report_date, reporting_year, unit_info
from drafter.report.structure import build_report
from drafter.checker.testing import case_report

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "evaluations" / "cases" / "reports"
CLEAN = sorted(REPORTS.glob("0*.txt")) + sorted(REPORTS.glob("10_*.txt"))
LABELLED = sorted(p for p in REPORTS.glob("*.txt") if p.with_suffix(".labels.yaml").exists())
CNT_DAT = select_rules(["CNT", "DAT"])


def _check(report, profile=None):
    return check_report(report, CheckOptions(profile=profile), CNT_DAT)


def _labels(path: Path) -> dict:
    return YAML(typ="safe").load(path.with_suffix(".labels.yaml").read_text(encoding="utf-8"))


def _report(lines: str):
    return build_report(lines.strip("\n").split("\n"), path="<t>", fmt="txt")


# ---- the seed ----

def test_seed_total_and_parts_are_recognised_and_add_up(seed_path):
    report = read_report(seed_path)
    found = breakdowns(report, quantities(report))
    (b,) = [b for b in found if b.total.raw == "10份"]
    assert b.total.label == "清理规范性文件" and b.total.line == 9
    assert [(q.label, q.value) for q in b.parts] == [("失效文件", 2), ("废止文件", 3), ("有效文件", 5)]
    assert b.kind == "exhaustive" and b.must_equal and b.set_name == "规范性文件清理结果"
    assert b.parts_sum == b.total.value == 10


def test_seed_has_no_count_finding(seed_path):
    findings = _check(read_report(seed_path))
    assert [f for f in findings if f.rule.startswith("CNT")] == []


def test_seed_gets_the_department_deadline_warning(seed_path):
    findings = _check(read_report(seed_path))
    (f,) = [f for f in findings if f.rule.startswith("DAT")]
    assert (f.rule, f.severity, f.quote, f.line) == ("DAT006", "warning", "2024年4月1日", 19)
    assert "2024年3月1日" in f.message and "我局" in f.message and "2023年" in f.message


def test_seed_report_facts_are_inferred(seed_path):
    report = read_report(seed_path)
    year, ev = reporting_year(report)
    assert (year, ev.source, ev.text) == (2023, "lead", "2023年")
    d = report_date(report)
    assert (d.year, d.month, d.day, d.raw, d.paragraph.line) == (2024, 4, 1, "2024年4月1日", 19)
    info = unit_info(report)
    assert info.type == "department" and "我局" in info.evidence


# ---- findings ----

def test_findings_carry_quote_line_and_message():
    report = case_report({"fragment": "（二）规范行政应诉。一审行政诉讼案件8件，败诉1件，败诉率14.3%。"})
    (f,) = _check(report)
    assert (f.rule, f.line, f.quote) == ("CNT004", 8, "败诉率14.3%")
    assert report.text[f.start:f.end] == f.quote and f.column > 1
    assert "12.5%" in f.message


def test_conflicting_figures_name_the_other_line():
    report = _report("""
示例县司法局关于2023年度法治政府建设情况的报告
县人民政府：
2023年，我局坚持依法行政。现将有关情况报告如下：
一、主要负责人履行推进法治建设第一责任人职责情况
局长带头学法，全年清理规范性文件20件。
二、主要举措和成效
加强规范性文件管理，全年清理规范性文件18件，全部向社会公布。
三、存在的不足和原因
执法力量不足，主要是编制有限。
四、2024年工作计划
继续完善制度。
示例县司法局
2024年2月20日
""")
    (f,) = [f for f in _check(report) if f.rule == "CNT002"]
    assert f.line == 7 and f.quote == "全年清理规范性文件18件"
    assert "与第5行的“全年清理规范性文件20件”不一致" in f.message


def test_exhaustive_breakdown_reports_the_sum():
    report = case_report({"fragment": "共清理规范性文件20件，其中继续有效12件、修改4件、废止3件。"})
    (f,) = _check(report)
    assert f.rule == "CNT001" and f.severity == "error"
    assert "分项之和为19件（12+4+3）" in f.message and "20件" in f.message


@pytest.mark.parametrize("fragment", [
    # a disposition the label set does not name, listed after the known ones
    "全年共收到行政复议申请568件，受理512件，不予受理41件，申请人在受理前撤回15件。",
    "共收到申请320件，其中受理290件、不予受理18件，告知向其他机关申请12件。",
    "共清理规范性文件46件，继续有效30件，修改9件，废止5件，待进一步评估2件。",
])
def test_a_further_listed_item_completes_an_exhaustive_breakdown(fragment):
    report = case_report({"fragment": fragment})
    (b,) = breakdowns(report, quantities(report))
    assert b.must_equal and b.more and b.completed_by_more()
    assert [f for f in _check(report) if f.rule in ("CNT001", "CNT006")] == []


@pytest.mark.parametrize("fragment,total", [
    # the further item does not make the sum either: still a mismatch
    ("全年共收到行政复议申请568件，受理510件，不予受理41件，申请人在受理前撤回15件。", "568件"),
    # the next figure is of another kind (人次, not 件): not a further item
    ("共清理规范性文件46件，继续有效30件，修改9件，废止5件，参与审查160人次。", "46件"),
])
def test_a_further_item_that_does_not_make_the_sum_changes_nothing(fragment, total):
    report = case_report({"fragment": fragment})
    (f,) = [f for f in _check(report) if f.rule == "CNT001"]
    assert f.severity == "error" and f"总数{total}" in f.message


def test_open_breakdown_exceeding_the_total_is_only_a_warning():
    report = case_report({"fragment": "全年罚没款合计120万元，其中罚款80万元、没收违法所得50万元。"})
    (f,) = _check(report)
    assert (f.rule, f.severity) == ("CNT001", "warning")
    assert "130万元" in f.message and "120万元" in f.message


@pytest.mark.parametrize("fragment,stated,computed", [
    ("应诉15件，败诉1件，败诉率6.7%。", 6.7, 100 / 15),
    ("受理信访事项1286件，按期办结1273件，按期办结率99.0%。", 99.0, 1273 / 1286 * 100),
    ("提出法律意见152条，采纳139条，采纳率91.4%。", 91.4, 139 / 152 * 100),
    ("全年排查矛盾纠纷326件，调解成功319件，调解成功率97.9%。", 97.9, 319 / 326 * 100),
])
def test_rates_are_recomputed_from_the_figures_beside_them(fragment, stated, computed):
    report = case_report({"fragment": fragment})
    (c,) = list(rate_checks(report, quantities(report)))
    assert c.stated.value == stated and c.computed == pytest.approx(computed) and c.matches


def test_date_format_fix_is_offered_as_an_edit():
    text = case_report({"fragment": ""}).text.replace("2024年2月20日", "2024年02月05日")
    report = _report(text)
    (f,) = [f for f in _check(report) if f.rule == "DAT003"]
    assert f.suggestion == "2024年2月5日"
    assert [(e.replacement, report.text[e.start:e.end]) for e in f.edits] == [
        ("2024年2月5日", "2024年02月05日")]


# ---- profiles ----

LATE_DEPT = case_report({"fragment": ""}).text.replace("2024年2月20日", "2024年3月20日")


def test_profile_selects_the_deadline():
    assert {"default", "quarterly"} <= set(profile_names())
    report = _report(LATE_DEPT)
    (f,) = _check(report)
    assert (f.rule, f.severity) == ("DAT006", "warning") and "2024年3月1日" in f.message
    assert _check(report, profile="quarterly") == []
    assert load_profile("quarterly").deadlines["department"].submit_by == (3, 31)


def test_unknown_profile_is_a_config_error():
    with pytest.raises(ConfigError) as e:
        _check(_report(LATE_DEPT), profile="nowhere")
    assert "nowhere" in e.value.message and "default" in e.value.hint


def test_cli_profile_option_reaches_the_rules(tmp_path, cli):
    p = tmp_path / "r.txt"
    p.write_text(LATE_DEPT, encoding="utf-8")
    default = cli("check", str(p), "--select", "DAT006", "--format", "json")
    quarterly = cli("check", str(p), "--select", "DAT006", "--format", "json", "--profile", "quarterly")
    assert default.returncode == 0 and "DAT006" in default.stdout
    assert quarterly.returncode == 0 and "DAT006" not in quarterly.stdout
    bad = cli("check", str(p), "--select", "DAT006", "--profile", "nowhere")
    assert bad.returncode == 2 and "nowhere" in bad.stderr and "Traceback" not in bad.stderr


# ---- the evaluation reports ----

@pytest.mark.parametrize("path", CLEAN + [ROOT / "drafter/checker/cases/_skeleton.txt"],
                         ids=lambda p: p.name)
def test_clean_reports_get_no_count_or_date_warning(path):
    findings = _check(read_report(path))
    assert [f for f in findings if f.severity != "info"] == [], \
        [(f.rule, f.line, f.quote, f.message) for f in findings]


@pytest.mark.parametrize("path", LABELLED, ids=lambda p: p.name)
def test_labelled_count_and_date_defects_are_found(path):
    labels = _labels(path)
    wanted = [d for d in labels["defects"] if d["rule_family"] in ("CNT", "DAT")]
    findings = _check(read_report(path))
    for d in wanted:
        assert any(f.rule.startswith(d["rule_family"]) and f.severity != "info"
                   and f.quote == d["quote"] for f in findings), (d, [(f.rule, f.quote) for f in findings])
    if labels.get("clean"):
        assert not [f for f in findings if f.severity != "info"]


@pytest.mark.parametrize("path", LABELLED, ids=lambda p: p.name)
def test_reporting_year_and_unit_type_match_the_labels(path):
    labels = _labels(path)
    report = read_report(path)
    assert reporting_year(report)[0] == labels["year"]
    info = unit_info(report)
    assert info.type == labels["unit_type"] and info.name == labels["unit"]


@pytest.mark.parametrize("lines,kind", [
    ("示例县人民政府关于2023年度法治政府建设情况的报告\n市人民政府：\n现将有关情况报告如下：", "government"),
    ("示例县司法局关于2023年度法治政府建设情况的报告\n县人民政府：\n现将有关情况报告如下：", "department"),
    ("示例县人民政府办公室关于2023年度法治政府建设情况的报告\n县人民政府：\n现将情况报告如下：", "department"),
    ("示例区望湖街道办事处关于2023年度法治政府建设情况的报告\n区人民政府：\n现将情况报告如下：", "department"),
    ("市人民政府：\n2023年，示例县人民政府坚持依法行政。现将有关情况报告如下：", "government"),
    ("市人民政府：\n2023年，我委坚持依法行政。现将有关情况报告如下：", "department"),
])
def test_unit_type_is_inferred_from_name_or_self_reference(lines, kind):
    report = _report(lines + "\n一、主要举措和成效\n修订制度5项。")
    assert unit_info(report).type == kind


def test_unit_type_unknown_without_evidence_keeps_only_the_publication_deadline():
    report = _report("市人民政府：\n现将有关情况报告如下：\n一、主要举措和成效\n修订制度5项。\n2024年3月20日")
    assert unit_info(report) is None
    assert _check(report) == []  # 3月20日: before the 4月1日 publication deadline
    late = _report("市人民政府：\n现将有关情况报告如下：\n一、主要举措和成效\n修订制度5项。\n2024年4月8日")
    (f,) = _check(late)
    assert (f.rule, f.severity) == ("DAT006", "error") and "2024年4月1日" in f.message


@pytest.mark.parametrize("fragment,quotes", [
    ("2025年2月30日，召开专题会议研究部署。", ["2025年2月30日"]),
    ("于11月31日前完成清理，2025年2月29日印发通知。", ["11月31日", "2025年2月29日"]),
    ("自13月5号起施行。", ["13月5号"]),
    # days of the calendar: silent
    ("2024年2月29日、2月29日、12月31日、3月1日至31日分别开展检查。", []),
])
def test_a_day_of_the_text_that_does_not_exist_is_an_error(fragment, quotes):
    report = case_report({"fragment": fragment})
    found = [f for f in _check(report) if f.rule == "DAT004"]
    assert [f.quote for f in found] == quotes
    assert all(f.severity == "error" and "不存在" in f.message for f in found)


@pytest.mark.parametrize("fragment,stated,computed", [
    ("全年新登记经营主体41237户，较上年的39050户增长5.6%。", 5.6, (41237 - 39050) / 39050 * 100),
    ("罚没款1864.5万元，较上年同期的2031.2万元下降8.2%。", 8.2, (2031.2 - 1864.5) / 2031.2 * 100),
    ("全年收入1.2亿元，比去年的9800万元增长了22.4%。", 22.4, (1.2e8 - 9.8e7) / 9.8e7 * 100),
])
def test_a_change_against_last_years_figure_is_recomputed(fragment, stated, computed):
    from drafter.checker.rates import change_checks

    report = case_report({"fragment": fragment})
    (c,) = list(change_checks(report, quantities(report)))
    assert c.stated.value == stated and c.computed == pytest.approx(computed)
    assert [f for f in _check(report) if f.rule == "CNT004"] == []


@pytest.mark.parametrize("fragment,message", [
    ("全年新登记经营主体41237户，较上年的39050户增长7.6%。", "增长幅度应为5.6%"),
    ("受理投诉120件，比去年的100件下降20%。", "是增加，却写作“下降”"),
])
def test_a_wrong_change_against_last_years_figure_is_found(fragment, message):
    (f,) = [f for f in _check(case_report({"fragment": fragment})) if f.rule == "CNT004"]
    assert message in f.message


def test_last_years_figure_with_more_than_a_direction_word_is_left_alone():
    # the percentage is not the change between the two figures: nothing to recompute
    report = case_report({"fragment": "全年办案120件，较上年的100件有所增加，结案率达95%。"})
    from drafter.checker.rates import change_checks

    assert list(change_checks(report, quantities(report))) == []


@pytest.mark.parametrize("fragment", [
    # 审结后败诉1件 counts 败诉, not the cases 出庭应诉率 is over
    "行政诉讼案件9件，审结后败诉1件；负责人出庭应诉9件次，负责人出庭应诉率100%。",
])
def test_a_count_of_another_rates_numerator_is_no_denominator(fragment):
    report = case_report({"fragment": fragment})
    assert [f for f in _check(report) if f.rule == "CNT004"] == []
    assert all(c.computed <= 100 for c in rate_checks(report, quantities(report)))


def test_a_pass_rate_is_recomputed():
    report = case_report({"fragment": "组织执法资格考试，参考218人，合格205人，合格率96.0%。"})
    (f,) = [f for f in _check(report) if f.rule == "CNT004"]
    assert "94.0%" in f.message


def test_a_pass_grade_of_a_file_review_is_no_pass_rate_numerator():
    report = case_report({"fragment": "评查行政处罚和行政检查案卷120卷，其中优秀35卷、良好62卷、合格23卷，案卷合格率100%。"})
    assert [f for f in _check(report) if f.rule == "CNT004"] == []


@pytest.mark.parametrize("fragment,message", [
    # the whole named in words, a figure before the part in the same paragraph
    ("全年受理行政复议申请120件，审结108件；其中以调解方式结案27件，占审结数的20.0%。",
     "按27件 ÷ 108件计算应为25.0%"),
    # the whole framing the sentence ("N个X中，")
    ("全镇76个行政村中，已有61个建成法治文化阵地，占85.5%。", "按61个 ÷ 76个计算应为80.3%"),
    # the total the part's 其中 divides
    ("全年办理法律援助案件412件，其中刑事案件96件，占25.3%。", "按96件 ÷ 412件计算应为23.3%"),
])
def test_a_share_that_does_not_match_its_part_and_whole_is_found(fragment, message):
    (f,) = [f for f in _check(case_report({"fragment": fragment})) if f.rule == "CNT004"]
    assert message in f.message and f.quote.startswith("占")


@pytest.mark.parametrize("fragment", [
    "全年办理法律援助案件412件，其中刑事案件96件，占23.3%。",  # right
    "全镇76个行政村中，已有61个建成法治文化阵地，占80.3%。",  # right
    "民营企业纳税额占全县税收收入的68.4%。",  # no figure of the whole
    "网上申请案件占比达到42.0%。",  # no part, no whole
    "办理案件412件，组织培训12期，占全年任务的25%。",  # the whole is not in the text
    "全年受理申请120件；其中调解结案27件，占审结数的25.0%。",  # no 审结 figure
    # the nearest whole: the figure its 其中 divides, nearer than the frame (50 ÷ 60)
    "在受理的150件行政复议案件中，涉企案件60件，其中已审结50件，占83.3%。",
    # … and the frame nearer than an earlier 其中 total (30 ÷ 60)
    "办理行政处罚案件126件，其中一般程序案件96件，占76.2%，涉企案件60件中，减免处罚30件，占50%。",
])
def test_a_share_without_both_figures_or_right_is_left_alone(fragment):
    assert [f for f in _check(case_report({"fragment": fragment})) if f.rule == "CNT004"] == []


def test_a_wrong_title_year_does_not_make_the_right_plans_and_date_look_wrong():
    text = _report("""示例市自然资源局关于2024年度法治政府建设情况的报告
市人民政府：
2025年，我局坚持依法行政。现将2025年度法治政府建设情况报告如下：
一、2025年度主要举措和成效
全年审查合同40份。局长履行推进法治建设第一责任人职责，主持研究法治工作4次。
二、存在的不足和原因
执法力量不足，原因是编制有限。
三、2026年工作安排
开展全员轮训。
示例市自然资源局
2026年2月20日""")
    found = [(f.rule, f.line) for f in _check(text) if f.severity != "info"]
    assert found == [("DAT002", 1)]  # the title alone, not the 2026 plans or the date


_PLANS_REPORT = """示例县水利局关于2024年度法治政府建设情况的报告
一、2024年度主要举措和成效
全年办理水行政许可86件，全部在法定时限内办结。
二、2025年工作安排
{plan}
"""


@pytest.mark.parametrize("plan,flagged", [
    ("一是2024年9月底前完成水行政执法事项清单修订。", "2024年9月底前"),
    ("二是于2024年4月至10月开展河湖“清四乱”专项执法。", "2024年4月至10月"),
    ("三是2024年底前建成水行政执法监督平台。", "2024年底前"),
    ("一是2025年9月底前完成水行政执法事项清单修订。", None),
    ("二是对照2024年12月印发的《实施方案》，逐项抓好落实。", None),
    ("三是巩固2024年以来开展的专项整治成果。", None),
    # looking back at a date, or a span ending in the plan year
    ("一是推进2024年12月部署开展的专项整治。", None),
    ("二是巩固2024年底全面完成的改革成果。", None),
    ("三是在2024年下半年启动试点的基础上全面推开。", None),
    ("四是2024年12月至2025年6月开展执法检查。", None),
])
def test_a_plans_task_scheduled_in_the_report_year_is_found(plan, flagged):
    report = _report(_PLANS_REPORT.format(plan=plan))
    found = [f for f in _check(report) if f.rule == "DAT001"]
    if flagged is None:
        assert found == []
    else:
        (f,) = found
        assert f"“{flagged}”" in f.message and f.severity == "warning" and f.suggestion == "2025年"


@pytest.mark.parametrize("fragment", [
    # some classes singled out of an exhaustive classification: not a listing of the whole
    "全年清理县政府规范性文件31件，其中废止6件。",
    "全年清理县政府规范性文件31件，其中修改4件、宣布失效2件。",
    "全年审结行政复议案件14件，其中撤销2件、确认违法1件。",
    "全年办结信访事项73件，其中调解化解25件。",
    # 其中 divides the figure right before it, not the total of the sentence
    "组织执法资格考试，参考132人，合格130人，其中成绩优秀41人。",
    # a rate over the whole, after a 其中 part whose label holds the numerator word
    "排查矛盾纠纷92件，调解成功90件，其中村级调解成功57件，调解成功率97.8%。",
])
def test_parts_singled_out_or_of_another_figure_are_not_a_breakdown_of_the_total(fragment):
    assert [f for f in _check(case_report({"fragment": fragment})) if f.rule in ("CNT001", "CNT004")] == []


@pytest.mark.parametrize("fragment,rule", [
    # a class and its negation are the whole between them
    ("收到行政复议申请58件，其中受理49件、不予受理7件。", "CNT001"),
    # three classes or more: a listing of the whole
    ("全年清理县政府规范性文件31件，其中继续有效20件、修改4件、废止6件。", "CNT001"),
])
def test_a_whole_listing_that_does_not_add_up_is_still_found(fragment, rule):
    assert [f.rule for f in _check(case_report({"fragment": fragment}))] == [rule]
