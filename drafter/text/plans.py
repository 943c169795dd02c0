"""Plan follow-through: does this year's text answer last year's 下一年度主要安排?

The matching only; the plan items and candidate passages come from :mod:`drafter.report.plans`
(a report) and :mod:`drafter.corpus.history` (last year's facts or report). One matcher, shared by the drafting plan (:mod:`drafter.plan`, the run report's "上年计划未回应")
and the checker (PLN rules), so a draft and a check of that draft agree.

How an item is scored against this year's text: both are cut into content words with jieba
(:func:`drafter.text.segment.tokenize`); each word of the plan item weighs its BM25 inverse
document frequency over this year's candidate passages (a word found in every passage — 法治,
依法 — says little; a word found in none weighs most). A passage *covers* the weighted share
of the words it contains (as a word or inside a longer word: 评查 in 案卷评查); the score is
``TITLE_SHARE`` × the coverage of the item's title + the rest × the coverage of its details
(the title alone when there are none), so a long list of sub-tasks cannot drown a title that
was answered word for word. The best passage wins.

Thresholds were calibrated on ``tests/data/followthrough/pairs.yaml`` (fictional labelled
pairs; ``tests/test_followthrough.py`` prints and guards precision/recall):
``score >= ANSWERED`` answered; ``WEAK <= score < ANSWERED`` answered only weakly (the checker
says info); ``score < WEAK`` unanswered (the checker warns).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

# Calibrated on tests/data/followthrough/pairs.yaml (see the module docstring).
ANSWERED = 0.5
WEAK = 0.3
TITLE_SHARE = 0.6
# Sections whose text is this year's work, i.e. can answer last year's plans.
ANSWERING_KEYS = ("measures", "leadership", "other")

# Plan phrasing that says "will do" rather than what: no topic.
PLAN_STOPWORDS = frozenset("""
下一步 下一年度 下一年 明年 来年 今后 将 要 继续 进一步 着力 重点 围绕 不断 全力 努力 大力 有效
切实 聚焦 紧扣 注重 更加 加快 力争 确保 全面推进 稳步 深化 优化 规范 提高 提升 加大 力度 水平
巩固 成果 保持 严格 扎实 全面推行 深入开展 发挥 作用 积极 主动 逐步 尽快 及时 常态化
""".split())
_YEARISH = re.compile(r"^(?:\d+|\d{4}年度?)$")


@dataclass(frozen=True)
class PlanItem:
    """One of last year's planned items: ``text`` as it is quoted (a heading or first
    sentence), ``detail`` the rest of what was planned, ``line`` its line in last year's
    report (None when it came from a facts file), ``source`` the file it came from."""

    number: int
    text: str
    detail: str = ""
    line: int | None = None
    source: str = ""


@dataclass(frozen=True)
class Candidate:
    """A passage of this year's work that may answer a plan item. ``ref`` is the caller's
    handle (a plan ItemSpec, a report Section or Paragraph); ``start``/``end`` locate it in
    ``Report.text`` when it comes from a report."""

    ref: Any
    text: str
    title: str = ""
    start: int = 0
    end: int = 0


@dataclass
class Match:
    """How well ``item`` is answered: ``status`` answered | weak | unanswered, ``score`` in
    [0, 1], ``candidate`` the best passage (None when there is none)."""

    item: PlanItem
    status: str
    score: float
    candidate: Candidate | None = None
    found: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def tokens(text: str) -> list[str]:
    """Content words of ``text`` for matching (jieba words without stopwords and numbers)."""
    from drafter.text.segment import tokenize

    # Single characters (率, 双, 区 …) are mostly segmentation debris, not topics.
    return [w for w in tokenize(text)
            if len(w) > 1 and w not in PLAN_STOPWORDS and not _YEARISH.match(w)]


class _Passage:
    __slots__ = ("cand", "words", "text")

    def __init__(self, cand: Candidate):
        self.cand = cand
        self.text = cand.text
        self.words = set(tokens(cand.text))

    def has(self, w: str) -> bool:
        return w in self.words or (len(w) >= 2 and w in self.text)


def _parts(item: PlanItem) -> tuple[set[str], set[str]]:
    title = set(tokens(item.text))
    return title, set(tokens(item.detail)) - title


def status_of(score: float) -> str:
    if score >= ANSWERED:
        return "answered"
    if score >= WEAK:
        return "weak"
    return "unanswered"


def match_plans(items: Iterable[PlanItem], candidates: Iterable[Candidate]) -> list[Match]:
    """Score each plan item against every candidate passage; the best one decides."""
    passages = [_Passage(c) for c in candidates if c.text.strip()]
    n = len(passages)
    out: list[Match] = []
    for item in items:
        title, detail = _parts(item)
        if not title and not detail:
            out.append(Match(item, "unanswered", 0.0))
            continue
        idf = {}
        for w in title | detail:
            df = sum(p.has(w) for p in passages)
            idf[w] = math.log(1 + (n - df + 0.5) / (df + 0.5))
        best, best_score = None, 0.0
        for p in passages:
            s = _score(p, title, detail, idf)
            if s > best_score + 1e-12:
                best, best_score = p, s
        # Ties broken by the word itself: set order varies with hash randomisation.
        words = sorted(title | detail, key=lambda w: (-idf[w], w))
        found = [w for w in words if best is not None and best.has(w)]
        missing = [w for w in words if w not in found]
        score = round(best_score, 3)
        out.append(Match(item, status_of(score), score, best.cand if best else None, found, missing))
    return out


def _coverage(p: _Passage, words: set[str], idf: dict[str, float]) -> float | None:
    ordered = sorted(words)  # a float sum in set order differs in the last bits run to run
    total = sum(idf[w] for w in ordered)
    if not total:
        return None
    return sum(idf[w] for w in ordered if p.has(w)) / total


def _score(p: _Passage, title: set[str], detail: set[str], idf: dict[str, float]) -> float:
    t, d = _coverage(p, title, idf), _coverage(p, detail, idf)
    if t is None:
        return d or 0.0
    if d is None:
        return t
    return TITLE_SHARE * t + (1 - TITLE_SHARE) * d
