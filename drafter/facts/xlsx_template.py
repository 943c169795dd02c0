"""Write a facts workbook: the empty template, one pre-filled from last year, or a facts file.

All three go through :class:`WorkbookRows` (plain values per sheet) and :func:`build_workbook`,
which lays out every sheet the same way: a header row and a grey hint row of one plain line
per column (both frozen), column widths, data validation (numbers, units, 约数, 是/否, the
metric names of 数据指标, 人员/机构, year, date), hidden columns for what the program fills in
(ids), print areas and page setup (the blank workbook prints on a dozen pages), an
instructions sheet (:mod:`drafter.facts.xlsx_help`) and a filled example.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from drafter.facts.xlsx_layout import (
    APPROX, COMMON_UNITS, FIRST_ROW, FONT_CHOICES, HEADER_ROW, HINT_ROW, INFO_FIELDS, ITEM_SHEETS,
    KINDS, METRIC_COLS, PEOPLE_COLS, PREV_COLS, PRINT_ROWS, SHEET_EXAMPLE, SHEET_HELP, SHEET_INFO,
    SHEET_LISTS, SHEET_METRICS, SHEET_ORDER, SHEET_PEOPLE, SHEET_PREV, SHEET_SHORT, SHORT_COLS,
    UNIT_TYPES, VALIDATION_ROWS, YES_NO, Col, table_cols)

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
    from drafter.facts.model import Metric, text_of, to_confirm

    u = facts.unit
    rows = WorkbookRows(info={
        "单位全称": u.name, "自称": u.short,
        "单位类型": next(k for k, v in UNIT_TYPES.items() if v == u.type), "往年资料文件夹": u.slug,
        "上级领导机关": u.superior, "主送机关": "、".join(facts.recipients), "报告年度": facts.year,
        "成文日期": facts.date, "地方口径": facts.profile, "字体": facts.font_profile,
        "开头概述": facts.overview, "加盖印章": "是" if facts.layout.seal else None,
        "发文字号": facts.doc_number})
    rows.metrics = [_metric_row(m) for m in facts.metrics]
    for key, sheet in ITEM_SHEETS.items():
        out: list[Row] = []
        for i, item in enumerate(facts.sections.items(key)):
            links = []
            for m in item.metrics:
                if isinstance(m, Metric):
                    rows.metrics.append(_metric_row(m, sheet, i + 1))
                    if m.id:
                        links.append(m.id)
                else:
                    links.append(m)
            # The title row carries the first statement (or, without any, the first metric);
            # metrics listed after the statements go on rows of their own, without a statement.
            lines: list[Row] = [{"fact": text_of(f), "confirm": "是" if to_confirm(f) else None}
                                for f in item.facts]
            lines += [{"metric": ref} for ref in links]
            first = lines[0] if lines else {}
            first.update(title=item.title,
                         answers="、".join(str(n) for n in item.answers) or None,
                         outcome=item.outcome)
            out += [first] + lines[1:]
        rows.items[key] = out
    for item in facts.sections.shortcomings:
        causes = [{"cause": text_of(c), "confirm": "是" if to_confirm(c) else None}
                  for c in item.causes] or [{}]
        causes[0].update(title=item.title, problem=item.problem)
        rows.shortcomings += causes
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
            "exhaustive": "是" if m.exhaustive else None, "confirm": "是" if m.confirm else None,
            "section": sheet, "item": item}


def _names_for_ids(rows: WorkbookRows) -> None:
    """Metric references (属于哪个总数, 接上数据指标) shown by name where the name is unique —
    what the drop-down offers — and by id otherwise (the reader takes either)."""
    labels: dict[str, list[str]] = {}
    for m in rows.metrics:
        if m.get("label"):
            labels.setdefault(str(m["label"]), []).append(m.get("id") or "")
    by_id = {ids[0]: label for label, ids in labels.items() if len(ids) == 1 and ids[0]}

    def name(ref: Any) -> Any:
        return by_id.get(ref, ref) if isinstance(ref, str) else ref

    for m in rows.metrics:
        m["part_of"] = name(m.get("part_of"))
    for sheet_rows in rows.items.values():
        for r in sheet_rows:
            if r.get("metric"):
                r["metric"] = name(r["metric"])


# ---- the workbook ---------------------------------------------------------------------------

def build_workbook(rows: WorkbookRows) -> bytes:
    from openpyxl import Workbook

    from drafter.facts.xlsx_help import write_example, write_help

    _names_for_ids(rows)
    wb = Workbook()
    wb.remove(wb.active)
    sheets = {name: wb.create_sheet(name) for name in SHEET_ORDER}
    lists = _write_lists(sheets[SHEET_LISTS])
    write_help(sheets[SHEET_HELP])
    write_example(sheets[SHEET_EXAMPLE])
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


def styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="A6A6A6")
    return {"header_font": Font(bold=True), "header_fill": PatternFill("solid", fgColor="DDEBF7"),
            "hint_font": Font(italic=True, color="7F7F7F", size=9),
            "border": Border(left=thin, right=thin, top=thin, bottom=thin),
            "wrap": Alignment(wrap_text=True, vertical="top"),
            "title_font": Font(bold=True, size=14), "grey_font": Font(color="7F7F7F"),
            "example_fill": PatternFill("solid", fgColor="F2F2F2")}


def wrapped_height(texts: list[str], widths: list[float], line_pt: float = 12.5) -> float:
    """Points a row of wrapped cells needs (spreadsheets do not grow a row written without a
    height when they print): lines per cell counted with a Chinese character two width units."""
    import math

    lines = 1
    for text, width in zip(texts, widths):
        units = sum(1 if ch.isascii() else 2 for ch in str(text or ""))
        lines = max(lines, math.ceil(units / max(1.0, width - 1.5)))
    return round(lines * line_pt + 4, 1)


def print_setup(ws, landscape: bool, last_row: int, last_col: str, titles: str | None) -> None:
    """A4, one page wide, the print area the rows in use (or a few blank ones), the header
    (and hint) rows on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_area = f"A1:{last_col}{last_row}"
    if titles:
        ws.print_title_rows = titles
    ws.oddFooter.center.text = "&A　第 &P 页"


def _write_lists(ws) -> dict[str, str]:
    """The hidden sheet with the options of every drop-down list; returns list → range."""
    options = {"unit": list(COMMON_UNITS), "approx": list(APPROX), "yesno": list(YES_NO),
               "section": list(ITEM_SHEETS.values()), "kind": list(KINDS),
               "type": list(UNIT_TYPES), "font": list(FONT_CHOICES)}
    refs = {}
    for col, (name, values) in enumerate(options.items(), start=1):
        letter = ws.cell(row=1, column=col).column_letter
        ws.cell(row=1, column=col, value=name)
        for r, v in enumerate(values, start=2):
            ws.cell(row=r, column=col, value=v)
        refs[name] = f"'{SHEET_LISTS}'!${letter}$2:${letter}${len(values) + 1}"
    label = next(i for i, c in enumerate(METRIC_COLS, start=1) if c.key == "label")
    letter = ws.cell(row=1, column=label).column_letter
    refs["metric"] = (f"'{SHEET_METRICS}'!${letter}${FIRST_ROW}:"
                      f"${letter}${FIRST_ROW + VALIDATION_ROWS - 1}")
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
    if kind == "metric":
        dv.error = "请选择“数据指标”表中已填写的指标名称"
    return dv


def _write_info(ws, info: dict[str, Any], lists: dict[str, str]) -> None:
    st = styles()
    for c, (head, width) in enumerate((("项目", 16), ("填写内容", 46), ("说明", 64)), start=1):
        cell = ws.cell(row=1, column=c, value=head)
        cell.font, cell.fill, cell.border = st["header_font"], st["header_fill"], st["border"]
        ws.column_dimensions[cell.column_letter].width = width
    fonts = {v: k for k, v in FONT_CHOICES.items()}
    for r, f in enumerate(INFO_FIELDS, start=2):
        label = ws.cell(row=r, column=1, value=f.label + ("（必填）" if f.required else ""))
        label.font, label.border = st["header_font"], st["border"]
        value = next((info[k] for k in (f.label, *f.aliases) if info.get(k) is not None), None)
        if f.kind == "font":
            value = fonts.get(value, value)
        cell = ws.cell(row=r, column=2, value=value)
        cell.border, cell.alignment = st["border"], st["wrap"]
        if f.kind == "date":
            cell.number_format = "yyyy-mm-dd"
        hint = ws.cell(row=r, column=3, value=f.hint)
        hint.font, hint.alignment = st["hint_font"], st["wrap"]
        ws.row_dimensions[r].height = max(22.0, wrapped_height([f.hint], [64], 11.5))
        kind = {"int": "year", "date": "date", "type": "type", "font": "font",
                "yesno": "yesno"}.get(f.kind)
        if kind:
            dv = _validation(kind, lists)
            ws.add_data_validation(dv)
            dv.add(cell.coordinate)
    ws.freeze_panes = "A2"
    print_setup(ws, False, len(INFO_FIELDS) + 1, "C", None)
    ws.print_options.gridLines = True


def _write_table(ws, cols: tuple[Col, ...], rows: list[Row], lists: dict[str, str],
                 comments: dict[tuple[str, int, str], str], number_by: str | None = None) -> None:
    from openpyxl.comments import Comment

    st = styles()
    letters = {}
    for c, col in enumerate(cols, start=1):
        head = ws.cell(row=HEADER_ROW, column=c, value=col.header)
        head.font, head.fill, head.border, head.alignment = (st["header_font"], st["header_fill"],
                                                             st["border"], st["wrap"])
        hint = ws.cell(row=HINT_ROW, column=c, value=col.hint)
        hint.font, hint.alignment = st["hint_font"], st["wrap"]
        letters[col.key] = head.column_letter
        ws.column_dimensions[head.column_letter].width = col.width
        ws.column_dimensions[head.column_letter].hidden = col.hidden
    # the hint (9 pt) row as high as its longest hint needs; blank rows high enough to write in
    ws.row_dimensions[HINT_ROW].height = wrapped_height([c.hint for c in cols],
                                                        [c.width for c in cols], 11.5)
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
    printed = FIRST_ROW + max(PRINT_ROWS, len(rows)) - 1
    for r in range(FIRST_ROW + len(rows), printed + 1):
        ws.row_dimensions[r].height = 22
    print_setup(ws, True, printed, letters[cols[-1].key], f"{HEADER_ROW}:{HINT_ROW}")
    ws.print_options.gridLines = True  # a blank table prints as a form to fill in by hand
