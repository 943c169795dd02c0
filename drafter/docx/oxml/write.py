"""Writing run and paragraph properties, the section grid and the page-number field.

Owns w:rPr (w:rFonts with w:eastAsia, w:sz, w:b, w:color, w:spacing, w:lang), w:pPr
(w:spacing, w:ind, w:jc, w:outlineLvl, w:keepNext, grid snapping), w:sectPr/w:docGrid and
the PAGE field of a footer paragraph. Lengths come in as python-docx ``Length`` values.

Why raw XML: python-docx's ``font.name`` sets w:ascii/w:hAnsi but not w:eastAsia, and it has
no API for theme-font removal, *Chars indents, character spacing, docGrid, outline levels
or fields.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from drafter.docx.oxml.elements import get_or_add, remove_all, set_attrs
from drafter.docx.oxml.ns import W, XML_SPACE
from drafter.docx.oxml.units import half_points, times, twips

if TYPE_CHECKING:  # pragma: no cover
    from docx.shared import Length

THEME_FONT_ATTRS = ("asciiTheme", "eastAsiaTheme", "hAnsiTheme", "cstheme")


def strip_theme_fonts(root) -> int:
    """Remove w:asciiTheme/w:eastAsiaTheme/w:hAnsiTheme/w:cstheme from every w:rFonts under
    ``root`` (theme fonts override the named fonts, w:eastAsia included). Returns how many
    attributes were removed."""
    n = 0
    for rfonts in root.iter(f"{W}rFonts"):
        for a in THEME_FONT_ATTRS:
            if rfonts.attrib.pop(f"{W}{a}", None) is not None:
                n += 1
    return n


def strip_theme_colors(root) -> int:
    """Remove theme colour references (w:themeColor/Shade/Tint, w:themeFill…) under ``root``;
    the explicit w:val colour stays."""
    n = 0
    for el in root.iter():
        for key in [k for k in el.attrib if k.startswith(f"{W}theme")]:
            del el.attrib[key]
            n += 1
    return n


def set_fonts(rpr, east_asia: str, latin: str) -> None:
    """Name the fonts of a w:rPr: w:eastAsia for Chinese, w:ascii/w:hAnsi/w:cs for Latin;
    any theme font attribute is removed (it would win over the names)."""
    rfonts = get_or_add(rpr, "rFonts")
    for a in THEME_FONT_ATTRS:
        rfonts.attrib.pop(f"{W}{a}", None)
    set_attrs(rfonts, ascii=latin, hAnsi=latin, cs=latin, eastAsia=east_asia, hint="eastAsia")


def set_size(rpr, size: Length) -> None:
    """w:sz and w:szCs (half-points) of a w:rPr."""
    value = half_points(size)
    set_attrs(get_or_add(rpr, "sz"), val=value)
    set_attrs(get_or_add(rpr, "szCs"), val=value)


def set_run_format(rpr, *, size: Length, bold: bool, char_spacing: Length | None,
                   color: str = "000000", lang: str = "zh-CN") -> None:
    """Size, bold on/off, no italic, character spacing (w:spacing; None removes it), colour
    and East Asian language of a w:rPr."""
    for b in ("b", "bCs"):
        set_attrs(get_or_add(rpr, b), val="1" if bold else "0")
    for it in ("i", "iCs"):
        set_attrs(get_or_add(rpr, it), val="0")
    set_attrs(get_or_add(rpr, "color"), val=color, themeColor=None, themeShade=None,
              themeTint=None)
    if char_spacing is None:
        remove_all(rpr, "spacing")
    else:
        set_attrs(get_or_add(rpr, "spacing"), val=twips(char_spacing))
    remove_all(rpr, "kern")
    set_size(rpr, size)
    set_attrs(get_or_add(rpr, "lang"), val="en-US", eastAsia=lang, bidi="ar-SA")


def set_line_spacing(ppr, line: Length, rule: str = "exact") -> None:
    """w:spacing of a w:pPr: no space before or after, line spacing ``line`` (``rule``
    exact or atLeast)."""
    set_attrs(get_or_add(ppr, "spacing"), before=0, after=0, line=twips(line), lineRule=rule)


def set_paragraph_format(ppr, *, align: str, size: Length, line: Length,
                         first_line_chars: float = 0, left_chars: float = 0,
                         right_chars: float = 0, after: Length | None = None,
                         outline_level: int | None = None, keep_next: bool = False,
                         snap_to_grid: bool = True) -> None:
    """Alignment, exact line spacing, indents in characters (w:*Chars in hundredths, with the
    twips equivalent at ``size`` for applications that ignore *Chars), spacing after (None: 0),
    outline level, snapping to the document grid; widow control and CJK/Latin auto-spacing
    off so lines keep the grid.

    w:overflowPunct="1" is Word's default (line-end punctuation may hang in the margin); it
    is written out because LibreOffice 7.4 imports the explicit "1" as "no hanging" and, when
    it does hang punctuation, drops the hanging glyph from the PDF (measured)."""
    if keep_next:
        get_or_add(ppr, "keepNext")
    else:
        remove_all(ppr, "keepNext")
    for local in ("keepLines", "contextualSpacing", "pBdr"):
        remove_all(ppr, local)
    set_attrs(get_or_add(ppr, "overflowPunct"), val="1")
    for local in ("widowControl", "autoSpaceDE", "autoSpaceDN"):
        set_attrs(get_or_add(ppr, local), val="0")
    set_attrs(get_or_add(ppr, "snapToGrid"), val="1" if snap_to_grid else "0")
    spacing = get_or_add(ppr, "spacing")
    spacing.attrib.clear()
    set_attrs(spacing, before=0, beforeLines=0, after=twips(after) if after is not None else 0,
              afterLines=0, line=twips(line), lineRule="exact")
    ind = get_or_add(ppr, "ind")
    ind.attrib.clear()
    set_indent_chars(ppr, size, left=left_chars, right=right_chars, firstLine=first_line_chars)
    set_attrs(get_or_add(ppr, "jc"), val=align)
    if outline_level is None:
        remove_all(ppr, "outlineLvl")
    else:
        set_attrs(get_or_add(ppr, "outlineLvl"), val=outline_level)


def set_indent_chars(ppr, size: Length, **sides: float) -> None:
    """Indents of a paragraph in characters (``left=``, ``right=``, ``firstLine=``), written
    as w:*Chars (hundredths) and as twips at character size ``size`` (署名/成文日期
    placement, page numbers)."""
    ind = get_or_add(ppr, "ind")
    for side, chars in sides.items():
        set_attrs(ind, **{side: twips(times(size, chars)), f"{side}Chars": round(chars * 100)})


def set_keep_next(ppr, on: bool) -> None:
    """Direct w:keepNext on/off (a run-in heading must not chain to the next paragraph the
    way its heading style asks)."""
    set_attrs(get_or_add(ppr, "keepNext"), val="1" if on else "0")


def set_space_after(ppr, after: Length) -> None:
    set_attrs(get_or_add(ppr, "spacing"), after=twips(after), afterLines=0)


def set_doc_grid(sectpr, line_pitch: Length, grid_type: str = "lines") -> None:
    """w:docGrid of a section: ``lines`` snaps lines to ``line_pitch`` and leaves the
    character pitch to the text (see fonts.LINE_PITCH_PT for why not linesAndChars)."""
    grid = get_or_add(sectpr, "docGrid")
    grid.attrib.clear()
    set_attrs(grid, type=grid_type, linePitch=twips(line_pitch))


def append_page_field(p, rpr_template, before: str = "— ", after: str = " —") -> None:
    """Append "— {PAGE} —" to paragraph ``p`` as a complex field (begin / instr / separate /
    cached result / end) so Word and LibreOffice both show the page number; every run gets
    a copy of ``rpr_template`` (a w:rPr or None)."""

    def run(kind: str, value: str = "") -> None:
        r = p.makeelement(f"{W}r", {})
        p.append(r)
        if rpr_template is not None:
            r.append(copy.deepcopy(rpr_template))
        if kind in ("t", "instrText"):
            t = r.makeelement(f"{W}{kind}", {XML_SPACE: "preserve"})
            t.text = value
            r.append(t)
        else:
            r.append(r.makeelement(f"{W}fldChar", {f"{W}fldCharType": kind}))

    run("t", before)
    run("begin")
    run("instrText", " PAGE ")
    run("separate")
    run("t", "1")
    run("end")
    run("t", after)
