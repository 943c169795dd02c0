"""CNT — counts: totals and parts, repeated figures, rates and percentages."""

from __future__ import annotations

import re
from functools import cache
from typing import Iterator

from drafter.checker.context import CheckContext
from drafter.checker.finding import Hit
from drafter.checker.metrics import (
    RATE_SENTENCE_ENDS,
    Breakdown,
    figure_text,
    metric_key,
    number_text,
    relations,
    role_mention,
    stock_role,
)
from drafter.checker.rates import (
    change_checks,
    rate_checks,
    rate_name,
    rate_paragraphs,
    share_checks,
    shown_matches,
)
from drafter.checker.registry import rule
from drafter.text.numbers import Quantity


def _qs(ctx: CheckContext) -> list[Quantity]:
    return ctx.quantities




def _num(q: Quantity) -> str:
    return figure_text(q.value, q)


def _sum_text(b: Breakdown) -> str:
    values = "+".join(number_text(q.value / b.total.scale) for q in b.parts)
    return f"{figure_text(b.parts_sum, b.total)}（{values}）"


@rule("CNT001", "parts-total-mismatch", severity="error",
      summary="分项之和与总数不符（“共…其中…”、总数后并列分项）")
def parts_total_mismatch(ctx: CheckContext) -> Iterator[Hit]:
    """总数与其分项对不上。

    **作用 What it does**
    识别“共/合计/累计N件，其中A n1、B n2……”和不带“其中”的“共清理10份，失效2份，废止3份，
    有效5份”两种写法，按单位类别（件/份/项、人/名、人次……）核算：分项属于穷尽分类（清理结果、
    复议受理与审结结果、权责事项类别、案卷评查等次，或含“其他”一项）时，分项之和必须等于总数；
    其他情况下任一分项不得大于总数，分项之和大于总数时提示核对（分项可能交叉时只提醒）。
    “260余”“约300”等约数按其误差范围核算；分类集合见 ``metric_relations.yaml``。
    分项之后同一句中还列有同类数字、只是其名称不在分类集合中（“受理512件，不予受理41件，
    申请人撤回15件”），加上它们后等于总数时，视为列全了，不报告。只点出一两类的（“清理31件，其中
    废止6件”“其中修改4件、宣布失效2件”）不视为列全；“受理49件、不予受理7件”这样一类与其否定
    的两项视为列全。“合格130人，其中优秀41人”中的“其中”分的是紧挨着的前一个数字，不是总数。

    **为什么重要 Why it matters**
    数字对不上是审核中最容易被发现、也最损害报告可信度的错误，多因改稿时只改了总数或某一分项。

    **示例 Example**
    全年共排查化解矛盾纠纷312件，其中邻里纠纷118件、婚姻家庭纠纷74件、物业纠纷63件、
    其他纠纷48件。（分项之和为303件）

    **应改为 Use instead**
    核对原始台账，使总数与各分项一致，例如把总数改为303件，或补正有误的分项。
    """
    for b in ctx.breakdowns:
        total = b.total
        over = [q for q in b.parts if q.low > total.high + 1e-9]
        if over:
            q = over[0]
            yield Hit(b.start, b.end, f"分项“{q.label}{q.raw}”大于总数{total.raw}，分项不应超过总数",
                      suggestion="核对该分项与总数")
            continue
        if b.kind == "overlapping":
            continue
        if b.must_equal and not (b.sum_low <= total.high + 1e-9 and b.sum_high >= total.low - 1e-9) \
                and not b.completed_by_more():
            why = (f"“{b.set_name}”为穷尽分类" if b.set_name and not any(
                q.label.startswith(("其他", "其它", "其余")) for q in b.parts) else "分项含“其他”一项")
            yield Hit(b.start, b.end,
                      f"分项之和为{_sum_text(b)}，与总数{_num(total)}不符（{why}，分项之和应等于总数）",
                      suggestion=f"核对总数{_num(total)}与各分项")
        elif b.sum_low > total.high + 1e-9:
            sev = "error" if b.kind == "exhaustive" else "warning"
            note = "" if sev == "error" else "；如分项互有交叉请注明"
            yield Hit(b.start, b.end, f"分项之和为{_sum_text(b)}，大于总数{_num(total)}{note}",
                      severity=sev, suggestion=f"核对总数{_num(total)}与各分项")


@rule("CNT006", "parts-below-total", severity="warning",
      summary="分项已逐一列出总数所含的各类，合计却少于总数")
def parts_below_total(ctx: CheckContext) -> Iterator[Hit]:
    """总数点明了由哪几类构成，分项也逐类列出，合计却少于总数。

    **作用 What it does**
    总数所在的分句列出了类别（“对食品、药品、特种设备三类领域开展检查2460家次”“审批、核准、
    备案项目共386个”“村（居）人民调解委员会212个”），“其中”后的分项与这些类别一一对应
    （每类一项、每项一类，“居”与“社区”等同一类的两种说法见 ``metric_relations.yaml`` 的
    ``class_synonyms``），而分项之和少于总数时提示。写了“等”“主要”“包括”“部分”，或分项与
    类别对不上时不作判断。

    **为什么重要 Why it matters**
    各类已全部列出，分项之和就应等于总数；少了的部分不知去向，通常是某个分项或总数写错。

    **示例 Example**
    全年对食品、药品、特种设备三类领域开展监督检查2460家次，其中食品生产经营主体1380家次、
    药品经营使用单位526家次、特种设备使用单位498家次。（合计2404家次）

    **应改为 Use instead**
    核对台账，使总数与各类分项一致；确有未列出的类别时写明（如“其他56家次”）。

    **参考 References**
    REPORT-RULES.md §3（分项与总数）；“居”与“社区”：《中华人民共和国城市居民委员会组织法》。
    """
    from drafter.checker.coverage import covered_classes
    from drafter.checker.metrics import _PENDING

    for b in ctx.breakdowns:
        total = b.total
        if b.must_equal or b.kind == "overlapping" or b.sum_high >= total.low - 1e-9 \
                or b.completed_by_more():
            continue
        if _PENDING.search(ctx.text[b.end:b.end + 20].split("。")[0]):
            continue
        cov = covered_classes(ctx.text, b)
        if cov is None:
            continue
        yield Hit(min(b.start, cov.start), b.end,
                  f"分项之和为{_sum_text(b)}，少于总数{_num(total)}：总数列出的“{'、'.join(cov.classes)}”"
                  f"{len(cov.classes)}类已逐一列出，分项之和应等于总数",
                  suggestion=f"核对总数{_num(total)}与各分项")


def _span_with_role(q: Quantity) -> tuple[int, int]:
    """The figure with its label, or with the role noun after it ("3名法律顾问")."""
    role = stock_role(q) or role_mention(q)
    if role and not q.label.endswith(role) and role in q.after:
        return q.label_start, q.end + q.after.index(role) + len(role)
    return q.label_start, q.end


@rule("CNT002", "conflicting-figures", severity="warning",
      summary="同一指标在报告不同位置写成不同数值")
def conflicting_figures(ctx: CheckContext) -> Iterator[Hit]:
    """同一指标前后数值不一致。

    **作用 What it does**
    把名词短语相同（“共”“全年”等前缀不计）、单位类别相同的全年总数视为同一指标，例如两处
    “全年清理规范性文件”；法律顾问、执法人员等人数也视为同一指标，别处提到其中若干人
    （“安排3名法律顾问列席”）时人数不得多于该人数。数值不同（约数超出其误差
    范围）时在后一处提示，并指出前一处所在的行。后文把数字写在名词前面、回指前面的总数时
    （“在受理的1206件住房保障申请中”“对全区45家人力资源服务机构”“66名持证执法人员均参加了”
    “目录内8项重大行政决策”“核查认定的96个违法用地图斑中”）也比较：后一处的名词的每个词都见于前一处的名称、单位类别相同、
    “全区”“市本级”等范围词相同，且只有一个前文数字与之对应时才提示。“其中”“新增”“累计”等子口径、单项活动的
    数字（“围绕春耕，开展检查9次”）、带比较词（由、较上年、不少于）的数字和下一年度安排中的
    目标数不参与比较。

    **为什么重要 Why it matters**
    同一数字前后不一，读者无从判断哪个正确，通常是多人分段起草、改稿不同步造成的。

    **示例 Example**
    聘请律师2名担任常年法律顾问……3名法律顾问全程参与重大事项论证。

    **应改为 Use instead**
    核对后统一为同一数值；确属不同口径的，写明口径（如“新增”“其中”）。
    """
    from drafter.report.info import section_keys, top_section_by_line

    sections = top_section_by_line(ctx.report)
    plans = {line for line, sec in sections.items() if "plans" in section_keys(sec)}
    seen: dict[tuple[str, str], Quantity] = {}
    flagged: set[int] = set()
    for q in _qs(ctx):
        if (q.line or 0) in plans:
            continue
        key = metric_key(q)
        if key is None:
            continue
        first = seen.get(key)
        if first is None:
            seen[key] = q
            continue
        if first.overlaps(q) or (first.line == q.line and not any(
                ch in "。！？；" for ch in ctx.text[first.end:q.start])):
            continue  # agrees, or the same sentence (a comparison, a range)
        s, e = _span_with_role(q)
        fs, fe = _span_with_role(first)
        what = key[0].removeprefix("stock:") + "人数" if key[0].startswith("stock:") else f"“{key[0]}”"
        flagged.add(id(q))
        yield Hit(s, e, f"{what}此处为{q.raw.strip()}，与第{first.line}行的“{ctx.text[fs:fe]}”不一致",
                  suggestion="核对后统一数值，或写明不同的统计口径")
    # A mention of some holders of a role ("安排3名法律顾问列席") above the stated stock.
    for q in _qs(ctx):
        role = role_mention(q)
        if role is None or (q.line or 0) in plans:
            continue
        stock = seen.get(("stock:" + role, q.family or ""))
        if stock is None or q.low <= stock.high + 1e-9 or stock.line == q.line:
            continue
        s, e = q.start, _span_with_role(q)[1]
        fs, fe = _span_with_role(stock)
        flagged.add(id(q))
        yield Hit(s, e, f"此处写{ctx.text[s:e]}，多于第{stock.line}行的{role}人数“{ctx.text[fs:fe]}”",
                  suggestion="核对后统一数值，或写明不同的统计口径")
    # The same figure stated again with its number first ("在受理的1206件申请中").
    from drafter.checker.restated import restatements

    for r in restatements(ctx.text, _qs(ctx), plans):
        if id(r.later) in flagged:
            continue
        q, first = r.later, r.first
        yield Hit(q.start, r.end, f"此处写“{ctx.text[q.start:r.end]}”，与第{first.line}行的"
                  f"“{ctx.text[first.label_start:first.end]}”不一致（同一指标前后数值不同）",
                  suggestion="核对后统一数值，或写明不同的统计口径")


@rule("CNT003", "rate-over-100", severity="error", summary="比率超过100%")
def rate_over_100(ctx: CheckContext) -> Iterator[Hit]:
    """比率（败诉率、办结率、采纳率……）或减少的幅度超过100%。

    **作用 What it does**
    找出标签以“率”结尾（增长率、增幅等除外）或表示减少（减少、下降、压减）的百分数，
    数值大于100%时报错。

    **为什么重要 Why it matters**
    办结率、出庭应诉率等是部分占整体的比例，不可能超过100%；减少的幅度也不可能超过100%。
    出现这种数字，通常是分子分母写反或小数点错位。

    **示例 Example**
    全年受理信访事项214件，办结212件，办结率109.1%。

    **应改为 Use instead**
    按“办结件数 ÷ 受理件数”重新计算：办结率99.1%。
    """
    rel = relations()
    for q in _qs(ctx):
        if not q.is_percent or q.low <= 100 + 1e-9:
            continue
        label = q.label.removesuffix("了")
        is_rate = label.endswith("率") and not label.endswith(("增长率", "增速", "增幅", "上升率"))
        if is_rate or label.endswith(rel.decrease):
            kind = "比率" if is_rate else "减少的幅度"
            yield Hit(q.label_start, q.end, f"{kind}“{label}”为{q.raw}，超过100%",
                      suggestion="核对分子、分母或小数点")


@rule("CNT004", "percentage-mismatch", severity="warning",
      summary="百分比与旁边的数字算出的结果不符")
def percentage_mismatch(ctx: CheckContext) -> Iterator[Hit]:
    """百分比与同一句中的数字重新计算的结果不符。

    **作用 What it does**
    用同一句中的数字重算百分比，按所写的小数位（允许四舍五入或截尾）比较：败诉率 = 败诉 ÷
    应诉（审结），办结率 = 办结 ÷ 受理，采纳率、出庭应诉率、调解成功率、结案率、纠错率等见
    ``metric_relations.yaml``；“由78个减至49个，减少37.2%”按 (78−49) ÷ 78 重算，“41237户，较上年的
    39050户增长5.6%”按 (41237−39050) ÷ 39050 重算；
    “由5%提高到8%，提高3个百分点”按两数之差重算；占比按“部分 ÷ 整体”重算，部分是紧挨在“占”前的
    数字，整体是“占”后点名的数字（“结案3105件……调解成功2036件，占结案数的65.6%”）、句首框定的
    总数（“148项事项中，已有132项实现网办，占89.2%”）或“其中”之前的总数（“办理412件，其中刑事
    案件96件，占23.3%”）。找不到分子或分母时不作判断。

    **为什么重要 Why it matters**
    比率是督察考核的关键指标，与基础数字不符会被认为数据失真。

    **示例 Example**
    一审行政诉讼案件7件，败诉1件，败诉率12.5%。（1 ÷ 7 = 14.3%）

    **应改为 Use instead**
    一审行政诉讼案件7件，败诉1件，败诉率14.3%。
    """
    report, qs = ctx.report, _qs(ctx)
    paras = rate_paragraphs(report, qs)  # one sentence cut for both kinds of check
    for c in rate_checks(report, qs, paras):
        if c.stated.value > 100 or c.matches:
            continue
        num = "+".join(_num(q) for q in c.numerators)
        yield Hit(c.stated.label_start, c.stated.end,
                  f"{c.name}写为{c.stated.raw}，按{num} ÷ {_num(c.denominator)}计算应为"
                  f"{c.computed:.{max(1, c.stated.decimals)}f}%",
                  suggestion=f"{c.stated.label}{c.computed:.{max(1, c.stated.decimals)}f}%")
    for c in share_checks(report, qs, paras):
        if c.matches:
            continue
        digits = max(1, c.stated.decimals)
        yield Hit(c.stated.label_start, c.stated.end,
                  f"占比写为{c.stated.raw}，按{_num(c.part)} ÷ {_num(c.whole)}计算应为"
                  f"{c.computed:.{digits}f}%", suggestion=f"{c.stated.label}{c.computed:.{digits}f}%")
    for c in change_checks(report, qs, paras):
        word = c.stated.label.removesuffix("了")
        wants_decrease = word.endswith(relations().decrease)
        actual_decrease = c.direction == "decrease"
        unit = "个百分点" if c.stated.family == "point" else "%"
        digits = max(1, c.stated.decimals)
        how = (f"较{_num(c.before)}{'减少' if actual_decrease else '增加'}{_num(c.after)}" if c.delta
               else f"由{_num(c.before)}变为{_num(c.after)}")
        if wants_decrease != actual_decrease:
            yield Hit(c.stated.label_start, c.stated.end,
                      f"{how}是{'减少' if actual_decrease else '增加'}，却写作“{word}”",
                      suggestion="核对变化方向")
        elif not shown_matches(c.stated, c.computed):
            yield Hit(c.stated.label_start, c.stated.end,
                      f"{how}，{word}幅度应为{c.computed:.{digits}f}{unit}，而不是{c.stated.raw}",
                      suggestion=f"{word}{c.computed:.{digits}f}{unit}")


# A mark ending the sentence, as one character class (RATE_SENTENCE_ENDS).
_RATE_END = re.compile(f"[{re.escape(RATE_SENTENCE_ENDS)}]")


@cache
def _any_word(words: tuple[str, ...]) -> re.Pattern[str]:
    """A search for any of ``words`` (``any(w in s for w in words)`` in one scan)."""
    return re.compile("|".join(map(re.escape, words)) if words else "(?!)")


def _same_activity(a: str, b: str) -> bool:
    """Whether two labels speak of one activity: paired ("20批12人次"), or sharing a word
    of two characters ("培训3期，培训2人次"); "宣传30场，咨询20人次" is two activities."""
    return a == b or not b or any(b[i:i + 2] in a for i in range(len(b) - 1))


@rule("CNT005", "implausible-figures", severity="info",
      summary="数字之间的关系不合常理（人次少于期数、采纳多于提出等）")
def implausible_figures(ctx: CheckContext) -> Iterator[Hit]:
    """同一句中相关数字的大小关系不合常理，提示核对。

    **作用 What it does**
    提示以下情况（仅作提示）：培训人次少于期数（培训3期，培训2人次）；批次多于人次
    （20批12人次）；采纳意见多于提出意见；办结、审结多于受理；败诉多于应诉。

    **为什么重要 Why it matters**
    这些关系一旦颠倒，多半是数字录错或单位写错（人次写成人、件写成批）。

    **示例 Example**
    全年组织培训3期，培训2人次。

    **应改为 Use instead**
    核对原始记录，如“培训3期，培训260人次”。
    """
    rel = relations()
    qs = [q for q in _qs(ctx) if not q.is_percent]
    text = ctx.text
    for a, b in zip(qs, qs[1:]):
        if a.line != b.line or _RATE_END.search(text, a.end, b.start):
            continue
        if (b.family == "person_time" and a.family in ("session", "batch") and b.high < a.low
                and _same_activity(a.label, b.label)):
            what = "期数/场次" if a.family == "session" else "批次"
            yield Hit(b.label_start, b.end, f"{b.raw}少于前面的{a.raw}（人次通常不少于{what}）",
                      suggestion="核对人次与期数、批次")
    by_line: dict[int, list[Quantity]] = {}
    for q in qs:
        by_line.setdefault(q.line or 0, []).append(q)
    any_smaller = _any_word(tuple(w for smaller, _ in rel.bounded for w in smaller)).search
    for items in by_line.values():
        for i, small in enumerate(items):
            if not any_smaller(small.label):
                continue  # no pair's smaller side
            for smaller, larger in rel.bounded:
                is_smaller, is_larger = _any_word(smaller).search, _any_word(larger).search
                if not is_smaller(small.label):
                    continue
                big = next((q for q in reversed(items[:i]) if q.family == small.family
                            and is_larger(q.label) and "不予" not in q.label
                            and not is_smaller(q.label)
                            and not _RATE_END.search(text, q.end, small.start)), None)
                if big is not None and small.low > big.high + 1e-9 and rate_name(small.label) is None:
                    yield Hit(small.label_start, small.end,
                              f"“{small.label}{small.raw}”多于前面的“{big.label}{big.raw}”，请核对",
                              suggestion="核对两项数字")
                    break
