"""Plan items and answer candidates found in a Report: last year's planned items (its plans
section: （一） subsections, 一是… items or first sentences) and this year's passages of work
that may answer them. The matching is :mod:`drafter.text.plans`."""

from __future__ import annotations

import re
from typing import Any

from drafter.report.structure import RUN_IN
from drafter.text.plans import ANSWERING_KEYS, Candidate, PlanItem

_TRAILING = "。；;，,：: "


def report_plan_items(report: Any, source: str = "") -> list[PlanItem]:
    """Planned items of a report's plans section: its （一） subsections (title + body), else
    its 一是… items, else its paragraphs' first sentences (the rest as detail)."""
    secs = [s for s in report.sections if s.key == "plans" or "plans" in s.extra_keys]
    texts: list[tuple[str, str, int]] = []
    for sec in secs:
        if sec.children:
            for c in sec.children:
                texts.append((_clean(c.title), c.body_text(), c.line))
            continue
        body = [(p.text, p.line) for p in sec.paragraphs if p.text.strip()]
        if sec.heading.run_in:
            head = sec.heading
            body.insert(0, (head.paragraph.text[len(head.number) + len(head.title):], sec.line))
        enumerated = [(t, d, line) for text, line in body for t, d in _enumerated(text)]
        texts.extend(enumerated or [(*_first_sentence(t), line) for t, line in body])
    items = [(t, d, line) for t, d, line in texts if t]
    return [PlanItem(i + 1, t, d, line, source or str(report.path)) for i, (t, d, line) in enumerate(items)]


def _enumerated(text: str) -> list[tuple[str, str]]:
    marks = list(RUN_IN.finditer(text))
    if len(marks) < 2:
        return []
    out = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        out.append(_first_sentence(text[m.end():end]))
    return out


def _first_sentence(text: str) -> tuple[str, str]:
    m = re.search(r"[。；;]", text)
    if not m:
        return _clean(text), ""
    return _clean(text[: m.start()]), text[m.end():].strip()


# An item's own marker when it stands alone (一是推动…, 1. 推动…): not part of its title.
_LEAD_MARK = re.compile(r"^(?:[一二三四五六七八九十]{1,3}是|第[一二三四五六七八九十]{1,3}[，,、]|"
                        r"[（(](?:\d{1,2}|[一二三四五六七八九十]{1,3})[)）]|\d{1,2}[.．、](?!\d))\s*")


def _clean(text: str) -> str:
    return _LEAD_MARK.sub("", text.strip()).rstrip(_TRAILING)


# ---- this year's passages -------------------------------------------------------------------

def report_candidates(report: Any) -> list[Candidate]:
    """This year's work in a report: each （一） subsection of the measures, leadership and
    other sections (title and body) and each paragraph outside a subsection."""
    out: list[Candidate] = []
    for sec in report.sections:
        keys = {sec.key, *sec.extra_keys}
        if not keys & set(ANSWERING_KEYS):
            continue
        head = sec.heading
        if head.run_in:
            body = head.paragraph.text[len(head.number) + len(head.title):]
            out.append(Candidate(sec, body, sec.title, head.paragraph.offset, head.paragraph.end))
        for p in sec.paragraphs:
            if p.text.strip():
                out.append(Candidate(p, p.text, "", p.offset, p.end))
        for c in sec.children:
            paras = c.all_paragraphs()
            text = "\n".join(p.text for p in paras)
            out.append(Candidate(c, text, c.title, paras[0].offset, paras[-1].end))
    return out
