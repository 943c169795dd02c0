"""Whether the parts of a breakdown cover every class its total names, so that they must add up
to the total: "对食品、药品、特种设备三类领域开展检查2460家次，其中食品……、药品……、特种设备……"
lists the three classes the total is made of; parts summing to less than the total then miss
something. The classes are read from the total's clause: a series "A、B、C" (with an optional
count "三类/两级"), or "村（居）" — a class and its alternative in brackets. Words that name one
class two ways (居 and 社区) are data (``class_synonyms`` in ``metric_relations.yaml``).

A list that says it is not complete (等, 主要, 包括, 部分, 为主) never counts as covering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from drafter.checker.metrics import Breakdown
from drafter.text.numerals import ordinal_value

_CLAUSE_START = re.compile(r"[，,。；;：:！？\n]")
# A series of classes joined by 、 (the last one may follow 和/及/与).
_SERIES = re.compile(r"[\u4e00-\u9fff]+(?:、[\u4e00-\u9fff]+)+")
_COUNT_WORD = re.compile(r"([两二三四五六七八九十\d]{1,2})(?:类|级|个方面|种|大类|个领域|个行业)")
_BRACKETED = re.compile(r"([\u4e00-\u9fff])（([\u4e00-\u9fff])）")
_LEAD_WORDS = re.compile(r"^(?:全年|全[县市区局省委镇乡]|本年度|年内|一年来|共|对|在|向|为|从|就|围绕)+")
_INCOMPLETE = re.compile(r"等|主要|包括|部分|为主|以及其他|若干")


@dataclass(frozen=True)
class Coverage:
    """The classes a total names (as written) and, for each part in order, the class it is."""

    classes: tuple[str, ...]
    matched: tuple[str, ...]
    start: int  # where the total's clause (naming the classes) starts in the text


@cache
def _synonyms() -> dict[str, tuple[str, ...]]:
    from drafter.datafiles import load_data

    raw = (load_data("metric_relations.yaml") or {}).get("class_synonyms") or {}
    return {k: tuple(v) for k, v in (raw.get("words") or {}).items()}


def _clause(text: str, b: Breakdown) -> tuple[int, str]:
    start = b.total.start
    m = None
    for m in _CLAUSE_START.finditer(text, max(0, start - 80), start):
        pass
    lo = m.end() if m else max(0, start - 80)
    return lo, text[lo:start]


def _classes(clause: str) -> list[tuple[str, ...]]:
    """Candidate class lists of a clause (each class as its possible cores)."""
    out: list[tuple[str, ...]] = []
    for m in _BRACKETED.finditer(clause):
        out.append((m.group(1), m.group(2)))
    for m in _SERIES.finditer(clause):
        items = m.group().split("、")
        items[-1:] = re.split(r"和|及|与", items[-1], maxsplit=1)
        items[0] = _LEAD_WORDS.sub("", items[0])
        count = _COUNT_WORD.search(items[-1])
        if count:
            items[-1] = items[-1][:count.start()]
        if count:
            word = count.group(1).replace("两", "二")  # 两类, 两级: ordinal_value reads 二
            n = int(word) if word.isdigit() else ordinal_value(word)
            if n != len(items):
                continue
        if all(items):
            out.append(tuple(items))
    return out


def _core_in(item: str, label: str, where: str) -> bool:
    """Whether a part's label names class ``item``. The first item of a series may carry the
    words before it ("开展食品" is the class 食品) and the last one may run on into the noun
    ("备案固定资产投资项目" is the class 备案): for them the part's leading word (without
    类/型/级) must end, or start, the item; a one-character word only as "X级/X类" ("办理市、县
    两级…" with parts "市级…", "县级…")."""
    words = [item, *_synonyms().get(item, ())]
    if any(w in label for w in words):
        return True
    for n in (4, 3, 2):
        core = re.sub(r"(?:类|型|级)$", "", label[:n])
        if len(core) < 2 and not (len(core) == 1 and n == 2 and core != label[:n]):
            continue  # one character is a class only when 类/型/级 names it so ("市级")
        if (where == "first" and item.endswith(core)) or (where == "last" and item.startswith(core)):
            return True
    return False


def covered_classes(text: str, b: Breakdown) -> Coverage | None:
    """The classes of ``b``'s total when its parts name each of them exactly once (one part per
    class, every class named) and nothing says the list is incomplete; else None."""
    lo, clause = _clause(text, b)
    tail = text[b.end:b.end + 12]
    tail = tail[:next((i for i, ch in enumerate(tail) if ch in "，。；;"), len(tail))]
    listing = text[b.total.end:b.end]
    if _INCOMPLETE.search(listing) or _INCOMPLETE.search(tail) or len(b.parts) < 2:
        return None
    for items in _classes(clause):
        if len(items) != len(b.parts) or _INCOMPLETE.search(clause[clause.find(items[0]):]):
            continue
        matched = []
        for q in b.parts:
            hits = [i for i, it in enumerate(items) if _core_in(
                it, q.label, "first" if i == 0 else "last" if i == len(items) - 1 else "")]
            if len(hits) != 1:
                break
            matched.append(items[hits[0]])
        if len(matched) == len(items) and len(set(matched)) == len(items):
            return Coverage(tuple(items), tuple(matched), lo)
    return None
