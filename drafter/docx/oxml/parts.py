"""Whole parts and the package: the main-document relationship, the root element of a
related part, entity references in any part, word/fontTable.xml, docProps/app.xml and the writer's edits to word/settings.xml
(w:themeFontLang, w:compatSetting).
"""

from __future__ import annotations

from drafter.docx.oxml.elements import set_attrs
from drafter.docx.oxml.ns import W, W_NS, safe_xml_parser


def main_document_target(rels_xml: bytes) -> str | None:
    """Zip member name of the main document from ``_rels/.rels`` (None when not declared)."""
    from lxml import etree

    root = etree.fromstring(rels_xml, safe_xml_parser())
    for rel in root:
        if (isinstance(rel.tag, str) and rel.get("Type", "").endswith("/officeDocument")
                and rel.get("TargetMode") != "External"):
            return rel.get("Target", "").lstrip("/")
    return None


def related_root(part, reltype: str):
    """Root element of the part that ``part`` (a python-docx part) relates to by ``reltype``;
    parts python-docx does not parse (the theme) are parsed safely. None when there is no
    such part or it is not well-formed XML."""
    try:
        related = part.part_related_by(reltype)
    except (KeyError, ValueError):
        return None
    root = getattr(related, "element", None)
    if root is None:
        from lxml import etree

        try:
            root = etree.fromstring(related.blob, safe_xml_parser())
        except etree.XMLSyntaxError:
            return None
    return root


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
