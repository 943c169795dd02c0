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
reference: a form one sound-alike character away from a facts name is an error. The known
names and institutions of a drafter.toml (``[[names]]``, ``[[institutions]]``) are references
in the same way.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from typing import Any, Iterable, Iterator

from drafter.checker.context import CheckContext
from drafter.checker.finding import Hit
from drafter.checker.registry import rule
from drafter.report import Report
from drafter.text.names import (ADDRESS_FAMILIES, ADMIN_CHARS, CJK, GENERIC_FAMILIES, NameUse, one_apart,
                                 org_candidates, org_uses, person_pairs_possible, sound_alike)

_SENTENCE_END = re.compile(r"[。；！？\n]")


class _Sentences:
    def __init__(self, text: str):
        self.ends = [m.start() for m in _SENTENCE_END.finditer(text)]

    def of(self, offset: int) -> int:
        return bisect.bisect_left(self.ends, offset)


class _Occurrences:
    """Where names occur in the text — non-overlapping, left to right, as ``str.count`` and
    ``re.finditer`` count. The names declared with :meth:`want` are found together in one
    pass over the text (from the positions of their first characters), so a report with
    thousands of names is not scanned once per name."""

    def __init__(self, text: str):
        self.text = text
        self._at: dict[str, list[int]] = {}
        self._wanted: set[str] = set()

    def want(self, names: Iterable[str]) -> None:
        self._wanted.update(n for n in names if n and n not in self._at)

    def of(self, name: str) -> list[int]:
        if name not in self._at:
            self._wanted.add(name)
            self._scan()
        return self._at[name]

    def _scan(self) -> None:
        wanted, self._wanted = self._wanted, set()
        found: dict[str, list[int]] = {n: [] for n in wanted}
        lengths = sorted({len(n) for n in wanted})
        text = self.text
        for first in {n[0] for n in wanted}:
            i = text.find(first)
            while i >= 0:
                for L in lengths:
                    hit = found.get(text[i:i + L])
                    if hit is not None and (not hit or hit[-1] + L <= i):
                        hit.append(i)
                i = text.find(first, i + 1)
        self._at.update(found)


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


def _local(ctx: CheckContext):
    """The known names and institutions of the drafter.toml (empty without one)."""
    from drafter.config import LocalData

    cfg = getattr(ctx.options, "config", None)
    return cfg.local if cfg is not None else LocalData()


def _line_of(report: Report, offset: int) -> int:
    return report.locate(offset)[0]


def _variant_windows(text: str, refs: Iterable[str], min_len: int
                     ) -> dict[str, list[tuple[int, str]]]:
    """For each of ``refs`` (``min_len`` characters or more): the same-length spans of
    ``text`` one sound-alike character away from it, as (start, span).

    A one-character difference leaves the first or the last half of the name intact, so
    only spans where a half of some name occurs are looked at, and each such span is matched
    against every name at once through the names' one-character-blanked forms (龙图律师事务所
    → _图律师事务所, 龙_律师事务所, …): one pass over the text for all the names. Each name's
    spans come in the order of looking for its first half, then its second half."""
    names = sorted({r for r in refs if len(r) >= min_len})
    blanked: dict[tuple[int, str, str], list[str]] = defaultdict(list)
    pieces: dict[str, set[tuple[int, int]]] = defaultdict(set)  # half -> {(length, shift)}
    for n in names:
        half = len(n) // 2
        pieces[n[:half]].add((len(n), 0))
        pieces[n[half:]].add((len(n), half))
        for k in range(len(n)):
            blanked[(k, n[:k], n[k + 1:])].append(n)
    starts: set[tuple[int, int]] = set()  # (start, length) of the spans to look at
    for size in {len(p) for p in pieces}:
        for first in {p[0] for p in pieces if len(p) == size}:
            j = text.find(first)
            while j >= 0:
                for length, shift in pieces.get(text[j:j + size], ()):
                    if j >= shift:
                        starts.add((j - shift, length))
                j = text.find(first, j + 1)
    found: dict[str, list[tuple[bool, int, str]]] = defaultdict(list)
    for start, length in starts:
        w = text[start:start + length]
        if len(w) != length or not CJK.match(w):
            continue
        for k in range(length):
            for n in blanked.get((k, w[:k], w[k + 1:]), ()):
                if n != w and sound_alike(w, n, k):
                    found[n].append((k < length // 2, start, w))
    return {n: [(start, w) for _, start, w in sorted(v)] for n, v in found.items()}


def _any_variant(text: str, names: Iterable[str]) -> bool:
    """Whether a name of five or more characters has a variant in ``text`` that the
    organisation rule would report (one sound-alike character apart, not an ADMIN_CHARS one)."""
    for name, spans in _variant_windows(text, names, 5).items():
        for s, w in spans:
            k = one_apart(w, name)
            if name[k] not in ADMIN_CHARS and w[k] not in ADMIN_CHARS:
                return True
    return False


def _pairs(uses: Iterable[NameUse], text: str, need_family: bool, occ: _Occurrences
           ) -> Iterator[tuple[str, str, int]]:
    """(a, b, index) for two forms one sound-alike character apart that are not used in one
    sentence, and (for people) share a role family — or, three characters or more, one of them
    is used with a word of address (同志, 先生), which anyone may be called."""
    by_name: dict[str, list[NameUse]] = defaultdict(list)
    for u in uses:
        by_name[u.name].append(u)
    sents = _Sentences(text)
    pairs = _one_apart_pairs(by_name)
    occ.want(n for pair in pairs for n in pair)
    for a, b in pairs:
        k = one_apart(a, b)
        if k is None:
            continue
        fa, fb = {u.family for u in by_name[a]}, {u.family for u in by_name[b]}
        fams = fa & fb
        if not fams and len(a) >= 3 and (fa | fb) & ADDRESS_FAMILIES:
            fams = (fa | fb) & ADDRESS_FAMILIES  # 赵立群同志 may be 局长赵立群
        if need_family and (not fams or (fams <= GENERIC_FAMILIES and len(a) < 3)):
            continue
        # Two-character names (张伟/张炜) are often two people: ask for the very same role.
        if need_family and len(a) == 2 and \
                not {u.word for u in by_name[a]} & {u.word for u in by_name[b]}:
            continue
        if not sound_alike(a, b, k):
            continue
        if _listed_together(text, sents, a, b, occ):
            continue  # in one list: two different names (王强、王刚)
        yield a, b, k


def _one_apart_pairs(names: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs (a, b), a < b, of equal-length names that may differ in one character, in the
    order of comparing every name with every later one — found through their
    one-character-blanked forms (王小强 → _小强, 王_强, 王小_), not by comparing all pairs."""
    buckets: dict[tuple[int, str, str], list[str]] = defaultdict(list)
    for name in names:
        for i in range(len(name)):
            buckets[(i, name[:i], name[i + 1:])].append(name)
    pairs = {(min(a, b), max(a, b)) for group in buckets.values() if len(group) > 1
             for x, a in enumerate(group) for b in group[x + 1:] if a != b}
    return sorted(pairs)


def _listed_together(text: str, sents: _Sentences, a: str, b: str, occ: _Occurrences) -> bool:
    """Whether ``a`` and ``b`` occur in one sentence — for names of three or more characters,
    in one clause (no comma between them: 王小强、王小刚), since 律师周启茗担任顾问，周启明律师
    列席会议 is one person written two ways."""
    by_sentence: dict[int, list[int]] = defaultdict(list)
    for j in occ.of(b):
        by_sentence[sents.of(j)].append(j)
    for i in occ.of(a):
        for j in by_sentence.get(sents.of(i), ()):
            lo, hi = min(i, j), max(i, j)
            if len(a) < 3 or not re.search("[，,：:]", text[lo:hi]):
                return True
    return False


def _odd_one(text: str, a: str, b: str, occ: _Occurrences | None = None) -> tuple[str, str]:
    """(the form to flag, the other): the rarer one, or the later one when equally frequent."""
    occ = occ or _Occurrences(text)
    pa, pb = occ.of(a), occ.of(b)
    if len(pa) != len(pb):
        return (a, b) if len(pa) < len(pb) else (b, a)
    return (a, b) if (pa[0] if pa else -1) > (pb[0] if pb else -1) else (b, a)


@rule("NAM001", "inconsistent-person-name", severity="warning",
      summary="同一人名前后写法不一致（如“林晓峰”与“林晓锋”）")
def inconsistent_person_name(ctx: CheckContext) -> Iterator[Hit]:
    """同一个人的名字前后写法不一致。

    **作用 What it does**
    收集紧挨职务称谓的人名（律师林晓峰、林晓锋律师、局长××、××同志），两个写法长度相同、只差
    一个读音相同的字、又对应同一类职务（律师/法律顾问、局长……）时——三个字以上的名字，其中
    一处是“同志”“先生”等称呼也算（“局长赵立群”与“赵利群同志”）——提示较少出现（或较晚出现）
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
    facts = _facts_values(ctx.options.facts, "people")
    configured = {n for n in _local(ctx).person_names if n not in facts}
    facts += sorted(configured)
    if not facts and not person_pairs_possible(text):
        return  # no two names here could be compared: spare the segmenter
    uses = ctx.person_uses
    covered: set[str] = set()
    windows = _variant_windows(text, facts, 3)
    for ref in facts:
        # Beside a role, any one-character difference from a facts name of three or more
        # characters is a slip; elsewhere only a sound-alike one. Two-character names (张伟)
        # occur inside ordinary words (主张维护): those are matched beside roles only.
        found = {(u.start, u.name) for u in uses if (k := one_apart(u.name, ref)) is not None
                 and (len(ref) >= 3 or sound_alike(u.name, ref, k))}
        found.update(windows.get(ref, ()))
        for s, w in sorted(found):
            if w in facts:
                continue
            covered.add(w)
            where = ("配置文件", "配置文件") if ref in configured else ("事实材料", "材料")
            yield Hit(s, s + len(w), f"人名与{where[0]}不一致：此处作“{w}”，{where[1]}中为“{ref}”",
                      suggestion=ref, severity="error")
    first_use: dict[str, NameUse] = {}
    for u in uses:
        first_use.setdefault(u.name, u)
    occ = _Occurrences(text)
    for a, b, _ in _pairs(uses, text, need_family=True, occ=occ):
        odd, other = _odd_one(text, a, b, occ)
        if odd in covered or (facts and odd in facts and other in covered):
            continue
        first, ref = first_use[odd], first_use[other]
        if ref.word == first.word:
            beside = f"均与“{ref.word}”相连"
        else:  # 局长赵立群 … 赵利群同志
            beside = f"分别与“{first.word}”“{ref.word}”相连"
        yield Hit(first.start, first.end,
                  f"人名前后不一致：此处作“{odd}”，第{_line_of(report, ref.start)}行作“{other}”"
                  f"（{beside}），疑为同一人",
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
    local = _local(ctx)
    configured = {o for o in (*local.institution_names, *(n.org for n in local.names if n.org))
                  if o not in facts}
    facts += sorted(configured)
    # Only names with a variant in the text can be reported: spare the segmenter otherwise.
    refs = {u.name: u for u in org_uses(report.text)} \
        if _any_variant(text, org_candidates(text)) else {}
    done: set[str] = set()
    windows = _variant_windows(text, facts, 4)
    for ref in facts:
        for s, w in windows.get(ref, ()):
            k = one_apart(w, ref)
            if w in facts or ref[k] in ADMIN_CHARS or w[k] in ADMIN_CHARS:
                continue
            done.add(w)
            where = ("配置文件", "配置文件") if ref in configured else ("事实材料", "材料")
            yield Hit(s, s + len(w), f"单位名称与{where[0]}不一致：此处作“{w}”，{where[1]}中为“{ref}”",
                      suggestion=ref, severity="error")
    windows = _variant_windows(text, refs, 5)
    occ = _Occurrences(text)
    occ.want(refs)
    for name in sorted(refs, key=lambda n: refs[n].start):
        for s, w in windows.get(name, ()):
            k = one_apart(w, name)
            if w in done or name in done or name[k] in ADMIN_CHARS or w[k] in ADMIN_CHARS:
                continue
            # A variant that is not itself a well-formed name (律师事物所) is the slip; between
            # two well-formed names, the rarer or later one.
            odd, other = (w, name) if w not in refs else _odd_one(text, w, name, occ)
            done.update((odd, other))
            at = s if odd == w else refs[name].start
            yield Hit(at, at + len(odd),
                      f"单位名称前后不一致：此处作“{odd}”，第{_line_of(report, (occ.of(other) or [-1])[0])}行"
                      f"作“{other}”", suggestion=f"统一为“{other}”")


# The usual short forms of a unit's name (临江市政府, 市场监管局, 高新区管委会, 中共…市委).
_SHORT_FORMS = (("中国共产党", "中共"), ("人民政府", "政府"), ("监督管理", "监管"), ("管理委员会", "管委会"),
                ("高新技术产业开发区", "高新区"), ("经济技术开发区", "经开区"), ("委员会", "委"))


def _short_forms(name: str) -> str:
    for full, short in _SHORT_FORMS:
        name = name.replace(full, short)
    return name


# Around a 署名: spaces of the layout, a seal note (（盖章）, （印）).
_SIGNATURE_NOISE = re.compile(r"[\s\u3000]+|[（(][^（）()]{0,6}[）)]")


@rule("NAM003", "signature-unit-mismatch", severity="warning",
      summary="落款署名的单位与标题中的单位不一致")
def signature_unit_mismatch(ctx: CheckContext) -> Iterator[Hit]:
    """文末署名的单位与标题中的报告单位不是同一个。

    **作用 What it does**
    从标题（“××局关于2025年度法治政府建设情况的报告”“××局2025年度法治政府建设情况报告”，标题
    分两行时合起来读）取出报告单位，与文末署名比较。一方包含另一方（标题写全称、署名写简称，
    或反过来；“人民政府”与“政府”、“市场监督管理局”与“市场监管局”、“管理委员会”与“管委会”等
    通行简称；联合署名中有该单位）时视为一致；否则提示，例如地名、层级或单位名称写错，或套用
    了别的单位的模板（“临川市生态环境局”与“临江市生态环境局”，“安平县”与“安平市”，
    “自然资源局”与“自然资源和规划局”）。标题没有写单位时不作判断。

    **为什么重要 Why it matters**
    署名是发文机关，与标题不符时无法确定报告出自哪个单位，常见于套用其他单位或往年的报告。

    **示例 Example**
    临江市生态环境局关于2025年度法治政府建设情况的报告 …… 临川市生态环境局 2026年2月10日

    **应改为 Use instead**
    署名与标题统一为同一单位全称：临江市生态环境局。
    """
    from drafter.report.info import title_unit

    report = ctx.report
    unit = title_unit(report)
    sig = report.signature
    if not unit or sig is None:
        return
    a, b = (_short_forms(_SIGNATURE_NOISE.sub("", x)) for x in (unit, sig.text))
    if not a or not b or a in b or b in a:
        return
    start = sig.offset + len(sig.text) - len(sig.text.lstrip())
    yield Hit(start, sig.offset + len(sig.text.rstrip()),
              f"署名“{sig.text.strip()}”与标题中的报告单位“{unit}”不一致",
              suggestion=unit)
