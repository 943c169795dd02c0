"""A facts workbook pre-filled from last year (``drafter facts template --corpus … --unit …
--year …``): the unit's data, last year's metric labels and values, and last year's planned
items, all from :class:`drafter.corpus.history.History`."""

from __future__ import annotations

from typing import Any

from drafter.corpus.history import History, open_corpus
from drafter.errors import InputError
from drafter.facts.xlsx_layout import SHEET_METRICS, UNIT_TYPES
from drafter.facts.xlsx_template import WorkbookRows, build_workbook


def prefilled_workbook(corpus: Any, unit: str | None = None, year: int | None = None
                       ) -> tuple[bytes, list[str]]:
    """The workbook bytes and Chinese notes on what was pre-filled."""
    rows, notes = rows_from_corpus(corpus, unit, year)
    return build_workbook(rows), notes


def rows_from_corpus(corpus: Any, unit: str | None, year: int | None) -> tuple[WorkbookRows, list[str]]:
    """Last year's unit data, metric labels (last year's value beside an empty current value)
    and plan items, from ``corpus/<unit>/<year - 1>/``."""
    c = open_corpus(corpus)
    if unit is None:
        if len(c.units) != 1:
            raise InputError(f"{c.root}：语料库中有{len(c.units)}个单位，请用 --unit 指定",
                             "可选：" + ("、".join(c.units) or "（无）"))
        unit = c.units[0]
    years = c.history(unit)
    if not years:
        raise InputError(f"{c.root}：语料库中没有单位“{unit}”",
                         "可选：" + ("、".join(c.units) or "（无）"))
    if year is None:
        year = years[-1].year + 1
    entry = c.entry(unit, year - 1)
    if entry is None:
        raise InputError(f"{c.root}/{unit}：没有{year - 1}年度的资料，无法预填{year}年度的采集表",
                         "已有年度：" + "、".join(str(e.year) for e in years) + "；可用 --year 指定报告年度")
    # strict: an unreadable file of the year asked for is the user's to fix, not to skip
    history = History(c, unit, year, strict=True)
    last, report = history.last_facts(), history.last_report()
    rows = WorkbookRows(info={"报告年度": year, "语料库编号": unit})
    notes: list[str] = []
    if last is not None:
        u = last.unit
        rows.info.update({"单位全称": u.name, "自称": u.short,
                          "单位类型": next(k for k, v in UNIT_TYPES.items() if v == u.type),
                          "语料库编号": u.slug or unit, "上级领导机关": u.superior,
                          "主送机关": "、".join(last.recipients), "地方口径": last.profile,
                          "字体方案": last.font_profile})
        for m in last.all_metrics():
            row = {"id": m.id, "label": m.label, "unit": m.unit, "part_of": m.part_of,
                   "exhaustive": "是" if m.exhaustive else None}
            if m.approx:  # an approximate figure gives no exact year-over-year change
                from drafter.facts.render import metric_quantity

                rows.comments[(SHEET_METRICS, len(rows.metrics), "previous_value")] = (
                    f"上年为{metric_quantity(m)}（约数），不能计算同比变化")
            else:
                row["previous_value"] = m.value
            rows.metrics.append(row)
        rows.people = [{"kind": "人员", "id": p.id, "name": p.name, "role": p.role, "org": p.org,
                        "title": p.title} for p in last.people]
        rows.people += [{"kind": "机构", "id": o.id, "name": o.name, "role": o.role}
                        for o in last.organisations]
        notes.append(f"单位信息、{len(rows.metrics)}个指标（上年数值）、{len(rows.people)}个人员和机构"
                     f"取自 {entry.facts_path}")
    elif report is not None:
        from drafter.report.info import unit_name

        rows.info.update({"单位全称": unit_name(report), "主送机关": "、".join(report.recipients)})
        notes.append(f"单位信息取自 {entry.report_path}（上年没有事实文件，指标未预填）")
    plans, _source = history.plan_items()
    rows.previous = [{"text": p.text, "reference": p.detail or None} for p in plans]
    if plans:
        notes.append(f"{len(plans)}项去年计划取自 {plans[0].source}")
    else:
        notes.append("上年资料中没有“下一年度主要安排”，去年计划未预填")
    return rows, notes
