"""Numbering definitions (the w:numbering part) as plain data, and which list a paragraph is in.

Owns w:abstractNum, w:num, w:lvl and w:lvlOverride, and the w:numPr of a paragraph;
:mod:`drafter.docx.autonumber` computes the numbers from this data in pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from drafter.docx.oxml.ns import child_val, is_on, to_int, w_tags

if TYPE_CHECKING:  # pragma: no cover
    from drafter.docx.oxml.styles import StyleTable

_W = w_tags("abstractNum", "abstractNumId", "num", "numId", "lvl", "ilvl", "lvlOverride",
            "isLgl", "pPr", "numPr")


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


def _level(lvl) -> LevelDef:
    return LevelDef(ilvl=to_int(lvl.get(_W["ilvl"]), 0) or 0,
                    start=to_int(child_val(lvl, "start"), 1),
                    fmt=child_val(lvl, "numFmt") or "decimal",
                    text=child_val(lvl, "lvlText"),
                    restart=to_int(child_val(lvl, "lvlRestart")),
                    legal=is_on(lvl.find(_W["isLgl"])),
                    suffix=child_val(lvl, "suff") or "tab",
                    style=child_val(lvl, "pStyle"))


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
        link = child_val(an, "numStyleLink")
        if link:
            defs.style_links[aid] = link
    for num in root.iter(_W["num"]):
        nid, aid = num.get(_W["numId"]), child_val(num, "abstractNumId")
        if nid is None or aid is None:
            continue
        nd = NumDef(abstract_id=aid)
        for ov in num.iter(_W["lvlOverride"]):
            ilvl = to_int(ov.get(_W["ilvl"]), 0) or 0
            start = to_int(child_val(ov, "startOverride"))
            if start is not None:
                nd.start_overrides[ilvl] = start
            lvl = ov.find(_W["lvl"])
            if lvl is not None:
                nd.level_overrides[ilvl] = _level(lvl)
        defs.nums[nid] = nd
    return defs


def paragraph_numbering(p, styles: StyleTable) -> tuple[str, int | None, str | None] | None:
    """(numId, ilvl or None, paragraph style id) of a numbered paragraph, else None.

    Direct w:numPr wins over the paragraph style's; numId 0 means "numbering removed".
    """
    ppr = p.find(_W["pPr"])
    style_id = child_val(ppr, "pStyle") or styles.default
    npr = ppr.find(_W["numPr"]) if ppr is not None else None
    num_id, ilvl = ((child_val(npr, "numId"), to_int(child_val(npr, "ilvl")))
                    if npr is not None else (None, None))
    s_num, s_lvl = styles.num_pr(style_id)
    num_id = num_id if num_id is not None else s_num
    ilvl = ilvl if ilvl is not None else s_lvl
    if num_id is None or num_id == "0":
        return None
    return num_id, ilvl, style_id
