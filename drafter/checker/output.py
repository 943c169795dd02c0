"""Format findings: linter-style text (colour only on a terminal) and the JSON contract."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from drafter.checker.finding import SEVERITY_LABELS, Finding


@dataclass
class FileResult:
    """One checked file. ``unit`` (the unit's name as the report writes it) and ``deadline``
    (on time or late, DAT006) feed the 审核意见表 (``--export``); neither is in the JSON."""

    path: str
    findings: list[Finding]
    stats: dict[str, int] = field(default_factory=dict)
    unit: str | None = None
    deadline: str | None = None


def summary(results: list[FileResult]) -> dict[str, int]:
    allf = [f for r in results for f in r.findings]
    return {"files": len(results),
            "errors": sum(f.severity == "error" for f in allf),
            "warnings": sum(f.severity == "warning" for f in allf),
            "infos": sum(f.severity == "info" for f in allf)}


def to_json(results: list[FileResult]) -> dict[str, Any]:
    return {"files": [{"path": r.path, "findings": [f.to_json() for f in r.findings],
                       "stats": r.stats} for r in results],
            "summary": summary(results)}


def render_json(results: list[FileResult]) -> str:
    return json.dumps(to_json(results), ensure_ascii=False, indent=2)


_SEV_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def render_text(results: list[FileResult], color: bool = False) -> str:
    """``path:line:col: ID 消息`` per finding, then one summary line."""
    lines: list[str] = []
    for r in results:
        for f in r.findings:
            loc = f"{r.path}:{f.line or 0}:{f.column or 0}:"
            sev = SEVERITY_LABELS[f.severity]
            quote = f"“{_short(f.quote)}”" if f.quote else ""
            sugg = f" 建议：{f.suggestion}" if f.suggestion else ""
            if color:
                from rich.markup import escape

                lines.append(f"[bold]{escape(loc)}[/bold] [{_SEV_STYLE[f.severity]}]{f.rule}"
                             f"[/{_SEV_STYLE[f.severity]}] {escape(f.message)} "
                             f"[dim]{escape(quote)}[/dim]{escape(sugg)} [dim]({sev})[/dim]")
            else:
                # Join the parts that are there: a double space inside a quote is kept.
                parts = (loc, f.rule, f.message, quote, sugg.strip(), f"({sev})")
                lines.append(" ".join(x for x in parts if x))
    s = summary(results)
    lines.append(f"共检查 {s['files']} 个文件：{s['errors']} 个错误，{s['warnings']} 个警告，"
                 f"{s['infos']} 个提示")
    return "\n".join(lines)


def _short(s: str, n: int = 40) -> str:
    s = s.replace("\n", "⏎")
    return s if len(s) <= n else s[: n - 1] + "…"
