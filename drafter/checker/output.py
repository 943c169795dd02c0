"""Format findings: linter-style text (colour only on a terminal) and the JSON contract."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from drafter.checker.finding import SEVERITY_LABELS, Finding


@dataclass
class FileResult:
    """One checked file. ``review`` is the LLM review's statistics
    (``drafter.review.ReviewStats.to_json()``), None when review was not asked for."""

    path: str
    findings: list[Finding]
    stats: dict[str, int] = field(default_factory=dict)
    review: dict[str, Any] | None = None


def summary(results: list[FileResult]) -> dict[str, int]:
    allf = [f for r in results for f in r.findings]
    return {"files": len(results),
            "errors": sum(f.severity == "error" for f in allf),
            "warnings": sum(f.severity == "warning" for f in allf),
            "infos": sum(f.severity == "info" for f in allf)}


def to_json(results: list[FileResult]) -> dict[str, Any]:
    """The JSON of DESIGN.md; with LLM review, each file and the summary gain ``"llm"``
    (requests, tokens, proposals kept and dropped by reason)."""
    files = []
    for r in results:
        entry: dict[str, Any] = {"path": r.path, "findings": [f.to_json() for f in r.findings],
                                 "stats": r.stats}
        if r.review is not None:
            entry["llm"] = r.review
        files.append(entry)
    out: dict[str, Any] = {"files": files, "summary": summary(results)}
    reviews = [(r.path, r.review) for r in results if r.review is not None]
    if reviews:
        out["summary"]["llm"] = review_totals(reviews)
    return out


def review_totals(reviews: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """The LLM review statistics of several (path, statistics) added up: numbers summed,
    drop reasons merged, failed parts listed as "path：part：reason"."""
    total: dict[str, Any] = {"dropped": {}, "failed": []}
    for path, rv in reviews:
        for k, v in rv.items():
            if k == "dropped":
                for reason, n in v.items():
                    total["dropped"][reason] = total["dropped"].get(reason, 0) + n
            elif k == "failed":
                total["failed"] += [f"{path}：{x}" for x in v]
            elif isinstance(v, (int, float)):
                total[k] = total.get(k, 0) + v
    return total


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
