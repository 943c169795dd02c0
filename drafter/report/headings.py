"""Headings: numbered ones (一、 → （一） → 1. → （1）), the parts of a report written in parts
(第一部分 …), the unnumbered lines of a reprint that lost its numbers, and which mandated item
a heading names (REPORT-RULES.md §2).

The words that name an item are data (``data/headings.yaml``: synonym sets and patterns, each
with its source), so a new real wording is a line of data, not code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from drafter.report.model import Heading, Paragraph
from drafter.text.numerals import ordinal_value

# Heading numbers, most specific first. Each pattern captures the ordinal and the separator,
# so wrong forms ("一.", "（一）、", "1、") are still recognised as headings (and flagged).
_CN = "[一二三四五六七八九十]{1,3}"
HEADING_PATTERNS: list[tuple[int, str, re.Pattern[str]]] = [
    (2, "paren-cn", re.compile(rf"^([（(]\s*({_CN})\s*[）)])([、，,.．:：]?)\s*")),
    (4, "paren-arabic", re.compile(r"^([（(]\s*(\d{1,2})\s*[）)])([、，,.．:：]?)\s*")),
    (1, "cn", re.compile(rf"^(({_CN})\s*([、，,.．]))\s*")),
    (3, "arabic", re.compile(r"^((\d{1,2})\s*([.．、](?!\d)))\s*")),
]
SENTENCE_END = "。！？"
# What a heading number can start with: a bracket, a Chinese numeral, a digit (\d: any
# decimal digit, as str.isdecimal).
_FIRST = frozenset("（(一二三四五六七八九十")


def parse_heading(p: Paragraph) -> Heading | None:
    """The numbered heading that starts paragraph ``p``, or None when it is a body paragraph."""
    text = p.text
    stripped = text.lstrip()
    if not stripped or not (stripped[0] in _FIRST or stripped[0].isdecimal()):
        return None
    lead = len(text) - len(stripped)
    for level, style, pat in HEADING_PATTERNS:
        m = pat.match(stripped)
        if not m:
            continue
        raw_ord = m.group(2)
        ordinal = int(raw_ord) if raw_ord.isdigit() else ordinal_value(raw_ord)
        if ordinal is None:
            continue
        sep = m.group(3) if style in ("cn", "arabic") else m.group(3) or ""
        number = text[: lead + m.end()]
        rest = stripped[m.end():]
        if not rest.strip():
            return None
        # A run-in heading: its first sentence is the heading, the rest is body text.
        cut = _first_sentence_end(rest)
        if cut is not None and cut + 1 < len(rest.rstrip()):
            title, run_in = rest[: cut + 1], True
        else:
            title, run_in = rest.rstrip(), False
        return Heading(level=level, number=number, ordinal=ordinal, style=style,
                       separator=sep, title=title, run_in=run_in, paragraph=p)
    return None


# A part of a report written in parts: "第一部分　2025年度主要举措和成效" (each part then holds
# its own 一、二、…).
_PART = re.compile(rf"^(第\s*({_CN})\s*部分)([、，,：:.．]?)[ \u3000]*")
MIN_PARTS = 2  # a report is written in parts when this many lines open one


def parse_part(p: Paragraph) -> Heading | None:
    """The part heading ("第一部分 …", level 1, style ``part``) that paragraph ``p`` is, or
    None. :func:`drafter.report.structure.build_report` uses them when a report has at least
    ``MIN_PARTS``, and puts every numbered heading one level below its part."""
    stripped = p.text.lstrip()
    m = _PART.match(stripped) if stripped.startswith("第") else None
    if m is None or (ordinal := ordinal_value(m.group(2))) is None:
        return None
    title = stripped[m.end():].rstrip()
    if not title or _first_sentence_end(title) is not None:
        return None
    number = p.text[: len(p.text) - len(stripped) + m.end()]
    return Heading(level=1, number=number, ordinal=ordinal, style="part", separator=m.group(3),
                   title=title, run_in=False, paragraph=p)


def _first_sentence_end(s: str) -> int | None:
    depth = 0
    for i, ch in enumerate(s):
        if ch in "《“（(":
            depth += 1
        elif ch in "》”）)":
            depth = max(0, depth - 1)
        elif ch in SENTENCE_END and depth == 0:
            return i
    return None


# ---- which mandated item a heading names ----

_STRIP_PREFIX = re.compile(
    r"^(?:关于)?(?:(?:20\d\d|二〇[一二三四五六七八九〇]{2})\s*年度?|上一年度|本年度|上年度|今年|一年来)?")


@dataclass(frozen=True)
class HeadingVocabulary:
    order: tuple[str, ...]
    patterns: dict[str, re.Pattern[str]]
    plans_words: re.Pattern[str]


@cache
def vocabulary() -> HeadingVocabulary:
    """The synonym sets and patterns of ``data/headings.yaml``, compiled once."""
    from drafter.datafiles import load_data

    raw = load_data("headings.yaml")
    pats = {key: re.compile("|".join(f"(?:{e['pattern'].strip()})" for e in entries))
            for key, entries in raw["keys"].items()}
    return HeadingVocabulary(tuple(raw["order"]), pats, re.compile(raw["plans_words"]))


def classify_keys(title: str) -> list[str]:
    """Every mandated key a heading title names, most specific first (may be empty)."""
    return list(_classify_keys(title))


@lru_cache(maxsize=4096)  # the headings of this genre recur from report to report
def _classify_keys(title: str) -> tuple[str, ...]:
    voc = vocabulary()
    full = re.sub(r"\s+", "", title)
    t = _STRIP_PREFIX.sub("", full)
    keys: list[str] = []
    for key in voc.order:
        pat = voc.patterns[key]
        if pat.search(t) or (key == "plans" and pat.search(full)):
            # "2024年工作计划" is plans, but "2023年度法治政府建设工作情况" is measures.
            if key == "plans" and not voc.plans_words.search(t):
                continue
            if key == "measures" and keys:
                continue  # "存在问题及工作成效不足" etc.: the specific item wins
            keys.append(key)
    return tuple(keys)


def classify_title(title: str) -> str | None:
    """The mandated key a heading title names, or None."""
    keys = classify_keys(title)
    return keys[0] if keys else None


# ---- headings without numbers (reprints that lost them) ----

# Marks that never occur in a heading line (a heading has no sentence inside it).
_NOT_IN_HEADING = re.compile(r"[。；;！!？?：:]")
# Characters a heading never ends with: the line goes on in the next one.
_OPEN_END = tuple("，,、（(“《的和与及或并")
MIN_BARE, MAX_BARE = 4, 40


def bare_heading_candidate(p: Paragraph) -> bool:
    """Whether ``p`` has the shape of a heading without a number: one short line (4–40
    characters) with no sentence punctuation, not ending mid-phrase, not a date or a 文号."""
    t = p.text.strip()
    if p.in_table or not MIN_BARE <= len(t) <= MAX_BARE or _NOT_IN_HEADING.search(t):
        return False
    if t.endswith(_OPEN_END) or parse_heading(p) is not None:
        return False
    from drafter.report.forms import is_date_line, is_doc_number

    return not (is_date_line(p) or is_doc_number(p))


def _ends_sentence(p: Paragraph) -> bool:
    t = p.text.rstrip()
    t = t.rstrip("”’）)》") if t and t[-1] in "”’）)》" else t
    return bool(t) and t[-1] in "。！？；!?;：:"


def bare_headings(paragraphs: list[Paragraph], has_numbered_level1: bool) -> list[Heading]:
    """Headings without numbers among ``paragraphs`` (the body between the front matter and
    the back matter, blank lines included), with their levels.

    Only a report without numbered level-1 headings is read this way (a WeChat reprint keeps
    no numbers; a report that numbers its parts never leaves a part unnumbered), and only when
    at least two lines qualify and one of them names a mandated item. A line qualifies when it
    has a heading's shape (:func:`bare_heading_candidate`), stands after a finished sentence or
    another heading, and is followed by text. Markdown bold lines (``**…**``) qualify on their
    shape alone.

    Levels: an item of the regulation (不足, 安排, 其他, or a 举措和成效 heading that
    gathers the themes) is level 1; a theme, and the 第一责任人 item, are level 2 under an
    open 举措和成效 heading and level 1 otherwise (a thematic report, layout C).
    """
    if has_numbered_level1:
        return []
    body = [p for p in paragraphs if p.text.strip()]
    cands: list[Paragraph] = []
    for i, p in enumerate(body):
        if p.role not in ("body", "lead") or i + 1 >= len(body) or not bare_heading_candidate(p):
            continue
        prev = body[i - 1] if i else None
        if not p.emphasis and prev is not None and prev.role in ("body", "lead") \
                and not _ends_sentence(prev) and prev not in cands:
            continue  # the second half of a line broken mid-sentence
        cands.append(p)
    if len(cands) < 2 or not any(classify_keys(p.text) for p in cands):
        return []
    out: list[Heading] = []
    umbrella = False
    for p in cands:
        keys = classify_keys(p.text)
        key = keys[0] if keys else None
        if key in ("shortcomings", "plans", "other"):
            level, umbrella = 1, False
        elif key == "measures":
            level, umbrella = 1, True
        else:
            level = 2 if umbrella else 1
        lead = len(p.text) - len(p.text.lstrip())
        out.append(Heading(level=level, number=p.text[:lead], ordinal=0, style="none",
                           separator="", title=p.text.strip(), run_in=False, paragraph=p))
    return out
