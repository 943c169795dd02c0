"""What the layout rules (``checker/rules/layout.py``) read of a .docx report.

The Word document behind a Report (``Report.source_docx``), its runs aligned with the
report's paragraphs (:mod:`drafter.docx.runs`), the formatting resolver
(:mod:`drafter.docx.oxml.formatting`), and the spans a layout finding quotes: the first sentence of a
paragraph, a heading's own text, the title for page-level findings.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from drafter.checker.context import CheckContext, per_report
from drafter.report import Paragraph, Report

PT_PER_MM = 72 / 25.4
SIZE_NAMES = {42: "初号", 36: "小初", 26: "一号", 24: "小一", 22: "二号", 18: "小二", 16: "三号",
              15: "小三", 14: "四号", 12: "小四", 10.5: "五号", 9: "小五"}
BODY_ROLES = ("body", "lead", "recipient", "signature", "date", "note")


def size_name(pt: float) -> str:
    name = SIZE_NAMES.get(pt) or SIZE_NAMES.get(round(pt * 2) / 2)
    return f"{pt:g}磅（{name}）" if name else f"{pt:g}磅"


def is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"


@dataclass
class LayoutDoc:
    """A .docx report as the layout rules see it."""

    report: Report
    document: object
    fmt: object  # drafter.docx.oxml.formatting.DocFormat
    paras: list  # drafter.docx.runs.ParagraphRuns, one per report paragraph


@per_report
def layout_doc(ctx: CheckContext) -> LayoutDoc | None:
    """The report's Word document, read once per report; None for .txt/.md (not evaluated)."""
    document = ctx.report.source_docx
    if document is None:
        return None
    from drafter.docx.oxml.formatting import DocFormat
    from drafter.docx.runs import paragraph_runs

    try:
        paras = paragraph_runs(document, ctx.report)
    except ValueError:
        return None
    return LayoutDoc(ctx.report, document, DocFormat(document), paras)


def layout_profile(ctx: CheckContext):
    """The layout profile ``--profile`` selects (drafter.checker.layout_profiles)."""
    from drafter.checker.layout_profiles import load_layout_profile

    return load_layout_profile(ctx.options.profile)


def tally(d: LayoutDoc, i: int, start: int, end: int) -> tuple[Counter, Counter]:
    """East Asian fonts (weighted by CJK characters) and sizes (by characters) of the text
    of paragraph ``i`` between ``start`` and ``end`` (offsets in the paragraph text)."""
    from drafter.docx.runs import runs_between

    fonts: Counter = Counter()
    sizes: Counter = Counter()
    pr = d.paras[i]
    if not pr.matches:
        return fonts, sizes
    text = pr.text
    for piece in runs_between(pr, start, end):
        seg = text[max(start, piece.start):min(end, piece.end)]
        rf = d.fmt.run_format(piece.run, pr.p)
        cjk = sum(1 for ch in seg if is_cjk(ch))
        if cjk and rf.east_asia:
            fonts[rf.east_asia] += cjk
        n = len("".join(seg.split()))
        if n:
            sizes[rf.size_pt] += n
    return fonts, sizes


def main_value(counter: Counter, minimum: int = 1):
    """The most common value, when it has at least ``minimum`` weight (else None)."""
    if not counter:
        return None
    value, n = counter.most_common(1)[0]
    return value if n >= minimum else None


def own_text(p: Paragraph) -> tuple[int, int]:
    """(start, end) of a paragraph's own text in the paragraph (no auto number, no spaces)."""
    start = len(p.auto_number or "")
    body = p.text[start:]
    lead = len(body) - len(body.lstrip())
    return start + lead, start + lead + len(body.strip())


def first_sentence(p: Paragraph) -> tuple[int, int]:
    """Span (offsets into Report.text) of the first sentence of a paragraph, at most 30
    characters: what a paragraph-level finding quotes."""
    s, e = own_text(p)
    text = p.text[s:e]
    cut = next((k + 1 for k, ch in enumerate(text) if ch in "。！？；："), len(text))
    return p.offset + s, p.offset + s + min(cut, 30)


def doc_anchor(report: Report) -> int:
    """Where a page-level finding points: the title, else the first paragraph with text."""
    p = report.title or next((q for q in report.paragraphs if q.text.strip()), None)
    return p.offset + own_text(p)[0] if p is not None else 0


def body_paragraphs(d: LayoutDoc) -> list[int]:
    """Indexes of the body paragraphs (主送机关, 正文, 署名, 日期; not headings, tables or
    text boxes)."""
    return [i for i, p in enumerate(d.report.paragraphs)
            if p.role in BODY_ROLES and p.text.strip() and not p.in_table
            and d.paras[i].matches and not d.paras[i].in_text_box()]


def main_section(d: LayoutDoc):
    """The section holding the end of the body (python-docx Section), or None."""
    sections = list(d.document.sections)
    return sections[-1] if sections else None
