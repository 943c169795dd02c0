"""Sentences of a Chinese paragraph: where each one starts and ends.

One splitter for everyone who needs sentences of report text: the answer normalisation of the
LLM backend (prefaces and closing offers are sentences), grounding (a sentence that states
something untrue is what gets removed) and the evaluations (share of sentences kept).
"""

from __future__ import annotations

import re

# Sentence ends; a closing quote or bracket right after one belongs to the sentence.
_END = re.compile(r"[。！？!?]+[”’」』）)]*")


def sentence_spans(text: str, colon: bool = False) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text`` (one paragraph), end mark included. Text after
    the last end mark is a last sentence. ``colon``: a full-width colon at the end of a
    sentence-like run also ends it (a lead-in such as “具体如下：”). End marks inside 《》 do
    not end a sentence. Leading spaces are not part of a sentence."""
    spans: list[tuple[int, int]] = []
    pattern = re.compile(_END.pattern + ("|[：:](?=\\s*$)" if colon else ""))
    depth = 0
    start = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "《":
            depth += 1
        elif ch == "》" and depth:
            depth -= 1
        elif depth == 0:
            m = pattern.match(text, i)
            if m:
                spans.append((start, m.end()))
                start = i = m.end()
                continue
        i += 1
    if text[start:].strip():
        spans.append((start, n))
    out = []
    for s, e in spans:
        while s < e and text[s] in " \t\u3000":
            s += 1
        if s < e:
            out.append((s, e))
    return out


def sentences(text: str, colon: bool = False) -> list[str]:
    """The sentences of ``text`` (see :func:`sentence_spans`)."""
    return [text[s:e] for s, e in sentence_spans(text, colon)]
