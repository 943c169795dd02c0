"""Effective formatting of an existing .docx (the layout rules): what font, size and line
spacing Word *shows* for a run or a paragraph, and whether a footer holds a page number.

Owns the reading of w:rPr/w:rFonts/w:sz and w:pPr/w:spacing/w:snapToGrid through the
inheritance chain — direct formatting, then the character style (w:rStyle and its w:basedOn
chain), then the paragraph style (or the default paragraph style), then w:docDefaults;
theme fonts (w:eastAsiaTheme) through the theme part (a:majorFont/a:minorFont) — plus
w:sectPr/w:docGrid and PAGE fields in headers and footers. Table styles, numbering and
conditional formatting are not resolved (the rules skip tables and auto numbers).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from drafter.docx.oxml.ns import W, is_on, qn
from drafter.docx.oxml.styles import StyleTable
from drafter.docx.oxml.units import from_half_points, from_twips

_THEME_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
DEFAULT_SIZE_PT = 10.0  # ECMA-376: a run with no w:sz anywhere is 10 pt
# Word's single line height is about 1.3 em for the Chinese system fonts (SimSun, 仿宋_GB2312):
# an estimate, used only where the document does not give an exact line spacing.
LINE_HEIGHT_EM = 1.3
SINGLE_LINE = 240  # w:spacing/@w:line of single spacing (lineRule auto: 240ths of a line)
_PAGE = re.compile(r"(?<![A-Za-z])PAGE(?![A-Za-z])")


@dataclass(frozen=True)
class RunFormat:
    east_asia: str | None  # the East Asian font name (None: the document does not say)
    size_pt: float


@dataclass(frozen=True)
class LineSpacing:
    rule: str  # exact | atLeast | auto
    value: int  # twips (exact, atLeast) or 240ths of a line (auto)
    snap_to_grid: bool


@dataclass(frozen=True)
class Grid:
    kind: str | None  # w:docGrid/@w:type: lines | linesAndChars | snapToChars | None (no grid)
    pitch_pt: float | None


class DocFormat:
    """Formatting resolver for one python-docx Document."""

    def __init__(self, document) -> None:
        root = document.styles.element
        self._styles = StyleTable(root)
        defaults = root.find(qn("w:docDefaults"))
        self._rpr_default = defaults.find(f"{W}rPrDefault/{W}rPr") if defaults is not None else None
        self._ppr_default = defaults.find(f"{W}pPrDefault/{W}pPr") if defaults is not None else None
        self._theme = theme_fonts(document)

    # -- runs ---------------------------------------------------------------------------

    def run_format(self, r, p) -> RunFormat:
        chain = self._run_chain(r, p)
        return RunFormat(self._east_asia(chain), self._size(chain))

    def _run_chain(self, r, p) -> list:
        """The w:rPr elements that apply to run ``r`` in paragraph ``p``, strongest first."""
        chain = [r.find(qn("w:rPr"))]
        rpr = chain[0]
        rstyle = rpr.find(qn("w:rStyle")) if rpr is not None else None
        if rstyle is not None:
            chain += [s.find(qn("w:rPr")) for s in self._styles.chain(rstyle.get(qn("w:val")))]
        chain += [s.find(qn("w:rPr")) for s in self._styles.chain(self._pstyle(p))]
        chain.append(self._rpr_default)
        return [x for x in chain if x is not None]

    def _east_asia(self, chain: list) -> str | None:
        for rpr in chain:
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is None:
                continue
            theme = fonts.get(f"{W}eastAsiaTheme")
            if theme is not None:  # a theme font wins over the name beside it
                return self._theme.get("major" if theme.startswith("major") else "minor")
            name = fonts.get(f"{W}eastAsia")
            if name:
                return name
        return None

    @staticmethod
    def _size(chain: list) -> float:
        for rpr in chain:
            sz = rpr.find(qn("w:sz"))
            if sz is not None and sz.get(qn("w:val"), "").isdigit():
                return from_half_points(int(sz.get(qn("w:val")))).pt
        return DEFAULT_SIZE_PT

    # -- paragraphs -----------------------------------------------------------------------

    def line_spacing(self, p) -> LineSpacing:
        chain = [p.find(qn("w:pPr"))]
        chain += [s.find(qn("w:pPr")) for s in self._styles.chain(self._pstyle(p))]
        chain.append(self._ppr_default)
        chain = [x for x in chain if x is not None]
        line = rule = None
        snap = True
        for ppr in chain:
            sp = ppr.find(qn("w:spacing"))
            if sp is not None:
                line = line if line is not None else sp.get(qn("w:line"))
                rule = rule if rule is not None else sp.get(qn("w:lineRule"))
        for ppr in chain:
            el = ppr.find(qn("w:snapToGrid"))
            if el is not None:
                snap = is_on(el)
                break
        try:
            value = int(line) if line is not None else SINGLE_LINE
        except ValueError:
            value = SINGLE_LINE
        return LineSpacing(rule or "auto", value, snap)

    def _pstyle(self, p) -> str | None:
        ppr = p.find(qn("w:pPr"))
        el = ppr.find(qn("w:pStyle")) if ppr is not None else None
        return el.get(qn("w:val")) if el is not None else self._styles.default


def section_grid(sect_pr) -> Grid:
    grid = sect_pr.find(qn("w:docGrid")) if sect_pr is not None else None
    if grid is None:
        return Grid(None, None)
    kind = grid.get(qn("w:type"))
    pitch = grid.get(qn("w:linePitch"))
    pitch_pt = from_twips(int(pitch)).pt if pitch and pitch.lstrip("-").isdigit() else None
    return Grid(kind if kind and kind != "default" else None, pitch_pt)


def line_pitch_pt(spacing: LineSpacing, size_pt: float, grid: Grid) -> tuple[float, bool]:
    """(line pitch in points, exact?) of body lines: an exact spacing is what Word uses; an
    automatic or at-least spacing is estimated from the font size (LINE_HEIGHT_EM) and, when
    the paragraph snaps to a line grid, rounded up to whole grid lines as Word does."""
    if spacing.rule == "exact":
        return from_twips(spacing.value).pt, True
    natural = size_pt * LINE_HEIGHT_EM
    if spacing.rule == "atLeast":
        return max(from_twips(spacing.value).pt, natural), False
    multiple = spacing.value / SINGLE_LINE
    if grid.kind and grid.pitch_pt and grid.pitch_pt > 0 and spacing.snap_to_grid:
        return max(1, math.ceil(natural / grid.pitch_pt - 1e-6)) * grid.pitch_pt * multiple, False
    return natural * multiple, False


def theme_fonts(document) -> dict[str, str]:
    """{"major": name, "minor": name}: the East Asian theme fonts (a:ea, else the Hans font)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    from drafter.docx.oxml.parts import related_root

    root = related_root(document.part, RT.THEME)
    if root is None:
        return {}
    out: dict[str, str] = {}
    for kind in ("major", "minor"):
        font = root.find(f".//{{{_THEME_NS}}}{kind}Font")
        if font is None:
            continue
        ea = font.find(f"{{{_THEME_NS}}}ea")
        name = ea.get("typeface") if ea is not None else None
        if not name:
            hans = font.find(f"{{{_THEME_NS}}}font[@script='Hans']")
            name = hans.get("typeface") if hans is not None else None
        if name:
            out[kind] = name
    return out


def has_page_field(document) -> bool:
    """True when a footer or header of the document holds a PAGE field (simple or complex)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    for rel in document.part.rels.values():
        if rel.is_external or rel.reltype not in (RT.FOOTER, RT.HEADER):
            continue
        root = getattr(rel.target_part, "element", None)
        if root is None:
            continue
        for el in root.iter(qn("w:fldSimple")):
            if _PAGE.search(el.get(qn("w:instr"), "")):
                return True
        for el in root.iter(qn("w:instrText")):
            if _PAGE.search(el.text or ""):
                return True
    return False
