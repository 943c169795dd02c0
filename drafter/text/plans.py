"""Plan follow-through: does this year's report answer last year's 下一年度主要安排?

One matcher, shared by the drafting plan (:mod:`drafter.plan`, the run report's "上年计划未回应")
and the checker (PLN rules), so a draft and a check of that draft agree.

How an item is scored against this year's text: both are cut into content words with jieba
(:func:`drafter.corpus.retrieval.tokenize`); each word of the plan item weighs its BM25 inverse
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

from drafter.report.structure import RUN_IN

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
_TRAILING = "。；;，,：: "


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
    from drafter.corpus.retrieval import tokenize

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


# ---- last year's plan items -----------------------------------------------------------------

def report_plan_items(report: Any, source: str = "") -> list[PlanItem]:
    """Planned items of a report's plans section: its （一） subsections (title + body), else
    its 一是… items, else its paragraphs' first sentences (the rest as detail)."""
    secs = [s for s in report.sections if s.key == "plans" or "plans" in s.extra_keys]
    texts: list[tuple[str, str, int]] = []
    for sec in secs:
        if sec.children:
            for c in sec.children:
                texts.append((_clean(c.title), c.body_text(), c.line))
            continue
        body = [(p.text, p.line) for p in sec.paragraphs if p.text.strip()]
        if sec.heading.run_in:
            head = sec.heading
            body.insert(0, (head.paragraph.text[len(head.number) + len(head.title):], sec.line))
        enumerated = [(t, d, line) for text, line in body for t, d in _enumerated(text)]
        texts.extend(enumerated or [(*_first_sentence(t), line) for t, line in body])
    items = [(t, d, line) for t, d, line in texts if t]
    return [PlanItem(i + 1, t, d, line, source or str(report.path)) for i, (t, d, line) in enumerate(items)]


def facts_plan_items(facts: Any, source: str = "") -> list[PlanItem]:
    """A facts file's own plans section (the items it plans for next year)."""
    from drafter.facts.render import Renderer, sentence

    r = Renderer(facts)
    out = []
    for i, it in enumerate(facts.sections.plans):
        detail = "，".join(sentence(r.expand(s)) for s in it.facts)
        out.append(PlanItem(i + 1, sentence(r.expand(it.title)), detail, None, source))
    return out


def _enumerated(text: str) -> list[tuple[str, str]]:
    marks = list(RUN_IN.finditer(text))
    if len(marks) < 2:
        return []
    out = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        out.append(_first_sentence(text[m.end():end]))
    return out


def _first_sentence(text: str) -> tuple[str, str]:
    m = re.search(r"[。；;]", text)
    if not m:
        return _clean(text), ""
    return _clean(text[: m.start()]), text[m.end():].strip()


def _clean(text: str) -> str:
    return text.strip().rstrip(_TRAILING)


# ---- this year's passages -------------------------------------------------------------------

def report_candidates(report: Any) -> list[Candidate]:
    """This year's work in a report: each （一） subsection of the measures, leadership and
    other sections (title and body) and each paragraph outside a subsection."""
    out: list[Candidate] = []
    for sec in report.sections:
        keys = {sec.key, *sec.extra_keys}
        if not keys & set(ANSWERING_KEYS):
            continue
        head = sec.heading
        if head.run_in:
            body = head.paragraph.text[len(head.number) + len(head.title):]
            out.append(Candidate(sec, body, sec.title, head.paragraph.offset, head.paragraph.end))
        for p in sec.paragraphs:
            if p.text.strip():
                out.append(Candidate(p, p.text, "", p.offset, p.end))
        for c in sec.children:
            paras = c.all_paragraphs()
            text = "\n".join(p.text for p in paras)
            out.append(Candidate(c, text, c.title, paras[0].offset, paras[-1].end))
    return out


def resolve_previous_plans(report: Any, facts: Any = None, previous: Any = None,
                           corpus: Any = None) -> tuple[list[PlanItem], str | None]:
    """Last year's plan items for ``report`` and where they came from (None: none found).

    In order: ``previous`` (last year's Report, ``--previous``), the facts file's own
    ``previous_plans``, then the corpus (``--corpus``: a folder or a Corpus) — last year's facts
    plans, else last year's report. The unit is found by ``facts.unit.slug`` or by the name in
    the report's title; the year from the report (or the facts).
    """
    if previous is not None:
        items = report_plan_items(previous)
        return items, str(previous.path)
    if facts is not None and facts.previous_plan_texts() is not None:
        return ([PlanItem(i + 1, t, "", None, "事实文件 previous_plans")
                 for i, t in enumerate(facts.previous_plan_texts())], "事实文件 previous_plans")
    if corpus is None:
        return [], None
    entry = _previous_entry(report, facts, corpus)
    if entry is None:
        return [], None
    from drafter.errors import DrafterError

    if entry.facts_path is not None:
        try:
            lf = entry.load_facts()
        except DrafterError:
            lf = None
        if lf is not None and lf.sections.plans:
            return facts_plan_items(lf, str(entry.facts_path)), str(entry.facts_path)
    if entry.report_path is not None:
        try:
            last = entry.load_report()
        except DrafterError:
            return [], None
        return report_plan_items(last), str(entry.report_path)
    return [], None


def _previous_entry(report: Any, facts: Any, corpus: Any) -> Any:
    from drafter.corpus import Corpus
    from drafter.report.info import reporting_year, unit_name

    c = corpus if isinstance(corpus, Corpus) else Corpus.open(corpus)
    year = None
    found = reporting_year(report)
    if found:
        year = found[0]
    elif facts is not None:
        year = facts.year
    if year is None:
        return None
    slug = facts.unit.slug if facts is not None and facts.unit.slug else None
    if slug is None:
        slug = _slug_by_name(c, unit_name(report))
    return c.previous(slug, year) if slug else None


def _slug_by_name(corpus: Any, name: str | None) -> str | None:
    """The corpus unit whose facts (or report titles) carry ``name``."""
    if not name:
        return None
    from drafter.errors import DrafterError

    for slug in corpus.units:
        for e in reversed(corpus.history(slug)):
            try:
                if e.facts_path is not None:
                    lf = e.load_facts()
                    if lf is not None and lf.unit.name == name:
                        return slug
                elif e.report_path is not None:
                    from drafter.report.info import unit_name

                    r = e.load_report()
                    if r is not None and unit_name(r) == name:
                        return slug
            except DrafterError:
                continue
            break  # the newest readable year names the unit
    return None
