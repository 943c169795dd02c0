"""Year-over-year change of a metric (同比), computed — never guessed.

One computation for the drafter (``{id.yoy}`` in a statement, :mod:`drafter.facts.render`) and
the checker (FAC001 verifies a stated change against the two years' facts):

- counts and amounts: relative change ``(本年 − 上年) ÷ 上年 × 100%``, rounded half up to one
  decimal (9.30 → 9.3, 12.25 → 12.3, trailing .0 dropped: 25%): 同比增长9.3% / 同比下降12.5%;
- rates (unit %): the difference in percentage points, same rounding: 同比提高2.5个百分点;
- equal values: 与上年持平; a change that rounds to 0: 与上年基本持平;
- no change can be computed from an approximate figure (260余) or a zero last year.

Last year's figure is the metric's ``previous_value``, else the same metric in last year's
facts (same id, or same label and unit, and exact there): :func:`fill_previous_values`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

DECIMALS = 1
UP_WORDS = ("增长", "增加", "上升", "提高", "提升")
DOWN_WORDS = ("下降", "减少", "降低", "回落", "下滑")


@dataclass(frozen=True)
class Change:
    """``direction`` up | down | flat; ``amount`` the rounded size (≥ 0); ``exact`` unrounded;
    ``points`` True for a rate's change in percentage points."""

    direction: str
    amount: Decimal
    exact: float
    points: bool

    def text(self) -> str:
        if self.direction == "flat":
            return "与上年持平" if self.exact == 0 else "与上年基本持平"
        n = format(self.amount.normalize(), "f")
        if self.points:
            return f"同比{'提高' if self.direction == 'up' else '下降'}{n}个百分点"
        return f"同比{'增长' if self.direction == 'up' else '下降'}{n}%"


def change(value: float, previous: float, unit: str, points: bool | None = None) -> Change | None:
    """The change from ``previous`` to ``value``; None when it cannot be computed (zero last
    year for a relative change). ``points`` defaults to True for unit ``%``."""
    if points is None:
        points = unit.strip() in ("%", "％")
    if points:
        exact = float(value) - float(previous)
    else:
        if not previous:
            return None
        exact = (float(value) - float(previous)) / float(previous) * 100
    amount = rounded(abs(exact))
    if exact == 0 or amount == 0:
        return Change("flat", Decimal(0), exact, points)
    return Change("up" if exact > 0 else "down", amount, exact, points)


def rounded(x: float, decimals: int = DECIMALS) -> Decimal:
    q = Decimal(1).scaleb(-decimals)
    return Decimal(repr(x)).quantize(q, rounding=ROUND_HALF_UP)


def metric_change(m: Any) -> Change | None:
    """The change of a facts metric from its ``previous_value``; None when unknown/approximate."""
    if m.previous_value is None or m.approx:
        return None
    return change(m.value, m.previous_value, m.unit)


def same_metric(m: Any, candidates: list[Any]) -> Any:
    """The metric of ``candidates`` (last year's) that is ``m``: same id, else same label and unit."""
    if m.id:
        hit = next((c for c in candidates if c.id == m.id), None)
        if hit is not None:
            return hit if hit.unit == m.unit else None
    hits = [c for c in candidates if c.label == m.label and c.unit == m.unit]
    return hits[0] if len(hits) == 1 else None


def fill_previous_values(facts: Any, last: Any) -> Any:
    """A copy of ``facts`` whose metrics without ``previous_value`` take last year's exact value
    of the same metric from ``last`` (last year's Facts); ``facts`` itself when nothing is filled."""
    if last is None:
        return facts
    previous = last.all_metrics()
    todo = [(m, same_metric(m, previous)) for m in facts.all_metrics() if m.previous_value is None]
    todo = [(m, p) for m, p in todo if p is not None and not p.approx]
    if not todo:
        return facts
    copy = facts.model_copy(deep=True)
    by_identity = {id(m): i for i, m in enumerate(facts.all_metrics())}
    copied = copy.all_metrics()
    for m, p in todo:
        copied[by_identity[id(m)]].previous_value = p.value
    return copy
