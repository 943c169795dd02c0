"""Read a facts workbook into :class:`~drafter.facts.model.Facts`, and write facts as YAML.

Every problem becomes a :class:`~drafter.errors.FactsError` that names the workbook, the
sheet, the cell and the column (the field, in Chinese)::

    事实采集表.xlsx：工作表“数据指标”单元格 C5（本年数值）：应为数字（只填数字，不带单位；约数在“约数”列选择）

The reader records, for every model field it fills, the cell it came from (``locs``), then
validates with the same pydantic model and checks as a YAML file (:mod:`drafter.facts.load`,
:mod:`drafter.facts.validate`) and maps each error's field path back to its cell.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drafter.errors import FactsError
from drafter.facts.xlsx_layout import (
    FIRST_ROW, HEADER_ROW, INFO_FIELDS, ITEM_SHEETS, KINDS, MAX_ROWS, SECTION_NAMES, SHEET_INFO,
    SHEET_METRICS, SHEET_PEOPLE, SHEET_PREV, SHEET_SHORT, UNIT_TYPES, YES_NO, cell_date as _date,
    cell_int as _int, cell_number as _number, cell_text as _text, table_cols)

MAX_XLSX_BYTES = 20 * 1024 * 1024
Loc = tuple  # a pydantic error location (field path)
_SPLIT = re.compile(r"[、，,；;\s]+")
_SECTION_KEYS = {v: k for k, v in SECTION_NAMES.items()}
# load.py's messages speak of YAML; in a workbook the same advice names columns and sheets.
_EXCEL_WORDS = [("缺少必填字段", "未填写"), ("不加引号和单位；约数写在 approx 字段", "只填数字，不带单位；约数在“约数”列选择"),
                ("不加引号和单位", "不带单位"), ("（如 2023，不加引号）", "（如 2023）"),
                ("（如 2023，不加引号和“年”）", "（如 2023，不带“年”）"), ("填写 previous_value", "填写“上年数值”"),
                ("（请在 metrics 中定义）", "（请在“数据指标”表中定义）"),
                ("metrics、people、organisations 或 documents", "“数据指标”或“人员与机构”表"),
                ("（part_of: ", "（“属于（总数编号）”填 "), ("分项穷尽（exhaustive）", "“分项穷尽”"),
                ("应为列表（每项以“- ”开头）", "至少填写一项")]


@dataclass(frozen=True)
class Cell:
    sheet: str
    coord: str
    header: str

    def where(self) -> str:
        return f"工作表“{self.sheet}”单元格 {self.coord}（{self.header}）"


def read_workbook(path: Path):
    """Parse and validate a workbook; raises FactsError naming sheet, cell and field."""
    name = str(path)
    if not path.exists():
        raise FactsError(f"{name}：事实采集表不存在", "请检查路径，或用 drafter facts template -o 事实采集表.xlsx 生成")
    if path.stat().st_size > MAX_XLSX_BYTES:
        raise FactsError(f"{name}：文件过大（超过 20 MB）", "请确认是否为事实采集表")
    from openpyxl import load_workbook

    try:
        values = load_workbook(path, data_only=True)
        formulas = load_workbook(path, data_only=False)
    # SyntaxError: damaged XML inside the package (ElementTree's ParseError, lxml's
    # XMLSyntaxError); EOFError / zlib.error: a damaged deflate stream.
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError, EOFError,
            zlib.error):
        raise FactsError(f"{name}：无法作为 Excel 工作簿打开（文件可能已损坏，或不是 .xlsx 格式）",
                         "请确认是 .xlsx 文件（.xls 请在 Excel 中另存为 .xlsx；不要设置打开密码）") from None
    return _Reader(name, values, formulas).facts()


class _Reader:
    def __init__(self, name: str, values: Any, formulas: Any):
        self.name, self.wb, self.wbf = name, values, formulas
        self.locs: dict[Loc, Cell] = {}
        self.problems: list[tuple[Cell | None, str]] = []

    # -- cells ------------------------------------------------------------------------------

    def _sheet(self, title: str):
        if title not in self.wb.sheetnames:
            raise FactsError(f"{self.name}：缺少工作表“{title}”",
                             "请用 drafter facts template 生成的采集表填写，不要删除或改名工作表")
        return self.wb[title], self.wbf[title]

    def _value(self, ws: Any, wsf: Any, row: int, col: int, cell: Cell) -> Any:
        v = ws.cell(row=row, column=col).value
        if v is None:
            f = wsf.cell(row=row, column=col).value
            if isinstance(f, str) and f.startswith("="):
                self.problems.append((cell, "是公式，但没有计算结果（请在 Excel 中打开并保存，或直接填写数值）"))
        if isinstance(v, str):
            v = v.strip()
            return v or None
        return v

    def _table(self, title: str) -> list[tuple[int, dict[str, Any], dict[str, Cell]]]:
        """Non-empty data rows of a table sheet: (row, values by column key, cells by key)."""
        ws, wsf = self._sheet(title)
        cols = table_cols(title)
        found = {str(ws.cell(row=HEADER_ROW, column=c).value or "").strip(): c
                 for c in range(1, ws.max_column + 1)}
        where: dict[str, int] = {}
        for col in cols:
            if col.key == "no" or col.key == "reference":
                continue
            if col.header not in found:
                if col.optional:
                    continue
                raise FactsError(f"{self.name}：工作表“{title}”第{HEADER_ROW}行缺少列“{col.header}”",
                                 "请不要改动列名；可重新生成采集表后把内容复制过去")
            where[col.key] = found[col.header]
        out = []
        for r in range(FIRST_ROW, min(ws.max_row, FIRST_ROW + MAX_ROWS) + 1):
            vals: dict[str, Any] = {}
            cells: dict[str, Cell] = {}
            for col in cols:
                if col.key not in where:
                    continue
                c = where[col.key]
                cell = Cell(title, f"{ws.cell(row=r, column=c).column_letter}{r}", col.header)
                cells[col.key] = cell
                vals[col.key] = self._value(ws, wsf, r, c, cell)
            if any(v is not None for v in vals.values()):
                out.append((r, vals, cells))
        return out

    # -- sheets -----------------------------------------------------------------------------

    def facts(self):
        data: dict[str, Any] = {}
        self._info(data)
        metrics = self._metrics()
        items = {key: self._items(key) for key in ITEM_SHEETS}
        data["sections"] = {"shortcomings": self._shortcomings()}
        self._place_metrics(data, metrics, items)
        self._previous(data, items)
        for key, its in items.items():
            data["sections"][key] = [it for it, _ in its]
        self._people(data)
        if self.problems:
            self._raise(self.problems)
        return self._validate(data)

    def _info(self, data: dict[str, Any]) -> None:
        ws, wsf = self._sheet(SHEET_INFO)
        rows = {}
        for r in range(2, ws.max_row + 1):
            label = str(ws.cell(row=r, column=1).value or "").strip()
            rows[re.sub(r"（必填）$", "", label)] = r
        for f in INFO_FIELDS:
            r = rows.get(f.label)
            if r is None:
                raise FactsError(f"{self.name}：工作表“{SHEET_INFO}”缺少“{f.label}”一行",
                                 "请不要删除或改名 A 列的项目；可重新生成采集表后把内容复制过去")
            cell = Cell(SHEET_INFO, f"B{r}", f.label)
            self.locs[f.path] = cell
            v = self._value(ws, wsf, r, 2, cell)
            if v is None:
                continue
            if f.kind == "list":
                v = [x for x in re.split(r"[、，,；;\n]+", _text(v)) if x.strip()]
            elif f.kind == "int":
                v = _int(v)
            elif f.kind == "date":
                v = _date(v)
            elif f.kind == "type":
                v = UNIT_TYPES.get(_text(v), _text(v))
                if v not in UNIT_TYPES.values():
                    self.problems.append((cell, "只能是“政府部门”或“地方政府”"))
                    continue
            else:
                v = _text(v)
            target = data
            for part in f.path[:-1]:
                target = target.setdefault(part, {})
            target[f.path[-1]] = v
        data.setdefault("unit", {})

    def _metrics(self) -> list[tuple[dict[str, Any], dict[str, Cell], tuple[str, int] | None]]:
        out = []
        for _, vals, cells in self._table(SHEET_METRICS):
            m: dict[str, Any] = {}
            for key in ("id", "label", "unit", "part_of"):
                if vals[key] is not None:
                    m[key] = _text(vals[key])
            for key in ("value", "previous_value"):
                if vals[key] is not None:
                    m[key] = _number(vals[key])
            if vals["approx"] is not None:
                m["approx"] = _text(vals["approx"])
            if vals["exhaustive"] is not None:
                flag = YES_NO.get(_text(vals["exhaustive"]))
                if flag is None:
                    self.problems.append((cells["exhaustive"], "只能是“是”或“否”"))
                elif flag:
                    m["exhaustive"] = True
            if "value" not in m and "label" in m:
                self.problems.append((cells["value"], "未填写（只填数字；本年没有此项指标请删除整行）"))
            place = self._placement(vals, cells)
            out.append((m, cells, place))
        return out

    def _placement(self, vals: dict[str, Any], cells: dict[str, Cell]) -> tuple[str, int] | None:
        sec, item = vals["section"], vals["item"]
        if sec is None and item is None:
            return None
        key = _SECTION_KEYS.get(_text(sec)) if sec is not None else None
        if key is None or key == "shortcomings":
            self.problems.append((cells["section"], "请从下拉列表选择：" + "、".join(ITEM_SHEETS.values())
                                  + "（只在某一项下列出时填写）"))
            return None
        n = _int(item) if item is not None else None
        if not isinstance(n, int) or n < 1:
            self.problems.append((cells["item"], f"请填写“{sec}”表中的事项序号（正整数）"))
            return None
        return key, n

    def _items(self, key: str) -> list[tuple[dict[str, Any], list[tuple[str, Cell]]]]:
        """Items of an item sheet with the metric tokens of each (to resolve later)."""
        sheet = ITEM_SHEETS[key]
        items: list[tuple[dict[str, Any], list[tuple[str, Cell]]]] = []
        for _, vals, cells in self._table(sheet):
            if vals["title"] is not None:
                i = len(items)
                items.append(({"title": _text(vals["title"]), "facts": []}, []))
                self.locs[("sections", key, i)] = cells["title"]
                self.locs[("sections", key, i, "title")] = cells["title"]
                self.locs[("sections", key, i, "facts")] = cells["fact"]
            elif not items:
                self.problems.append((cells["title"], "请先填写标题：每项工作的第一行要有标题"))
                continue
            i = len(items) - 1
            item, tokens = items[-1]
            if vals["fact"] is not None:
                self.locs[("sections", key, i, "facts", len(item["facts"]))] = cells["fact"]
                item["facts"].append(_text(vals["fact"]))
            if vals.get("metrics") is not None:
                tokens.extend((t, cells["metrics"]) for t in _SPLIT.split(_text(vals["metrics"])) if t)
                self.locs.setdefault(("sections", key, i, "metrics"), cells["metrics"])
            if vals.get("outcome") is not None:
                if "outcome" in item:
                    self.problems.append((cells["outcome"], "每项工作只填一个成效（写在标题所在行）"))
                else:
                    self.locs[("sections", key, i, "outcome")] = cells["outcome"]
                    item["outcome"] = _text(vals["outcome"])
            if vals.get("answers") is not None:
                answers = item.setdefault("answers", [])
                for t in _SPLIT.split(_text(vals["answers"])):
                    if t:
                        self.locs[("sections", key, i, "answers", len(answers))] = cells["answers"]
                        answers.append(_int(re.sub(r"^第|项$", "", t)))
        return items

    def _place_metrics(self, data: dict[str, Any], metrics: list, items: dict[str, list]) -> None:
        """Top-level metrics in sheet order; an item's own (placed) metrics inline, in the order
        its 列出的指标 names them, then the rest of them in sheet order."""
        top = []
        placed: dict[tuple[str, int], list] = {}
        for m, cells, place in metrics:
            if place is None:
                top.append((m, cells))
                continue
            key, n = place
            if n > len(items[key]):
                self.problems.append((cells["item"], f"“{ITEM_SHEETS[key]}”表只有{len(items[key])}项，"
                                                     f"没有第{n}项"))
                continue
            placed.setdefault((key, n - 1), []).append((m, cells))
        data["metrics"] = []
        for j, (m, cells) in enumerate(top):
            data["metrics"].append(m)
            self._metric_locs(("metrics", j), cells)
        for key, its in items.items():
            for i, (item, tokens) in enumerate(its):
                own = placed.get((key, i), [])
                out: list[Any] = []
                for token, cell in tokens:
                    hit = next((x for x in own if x[0].get("id") == token), None)
                    if hit is not None:
                        own.remove(hit)
                        self._metric_locs(("sections", key, i, "metrics", len(out)), hit[1])
                        out.append(hit[0])
                    else:
                        self.locs[("sections", key, i, "metrics", len(out))] = cell
                        out.append(token)
                for m, cells in own:
                    self._metric_locs(("sections", key, i, "metrics", len(out)), cells)
                    out.append(m)
                if out:
                    item["metrics"] = out

    def _metric_locs(self, base: Loc, cells: dict[str, Cell]) -> None:
        self.locs[base] = cells["label"]
        for key, cell in cells.items():
            self.locs[base + (key,)] = cell

    def _shortcomings(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for _, vals, cells in self._table(SHEET_SHORT):
            if vals["problem"] is not None or vals["title"] is not None:
                i = len(out)
                item: dict[str, Any] = {"causes": []}
                if vals["title"] is not None:
                    item["title"] = _text(vals["title"])
                if vals["problem"] is not None:
                    item["problem"] = _text(vals["problem"])
                base = ("sections", "shortcomings", i)
                self.locs[base] = self.locs[base + ("problem",)] = cells["problem"]
                self.locs[base + ("title",)] = cells["title"]
                self.locs[base + ("causes",)] = cells["cause"]
                out.append(item)
            elif not out:
                self.problems.append((cells["problem"], "请先填写问题：每个问题的第一行要写明问题"))
                continue
            if vals["cause"] is not None:
                causes = out[-1]["causes"]
                self.locs[("sections", "shortcomings", len(out) - 1, "causes", len(causes))] = cells["cause"]
                causes.append(_text(vals["cause"]))
        return out

    def _people(self, data: dict[str, Any]) -> None:
        people, orgs, docs = [], [], []
        for _, vals, cells in self._table(SHEET_PEOPLE):
            kind = _text(vals["kind"]) if vals["kind"] is not None else None
            if kind not in KINDS:
                self.problems.append((cells["kind"], "请选择类别：“人员”“机构”或“文件”"))
                continue
            if kind == "文件":
                self._document(docs, vals, cells)
                continue
            keys = ("id", "name", "role", "org", "title") if kind == "人员" else ("id", "name", "role")
            if kind == "机构":
                for extra in ("org", "title"):
                    if vals[extra] is not None:
                        self.problems.append((cells[extra], "机构不填“所在单位”和“职务”（只用于人员）"))
            entry = {k: _text(vals[k]) for k in keys if vals[k] is not None}
            target, field = (people, "people") if kind == "人员" else (orgs, "organisations")
            base = (field, len(target))
            self.locs[base] = cells["name"]
            for k in keys:
                self.locs[base + (k,)] = cells[k]
            target.append(entry)
        data["people"], data["organisations"] = people, orgs
        if docs:
            data["documents"] = docs

    def _document(self, docs: list[dict[str, Any]], vals: dict[str, Any], cells: dict[str, Cell]) -> None:
        """A 文件 row: 名称 is the title, 所在单位 the issuer, 文号 the number."""
        for extra in ("role", "title"):
            if vals[extra] is not None:
                self.problems.append((cells[extra], "文件不填“角色”和“职务”（名称、发文机关、文号即可）"))
        fields = {"id": "id", "name": "title", "org": "issuer", "number": "number"}
        entry = {field: _text(vals[col]) for col, field in fields.items() if vals.get(col) is not None}
        base = ("documents", len(docs))
        self.locs[base] = cells["name"]
        for col, field in fields.items():
            if col in cells:
                self.locs[base + (field,)] = cells[col]
        docs.append(entry)

    def _previous(self, data: dict[str, Any], items: dict[str, list]) -> None:
        """去年计划落实: the plan texts, and each "今年落实情况" as a statement of the item that
        answers that plan (or, when none does, of a new measures item titled with the plan)."""
        rows = self._table(SHEET_PREV)
        plans: list[str] = []
        for _, vals, cells in rows:
            n = len(plans) + 1
            if vals["text"] is None:
                self.problems.append((cells["text"], "请填写去年计划事项（或删除整行）"))
                continue
            self.locs[("previous_plans", n - 1)] = cells["text"]
            plans.append(_text(vals["text"]))
            if vals["done"] is None:
                continue
            done = _text(vals["done"])
            target = next(((key, i) for key in ("measures", "leadership", "other")
                           for i, (it, _) in enumerate(items[key]) if n in it.get("answers", [])), None)
            if target is None:
                items["measures"].append(({"title": plans[-1], "facts": [], "answers": [n]}, []))
                target = ("measures", len(items["measures"]) - 1)
                self.locs[("sections", "measures", target[1])] = cells["text"]
                self.locs[("sections", "measures", target[1], "title")] = cells["text"]
            key, i = target
            item = items[key][i][0]
            self.locs[("sections", key, i, "facts", len(item["facts"]))] = cells["done"]
            item["facts"].append(done)
        if plans:
            data["previous_plans"] = plans

    # -- validation -------------------------------------------------------------------------

    def _validate(self, data: dict[str, Any]):
        from pydantic import ValidationError

        from drafter.facts.messages import clean_loc as _clean_loc, message as _message
        from drafter.facts.model import Facts
        from drafter.facts.validate import check_facts

        try:
            facts = Facts.model_validate(data)
        except ValidationError as e:
            self._raise([(self._cell(_clean_loc(err["loc"])), _message(err)) for err in e.errors()],
                        [_clean_loc(err["loc"]) for err in e.errors()])
        problems = check_facts(facts)
        if problems:
            self._raise([(self._cell(loc), msg) for loc, msg in problems], [loc for loc, _ in problems])
        return facts

    def _cell(self, loc: Loc) -> Cell | None:
        for n in range(len(loc), 0, -1):
            if tuple(loc[:n]) in self.locs:
                return self.locs[tuple(loc[:n])]
        return None

    def _raise(self, problems: list[tuple[Cell | None, str]], locs: list[Loc] | None = None) -> None:
        def text(cell: Cell | None, msg: str, loc: Loc | None) -> str:
            for yaml_words, excel_words in _EXCEL_WORDS:
                msg = msg.replace(yaml_words, excel_words)
            if cell is not None:
                return f"{cell.where()}：{msg}"
            what = "、".join(str(x) for x in loc) if loc else ""
            return f"{what}：{msg}" if what else msg

        locs = locs or [None] * len(problems)
        lines = [text(c, m, lc) for (c, m), lc in zip(problems, locs)]
        more = f"（另有{len(lines) - 1}处问题）" if len(lines) > 1 else ""
        err = FactsError(f"{self.name}：{lines[0]}{more}", "改正后重新运行；各表填法见“填写说明”工作表")
        err.problems = [(self.name, "", line) for line in lines]
        raise err
