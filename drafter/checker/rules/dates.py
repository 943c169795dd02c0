"""DAT — dates and years: the year each part names, the 成文日期 and the deadline."""

from __future__ import annotations

import re
from typing import Iterator

from drafter.checker.context import CheckContext
from drafter.checker.finding import Edit, Hit
from drafter.checker.registry import rule
from drafter.report import Paragraph, Section
from drafter.report.info import (
    Evidence,
    ReportDate,
    no_such_day,
    section_keys,
    years_in,
)


def _year(ctx: CheckContext) -> tuple[int, Evidence] | None:
    """The reporting year read from the text itself (title, lead, headings), not the date —
    unless the title is the odd one out: when every place that states the year (the lead, the
    plans heading, the 成文日期 with it) agrees on another one, the title's own slip is
    reported (DAT002, or DAT001 without a date) and the other checks go by that year, so a
    wrong title does not make the right plans heading and 成文日期 look wrong."""
    got = ctx.stated_year
    if got is not None and got[1].source == "title":
        full = ctx.reporting_year
        if full is not None and full[0] != got[0]:
            return next((m for m in ctx.year_mentions if m[0] == full[0]
                         and m[1].source not in ("date", "plans")), full)
    return got


def _date(ctx: CheckContext) -> ReportDate | None:
    return ctx.report_date


def _why(ev: Evidence) -> str:
    return f"{ev.where}“{ev.text}”"


def _ymd(t: tuple[int, int, int]) -> str:
    return f"{t[0]}年{t[1]}月{t[2]}日"


def _heading_span(sec: Section) -> tuple[int, int]:
    p = sec.heading.paragraph
    return p.offset, p.offset + len(sec.heading.number) + len(sec.title)


_PLAN_SENTENCE_YEAR = re.compile(r"(?:^|[。；！])\s*(?:[一二三四五六七八九十]+是)?\s*(20\d\d)\s*年度?[，,]")


@rule("DAT001", "wrong-year-for-section", severity="error",
      summary="标题或段落写错年份（安排写成报告年度、举措写成上一年）")
def wrong_year_for_section(ctx: CheckContext) -> Iterator[Hit]:
    """某一部分写的年份与它应写的年份不符。

    **作用 What it does**
    先从标题（关于2023年度……的报告）、开头段（2023年，……）或一级标题推断报告年度，再检查：
    下一年度安排部分的标题或句首写成报告年度或更早的年份（2023年度报告写“2023年工作计划”），
    或标题把计划年度写成报告年度次年以外的年份（2023年度报告写“2025年工作安排”）报错；安排中把
    报告年度或更早的日期定为要做的事的时间（“2023年3月至6月开展……”“2023年底前完成……”）给出警告
    （“2023年12月印发的……”“2023年以来开展的……”等回顾不算）；举措成效、第一责任人履职、不足和原因的一级标题写了别的年份，或开头段首句的年份与
    标题不同，给出警告。

    **为什么重要 Why it matters**
    年度报告按“上一年度情况、下一年度安排”组织，年份写错会让整段内容的时间归属出错，
    多见于套用上一年报告时漏改年份。

    **示例 Example**
    江屿市人力资源和社会保障局关于2022年度法治政府建设情况的报告 …… 九、2022年工作安排

    **应改为 Use instead**
    九、2023年工作安排
    """
    got = _year(ctx)
    if got is None:
        return
    year, ev = got
    report, text = ctx.report, ctx.text
    for sec in report.sections:
        keys = section_keys(sec)
        s, e = _heading_span(sec)
        years = years_in(sec.heading.paragraph, 0, len(sec.heading.number) + len(sec.title))
        # Only the first year of a heading says which year the part is about.
        y, ys, ye = years[0] if years else (None, 0, 0)
        if "plans" in keys:
            if y is not None and (y <= year or (y > year + 1 and _plan_target_year(text, ye, e))):
                yield Hit(s, e, f"下一年度安排部分的标题写的是{y}年，应为{year + 1}年"
                                f"（报告年度为{year}年，见{_why(ev)}）",
                          suggestion=text[s:ys] + f"{year + 1}年" + text[ye:e])
            yield from _plan_body_years(sec, year, ev)
        elif keys & {"measures", "leadership", "shortcomings"} and not sec.thematic:
            if y is not None and y != year:
                yield Hit(s, e, f"该部分总结报告年度的情况，标题却写{y}年，应为{year}年（见{_why(ev)}）",
                          severity="warning", suggestion=text[s:ys] + f"{year}年" + text[ye:e])
    title = ctx.stated_year
    if ev.source != "title" and title is not None and title[1].source == "title" and ctx.report_date is None:
        t, tev = title  # the title is the odd one out and no 成文日期 lets DAT002 say so
        yield Hit(tev.start, tev.end, f"标题写{t}年度，与{_why(ev)}等处所示的报告年度{year}年不一致",
                  severity="warning", suggestion=f"{year}年")
    if ev.source == "title" and report.lead:
        p = report.lead[0]
        m = re.match(r"\s*(20\d\d)\s*年", p.text)
        if m and int(m.group(1)) != year and "以来" not in p.text[m.end():m.end() + 3]:
            yield Hit(p.offset + m.start(1), p.offset + m.end(), f"开头段写{m.group(1)}年，"
                      f"与标题的报告年度{year}年不一致", severity="warning", suggestion=f"{year}年")


# After the year of a plans heading: the year names the plan itself ("2025年工作安排",
# "2025年度法治政府建设工作计划"), not a span or a longer horizon ("2025—2027年", "2035年远景").
_PLAN_TARGET = re.compile(r"度?(?:[^—\-－~～至到和及、，（(]{0,12}?)(?:工作)?(?:计划|安排|打算|思路|重点|要点|目标任务)")


def _plan_target_year(text: str, year_end: int, heading_end: int) -> bool:
    """Whether the year ending at ``year_end`` (just after 年) is the target year of the plan."""
    return bool(_PLAN_TARGET.match(text, year_end, heading_end))


def _plan_body_years(sec: Section, year: int, ev: Evidence) -> Iterator[Hit]:
    paras: list[Paragraph] = sec.all_paragraphs()[1:]
    if sec.heading.run_in:
        paras = [sec.heading.paragraph] + paras
    for p in paras:
        for m in _PLAN_SENTENCE_YEAR.finditer(p.text):
            y = int(m.group(1))
            if y <= year:
                s, e = p.offset + m.start(1), p.offset + m.end(1) + 1
                yield Hit(s, e, f"下一年度安排中写“{y}年”，应为{year + 1}年（报告年度为{year}年，见{_why(ev)}）",
                          suggestion=f"{year + 1}年")
        for m in _PLAN_SCHEDULE.finditer(p.text):
            y = int(m.group("to") or m.group(1))  # a span is judged by its end (…至2025年6月)
            if y <= year and not _LOOKING_BACK.search(p.text, 0, m.start()):
                s, e = p.offset + m.start(1), p.offset + m.end(1) + 1
                yield Hit(s, e, f"下一年度安排中把“{p.text[m.start():m.end('when')]}”定为要做的事的时间，"
                                f"应在{year + 1}年（报告年度为{year}年，见{_why(ev)}）",
                          severity="warning", suggestion=f"{year + 1}年")


# A date that schedules a task of the plans: "2025年3月至6月开展…", "2025年底前完成…" — the
# verb right after the date (or after 前), not an attribute of a past event ("2025年12月印发的").
_PLAN_SCHEDULE = re.compile(
    r"(20\d\d)\s*年(?P<when>(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?(?:上旬|中旬|下旬|底|末)?"
    r"(?:\s*[至到—\-－~～]\s*(?:(?P<to>20\d\d)\s*年)?\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?(?:底|末)?)?"
    r"|年?底|年?末|上半年|下半年)(?:前|以前|之前)?)[，,]?\s*"
    r"(?:开展|启动|完成|组织|召开|举办|实现|出台|印发|制定|部署|推进|上线|建成|报送|实施|全面)"
    r"(?![\u4e00-\u9fff]{0,6}的)")
# Words before such a date that look back at it ("巩固2025年底完成的…", "在2025年启动试点的基础上").
_LOOKING_BACK = re.compile(r"(?:在|自|从|巩固|贯彻|对照|落实|总结|延续|继续)\s*$")


@rule("DAT002", "title-year-date-mismatch", severity="warning",
      summary="标题年度与成文日期不衔接（成文日期应在标题年度的次年）")
def title_year_date_mismatch(ctx: CheckContext) -> Iterator[Hit]:
    """标题中的报告年度与成文日期相差一年以上。

    **作用 What it does**
    年度报告在报告年度的次年年初成文：标题为“2023年度”时，成文日期应在2024年。成文日期的
    年份不是标题年度的次年时提示，例如标题年份沿用了往年，或开头段、一级标题都写2023年而
    标题写2024年度（成文日期在报告年度之内的情况由 DAT005 报告）。

    **为什么重要 Why it matters**
    两者不衔接，说明标题年份或成文日期有一处没有改，常见于套用往年报告。

    **示例 Example**
    ……关于2022年度法治政府建设情况的报告 …… 2024年2月20日

    **应改为 Use instead**
    ……关于2023年度法治政府建设情况的报告 …… 2024年2月20日
    """
    d = _date(ctx)
    if d is None or not d.valid or ctx.report.title is None:
        return
    got = ctx.reporting_year_from(("lead", "heading", "plans", "date"))
    if got is None or got[1].source != "title":
        return
    t, ev = got
    text_year = _year(ctx)
    if text_year and d.as_tuple() <= (text_year[0], 12, 31):
        return  # dated inside the reporting year: DAT005 reports it
    if d.year - 1 != t:
        yield Hit(ev.start, ev.end, f"标题为{t}年度，成文日期却是{d.raw}：年度报告在报告年度的次年年初"
                  f"成文，标题年度应为{d.year - 1}年，或成文日期应在{t + 1}年", suggestion=f"{d.year - 1}年")


_CN_NUM = re.compile(r"[〇零一二三四五六七八九十○Ｏ]")


@rule("DAT003", "date-format", severity="warning",
      summary="成文日期格式不规范（汉字数字、补零、简写年份、用点或横线分隔）")
def date_format(ctx: CheckContext) -> Iterator[Hit]:
    """成文日期没有按 GB/T 9704 的格式书写。

    **作用 What it does**
    成文日期应以阿拉伯数字将年、月、日标全，年份不简写，月、日不编虚位（不补零）：
    2024年3月1日。检查汉字数字（二〇二四年三月一日）、补零（2024年03月01日）、两位年份
    （24年3月1日）和用点、横线、斜线分隔（2024.3.1）的写法，可自动改正。

    **为什么重要 Why it matters**
    《党政机关公文格式》（GB/T 9704-2012）7.3.5.3 规定成文日期用阿拉伯数字标全年、月、日，
    格式不规范的公文会被退回。

    **示例 Example**
    二〇二四年二月十日；2024年02月10日；2024.2.10

    **应改为 Use instead**
    2024年2月10日
    """
    d = _date(ctx)
    if d is None:
        return
    problems = []
    raw = d.raw
    if _CN_NUM.search(raw):
        problems.append("使用了汉字数字")
    if d.year is None:
        problems.append("年份简写")
    if re.search(r"(?<!\d)0\d", raw.split("年")[-1]) or re.search(r"[.\-/．]0\d", raw):
        problems.append("月、日前补了0")
    if not re.search(r"年.*月.*日", raw):
        problems.append("未用“年月日”")
    if re.search(r"\s", raw):
        problems.append("含空格")
    if not problems:
        return
    fixed = _ymd(d.as_tuple()) if d.year and d.valid else None
    yield Hit(d.start, d.end, f"成文日期“{raw}”{'、'.join(problems)}，应以阿拉伯数字标全年、月、日"
              f"（GB/T 9704-2012）" + (f"，即{fixed}" if fixed else ""),
              suggestion=fixed, edits=(Edit(d.start, d.end, fixed),) if fixed else None)


# A day of the text: "2025年2月30日", "3月5号" (Arabic digits; the 成文日期 has its own reader).
# (The lookahead first: the engine tries the rest only where a digit stands.)
_DAY = re.compile(r"(?=\d)(?<![\d.．])(?:((?:19|20)\d\d)\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号](?!\d)")


def _days(text: str) -> Iterator[re.Match[str]]:
    """The matches of ``_DAY`` in ``text``, looked for only around each 月 (a report has a few
    dozen; a scan of the whole text costs ten times as much)."""
    last = -1
    k = text.find("月")
    while k >= 0:
        m = _DAY.search(text, max(last, k - _DAY_REACH), k + _DAY_REACH)
        if m is not None and m.start() <= k < m.end():
            last = m.end()
            yield m
        k = text.find("月", k + 1)


_DAY_REACH = 16  # characters from a 月 to either end of its date (2025 年 12 月 31 日)


@rule("DAT004", "invalid-date", severity="error",
      summary="日期不是真实存在的日期（成文日期或正文中的日期），或日期区间起止颠倒")
def invalid_date(ctx: CheckContext) -> Iterator[Hit]:
    """成文日期或正文中的日期不存在（如2月30日、4月31日、13月）。

    **作用 What it does**
    检查成文日期和正文中写明月、日的日期（“2025年2月30日”“11月31日召开”）：月份应在1—12
    之间，日期不超过该月天数（写了年份时，闰年2月29日有效；没写年份时2月29日视为有效）。
    日期区间（“6月26日至6月17日”“6月20日至18日”）的结束日期不应早于开始日期；结束日期
    没写年份而月份早得多的（“12月28日至1月5日”）视为跨年，不报告。

    **为什么重要 Why it matters**
    不存在的日期是明显的笔误，会使公文的成文时间、事项的办理时间无法确定。

    **示例 Example**
    2024年2月30日

    **应改为 Use instead**
    按实际日期填写，如2024年2月28日。
    """
    d = _date(ctx)
    if d is not None and d.year and d.month is not None and d.day is not None and not d.valid:
        why = no_such_day(d.year, d.month, d.day)
        yield Hit(d.start, d.end, f"成文日期“{d.raw}”不存在（{why}）", suggestion="按实际签发日期填写")
    text = ctx.text
    if "月" not in text:
        return
    prev: tuple[re.Match[str], tuple[int | None, int, int]] | None = None
    for m in _days(text):
        if d is not None and m.start() < d.end and d.start < m.end():
            continue  # the 成文日期: above
        year = int(m.group(1)) if m.group(1) else None
        day = (year, int(m.group(2)), int(m.group(3)))
        why = no_such_day(*day)
        if why:
            yield Hit(m.start(), m.end(), f"日期“{m.group()}”不存在（{why}）", suggestion="核对并按实际日期填写")
            prev = None
            continue
        if prev is not None and _RANGE_JOIN.fullmatch(text, prev[0].end(), m.start()) \
                and _reversed(prev[1], day):
            yield Hit(prev[0].start(), m.end(), f"日期区间“{text[prev[0].start():m.end()]}”起止颠倒，"
                      "结束日期早于开始日期", suggestion="核对起止日期")
        elif (end := _DAY_ONLY.match(text, m.end())) is not None and int(end.group(1)) < day[2]:
            yield Hit(m.start(), end.end(), f"日期区间“{text[m.start():end.end()]}”起止颠倒，"
                      "结束日期早于开始日期", suggestion="核对起止日期")
        prev = (m, day)


# What joins the two ends of a range of days ("6月1日至6月17日", "6月1日—6月17日").
_JOIN = r"\s*(?:至|到|—{1,2}|-|－|～|~)\s*"
_RANGE_JOIN = re.compile(_JOIN)
# The end of a range in the same month: "6月1日至17日".
_DAY_ONLY = re.compile(_JOIN + r"(\d{1,2})\s*[日号](?!\d)")


def _reversed(start: tuple[int | None, int, int], end: tuple[int | None, int, int]) -> bool:
    """Whether a range ends before it starts. An end without a year is in the start's year,
    unless it is months earlier: a range over the new year ("12月28日至1月5日")."""
    (y1, m1, d1), (y2, m2, d2) = start, end
    if y2 is None:
        if (m1, d1) > (m2, d2) and m1 - m2 >= 6:
            return False
        y2 = y1
    if y1 is None or y2 is None:
        return (m1, d1) > (m2, d2)
    return (y1, m1, d1) > (y2, m2, d2)


@rule("DAT005", "date-within-reporting-year", severity="error",
      summary="成文日期早于报告年度结束")
def date_within_reporting_year(ctx: CheckContext) -> Iterator[Hit]:
    """成文日期在报告年度结束之前。

    **作用 What it does**
    报告年度（从标题、开头段或一级标题推断）结束之后才能总结全年：2023年度报告的成文日期
    应在2024年1月1日或以后。成文日期在此之前时报错。

    **为什么重要 Why it matters**
    年度报告总结的是完整的上一年度，成文日期早于年度结束，要么年份写错，要么报告年度写错。

    **示例 Example**
    ……关于2023年度法治政府建设情况的报告 …… 2023年12月28日

    **应改为 Use instead**
    2024年2月20日（报告年度次年的实际成文日期）
    """
    d, got = _date(ctx), _year(ctx)
    if d is None or got is None or not d.valid:
        return
    year, ev = got
    if d.as_tuple() <= (year, 12, 31):
        yield Hit(d.start, d.end, f"成文日期{d.raw}在报告年度（{year}年，见{_why(ev)}）结束之前，"
                  f"应在{year + 1}年1月1日之后", suggestion=f"{year + 1}年…")


@rule("DAT006", "late-report", severity="warning",
      summary="成文日期晚于报送期限（部门3月1日前、政府第一季度、4月1日前公开）")
def late_report(ctx: CheckContext) -> Iterator[Hit]:
    """成文日期晚于年度报告的报送或公开期限。

    **作用 What it does**
    按单位类型（从标题、署名或开头段推断：人民政府为政府，局、委、办等为部门）和地方口径
    （``profiles.yaml``，用 ``--profile`` 选择；或 drafter.toml 的 ``[profile]``）检查成文日期
    （文末、公开稿标题下或报告前报送函上的日期）：晚于报送期限（默认口径：部门
    3月1日前、政府第一季度）给出警告；晚于4月1日的公开期限报错。期限当日成文视为按时。

    **为什么重要 Why it matters**
    《法治政府建设与责任落实督察工作规定》要求年度报告按时报送并在每年4月1日前向社会公开，
    逾期是督察通报的常见问题。

    **示例 Example**
    ××局关于2023年度法治政府建设情况的报告 …… 2024年4月1日

    **应改为 Use instead**
    在期限前完成报送，成文日期如2024年2月20日。
    """
    from drafter.checker.profiles import active_profile

    d = _date(ctx)
    if d is None or not d.valid:
        return
    got = _year(ctx)
    year = got[0] if got else d.year - 1
    if d.year <= year:
        return  # DAT005's case
    prof = active_profile(ctx.options)
    info = ctx.unit_info
    dl = prof.deadlines.get(info.type) if info else None
    date = d.as_tuple()
    publish = (year + 1, *(dl or next(iter(prof.deadlines.values()))).publish_by)
    basis = f"报告年度{year}年" + (f"，见{_why(got[1])}" if got else "")
    if date > publish:
        yield Hit(d.start, d.end, f"成文日期{d.raw}晚于{_ymd(publish)}的公开期限（{prof.publish_rule}；"
                  f"{basis}；口径：{prof.name}）", severity="error",
                  suggestion=f"{_ymd(publish)}前成文、公开")
    elif dl is not None and date > (year + 1, *dl.submit_by):
        unit = "政府" if info.type == "government" else "政府部门"
        yield Hit(d.start, d.end, f"成文日期{d.raw}晚于{unit}的报送期限{_ymd((year + 1, *dl.submit_by))}"
                  f"（{dl.rule}；单位类型依据：{info.evidence}；{basis}；口径：{prof.name}）",
                  suggestion=f"{_ymd((year + 1, *dl.submit_by))}前成文报送")


# A year followed by a time word and then 年 ("2022底年", "2023以来年"), or 月 and 年 swapped
# ("2023月7年"): the characters 年/月 were typed in the wrong place. "2023全年" and
# "2023上半年" are words of their own and stay silent.
_TRANSPOSED = re.compile(  # the year first, then "no digit before it" (a fast scan for 19/20)
    r"((?:19|20)\d\d)(?<![\d０-９]\d{4})(?:(底|末|初|以来|以前|以后|之前|之后|前后)年"
    r"|月(\d{1,2})年(?!度))")


@rule("DAT007", "year-month-transposed", severity="warning",
      summary="年份后的“年”“月”错位（如“2022底年”“2023以来年”“2023月7年”）")
def year_month_transposed(ctx: CheckContext) -> Iterator[Hit]:
    """年份后的“年”“月”与时间词位置颠倒。

    **作用 What it does**
    查找四位年份后紧跟时间词再跟“年”的写法（“截至2022底年”“2023以来年”“2023初年”），以及
    “年”“月”互换的写法（“自2023月7年起”），给出正确写法（“2022年底”“2023年以来”
    “2023年7月”）。“2023全年”“2023上半年”是正常写法，不报告。只给出建议，不自动修改。

    **为什么重要 Why it matters**
    这类错位多是改稿时删改时间词留下的，读起来明显不通，也可能让日期含义不清。

    **示例 Example**
    截至2022底年，全市实有经营主体7.35万户。

    **应改为 Use instead**
    截至2022年底，全市实有经营主体7.35万户。

    **修正 Fix safety**
    不自动修改：错位的可能是年份、月份本身，须人工确认。
    """
    text = ctx.text
    for m in _TRANSPOSED.finditer(text):
        if text.count("《", 0, m.start()) > text.count("》", 0, m.start()):
            continue  # inside a title
        year = m.group(1)
        right = f"{year}年{m.group(2)}" if m.group(2) else f"{year}年{m.group(3)}月"
        what = "“年”“月”位置颠倒" if m.group(3) else f"“年”与“{m.group(2)}”位置颠倒"
        yield Hit(m.start(), m.end(), f"“{m.group()}”中{what}，应为“{right}”",
                  suggestion=right)
