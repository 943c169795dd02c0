"""Namespaces, tag names and value primitives of WordprocessingML, and the safe XML parser.

Owns no element of its own: every other ``oxml`` module builds its tags with :func:`qn` and
reads ``w:val`` / ``w:ST_OnOff`` values with the helpers here.
"""

from __future__ import annotations

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_FALSE = {"0", "false", "off"}


def qn(tag: str) -> str:
    """'w:p' -> '{namespace}p' (other prefixes through python-docx's table)."""
    prefix, _, local = tag.partition(":")
    if prefix != "w":
        from docx.oxml.ns import qn as _qn

        return _qn(tag)
    return f"{W}{local}"


def w_tags(*names: str) -> dict[str, str]:
    """{local name: Clark name} of w: elements, computed once per module."""
    return {name: f"{W}{name}" for name in names}


_VAL = f"{W}val"


def safe_xml_parser():
    """An lxml parser that never resolves entities, loads a DTD or touches the network."""
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, remove_blank_text=False)


def is_on(el) -> bool:
    """A w:ST_OnOff toggle element: present and not switched off."""
    return el is not None and el.get(_VAL, "true") not in _FALSE


def to_int(value: str | None, default: int | None = None) -> int | None:
    """``value`` as an int; ``default`` when it is None or not a number."""
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def hex_int(code: str) -> int | None:
    """A hexadecimal attribute (w:sym/@w:char) as an int; None when it is not one."""
    try:
        return int(code, 16)
    except ValueError:
        return None


def child_val(el, local: str) -> str | None:
    """w:val of the first ``w:<local>`` child of ``el`` (None: no such child, or ``el`` None)."""
    child = el.find(f"{W}{local}") if el is not None else None
    return child.get(_VAL) if child is not None else None
