"""Placeholder residue in a text (XX, ××, 【待补充】, 共……件, {{var}} …): the patterns are data
(``drafter/data/placeholders.yaml``), each with a source and the reason it cannot hit a real
word. The checker's PH001 and the drafting grounding both use :func:`find_placeholders`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class PlaceholderPattern:
    id: str
    what: str
    regex: re.Pattern[str]


@cache
def placeholder_patterns() -> tuple[PlaceholderPattern, ...]:
    from drafter.datafiles import load_data

    data = load_data("placeholders.yaml") or {}
    return tuple(PlaceholderPattern(id=e["id"], what=e["what"], regex=re.compile(e["pattern"]))
                 for e in data.get("patterns", []))


def find_placeholders(text: str) -> list[tuple[int, int, PlaceholderPattern]]:
    """Non-overlapping placeholder spans in ``text``, by position (first pattern wins a tie)."""
    spans: list[tuple[int, int, PlaceholderPattern]] = []
    for pat in placeholder_patterns():
        for m in pat.regex.finditer(text):
            s, e = m.start(), m.end()
            # Patterns like the blank date may start with spaces: quote the visible part.
            while s < e and text[s].isspace():
                s += 1
            if s < e:
                spans.append((s, e, pat))
    spans.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    out: list[tuple[int, int, PlaceholderPattern]] = []
    for s, e, pat in spans:
        if out and s < out[-1][1]:
            continue
        out.append((s, e, pat))
    return out
