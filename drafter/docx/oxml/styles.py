"""The styles part (w:styles): style lookup with w:basedOn inheritance, and the writer's edits.

Owns w:style (its w:name, w:basedOn, w:next, w:link, the numbering a paragraph style
gives) and w:docDefaults. Reading: :class:`StyleTable`. Writing (the GB/T 9704 writer):
naming and finding styles, dropping table styles and linked character styles, the
document defaults.
"""

from __future__ import annotations

from drafter.docx.oxml.elements import get_or_add, remove_all, set_attrs
from drafter.docx.oxml.ns import W, child_val, to_int, w_tags

_W = w_tags("style", "styleId", "type", "default", "basedOn", "pPr", "numPr")
_ON = ("1", "true", "on")


class StyleTable:
    """The styles of a w:styles element (None: no styles part), by id and by type.

    ``default`` is the default paragraph style (w:default on a paragraph style).
    """

    def __init__(self, root) -> None:
        self._by_type: dict[str, dict[str, object]] = {}
        self._all: dict[str, object] = {}
        self._chains: dict[tuple, list] = {}
        self.default: str | None = None
        if root is None:
            return
        for st in root.iter(_W["style"]):
            sid = st.get(_W["styleId"])
            if sid is None:
                continue
            kind = st.get(_W["type"], "paragraph")
            self._all[sid] = st
            self._by_type.setdefault(kind, {})[sid] = st
            if kind == "paragraph" and self.default is None and st.get(_W["default"]) in _ON:
                self.default = sid

    def chain(self, style_id: str | None, kind: str | None = None) -> list:
        """The w:style elements from ``style_id`` up its w:basedOn chain (cycles cut); with
        ``kind`` ("paragraph", "character"…) only styles of that type are followed."""
        key = (style_id, kind)
        if key not in self._chains:
            styles = self._all if kind is None else self._by_type.get(kind, {})
            out: list = []
            seen: set[str] = set()
            while style_id and style_id not in seen and style_id in styles:
                seen.add(style_id)
                st = styles[style_id]
                out.append(st)
                style_id = child_val(st, "basedOn")
            self._chains[key] = out
        return self._chains[key]

    def num_pr(self, style_id: str | None) -> tuple[str | None, int | None]:
        """(numId, ilvl) the paragraph style (or a style it is based on) gives; None where
        unset."""
        num_id = ilvl = None
        for st in self.chain(style_id, "paragraph"):
            npr = st.find(f"{_W['pPr']}/{_W['numPr']}")
            if npr is not None:
                num_id = num_id if num_id is not None else child_val(npr, "numId")
                ilvl = ilvl if ilvl is not None else to_int(child_val(npr, "ilvl"))
            if num_id is not None and ilvl is not None:
                break
        return num_id, ilvl


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
