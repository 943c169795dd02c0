"""DAT008 — a figure stated as of a day after the report was written ("截至2025年3月底" in a
report dated 2025年2月20日): a count that cannot be known yet."""

from __future__ import annotations

import calendar
import re
from typing import Iterator

from drafter.checker.context import CheckContext
from drafter.checker.finding import Hit
from drafter.checker.registry import rule

# 截至/截止(到) + a day, a month (its end) or a year (its end): "截至2025年3月底",
# "截止到2025年6月30日", "截至2026年底".
_AS_OF = re.compile(r"截(?:至|止(?:到|至)?)\s*((?:19|20)\d\d)\s*年\s*(?:(\d{1,2})\s*月\s*"
                    r"(?:(\d{1,2})\s*[日号]|底|末|份)?|底|末)")


@rule("DAT008", "as-of-date-after-report-date", severity="warning",
      summary="“截至某日”的统计时点晚于成文日期（尚未到来的日子）")
def as_of_date_after_report_date(ctx: CheckContext) -> Iterator[Hit]:
    """“截至……”的统计时点在成文日期之后。

    **作用 What it does**
    查找“截至2025年3月底”“截止到2025年6月30日”“截至2026年底”等统计时点（写到月的按月底、
    写到年的按年底计），晚于成文日期时提示。下一年度安排部分不查（那里写的是目标时点）；
    没有成文日期时不作判断。

    **为什么重要 Why it matters**
    成文时尚未到来的日子不可能有统计数字：多是年份或月份写错，或套用了别的报告。

    **示例 Example**
    截至2025年3月底，全县参保41.26万人。（成文日期2025年2月20日）

    **应改为 Use instead**
    截至2024年底，全县参保41.26万人。
    """
    d = ctx.report_date
    if d is None or not d.valid or "截" not in ctx.text:
        return
    written = d.as_tuple()
    plans = [(sec.heading.paragraph.offset, _end(ctx, sec))
             for sec in ctx.report.sections_for("plans")]
    for p in ctx.report.paragraphs:
        if p.role in ("blank", "date", "appendix") or "截" not in p.text \
                or any(a <= p.offset < b for a, b in plans):
            continue
        yield from _after(p.text, p.offset, written, d.raw)


def _after(text: str, base: int, written: tuple[int, int, int], raw: str) -> Iterator[Hit]:
    for m in _AS_OF.finditer(text):
        year = int(m.group(1))
        month = int(m.group(2)) if m.group(2) else 12
        if not 1 <= month <= 12:
            continue  # DAT004's
        day = int(m.group(3)) if m.group(3) else calendar.monthrange(year, month)[1]
        if (year, month, day) > written:
            yield Hit(base + m.start(), base + m.end(), f"统计时点“{m.group()}”晚于成文日期{raw}，"
                      "成文时尚无此时的数字", suggestion="核对年份、月份（如应为上一年底）")


def _end(ctx: CheckContext, sec) -> int:
    """Where section ``sec`` ends in the report's text."""
    after = [s.heading.paragraph.offset for s in ctx.report.sections
             if s.heading.paragraph.offset > sec.heading.paragraph.offset]
    return min(after) if after else len(ctx.text)
