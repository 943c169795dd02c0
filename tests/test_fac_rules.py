"""Year over year: computed in the draft ({id.yoy}), verified by the checker (FAC001); and
figures that contradict the facts (FAC002)."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from drafter.errors import FactsError
from drafter.facts import load_facts, parse_facts
from drafter.facts.yoy import change, fill_previous_values

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
UNIT = "shili-kegongxin"
FACTS_2023 = CORPUS / UNIT / "2023" / "facts.yaml"

CHANGES = [
    # (this year, last year, unit, text) — one decimal, rounded half up, trailing .0 dropped
    (94, 86, "家次", "同比增长9.3%"),
    (18, 15, "场", "同比增长20%"),
    (9, 12, "件", "同比下降25%"),
    (49, 40, "件", "同比增长22.5%"),
    (81, 80, "件", "同比增长1.3%"),  # 1.25 → 1.3 (half up, not banker's 1.2)
    (98.5, 96, "%", "同比提高2.5个百分点"),
    (90, 96.2, "%", "同比下降6.2个百分点"),
    (10, 10, "件", "与上年持平"),
    (10001, 10000, "件", "与上年基本持平"),
]


@pytest.mark.parametrize("now,last,unit,text", CHANGES)
def test_year_over_year_is_computed_with_the_stated_rounding(now, last, unit, text):
    assert change(now, last, unit).text() == text


def test_no_relative_change_from_zero():
    assert change(5, 0, "件") is None
    assert change(5, 0, "%").amount == Decimal("5.0")  # a rate from 0 is still a points change


def _with_yoy(text: str) -> str:
    return (text.replace('"{inspections}，{inspections.trend}"', '"{inspections}，{inspections.yoy}"')
                .replace('"{law_enforcers}全部持证上岗"', '"{law_enforcers}全部持证上岗，{law_enforcers.yoy}"'))


def _unit_copy(tmp_path: Path, text_2023: str) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS / UNIT, root / UNIT)
    (root / UNIT / "2023" / "facts.yaml").write_text(text_2023, encoding="utf-8")
    return root


def test_draft_states_the_computed_change_from_previous_value_and_from_last_years_facts(tmp_path):
    from drafter.pipeline import draft

    root = _unit_copy(tmp_path, _with_yoy(FACTS_2023.read_text(encoding="utf-8")))
    result = draft(root / UNIT / "2023" / "facts.yaml", write=False)
    text = result.report.text
    assert "开展“双随机、一公开”抽查94家次，同比增长9.3%" in text  # previous_value 86 in the facts
    assert "行政执法人员21名全部持证上岗，同比增长5%" in text  # 20 in the 2022 facts of the corpus
    assert [f for f in result.findings if f.rule.startswith("FAC")] == []
    assert result.gaps == []


def test_fill_previous_values_takes_only_exact_figures_of_the_same_metric():
    last = load_facts(CORPUS / UNIT / "2022" / "facts.yaml")
    facts = load_facts(FACTS_2023)
    filled = fill_previous_values(facts, last)
    index, before = filled.metric_index(), facts.metric_index()
    assert index["law_enforcers"].previous_value == 20 and before["law_enforcers"].previous_value is None
    assert index["inspections"].previous_value == 86  # its own previous_value is kept
    assert index["enterprises_served"].previous_value is None  # not in 2022
    assert fill_previous_values(facts, None) is facts


def test_yoy_without_last_years_figure_is_a_visible_gap(tmp_path):
    from drafter.pipeline import draft

    text = FACTS_2023.read_text(encoding="utf-8").replace('"{law_enforcers}全部持证上岗"',
                                                          '"{law_enforcers}全部持证上岗，{law_enforcers.yoy}"')
    p = tmp_path / "facts.yaml"
    p.write_text(text, encoding="utf-8")
    result = draft(p, write=False)  # outside any corpus: no 2022 figure
    assert [g.text for g in result.gaps] == ["【待补充：行政执法人员上年数值】"]
    assert result.exit_code == 1


def test_yoy_of_an_approximate_figure_is_rejected_when_loading():
    text = FACTS_2023.read_text(encoding="utf-8").replace('"{training_sessions}，{trainees}"',
                                                          '"{training_sessions}，{trainees}，{trainees.yoy}"')
    with pytest.raises(FactsError) as e:
        parse_facts(text, "facts.yaml")
    assert "约数，不能计算同比变化" in e.value.message and "facts.yaml:" in e.value.message


REPORT = """示例市科学技术和工业信息化局关于2023年度法治政府建设情况的报告
中共示例市委、示例市人民政府：
2023年，我局在市委、市政府的坚强领导下，全面推进依法行政。现将有关情况报告如下：
一、2023年法治政府建设主要举措和成效
（一）提升行政执法质量。全年开展“双随机、一公开”抽查94家次，{change}。全局行政执法人员21名全部持证上岗。
（二）加强规范性文件管理。对照优化营商环境要求，清理规范性文件{docs}件，其中继续有效8件、修改2件、废止2件。
二、存在的不足和原因
行政执法监督手段还比较单一。究其原因，主要是执法信息化建设相对滞后。
三、党政主要负责人履行推进法治建设第一责任人职责情况
局党组书记、局长认真履行推进法治建设第一责任人职责，主持召开局党组会议专题研究法治建设工作4次。
四、2024年工作安排
一是深入学习贯彻习近平法治思想；二是推进严格规范公正文明执法。
示例市科学技术和工业信息化局
2024年2月20日
"""

CHECKS = [
    # (change, 清理规范性文件, expected FAC rules, a phrase of the first message)
    ("同比增长9.3%", 12, [], None),
    ("较上年的86家次有所增加", 12, [], None),
    ("同比增长12.5%", 12, ["FAC001"], "应为“同比增长9.3%”"),
    ("同比下降9.3%", 12, ["FAC001"], "变化方向与事实不符"),
    ("较上年的80家次有所增加", 12, ["FAC001"], "上年为86家次"),
    ("同比增长9.3%", 10, ["FAC002"], "在事实文件中为12件，此处写作10件"),
]


@pytest.mark.parametrize("stated,docs,rules,phrase", CHECKS)
def test_checker_verifies_stated_changes_and_figures_against_the_facts(tmp_path, cli, stated, docs, rules, phrase):
    report = tmp_path / "report.txt"
    report.write_text(REPORT.format(change=stated, docs=docs), encoding="utf-8")
    res = cli("check", str(report), "--facts", str(FACTS_2023), "--select", "FAC", "--format", "json")
    findings = json.loads(res.stdout)["files"][0]["findings"]
    assert [f["rule"] for f in findings] == rules
    assert res.returncode == (1 if rules else 0)
    if phrase:
        assert phrase in findings[0]["message"] and findings[0]["severity"] == "error"


def test_change_against_last_years_corpus_figure_needs_the_corpus(tmp_path, cli):
    """行政执法人员 has no previous_value in the 2023 facts: 2022's 20 comes from --corpus."""
    report = tmp_path / "report.txt"
    report.write_text(REPORT.format(change="同比增长9.3%", docs=12).replace(
        "全局行政执法人员21名全部持证上岗", "全局行政执法人员21名，同比增长10%"), encoding="utf-8")
    args = ("check", str(report), "--facts", str(FACTS_2023), "--select", "FAC", "--format", "json")
    alone = json.loads(cli(*args).stdout)["files"][0]["findings"]
    assert alone == []  # no last year's figure: not judged
    found = json.loads(cli(*args, "--corpus", str(CORPUS)).stdout)["files"][0]["findings"]
    assert [f["rule"] for f in found] == ["FAC001"] and "应为“同比增长5%”" in found[0]["message"]


def test_fac_rules_are_silent_on_the_drafts_of_every_sample_facts_file():
    from drafter.checker import CheckOptions, check_report, select_rules
    from drafter.pipeline import draft

    for path in sorted(CORPUS.glob("*/*/facts.yaml")):
        result = draft(path, write=False)
        found = check_report(result.report, CheckOptions(facts=load_facts(path), corpus=str(CORPUS)),
                             select_rules(["FAC"]))
        assert found == [], (path, [(f.rule, f.message) for f in found])
