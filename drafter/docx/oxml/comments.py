"""Comment anchors in the document part: w:commentRangeStart, w:commentRangeEnd and the
w:commentReference run. (The comments part itself, word/comments.xml, is python-docx's:
``Document.comments.add_comment``.)

python-docx's ``Document.add_comment`` puts the reference run inside whatever inline
container holds the last run (a hyperlink, a simple field, a tracked insertion), where
updating the field or rejecting the insertion would delete it; here it goes after that
container.
"""

from __future__ import annotations

from drafter.docx.oxml.ns import W

_P = f"{W}p"


def mark_comment_range(first_r, last_r, comment_id: int) -> None:
    """Anchor comment ``comment_id`` on the runs from ``first_r`` to ``last_r`` (inclusive,
    possibly in different paragraphs): w:commentRangeStart before the first, w:commentRangeEnd
    after the last, and the reference run (character style CommentReference) after the last
    run's outermost inline container in its paragraph."""
    cid = str(comment_id)
    first_r.addprevious(first_r.makeelement(f"{W}commentRangeStart", {f"{W}id": cid}))
    end = last_r.makeelement(f"{W}commentRangeEnd", {f"{W}id": cid})
    last_r.addnext(end)
    ref = last_r.makeelement(f"{W}r", {})
    rpr = ref.makeelement(f"{W}rPr", {})
    rpr.append(ref.makeelement(f"{W}rStyle", {f"{W}val": "CommentReference"}))
    ref.append(rpr)
    ref.append(ref.makeelement(f"{W}commentReference", {f"{W}id": cid}))
    anchor = end
    while anchor.getparent() is not None and anchor.getparent().tag != _P:
        anchor = anchor.getparent()
    anchor.addnext(ref)
