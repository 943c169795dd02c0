"""Near misses of known phrases: a span of running text one confusable character away from a
phrase of the genre, and not itself a known phrase ("全面推荐依法行政" for 推进依法行政,
"规范行文件" for 规范性文件, "营商环竟" for 营商环境). Rule TYP004.

Known phrases (``checker/data/phrases.yaml`` and the files it names): curated phrases of the
genre with their sources, collocations mined from our clean reports, law titles and short
names, current institution names, fixed terms and the corrections of the confusion lexicon.
Two characters are confusable when they sound alike (:func:`drafter.text.segment.similar_sound`:
the same or a near pinyin) or look alike (:func:`drafter.text.shapes.look_alike`: the same
four-corner code).

Finding candidates is linear in the text: a span with one wrong character keeps one half of
the phrase intact, so one Aho–Corasick automaton (ahocorasick-rs, :mod:`drafter.text.phrases`) finds every half of
every phrase in the text at once, and only the phrases sharing a half whose other half is
intact but for one character are compared. The same pass finds the exact occurrences of known
phrases: a character inside one is written correctly, so no slip is looked for there.
Three-character phrases are few: their variants (one confusable character at any place) are
put in the automaton as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from operator import ne
from typing import Any

_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
# Substitutions other rules own or that are not slips: 的/地/得 (TYP003), 治/制 (INS002),
# 作/做 (both accepted).
_OTHER_RULES = ({"的", "地", "得"}, {"治", "制"}, {"作", "做"})
# Administrative levels stand in the same slot of a phrase (全县/全省, 县级/省级, 依法治县/治市):
# one for another is a different statement, not a slip.
_LEVELS = set("省市县区州旗盟镇乡村街")
MIN_PHRASE = 3
# Longer known phrases (long law titles) are the LAW rules' concern.
MAX_PHRASE = 10
# Mined collocations shorter than this are not looked for (their two-character halves occur
# everywhere, and the curated phrases hold the short set phrases); they still count as known.
MIN_MINED = 6
# Phrases this short are matched only when the span is no run of dictionary words of its own
# ("依法治水" and "依法执教" are words of their own beside 依法治县/依法治教).
SHORT_PHRASE = 4


@dataclass(frozen=True)
class NearMiss:
    start: int
    end: int
    written: str
    phrase: str
    index: int  # the position of the changed character in the phrase

    @property
    def wrong(self) -> str:
        return self.written[self.index]

    @property
    def right(self) -> str:
        return self.phrase[self.index]


@dataclass(frozen=True)
class PhraseIndex:
    phrases: frozenset[str]
    known: frozenset[str]  # phrases and correct spans that are not typos
    # The automaton: every first half, second half and known phrase of four characters or
    # more, and the variants of 3-character phrases; ``keys[i]`` is what its phrase ``i`` is
    # (the string and its _Slot: _Key's fields as a plain tuple, plus "active": a half or a
    # variant, whose occurrence may start a candidate).
    automaton: Any
    keys: tuple[tuple[str, "_Slot"], ...]
    slots: tuple[re.Pattern[str], ...] = ()  # productive patterns: their spans are words
    mined: frozenset[str] = frozenset()  # phrases only the mined list has (quoted last)
    # Per automaton phrase i: 1 when keys[i] is a known phrase / may start a candidate (compact
    # copies of the slot's flags, read for every occurrence).
    known_at: bytes = b""
    active_at: bytes = b""


@dataclass
class _Key:
    """What a string found by the automaton is: the first half of some phrases (``left``:
    next character -> phrases; length of the second half -> its rest -> phrases), the second
    half of some (``right``), a known phrase (``known``), or a 3-character variant (``three``:
    the phrases it is one middle character away from)."""

    left: tuple[dict[str, list[str]], dict[int, dict[str, list[str]]]] | None = None
    right: tuple[dict[str, list[str]], dict[int, dict[str, list[str]]]] | None = None
    known: bool = False
    three: list[str] | None = None


# _Key as plain data (kept on disk): (left, right, known, three, active).
_Slot = tuple


def _cjk_only(items) -> set[str]:
    return {p for p in items if p and re.fullmatch(r"[\u4e00-\u9fff]+", p)}


@cache
def _by_sound_and_shape() -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, set[str]]]:
    """The characters of GB 2312 grouped by primary reading and by four-corner code, and each
    reading's near readings."""
    from drafter.text.segment import near_syllables, primary_reading
    from drafter.text.shapes import four_corner, gb2312_characters

    by_reading: dict[str, list[str]] = {}
    by_shape: dict[str, list[str]] = {}
    for c in gb2312_characters():
        r = primary_reading(c)
        if r:
            by_reading.setdefault(r, []).append(c)
        code = four_corner(c)
        if code:
            by_shape.setdefault(code, []).append(c)
    near = {r: near_syllables(r) & by_reading.keys() for r in by_reading}
    return by_reading, by_shape, near


def confusable_chars(ch: str) -> set[str]:
    """The characters of GB 2312 that :func:`confusable` with ``ch``."""
    from drafter.text.segment import primary_reading
    from drafter.text.shapes import four_corner

    by_reading, by_shape, near = _by_sound_and_shape()
    r = primary_reading(ch)
    out: set[str] = set(by_shape.get(four_corner(ch) or "", ()))
    if r:
        out.update(by_reading.get(r, ()))
        for x in near.get(r, ()):
            out.update(by_reading[x])
    out.discard(ch)
    return {c for c in out if confusable(c, ch)}


def _three_variants(phrase: str) -> list[str]:
    """Spans one confusable character away from a 3-character phrase ("多放面", "全方为")."""
    return [phrase[:i] + c + phrase[i + 1:] for i in range(3) for c in sorted(confusable_chars(phrase[i]))]


def _confusability_source() -> bytes:
    """The bytes of everything that decides confusability: this module,
    :mod:`drafter.text.segment` and :mod:`drafter.text.shapes`, the four-corner table and
    pypinyin's character table (its size and modification time)."""
    import importlib.util
    import os

    from drafter.datafiles import data_file
    from drafter.text import segment, shapes

    parts = []
    for mod in (__file__, segment.__file__, shapes.__file__):
        with open(mod, "rb") as fh:
            parts.append(fh.read())
    parts.append(data_file("four_corner.txt").read_bytes())
    spec = importlib.util.find_spec("pypinyin")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        try:
            st = os.stat(os.path.join(folder, "pinyin_dict.json"))
            parts.append(f"{st.st_size}:{st.st_mtime_ns}".encode())
        except OSError:
            parts.append(b"no pinyin_dict.json")
    return b"\0".join(parts)


def _key_table(phrases: set[str], known: set[str]) -> list[tuple[str, _Slot]]:
    """What each string the automaton looks for is (see :class:`PhraseIndex`), in automaton
    order. Building it compares the characters of 3-character phrases with the 6,763 of
    GB 2312 (about 0.3 s), so it is kept on disk (:mod:`drafter.cache`) under the hash of the
    phrases, the known spans and :func:`_confusability_source`."""
    from drafter.cache import cached

    source = b"\0".join(["\n".join(sorted(phrases)).encode("utf-8"),
                         "\n".join(sorted(known)).encode("utf-8"), _confusability_source()])
    return cached("nearmiss-keys", source, lambda: _build_key_table(phrases, known))


def _build_key_table(phrases: set[str], known: set[str]) -> list[tuple[str, _Slot]]:
    keys: dict[str, _Key] = {}
    for p in sorted(phrases):
        if len(p) == MIN_PHRASE:
            for v in _three_variants(p):
                k = keys.get(v) or keys.setdefault(v, _Key())
                k.three = (k.three or []) + [p]
            continue
        h = len(p) // 2
        a, b = p[:h], p[h:]
        ka = keys.get(a) or keys.setdefault(a, _Key())
        ka.left = ka.left or ({}, {})
        ka.left[0].setdefault(b[0], []).append(p)
        ka.left[1].setdefault(len(b), {}).setdefault(b[1:], []).append(p)
        kb = keys.get(b) or keys.setdefault(b, _Key())
        kb.right = kb.right or ({}, {})
        kb.right[0].setdefault(a[-1], []).append(p)
        kb.right[1].setdefault(len(a), {}).setdefault(a[:-1], []).append(p)
    for p in sorted(known):
        if len(p) > MIN_PHRASE:
            (keys.get(p) or keys.setdefault(p, _Key())).known = True
    return [(s, (k.left, k.right, k.known, k.three,
                 k.left is not None or k.right is not None or k.three is not None))
            for s, k in keys.items()]


@cache
def phrase_index() -> PhraseIndex:
    """The index of every known phrase (see the module docstring), built once."""
    from drafter.datafiles import data_file, load_data
    from drafter.text.phrases import PhraseIndex as Phrases
    from drafter.text.laws import law_lexicon

    raw = load_data("phrases.yaml") or {}
    phrases: set[str] = set()
    for g in raw.get("groups") or []:
        phrases |= _cjk_only(g["phrases"])
    mined_lines = data_file("phrases_mined.txt").read_text(encoding="utf-8").splitlines()
    mined = _cjk_only(p.strip() for p in mined_lines if not p.startswith("#"))
    curated = set(phrases)
    for e in law_lexicon().entries:
        if e.status == "current":
            phrases |= _cjk_only([e.title, *e.short])
    inst = load_data("institutions.yaml") or {}
    phrases |= _cjk_only(e["current"] for e in inst.get("abolished") or [])
    fixed = load_data("fixed_terms.yaml") or {}
    phrases |= _cjk_only(e["right"] for e in fixed.get("wrong_to_right") or [])
    conf = load_data("confusions.yaml") or {}
    phrases |= _cjk_only(str(e["right"]) for e in conf.get("entries") or []
                         if e.get("kind", "word") == "word")
    curated |= phrases
    short_mined = {p for p in mined if len(p) < MIN_MINED}
    mined -= short_mined
    phrases = {p for p in phrases | mined if MIN_PHRASE <= len(p) <= MAX_PHRASE}
    known = set(phrases) | short_mined
    known |= _cjk_only(e["term"] for e in fixed.get("legitimate") or [])
    for g in raw.get("not_typos") or []:
        known |= _cjk_only(g["spans"])
    ordered = tuple(_key_table(phrases, known))
    automaton = Phrases(k for k, _ in ordered)
    slots = tuple(re.compile(g["pattern"]) for g in raw.get("slot_patterns") or [])
    return PhraseIndex(frozenset(phrases), frozenset(known), automaton, ordered, slots,
                       frozenset(mined - curated), bytes(bool(s[2]) for _, s in ordered),
                       bytes(bool(s[4]) for _, s in ordered))


def confusable(a: str, b: str) -> bool:
    """Whether ``a`` typed for ``b`` is a typing slip: alike in sound or shape."""
    from drafter.text.segment import similar_sound
    from drafter.text.shapes import look_alike

    if any(a in pair and b in pair for pair in _OTHER_RULES) or (a in _LEVELS and b in _LEVELS):
        return False
    return similar_sound(a, b) or look_alike(a, b)


def _plausible_words(span: str) -> bool:
    """Whether ``span`` segments into dictionary words of two characters or more only."""
    from drafter.text.segment import cut, has_word

    words = cut(span)
    return all(len(w) >= 2 and has_word(w) for w in words)


def _edge_joins_outside(run: str, at: int, length: int, i: int) -> bool:
    """Whether a changed first/last character makes a word with the character outside the
    span ("文物保护范" + "围": 范围) — the span is then cut from other words, no slip."""
    from drafter.text.segment import has_word

    if i == 0 and at > 0:
        return has_word(run[at - 1:at + 1])
    if i == length - 1 and at + length < len(run):
        return has_word(run[at + length - 1:at + length + 1])
    return False


def _one_off(written: str, phrase: str) -> int | None:
    """The index of the one differing character, or None (none or several differ)."""
    at = None
    for i, (x, y) in enumerate(zip(written, phrase)):
        if x != y:
            if at is not None:
                return None
            at = i
    return at


def _candidates(idx: PhraseIndex, run: str) -> tuple[list[tuple[int, str]], list[int]]:
    """(start, phrase) pairs worth comparing with ``run`` — phrases one half of which stands
    in the run, whose other half is intact but for at most one character that is outside
    every known phrase — and the running count of characters inside known phrases
    (``cov[j] - cov[i]`` of ``run[i:j]``)."""
    n = len(run)
    hits = []
    mark = bytearray(n)
    keys, known_at, active_at = idx.keys, idx.known_at, idx.active_at
    one = b"\x01" * MAX_PHRASE * 2
    # By end, longest first (the order an automaton walking the text reports them).
    for stop, start, i in idx.automaton.find_by_end(run):
        if known_at[i]:
            mark[start:stop] = one[:stop - start]
        if active_at[i]:
            hits.append((start, stop, keys[i][1]))
    cov = [0, *accumulate(mark)]
    reach = MAX_PHRASE // 2
    cands: list[tuple[int, str]] = []
    for s, nxt, (left, right, _, three, _) in hits:
        if left is not None and nxt < n:
            hi = nxt + reach
            if hi > n:
                hi = n
            c1 = cov[nxt + 1]
            if cov[hi] - c1 < hi - nxt - 1:  # a free character after the next one
                got = left[0].get(run[nxt])
                if got:
                    cands += [(s, p) for p in got]
            if c1 == cov[nxt]:  # the next character is free: it may be the slip
                for lb, by in left[1].items():
                    ps = by.get(run[nxt + 1:nxt + lb])
                    if ps:
                        cands += [(s, p) for p in ps]
        if right is not None and s > 0:
            lo = s - reach
            if lo < 0:
                lo = 0
            c0 = cov[s - 1]
            if c0 - cov[lo] < s - 1 - lo:
                got = right[0].get(run[s - 1])
                if got:
                    h = nxt - s
                    cands += [(s - len(p) + h, p) for p in got]
            if cov[s] == c0:
                for la, by in right[1].items():
                    ps = by.get(run[s - la:s - 1]) if s - la >= 0 else None
                    if ps:
                        cands += [(s - la, p) for p in ps]
        if three is not None:
            cands += [(s, p) for p in three]
    return cands, cov


def near_misses(text: str, start: int = 0, end: int | None = None) -> list[NearMiss]:
    """Near misses in ``text[start:end]``, non-overlapping (see :func:`_non_overlapping`).

    The span is scanned as a whole: phrases are Chinese characters only, so no phrase is found
    across punctuation, and a punctuation mark is never a confusable character."""
    idx = phrase_index()
    run = text[start:len(text) if end is None else end]
    n = len(run)
    found: dict[tuple[int, int], NearMiss] = {}
    cands, cov = _candidates(idx, run)
    for at, p in cands:
        length = len(p)
        if at < 0 or at + length > n:
            continue
        w = run[at:at + length]
        if sum(map(ne, w, p)) != 1:
            continue  # the phrase itself, or more than one character apart
        i = _one_off(w, p)
        if i is None or cov[at + i + 1] - cov[at + i] or not _CJK_CHAR.match(w[i]):
            continue  # the changed character is part of a correctly written phrase
        if (w in idx.known
                or any(r.search(w) for r in idx.slots) or not confusable(w[i], p[i])):
            continue
        if _edge_joins_outside(run, at, length, i) or (
                length <= SHORT_PHRASE and _plausible_words(w)):
            continue
        key = (start + at, start + at + length)
        if key not in found:
            found[key] = NearMiss(key[0], key[1], w, p, i)
    return _non_overlapping(text, list(found.values()))


def _non_overlapping(text: str, items: list[NearMiss]) -> list[NearMiss]:
    """One finding per slipped character, quoting the phrase that shows it best: a curated or
    lexicon phrase before a mined one, then the shortest of four characters or more (a
    3-character one when there is no other); a character that is part of a correctly
    written phrase at the same place is no slip."""
    idx = phrase_index()
    out: list[NearMiss] = []
    done: set[int] = set()
    for nm in sorted(items, key=lambda x: (x.phrase in idx.mined, x.end - x.start <= MIN_PHRASE,
                                           x.end - x.start, x.start)):
        pos = nm.start + nm.index
        if pos in done:
            continue
        done.add(pos)
        # The "wrong" character sits inside a correct known phrase of the text (其他 in
        # 其他需要报告 vs 其它…): not a slip.
        if _inside_known(text, pos, idx):
            continue
        out.append(nm)
    return sorted(out, key=lambda x: x.start)


def _inside_known(text: str, pos: int, idx: PhraseIndex) -> bool:
    for length in range(MIN_PHRASE + 1, 9):
        for a in range(max(0, pos - length + 1), pos + 1):
            if text[a:a + length] in idx.known:
                return True
    return False
