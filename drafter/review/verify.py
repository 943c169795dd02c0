"""Verification of every finding a model proposes: the model proposes, drafter verifies.

Each proposal (:class:`drafter.review.reply.Proposal`) of one part of a report gets a
:class:`Verdict` — ``keep``, ``info`` (kept, downgraded to a hint) or ``drop`` — with the
first reason that applies, in this order:

1. ``malformed`` — no quote, or a kind outside typo/law/term/logic/style.
2. ``quote-not-found`` — the quote (Unicode NFC, line breaks as the readers write them,
   edges trimmed) is not in the part's text exactly: invented or paraphrased quotes go.
3. ``ambiguous`` — the quote occurs more than once and the problem is not the text itself:
   only a replacement that is right at every occurrence (a typo that passes the checks
   below at each one, a wrongly written term or title) is placed at each; anything else
   ("100%" with a remark about one of them) cannot be placed.
4. ``no-op`` — the suggestion is the quote itself, or the problem says nothing is wrong.
5. ``duplicate-of-rule`` — a rule's warning or error already covers the changed text (the
   whole quote when there is no suggestion: same category, or the rule's quote covers at
   least half of it). Info findings of the rules (LAW003 "could not verify") do not count.
6. ``protected-title`` — the change touches a 《》 title the law lexicon knows (current or
   repealed: the LAW rules judge those, never a model), or a law finding is about one.
7. typo only: ``changes-number`` (a digit or numeral in the changed text),
   ``changes-name`` (a person's name: the facts' people, or a name the detector of
   :mod:`drafter.text.names` finds beside a role word or the segmenter tags as a name),
   ``typo-not-minimal`` → info (edit distance above 2 or length changed by more than 1),
   ``typo-not-supported`` → info (:func:`drafter.review.plausible.supported` finds no
   evidence that the suggestion reads better).
8. logic only: ``arithmetic-holds`` → info — every figure of the quote belongs to one
   statement drafter can recompute and it holds: a total and its parts that add up (the
   checker's breakdowns, parts after the quote included) or a rate that matches its
   figures (the checker's rate checks). A model that "finds" a wrong sum or rate there has
   miscounted or overlooked a part; its remark stays only as a hint, with the computation.

A model finding repeated at the same place is dropped as ``repeated``. Kept findings are
never errors; law findings always ask the reader to verify.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from drafter.review.plausible import changed_span, context_around, supported
from drafter.review.reply import KINDS, Proposal

if TYPE_CHECKING:  # pragma: no cover
    from drafter.checker import Finding
    from drafter.report import Report
    from drafter.review.chunks import Chunk

MAX_TYPO_DISTANCE = 2
MAX_TYPO_LENGTH_CHANGE = 1
# Why a proposal was not kept as proposed, in the order the checks run (module docstring).
REASONS: dict[str, str] = {
    "malformed": "建议不完整（缺少引文或类别）",
    "quote-not-found": "引文不在原文中",
    "ambiguous": "引文在本部分出现多次，无法确定所指",
    "no-op": "建议与原文相同或说明无须修改",
    "duplicate-of-rule": "与规则发现的问题重复",
    "protected-title": "涉及法规词库中的名称",
    "changes-number": "错别字建议改动了数字",
    "changes-name": "错别字建议改动了人名",
    "typo-not-minimal": "改动过大，不像错别字",
    "typo-not-supported": "未能确认改后的写法更对",
    "arithmetic-holds": "所涉数字经核算无误",
    "repeated": "模型重复提出",
}
DOWNGRADES = ("typo-not-minimal", "typo-not-supported", "arithmetic-holds")
KIND_RULES = {"typo": "LLM001", "law": "LLM002", "term": "LLM003", "logic": "LLM004",
              "style": "LLM005"}
# Problem texts that say there is nothing to change ("表述规范，无需修改").
_NOTHING_WRONG = re.compile(r"无[需须]修改|不[需须]要?修改|没有问题|无问题|未发现问题|正确无误|表述(?:准确|规范)[，。,]?(?:无|不)")
_DIGITS = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")


def normalise(s: str) -> str:
    """A model's string as the readers would have written it: NFC, LF line breaks, edges trimmed."""
    return unicodedata.normalize("NFC", s).replace("\r\n", "\n").replace("\r", "\n").strip()


@dataclass
class Verdict:
    """What became of one proposal: ``action`` keep | info | drop, ``reason`` (a key of
    REASONS; None when kept as proposed), ``spans`` the report offsets where it is placed,
    ``why`` evidence in Chinese (for the message of a downgraded typo)."""

    proposal: Proposal
    action: str
    reason: str | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)
    why: str = ""

    @property
    def kept(self) -> bool:
        return self.action != "drop"


class Verifier:
    """Verifies the proposals for the parts of one report.

    ``findings`` are the report's rule findings (duplicates are judged against them);
    ``people`` names the facts give (protected from typo "corrections").
    """

    def __init__(self, report: "Report", findings: list["Finding"],
                 people: tuple[str, ...] = ()) -> None:
        self.report = report
        self.text = report.text
        self.rule_spans = [(f.start, f.end, f.category) for f in findings
                           if f.source == "rules" and f.severity != "info" and f.end > f.start]
        self.people = tuple(p for p in people if len(p) >= 2)
        self._placed: set[tuple[str, int, int]] = set()

    # -- the text's protected spans ------------------------------------------------------
    @cached_property
    def lexicon_titles(self) -> list[tuple[int, int]]:
        """Spans (marks included) of 《》 titles the law lexicon knows."""
        from drafter.text.laws import law_lexicon
        from drafter.text.titles import book_titles

        lex = law_lexicon()
        return [(t.start, t.end) for t in book_titles(self.text) if lex.entry(t.title) is not None]

    @cached_property
    def name_spans(self) -> list[tuple[int, int]]:
        """Spans of people's names: the facts' people, and every occurrence of a name the
        project's detector finds (beside a role word, or a tagged name with a surname)."""
        from drafter.text.names import name_candidates, person_uses

        spans = [(u.start, u.end) for u in person_uses(self.text)]
        found = {n for n, what in name_candidates(self.text) if what == "人名"}
        for name in (*self.people, *found):
            i = self.text.find(name)
            while i >= 0:
                spans.append((i, i + len(name)))
                i = self.text.find(name, i + 1)
        return spans

    @cached_property
    def computations(self) -> list[tuple[list[tuple[int, int]], str]]:
        """The statements whose arithmetic holds: (spans of their figures, the computation in
        Chinese) — breakdowns whose parts add up to the total and rates that match."""
        from drafter.checker.metrics import breakdowns
        from drafter.checker.rates import rate_checks
        from drafter.text.numbers import quantities

        qs = quantities(self.report)
        out = []
        for b in breakdowns(self.report, qs):
            if b.kind == "overlapping" or not b.parts:
                continue
            if b.sum_low <= b.total.high + 1e-9 and b.sum_high >= b.total.low - 1e-9:
                parts = "+".join(_shown(q.value) for q in b.parts)
                out.append(([(q.start, q.end) for q in (b.total, *b.parts)],
                            f"{parts}={_shown(b.parts_sum)}，与总数{_shown(b.total.value)}相符"))
        for c in rate_checks(self.report, qs):
            if c.matches:
                nums = "+".join(_shown(q.value) for q in c.numerators)
                out.append(([(q.start, q.end) for q in (c.stated, *c.numerators, c.denominator)],
                            f"{nums}÷{_shown(c.denominator.value)}={c.computed:.2f}%，与所写{c.name}相符"))
        return out

    def _arithmetic_holds(self, spans: list[tuple[int, int]]) -> str:
        """The computation (Chinese) when every figure in each quote span belongs to one
        statement whose arithmetic holds; "" otherwise (or when the quote has no figures)."""
        whys = []
        for qs, qe in spans:
            figures = [(m.start() + qs, m.end() + qs) for m in _DIGITS.finditer(self.text[qs:qe])]
            if not figures:
                return ""
            why = next((w for places, w in self.computations
                        if all(any(a <= fs and fe <= b for a, b in places) for fs, fe in figures)), "")
            if not why:
                return ""
            whys.append(why)
        return "；".join(dict.fromkeys(whys))

    # -- verification --------------------------------------------------------------------
    def verify(self, chunk: "Chunk", proposals: list[Proposal]) -> list[Verdict]:
        return [self._one(chunk, p) for p in proposals]

    def _one(self, chunk: "Chunk", p: Proposal) -> Verdict:
        quote, sugg = normalise(p.quote), normalise(p.suggestion)
        if not quote or p.kind not in KINDS:
            return Verdict(p, "drop", "malformed")
        where = _occurrences(chunk.text, quote)
        if not where:
            return Verdict(p, "drop", "quote-not-found")
        spans = [(chunk.start + i, chunk.start + i + len(quote)) for i in where]
        if len(spans) > 1 and not self._same_at_each(p.kind, quote, sugg, spans):
            return Verdict(p, "drop", "ambiguous")
        if sugg == quote or _NOTHING_WRONG.search(p.problem):
            return Verdict(p, "drop", "no-op")
        a, b, _ = changed_span(quote, sugg) if sugg else (0, len(quote), "")
        spans = [s for s in spans if not self._duplicate(s, s[0] + a, s[0] + b, p.kind)]
        if not spans:
            return Verdict(p, "drop", "duplicate-of-rule")
        if any(self._protected(s, s[0] + a, s[0] + b, p.kind, bool(sugg)) for s in spans):
            return Verdict(p, "drop", "protected-title")
        if p.kind == "typo" and sugg:
            reason, why = self._typo(quote, sugg, spans, a, b)
            if reason:
                return Verdict(p, "info" if reason in DOWNGRADES else "drop", reason, spans, why)
        if p.kind == "logic":
            why = self._arithmetic_holds(spans)
            if why:
                return Verdict(p, "info", "arithmetic-holds", spans, why)
        rule = KIND_RULES[p.kind]
        fresh = [s for s in spans if (rule, *s) not in self._placed]
        if not fresh:
            return Verdict(p, "drop", "repeated")
        self._placed.update((rule, *s) for s in fresh)
        return Verdict(p, "keep", None, fresh)

    def _same_at_each(self, kind: str, quote: str, sugg: str,
                      spans: list[tuple[int, int]]) -> bool:
        """Whether a quote found several times is wrong the same way at every one."""
        if not sugg or sugg == quote or kind not in ("typo", "term", "law"):
            return False
        if kind != "typo":
            return True
        a, b, _ = changed_span(quote, sugg)
        return all(self._typo(quote, sugg, [s], a, b)[0] is None for s in spans)

    def _duplicate(self, span: tuple[int, int], cs: int, ce: int, kind: str) -> bool:
        """Whether a rule's warning or error covers the changed text [cs, ce) of ``span``."""
        qs, qe = span
        whole = (cs, ce) == (qs, qe)
        for rs, re_, category in self.rule_spans:
            if cs == ce:  # a pure insertion: a rule finding touching the insertion point
                if rs <= cs <= re_:
                    return True
                continue
            if rs < ce and cs < re_:
                if not whole:
                    return True
                if category == _category(kind) or 2 * (min(re_, qe) - max(rs, qs)) >= qe - qs:
                    return True
        return False

    def _protected(self, span: tuple[int, int], cs: int, ce: int, kind: str,
                   has_suggestion: bool) -> bool:
        """Whether the proposal touches a title of the law lexicon."""
        qs, qe = span
        for ts, te in self.lexicon_titles:
            if has_suggestion:
                if (cs < ce and ts < ce and cs < te) or (cs == ce and ts < cs < te):
                    return True
            elif (ts <= qs and qe <= te) or (kind == "law" and ts < qe and qs < te):
                return True
        return False

    def _typo(self, quote: str, sugg: str, spans: list[tuple[int, int]], a: int,
              b: int) -> tuple[str | None, str]:
        """(reason, evidence) of the typo checks, reason None when all pass."""
        from rapidfuzz.distance import Levenshtein

        if _numbers(quote) != _numbers(sugg):
            return "changes-number", ""
        for qs, _ in spans:
            cs, ce = qs + a, qs + b
            for ns, ne in self.name_spans:
                if (ns < ce and cs < ne) if cs < ce else ns < cs < ne:
                    return "changes-name", ""
        if Levenshtein.distance(quote, sugg) > MAX_TYPO_DISTANCE or \
                abs(len(quote) - len(sugg)) > MAX_TYPO_LENGTH_CHANGE:
            return "typo-not-minimal", "改动较大，不像错别字"
        for qs, qe in spans:
            left, right = context_around(self.text, qs, qe)
            s = supported(left, quote, right, sugg, self.text)
            if not s.ok:
                return "typo-not-supported", s.why
        return None, ""


def _shown(v: float) -> str:
    return f"{v:g}" if v != int(v) else str(int(v))


def _category(kind: str) -> str:
    from drafter.checker import get_rule

    r = get_rule(KIND_RULES[kind])
    return r.category if r else kind


def _numbers(s: str) -> list[str]:
    """The numbers of ``s``: digit runs, and figures in Chinese numerals (三项, 百分之五),
    as the number reader of the checker sees them (一 in 进一步 is no number)."""
    from drafter.text.numbers import extract_quantities

    return sorted(_DIGITS.findall(s)) + sorted(f"{q.value:g}{q.unit or ''}"
                                               for q in extract_quantities(s))


def _occurrences(text: str, quote: str) -> list[int]:
    out, i = [], text.find(quote)
    while i >= 0:
        out.append(i)
        i = text.find(quote, i + 1)
    return out


def _lines(text: str):
    start = 0
    for line in text.split("\n"):
        yield start, line
        start += len(line) + 1


def reason_counts(verdicts: list[Verdict]) -> dict[str, Any]:
    """{reason: count} of the dropped and downgraded verdicts, in REASONS order."""
    out: dict[str, int] = {}
    for key in REASONS:
        n = sum(1 for v in verdicts if v.reason == key)
        if n:
            out[key] = n
    return out
