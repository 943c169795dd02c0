"""Where a problem of a facts workbook is (:class:`Cell`: sheet, cell, the column's own name)
and how it is said to someone who never saw the YAML (:func:`excel_words`): the checks speak
of fields (``previous_value``, ``part_of``, ``metrics``); the workbook of columns and sheets."""

from __future__ import annotations

import re
from dataclasses import dataclass

# (pattern, replacement): YAML wording in the checks' messages → the workbook's columns and sheets.
_EXCEL_WORDS: tuple[tuple[str, str], ...] = (
    (r"缺少必填字段", "未填写"),
    (r"不加引号和单位；约数写在 approx 字段", "只填数字，不带单位；约数在“约数”列选择"),
    (r"不加引号和单位", "不带单位"), (r"（如 2023，不加引号）", "（如 2023）"),
    (r"（如 2023，不加引号和“年”）", "（如 2023，不带“年”）"),
    (r"填写 previous_value", "填写“上年数值”"),
    (r"（请在 metrics 中定义）", "（请在“数据指标”表中填写）"),
    (r"metrics、people、organisations 或 documents", "“数据指标”或“人员与机构”表"),
    (r"（part_of: [A-Za-z_]\w*）", "（没有哪一行的“属于哪个总数”选了它）"),
    (r"（exhaustive）", ""), (r"标记为分项穷尽", "选了“各部分正好相加等于总数”"),
    (r"分项穷尽但", "选了“各部分正好相加等于总数”，但各部分"), (r"^分项合计", "各部分合计"),
    (r"分项单位", "这一部分的单位"),
    (r"应为列表（每项以“- ”开头）", "至少填写一项"),
    (r"应为 true 或 false", "只能是“是”或“否”"),
    (r"未知的字体方案“([^”]*)”，可用：.*", r"字体“\1”无法识别，请从下拉列表选择"),
)
_COORD = re.compile(r"^\??([A-Z]*)(\d+)$")


@dataclass(frozen=True)
class Cell:
    sheet: str
    coord: str
    header: str

    def where(self) -> str:
        if self.coord.startswith("?"):  # a column this workbook does not have
            return f"工作表“{self.sheet}”第{self.row}行（{self.header}）"
        return f"工作表“{self.sheet}”单元格 {self.coord}（{self.header}）"

    @property
    def row(self) -> int:
        m = _COORD.match(self.coord)
        return int(m.group(2)) if m else 0

    @property
    def column(self) -> str:
        m = _COORD.match(self.coord)
        return (m.group(1) or "").rjust(3) if m else ""


def excel_words(message: str) -> str:
    for pattern, repl in _EXCEL_WORDS:
        message = re.sub(pattern, repl, message)
    return message


def cell_of(locs: dict[tuple, Cell], loc: tuple) -> Cell | None:
    """The cell a field path came from: the deepest part of ``loc`` the reader recorded."""
    for n in range(len(loc), 0, -1):
        if tuple(loc[:n]) in locs:
            return locs[tuple(loc[:n])]
    return None


def problem_lines(name: str, problems: list[tuple[Cell | None, str]], locs: list[tuple | None]
                  ) -> list[tuple[str, str, str]]:
    """(file, "", "工作表“…”单元格 …（列名）：message") per problem, in the order of the sheets
    and, within a sheet, of the rows and columns; repeats dropped."""
    from drafter.facts.xlsx_layout import SHEET_ORDER

    out: dict[str, tuple[tuple, tuple[str, str, str]]] = {}
    for (cell, msg), loc in zip(problems, locs):
        msg = excel_words(msg)
        if cell is not None:
            text = f"{cell.where()}：{msg}"
            order = (SHEET_ORDER.index(cell.sheet) if cell.sheet in SHEET_ORDER else 99,
                     cell.row, cell.column)
        else:
            what = "、".join(str(x) for x in loc) if loc else ""
            text = f"{what}：{msg}" if what else msg
            order = (100, 0, "")
        out.setdefault(text, (order, (name, "", text)))
    return [line for _, line in sorted(out.values(), key=lambda x: x[0])]
