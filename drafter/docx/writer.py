"""Write a :class:`~drafter.report.Report` as a GB/T 9704-2012 .docx (REPORT-RULES.md §4).

Layout: A4, margins 37/35/28/26 mm (top/bottom/left/right), 22 lines × 28 characters (a
"lines" document grid with exact 28.95 pt line spacing and −0.25 pt character spacing — see
``fonts.CHAR_SPACING_PT``); 标题 二号 方正小标宋简体 centred with one blank line after; 主送机关
flush left; 正文 三号 仿宋_GB2312, first-line indent two characters; headings 一、 黑体,
（一） 楷体_GB2312, 1. 仿宋_GB2312 bold, （1） 仿宋_GB2312, as Word's built-in "heading 1–4"
styles (outline levels 0–3, so the navigation pane shows the structure); a run-in heading
keeps its heading sentence in the heading font and the rest of the paragraph in the body font
(character style 正文字符); the closing per GB/T 9704-2012 §7.3.5: without a seal (7.3.5.2,
the default) one blank line before the 署名, 署名 右空二字, 成文日期 on the next line starting two
characters to the right of the 署名 (右空二字 itself when it is the longer one); with a seal
(7.3.5.1, ``seal=True``) two blank lines for the seal, 成文日期 右空四字 and the 署名 centred
above it; an optional 发文字号 (7.2.4) centred above the title with two blank lines between;
附注 左空二字; page numbers "— 1 —" 四号 宋体, odd pages right and even pages left, one
character in from the edge.

Fonts come from a profile (``fonts.PROFILES``): ``gb2312`` (default) or ``modern``.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from drafter.docx import fonts as F
from drafter.docx.oxml import elements as E
from drafter.docx.oxml import parts, styles, write
from drafter.docx.oxml.units import twips
from drafter.io import atomic_write_bytes, check_output_path

if TYPE_CHECKING:
    from drafter.report import Heading, Report

PROPERTY_KEYS = ("title", "author", "subject", "keywords")
APPLICATION = "drafter"
_SIZE_PT = {key: F.SIZES_PT[spec.size] for key, spec in F.ELEMENTS.items()}
_BODY_PT = F.SIZES_PT["三号"]


def write_docx(report: "Report", path: str | os.PathLike[str], *, font_profile: str = "gb2312",
               properties: dict | None = None, force: bool = False, seal: bool = False,
               doc_number: str | None = None) -> Path:
    """Write ``report`` to ``path`` as .docx, atomically; OutputError (exit 2) when the file
    exists and ``force`` is False, or the folder is missing or not writable.

    ``properties``: {"title", "author", "subject", "keywords"} for the document properties;
    a missing title is the report's title, a missing author the 署名 (the unit); None means
    all defaults.
    """
    check_output_path(path, force)  # fail before doing the work
    data = docx_bytes(report, font_profile=font_profile, properties=properties, seal=seal,
                      doc_number=doc_number)
    return atomic_write_bytes(path, data, force=force)


def docx_bytes(report: "Report", *, font_profile: str = "gb2312",
               properties: dict | None = None, seal: bool = False,
               doc_number: str | None = None) -> bytes:
    """The .docx file of ``report`` as bytes (see :func:`write_docx`): ``seal`` lays out the
    closing for a sealed document, ``doc_number`` is a 发文字号 set above the title."""
    from docx import Document

    profile = F.get_profile(font_profile)
    props = _properties(report, properties)
    doc = Document()
    _clean_package(doc)
    _page_setup(doc)
    _styles(doc, profile)
    _body(doc, report, seal, doc_number)
    _footers(doc)
    _core_properties(doc, props)
    buf = io.BytesIO()
    doc.save(buf)
    used = {profile.title, profile.body, *profile.headings, profile.page_number}
    used |= {profile.latin} if profile.latin else set()
    replacements = {
        "word/fontTable.xml": parts.font_table_xml({f: F.ALT_NAMES.get(f) for f in sorted(used)}),
        "docProps/app.xml": parts.app_properties_xml(APPLICATION),
    }
    return _replace_zip_members(buf.getvalue(), replacements)


# ---- package and page ----------------------------------------------------------------------

def _clean_package(doc) -> None:
    """Drop what python-docx's template carries that a report should not: a Word 2010
    stylesWithEffects part (theme fonts again), a bibliography customXml part, a thumbnail."""
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
            doc.part.drop_rel(rid)
    package_rels = doc.part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package_rels[rid]
    parts.set_theme_font_lang(doc.settings.element)
    parts.set_compatibility_mode(doc.settings.element, 15)
    doc.settings.odd_and_even_pages_header_footer = True


def _page_setup(doc) -> None:
    from docx.shared import Mm, Pt

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(F.PAGE_MM[0]), Mm(F.PAGE_MM[1])
    section.top_margin = Mm(F.MARGINS_MM["top"])
    section.bottom_margin = Mm(F.MARGINS_MM["bottom"])
    section.left_margin = Mm(F.MARGINS_MM["left"])
    section.right_margin = Mm(F.MARGINS_MM["right"])
    section.gutter = 0
    # The footer line (14 pt, exact) starts PAGE_NUMBER_GAP_MM below the 版心.
    footer_mm = F.MARGINS_MM["bottom"] - F.PAGE_NUMBER_GAP_MM - Pt(_SIZE_PT["footer"]).mm
    section.footer_distance = Mm(round(footer_mm, 1))
    section.header_distance = Mm(15)
    write.set_doc_grid(doc.element.body.sectPr, Pt(F.LINE_PITCH_PT), "lines")


# ---- styles --------------------------------------------------------------------------------

def _styles(doc, profile: F.FontProfile) -> None:
    from docx.shared import Pt, Twips

    body, pitch = Pt(_BODY_PT), Pt(F.LINE_PITCH_PT)
    root = doc.styles.element
    styles.remove_table_styles(root)
    write.strip_theme_fonts(root)
    write.strip_theme_colors(root)
    rpr = styles.doc_defaults(root, "rPr")
    write.set_fonts(rpr, profile.body, profile.latin_for(profile.body))
    write.set_run_format(rpr, size=body, bold=False, char_spacing=None)
    write.set_line_spacing(styles.doc_defaults(root, "pPr"), pitch)
    for key, spec in F.ELEMENTS.items():
        style = styles.find_or_add_style(root, "paragraph", spec.style_id)
        styles.remove_linked_style(root, style)
        styles.set_style_names(style, name=spec.name, based_on=spec.based_on,
                               next_style=None if key == "footer" else "Normal")
        E.remove_all(style, "pPr")
        E.remove_all(style, "rPr")
        size = Pt(_SIZE_PT[key])
        line = Pt(spec.line_pt) if spec.line_pt else pitch
        write.set_paragraph_format(
            E.get_or_add(style, "pPr"), align=spec.align, size=size, line=line,
            first_line_chars=spec.first_line_chars, left_chars=spec.left_chars,
            right_chars=spec.right_chars,
            after=Twips(round(spec.space_after_lines * twips(line))),
            outline_level=spec.outline_level, keep_next=spec.keep_next,
            snap_to_grid=spec.snap_to_grid)
        rpr = E.get_or_add(style, "rPr")
        east_asia = _font(profile, spec.font)
        latin = east_asia if spec.font == "page_number" else profile.latin_for(east_asia)
        write.set_fonts(rpr, east_asia, latin)
        write.set_run_format(rpr, size=size, bold=spec.bold,
                             char_spacing=Pt(F.CHAR_SPACING_PT if spec.char_spacing else 0))
    style_id, name = F.RUN_IN_BODY_STYLE
    char_style = styles.find_or_add_style(root, "character", style_id)
    styles.set_style_names(char_style, name=name, based_on="DefaultParagraphFont",
                           next_style=None)
    E.remove_all(char_style, "rPr")
    rpr = E.get_or_add(char_style, "rPr")
    write.set_fonts(rpr, profile.body, profile.latin_for(profile.body))
    write.set_run_format(rpr, size=body, bold=False, char_spacing=Pt(F.CHAR_SPACING_PT))


def _font(profile: F.FontProfile, role: str) -> str:
    if role.startswith("heading"):
        return profile.headings[int(role[-1]) - 1]
    return getattr(profile, role)


# ---- body ----------------------------------------------------------------------------------

def _body(doc, report: "Report", seal: bool = False, doc_number: str | None = None) -> None:
    from docx.shared import Pt

    headings: dict[int, Heading] = {id(s.heading.paragraph): s.heading for s in report.walk()}
    paragraphs = [p for p in report.paragraphs if p.role != "blank" and p.text.strip()]
    titles = [p for p in paragraphs if p.role == "title"]
    closing = _closing_indents(report.signature.text.strip() if report.signature else None,
                               report.date.text.strip() if report.date else None, seal)
    if doc_number:
        _doc_number(doc, doc_number)
    last, closing_started = None, False
    for p in paragraphs:
        if p.role in ("signature", "date") and not closing_started:
            # 署名 one blank line below the body (GB/T 9704 §7.3.5.2), two with a seal
            # (§7.3.5.1: room for it); the last body line, the blank lines and the 署名 stay
            # together, so the 署名/成文日期 never stand alone at the top of a page.
            closing_started = True
            if last is not None:
                write.set_keep_next(last._p.get_or_add_pPr(), True)
            for _ in range(2 if seal else 1):
                last = doc.add_paragraph("", style=_style(doc, "body"))
                write.set_keep_next(last._p.get_or_add_pPr(), True)
        last = _add(doc, p, headings.get(id(p)), closing)
        if p.role == "title" and p is not titles[-1]:
            write.set_space_after(last._p.get_or_add_pPr(), Pt(0))  # a title over two paragraphs
        if p.role == "signature" and report.date is not None:
            write.set_keep_next(last._p.get_or_add_pPr(), True)


# Characters XML 1.0 cannot hold (C0 controls but tab/newline/CR, U+FFFE/U+FFFF, lone
# surrogates): a .txt may carry them (a vertical tab or form feed pasted from Word), and
# python-docx refuses them with a ValueError.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_safe(text: str) -> str:
    return _XML_INVALID.sub("", text)


def _add(doc, p, heading: "Heading | None", closing: tuple[float, float]):
    """Append the Word paragraph of ``p`` (its role decides the style) and return it."""
    text = p.text.strip()
    if p.role == "title":
        para = doc.add_paragraph(style=_style(doc, "title"))
        lines = title_lines(text)
        for i, line in enumerate(lines):
            run = para.add_run(_xml_safe(line))
            if i + 1 < len(lines):
                run.add_break()  # the reader joins w:br to nothing: the text round-trips
        return para
    if p.role == "heading" and heading is not None:
        para = doc.add_paragraph(style=_style(doc, f"heading{min(heading.level, 4)}"))
        head_end = len(heading.number) + len(heading.title)
        head, tail = p.text[:head_end].strip(), p.text[head_end:].rstrip()
        para.add_run(_xml_safe(head))
        if tail:
            para.add_run(_xml_safe(tail), style=doc.styles[F.RUN_IN_BODY_STYLE[1]])
            # A run-in heading is a body paragraph too: keeping it with the next one would
            # chain every （一）（二）… paragraph into one unbreakable block.
            write.set_keep_next(para._p.get_or_add_pPr(), False)
        return para
    key = p.role if p.role in ("recipient", "signature", "date", "note") else "body"
    para = doc.add_paragraph(_xml_safe(text), style=_style(doc, key))
    if p.role in ("signature", "date"):
        chars = closing[0] if p.role == "signature" else closing[1]
        from docx.shared import Pt

        write.set_indent_chars(para._p.get_or_add_pPr(), Pt(_BODY_PT), right=chars)
    return para


def _style(doc, key: str):
    return doc.styles[F.ELEMENTS[key].name]


def _doc_number(doc, text: str) -> None:
    """The 发文字号 centred on the first line, two blank lines above the title (GB/T 9704-2012
    7.2.4: 居中排布; the title 空二行 below it)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    para = doc.add_paragraph(_xml_safe(text.strip()), style=_style(doc, "recipient"))
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    write.set_indent_chars(para._p.get_or_add_pPr(), Pt(_BODY_PT), firstLine=0.0)
    for _ in range(2):
        doc.add_paragraph("", style=_style(doc, "body"))


def text_width(text: str) -> float:
    """Width of ``text`` in characters (em): ASCII counts half, everything else one."""
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


def _closing_indents(signature: str | None, date: str | None,
                     seal: bool = False) -> tuple[float, float]:
    """Right indents (in characters) of 署名 and 成文日期.

    Without a seal (GB/T 9704-2012 §7.3.5.2): 署名 右空二字; 成文日期 on the next line, its
    first character two characters right of the 署名's first character; when that would leave
    the date less than 右空二字, the date is set 右空二字 and the 署名 moves left by as much.
    With a seal (§7.3.5.1): 成文日期 右空四字, the 署名 centred on the date.
    """
    if seal:
        if date is None:
            return 4.0, 4.0
        d = text_width(date)
        s = text_width(signature) if signature is not None else d
        return max(0.0, 4.0 + (d - s) / 2), 4.0
    if signature is None or date is None:
        return 2.0, 2.0
    s, d = text_width(signature), text_width(date)
    date_right = max(2.0, s - d)  # the date starting 2 right of the 署名 ends s − d from the edge
    sig_right = date_right + d + 2 - s
    return sig_right, date_right


def title_lines(title: str) -> list[str]:
    """The title cut into lines "词意完整，排列对称" (GB/T 9704 §7.2.3): when it does not fit
    one line, break before 关于 / the year / 法治政府 so that every line fits, with as few lines
    as possible and the most even lengths; a title no break can fit is left to wrap."""
    from docx.shared import Mm

    width = Mm(F.PAGE_MM[0] - F.MARGINS_MM["left"] - F.MARGINS_MM["right"])
    capacity = width.pt / F.SIZES_PT["二号"]  # characters per title line (20)
    if text_width(title) <= capacity:
        return [title]
    import re

    cuts = sorted({m.start() for m in re.finditer(r"关于|(?:20\d\d|二〇..)年|法治政府建设", title)
                   if m.start() > 0})
    best: tuple[tuple[int, float], list[str]] | None = None
    for mask in range(1, 2 ** len(cuts)):
        chosen = [c for i, c in enumerate(cuts) if mask >> i & 1]
        bounds = [0, *chosen, len(title)]
        lines = [title[a:b] for a, b in zip(bounds, bounds[1:])]
        widths = [text_width(x) for x in lines]
        if max(widths) > capacity:
            continue
        score = (len(lines), max(widths) - min(widths))
        if best is None or score < best[0]:
            best = (score, lines)
    return best[1] if best else [title]


# ---- footers -------------------------------------------------------------------------------

def _footers(doc) -> None:
    """"— N —" in the odd-page (default) footer at the right and the even-page footer at the
    left, each one character in from the edge (GB/T 9704 §7.5)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    section = doc.sections[0]
    size = Pt(_SIZE_PT["footer"])
    for footer, align, side in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
                                (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left")):
        footer.is_linked_to_previous = False
        para = footer.paragraphs[0]
        para.style = _style(doc, "footer")
        para.alignment = align
        write.set_indent_chars(para._p.get_or_add_pPr(), size, **{side: 1.0})
        write.append_page_field(para._p, None)


# ---- properties ----------------------------------------------------------------------------

def _properties(report: "Report", properties: dict | None) -> dict[str, str]:
    given = dict(properties or {})
    unknown = set(given) - set(PROPERTY_KEYS)
    if unknown:
        raise ValueError(f"unknown document properties: {sorted(unknown)}; "
                         f"known: {PROPERTY_KEYS}")
    titles = [p.text.strip() for p in report.paragraphs if p.role == "title"]
    defaults = {"title": "".join(titles),
                "author": report.signature.text.strip() if report.signature else "",
                "subject": "", "keywords": ""}
    return {k: str(given[k]) if given.get(k) is not None else defaults[k] for k in PROPERTY_KEYS}


def _core_properties(doc, props: dict[str, str]) -> None:
    """Title, author (the unit), subject, keywords; nothing from python-docx's template (its
    author "python-docx", description, 2013 dates) and no machine user name."""
    cp = doc.core_properties
    now = datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)
    cp.title = props["title"]
    cp.author = props["author"]
    cp.last_modified_by = props["author"]
    cp.subject = props["subject"]
    cp.keywords = props["keywords"]
    cp.comments = ""
    cp.category = ""
    cp.language = "zh-CN"
    cp.revision = 1
    cp.created = now
    cp.modified = now


def _replace_zip_members(data: bytes, replacements: dict[str, bytes]) -> bytes:
    """``data`` (a zip) with the named members' contents replaced, order and names kept."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = replacements.get(info.filename)
            dst.writestr(info, body if body is not None else src.read(info.filename),
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
