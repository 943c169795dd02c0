"""Names of people, organisations and places in a text — one detector for every reader of
names: the NAM rules (the same name written two ways), drafting grounding (a name the facts do
not give) and import (people with roles).

People are found in context, not from a list of names: what stands right before or after a
role or title word (律师林晓峰, 林晓锋律师, 局长李明; the words are data, ``data/roles.yaml``)
and contains a word the segmenter tags as a person name (nr), or a tagged name with a common
surname (``data/surnames.txt``). Organisations are what stands before an organisation suffix
(龙图律师事务所); places end in a level character (望川县).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Iterator

from drafter.datafiles import data_file, load_data

_ROLES_DATA = load_data("roles.yaml") or {}
# Role words next to a person's name, each with its family (data/roles.yaml, with sources).
ROLES: dict[str, str] = dict(_ROLES_DATA.get("roles") or {})
# Families that many people share in one report: a match there needs more than the role.
GENERIC_FAMILIES = frozenset(_ROLES_DATA.get("generic_families") or ())
# Families of words of address (同志, 先生): a name with one may be anyone's (data/roles.yaml).
ADDRESS_FAMILIES = frozenset(_ROLES_DATA.get("address_families") or ())
# Families of the national leadership's titles (总书记): never one of the unit's people.
NATIONAL_FAMILIES = frozenset(_ROLES_DATA.get("national_families") or ())
# Words that introduce a person without being a title (担任, 负责人 …).
CONTEXT_WORDS = frozenset(_ROLES_DATA.get("context_words") or ())
# What a role word is never followed by (律师事务所 is the firm, not a lawyer).
_NOT_AFTER_ROLE = ("事务所", "事物所")
# Organisation suffixes whose owner has a proper name (law firms, companies, schools…).
ORG_SUFFIX = re.compile(r"律师事务所|会计师事务所|有限责任公司|股份有限公司|有限公司|研究院|"
                        r"研究所|基金会|协会|商会|学会|医院|中学|小学|幼儿园|银行")
# Characters that tell apart different bodies of one kind (市/县, 第一/第二, 东/西 …): a
# difference there is another organisation, not a slip.
ADMIN_CHARS = set("省市县区镇乡村街道州盟旗东西南北中上下前后左右一二三四五六七八九十百第正副总分新老大小")
PLACE_LEVEL_CHARS = set("省市县区镇乡村州盟旗")
# POS tags that end a name: verbs, prepositions, conjunctions, particles, punctuation,
# numbers, measure words, adverbs, adjectives, time and direction words.
_STOP_POS = ("v", "p", "c", "u", "x", "m", "q", "d", "a", "t", "f", "y", "e", "o", "w")
CJK = re.compile(r"^[\u4e00-\u9fff]+$")


@dataclass(frozen=True)
class NameUse:
    """One occurrence of a candidate name: where, and the role or suffix beside it."""

    name: str
    start: int
    end: int
    family: str  # role family for people; the suffix for organisations
    word: str = ""  # the role word or suffix as written


def _hard_stop(pos: str) -> bool:
    return pos.startswith(("v", "p", "c", "u", "x", "m", "q", "y", "e", "o", "w"))


def _stop(pos: str) -> bool:
    return pos.startswith(_STOP_POS) and not pos.startswith(("vg",))


def _person_before(text: str, at: int, floor: int) -> tuple[int, int] | None:
    from drafter.text import segment

    lo = max(floor, at - 8)
    toks = segment.tokens(text[lo:at])
    taken = []
    for t in reversed(toks):
        if _stop(t.pos) or sum(len(x.word) for x in taken) + len(t.word) > 4:
            break
        taken.append(t)
    if taken and taken[-1].start == 0 and lo > floor:
        return None  # the window cut a word: not a clean name boundary
    found = _as_name(taken[::-1], lo)
    if found is None:
        for k in (3, 2):  # 党校张海洋教授 (张 + 海洋), 黄河清科长 (黄河 + 清)
            if len(toks) >= k and (len(toks) > k or toks[0].start > 0 or lo == floor):
                found = _split_name(toks[-k:], lo)
                if found:
                    break
    return found


def _person_after(text: str, at: int, ceil: int) -> tuple[int, int] | None:
    from drafter.text import segment

    hi = min(ceil, at + 6)
    toks = segment.tokens(text[at:hi])
    taken = []
    for t in toks:
        # After a one-character surname (周/nr) the given name may be tagged as an adjective
        # or adverb (明远/a): only a hard stop ends the name there.
        after_surname = len(taken) == 1 and len(taken[0].word) == 1 and \
            taken[0].pos.startswith("nr") and len(t.word) <= 2
        stop = _hard_stop(t.pos) if after_surname else _stop(t.pos)
        if stop or sum(len(x.word) for x in taken) + len(t.word) > 4:
            break
        taken.append(t)
    if taken and at + taken[-1].end == hi and hi < ceil:
        return None  # the window cut a word: not a clean name boundary
    found = _as_name(taken, at)
    if found is None:
        for k in (3, 2):  # 局长张海洋主持 (张 + 海洋), 科长黄河清牵头 (黄河 + 清)
            if len(toks) >= k and (len(toks) > k or at + toks[k - 1].end < hi or hi == ceil):
                found = _split_name(toks[:k], at)
                if found:
                    break
    return found


# POS tags a given name is never tagged with when the segmenter splits a name (张/海洋,
# 李/明亮, 杨/建设, 黄河/清): function words, numbers, measure words, pronouns, punctuation.
_NOT_NAME_PART = ("p", "c", "u", "x", "m", "q", "y", "e", "o", "w", "r", "f")
# Two-character given names are never verbs or adverbs (局长王强调 is not 王强调); verbal
# nouns are fine (杨建设).
_NOT_GIVEN_WORD = ("v", "d", "t", "z") + _NOT_NAME_PART


def _split_name(toks: list, base: int) -> tuple[int, int] | None:
    """A name the segmenter split into a surname and common words, in a person position: two
    or three tokens of two or three characters in all (four with a compound surname) that
    start with a surname of ``data/surnames.txt`` — 张 + 海洋, 李 + 明亮, 黄河 + 清 — none of
    them a function word or a role word, and not one dictionary word."""
    single, compound = surnames()
    name = "".join(t.word for t in toks)
    limit = 4 if name[:2] in compound else 3
    if len(toks) < 2 or not 2 <= len(name) <= limit or not CJK.match(name):
        return None
    if not (name[0] in single or name[:2] in compound):
        return None
    for i, t in enumerate(toks):
        if i and t.start != toks[i - 1].end:
            return None
        if ROLES.get(t.word) or t.word in CONTEXT_WORDS:
            return None
        if i == 0 and len(t.word) == 1:
            continue  # the surname on its own: any tag (张 is also a measure word)
        if i == 0 and not t.pos.startswith(("nr", "ns", "nz")):
            return None  # 黄河/清 is a name; 任期/内 is not
        bad = _NOT_GIVEN_WORD if (i and len(t.word) == 2) else _NOT_NAME_PART
        if t.pos.startswith(bad) and not t.pos.startswith("vn"):
            return None
    return base + toks[0].start, base + toks[-1].end


def _as_name(toks: list, base: int) -> tuple[int, int] | None:
    from drafter.text import segment

    if not toks or not any(t.pos.startswith("nr") for t in toks):
        return None
    name = "".join(t.word for t in toks)
    if not (2 <= len(name) <= 4) or not CJK.match(name) or ROLES.get(name):
        return None
    if len(toks) == 1 and segment.has_word(name) and not toks[0].pos.startswith("nr"):
        return None
    return base + toks[0].start, base + toks[-1].end


def lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line of ``text`` (a Report's paragraphs, for ``Report.text``)."""
    start = 0
    for line in text.split("\n"):
        yield start, start + len(line)
        start += len(line) + 1


@cache
def _role_index():
    from drafter.text.phrases import PhraseIndex

    return PhraseIndex(sorted(ROLES, key=len, reverse=True))


def role_words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of the role words of ``text`` in order: at each place the longest
    word not followed by 事务所, none overlapping the one before — what the regular expression
    ``(?:longest|…|shortest)(?!事[务物]所)`` finds, from one pass of an automaton over the text
    (the alternation of ~80 words, tried at every character that starts one, takes three
    times as long)."""
    index = _role_index()
    out: list[tuple[int, int, str]] = []
    pos = 0
    for s, e, k in index.find_all(text):  # by start, the longer first
        if s < pos or text[e:e + 3] in _NOT_AFTER_ROLE:
            continue  # inside the word before; or the firm: a shorter word here may do
        out.append((s, e, index.phrases[k]))
        pos = e
    return out


def _roles_by_line(text: str) -> Iterator[tuple[int, int, list[tuple[int, int, str]]]]:
    """(start, end, role words) of each line of ``text`` that has role words (no role word
    spans a line)."""
    found = role_words(text)
    i = 0
    for lo, hi in lines(text):
        if i == len(found):
            return
        j = i
        while j < len(found) and found[j][1] <= hi:
            j += 1
        if j > i:
            yield lo, hi, found[i:j]
        i = j


def person_uses(text: str) -> list[NameUse]:
    """Names standing right before or after a role word, in text order (within a line)."""
    out: list[NameUse] = []
    for lo, hi, roles in _roles_by_line(text):
        for start, end, word in roles:
            fam = ROLES[word]
            for span in (_person_before(text, start, lo), _person_after(text, end, hi)):
                if span:
                    out.append(NameUse(text[span[0]:span[1]], span[0], span[1], fam, word))
    out += _variant_uses(text, out)
    return sorted(set(out), key=lambda u: u.start)


def _variant_uses(text: str, uses: list[NameUse]) -> list[NameUse]:
    """Spans beside a role word that jieba does not tag as a name but that are a found name
    of three or more characters with one sound-alike given-name character changed (律师周启茗
    next to 周启明律师): the same-length span right before or after a role word of the same
    family. The surname must be the same, so 王强/李强 are never paired.

    The found names are indexed by their one-character-blanked forms (周启明 → _启明, 周_明,
    周启_), so each span beside a role word is compared with the names one character away
    from it only: linear in the text, however many names it has."""
    index: dict[str, dict[tuple[int, str, str], set[str]]] = defaultdict(lambda: defaultdict(set))
    lengths: dict[str, set[int]] = defaultdict(set)
    for u in uses:
        if len(u.name) >= 3:
            lengths[u.family].add(len(u.name))
            for i in range(1, len(u.name)):
                index[u.family][(i, u.name[:i], u.name[i + 1:])].add(u.name)
    out: list[NameUse] = []
    if not lengths:
        return out
    for lo, hi, roles in _roles_by_line(text):
        for start, end, word in roles:
            fam = ROLES[word]
            for L in sorted(lengths.get(fam, ())):
                for s in (start - L, end):
                    w = text[max(s, lo):min(s + L, hi)]
                    if len(w) != L or not CJK.match(w):
                        continue
                    for k in range(1, L):  # never the surname (k = 0)
                        for name in index[fam].get((k, w[:k], w[k + 1:]), ()):
                            if name != w and sound_alike(w, name, k):
                                out.append(NameUse(w, s, s + L, fam, word))
    return out


# ---- necessary conditions, without the segmenter ------------------------------------------
#
# The segmenter (rjieba: ~0.3 s to load, ~1 ms a report) decides where a name beside a role word
# or before a suffix begins. Whatever it decides, a name is one of a few spans of the line
# right there (two to four characters ending at the role word or starting after it; two to
# four characters and the suffix), so when no two such spans could be one sound-alike character
# apart, no finding that compares two names is possible and the segmenter is not needed.


def _one_apart_pairs(words: set[str]) -> bool:
    """Whether two of ``words`` (one length) differ in exactly one sound-alike character."""
    seen: dict[tuple[int, str], list[str]] = {}
    for w in words:
        for i in range(len(w)):
            key = (i, w[:i] + w[i + 1:])
            others = seen.get(key)
            if others is None:
                seen[key] = [w]  # the common case: no other word with this rest
                continue
            if any(sound_alike(w, other, i) for other in others):
                return True
            others.append(w)
    return False


_CJK_BEFORE = re.compile(r"[\u4e00-\u9fff]{1,4}\Z")
_CJK_AFTER = re.compile(r"[\u4e00-\u9fff]{1,4}")


def person_pairs_possible(text: str) -> bool:
    """False when no two names beside role words of one family (:func:`person_uses`, their
    sound-alike variants included) can be one sound-alike character apart — a necessary
    condition of every pair the NAM rules compare, checked without the segmenter."""
    spans: dict[tuple[str, int], set[str]] = defaultdict(set)
    address: dict[int, set[str]] = defaultdict(set)  # by a word of address: any family's
    before, after = _CJK_BEFORE.search, _CJK_AFTER.match
    # Role words never span a line, so one scan of the text finds those of every line. The
    # spans are the two to four Chinese characters right before and right after the word.
    for lo, hi, word in role_words(text):
        fam = ROLES[word]
        b = before(text, max(0, lo - 4), lo)
        a = after(text, hi)
        for run, tail in ((b.group() if b else "", True), (a.group() if a else "", False)):
            for n in range(2, len(run) + 1):
                w = run[-n:] if tail else run[:n]
                spans[fam, n].add(w)
                if n >= 3 and fam in ADDRESS_FAMILIES:
                    address[n].add(w)
    return any(len(words) > 1 and _one_apart_pairs(words) for words in spans.values()) or any(
        _one_apart_pairs(words | address[n]) for (_, n), words in spans.items() if address.get(n))


def org_candidates(text: str) -> set[str]:
    """Every span :func:`org_uses` could return, whatever the segmenter decides: two to four
    characters of the same line before an organisation suffix, and the suffix."""
    out: set[str] = set()
    for m in ORG_SUFFIX.finditer(text):
        floor = text.rfind("\n", 0, m.start()) + 1
        for s in range(max(floor, m.start() - 4), m.start() - 1):
            out.add(text[s:m.end()])
    return out


def org_uses(text: str) -> list[NameUse]:
    """Organisation names: two to four characters of proper name before a suffix."""
    from drafter.text import segment

    out: list[NameUse] = []
    for m in ORG_SUFFIX.finditer(text):
        floor = text.rfind("\n", 0, m.start()) + 1
        lo = max(floor, m.start() - 8)
        toks = segment.tokens(text[lo:m.start()])
        taken = []
        for t in reversed(toks):
            if t.pos.startswith(("v", "p", "c", "u", "x", "m", "q")) or \
                    sum(len(x.word) for x in taken) + len(t.word) > 4:
                break
            taken.append(t)
        if taken and taken[-1].start == 0 and lo > floor:
            taken.pop()  # cut by the window
        start = lo + taken[-1].start if taken else m.start()
        # Leading place and level characters (市、县 …) are not part of the proper name.
        while start < m.start() and text[start] in PLACE_LEVEL_CHARS:
            start += 1
        if m.start() - start >= 2:
            out.append(NameUse(text[start:m.end()], start, m.end(), m.group(0), m.group(0)))
    return out


def one_apart(a: str, b: str) -> int | None:
    """The index where two equal-length strings differ, if they differ in exactly one place."""
    if len(a) != len(b) or a == b:
        return None
    diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    return diff[0] if len(diff) == 1 else None


def sound_alike(a: str, b: str, i: int) -> bool:
    from drafter.text import segment

    return segment.same_sound(a[i], b[i])


# ---- grounding's candidates ---------------------------------------------------------------

# Words beside a two-character tagged name that make it a person.
PERSON_CUES = frozenset(ROLES) | CONTEXT_WORDS
_TAGGED_NAME = ("nr", "nrfg", "nrt")


@cache
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    """(single-character surnames, compound surnames) from ``data/surnames.txt``."""
    raw = data_file("surnames.txt").read_text(encoding="utf-8")
    words = [w for line in raw.splitlines() if not line.startswith("#") for w in line.split()]
    return (frozenset(w for w in words if len(w) == 1), frozenset(w for w in words if len(w) > 1))


def tagged_people(text: str) -> list[str]:
    """Names the segmenter tags as a person's, with a common surname: three characters, or two
    beside a role or context word (周明律师, 由李明负责)."""
    from drafter.text.segment import tag

    single, compound = surnames()
    toks = tag(text)
    out = []
    for i, (w, p) in enumerate(toks):
        if p not in _TAGGED_NAME or not 2 <= len(w) <= 4 or not CJK.match(w) or w[-1] in "省市县区州镇乡村":
            continue
        prev = toks[i - 1][0] if i else ""
        nxt = toks[i + 1][0] if i + 1 < len(toks) else ""
        if (w[0] in single or w[:2] in compound) and (len(w) == 3 or prev in PERSON_CUES or nxt in PERSON_CUES):
            out.append(w)
    return out


def name_candidates(text: str) -> list[tuple[str, str]]:
    """(name, what) pairs — what is 人名, 地名 or 单位名称 — for the people, places and
    organisations named in ``text``, in order: people in a person position (beside a role or
    title word, split names included, :func:`person_uses`) or tagged as a person's name with a
    common surname; named organisations of every kind and named places
    (:mod:`drafter.text.orgs`). ``text`` should have its 《》 titles blanked."""
    from drafter.text.orgs import organisations, places

    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for name in [u.name for u in person_uses(text)] + tagged_people(text):
        if name not in seen:
            seen.add(name)
            out.append((name, "人名"))
    for m in [*organisations(text), *places(text)]:
        if m.text not in seen:
            seen.add(m.text)
            out.append((m.text, m.kind))
    return out
