"""The only module that touches raw WordprocessingML (lxml elements, w: namespaces).

python-docx objects stay outside; helpers here take and return lxml elements.
"""

from __future__ import annotations

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
NSMAP = {"w": W_NS}


def qn(tag: str) -> str:
    """'w:p' -> '{namespace}p'."""
    prefix, _, local = tag.partition(":")
    if prefix != "w":
        from docx.oxml.ns import qn as _qn

        return _qn(tag)
    return f"{W}{local}"


# --- reading (used by reader.py) ---------------------------------------------------------


# --- writing (used by writer.py and comments.py) -----------------------------------------
