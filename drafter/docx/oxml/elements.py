"""Generic element primitives: a child in schema order, w: attributes, removal.

Owns the child order of w:rPr, w:pPr, w:sectPr, w:style and w:settings (CT_RPr, CT_PPr,
CT_SectPr, CT_Style, CT_Settings): Word rejects misordered children, so every insertion goes through
:func:`get_or_add`.
"""

from __future__ import annotations

from drafter.docx.oxml.ns import M_NS, W, W_NS

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
# CT_Settings (w:mathPr and sl:schemaLibrary are in other namespaces; listed for the order)
SETTINGS_ORDER = ("writeProtection", "view", "zoom", "removePersonalInformation",
                  "removeDateAndTime", "doNotDisplayPageBoundaries", "displayBackgroundShape",
                  "printPostScriptOverText", "printFractionalCharacterWidth", "printFormsData",
                  "embedTrueTypeFonts", "embedSystemFonts", "saveSubsetFonts", "saveFormsData",
                  "mirrorMargins", "alignBordersAndEdges", "bordersDoNotSurroundHeader",
                  "bordersDoNotSurroundFooter", "gutterAtTop", "hideSpellingErrors",
                  "hideGrammaticalErrors", "activeWritingStyle", "proofState", "formsDesign",
                  "attachedTemplate", "linkStyles", "stylePaneFormatFilter",
                  "stylePaneSortMethod", "documentType", "mailMerge", "revisionView",
                  "trackRevisions", "doNotTrackMoves", "doNotTrackFormatting",
                  "documentProtection", "autoFormatOverride", "styleLockTheme",
                  "styleLockQFSet", "defaultTabStop", "autoHyphenation",
                  "consecutiveHyphenLimit", "hyphenationZone", "doNotHyphenateCaps",
                  "showEnvelope", "summaryLength", "clickAndTypeStyle", "defaultTableStyle",
                  "evenAndOddHeaders", "bookFoldRevPrinting", "bookFoldPrinting",
                  "bookFoldPrintingSheets", "drawingGridHorizontalSpacing",
                  "drawingGridVerticalSpacing", "displayHorizontalDrawingGridEvery",
                  "displayVerticalDrawingGridEvery", "doNotUseMarginsForDrawingGridOrigin",
                  "drawingGridHorizontalOrigin", "drawingGridVerticalOrigin",
                  "doNotShadeFormData", "noPunctuationKerning", "characterSpacingControl",
                  "printTwoOnOne", "strictFirstAndLastChars", "noLineBreaksAfter",
                  "noLineBreaksBefore", "savePreviewPicture", "doNotValidateAgainstSchema",
                  "saveInvalidXml", "ignoreMixedContent", "alwaysShowPlaceholderText",
                  "doNotDemarcateInvalidXml", "saveXmlDataOnly", "useXSLTWhenSaving",
                  "saveThroughXslt", "showXMLTags", "alwaysMergeEmptyNamespace",
                  "updateFields", "hdrShapeDefaults", "footnotePr", "endnotePr", "compat",
                  "docVars", "rsids", "mathPr", "attachedSchema", "themeFontLang",
                  "clrSchemeMapping", "doNotIncludeSubdocsInStats",
                  "doNotAutoCompressPictures", "forceUpgrade", "captions",
                  "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults",
                  "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")
# Namespaces of the ordered children (m:mathPr, sl:schemaLibrary in w:settings).
_ORDERED_NS = {W_NS, M_NS, "http://schemas.openxmlformats.org/schemaLibrary/2006/main"}
_ORDERS = {"rPr": RPR_ORDER, "pPr": PPR_ORDER, "sectPr": SECTPR_ORDER, "style": STYLE_ORDER,
           "settings": SETTINGS_ORDER}


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
            if not isinstance(sibling.tag, str):
                continue
            q = etree.QName(sibling)
            if q.namespace in _ORDERED_NS and q.localname in later:
                parent.insert(i, el)
                return el
    parent.append(el)
    return el


def remove_all(parent, local: str) -> None:
    for el in parent.findall(f"{W}{local}"):
        parent.remove(el)


def set_attrs(el, **attrs: object) -> None:
    """Set w:-namespaced attributes; a None value removes the attribute.

    A python-docx ``Length`` is refused (it would be written as EMU): convert it with
    :mod:`drafter.docx.oxml.units` to the unit the attribute is in.
    """
    from docx.shared import Length

    for name, value in attrs.items():
        key = f"{W}{name}"
        if value is None:
            el.attrib.pop(key, None)
        elif isinstance(value, Length):
            raise TypeError(f"w:{name}: convert the Length with drafter.docx.oxml.units")
        else:
            el.set(key, str(value))
