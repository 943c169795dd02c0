"""Findings: what a rule reports, in the JSON shape fixed by DESIGN.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
Source = Literal["rules", "llm"]
SOURCE_LABELS = {"rules": "规则", "llm": "大模型"}
# The categories of DESIGN.md, with the Chinese word users read (web page, 审核意见表).
CATEGORY_LABELS = {"structure": "结构", "count": "数字", "placeholder": "占位符", "name": "人名",
                   "law": "法规名称", "institution": "机构名称", "typo": "错别字", "date": "日期",
                   "format": "格式", "fact": "事实核对", "plan": "上年计划", "style": "文风"}
CATEGORIES = tuple(CATEGORY_LABELS)
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITIES = tuple(SEVERITY_LABELS)


@dataclass(frozen=True)
class Edit:
    """A safe mechanical fix: replace ``Report.text[start:end]`` with ``replacement``."""

    start: int
    end: int
    replacement: str


@dataclass
class Hit:
    """What a rule function yields: a span of ``Report.text`` and what is wrong with it.

    ``start == end`` marks something absent (a missing section): the offset is where the
    finding points (its line), e.g. the heading the missing part should follow. ``severity``
    overrides the rule's default.
    ``edits`` are safe fixes that ``--fix`` may apply; None means "suggestion only".
    """

    start: int
    end: int
    message: str
    suggestion: str | None = None
    section: str | None = None
    severity: Severity | None = None
    edits: tuple[Edit, ...] | None = None


@dataclass
class Finding:
    rule: str
    name: str
    category: str
    severity: Severity
    message: str
    line: int | None
    column: int | None
    quote: str
    suggestion: str | None = None
    section: str | None = None
    start: int = 0
    end: int = 0
    edits: tuple[Edit, ...] | None = field(default=None, repr=False)
    # Who found it: "rules" (a checker rule) or "llm" (a model's proposal that drafter
    # verified against the text, drafter.review); part of the JSON contract.
    source: Source = "rules"

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "name": self.name, "category": self.category,
                "severity": self.severity, "message": self.message, "line": self.line,
                "column": self.column, "quote": self.quote, "suggestion": self.suggestion,
                "section": self.section, "source": self.source}
