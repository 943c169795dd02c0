"""NAM — names: the same person or organisation written two ways.

Candidates are found in context, not from a list of names: a person name is what stands
right before or after a role word (律师林晓峰, 林晓锋律师, 局长李明) and contains a word jieba
tags as a person name (nr); an organisation is what stands before an organisation suffix
(龙图律师事务所). Two forms are the same name written two ways when they have the same length,
differ in exactly one character, the two characters sound alike (宝/保, 务/物 — most slips are
picked from the IME's homophone list) and, for people, both stand by the same kind of role.
Different people in one list (王强、王刚) are never compared: forms that occur in one sentence
are taken to be different names.

When a facts file is given (``CheckOptions.facts``), its people and organisations are the
reference: a form one sound-alike character away from a facts name is an error.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from drafter.checker.context import CheckContext
from drafter.checker.finding import Hit
from drafter.checker.registry import rule
from drafter.report import Report

# Role words that stand next to a person's name, each with its family (a lawyer engaged as
# legal adviser is called both 律师 and 法律顾问). The pattern below tries the longest first.
ROLES: dict[str, str] = {
    "法律顾问": "legal", "律师": "legal", "公职律师": "legal",
    "党组书记": "secretary", "党委书记": "secretary", "副书记": "deputy-secretary",
    "书记": "secretary", "副局长": "deputy-director", "局长": "director",
    "副主任": "deputy-head", "主任": "head", "副县长": "deputy-mayor", "县长": "mayor",
    "副市长": "deputy-mayor", "市长": "mayor", "副区长": "deputy-mayor", "区长": "mayor",
    "镇长": "mayor", "乡长": "mayor", "主席": "chair", "组长": "leader", "科长": "section-chief",
    "处长": "division-chief", "厅长": "director", "部长": "minister", "院长": "president",
    "检察长": "president", "所长": "head", "队长": "leader", "站长": "head", "教授": "professor",
    "专家": "expert", "同志": "comrade", "委员": "member",
}
# Families that many people share in one report: a match there needs more than the role.
GENERIC_FAMILIES = {"comrade", "member", "expert"}
_ROLE_RE = re.compile("(?:" + "|".join(sorted(map(re.escape, ROLES), key=len, reverse=True))
                      + r")(?!事[务物]所)")
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
_CJK = re.compile(r"^[\u4e00-\u9fff]+$")
_SENTENCE_END = re.compile(r"[。；！？\n]")


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
    return _as_name(taken[::-1], lo)


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
    return _as_name(taken, at)


def _as_name(toks: list, base: int) -> tuple[int, int] | None:
    from drafter.text import segment

    if not toks or not any(t.pos.startswith("nr") for t in toks):
        return None
    name = "".join(t.word for t in toks)
    if not (2 <= len(name) <= 4) or not _CJK.match(name) or ROLES.get(name):
        return None
    if len(toks) == 1 and segment.has_word(name) and not toks[0].pos.startswith("nr"):
        return None
    return base + toks[0].start, base + toks[-1].end


def person_uses(report: Report) -> list[NameUse]:
    """Names standing right before or after a role word, in text order."""
    text = report.text
    out: list[NameUse] = []
    for p in report.paragraphs:
        if not p.text.strip() or not _ROLE_RE.search(p.text):
            continue
        for m in _ROLE_RE.finditer(text, p.offset, p.end):
            fam = ROLES[m.group(0)]
            for span in (_person_before(text, m.start(), p.offset),
                         _person_after(text, m.end(), p.end)):
                if span:
                    out.append(NameUse(text[span[0]:span[1]], span[0], span[1], fam, m.group(0)))
    out += _variant_uses(report, out)
    return sorted(set(out), key=lambda u: u.start)


def _variant_uses(report: Report, uses: list[NameUse]) -> list[NameUse]:
    """Spans beside a role word that jieba does not tag as a name but that are a found name
    of three or more characters with one sound-alike given-name character changed (律师周启茗
    next to 周启明律师): the same-length span right before or after a role word of the same
    family. The surname must be the same, so 王强/李强 are never paired."""
    text = report.text
    names: dict[str, set[str]] = defaultdict(set)
    for u in uses:
        if len(u.name) >= 3:
            names[u.family].add(u.name)
    out: list[NameUse] = []
    if not names:
        return out
    for p in report.paragraphs:
        for m in _ROLE_RE.finditer(text, p.offset, p.end):
            fam = ROLES[m.group(0)]
            for name in names.get(fam, ()):
                L = len(name)
                for s in (m.start() - L, m.end()):
                    w = text[max(s, p.offset):min(s + L, p.end)]
                    k = _one_apart(w, name)
                    if k and _CJK.match(w) and _sound_alike(w, name, k):
                        out.append(NameUse(w, s, s + L, fam, m.group(0)))
    return out


def org_uses(report: Report) -> list[NameUse]:
    """Organisation names: two to four characters of proper name before a suffix."""
    from drafter.text import segment

    text = report.text
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


def _one_apart(a: str, b: str) -> int | None:
    """The index where two equal-length strings differ, if they differ in exactly one place."""
    if len(a) != len(b) or a == b:
        return None
    diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    return diff[0] if len(diff) == 1 else None


def _sound_alike(a: str, b: str, i: int) -> bool:
    from drafter.text import segment

    return segment.same_sound(a[i], b[i])


class _Sentences:
    def __init__(self, text: str):
        self.ends = [m.start() for m in _SENTENCE_END.finditer(text)]

    def of(self, offset: int) -> int:
        return bisect.bisect_left(self.ends, offset)


def _facts_values(facts: Any, attr: str, key: str = "name") -> list[str]:
    """The ``key`` of each item under ``facts.<attr>``, whatever the model's item type: the
    names of people / organisations, or the organisations named on people (``org``)."""
    items = getattr(facts, attr, None) if facts is not None else None
    if items is None and isinstance(facts, dict):
        items = facts.get(attr)
    out = []
    for it in items or ():
        value = it.get(key) if isinstance(it, dict) else getattr(it, key, None)
        if isinstance(value, str) and value.strip():
            out.append(value.strip())
    return out


def _line_of(report: Report, offset: int) -> int:
    return report.locate(offset)[0]


def _variant_windows(text: str, ref: str, min_len: int) -> Iterator[tuple[int, str]]:
    """Same-length spans of ``text`` one sound-alike character away from ``ref``."""
    L = len(ref)
    if L < min_len:
        return
    seen = set()
    # A one-character difference leaves the first or the last half of ``ref`` intact.
    half = L // 2
    for piece, shift in ((ref[:half], 0), (ref[half:], half)):
        i = 0
        while (j := text.find(piece, i)) >= 0:
            s = j - shift
            i = j + 1
            if s < 0 or s in seen:
                continue
            seen.add(s)
            w = text[s:s + L]
            k = _one_apart(w, ref)
            if k is not None and _CJK.match(w) and _sound_alike(w, ref, k):
                yield s, w


def _pairs(uses: Iterable[NameUse], text: str, need_family: bool
           ) -> Iterator[tuple[str, str, int]]:
    """(a, b, index) for two forms one sound-alike character apart that are not used in one
    sentence, and (for people) share a role family."""
    by_name: dict[str, list[NameUse]] = defaultdict(list)
    for u in uses:
        by_name[u.name].append(u)
    sents = _Sentences(text)
    names = sorted(by_name)
    for x, a in enumerate(names):
        for b in names[x + 1:]:
            k = _one_apart(a, b)
            if k is None:
                continue
            fams = {u.family for u in by_name[a]} & {u.family for u in by_name[b]}
            if need_family and (not fams or (fams <= GENERIC_FAMILIES and len(a) < 3)):
                continue
            # Two-character names (张伟/张炜) are often two people: ask for the very same role.
            if need_family and len(a) == 2 and \
                    not {u.word for u in by_name[a]} & {u.word for u in by_name[b]}:
                continue
            if not _sound_alike(a, b, k):
                continue
            if _listed_together(text, sents, a, b):
                continue  # in one list: two different names (王强、王刚)
            yield a, b, k


def _listed_together(text: str, sents: _Sentences, a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` occur in one sentence — for names of three or more characters,
    in one clause (no comma between them: 王小强、王小刚), since 律师周启茗担任顾问，周启明律师
    列席会议 is one person written two ways."""
    pa = [m.start() for m in re.finditer(re.escape(a), text)]
    pb = [m.start() for m in re.finditer(re.escape(b), text)]
    for i in pa:
        for j in pb:
            if sents.of(i) != sents.of(j):
                continue
            lo, hi = min(i, j), max(i, j)
            if len(a) < 3 or not re.search("[，,：:]", text[lo:hi]):
                return True
    return False


def _odd_one(text: str, a: str, b: str) -> tuple[str, str]:
    """(the form to flag, the other): the rarer one, or the later one when equally frequent."""
    ca, cb = text.count(a), text.count(b)
    if ca != cb:
        return (a, b) if ca < cb else (b, a)
    return (a, b) if text.find(a) > text.find(b) else (b, a)


@rule("NAM001", "inconsistent-person-name", severity="warning",
      summary="同一人名前后写法不一致（如“林晓峰”与“林晓锋”）")
def inconsistent_person_name(ctx: CheckContext) -> Iterator[Hit]:
    """同一个人的名字前后写法不一致。

    **作用 What it does**
    收集紧挨职务称谓的人名（律师林晓峰、林晓锋律师、局长××、××同志），两个写法长度相同、只差
    一个读音相同的字、又对应同一类职务（律师/法律顾问、局长……）时，提示较少出现（或较晚出现）
    的写法，并指出另一写法所在行。同一句中并列的名字（王强、王刚）视为不同的人，不提示。
    没有事实材料时为警告：程序无法判断哪种写法正确，也不能完全排除是两个人；给出事实材料
    （--facts）时，与材料中人名只差一个字（紧挨职务称谓时）或一个同音字（其他位置）的写法为
    错误，并以材料中的写法为准。

    **为什么重要 Why it matters**
    法律顾问等人员姓名写错，既是文字差错，也会让人怀疑聘请、履职情况是否真实。

    **示例 Example**
    聘请××律师事务所律师林晓峰担任法律顾问……邀请林晓锋律师参与合同审查。

    **应改为 Use instead**
    核实后统一写法：……邀请林晓峰律师参与合同审查。
    """
    report, text = ctx.report, ctx.text
    uses = ctx.memo("person-uses", lambda: person_uses(report))
    facts = _facts_values(ctx.options.facts, "people")
    covered: set[str] = set()
    for ref in facts:
        # Beside a role, any one-character difference from a facts name of three or more
        # characters is a slip; elsewhere only a sound-alike one. Two-character names (张伟)
        # occur inside ordinary words (主张维护): those are matched beside roles only.
        found = {(u.start, u.name) for u in uses if (k := _one_apart(u.name, ref)) is not None
                 and (len(ref) >= 3 or _sound_alike(u.name, ref, k))}
        if len(ref) >= 3:
            found.update(_variant_windows(text, ref, 3))
        for s, w in sorted(found):
            if w in facts:
                continue
            covered.add(w)
            yield Hit(s, s + len(w), f"人名与事实材料不一致：此处作“{w}”，材料中为“{ref}”",
                      suggestion=ref, severity="error")
    for a, b, _ in _pairs(uses, text, need_family=True):
        odd, other = _odd_one(text, a, b)
        if odd in covered or (facts and odd in facts and other in covered):
            continue
        first = next(u for u in uses if u.name == odd)
        ref = next(u for u in uses if u.name == other)
        roles = "、".join(dict.fromkeys(u.word for u in (ref, first)))
        yield Hit(first.start, first.end,
                  f"人名前后不一致：此处作“{odd}”，第{_line_of(report, ref.start)}行作“{other}”"
                  f"（均与“{roles}”相连），疑为同一人",
                  suggestion=f"核实后统一为正确写法（如“{other}”）")


@rule("NAM002", "inconsistent-organisation-name", severity="warning",
      summary="同一单位名称前后写法不一致（如“××律师事务所”与“××律师事物所”）")
def inconsistent_organisation_name(ctx: CheckContext) -> Iterator[Hit]:
    """同一个单位（律师事务所、公司、学校等）的名称前后写法不一致。

    **作用 What it does**
    以“律师事务所、有限公司、医院、中学……”等后缀找出单位名称，在全文中查找长度相同、只差一个
    读音相同的字的写法（龙图律师事务所 / 龙图律师事物所），提示较少出现或较晚出现的写法。
    差在“市/县、一/二、东/西”等区分不同单位的字上不提示。给出事实材料时，以材料中的单位名称
    为准，不一致为错误。

    **为什么重要 Why it matters**
    单位名称写错会使合同、聘请等事实无法对应，也是常见的校对差错。

    **示例 Example**
    聘请龙图律师事务所律师……龙图律师事物所出具法律意见书。

    **应改为 Use instead**
    统一为“龙图律师事务所”。
    """
    report, text = ctx.report, ctx.text
    facts = _facts_values(ctx.options.facts, "organisations")
    facts += [o for o in _facts_values(ctx.options.facts, "people", "org") if o not in facts]
    refs = {u.name: u for u in org_uses(report)}
    done: set[str] = set()
    for ref in facts:
        for s, w in _variant_windows(text, ref, 4):
            k = _one_apart(w, ref)
            if w in facts or ref[k] in ADMIN_CHARS or w[k] in ADMIN_CHARS:
                continue
            done.add(w)
            yield Hit(s, s + len(w), f"单位名称与事实材料不一致：此处作“{w}”，材料中为“{ref}”",
                      suggestion=ref, severity="error")
    for name in sorted(refs, key=lambda n: refs[n].start):
        for s, w in _variant_windows(text, name, 5):
            k = _one_apart(w, name)
            if w in done or name in done or name[k] in ADMIN_CHARS or w[k] in ADMIN_CHARS:
                continue
            # A variant that is not itself a well-formed name (律师事物所) is the slip; between
            # two well-formed names, the rarer or later one.
            odd, other = (w, name) if w not in refs else _odd_one(text, w, name)
            done.update((odd, other))
            at = s if odd == w else refs[name].start
            yield Hit(at, at + len(odd),
                      f"单位名称前后不一致：此处作“{odd}”，第{_line_of(report, text.find(other))}行"
                      f"作“{other}”", suggestion=f"统一为“{other}”")
