"""Cut an earlier report (read with the ordinary readers) into its mandated sections, and
list the items of its plans section (last year's plans, which this year should answer)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from drafter.report import Report, Section

_RUN_IN = re.compile(r"(?<![第其之统唯])([一二三四五六七八九十]{1,2})是")
_TRAILING = "。；;，,：: "


@dataclass
class Passage:
    """A body paragraph of an earlier report, with the section it belongs to."""

    key: str
    text: str
    year: int | None = None
    source: str = ""
    heading: str = ""
    line: int = 0


@dataclass
class SectionText:
    key: str
    heading: str
    passages: list[Passage] = field(default_factory=list)


def split_sections(report: Report, year: int | None = None) -> list[SectionText]:
    """Level-1 sections with a mandated key and their body paragraphs (headings excluded,
    a run-in heading's body kept), in document order."""
    out: list[SectionText] = []
    for sec in report.sections:
        if sec.key is None:
            continue
        st = SectionText(sec.key, sec.title)
        for s in sec.walk():
            head = s.heading
            if s is not sec and head.run_in:
                body = head.paragraph.text[len(head.number) + len(head.title):].strip()
                if body:
                    st.passages.append(Passage(sec.key, body, year, report.path, s.title,
                                               head.paragraph.line))
            for p in s.paragraphs:
                if p.text.strip():
                    st.passages.append(Passage(sec.key, p.text.strip(), year, report.path,
                                               s.title, p.line))
        out.append(st)
    return out


def plan_items(report: Report) -> list[str]:
    """The planned items of a report's plans section: its （一） titles, else its 一是… items,
    else its paragraphs. Empty when the report has no plans section."""
    secs = [s for s in report.sections if s.key == "plans" or "plans" in s.extra_keys]
    items: list[str] = []
    for sec in secs:
        if sec.children:
            items.extend(_clean(c.title) for c in sec.children)
            continue
        body = [p.text for p in sec.paragraphs if p.text.strip()]
        if sec.heading.run_in:
            body.insert(0, sec.heading.paragraph.text[len(sec.heading.number) + len(sec.title):])
        enumerated = [x for text in body for x in _enumerated(text)]
        items.extend(enumerated or [_first_sentence(t) for t in body])
    return [i for i in items if i]


def _enumerated(text: str) -> list[str]:
    marks = list(_RUN_IN.finditer(text))
    if len(marks) < 2:
        return []
    out = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        out.append(_first_sentence(text[m.end():end]))
    return out


def _first_sentence(text: str) -> str:
    m = re.search(r"[。；;]", text)
    return _clean(text[: m.start()] if m else text)


def _clean(text: str) -> str:
    return text.strip().rstrip(_TRAILING)


def section_of(report: Report, key: str) -> Section | None:
    return next((s for s in report.sections if s.key == key), None)
