"""The mutation operators on dates, layout and structure: a wrong plan year, a late or
malformed 成文日期, a half-width comma, a broken line, a deleted mandated section.

See :mod:`evaluations.mutation_ops` for the contract (``find(src, rng) -> list[Candidate]``).
"""

from __future__ import annotations

import random
import re

from drafter.text.numerals import ordinal_text as _cn_num
from evaluations.mutations import CJK, Candidate, Edit, Source, in_title

# Year digits as dates write them in Chinese (二〇二四年): digit by digit, with 〇.
CN_DIGITS = "〇一二三四五六七八九"



# -- date ----------------------------------------------------------------------------------

_YEAR = re.compile(r"(20\d\d)(?=\s*年)")


def plan_year(src: Source, rng: random.Random) -> list[Candidate]:
    """The year in the plans heading set to the report year (or the year after next), or the
    year in the measures heading set to the year before."""
    rep, year = src.report, src.year
    if not year:
        return []
    out = []
    for key, shifts in (("plans", (0, 2)), ("measures", (-1,))):
        for s in rep.sections_for(key)[:1]:
            p = s.heading.paragraph
            m = _YEAR.search(p.text, 0, len(s.heading.number) + len(s.heading.title))
            if not m or int(m.group(1)) not in (year, year + 1):
                continue
            for shift in shifts:
                new = str(year + shift)
                if new == m.group(1):
                    continue
                out.append(Candidate((Edit(p.offset + m.start(), p.offset + m.end(), new),),
                                     f"{key} 标题年份由{m.group(1)}年改为{new}年",
                                     group=f"{key}{shift}"))
    return out


def _date_parts(src: Source):
    p = src.report.date
    if p is None:
        return None
    m = re.fullmatch(r"\s*(\d{4})年(\d{1,2})月(\d{1,2})日\s*", p.text)
    return (p, m) if m else None


def date_late(src: Source, rng: random.Random) -> list[Candidate]:
    """The 成文日期 moved past the deadline (departments: 3月1日; governments: 3月31日)."""
    found = _date_parts(src)
    if not found or not src.year:
        return []
    p, m = found
    y = src.year + 1
    gov = (src.unit_type == "government")
    months = [(4, range(8, 29)), (5, range(6, 28))] if gov else [(3, range(8, 29)), (4, range(3, 25))]
    out = []
    for month, days in months:
        new = f"{y}年{month}月{rng.choice(list(days))}日"
        out.append(Candidate((Edit(p.offset + m.start(1), p.offset + m.end(3) + 1, new),),
                             f"成文日期改为{new}，晚于报送期限", group=str(month)))
    return out


def date_format(src: Source, rng: random.Random) -> list[Candidate]:
    """The 成文日期 malformed: zero-padded, Chinese numerals, short year, dots or dashes, or a
    day that does not exist."""
    found = _date_parts(src)
    if not found:
        return []
    p, m = found
    y, mo, d = (int(g) for g in m.groups())
    forms = {
        "zero-pad": f"{y}年{mo:02d}月{d:02d}日" if mo < 10 or d < 10 else None,
        "cn-numerals": "".join(CN_DIGITS[int(c)] for c in str(y)) + f"年{_cn_num(mo)}月{_cn_num(d)}日",
        "short-year": f"{y % 100:02d}年{mo}月{d}日",
        "dots": f"{y}.{mo}.{d}",
        "dashes": f"{y}-{mo:02d}-{d:02d}",
        "invalid": f"{y}年{mo}月{31 if mo in (2, 4, 6, 9, 11) else 32}日",
    }
    return [Candidate((Edit(p.offset + m.start(1), p.offset + m.end(3) + 1, f),),
                      f"成文日期写作“{f}”（{kind}）", group=kind)
            for kind, f in forms.items() if f]


# -- format --------------------------------------------------------------------------------

def halfwidth_comma(src: Source, rng: random.Random) -> list[Candidate]:
    """A full-width comma between Chinese characters replaced by a half-width one."""
    return [Candidate((Edit(m.start(), m.end(), ","),), "全角逗号改为半角“,”", group=str(i // 8))
            for i, m in enumerate(src.body_matches(re.compile(rf"(?<=[{CJK}])，(?=[{CJK}])")))
            if not in_title(src.text, m.start())]


def line_break(src: Source, rng: random.Random) -> list[Candidate]:
    """A paragraph broken across two lines in mid-sentence (“具⏎体”), as after copying from PDF."""
    text = src.text
    out = []
    for a, b in src.body_ranges():
        para_start = text.rfind("\n", 0, a) + 1
        for pos in range(a + 12, b - 12):
            if not (re.match(rf"[{CJK}]", text[pos - 1]) and re.match(rf"[{CJK}]", text[pos])):
                continue
            if (re.match(r"[一二三四五六七八九十]|\d", text[pos]) or pos - para_start < 12
                    or in_title(text, pos)):
                continue
            if rng.random() < 0.08:  # thin the sites out; still deterministic
                out.append(Candidate((Edit(pos - 1, pos + 1, text[pos - 1] + "\n" + text[pos]),),
                                     f"“{text[pos - 1]}{text[pos]}”之间断行", group=str(a)))
    return out


# -- structure -------------------------------------------------------------------------------

def _renumber(sections) -> list[Edit]:
    """Edits that number ``sections`` one lower (their headings follow a deleted one)."""
    edits = []
    for s in sections:
        h = s.heading
        new_num = _cn_num(h.ordinal - 1)
        old = h.number
        inner = re.search(r"[一二三四五六七八九十]+", old)
        if not inner:
            return []
        new = old[:inner.start()] + new_num + old[inner.end():]
        edits.append(Edit(h.paragraph.offset, h.paragraph.offset + len(old), new))
    return edits


def delete_section(src: Source, rng: random.Random) -> list[Candidate]:
    """A mandated item's section deleted (不足和原因, 下一年度安排, or 第一责任人 — a level-1
    section or the （一） subsection it is folded into); later headings renumbered."""
    rep = src.report
    text = src.text
    out = []
    for key in ("shortcomings", "plans", "leadership"):
        pres = rep.presence.get(key)
        if pres is None or pres.how not in ("section", "subsection"):
            continue
        siblings, target = None, None
        if pres.how == "section":
            tops = rep.sections_for(key)
            if len(tops) != 1 or tops[0].extra_keys or tops[0].key != key:
                continue
            target, siblings = tops[0], rep.sections
        else:
            for parent in rep.walk():
                for child in parent.children:
                    if child.heading.paragraph is pres.where:
                        target, siblings = child, parent.children
        if target is None:
            continue
        paras = target.all_paragraphs()
        start, end = paras[0].offset, paras[-1].end + 1  # with the line break after it
        later = siblings[siblings.index(target) + 1:]
        edits = (Edit(start, min(end, len(text)), ""),) + tuple(_renumber(later))
        out.append(Candidate(edits, f"删除了法定内容“{key}”所在的{'一级标题部分' if pres.how == 'section' else '二级标题部分'}",
                             section=key, group=key))
    return out
