"""Safe fixes as Word revisions (修订): the text an edit removes becomes a tracked deletion
(``w:del``) and its replacement a tracked insertion (``w:ins``) right after it, author
``drafter``, so Word's and WPS's 审阅 accept or reject each one.

:func:`drafter.docx.fix.fix_docx` decides which edits apply (the same ones with or without
tracking) and calls :func:`apply_tracked` for each when tracking; this module only changes
the XML. The runs around an edit are split where it starts and ends (formatting copied to
both halves, :func:`drafter.docx.oxml.runs.split_run`), so exactly the edited characters are
marked; the inserted run takes the formatting of the first run it replaces — what Word does
when you type over a selection with 修订 on. Accepting every revision gives the text of the
direct fix; rejecting every revision gives the original.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from drafter.docx.oxml.ns import qn
from drafter.docx.oxml.revisions import insertion, mark_deleted, next_revision_id
from drafter.docx.oxml.runs import split_run

AUTHOR = "drafter"


@dataclass
class Tracker:
    """The revision marks of one document: author, date and the next free w:id."""

    author: str
    date: datetime
    next_id: int

    @classmethod
    def for_document(cls, document, author: str = AUTHOR,
                     date: datetime | None = None) -> "Tracker":
        return cls(author, date or datetime.now(timezone.utc).replace(microsecond=0),
                   next_revision_id(document.element))

    def take_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1


def _run_offset(t) -> int:
    """Characters before the w:t ``t`` within its run (only w:t carry text in a run that
    :mod:`drafter.docx.fix` marks as editable)."""
    n = 0
    for c in t.getparent():
        if c is t:
            return n
        if c.tag == qn("w:t"):
            n += len(c.text or "")
    return n


def _run_length(r) -> int:
    return sum(len(c.text or "") for c in r if c.tag == qn("w:t"))


def _isolate(t, a: int, b: int):
    """Split the run of the w:t ``t`` so that characters [a, b) of ``t`` form a run of their
    own; returns that run (the one holding ``t`` when ``a`` is 0 within the run)."""
    r = t.getparent()
    base = _run_offset(t)
    if base + b < _run_length(r):
        split_run(r, base + b)
    if base + a > 0:
        return split_run(r, base + a)
    return r


def apply_tracked(segs: list[Any], s: int, e: int, replacement: str, tracker: Tracker) -> bool:
    """Apply one paragraph-relative edit [s, e) → ``replacement`` to the segments (see
    :class:`drafter.docx.fix._Segment`) as revisions; False when it cannot be (the caller has
    checked that every touched segment is a plain w:t). The segments are updated so that
    edits further left in the same paragraph still find their text."""
    if s == e:
        return _insert_at(segs, s, replacement, tracker)
    touched = [g for g in segs if g.start < e and s < g.end]
    if not touched or any(g.el is None for g in touched):
        return False
    rpr = touched[0].el.getparent().find(qn("w:rPr"))
    last_del = None
    for g in reversed(touched):  # right to left: splitting never moves what is still to do
        a, b = max(s, g.start) - g.start, min(e, g.end) - g.start
        run = _isolate(g.el, a, b)
        mark = mark_deleted(run, author=tracker.author, date=tracker.date, id=tracker.take_id())
        last_del = last_del if last_del is not None else mark
        g.text = g.text[:a]  # what is left of the segment, still in g.el when not empty
        if not g.text:
            g.el = None
    if replacement:
        last_del.addnext(insertion(replacement, rpr, author=tracker.author, date=tracker.date,
                                   id=tracker.take_id()))
    return True


def _insert_at(segs: list[Any], s: int, replacement: str, tracker: Tracker) -> bool:
    inside = [g for g in segs if g.start <= s < g.end and g.el is not None]
    before = [g for g in segs if g.end == s and g.el is not None]
    g = (inside or before or [None])[0]
    if g is None:
        return False
    r = g.el.getparent()
    rpr = r.find(qn("w:rPr"))
    mark = insertion(replacement, rpr, author=tracker.author, date=tracker.date,
                     id=tracker.take_id())
    pos = _run_offset(g.el) + (s - g.start)
    if pos == 0:
        r.addprevious(mark)
    elif pos >= _run_length(r):
        r.addnext(mark)
    else:
        split_run(r, pos)
        r.addnext(mark)
    g.text = g.text[:s - g.start]  # edits still to do lie left of s
    if not g.text:
        g.el = None
    return True
