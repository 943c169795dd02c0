"""Apply safe fixes (Edits) to a .docx in place, run by run, so all formatting survives —
directly, or (``track=True``) as Word revisions (:mod:`drafter.docx.tracked`).

The paragraphs are walked in the reader's order (:func:`drafter.docx.oxml.read.iter_paragraphs`)
and their text is read by the reader's own :class:`~drafter.docx.oxml.read.TextCollector`, while
each visible ``w:t`` is recorded with its place in the paragraph text. An edit inside one
``w:t`` changes that text only; an edit spanning several runs puts the replacement in the
first run and trims the others (the first run's formatting wins, which is what Word does when
you type over a selection). An edit is skipped — never half-applied — when:

- it crosses a paragraph break (joining two Word paragraphs is a layout decision);
- it touches text that is not a plain ``w:t`` (a tab, a symbol, math, the number Word's
  automatic numbering supplies);
- the paragraph is in a text box (Word keeps two copies of a text box, which would diverge);
- the paragraph's text does not match what the checker saw.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from typing import Iterable, TYPE_CHECKING

from drafter.docx.oxml.ns import qn
from drafter.docx.oxml.parts import drop_entity_references
from drafter.docx.oxml.read import TextCollector, in_text_box, iter_paragraphs
from drafter.docx.oxml.runs import set_text
from drafter.errors import InputError

if TYPE_CHECKING:  # pragma: no cover — types only: docx sits below report and checker
    from drafter.checker.finding import Edit
    from drafter.report import Report

@dataclass
class _Segment:
    """A stretch of paragraph text: ``el`` is its w:t (editable) or None (tab, symbol, math…)."""

    el: object | None
    text: str
    start: int = 0

    @property
    def end(self) -> int:
        return self.start + len(self.text)


class _SegmentCollector(TextCollector):
    """The reader's TextCollector, recording which w:t each piece of text came from."""

    def _run(self, r, out: list) -> None:  # type: ignore[override]
        produced: list = []
        super()._run(r, produced)  # may recurse (ruby): then it holds segments too
        text = "".join(x.text if isinstance(x, _Segment) else x for x in produced)
        if not text:
            return
        pieces = [(c, c.text or "") for c in r if c.tag == qn("w:t")]
        plain = all(isinstance(x, str) for x in produced)
        if plain and "".join(t for _, t in pieces) == text:
            out.extend(_Segment(el, t) for el, t in pieces if t)
        else:  # tabs, symbols, hyphens mixed in: the run's text is read-only
            out.append(_Segment(None, text))

    def segments(self, p) -> list[_Segment]:
        out: list = []
        self._inline(p, out)
        segs: list[_Segment] = []
        pos = 0
        for item in out:
            seg = item if isinstance(item, _Segment) else _Segment(None, str(item))
            seg.start = pos
            pos += len(seg.text)
            segs.append(seg)
        return segs


@dataclass
class DocxFix:
    data: bytes
    applied: int
    skipped: int
    notes: list[str] = field(default_factory=list)


def _touched(segs: list[_Segment], s: int, e: int) -> list[_Segment]:
    """The segments a paragraph-relative edit [s, e) changes (an insertion: the one it goes in)."""
    if s == e:
        touched = ([g for g in segs if g.start <= s < g.end]
                   or [g for g in segs if g.end == s and g.text])
        return touched[:1]
    return [g for g in segs if g.start < e and s < g.end]


def _plain(segs: list[_Segment], s: int, e: int) -> bool:
    """Whether the edit touches only plain w:t text (the condition for applying it at all)."""
    touched = _touched(segs, s, e)
    return bool(touched) and all(g.el is not None for g in touched)


def _apply_one(segs: list[_Segment], s: int, e: int, replacement: str) -> bool:
    """Apply one paragraph-relative edit to the segments' w:t elements; False if not possible."""
    if not _plain(segs, s, e):
        return False
    touched = _touched(segs, s, e)
    first = touched[0]
    for g in touched:
        old = g.text
        a, b = max(s, g.start) - g.start, min(e, g.end) - g.start
        new = old[:a] + (replacement if g is first else "") + old[b:]
        set_text(g.el, new)
        g.text = new
    return True


def fix_docx(path: str | os.PathLike[str], report: Report, edits: Iterable[Edit],
             name: str | None = None, track: bool = False) -> DocxFix:
    """The bytes of ``path`` with ``edits`` (offsets into ``report.text``) applied; with
    ``track`` as revisions by ``drafter`` (the same edits apply either way, so accepting all
    revisions gives the text of the direct fix)."""
    import docx

    name = name or str(path)
    try:
        document = docx.Document(str(path))
    except Exception:  # noqa: BLE001 - the reader already accepted this file; be safe anyway
        raise InputError(f"{name}：无法打开 Word 文档进行修正", "请确认文件未被其他程序占用或损坏") from None
    drop_entity_references(document)  # else the copy is not well-formed (see there)
    body = document.element.find(qn("w:body"))
    collector = _SegmentCollector()
    paragraphs = [p for p, _ in iter_paragraphs(body)] if body is not None else []
    by_para: dict[int, list[Edit]] = {}
    skipped = 0
    text = report.text
    for e in edits:
        rp = report.paragraph_at(e.start)
        if "\n" in text[e.start:e.end] or e.end > rp.end:
            skipped += 1
            continue
        by_para.setdefault(rp.line - 1, []).append(e)
    notes: list[str] = []
    if len(paragraphs) != len(report.paragraphs):
        notes.append("文档段落与审核时读取的不一致，未作修改")
        return DocxFix(_save(document), 0, skipped + sum(map(len, by_para.values())), notes)
    applied = 0
    apply = _apply_one
    if track:
        from drafter.docx.tracked import Tracker, apply_tracked

        tracker = Tracker.for_document(document)

        def tracked(segs, s, t, replacement):
            return _plain(segs, s, t) and apply_tracked(segs, s, t, replacement, tracker)

        apply = tracked
    for i, (p, rp) in enumerate(zip(paragraphs, report.paragraphs)):
        segs = collector.segments(p)  # every paragraph, in order: field state spans paragraphs
        todo = by_para.get(i)
        if not todo:
            continue
        para_text = "".join(g.text for g in segs)
        shift = len(rp.text) - len(para_text)
        if in_text_box(p) or shift < 0 or not rp.text.endswith(para_text):
            skipped += len(todo)
            continue
        for e in sorted(todo, key=lambda e: e.start, reverse=True):
            s, t = e.start - rp.offset - shift, e.end - rp.offset - shift
            if s < 0 or not apply(segs, s, t, e.replacement):
                skipped += 1
                continue
            applied += 1
    if skipped:
        notes.append(f"{skipped} 处修正涉及自动编号、制表符或符号、文本框，未自动修改")
    return DocxFix(_save(document), applied, skipped, notes)


def _save(document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
