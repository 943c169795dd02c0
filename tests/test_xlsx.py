"""The Excel facts workbook: template, filling it as a 科室 would, cell-precise errors, drafting
from it, conversion both ways, and the template pre-filled from last year."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from drafter.errors import FactsError
from drafter.facts import load_facts, parse_facts
from drafter.facts.xlsx import facts_to_xlsx_bytes, facts_to_yaml, load_facts_xlsx, template_bytes
from drafter.facts.xlsx_layout import (FIRST_ROW, ITEM_SHEETS, SHEET_INFO, SHEET_METRICS, SHEET_ORDER,
                                       SHEET_PEOPLE, SHEET_PREV, SHEET_SHORT)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SAMPLES = sorted(CORPUS.glob("*/*/facts.yaml")) + [ROOT / "tests" / "data" / "llm_facts.yaml"]
MEASURES, LEADERSHIP, PLANS = ITEM_SHEETS["measures"], ITEM_SHEETS["leadership"], ITEM_SHEETS["plans"]


def _info_row(ws, label: str) -> int:
    return next(r for r in range(2, ws.max_row + 1)
                if str(ws.cell(row=r, column=1).value).startswith(label))


def col(ws, header: str) -> str:
    """The letter of the column named ``header`` (row 1)."""
    return next(c.column_letter for c in ws[1] if c.value == header)


def _fill(wb, bad_value="12件") -> str:
    """Fill a blank template as a 科室 would; returns the cell holding ``bad_value``."""
    info = wb[SHEET_INFO]
    for label, value in [("单位全称", "示例县市场监督管理局"), ("自称", "我局"), ("单位类型", "政府部门"),
                         ("主送机关", "中共示例县委、示例县人民政府"), ("报告年度", 2023),
                         ("成文日期", dt.datetime(2024, 2, 18))]:
        info.cell(row=_info_row(info, label), column=2, value=value)
    m = wb[MEASURES]
    rows = [("加强规范性文件管理", "严格执行合法性审核和备案制度，{docs}", None),
            (None, "全部按规定报县司法局备案", None),
            ("强化行政执法监督", "{inspections}，{inspections.yoy}", None),
            (None, None, "trainees")]  # a metric on a row of its own: stated after the item
    for i, (title, fact, metrics) in enumerate(rows):
        r = FIRST_ROW + i
        m.cell(row=r, column=2, value=title)
        m.cell(row=r, column=3, value=fact)
        m.cell(row=r, column=4, value=metrics)
    met = wb[SHEET_METRICS]
    metrics = [("docs", "清理规范性文件", bad_value, "件", None, None, None, "是"),
               ("kept", "继续有效", 9, "件", None, None, "docs", None),
               ("repealed", "废止", 3, "件", None, None, "docs", None),
               ("inspections", "开展“双随机、一公开”抽查", 1260, "户", None, 1050, None, None),
               ("trainees", "培训执法人员", 300, "人次", "余", None, None, None)]
    for i, row in enumerate(metrics):
        for c, v in enumerate(row, start=1):
            met.cell(row=FIRST_ROW + i, column=c, value=v)
    wb[LEADERSHIP].cell(row=FIRST_ROW, column=2, value="履行推进法治建设第一责任人职责")
    wb[LEADERSHIP].cell(row=FIRST_ROW, column=3, value="局党组书记、局长主持召开党组会议专题研究法治建设4次")
    s = wb[SHEET_SHORT]
    s.cell(row=FIRST_ROW, column=3, value="执法监督手段还比较单一")  # C 问题, D 原因
    s.cell(row=FIRST_ROW, column=4, value="执法信息化建设相对滞后")
    s.cell(row=FIRST_ROW + 1, column=4, value="专职法制审核力量不足")
    p = wb[PLANS]
    p.cell(row=FIRST_ROW, column=2, value="深化包容审慎监管")
    p.cell(row=FIRST_ROW, column=3, value="完善不予处罚清单")
    ppl = wb[SHEET_PEOPLE]
    for c, v in enumerate(["人员", "adviser", "周明", "法律顾问", "示例县正衡律师事务所", "律师"], start=1):
        ppl.cell(row=FIRST_ROW, column=c, value=v)
    return f"C{FIRST_ROW}"


def test_template_has_every_sheet_with_frozen_headers_lists_and_instructions(tmp_path, cli):
    out = tmp_path / "事实采集表.xlsx"
    res = cli("facts", "template", "-o", str(out))
    assert res.returncode == 0, res.stderr
    wb = load_workbook(out)
    assert wb.sheetnames == SHEET_ORDER
    assert wb["选项"].sheet_state == "hidden"
    assert "drafter draft 事实采集表.xlsx" in " ".join(str(c.value) for c in wb["填写说明"]["A"])
    met = wb[SHEET_METRICS]
    assert met.freeze_panes == f"A{FIRST_ROW}" and wb[SHEET_INFO].freeze_panes == "A2"
    assert [c.value for c in met[1]][:6] == ["编号", "指标名称", "本年数值", "单位", "约数", "上年数值"]
    assert met.column_dimensions["B"].width >= 30
    kinds = {(dv.type, str(dv.sqref).split(":")[0]) for dv in met.data_validations.dataValidation}
    assert ("decimal", f"C{FIRST_ROW}") in kinds and ("list", f"D{FIRST_ROW}") in kinds
    unit_dv = next(dv for dv in met.data_validations.dataValidation if str(dv.sqref).startswith("D"))
    assert unit_dv.errorStyle == "warning"  # an uncommon unit is allowed after a warning
    # 属于哪个总数 and 接上数据指标 offer the names of 数据指标 (no id to type)
    total_dv = next(dv for dv in met.data_validations.dataValidation
                    if str(dv.sqref).startswith(col(met, "属于哪个总数")))
    assert total_dv.formula1.startswith("'数据指标'!$B$3")
    link = wb[MEASURES]
    link_dv = next(dv for dv in link.data_validations.dataValidation
                   if str(dv.sqref).startswith(col(link, "接上数据指标")))
    assert link_dv.formula1 == total_dv.formula1
    # ids and placements are the program's: hidden, not printed
    assert [c for c in "ABCDEFGHIJK" if met.column_dimensions[c].hidden] == ["A", "J", "K"]
    assert wb[SHEET_PEOPLE].column_dimensions["B"].hidden
    info_kinds = {dv.type for dv in wb[SHEET_INFO].data_validations.dataValidation}
    assert {"whole", "date", "list"} <= info_kinds
    assert wb[MEASURES][f"A{FIRST_ROW}"].value.startswith("=IF(")  # 序号 numbers itself


def test_filled_template_with_a_bad_cell_names_sheet_cell_and_field_then_drafts_when_fixed(tmp_path, cli):
    path = tmp_path / "事实采集表.xlsx"
    path.write_bytes(template_bytes())
    wb = load_workbook(path)
    bad = _fill(wb)
    wb.save(path)
    out = tmp_path / "报告.docx"
    res = cli("draft", str(path), "-o", str(out))
    assert res.returncode == 2 and not out.exists()
    assert f"工作表“数据指标”单元格 {bad}（本年数值）：应为数字" in res.stderr, res.stderr
    assert "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1
    wb = load_workbook(path)
    wb[SHEET_METRICS][bad] = 12
    wb.save(path)
    res = cli("draft", str(path), "-o", str(out))
    assert res.returncode == 0, res.stdout + res.stderr
    from docx import Document

    text = "\n".join(p.text for p in Document(out).paragraphs)
    assert "清理规范性文件12件，其中继续有效9件、废止3件" in text
    assert "开展“双随机、一公开”抽查1260户，同比增长20%" in text  # (1260-1050)/1050 = 20.0%
    assert "示例县市场监督管理局关于2023年度法治政府建设情况的报告" in text.replace("\n", "")
    assert "2024年2月18日" in text and "执法信息化建设相对滞后" in text


BAD_CELLS = [
    # (sheet, cell, value, phrase of the message)
    (SHEET_INFO, "B7", "二〇二三年", "单元格 B7（报告年度）：应为四位数字年份"),
    (SHEET_INFO, "B4", "事业单位", "单元格 B4（单位类型）：只能是“政府部门”或“地方政府”"),
    (SHEET_INFO, "B10", "盖", "单元格 B10（加盖印章）：只能是“是”或“否”"),
    (SHEET_INFO, "B11", "示科工信[2024]3号", "单元格 B11（发文字号）：发文字号写法不规范"),
    (SHEET_METRICS, f"E{FIRST_ROW + 4}", "大约", f"单元格 E{FIRST_ROW + 4}（约数）：只能是"),
    (SHEET_METRICS, f"G{FIRST_ROW + 1}", "doc",
     f"单元格 G{FIRST_ROW + 1}（属于哪个总数）：“数据指标”表中没有名为“doc”的指标"),
    (SHEET_METRICS, f"A{FIRST_ROW + 2}", "1st", f"单元格 A{FIRST_ROW + 2}（编号）：编号只能用字母"),
    (MEASURES, f"C{FIRST_ROW + 2}", "{inspection}", f"单元格 C{FIRST_ROW + 2}（事实陈述）：引用了未定义的编号"),
    (MEASURES, f"D{FIRST_ROW + 1}", "清理文件",
     f"单元格 D{FIRST_ROW + 1}（接上数据指标）：“数据指标”表中没有名为“清理文件”的指标"),
    (MEASURES, f"E{FIRST_ROW}", "要核实", f"单元格 E{FIRST_ROW}（待核实）：只能是“是”或“否”"),
    (MEASURES, f"F{FIRST_ROW}", "第一项", f"单元格 F{FIRST_ROW}（回应去年计划）：应为整数"),
    (SHEET_PEOPLE, f"A{FIRST_ROW}", None, f"单元格 A{FIRST_ROW}（类别）：请选择类别"),
    (SHEET_SHORT, f"C{FIRST_ROW}", None, f"单元格 C{FIRST_ROW}（问题）：请先填写问题"),
]


@pytest.mark.parametrize("sheet,cell,value,phrase", BAD_CELLS, ids=[f"{s}-{c}" for s, c, _, _ in BAD_CELLS])
def test_each_bad_cell_is_named_with_its_sheet_and_column(tmp_path, sheet, cell, value, phrase):
    path = tmp_path / "f.xlsx"
    path.write_bytes(template_bytes())
    wb = load_workbook(path)
    _fill(wb, bad_value=12)
    wb[sheet][cell] = value
    wb.save(path)
    with pytest.raises(FactsError) as e:
        load_facts(path)
    assert f"工作表“{sheet}”{phrase}" in e.value.message, e.value.message


@pytest.mark.parametrize("path", SAMPLES, ids=[f"{p.parent.parent.name}-{p.parent.name}" for p in SAMPLES])
def test_yaml_to_xlsx_to_yaml_round_trips_to_an_equal_model(tmp_path, path):
    facts = load_facts(path)
    xlsx = tmp_path / "f.xlsx"
    xlsx.write_bytes(facts_to_xlsx_bytes(facts))
    back = load_facts_xlsx(xlsx)
    assert back == facts
    assert parse_facts(facts_to_yaml(back, "f.xlsx")) == facts


def test_inline_metrics_and_plain_sections_round_trip():
    from tests.facts_cases import BASE

    facts = parse_facts(BASE)
    assert any(not isinstance(m, str) for m in facts.sections.measures[0].metrics)  # inline
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "f.xlsx"
        p.write_bytes(facts_to_xlsx_bytes(facts))
        assert load_facts_xlsx(p) == facts


def test_convert_both_ways_on_the_command_line(tmp_path, cli):
    src = CORPUS / "shili-kegongxin" / "2023" / "facts.yaml"
    xlsx, yaml = tmp_path / "a.xlsx", tmp_path / "b.yaml"
    assert cli("facts", "convert", str(src), "-o", str(xlsx)).returncode == 0
    res = cli("facts", "convert", str(xlsx), "-o", str(yaml))
    assert res.returncode == 0, res.stderr
    assert load_facts(yaml) == load_facts(src)
    again = cli("facts", "convert", str(xlsx), "-o", str(yaml))
    assert again.returncode == 2 and "已存在" in again.stderr
    wrong = cli("facts", "convert", str(src), "-o", str(tmp_path / "c.json"))
    assert wrong.returncode == 2 and ".xlsx 与 .yaml" in wrong.stderr


def test_template_prefilled_from_last_year(tmp_path, cli):
    out = tmp_path / "2024.xlsx"
    res = cli("facts", "template", "-o", str(out), "--corpus", str(CORPUS), "--unit", "shili-kegongxin",
              "--year", "2024")
    assert res.returncode == 0, res.stderr
    assert "4项去年计划" in res.stdout
    last = load_facts(CORPUS / "shili-kegongxin" / "2023" / "facts.yaml")
    wb = load_workbook(out)
    info = wb[SHEET_INFO]
    assert info.cell(row=_info_row(info, "单位全称"), column=2).value == last.unit.name
    assert info.cell(row=_info_row(info, "报告年度"), column=2).value == 2024
    assert info.cell(row=_info_row(info, "成文日期"), column=2).value is None
    met = wb[SHEET_METRICS]
    rows = {met.cell(row=r, column=1).value: r for r in range(FIRST_ROW, met.max_row + 1)
            if met.cell(row=r, column=1).value}
    r = rows["inspections"]
    assert met.cell(row=r, column=3).value is None  # this year's value: for the 科室 to fill
    assert met.cell(row=r, column=6).value == 94  # last year's value beside it
    parts = {met.cell(row=x, column=1).value: met.cell(row=x, column=7).value for x in rows.values()}
    assert parts["norm_docs_kept"] == "清理规范性文件"  # 属于哪个总数: by name, as the drop-down
    approx = rows["trainees"]  # 380余人次 last year: no exact base for a change
    assert met.cell(row=approx, column=6).value is None and "约数" in met.cell(row=approx, column=6).comment.text
    prev = wb[SHEET_PREV]
    assert [prev.cell(row=FIRST_ROW + i, column=2).value for i in range(4)] == [
        it.title for it in last.sections.plans]
    with pytest.raises(FactsError) as e:  # not filled in yet: every empty value is named
        load_facts(out)
    assert "单元格 B8（成文日期）：未填写" in e.value.message
    assert any("单元格 C3（本年数值）：未填写" in line for _, _, line in e.value.problems)


def test_template_with_an_unknown_unit_or_year_says_what_exists(tmp_path, cli):
    res = cli("facts", "template", "-o", str(tmp_path / "x.xlsx"), "--corpus", str(CORPUS), "--unit", "nobody")
    assert res.returncode == 2 and "shili-kegongxin" in res.stderr
    res = cli("facts", "template", "-o", str(tmp_path / "x.xlsx"), "--corpus", str(CORPUS),
              "--unit", "shili-kegongxin", "--year", "2030")
    assert res.returncode == 2 and "2029" in res.stderr and "2023" in res.stderr


def test_what_was_done_on_last_years_plan_becomes_an_answering_statement(tmp_path):
    path = tmp_path / "f.xlsx"
    path.write_bytes(template_bytes())
    wb = load_workbook(path)
    _fill(wb, bad_value=12)
    prev = wb[SHEET_PREV]
    prev["B3"], prev["C3"] = "加强规范性文件管理", None
    prev["B4"], prev["C4"] = "加强行政复议和应诉工作", "行政机关负责人出庭应诉率达到100%"
    prev["B5"], prev["C5"] = "推进执法信息化", "上线移动执法终端，执法全过程网上留痕"
    wb[MEASURES]["F3"] = "1"
    wb[MEASURES]["F5"] = 3  # 强化行政执法监督 answers plan 3
    wb.save(path)
    facts = load_facts(path)
    assert facts.previous_plan_texts() == ["加强规范性文件管理", "加强行政复议和应诉工作", "推进执法信息化"]
    m = facts.sections.measures
    assert m[0].answers == [1]
    assert m[1].answers == [3] and m[1].facts[-1] == "上线移动执法终端，执法全过程网上留痕"
    assert m[2].title == "加强行政复议和应诉工作" and m[2].answers == [2]
    assert m[2].facts == ["行政机关负责人出庭应诉率达到100%"]


def test_not_a_workbook_and_a_missing_sheet_are_clear_errors(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(FactsError) as e:
        load_facts(bad)
    assert "无法作为 Excel 工作簿打开" in e.value.message and ".xls" in e.value.hint
    path = tmp_path / "f.xlsx"
    path.write_bytes(template_bytes())
    wb = load_workbook(path)
    del wb[SHEET_PEOPLE]
    wb.save(path)
    with pytest.raises(FactsError) as e:
        load_facts(path)
    assert "缺少工作表“人员与机构”" in e.value.message


def test_facts_check_lists_every_problem(tmp_path, cli):
    path = tmp_path / "f.xlsx"
    path.write_bytes(template_bytes())
    res = cli("facts", "check", str(path))
    assert res.returncode == 2
    assert "发现 4 处填写错误" in res.stderr and "B8（成文日期）：未填写" in res.stderr
    assert "另有 4 处需要补充" in res.stderr  # the four mandated sections, still empty
    ok = cli("facts", "check", str(CORPUS / "shili-kegongxin" / "2023" / "facts.yaml"))
    assert ok.returncode == 0 and "填写正确" in ok.stdout
