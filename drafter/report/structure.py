"""Recognise a report's parts in its paragraphs: cover letter, title, 主送机关, lead, headings,
section tree, 署名 and 成文日期, run-in enumerations, and map sections to the mandated items
(REPORT-RULES.md §2).

The readers and the drafter both call :func:`build_report`, so the checker sees the same
model whatever the source. The elements around the sections, in every form a report takes,
are read by :mod:`drafter.report.forms`; headings and the words that name the mandated items
by :mod:`drafter.report.headings`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from drafter.report import (
    ALL_KEYS,
    Enumeration,
    Heading,
    Paragraph,
    Presence,
    Report,
    Section,
    make_paragraphs,
)
from drafter.report.forms import (
    ATTACHMENT_NOTE,
    DATE_RE,
    decide_form,
    looks_like_note,
    looks_like_signature,
    read_front,
    starts_after_date,
)
from drafter.report.headings import (
    MIN_PARTS,
    bare_headings,
    classify_keys,
    classify_title,
    parse_heading,
    parse_part,
)
from drafter.text.numerals import ordinal_value

__all__ = ["RUN_IN", "DATE_RE", "build_report", "classify_keys", "classify_title",
           "parse_heading"]

# A run-in enumeration marker "一是…" (not 第一是/其一是/统一是/唯一是).
# (The lookahead first: the engine tries the lookbehind only where a numeral stands, ~40 %
# faster than at every position.)
RUN_IN = re.compile(r"(?=[一二三四五六七八九十])(?<![第其之统唯])([一二三四五六七八九十]{1,2})是")


def build_report(texts: list[str], path: str, fmt: str,
                 auto_numbers: list[str | None] | None = None,
                 in_table: list[bool] | None = None,
                 reader_notes: list[str] | None = None,
                 col_shifts: list[int] | None = None,
                 emphasis: list[bool] | None = None) -> Report:
    """Build the :class:`Report` model from paragraph texts (one per line / Word paragraph).

    ``col_shifts`` gives, per paragraph, how many characters of the source line the reader
    dropped before the text (Markdown marks), so findings point into the original file;
    ``emphasis`` marks paragraphs that were wholly bold (Markdown ``**…**``)."""
    paragraphs = make_paragraphs(texts, auto_numbers, in_table, col_shifts, emphasis)
    report = Report(path=path, format=fmt, paragraphs=paragraphs,
                    reader_notes=list(reader_notes or []))
    body = [p for p in paragraphs if p.text.strip()]
    for p in paragraphs:
        if not p.text.strip():
            p.role = "blank"
    headings = {id(p): h for p in body if (h := parse_heading(p)) is not None and not p.in_table}
    _attachment_lists(body, headings)
    body = _without_appendix(body, headings)
    parts = {id(p): h for p in body if (h := parse_part(p)) is not None and not p.in_table}
    if len(parts) >= MIN_PARTS:  # 第一部分 … 第二部分 …: each part holds its own 一、二、…
        headings = {k: replace(h, level=h.level + 1) for k, h in headings.items()}
        headings.update(parts)

    # Front matter: cover letter, title, unit/date under the title, 主送机关.
    first_heading = next((i for i, p in enumerate(body) if id(p) in headings), len(body))
    front = read_front(body[:first_heading])
    report.cover = front.cover
    report.title = front.title[0] if front.title else None
    report.doc_number = front.doc_number
    if front.recipient is not None:
        report.recipient_paragraph = front.recipient
        report.recipients = [r for r in re.split(r"[、，,；;]", front.recipient.text.strip()
                                                 .rstrip("：:")) if r.strip()]

    # Back matter: 成文日期 (and 附注 after it) and 署名 — scanned from the end.
    start = next((i for i, p in enumerate(body) if p.role == "body"), len(body))
    j = len(body) - 1
    while j >= start and looks_like_note(body[j]):
        body[j].role = "note"
        j -= 1
    if j >= start and DATE_RE.match(body[j].text) and id(body[j]) not in headings:
        report.date = body[j]
        body[j].role = "date"
        report.element_places["date"] = "end"
        j -= 1
    if j >= start and looks_like_signature(body[j]) and id(body[j]) not in headings:
        report.signature = body[j]
        body[j].role = "signature"
        report.element_places["signature"] = "end"
        j -= 1
    section_body = body[start:j + 1]
    _place_front_elements(report, front)

    # Headings without numbers (a reprint that lost them), when no level-1 heading is numbered.
    has_l1 = any(h.level == 1 for h in headings.values())
    for h in bare_headings(section_body, has_l1):
        headings[id(h.paragraph)] = h

    # The lead and the section tree.
    stack: list[Section] = []
    for p in section_body:
        h = headings.get(id(p))
        if h is None:
            if stack:
                stack[-1].paragraphs.append(p)
            else:
                p.role = "lead"
                report.lead.append(p)
            continue
        p.role = "heading"
        node = Section(heading=h)
        while stack and stack[-1].level >= h.level:
            stack.pop()
        if stack:
            stack[-1].children.append(node)
        else:
            report.sections.append(node)
        stack.append(node)

    report.enumerations = _enumerations(report)
    report.form, report.form_reasons = decide_form(
        report.cover, report.recipient_paragraph, bool(front.date or front.signature))
    _classify(report)
    return report


def _attachment_lists(body: list[Paragraph], headings: dict[int, Heading]) -> None:
    """The lines after an 附件说明 ("附件：1.……报告" then "2.……台账", GB/T 9704-2012 7.3.4)
    list attachments: numbered as they are, they are not headings."""
    listing = False
    for p in body:
        if ATTACHMENT_NOTE.match(p.text):
            listing = True
        elif listing and id(p) in headings and headings[id(p)].style in ("arabic", "cn"):
            del headings[id(p)]
        else:
            listing = False


def _level1(paragraphs: list[Paragraph], headings: dict[int, Heading]) -> int:
    return sum(1 for p in paragraphs if id(p) in headings and headings[id(p)].level == 1)


def _without_appendix(body: list[Paragraph], headings: dict[int, Heading]) -> list[Paragraph]:
    """``body`` up to the 成文日期 (and its 附注) when what follows is not the report's text:
    attachments, the 版记 or a web page's footer (:func:`drafter.report.forms.starts_after_date`).
    Those paragraphs get the role ``appendix`` and lose their headings (an attachment's 1. 2. …
    is its own list). Only a date after the first level-1 heading counts (a cover letter's date
    is followed by 附件 and the report itself), and only when fewer level-1 headings follow it
    than precede it (an attachment may have its own 一、二、)."""
    first = next((i for i, p in enumerate(body) if id(p) in headings and headings[id(p)].level == 1),
                 None)
    if first is None:
        return body
    for i in range(first + 1, len(body) - 1):
        if not DATE_RE.match(body[i].text):
            continue
        j = i + 1
        while j < len(body) and looks_like_note(body[j]):
            j += 1
        # (As many level-1 headings after it as before: a report follows, not an attachment.)
        if j < len(body) and starts_after_date(body[j]) \
                and _level1(body[j:], headings) < _level1(body[:j], headings):
            for p in body[j:]:
                p.role = "appendix"
                headings.pop(id(p), None)
            return body[:j]
    return body


def _place_front_elements(report: Report, front) -> None:
    """The report's 署名/成文日期 when the end has none: under the title, else the cover
    letter's (REPORT-RULES.md §2: a date under the title is still the 成文日期); the 主送机关
    of the cover letter when the report has none."""
    for place, source in (("under-title", front), ("cover", report.cover)):
        for attr in ("date", "signature"):
            found = getattr(source, attr) if source is not None else None
            if getattr(report, attr) is None and found is not None:
                setattr(report, attr, found)
                report.element_places[attr] = place
    cover = report.cover
    if report.recipient_paragraph is None and cover is not None and cover.recipient is not None:
        report.recipient_paragraph = cover.recipient
        report.recipients = list(cover.recipients)
        report.element_places["recipient"] = "cover"


def _enumerations(report: Report) -> list[list[Enumeration]]:
    """Run-in enumerations 一是…二是…: a new run at every 一是; a paragraph that opens with
    a later marker (二是…) continues the run of the paragraph before it under the same
    heading (REPORT-RULES.md §2: runs may continue across paragraphs)."""
    section_of: dict[int, int] = {}
    for n, sec in enumerate(report.walk()):
        section_of[id(sec.heading.paragraph)] = n
        for p in sec.paragraphs:
            section_of[id(p)] = n
    runs: list[list[Enumeration]] = []
    open_run: list[Enumeration] | None = None  # the run of the paragraph just before
    prev_section: int | None = None
    for p in report.paragraphs:
        if p.role == "blank":
            continue
        if p.role not in ("body", "heading", "lead"):
            open_run = None
            continue
        seq = [Enumeration(ordinal=ordinal_value(m.group(1)) or 0, marker=m.group(0),
                           offset=p.offset + m.start(), paragraph=p)
               for m in RUN_IN.finditer(p.text)]
        seq = [e for e in seq if e.ordinal]
        sec = section_of.get(id(p))
        opens = bool(seq) and seq[0].offset - p.offset == len(p.text) - len(p.text.lstrip())
        current = (open_run if seq and seq[0].ordinal > 1 and opens and open_run is not None
                   and sec == prev_section else None)
        for e in seq:
            if e.ordinal == 1 or current is None:
                current = [e]
                runs.append(current)
            else:
                current.append(e)
        open_run, prev_section = current, sec
    return [r for r in runs if r[0].ordinal == 1 or len(r) >= 2]


def _classify(report: Report) -> None:
    sections = report.sections
    for s in sections:
        keys = classify_keys(s.title)
        s.key = keys[0] if keys else None
        s.extra_keys = keys[1:]
    # Layout C: unclassified level-1 sections before the shortcomings are thematic measures.
    first_tail = next((i for i, s in enumerate(sections)
                       if s.key in ("shortcomings", "plans", "other")), len(sections))
    for i, s in enumerate(sections):
        if s.key is None and i < first_tail:
            s.key = "measures"
            s.thematic = True

    presence: dict[str, Presence] = {}
    for key in ALL_KEYS:
        top = [s for s in sections if s.key == key or key in s.extra_keys]
        if top:
            presence[key] = Presence(key, "section", top[0].heading.paragraph,
                                     top[0].heading.paragraph.offset, "")
    if "leadership" not in presence:
        # A leadership item under the measures (layout B); a 第一责任人 item among the plans
        # or the shortcomings is a plan or a shortcoming, not the report of the year.
        for top in sections:
            if top.key in ("plans", "shortcomings", "other") or top.extra_keys:
                continue
            sub = next((s for s in top.walk() if s.level > 1
                        and classify_title(s.title) == "leadership"), None)
            if sub is not None:
                presence["leadership"] = Presence(
                    "leadership", "subsection", sub.heading.paragraph,
                    sub.heading.title_offset, sub.title)
                break
    if "leadership" not in presence:
        found = _leadership_sentence(report)
        if found is not None:
            presence["leadership"] = found
    for key in ALL_KEYS:
        presence.setdefault(key, Presence(key, "absent"))
    report.presence = presence


_LEADERSHIP_SENTENCE = re.compile(r"第一责任人")


def _leadership_sentence(report: Report) -> Presence | None:
    """The first sentence of running text that mentions 第一责任人 (never a heading)."""
    headings = {id(s.heading.paragraph): s.heading for s in report.walk()}
    for p in report.paragraphs:
        if p.role not in ("body", "heading", "lead"):
            continue
        skip = 0
        h = headings.get(id(p))
        if h is not None:
            if not h.run_in:
                continue
            skip = len(h.number) + len(h.title)  # search the run-in body only
        m = _LEADERSHIP_SENTENCE.search(p.text, skip)
        if m:
            start, end = _sentence_bounds(p.text, m.start())
            start = max(start, skip)
            return Presence("leadership", "sentence", p, p.offset + start, p.text[start:end])
    return None


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """The sentence (or clause run) of ``text`` containing ``pos``, without its end mark."""
    start = max((text.rfind(ch, 0, pos) for ch in "。！？；"), default=-1) + 1
    ends = [i for ch in "。！？；" if (i := text.find(ch, pos)) != -1]
    end = min(ends) if ends else len(text)
    return start, end
