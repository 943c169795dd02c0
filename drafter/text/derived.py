"""Figures a writer may state beyond the ones given: what is computed from two given figures,
and what a figure is bound to.

Given the quantities of some facts (:func:`drafter.text.numbers.extract_quantities`) and a
quantity a text states:

- :func:`derivation` — how the stated figure follows from two given ones, when its wording
  says it is computed: a rate or share (采纳率92.1% from 58 of 63; 占比44.4%), a change in
  per cent (增长9.3% from 86 to 94), a difference (增加8家次), a sum (共15件), a percentage-point
  change, or 100% where the facts say 均/全部. The figure must equal the computation under the
  checker's rounding rule (:func:`drafter.text.numbers.shown_matches`), so 92.1% and 92% pass
  for 58/63 and 92.2% does not.
- :func:`binding_conflict` — a stated figure that equals some given figure but is written
  against the label of another (修改8件 where the facts say 继续有效8件、修改2件): numbers are
  bound to what they count, not matched by value alone.
- :func:`is_list_count` — "三个方面", "四项工作": a count of listed things, true when it equals
  the number of items the text or the facts list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import permutations
from typing import Iterable, Sequence

from drafter.text.numbers import Quantity, shown_matches

# Wording that says a figure is computed, by kind; matched in the figure's clause.
_RATE = re.compile(r"率|占比|占|比例|比重|比率")
_CHANGE = re.compile(r"增长|增加|下降|减少|提高|降低|上升|回落|增幅|降幅|同比|环比|较上年|比上年|较去年|比去年|增|减")
_SUM = re.compile(r"共|合计|总计|累计|总数|总量|两项|加起来")
_UNIVERSAL = re.compile(r"均|全部|全面|一律|所有|全员|全覆盖|无一|100%|百分之百|全数|悉数|逐一|每[一项件个名]")
# Things listed (方面/项工作 …) after a count of them.
_LISTED = re.compile(r"^(?:个|项|条|大|点)?(?:方面|工作|任务|举措|措施|重点|环节|类|领域|问题|不足|安排|内容|"
                     r"目标|要求|原因|短板|事项|制度|机制|活动|行动|工程|重点工作|主要工作)")
_CLAUSE_START = re.compile(r"[，。；：！？、,;:!?\n（）()]")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def clause_before(text: str, q: Quantity, base: int = 0) -> str:
    """The words of ``q``'s clause up to and including ``q`` (in ``text``, offsets − ``base``)."""
    end = q.end - base
    start = q.start - base
    i = start
    while i > 0 and not _CLAUSE_START.match(text[i - 1]) and start - i < 30:
        i -= 1
    return text[i:end]


def _same_family(a: Quantity, b: Quantity) -> bool:
    return a.family is not None and a.family == b.family


@dataclass(frozen=True)
class Derivation:
    """How a stated figure follows from given ones: ``kind`` (rate, change, difference, sum,
    points, all) and the given figures it uses (``operands``)."""

    kind: str
    operands: tuple[Quantity, ...] = ()

    def describe(self) -> str:
        a = [q.raw.strip() for q in self.operands]
        return {"rate": "{0}÷{1}", "change": "（{0}−{1}）÷{1}", "difference": "{0}−{1}",
                "sum": "{0}+{1}", "points": "{0}−{1}"}.get(self.kind, "全部").format(*a, "", "")


def derivation(q: Quantity, groups: Sequence[Sequence[Quantity]], clause: str, sentence: str,
               sentence_qs: Sequence[Quantity] = (), statements: Sequence[str] = ()) -> Derivation | None:
    """How ``q`` (stated) is computed from two given figures, or None (see the module docstring).

    ``groups`` are the given figures by statement; two figures can make a third when they come
    from one statement or their labels share a word (本年与上年的同一指标). One of them must be
    what ``q``'s ``sentence`` talks about: its value among ``sentence_qs`` (the sentence's
    figures) or its label in the sentence. ``clause`` (``q``'s clause) must say what ``q`` is
    (率/占比, 增长/减少, 共/合计). A 100% needs a given statement that says 均/全部 about what the
    sentence is about (``statements``)."""
    if q.approx:
        return None
    words = clause[: len(clause) - len(q.raw)] if clause.endswith(q.raw) else clause

    def anchored(g: Quantity) -> bool:
        label = "".join(_CJK.findall(g.label))
        return any(_equal(g, x) for x in sentence_qs) or (len(label) >= 2 and label in sentence)

    pairs = [(a, b) for a, b in _pairs(groups) if (anchored(a) or anchored(b))
             and (not a.approx or a.approx_kind == "more") and (not b.approx or b.approx_kind == "more")]
    sums = [(parts, total) for parts, total in _part_sums(groups) if any(anchored(x) for x in parts)]
    if q.family == "percent":
        if _RATE.search(words):
            if abs(q.value - 100) < 1e-9 and any(
                    _UNIVERSAL.search(st) and _common(st, sentence) >= 4 for st in statements):
                return Derivation("all")
            for a, b in pairs:
                if _same_family(a, b) and not a.is_percent and 0 < a.value <= b.value \
                        and shown_matches(q, a.value / b.value * 100):
                    return Derivation("rate", (a, b))
            for parts, total in sums:  # 合格以上占96.6%: (优秀68 + 合格241) ÷ 320
                for b in (g for grp in groups for g in grp):
                    if b.family == parts[0].family and b not in parts and 0 < total <= b.value \
                            and anchored(b) and shown_matches(q, total / b.value * 100):
                        return Derivation("rate", (*parts, b))
        if _CHANGE.search(words):
            for a, b in pairs:
                if _same_family(a, b) and not a.is_percent and b.value > 0 and a.value != b.value \
                        and shown_matches(q, abs(a.value - b.value) / b.value * 100):
                    return Derivation("change", (a, b))
        return None
    if q.family == "point" and _CHANGE.search(words):
        for a, b in pairs:
            if a.is_percent and b.is_percent and shown_matches(q, abs(a.value - b.value)):
                return Derivation("points", (a, b))
        return None
    if q.family is None:
        return None
    same = [(a, b) for a, b in pairs if a.family == q.family == b.family]
    if _CHANGE.search(words):
        for a, b in same:
            if a.value > b.value and abs(a.value - b.value - q.value) < 1e-9:
                return Derivation("difference", (a, b))
    if _SUM.search(words):  # 撤销和确认违法的共9件; 需修改、废止和宣布失效的共22件
        for parts, total in sums:
            if parts[0].family == q.family and abs(total - q.value) < 1e-9:
                return Derivation("sum", parts)
    return None


def _part_sums(groups: Sequence[Sequence[Quantity]], most: int = 4) -> list[tuple[tuple[Quantity, ...], float]]:
    """Sums of two to ``most`` exact figures of one statement and one unit family (the parts a
    writer adds up), for statements of at most twelve figures."""
    from itertools import combinations

    out = []
    for grp in groups:
        exact = [g for g in grp if not g.approx and g.family and not g.is_percent]
        if len(exact) > 12:
            continue
        for n in range(2, min(most, len(exact)) + 1):
            for parts in combinations(exact, n):
                if len({p.family for p in parts}) == 1:
                    out.append((parts, sum(p.value for p in parts)))
    return out


def claims_sum(q: Quantity, clause: str, given: Iterable[Quantity]) -> bool:
    """Whether ``q`` says it is the total of given figures: its clause has 共/合计 … and its
    label names two or more of them (撤销和确认违法的共9件) — then it must add up."""
    words = clause[: len(clause) - len(q.raw)] if clause.endswith(q.raw) else clause
    if not _SUM.search(words):
        return False
    named = {g.label for g in given if g.family == q.family and len("".join(_CJK.findall(g.label))) >= 2
             and "".join(_CJK.findall(g.label)) in q.label}
    return len(named) >= 2


def _equal(a: Quantity, b: Quantity) -> bool:
    return abs(a.value - b.value) < 1e-9 and a.family == b.family


# The pairs of the last ``groups`` asked for: a section's figures are the same for every
# stated figure of its text, so they are paired once (kept with the figures themselves, which
# are compared by identity: a Quantity is mutable and unhashable).
_LAST_PAIRS: list[tuple[list[tuple[int, Quantity]], list[tuple[Quantity, Quantity]]]] = []


def _pairs(groups: Sequence[Sequence[Quantity]]) -> list[tuple[Quantity, Quantity]]:
    """Ordered pairs of given figures that may make a third: from one statement, or from two
    statements whose labels share a word of two characters or more."""
    flat = [(i, g) for i, grp in enumerate(groups) for g in grp]
    if _LAST_PAIRS:
        seen, pairs = _LAST_PAIRS[0]
        if len(seen) == len(flat) and all(i == j and a is b for (i, a), (j, b) in zip(seen, flat)):
            return list(pairs)
    out = []
    for (i, a), (j, b) in permutations(flat, 2):
        if i == j or _common(a.label, b.label) >= 2:
            out.append((a, b))
    _LAST_PAIRS[:] = [(flat, out)]
    return list(out)


@lru_cache(maxsize=8192)
def _common(a: str, b: str) -> int:
    """Length of the longest common run of Chinese characters of ``a`` and ``b``."""
    a = "".join(_CJK.findall(a))
    b = "".join(_CJK.findall(b))
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def binding_conflict(q: Quantity, given: Iterable[Quantity]) -> Quantity | None:
    """The given figure whose label ``q`` is written against, when that figure's value is not
    ``q``'s and no given figure of ``q``'s value fits the label as well; else None."""
    label = q.label
    if len("".join(_CJK.findall(label))) < 2:
        return None
    same, other = [], []
    for g in given:
        if not _same_family(g, q) or g.approx or q.approx:
            continue
        (same if abs(g.value - q.value) < 1e-9 else other).append(g)
    if not other:
        return None
    best = max(other, key=lambda g: _common(label, g.label))
    fit = _common(label, best.label)
    if fit < 2 or fit < len("".join(_CJK.findall(best.label))) * 0.6:
        return None  # the label shares at most a word with the other figure's
    if any(_common(label, g.label) >= fit for g in same):
        return None
    return best


def counts_listed(q: Quantity) -> bool:
    """Whether ``q`` counts listed things (三个方面, 四项工作) rather than a figure."""
    return not q.approx and q.family == "item" and q.value == int(q.value) and bool(_LISTED.match(q.after or ""))


def is_list_count(q: Quantity, counts: set[int]) -> bool:
    """Whether ``q`` is a count of listed things (三个方面, 四项工作) that equals one of
    ``counts`` (items of the section, enumerations of the text …)."""
    return counts_listed(q) and int(q.value) in counts


_ENUM = re.compile(r"(?:^|[。；：，\n])\s*([一二三四五六七八九十]{1,3})是")
_HEAD = re.compile(r"^[（(]([一二三四五六七八九十]{1,3})[）)]", re.M)


def listed_counts(text: str) -> set[int]:
    """Lengths of the enumerations in ``text``: runs of 一是…N是 and of （一）…（N） headings."""
    from drafter.text.numerals import ordinal_value

    out: set[int] = set()
    for rx in (_ENUM, _HEAD):
        values = [v for m in rx.finditer(text) if (v := ordinal_value(m.group(1)))]
        run = 0
        for v in values:
            if v == 1:
                if run:
                    out.add(run)
                run = 1
            elif v == run + 1:
                run = v
        if run:
            out.add(run)
    return out
