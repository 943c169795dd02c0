"""FAC — the report's text against the facts file (``--facts``).

FAC001 recomputes every stated year-over-year change (同比增长9.3%, 较上年的86家次有所增加)
from the two years' facts (:mod:`drafter.facts.yoy`: the metric's ``previous_value``, else the
same metric in last year's facts from ``--corpus``). FAC002 compares a figure written right
after a facts metric's exact label (清理规范性文件10件) with that metric's value.

Precision first: a figure is tied to a metric only when the tie is unambiguous (the label
written out in full, or one metric of that value and unit family); approximate figures are
compared only where an exact answer exists; anything else stays silent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

from drafter.checker.context import CheckContext
from drafter.checker.finding import Hit
from drafter.checker.registry import rule

_LAST_YEAR = r"(?:上年度?|去年|上一年度?|20\d\d年度?)"
CHANGE_RE = re.compile(
    rf"(?P<marker>同比|[较比]{_LAST_YEAR}|与{_LAST_YEAR}相比[，,]?)"
    r"(?:的?(?P<prev>\d+(?:\.\d+)?)(?P<prev_unit>[^\d，。；、\s]{1,3}?))?"
    r"[，,]?(?P<degree>有所|明显|大幅|略有|小幅)?(?P<verb>增长|增加|上升|提高|提升|下降|减少|降低|回落|下滑|持平)"
    r"(?:了)?(?:(?P<pct>\d+(?:\.\d+)?)\s*(?P<pct_unit>%|％|个百分点))?")
_GAP_OK = re.compile(r"^[，,]?\s*$")
_CLAUSE_FILLER = re.compile(r"^(?:全年度?|本年度?|年内|今年|一年来|我局|我委|我办|全局|共|先后|共计|合计|总计|，)*$")
_LABEL_GAP = re.compile(r"^(?:共计|合计|总计|共|达到|达|为|了|是)?$")
_BOUNDARY = "，。；：、！？,;:!?\n（）()“”《》"
MIN_LABEL = 4  # shorter labels (采纳, 修改, 废止) are parts whose words recur elsewhere


def _facts(ctx: CheckContext) -> Any:
    return ctx.options.facts


def _last_year_metrics(ctx: CheckContext) -> list[Any]:
    """Last year's metrics from the corpus (``--corpus``): of the facts file's unit, or (no
    ``--facts``) of the unit and year the report names."""
    def load() -> list[Any]:
        facts, corpus = ctx.options.facts, ctx.options.corpus
        if corpus is None or (facts is not None and not facts.unit.slug):
            return []
        from drafter.corpus.history import History
        from drafter.errors import DrafterError

        try:
            history = (History.for_facts(corpus, facts) if facts is not None
                       else History.for_report(corpus, ctx.report))
            return history.metrics() if history is not None else []
        except DrafterError:
            return []
    return ctx.memo("fac_last_year_metrics", load)


def _previous_value(ctx: CheckContext, m: Any) -> float | None:
    if m.previous_value is not None:
        return m.previous_value
    from drafter.facts.yoy import same_metric

    last = same_metric(m, _last_year_metrics(ctx))
    return None if last is None or last.approx else last.value


def _scale(unit: str) -> tuple[int, str]:
    """(scale, base unit) of a facts unit as the text extractor normalises it (万元 → 10000, 元)."""
    for prefix, scale in (("万", 10000), ("亿", 100000000)):
        if unit.startswith(prefix) and len(unit) > 1:
            return scale, unit[1:]
    return 1, unit


def _scaled(m: Any) -> tuple[float, str]:
    """A facts metric's value and unit as the text extractor normalises them (412.6万元 → 元)."""
    scale, unit = _scale(m.unit)
    return m.value * scale, unit


def _family(unit: str | None) -> str | None:
    from drafter.text.numbers import UNIT_FAMILIES

    if unit in ("%", "％"):
        return "percent"
    return UNIT_FAMILIES.get(unit or "")


@dataclass
class _Stated:
    q: Any  # the Quantity the change is about
    m: Any  # the facts metric it is (without --facts: last year's metric of the same label)
    match: re.Match
    offset: int  # paragraph offset
    value: float | None = None  # this year's figure when it is read from the text (no --facts)


def _quantities(ctx: CheckContext) -> list[Any]:
    from drafter.text.numbers import quantities

    return ctx.memo("quantities", lambda: quantities(ctx.report))


def _metric_for(q: Any, metrics: list[Any]) -> Any:
    """The one facts metric a quantity in the text is: same value and unit family, preferring
    a matching label; None when none or several fit."""
    if q.approx or q.family is None:
        return None
    fits = []
    for m in metrics:
        if m.approx:
            continue
        value, unit = _scaled(m)
        if _family(unit) == q.family and abs(value - q.value) < 1e-9:
            fits.append(m)
    labelled = [m for m in fits if q.label and (q.label.endswith(m.label) or m.label.endswith(q.label))]
    if len(labelled) == 1:
        return labelled[0]
    return fits[0] if len(fits) == 1 else None


def _last_years_metric_for(q: Any, last: list[Any]) -> Any:
    """Last year's metric a figure of this year's text is, by label (the same label, or one
    ending the other of at least MIN_LABEL characters) and unit; None unless exactly one."""
    if q.approx or q.family is None or not q.label:
        return None
    fits = []
    for m in last:
        if m.approx or _scale(m.unit)[1] != q.unit:
            continue
        short, long = sorted((m.label, q.label), key=len)
        if m.label == q.label or (len(short) >= MIN_LABEL and long.endswith(short)):
            fits.append(m)
    return fits[0] if len(fits) == 1 else None


def _stated_changes(ctx: CheckContext) -> list[_Stated]:
    facts = _facts(ctx)
    metrics = facts.all_metrics() if facts is not None else []
    last = [] if facts is not None else _last_year_metrics(ctx)
    qs = _quantities(ctx)
    out = []
    for p in ctx.report.paragraphs:
        if p.role in ("blank", "date", "title") or "同比" not in p.text and "上年" not in p.text \
                and "去年" not in p.text and not re.search(r"[较比与]20\d\d年", p.text):
            continue
        mine = [q for q in qs if p.offset <= q.start < p.end]
        for mt in CHANGE_RE.finditer(p.text):
            start = p.offset + mt.start()
            before = [q for q in mine if q.end <= start]
            if not before:
                continue
            q = before[-1]
            if not _GAP_OK.match(ctx.text[q.end:start]):
                continue
            if facts is not None:
                m = _metric_for(q, metrics)
                if m is not None:
                    out.append(_Stated(q, m, mt, p.offset))
                continue
            m = _last_years_metric_for(q, last)
            if m is not None:
                out.append(_Stated(q, m, mt, p.offset, value=q.value / _scale(m.unit)[0]))
    return out


@rule("FAC001", "year-over-year-contradicts-facts", severity="error",
      summary="同比变化（增长/下降x%、较上年增加）与两年的事实数据不符")
def year_over_year_contradicts_facts(ctx: CheckContext) -> Iterator[Hit]:
    """报告写的同比变化与本年、上年事实数据算出的结果不符。

    **作用 What it does**
    用 ``--facts`` 核对时，找出“94家次，同比增长9.3%”“较上年的86家次有所增加”这类说法，
    把前面的数字对应到事实文件中的指标，用本年数值和上年数值（指标的 ``previous_value``，
    或 ``--corpus`` 中上一年度事实文件的同一指标）重新计算：变化方向必须一致，百分比按
    报告所写的小数位四舍五入后必须相等（允许末位半个单位的误差）；比率（%）的变化按
    “个百分点”计算。写明的上年数字也要与上年数值一致。无法确定对应指标或缺少上年数值的，
    不判断。只给 ``--corpus`` 不给 ``--facts`` 时，本年数字取报告所写，上年数字取语料库中
    本单位上一年度事实文件（可由 ``drafter corpus add`` 从往年报告导入）里名称和单位相同的指标。

    **为什么重要 Why it matters**
    同比数字是审核时最常被追问的内容，常见错误是手算出错、拿错基数或把增加写成减少。
    程序从两年的事实数据计算，不靠估算。

    **示例 Example**
    事实文件：抽查94家次，上年86家次；报告写“开展“双随机、一公开”抽查94家次，同比增长12.5%”。

    **应改为 Use instead**
    按事实数据改为“同比增长9.3%”（(94−86)÷86×100%，保留一位小数），或在事实文件中用
    ``{inspections.yoy}`` 由程序生成。
    """
    if _facts(ctx) is None and ctx.options.corpus is None:
        return
    from drafter.facts.render import format_quantity
    from drafter.facts.yoy import DOWN_WORDS, UP_WORDS, change

    for st in _stated_changes(ctx):
        m, mt = st.m, st.match
        # Without --facts, this year's figure is the one written; last year's is m itself.
        now, prev = (m.value, _previous_value(ctx, m)) if st.value is None else (st.value, m.value)
        s, e = st.offset + mt.start(), st.offset + mt.end()
        if prev is None:
            continue
        now_text = format_quantity(now, m.unit)
        prev_text = format_quantity(prev, m.unit)
        if (mt.group("prev") is not None and mt.group("prev_unit") == m.unit
                and abs(float(mt.group("prev")) - prev) > 1e-9):
            yield Hit(s, e, f"写明的上年数字“{mt.group('prev')}{mt.group('prev_unit')}”与事实不符："
                            f"“{m.label}”上年为{prev_text}")
            continue
        verb = mt.group("verb")
        stated_dir = "up" if verb in UP_WORDS else "down" if verb in DOWN_WORDS else "flat"
        pct = mt.group("pct")
        points = mt.group("pct_unit") == "个百分点"
        ch = change(now, prev, m.unit, points=points if pct else None)
        if ch is None:
            continue
        basis = "按事实" if st.value is None else "按语料库中上一年度的事实"
        facts_says = f"{basis}，“{m.label}”本年{now_text}、上年{prev_text}，应为“{ch.text()}”"
        if ch.direction != stated_dir:
            yield Hit(s, e, f"变化方向与事实不符：{facts_says}", suggestion=ch.text())
            continue
        if pct is None or stated_dir == "flat":
            continue
        # A rate (%) stated as "提高2.5%" may mean points or the relative change: either fits.
        alternatives = [ch] + ([change(now, prev, m.unit, points=True)]
                               if m.unit in ("%", "％") and not points else [])
        if not any(a is not None and _close(pct, a.exact) for a in alternatives):
            yield Hit(s, e, f"同比变化幅度与事实不符：{facts_says}（按报告的小数位四舍五入）",
                      suggestion=ch.text())


def _close(stated: str, exact: float) -> bool:
    """Whether ``stated`` (as written) is ``exact`` rounded to the decimals shown (± half a unit
    of the last digit)."""
    decimals = len(stated.split(".")[1]) if "." in stated else 0
    return abs(float(stated) - abs(exact)) <= 0.5 * 10 ** -decimals + 1e-9


@rule("FAC002", "figure-contradicts-facts", severity="error",
      summary="报告中紧跟指标名称的数字与事实文件中该指标的数值不符")
def figure_contradicts_facts(ctx: CheckContext) -> Iterator[Hit]:
    """报告写出的某项数字与事实文件中同名指标的数值不一致。

    **作用 What it does**
    用 ``--facts`` 核对时，在正文中查找事实文件各指标的完整名称（至少4个字，如“清理规范性文件”），
    名称之前只有“全年”“共”等修饰、名称之后紧跟数字的（“全年清理规范性文件10件”），把数字与该指标
    的数值比较；单位类别不同、带“新增”“累计”“其中”“上年”等限定的、事实数据本身是约数的，不比较。

    **为什么重要 Why it matters**
    报告在多轮修改中常改了数字却没有同步事实数据，或把上年的数字留在了本年报告里；
    事实文件是各科室报来的依据，两者不一致必须核实。

    **示例 Example**
    事实文件：清理规范性文件12件；报告写“对照优化营商环境要求，清理规范性文件10件”。

    **应改为 Use instead**
    核实后统一：改为“清理规范性文件12件”，或更正事实文件。
    """
    facts = _facts(ctx)
    if facts is None:
        return
    from drafter.facts.render import metric_quantity

    text = ctx.text
    qs = _quantities(ctx)
    labels: dict[str, list[Any]] = {}
    for m in facts.all_metrics():
        if len(m.label) >= MIN_LABEL and not m.approx:
            labels.setdefault(m.label, []).append(m)
    for label, ms in labels.items():
        if len({(m.value, m.unit) for m in ms}) != 1:
            continue  # the same label for different figures: ambiguous
        m = ms[0]
        value, unit = _scaled(m)
        family = _family(unit)
        for p in ctx.report.paragraphs:
            if p.role in ("blank", "date", "title", "recipient", "signature") or label not in p.text:
                continue
            for mt in re.finditer(re.escape(label), p.text):
                s, e = p.offset + mt.start(), p.offset + mt.end()
                if not _plain_clause(p.text, mt.start()):
                    continue
                q = next((q for q in qs if e <= q.start <= e + 4 and p.offset <= q.start < p.end), None)
                if q is None or not _LABEL_GAP.match(text[e:q.start]) or q.family != family:
                    continue
                if q.scope in ("new", "cumulative", "part"):
                    continue
                if q.low - 1e-9 <= value <= q.high + 1e-9:
                    continue
                yield Hit(s, q.end, f"“{label}”在事实文件中为{metric_quantity(m)}，此处写作{q.display()}",
                          suggestion=f"{label}{metric_quantity(m)}")


def _plain_clause(text: str, i: int) -> bool:
    """Whether only filler (全年, 共, 我局 …) stands between the clause start and index ``i``,
    outside 《》 — so the label is the clause's subject, not 新增/上年/其中 … of it."""
    j = i
    while j > 0 and text[j - 1] not in _BOUNDARY:
        j -= 1
    if text.count("《", 0, i) > text.count("》", 0, i):
        return False
    return bool(_CLAUSE_FILLER.match(text[j:i]))
