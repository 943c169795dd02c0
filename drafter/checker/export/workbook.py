"""The 审核意见表 as an Excel workbook: sheet 审核意见 (one row per finding group, frozen header,
filters, column widths, wrapped text, printed landscape with the header on every page) and
sheet 汇总 (one row per unit: errors, warnings and infos, findings by category, on time or late).
"""

from __future__ import annotations

import io

from drafter.checker.export.rows import COLUMNS, ReviewRow, UnitSummary
from drafter.checker.finding import CATEGORY_LABELS, SEVERITY_LABELS

SHEET_ROWS = "审核意见"
SHEET_SUMMARY = "汇总"
# Column widths (characters) in COLUMNS order.
WIDTHS = (6, 24, 20, 10, 16, 9, 7, 9, 28, 44, 32, 10)
_SEVERITY_FILL = {"error": "FDE2E1", "warning": "FFF2CC", "info": "DDEBF7"}


def workbook_bytes(rows: list[ReviewRow], units: list[UnitSummary], title: str) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_ROWS
    _rows_sheet(ws, rows, title)
    _summary_sheet(wb.create_sheet(SHEET_SUMMARY), units)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="A6A6A6")
    return {"head_font": Font(bold=True), "head_fill": PatternFill("solid", fgColor="D9E1F2"),
            "border": Border(left=thin, right=thin, top=thin, bottom=thin),
            "wrap": Alignment(wrap_text=True, vertical="top"),
            "center": Alignment(horizontal="center", vertical="top", wrap_text=True),
            "fill": {k: PatternFill("solid", fgColor=v) for k, v in _SEVERITY_FILL.items()}}


def _header(ws, names, st) -> None:
    for c, name in enumerate(names, start=1):
        cell = ws.cell(row=1, column=c, value=name)
        cell.font, cell.fill, cell.border, cell.alignment = (st["head_font"], st["head_fill"],
                                                             st["border"], st["center"])
    ws.freeze_panes = "A2"


def _print_setup(ws, landscape: bool = True) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"  # the header on every printed page


def row_height(values, widths, line_pt: float = 15.0) -> float:
    """The height (points) a row of wrapped cells needs: Excel and LibreOffice do not grow
    rows written without a height when they print, so the lines are counted here (a Chinese
    character is two width units, a Latin one)."""
    import math

    lines = 1
    for value, width in zip(values, widths):
        text = str(value or "")
        units = sum(1 if ch.isascii() else 2 for ch in text)
        lines = max(lines, math.ceil(units / max(1.0, width - 1)))
    return round(lines * line_pt + 3, 1)


def _rows_sheet(ws, rows: list[ReviewRow], title: str) -> None:
    from openpyxl.utils import get_column_letter

    st = _styles()
    _header(ws, COLUMNS, st)
    for i, row in enumerate(rows, start=2):
        for c, value in enumerate(row.values(), start=1):
            cell = ws.cell(row=i, column=c, value=value)
            cell.border = st["border"]
            cell.alignment = st["center"] if c in (1, 4, 6, 7, 8, 12) else st["wrap"]
        ws.cell(row=i, column=7).fill = st["fill"][row.severity]
        ws.row_dimensions[i].height = row_height(row.values(), WIDTHS)
    for c, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    last = get_column_letter(len(COLUMNS))
    ws.auto_filter.ref = f"A1:{last}{max(1, len(rows)) + 1}"
    _print_setup(ws)
    ws.oddHeader.center.text = title
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _summary_sheet(ws, units: list[UnitSummary]) -> None:
    from openpyxl.utils import get_column_letter

    st = _styles()
    cats = [c for c in CATEGORY_LABELS if any(u.categories.get(c) for u in units)]
    names = (["文件", "单位", "报送时间", "意见条数"] + [SEVERITY_LABELS[s] for s in SEVERITY_LABELS]
             + [CATEGORY_LABELS[c] for c in cats])
    _header(ws, names, st)
    for i, u in enumerate(units, start=2):
        values = ([u.file, u.unit, u.deadline, u.rows] + [u.severities.get(s, 0) for s in SEVERITY_LABELS]
                  + [u.categories.get(c, 0) for c in cats])
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=i, column=c, value=value)
            cell.border, cell.alignment = st["border"], st["wrap"]
    total = len(units) + 2
    ws.cell(row=total, column=1, value=f"合计（{len(units)} 份）").font = st["head_font"]
    for c in range(4, len(names) + 1):
        letter = get_column_letter(c)
        cell = ws.cell(row=total, column=c, value=sum(
            ws.cell(row=r, column=c).value or 0 for r in range(2, total)))
        cell.font, cell.border = st["head_font"], st["border"]
        ws.column_dimensions[letter].width = 9
    for c, width in enumerate((24, 22, 36), start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.auto_filter.ref = f"A1:{get_column_letter(len(names))}{len(units) + 1}"
    _print_setup(ws)
