"""Review findings as Word comments (批注) on a copy of a .docx report.

Each finding becomes one comment by author ``drafter`` (``drafter（模型）`` for a finding of
LLM-assisted review), written ``[RULE] 消息 建议：…``, and
anchored on exactly the text of its quote: where the quote starts or ends inside a run, the
run is split in two (its formatting copied to both halves), so the comment range covers the
quote and nothing else. A quote across paragraphs (a sentence broken over two lines, "具⏎体")
is anchored from its start in the first paragraph to its end in the last.

Where a quote cannot be anchored as it stands:

- it starts (or lies) in a number that Word's automatic numbering supplies — that number is
  in no run, so the comment covers the paragraph's own text from its first character;
- it is empty (something is missing: a mandated section, the title, the 署名) — the comment
  covers the heading or paragraph the finding points at, or the nearest heading or title
  before it when that paragraph is blank;
- its edge falls inside a run that holds more than text (a field character, a drawing) — the
  comment covers that whole run.

The document itself is otherwise untouched: the text the reader sees is the same before and
after (a comment reference contributes no text).
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from typing import Iterable, TYPE_CHECKING

from drafter.docx import runs as R
from drafter.errors import InputError

if TYPE_CHECKING:  # pragma: no cover — types only: docx sits below report and checker
    from drafter.checker.finding import Finding
    from drafter.report import Report

COMMENT_AUTHOR = "drafter"
COMMENT_INITIALS = "D"
# Findings a language model proposed (``source`` "llm", drafter check --llm): another author,
# so Word's 审阅 pane can show or hide them apart from the rules' comments.
LLM_COMMENT_AUTHOR = "drafter（模型）"
LLM_COMMENT_INITIALS = "DM"


def comment_text(f: Finding) -> str:
    """``[RULE] 消息 建议：…`` (no 建议 part when the finding has no suggestion)."""
    text = f"[{f.rule}] {f.message}"
    if f.suggestion:
        text += f" 建议：{f.suggestion}"
    return " ".join(text.split("\n"))


@dataclass
class Anchor:
    """Where one comment went: the span of ``Report.text`` it covers and the text it covers
    (paragraphs joined with "\\n"); ``exact`` is True when that text is the finding's quote."""

    finding: Finding
    start: int
    end: int
    text: str
    exact: bool


@dataclass
class Annotated:
    data: bytes
    anchors: list[Anchor] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def comments(self) -> int:
        return len(self.anchors)


def annotate_docx(source: str | os.PathLike[str] | bytes, report: Report,
                  findings: Iterable[Finding], name: str | None = None) -> Annotated:
    """The bytes of the .docx ``source`` (a path or the file's bytes) with one comment per
    finding; ``report`` must have been read from that same file. Raises InputError when the
    file cannot be opened."""
    import docx

    name = name or (str(source) if not isinstance(source, bytes) else "<docx>")
    try:
        document = docx.Document(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    except Exception:  # noqa: BLE001 - the reader already accepted this file; be safe anyway
        raise InputError(f"{name}：无法打开 Word 文档写入批注",
                         "请确认文件未被其他程序占用或损坏") from None
    from drafter.docx.oxml.parts import drop_entity_references

    drop_entity_references(document)  # else the copy is not well-formed (see there)
    try:
        paras = R.paragraph_runs(document, report)
    except ValueError:
        raise InputError(f"{name}：文档段落与审核时读取的不一致，无法写入批注",
                         "请重新运行审核") from None
    result = Annotated(b"")
    skipped = 0
    for f in findings:
        anchor = _anchor(document, report, paras, f)
        if anchor is None:
            skipped += 1
        else:
            result.anchors.append(anchor)
    if skipped:
        result.notes.append(f"{skipped} 条问题无法定位到文档中的文字，未写入批注")
    inexact = sum(1 for a in result.anchors if not a.exact and a.finding.quote)
    if inexact:
        result.notes.append(f"{inexact} 条批注所在文字含自动编号或域，批注范围与引文不完全一致")
    buf = io.BytesIO()
    document.save(buf)
    result.data = buf.getvalue()
    return result


def _anchor(document, report: Report, paras: list[R.ParagraphRuns], f: Finding
            ) -> Anchor | None:
    from drafter.docx.oxml.comments import mark_comment_range

    span = anchor_span(report, f)
    if span is None:
        return None
    s, e = span
    i, ps = _position(report, s, start=True)
    j, pe = _position(report, e, start=False)
    if not (paras[i].matches and paras[j].matches):
        return None
    R.split_at(paras[i], ps)
    R.split_at(paras[j], pe)
    first = last = None
    for k in range(i, j + 1):
        lo = ps if k == i else 0
        hi = pe if k == j else len(paras[k].text)
        pieces = R.runs_between(paras[k], lo, hi)
        if pieces:
            first = first or (k, pieces[0])
            last = (k, pieces[-1])
    if first is None or last is None:
        return None
    by_model = f.source == "llm"
    comment = document.comments.add_comment(
        text=comment_text(f), author=LLM_COMMENT_AUTHOR if by_model else COMMENT_AUTHOR,
        initials=LLM_COMMENT_INITIALS if by_model else COMMENT_INITIALS)
    mark_comment_range(first[1].run, last[1].run, comment.comment_id)
    a = report.paragraphs[first[0]].offset + first[1].start
    b = report.paragraphs[last[0]].offset + last[1].end
    covered = report.text[a:b]
    return Anchor(f, a, b, covered, covered == f.quote)


def _position(report: Report, offset: int, start: bool) -> tuple[int, int]:
    """(paragraph index, offset in its text) of a span edge; an end edge belongs to the
    paragraph holding the character before it."""
    p = report.paragraph_at(offset if start else max(offset - 1, 0))
    return p.line - 1, min(offset - p.offset, len(p.text))


def anchor_span(report: Report, f: Finding) -> tuple[int, int] | None:
    """The span of ``report.text`` a comment for ``f`` should cover (never empty, never in an
    auto-number prefix), or None when the report has no text to anchor on."""
    if not report.paragraphs:
        return None
    text = report.text
    s, e = f.start, f.end
    if e > s:
        s, e = _skip_breaks(text, s, e)
        first = report.paragraph_at(s)
        real = first.offset + len(first.auto_number or "")
        if s < real:
            s = real
        if s >= e:  # the quote lies in the number: the paragraph's own text
            return _paragraph_span(report, first)
        return s, e
    p = report.paragraph_at(s)
    if p.text.strip() and (p.role != "blank"):
        return _paragraph_span(report, p)
    earlier = [q for q in report.paragraphs if q.offset <= p.offset and q.text.strip()
               and q.role in ("heading", "title")]
    nearby = earlier[-1:] or [q for q in report.paragraphs if q.text.strip()][:1]
    return _paragraph_span(report, nearby[0]) if nearby else None


def _skip_breaks(text: str, s: int, e: int) -> tuple[int, int]:
    """Drop paragraph breaks at the very edges of a span (they are not in any run)."""
    while s < e and text[s] == "\n":
        s += 1
    while e > s and text[e - 1] == "\n":
        e -= 1
    return s, e


def _paragraph_span(report: Report, p) -> tuple[int, int] | None:
    """A heading's number and title (not a run-in body), else the paragraph's text, without
    its auto-number prefix and surrounding spaces."""
    start = p.offset + len(p.auto_number or "")
    end = p.end
    if p.role == "heading":
        head = next((s.heading for s in report.walk() if s.heading.paragraph is p), None)
        if head is not None:
            end = min(end, p.offset + len(head.number) + len(head.title))
    body = report.text[start:end]
    stripped = body.strip()
    if not stripped:
        body, start, end = p.text, p.offset, p.end
        stripped = body.strip()
        if not stripped:
            return None
    lead = len(body) - len(body.lstrip())
    return start + lead, start + lead + len(stripped)
