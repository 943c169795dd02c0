"""Reconstruct the numbers Word shows for automatically numbered paragraphs.

Word does not store "一、" or "（三）" in the text of an auto-numbered heading; it computes
them from numbering.xml while laying out the page. The checker must see them (heading order,
number form), so the reader recomputes them here, in document order:

- counters belong to a list instance: every w:num without overrides that points at the same
  w:abstractNum shares one set of counters (Word's "continue numbering"); a w:num with
  w:lvlOverride (Word's "restart numbering") has its own, starting at w:startOverride;
- using a level resets the deeper levels that restart after it (w:lvlRestart; by default
  every deeper level);
- w:lvlText "%1.%2" is filled with each level's counter in that level's w:numFmt
  (all decimal when w:isLgl is set).

Pure Python: the XML is read into plain data by :mod:`drafter.docx.oxml.numbering`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from drafter.docx.oxml.numbering import LevelDef, NumberingDefs

_CN = "〇一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TW_LEGAL = "零壹貳參肆伍陸柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def _tens(n: int, digits: str, ten: str = "十", one_before_ten: bool = False) -> str:
    """1..99 in counting form: 十, 十一, 二十, 二十一 (一十一 when ``one_before_ten``)."""
    t, o = divmod(n, 10)
    head = "" if t == 0 else (ten if t == 1 and not one_before_ten else digits[t] + ten)
    return head + (digits[o] if o else "")


def _counting_thousand(n: int, digits: str, units: str = "十百千", legal: bool = False) -> str:
    """1..9999 with place units and 〇 for skipped places: 一百〇一, 一千二百三十四."""
    if n < 100:
        return _tens(n, digits, units[0], one_before_ten=legal)
    parts, zero = [], False
    for value, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        d = n // value % 10
        if n < value:
            continue
        if d == 0:
            zero = True
            continue
        if zero and parts:
            parts.append(digits[0])
        zero = False
        parts.append(digits[d] + unit)
    return "".join(parts)


def _digitwise(n: int, digits: str = _CN) -> str:
    return "".join(digits[int(c)] for c in str(n))


def _letters(n: int) -> str:
    """Word's letter numbering: A … Z, AA … ZZ, AAA … (the letter repeats)."""
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    out = []
    for value, sym in _ROMAN:
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _enclosed(n: int, ranges: list[tuple[int, int, int]]) -> str:
    for lo, hi, base in ranges:
        if lo <= n <= hi:
            return chr(base + n - lo)
    return str(n)


_CIRCLED = [(1, 20, 0x2460), (21, 35, 0x3251), (36, 50, 0x32B1)]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_number(n: int, fmt: str) -> str:
    """``n`` in w:numFmt ``fmt``. Formats not listed fall back to decimal, as Word does for
    formats a font cannot show; ``none`` and ``bullet`` give ""."""
    if fmt in ("none", "bullet"):
        return ""
    if n <= 0 and fmt != "decimalZero":
        return str(n)
    if fmt in ("chineseCounting", "taiwaneseCounting", "japaneseCounting"):
        if n < 100:
            return _tens(n, _CN)
        if fmt == "japaneseCounting":
            return _counting_thousand(n, _CN)
        return _digitwise(n)
    if fmt in ("chineseCountingThousand", "taiwaneseCountingThousand", "japaneseLegal"):
        return _counting_thousand(n, _CN) if n < 10000 else str(n)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return _digitwise(n)
    if fmt in ("chineseLegalSimplified",):
        return _counting_thousand(n, _CN_LEGAL, "拾佰仟", legal=True) if n < 10000 else str(n)
    if fmt in ("ideographLegalTraditional",):
        return _counting_thousand(n, _TW_LEGAL, "拾佰仟", legal=True) if n < 10000 else str(n)
    if fmt == "ideographTraditional":
        return _TIANGAN[n - 1] if n <= 10 else str(n)
    if fmt == "ideographZodiac":
        return _DIZHI[n - 1] if n <= 12 else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle"):
        return _enclosed(n, _CIRCLED)
    if fmt == "decimalEnclosedFullstop":
        return _enclosed(n, [(1, 20, 0x2488)])
    if fmt == "decimalEnclosedParen":
        return _enclosed(n, [(1, 20, 0x2474)])
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(ord(c) - ord("0") + 0xFF10) for c in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "upperRoman":
        return _roman(n) if n < 4000 else str(n)
    if fmt == "lowerRoman":
        return _roman(n).lower() if n < 4000 else str(n)
    if fmt == "ordinal":
        return _ordinal(n)
    return str(n)


_PLACEHOLDER = re.compile(r"%([1-9])")
_NO_SEPARATOR_AFTER = set("、，,.．:：;；)）]】》」』\"'”’-—") | {" ", "\t", "\u3000"}


class AutoNumberer:
    """Counters over a whole document; :meth:`label` is called once per numbered paragraph,
    in document order."""

    def __init__(self, defs: NumberingDefs, styles_num_pr=None) -> None:
        self._defs = defs
        # style id -> (numId, ilvl), to follow a w:numStyleLink to the abstractNum it names
        self._styles_num_pr = styles_num_pr
        self._counters: dict[tuple[str, str], dict[int, int]] = {}

    def _levels(self, num_id: str) -> tuple[tuple[str, str], dict[int, LevelDef]] | None:
        num = self._defs.nums.get(num_id)
        if num is None:
            return None
        aid = num.abstract_id
        levels = self._defs.abstracts.get(aid)
        link = self._defs.style_links.get(aid)
        if link and self._styles_num_pr is not None and not levels:
            linked_num, _ = self._styles_num_pr(link)
            linked = self._defs.nums.get(linked_num) if linked_num else None
            if linked is not None and linked.abstract_id != aid:
                aid = linked.abstract_id
                levels = self._defs.abstracts.get(aid)
        if not levels:
            return None
        levels = dict(levels)
        for ilvl, lv in num.level_overrides.items():
            levels[ilvl] = lv
        for ilvl, start in num.start_overrides.items():
            if ilvl in levels:
                levels[ilvl] = replace(levels[ilvl], start=start)
        overridden = bool(num.start_overrides or num.level_overrides)
        key = ("num", num_id) if overridden else ("abstract", aid)
        return key, levels

    def label(self, num_id: str, ilvl: int | None, style_id: str | None = None
              ) -> tuple[str, str] | None:
        """(number text, separator) Word shows before the paragraph, or None for no number
        (unknown list, bullet, numFmt none with no literal text)."""
        found = self._levels(num_id)
        if found is None:
            return None
        key, levels = found
        if ilvl is None:
            ilvl = next((i for i, lv in sorted(levels.items()) if style_id and lv.style == style_id), 0)
        lvl = levels.get(ilvl)
        if lvl is None:
            return None
        counters = self._counters.setdefault(key, {})
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else lvl.start
        for deeper in [i for i in counters if i > ilvl]:
            d = levels.get(deeper)
            restart = d.restart if d is not None else None
            if restart is None or (restart > 0 and ilvl < restart):
                del counters[deeper]
        if lvl.fmt == "bullet" or not lvl.text:
            return None

        def fill(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            ref = levels.get(k)
            if ref is None:
                return ""
            value = counters.get(k, ref.start)
            return format_number(value, "decimal" if lvl.legal and ref.fmt != "none" else ref.fmt)

        text = _PLACEHOLDER.sub(fill, lvl.text)
        if not text.strip():
            return None
        sep = "" if lvl.suffix == "nothing" or text[-1] in _NO_SEPARATOR_AFTER else (
            " " if lvl.suffix == "space" else "\t")
        return text, sep
