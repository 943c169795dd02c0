"""What the pages show, made from the API's results: labels, findings placed in the section
they fall in with the text around their quote, grouped by section and severity, and the rule
documentation as HTML. Presentation only — the findings themselves come from the checker."""

from __future__ import annotations

import bisect
from typing import Any

from drafter.checker.finding import CATEGORY_LABELS, SEVERITY_LABELS  # noqa: F401 — the templates read them here

SHOWN_PER_RULE = 20  # findings of one rule listed per file before the rest are collapsed
PAGE_SIZE = 500  # findings per page when one rule's findings are listed in full
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


def _region_of(regions: list[tuple[int, str]], firsts: list[int], line: int | None) -> str:
    """The label of the last region starting at or before ``line`` (``firsts``: the regions'
    first lines, ascending)."""
    if line is None:
        return regions[0][1]
    i = bisect.bisect_right(firsts, line) - 1
    return regions[max(i, 0)][1]


def _context(report: Any, text: str, start: int, end: int) -> tuple[str, str]:
    """Up to CONTEXT_CHARS characters before and after a quote, within its paragraphs."""
    if not report.paragraphs or start >= len(text) + 1:
        return "", ""
    first, last = report.paragraph_at(start), report.paragraph_at(max(start, end - 1))
    lo = max(first.offset, start - CONTEXT_CHARS)
    hi = min(last.offset + len(last.text), end + CONTEXT_CHARS)
    before = ("…" if lo > first.offset else "") + text[lo:start]
    after = text[end:hi] + ("…" if hi < last.offset + len(last.text) else "")
    return before, after


def file_view(result: Any, report: Any) -> dict[str, Any]:
    """One checked file as JSON-safe data for the page: every finding with its ``group``
    (the part of the report it is in) and ``before``/``after`` context."""
    regions = _regions(report)
    firsts = [first for first, _ in regions]  # ascending: sections are in document order
    text = report.text  # once per report, not per finding
    findings = []
    for f in result.findings:
        d = f.to_json()
        absent = not f.quote
        d["group"] = WHOLE if absent or f.line is None else _region_of(regions, firsts, f.line)
        d["before"], d["after"] = ("", "") if absent else _context(report, text, f.start, f.end)
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


def severity_counts(files: list[dict[str, Any]]) -> list[tuple[str, str, int]]:
    """(severity, label, count) of the severities present, errors first."""
    found = counts([f for fv in files for f in fv.get("findings", [])])
    return [(k, label, found[k]) for k, label in SEVERITY_LABELS.items() if found[k]]


def profile_names() -> list[str]:
    """The locality profiles the 审核 form offers (``drafter check --profile``)."""
    from drafter.checker.profiles import profile_names as names

    return names()


def grouped(fv: dict[str, Any], category: str | None = None, severity: str | None = None,
            rule: str | None = None, page: int = 1) -> list[dict[str, Any]]:
    """The file's findings by part of the report, then by severity (errors first) — one pass
    over the findings; only those of ``category`` and ``severity`` when given. Without
    ``rule``, at most SHOWN_PER_RULE findings of one rule are listed per file and the rest
    counted in ``hidden`` (rule, name, count) of the severity where they were cut; with
    ``rule``, that rule's findings only, PAGE_SIZE per ``page``."""
    chosen = [f for f in fv["findings"] if (not category or f["category"] == category)
              and (not severity or f["severity"] == severity)
              and (not rule or f["rule"] == rule)]
    if rule:
        chosen = chosen[(max(page, 1) - 1) * PAGE_SIZE:max(page, 1) * PAGE_SIZE]
    order = {sev: i for i, sev in enumerate(SEVERITY_LABELS)}
    buckets: dict[str, dict[str, list[dict[str, Any]]]] = {}
    hidden: dict[tuple[str, str], dict[str, Any]] = {}
    shown: dict[str, int] = {}
    for f in chosen:
        sev = buckets.setdefault(f["group"], {}).setdefault(f["severity"], [])
        if not rule and shown.get(f["rule"], 0) >= SHOWN_PER_RULE:
            h = hidden.setdefault((f["group"], f["severity"]), {})
            h.setdefault(f["rule"], {"rule": f["rule"], "name": f["name"], "count": 0})["count"] += 1
            continue
        shown[f["rule"]] = shown.get(f["rule"], 0) + 1
        sev.append(f)
    out = []
    for group in fv["groups"]:
        mine = buckets.get(group)
        if not mine:
            continue
        severities = []
        for sev in sorted(mine, key=order.__getitem__):
            more = list(hidden.get((group, sev), {}).values())
            severities.append({"severity": sev, "label": SEVERITY_LABELS[sev], "findings": mine[sev],
                               "hidden": more})
        total = sum(len(v["findings"]) + sum(h["count"] for h in v["hidden"]) for v in severities)
        out.append({"label": group, "count": total, "severities": severities})
    return out


def file_page(fv: dict[str, Any], category: str | None, severity: str | None,
              rule: str | None, page: int) -> dict[str, Any]:
    """What the result page adds to a file's view: ``grouped`` findings and, when one rule is
    listed in full, its ``pages`` count."""
    if "findings" not in fv:
        return {"grouped": [], "pages": 0}
    total = sum(f["rule"] == rule for f in fv["findings"]) if rule else 0
    return {"grouped": grouped(fv, category, severity, rule, page),
            "pages": -(-total // PAGE_SIZE) if rule else 0}


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
