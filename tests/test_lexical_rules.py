"""PH, INS, TYP and FMT rules: the seed's known defects, the clean reports, the labelled ones,
and the legitimate forms that must stay silent."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from drafter.checker import check_report, select_rules
from drafter.checker.rules.institutions import find_abolished, find_fazhi
from drafter.text.placeholders import find_placeholders
from drafter.checker.rules.punctuation import halfwidth_marks
from drafter.checker.rules.typos import find_confusions, variant_chars
from drafter.checker.testing import case_report
from drafter.report.readers import read_report
from drafter.report.structure import build_report

FAMILIES = ["PH", "INS", "TYP", "FMT"]
OURS = ["PH", "INS", "TYP", "FMT0"]  # FMT1xx are the .docx layout rules (layout.py)
REPORTS = Path(__file__).resolve().parent.parent / "evaluations" / "cases" / "reports"


def _findings(report, *ids):
    return check_report(report, rules=select_rules(list(ids) or OURS))


def _report(text: str):
    return build_report(text.split("\n"), path="<test>", fmt="txt")


# ---- the seed -------------------------------------------------------------------------

@pytest.fixture
def seed_findings(seed_path):
    return _findings(read_report(seed_path))


@pytest.mark.parametrize("rule_id,quote,line", [
    ("INS001", "法制办", 11),
    ("INS002", "法制氛围", 7),
    ("TYP001", "決", 16),
    ("TYP002", "间题", 16),
    ("TYP003", "认真的组织", 7),
    ("FMT003", "》、《", 7),
    ("FMT006", "具\n体", 2),
    ("FMT006", "庆\n担", 5),
    ("FMT004", "2023 年", 4),
    ("FMT004", "2023 年", 10),
    ("FMT004", "23 号", 8),
    ("FMT004", "255 项", 8),
    ("FMT004", "局 31 项", 8),
    ("FMT001", ":", 1),
])
def test_seed_defect_is_found(seed_findings, rule_id, quote, line):
    hits = [(f.quote, f.line) for f in seed_findings if f.rule == rule_id]
    assert (quote, line) in hits, hits


def test_seed_both_mentions_of_fazhiban_are_found(seed_findings):
    hits = [f for f in seed_findings if f.rule == "INS001"]
    assert [(f.quote, f.line, f.suggestion) for f in hits] == [("法制办", 11, "司法局")] * 2
    assert hits[0].column != hits[1].column


def test_seed_nested_angle_brackets_are_found(seed_findings):
    quotes = [f.quote for f in seed_findings if f.rule == "FMT002"]
    assert len(quotes) == 2
    assert quotes[0].startswith("<关于推进") and quotes[1].startswith("<赋予县")


def test_seed_halfwidth_punctuation_one_finding_per_paragraph_with_every_edit(seed_findings):
    fmt1 = [f for f in seed_findings if f.rule == "FMT001"]
    lines = [f.line for f in fmt1]
    assert len(lines) == len(set(lines))  # one per paragraph
    # 100 commas, a colon, a semicolon and 15 pairs of parentheses (REPORT-RULES.md §6)
    assert sum(len(f.edits) for f in fmt1) == 100 + 1 + 1 + 30
    assert all(f.quote in ",:;()" for f in fmt1)


def test_seed_inconsistent_year_spacing_is_named(seed_findings):
    f = next(f for f in seed_findings if f.rule == "FMT004" and f.line == 4)
    assert "前后不一致" in f.message and "2023年" in f.message


def test_seed_correct_doc_numbers_are_not_flagged(seed_findings):
    assert not [f for f in seed_findings if f.rule == "FMT007"]


# ---- clean and labelled evaluation reports ----------------------------------------------

CLEAN = sorted(REPORTS.glob("[01][0-9]_*.txt"))
CLEAN = [p for p in CLEAN if int(p.name[:2]) <= 10]
LABELLED = [p for p in sorted(REPORTS.glob("1[1-9]_*.txt"))]


@pytest.mark.parametrize("path", CLEAN, ids=[p.name for p in CLEAN])
def test_clean_report_has_no_warning_from_these_families(path):
    bad = [(f.rule, f.line, f.quote) for f in _findings(read_report(path))
           if f.severity != "info"]
    assert bad == []


def test_skeleton_is_silent_under_these_families():
    assert _findings(case_report({"fragment": ""})) == []


def _labels(path: Path) -> list[dict]:
    data = YAML(typ="safe").load(path.with_suffix(".labels.yaml").read_text(encoding="utf-8"))
    return [d for d in data.get("defects", []) if d.get("rule_family") in FAMILIES]


LABELS = [(p, d) for p in LABELLED if p.with_suffix(".labels.yaml").exists() for d in _labels(p)]


@pytest.mark.parametrize("path,label", LABELS,
                         ids=[f"{p.name[:2]}-{d['rule_family']}-{d['quote']}" for p, d in LABELS])
def test_labelled_defect_is_found(path, label):
    report = read_report(path)
    start = report.text.find(label["quote"])
    assert start >= 0, label
    end = start + len(label["quote"])
    fam = label["rule_family"]
    hits = [f for f in _findings(report, fam) if f.start < end and start < f.end]
    assert hits, f"{fam} did not find {label['quote']!r}"


# ---- legitimate forms that must stay silent (and their wrong twins) ----------------------

@pytest.mark.parametrize("text,expected", [
    ("全年共开展活动XX场", "XX场"),
    ("培训……人次", "……人次"),
    ("完成时限：待定", "待定"),
    ("2024年  月  日", "年  月  日"),
    ("某某同志", "某某"),
    ("某某某局", "某某"),
    ("某些领域", None),
    ("某种程度上", None),
    ("某一时期", None),
    ("依法查处张某某违法案", None),
    ("X光机2台", None),
    ("X射线探伤", None),
    ("5G基站", None),
    ("Windows XP系统", None),
    ("iOS客户端", None),
    ("3×4米", None),
    ("二〇〇〇年", None),
    ("待定事项按程序办理", None),
    ("……等工作", None),
    ("罚没款X.X万元", "X.X万元"),
    ("增长X.X%", "X.X%"),
    ("客户端1.X版本", None),
])
def test_placeholder_patterns(text, expected):
    found = [text[s:e] for s, e, _ in find_placeholders(text)]
    assert found == ([expected] if expected else [])


@pytest.mark.parametrize("text,expected", [
    ("及时将处理决定报法制办备案", "法制办"),
    ("配合县安监局检查", "县安监局"),
    ("向省国土资源厅报告", "省国土资源厅"),
    ("原县工商局、县质监局整合组建县市场监督管理局", None),
    ("机构改革前的县环保局", None),
    ("2018年机构改革将县农业局职责整合", None),
    ("县法制办（现县司法局）", None),
    ("县文化广电和旅游局", None),
    ("县农业农村局", None),
    ("县生态环境局", None),
    ("国家矿山安全监察局", None),
    ("省广电局", None),
    ("《××市工商局行政处罚裁量基准》", None),
    ("形成良好的法治文化局面", None),
    ("报县法制局审查", "县法制局"),
    ("会同市物价局开展价格检查", "市物价局"),
    ("原县法制局职责整合进县司法局", None),
])
def test_abolished_institution_context(text, expected):
    found = [text[s:e] for s, e, _, _ in find_abolished(text)]
    assert found == ([expected] if expected else [])


@pytest.mark.parametrize("text,expected", [
    ("营造良好的法制氛围", "法制氛围"),
    ("开展法制宣传教育", "法制宣传教育"),
    ("建设法制政府", "法制政府"),
    ("重大执法决定法制审核", None),
    ("经法制科法制审核", None),
    ("法制审核员", None),
    ("法制工作机构", None),
    ("全国人大常委会法制工作委员会", None),
    ("法制日报", None),
    ("会前学法制度和述法制度", None),
    ("民主法制建设", None),
])
def test_fazhi_collocations(text, expected):
    found = [text[s:e] for s, e, _ in find_fazhi(text)]
    assert found == ([expected] if expected else [])


@pytest.mark.parametrize("text,marks", [
    ("2023年,在市委领导下", [","]),
    ("依法行政, 加快建设", [", "]),
    ("意见(试行)的通知", ["(", ")"]),
    ("共计1,234条", []),
    ("上午8:30开始", []),
    ("见https://www.gov.cn/a?b=1,2;c=(3)", []),
    ("Rule of Law, Government", []),
    ("（豫发(2021)23号）", []),  # a 文号 is FMT007's
    ("覆盖率100%.街道全部覆盖.", [".", "."]),  # a half-width full stop ending a Chinese sentence
    ("1.健全制度，罚没款1.5万元，No.1文件，报告.docx", []),
])
def test_halfwidth_marks_context(text, marks):
    assert [text[s:e] for s, e, _ in halfwidth_marks(text)] == marks


def test_traditional_paragraph_is_reported_once():
    body = "（二）組織開展學習培訓12期，參加人員560人次，學習內容包括憲法和民法典。"
    report = case_report({"fragment": body})
    hits = _findings(report, "TYP001")
    assert len(hits) == 1 and "繁体" in hits[0].message
    assert len(hits[0].edits) == len(variant_chars(body))


@pytest.mark.parametrize("text", ["瞭望塔", "乾坤湾", "李乾同志", "哪吒", "二噁英", "著名"])
def test_standard_characters_are_not_variants(text):
    assert variant_chars(text) == []


@pytest.mark.parametrize("text,expected", [
    ("重大间题法律论证", "间题"),
    ("试题库和间题材料", None),
    ("截止2023年底", "截止"),
    ("申请截止日期", None),
    ("认真的组织学习", "认真的组织"),
    ("严格落室制度", "落室"),
    ("社区矫正对像12名", "对像"),
    ("对像素进行处理", None),
    ("畅通权力救济渠道", "权力救济"),
])
def test_confusion_lexicon_context(text, expected):
    found = [text[s:e] for s, e, _ in find_confusions(text, ("word", "context", "de-di"))]
    assert found == ([expected] if expected else [])


def test_confusion_clean_samples_stay_silent():
    path = Path(__file__).resolve().parent.parent / "drafter" / "checker" / "data" / \
        "confusions_clean_samples.txt"
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.startswith("#")]
    assert lines
    noisy = [ln for ln in lines if find_confusions(ln, ("word", "context", "de-di"))]
    assert noisy == []
    from drafter.checker.dedi import de_for_di

    assert [ln for ln in lines if de_for_di(ln)] == []


def test_line_break_rule_ignores_headings_labels_and_signature():
    text = "\n".join([
        "示例局关于2023年度法治政府建设情况的报告", "市人民政府：", "现将有关情况报告如下：",
        "一、主要举措和成效", "（一）健全机制", "严格落实决策程序。", "联系人：张某",
        "联系电话：12345678", "示例局", "2024年2月20日"])
    assert _findings(_report(text), "FMT006") == []


@pytest.mark.parametrize("lines,broken", [
    (["示例局关于2023年度法治政府建设情况的报告", "市人民政府", "2023年，我局全面推进依法行政。"], []),
    (["序号  事项  数量", "1  行政许可  412"], []),
    # cells set off by bars: a row ending in a percentage or an amount is still a row
    (["全年查处违法案件情况如下：", "案件类型｜数量｜占比", "非法采砂｜6件｜42.9%", "违法占用河道｜5件｜35.7%"], []),
    (["项目|2023年|2024年", "罚款金额|26.2万元|38.5万元", "执法巡查|120次|146次"], []),
    (["在市委、市政府的正确领导和市司法局的具", "体指导下，我局全面推进依法行政。"], ["具\n体"]),
    (["我局聘请律师、", "法律顾问参与审查。"], ["、\n法"]),
])
def test_line_break_needs_a_wrapped_line_or_a_continuation_mark(lines, broken):
    found = [f.quote for f in _findings(_report("\n".join(lines)), "FMT006")]
    assert found == broken


def test_docstring_of_fmt001_is_printed_by_rules_command(cli):
    r = cli("rules", "FMT001")
    assert r.returncode == 0
    assert "halfwidth-punctuation" in r.stdout and "应改为 Use instead" in r.stdout


@pytest.mark.parametrize("line,quotes", [
    # stray spaces of copied text: found
    ("共办理行政复议案件 12 件。", ["件 12 件"]),
    ("2023　年，我局清理文件31份。", ["2023　年"]),
    ("全年共办理 8 起诉讼案件：其中败诉1起。", ["理 8 起"]),
    # layout, not a stray space: the cells of a table copied as text, a web page's fields,
    # a time of day after a date
    ("序号\t指标名称\t2024年\t2025年\t增减", []),
    ("1\t审查合同协议（份）\t118\t136\t+18", []),
    ("发布日期：2026-03-06　　来源：示例县应急管理局", []),
    ("发布时间：2026年03月06日 09:30　来源：示例县应急管理局　浏览次数：1526", []),
    ("第一部分 2025年度法治政府建设主要举措和成效", []),
    ("第二部分　2026年工作安排", []),
])
def test_space_between_digits_and_cjk_is_not_layout(line, quotes):
    text = "\n".join(["示例局关于2025年度法治政府建设情况的报告", line, "一、主要举措和成效"])
    assert [f.quote for f in _findings(_report(text), "FMT004")] == quotes
