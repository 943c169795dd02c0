"""Rates and percentage changes that can be recomputed from the figures beside them.

"应诉15件，败诉1件，败诉率6.7%" (败诉 ÷ 应诉), "由78个减至49个，减少37.2%"
((78−49) ÷ 78) and "41237户，较上年的39050户增长5.6%" ((41237−39050) ÷ 39050); the
definitions are data (``rates`` and ``changes`` in
``checker/data/metric_relations.yaml``). Shares ("占…的x%") name their whole in words or by
the sentence's frame: "结案3105件……调解成功2036件，占结案数的65.6%", "148项事项中，已有132项
实现网办，占89.2%", "受理148项，其中网办132项，占89.2%" (:func:`share_checks`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from drafter.checker.metrics import (
    RATE_SENTENCE_ENDS,
    Para,
    RateDef,
    by_paragraph,
    member_of,
    relations,
    sentence_of,
)
from drafter.text.numbers import Quantity, shown_matches
from drafter.report import Report

__all__ = ["RateCheck", "ChangeCheck", "ShareCheck", "rate_checks", "change_checks", "share_checks",
           "rate_name", "shown_matches"]

@dataclass
class RateCheck:
    """A stated percentage and the figures it can be recomputed from."""

    stated: Quantity
    name: str
    numerators: list[Quantity]
    denominator: Quantity
    computed: float

    @property
    def matches(self) -> bool:
        return shown_matches(self.stated, self.computed)


def _has(label: str, words: tuple[str, ...]) -> bool:
    return any(w in label for w in words)


def rate_name(label: str) -> RateDef | None:
    best = None
    for r in relations().rates:
        if r.name in label and (best is None or len(r.name) > len(best.name)):
            best = r
    return best


def rate_paragraphs(report: Report, qs: list[Quantity]) -> list[Para]:
    """The paragraphs with figures, cut into sentences as rates and changes read them: give
    the result to both :func:`rate_checks` and :func:`change_checks` (computed once)."""
    return by_paragraph(report, qs, RATE_SENTENCE_ENDS)


def rate_checks(report: Report, qs: list[Quantity],
                paras: list[Para] | None = None) -> Iterator[RateCheck]:
    """Stated rates (败诉率、办结率 …) with the figures before them in the same sentence;
    ``paras``: :func:`rate_paragraphs` of the same report and figures, if already known."""
    for para in rate_paragraphs(report, qs) if paras is None else paras:
        for i, p in enumerate(para.qs):
            if not p.is_percent or p.approx:
                continue
            r = rate_name(p.label)
            if r is None:
                continue
            sent = sentence_of(para, p.start)
            cands = [q for q in para.qs[:i] if not q.is_percent and not q.approx and q.family
                     and sentence_of(para, q.start) == sent]
            # Not a count of another rate's numerator (审结后败诉1件 is no 出庭应诉 denominator).
            dens = [q for q in cands if _has(q.label, r.denominator) and not _has(q.label, r.numerator)
                    and not _has(q.label, _other_numerators(r))]
            if r.summed:
                if not dens:
                    continue
                den = dens[-1]
                nums = [q for q in cands if q.start > den.start and _has(q.label, r.numerator)]
            else:
                nums = [q for q in cands if _has(q.label, r.numerator)]
                # Not a part of the numerator's own figure ("调解成功84件，其中村级调解成功60件").
                nums = ([q for q in nums if q.scope != "part"] or nums)[-1:]
                if not nums:
                    continue
                dens = [q for q in dens if q.start < nums[0].start]
                if not dens:
                    continue
                den = dens[-1]
            if not nums or den.value == 0 or (not r.summed and _one_grade_of_several(nums[0], cands)):
                continue
            computed = sum(q.value for q in nums) / den.value * 100
            if computed > 100 + 1e-9:
                continue  # a part over its whole: the figures were not this rate's
            yield RateCheck(p, r.name, nums, den, computed)


def _one_grade_of_several(num: Quantity, figures: list[Quantity]) -> bool:
    """Whether ``num`` is one member of an exhaustive set whose other members the sentence
    also counts (优秀35卷、良好62卷、合格23卷，合格率100%: 合格 is one grade, not the rate's
    numerator)."""
    for s in relations().sets:
        own = member_of(num.label, s.members) if s.exhaustive else None
        if own and any(q is not num and (m := member_of(q.label, s.members)) and m != own
                       for q in figures):
            return True
    return False


@lru_cache(maxsize=None)
def _other_numerators(r: RateDef) -> tuple[str, ...]:
    """The numerator words of the other single-count rates that are not words of ``r``'s own
    (败诉, 采纳 …; not the 撤销/变更 a summed rate adds up, which name many other things)."""
    own = set(r.denominator) | set(r.numerator)
    return tuple(sorted({w for o in relations().rates if o is not r and not o.summed
                         for w in o.numerator} - own))


# The words before last year's figure when this year's comes first: "41237户，较上年的39050户".
_LAST_YEAR = re.compile(r"^(?:较|比|同比)(?:上年|去年|上一年|上年度|上年同期|去年同期|同期)(?:同期)?的?$")
# What may stand between the two figures ("，") and after the second (the direction word).
_JOIN = ("", "，", ",")
_MAX_DIRECTION = 4  # 下降, 增长了, 减少了: the direction word alone


def _compared_to_last_year(para: Para, a: Quantity, b: Quantity, word: str) -> bool:
    """Whether ``a``, then ``b`` read "A，较上年的B" and the percentage right after ``b`` is
    only the direction word (``word``, 了 removed): "41237户，较上年的39050户增长7.6%"."""
    return bool(_LAST_YEAR.match(b.label)) and len(word) <= _MAX_DIRECTION \
        and para.text[a.end - para.offset:b.label_start - para.offset] in _JOIN


_TO_WORD = re.compile(r"(?:减|降|压缩|压减|缩短|减少|下降|降低|提高|提升|增加|增长|增|上升|扩大)?(?:至|到)$")


@dataclass
class ChangeCheck:
    stated: Quantity
    before: Quantity
    after: Quantity
    direction: str  # decrease | increase: what the figures show
    computed: float  # in % (or percentage points for 个百分点)
    delta: bool = False  # "较A增加B" (b is the change itself) rather than "由A增至B"


def change_checks(report: Report, qs: list[Quantity],
                  paras: list[Para] | None = None) -> Iterator[ChangeCheck]:
    """"由A减至B，减少x%" (and 个百分点 between two percentages) with their figures;
    ``paras`` as for :func:`rate_checks`."""
    rel = relations()
    for para in rate_paragraphs(report, qs) if paras is None else paras:
        for i, p in enumerate(para.qs):
            if p.family not in ("percent", "point") or p.approx:
                continue
            word = re.sub(r"了$", "", p.label)
            direction = ("decrease" if word.endswith(rel.decrease) else
                         "increase" if word.endswith(rel.increase) else None)
            if direction is None:
                continue
            sent = sentence_of(para, p.start)
            prior = [q for q in para.qs[:i] if sentence_of(para, q.start) == sent]
            for a, b in zip(prior[-2::-1], prior[:0:-1]):
                # b is the figure right after a, reached by walking back from p.
                if b is prior[-1] and _compared_to_last_year(para, a, b, word):
                    # "A，较上年的B下降x%": A this year, B the year before it.
                    if a.family != b.family or a.approx or b.approx or b.value == 0 \
                            or p.family != "percent" or a.is_percent:
                        break
                    yield ChangeCheck(p, b, a, "decrease" if a.value < b.value else "increase",
                                      abs(a.value - b.value) / b.value * 100)
                    break
                delta = bool(re.search(r"较|比", a.label)) and b.label.removesuffix("了").endswith(
                    rel.decrease + rel.increase)
                if not delta and (not _TO_WORD.search(b.label) or not re.search(r"由|从", a.label)):
                    continue
                if a.family != b.family or a.approx or b.approx or a.value == 0:
                    break
                if delta and p.family == "percent" and not a.is_percent:
                    computed = b.value / a.value * 100  # 较上年的A增加B，增长x%
                    actual = "decrease" if b.label.removesuffix("了").endswith(rel.decrease) else "increase"
                elif p.family == "percent" and not a.is_percent:
                    computed = abs(b.value - a.value) / a.value * 100
                    actual = "decrease" if b.value < a.value else "increase"
                elif p.family == "point" and a.is_percent and not delta:
                    computed = abs(b.value - a.value)
                    actual = "decrease" if b.value < a.value else "increase"
                else:
                    break
                yield ChangeCheck(p, a, b, actual, computed, delta)
                break


@dataclass
class ShareCheck:
    """A share ("占…的x%") and the part and whole it can be recomputed from."""

    stated: Quantity
    part: Quantity
    whole: Quantity
    computed: float

    @property
    def matches(self) -> bool:
        return shown_matches(self.stated, self.computed)


# The label of a share: 占, 占比, 约占, 占结案数的, 占全部案件的比例 (为/达 are filler).
_SHARE = re.compile(r"^(?:约|仅)?占(?:比)?(?P<noun>[\u4e00-\u9fff]*?)(?:的)?(?:比例|比重)?$")
# Words around the whole's noun that are not in its figure's label: 全县 …, 总数.
_WHOLE_PREFIX = re.compile(r"^(?:全[县市区局省镇乡]|全部|所有|总)")
_WHOLE_SUFFIX = re.compile(r"(?:总数|总量|总额|数量|数)$")
# What may stand between the part and its share: the part's own clause, no other figure.
_MAX_PART_GAP = 20
_PART_GAP_STOPS = "；;：:"
# "N项政务服务事项中": a whole that frames the sentence.
_FRAMED = re.compile(r"[\u4e00-\u9fff“”]{0,16}?中[，,]")


def share_checks(report: Report, qs: list[Quantity],
                 paras: list[Para] | None = None) -> Iterator[ShareCheck]:
    """Shares with their part (the figure right before, in the same sentence, with nothing
    but its own words between) and their whole: the figure the share names (占结案数的 →
    the figure labelled 结案 before the part, in the same paragraph), else the sentence's
    frame ("N项X中，") or the total the part's 其中 divides. Nothing is judged when the whole
    is not found once, or is of another kind of unit, or is smaller than the part."""
    for para in rate_paragraphs(report, qs) if paras is None else paras:
        for i, p in enumerate(para.qs):
            if not p.is_percent or p.approx or i == 0 or rate_name(p.label) is not None:
                continue
            m = _SHARE.match(p.label)
            if m is None:
                continue
            part = para.qs[i - 1]
            between = para.text[part.end - para.offset:p.label_start - para.offset]
            if (part.is_percent or part.approx or not part.family or len(between) > _MAX_PART_GAP
                    or any(ch in between for ch in _PART_GAP_STOPS)
                    or sentence_of(para, part.start) != sentence_of(para, p.start)):
                continue
            whole = _whole(para, para.qs[:i - 1], part, m.group("noun"))
            if whole is None or whole.value < part.value or whole.value == 0:
                continue
            yield ShareCheck(p, part, whole, part.value / whole.value * 100)


def _whole(para: Para, before: list[Quantity], part: Quantity, noun: str) -> Quantity | None:
    same = [q for q in before if q.family == part.family and not q.is_percent and not q.approx]
    if noun:
        key = _WHOLE_SUFFIX.sub("", _WHOLE_PREFIX.sub("", noun))
        if len(key) < 2:
            return None
        found = [q for q in same if key in q.label]
        return found[-1] if found and len({q.value for q in found}) == 1 else None
    sent = sentence_of(para, part.start)
    same = [q for q in same if sentence_of(para, q.start) == sent]
    wholes = []
    if part.scope == "part":  # the total its 其中 divides
        k = para.text.rfind("其中", 0, part.start - para.offset) + para.offset
        wholes += [q for q in same if q.end <= k and q.scope != "part"][-1:]
    # The frame, when no other figure of the kind stands between it and the part.
    framed = [q for q in same if _FRAMED.match(para.text, q.end - para.offset)]
    if framed and framed[-1] is same[-1]:
        wholes.append(framed[-1])
    return max(wholes, key=lambda q: q.start) if wholes else None  # the nearest whole
