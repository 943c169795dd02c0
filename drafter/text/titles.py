"""《》 titles in a text: where each one starts and ends, with titles nested inside it. One
finder for the LAW/FMT rules, grounding and import (the law lexicon is :mod:`drafter.text.laws`)."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class BookTitle:
    """A 《…》 span of a text. ``start``/``end`` include the marks; ``title`` is the text
    between them as written; ``nested`` are titles inside it (〈〉, < >, ＜＞ or a nested 《》)."""

    start: int
    end: int
    title: str
    nested: tuple["BookTitle", ...] = ()

    @property
    def quote_span(self) -> tuple[int, int]:
        return self.start, self.end


_INNER_PAIRS = {"〈": "〉", "<": ">", "＜": "＞", "《": "》"}


def book_titles(text: str, base: int = 0) -> list[BookTitle]:
    """Outermost 《…》 titles in ``text`` (offsets + ``base``), nested titles attached.

    A 《 without its 》 on the same line is not a title (a broken line or a stray mark).
    """
    out: list[BookTitle] = []
    i, n = 0, len(text)
    while (i := text.find("《", i)) >= 0:
        line_end = text.find("\n", i)
        if line_end < 0:
            line_end = n
        # From bracket to bracket of this line: 《 one deeper, 》 one out, until depth 0.
        depth, j, close = 1, i + 1, -1
        while True:
            b = text.find("》", j, line_end)
            if b < 0:
                break
            a = text.find("《", j, b)
            if a >= 0:
                depth, j = depth + 1, a + 1
                continue
            depth, j = depth - 1, b + 1
            if depth == 0:
                close = b
                break
        if close < 0:
            i += 1
            continue
        inner = text[i + 1:close]
        out.append(BookTitle(base + i, base + close + 1, inner, _nested(inner, base + i + 1)))
        i = close + 1
    return out


def _nested(inner: str, base: int) -> tuple[BookTitle, ...]:
    if not any(ch in inner for ch in _INNER_PAIRS):
        return ()
    found = []
    for k, ch in enumerate(inner):
        close = _INNER_PAIRS.get(ch)
        if close is None:
            continue
        if found and k < found[-1][1]:  # inside the previous nested title
            continue
        depth = 0
        for m in range(k, len(inner)):
            if inner[m] == ch:
                depth += 1
            elif inner[m] == close:
                depth -= 1
                if depth == 0:
                    found.append((k, m + 1))
                    break
    return tuple(BookTitle(base + s, base + e, inner[s + 1:e - 1]) for s, e in found)


_MARKS = re.compile("[《》\n]")


def book_title_spans(text: str) -> list[tuple[int, int, int]]:
    """(start, end, depth) of every 《…》 pair of ``text`` within a line (depth 0 =
    outermost): the marks as the punctuation rules see them, nested 《》 included. A 《 left
    open at the end of its line pairs with nothing (FMT009 reports it), so a later line's
    titles are not taken for titles inside it."""
    out = []
    stack: list[int] = []
    for m in _MARKS.finditer(text):
        i = m.start()
        if text[i] == "\n":
            stack.clear()
        elif text[i] == "《":
            stack.append(i)
        elif stack:
            s = stack.pop()
            out.append((s, i + 1, len(stack)))
    return sorted(out)


def title_texts(text: str) -> list[str]:
    """Every outermost 《…》 title of ``text`` as written, marks included."""
    return [text[t.start:t.end] for t in book_titles(text)]


def without_titles(text: str) -> str:
    """``text`` with its 《…》 titles removed (what is left to search for names)."""
    out, last = [], 0
    for t in book_titles(text):
        out.append(text[last:t.start])
        last = t.end
    out.append(text[last:])
    return "".join(out)
