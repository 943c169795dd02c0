"""Organisations and places named in a text (for grounding: is each one in the facts?).

- **Organisations** of every kind end in a word that says what they are — 律师事务所、公司、
  学院、大学、党校、联合会、工商联、委员会、协会、中心、研究院、医院、法院、检察院、银行… (the
  suffixes are data, ``data/org_place_words.yaml``, with sources). The name is the run of words
  before the suffix back to a verb, preposition, conjunction, punctuation or number; a name
  that is only generic words (人民法院, 各级党委, 有关协会, 服务中心) is a mention of a kind of
  body, not of one body, and is not returned.
- **Places** are proper names the segmenter tags as places or names (ns/nr/nz), ending in a
  level character or followed by one — 省、市、县、区、州、镇、乡、村、街道、社区 (青山镇, 青峰区,
  东湖街道); generic words (城区、辖区、各乡镇、全县) are not places.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from drafter.datafiles import load_data


@dataclass(frozen=True)
class Mention:
    """A named organisation (``kind`` 单位名称) or place (地名) at ``start``–``end``."""

    text: str
    kind: str
    start: int
    end: int


def _alternation(words: list[str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


@cache
def _org_data() -> tuple[re.Pattern[str], frozenset[str], re.Pattern[str], re.Pattern[str]]:
    data = load_data("org_place_words.yaml") or {}
    suffixes = [str(s["word"]) for s in data.get("suffixes") or []]
    generic = frozenset(str(w) for w in data.get("generic_words") or [])
    level = re.compile(f"^(?:{_alternation(data.get('level_words') or [])})+")
    quantifier = re.compile(f"^(?:{_alternation(data.get('quantifier_words') or [])})")
    return re.compile(_alternation(suffixes)), generic, level, quantifier


# POS tags that end an organisation's name, walking back from its suffix.
_ORG_STOP = ("v", "p", "c", "u", "x", "m", "q", "d", "r", "y", "e", "o", "w", "f")
LEVEL_CHARS = "省市县区州盟旗镇乡村"
_LEVEL_WORDS = ("街道", "社区", "开发区", "新区", "园区") + tuple(LEVEL_CHARS)
_PLACE_POS = ("ns", "nr", "nz", "nrt", "nrfg")
# Level words after which a common noun may be a place's name (东风街道, 和平村), unless it is one
# of the generic words of the data file (示范村, 试点社区).
_LOCAL_LEVELS = ("街道", "社区", "镇", "乡", "村")


@cache
def _generic_place_names() -> frozenset[str]:
    return frozenset(str(w) for w in (load_data("org_place_words.yaml") or {}).get("generic_place_names") or [])
_GENERIC_PLACE_START = set("各全本我该每")
CJK_ONLY = re.compile(r"^[\u4e00-\u9fff]+$")
# Verbs the segmenter may tag as nouns right before an organisation's name.
_LEAD_VERB = re.compile(r"(?:会同|联合|协同|配合|邀请|依托|联同|携手|委托|联系|与|和|及)+")


def organisations(text: str) -> list[Mention]:
    """Named organisations in ``text`` (one line at a time; 《》 titles should be blanked)."""
    from drafter.text import segment

    suffix_re, generic, level, quantifier = _org_data()
    out: list[Mention] = []
    for m in suffix_re.finditer(text):
        floor = text.rfind("\n", 0, m.start()) + 1
        lo = max(floor, m.start() - 14)
        toks = segment.tokens(text[lo:m.start()])
        taken = []
        for t in reversed(toks):
            if t.pos.startswith(_ORG_STOP) or sum(len(x.word) for x in taken) + len(t.word) > 12:
                break
            taken.append(t)
        if taken and taken[-1].start == 0 and lo > floor:
            taken.pop()  # cut by the window
        start = lo + taken[-1].start if taken else m.start()
        if (v := _LEAD_VERB.match(text, start, m.start())) is not None:
            start = v.end()  # 会同/联合 … are tagged as nouns at times
        name = text[start:m.end()]
        before = text[start:m.start()]
        proper = level.sub("", before)
        if not proper or proper in generic or all(w in generic for w in segment.cut(proper)):
            # Only generic words: a kind of body (人民法院, 各级党委) — unless a level word makes
            # it the one body of a place (县人民法院, 省委党校).
            if proper == before or quantifier.match(before) or not before:
                continue
        out.append(Mention(name, "单位名称", start, m.end()))
    # An organisation inside a longer one (澄州学院 in 澄州学院法学院) is the same mention.
    return [o for o in out if not any(p is not o and p.start <= o.start and o.end <= p.end
                                      and (p.end - p.start) > (o.end - o.start) for p in out)]


def places(text: str) -> list[Mention]:
    """Named places in ``text``: proper names with a level character (see module docstring)."""
    from drafter.text import segment

    toks = segment.tokens(text)
    out: list[Mention] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        common_name = (t.pos == "n" and len(t.word) == 2 and nxt is not None and nxt.start == t.end
                       and nxt.word in _LOCAL_LEVELS and t.word not in _generic_place_names()
                       and CJK_ONLY.match(t.word))
        if not t.pos.startswith(_PLACE_POS) and not common_name:
            i += 1
            continue
        j = i  # a run of proper-name tokens (青/山镇, 东湖/街道)
        while j + 1 < len(toks) and toks[j + 1].pos.startswith(_PLACE_POS) and toks[j + 1].start == toks[j].end:
            j += 1
        word = text[t.start:toks[j].end]
        end = toks[j].end
        if j + 1 < len(toks) and toks[j + 1].word in _LEVEL_WORDS and toks[j + 1].start == end:
            end = toks[j + 1].end
            word = text[t.start:end]
        i = j + 1
        if not word.endswith(_LEVEL_WORDS) or len(word) < 3 or word[0] in _GENERIC_PLACE_START:
            continue
        level = next(w for w in _LEVEL_WORDS if word.endswith(w))
        if word[: -len(level)] in _generic_place_names():
            continue  # 城市社区, 农村社区: a kind of place
        out.append(Mention(word, "地名", t.start, end))
    return out
