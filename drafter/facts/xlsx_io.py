"""Read a facts workbook into :class:`~drafter.facts.model.Facts`, collecting every problem.

Every problem names the workbook, the sheet, the cell and the column in the workbook's own
Chinese column name::

    事实采集表.xlsx：工作表“数据指标”单元格 C5（本年数值）：应为数字（只填数字，不带单位；约数在“约数”列选择）

The reader records, for every model field it fills, the cell it came from (``locs``), then
validates with the same pydantic model and checks as a YAML file
(:func:`drafter.facts.collect.validate_collecting`) and maps each problem's field path back to
its cell. What it notices itself (a statement before any title, a name in 接上数据指标 that
数据指标 does not have) joins the same list, so one run lists everything.

Clerks never type an id: a metric is chosen by its name (接上数据指标, 属于哪个总数) and gets
an id here when something refers to it; a statement whose row names a metric becomes
"statement，{id}".
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from drafter.errors import FactsError
from drafter.facts.xlsx_layout import (
    FIRST_ROW, FONT_CHOICES, HEADER_ROW, INFO_FIELDS, ITEM_SHEETS, KINDS, MAX_ROWS, SECTION_NAMES,
    SHEET_INFO, SHEET_METRICS, SHEET_PEOPLE, SHEET_PREV, SHEET_SHORT, UNIT_TYPES,
    YES_NO, cell_date as _date, cell_int as _int, cell_number as _number, cell_text as _text,
    table_cols)
from drafter.facts.xlsx_problems import Cell, cell_of, problem_lines

MAX_XLSX_BYTES = 20 * 1024 * 1024
Loc = tuple  # a pydantic error location (field path)
_SPLIT = re.compile(r"[、，,；;\s]+")
_SECTION_KEYS = {v: k for k, v in SECTION_NAMES.items()}
_HINT = "改正后重新运行；各表填法见“填写说明”工作表"


def read_workbook(path: Path):
    """Parse and validate a workbook; raises FactsError naming sheet, cell and field (its
    ``problems`` list every one)."""
    return inspect_workbook(path).raise_errors(_HINT)


def inspect_workbook(path: Path):
    """Read and check a workbook, collecting every problem (a
    :class:`drafter.facts.load.FactsCheck`); FactsError only when it cannot be read at all."""
    name = str(path)
    if not path.exists():
        raise FactsError(f"{name}：事实采集表不存在", "请检查路径，或用 drafter facts template -o 事实采集表.xlsx 生成")
    if path.stat().st_size > MAX_XLSX_BYTES:
        raise FactsError(f"{name}：文件过大（超过 20 MB）", "请确认是否为事实采集表")
    from drafter.facts.xlsx_stream import open_workbook

    # A preflight of the package, then one streaming read of each sheet the reader uses
    # (values and formula texts together): a small file never stands for a huge workbook.
    values, formulas = open_workbook(path, name)
    with values:
        return _Reader(name, values, formulas).check()


class _Reader:
    def __init__(self, name: str, values: Any, formulas: Any):
        self.name, self.wb, self.wbf = name, values, formulas
        self.locs: dict[Loc, Cell] = {}
        self.problems: list[tuple[Cell | None, str]] = []
        self.used_ids: set[str] = set()
        self.unresolved: set[int] = set()  # id() of metrics whose total could not be found
        self.masked: list[Loc] = []  # their part_of paths: not checked again

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
        """Non-empty data rows of a table sheet: (row, values by column key, cells by key).
        A column found under an older header (``Col.aliases``) is read under its key with
        ``:old`` appended, so the caller can read it the old way."""
        ws, wsf = self._sheet(title)
        cols = table_cols(title)
        found = {str(ws.cell(row=HEADER_ROW, column=c).value or "").strip(): c
                 for c in range(1, ws.max_column + 1)}
        where: dict[str, tuple[int, str, str]] = {}  # key -> (column, header, key as read)
        for col in cols:
            if col.key in ("no", "reference"):
                continue
            if col.header in found:
                where[col.key] = (found[col.header], col.header, col.key)
            elif any(a in found for a in col.aliases):
                old = next(a for a in col.aliases if a in found)
                where[col.key] = (found[old], old, col.key + ":old")
            elif col.key in ("confirm",) or col.hidden or col.optional:
                continue  # added later: a workbook made before it simply has none
            else:
                raise FactsError(f"{self.name}：工作表“{title}”第{HEADER_ROW}行缺少列“{col.header}”",
                                 "请不要改动列名；可重新生成采集表后把内容复制过去")
        out = []
        for r in range(FIRST_ROW, min(ws.max_row, FIRST_ROW + MAX_ROWS) + 1):
            vals: dict[str, Any] = {col.key: None for col in cols}
            cells: dict[str, Cell] = {}
            for key, (c, header, as_read) in where.items():
                cell = Cell(title, f"{ws.cell(row=r, column=c).column_letter}{r}", header)
                cells[key] = cell
                vals[as_read] = self._value(ws, wsf, r, c, cell)
            if any(v is not None for v in vals.values()):
                for col in cols:  # columns a workbook lacks: named by their header
                    cells.setdefault(col.key, Cell(title, f"?{r}", col.header))
                out.append((r, vals, cells))
        return out

    # -- the whole workbook -----------------------------------------------------------------

    def check(self):
        from drafter.facts.collect import validate_collecting
        from drafter.facts.load import FactsCheck

        data: dict[str, Any] = {}
        self._info(data)
        metrics = self._metrics()
        items = {key: self._items(key, metrics) for key in ITEM_SHEETS}
        data["sections"] = {"shortcomings": self._shortcomings()}
        self._resolve_parts(metrics)
        self._place_metrics(data, metrics, items)
        self._previous(data, items)
        for key, its in items.items():
            data["sections"][key] = [it for it, _ in its]
        self._people(data)
        got = validate_collecting(data, self.masked)
        errors = self.problems + [(cell_of(self.locs, loc), msg) for loc, msg in got.errors]
        notices = [(cell_of(self.locs, loc), msg) for loc, msg in got.notices]
        locs = [None] * len(self.problems) + [loc for loc, _ in got.errors]
        return FactsCheck(self.name, None if errors else got.facts,
                          problem_lines(self.name, errors, locs),
                          problem_lines(self.name, notices, [loc for loc, _ in got.notices]))

    def _info(self, data: dict[str, Any]) -> None:
        ws, wsf = self._sheet(SHEET_INFO)
        rows = {}
        for r in range(2, ws.max_row + 1):
            label = str(ws.cell(row=r, column=1).value or "").strip()
            rows[re.sub(r"（必填）$", "", label)] = r
        for f in INFO_FIELDS:
            r = next((rows[x] for x in (f.label, *f.aliases) if x in rows), None)
            if r is None:
                if f.kind in ("yesno",) or f.path == ("doc_number",):
                    continue  # rows added later: an older workbook has none
                raise FactsError(f"{self.name}：工作表“{SHEET_INFO}”缺少“{f.label}”一行",
                                 "请不要删除或改名 A 列的项目；可重新生成采集表后把内容复制过去")
            cell = Cell(SHEET_INFO, f"B{r}", f.label)
            self.locs[f.path] = cell
            v = self._value(ws, wsf, r, 2, cell)
            if v is None:
                continue
            v = self._info_value(f, v, cell)
            if v is None:
                continue
            target = data
            for part in f.path[:-1]:
                target = target.setdefault(part, {})
            target[f.path[-1]] = v
        data.setdefault("unit", {})

    def _info_value(self, f: Any, v: Any, cell: Cell) -> Any:
        if f.kind == "list":
            return [x for x in re.split(r"[、，,；;\n]+", _text(v)) if x.strip()]
        if f.kind == "int":
            return _int(v)
        if f.kind == "date":
            return _date(v)
        if f.kind == "type":
            v = UNIT_TYPES.get(_text(v), _text(v))
            if v not in UNIT_TYPES.values():
                self.problems.append((cell, "只能是“政府部门”或“地方政府”"))
                return None
            return v
        if f.kind == "font":
            return FONT_CHOICES.get(_text(v), _text(v))
        if f.kind == "yesno":
            flag = YES_NO.get(_text(v))
            if flag is None:
                self.problems.append((cell, "只能是“是”或“否”"))
            return flag
        return _text(v)

    def _flag(self, vals: dict[str, Any], cells: dict[str, Cell], key: str) -> bool:
        if vals.get(key) is None:
            return False
        flag = YES_NO.get(_text(vals[key]))
        if flag is None:
            self.problems.append((cells[key], "只能是“是”或“否”"))
        return bool(flag)

    # -- 数据指标 ------------------------------------------------------------------------------

    def _metrics(self) -> list[dict[str, Any]]:
        """Each metric row: ``m`` (the model's fields), ``cells``, ``place`` (an item's own
        metric) and ``row`` (for an id made up when something refers to it)."""
        out = []
        for r, vals, cells in self._table(SHEET_METRICS):
            m: dict[str, Any] = {}
            for key in ("id", "label", "unit"):
                if vals[key] is not None:
                    m[key] = _text(vals[key])
            for key in ("value", "previous_value"):
                if vals[key] is not None:
                    m[key] = _number(vals[key])
            if vals["approx"] is not None:
                m["approx"] = _text(vals["approx"])
            exhaustive = vals.get("exhaustive") if vals.get("exhaustive") is not None else vals.get("exhaustive:old")
            if self._flag({"exhaustive": exhaustive}, cells, "exhaustive"):
                m["exhaustive"] = True
            if self._flag(vals, cells, "confirm"):
                m["confirm"] = True
            if "value" not in m and "label" in m:
                self.problems.append((cells["value"], "未填写（只填数字；本年没有此项指标请删除整行）"))
            if m.get("id"):
                self.used_ids.add(m["id"])
            part = vals.get("part_of") if vals.get("part_of") is not None else vals.get("part_of:old")
            out.append({"m": m, "cells": cells, "place": self._placement(vals, cells), "row": r,
                        "part": _text(part) if part is not None else None})
        return out

    def _metric_id(self, entry: dict[str, Any]) -> str:
        """The metric's id, made up (m5 for row 5) when it has none."""
        m = entry["m"]
        if not m.get("id"):
            ident, n = f"m{entry['row']}", 1
            while ident in self.used_ids:
                n += 1
                ident = f"m{entry['row']}_{n}"
            m["id"] = ident
            self.used_ids.add(ident)
        return m["id"]

    def _find_metric(self, metrics: list[dict[str, Any]], ref: str, cell: Cell) -> str | None:
        """The id of the metric ``ref`` names: an id, else a unique 指标名称."""
        by_id = [e for e in metrics if e["m"].get("id") == ref]
        named = by_id or [e for e in metrics if e["m"].get("label") == ref]
        if len(named) == 1:
            return self._metric_id(named[0])
        if named:
            self.problems.append((cell, f"“{SHEET_METRICS}”表中有{len(named)}个指标名为“{ref}”，"
                                        "请把名称改得各不相同后重新选择"))
        else:
            self.problems.append((cell, f"“{SHEET_METRICS}”表中没有名为“{ref}”的指标（请从下拉列表选择）"))
        return None

    def _resolve_parts(self, metrics: list[dict[str, Any]]) -> None:
        for e in metrics:
            if e["part"] is not None:
                found = self._find_metric(metrics, e["part"], e["cells"]["part_of"])
                if found is not None:
                    e["m"]["part_of"] = found
                else:
                    self.unresolved.add(id(e["m"]))

    def _placement(self, vals: dict[str, Any], cells: dict[str, Cell]) -> tuple[str, int] | None:
        sec, item = vals.get("section"), vals.get("item")
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

    # -- the item sheets ---------------------------------------------------------------------

    def _items(self, key: str, metrics: list[dict[str, Any]]
               ) -> list[tuple[dict[str, Any], list[tuple[str, Cell]]]]:
        """Items of an item sheet with the metrics listed after their statements (ids, to
        place later). A metric chosen on a row with a statement joins that statement."""
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
            item, listed = items[-1]
            fact = _text(vals["fact"]) if vals["fact"] is not None else None
            if vals.get("metric:old") is not None:  # an older workbook: ids listed after the item
                listed += [(t, cells["metric"]) for t in _SPLIT.split(_text(vals["metric:old"])) if t]
                self.locs.setdefault(("sections", key, i, "metrics"), cells["metric"])
            if vals.get("metric") is not None:
                ident = self._find_metric(metrics, _text(vals["metric"]), cells["metric"])
                if ident is not None and fact is not None:
                    fact = f"{fact.rstrip('。；;，,')}，{{{ident}}}"
                elif ident is not None:
                    listed.append((ident, cells["metric"]))
            if fact is not None:
                self.locs[("sections", key, i, "facts", len(item["facts"]))] = cells["fact"]
                confirm = self._flag(vals, cells, "confirm")
                item["facts"].append({"text": fact, "confirm": True} if confirm else fact)
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
        if not items:
            self.locs[("sections", key)] = Cell(sheet, f"B{FIRST_ROW}", "标题")
        return items

    def _place_metrics(self, data: dict[str, Any], metrics: list[dict[str, Any]],
                       items: dict[str, list]) -> None:
        """Top-level metrics in sheet order; an item's own (placed) metrics inline, in the order
        its listed metrics name them, then the rest of them in sheet order."""
        top = []
        placed: dict[tuple[str, int], list] = {}
        for e in metrics:
            m, cells, place = e["m"], e["cells"], e["place"]
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
            self._metric_locs(("metrics", j), cells, m)
        for key, its in items.items():
            for i, (item, tokens) in enumerate(its):
                own = placed.get((key, i), [])
                out: list[Any] = []
                for token, cell in tokens:
                    hit = next((x for x in own if x[0].get("id") == token), None)
                    if hit is not None:
                        own.remove(hit)
                        self._metric_locs(("sections", key, i, "metrics", len(out)), hit[1], hit[0])
                        out.append(hit[0])
                    else:
                        self.locs[("sections", key, i, "metrics", len(out))] = cell
                        out.append(token)
                for m, cells in own:
                    self._metric_locs(("sections", key, i, "metrics", len(out)), cells, m)
                    out.append(m)
                if out:
                    item["metrics"] = out

    def _metric_locs(self, base: Loc, cells: dict[str, Cell], m: dict[str, Any]) -> None:
        if id(m) in self.unresolved:
            self.masked.append(base + ("part_of",))
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
                text = _text(vals["cause"])
                causes.append({"text": text, "confirm": True} if self._flag(vals, cells, "confirm") else text)
        if not out:
            self.locs[("sections", "shortcomings")] = Cell(SHEET_SHORT, f"C{FIRST_ROW}", "问题")
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
