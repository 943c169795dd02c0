"""PLN — last year's plans: does this year's report answer last year's 下一年度主要安排?

Runs only when the check is given last year's plans: ``--previous`` (last year's report),
``--corpus`` (the unit's earlier years; the unit and year are read from the report or
``--facts``), or ``previous_plans`` in the ``--facts`` file. The matching is
:mod:`drafter.text.plans` — the same matcher the drafter's plan uses, with thresholds
calibrated on labelled pairs (see that module).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from drafter.checker.context import CheckContext, per_report
from drafter.checker.finding import Hit
from drafter.checker.registry import rule


@dataclass
class FollowThrough:
    """What the plan rules share: the matches, the source, the anchor for absent things, and
    why nothing could be evaluated (``reason``; None when matches were computed)."""

    matches: list[Any] = field(default_factory=list)
    source: str | None = None
    anchor: int = 0
    reason: str | None = None
    asked: bool = False


def _analyse(ctx: CheckContext) -> FollowThrough:
    opts = ctx.options
    facts = opts.facts
    asked = (opts.previous is not None or opts.corpus is not None
             or (facts is not None and facts.previous_plans is not None))
    if not asked:
        return FollowThrough()
    from drafter.corpus.history import History, previous_plans
    from drafter.errors import DrafterError
    from drafter.report.plans import report_candidates
    from drafter.text.plans import match_plans

    report = ctx.report
    try:
        history = (History.for_report(opts.corpus, report, facts)
                   if opts.corpus is not None and opts.previous is None else None)
        items, source = previous_plans(facts=facts, previous=opts.previous, history=history)
    except DrafterError as e:
        return FollowThrough(asked=True, reason=f"上年计划无法读取：{e.one_line()}")
    if not items:
        why = ("上年报告中没有找到“下一年度主要安排”部分" if source
               else "语料库中没有找到本单位上一年度的报告或事实文件")
        return FollowThrough(asked=True, source=source, reason=why)
    measures = [s for s in report.sections if s.key == "measures" or "measures" in s.extra_keys]
    candidates = report_candidates(report)
    if not measures or not candidates:
        return FollowThrough(asked=True, source=source, reason="本报告中没有找到“主要举措和成效”部分")
    matches = match_plans(items, candidates)
    _apply_explicit_answers(matches, facts, report)
    anchor = measures[0].heading.title_offset
    return FollowThrough(matches, source, anchor, None, True)


def _apply_explicit_answers(matches: list[Any], facts: Any, report: Any) -> None:
    """Facts items that say ``answers: [n]`` answer plan n when their title is in the report."""
    if facts is None:
        return
    from drafter.facts.model import SECTION_KEYS
    from drafter.facts.render import Renderer, sentence
    from drafter.text.plans import ANSWERING_KEYS

    r = Renderer(facts)
    text = report.text
    for key in SECTION_KEYS:
        if key not in ANSWERING_KEYS:
            continue
        for item in facts.sections.items(key):
            title = sentence(r.expand(item.title))
            if not item.answers or not title or title not in text:
                continue
            for n in item.answers:
                if 1 <= n <= len(matches):
                    matches[n - 1].status = "answered"


@per_report
def _follow(ctx: CheckContext) -> FollowThrough:
    return _analyse(ctx)


def _where(m: Any) -> str:
    item = m.item
    if item.line:
        return f"（上年报告第{item.line}行）"
    return ""


@rule("PLN001", "unanswered-plan-item", severity="warning",
      summary="上年“下一年度安排”中的事项在本年举措中未见回应")
def unanswered_plan_item(ctx: CheckContext) -> Iterator[Hit]:
    """上一年度报告“下一年度主要安排”中的某项工作，本年报告的举措和成效中没有回应。

    **作用 What it does**
    取上一年度的计划事项（``--previous`` 指定的上年报告、``--corpus`` 语料库中本单位上一年度
    的事实文件或报告，或事实文件的 ``previous_plans``），用结巴分词后的加权词语覆盖率与本年
    “主要举措和成效”（及第一责任人履职、其他情况）逐段比对；没有任何一段达到阈值的计划事项
    逐项列出并引用原文。需要提供上年计划，否则不运行。

    **为什么重要 Why it matters**
    年度报告要回答上一年的安排落实得怎样。审核人员靠人工对照两份报告，常有遗漏；上年承诺
    的工作本年只字不提，容易被认为没有落实。

    **示例 Example**
    上年安排“（五）加强行政复议和应诉工作”，本年报告的举措和成效中没有任何行政复议、
    应诉的内容。

    **应改为 Use instead**
    在“主要举措和成效”中写明该项工作的落实情况；确未落实的，在“存在的不足和原因”中说明。
    """
    ft = _follow(ctx)
    for m in ft.matches:
        if m.status != "unanswered":
            continue
        yield Hit(ft.anchor, ft.anchor,
                  f"上年计划第{m.item.number}项“{m.item.text}”{_where(m)}在本年举措和成效中未见回应"
                  f"（相似度{m.score:.2f}）",
                  suggestion="在“主要举措和成效”中写明落实情况；未落实的在“存在的不足和原因”中说明")


@rule("PLN002", "plan-item-weakly-answered", severity="info",
      summary="上年计划事项在本年举措中只有较弱的对应，请确认是否已落实")
def plan_item_weakly_answered(ctx: CheckContext) -> Iterator[Hit]:
    """上一年度的计划事项在本年举措中只找到较弱的对应段落。

    **作用 What it does**
    与 PLN001 使用同一比对方法；最相近的段落只覆盖了计划事项的部分关键词（相似度在“已回应”
    与“未回应”两个阈值之间）时给出提示，指出最相近的段落和缺少的关键词。

    **为什么重要 Why it matters**
    措辞不同的回应（如上年“深化矛盾纠纷多元化解”，本年写“人民调解”）机器难以确认，
    需要审核人员看一眼；只回应了计划的一部分也常见。

    **示例 Example**
    上年安排“推行包容审慎柔性执法”，本年只写了“制定轻微违法行为免罚清单”。

    **应改为 Use instead**
    确认该段是否就是对上年计划的落实；必要时补充落实情况，或使用与上年安排相呼应的表述。
    """
    ft = _follow(ctx)
    text = ctx.text
    for m in ft.matches:
        if m.status != "weak" or m.candidate is None:
            continue
        start, end = _quote_span(text, m.candidate)
        missing = "、".join(m.missing[:4])
        yield Hit(start, end,
                  f"上年计划第{m.item.number}项“{m.item.text}”{_where(m)}在本年只有较弱的对应"
                  f"（相似度{m.score:.2f}" + (f"，未见“{missing}”等词" if missing else "") + "），请确认是否已落实",
                  suggestion="确认此处是否为该项计划的落实情况，必要时补充")


@rule("PLN003", "plans-not-evaluated", severity="info",
      summary="提供了上年报告或语料库，但未能核对上年计划的落实情况")
def plans_not_evaluated(ctx: CheckContext) -> Iterator[Hit]:
    """提供了上年报告、语料库或上年计划，但没能核对上年计划的落实情况。

    **作用 What it does**
    用 ``--previous``、``--corpus`` 或事实文件的 ``previous_plans`` 要求核对上年计划时，若找不到
    上年的“下一年度主要安排”（或本年的“主要举措和成效”），说明原因，而不是默认通过。

    **为什么重要 Why it matters**
    “没有发现问题”和“没有检查”不同：审核人员需要知道这一项没有核对。

    **示例 Example**
    ``--corpus corpus/`` 中没有本单位上一年度的文件夹；或上年报告没有“下一年度安排”部分。

    **应改为 Use instead**
    用 ``--previous 上年报告.docx`` 直接指定上年报告，或把上年报告放入语料库
    ``corpus/<单位>/<年度>/``。
    """
    ft = _follow(ctx)
    if ft.asked and ft.reason:
        yield Hit(0, 0, f"未核对上年计划落实情况：{ft.reason}",
                  suggestion="用 --previous 指定上年报告，或检查 --corpus 语料库中本单位上一年度的文件")


def _quote_span(text: str, cand: Any) -> tuple[int, int]:
    """The candidate's heading title, else its first sentence (at most 40 characters)."""
    start, end = cand.start, cand.end
    title = cand.title.rstrip("。．.；;：:，, ")
    if title:
        i = text.find(title, start, end)
        if i >= 0:
            return i, i + len(title)
    seg = text[start:end]
    cut = min((seg.find(c) for c in "。；\n" if seg.find(c) > 0), default=len(seg))
    return start, start + min(cut, 40)
