"""The facts workbook's layout (事实采集表.xlsx): sheets, columns, rows, and cell conversions.

Drafting staff collect the year's facts from each 科室 in Excel. The workbook expresses the
same pydantic model as a facts YAML file (:class:`drafter.facts.model.Facts`), one sheet per
part, so ``drafter draft 事实采集表.xlsx`` and ``drafter facts convert`` (both ways) work:

==============  =====================================================================
sheet           model
==============  =====================================================================
基本信息         unit, recipients, year, date, profile, font_profile, overview
去年计划落实     previous_plans; "今年落实情况" becomes a statement of the answering item
举措和成效       sections.measures (a row with a 标题 starts an item; rows below add statements;
                 成效 is the item's outcome)
数据指标         metrics (所在部分/所在事项序号 set: an item's own inline metric)
第一责任人履职   sections.leadership
问题与原因       sections.shortcomings (问题 starts an item; 原因 one per row)
下一年度安排     sections.plans
其他情况         sections.other
人员与机构       people (类别 人员), organisations (类别 机构) and documents (类别 文件: 名称,
                 发文机关 in 所在单位, 文号)
==============  =====================================================================

The writer is :mod:`drafter.facts.xlsx_template`, the reader :mod:`drafter.facts.xlsx_io`;
both use the tables below, so a column is named in one place. The entry points are in
:mod:`drafter.facts.xlsx`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

_NUMERIC = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
HEADER_ROW = 1
HINT_ROW = 2
FIRST_ROW = 3  # data starts below the header and the grey hint row (both frozen)
MAX_ROWS = 2000  # rows read per sheet; more is not a facts sheet
VALIDATION_ROWS = 300  # rows that carry data validation in a new workbook

SHEET_HELP = "填写说明"
SHEET_INFO = "基本信息"
SHEET_PREV = "去年计划落实"
SHEET_METRICS = "数据指标"
SHEET_SHORT = "问题与原因"
SHEET_PEOPLE = "人员与机构"
SHEET_LISTS = "选项"
# Sections whose items have a title, statements and metrics, and their sheets.
ITEM_SHEETS: dict[str, str] = {"measures": "举措和成效", "leadership": "第一责任人履职",
                               "plans": "下一年度安排", "other": "其他情况"}
SECTION_NAMES: dict[str, str] = {**ITEM_SHEETS, "shortcomings": SHEET_SHORT}
SHEET_ORDER = [SHEET_HELP, SHEET_INFO, SHEET_PREV, ITEM_SHEETS["measures"], SHEET_METRICS,
               ITEM_SHEETS["leadership"], SHEET_SHORT, ITEM_SHEETS["plans"], ITEM_SHEETS["other"],
               SHEET_PEOPLE, SHEET_LISTS]

UNIT_TYPES = {"政府部门": "department", "地方政府": "government"}
YES_NO = {"是": True, "否": False}
KINDS = ("人员", "机构", "文件")
APPROX = ("余", "约", "近", "多")
# Offered in the 单位 list; others are accepted after a warning (Excel's "warning" style).
COMMON_UNITS = ("件", "份", "项", "个", "条", "部", "篇", "人", "名", "位", "人次", "家", "户", "所",
                "家次", "户次", "次", "期", "场", "轮", "批", "批次", "起", "宗", "天", "个工作日",
                "个月", "元", "万元", "亿元", "%", "个百分点", "公顷", "亩", "平方米", "公里", "吨")


@dataclass(frozen=True)
class Col:
    """A column: ``key`` is what the reader calls it, ``header`` what the sheet shows."""

    key: str
    header: str
    width: int
    hint: str
    validation: str | None = None
    optional: bool = False  # added later: a workbook made before it was added still reads


@dataclass(frozen=True)
class InfoField:
    """A row of 基本信息: ``path`` into the model, ``kind`` how the cell is read."""

    label: str
    path: tuple[str, ...]
    kind: str  # text | list | int | date | type | font
    hint: str
    required: bool = False


INFO_FIELDS: tuple[InfoField, ...] = (
    InfoField("单位全称", ("unit", "name"), "text", "如：示例市科学技术和工业信息化局（标题和署名使用，全文只此一种写法）", True),
    InfoField("自称", ("unit", "short"), "text", "正文中的自称，如：我局、我委、我区（不填为“我局”）"),
    InfoField("单位类型", ("unit", "type"), "type", "从下拉列表选择：政府部门 或 地方政府（不填为政府部门）"),
    InfoField("语料库编号", ("unit", "slug"), "text", "可不填；小写字母、数字和连字符，如 shili-kegongxin"),
    InfoField("上级领导机关", ("unit", "superior"), "text", "可不填；导语“在……的坚强领导下”，如：市委、市政府"),
    InfoField("主送机关", ("recipients",), "list", "多个用顿号“、”分隔，如：中共示例市委、示例市人民政府", True),
    InfoField("报告年度", ("year",), "int", "四位数字，如 2023（报告哪一年的工作）", True),
    InfoField("成文日期", ("date",), "date", "如 2024-02-20（部门应在次年3月1日前报送）", True),
    InfoField("地方口径", ("profile",), "text", "可不填；地方口径配置名称"),
    InfoField("字体方案", ("font_profile",), "font", "可不填；从下拉列表选择（不填为 gb2312）"),
    InfoField("开头概述", ("overview",), "text", "可不填；导语中的总体情况，一两句话"),
)

ITEM_COLS: tuple[Col, ...] = (
    Col("no", "序号", 6, "自动编号"),
    Col("title", "标题", 30, "每项工作填一个标题，如：提升行政执法质量（不写“（一）”）"),
    Col("fact", "事实陈述", 70, "一格一句；同一项的更多陈述写在下面的行，标题留空。"
                             "可用 {编号} 引用“数据指标”中的数字，如：{inspections}，{inspections.yoy}"),
    Col("metrics", "列出的指标", 18, "可不填；“数据指标”的编号，多个用顿号分隔，写在本项陈述之后"),
    Col("answers", "回应去年计划", 14, "可不填；本项落实了“去年计划落实”表的第几项，如：1、3"),
    Col("outcome", "成效", 40, "可不填；本项工作取得的成效，一句话，写在标题所在行（起草为本项的结束句），"
                             "如：干部职工依法行政意识明显增强", optional=True),
)
PLAN_COLS: tuple[Col, ...] = ITEM_COLS[:4]  # next year's plans answer nothing yet
SHORT_COLS: tuple[Col, ...] = (
    Col("no", "序号", 6, "自动编号"),
    Col("title", "标题", 24, "可不填；如：执法监督手段单一"),
    Col("problem", "问题", 60, "每个问题一行，写明不足之处"),
    Col("cause", "原因", 50, "一格一条原因；同一问题的更多原因写在下面的行（问题留空）"),
)
METRIC_COLS: tuple[Col, ...] = (
    Col("id", "编号", 18, "字母、数字、下划线，如 inspections；陈述中写 {inspections} 引用"),
    Col("label", "指标名称", 34, "如：开展“双随机、一公开”抽查"),
    Col("value", "本年数值", 11, "只填数字，不带单位", "number"),
    Col("unit", "单位", 9, "如 件、人次、%（下拉选择或直接填写）", "unit"),
    Col("approx", "约数", 7, "可不填：余、约、近、多", "approx"),
    Col("previous_value", "上年数值", 11, "可不填；填了才能写“同比增长”", "number"),
    Col("part_of", "属于（总数编号）", 16, "可不填；本项是哪个总数的分项，填总数的编号"),
    Col("exhaustive", "分项穷尽", 9, "可不填；总数的分项恰好合计等于总数时选“是”", "yesno"),
    Col("section", "所在部分", 13, "可不填；只在某一项下列出时选择部分", "section"),
    Col("item", "所在事项序号", 12, "可不填；与“所在部分”一起填，该部分的第几项", "positive"),
)
PEOPLE_COLS: tuple[Col, ...] = (
    Col("kind", "类别", 8, "人员、机构 或 文件", "kind"),
    Col("id", "编号", 14, "可不填；如 adviser，陈述中写 {adviser} 引用"),
    Col("name", "姓名或名称", 22, "人员姓名、机构全称或文件名称（不加书名号），全文只此一种写法"),
    Col("role", "角色", 16, "如：法律顾问、业务指导（人员必填）"),
    Col("org", "所在单位", 28, "人员可填，如：示例市明理律师事务所；文件可填发文机关"),
    Col("title", "职务", 12, "人员可填，如：律师"),
    Col("number", "文号", 18, "文件可填，如：豫发〔2021〕23号（起草时写在文件名称后的括号内）",
        optional=True),
)
PREV_COLS: tuple[Col, ...] = (
    Col("no", "序号", 6, "自动编号"),
    Col("text", "去年计划事项", 36, "上一年度报告“下一年度主要安排”中的一项"),
    Col("done", "今年落实情况", 60, "今年做了什么（一两句话，可用 {编号} 引用数字）；"
                                "已在其他表中写过并在“回应去年计划”列填了序号的，可不填"),
    Col("reference", "去年计划内容（参考）", 50, "仅供参考，不读取"),
)


def table_cols(sheet: str) -> tuple[Col, ...]:
    if sheet == ITEM_SHEETS["plans"]:
        return PLAN_COLS
    if sheet in ITEM_SHEETS.values():
        return ITEM_COLS
    return {SHEET_SHORT: SHORT_COLS, SHEET_METRICS: METRIC_COLS, SHEET_PEOPLE: PEOPLE_COLS,
            SHEET_PREV: PREV_COLS}[sheet]


# ---- cell values ------------------------------------------------------------------------------

def cell_text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    return str(v).strip()


def cell_number(v: Any) -> Any:
    """Numbers as numbers; "12" typed as text too. Anything else goes to the model, which
    says why it is wrong (12件 → 应为数字)."""
    if isinstance(v, str) and _NUMERIC.match(v.replace(",", "")):
        s = v.replace(",", "")
        return float(s) if "." in s else int(s)
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def cell_int(v: Any) -> Any:
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, str) and re.fullmatch(r"\d+", v.strip()):
        return int(v.strip())
    return v


def cell_date(v: Any) -> Any:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, (int, float)) and not isinstance(v, bool) and 30000 < v < 80000:
        from openpyxl.utils.datetime import from_excel

        return from_excel(v).date()  # a date typed into a cell formatted as a number
    return v


# ---- YAML -----------------------------------------------------------------------------------
