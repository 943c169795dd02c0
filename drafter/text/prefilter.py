"""What a regular expression cannot match without: a cheap test before a scan.

A regular-expression scan costs tens of nanoseconds a character, whatever it finds; a report
has thousands of characters and the checker dozens of patterns, most of which match nothing.
``'×' in text`` costs a fraction of a microsecond. :func:`prefilter` reads from a pattern's
parse tree strings every match must contain (``_{3,}|＿{2,}`` needs ``___`` or ``＿＿``;
``某某(?=…)`` needs ``某某``), so a caller can skip the scan of a text that has none of them —
the same answer, by construction, for every pattern (a pattern the analysis does not
understand gets no condition and is always scanned).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

try:  # Python 3.11+: the parser behind re.compile (public as sre_parse before)
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # pragma: no cover
    _p = _c = None

MAX_SET = 16  # a set of more alternatives than this says too little to be worth testing
MAX_SETS = 3  # the conditions kept per pattern (the fewest alternatives)


@dataclass(frozen=True)
class Prefilter:
    """Every match contains one of the strings of each of ``sets``; empty: no condition."""

    sets: tuple[frozenset[str], ...] = ()

    def may_match(self, text: str) -> bool:
        """False only when the pattern cannot match anywhere in ``text``."""
        for alternatives in self.sets:
            for s in alternatives:
                if s in text:
                    break
            else:
                return False
        return True


def prefilter(pattern: str | re.Pattern[str]) -> Prefilter:
    """The :class:`Prefilter` of ``pattern``: sets of strings, one of each of which every match
    contains. Case-insensitive patterns and syntax not understood give no condition."""
    flags = 0
    if isinstance(pattern, re.Pattern):
        flags, pattern = pattern.flags, pattern.pattern
    if _p is None or not isinstance(pattern, str):
        return Prefilter()
    try:
        tree = _p.parse(pattern, flags)
    except Exception:  # noqa: BLE001 — no prefilter rather than a wrong one
        return Prefilter()
    if (flags | tree.state.flags) & re.IGNORECASE:
        return Prefilter()
    sets = [s for s in _sequence(tree) if s]
    sets = sorted(set(sets), key=lambda s: (len(s), -min(map(len, s)), sorted(s)))[:MAX_SETS]
    return Prefilter(tuple(sets))


def _sequence(seq) -> list[frozenset[str]]:
    """The conditions of a sequence: one per item that must match something; a run of literal
    characters is one string."""
    out = []
    run = ""
    for op, av in list(seq) + [(None, None)]:
        if op is _c.LITERAL:
            run += chr(av)
            continue
        if run:
            out.append(frozenset([run]))
            run = ""
        if op is not None and (s := _item(op, av)) is not None:
            out.append(s)
    return out


def _one_of(seq) -> frozenset[str] | None:
    """One set of strings one of which a match of ``seq`` contains (the fewest), or None."""
    sets = _sequence(seq)
    return min(sets, key=lambda s: (len(s), -min(map(len, s)))) if sets else None


def _item(op, av) -> frozenset[str] | None:
    if op is _c.IN:
        chars: set[str] = set()
        for kind, value in av:
            if kind is _c.LITERAL:
                chars.add(chr(value))
            elif kind is _c.RANGE and value[1] - value[0] < MAX_SET:
                chars.update(chr(v) for v in range(value[0], value[1] + 1))
            else:  # NEGATE, CATEGORY, a wide range
                return None
        return frozenset(chars) if 0 < len(chars) <= MAX_SET else None
    if op is _c.BRANCH:
        union: set[str] = set()
        for alt in av[1]:
            s = _one_of(alt)
            if s is None:
                return None
            union |= s
        return frozenset(union) if len(union) <= MAX_SET else None
    if op is _c.SUBPATTERN:
        return _one_of(av[-1])
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        lo, _hi, sub = av
        if lo >= 1 and len(sub) == 1 and sub[0][0] is _c.LITERAL:
            return frozenset([chr(sub[0][1]) * min(lo, 4)])  # 。{3,} needs 。。。
        return _one_of(sub) if lo >= 1 else None
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _one_of(av)
    return None  # assertions, ANY, categories, group references: no condition
