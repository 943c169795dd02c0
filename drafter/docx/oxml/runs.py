"""Run primitives: how many characters each child of a w:r reads as, splitting a run, and
setting the text of a w:t.

Owns the content of w:r (w:t, w:tab, w:sym, breaks …) as the reader counts it
(:class:`drafter.docx.oxml.read.TextCollector`), so a split falls exactly where an offset into
the paragraph text says.
"""

from __future__ import annotations

import copy

from drafter.docx.oxml.ns import W, XML_SPACE, hex_int

_RUN_ZERO = {"br", "cr", "softHyphen", "lastRenderedPageBreak", "commentReference",
             "footnoteReference", "endnoteReference", "annotationRef"}  # no text of their own
_RUN_ONE = {"tab", "ptab", "noBreakHyphen"}  # one character each (TextCollector._run)
_RPR = f"{W}rPr"


def run_child_length(child) -> int | None:
    """Characters a child of w:r contributes to the paragraph text; None: cannot be split
    around (field characters, drawings, ruby …)."""
    if not isinstance(child.tag, str):
        return 0
    if not child.tag.startswith(W):
        return None
    local = child.tag[len(W):]
    if local == "t":
        return len(child.text or "")
    if local in _RUN_ONE:
        return 1
    if local == "sym":
        value = hex_int(child.get(f"{W}char", ""))
        return 1 if value is not None and not 0xE000 <= value <= 0xF8FF else 0
    return 0 if local in _RUN_ZERO else None


def set_text(t, text: str) -> None:
    """Set the text of a w:t, preserving spaces at its edges (xml:space="preserve")."""
    t.text = text
    if text != text.strip():
        t.set(XML_SPACE, "preserve")


def split_run(r, at: int):
    """Split the w:r ``r`` before character ``at`` of its text (counted as the reader counts
    it): ``r`` keeps the text before, a copy inserted right after it (same w:rPr and
    attributes, so the same formatting) gets the rest. Returns the new run, or None when
    ``at`` is not strictly inside the run or the run holds something other than text, tabs,
    breaks and symbols."""
    content = [c for c in r if c.tag != _RPR]
    pos, cut = 0, None
    for i, child in enumerate(content):
        n = run_child_length(child)
        if n is None:
            return None
        if pos + n > at:
            cut = (i, at - pos)
            break
        pos += n
    if cut is None or cut == (0, 0) or at <= 0:
        return None
    i, k = cut
    new = copy.deepcopy(r)
    new_content = [c for c in new if c.tag != _RPR]
    keep = i
    if k > 0:  # inside a w:t (the only child longer than one character)
        old_t, new_t = content[i], new_content[i]
        text = old_t.text or ""
        old_t.text, new_t.text = text[:k], text[k:]
        for t in (old_t, new_t):
            t.set(XML_SPACE, "preserve")
        keep = i + 1
    for c in content[keep:]:
        r.remove(c)
    for c in new_content[:i]:
        new.remove(c)
    r.addnext(new)
    return new
