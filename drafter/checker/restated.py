"""A figure stated a second time in another word order (REPORT-RULES.md §3: "the same metric
stated twice must have the same value").

The first statement names the thing and then the figure ("全区登记在册的人力资源服务机构47家",
"全年受理住房保障申请1260件"); a later one often puts the figure first and refers back to the
whole: "对全区45家人力资源服务机构开展检查", "在受理的1206件住房保障申请中",
"66名持证执法人员均参加了培训". Such a later mention is recognised by a *reference signal*
(:data:`_FRAME`, :data:`_BARE_FRAME` with 中 after, :data:`_WHOLE`, :data:`_LISTED` before
the figure, :data:`_ALL_AFTER` after its noun) and matched to the
earlier figure whose label holds every word of its noun (jieba words, unit family equal,
scope words such as 全区/市本级 equal; the earlier figure's last word, the thing it counts,
among them). Ambiguous matches (several earlier figures with
different values) and mentions inside the plans are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from drafter.text.numbers import Quantity

# Signals that a mention refers back to a figure stated before (the whole set, not a part):
# a frame "在/对 + verb + 的 N X" (the verb of the first statement, or "…中/基础上"), the whole
# "全区/全局/现有 N X", a list "目录内/清单内 N X", or "N X 均/全部 …" (every one of them).
_FRAME = re.compile(r"(?:在|对)([\u4e00-\u9fff]{2})的$")
# The same frame without 在/对 ("核查认定的69个违法用地图斑中"): a whole only with 中 after
# and the verb of the first statement ("经核查认定违法用地图斑96个"), not a qualifier (涉企的).
_BARE_FRAME = re.compile(r"([\u4e00-\u9fff]{2})的$")
_FRAME_END = re.compile(r"^(?:中|之中|当中|基础上)")
_WHOLE = re.compile(r"(?:全[县市区局省委镇乡]|全系统|现有)$")
_LISTED = re.compile(r"(目录|清单)内$")
_ALL_WORDS = "均|全部|都|悉数"  # words of at most 4 characters
_ALL_AFTER = re.compile(f"^(?:{_ALL_WORDS})")
_ALL_AFTER_ANYWHERE = re.compile(_ALL_WORDS)
# A first statement of a whole: 全区/现有/共有/登记在册/全年/共 in its clause.
_TOTAL_LIKE = re.compile(r"全[县市区局省委镇乡年]|全系统|现有|共有|共计|登记在册|^共|合计|总计")
_SCOPE = re.compile(r"全[县市区局省委镇乡]|全系统|[市县区]本级")
_NOUN_SPAN = re.compile(r"[\u4e00-\u9fff]{2,16}")
_SKIP_LABEL = re.compile(r"其中|新增|累计|同比|较|比上年|由|从|每|不少于|以上|目标|力争|计划")


@dataclass(frozen=True)
class Restatement:
    first: Quantity
    later: Quantity
    noun: str  # the later mention's noun, as written
    end: int  # where that noun ends in Report.text


def _cut(text: str) -> list[str]:
    from drafter.text.segment import cut

    return cut(text)


def _label_words(text: str, q: Quantity) -> list[str]:
    return _cut(text[q.label_start:q.start])


def _scope(s: str) -> set[str]:
    return set(_SCOPE.findall(s))


def restatements(text: str, qs: list[Quantity], excluded_lines: set[int]) -> list[Restatement]:
    """Later mentions (figure before its noun, referring back) whose value differs from the
    one earlier figure they restate. ``excluded_lines`` are lines not to compare (the plans)."""
    out: list[Restatement] = []
    earlier: list[Quantity] = []
    for q in qs:
        if q.line in excluded_lines or q.is_percent or q.approx or not q.family:
            continue
        if q.scope not in ("part", "new", "cumulative") and not _SKIP_LABEL.search(q.label):
            r = _restated(text, q, earlier)
            if r is not None:
                out.append(r)
        earlier.append(q)
    return out


def _all_after_possible(text: str, start: int, end: int) -> bool:
    """Whether 均/全部/都/悉数 (:data:`_ALL_AFTER`) follows some noun of four characters or
    more in ``text[start:end]`` — the noun of a mention is a prefix of that span. A cheap
    necessary condition (no segmenter): without it, and without a signal before the figure,
    a mention refers back to nothing."""
    # The first place from start + 4 on where one of the words begins: no later than ``end``.
    m = _ALL_AFTER_ANYWHERE.search(text, start + 4, end + 4)
    return m is not None and m.start() <= end


def _comparable(text: str, q: Quantity, f: Quantity) -> bool:
    """Whether ``f`` states a whole ``q`` may restate: same unit family, not a part, and not in
    the same sentence (a comparison, a range)."""
    return not (f.family != q.family or f.is_percent or f.approx
                or f.scope in ("part", "new", "cumulative") or _SKIP_LABEL.search(f.label)
                or (f.line == q.line and not any(ch in "。！？；" for ch in text[f.end:q.start])))


def _label_may_match(text: str, first: str, f: Quantity, needs_total: bool) -> bool:
    """A cheap necessary condition (no segmenter) for an earlier figure ``f`` to be the one a
    mention restates: the mention's first word is a word of ``f``'s label, so its first
    character ``first`` is in that label; and without a frame or a list signal, ``f`` states
    a whole (:data:`_TOTAL_LIKE`) or a year's figure."""
    label = text[f.label_start:f.start]
    return first in label and (not needs_total or f.scope == "year" or bool(_TOTAL_LIKE.search(label)))


_CLAUSE_MARK = re.compile(r"[，。；：,;:！？!?\n]")


# Words before the verb that make the figure some of the whole: a part of the year, a kind of
# the work (下半年受理的80件…中, 重点检查的80家…中, 去年办理的…).
_SUBSET_QUALIFIER = re.compile(r"(?:上半年|下半年|[一二三四]季度|[1-4一二三四]月份?|去年|上年|今年|当年|往年|"
                               r"重点|专项|集中|首次|新|部分|个别|少数|多数|其中|另外|此外)$")


def _verb_opens(text: str, at: int, label: str) -> bool:
    """Whether the verb at ``at`` refers to the whole: what stands before it in its clause
    (案卷评查发现的…, 卫片执法核查认定的…) is not a qualifier that makes the figure some of
    them (下半年受理的, 重点检查的, 去年办理的) — unless the first statement has it too."""
    clause_start = max((m.end() for m in _CLAUSE_MARK.finditer(text, max(0, at - 12), at)), default=0)
    q = _SUBSET_QUALIFIER.search(text, clause_start, at)
    return q is None or q.group() in label


def _restated(text: str, q: Quantity, earlier: list[Quantity]) -> Restatement | None:
    m = _NOUN_SPAN.match(text, q.end)
    if m is None:
        return None
    before = text[max(0, q.start - 6):q.start]
    frame, listed = _FRAME.search(before), _LISTED.search(before)
    # "认定的69个违法用地图斑中": the noun is what stands before 中 (the segmenter may glue
    # 中 to the noun's last character), and the earlier label ends with it.
    verb = _BARE_FRAME.search(before) if frame is None and "中" in m.group() else None
    bare_noun = m.group().partition("中")[0] if verb else ""
    bare = len(bare_noun) >= 2
    whole = bool(_WHOLE.search(before))
    if not (frame or bare or listed or whole) and not _all_after_possible(text, q.end, m.end()):
        return None  # no reference signal: nothing is restated (and no segmenter needed)
    needs_total = not (listed or frame or bare)
    earlier = [f for f in earlier
               if _comparable(text, q, f) and _label_may_match(text, m.group()[0], f, needs_total)]
    if not earlier:
        return None
    words = _cut(m.group())
    scope_q = _scope(text[q.label_start:q.start])
    cands: list[tuple[int, Quantity, str]] = []
    for f in earlier:
        if bare:
            if f.label.endswith(bare_noun) and verb is not None and verb.group(1) in f.label \
                    and _verb_opens(text, q.start - len(verb.group()), f.label) and not (
                    scope_q and _scope(text[f.label_start:f.start]) not in (scope_q, set())):
                cands.append((len(bare_noun), f, bare_noun))
            continue
        fwords = _label_words(text, f)
        fset = set(fwords)
        noun = ""
        for w in words:  # the longest run of the later words that the earlier label has
            if w not in fset:
                break
            noun += w
        after = text[q.end + len(noun):q.end + len(noun) + 4]
        head = _cut(f.label)[-1] if f.label else ""
        if len(noun) < 2:
            continue
        if listed:
            ok = listed.group(1) in f.label or listed.group(1) in "".join(fwords)
        else:
            ok = bool(head) and head in _cut(noun)
            if frame:
                ok = ok and (frame.group(1) in fset or bool(_FRAME_END.match(after)))
            elif whole or (_ALL_AFTER.match(after) and len(noun) >= 4):
                ok = ok and (bool(_TOTAL_LIKE.search(text[f.label_start:f.start])) or f.scope == "year")
            else:
                ok = False
        fscope = _scope(text[f.label_start:f.start])
        if not ok or (scope_q and fscope and scope_q != fscope):
            continue
        overlap = len(fset & set(_label_words(text, q)))
        cands.append((overlap, f, noun))
    if not cands:
        return None
    best = max(o for o, _, _ in cands)
    top = [(f, n) for o, f, n in cands if o == best]
    if len({f.value for f, _ in top}) != 1 or any(f.overlaps(q) for _, f, _ in cands):
        return None
    first, noun = top[0]
    return Restatement(first, q, noun, q.end + len(noun))
