"""Placeholder residue in a text (XX, ××, 【待补充】, 共……件, {{var}} …): the patterns are data
(``drafter/data/placeholders.yaml``), each with a source and the reason it cannot hit a real
word. The checker's PH001 and the drafting grounding both use :func:`find_placeholders`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from drafter.text.prefilter import Prefilter, prefilter


@dataclass(frozen=True)
class PlaceholderPattern:
    id: str
    what: str
    regex: re.Pattern[str]
    needs: Prefilter = field(default_factory=Prefilter)  # what a text needs for a match


@cache
def placeholder_patterns() -> tuple[PlaceholderPattern, ...]:
    from drafter.datafiles import load_data

    data = load_data("placeholders.yaml") or {}
    out = []
    for e in data.get("patterns", []):
        regex = re.compile(e["pattern"])
        out.append(PlaceholderPattern(id=e["id"], what=e["what"], regex=regex,
                                      needs=prefilter(regex)))
    return tuple(out)


def possible_placeholders(text: str) -> tuple[PlaceholderPattern, ...]:
    """The patterns that could match somewhere in ``text`` (and so in any part of it)."""
    return tuple(p for p in placeholder_patterns() if p.needs.may_match(text))


def find_placeholders(text: str, patterns: tuple[PlaceholderPattern, ...] | None = None
                      ) -> list[tuple[int, int, PlaceholderPattern]]:
    """Non-overlapping placeholder spans in ``text``, by position (first pattern wins a tie).

    ``patterns``: :func:`possible_placeholders` of a text that contains ``text`` (a report,
    for each of its paragraphs), so the test is done once; default every pattern."""
    spans: list[tuple[int, int, PlaceholderPattern]] = []
    for pat in placeholder_patterns() if patterns is None else patterns:
        if not pat.needs.may_match(text):
            continue
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
