"""The rows of the 审核意见表: findings grouped, labelled and ordered the way a legal office
returns them, plus what each file's summary says about it (the unit, on time or late).

One row per (file, rule, paragraph): twenty half-width commas in one paragraph are one row
"本段共20处", not twenty. Rows follow the files in input order and, within a file, the text
(line, then column). The columns are the contract of ``drafter check --export`` (DESIGN.md
"Additions"): :data:`COLUMNS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from drafter.checker.finding import CATEGORY_LABELS, SEVERITIES, SEVERITY_LABELS

if TYPE_CHECKING:  # pragma: no cover
    from drafter.checker import Finding, Rule
    from drafter.checker.output import FileResult
    from drafter.report import Report

COLUMNS: tuple[str, ...] = ("序号", "文件", "单位", "位置（行/段）", "所在部分", "类别", "级别", "规则",
                            "原文", "问题", "修改建议", "来源")
SOURCE_LABELS = {"rules": "规则审核", "llm": "大模型辅助"}
HEAD = "开头（标题、主送机关、导语）"
TAIL = "结尾（署名、成文日期）"
WHOLE = "全文"
_QUOTES_SHOWN = 5  # distinct quotes listed in one grouped row


@dataclass
class ReviewRow:
    """One row of the 审核意见表 (``values()`` in :data:`COLUMNS` order); ``count`` is how many
    findings it stands for, ``severity`` the gravest of them (a key of SEVERITY_LABELS)."""

    number: int
    file: str
    unit: str
    position: str
    part: str
    category: str
    severity: str
    rule: str
    quote: str
    problem: str
    suggestion: str
    source: str
    count: int = 1
    line: int | None = None
    file_index: int = 0

    def values(self) -> list[str | int]:
        return [self.number, self.file, self.unit, self.position, self.part,
                CATEGORY_LABELS.get(self.category, self.category),
                SEVERITY_LABELS.get(self.severity, self.severity), self.rule, self.quote,
                self.problem, self.suggestion, SOURCE_LABELS.get(self.source, self.source)]


@dataclass
class UnitSummary:
    """One checked file in the summary: its opinions (rows) by severity and by category, and
    the deadline verdict (DAT006)."""

    file: str
    unit: str
    deadline: str
    rows: int = 0
    severities: dict[str, int] = field(default_factory=dict)
    categories: dict[str, int] = field(default_factory=dict)


# ---- describing a checked report (called once per file, by drafter.api.check_file) ----------

def describe_report(report: "Report", findings: list["Finding"],
                    rules: Iterable["Rule"]) -> tuple[str | None, str]:
    """Set ``finding.part`` (所在部分) on every finding and return (the unit's name or None,
    the deadline verdict: 按时 / 逾期… / 未能判断…)."""
    from drafter.report.info import unit_name

    parts = _parts(report)
    for f in findings:
        f.part = _part_of(parts, f)
    return unit_name(report), deadline_verdict(report, findings, rules)


def _parts(report: "Report") -> list[tuple[int, str]]:
    """(first line, label) of each part of the report in document order: the opening, each
    level-1 section (its mandated item's label, else its heading), the closing."""
    from drafter.sections import label

    out = [(1, HEAD)]
    for sec in report.sections:
        if sec.key:
            name = label(sec.key)
        else:
            title = sec.heading.paragraph.text.strip()
            name = title if len(title) <= 20 else title[:19] + "…"
        out.append((sec.line, name))
    ends = [p.line for p in (report.signature, report.date) if p is not None]
    if ends and (not report.sections or min(ends) > report.sections[-1].line):
        out.append((min(ends), TAIL))
    return out


def _part_of(parts: list[tuple[int, str]], f: "Finding") -> str:
    from drafter.sections import label

    if f.section:  # a mandated item missing or misplaced: the item itself
        return label(f.section)
    if not f.quote and f.rule.startswith("STR"):
        return WHOLE
    if f.line is None:
        return WHOLE
    name = parts[0][1]
    for first, label_ in parts:
        if f.line >= first:
            name = label_
    return name


def deadline_verdict(report: "Report", findings: list["Finding"], rules: Iterable["Rule"]) -> str:
    """按时 / 逾期（…）/ 未能判断（…）: what DAT006 said about the 成文日期, in a few words."""
    from drafter.report.info import report_date, unit_info

    if not any(r.id == "DAT006" for r in rules):
        return "未检查（未运行 DAT006）"
    late = [f for f in findings if f.rule == "DAT006"]
    if late:
        return f"逾期（{late[0].message.split('（', 1)[0]}）"
    d = report_date(report)
    if d is None:
        return "未能判断（未找到成文日期）"
    if not d.valid:
        return f"未能判断（成文日期“{d.raw}”无法识别）"
    if unit_info(report) is None:
        return f"未晚于公开期限（成文日期{d.raw}；单位类型未能判断）"
    return f"按时（成文日期{d.raw}）"


# ---- rows ---------------------------------------------------------------------------------

def review_rows(results: Iterable["FileResult"]) -> list[ReviewRow]:
    """All rows, files in input order, each file's rows in text order, numbered from 1."""
    rows: list[ReviewRow] = []
    for i, r in enumerate(results):
        rows.extend(_file_rows(r, i))
    for i, row in enumerate(rows, start=1):
        row.number = i
    return rows


def _file_rows(result: "FileResult", index: int) -> list[ReviewRow]:
    name = result.path
    unit = result.unit or "（未能识别）"
    where = "行" if Path(result.path).suffix.lower() in (".txt", ".md") else "段"
    groups: dict[tuple[str, int | None], list["Finding"]] = {}
    for f in sorted(result.findings, key=lambda f: (f.line or 0, f.column or 0)):
        groups.setdefault((f.rule, f.line), []).append(f)
    out = []
    for (rule, line), fs in groups.items():  # in the order of their first finding
        first = fs[0]
        severity = min((f.severity for f in fs), key=SEVERITIES.index)
        out.append(ReviewRow(
            number=0, file=name, unit=unit,
            position=f"第{line}{where}" if line else WHOLE,
            part=getattr(first, "part", None) or WHOLE, category=first.category,
            severity=severity, rule=rule, quote=_quotes(fs), problem=_problem(fs),
            suggestion=_suggestion(fs), source=getattr(first, "source", None) or "rules",
            count=len(fs), line=line, file_index=index))
    return out


def _quotes(fs: list["Finding"]) -> str:
    quotes = list(dict.fromkeys(f.quote.replace("\n", "⏎") for f in fs if f.quote))
    if len(quotes) <= 1:
        return quotes[0] if quotes else ""
    shown = "、".join(f"“{q}”" for q in quotes[:_QUOTES_SHOWN])
    return shown + ("等" if len(quotes) > _QUOTES_SHOWN else "")


def _problem(fs: list["Finding"]) -> str:
    from drafter.checker.grouping import fix_count, is_mechanical, mechanical_note

    if len(fs) == 1:
        return fs[0].message
    if all(is_mechanical(f) for f in fs):
        return mechanical_note(fs[0].rule, fix_count(fs))
    messages = list(dict.fromkeys(f.message for f in fs))
    text = messages[0] if len(messages) == 1 else _common_summary(fs)
    return text + f"（本段共{len(fs)}处）"


def _common_summary(fs: list["Finding"]) -> str:
    from drafter.checker.registry import get_rule

    rule = get_rule(fs[0].rule)  # None for a rule outside the registry (an LLM finding)
    return rule.summary if rule is not None else fs[0].message


def _suggestion(fs: list["Finding"]) -> str:
    suggestions = list(dict.fromkeys(f.suggestion for f in fs if f.suggestion))
    if not suggestions:
        return ""
    if len(suggestions) == 1:
        return suggestions[0]
    shown = "；".join(suggestions[:_QUOTES_SHOWN])
    return shown + ("等" if len(suggestions) > _QUOTES_SHOWN else "")


def unit_summaries(results: Iterable["FileResult"], rows: list[ReviewRow]) -> list[UnitSummary]:
    """Per file: its rows (opinions) by severity and by category, and the deadline verdict."""
    out = []
    for i, r in enumerate(results):
        mine = [row for row in rows if row.file_index == i]
        s = UnitSummary(file=r.path, unit=r.unit or "（未能识别）", deadline=r.deadline or "未检查",
                        rows=len(mine))
        s.severities = {sev: sum(row.severity == sev for row in mine) for sev in SEVERITIES}
        for row in mine:
            s.categories[row.category] = s.categories.get(row.category, 0) + 1
        out.append(s)
    return out
