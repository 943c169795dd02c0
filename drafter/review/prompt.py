"""The messages of one review request, from the data files ``prompts/review/system.yaml`` and
``prompts/review/chunk.yaml`` (no prompt text lives here).

The user message carries the report's title, unit and year, which part this is, the rule
findings already made in it (so the model does not repeat them) and, for the plans part,
the shortcomings to compare them with; the part's own text stands between two markers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from drafter.prompts import load_prompt

if TYPE_CHECKING:  # pragma: no cover
    from drafter.checker import Finding
    from drafter.report import Report
    from drafter.review.chunks import Chunk

MAX_RULE_LINES = 30  # rule findings listed per part (the rest are summarised as a count)
UNKNOWN = "（未识别）"


def prompt_version() -> str:
    """The version of the review prompts (part of the cache key with the text itself)."""
    s, c = load_prompt("review", "system"), load_prompt("review", "chunk")
    return f"{s.get('version', 0)}.{c.get('version', 0)}"


def report_facts(report: "Report") -> dict[str, str]:
    """Title, unit and reporting year as the prompt shows them."""
    from drafter.report.info import reporting_year, unit_name

    year = reporting_year(report)
    return {"title": report.title.text.strip() if report.title else UNKNOWN,
            "unit": unit_name(report) or UNKNOWN,
            "year": str(year[0]) if year else UNKNOWN}


def rule_lines(chunk: "Chunk", findings: list["Finding"]) -> str:
    """The warning and error findings of the rules inside ``chunk``, one line each."""
    inside = [f for f in findings if f.source == "rules" and f.severity != "info"
              and f.quote and chunk.start <= f.start < chunk.end]
    lines = [f"- “{_one_line(f.quote)}”——{_one_line(f.message)}" for f in inside[:MAX_RULE_LINES]]
    if len(inside) > MAX_RULE_LINES:
        lines.append(f"- ……另有 {len(inside) - MAX_RULE_LINES} 条")
    return "\n".join(lines) or "（无）"


def _one_line(s: str, limit: int = 60) -> str:
    s = " ".join(s.split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def messages(report_info: dict[str, str], chunk: "Chunk",
             findings: list["Finding"]) -> list[tuple[str, str]]:
    """(role, content) pairs of the request for ``chunk``."""
    system = load_prompt("review", "system")
    user = load_prompt("review", "chunk")
    context = user.text("context", context=chunk.context) if chunk.context else ""
    body = user.text("user", title=report_info["title"], unit=report_info["unit"],
                     year=report_info["year"], part=chunk.label,
                     rule_findings=rule_lines(chunk, findings), context=context, text=chunk.text,
                     start_marker=_markers()[0], end_marker=_markers()[1])
    return [("system", system.text("text")), ("user", body)]


def _markers() -> tuple[str, str]:
    start, end = load_prompt("review", "chunk").raw("markers")
    return str(start), str(end)


def chunk_text_of(user_message: str) -> str | None:
    """The part's own text inside a user message (between the markers), else None — how a
    test server or an evaluation tells which part a request is about."""
    start, end = _markers()
    a = user_message.find(start)
    b = user_message.find(end, a + 1)
    if a < 0 or b < 0:
        return None
    return user_message[a + len(start):b].strip("\n")
