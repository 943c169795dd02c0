"""The 审核意见表 as a Word document in GB/T 9704 layout: the title and an opening paragraph
(how many reports, how many opinions) on a portrait page written by the project's GB/T 9704
writer (:mod:`drafter.docx.writer`), then a landscape section with, per unit, a level-1
heading ("一、单位（文件）"), one line of summary (counts, on time or late) and a table of its
opinions whose header row repeats on every page.
"""

from __future__ import annotations

import io
from pathlib import Path

from drafter.checker.export.rows import ReviewRow, UnitSummary
from drafter.checker.finding import CATEGORY_LABELS, SEVERITY_LABELS
from drafter.text.numerals import ordinal_text

# The columns of the table (文件 and 单位 are in each unit's heading) with widths in mm;
# together 243 mm, the width of a landscape A4 page inside 28/26 mm margins.
TABLE_COLUMNS: tuple[tuple[str, float], ...] = (
    ("序号", 10), ("位置（行/段）", 16), ("所在部分", 24), ("类别", 15), ("级别", 11), ("规则", 17),
    ("原文", 40), ("问题", 58), ("修改建议", 38), ("来源", 14))
# The summary table on the first (portrait) page: 156 mm, the width of the 版心.
SUMMARY_COLUMNS: tuple[tuple[str, float], ...] = (
    ("单位", 40), ("文件", 36), ("意见", 12), ("错误", 12), ("警告", 12), ("提示", 12), ("报送时间", 32))
TABLE_FONT_PT = 10.5  # 五号
TABLE_LINE_PT = 14.0
HEADER_FILL = "D9E1F2"


def _summary_line(u: UnitSummary) -> str:
    sev = "，".join(f"{SEVERITY_LABELS[k]}{v}条" for k, v in u.severities.items())
    return f"共{u.rows}条意见（{sev}）；报送时间：{u.deadline}。"


def letter_bytes(rows: list[ReviewRow], units: list[UnitSummary], title: str,
                 font_profile: str = "gb2312") -> bytes:
    import docx
    from docx.enum.section import WD_SECTION

    from drafter.docx.writer import docx_bytes
    from drafter.report.structure import build_report

    total = {k: sum(u.severities.get(k, 0) for u in units) for k in SEVERITY_LABELS}
    counts = "、".join(f"{SEVERITY_LABELS[k]}{v}条" for k, v in total.items())
    late = sum(u.deadline.startswith("逾期") for u in units)
    lead = (f"共审核报告{len(units)}份，提出审核意见{len(rows)}条（{counts}）"
            + (f"，其中{late}份报告成文日期晚于报送期限" if late else "")
            + "。各单位的意见列于下表：“错误”请在报送前修改，“警告”请核实后修改，“提示”供参考。")
    base = docx_bytes(build_report([title, lead], path="审核意见", fmt="docx"),
                      font_profile=font_profile, properties={"title": title, "author": ""})
    doc = docx.Document(io.BytesIO(base))
    from drafter.docx.fonts import ELEMENTS, get_profile

    profile = get_profile(font_profile)
    _table(doc, SUMMARY_COLUMNS, [[u.unit, Path(u.file).name, u.rows,
                                   *(u.severities.get(k, 0) for k in SEVERITY_LABELS),
                                   u.deadline] for u in units], profile)
    _landscape(doc.add_section(WD_SECTION.NEW_PAGE))
    for i, u in enumerate(units):
        doc.add_paragraph(f"{ordinal_text(i + 1)}、{u.unit}（{Path(u.file).name}）",
                          style=doc.styles[ELEMENTS["heading1"].name])
        doc.add_paragraph(_summary_line(u), style=doc.styles[ELEMENTS["body"].name])
        mine = [r for r in rows if r.file_index == i]
        if mine:
            _table(doc, TABLE_COLUMNS, [_cells(r) for r in mine], profile)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _landscape(section) -> None:
    from docx.shared import Mm

    from drafter.docx import fonts as F
    from drafter.docx.oxml.tables import make_landscape

    m = F.MARGINS_MM
    make_landscape(section._sectPr, Mm(F.PAGE_MM[1]), Mm(F.PAGE_MM[0]),
                   {"top": Mm(m["left"]), "bottom": Mm(m["right"]), "left": Mm(m["left"]),
                    "right": Mm(m["right"])})


def _cell_text(cell, text: str, profile, bold: bool = False) -> None:
    from docx.shared import Pt

    from drafter.docx.oxml import write

    para = cell.paragraphs[0]
    ppr = para._p.get_or_add_pPr()
    write.set_paragraph_format(ppr, align="center" if bold else "left", size=Pt(TABLE_FONT_PT),
                               line=Pt(TABLE_LINE_PT), snap_to_grid=False)
    run = para.add_run(str(text))
    rpr = run._r.get_or_add_rPr()
    write.set_fonts(rpr, profile.body, profile.latin_for(profile.body))
    write.set_run_format(rpr, size=Pt(TABLE_FONT_PT), bold=bold, char_spacing=None)


def _cells(row: ReviewRow) -> list:
    return [row.number, row.position, row.part, CATEGORY_LABELS.get(row.category, row.category),
            SEVERITY_LABELS.get(row.severity, row.severity), row.rule, row.quote, row.problem,
            row.suggestion, row.values()[-1]]


def _table(doc, columns: tuple[tuple[str, float], ...], rows: list[list], profile) -> None:
    """A table with a shaded header row repeated on every page, then ``rows``."""
    from docx.shared import Mm

    from drafter.docx.oxml.tables import format_table, repeat_header_row, shade_cell

    table = doc.add_table(rows=1 + len(rows), cols=len(columns))
    for c, (name, _) in enumerate(columns):
        cell = table.rows[0].cells[c]
        _cell_text(cell, name, profile, bold=True)
        shade_cell(cell._tc, HEADER_FILL)
    repeat_header_row(table.rows[0]._tr)
    for r, values in enumerate(rows, start=1):
        cells = table.rows[r].cells
        for c, value in enumerate(values):
            _cell_text(cells[c], value, profile)
    format_table(table._tbl, [Mm(w) for _, w in columns])
