"""Which ``w:r`` produced which characters of each paragraph of a .docx.

The bridge from an offset into ``Report.text`` back to the WordprocessingML: comments are
anchored on runs (:mod:`drafter.docx.comments`) and the layout rules read the fonts of the
runs under a span (:mod:`drafter.checker.rules.layout`). The paragraphs are walked in the
reader's order (:func:`drafter.docx.oxml.read.iter_paragraphs`) and their text is produced by
the reader's own :class:`~drafter.docx.oxml.read.TextCollector`, so the text here is the text the
checker saw, character for character; the number Word's automatic numbering supplies is in
no run (it is ``Paragraph.auto_number``, the ``prefix`` here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from drafter.docx.oxml.ns import qn
from drafter.docx.oxml.read import TextCollector, in_text_box, iter_paragraphs
from drafter.docx.oxml.runs import split_run

if TYPE_CHECKING:  # pragma: no cover — types only: docx sits below report and checker
    from drafter.report import Report


@dataclass
class Piece:
    """Text produced by one run (``run`` is the w:r) or by something that is not a run
    (``run`` None: an equation). ``start`` is its offset in the paragraph text, auto-number
    prefix included."""

    run: object | None
    text: str
    start: int = 0

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class ParagraphRuns:
    """One w:p of the document: its auto-number ``prefix`` and the pieces of its text.

    ``matches`` is False when the pieces do not spell the text the Report has for this
    paragraph (then nothing should be anchored on them).
    """

    p: object
    prefix: str
    pieces: list[Piece] = field(default_factory=list)
    matches: bool = True

    @property
    def text(self) -> str:
        return self.prefix + "".join(x.text for x in self.pieces)

    def renumber(self) -> None:
        pos = len(self.prefix)
        for x in self.pieces:
            x.start = pos
            pos += len(x.text)

    def in_text_box(self) -> bool:
        return in_text_box(self.p)


class _RunCollector(TextCollector):
    """The reader's TextCollector, recording the run each piece of text came from."""

    def _run(self, r, out: list) -> None:  # type: ignore[override]
        produced: list = []
        super()._run(r, produced)
        # A ruby base holds runs of its own; the outer run then counts as one piece.
        text = "".join(x.text if isinstance(x, Piece) else x for x in produced)
        if text:
            out.append(Piece(r, text))

    def pieces(self, p) -> list[Piece]:
        out: list = []
        self._inline(p, out)
        return [x if isinstance(x, Piece) else Piece(None, str(x)) for x in out if
                (x.text if isinstance(x, Piece) else x)]


def body_of(document) -> object:
    """The w:body element of a python-docx Document."""
    return document.element.find(qn("w:body"))


def paragraph_runs(document, report: Report) -> list[ParagraphRuns]:
    """The runs of every paragraph of ``document`` (python-docx), aligned with
    ``report.paragraphs`` (which must have been read from the same file).

    Raises ValueError when the document does not have the report's paragraphs.
    """
    body = body_of(document)
    paragraphs = [p for p, _ in iter_paragraphs(body)] if body is not None else []
    if len(paragraphs) != len(report.paragraphs):
        raise ValueError(f"document has {len(paragraphs)} paragraphs, report "
                         f"{len(report.paragraphs)}")
    collector = _RunCollector()
    out: list[ParagraphRuns] = []
    # Every paragraph in order, even those not needed: complex-field state spans paragraphs.
    for p, rp in zip(paragraphs, report.paragraphs):
        pr = ParagraphRuns(p, rp.auto_number or "", collector.pieces(p))
        pr.renumber()
        pr.matches = pr.text == rp.text
        out.append(pr)
    return out


def split_at(pr: ParagraphRuns, pos: int) -> bool:
    """Make ``pos`` (an offset in the paragraph text) a run boundary, splitting the run that
    straddles it (formatting copied). True when ``pos`` is a boundary afterwards."""
    for i, x in enumerate(pr.pieces):
        if x.start < pos < x.end:
            if x.run is None:
                return False
            new = split_run(x.run, pos - x.start)
            if new is None:
                return False
            pr.pieces[i:i + 1] = [Piece(x.run, x.text[:pos - x.start], x.start),
                                  Piece(new, x.text[pos - x.start:], pos)]
            return True
    return True


def runs_between(pr: ParagraphRuns, start: int, end: int) -> list[Piece]:
    """The pieces of ``pr`` overlapping [start, end) that come from runs."""
    return [x for x in pr.pieces if x.run is not None and x.start < end and start < x.end]
