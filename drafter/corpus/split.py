"""Cut an earlier report (read with the ordinary readers) into its mandated sections.

The items of its plans section (last year's plans, which this year should answer) are
:func:`drafter.report.plans.report_plan_items`."""

from __future__ import annotations

from dataclasses import dataclass, field

from drafter.report import Report


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
