"""Write a facts workbook: the empty template, one pre-filled from last year, or a facts file.

All three go through :class:`WorkbookRows` (plain values per sheet) and :func:`build_workbook`,
which lays out every sheet the same way: a header row and a grey hint row (both frozen), column
widths, data validation (numbers, units, 约数, 是/否, section names, 人员/机构, year, date) and an
instructions sheet, so a 科室 can fill it in without asking us.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from drafter.facts.xlsx_layout import (
    APPROX, COMMON_UNITS, FIRST_ROW, HEADER_ROW, HINT_ROW, INFO_FIELDS, ITEM_SHEETS, KINDS,
    METRIC_COLS, PEOPLE_COLS, PREV_COLS, SHEET_HELP, SHEET_INFO, SHEET_LISTS,
    SHEET_METRICS, SHEET_ORDER, SHEET_PEOPLE, SHEET_PREV, SHEET_SHORT, SHORT_COLS, UNIT_TYPES,
    VALIDATION_ROWS, YES_NO, Col, table_cols)

Row = dict[str, Any]


@dataclass
class WorkbookRows:
    """What goes into the sheets: ``info`` by 基本信息 label, table rows by column key,
    ``comments`` (sheet, row index, column key) → a cell comment."""

    info: dict[str, Any] = field(default_factory=dict)
    items: dict[str, list[Row]] = field(default_factory=dict)  # section key -> rows
    shortcomings: list[Row] = field(default_factory=list)
    metrics: list[Row] = field(default_factory=list)
    people: list[Row] = field(default_factory=list)
    previous: list[Row] = field(default_factory=list)
    comments: dict[tuple[str, int, str], str] = field(default_factory=dict)


# ---- from a facts model ---------------------------------------------------------------------

def rows_from_facts(facts: Any) -> WorkbookRows:
    from drafter.facts.model import Metric

    u = facts.unit
    rows = WorkbookRows(info={
        "单位全称": u.name, "自称": u.short,
        "单位类型": next(k for k, v in UNIT_TYPES.items() if v == u.type), "语料库编号": u.slug,
        "上级领导机关": u.superior, "主送机关": "、".join(facts.recipients), "报告年度": facts.year,
        "成文日期": facts.date, "地方口径": facts.profile, "字体方案": facts.font_profile,
        "开头概述": facts.overview})
    rows.metrics = [_metric_row(m) for m in facts.metrics]
    for key, sheet in ITEM_SHEETS.items():
        out: list[Row] = []
        for i, item in enumerate(facts.sections.items(key)):
            tokens = []
            for m in item.metrics:
                if isinstance(m, Metric):
                    rows.metrics.append(_metric_row(m, sheet, i + 1))
                    if m.id:
                        tokens.append(m.id)
                else:
                    tokens.append(m)
            first = {"title": item.title, "fact": item.facts[0] if item.facts else None,
                     "metrics": "、".join(tokens) or None,
                     "answers": "、".join(str(n) for n in item.answers) or None,
                     "outcome": item.outcome}
            out.append(first)
            out.extend({"fact": f} for f in item.facts[1:])
        rows.items[key] = out
    for item in facts.sections.shortcomings:
        rows.shortcomings.append({"title": item.title, "problem": item.problem,
                                  "cause": item.causes[0] if item.causes else None})
        rows.shortcomings.extend({"cause": c} for c in item.causes[1:])
    rows.people = [{"kind": "人员", "id": p.id, "name": p.name, "role": p.role, "org": p.org,
                    "title": p.title} for p in facts.people]
    rows.people += [{"kind": "机构", "id": o.id, "name": o.name, "role": o.role}
                    for o in facts.organisations]
    rows.people += [{"kind": "文件", "id": d.id, "name": d.title, "org": d.issuer, "number": d.number}
                    for d in facts.documents]
    rows.previous = [{"text": t} for t in facts.previous_plan_texts() or []]
    return rows


def _metric_row(m: Any, sheet: str | None = None, item: int | None = None) -> Row:
    return {"id": m.id, "label": m.label, "value": m.value, "unit": m.unit, "approx": m.approx,
            "previous_value": m.previous_value, "part_of": m.part_of,
            "exhaustive": "是" if m.exhaustive else None, "section": sheet, "item": item}


# ---- the workbook ---------------------------------------------------------------------------

def build_workbook(rows: WorkbookRows) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    sheets = {name: wb.create_sheet(name) for name in SHEET_ORDER}
    lists = _write_lists(sheets[SHEET_LISTS])
    _write_help(sheets[SHEET_HELP])
    _write_info(sheets[SHEET_INFO], rows.info, lists)
    for key, name in ITEM_SHEETS.items():
        _write_table(sheets[name], table_cols(name), rows.items.get(key, []), lists, rows.comments,
                     number_by="title")
    _write_table(sheets[SHEET_SHORT], SHORT_COLS, rows.shortcomings, lists, rows.comments,
                 number_by="problem")
    _write_table(sheets[SHEET_METRICS], METRIC_COLS, rows.metrics, lists, rows.comments)
    _write_table(sheets[SHEET_PEOPLE], PEOPLE_COLS, rows.people, lists, rows.comments)
    _write_table(sheets[SHEET_PREV], PREV_COLS, rows.previous, lists, rows.comments,
                 number_by="text")
    wb.active = wb.sheetnames.index(SHEET_INFO)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="A6A6A6")
    return {"header_font": Font(bold=True), "header_fill": PatternFill("solid", fgColor="DDEBF7"),
            "hint_font": Font(italic=True, color="7F7F7F", size=9),
            "border": Border(left=thin, right=thin, top=thin, bottom=thin),
            "wrap": Alignment(wrap_text=True, vertical="top"),
            "title_font": Font(bold=True, size=14), "grey_font": Font(color="7F7F7F")}


def _write_lists(ws) -> dict[str, str]:
    """The hidden sheet with the options of every drop-down list; returns list → range."""
    from drafter.docx.fonts import PROFILES

    options = {"unit": list(COMMON_UNITS), "approx": list(APPROX), "yesno": list(YES_NO),
               "section": list(ITEM_SHEETS.values()), "kind": list(KINDS),
               "type": list(UNIT_TYPES), "font": list(PROFILES)}
    refs = {}
    for col, (name, values) in enumerate(options.items(), start=1):
        letter = ws.cell(row=1, column=col).column_letter
        ws.cell(row=1, column=col, value=name)
        for r, v in enumerate(values, start=2):
            ws.cell(row=r, column=col, value=v)
        refs[name] = f"'{SHEET_LISTS}'!${letter}$2:${letter}${len(values) + 1}"
    ws.sheet_state = "hidden"
    return refs


def _validation(kind: str, lists: dict[str, str]):
    from openpyxl.worksheet.datavalidation import DataValidation

    if kind == "number":
        return DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                              errorTitle="应为数字", error="只填数字（如 12 或 96.4），不带单位；约数在“约数”列选择",
                              showErrorMessage=True)
    if kind == "positive":
        return DataValidation(type="whole", operator="greaterThanOrEqual", formula1="1",
                              errorTitle="应为序号", error="填写正整数，如 1", showErrorMessage=True)
    if kind == "year":
        return DataValidation(type="whole", operator="between", formula1="2000", formula2="2100",
                              errorTitle="应为年份", error="填写四位数字年份，如 2023", showErrorMessage=True)
    if kind == "date":
        return DataValidation(type="date", operator="between", formula1="36526", formula2="73415",
                              errorTitle="应为日期", error="填写日期，如 2024-02-20", showErrorMessage=True)
    dv = DataValidation(type="list", formula1=lists[kind], allow_blank=True, showErrorMessage=True,
                        errorTitle="请从下拉列表选择", error="请从下拉列表中选择")
    if kind == "unit":  # uncommon units are allowed after a warning
        dv.errorStyle = "warning"
        dv.error = "不是常用单位，确认使用请点“是”"
    return dv


def _write_info(ws, info: dict[str, Any], lists: dict[str, str]) -> None:
    st = _styles()
    for c, (head, width) in enumerate((("项目", 16), ("填写内容", 48), ("说明", 60)), start=1):
        cell = ws.cell(row=1, column=c, value=head)
        cell.font, cell.fill, cell.border = st["header_font"], st["header_fill"], st["border"]
        ws.column_dimensions[cell.column_letter].width = width
    for r, f in enumerate(INFO_FIELDS, start=2):
        label = ws.cell(row=r, column=1, value=f.label + ("（必填）" if f.required else ""))
        label.font, label.border = st["header_font"], st["border"]
        value = info.get(f.label)
        cell = ws.cell(row=r, column=2, value=value)
        cell.border, cell.alignment = st["border"], st["wrap"]
        if f.kind == "date":
            cell.number_format = "yyyy-mm-dd"
        hint = ws.cell(row=r, column=3, value=f.hint)
        hint.font, hint.alignment = st["hint_font"], st["wrap"]
        kind = {"int": "year", "date": "date", "type": "type", "font": "font"}.get(f.kind)
        if kind:
            dv = _validation(kind, lists)
            ws.add_data_validation(dv)
            dv.add(cell.coordinate)
    ws.freeze_panes = "A2"


def _write_table(ws, cols: tuple[Col, ...], rows: list[Row], lists: dict[str, str],
                 comments: dict[tuple[str, int, str], str], number_by: str | None = None) -> None:
    from openpyxl.comments import Comment

    st = _styles()
    letters = {}
    for c, col in enumerate(cols, start=1):
        head = ws.cell(row=HEADER_ROW, column=c, value=col.header)
        head.font, head.fill, head.border, head.alignment = (st["header_font"], st["header_fill"],
                                                             st["border"], st["wrap"])
        hint = ws.cell(row=HINT_ROW, column=c, value=col.hint)
        hint.font, hint.alignment = st["hint_font"], st["wrap"]
        letters[col.key] = head.column_letter
        ws.column_dimensions[head.column_letter].width = col.width
    ws.row_dimensions[HINT_ROW].height = 42
    last = FIRST_ROW + max(VALIDATION_ROWS, len(rows) + 50) - 1
    for i, row in enumerate(rows):
        r = FIRST_ROW + i
        for c, col in enumerate(cols, start=1):
            if col.key in row and row[col.key] is not None and col.key != "no":
                cell = ws.cell(row=r, column=c, value=row[col.key])
                cell.alignment = st["wrap"]
            note = comments.get((ws.title, i, col.key))
            if note:
                ws.cell(row=r, column=c).comment = Comment(note, "drafter")
    if number_by and "no" in letters:  # 序号: counts the rows that start an item
        key = letters[number_by]
        for r in range(FIRST_ROW, last + 1):
            cell = ws.cell(row=r, column=1,
                           value=f'=IF({key}{r}<>"",COUNTA(${key}${FIRST_ROW}:{key}{r}),"")')
            cell.font = st["grey_font"]
    for col in cols:
        if col.validation:
            dv = _validation(col.validation, lists)
            ws.add_data_validation(dv)
            dv.add(f"{letters[col.key]}{FIRST_ROW}:{letters[col.key]}{last}")
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=1).coordinate


HELP_LINES: tuple[tuple[str, str], ...] = (
    ("title", "法治政府建设年度报告 事实采集表 填写说明"),
    ("", "本表收集本单位本年度法治政府建设的事实和数据，由起草人员汇总后用 drafter 生成报告初稿："
         "drafter draft 事实采集表.xlsx。报告中的每一个数字、人名都来自本表，请如实、准确填写。"),
    ("", "每张表第1行是列名，第2行（灰色斜体）是填法提示，从第3行起填写；不要改动列名，不要合并单元格。"
         "带下拉箭头的单元格请从列表中选择。"),
    ("head", "各表填什么"),
    ("", f"【{SHEET_INFO}】单位全称、主送机关、报告年度、成文日期等，带“（必填）”的必须填写。"),
    ("", f"【{SHEET_PREV}】上一年度报告中“下一年度主要安排”的各项。在“今年落实情况”中写明今年做了什么；"
         f"已在“{ITEM_SHEETS['measures']}”等表中写过的，在那里的“回应去年计划”列填上本表的序号即可。"),
    ("", f"【{ITEM_SHEETS['measures']}】本年主要举措和成效。每项工作在“标题”列写一个标题，"
         "“事实陈述”一格写一句；同一项的更多陈述写在下面的行，标题留空。"
         "“成效”可不填，填写时一句话写在标题所在行，起草为本项的结束句。"),
    ("", f"【{SHEET_METRICS}】所有数字。每个指标一行：编号（字母、数字、下划线）、名称、本年数值（只填数字）、"
         "单位、约数（260余人次选“余”，约300人选“约”）、上年数值（填了才能写同比）。"
         "分项（如“继续有效”“修改”“废止”）在“属于（总数编号）”填总数的编号；分项合计恰好等于总数时，"
         "在总数一行的“分项穷尽”选“是”。本年没有的指标请删除整行。"),
    ("", "在陈述中引用数字：写 {编号}，生成“名称+数量”（如 {inspections} → 开展“双随机、一公开”抽查94家次）；"
         "{编号.value} 只写数量；{编号.yoy} 写同比变化（如“同比增长9.3%”，由本年和上年数值计算，"
         "保留一位小数，四舍五入）；{编号.trend} 写“较上年的86家次有所增加”。"),
    ("", f"【{ITEM_SHEETS['leadership']}】党政主要负责人履行推进法治建设第一责任人职责的情况，填法同上。"),
    ("", f"【{SHEET_SHORT}】存在的不足和原因：每个问题一行，“原因”一格一条，同一问题的更多原因写在下面的行。"
         "原因不能空着，否则报告中会出现【待补充：原因】。"),
    ("", f"【{ITEM_SHEETS['plans']}】下一年度主要安排，填法同“{ITEM_SHEETS['measures']}”。"),
    ("", f"【{ITEM_SHEETS['other']}】其他需要报告的情况，没有可不填。"),
    ("", f"【{SHEET_PEOPLE}】报告中点名的人员（如法律顾问）和机构：姓名全文只此一种写法；"
         "编号可用于陈述中的 {编号}（人员）或 {编号.full}（单位、职务和姓名）。"
         "引用的文件选类别“文件”，名称不加书名号，发文机关填在“所在单位”，文号填在“文号”；"
         "陈述中写 {编号}，起草为“《名称》（文号）”。"),
    ("head", "填好以后"),
    ("", "起草人员运行 drafter draft 事实采集表.xlsx；如有填写错误，程序会指出是哪张表、哪个单元格、什么问题，"
         "改正后重新运行即可。也可用 drafter facts convert 事实采集表.xlsx -o facts.yaml 转成 YAML 文件。"),
)


def _write_help(ws) -> None:
    st = _styles()
    ws.column_dimensions["A"].width = 120
    for r, (style, text) in enumerate(HELP_LINES, start=1):
        cell = ws.cell(row=r, column=1, value=text)
        cell.alignment = st["wrap"]
        if style == "title":
            cell.font = st["title_font"]
        elif style == "head":
            cell.font = st["header_font"]
    ws.sheet_view.showGridLines = False
