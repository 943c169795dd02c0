"""Tables and landscape sections: what python-docx has no API for.

Owns w:tblPr (w:tblW, w:tblBorders, w:tblLayout, w:tblCellMar), w:tblGrid widths, w:tcW,
w:trPr/w:tblHeader (the header row repeated on every page), w:trPr/w:cantSplit, and the
orientation, size, margins and grid of a w:sectPr made landscape. Lengths are python-docx
``Length`` values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from drafter.docx.oxml.elements import get_or_add, remove_all, set_attrs
from drafter.docx.oxml.ns import W
from drafter.docx.oxml.units import twips

if TYPE_CHECKING:  # pragma: no cover
    from docx.shared import Length

# CT_TblPr / CT_TrPr / CT_TcPr child order (only what is written here matters for insertion).
TBLPR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
               "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders",
               "shd", "tblLayout", "tblCellMar", "tblLook")
TRPR_ORDER = ("cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter", "cantSplit",
              "trHeight", "tblHeader", "tblCellSpacing", "jc", "hidden")
TCPR_ORDER = ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap",
              "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark")


def _child(parent, local: str, order: Sequence[str]):
    """The w:``local`` child of ``parent``, added in ``order`` when missing."""
    found = parent.find(f"{W}{local}")
    if found is not None:
        return found
    el = parent.makeelement(f"{W}{local}", {})
    later = set(order[order.index(local) + 1:])
    for i, c in enumerate(parent):
        if isinstance(c.tag, str) and c.tag.startswith(W) and c.tag[len(W):] in later:
            parent.insert(i, el)
            return el
    parent.append(el)
    return el


def format_table(tbl, widths: Sequence["Length"], border_pt: float = 0.5) -> None:
    """Fixed layout with the given column widths (w:tblGrid and every w:tcW), single borders
    on every edge and between cells, small cell margins."""
    tblpr = tbl.find(f"{W}tblPr")
    if tblpr is None:
        tblpr = tbl.makeelement(f"{W}tblPr", {})
        tbl.insert(0, tblpr)
    remove_all(tblpr, "tblStyle")
    set_attrs(_child(tblpr, "tblW", TBLPR_ORDER), w=sum(twips(w) for w in widths), type="dxa")
    borders = _child(tblpr, "tblBorders", TBLPR_ORDER)
    for c in list(borders):
        borders.remove(c)
    size = str(round(border_pt * 8))  # eighths of a point
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(borders.makeelement(f"{W}{side}", {f"{W}val": "single", f"{W}sz": size,
                                                          f"{W}space": "0", f"{W}color": "000000"}))
    set_attrs(_child(tblpr, "tblLayout", TBLPR_ORDER), type="fixed")
    mar = _child(tblpr, "tblCellMar", TBLPR_ORDER)
    for c in list(mar):
        mar.remove(c)
    for side, w in (("left", 57), ("right", 57)):  # 1 mm
        mar.append(mar.makeelement(f"{W}{side}", {f"{W}w": str(w), f"{W}type": "dxa"}))
    grid = tbl.find(f"{W}tblGrid")
    if grid is not None:
        for col, w in zip(grid.findall(f"{W}gridCol"), widths):
            set_attrs(col, w=twips(w))
    for tr in tbl.findall(f"{W}tr"):
        for tc, w in zip(tr.findall(f"{W}tc"), widths):
            tcpr = tc.find(f"{W}tcPr")
            if tcpr is None:
                tcpr = tc.makeelement(f"{W}tcPr", {})
                tc.insert(0, tcpr)
            set_attrs(_child(tcpr, "tcW", TCPR_ORDER), w=twips(w), type="dxa")


def repeat_header_row(tr) -> None:
    """Mark the row as a header row, repeated at the top of every page the table runs onto,
    and keep every row on one page where it fits."""
    trpr = tr.find(f"{W}trPr")
    if trpr is None:
        trpr = tr.makeelement(f"{W}trPr", {})
        tcs = tr.find(f"{W}tc")
        (tcs.addprevious(trpr) if tcs is not None else tr.append(trpr))
    _child(trpr, "tblHeader", TRPR_ORDER)


def shade_cell(tc, fill: str) -> None:
    """Background colour of a cell (hex RGB, e.g. "D9E1F2")."""
    tcpr = tc.find(f"{W}tcPr")
    if tcpr is None:
        tcpr = tc.makeelement(f"{W}tcPr", {})
        tc.insert(0, tcpr)
    set_attrs(_child(tcpr, "shd", TCPR_ORDER), val="clear", color="auto", fill=fill)


def make_landscape(sectpr, width: "Length", height: "Length", margins: dict[str, "Length"],
                   line_pitch: "Length | None" = None) -> None:
    """Turn a w:sectPr into a landscape page ``width`` × ``height`` with ``margins`` (top,
    bottom, left, right); ``line_pitch`` None drops the line grid (tables set their own
    spacing), else keeps lines on it."""
    set_attrs(get_or_add(sectpr, "pgSz"), w=twips(width), h=twips(height), orient="landscape")
    pgmar = get_or_add(sectpr, "pgMar")
    set_attrs(pgmar, **{side: twips(v) for side, v in margins.items()})
    grid = get_or_add(sectpr, "docGrid")
    grid.attrib.clear()
    if line_pitch is None:
        set_attrs(grid, type="default")
    else:
        set_attrs(grid, type="lines", linePitch=twips(line_pitch))
