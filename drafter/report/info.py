"""Report-level facts inferred from the text: reporting year, 成文日期, the unit and its type.

Rules of several families need them (DAT deadlines, CNT sections, NAM self-references), so
they live here, computed from the :class:`~drafter.report.Report` model only. Each function
returns its answer with the *evidence* (where in the text it was read), so messages can say
why a year or a deadline was expected; None means "could not tell" and a rule then stays quiet.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from drafter.report import Paragraph, Report, Section

_CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_YEAR = r"(?:20\d\d|二[〇零○][一二三四五六七八九〇零○]{2})"
# (The lookahead first: the lookbehind is tried only where a year can begin.)
YEAR_RE = re.compile(rf"(?=[2二])(?<![\d—–\-~至到])({_YEAR})\s*年(?!\s*[—–\-~至到]\s*\d)")
_LEAD_YEAR = re.compile(rf"^\s*(?:20\d\d\s*年\s*[—–\-~至到]\s*)?({_YEAR})\s*年度?(?:以来)?\s*[，,]")
_SOURCE_NAMES = {"title": "标题", "lead": "开头段", "heading": "一级标题", "plans": "下一年度安排标题",
                 "date": "成文日期"}


def parse_year(s: str) -> int | None:
    """2023 from "2023" or "二〇二三"; None otherwise."""
    s = s.strip()
    if s.isdigit() and len(s) == 4:
        return int(s)
    if len(s) == 4 and all(ch in _CN_DIGIT for ch in s):
        return int("".join(str(_CN_DIGIT[ch]) for ch in s))
    return None


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: ``source`` (title | lead | heading | plans | date), the span
    in ``Report.text`` and the text itself."""

    source: str
    start: int
    end: int
    text: str

    @property
    def where(self) -> str:
        return _SOURCE_NAMES.get(self.source, self.source)


def years_in(p: Paragraph, start: int = 0, end: int | None = None) -> list[tuple[int, int, int]]:
    """(year, start offset, end offset) of each 20XX年 in a paragraph (not in 《》 titles)."""
    text = p.text
    out = []
    for m in YEAR_RE.finditer(text, start, len(text) if end is None else end):
        if text.count("《", 0, m.start()) > text.count("》", 0, m.start()):
            continue
        y = parse_year(m.group(1))
        if y:
            out.append((y, p.offset + m.start(), p.offset + m.end()))
    return out


_READ_DATE: Any = object()  # year_mentions(): read the 成文日期 from the report


def year_mentions(report: Report, date: ReportDate | None = _READ_DATE) -> list[tuple[int, Evidence]]:
    """Every statement of the reporting year, strongest first: title, lead, measures
    headings, plans headings (year − 1), date (year − 1). ``date`` is the report's
    :func:`report_date` when the caller has it already."""
    out: list[tuple[int, Evidence]] = []
    text = report.text
    title_paras = [p for p in report.paragraphs if p.role == "title"]
    for p in title_paras:
        for y, s, e in years_in(p)[:1]:
            out.append((y, Evidence("title", s, e, text[s:e])))
    for p in report.lead[:2]:
        m = _LEAD_YEAR.match(p.text)
        if m:
            y = parse_year(m.group(1))
            s = p.offset + m.start(1)
            if y:
                out.append((y, Evidence("lead", s, p.offset + m.end(1) + 1, text[s:p.offset + m.end(1) + 1])))
    for sec in report.sections:
        p = sec.heading.paragraph
        if sec.key in ("measures", "leadership") and not sec.extra_keys:
            for y, s, e in years_in(p, 0, len(sec.heading.number) + len(sec.title))[:1]:
                out.append((y, Evidence("heading", s, e, text[s:e])))
        elif sec.key == "plans":
            for y, s, e in years_in(p, 0, len(sec.heading.number) + len(sec.title))[:1]:
                out.append((y - 1, Evidence("plans", s, e, text[s:e])))
    d = report_date(report) if date is _READ_DATE else date
    if d is not None and d.year:
        out.append((d.year - 1, Evidence("date", d.start, d.end, d.raw)))
    return out


def reporting_year(report: Report, exclude: tuple[str, ...] = (),
                   mentions: list[tuple[int, Evidence]] | None = None) -> tuple[int, Evidence] | None:
    """The year the report is about, with where it was read; None if nothing says.

    The title wins, unless two other independent places (lead, headings, date) agree on a
    different year — then the title is the odd one out. ``exclude`` drops evidence sources
    (e.g. ``("date",)`` for rules that compare the 成文日期 with the reporting year).
    ``mentions``: the report's :func:`year_mentions`, when the caller has them already.
    """
    if mentions is None:
        mentions = year_mentions(report)
    mentions = [(y, ev) for y, ev in mentions if ev.source not in exclude]
    if not mentions:
        return None
    first = mentions[0]
    if first[1].source == "title":
        others = Counter(y for y, ev in mentions[1:])
        if others:
            y, n = others.most_common(1)[0]
            if y != first[0] and n >= 2 and others[first[0]] == 0:
                return next(m for m in mentions[1:] if m[0] == y)
    return first


# ---- 成文日期 ----

_LOOSE_DATE = re.compile(
    r"^\s*[（(]?\s*(?P<y>\d{2,4}|[〇零一二三四五六七八九○Ｏ]{2,4})\s*(?P<s1>年|[.\-/．])\s*"
    r"(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*(?P<s2>月|[.\-/．])\s*"
    r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*(?P<s3>日|号)?\s*[）)]?\s*$")
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


@dataclass(frozen=True)
class ReportDate:
    """The 成文日期 as written (``raw``) and read (``year``/``month``/``day``; ``year`` None
    when the year is shortened). ``start``/``end`` span the date text in ``Report.text``."""

    year: int | None
    month: int | None
    day: int | None
    raw: str
    start: int
    end: int
    paragraph: Paragraph

    @property
    def valid(self) -> bool:
        if not (self.year and self.month and self.day):
            return False
        return no_such_day(self.year, self.month, self.day) is None

    def as_tuple(self) -> tuple[int, int, int]:
        return (self.year or 0, self.month or 0, self.day or 0)


def no_such_day(year: int | None, month: int, day: int) -> str | None:
    """Why year/month/day is not a day of the calendar ("2025年2月没有29日", "没有13月");
    None when it is. Without a year, 2月29日 is a day."""
    if not 1 <= month <= 12:
        return f"没有{month}月"
    if not 1 <= day <= calendar.monthrange(year or 2000, month)[1]:  # 2000: a leap year
        return f"{year}年{month}月没有{day}日" if year else f"{month}月没有{day}日"
    return None


def _small_cn(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    from drafter.text.numerals import ordinal_value

    return ordinal_value(s)


def report_date(report: Report) -> ReportDate | None:
    """The 成文日期: the parsed date paragraph (at the end, under the title "（2024年1月31日）"
    or the cover letter's, see ``Report.element_places``), or a date-like line among the last
    three non-blank paragraphs (2024.3.1, 24年3月1日, 二〇二四年三月一日 …); None if there is
    none."""
    candidates = [report.date] if report.date else [
        p for p in report.paragraphs[::-1] if p.text.strip()][:3]
    for p in candidates:
        if p is None or p.role == "heading":
            continue
        text = p.text.translate(_FULLWIDTH)
        m = _LOOSE_DATE.match(text)
        if not m:
            continue
        ys = m.group("y")
        year = parse_year(ys) if len(ys) == 4 else None
        s = p.offset + m.start("y")
        e = p.offset + (m.end("s3") if m.group("s3") else m.end("d"))
        return ReportDate(year, _small_cn(m.group("m")), _small_cn(m.group("d")),
                          report.text[s:e], s, e, p)
    return None


# ---- the unit ----

# A 街道办事处 or 管委会 is an agency of a government, not a government: it reports as a department.
_GOV_NAME = re.compile(r"(?:人民政府|[省市县区州旗镇乡]政府)$")
_DEPT_NAME = re.compile(r"(?:局|委员会|委|办公室|办|厅|中心|院|署|队|站|所|处|会)$")
_UNIT_NAME_END = re.compile(r"(?:人民政府|[省市县区州旗镇乡]政府|局|委员会|委|办公室|办|厅|中心|院|署|队|站|所|处|会|街道|办事处)$")
_DEPT_SELF = re.compile(r"我(?:局|委|办|厅|中心|院|署|队|站|所|处|单位|部门)|本(?:局|委|办|厅|部门|单位)")
_GOV_SELF = re.compile(r"(?:^|[，,。])\s*(?:20\d\d年[，,])?\s*[^，,。]{0,12}?(?:人民政府|县政府|市政府|区政府)"
                       r"(?:在|坚持|认真|深入|始终|全面|紧紧)")
_TITLE_UNIT = re.compile(r"^\s*(.{2,40}?)关于")
# A published title without 关于: "××局2023年度法治政府建设情况报告".
_TITLE_UNIT_YEAR = re.compile(r"^\s*(.{2,40}?)(?:20\d\d|二[〇零○][一二三四五六七八九〇零○]{2})\s*年度?")


@dataclass(frozen=True)
class UnitInfo:
    """The reporting unit: ``name`` (None if not written), ``type`` (government |
    department) and ``evidence`` (a Chinese phrase saying how the type was inferred)."""

    name: str | None
    type: str
    evidence: str


def title_unit(report: Report) -> str | None:
    """The unit's name as the title gives it (…关于…报告, …2023年度…报告; a title on two lines
    read as one); None when the title names no unit."""
    title = "".join(p.text.strip() for p in report.paragraphs if p.role == "title")
    if not title and report.title is not None:
        title = report.title.text
    m = _TITLE_UNIT.match(title)
    if m:
        return m.group(1).strip()
    m = _TITLE_UNIT_YEAR.match(title)
    if m and _UNIT_NAME_END.search(m.group(1).strip()):
        return m.group(1).strip()
    return None


def unit_name(report: Report) -> str | None:
    """The unit's name from the title (…关于…报告, …2023年度…报告), the 署名 or the cover
    letter's 署名; None if none has it."""
    name = title_unit(report)
    if name:
        return name
    for p in (report.signature, report.cover.signature if report.cover else None):
        if p is not None:
            return p.text.strip()
    return None


def unit_info(report: Report) -> UnitInfo | None:
    """Who reports: a government (人民政府 as author) or a department (局/委/办 …)."""
    name = unit_name(report)
    if name:
        if _GOV_NAME.search(name) and not name.endswith(("政府办公室", "政府办")):
            return UnitInfo(name, "government", f"单位名称“{name}”为人民政府")
        if _DEPT_NAME.search(name):
            return UnitInfo(name, "department", f"单位名称“{name}”为政府部门")
    lead = "".join(p.text for p in report.lead[:3])
    m = _DEPT_SELF.search(lead)
    if m:
        return UnitInfo(name, "department", f"开头段自称“{m.group()}”")
    m = _GOV_SELF.search(lead)
    if m:
        return UnitInfo(name, "government", "开头段以人民政府为主语")
    return None


def unit_type(report: Report) -> str | None:
    """'government' or 'department'; None when the text does not tell."""
    info = unit_info(report)
    return info.type if info else None


# ---- sections ----

def top_section_by_line(report: Report) -> dict[int, Section]:
    """The level-1 section each paragraph (by line) belongs to; lead and back matter absent."""
    out: dict[int, Section] = {}
    for sec in report.sections:
        for p in sec.all_paragraphs():
            out[p.line] = sec
    return out


def section_keys(sec: Section) -> set[str]:
    keys = set(sec.extra_keys)
    if sec.key:
        keys.add(sec.key)
    return keys
