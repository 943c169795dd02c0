"""Build .docx variants for the layout rule cases (``checker/cases/FMT_layout.yaml``).

A case's ``docx:`` mapping describes how its document departs from GB/T 9704: the report is
written by the GB/T 9704 writer (:func:`drafter.docx.writer.docx_bytes`) and then changed with
python-docx and the :mod:`drafter.docx.oxml` helpers, e.g.::

    docx: {paper: Letter, margins_mm: [25.4, 25.4, 31.8, 31.8], body_font: 宋体,
           body_size_pt: 12, title_font: 黑体, title_size_pt: 18, heading_fonts: {1: 宋体},
           page_numbers: false, line_pitch_pt: single, font_profile: gb2312, direct: false}

``line_pitch_pt`` is a number (exact spacing) or ``single`` (Word's automatic single spacing,
no document grid). ``direct: true`` sets the body font and size on the runs instead of the
styles. An empty mapping is the writer's own, conforming document.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

from drafter.docx.oxml import elements as E
from drafter.docx.oxml import styles, write
from drafter.docx.oxml.ns import qn
from drafter.report import Report

PAPERS_MM = {"A4": (210, 297), "Letter": (215.9, 279.4), "A3": (297, 420), "B5": (176, 250)}
KNOWN_KEYS = {"paper", "margins_mm", "body_font", "body_size_pt", "title_font", "title_size_pt",
              "heading_fonts", "heading_size_pt", "page_numbers", "line_pitch_pt",
              "font_profile", "direct"}


def variant_bytes(report: Report, spec: dict[str, Any]) -> bytes:
    """The GB/T 9704 .docx of ``report`` changed as ``spec`` says (keys: KNOWN_KEYS)."""
    import docx
    from docx.shared import Mm

    from drafter.docx import fonts as F
    from drafter.docx.writer import docx_bytes

    unknown = set(spec) - KNOWN_KEYS
    if unknown:
        raise ValueError(f"unknown docx case keys: {sorted(unknown)}")
    document = docx.Document(io.BytesIO(docx_bytes(
        report, font_profile=spec.get("font_profile", "gb2312"))))
    section = document.sections[0]
    if "paper" in spec:
        paper = spec["paper"]
        w, h = PAPERS_MM[paper] if isinstance(paper, str) else paper
        section.page_width, section.page_height = Mm(w), Mm(h)
    if "margins_mm" in spec:
        top, bottom, left, right = spec["margins_mm"]
        section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
        section.left_margin, section.right_margin = Mm(left), Mm(right)
    styles = document.styles.element
    body_styles = [s.style_id for s in F.ELEMENTS.values() if s.font == "body"]
    body_styles.append(F.RUN_IN_BODY_STYLE[0])
    if not spec.get("direct"):
        for sid in body_styles:
            _restyle(styles, sid, spec.get("body_font"), spec.get("body_size_pt"))
    else:
        for p in document.paragraphs:
            if p.style.style_id in body_styles:
                for r in p.runs:
                    _format_rpr(r._r.get_or_add_rPr(), spec.get("body_font"),
                                spec.get("body_size_pt"))
    _restyle(styles, "Title", spec.get("title_font"), spec.get("title_size_pt"))
    for level, font in (spec.get("heading_fonts") or {}).items():
        _restyle(styles, f"Heading{int(level)}", font, spec.get("heading_size_pt"))
    if "line_pitch_pt" in spec:
        _line_pitch(document, spec["line_pitch_pt"])
    if spec.get("page_numbers") is False:
        for sec in document.sections:
            for footer in (sec.footer, sec.even_page_footer, sec.first_page_footer):
                for p in footer.paragraphs:
                    for child in list(p._p):
                        if child.tag != qn("w:pPr"):
                            p._p.remove(child)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _format_rpr(rpr, font: str | None, size_pt: float | None) -> None:
    from docx.shared import Pt

    if font:
        write.set_fonts(rpr, font, font)
    if size_pt:
        write.set_size(rpr, Pt(float(size_pt)))


def _restyle(styles_root, style_id: str, font: str | None, size_pt: float | None) -> None:
    if not font and not size_pt:
        return
    style = styles.find_or_add_style(styles_root, "paragraph", style_id)
    _format_rpr(E.get_or_add(style, "rPr"), font, size_pt)


def _line_pitch(document, value) -> None:
    """Body line spacing: exact ``value`` points, or ``single`` without a document grid."""
    from docx.shared import Pt

    from drafter.docx.oxml.formatting import SINGLE_LINE
    from drafter.docx.oxml.units import twips

    normal = styles.find_or_add_style(document.styles.element, "paragraph", "Normal")
    spacing = E.get_or_add(E.get_or_add(normal, "pPr"), "spacing")
    if value == "single":
        E.set_attrs(spacing, line=SINGLE_LINE, lineRule="auto")
        for sec in document.sections:
            E.remove_all(sec._sectPr, "docGrid")
    else:
        E.set_attrs(spacing, line=twips(Pt(float(value))), lineRule="exact")


def variant_report(report: Report, spec: dict[str, Any], name: str = "<case>") -> Report:
    """``report`` written as the .docx variant ``spec`` and read back (with source_docx)."""
    from drafter.report.readers import read_docx_report

    with tempfile.TemporaryDirectory(prefix="drafter-case-") as tmp:
        path = Path(tmp) / "case.docx"
        path.write_bytes(variant_bytes(report, spec))
        return read_docx_report(path, name)
