"""的 for 地 beyond the list of confusions.yaml: an adverbial, 的, then a verb with an object —
"创造性的落实耕地保护制度", "高标准的推动法治政府建设", "依法、审慎的适用不予处罚规定" (rule
TYP003). The adverbial shapes, the verbs and the exclusions are data
(``de_di_generalized`` and ``de_di_pattern`` in ``checker/data/confusions.yaml``); jieba's
segmentation tells where the verb ends and whether an object follows it (or was put before it
with 对/把: "对群众反映的问题及时、妥善的处置，").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache


# After the verb, these start no object: a particle, a conjunction, or a time word that makes
# the verb phrase a clause of time ("系统性的梳理后").
# Prepositions that put the object before the verb (对问题……处置).
_FRONTING = ("对", "把")
_NO_OBJECT = ("的", "了", "是", "和", "与", "及", "后", "时", "中", "前", "等", "过程", "以后", "之后")


@dataclass(frozen=True)
class DeDi:
    start: int  # where the adverbial starts
    end: int  # after the verb
    adverbial: str
    verb: str
    at: int  # the offset of 的


@dataclass(frozen=True)
class _Rules:
    after_de: re.Pattern[str]  # 的 + a listed verb
    adverbial: re.Pattern[str]  # an adverbial shape ending right before 的
    nominalisers: tuple[str, ...]
    noun_heads: tuple[str, ...]


@cache
def _rules() -> _Rules:
    from drafter.datafiles import load_data

    data = load_data("confusions.yaml") or {}
    gen = data.get("de_di_generalized") or {}
    base = data.get("de_di_pattern") or {}
    # Longest first; words of one length in a fixed order, so the pattern is the same text in
    # every process (its compiled program is then reused from drafter.cache).
    verbs = sorted(set(gen.get("verbs") or []) | set(base.get("verbs") or []), key=lambda w: (-len(w), w))
    adverbs = sorted(base.get("adverbs") or [], key=len, reverse=True)
    nouns = "|".join(map(re.escape, gen.get("standard_nouns") or []))
    words = "|".join(map(re.escape, sorted(set(gen.get("series_adverbs") or []) | set(adverbs),
                                           key=lambda w: (-len(w), w))))
    shapes = [r"[\u4e00-\u9fff]{2}[性化]", rf"[高严](?:{nouns})",
              rf"(?:(?:{words})、)+(?:{words})"]
    if adverbs:
        shapes.append("|".join(map(re.escape, adverbs)))
    return _Rules(re.compile("的(" + "|".join(map(re.escape, verbs)) + ")"),
                  re.compile("(?:" + "|".join(shapes) + ")$"),
                  tuple(base.get("unless_after") or ()) + ("具有", "富有", "体现", "保持", "坚持"),
                  tuple(base.get("unless_before") or ()))


def _object_fronted(text: str, start: int) -> bool:
    """Whether the clause before ``start`` puts the verb's object first with 对/把 ("对群众反映
    的问题及时、妥善的处置，"): the verb at the clause's end then still has its object."""
    from drafter.text.segment import tag

    clause = re.split(r"[，。；：！？,;:!?\n（）()“”《》]", text[max(0, start - 40):start])[-1]
    tagged = tag(clause)
    # 对 + the object, right before the adverbial (not 对…实行常态化的研究: a verb of its own)
    return (len(tagged) >= 2 and any(w in _FRONTING for w, _ in tagged[:-1])
            and tagged[-1][1].startswith(("n", "r")))


def de_for_di(text: str) -> list[DeDi]:
    """Every "adverbial 的 verb object" of ``text`` (see the module docstring)."""
    from drafter.text.segment import cut

    rules = _rules()
    out: list[DeDi] = []
    for m in rules.after_de.finditer(text):
        k = m.start()
        left = text[max(0, k - 12):k]
        left = re.split(r"[，。；：！？,;:!?\n（）()“”《》]", left)[-1]
        a = rules.adverbial.search(left)
        if a is None:
            continue
        adverbial = a.group()
        before = left[:a.start()]
        if before.endswith(rules.nominalisers):
            continue  # 进行系统性的梳理, 实现高质量的发展: the verb is a noun here
        clause = re.split(r"[，。；：！？,;:!?\n]", text[k + 1:k + 24])[0]
        words = cut(clause)
        verb = m.group(1)
        if not words or words[0] != verb:
            continue  # the verb starts a longer word (实施方案)
        start = k - len(adverbial)
        if len(words) < 2:
            if not _object_fronted(text, start):
                continue  # nothing follows the verb: a noun (…进行了系统性的梳理。)
        elif clause[len(verb):].startswith(rules.noun_heads + _NO_OBJECT):
            continue
        out.append(DeDi(start, k + 1 + len(verb), adverbial, verb, k))
    return out
