"""The facts workbook as a clerk meets it: filled the way its own instructions say (no ids,
numbers typed in sentences, metrics chosen by name, 待核实), every problem listed in one
`drafter facts check` run in sheet/cell terms, plain one-line explanations, a filled example
that drafts to what it shows, and a blank workbook that prints on at most 12 pages."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from drafter.docx.convert import ConversionError, convert, soffice
from drafter.facts import load_facts
from drafter.facts.xlsx import template_bytes
from drafter.facts.xlsx_help import EXAMPLE_ITEMS, EXAMPLE_METRICS, EXAMPLE_SHORT, EXAMPLE_TEXT, HELP_LINES
from drafter.facts.xlsx_layout import (FIRST_ROW, HINT_ROW, ITEM_SHEETS, SHEET_INFO, SHEET_METRICS,
                                       SHEET_ORDER, SHEET_PEOPLE, SHEET_SHORT, table_cols)

MEASURES, LEADERSHIP, PLANS = ITEM_SHEETS["measures"], ITEM_SHEETS["leadership"], ITEM_SHEETS["plans"]
UNIT = "示例县市场监督管理局"


def put(ws, row: int, values: dict) -> None:
    """Write ``values`` (column header → value) into ``row``, finding each column by its header."""
    headers = {c.value: c.column for c in ws[1]}
    for header, value in values.items():
        ws.cell(row=row, column=headers[header]).value = value  # (value=None would not clear)


def info(ws, label: str, value) -> None:
    r = next(r for r in range(2, ws.max_row + 1) if str(ws.cell(row=r, column=1).value).startswith(label))
    ws.cell(row=r, column=2).value = value


def clerk_workbook(path: Path) -> Path:
    """A blank workbook filled in as its 填写说明 says: no ids anywhere, numbers written in the
    sentences, the few figures that add up in 数据指标 chosen by name, one cause 待核实."""
    path.write_bytes(template_bytes())
    wb = load_workbook(path)
    ws = wb[SHEET_INFO]
    for label, value in [("单位全称", UNIT), ("自称", "我局"), ("单位类型", "政府部门"),
                         ("主送机关", "中共示例县委、示例县人民政府"), ("报告年度", 2023),
                         ("成文日期", dt.datetime(2024, 2, 19)), ("上级领导机关", "县委、县政府")]:
        info(ws, label, value)
    m = wb[MEASURES]
    put(m, FIRST_ROW, {"标题": "加强规范性文件管理", "事实陈述": "全年审核行政规范性文件15件，提出修改意见36条，均被采纳"})
    put(m, FIRST_ROW + 1, {"事实陈述": "对照优化营商环境要求开展文件清理", "接上数据指标": "清理规范性文件"})
    put(m, FIRST_ROW + 2, {"标题": "提升行政执法水平",
                           "事实陈述": "聘请示例县正衡律师事务所律师周明担任法律顾问，审查执法案卷120卷"})
    put(m, FIRST_ROW + 3, {"事实陈述": "组织执法人员参加业务培训", "接上数据指标": "培训执法人员"})
    met = wb[SHEET_METRICS]
    for i, row in enumerate([
            {"指标名称": "清理规范性文件", "本年数值": 12, "单位": "件", "上年数值": 10, "各部分正好相加等于总数": "是"},
            {"指标名称": "继续有效", "本年数值": 9, "单位": "件", "属于哪个总数": "清理规范性文件"},
            {"指标名称": "废止", "本年数值": 3, "单位": "件", "属于哪个总数": "清理规范性文件"},
            {"指标名称": "培训执法人员", "本年数值": 260, "单位": "人次", "约数": "余"}]):
        put(met, FIRST_ROW + i, row)
    put(wb[LEADERSHIP], FIRST_ROW, {"标题": "履行推进法治建设第一责任人职责",
                                    "事实陈述": "局党组书记、局长主持召开党组会议专题研究法治建设4次"})
    s = wb[SHEET_SHORT]
    put(s, FIRST_ROW, {"问题": "执法监督手段还比较单一", "原因": "执法信息化建设相对滞后"})
    put(s, FIRST_ROW + 1, {"原因": "专职法制审核力量不足", "待核实": "是"})
    put(wb[PLANS], FIRST_ROW, {"标题": "深化包容审慎监管", "事实陈述": "修订完善轻微违法行为不予处罚清单"})
    put(wb[SHEET_PEOPLE], FIRST_ROW, {"类别": "人员", "姓名或名称": "周明", "角色": "法律顾问",
                                      "所在单位": "示例县正衡律师事务所", "职务": "律师"})
    wb.save(path)
    return path


def test_a_clerk_fills_it_as_told_and_gets_a_draft_without_errors(tmp_path, cli):
    path = clerk_workbook(tmp_path / "事实采集表.xlsx")
    res = cli("facts", "check", str(path))
    assert res.returncode == 0 and "填写正确" in res.stdout, res.stderr
    out = tmp_path / "报告.docx"
    res = cli("draft", str(path), "-o", str(out))
    assert res.returncode == 0, res.stdout + res.stderr
    assert "草稿审核：0 个错误" in res.stdout and "待核实 1 处" in res.stdout
    check = cli("check", str(out), "--facts", str(path))
    assert check.returncode == 0, check.stdout  # no error finding, checked against the facts
    import docx

    document = docx.Document(str(out))
    text = "".join(p.text for p in document.paragraphs)
    for phrase in ("全年审核行政规范性文件15件，提出修改意见36条，均被采纳",  # typed in the sentence
                   "对照优化营商环境要求开展文件清理，清理规范性文件12件，其中继续有效9件、废止3件",
                   "组织执法人员参加业务培训，培训执法人员260余人次",
                   "审查执法案卷120卷", "专职法制审核力量不足"):
        assert phrase in text, phrase
    assert [c.text for c in document.comments] == ["待核实：专职法制审核力量不足"]
    facts = load_facts(path)  # ids made up (from the row) only where something refers to one
    assert [m.id for m in facts.metrics] == ["m3", None, None, "m6"]
    assert facts.metrics[1].part_of == "m3"


def test_five_mistakes_are_listed_in_one_run_by_sheet_and_cell(tmp_path, cli):
    path = clerk_workbook(tmp_path / "f.xlsx")
    wb = load_workbook(path)
    info(wb[SHEET_INFO], "成文日期", None)  # 1 the date left empty
    met = wb[SHEET_METRICS]
    put(met, FIRST_ROW + 2, {"本年数值": 30})  # 2 a part (废止30件) larger than its total (12)
    put(met, FIRST_ROW + 3, {"本年数值": "二百六十"})  # 3 not a number
    put(met, FIRST_ROW, {"上年数值": -10})  # 4 negative
    put(wb[SHEET_SHORT], FIRST_ROW + 2, {"问题": "普法宣传针对性不强"})  # 5 a problem without causes
    wb.save(path)
    res = cli("facts", "check", str(path))
    assert res.returncode == 2 and "Traceback" not in res.stderr
    expected = ["工作表“基本信息”单元格 B8（成文日期）：未填写",
                f"工作表“数据指标”单元格 C{FIRST_ROW}（本年数值）：各部分合计39件超过总数12件",
                f"工作表“数据指标”单元格 F{FIRST_ROW}（上年数值）：不能为负数",
                f"工作表“数据指标”单元格 C{FIRST_ROW + 3}（本年数值）：应为数字",
                f"工作表“问题与原因”单元格 D{FIRST_ROW + 2}（原因）：未填写原因"]
    for phrase in expected:
        assert phrase in res.stderr, (phrase, res.stderr)
    assert "发现 4 处填写错误" in res.stderr and "另有 1 处需要补充" in res.stderr
    listed = [line for line in res.stderr.splitlines() if line.startswith("  - ")]
    assert len(listed) == 5  # nothing else: no complaint about the stand-ins for bad values


def test_draft_cli_names_the_first_problem_and_counts_the_rest(tmp_path, cli):
    path = clerk_workbook(tmp_path / "f.xlsx")
    wb = load_workbook(path)
    info(wb[SHEET_INFO], "成文日期", None)
    put(wb[SHEET_METRICS], FIRST_ROW + 3, {"本年数值": "二百六十"})
    wb.save(path)
    res = cli("draft", str(path), "-o", str(tmp_path / "r.docx"))
    assert res.returncode == 2 and "B8（成文日期）：未填写（另有1处问题）" in res.stderr


def test_yaml_users_keep_field_paths_and_get_every_problem_too(tmp_path, cli):
    from tests.facts_cases import BASE

    text = (BASE.replace("value: 5,", 'value: "五",')  # a type error (pydantic)
            .replace("date: 2024-02-20", "date: 2024-04-15")  # outside the first quarter
            .replace("value: 3,", "value: 9,")  # parts exceed the total
            .replace("      causes: [对企业法律需求调研不够]", "      causes: []")  # a notice
            .replace("        - 全年{docs}", "        - 全年{docs}，另清理规范性文件11件"))  # typed ≠ facts
    path = tmp_path / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    res = cli("facts", "check", str(path))
    assert res.returncode == 2
    for phrase in (f"{path}:7：字段 date：成文日期2024年4月15日不在2024年第一季度",
                   f"{path}:11：字段 metrics[0].value：分项合计",
                   f"{path}:14：字段 metrics[1].value：应为数字",
                   f"{path}:23：字段 sections.measures[0].facts[0]：句中写“清理规范性文件11件”",
                   f"{path}:29：字段 sections.shortcomings[0].causes：未填写原因"):
        assert phrase in res.stderr, (phrase, res.stderr)


def test_every_column_and_term_is_explained_in_plain_chinese(tmp_path):
    path = tmp_path / "blank.xlsx"
    path.write_bytes(template_bytes())
    wb = load_workbook(path)
    jargon = re.compile(r"[{}]|part_of|exhaustive|yaml|(?<!_)gb2312|modern|分项穷尽|语料库|字体方案", re.I)
    shown = []
    for sheet in SHEET_ORDER:
        ws = wb[sheet]
        if ws.sheet_state == "hidden":
            continue
        if sheet in ITEM_SHEETS.values() or sheet in (SHEET_METRICS, SHEET_SHORT, SHEET_PEOPLE, "去年计划落实"):
            for col in table_cols(sheet):
                if col.hidden:
                    continue
                letter = next(c.column_letter for c in ws[1] if c.value == col.header)
                hint = ws[f"{letter}{HINT_ROW}"].value
                assert hint and "\n" not in hint and len(hint) <= 60, (sheet, col.header, hint)
                shown += [col.header, hint]
        else:
            shown += [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    bad = [t for t in shown if jargon.search(t) and "drafter" not in t]
    assert bad == []
    help_text = "\n".join(t for _, t in HELP_LINES)
    for term in ("主送机关", "成文日期", "自称", "加盖印章", "发文字号", "第一责任人", "数据指标", "约数",
                 "上年数值", "回应去年计划", "待核实"):
        assert re.search(rf"^{term}：", help_text, re.M), term
    assert "数字直接写在句子里" in help_text  # numbers need not go to 数据指标


def test_the_example_sheet_drafts_to_what_it_shows(tmp_path):
    from drafter.pipeline import draft

    path = tmp_path / "example.xlsx"
    path.write_bytes(template_bytes())
    wb = load_workbook(path)
    for label, value in [("单位全称", UNIT), ("主送机关", "示例县人民政府"), ("报告年度", 2023),
                         ("成文日期", dt.datetime(2024, 2, 19))]:
        info(wb[SHEET_INFO], label, value)
    for sheet, rows in ((MEASURES, EXAMPLE_ITEMS), (SHEET_METRICS, EXAMPLE_METRICS),
                        (SHEET_SHORT, EXAMPLE_SHORT)):
        cols = {c.key: c.header for c in table_cols(sheet)}
        for i, row in enumerate(rows):
            put(wb[sheet], FIRST_ROW + i, {cols[k]: v for k, v in row.items()})
    wb.save(path)
    result = draft(path, tmp_path / "example.docx")
    for phrase in EXAMPLE_TEXT:
        assert phrase in result.report.text, phrase
    assert [c["text"] for c in result.confirms] == ["组织执法人员参加业务培训，培训执法人员260余人次",
                                                    "专职法制审核力量不足"]
    example = load_workbook(path)["填写示例"]
    shown = " ".join(str(c.value) for row in example.iter_rows() for c in row if c.value)
    assert all(phrase in shown for phrase in EXAMPLE_TEXT)


def test_a_workbook_made_before_still_reads(tmp_path):
    """Older workbooks: 列出的指标 held ids listed after the item's statements."""
    path = clerk_workbook(tmp_path / "old.xlsx")
    wb = load_workbook(path)
    m = wb[MEASURES]
    m["D1"] = "列出的指标"
    m[f"D{FIRST_ROW}"] = "trainees"
    m[f"D{FIRST_ROW + 1}"] = m[f"D{FIRST_ROW + 3}"] = None
    wb[SHEET_METRICS][f"A{FIRST_ROW + 3}"] = "trainees"
    wb.save(path)
    facts = load_facts(path)
    assert facts.sections.measures[0].metrics == ["trainees"]


def _calc() -> bool:
    exe = soffice()
    return exe is not None and any(Path(exe).resolve().parent.glob("libsclo.so"))


@pytest.mark.skipif(not _calc(), reason="LibreOffice Calc (libreoffice-calc-nogui) not installed")
def test_the_blank_workbook_prints_on_at_most_12_pages(tmp_path, cli):
    out = tmp_path / "事实采集表.xlsx"
    assert cli("facts", "template", "-o", str(out)).returncode == 0
    try:
        pdf = convert(out, "pdf", tmp_path / "pdf")
    except ConversionError as e:
        pytest.fail(str(e))
    info_ = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info_).group(1))
    print(f"\nblank workbook: {pages} printed pages")
    assert pages <= 12
