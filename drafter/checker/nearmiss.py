"""Near misses of known phrases: a span of running text one confusable character away from a
phrase of the genre, and not itself a known phrase ("全面推荐依法行政" for 推进依法行政,
"规范行文件" for 规范性文件, "营商环竟" for 营商环境). Rule TYP004.

Known phrases (``checker/data/phrases.yaml`` and the files it names): curated phrases of the
genre with their sources, collocations mined from our clean reports, law titles and short
names, current institution names, fixed terms and the corrections of the confusion lexicon.
Two characters are confusable when they sound alike (:func:`drafter.text.segment.similar_sound`:
the same or a near pinyin) or look alike (:func:`drafter.text.shapes.look_alike`: the same
four-corner code).

Finding candidates is linear in the text and happens mostly in compiled code: every
character is replaced by its *class* — once by its sound class (the group of readings that
near readings connect: jin/jing/jian/… are one class) and once by its four-corner code
(folded into 126 buckets) — and one Aho–Corasick automaton per projection (ahocorasick-rs,
:mod:`drafter.text.phrases`) finds the phrases written with the same classes. A span one
confusable character away from a phrase is such an occurrence: its other characters are the
phrase's own and the changed one shares a class with the character it replaced. Most
occurrences are the phrase itself, written right, and are dropped at once; the few spans that
differ somewhere are compared character by character, with the exact tables of readings and
codes deciding. A third automaton, over the characters themselves, finds the known phrases
around a candidate slip: a character inside one is written correctly, so no slip is looked
for there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from operator import ne
from typing import Any

from drafter.text.segment import CJK_END, CJK_FIRST  # the characters that have classes

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
# Mined collocations shorter than this are not looked for (short mined spans are one
# character away from too much ordinary text, and the curated phrases hold the short set
# phrases); they still count as known.
MIN_MINED = 6
# Phrases this short are matched only when the span is no run of dictionary words of its own
# ("依法治水" and "依法执教" are words of their own beside 依法治县/依法治教).
SHORT_PHRASE = 4
# A character without a class (not a Chinese character, or one the tables do not know) has
# this in every table.
_NONE = "\0"
# The exact classes (readings, four-corner codes) are characters of the Private Use Area; the
# projections' classes are the ASCII characters 1-126. Every table maps every other code
# point of the BMP (the text's own ASCII and private-use characters included) to _NONE.
_CLASS_BASE = 0xE000
_CLASS_LIMIT = 0xF900
_ASCII = 126


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
class Tables:
    """Per code point of the Basic Multilingual Plane, strings indexed by code point (so they
    serve :meth:`str.translate` as they are), :data:`_NONE` where there is no class.

    The projections the automata scan, in ASCII (compact tables and texts): ``sound``, the
    character's sound class (the readings near readings join: jin/jing/jian/… are one); ``form``,
    its four-corner code folded into 126 buckets (a shared bucket is only a candidate). The
    exact classes that decide (:func:`_alike`), in the Private Use Area: ``reading``, its
    primary reading; ``shape``, its four-corner code (GB 2312 only). ``near``: the pairs of
    readings one IME slip apart."""

    sound: str
    form: str
    reading: str
    shape: str
    near: frozenset[str]  # reading + reading, both orders

    @cached_property
    def both(self) -> list[str]:
        """Per code point of the BMP, its ``sound`` class followed by its ``form`` bucket: one
        :meth:`str.translate` gives both projections, interleaved (half the cost of two).
        Built for U+4E00–U+9FFF; every other code point shares one string."""
        none = _NONE + _NONE
        cjk = slice(CJK_FIRST, CJK_END)
        return [none] * CJK_FIRST + list(map(str.__add__, self.sound[cjk], self.form[cjk])) \
            + [none] * (0x10000 - CJK_END)


@dataclass(frozen=True)
class PhraseIndex:
    phrases: frozenset[str]
    known: frozenset[str]  # phrases and correct spans that are not typos
    # The phrases looked for, in a fixed order: phrase i is pattern i of every automaton.
    order: tuple[str, ...]
    # The known spans of four characters or more, as written (a character inside one is
    # written correctly), and the length of the longest.
    exact: Any
    longest: int
    sound: Any  # ``order`` projected to sound classes
    shape: Any  # ``order`` projected to four-corner buckets
    tables: Tables
    slots: tuple[re.Pattern[str], ...] = ()  # productive patterns: their spans are words
    mined: frozenset[str] = frozenset()  # phrases only the mined list has (quoted last)


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def _cjk_only(items) -> set[str]:
    full = _CJK_RUN.fullmatch
    return {p for p in items if p and full(p)}


@cache  # (read by the class tables and the phrase lists alike)
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


@cache
def tables() -> Tables:
    """The class tables (see :class:`Tables`). Building them reads the primary reading and the
    four-corner code of the 20,992 characters U+4E00–U+9FFF and compares the ~400 readings
    pairwise (about 0.3 s), so they are kept on disk (:mod:`drafter.cache`) under the hash of
    :func:`_confusability_source`."""
    from drafter.cache import cached

    sound, form, reading, shape, near = cached("nearmiss-tables", _confusability_source(),
                                               _build_tables)
    return Tables(sound, form, reading, shape, frozenset(near))


def _build_tables() -> tuple[str, str, str, str, list[str]]:
    from drafter.text.segment import _near_syllables, primary_reading
    from drafter.text.shapes import four_corner

    readings: dict[int, str] = {}
    codes: dict[int, str] = {}
    for cp in range(CJK_FIRST, CJK_END):
        r = primary_reading(chr(cp))
        if r:
            readings[cp] = r
        code = four_corner(chr(cp))
        if code:
            codes[cp] = code
    names = sorted(set(readings.values()))
    near_pairs = [(a, b) for a in names for b in names if a != b and _near_syllables(a, b)]
    # Sound classes: the readings that chains of near readings join (union-find).
    parent = {r: r for r in names}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in near_pairs:
        parent[root(a)] = root(b)
    group = {r: g for g, r in enumerate(sorted({root(r) for r in names}))}
    reading_id = {r: i for i, r in enumerate(names)}
    code_id = {c: i for i, c in enumerate(sorted(set(codes.values())))}
    if max(len(reading_id), len(code_id)) > _CLASS_LIMIT - _CLASS_BASE or len(group) > _ASCII:
        raise ValueError("too many classes for their tables")

    def table(values: dict[int, int], base: int) -> str:
        out = [_NONE] * 0x10000
        for cp, v in values.items():
            out[cp] = chr(base + v)
        return "".join(out)

    cls = {r: chr(_CLASS_BASE + reading_id[r]) for r in names}
    return (table({cp: group[root(r)] for cp, r in readings.items()}, 1),
            table({cp: code_id[c] % _ASCII for cp, c in codes.items()}, 1),
            table({cp: reading_id[r] for cp, r in readings.items()}, _CLASS_BASE),
            table({cp: code_id[c] for cp, c in codes.items()}, _CLASS_BASE),
            sorted(cls[a] + cls[b] for a, b in near_pairs))


# The data files the phrase lists are made of (``checker/data`` or ``data``).
_PHRASE_SOURCES = ("phrases.yaml", "phrases_mined.txt", "laws.yaml", "institutions.yaml",
                   "fixed_terms.yaml", "confusions.yaml")


@cache
def phrase_index() -> PhraseIndex:
    """The index of every known phrase (see the module docstring), built once. The phrase
    lists and their projections are kept on disk (:mod:`drafter.cache`) under the hash of
    what makes them (:func:`_phrases_source`): a new process builds only the automata."""
    from drafter.cache import cached
    from drafter.text.phrases import PhraseIndex as Phrases

    t = tables()
    order, known, spans, sound, form, mined_only, slots = cached(
        "nearmiss-phrases", _phrases_source(), lambda: _phrase_lists(t))
    return PhraseIndex(frozenset(order), frozenset(known), tuple(order), Phrases(spans),
                       max(map(len, spans)), Phrases(sound), Phrases(form), t,
                       tuple(re.compile(p) for p in slots), frozenset(mined_only))


def _phrases_source() -> bytes:
    """The bytes of everything the phrase lists are made from: the data files, the law
    lexicon's reader (:mod:`drafter.text.laws`) and what decides the classes
    (:func:`_confusability_source`, this module included)."""
    from drafter.datafiles import data_file
    from drafter.text import laws

    parts = [data_file(name).read_bytes() for name in _PHRASE_SOURCES]
    with open(laws.__file__, "rb") as fh:
        parts.append(fh.read())
    parts.append(_confusability_source())
    return b"\0".join(parts)


def _phrase_lists(t: Tables) -> tuple:
    """The phrases in order, the known spans, the spans of four characters or more, the
    phrases' sound and form projections, the mined-only phrases and the slot patterns, as
    plain lists (see :class:`PhraseIndex`)."""
    from drafter.datafiles import data_file, load_data
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
    order = sorted(phrases)
    return (order, sorted(known), sorted(p for p in known if len(p) > MIN_PHRASE),
            [p.translate(t.sound) for p in order], [p.translate(t.form) for p in order],
            sorted(mined - curated), [str(g["pattern"]) for g in raw.get("slot_patterns") or []])


def confusable(a: str, b: str) -> bool:
    """Whether ``a`` typed for ``b`` is a typing slip: alike in sound or shape."""
    from drafter.text.segment import similar_sound
    from drafter.text.shapes import look_alike

    if _other_rule(a, b):
        return False
    return similar_sound(a, b) or look_alike(a, b)


def _other_rule(a: str, b: str) -> bool:
    return any(a in pair and b in pair for pair in _OTHER_RULES) or (a in _LEVELS and b in _LEVELS)


def _alike(t: Tables, a: str, b: str) -> bool:
    """:func:`confusable` for two Chinese characters of U+4E00–U+9FFF, read from the tables
    (no pinyin table to load)."""
    if _other_rule(a, b):
        return False
    ra, rb = t.reading[ord(a)], t.reading[ord(b)]
    if ra != _NONE and rb != _NONE and (ra == rb or ra + rb in t.near):
        return True
    sa = t.shape[ord(a)]
    return a != b and sa != _NONE and sa == t.shape[ord(b)]


def _plausible_words(span: str) -> bool:
    """Whether ``span`` segments into dictionary words of two characters or more only."""
    from drafter.text.segment import cut, has_word

    words = cut(span)
    return all(len(w) >= 2 and has_word(w) for w in words)


def _edge_joins_outside(run: str, at: int, length: int, i: int, every_edge: bool = False) -> bool:
    """Whether a first or last character of the span makes a word with the character outside
    it — the changed one ("文物保护范" + "围": 范围), or with ``every_edge`` (a short span) an
    unchanged one too ("确保新法": 确保, so 保新法 is no slip of 保险法): the span is then cut
    from other words, no slip."""
    from drafter.text.segment import has_word

    end = at + length
    if (every_edge or i == 0) and at > 0 and has_word(run[at - 1:at + 1]):
        return True
    return (every_edge or i == length - 1) and end < len(run) and has_word(run[end - 1:end + 1])


def _one_off(written: str, phrase: str) -> int | None:
    """The index of the one differing character, or None (none or several differ)."""
    at = None
    for i, (x, y) in enumerate(zip(written, phrase)):
        if x != y:
            if at is not None:
                return None
            at = i
    return at


def _candidates(idx: PhraseIndex, run: str) -> list[tuple[int, str]]:
    """(start, phrase) pairs worth comparing with ``run``: spans written with the classes of
    a phrase (sound or shape) that are not the phrase itself."""
    # A character beyond the BMP has no table entry: translate keeps it, and it matches no
    # class (the projections are ASCII), so offsets stay those of ``run``.
    t = idx.tables
    order, starts = idx.order, run.startswith
    found = set()
    both = run.translate(t.both)
    if len(both) == 2 * len(run):
        sound, form = both[0::2], both[1::2]
    else:  # a character beyond the BMP (kept as it is)
        sound, form = run.translate(t.sound), run.translate(t.form)
    for automaton, projected in ((idx.sound, sound), (idx.shape, form)):
        hits = automaton.matches(projected)
        # Most are the phrases themselves, written right.
        found.update((s, p) for i, s, _ in hits if not starts(p := order[i], s))
    return sorted(found)


def _covered(idx: PhraseIndex, run: str, q: int) -> bool:
    """Whether character ``q`` of ``run`` stands inside a known phrase (of four characters or
    more) written correctly: looked for in the window of ``run`` such a phrase could span."""
    lo = max(0, q - idx.longest + 1)
    return any(s <= q - lo < e for _, s, e in idx.exact.matches(run[lo:q + idx.longest]))


def near_misses(text: str, start: int = 0, end: int | None = None) -> list[NearMiss]:
    """Near misses in ``text[start:end]``, non-overlapping (see :func:`_non_overlapping`).

    The span is scanned as a whole: phrases are Chinese characters only, so no phrase is found
    across punctuation, and a punctuation mark is never a confusable character."""
    idx = phrase_index()
    t = idx.tables
    run = text[start:len(text) if end is None else end]
    found: dict[tuple[int, int], NearMiss] = {}
    for at, p in _candidates(idx, run):
        length = len(p)
        w = run[at:at + length]
        if sum(map(ne, w, p)) != 1:
            continue  # the phrase itself, or more than one character apart
        i = _one_off(w, p)
        if i is None or not _CJK_CHAR.match(w[i]):
            continue
        if _covered(idx, run, at + i):
            continue  # the changed character is part of a correctly written phrase
        if length == MIN_PHRASE and t.shape[ord(w[i])] == _NONE:
            continue  # 3-character phrases: slips into the characters of GB 2312 only
        if (w in idx.known
                or any(r.search(w) for r in idx.slots) or not _alike(t, w[i], p[i])):
            continue
        short = length <= SHORT_PHRASE
        if _edge_joins_outside(run, at, length, i, every_edge=short) or (short and _plausible_words(w)):
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
