"""People with their roles, and their organisations, in an earlier report (for import).

The names themselves come from the shared detector :mod:`drafter.text.names` (the one the NAM
rules and drafting grounding use): names beside role words and organisation suffixes. On top of
it, one construction is read directly because it names the role explicitly and lists several
people: 聘请…律师事务所律师甲、乙担任（常年）法律顾问.

Two forms one sound-alike character apart with the same role (薛宝庆 / 薛保庆) are one person
written two ways: the first form is kept and the other is noted, never silently merged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from drafter.text.names import NATIONAL_FAMILIES, org_uses, person_uses

if TYPE_CHECKING:  # pragma: no cover
    from drafter.report import Report

# 律师甲、乙担任（局/常年）法律顾问 (or 为常年法律顾问): the names and the role they are engaged in.
_ENGAGED = re.compile(r"(?P<title>律师)(?P<names>[\u4e00-\u9fff]{2,3}(?:、[\u4e00-\u9fff]{2,3}){0,5})"
                      r"\s*(?:共同)?(?:担任|为)[\u4e00-\u9fff]{0,4}?(?P<role>法律顾问)")
# After a name: 担任（局）法律顾问, 为常年法律顾问 — the role the person was engaged in.
_ROLE_AFTER = re.compile(r"\s*(?:担任|为)[\u4e00-\u9fff]{0,4}?(法律顾问)")


@dataclass
class FoundPerson:
    name: str
    role: str
    line: int
    title: str | None = None
    org: str | None = None
    variants: list[tuple[str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class FoundOrg:
    name: str
    line: int


def report_people(report: "Report") -> tuple[list[FoundPerson], list[FoundOrg], list[str]]:
    """People and their organisations, and notes (Chinese) on forms not imported."""
    text = report.text
    persons, orgs = person_uses(text), org_uses(text)
    org_at = {o.end: o for o in orgs}  # an organisation ending where a role word starts
    out: dict[str, FoundPerson] = {}
    notes: list[str] = []

    def add(name: str, role: str, start: int, title: str | None, org: Any) -> None:
        line = report.locate(start)[0]
        same = next((p for p in out.values() if _variant(p.name, name)), None)
        if same is not None and same.name != name:
            same.variants.append((name, line))
            return
        p = out.get(name)
        if p is None:
            out[name] = FoundPerson(name, role, line, title, org.name if org else None)
            return
        if role == "法律顾问" and p.role != role:  # the engagement beats the profession
            p.title, p.role = p.title or p.role, role
        p.org = p.org or (org.name if org else None)

    for m in _ENGAGED.finditer(text):
        names = m.group("names").split("、")
        if not all(_name_like(n) for n in names):
            continue  # 律师团队担任… : not names
        org = org_at.get(m.start())
        pos = m.start("names")
        for name in names:
            add(name, m.group("role"), pos, m.group("title"), org)
            pos += len(name) + 1
    for u in sorted(persons, key=lambda u: u.start):
        if u.family in NATIONAL_FAMILIES:
            continue  # 习近平总书记: not one of the unit's people
        role, title = u.word, None
        after = _ROLE_AFTER.match(text, u.end)
        if after and u.word != after.group(1):
            role, title = after.group(1), u.word
        org = org_at.get(u.start - len(u.word)) if text.startswith(u.word, u.start - len(u.word)) else None
        add(u.name, role, u.start, title, org)
    people = sorted(out.values(), key=lambda p: p.line)
    for p in people:
        for name, line in p.variants:
            notes.append(f"第{line}行的“{name}”与第{p.line}行的“{p.name}”只差一个同音字，疑为同一人，"
                         f"按“{p.name}”导入，请核实")
    linked = {p.org for p in people if p.org}
    found_orgs = []
    for o in sorted(orgs, key=lambda o: o.start):
        if o.name in linked and all(f.name != o.name for f in found_orgs):
            found_orgs.append(FoundOrg(o.name, report.locate(o.start)[0]))
    return people, found_orgs, notes


def _name_like(word: str) -> bool:
    """Not an ordinary word of the dictionary (团队, 事务所) unless jieba tags it a name."""
    from drafter.text.segment import has_word, tag

    return not has_word(word) or any(p.startswith("nr") for _w, p in tag(word))


def _variant(a: str, b: str) -> bool:
    """Whether two names are one sound-alike character apart (or equal)."""
    from drafter.text.segment import same_sound

    if a == b:
        return True
    if len(a) != len(b) or len(a) < 3 or a[0] != b[0]:
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    return len(diff) == 1 and same_sound(a[diff[0]], b[diff[0]])
