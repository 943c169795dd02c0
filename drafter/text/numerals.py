"""Small Chinese numerals of headings and enumerations, both ways: 3 → 三 (a heading's
（三）, an enumeration's 三是) and 三 → 3. Counts in prose are the number extractor's
(:mod:`drafter.text.numbers`, cn2an); this keeps start-up free of cn2an."""

from __future__ import annotations

DIGITS = "一二三四五六七八九"
_VALUES = {"〇": 0, "零": 0, **{ch: i for i, ch in enumerate(DIGITS, start=1)}}


def ordinal_text(n: int) -> str:
    """1 → 一 … 10 → 十, 11 → 十一 … 99 → 九十九."""
    if not 1 <= n <= 99:
        raise ValueError(f"ordinal out of range: {n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return DIGITS[ones - 1]
    return (DIGITS[tens - 1] if tens > 1 else "") + "十" + (DIGITS[ones - 1] if ones else "")


def ordinal_value(s: str) -> int | None:
    """Value of a small Chinese ordinal (一 … 九十九); None if it is not one."""
    if not s or any(ch not in DIGITS + "十" for ch in s):
        return None
    if "十" not in s:
        return _VALUES[s] if len(s) == 1 else None
    tens, _, ones = s.partition("十")
    if "十" in ones or len(tens) > 1 or len(ones) > 1:
        return None
    return (_VALUES[tens] if tens else 1) * 10 + (_VALUES[ones] if ones else 0)
