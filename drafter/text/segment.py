"""Chinese word-level analysis: segmentation and POS tags (rjieba), and character readings.

Thin wrappers so the rest of the code does not care which library does the work:

- :func:`cut`, :func:`tag`, :func:`tokens` — rjieba (jieba-rs) with a few domain words added
  (法律顾问 is otherwise tagged as a person name, 律师事务所 split in two). rjieba is imported
  on first use: its dictionary costs about 0.15 s to build, which ``drafter rules`` or a
  check without Chinese text should not pay.
- :func:`readings`, :func:`same_sound` — toneless pinyin of a character (pypinyin's
  single-character table, about 20 ms to load, also on first use). Most typing slips in
  Chinese are homophones picked from the IME list (林晓峰 → 林晓锋, 事务所 → 事物所).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

# Words the general dictionary lacks or mis-tags in these reports: (word, POS tag).
# Tags follow jieba's set: n noun, nt organisation, nr person, v verb, l idiom.
DOMAIN_WORDS: tuple[tuple[str, str], ...] = (
    ("法律顾问", "n"), ("律师事务所", "nt"), ("会计师事务所", "nt"), ("公职律师", "n"),
    ("第一责任人", "n"), ("法治政府", "n"), ("依法行政", "l"), ("严格执行", "v"),
    ("严格执法", "v"), ("宣传教育", "vn"), ("法律援助", "vn"), ("明白人", "n"),
    ("司法局", "nt"), ("司法厅", "nt"), ("科工信局", "nt"), ("法制办", "nt"),
    ("行政处罚", "vn"), ("行政许可", "vn"), ("行政复议", "vn"), ("行政诉讼", "vn"),
)


@dataclass(frozen=True)
class Token:
    """A word of the text: ``start``/``end`` are offsets into the string that was tagged."""

    word: str
    pos: str
    start: int
    end: int


_DOMAIN_TAGS = dict(DOMAIN_WORDS)
# High enough to keep these words whole against the general dictionary (律师事务所 is otherwise
# cut 律师/事务所律师); jieba's own suggest_freq proposes 1 for them.
_DOMAIN_FREQ = 20000


_INIT_LOCK = threading.Lock()
_READY: list[Any] = []


_SHARED: list[Any] = []  # a segment_service.SegmenterService to ask instead of loading one


def share(service: Any) -> None:
    """Ask ``service`` (a running :class:`~drafter.text.segment_service.SegmenterService`)
    from now on, in this process and the processes forked from it, unless this process has
    already loaded its own segmenter; None: load our own when needed."""
    _SHARED[:] = [service] if service is not None else []


def sharing() -> bool:
    """Whether a shared service is set (:func:`share`)."""
    return bool(_SHARED)


def loaded() -> bool:
    """Whether this process has loaded its own segmenter (forked processes inherit it)."""
    return bool(_READY)


def _jieba() -> Any:
    """rjieba with the domain words added, once per process — or the shared service's answers
    (:func:`share`) when one runs.

    Thread-safe: add_word mutates the Rust dictionary, and a concurrent cut() in another
    thread (the web server checks reports in parallel) would fail with "Already borrowed";
    the service's connection takes one call at a time.
    """
    if _READY:
        return _READY[0]
    if _SHARED:
        remote = _SHARED[0].client()
        if remote is not None:
            return remote
    with _INIT_LOCK:
        if not _READY:
            import rjieba

            for word, pos in DOMAIN_WORDS:
                rjieba.add_word(word, _DOMAIN_FREQ, pos)
            _READY.append(rjieba)
    return _READY[0]


def cut(text: str) -> list[str]:
    """Words of ``text`` (precise mode, HMM for unknown words)."""
    return _jieba().cut(text)


def tag(text: str) -> list[tuple[str, str]]:
    """(word, POS) pairs of ``text``; jieba's tag set (nr person, ns place, nt organisation…)."""
    # add_word does not change the tag of a word already in the dictionary (法律顾问 stays
    # "nr"), so the domain tags are applied here.
    return [(w, _DOMAIN_TAGS.get(w, p)) for w, p in _jieba().tag(text)]


def tokens(text: str) -> list[Token]:
    """Tagged words of ``text`` with their offsets."""
    out: list[Token] = []
    pos = 0
    for word, p in tag(text):
        i = text.find(word, pos)
        if i < 0:  # jieba never drops text, but do not trust offsets if it did
            i = pos
        out.append(Token(word, p, i, i + len(word)))
        pos = i + len(word)
    return out


def has_word(word: str) -> bool:
    """Whether ``word`` is in the segmentation dictionary (a common word, not a new name)."""
    return bool(_jieba().has_word(word))


def frequency(word: str) -> int:
    """How often ``word`` occurs in the segmenter's dictionary (jieba's unigram counts); 0 for
    a string that is not a dictionary word."""
    j = _jieba()
    return int(j.suggest_freq(word)) if j.has_word(word) else 0


@cache
def _pinyin_file() -> tuple[str, bytes] | None:
    """pypinyin's character table file and the key of its parsed forms in drafter's lexicon
    cache (its path, size and modification time); None without the file."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("pypinyin")
    if spec and spec.submodule_search_locations:
        path = os.path.join(list(spec.submodule_search_locations)[0], "pinyin_dict.json")
        if os.path.exists(path):
            st = os.stat(path)
            return path, f"{path}:{st.st_size}:{st.st_mtime_ns}".encode()
    return None


@cache
def _pinyin_table() -> dict[str, str]:
    """pypinyin's character table, ``{str(code point): "pīn,pìn"}``, read directly (importing
    pypinyin itself loads its phrase dictionary, about 0.3 s, which single characters do not
    need) and kept parsed in drafter's lexicon cache (the JSON takes ~40 ms to parse)."""
    import json

    from drafter.cache import cached

    found = _pinyin_file()
    if found is not None:
        path, key = found

        def parse() -> dict[str, str]:
            with open(path, encoding="utf-8") as fp:
                return json.load(fp)

        return cached("pinyin_dict", key, parse)
    from pypinyin.pinyin_dict import pinyin_dict
    return {str(k): v for k, v in pinyin_dict.items()}


CJK_FIRST, CJK_END = 0x4E00, 0xA000  # CJK Unified Ideographs: nearly every character written


@cache
def _cjk_pinyin() -> list[str]:
    """The table's entries for U+4E00–U+9FFF in code-point order ("" for none): one string in
    the lexicon cache, split here — ~2 ms to load, against ~35 ms for the whole table (41,923
    entries), which only a character outside the block needs."""
    from drafter.cache import cached

    found = _pinyin_file()
    if found is not None:
        key = found[1]
    else:  # the table from pypinyin's module: its version says which
        from importlib.metadata import version

        key = f"pypinyin.pinyin_dict:{version('pypinyin')}".encode()
    key += f":{CJK_FIRST:X}-{CJK_END:X}".encode()
    joined = cached("pinyin_cjk", key, lambda: "\n".join(
        _pinyin_table().get(str(cp), "") for cp in range(CJK_FIRST, CJK_END)))
    return joined.split("\n")


def _raw_readings(char: str) -> str:
    """The table's entry for ``char`` ("pīn,pìn"), "" when it has none."""
    cp = ord(char)
    if CJK_FIRST <= cp < CJK_END:
        return _cjk_pinyin()[cp - CJK_FIRST]
    return _pinyin_table().get(str(cp), "")


def _toneless(syllable: str) -> str:
    s = unicodedata.normalize("NFD", syllable)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.replace("ü", "v").lower()


@cache
def readings(char: str) -> frozenset[str]:
    """Toneless pinyin readings of one character (all of them for a polyphone); empty for a
    character the table does not know."""
    if len(char) != 1:
        raise ValueError("readings() takes one character")
    raw = _raw_readings(char)
    return frozenset(_toneless(s) for s in raw.split(",") if s)


def same_sound(a: str, b: str) -> bool:
    """Whether two characters share a reading, tones aside (宝/保, 务/物, 制/治)."""
    return bool(readings(a) & readings(b))


_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q",
             "x", "r", "z", "c", "s", "y", "w")


@cache
def _split_syllable(s: str) -> tuple[str, str]:
    for ini in _INITIALS:
        if s.startswith(ini):
            return ini, s[len(ini):]
    return "", s


@cache  # ~400 syllables: similar_sound asks for the same pairs again and again
def _near_syllables(a: str, b: str) -> bool:
    """Same initial and finals one letter apart (jin/jing, jian/jin, fen/feng), or initials
    that Mandarin speakers of many regions merge (zh/z, ch/c, sh/s, n/l, f/h) with the same
    final: the slips of a pinyin IME beyond the exact homophone."""
    ia, fa = _split_syllable(a)
    ib, fb = _split_syllable(b)
    if fa == fb:
        return {ia, ib} in ({"zh", "z"}, {"ch", "c"}, {"sh", "s"}, {"n", "l"}, {"f", "h"})
    if ia != ib:
        return False
    if abs(len(fa) - len(fb)) != 1:
        return False
    short, long_ = sorted((fa, fb), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


@cache
def primary_reading(char: str) -> str | None:
    """The first (most common) toneless reading pypinyin lists for ``char`` (省 → sheng, not
    its rare xing/xian), or None."""
    raw = _raw_readings(char)
    first = raw.split(",")[0] if raw else ""
    return _toneless(first) if first else None


def similar_sound(a: str, b: str) -> bool:
    """Whether two characters sound alike in their common readings: the same (:func:`
    primary_reading`) or one IME slip apart (:func:`_near_syllables`: 进 jin / 荐 jian,
    境 jing / 近 jin). Rare readings of polyphones (省 xian) do not count."""
    ra, rb = primary_reading(a), primary_reading(b)
    if ra is None or rb is None:
        return False
    return ra == rb or _near_syllables(ra, rb)


# Words that occur in nearly every paragraph of these reports; they carry no topic.
STOPWORDS = frozenset("""
的 了 和 与 及 等 对 在 是 为 将 把 以 于 并 由 从 向 中 上 下 其 该 各 有 无 不 也 又 都 还 更
我局 我们 进一步 加强 推进 推动 持续 不断 深入 全面 扎实 认真 积极 切实 着力 坚持 继续 强化 提升 完善 健全
工作 有关 相关 情况 方面 开展 落实 做好 抓好 一是 二是 三是 四是 五是 年度 全年 一年来
""".split())
_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


def tokenize(text: str) -> list[str]:
    """Content words of ``text``: jieba words without punctuation and stopwords."""
    return [w for w in cut(text) if _WORD.search(w) and w not in STOPWORDS]
