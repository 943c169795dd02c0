"""Builders of .docx files for the reader tests: python-docx for the package, lxml for the
WordprocessingML that python-docx has no API for (numbering, tracked changes, fields, text
boxes, content controls) — written the way Word writes it."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
}
_DECLS = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items())


def parse_fragment(xml: str) -> list:
    """Elements of an XML fragment written with the w:/r:/mc:… prefixes above, parsed by
    python-docx (so they are its element classes)."""
    from docx.oxml.parser import parse_xml

    root = parse_xml(f"<root {_DECLS}>{xml}</root>")
    return list(root)


def p(*runs: str, ppr: str = "") -> str:
    """A w:p from run XML (strings that are not XML become plain runs)."""
    body = "".join(x if x.lstrip().startswith("<") else r(x) for x in runs)
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{body}</w:p>"


def r(text: str, rpr: str = "") -> str:
    return (f"<w:r>{f'<w:rPr>{rpr}</w:rPr>' if rpr else ''}"
            f'<w:t xml:space="preserve">{text}</w:t></w:r>')


def numpr(num_id: int, ilvl: int = 0) -> str:
    return f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'


def field(instr: str, result: str) -> str:
    """A complex field as Word writes it: begin, instruction, separate, result, end."""
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f"{r(result)}"
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def text_box(*paragraphs: str) -> str:
    """A floating text box the way Word 2010+ writes it: DrawingML in mc:Choice and the same
    content again as VML in mc:Fallback."""
    content = "".join(paragraphs)
    return (
        "<w:r><mc:AlternateContent>"
        '<mc:Choice Requires="wps"><w:drawing><wp:anchor><wp:docPr id="1" name="文本框 1"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/'
        'wordprocessingShape"><wps:wsp><wps:txbx>'
        f"<w:txbxContent>{content}</w:txbxContent>"
        "</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        '<mc:Fallback><w:pict><v:shape><v:textbox>'
        f"<w:txbxContent>{content}</w:txbxContent>"
        "</v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>")


def level(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'{extra}<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>')


def abstract_num(aid: int, *levels: str, extra: str = "") -> str:
    return (f'<w:abstractNum w:abstractNumId="{aid}"><w:multiLevelType w:val="multilevel"/>'
            f'{extra}{"".join(levels)}</w:abstractNum>')


def num(num_id: int, aid: int, overrides: str = "") -> str:
    return f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{aid}"/>{overrides}</w:num>'


# 一、 / （一） / 1. / （1）: the GB/T 9704 heading numbers, as Word automatic numbering.
# In w:lvlText "%N" is the counter of level N (1-based), so level 1 (ilvl 1) shows "（%2）".
CHINESE_OUTLINE = abstract_num(
    90,
    level(0, "chineseCounting", "%1、"),
    level(1, "chineseCounting", "（%2）"),
    level(2, "decimal", "%3."),
    level(3, "decimal", "（%4）"),
) + num(90, 90)


def make_docx(path: Path, body: str = "", numbering: str = "", styles: str = "",
              setup=None) -> Path:
    """A .docx whose body is the XML fragment ``body`` (w:p / w:tbl …).

    ``numbering`` (w:abstractNum … w:num) and ``styles`` (w:style …) are added to the parts
    of python-docx's default template; ``setup(document)`` may then use python-docx (add
    headers, footers, comments). ``{rel:URL}`` in ``body`` becomes the r:id of an
    external hyperlink relationship to URL.
    """
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    d = docx.Document()
    body = re.sub(r"\{rel:([^}]+)\}",
                  lambda m: d.part.relate_to(m.group(1), RT.HYPERLINK, is_external=True), body)
    b = d.element.body
    sect = b.find(f"{{{NS['w']}}}sectPr")
    for child in list(b):
        if child is not sect:
            b.remove(child)
    for el in parse_fragment(body):
        sect.addprevious(el)
    if setup is not None:
        setup(d)
    if numbering:
        root = d.part.numbering_part.element
        new = parse_fragment(numbering)
        first_num = root.find(f"{{{NS['w']}}}num")
        for el in new:
            if el.tag.endswith("}abstractNum") and first_num is not None:
                first_num.addprevious(el)
            else:
                root.append(el)
    if styles:
        root = d.styles.element
        for el in parse_fragment(styles):
            root.append(el)
    d.save(str(path))
    return Path(path)


def lines_docx(path: Path, lines: list[str]) -> Path:
    """One python-docx paragraph per line, numbers typed in the text."""
    import docx

    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    d.save(str(path))
    return Path(path)


_LVL0 = re.compile(r"^[一二三四五六七八九十]+、")
_LVL1 = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")


def autonumbered_docx(path: Path, lines: list[str]) -> Path:
    """The lines with "一、" and "（一）/(一)" removed from the text and supplied by Word
    automatic numbering (CHINESE_OUTLINE: ilvl 0 "%1、", ilvl 1 "（%2）")."""
    from xml.sax.saxutils import escape

    paras = []
    for line in lines:
        for pat, ilvl in ((_LVL0, 0), (_LVL1, 1)):
            m = pat.match(line)
            if m:
                paras.append(p(escape(line[m.end():]), ppr=numpr(90, ilvl)))
                break
        else:
            paras.append(p(escape(line)) if line else "<w:p/>")
    return make_docx(path, "".join(paras), numbering=CHINESE_OUTLINE)


def rewrite_member(path: Path, member: str, transform) -> Path:
    """Rewrite one zip member in place: ``transform(bytes) -> bytes``."""
    with zipfile.ZipFile(path) as zf:
        items = [(i, zf.read(i.filename)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in items:
            zf.writestr(info, transform(data) if info.filename == member else data)
    return path


def revised_and_linked_docx(path: Path) -> Path:
    """A small report whose second paragraph holds someone else's tracked deletion and
    insertion and a hyperlink, each with half-width punctuation (4 FMT001 marks outside the
    deleted text)."""
    body = (p(r("示例局关于2023年度法治政府建设情况的报告")) + p(r("市人民政府："))
            + p(r("2023年,"),
                '<w:del w:id="1" w:author="a"><w:r><w:delText>旧(文字)</w:delText></w:r></w:del>',
                '<w:ins w:id="2" w:author="a"><w:r><w:t>我局(新)</w:t></w:r></w:ins>',
                '<w:hyperlink r:id="{rel:https://www.example.gov.cn}"><w:r><w:t>门户网站,</w:t>'
                '</w:r></w:hyperlink>', r("推进依法行政。"))
            + p(r("一、主要举措和成效")) + p(r("审核文件12件。")))
    return make_docx(path, body)
