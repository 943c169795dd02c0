"""The facts workbook's layout (事实采集表.xlsx): sheets, columns, rows, and cell conversions.

Drafting staff collect the year's facts from each 科室 in Excel. The workbook expresses the
same pydantic model as a facts YAML file (:class:`drafter.facts.model.Facts`), one sheet per
part, so ``drafter draft 事实采集表.xlsx`` and ``drafter facts convert`` (both ways) work:

==============  =====================================================================
sheet           model
==============  =====================================================================
填写说明         instructions and a one-line explanation of every term (not read)
填写示例         a small filled example (not read)
基本信息         unit, recipients, year, date, overview, layout.seal, doc_number, font_profile …
去年计划落实     previous_plans; "今年落实情况" becomes a statement of the answering item
举措和成效       sections.measures (a row with a 标题 starts an item; rows below add statements;
                 a metric chosen in 接上数据指标 is appended to the row's statement as {id},
                 or, on a row without a statement, listed after the item's statements;
                 成效 is the item's outcome)
数据指标         metrics (ids generated when left empty, in a hidden column; the hidden
                 所在部分/所在事项序号 place an item's own inline metric)
第一责任人履职   sections.leadership
问题与原因       sections.shortcomings (问题 starts an item; 原因 one per row)
下一年度安排     sections.plans
其他情况         sections.other
人员与机构       people (类别 人员), organisations (类别 机构) and documents (类别 文件: 名称,
                 发文机关 in 所在单位, 文号)
==============  =====================================================================

A 待核实 column (是) marks a statement, cause or metric ``confirm: true``.

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

PRINT_ROWS = 20  # blank data rows printed below the header of an empty table

SHEET_HELP = "填写说明"
SHEET_EXAMPLE = "填写示例"
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
SHEET_ORDER = [SHEET_HELP, SHEET_EXAMPLE, SHEET_INFO, SHEET_PREV, ITEM_SHEETS["measures"],
               SHEET_METRICS, ITEM_SHEETS["leadership"], SHEET_SHORT, ITEM_SHEETS["plans"],
               ITEM_SHEETS["other"], SHEET_PEOPLE, SHEET_LISTS]

UNIT_TYPES = {"政府部门": "department", "地方政府": "government"}
YES_NO = {"是": True, "否": False}
KINDS = ("人员", "机构", "文件")
APPROX = ("余", "约", "近", "多")
# The font choice in plain words; the profile names (gb2312, modern) are accepted too.
FONT_CHOICES = {"仿宋_GB2312（旧版Windows）": "gb2312", "仿宋（Windows 10及以后）": "modern"}
# Offered in the 单位 list; others are accepted after a warning (Excel's "warning" style).
COMMON_UNITS = ("件", "份", "项", "个", "条", "部", "篇", "人", "名", "位", "人次", "家", "户", "所",
                "家次", "户次", "次", "期", "场", "轮", "批", "批次", "起", "宗", "天", "个工作日",
                "个月", "元", "万元", "亿元", "%", "个百分点", "公顷", "亩", "平方米", "公里", "吨")


@dataclass(frozen=True)
class Col:
    """A column: ``key`` is what the reader calls it, ``header`` what the sheet shows, ``hint``
    one line of plain Chinese under it; ``hidden`` columns hold what the program fills in
    (ids) and are not shown or printed; ``aliases`` are older headers still read."""

    key: str
    header: str
    width: int
    hint: str
    validation: str | None = None
    hidden: bool = False
    aliases: tuple[str, ...] = ()
    optional: bool = False  # added later: a workbook made before it was added still reads


@dataclass(frozen=True)
class InfoField:
    """A row of 基本信息: ``path`` into the model, ``kind`` how the cell is read; ``aliases``
    are older labels still read."""

    label: str
    path: tuple[str, ...]
    kind: str  # text | list | int | date | type | font | yesno
    hint: str
    required: bool = False
    aliases: tuple[str, ...] = ()


INFO_FIELDS: tuple[InfoField, ...] = (
    InfoField("单位全称", ("unit", "name"), "text", "如：示例市科学技术和工业信息化局（标题和落款都用它，全文只此一种写法）", True),
    InfoField("自称", ("unit", "short"), "text", "正文里称呼本单位的说法，如：我局、我委、我区（不填为“我局”）"),
    InfoField("单位类型", ("unit", "type"), "type", "从下拉列表选：政府部门 或 地方政府（不填为政府部门）"),
    InfoField("上级领导机关", ("unit", "superior"), "text", "可不填；开头“在……的坚强领导下”里的机关，如：市委、市政府"),
    InfoField("主送机关", ("recipients",), "list", "报告送给谁，多个用顿号“、”分隔，如：中共示例市委、示例市人民政府", True),
    InfoField("报告年度", ("year",), "int", "报告哪一年的工作，四位数字，如 2023", True),
    InfoField("成文日期", ("date",), "date", "落款日期，如 2024-02-20（部门应在次年3月1日前，政府在第一季度内）", True),
    InfoField("开头概述", ("overview",), "text", "可不填；开头一段里的总体情况，一两句话"),
    InfoField("加盖印章", ("layout", "seal"), "yesno", "报告盖章选“是”（落款按盖章格式排），不盖章选“否”或不填"),
    InfoField("发文字号", ("doc_number",), "text", "可不填；有文号时填，如：示科工信〔2024〕3号（六角括号〔〕）"),
    InfoField("字体", ("font_profile",), "font", "可不填；电脑上有“仿宋_GB2312”选第一项，只有“仿宋”选第二项",
              aliases=("字体方案",)),
    InfoField("往年资料文件夹", ("unit", "slug"), "text", "可不填，不清楚就空着（往年报告的存放位置，由起草人员填写）",
              aliases=("语料库编号",)),
    InfoField("地方口径", ("profile",), "text", "可不填，不清楚就空着（本地报送期限等规定的名称，由起草人员填写）"),
)

CONFIRM_COL = Col("confirm", "待核实", 8, "本行内容还要核实时选“是”，初稿会加批注提醒", "yesno")
ITEM_COLS: tuple[Col, ...] = (
    Col("no", "序号", 6, "自动编号"),
    Col("title", "标题", 28, "每项工作写一个标题（不写“（一）”）；同一项的其他句子写在下面几行，标题空着"),
    Col("fact", "事实陈述", 64, "一格写一句话；数字直接写在句子里，如：审核合同45份，提出意见120条"),
    Col("metric", "接上数据指标", 22, "可不填；从下拉列表选“数据指标”表中的一项，它的名称和数字接在本行句子后面",
        "metric", aliases=("列出的指标",)),
    CONFIRM_COL,
    Col("answers", "回应去年计划", 12, "可不填；本项落实了“去年计划落实”表的第几项，填序号，如：1、3"),
    Col("outcome", "成效", 36, "可不填；这项工作取得的成效，一句话，写在标题那一行，如：干部职工依法行政意识明显增强",
        optional=True),
)
PLAN_COLS: tuple[Col, ...] = ITEM_COLS[:5]  # next year's plans answer nothing yet
SHORT_COLS: tuple[Col, ...] = (
    Col("no", "序号", 6, "自动编号"),
    Col("title", "标题", 22, "可不填；如：执法监督手段单一"),
    Col("problem", "问题", 52, "每个问题写在新的一行，写明哪里做得不够"),
    Col("cause", "原因", 48, "一格写一条原因，必须填；同一问题的其他原因写在下面几行，问题空着"),
    Col("confirm", "待核实", 8, "本行的原因还要核实时选“是”，初稿会加批注提醒", "yesno"),
)
METRIC_COLS: tuple[Col, ...] = (
    Col("id", "编号", 14, "程序自动生成，不用填", hidden=True),
    Col("label", "指标名称", 30, "名称和数字连起来要通顺，如：清理规范性文件（→清理规范性文件12件）；名称不要重复"),
    Col("value", "本年数值", 10, "只填数字，不带单位", "number"),
    Col("unit", "单位", 8, "如 件、人次、%（下拉选择或直接填写）", "unit"),
    Col("approx", "约数", 7, "可不填：260余人次选“余”，约300人选“约”", "approx"),
    Col("previous_value", "上年数值", 10, "可不填；填了初稿才能写“同比增长”", "number"),
    Col("part_of", "属于哪个总数", 24, "可不填；本项是某个总数的一部分时选那个总数（如“废止”属于“清理规范性文件”）",
        "metric", aliases=("属于（总数编号）",)),
    Col("exhaustive", "各部分正好相加等于总数", 12, "可不填；在总数一行选“是”：各部分相加必须正好等于它",
        "yesno", aliases=("分项穷尽",)),
    Col("confirm", "待核实", 8, "数字还要核实时选“是”，初稿会加批注提醒", "yesno"),
    Col("section", "所在部分", 13, "程序使用，不用填", "section", hidden=True),
    Col("item", "所在事项序号", 12, "程序使用，不用填", "positive", hidden=True),
)
PEOPLE_COLS: tuple[Col, ...] = (
    Col("kind", "类别", 8, "人员、机构 或 文件", "kind"),
    Col("id", "编号", 14, "程序使用，不用填", hidden=True),
    Col("name", "姓名或名称", 22, "报告中点名的人、单位或引用的文件（不加书名号），写法以这里为准"),
    Col("role", "角色", 16, "如：法律顾问、业务指导（人员必填）"),
    Col("org", "所在单位", 28, "人员可填，如：示例市明理律师事务所；文件可填发文机关"),
    Col("title", "职务", 12, "人员可填，如：律师"),
    Col("number", "文号", 18, "文件可填，如：豫发〔2021〕23号（起草时写在文件名称后的括号内）",
        optional=True),
)
PREV_COLS: tuple[Col, ...] = (
    Col("no", "序号", 6, "自动编号"),
    Col("text", "去年计划事项", 34, "去年报告“下一年度主要安排”中的一项"),
    Col("done", "今年落实情况", 60, "今年做了什么，一两句话；已在其他表中写过并填了“回应去年计划”的可不填"),
    Col("reference", "去年计划内容（参考）", 44, "仅供参考，程序不读取"),
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
