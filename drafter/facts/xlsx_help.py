"""The two sheets of the facts workbook that are read by people only: 填写说明 (how to fill it
in, and one plain line for every term it uses) and 填写示例 (a small filled example and the text
the draft makes of it). Neither is read back; a test fills the example into the real sheets
and drafts it, so what the example promises is what the program does."""

from __future__ import annotations

from drafter.facts.xlsx_layout import (
    ITEM_COLS, ITEM_SHEETS, METRIC_COLS, SHEET_INFO, SHEET_METRICS, SHEET_PEOPLE, SHEET_PREV,
    SHEET_SHORT, SHORT_COLS)

MEASURES = ITEM_SHEETS["measures"]

HELP_LINES: tuple[tuple[str, str], ...] = (
    ("title", "法治政府建设年度报告 事实采集表 填写说明"),
    ("", "本表收集本单位本年度法治政府建设的事实和数据，起草人员用它生成报告初稿。"
         "初稿里的每个数字、人名都来自本表，请如实填写；不会填的格子空着即可。"),
    ("", "每张表第1行是列名，第2行灰色小字是这一列的填法；从第3行起填写，不要改列名、不要合并单元格。"
         "带下拉箭头的格子从列表中选。“填写示例”表有一份填好的样子。"),
    ("head", "各表填什么"),
    ("", f"【{SHEET_INFO}】单位名称、报告送给谁、哪一年、落款日期；带“（必填）”的必须填。"),
    ("", f"【{MEASURES}】今年做了哪些工作、有什么成效：每项工作一个标题，下面一行一句话。"
         "数字直接写在句子里即可，如“审核合同45份”。"),
    ("", f"【{SHEET_METRICS}】只填需要合计或与上年比较的数字：一个总数和它的各部分（如清理文件12件，"
         "其中废止3件），或要写“同比增长”的数字。在工作表的“接上数据指标”列选中它，名称和数字就接在那句话后面。"),
    ("", f"【{ITEM_SHEETS['leadership']}】单位主要负责人推进法治建设做了什么，填法同上。"),
    ("", f"【{SHEET_SHORT}】存在的不足和原因：每个问题一行，原因一格一条，原因必须填。"),
    ("", f"【{ITEM_SHEETS['plans']}】明年打算做什么；【{ITEM_SHEETS['other']}】其他要报告的事，没有就空着。"),
    ("", f"【{SHEET_PREV}】去年报告里“下一年度安排”的各项，旁边写今年做了什么。"),
    ("", f"【{SHEET_PEOPLE}】报告中点名的人（如法律顾问）、单位和引用的文件，写法以这里为准；"
         "文件选类别“文件”，名称不加书名号，发文机关填在“所在单位”，文号填在“文号”。"),
    ("head", "名词解释"),
    ("", "主送机关：报告送给哪些机关，写在标题下面第一行。"),
    ("", "成文日期：报告落款的日期。部门应在次年3月1日前、地方政府在第一季度内报送。"),
    ("", "自称：正文里称呼本单位的说法，如“我局”“我委”。"),
    ("", "加盖印章：报告盖不盖公章；盖章和不盖章的落款排法不同。"),
    ("", "发文字号：报告的文号，如“示科工信〔2024〕3号”，没有就不填。"),
    ("", "第一责任人：党政主要负责人，是推进本单位法治建设的第一责任人。"),
    ("", "数据指标：需要合计或与上年比较的数字，一个数字一行。"),
    ("", "总数和部分：如“清理规范性文件12件”是总数，“废止3件”是它的一部分；部分相加不能超过总数。"),
    ("", "约数：不是确数的数字，260余人次选“余”，约300人选“约”。约数不能算同比。"),
    ("", "上年数值：去年同一指标的数字，填了初稿才能写“同比增长”“较上年增加”。"),
    ("", "回应去年计划：这项工作落实了去年计划的第几项。"),
    ("", "成效：这项工作取得的效果，一句话，初稿中写在这项工作的最后。"),
    ("", "文号：文件的编号，如“豫发〔2021〕23号”，初稿中写在文件名称后的括号里。"),
    ("", "待核实：这句话或这个数字还没有核实，选“是”后初稿中会用批注标出，核实后再定稿。"),
    ("head", "填好以后"),
    ("", "交给起草人员运行 drafter facts check 事实采集表.xlsx：有填写问题会一次全部列出，"
         "指明哪张表、哪个单元格、哪一列；改好后 drafter draft 事实采集表.xlsx 即生成初稿。"),
)

# The example: rows of 举措和成效, 数据指标 and 问题与原因 (by column key) and the text the draft
# makes of them (tests/test_facts_workbook.py fills these into a blank workbook and drafts it).
EXAMPLE_ITEMS: tuple[dict[str, str], ...] = (
    {"title": "加强规范性文件管理", "fact": "严格执行合法性审核和集体讨论决定制度",
     "metric": "清理规范性文件"},
    {"fact": "全年审核规范性文件15件，均按时报市司法局备案"},
    {"title": "提升行政执法水平", "fact": "组织执法人员参加业务培训", "metric": "培训执法人员",
     "confirm": "是"},
)
EXAMPLE_METRICS: tuple[dict[str, object], ...] = (
    {"label": "清理规范性文件", "value": 12, "unit": "件", "previous_value": 10, "exhaustive": "是"},
    {"label": "继续有效", "value": 9, "unit": "件", "part_of": "清理规范性文件"},
    {"label": "废止", "value": 3, "unit": "件", "part_of": "清理规范性文件"},
    {"label": "培训执法人员", "value": 260, "unit": "人次", "approx": "余"},
)
EXAMPLE_SHORT: tuple[dict[str, str], ...] = (
    {"problem": "执法监督手段还比较单一", "cause": "执法信息化建设相对滞后"},
    {"cause": "专职法制审核力量不足", "confirm": "是"},
)
EXAMPLE_TEXT: tuple[str, ...] = (
    "严格执行合法性审核和集体讨论决定制度，清理规范性文件12件，其中继续有效9件、废止3件",
    "全年审核规范性文件15件，均按时报市司法局备案",
    "组织执法人员参加业务培训，培训执法人员260余人次",
    "执法信息化建设相对滞后", "专职法制审核力量不足",
)


def write_help(ws) -> None:
    from drafter.facts.xlsx_template import print_setup, styles, wrapped_height

    st = styles()
    ws.column_dimensions["A"].width = 90
    for r, (style, text) in enumerate(HELP_LINES, start=1):
        cell = ws.cell(row=r, column=1, value=text)
        cell.alignment = st["wrap"]
        ws.row_dimensions[r].height = wrapped_height([text], [82], 14.5 if style != "title" else 20)
        if style == "title":
            cell.font = st["title_font"]
        elif style == "head":
            cell.font = st["header_font"]
    ws.sheet_view.showGridLines = False
    ws.column_dimensions["B"].width = 6  # slack: LibreOffice may set a line a little wider
    print_setup(ws, False, len(HELP_LINES), "B", None)


def write_example(ws) -> None:
    """Three small tables as on their own sheets, then the text of the draft."""
    from drafter.facts.xlsx_template import print_setup, styles

    st = styles()
    ws.cell(row=1, column=1, value="填写示例（本表只供参考，程序不读取）").font = st["title_font"]
    row = 3
    blocks = ((MEASURES, ITEM_COLS, EXAMPLE_ITEMS), (SHEET_METRICS, METRIC_COLS, EXAMPLE_METRICS),
              (SHEET_SHORT, SHORT_COLS, EXAMPLE_SHORT))
    widths: dict[int, int] = {}
    for sheet, cols, rows in blocks:
        cols = tuple(c for c in cols if not c.hidden and c.key != "no")
        ws.cell(row=row, column=1, value=f"【{sheet}】表").font = st["header_font"]
        row += 1
        for c, col in enumerate(cols, start=1):
            cell = ws.cell(row=row, column=c, value=col.header)
            cell.font, cell.fill, cell.border = st["header_font"], st["header_fill"], st["border"]
            widths[c] = max(widths.get(c, 0), min(col.width, 40))
        for values in rows:
            row += 1
            for c, col in enumerate(cols, start=1):
                cell = ws.cell(row=row, column=c, value=values.get(col.key))
                cell.border, cell.alignment, cell.fill = st["border"], st["wrap"], st["example_fill"]
        row += 2
    ws.cell(row=row, column=1, value="初稿中写成（节选）：").font = st["header_font"]
    for text in ("（一）加强规范性文件管理", EXAMPLE_TEXT[0] + "。" + EXAMPLE_TEXT[1] + "。",
                 "（二）提升行政执法水平", EXAMPLE_TEXT[2] + "。（加批注：待核实）",
                 "……执法监督手段还比较单一，原因：" + "；".join(EXAMPLE_TEXT[3:]) + "。（后一条加批注：待核实）"):
        row += 1
        ws.cell(row=row, column=1, value=text)
    for c, w in widths.items():
        ws.column_dimensions[ws.cell(row=1, column=c).column_letter].width = w
    ws.sheet_view.showGridLines = False
    print_setup(ws, True, row, ws.cell(row=1, column=max(widths)).column_letter, None)
