"""One table-driven test over every rule's pass/fail cases (checker/cases/<FAMILY>.yaml)."""

from __future__ import annotations

import pytest

from drafter.checker import all_rules
from drafter.checker.registry import cases_for, rule_cases
from drafter.checker.testing import case_report, run_case
from drafter.checker import check_report

RULES = all_rules()
# LLM001-005 are made by LLM-assisted review, not by check_report: their cases are verifier
# cases, run by tests/test_review_verify.py.
CASES = [(r.id, kind, i, c) for r in RULES if r.source == "rules" for kind in ("fail", "pass")
         for i, c in enumerate(cases_for(r.id)[kind])]


@pytest.mark.parametrize("rule_id", [r.id for r in RULES])
def test_every_rule_has_failing_and_passing_cases(rule_id):
    cases = cases_for(rule_id)
    assert cases["fail"], f"{rule_id} has no failing example"
    assert cases["pass"], f"{rule_id} has no passing example"


@pytest.mark.parametrize("rule_id", [r.id for r in RULES])
def test_every_rule_documents_itself(rule_id):
    r = next(x for x in RULES if x.id == rule_id)
    parts = r.sections()
    for head in ("作用 What it does", "为什么重要 Why it matters", "示例 Example", "应改为 Use instead"):
        assert parts.get(head), f"{rule_id} docstring lacks '{head}'"


@pytest.mark.parametrize("rule_id,kind,i,case", CASES,
                         ids=[f"{r}-{k}-{i}" for r, k, i, _ in CASES])
def test_rule_case(rule_id, kind, i, case):
    findings = run_case(rule_id, case)
    if kind == "pass":
        assert not findings, [(f.line, f.message, f.quote) for f in findings]
        return
    assert findings, f"{rule_id} did not fire on: {case}"
    if "quote" in case:
        assert case["quote"] in [f.quote for f in findings], [f.quote for f in findings]
    if "line" in case:
        assert case["line"] in [f.line for f in findings], [f.line for f in findings]


def test_skeleton_is_clean_under_every_rule():
    findings = check_report(case_report({"fragment": ""}))
    assert [f for f in findings if f.severity != "info"] == [], \
        [(f.rule, f.line, f.message, f.quote) for f in findings]


def test_case_files_name_only_known_rules():
    known = {r.id for r in RULES}
    fams = {r.family for r in RULES}
    for fam in fams:
        for entry in rule_cases(fam):
            assert entry["rule"] in known, entry["rule"]


def test_case_options_load_facts_and_last_years_report_through_the_real_loaders():
    from drafter.checker.testing import case_options
    from drafter.errors import FactsError

    case = {"facts": {"unit": {"name": "示例局"}, "recipients": ["市人民政府"], "year": 2023,
                      "date": "2024-02-20", "previous_plans": ["健全依法决策机制"]},
            "previous": "示例局关于2022年度法治政府建设情况的报告\n市人民政府：\n一、2023年工作安排\n"
                        "（一）健全依法决策机制。严格履行程序。\n",
            "profile": None}
    opts = case_options(case)
    assert opts.facts.previous_plan_texts() == ["健全依法决策机制"] and opts.facts.year == 2023
    assert [s.key for s in opts.previous.sections] == ["plans"]
    with pytest.raises(FactsError) as e:  # validated like a facts file: field and message
        case_options({"facts": {"unit": {"name": "示例局"}, "recipients": [], "year": 2023,
                                "date": "2024-02-20"}})
    assert "recipients" in e.value.message


def test_a_section_that_opens_with_the_duty_under_another_title_is_only_a_note():
    from drafter.report.structure import build_report

    text = """示例县自然资源局关于2025年度法治政府建设情况的报告
县人民政府：
现将有关情况报告如下：
一、强化法治建设组织保障
局长切实履行推进法治建设第一责任人职责，全年主持召开党组会议研究法治建设5次，带头述法。
二、主要举措和成效
全年审查合同40份。
三、存在的不足和原因
执法力量不足，原因是编制有限。
四、2026年工作安排
加强执法队伍建设。
示例县自然资源局
2026年2月20日"""
    report = build_report(text.split("\n"), path="<t>", fmt="txt")
    (f,) = [f for f in check_report(report) if f.rule == "STR002"]
    assert f.severity == "info" and "写在“一、强化法治建设组织保障”部分" in f.message


PARTS_REPORT = """示例县人民政府关于2025年度法治政府建设情况的报告
市人民政府：
现将有关情况报告如下：
第一部分 2025年度法治政府建设主要举措和成效
一、党政主要负责人履行推进法治建设第一责任人职责情况
县长主持召开常务会议研究法治政府建设5次。
二、健全依法决策机制
全年审查重大行政决策事项6件。
第二部分 存在的不足和原因
一、存在的不足
基层执法力量不足，案卷质量不高。
二、原因分析
编制有限，培训不够。
第三部分 2026年工作安排
一、加强执法队伍建设
开展全员轮训。
二、深化普法宣传
开展送法下乡活动。
示例县人民政府
2026年2月20日"""


def test_a_report_in_parts_has_its_parts_as_sections_and_restarts_numbering_in_each():
    from drafter.report.structure import build_report

    report = build_report(PARTS_REPORT.split("\n"), path="<t>", fmt="txt")
    assert [(s.heading.style, s.key) for s in report.sections] == [
        ("part", "measures"), ("part", "shortcomings"), ("part", "plans")]
    assert [c.level for c in report.sections[0].children] == [2, 2]
    found = [f for f in check_report(report) if f.severity != "info"]
    assert found == [], [(f.rule, f.line, f.message) for f in found]


def test_one_part_line_alone_does_not_make_a_report_in_parts():
    from drafter.report.structure import build_report

    text = PARTS_REPORT.replace("第二部分 ", "").replace("第三部分 ", "")
    report = build_report(text.split("\n"), path="<t>", fmt="txt")
    assert all(s.heading.style != "part" for s in report.walk())


def test_causes_under_a_heading_of_their_own_after_the_shortcomings():
    from drafter.report.structure import build_report

    text = """示例县司法局关于2025年度法治政府建设情况的报告
县人民政府：
现将有关情况报告如下：
一、2025年度主要举措和成效
全年审查合同40份。局长履行推进法治建设第一责任人职责，主持研究法治工作4次。
二、存在的不足
基层执法力量不足，案卷质量不高。
三、原因分析
编制有限，培训不够。
四、2026年工作安排
开展全员轮训。
示例县司法局
2026年2月20日"""
    report = build_report(text.split("\n"), path="<t>", fmt="txt")
    assert [f for f in check_report(report) if f.rule == "STR004"] == []


_SHORT_REPORT = """示例县水利局关于2025年度法治政府建设情况的报告
县人民政府：
现将有关情况报告如下：
一、2025年度主要举措和成效
全年办理水行政许可52件。局长履行推进法治建设第一责任人职责，主持研究法治工作4次。
二、{short}
基层执法力量不足，案卷质量不高。{cause}
三、{plans}
开展全员轮训。
示例县水利局
2026年2月20日"""


@pytest.mark.parametrize("short,cause,plans", [
    # the items in other real wordings
    ("差距和不足", "这与编制有限、人员流动较大有关。", "2026年工作安排"),
    ("存在的短板和不足", "之所以出现这种情况，是因为培训不够。", "下一阶段工作重点"),
    ("不足与差距", "系编制有限、培训不足所致。", "下阶段重点工作"),
])
def test_real_wordings_of_the_shortcomings_causes_and_plans(short, cause, plans):
    from drafter.report.structure import build_report

    text = _SHORT_REPORT.format(short=short, cause=cause, plans=plans)
    report = build_report(text.split("\n"), path="<t>", fmt="txt")
    assert [s.key for s in report.sections] == ["measures", "shortcomings", "plans"]
    assert not [f for f in check_report(report) if f.rule in ("STR001", "STR004")]
