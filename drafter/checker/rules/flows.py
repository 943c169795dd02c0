"""CNT007 — a stock and its flows that do not add up: "年初1253名，新增112名、注销47名，年末
1381名" (REPORT-RULES.md §3: now = before + new − cancelled, when a baseline is stated)."""

from __future__ import annotations

import re
from typing import Iterator

from drafter.checker.context import CheckContext
from drafter.checker.finding import Hit
from drafter.checker.metrics import RATE_SENTENCE_ENDS, by_paragraph, figure_text, sentence_of
from drafter.checker.registry import rule
from drafter.text.numbers import Quantity

# The stock at the start and at the end of the period, and what flows in and out.
_BEFORE = re.compile(r"(?:年初|期初|上年末|上年底|去年底|上一年末|上年度末)")
_AFTER = re.compile(r"(?:年末|期末|年底|截至年底|截至目前|目前|现有)")
_IN = re.compile(r"(?:新增|增加|新招录|招录|新聘|调入|新取得|新申领|新发放|新核发)$")
_OUT = re.compile(r"(?:注销|减少|调出|退休|离职|解聘|吊销|收回|暂扣|清退)$")


@rule("CNT007", "stock-flow-mismatch", severity="error",
      summary="期初数加增、减去减后与期末数不符（年初N名，新增a名、注销b名，年末M名）")
def stock_flow_mismatch(ctx: CheckContext) -> Iterator[Hit]:
    """期初数、增减数与期末数对不上。

    **作用 What it does**
    在同一句中依次写了期初数（年初、上年末）、增加数（新增、招录、调入）和/或减少数（注销、
    调出、退休）、期末数（年末、现有、目前）且计量单位相同时，核算“期末 = 期初 + 增加 − 减少”。
    约数（约、余）不核算；缺期初数或期末数时不作判断。

    **为什么重要 Why it matters**
    执法人员、持证人数、法律顾问等存量数字逐年延续，增减核算不平说明某个数字写错，
    常见于只改了期末数或增减数。

    **示例 Example**
    年初全县持证执法人员1253名，全年新增112名、注销47名，年末持证执法人员1381名。

    **应改为 Use instead**
    核对台账后统一：年末持证执法人员1318名（1253＋112－47）。
    """
    report, text = ctx.report, ctx.text

    def said(q: Quantity) -> str:  # the words before the figure, 年末/现有 included
        return text[q.label_start:q.start].removesuffix("了")

    # Only the paragraphs with a baseline figure are read (most reports have none).
    lines = {q.line for q in ctx.quantities
             if not q.approx and q.family and _BEFORE.search(text, q.label_start, q.start)}
    if not lines:
        return
    for para in by_paragraph(report, [q for q in ctx.quantities if q.line in lines],
                             RATE_SENTENCE_ENDS):
        qs = [q for q in para.qs if q.family and not q.is_percent]
        for i, base in enumerate(qs):
            if base.approx or not _BEFORE.search(said(base)):
                continue
            sent = sentence_of(para, base.start)
            flows: list[tuple[int, Quantity]] = []
            for q in qs[i + 1:]:
                if sentence_of(para, q.start) != sent or q.family != base.family or q.unit != base.unit:
                    continue
                label = said(q)
                if _AFTER.search(label) and flows:
                    expected = base.value + sum(sign * f.value for sign, f in flows)
                    if not any(f.approx for _, f in flows) and not q.approx \
                            and abs(expected - q.value) > 1e-9:
                        yield Hit(base.label_start, q.end,
                                  f"期初{base.raw}{_signed(flows)}，应为{figure_text(expected, q)}，"
                                  f"与期末{q.raw}不符", suggestion="核对期初、增减和期末数")
                    break
                if _IN.search(label):
                    flows.append((1, q))
                elif _OUT.search(label):
                    flows.append((-1, q))
                else:
                    break  # something else is counted: not this stock's flows


def _signed(flows: list[tuple[int, Quantity]]) -> str:
    return "".join(f"{'加' if sign > 0 else '减'}{f.label}{f.raw}" for sign, f in flows)
