"""Is a proposed typo correction more likely than the text as written?

A model proposes "X should be Y"; drafter accepts that Y reads better than X only on
evidence it can check itself, in the words around the change:

- **的/地/得** are judged by grammar, not by frequency (的 is always the commoner word):
  地 before a verb, 的 before a noun, 得 after a verb or adjective before a degree word —
  with the exclusion lists of the TYP003 lexicon (``得到及时的处理`` is nominal, and right).
- **known wrong and right forms** from the checker's lexicons (``confusions.yaml``,
  ``fixed_terms.yaml``, with their context conditions): a correction that writes a listed
  wrong form, or undoes a fixed term listed as right (法制审核), is not supported; one that
  removes a listed wrong form is.
- otherwise the **word model of the segmenter**: the most probable segmentation of the
  words around the change under jieba's unigram dictionary (word frequencies), with a
  number and the measure word after it (``2019年``, ``12件``) read as one token. The
  correction must make the passage more probable — typically the changed character forms
  a dictionary word with its neighbours (上岗) where the written one does not (上冈).
- a slip changes one character (or swaps a few): a correction that replaces two or more
  characters with others of a different sound is a change of word, not a typo.
- when the written text is itself a **common word** (检察, 旅行: a real-word slip), more is
  asked: each changed character must sound like the one it replaces (an input-method slip
  picks a homophone), and the corrected word must either make the passage far more
  probable or occur elsewhere in the same report (the author's own vocabulary).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

# Sum of the frequencies in jieba's dictionary (dict.txt), which rjieba embeds: the
# denominator of a word's unigram probability. Only differences of log-probabilities are
# compared, so a rounding error here changes nothing that matters.
JIEBA_TOTAL = 60_101_967
MAX_WORD = 6  # longest dictionary word tried by the segmentation
CONTEXT = 4  # characters of context on each side of a quote (within its line)
PARTICLES = frozenset("的地得")
_NUMERAL = "0-9０-９"
_UNITS = ("个百分点|百分点|人次|件次|户次|家次|批次|个工作日|工作日|个月|小时|公顷|平方米|公里|千米"
          "|[%％件份项个条部篇卷本册人名位批期场次轮堂家户所起宗天元亩吨年月日号届]")
# A number with what belongs to it: 2019年, 1.5万元, 120余人, 98.5%.
NUMBER = re.compile(rf"[{_NUMERAL}]+(?:[.．][{_NUMERAL}]+)?(?:余|多)?(?:[万亿])?(?:{_UNITS})?")
_PUNCT = re.compile(r"[\s，。、；：？！“”‘’（）《》〈〉【】—…,.;:?!()\[\]\"'<>-]")
LOG_NUMBER = math.log(1e-4)
# A dictionary word at least this frequent is a real word (jieba's dictionary also lists
# rare junk entries such as 积效, frequency 4, that are typing slips themselves).
COMMON_WORD = 100
# A correction of a real word that makes the passage this much more probable (e^3 ≈ 20
# times) needs no other evidence; below it, the corrected word must occur in the report.
STRONG_GAIN = 3.0  # a number token (the same on both sides unless it changes)


@dataclass(frozen=True)
class Support:
    """Whether a correction is supported, and the evidence (Chinese, for messages)."""

    ok: bool
    why: str


@cache
def _freq(word: str) -> int:
    """Dictionary frequency of ``word``; a single character always counts (at least 1)."""
    from drafter.text.segment import frequency

    f = frequency(word)
    return max(f, 1) if len(word) == 1 else f


def log_probability(text: str) -> float:
    """Log-probability of ``text``'s best segmentation under the unigram word model."""
    n = len(text)
    best = [-math.inf] * (n + 1)
    best[0] = 0.0
    log_total = math.log(JIEBA_TOTAL)
    for i in range(n):
        if best[i] == -math.inf:
            continue
        m = NUMBER.match(text, i)
        if m and m.end() > i:
            best[m.end()] = max(best[m.end()], best[i] + LOG_NUMBER)
            continue  # a number is read whole (digits are never split)
        if _PUNCT.match(text, i):
            best[i + 1] = max(best[i + 1], best[i])
            continue
        for size in range(1, min(MAX_WORD, n - i) + 1):
            f = _freq(text[i:i + size])
            if f:
                score = best[i] + math.log(f) - log_total
                if score > best[i + size]:
                    best[i + size] = score
    return best[n]


def changed_span(quote: str, suggestion: str) -> tuple[int, int, str]:
    """(start, end, replacement): the part of ``quote`` a suggestion changes (common prefix
    and suffix removed); start == end for a pure insertion."""
    p = 0
    limit = min(len(quote), len(suggestion))
    while p < limit and quote[p] == suggestion[p]:
        p += 1
    s = 0
    while s < limit - p and quote[-1 - s] == suggestion[-1 - s]:
        s += 1
    return p, len(quote) - s, suggestion[p:len(suggestion) - s]


def _wrong_forms(text: str) -> dict[str, str]:
    """{wrong: right} of the checker's lexicons found in ``text`` (the TYP002/TYP003 confusion
    words with their context conditions, the INS002 法制/法治 collocations)."""
    from drafter.checker.rules.institutions import find_fazhi
    from drafter.checker.rules.typos import find_confusions

    out = {c.wrong: c.right for _, _, c in find_confusions(text, ("word", "context", "de-di"))}
    out.update({t.wrong: t.right for _, _, t in find_fazhi(text)})
    return out


def _right_forms(text: str) -> set[str]:
    """Fixed terms the lexicon lists as right as they stand (法制审核, 法制机构 …) in ``text``."""
    from drafter.checker.rules.institutions import fazhi_terms

    return {t for t in fazhi_terms()[1] if t in text}


def _lexicon_evidence(before: str, after: str) -> Support | None:
    wrong_before, wrong_after = _wrong_forms(before), _wrong_forms(after)
    for wrong, right in wrong_after.items():
        if wrong not in wrong_before:
            return Support(False, f"改后出现词表中的错误写法“{wrong}”（应为“{right}”）")
    lost = _right_forms(before) - _right_forms(after)
    if lost:
        return Support(False, f"“{max(lost, key=len)}”是规范的固定名称")
    for wrong, right in wrong_before.items():
        if wrong not in wrong_after:
            return Support(True, f"词表中“{wrong}”应为“{right}”")
    return None


@cache
def _de_di_exclusions() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(words before the adverbial, words after the verb) that make ``X的V`` nominal."""
    from drafter.datafiles import load_data

    gen = (load_data("confusions.yaml") or {}).get("de_di_pattern") or {}
    return tuple(gen.get("unless_after") or ()), tuple(gen.get("unless_before") or ())


def _particle(text: str, at: int, new: str) -> Support:
    """Whether particle ``new`` at ``text[at]`` fits the words around it (the words before
    and after it are segmented apart, so the particle never merges into a neighbour)."""
    from drafter.text.segment import tokens

    left, right = tokens(text[:at]), tokens(text[at + 1:])
    prev = left[-1] if left else None
    nxt = right[0] if right else None
    if new == "地":
        before_words, after_words = _de_di_exclusions()
        head = text[:prev.start] if prev else ""
        tail = text[at + 1 + nxt.end:] if nxt else ""
        if nxt is None or nxt.pos != "v":
            return Support(False, "“地”后面不是动词")
        if head.endswith(before_words) or tail.startswith(after_words):
            return Support(False, "这里是名词性结构，用“的”")
        return Support(True, f"“地”用在修饰动词“{nxt.word}”的状语后")
    if new == "的":
        if nxt is not None and nxt.pos.startswith("n") and not nxt.pos.startswith("nr"):
            return Support(True, f"“的”用在名词“{nxt.word}”前的定语后")
        return Support(False, "“的”后面不是名词")
    # 得: a complement after a verb or adjective (做得很好)
    if prev is not None and prev.pos[:1] in ("v", "a") and nxt is not None and \
            nxt.pos[:1] in ("d", "a", "z"):
        return Support(True, f"“得”连接“{prev.word}”和补语“{nxt.word}”")
    return Support(False, "这里不是“动词/形容词＋得＋补语”")


def _words_over(text: str, lo: int, hi: int) -> list[str]:
    """Words of ``text`` (the segmenter's cut) that overlap [lo, hi) (touch it when empty)."""
    from drafter.text.segment import tokens

    return [t.word for t in tokens(text)
            if ((t.start < hi and lo < t.end) if lo < hi else t.start < lo < t.end)]


def _real_word(text: str, lo: int, hi: int) -> str | None:
    """The common dictionary word (frequency ≥ COMMON_WORD) of ``text`` that the changed
    characters [lo, hi) lie in, if any: the text as written is then a real word, and only
    a slip of the input method (a homophone) explains it."""
    for w in _words_over(text, lo, hi):
        if len(w) >= 2 and _freq(w) >= COMMON_WORD:
            return w
    return None


def supported(left: str, quote: str, right: str, suggestion: str,
              document: str = "") -> Support:
    """Whether replacing ``quote`` (between ``left`` and ``right`` context) by
    ``suggestion`` makes the text more likely (see the module docstring). ``document`` is
    the whole report: a real-word correction needs the corrected word to appear in it."""
    from drafter.text.segment import same_sound

    before, after = left + quote + right, left + suggestion + right
    a, b, rep = changed_span(quote, suggestion)
    if b - a == 1 and len(rep) == 1 and quote[a] in PARTICLES and rep in PARTICLES:
        return _particle(after, len(left) + a, rep)
    known = _lexicon_evidence(before, after)
    if known is not None:
        return known
    old = quote[a:b]
    if len(old) == len(rep) and sorted(old) != sorted(rep) and \
            sum(1 for x, y in zip(old, rep) if x != y and not same_sound(x, y)) > 1:
        return Support(False, "改动了两个以上读音不同的字，是换词而不是错别字")
    gain = log_probability(after) - log_probability(before)
    if gain <= 0:
        return Support(False, "改后的写法并不比原文更常见")
    written = _real_word(before, len(left) + a, len(left) + b)
    if written and len(old) == len(rep) and sorted(old) != sorted(rep):
        if not all(x == y or same_sound(x, y) for x, y in zip(old, rep)):
            return Support(False, f"原文“{written}”是常用词，改动的字读音不同，不像输入错误")
        new_words = [w for w in _words_over(after, len(left) + a, len(left) + a + len(rep))
                     if len(w) >= 2]
        if gain < STRONG_GAIN and not any(w in document for w in new_words):
            return Support(False, f"原文“{written}”是常用词，报告中别处也没有改后的写法")
        return Support(True, f"“{written}”疑为同音词误用")
    return Support(True, "改后组成更常见的词语")


def context_around(text: str, start: int, end: int, size: int = CONTEXT) -> tuple[str, str]:
    """Up to ``size`` characters before ``start`` and after ``end`` within the same line."""
    lo = max(text.rfind("\n", 0, start) + 1, start - size)
    hi_line = text.find("\n", end)
    hi = min(end + size, len(text) if hi_line < 0 else hi_line)
    return text[lo:start], text[end:hi]
