"""The law lexicon (``data/laws.yaml``): loading, title normalisation and look-up.

The LAW rules and the drafter's grounding both ask one question of a 《》 title: is it a
document we know, a known document written wrongly, or something we cannot verify? This
module answers it. Titles are compared in *normal form*: without 《》, nested book-title
marks as 〈〉, full-width brackets, 一字线 between years, no spaces (:func:`punct_key`).
Differences of punctuation alone are the FMT rules' concern, so they do not make a title
unknown here.

Loading: the YAML is parsed once per process with the libyaml-backed ``CSafeLoader`` of PyYAML
(about 40 ms for 380 entries; ruamel's safe loader takes about 390 ms on the same file), and
falls back to ruamel when libyaml is missing. The index is cached in memory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from drafter.datafiles import load_data

PRC = "中华人民共和国"
# Issuers whose name may stand before "关于…" in a central document's title, or be left off.
_CENTRAL_ISSUER = re.compile(
    r"^(?:(?:中共中央办公厅|国务院办公厅|中共中央|国务院|中央全面依法治国委员会(?:办公室)?|"
    r"全国人民代表大会常务委员会|全国人大常委会|最高人民法院|最高人民检察院|中央宣传部|"
    r"中共中央宣传部|司法部)[、，\s]*)+")
_NESTED_OPEN = re.compile(r"[<＜《〈]")
_NESTED_CLOSE = re.compile(r"[>＞》〉]")
# Between two years, the character 一 (yī) stands for the 一字线 as often as a hyphen does:
# both are punctuation slips (FMT008), not a different title.
_DASH_BETWEEN_DIGITS = re.compile(r"(?<=\d)\s*[-‐‑–—―－~～至一]+\s*(?=\d)")
_YEAR_RANGE = re.compile(r"[（(]?\s*((?:19|20)\d\d)\s*年?\s*[-‐‑–—―－~～至一]+\s*((?:19|20)\d\d)\s*年?\s*[)）]?"
                         r"(?=$|〉)")
_TRAILING_YEAR_RANGE = re.compile(r"（(?:19|20)\d\d—(?:19|20)\d\d年）$")


def strip_book_marks(title: str) -> str:
    """The title without its outer 《》 (if present)."""
    t = title.strip()
    if t.startswith("《") and t.endswith("》"):
        t = t[1:-1]
    return t


def punct_key(title: str) -> str:
    """Normal form for look-up: nested marks 〈〉, full-width brackets, 一字线 between years,
    no spaces. Two titles with the same key differ in punctuation only."""
    t = strip_book_marks(title)
    t = _NESTED_OPEN.sub("〈", t)
    t = _NESTED_CLOSE.sub("〉", t)
    t = t.replace("(", "（").replace(")", "）")
    t = _DASH_BETWEEN_DIGITS.sub("—", t)
    t = re.sub(r"[\s\u3000]+", "", t)
    return t


def year_key(title: str) -> str:
    """:func:`punct_key` with a trailing year range rewritten as （2021—2025年）."""
    return _YEAR_RANGE.sub(lambda m: f"（{m.group(1)}—{m.group(2)}年）", punct_key(title))


def without_prc(key: str) -> str:
    return key[len(PRC):] if key.startswith(PRC) else key


@dataclass(frozen=True)
class LawEntry:
    """One document of the lexicon. ``status`` is ``current`` or ``repealed``; ``repealed_on``
    is None when the lexicon gives no date (then it was replaced long ago)."""

    title: str
    short: tuple[str, ...] = ()
    kind: str = ""
    status: str = "current"
    effective: date | None = None
    repealed_on: date | None = None
    replaced_by: str | None = None
    doc_number: str | None = None
    note: str | None = None
    source: str = ""

    @property
    def repealed(self) -> bool:
        return self.status == "repealed"


@dataclass(frozen=True)
class Misnaming:
    """A wrong title (or system name) seen in real reports and the right one."""

    wrong: str
    right: str
    source: str


@dataclass(frozen=True)
class Match:
    """How a title relates to the lexicon.

    ``how`` is ``exact`` (the title or an accepted short name, punctuation aside),
    ``misnamed`` (a known wrong form), ``year-range`` (the year range is incomplete or
    distorted), ``fuzzy`` (one character inserted, dropped or replaced). ``right`` is the
    title to suggest (for ``exact`` the title as cited is fine); ``ops`` the edit kinds of a
    fuzzy match ("insert", "delete", "replace").
    """

    how: str
    entry: LawEntry | None
    right: str
    ops: tuple[str, ...] = ()
    changed: tuple[str, str] = ("", "")  # (as written, as it should be) for a fuzzy replace


MATCH_MEMO = 4096  # titles remembered by LawLexicon.match


@dataclass
class LawLexicon:
    """The indexed lexicon: entries, known mis-namings and mis-named systems (see match())."""

    entries: list[LawEntry]
    misnamings: list[Misnaming]
    systems: list[Misnaming]
    _exact: dict[str, LawEntry] = field(default_factory=dict, repr=False)
    _year: dict[str, LawEntry] = field(default_factory=dict, repr=False)
    _about: dict[str, LawEntry] = field(default_factory=dict, repr=False)
    _wrong: dict[str, Misnaming] = field(default_factory=dict, repr=False)
    _fuzzy_keys: list[str] = field(default_factory=list, repr=False)
    _fuzzy_map: dict[str, LawEntry] = field(default_factory=dict, repr=False)
    # match() of the titles asked for so far: the lexicon does not change once built, and a
    # unit's reports cite the same laws again and again (a fuzzy look-up is ~0.1 ms).
    _matched: dict[str, "Match | None"] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for e in self.entries:
            for name in (e.title, *e.short):
                k = punct_key(name)
                self._exact.setdefault(k, e)
                self._exact.setdefault(without_prc(k), e)
                # The year-less form of a dated programme (《法治政府建设实施纲要》) names the
                # current edition; a repealed edition must not claim it.
                base = _TRAILING_YEAR_RANGE.sub("", k)
                if base != k and (e.status == "current" or base not in self._year):
                    self._year[base] = e
                if "关于" in k:
                    about = _CENTRAL_ISSUER.sub("", k)
                    if about.startswith("关于"):
                        self._about.setdefault(about, e)
                self._fuzzy_map.setdefault(without_prc(k), e)
        for m in self.misnamings:
            self._wrong[punct_key(m.wrong)] = m
        self._fuzzy_keys = list(self._fuzzy_map)

    # -- look-up ---------------------------------------------------------------------------
    def entry(self, title: str) -> LawEntry | None:
        """The entry a title names exactly (full title or accepted short name, punctuation
        and the 中华人民共和国 prefix aside), or None."""
        k = punct_key(title)
        hit = self._exact.get(k) or self._exact.get(without_prc(k))
        if hit:
            return hit
        if k in self._year:  # a dated programme cited without its years
            return self._year[k]
        if "关于" in k:
            about = _CENTRAL_ISSUER.sub("", k)
            if about.startswith("关于") and about in self._about:
                return self._about[about]
        return None

    def by_title(self, title: str) -> LawEntry | None:
        return self._exact.get(punct_key(title))

    def is_known(self, title: str) -> bool:
        return self.entry(title) is not None

    def match(self, title: str) -> Match | None:
        """Classify a title against the lexicon (see :class:`Match`), or None if nothing is
        close. Order: exact, known mis-naming, year-range distortion, 法制/法治, fuzzy."""
        try:
            return self._matched[title]
        except KeyError:
            pass
        if len(self._matched) >= MATCH_MEMO:
            self._matched.clear()
        found = self._matched[title] = self._match(title)
        return found

    def _match(self, title: str) -> Match | None:
        e = self.entry(title)
        if e is not None:
            return Match("exact", e, e.title)
        k = punct_key(title)
        m = self._wrong.get(k) or self._wrong.get(without_prc(k))
        if m is not None:
            return Match("misnamed", self.by_title(m.right), m.right)
        yk = year_key(title)
        if yk != k and (e := self.entry(yk)) is not None:
            return Match("year-range", e, e.title)
        if "法制" in yk and (e := self.entry(yk.replace("法制", "法治"))) is not None:
            return Match("misnamed", e, e.title)
        return self._fuzzy(yk) or self._near(yk)

    def _near(self, key: str) -> Match | None:
        """A word slip (see :func:`near_slip`) of exactly one known title, else None."""
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        q = without_prc(key)
        if len(q) < 4:
            return None
        found: dict[int, tuple[LawEntry, tuple[str, ...], tuple[str, str]]] = {}
        for cand, _, _ in process.extract(q, self._fuzzy_keys, scorer=Levenshtein.distance,
                                          score_cutoff=MAX_MISSING_RUN, limit=None):
            slip = near_slip(q, cand)
            if slip is not None:
                e = self._fuzzy_map[cand]
                found.setdefault(id(e), (e, *slip))
        if len(found) != 1:
            return None  # nothing close, or several documents: not a guess to make
        e, ops, changed = next(iter(found.values()))
        return Match("fuzzy", e, e.title, ops, changed)

    def _fuzzy(self, key: str) -> Match | None:
        """One character inserted, dropped or replaced in a title of at least six characters
        (the 中华人民共和国 prefix aside). Shorter titles (《铁路法》 vs 《公路法》) are too
        often different documents to guess."""
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        q = without_prc(key)
        if len(q) < 6:
            return None
        best = process.extractOne(q, self._fuzzy_keys, scorer=Levenshtein.distance,
                                  score_cutoff=1)
        if best is None:
            return None
        cand = best[0]
        # A title that contains a known one (海洋环境保护法 ⊃ 环境保护法) is another document.
        if cand in q or q in cand or min(len(cand), len(q)) < 6:
            return None
        entry = self._fuzzy_map[cand]
        ops = Levenshtein.editops(q, cand)
        kinds = tuple(op.tag for op in ops)
        changed = ("", "")
        if kinds == ("replace",):
            changed = (q[ops[0].src_pos], cand[ops[0].dest_pos])
        return Match("fuzzy", entry, entry.title, kinds, changed)

    def system(self, text: str) -> list[tuple[int, Misnaming]]:
        """Known mis-named systems (依法行政公示制度 …) in ``text``: (offset, misnaming)."""
        out = []
        for m in self.systems:
            start = 0
            while (i := text.find(m.wrong, start)) >= 0:
                out.append((i, m))
                start = i + len(m.wrong)
        return sorted(out, key=lambda t: t[0])


# The kind word ending a title, after bracketed qualifiers such as （试行） or （2021—2025年）.
_KIND = re.compile(r"(法典|法|条例|规定|办法|细则|纲要|规划|意见|决定|通知|方案|准则|规则|计划)"
                   r"((?:（[^（）]{1,12}）)*)$")
# Kinds a writer confuses: a law (法) cited as a regulation (条例) and back; and the kinds of
# a policy document (a province's 实施方案 cited as 实施纲要), the rest of the title identical.
_SWAPPABLE_KINDS = {"法", "法典", "条例"}
_POLICY_KINDS = {"方案", "纲要", "规划", "意见", "办法", "规定", "细则", "计划"}
# A run of characters left out of a long title ("…履行推进第一责任人职责规定" for "…履行推进法治建设
# 第一责任人职责规定", "法治政府建设督察工作规定" for "法治政府建设与责任落实督察工作规定"): up
# to this many, when what is left is a title of its own length (at least MIN_CORE_LEFT
# characters) and the run is at most half the title's core. Extra runs are shorter: a longer
# insertion names another document more often than a slip does.
MAX_MISSING_RUN = 6
MAX_EXTRA_RUN = 4
MIN_CORE_LEFT = 6


def split_kind(key: str) -> tuple[str, str, str]:
    """(core, kind, qualifiers) of a title key without 中华人民共和国; kind is "" when the title
    does not end in a known kind word."""
    m = _KIND.search(key)
    if m is None or m.start() == 0:
        return key, "", ""
    return key[:m.start()], m.group(1), m.group(2)


def near_slip(q: str, cand: str) -> tuple[tuple[str, ...], tuple[str, str]] | None:
    """How ``q`` (as written) is a word slip of the known title ``cand`` — both without
    中华人民共和国 — as (edit kinds, (as written, as it should be)), or None.

    Two slips are recognised beyond the one-character ones of ``_fuzzy``: the kind word
    swapped with the rest identical (行政复议条例 for 行政复议法), and a word of up to two
    characters inserted or dropped inside the title, kind and qualifiers unchanged (信访工作
    管理条例, 传染病法 for 传染病防治法) — or, in a long title, a run of up to
    ``MAX_MISSING_RUN`` characters left out (法治政府建设督察工作规定 for 法治政府建设与责任落实
    督察工作规定) or of ``MAX_EXTRA_RUN`` put in. A title containing the other or contained in it
    (海洋环境保护法 / 环境保护法) is another document, and so is a core of fewer than three
    characters (铁路法 / 公路法)."""
    from rapidfuzz.distance import Levenshtein

    if q == cand or q in cand or cand in q:
        return None
    qc, qk, qt = split_kind(q)
    cc, ck, ct = split_kind(cand)
    if not qk or not ck or qt != ct or min(len(qc), len(cc)) < 3:
        return None
    if qc == cc:
        if qk != ck and ({qk, ck} <= _SWAPPABLE_KINDS or {qk, ck} <= _POLICY_KINDS) and len(qc) >= 4:
            return ("kind",), (qk, ck)
        return None
    if qk != ck or max(len(qc), len(cc)) < 5:
        return None
    ops = Levenshtein.editops(qc, cc)
    tags = {op.tag for op in ops}
    if len(tags) != 1 or "replace" in tags:
        return None  # substitutions are _fuzzy's (one) or another document's (two)
    if len(ops) > 2:  # a longer run: only out of (or into) a long title, see MAX_MISSING_RUN
        limit = MAX_MISSING_RUN if "insert" in tags else MAX_EXTRA_RUN
        if len(ops) > limit or min(len(qc), len(cc)) < MIN_CORE_LEFT or len(ops) * 2 > len(cc):
            return None
    pos = [op.src_pos if op.tag == "delete" else op.dest_pos for op in ops]
    if pos != list(range(pos[0], pos[0] + len(pos))):
        return None  # not one word: two separate changes
    if "delete" in tags:  # q has extra characters (as written)
        return ("insert",) * len(ops), (qc[pos[0]:pos[-1] + 1], "")
    return ("delete",) * len(ops), ("", cc[pos[0]:pos[-1] + 1])


def _as_date(v: Any) -> date | None:
    if v is None or isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v))
    except ValueError:
        return None




@cache
def law_lexicon() -> LawLexicon:
    """The law lexicon, loaded and indexed once per process."""
    data = load_data("laws.yaml") or {}
    entries = []
    for raw in data.get("entries") or []:
        entries.append(LawEntry(
            title=str(raw["title"]), short=tuple(str(s) for s in raw.get("short") or ()),
            kind=str(raw.get("kind") or ""), status=str(raw.get("status") or "current"),
            effective=_as_date(raw.get("effective")), repealed_on=_as_date(raw.get("repealed_on")),
            replaced_by=raw.get("replaced_by"), doc_number=raw.get("doc_number"),
            note=raw.get("note"), source=str(raw.get("source") or "")))

    def mis(items):
        return [Misnaming(str(m["wrong"]), str(m["right"]), str(m.get("source") or ""))
                for m in items or []]

    return LawLexicon(entries, mis(data.get("known_misnamings")), mis(data.get("misnamed_systems")))


@cache
def law_lexicon_with(local: tuple[Any, ...]) -> LawLexicon:
    """The law lexicon plus a locality's own titles (``drafter.toml`` ``[[titles]]``:
    :class:`drafter.config.LocalTitle` — title, short names, former names), cached per set of
    titles. A former name is a known mis-naming of the current title."""
    base = law_lexicon()
    entries = list(base.entries) + [
        LawEntry(title=t.title, short=tuple(t.short), kind=t.kind or "local",
                 source=t.source or "drafter.toml") for t in local]
    mis = list(base.misnamings) + [Misnaming(f, t.title, t.source or "drafter.toml")
                                   for t in local for f in t.former]
    return LawLexicon(entries, mis, list(base.systems))
