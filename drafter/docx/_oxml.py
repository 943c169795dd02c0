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
#
# What counts as body text (DESIGN: the checker sees what a reader of the printed page sees):
# runs anywhere in a paragraph (hyperlinks, smart tags, content controls, simple fields,
# tracked insertions), complex-field *results* (never the instruction), text boxes once
# (one branch of mc:AlternateContent) after the paragraph they are anchored in. Not body
# text: tracked deletions, hidden (w:vanish) runs, headers, footers, footnotes, comments.
# w:br / w:cr join to nothing, so a title broken over two lines reads as one line; w:tab
# reads as "\t".

from dataclasses import dataclass, field  # noqa: E402
from typing import Iterator  # noqa: E402

MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_MC_ALT, _MC_CHOICE, _MC_FALLBACK = (f"{{{MC_NS}}}{x}" for x in
                                     ("AlternateContent", "Choice", "Fallback"))
_M_T = f"{{{M_NS}}}t"
_W = {name: f"{W}{name}" for name in (
    "p", "r", "t", "tab", "ptab", "br", "cr", "sym", "noBreakHyphen", "softHyphen", "fldChar",
    "instrText", "delText", "delInstrText", "tbl", "tr", "tc", "sdt", "sdtContent", "customXml",
    "smartTag", "hyperlink", "ins", "del", "moveFrom", "moveTo", "fldSimple", "dir", "bdo",
    "pPr", "rPr", "vanish", "txbxContent", "ruby", "rubyBase", "numPr", "numId", "ilvl",
    "pStyle", "style", "basedOn", "altChunk", "val", "fldCharType", "char", "type",
    "styleId", "default", "abstractNum", "abstractNumId", "num", "lvl", "lvlOverride",
    "startOverride", "start", "numFmt", "lvlText", "lvlRestart", "isLgl", "suff",
    "numStyleLink", "styleLink", "body")}
# Elements whose children are blocks (paragraphs, tables); w:tbl is handled apart (in_table).
_BLOCK_CONTAINERS = {_W[t] for t in ("tr", "tc", "sdt", "sdtContent", "customXml", "body",
                                     "txbxContent")}
# Inline elements whose runs are read as they stand (w:ins/w:moveTo: accepted insertions).
_INLINE_CONTAINERS = {_W[t] for t in ("hyperlink", "smartTag", "customXml", "sdt", "sdtContent",
                                      "ins", "moveTo", "fldSimple", "dir", "bdo", "ruby",
                                      "rubyBase")}
_REVISIONS = {_W[t] for t in ("ins", "del", "moveFrom", "moveTo")}
_FALSE = {"0", "false", "off"}


def safe_xml_parser():
    """An lxml parser that never resolves entities, loads a DTD or touches the network."""
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, remove_blank_text=False)


def drop_entity_references(document) -> int:
    """Remove unexpanded entity references (``&name;``) from every XML part of a python-docx
    Document; returns how many. Parts are parsed without resolving entities (an untrusted
    file may declare external ones), and a part saved with a reference but without the DTD
    that declared it is not well-formed XML: Word would refuse the copy we write."""
    from lxml import etree

    dropped = 0
    for part in document.part.package.iter_parts():
        root = getattr(part, "_element", None)
        if root is None:
            continue
        for ent in list(root.iter(etree.Entity)):
            parent, prev = ent.getparent(), ent.getprevious()
            if parent is None:
                continue
            if ent.tail:  # keep the text that followed the reference
                if prev is not None:
                    prev.tail = (prev.tail or "") + ent.tail
                else:
                    parent.text = (parent.text or "") + ent.tail
            parent.remove(ent)
            dropped += 1
    return dropped


def main_document_target(rels_xml: bytes) -> str | None:
    """Zip member name of the main document from ``_rels/.rels`` (None when not declared)."""
    from lxml import etree

    root = etree.fromstring(rels_xml, safe_xml_parser())
    for rel in root:
        if (isinstance(rel.tag, str) and rel.get("Type", "").endswith("/officeDocument")
                and rel.get("TargetMode") != "External"):
            return rel.get("Target", "").lstrip("/")
    return None


def _on(el) -> bool:
    """A w:ST_OnOff toggle element: present and not switched off."""
    return el is not None and el.get(_W["val"], "true") not in _FALSE


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


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
        elif el.tag in (_W["del"], _W["moveFrom"]):
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


class TextCollector:
    """Reads paragraph text; keeps complex-field state, which may span paragraphs.

    ``revisions`` becomes True once a tracked insertion, deletion or move has been seen.
    """

    def __init__(self) -> None:
        # One entry per open complex field: False while in its instruction, True in its result.
        self._fields: list[bool] = []
        self.revisions = False

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
            elif tag in _REVISIONS:
                self.revisions = True
                if tag in (_W["ins"], _W["moveTo"]):
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
        hidden = rpr is not None and _on(rpr.find(_W["vanish"]))
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
            if tag == _W["t"]:
                out.append(child.text or "")
            elif tag in (_W["tab"], _W["ptab"]):
                out.append("\t")
            elif tag == _W["noBreakHyphen"]:
                out.append("-")
            elif tag == _W["sym"]:
                code = child.get(_W["char"], "")
                value = _int_hex(code)
                # Symbol-font code points (F0xx) are private-use glyphs, not text.
                if value is not None and not 0xE000 <= value <= 0xF8FF:
                    out.append(chr(value))
            elif tag == _W["ruby"]:
                base = child.find(_W["rubyBase"])
                if base is not None:
                    self._inline(base, out)
            # w:br, w:cr, w:softHyphen, w:instrText, w:delText, drawings: no text.


def _int_hex(code: str) -> int | None:
    try:
        return int(code, 16)
    except ValueError:
        return None


# Numbering definitions (numbering.xml) and paragraph styles (styles.xml), as plain data.

@dataclass(frozen=True)
class LevelDef:
    """One w:lvl. ``text`` is w:lvlText (None when absent); ``restart`` is w:lvlRestart
    (1-based level after which this level restarts, 0 = never; None = after any higher
    level); ``style`` is the paragraph style linked to this level."""

    ilvl: int
    start: int = 1
    fmt: str = "decimal"
    text: str | None = None
    restart: int | None = None
    legal: bool = False
    suffix: str = "tab"
    style: str | None = None


@dataclass
class NumDef:
    """One w:num: its abstract definition and its per-level overrides."""

    abstract_id: str
    start_overrides: dict[int, int] = field(default_factory=dict)
    level_overrides: dict[int, LevelDef] = field(default_factory=dict)


@dataclass
class NumberingDefs:
    nums: dict[str, NumDef] = field(default_factory=dict)
    abstracts: dict[str, dict[int, LevelDef]] = field(default_factory=dict)
    # abstractNumId -> style id of w:numStyleLink (its levels live in another abstractNum)
    style_links: dict[str, str] = field(default_factory=dict)


def _val(el, tag: str) -> str | None:
    child = el.find(_W[tag]) if el is not None else None
    return child.get(_W["val"]) if child is not None else None


def _level(lvl) -> LevelDef:
    return LevelDef(ilvl=_int(lvl.get(_W["ilvl"]), 0) or 0,
                    start=_int(_val(lvl, "start"), 1),
                    fmt=_val(lvl, "numFmt") or "decimal",
                    text=_val(lvl, "lvlText"),
                    restart=_int(_val(lvl, "lvlRestart")),
                    legal=_on(lvl.find(_W["isLgl"])),
                    suffix=_val(lvl, "suff") or "tab",
                    style=_val(lvl, "pStyle"))


def read_numbering(root) -> NumberingDefs:
    """Numbering definitions from the w:numbering element (None → no definitions)."""
    defs = NumberingDefs()
    if root is None:
        return defs
    for an in root.iter(_W["abstractNum"]):
        aid = an.get(_W["abstractNumId"])
        if aid is None:
            continue
        defs.abstracts[aid] = {lv.ilvl: lv for lv in map(_level, an.iter(_W["lvl"]))}
        link = _val(an, "numStyleLink")
        if link:
            defs.style_links[aid] = link
    for num in root.iter(_W["num"]):
        nid, aid = num.get(_W["numId"]), _val(num, "abstractNumId")
        if nid is None or aid is None:
            continue
        nd = NumDef(abstract_id=aid)
        for ov in num.iter(_W["lvlOverride"]):
            ilvl = _int(ov.get(_W["ilvl"]), 0) or 0
            start = _int(_val(ov, "startOverride"))
            if start is not None:
                nd.start_overrides[ilvl] = start
            lvl = ov.find(_W["lvl"])
            if lvl is not None:
                nd.level_overrides[ilvl] = _level(lvl)
        defs.nums[nid] = nd
    return defs


class StyleTable:
    """Paragraph styles from the w:styles element: numbering inherited through w:basedOn."""

    def __init__(self, root) -> None:
        self._styles: dict[str, object] = {}
        self.default: str | None = None
        if root is None:
            return
        for st in root.iter(_W["style"]):
            sid = st.get(_W["styleId"])
            if sid is None or st.get(_W["type"], "paragraph") != "paragraph":
                continue
            self._styles[sid] = st
            if st.get(_W["default"]) in ("1", "true", "on") and self.default is None:
                self.default = sid

    def num_pr(self, style_id: str | None) -> tuple[str | None, int | None]:
        """(numId, ilvl) the style (or a style it is based on) gives; None where unset."""
        num_id = ilvl = None
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self._styles:
            seen.add(style_id)
            st = self._styles[style_id]
            npr = st.find(f"{_W['pPr']}/{_W['numPr']}")
            if npr is not None:
                num_id = num_id if num_id is not None else _val(npr, "numId")
                ilvl = ilvl if ilvl is not None else _int(_val(npr, "ilvl"))
            if num_id is not None and ilvl is not None:
                break
            style_id = _val(st, "basedOn")
        return num_id, ilvl


def paragraph_numbering(p, styles: StyleTable) -> tuple[str, int | None, str | None] | None:
    """(numId, ilvl or None, paragraph style id) of a numbered paragraph, else None.

    Direct w:numPr wins over the paragraph style's; numId 0 means "numbering removed".
    """
    ppr = p.find(_W["pPr"])
    style_id = _val(ppr, "pStyle") or styles.default
    npr = ppr.find(_W["numPr"]) if ppr is not None else None
    num_id, ilvl = (_val(npr, "numId"), _int(_val(npr, "ilvl"))) if npr is not None else (None, None)
    s_num, s_lvl = styles.num_pr(style_id)
    num_id = num_id if num_id is not None else s_num
    ilvl = ilvl if ilvl is not None else s_lvl
    if num_id is None or num_id == "0":
        return None
    return num_id, ilvl, style_id


# --- writing (used by writer.py and comments.py) -----------------------------------------
#
# GB/T 9704 writer helpers. Why raw XML: python-docx's ``font.name`` sets w:ascii/w:hAnsi but
# not w:eastAsia, and it has no API for theme-font removal, *Chars indents, character
# spacing, docGrid, outline levels, fields or font-table entries.

THEME_FONT_ATTRS = ("asciiTheme", "eastAsiaTheme", "hAnsiTheme", "cstheme")

# Child order required by the schema (CT_RPr, CT_PPr, CT_SectPr, CT_Style): Word rejects
# misordered children, so every insertion goes through ``get_or_add``.
RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike",
             "dstrike", "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid",
             "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs",
             "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
             "em", "lang", "eastAsianLayout", "specVanish", "oMath")
PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
             "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
             "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
             "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
             "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
             "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
             "sectPr", "pPrChange")
SECTPR_ORDER = ("headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz",
                "pgMar", "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt",
                "vAlign", "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter",
                "docGrid", "printerSettings", "sectPrChange")
STYLE_ORDER = ("name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden",
               "uiPriority", "semiHidden", "unhideWhenUsed", "qFormat", "locked", "personal",
               "personalCompose", "personalReply", "rsid", "pPr", "rPr", "tblPr", "trPr", "tcPr",
               "tblStylePr")
_ORDERS = {"rPr": RPR_ORDER, "pPr": PPR_ORDER, "sectPr": SECTPR_ORDER, "style": STYLE_ORDER}


def get_or_add(parent, local: str):
    """The first ``w:<local>`` child of ``parent``, inserted in schema order when missing."""
    tag = f"{W}{local}"
    found = parent.find(tag)
    if found is not None:
        return found
    from lxml import etree

    el = parent.makeelement(tag, {})
    order = _ORDERS.get(etree.QName(parent).localname, ())
    if local in order:
        later = set(order[order.index(local) + 1:])
        for i, sibling in enumerate(parent):
            if isinstance(sibling.tag, str) and sibling.tag.startswith(W) and \
                    sibling.tag[len(W):] in later:
                parent.insert(i, el)
                return el
    parent.append(el)
    return el


def remove_all(parent, local: str) -> None:
    for el in parent.findall(f"{W}{local}"):
        parent.remove(el)


def set_attrs(el, **attrs: object) -> None:
    """Set w:-namespaced attributes; a None value removes the attribute."""
    for name, value in attrs.items():
        key = f"{W}{name}"
        if value is None:
            el.attrib.pop(key, None)
        else:
            el.set(key, str(value))


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


def set_run_format(rpr, *, size_pt: float, bold: bool, char_spacing_pt: float | None,
                   color: str = "000000", lang: str = "zh-CN") -> None:
    """Size (w:sz in half-points), bold on/off, no italic, character spacing (w:spacing in
    twentieths of a point; None removes it), colour and East Asian language of a w:rPr."""
    for b in ("b", "bCs"):
        set_attrs(get_or_add(rpr, b), val="1" if bold else "0")
    for it in ("i", "iCs"):
        set_attrs(get_or_add(rpr, it), val="0")
    set_attrs(get_or_add(rpr, "color"), val=color, themeColor=None, themeShade=None,
              themeTint=None)
    if char_spacing_pt is None:
        remove_all(rpr, "spacing")
    else:
        set_attrs(get_or_add(rpr, "spacing"), val=round(char_spacing_pt * 20))
    remove_all(rpr, "kern")
    half_points = round(size_pt * 2)
    set_attrs(get_or_add(rpr, "sz"), val=half_points)
    set_attrs(get_or_add(rpr, "szCs"), val=half_points)
    set_attrs(get_or_add(rpr, "lang"), val="en-US", eastAsia=lang, bidi="ar-SA")


def set_paragraph_format(ppr, *, align: str, size_pt: float, line_twips: int,
                         first_line_chars: float = 0, left_chars: float = 0,
                         right_chars: float = 0, after_twips: int = 0,
                         outline_level: int | None = None, keep_next: bool = False,
                         snap_to_grid: bool = True) -> None:
    """Alignment, exact line spacing, indents in characters (w:*Chars in hundredths, with the
    twips equivalent at ``size_pt`` for applications that ignore *Chars), spacing after,
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
    set_attrs(spacing, before=0, beforeLines=0, after=after_twips, afterLines=0,
              line=line_twips, lineRule="exact")
    ind = get_or_add(ppr, "ind")
    ind.attrib.clear()
    for name, chars in (("left", left_chars), ("right", right_chars),
                        ("firstLine", first_line_chars)):
        set_attrs(ind, **{name: round(chars * size_pt * 20), f"{name}Chars": round(chars * 100)})
    set_attrs(get_or_add(ppr, "jc"), val=align)
    if outline_level is None:
        remove_all(ppr, "outlineLvl")
    else:
        set_attrs(get_or_add(ppr, "outlineLvl"), val=outline_level)


def set_indent_chars(ppr, size_pt: float, **sides: float) -> None:
    """Override indents of one paragraph in characters (``left=``, ``right=``), written as
    w:*Chars and as twips at ``size_pt`` (署名/成文日期 placement, page numbers)."""
    ind = get_or_add(ppr, "ind")
    for side, chars in sides.items():
        set_attrs(ind, **{side: round(chars * size_pt * 20), f"{side}Chars": round(chars * 100)})


def set_keep_next(ppr, on: bool) -> None:
    """Direct w:keepNext on/off (a run-in heading must not chain to the next paragraph the
    way its heading style asks)."""
    set_attrs(get_or_add(ppr, "keepNext"), val="1" if on else "0")


def set_space_after(ppr, twips: int) -> None:
    set_attrs(get_or_add(ppr, "spacing"), after=twips, afterLines=0)


def set_doc_grid(sectpr, line_pitch_twips: int, grid_type: str = "lines") -> None:
    """w:docGrid of a section: ``lines`` snaps lines to ``line_pitch_twips`` and leaves the
    character pitch to the text (see fonts.LINE_PITCH_PT for why not linesAndChars)."""
    grid = get_or_add(sectpr, "docGrid")
    grid.attrib.clear()
    set_attrs(grid, type=grid_type, linePitch=line_pitch_twips)


def append_page_field(p, rpr_template, before: str = "— ", after: str = " —") -> None:
    """Append "— {PAGE} —" to paragraph ``p`` as a complex field (begin / instr / separate /
    cached result / end) so Word and LibreOffice both show the page number; every run gets
    a copy of ``rpr_template`` (a w:rPr or None)."""
    import copy

    xml_space = "{http://www.w3.org/XML/1998/namespace}space"

    def run(kind: str, value: str = "") -> None:
        r = p.makeelement(f"{W}r", {})
        p.append(r)
        if rpr_template is not None:
            r.append(copy.deepcopy(rpr_template))
        if kind in ("t", "instrText"):
            t = r.makeelement(f"{W}{kind}", {xml_space: "preserve"})
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


def set_style_names(style, *, name: str, based_on: str | None, next_style: str | None) -> None:
    """Name, w:basedOn and w:next of a w:style; no linked character style (its theme fonts
    would leak into direct formatting); shown in the style gallery (w:qFormat)."""
    set_attrs(get_or_add(style, "name"), val=name)
    for local, value in (("basedOn", based_on), ("next", next_style)):
        if value:
            set_attrs(get_or_add(style, local), val=value)
        else:
            remove_all(style, local)
    for local in ("link", "semiHidden", "unhideWhenUsed", "hidden"):
        remove_all(style, local)
    get_or_add(style, "qFormat")


def remove_table_styles(styles_root, keep: tuple[str, ...] = ("TableNormal", "TableGrid")) -> int:
    """Drop the template's table styles except ``keep``: python-docx's template carries 100
    (310 KB of styles.xml, full of theme colours) and a report has no table; Word lists its
    built-in table styles anyway. Returns how many were removed."""
    n = 0
    for style in styles_root.findall(f"{W}style"):
        if style.get(f"{W}type") == "table" and style.get(f"{W}styleId") not in keep:
            styles_root.remove(style)
            n += 1
    return n


def remove_linked_style(styles_root, style) -> None:
    """Remove the character style linked to paragraph ``style`` ("Heading 1 Char"…): it
    carries the template's colours and sizes and nothing uses it once the link is gone."""
    link = style.find(f"{W}link")
    if link is None:
        return
    linked = link.get(f"{W}val")
    for other in styles_root.findall(f"{W}style"):
        if other.get(f"{W}styleId") == linked and other.get(f"{W}type") == "character":
            styles_root.remove(other)


def find_or_add_style(styles_root, style_type: str, style_id: str):
    """The w:style with ``style_id`` (a new custom one appended when missing)."""
    for style in styles_root.iterfind(f"{W}style"):
        if style.get(f"{W}styleId") == style_id:
            return style
    style = styles_root.makeelement(f"{W}style", {})
    styles_root.append(style)
    set_attrs(style, type=style_type, styleId=style_id, customStyle="1")
    return style


def doc_defaults(styles_root, which: str):
    """w:docDefaults/w:rPrDefault/w:rPr (``which="rPr"``) or …/w:pPrDefault/w:pPr."""
    defaults = styles_root.find(f"{W}docDefaults")
    if defaults is None:
        defaults = styles_root.makeelement(f"{W}docDefaults", {})
        styles_root.insert(0, defaults)
    holder = defaults.find(f"{W}{which}Default")
    if holder is None:
        holder = defaults.makeelement(f"{W}{which}Default", {})
        if which == "rPr":
            defaults.insert(0, holder)
        else:
            defaults.append(holder)
    el = holder.find(f"{W}{which}")
    if el is None:
        el = holder.makeelement(f"{W}{which}", {})
        holder.append(el)
    return el


def set_theme_font_lang(settings_root, east_asia: str = "zh-CN") -> None:
    """w:themeFontLang: python-docx's template says ja-JP, which makes Word resolve any theme
    font it still meets to a Japanese face."""
    el = settings_root.find(f"{W}themeFontLang")
    if el is not None:
        set_attrs(el, val="en-US", eastAsia=east_asia)


def set_compatibility_mode(settings_root, mode: int = 15) -> None:
    """w:compatSetting compatibilityMode: python-docx's template says 14 (Word 2010), which
    makes current Word open the report in 兼容模式."""
    for el in settings_root.iter(f"{W}compatSetting"):
        if el.get(f"{W}name") == "compatibilityMode":
            set_attrs(el, val=mode)


def font_table_xml(fonts: dict[str, str | None]) -> bytes:
    """A word/fontTable.xml naming ``fonts`` (name → alternative name or None), Chinese ones
    with charset 86 (GB2312) so that Word, when a font is missing, substitutes a Chinese face
    (the w:altName first) instead of a Western one."""
    from lxml import etree

    root = etree.Element(f"{W}fonts", nsmap={"w": W_NS})
    for name, alt in fonts.items():
        font = etree.SubElement(root, f"{W}font")
        set_attrs(font, name=name)
        if alt:
            set_attrs(etree.SubElement(font, f"{W}altName"), val=alt)
        chinese = any(ord(ch) > 0x2E80 for ch in name + (alt or ""))
        set_attrs(etree.SubElement(font, f"{W}charset"), val="86" if chinese else "00")
        set_attrs(etree.SubElement(font, f"{W}family"), val="modern" if chinese else "roman")
        set_attrs(etree.SubElement(font, f"{W}pitch"), val="fixed" if chinese else "variable")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def app_properties_xml(application: str) -> bytes:
    """docProps/app.xml naming ``application`` (python-docx's template claims "Microsoft
    Macintosh Word" and Normal.dotm)."""
    from lxml import etree

    ns = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    root = etree.Element(f"{{{ns}}}Properties", nsmap={None: ns})
    etree.SubElement(root, f"{{{ns}}}Application").text = application
    etree.SubElement(root, f"{{{ns}}}DocSecurity").text = "0"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# Comments (used by comments.py): splitting a run so that a comment range can start or end
# inside it, and placing the range markers. python-docx's Document.add_comment puts the
# reference run inside whatever inline container holds the last run (a hyperlink, a simple
# field, a tracked insertion), where updating the field or rejecting the insertion would
# delete it; here it goes after that container.

_RUN_ZERO = {"br", "cr", "softHyphen", "lastRenderedPageBreak", "commentReference",
             "footnoteReference", "endnoteReference", "annotationRef"}  # no text of their own
_RUN_ONE = {"tab", "ptab", "noBreakHyphen"}  # one character each (TextCollector._run)


def _run_child_length(child) -> int | None:
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
        value = _int_hex(child.get(_W["char"], ""))
        return 1 if value is not None and not 0xE000 <= value <= 0xF8FF else 0
    return 0 if local in _RUN_ZERO else None


def split_run(r, at: int):
    """Split the w:r ``r`` before character ``at`` of its text (counted as the reader counts
    it): ``r`` keeps the text before, a copy inserted right after it (same w:rPr and
    attributes, so the same formatting) gets the rest. Returns the new run, or None when
    ``at`` is not strictly inside the run or the run holds something other than text, tabs,
    breaks and symbols."""
    import copy

    rpr_tag = f"{W}rPr"
    content = [c for c in r if c.tag != rpr_tag]
    pos, cut = 0, None
    for i, child in enumerate(content):
        n = _run_child_length(child)
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
    new_content = [c for c in new if c.tag != rpr_tag]
    keep = i
    if k > 0:  # inside a w:t (the only child longer than one character)
        old_t, new_t = content[i], new_content[i]
        text = old_t.text or ""
        old_t.text, new_t.text = text[:k], text[k:]
        xml_space = "{http://www.w3.org/XML/1998/namespace}space"
        for t in (old_t, new_t):
            t.set(xml_space, "preserve")
        keep = i + 1
    for c in content[keep:]:
        r.remove(c)
    for c in new_content[:i]:
        new.remove(c)
    r.addnext(new)
    return new


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
    while anchor.getparent() is not None and anchor.getparent().tag != _W["p"]:
        anchor = anchor.getparent()
    anchor.addnext(ref)
