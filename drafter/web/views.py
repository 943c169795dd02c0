"""What the pages show, made from the API's results: labels, findings placed in the section
they fall in with the text around their quote, grouped by section and severity, and the rule
documentation as HTML. Presentation only — the findings themselves come from the checker."""

from __future__ import annotations

from typing import Any

from drafter.checker.finding import CATEGORY_LABELS, SEVERITY_LABELS  # noqa: F401 — the templates read them here

WHOLE = "全文（缺少的内容）"
HEAD = "开头（标题、主送机关、导语）"
TAIL = "结尾（署名、成文日期）"
CONTEXT_CHARS = 24


def _regions(report: Any) -> list[tuple[int, str]]:
    """(first line, label) of each part of the report, in document order."""
    regions = [(1, HEAD)]
    for s in report.sections:
        title = s.heading.paragraph.text.strip()
        regions.append((s.line, title if len(title) <= 30 else title[:29] + "…"))
    ends = [p.line for p in (report.signature, report.date) if p is not None]
    if ends and (not report.sections or min(ends) > report.sections[-1].line):
        regions.append((min(ends), TAIL))
    return regions


def _region_of(regions: list[tuple[int, str]], line: int | None) -> str:
    label = regions[0][1]
    for first, name in regions:
        if line is not None and line >= first:
            label = name
    return label


def _context(report: Any, start: int, end: int) -> tuple[str, str]:
    """Up to CONTEXT_CHARS characters before and after a quote, within its paragraphs."""
    if not report.paragraphs or start >= len(report.text) + 1:
        return "", ""
    first, last = report.paragraph_at(start), report.paragraph_at(max(start, end - 1))
    text = report.text
    lo = max(first.offset, start - CONTEXT_CHARS)
    hi = min(last.offset + len(last.text), end + CONTEXT_CHARS)
    before = ("…" if lo > first.offset else "") + text[lo:start]
    after = text[end:hi] + ("…" if hi < last.offset + len(last.text) else "")
    return before, after


def file_view(result: Any, report: Any) -> dict[str, Any]:
    """One checked file as JSON-safe data for the page: every finding with its ``group``
    (the part of the report it is in) and ``before``/``after`` context."""
    regions = _regions(report)
    findings = []
    for f in result.findings:
        d = f.to_json()
        absent = not f.quote
        d["group"] = WHOLE if absent or f.line is None else _region_of(regions, f.line)
        d["before"], d["after"] = ("", "") if absent else _context(report, f.start, f.end)
        findings.append(d)
    review_lines: list[str] = []
    if getattr(result, "review", None) is not None:
        from drafter.review.summary import summary_lines

        review_lines = summary_lines([result])
    return {"name": result.path, "stats": result.stats, "findings": findings,
            "groups": list(dict.fromkeys([WHOLE] + [name for _, name in regions])),
            "counts": counts(findings), "review_lines": review_lines}


def counts(findings: list[dict[str, Any]]) -> dict[str, int]:
    return {sev: sum(f["severity"] == sev for f in findings) for sev in SEVERITY_LABELS}


def category_counts(files: list[dict[str, Any]]) -> list[tuple[str, str, int]]:
    """(category, label, count) of the categories present, in the contract's order."""
    found: dict[str, int] = {}
    for fv in files:
        for f in fv.get("findings", []):
            found[f["category"]] = found.get(f["category"], 0) + 1
    return [(c, label, found[c]) for c, label in CATEGORY_LABELS.items() if c in found]


def grouped(fv: dict[str, Any], category: str | None = None) -> list[dict[str, Any]]:
    """The file's findings by part of the report, then by severity (errors first)."""
    chosen = [f for f in fv["findings"] if not category or f["category"] == category]
    out = []
    for group in fv["groups"]:
        mine = [f for f in chosen if f["group"] == group]
        if not mine:
            continue
        out.append({"label": group, "count": len(mine),
                    "severities": [{"severity": sev, "label": label,
                                    "findings": [f for f in mine if f["severity"] == sev]}
                                   for sev, label in SEVERITY_LABELS.items()
                                   if any(f["severity"] == sev for f in mine)]})
    return out


def markdown_html(text: str) -> str:
    """A rule docstring (Markdown) as HTML; raw HTML in it is escaped, not passed through."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "breaks": True}).render(text)


def rules_view() -> list[dict[str, Any]]:
    """Every rule of the registry with its documentation and examples, for the 规则 page."""
    from drafter.checker.docs import examples
    from drafter.checker.registry import all_rules

    labels = {"fail": "会报告", "pass": "不会报告"}
    out = []
    for r in all_rules():
        out.append({"id": r.id, "name": r.name, "category": r.category,
                    "category_label": CATEGORY_LABELS.get(r.category, r.category),
                    "severity": r.severity, "severity_label": SEVERITY_LABELS[r.severity],
                    "summary": r.summary, "doc_html": markdown_html(r.doc),
                    "examples": [(k, labels[k], t) for k, t in examples(r)]})
    return out
