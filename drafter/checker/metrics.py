"""Relations between a report's figures: breakdowns (total → parts) and stocks.

The figures come from :func:`drafter.text.numbers.quantities`; which labels form an exhaustive
set, how a rate is computed and which nouns are stocks is data
(``checker/data/metric_relations.yaml``). The CNT rules report what these relations violate;
the functions here only find the relations, so tests (and the drafter's grounding) can look
at them directly. Rates and percentage changes are in :mod:`drafter.checker.rates`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Callable

from drafter.text.numbers import Quantity
from drafter.report import Report

if TYPE_CHECKING:  # pragma: no cover
    from drafter.text.placeholders import PlaceholderPattern

SENTENCE_ENDS = "。！？；;!?"  # a breakdown never crosses these
RATE_SENTENCE_ENDS = "。！？!?"  # a rate may use a figure before a 分号


@dataclass(frozen=True)
class LabelSet:
    name: str
    members: tuple[str, ...]
    totals: re.Pattern[str] | None
    exhaustive: bool


@dataclass(frozen=True)
class RateDef:
    name: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    summed: bool  # numerator is the sum of every matching figure (纠错率)


@dataclass(frozen=True)
class Relations:
    sets: tuple[LabelSet, ...]
    catch_all: tuple[str, ...]
    rates: tuple[RateDef, ...]
    decrease: tuple[str, ...]
    increase: tuple[str, ...]
    stock_nouns: tuple[str, ...]
    stock_verbs: tuple[str, ...]
    bounded: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]


@cache
def relations() -> Relations:
    """The data of ``metric_relations.yaml``, loaded once."""
    from drafter.datafiles import load_data

    raw = load_data("metric_relations.yaml")
    sets = [LabelSet(s["name"], tuple(s["members"]), re.compile(s["totals"]), True)
            for s in raw["exhaustive_sets"]]
    sets += [LabelSet(s["name"], tuple(s["members"]), None, False) for s in raw["overlapping_sets"]]
    rates = tuple(RateDef(r["name"], tuple(r.get("numerator") or r.get("numerator_sum")),
                          tuple(r["denominator"]), "numerator_sum" in r) for r in raw["rates"])
    return Relations(
        sets=tuple(sets), catch_all=tuple(raw["catch_all"]["members"]), rates=rates,
        decrease=tuple(raw["changes"]["decrease"]), increase=tuple(raw["changes"]["increase"]),
        stock_nouns=tuple(raw["stock_nouns"]["nouns"]), stock_verbs=tuple(raw["stock_nouns"]["verbs"]),
        bounded=tuple((tuple(b["smaller"]), tuple(b["larger"])) for b in raw["bounded_pairs"]))


def member_of(label: str, members: tuple[str, ...]) -> str | None:
    """The longest member contained in ``label`` ("不予受理" beats "受理"), allowing a short
    noun around it ("失效文件", "予以撤销"); None if no member fits."""
    best = None
    for m in members:
        if m in label and len(label) <= len(m) + 5 and (best is None or len(m) > len(best)):
            best = m
    return best


def is_catch_all(label: str) -> bool:
    return label.startswith(relations().catch_all)


def first_of(text: str, chars: str) -> int | None:
    """Index of the first of ``chars`` in ``text``; None when there is none."""
    best = len(text)
    for ch in chars:
        i = text.find(ch, 0, best)
        if i >= 0:
            best = i
    return best if best < len(text) else None


# ---- sentences ----

@dataclass
class Para:
    offset: int
    text: str
    qs: list[Quantity]
    ends: list[int]  # offsets of sentence-ending marks


def by_paragraph(report: Report, qs: list[Quantity], enders: str) -> list[Para]:
    groups: dict[int, list[Quantity]] = {}
    for q in qs:
        groups.setdefault(q.line or 0, []).append(q)
    out = []
    for line, items in groups.items():
        p = report.paragraphs[line - 1]
        ends = [p.offset + m.start() for m in _ender_re(enders).finditer(p.text)]
        out.append(Para(p.offset, p.text, items, ends))
    return out


@cache
def _ender_re(enders: str) -> re.Pattern[str]:
    return re.compile(f"[{re.escape(enders)}]")


def sentence_of(para: Para, offset: int) -> int:
    return bisect.bisect_left(para.ends, offset)


def gap(para: Para, a: int, b: int) -> str:
    return para.text[a - para.offset:b - para.offset]


# ---- breakdowns ----

@dataclass
class Breakdown:
    """A total and its parts: ``kind`` is ``exhaustive`` (a known exhaustive set or a
    catch-all part), ``overlapping`` (parts may overlap) or ``open`` (unknown labels).
    ``must_equal`` says the parts must add up to the total. ``start``/``end`` span the
    statement (the total's clause to the last part)."""

    total: Quantity
    parts: list[Quantity]
    kind: str
    set_name: str | None
    must_equal: bool
    start: int
    end: int
    form: str = "其中"
    # Figures of the same kind right after the parts, in the same sentence, whose labels the
    # label set does not name ("受理512件，不予受理41件，申请人撤回15件"): the list may go on.
    more: tuple[Quantity, ...] = ()

    def completed_by_more(self) -> bool:
        """Whether the parts and the first one or more of :attr:`more` add up to the total:
        the statement then lists one more item than the label set knows, and is consistent."""
        low, high, total = self.sum_low, self.sum_high, self.total
        for q in self.more:
            low, high = low + q.low, high + q.high
            if low <= total.high + 1e-9 and high >= total.low - 1e-9:
                return True
        return False

    @property
    def parts_sum(self) -> float:
        return sum(q.value for q in self.parts)

    @property
    def sum_low(self) -> float:
        return sum(q.low for q in self.parts)

    @property
    def sum_high(self) -> float:
        return sum(q.high for q in self.parts)


_PENDING = re.compile(r"另有|尚有|正在|尚未|未办结|待办|在办|审理中|办理中")


@lru_cache(maxsize=8192)
def _label_sets(label: str) -> frozenset[int]:
    """Indices (in ``relations().sets``) of the label sets ``label`` is a member of."""
    return frozenset(i for i, s in enumerate(relations().sets) if member_of(label, s.members))


def _classify(parts: list[Quantity]) -> tuple[str, LabelSet | None]:
    common: frozenset[int] | None = None
    for q in parts:
        if is_catch_all(q.label):
            continue
        common = _label_sets(q.label) if common is None else common & _label_sets(q.label)
        if not common:
            return "open", None
    if not common:
        return "open", None
    s = relations().sets[min(common)]
    return ("exhaustive" if s.exhaustive else "overlapping"), s


def number_text(v: float) -> str:
    """``v`` as a message writes it: no trailing zeros (12.5, 300)."""
    return f"{v:.4f}".rstrip("0").rstrip(".")


def figure_text(value: float, like: Quantity) -> str:
    """``value`` written in the unit and scale of ``like`` (4126000 like 412.6万元 → 412.6万元)."""
    scale = {10000: "万", 100000000: "亿"}.get(like.scale, "")
    return f"{number_text(value / like.scale)}{scale}{like.unit or ''}"


# A figure of another time the text compares with ("较上年的52件", "比去年同期的", "同比").
_EARLIER = re.compile(r"(?:较|比)(?:上年|去年|上一年|同期|\d{4}年)|上年同期|去年同期|同比|环比")


def states_change(q: Quantity) -> bool:
    """Whether ``q`` is not how much there is now but by how much it changed ("同比增加4件",
    "比上年减少3件") or how much there was before ("较上年的52件")."""
    rel = relations()
    return q.label.removesuffix("了").endswith(rel.increase + rel.decrease) \
        or bool(_EARLIER.search(q.label))


def _entries(para: Para, items: list[Quantity]) -> list[list[Quantity]]:
    """Items grouped with the figures paired to them ("集体访6批次120人次" is one entry)."""
    groups: list[list[Quantity]] = []
    for q in items:
        if groups and q.label_start == q.start and gap(para, groups[-1][-1].end, q.start) == "":
            groups[-1].append(q)
        else:
            groups.append([q])
    return groups


def _pick(entry: list[Quantity], family: str) -> Quantity | None:
    return next((q for q in entry if q.family == family and not q.is_percent), None)


# What joins the parts of a list: a comma (when the next label belongs to the same set), or
# one of the connectives.
_COMMAS = ("，", ",")
_CONNECTIVES = ("、", "和", "及", "以及", "与")
_LIST_JOINS = _COMMAS + _CONNECTIVES


def _chain(para: Para, entries: list[list[Quantity]], family: str) -> list[Quantity]:
    """The parts list starting with ``entries[0]``: entries joined by 、 (or by ， when the
    next label belongs to the same set), each with a figure of ``family``."""
    parts: list[Quantity] = []
    prev_end = 0
    for entry in entries:
        q = _pick(entry, family)
        if q is None:
            break
        if parts:
            if q.scope == "part" and parts[-1].scope != "part":
                break  # "合格146人，其中优秀52人": a part of the figure before, not of the total
            sep = gap(para, prev_end, entry[0].label_start)
            label = entry[0].label
            if sep in _COMMAS:
                kind, s = _classify(parts)
                if not label or not (is_catch_all(label) or (s and member_of(label, s.members))):
                    break
            elif sep not in _CONNECTIVES:
                break
        parts.append(q)
        prev_end = entry[-1].end
    return parts


def _more(para: Para, entries: list[list[Quantity]], prev_end: int, family: str
          ) -> tuple[Quantity, ...]:
    """The figures of ``family`` in ``entries`` (those after a chain ending at ``prev_end``)
    that go on listing: each entry joined to the one before it as a part would be, whatever
    its label."""
    out: list[Quantity] = []
    for entry in entries:
        q = _pick(entry, family)
        if q is None or gap(para, prev_end, entry[0].label_start) not in _LIST_JOINS:
            break
        out.append(q)
        prev_end = entry[-1].end
    return tuple(out)




def _clause_start(para: Para, items: list[Quantity], q: Quantity) -> int:
    """Where the statement of ``q`` begins, including a figure paired before it (20批500人次)."""
    i = next(k for k, x in enumerate(items) if x is q)  # by identity: == compares every field
    while i > 0 and q.label_start == q.start and gap(para, items[i - 1].end, q.start) == "":
        i -= 1
        q = items[i]
    return q.label_start


def _make(para: Para, total: Quantity, parts: list[Quantity], form: str,
          entries: list[list[Quantity]]) -> Breakdown:
    """The breakdown of ``total`` into ``parts``, the figures of the first ``len(parts)`` of
    ``entries`` (the entries after them may go on listing: :func:`_more`)."""
    kind, s = _classify(parts)
    catch = any(is_catch_all(q.label) for q in parts)
    tail = para.text[parts[-1].end - para.offset:]
    tail = tail[:first_of(tail, SENTENCE_ENDS)]
    must = catch or bool(kind == "exhaustive" and s and s.totals and s.totals.search(total.label)
                         and not _PENDING.search(tail) and _listed_in_full(parts, s))
    if catch:
        kind = "exhaustive"
    return Breakdown(total, parts, kind, s.name if s else None, must,
                     _clause_start(para, para.qs, total), parts[-1].end, form,
                     _more(para, entries[len(parts):], entries[len(parts) - 1][-1].end,
                           total.family or ""))


# A member and its negation: two parts that are the whole between them (受理/不予受理).
_NEGATION = re.compile(r"^(?:不予|不|未|非|没有|无)")


def _listed_in_full(parts: list[Quantity], s: LabelSet) -> bool:
    """Whether the parts can be the whole of an exhaustive classification rather than some of
    its classes singled out ("其中废止5件", "其中修改3件、废止5件"): three classes or more, or
    two that are a class and its negation (受理121件、不予受理16件)."""
    if len(parts) >= 3:
        return True
    if len(parts) < 2:
        return False
    a, b = (member_of(q.label, s.members) or q.label for q in parts)
    return any(y != x and _NEGATION.sub("", y) == x for x, y in ((a, b), (b, a)))


def _unreadable(para: Para, b: Breakdown, patterns: tuple) -> bool:
    """Whether a breakdown cannot be checked from the text: a figure of its sentence is a
    placeholder ("行政强制X项", "共有事项XX项"), or the paragraph stops before the sentence does
    (a breakdown split across lines, "不合格⏎卷21卷"), so parts may be missing from it.
    ``patterns``: the placeholder patterns the whole report could hold."""
    from drafter.text.placeholders import find_placeholders

    rest = para.text[b.end - para.offset:]
    cut = first_of(rest, SENTENCE_ENDS)
    if cut is None and rest.strip():
        return True  # the sentence runs on into the next line
    stop = b.end + (len(rest) if cut is None else cut)
    lo = min(b.start, b.total.start) - para.offset
    return bool(find_placeholders(para.text[max(lo, 0):stop - para.offset], patterns))


def breakdowns(report: Report, qs: list[Quantity],
               placeholders: "Callable[[], tuple[PlaceholderPattern, ...]] | None" = None
               ) -> list[Breakdown]:
    """Every "total … 其中 parts" and "total, part, part" statement of the report, except those
    that cannot be checked (:func:`_unreadable`: a placeholder figure, a sentence split across
    lines) — not evaluated rather than reported. ``placeholders`` gives the placeholder
    patterns the report's text could match (default: found here)."""
    from drafter.text.placeholders import possible_placeholders

    found = _all_breakdowns(report, qs)
    # The placeholder patterns the whole report could hold (a sentence holds no others).
    if not found:
        patterns: tuple = ()
    else:
        patterns = placeholders() if placeholders else possible_placeholders(report.text)
    return [b for para, b in found if not _unreadable(para, b, patterns)]


def _all_breakdowns(report: Report, qs: list[Quantity]) -> list[tuple[Para, Breakdown]]:
    out: list[tuple[Para, Breakdown]] = []
    for para in by_paragraph(report, qs, SENTENCE_ENDS):
        items = [q for q in para.qs if q.family and not q.is_percent]
        used: set[int] = set()
        for m in re.finditer("其中", para.text):
            k = para.offset + m.start()
            sent = sentence_of(para, k)
            after = _entries(para, [q for q in items if q.start >= k + 2
                                    and sentence_of(para, q.start) == sent])
            if not after or any(ch in "，,、：:" for ch in gap(para, k + 2, after[0][0].start)):
                continue
            for first in after[0]:
                # The total: the last figure of the kind before 其中 that is neither a change
                # nor last year's ("受理12件，同比增加4件，其中实名7件、匿名5件": of the 12).
                before = [q for q in items if q.end <= k and sentence_of(para, q.start) == sent
                          and q.family == first.family and not states_change(q)]
                if not before:
                    continue
                parts = _chain(para, after, first.family)
                out.append((para, _make(para, before[-1], parts, "其中", after)))
                used.update(id(q) for q in parts)
        # Total-then-parts without 其中: "共清理10份，失效2份，废止3份，有效5份".
        entries = _entries(para, items)
        for i, t_entry in enumerate(entries[:-2]):
            for total in t_entry:
                nxt = entries[i + 1]
                first = _pick(nxt, total.family)
                # Without 其中, parts count the total's own things in its own measure word
                # ("共清理10份，失效2份，废止3份"; not "调解组织212个，调解纠纷3846件").
                if (first is None or id(total) in used or total.scope == "part"
                        or id(first) in used or first.scope == "part"
                        or first.unit != total.unit or states_change(total)
                        or sentence_of(para, nxt[0].start) != sentence_of(para, total.start)
                        or gap(para, t_entry[-1].end, nxt[0].label_start) not in ("，", ",", "：", ":")):
                    continue
                kind, s = _classify([first])
                if kind != "exhaustive" or s is None or member_of(total.label, s.members):
                    continue
                parts = _chain(para, entries[i + 1:], total.family)
                if len(parts) < 2 or _classify(parts)[1] is not s:
                    continue
                out.append((para, _make(para, total, parts, "并列", entries[i + 1:])))
                used.update(id(q) for q in parts)
    return out


# ---- stocks and repeated metrics ----

_SUBJECT = re.compile(r"^(?:全(?:县|市|区|局|镇|乡|省|系统|支队|大队|委)|我(?:局|委|办|县|市|区)|本(?:局|委|办)"
                      r"|(?:县|市|区|镇|乡)(?:政府|人民政府)|局机关|街道|目前|现有)+")
_COMPARE = re.compile(r"由|从|较|比|上年|去年|上一年|同期|同比|至$|到$|每|不少于|以上|目标|力争|预计|计划")


def stock_role(q: Quantity) -> str | None:
    """The role a person count states the number of (法律顾问, 执法人员), when the figure is a
    stock ("聘请法律顾问3名", "全县846名执法人员") and not an event ("注销2名执法人员")."""
    if q.family != "person" or q.approx or q.scope in ("part", "new", "cumulative"):
        return None
    rel = relations()
    label = _SUBJECT.sub("", q.label)
    if "每" in q.label:
        return None
    role = next((n for n in rel.stock_nouns if label.endswith(n)), None)
    if role is None:
        after = re.sub(r"^(?:的|担任|作为|任|为)?(?:常年|专职|兼职|特聘)?", "", q.after)
        role = next((n for n in rel.stock_nouns if after.startswith(n)), None)
    if role is None:
        return None
    if label and not label.startswith(rel.stock_verbs) and label != role:
        return None
    return "执法人员" if role == "行政执法人员" else role


# A head count that is a subset of the stock by nature (trained, newly hired, …) or counts
# attendances: never compared with the stock.
_NOT_A_SUBSET_OF_STOCK = re.compile(r"培训|参训|轮训|参加|参与|考试|考核|招录|新增|新聘|累计|次|每|约|近|超过")


def role_mention(q: Quantity) -> str | None:
    """The stock role a person count names when it is not itself the stock ("安排3名法律顾问
    列席"): such a mention names some of the role's holders, so it cannot exceed the stock."""
    if q.family != "person" or q.approx or q.scope in ("part", "new", "cumulative") or stock_role(q):
        return None
    if _NOT_A_SUBSET_OF_STOCK.search(q.label) or _COMPARE.search(q.label):
        return None
    after = re.sub(r"^(?:的|常年|专职|兼职|特聘)*", "", q.after)
    role = next((n for n in relations().stock_nouns if after.startswith(n)), None)
    if role is None or _NOT_A_SUBSET_OF_STOCK.search(after[len(role):len(role) + 6]):
        return None
    return "执法人员" if role == "行政执法人员" else role


def metric_key(q: Quantity) -> tuple[str, str] | None:
    """What a figure measures, when that is specific enough to compare across the report:
    a stock role, or the whole year's total (全年/共 …) under a label of four or more characters
    with no comparison words. Figures of one campaign or one case ("围绕春耕，开展检查9次") are
    not compared: the same words there may well count different things."""
    role = stock_role(q)
    if role:
        return ("stock:" + role, q.family or "")
    if q.scope != "year" or len(q.label) < 4 or _COMPARE.search(q.label):
        return None
    return (q.label, q.family or "")
