"""The mutation operators: each finds the sites of one defect type in a clean report.
This module holds the lexical ones (figures, placeholders, names, titles, institutions,
typos) and the operator table; dates, layout and structure are in
:mod:`evaluations.mutation_ops_doc`.

An operator is ``find(src, rng) -> list[Candidate]``; :func:`evaluations.mutations.mutants_of`
picks a few sites per operator with the seeded ``rng``. Every candidate's first edit is the
defect. Sites are only taken where the clean text makes the defect unambiguous (a sum that
adds up before a part is changed, a name written the same way twice, a title known to be an
exact current title …), so a mutant holds one defect, not two.
"""

from __future__ import annotations

import random
import re
from functools import cache
from typing import Callable

from evaluations.mutations import CJK, Candidate, Edit, Operator, Source, in_title, lexicon

UNITS = "人次|件次|家次|件|项|个|人|名|份|条|次|场|期|卷|户|家|批|所|起|宗"
NUM_UNIT = re.compile(rf"(?<![\d.])(\d+)({UNITS})(?![{CJK}]?[年月日号])")



def _clause(text: str, a: int, b: int) -> tuple[int, int]:
    start = max(text.rfind(ch, 0, a) for ch in "，。；：\n") + 1
    ends = [i for ch in "，。；：\n" if (i := text.find(ch, b)) != -1]
    return start, min(ends) if ends else len(text)


# -- count ---------------------------------------------------------------------------------

_TOTAL = re.compile(rf"(?:共|合计|总计|累计)[^，。；、\d]{{0,20}}?(\d+)({UNITS})")
_PART = re.compile(rf"([{CJK}“”]{{1,14}}?)(\d+)({UNITS})")


def count_sum(src: Source, rng: random.Random) -> list[Candidate]:
    """A part of a “共N…其中a、b、c” breakdown changed, so the parts no longer add up."""
    out = []
    text = src.text
    for m in src.body_matches(_TOTAL):
        total, unit = int(m.group(1)), m.group(2)
        rest = text[m.end():m.end() + 25]
        k = rest.find("其中")
        if k < 0 or any(ch in rest[:k] for ch in "。；"):
            continue
        pos = m.end() + k + 2
        parts = []
        while True:
            pm = _PART.match(text, pos)
            if not pm or pm.group(3) != unit:
                break
            parts.append(pm)
            pos = pm.end()
            if text[pos:pos + 1] != "、":
                break
            pos += 1
        if len(parts) < 2 or sum(int(p.group(2)) for p in parts) != total:
            continue
        # Parts below the total may be legitimate (a list that is not exhaustive), so a part
        # only shrinks when the list ends with 其他; otherwise it grows past the total.
        exhaustive = any(p.group(1).startswith("其他") for p in parts)
        for p in parts:
            old = int(p.group(2))
            deltas = [1, 2, 3, 5, -1, -2] if exhaustive and old > 2 else [1, 2, 3, 5]
            new = old + rng.choice(deltas)
            out.append(Candidate(
                (Edit(p.start(2), p.end(2), str(new)),),
                f"分项“{p.group(1)}”由{old}{unit}改为{new}{unit}，分项之和不再等于总数{total}{unit}",
                related=((m.start(1), m.end(2)),), group=str(m.start())))
    return out


def count_repeat(src: Source, rng: random.Random) -> list[Candidate]:
    """One of two statements of the same metric (same value, unit and metric word) altered."""
    text = src.text
    words = lexicon()["metric_words"]
    occ = []
    for m in src.body_matches(NUM_UNIT):
        if int(m.group(1)) < 2:
            continue
        a, b = _clause(text, m.start(), m.end())
        occ.append((m, {w for w in words if w in text[a:b]}))
    out = []
    for i, (m1, w1) in enumerate(occ):
        for m2, w2 in occ[i + 1:]:
            if m1.group(1, 2) != m2.group(1, 2) or not (w1 & w2):
                continue
            target, other = (m2, m1) if rng.random() < 0.7 else (m1, m2)
            old = int(target.group(1))
            new = old + rng.choice([1, 2, -1]) if old > 2 else old + 1
            out.append(Candidate(
                (Edit(target.start(1), target.end(1), str(new)),),
                f"同一指标（{'、'.join(sorted(w1 & w2))}）前后两处，此处由{old}{target.group(2)}改为{new}{target.group(2)}",
                related=((other.start(), other.end()),), group=m1.group(0)))
    return out


# -- placeholder ---------------------------------------------------------------------------

def placeholder(src: Source, rng: random.Random) -> list[Candidate]:
    """A figure replaced by a leftover placeholder (XX件, ××项, 【待补充】 …)."""
    forms = lexicon()["placeholders"]
    out = []
    for m in src.body_matches(NUM_UNIT):
        form = rng.choice(forms).replace("{u}", m.group(2))
        out.append(Candidate((Edit(m.start(), m.end(), form),),
                             f"数字“{m.group(0)}”未填写，残留占位符“{form}”", group=form))
    return out


# -- name ----------------------------------------------------------------------------------

@cache
def _surnames() -> set[str]:
    from importlib.resources import files

    raw = files("drafter").joinpath("data", "surnames.txt").read_text(encoding="utf-8")
    return {ch for line in raw.splitlines() if not line.startswith("#") for ch in line.split()}


_ROLE_AFTER = "律师|同志|教授|主任|局长|书记|研究员|法官"


def name_char(src: Source, rng: random.Random) -> list[Candidate]:
    """One occurrence of a person's name (written the same way at least twice) gets one
    character of the given name replaced by a homophone (薛宝庆 → 薛保庆)."""
    from pypinyin import lazy_pinyin

    text = src.text
    surnames = _surnames()
    pool = [c for c in dict.fromkeys(lexicon()["name_chars"].replace("\n", "").replace(" ", ""))]
    names = set()
    for m in re.finditer(rf"(?:(?<=律师)|(?<=顾问))([{CJK}]{{2,3}}?)(?=担任|为|同志|律师|[，、。])"
                         rf"|([{CJK}]{{2,3}}?)(?={_ROLE_AFTER})", text):
        name = m.group(1) or m.group(2)
        for cand in (name, name[-3:], name[-2:]):
            if len(cand) >= 2 and cand[0] in surnames and text.count(cand) >= 2:
                names.add(cand)
                break
    # Prefer the longest form (周启明 over 周启).
    names = {n for n in names if not any(n != o and n in o for o in names)}
    out = []
    for name in sorted(names):
        spots = [m.start() for m in re.finditer(re.escape(name), text)]
        idx = rng.randrange(1, len(name))
        old = name[idx]
        sound = lazy_pinyin(old)[0]
        homophones = [c for c in pool if c != old and c not in name and lazy_pinyin(c)[0] == sound]
        if not homophones:
            continue
        new = rng.choice(homophones)
        for k, at in enumerate(spots):
            other = spots[1 - k] if len(spots) == 2 else spots[0 if k else 1]
            out.append(Candidate((Edit(at + idx, at + idx + 1, new),),
                                 f"人名“{name}”此处误作“{name[:idx]}{new}{name[idx + 1:]}”",
                                 related=((other, other + len(name)),), group=name))
    return out


# -- law -----------------------------------------------------------------------------------

_BOOK = re.compile(r"《([^《》\n]{2,60})》")


def _law_distortions(title: str) -> list[tuple[str, str]]:
    lex = lexicon()
    real = set(lex["laws"]) | set(lex["repealed_laws"])
    real |= {t.removeprefix("中华人民共和国") for t in real}
    out = []
    core = title.removeprefix("中华人民共和国")
    if core.endswith("法") and core not in ("宪法",):
        out.append(("law-as-regulation", title[:-1] + "条例"))
    if core.endswith("条例") and not core.endswith("实施条例"):
        out.append(("regulation-as-law", title[:-2] + "法"))
    for w in lex["law_droppable"]:
        if w in core:
            out.append(("drop-word", title.replace(w, "", 1)))
    if "信息公开" in title:
        out.append(("insert-word", title.replace("信息公开", "信息化公开", 1)))
    elif core.endswith("条例") and "管理" not in core:
        out.append(("insert-word", title[:-2] + "管理条例"))
    if "法治" in title:
        out.append(("fazhi-fazhi", title.replace("法治", "法制", 1)))
    m = re.search(r"（(\d{4})—(\d{4})年）", title)
    if m:
        out.append(("year-range", title.replace(m.group(1), str(int(m.group(1)) - 1), 1)))
    return [(k, t) for k, t in out if t not in real and t != title and len(t) > 3]


def law_title(src: Source, rng: random.Random) -> list[Candidate]:
    """A known law or document title distorted (法→条例, a word dropped or added, 法治→法制,
    a wrong year range) as in real reports (《政府信息化公开条例》)."""
    known = set(lexicon()["laws"])
    out = []
    for m in src.body_matches(_BOOK):
        title = m.group(1)
        if title not in known:
            continue
        options = _law_distortions(title)
        if not options:
            continue
        kind, new = rng.choice(options)
        out.append(Candidate((Edit(m.start(1), m.end(1), new),),
                             f"《{title}》误作《{new}》（{kind}）", group=title))
    return out


# -- institution -----------------------------------------------------------------------------

def institution(src: Source, rng: random.Random) -> list[Candidate]:
    """A current institution named by its pre-reform name (市司法局 → 市法制办)."""
    table: dict[str, list[str]] = lexicon()["institutions"]
    names = sorted(table, key=len, reverse=True)
    pattern = re.compile(rf"(?<=[县市区省州旗])(?:{'|'.join(map(re.escape, names))})")
    out = []
    for m in src.body_matches(pattern):
        old = rng.choice(table[m.group(0)])
        out.append(Candidate((Edit(m.start(), m.end(), old),),
                             f"“{m.group(0)}”误作机构改革前的“{old}”", group=m.group(0)))
    return out


# -- typo ----------------------------------------------------------------------------------

def typo_word(src: Source, rng: random.Random) -> list[Candidate]:
    """A common misspelling (贯彻 → 贯切, 部署 → 部暑)."""
    text = src.text
    out = []
    for right, wrong in lexicon()["typos"]:
        for m in src.body_matches(re.compile(re.escape(right))):
            if in_title(text, m.start()):
                continue
            out.append(Candidate((Edit(m.start(), m.end(), wrong),),
                                 f"“{right}”误作“{wrong}”", group=right))
    return out


def typo_de_di(src: Source, rng: random.Random) -> list[Candidate]:
    """Adverbial 地 written 的 (“认真地组织” → “认真的组织”)."""
    text = src.text
    adverbs = "|".join(lexicon()["adverbs_di"])
    out = []
    for m in src.body_matches(re.compile(rf"(?:{adverbs})(地)(?=[{CJK}])")):
        if text[m.start(1) + 1] in "区方点域" or in_title(text, m.start()):
            continue  # 本地区 … not an adverb
        out.append(Candidate((Edit(m.start(1), m.end(1), "的"),),
                             f"“{m.group(0)}”误作“{m.group(0)[:-1]}的”", group=m.group(0)))
    return out


_DOUBLED_WORDS = ("开展", "加强", "推进", "落实", "完善", "健全", "组织")


def typo_repeat(src: Source, rng: random.Random) -> list[Candidate]:
    """A character or word typed twice (的 → 的的, 开展 → 开展开展): a 的 between two
    characters that make no word with it, or a common verb."""
    text = src.text
    out = []
    for m in src.body_matches(re.compile(rf"(?<=[{CJK}])的(?=[{CJK}])")):
        if text[m.start() - 1] in "目有别似端" or text[m.end()] in "确" or in_title(text, m.start()):
            continue
        out.append(Candidate((Edit(m.start(), m.end(), "的的"),), "“的”重复", group="的"))
    for word in _DOUBLED_WORDS:
        for m in src.body_matches(re.compile(re.escape(word))):
            if in_title(text, m.start()) or text[m.end():m.end() + 2] == word:
                continue
            out.append(Candidate((Edit(m.start(), m.end(), word + word),), f"“{word}”重复", group=word))
    return out


@cache
def _opencc():
    import opencc

    return opencc.OpenCC("s2t"), opencc.OpenCC("t2s")


def typo_variant(src: Source, rng: random.Random) -> list[Candidate]:
    """One character written in its traditional form (决 → 決), as text pasted from a
    traditional-script source."""
    s2t, t2s = _opencc()
    out = []
    for m in src.body_matches(re.compile(rf"[{CJK}]")):
        ch = m.group(0)
        if in_title(src.text, m.start()):
            continue
        trad = s2t.convert(ch)
        if trad == ch or t2s.convert(trad) == trad:
            continue  # no variant, or the variant is itself a simplified character
        out.append(Candidate((Edit(m.start(), m.end(), trad),),
                             f"“{ch}”写成繁体“{trad}”", group=ch))
    return out


from evaluations.mutation_ops_doc import (date_format, date_late, delete_section,  # noqa: E402
                                          halfwidth_comma, line_break, plan_year)

OPERATORS: list[tuple[Operator, Callable[[Source, random.Random], list[Candidate]]]] = [
    (Operator("count-sum", "count", "CNT", "分项改动，合计与分项不符"), count_sum),
    (Operator("count-repeat", "count", "CNT", "同一指标两处数值不一致"), count_repeat),
    (Operator("placeholder", "placeholder", "PH", "数字换成占位符"), placeholder),
    (Operator("name-char", "name", "NAM", "人名一字换成同音字"), name_char),
    (Operator("law-title", "law", "LAW", "法规名称写错"), law_title),
    (Operator("institution", "institution", "INS", "改用已撤销的机构名称"), institution),
    (Operator("typo-word", "typo", "TYP", "常见错别字"), typo_word),
    (Operator("typo-de-di", "typo", "TYP", "状语后的“地”误作“的”"), typo_de_di),
    (Operator("typo-variant", "typo", "TYP", "夹用繁体字"), typo_variant),
    (Operator("typo-repeat", "typo", "TYP", "字词重复"), typo_repeat),
    (Operator("plan-year", "date", "DAT", "标题年份写错"), plan_year),
    (Operator("date-late", "date", "DAT", "成文日期晚于报送期限"), date_late),
    (Operator("date-format", "date", "DAT", "成文日期格式不规范或日期不存在"), date_format),
    (Operator("halfwidth-comma", "format", "FMT", "半角逗号"), halfwidth_comma),
    (Operator("line-break", "format", "FMT", "句中断行"), line_break),
    (Operator("delete-section", "structure", "STR", "删除法定内容部分"), delete_section),
]
