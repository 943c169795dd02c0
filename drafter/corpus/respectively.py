"""Figures stated "respectively": "A、B分别为X、Y" and the changes after them.

"全区社会消费品零售总额、外贸进出口总额分别为286.4亿元、52.3亿元，同比分别增长6.8%、11.2%"
names two things and gives two values: the i-th value is the i-th noun's, and the i-th change
after them is that noun's change. Read figure by figure, the first value would get the last
noun before it (外贸进出口总额 286.4 — the other one's value) and the second none. This module
pairs them for the import (:mod:`drafter.corpus.figures`); when the counts differ it says so,
and neither is imported.
"""

from __future__ import annotations

import re

from drafter.text.numbers import Quantity

# The verb after 分别 (分别为, 分别达到, 分别增长 …).
_RESPECTIVELY = re.compile(r"分别(?:为|是|达到|达|提高到|提高至|提升到|降低到|下降到|增长|下降|增加|减少|"
                           r"提高|降低|占|有)?")
# The words before 分别 that make it the changes of the things just listed (同比分别增长).
_CHANGE_HEADS = ("", "同比", "环比", "较上年", "比上年")
# What joins the listed values (and may stand between the listed nouns).
_JOINS = "、和及与，,"
# Between the listed nouns: 、 and 以及; 和/及/与 where they are not inside a word (及时, 涉及,
# 参与, 和解).
_NOUN_SPLIT = re.compile(r"、|以及|(?<![涉以普顾危触波企])及(?![时格])|(?<![参给赋授])与(?![会否])"
                         r"|(?<![调缓平总共温柔饱])和(?![解谐睦平美])")
# Verbs that list figures of one object (受理、审结行政复议案件 …).
_VERBS = frozenset(("受理", "审结", "办结", "立案", "结案", "查处", "办理", "收到", "新增", "注销", "审查",
                    "审核", "备案", "清理", "制定", "修订", "修改", "废止", "出台", "发放", "接待", "调解"))
_CLAUSE_START = re.compile(r"[，。；：！？,;:!?\n]")
_QUALIFIER = re.compile(r"[\u4e00-\u9fff]{0,8}")
_CHANGE_AFTER = re.compile(r"[，,]\s*(?P<change>(?:同比|环比|较上年|比上年)(?:增长|下降|上升|减少|提高|降低|增加))了?")


def respectively(text: str, qs: list[Quantity]) -> dict[int, str | None]:
    """Labels for the figures (by index in ``qs``) of each "分别" construction of ``text``:
    the noun each value pairs with (and the words right before the value: 每人每月780元和
    每人每年7200元), or None when the nouns and values do not pair (a different count)."""
    out: dict[int, str | None] = {}
    last: list[str] = []  # the nouns of the last construction: its changes may follow
    for m in _RESPECTIVELY.finditer(text):
        run = _values_after(text, qs, m.end())
        if len(run) < 2:
            continue
        lo = max((b.end() for b in _CLAUSE_START.finditer(text, 0, m.start())), default=0)
        head = text[lo:m.start()].strip(" \u3000")
        quals = [q for _i, q in run]
        if head in _CHANGE_HEADS and len(last) == len(run):
            change = head + text[m.start() + 2:m.end()]
            for (i, _q), noun in zip(run, last):
                out[i] = noun + change
            continue
        nouns = [n.strip(" \u3000") for n in _NOUN_SPLIT.split(head) if n.strip(" \u3000")]
        if len(nouns) > 1 and nouns[-1][:2] in _VERBS:
            # 受理、审结行政复议案件: a listed verb shares the last one's object
            nouns = [n + nouns[-1][2:] if n in _VERBS else n for n in nouns[:-1]] + nouns[-1:]
        if quals and quals[0] and not any(quals[1:]):
            quals = [quals[0]] * len(quals)  # 一审、二审分别胜诉12件和5件
        if len(nouns) == len(run):
            labels = [n + q for n, q in zip(nouns, quals)]
        elif len(nouns) == 1 and all(quals):
            labels = [nouns[0] + q for q in quals]  # 低保标准分别提高到每人每月780元和每人每年7200元
        else:
            for i, _q in run:
                out[i] = None
            last = []
            continue
        for (i, _q), label in zip(run, labels):
            out[i] = label
        last = labels
        # "…，同比增长4.0%和5.9%": the changes of the same things, in the same order.
        c = _CHANGE_AFTER.match(text, qs[run[-1][0]].end)
        changes = _values_after(text, qs, c.end()) if c else []
        if c and len(changes) == len(labels):
            for (i, _q), label in zip(changes, labels):
                out[i] = label + c.group("change")
    return out


def _values_after(text: str, qs: list[Quantity], start: int) -> list[tuple[int, str]]:
    """The figures listed from ``start`` on — (index in ``qs``, the words right before each
    value) — while only a join and a few words of qualifier stand between them."""
    run: list[tuple[int, str]] = []
    pos = start
    for i, q in enumerate(qs):
        if q.start < start:
            continue
        gap = text[pos:q.start]
        if run:
            if not gap or gap[0] not in _JOINS and not gap.startswith("以及"):
                break
            gap = gap.lstrip(_JOINS).removeprefix("以及")
        if not _QUALIFIER.fullmatch(gap) or (run and q.is_percent != qs[run[0][0]].is_percent):
            break
        run.append((i, gap))
        pos = q.end
    return run
