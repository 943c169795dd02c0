"""Recognise a report's parts in its paragraphs: title, 主送机关, lead, headings, section
tree, 署名 and 成文日期, and map sections to the mandated items (REPORT-RULES.md §2).

The readers and the drafter both call :func:`build_report`, so the checker sees the same
model whatever the source.
"""

from __future__ import annotations

import re

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
from drafter.text.numerals import ordinal_value

# Heading numbers, most specific first. Each pattern captures the ordinal and the separator,
# so wrong forms ("一.", "（一）、", "1、") are still recognised as headings (and flagged).
_CN = "[一二三四五六七八九十]{1,3}"
HEADING_PATTERNS: list[tuple[int, str, re.Pattern[str]]] = [
    (2, "paren-cn", re.compile(rf"^([（(]\s*({_CN})\s*[）)])([、，,.．:：]?)\s*")),
    (4, "paren-arabic", re.compile(r"^([（(]\s*(\d{1,2})\s*[）)])([、，,.．:：]?)\s*")),
    (1, "cn", re.compile(rf"^(({_CN})\s*([、，,.．]))\s*")),
    (3, "arabic", re.compile(r"^((\d{1,2})\s*([.．、](?!\d)))\s*")),
]

SENTENCE_END = "。！？"
# A run-in enumeration marker "一是…" (not 第一是/其一是/统一是/唯一是).
RUN_IN = re.compile(r"(?<![第其之统唯])([一二三四五六七八九十]{1,2})是")


def parse_heading(p: Paragraph) -> Heading | None:
    """The heading that starts paragraph ``p``, or None when it is a body paragraph."""
    text = p.text
    stripped = text.lstrip()
    lead = len(text) - len(stripped)
    for level, style, pat in HEADING_PATTERNS:
        m = pat.match(stripped)
        if not m:
            continue
        raw_ord = m.group(2)
        ordinal = int(raw_ord) if raw_ord.isdigit() else ordinal_value(raw_ord)
        if ordinal is None:
            continue
        sep = m.group(3) if style in ("cn", "arabic") else m.group(3) or ""
        number = text[: lead + m.end()]
        rest = stripped[m.end():]
        if not rest.strip():
            return None
        # A run-in heading: its first sentence is the heading, the rest is body text.
        cut = _first_sentence_end(rest)
        if cut is not None and cut + 1 < len(rest.rstrip()):
            title, run_in = rest[: cut + 1], True
        else:
            title, run_in = rest.rstrip(), False
        return Heading(level=level, number=number, ordinal=ordinal, style=style,
                       separator=sep, title=title, run_in=run_in, paragraph=p)
    return None


def _first_sentence_end(s: str) -> int | None:
    depth = 0
    for i, ch in enumerate(s):
        if ch in "《“（(":
            depth += 1
        elif ch in "》”）)":
            depth = max(0, depth - 1)
        elif ch in SENTENCE_END and depth == 0:
            return i
    return None


# ---- classification of headings into mandated items (REPORT-RULES.md §2) ----

_STRIP_PREFIX = re.compile(
    r"^(?:关于)?(?:(?:20\d\d|二〇[一二三四五六七八九〇]{2})\s*年度?|上一年度|本年度|上年度|今年|一年来)?")
KEY_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("leadership", re.compile(
        r"(?:党政|政府|单位|局|党组|主要)?(?:主要)?负责(?:人|同志)?.{0,6}(?:履行|落实).{0,8}第一责任人"
        r"|第一责任人(?:职责)?(?:履行|履职|落实)")),
    ("other", re.compile(r"其他需要报告的(?:情况|事项)|其他(?:需要|应当)?报告(?:的)?(?:情况|事项)")),
    ("shortcomings", re.compile(
        r"存在的?(?:主要)?(?:不足|问题|困难)|不足(?:之处|和原因|及原因|与原因)|短板(?:和|与)?弱项"
        r"|困难和问题|问题(?:和|及|与)(?:原因|不足)|不足和问题|薄弱环节")),
    ("plans", re.compile(
        r"(?:下一年度|下一年|下一步|下步|明年|来年|今后|20\d\d\s*年度?|二〇[一二三四五六七八九〇]{2}年)"
        r".{0,12}(?:安排|计划|打算|思路|重点|举措|工作)"
        r"|工作(?:计划|安排|打算|思路|要点)|主要安排|重点安排|下步打算|努力方向|下一步(?:工作)?")),
    ("measures", re.compile(
        r"主要举措|举措(?:和|及|与)成效|主要(?:工作|做法|措施)|工作(?:开展)?情况|成效|基本情况"
        r"|推进法治政府建设(?:的)?(?:情况|工作)|工作(?:举措|开展)|取得的成绩|主要成绩")),
]
_LEADERSHIP_SENTENCE = re.compile(r"第一责任人")
_PLAN_YEAR = re.compile(r"^(?:20\d\d)\s*年")


def classify_keys(title: str) -> list[str]:
    """Every mandated key a heading title names, most specific first (may be empty)."""
    full = re.sub(r"\s+", "", title)
    t = _STRIP_PREFIX.sub("", full)
    keys = []
    for key, pat in KEY_PATTERNS:
        if pat.search(t) or (key == "plans" and pat.search(full)):
            # "2024年工作计划" is plans, but "2023年度法治政府建设工作情况" is measures.
            if key == "plans" and not re.search(r"安排|计划|打算|思路|重点|方向|下一步|下步", t):
                continue
            if key == "measures" and keys:
                continue  # "存在问题及工作成效不足" etc.: the specific item wins
            keys.append(key)
    return keys


def classify_title(title: str) -> str | None:
    """The mandated key a heading title names, or None."""
    keys = classify_keys(title)
    return keys[0] if keys else None


# ---- roles of the paragraphs around the sections ----

# The 成文日期 line, also in its malformed forms (23年3月16日, 2023.3.16, 2023-03-16,
# 2023/3/16, 二〇二三年三月十六日): the line is still the date line; DAT003 reports the form.
DATE_RE = re.compile(
    r"^\s*(?:(?P<y>[0-9０-９]{4}|[0-9０-９]{2}|[〇零一二三四五六七八九○Ｏ]{4})\s*年\s*"
    r"(?P<m>[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"\s*(?P<d>[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*[日号]"
    r"|[0-9０-９]{2}(?:[0-9０-９]{2})?(?P<sep>[.\-/．])[0-9０-９]{1,2}(?P=sep)[0-9０-９]{1,2}[日号]?)\s*$")
_UNIT_SUFFIX = re.compile(
    r"(?:局|政府|委员会|办公室|中心|办事处|厅|委|院|部|会|所|队|站|处|科|公司|集团|党组|管委会|街道)$")
_TITLE_RE = re.compile(r"(?:报告|情况|总结)$")
_RECIPIENT_END = re.compile(r"[：:]\s*$")


def build_report(texts: list[str], path: str, fmt: str,
                 auto_numbers: list[str | None] | None = None,
                 in_table: list[bool] | None = None,
                 reader_notes: list[str] | None = None,
                 col_shifts: list[int] | None = None) -> Report:
    """Build the :class:`Report` model from paragraph texts (one per line / Word paragraph).

    ``col_shifts`` gives, per paragraph, how many characters of the source line the reader
    dropped before the text (Markdown marks), so findings point into the original file."""
    paragraphs = make_paragraphs(texts, auto_numbers, in_table, col_shifts)
    report = Report(path=path, format=fmt, paragraphs=paragraphs,
                    reader_notes=list(reader_notes or []))
    body = [p for p in paragraphs if p.text.strip()]
    for p in paragraphs:
        if not p.text.strip():
            p.role = "blank"
    headings = {id(p): h for p in body if (h := parse_heading(p)) is not None and not p.in_table}

    # Front matter: title, recipients, lead — everything before the first heading.
    first_heading = next((i for i, p in enumerate(body) if id(p) in headings), len(body))
    front = body[:first_heading]
    if len(front) > 1 and DOC_NUMBER_RE.match(front[0].text.strip()):
        front[0].role = "doc_number"  # 发文字号 above the title (GB/T 9704-2012 7.2.4)
        front = front[1:]
    i = 0
    if front and _looks_like_title(front[0]):
        report.title = front[0]
        front[0].role = "title"
        i = 1
        # A title wrapped over two lines: the second line finishes it.
        if (len(front) > 1 and _looks_like_title(front[1]) and not report.title.text.rstrip()
                .endswith("报告") and front[1].text.strip().endswith("报告")):
            front[1].role = "title"
            i = 2
    if i < len(front) and _looks_like_recipient(front[i]):
        report.recipient_paragraph = front[i]
        front[i].role = "recipient"
        report.recipients = [r for r in re.split(r"[、，,；;]", front[i].text.strip().rstrip("：:"))
                             if r.strip()]
        i += 1
    for p in front[i:]:
        p.role = "lead"
        report.lead.append(p)

    # Back matter: 成文日期 (and 附注 after it) and 署名 — scanned from the end.
    tail = body[first_heading:]
    j = len(tail) - 1
    while j >= 0 and _looks_like_note(tail[j]):
        tail[j].role = "note"
        j -= 1
    if j >= 0 and DATE_RE.match(tail[j].text) and id(tail[j]) not in headings:
        report.date = tail[j]
        tail[j].role = "date"
        j -= 1
    if j >= 0 and _looks_like_signature(tail[j]) and id(tail[j]) not in headings:
        report.signature = tail[j]
        tail[j].role = "signature"
        j -= 1
    # A date written inside the last paragraph position without a signature line is common.
    section_body = tail[: j + 1]

    # The section tree.
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

    # Run-in enumerations 一是…二是… (one sequence per paragraph).
    for p in body:
        if p.role not in ("body", "heading", "lead"):
            continue
        seq = [Enumeration(ordinal=ordinal_value(m.group(1)) or 0, marker=m.group(0),
                           offset=p.offset + m.start(), paragraph=p)
               for m in RUN_IN.finditer(p.text)]
        seq = [e for e in seq if e.ordinal]
        if seq and seq[0].ordinal == 1 or len(seq) >= 2:
            report.enumerations.append(seq)

    _classify(report)
    return report


# 发文字号: 机关代字〔年份〕序号号 (GB/T 9704-2012 7.2.4).
DOC_NUMBER_RE = re.compile(r"^\S{1,20}〔\d{4}〕\d{1,5}号$")


def _looks_like_title(p: Paragraph) -> bool:
    t = p.text.strip()
    return (len(t) <= 60 and not t.endswith(tuple("。，；：:;,")) and parse_heading(p) is None
            and ("报告" in t or "情况" in t))


_RECIPIENT_PART = re.compile(
    r"(?:政府|党委|[市县区州省]委|委员会|人大常委会|局|厅|办|委|部|院|室|组|处|中心|单位|部门|街道|镇|乡)$")


def _looks_like_recipient(p: Paragraph) -> bool:
    t = p.text.strip()
    if not _RECIPIENT_END.search(t) or len(t) > 80 or "。" in t or "如下" in t:
        return False
    parts = [x.strip() for x in re.split(r"[、，,；;]", t.rstrip("：: ")) if x.strip()]
    return bool(parts) and all(len(x) <= 30 for x in parts) and any(
        _RECIPIENT_PART.search(x) for x in parts)


def _looks_like_signature(p: Paragraph) -> bool:
    t = p.text.strip()
    return (len(t) <= 40 and not t.endswith(tuple("。；;，,：:")) and "。" not in t
            and bool(_UNIT_SUFFIX.search(t)))


def _looks_like_note(p: Paragraph) -> bool:
    t = p.text.strip()
    return bool(re.fullmatch(r"[（(][^）)]{1,20}[）)]", t)) and ("公开" in t or "发布" in t)


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
        for s in report.walk():
            if s.level > 1 and classify_title(s.title) == "leadership":
                presence["leadership"] = Presence(
                    "leadership", "subsection", s.heading.paragraph,
                    s.heading.title_offset, s.title)
                break
    if "leadership" not in presence:
        for p in report.paragraphs:
            if p.role not in ("body", "heading", "lead"):
                continue
            m = _LEADERSHIP_SENTENCE.search(p.text)
            if m:
                start, end = _sentence_bounds(p.text, m.start())
                presence["leadership"] = Presence(
                    "leadership", "sentence", p, p.offset + start, p.text[start:end])
                break
    for key in ALL_KEYS:
        presence.setdefault(key, Presence(key, "absent"))
    report.presence = presence


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """The sentence (or clause run) of ``text`` containing ``pos``, without its end mark."""
    start = max((text.rfind(ch, 0, pos) for ch in "。！？；"), default=-1) + 1
    # Skip a heading sentence in a run-in heading: start at the first clause boundary.
    ends = [i for ch in "。！？；" if (i := text.find(ch, pos)) != -1]
    end = min(ends) if ends else len(text)
    return start, end
