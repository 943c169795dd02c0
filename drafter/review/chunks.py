"""Cutting a report into the parts sent to the model, one request each.

The parts follow the report's own structure (``drafter.report.structure``): the *opening*
(title, 主送机关, lead: everything before the first level-1 heading), one part per level-1
section (from its heading to the next one), and the *ending* (署名, 成文日期 and whatever
follows them). A section longer than :data:`MAX_CHARS` is cut at paragraph boundaries, so
no request is larger than a model answers well. A report without level-1 headings is one
body part after the title and 主送机关 (cut into pieces like a long section).

Each part knows its span of ``Report.text`` (so a quote found in it has a report offset, and
so a line and column), its mandated-item key, and the *context* the model needs beyond it:
the plans part carries the text of the shortcomings part, so the model can tell whether next
year's plans answer this year's shortcomings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from drafter.report import Report, Section

MAX_CHARS = 4000  # a longer section is sent in parts of at most this many characters
CONTEXT_CHARS = 1500  # at most this much of the shortcomings goes with the plans part


@dataclass(frozen=True)
class Chunk:
    """One part of a report: ``text == report.text[start:end]``.

    ``id`` is ``opening``, ``s1``, ``s2`` … (``s2.2`` for the second piece of a long
    section), ``body`` or ``ending``; ``label`` says in Chinese which part it is; ``key`` is
    the mandated item of the section (None for opening and ending); ``context`` is text from
    elsewhere in the report that the model should read with it (may be empty).
    """

    id: str
    label: str
    start: int
    end: int
    text: str
    key: str | None = None
    context: str = ""


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``/``end`` moved inwards past blank lines and spaces at the edges."""
    while start < end and text[start] in "\n \t\u3000":
        start += 1
    while end > start and text[end - 1] in "\n \t\u3000":
        end -= 1
    return start, end


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) cut at line breaks into pieces of at most MAX_CHARS (a single longer
    paragraph stays whole)."""
    out: list[tuple[int, int]] = []
    lo = start
    while end - lo > MAX_CHARS:
        cut = text.rfind("\n", lo, lo + MAX_CHARS)
        if cut <= lo:
            cut = text.find("\n", lo + MAX_CHARS)
            if cut < 0 or cut >= end:
                break
        out.append((lo, cut))
        lo = cut + 1
    out.append((lo, end))
    return out


def chunks(report: "Report") -> list[Chunk]:
    """The parts of ``report`` in text order, empty parts left out."""
    text = report.text
    if not text.strip():
        return []
    heads = [s for s in report.sections]
    ends = [p.offset for p in (report.signature, report.date) if p is not None]
    last_head = heads[-1].heading.paragraph.offset if heads else -1
    ending_at = min((o for o in ends if o > last_head), default=len(text))
    body_at = heads[0].heading.paragraph.offset if heads else None
    if body_at is None:  # no level-1 headings: title and 主送机关, then one body part
        head = report.recipient_paragraph or report.title
        body_at = min(head.end + 1 if head else 0, ending_at)
    spans: list[tuple[str, str, int, int, str | None, str]] = [
        ("opening", "开头（标题、主送机关、导语）", 0, body_at, None, "")]
    if heads:
        for i, sec in enumerate(heads, start=1):
            lo = sec.heading.paragraph.offset
            hi = heads[i].heading.paragraph.offset if i < len(heads) else ending_at
            head = sec.heading.paragraph.text.strip()
            context = _shortcomings_text(report, sec) if sec.key == "plans" else ""
            spans.append((f"s{i}", f"第{i}部分“{head[:40]}”", lo, hi, sec.key, context))
    else:
        spans.append(("body", "正文", body_at, ending_at, None, ""))
    spans.append(("ending", "结尾（署名、成文日期）", ending_at, len(text), None, ""))

    out: list[Chunk] = []
    for cid, label, lo, hi, key, context in spans:
        lo, hi = _trimmed(text, lo, hi)
        if lo >= hi:
            continue
        pieces = _pieces(text, lo, hi)
        for j, (a, b) in enumerate(pieces, start=1):
            a, b = _trimmed(text, a, b)
            if a >= b:
                continue
            suffix = f".{j}" if len(pieces) > 1 else ""
            part = f"（第{j}段，共{len(pieces)}段）" if len(pieces) > 1 else ""
            out.append(Chunk(cid + suffix, label + part, a, b, text[a:b], key, context))
    return out


def _shortcomings_text(report: "Report", plans: "Section") -> str:
    """The body of the shortcomings section(s) other than ``plans``, without their headings
    (the plans part's context); empty when the report has no such section."""
    parts = [s.body_text().strip() for s in report.sections_for("shortcomings") if s is not plans]
    body = "\n".join(p for p in parts if p)
    return body if len(body) <= CONTEXT_CHARS else body[:CONTEXT_CHARS] + "……"
