"""TYP005 — a character or word typed twice (的的, 在在, 开展开展, 进一步步).

What may repeat on purpose, and where two words merely meet on one character, is data
(``checker/data/repeats.yaml``, with its sources): the rule never needs the segmenter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Iterator

from drafter.checker.context import CheckContext
from drafter.checker.finding import Hit
from drafter.checker.registry import rule


@dataclass(frozen=True)
class _Repeats:
    pattern: re.Pattern[str]  # the repeated characters and word tails (literals: a fast scan)
    not_after: dict[str, str]  # each repeat (的的, 进一步步) → characters that may stand before it
    not_before: dict[str, str]  # … and after it
    words_ok: frozenset[str]
    words_not_before: str


@cache
def _repeats() -> _Repeats:
    from drafter.datafiles import load_data

    data = load_data("repeats.yaml") or {}
    chars = data.get("chars") or {}
    tails = data.get("tails") or []
    entries = {c + c: v or {} for c, v in chars.items()}
    entries.update({t["word"] + t["word"][-1]: t for t in tails})
    not_after = {k: v.get("not_after") or "" for k, v in entries.items()}
    not_before = {k: v.get("not_before") or "" for k, v in entries.items()}
    return _Repeats(re.compile("|".join(map(re.escape, entries))), not_after, not_before,
                    frozenset(data.get("words_ok") or ()), data.get("words_not_before") or "")


# ABAB: a word of two to four Chinese characters written twice in a row (a scan of its own: in
# one alternation with the literals above, the backreference would slow every position).
_WORD_TWICE = re.compile(r"([\u4e00-\u9fff]{2,4})\1")
_NUMERALS = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")


def repeats(text: str) -> list[tuple[int, int, str]]:
    """(start, end, the text as it should be) of each repeat in ``text``, by position."""
    r = _repeats()
    found = []
    for m in _WORD_TWICE.finditer(text):
        if m.group() in r.words_ok or (m.end() < len(text) and text[m.end()] in r.words_not_before) \
                or m.group(1)[0] == "一" or _NUMERALS.fullmatch(m.group(1)):
            continue
        found.append((m.start(), m.end(), m.group(1)))
    for m in r.pattern.finditer(text):
        got = m.group()
        before = text[m.start() - 1:m.start()] if m.start() else ""
        after = text[m.end():m.end() + 1]
        if (before and before in r.not_after[got]) or (after and after in r.not_before[got]):
            continue
        found.append((m.start(), m.end(), got[:-1]))
    return sorted(found)


@rule("TYP005", "repeated-character", severity="warning",
      summary="字词重复（如“的的”“在在”“开展开展”“进一步步”）")
def repeated_character(ctx: CheckContext) -> Iterator[Hit]:
    """同一个字或词连写了两遍。

    **作用 What it does**
    查找连写两遍的虚词（的的、了了、在在、与与、被被、对对、把把、将将、和和）、连写两遍的
    二至四字词语（开展开展、法治法治）和“进一步步”“认真真”。两个词恰好在同一个字上相接的
    不报告（目的的、现在在、参与与否、针对对象、为了了解、不了了之、实实在在、法制大队大队长），
    这些例外和依据见 checker/data/repeats.yaml。

    **为什么重要 Why it matters**
    重复字是改稿时删改不净、输入法连击造成的常见差错，一眼就能看出，影响公文的严肃性。

    **示例 Example**
    对未采纳的的5条意见逐条说明理由，在在全市范围内开展开展专项整治。

    **应改为 Use instead**
    对未采纳的5条意见逐条说明理由，在全市范围内开展专项整治。
    """
    # (A 成文日期 line holds no repeat: its numerals, 二〇二〇, are never looked for.)
    for s, e, fixed in repeats(ctx.text):
        yield Hit(s, e, f"“{ctx.text[s:e]}”中有重复的字词，应为“{fixed}”", suggestion=fixed)
