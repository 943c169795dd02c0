"""Reading the body: which w:p elements there are, in what order, and what text they show.

Owns the document-order walk of w:body (paragraphs, tables, content controls, text boxes,
mc:AlternateContent) and the text of a w:p (runs, fields, tracked changes, math).

What counts as body text (DESIGN: the checker sees what a reader of the printed page sees):
runs anywhere in a paragraph (hyperlinks, smart tags, content controls, simple fields,
tracked insertions), complex-field *results* (never the instruction), text boxes once
(one branch of mc:AlternateContent) after the paragraph they are anchored in. Not body
text: tracked deletions, hidden (w:vanish) runs, headers, footers, footnotes, comments.
w:br / w:cr join to nothing, so a title broken over two lines reads as one line; w:tab
reads as "\\t". :class:`TextCollector` with ``rejected=True`` reads the other way round
(tracked insertions dropped, deletions kept): see :mod:`drafter.docx.oxml.revisions`.
"""

from __future__ import annotations

from typing import Iterator

from drafter.docx.oxml.ns import M_NS, MC_NS, hex_int, is_on, w_tags

_MC_ALT, _MC_CHOICE, _MC_FALLBACK = (f"{{{MC_NS}}}{x}" for x in
                                     ("AlternateContent", "Choice", "Fallback"))
_M_T = f"{{{M_NS}}}t"
_W = w_tags(
    "p", "r", "t", "tab", "ptab", "noBreakHyphen", "sym", "fldChar", "delText", "tbl", "tr",
    "tc", "sdt", "sdtContent", "customXml", "smartTag", "hyperlink", "ins", "del", "moveFrom",
    "moveTo", "fldSimple", "dir", "bdo", "pPr", "rPr", "vanish", "txbxContent", "ruby",
    "rubyBase", "altChunk", "fldCharType", "char", "body")
# Elements whose children are blocks (paragraphs, tables); w:tbl is handled apart (in_table).
_BLOCK_CONTAINERS = {_W[t] for t in ("tr", "tc", "sdt", "sdtContent", "customXml", "body",
                                     "txbxContent")}
# Inline elements whose runs are read as they stand (revisions are handled apart).
_INLINE_CONTAINERS = {_W[t] for t in ("hyperlink", "smartTag", "customXml", "sdt", "sdtContent",
                                      "fldSimple", "dir", "bdo", "ruby", "rubyBase")}
_INSERTED = {_W["ins"], _W["moveTo"]}
_DELETED = {_W["del"], _W["moveFrom"]}


def _choose(alt):
    """The one branch of mc:AlternateContent to read: the first Choice, else the Fallback.

    Both branches carry the same content in two encodings (e.g. a DrawingML and a VML text
    box); reading one of them is what makes a text box count once.
    """
    return alt.find(_MC_CHOICE) if alt.find(_MC_CHOICE) is not None else alt.find(_MC_FALLBACK)


def iter_paragraphs(container, in_table: bool = False) -> Iterator[tuple[object, bool]]:
    """Every w:p under ``container`` (w:body) in document order, with "is in a table".

    Table cells are read row by row, cell by cell (a vertically merged continuation cell is
    its own w:tc and keeps its own, normally empty, paragraph). Text boxes follow the
    paragraph they are anchored in. This order defines the paragraph numbers (``line``)
    of a .docx; anything mapping findings back to w:p elements must use it too.
    """
    for child in container:
        tag = child.tag
        if tag == _W["p"]:
            yield child, in_table
            for box in text_boxes(child):
                yield from iter_paragraphs(box, in_table)
        elif tag == _W["tbl"]:
            yield from iter_paragraphs(child, True)
        elif tag in _BLOCK_CONTAINERS:
            yield from iter_paragraphs(child, in_table)
        elif tag == _MC_ALT:
            branch = _choose(child)
            if branch is not None:
                yield from iter_paragraphs(branch, in_table)


def text_boxes(p) -> list:
    """The w:txbxContent elements anchored in paragraph ``p`` (not those nested in them)."""
    found, stack = [], list(reversed(list(p)))
    while stack:
        el = stack.pop()
        if el.tag == _W["txbxContent"]:
            found.append(el)
        elif el.tag in _DELETED:
            continue  # a text box in a tracked deletion is deleted with it
        elif el.tag == _MC_ALT:
            branch = _choose(el)
            if branch is not None:
                stack.extend(reversed(list(branch)))
        elif isinstance(el.tag, str):
            stack.extend(reversed(list(el)))
    return found


def has_alt_chunk(body) -> bool:
    """True when the body embeds foreign content (w:altChunk) that is not WordprocessingML."""
    return body.find(f".//{_W['altChunk']}") is not None


def in_text_box(p) -> bool:
    """True when paragraph ``p`` lies in a text box (w:txbxContent)."""
    parent = p.getparent()
    while parent is not None:
        if parent.tag == _W["txbxContent"]:
            return True
        parent = parent.getparent()
    return False


class TextCollector:
    """Reads paragraph text; keeps complex-field state, which may span paragraphs.

    ``revisions`` becomes True once a tracked insertion, deletion or move has been seen.
    By default tracked changes read as accepted (insertions and moved-to text kept,
    deletions and moved-from text dropped); ``rejected=True`` reads them as rejected
    (insertions dropped, deleted text — w:delText — kept).
    """

    def __init__(self, rejected: bool = False) -> None:
        # One entry per open complex field: False while in its instruction, True in its result.
        self._fields: list[bool] = []
        self.revisions = False
        self._shown = _DELETED if rejected else _INSERTED
        self._text_tags = {_W["t"], _W["delText"]} if rejected else {_W["t"]}

    def paragraph_text(self, p) -> str:
        out: list[str] = []
        ppr = p.find(_W["pPr"])
        if ppr is not None:
            rpr = ppr.find(_W["rPr"])
            if rpr is not None and (rpr.find(_W["ins"]) is not None
                                    or rpr.find(_W["del"]) is not None):
                self.revisions = True
        self._inline(p, out)
        return "".join(out)

    def _inline(self, el, out: list[str]) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):  # comments, processing instructions, entities
                continue
            if tag == _W["r"]:
                self._run(child, out)
            elif tag in _INSERTED or tag in _DELETED:
                self.revisions = True
                if tag in self._shown:
                    self._inline(child, out)
            elif tag in _INLINE_CONTAINERS:
                self._inline(child, out)
            elif tag == _MC_ALT:
                branch = _choose(child)
                if branch is not None:
                    self._inline(branch, out)
            elif tag.startswith(f"{{{M_NS}}}"):
                if self._visible():
                    out.extend(t.text or "" for t in child.iter(_M_T))

    def _visible(self) -> bool:
        return all(self._fields)

    def _run(self, r, out: list[str]) -> None:
        rpr = r.find(_W["rPr"])
        hidden = rpr is not None and is_on(rpr.find(_W["vanish"]))
        for child in r:
            tag = child.tag
            if tag == _W["fldChar"]:
                kind = child.get(_W["fldCharType"])
                if kind == "begin":
                    self._fields.append(False)
                elif kind == "separate" and self._fields:
                    self._fields[-1] = True
                elif kind == "end" and self._fields:
                    self._fields.pop()
                continue
            if hidden or not self._visible():
                continue
            if tag in self._text_tags:
                out.append(child.text or "")
            elif tag in (_W["tab"], _W["ptab"]):
                out.append("\t")
            elif tag == _W["noBreakHyphen"]:
                out.append("-")
            elif tag == _W["sym"]:
                value = hex_int(child.get(_W["char"], ""))
                # Symbol-font code points (F0xx) are private-use glyphs, not text.
                if value is not None and not 0xE000 <= value <= 0xF8FF:
                    out.append(chr(value))
            elif tag == _W["ruby"]:
                base = child.find(_W["rubyBase"])
                if base is not None:
                    self._inline(base, out)
            # w:br, w:cr, w:softHyphen, w:instrText, w:delText, drawings: no text.
