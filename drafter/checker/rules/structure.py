"""STR — structure: mandated items, front and back matter, heading numbering."""

from __future__ import annotations

from typing import Iterator

from drafter.checker.context import CheckContext
from drafter.checker.finding import Hit
from drafter.checker.registry import rule
from drafter import sections
from drafter.report import MANDATED_KEYS, Paragraph, Report, Section
from drafter.report.headings import parse_heading
from drafter.report.structure import classify_title



def _anchor_for_missing(report: Report, key: str) -> int:
    """Where a missing item would belong: the heading it should precede or follow."""
    secs = report.sections
    if not secs:
        return report.paragraphs[0].offset if report.paragraphs else 0
    if key in ("leadership", "measures"):
        return secs[0].heading.paragraph.offset
    if key == "shortcomings":
        nxt = next((s for s in secs if s.key in ("plans", "other")), None)
        return (nxt or secs[-1]).heading.paragraph.offset
    return secs[-1].heading.paragraph.offset


@rule("STR001", "missing-mandated-item", severity="error",
      summary="缺少法定必备内容（举措成效、不足和原因、第一责任人履职、下一年度安排）")
def missing_mandated_item(ctx: CheckContext) -> Iterator[Hit]:
    """报告缺少《法治政府建设与责任落实督察工作规定》要求的必备内容。

    **作用 What it does**
    检查四项法定内容是否出现：主要举措和成效（measures）、存在的不足和原因（shortcomings）、
    党政主要负责人履行推进法治建设第一责任人职责情况（leadership）、下一年度主要安排（plans）。
    既没有对应的一级或二级标题、也没有任何句子提及时报错。

    **为什么重要 Why it matters**
    年度报告的内容由督察工作规定明确列举，缺项的报告会被退回，也是督察中常见的扣分点。

    **示例 Example**
    报告只有“一、工作情况”“二、下一步打算”，没有“存在的问题”部分。

    **应改为 Use instead**
    按法定顺序补齐四部分，例如增加“三、存在的不足和原因”。
    """
    report = ctx.report
    for key in MANDATED_KEYS:
        if report.presence[key].how == "absent":
            at = _anchor_for_missing(report, key)
            yield Hit(at, at, f"缺少法定内容“{sections.name(key)}”", section=key,
                      suggestion=f"增加一部分，标题如“{sections.name(key)}”")


@rule("STR002", "mandated-item-only-mentioned", severity="warning",
      summary="法定内容只在一句话中顺带提及，没有单独成段")
def mandated_item_only_mentioned(ctx: CheckContext) -> Iterator[Hit]:
    """法定内容只在正文某句话中顺带提及，没有单独的标题。

    **作用 What it does**
    “党政主要负责人履行推进法治建设第一责任人职责”没有自己的标题，只在其他部分的一句话里出现
    （如“切实履行法治建设第一责任人的职责”）时给出警告，并引用那句话。这一内容单独成为一部分、
    只是标题没有写明（“一、强化法治建设组织保障”下第一段就是履职情况）时，只作提示。

    **为什么重要 Why it matters**
    督察工作规定把第一责任人履职情况列为单独的报告事项；一句带过通常说明内容不充分。

    **示例 Example**
    （一）健全决策机制。……局党组切实履行法治建设第一责任人职责……

    **应改为 Use instead**
    单列“一、党政主要负责人履行推进法治建设第一责任人职责情况”，写明具体做法。
    """
    for key, pres in ctx.report.presence.items():
        if pres.how == "sentence" and pres.offset is not None:
            own = _devoted_section(ctx.report, pres.offset)
            if own is not None:  # a section of its own, under a title that does not say so
                h = own.heading
                yield Hit(pres.offset, pres.offset + len(pres.quote),
                          f"“{sections.name(key)}”写在“{h.number.strip()}{h.title}”部分，标题没有写明这一法定内容",
                          severity="info", section=key,
                          suggestion=f"在标题中写明，如“{h.number.strip()}{sections.name(key)}”")
                continue
            yield Hit(pres.offset, pres.offset + len(pres.quote),
                      f"“{sections.name(key)}”只在一句话中提及，没有单独成段", section=key,
                      suggestion=f"单列一部分“{sections.name(key)}”，写明具体履职情况")


def _devoted_section(report: Report, offset: int) -> Section | None:
    """The top-level section, named for no mandated item (or a theme) and without
    subsections, whose text opens with the sentence at ``offset``: a section about the item
    under a title of its own (一、强化法治建设组织保障 ⏎ 局长……履行推进法治建设第一责任人职责……)."""
    for sec in report.sections:
        if sec.level != 1 or (sec.key is not None and not sec.thematic) or sec.children \
                or not sec.paragraphs:
            continue
        if sec.paragraphs[0].offset == offset:
            return sec
    return None


@rule("STR003", "mandated-item-as-subsection", severity="info",
      summary="法定内容作为二级标题并入其他部分")
def mandated_item_as_subsection(ctx: CheckContext) -> Iterator[Hit]:
    """法定内容以二级（或更低）标题并入其他部分，而不是一级标题。

    **作用 What it does**
    某项法定内容只作为“（一）”等下级标题出现时给出提示。

    **为什么重要 Why it matters**
    这是常见且可接受的写法（三段式报告），但部分地方的工作指引要求按法定事项设一级标题。

    **示例 Example**
    一、工作情况 （一）主要负责人履行推进法治建设第一责任人职责情况

    **应改为 Use instead**
    如本地要求按法定事项分部分，可将其提升为一级标题。
    """
    for key, pres in ctx.report.presence.items():
        if pres.how == "subsection" and pres.offset is not None:
            yield Hit(pres.offset, pres.offset + len(pres.quote),
                      f"“{sections.name(key)}”作为下级标题并入其他部分", section=key)


@rule("STR004", "shortcomings-without-causes", severity="warning",
      summary="“存在的不足”部分没有分析原因")
def shortcomings_without_causes(ctx: CheckContext) -> Iterator[Hit]:
    """“存在的不足”部分只列问题，没有分析原因。

    **作用 What it does**
    在不足部分的正文中查找原因分析的表述（原因、究其原因、主要是、主观上/客观上、根源、由于……），
    一处也没有时给出警告。紧接其后另有一个标题写明“原因”的部分（“二、存在的不足”后的
    “三、原因分析”）时，原因已单独成段，不报告。

    **为什么重要 Why it matters**
    法定内容是“存在的不足和原因”，只写不足不写原因属于内容不全。

    **示例 Example**
    二、存在问题 —— 制度过于简略，缺乏可操作举措。（没有原因）

    **应改为 Use instead**
    补写原因，如“究其原因，主要是对法治政府建设重视不够……”。
    """
    for sec in _sections_with_key(ctx.report, "shortcomings"):
        after = _next_sibling(ctx.report, sec)
        if after is not None and "原因" in after.title:
            continue  # 二、存在的不足 ⏎ 三、原因分析: the causes have a heading of their own
        if not sections.cause_cues().search(sec.body_text()):
            start = sec.heading.title_offset
            yield Hit(start, start + len(sec.title), "“存在的不足”部分没有分析原因",
                      section="shortcomings",
                      suggestion="补写原因分析，如“究其原因，主要是……”")


def _next_sibling(report: Report, sec: Section) -> Section | None:
    """The section right after ``sec`` under the same parent (or at the top), if any."""
    for siblings in [report.sections, *(s.children for s in report.walk())]:
        for i, s in enumerate(siblings):
            if s is sec:
                return siblings[i + 1] if i + 1 < len(siblings) else None
    return None


def _sections_with_key(report: Report, key: str) -> list[Section]:
    top = [s for s in report.sections if key in _keys(s)]
    if top:
        return top
    return [s for s in report.walk() if s.level > 1 and classify_title(s.title) == key][:1]


def _keys(s: Section) -> set[str]:
    return {s.key, *s.extra_keys}


_RIGHT_SEP = {"cn": "、", "arabic": "."}


@rule("STR005", "heading-numbering-sequence", severity="error",
      summary="标题序号不连续、重复或顺序颠倒")
def heading_numbering_sequence(ctx: CheckContext) -> Iterator[Hit]:
    """同一层级的标题序号跳号、重号或顺序颠倒。

    **作用 What it does**
    先看报告用哪种编号方式：每个上级标题之下从“1.”重新编号，或（部分单位的做法）三级、四级
    标题全文连续编号（（一）下1.—3.，（二）接续4.—6.）——多数上级标题之间接续编号时按连续
    编号审核。然后在同一方式内检查序号是否依次递增：重新编号的从“一”（或1）开始，连续编号
    的接着上一组往下数。没有序号的标题（转载时丢失序号）不检查。

    **为什么重要 Why it matters**
    两个“一、”或从“二、”跳到“四、”是编辑时增删段落留下的错误，正式报告中十分显眼。

    **示例 Example**
    一、主要举措和成效 …… 一、存在的不足和原因

    **应改为 Use instead**
    一、主要举措和成效 …… 二、存在的不足和原因
    """
    groups = _sibling_groups(ctx.report)
    continuous = _continuous_styles(groups)
    running: dict[str, int] = {}
    for style, group in groups:
        cont = style in continuous
        expected = running.get(style, 1) if cont else 1
        for n in group:
            h = n.heading
            start = h.paragraph.offset + (len(h.paragraph.text) - len(h.paragraph.text.lstrip()))
            end = h.paragraph.offset + len(h.number.rstrip())
            if h.ordinal != expected:
                if h.ordinal < expected:
                    what = "重复" if h.ordinal == expected - 1 else "顺序颠倒"
                else:
                    what = "跳号"
                scheme = "（本文各部分的小标题连续编号）" if cont else ""
                yield Hit(start, end,
                          f"标题序号{what}：此处应为第{expected}项{scheme}，实际写作“{h.number.strip()}”",
                          suggestion=f"改为第{expected}项的序号")
            expected = max(expected, h.ordinal) + 1 if h.ordinal >= expected else expected + 1
        running[style] = expected


def _sibling_groups(report: Report) -> list[tuple[str, list[Section]]]:
    """(number style, the numbered siblings of that style under one parent), in text order."""
    out: list[tuple[str, list[Section]]] = []

    def visit(nodes: list[Section]) -> None:
        by_style: dict[str, list[Section]] = {}
        for n in nodes:
            if n.heading.style != "none":
                by_style.setdefault(n.heading.style, []).append(n)
        out.extend(by_style.items())
        for n in nodes:
            visit(n.children)

    visit(report.sections)
    return sorted(out, key=lambda g: g[1][0].heading.paragraph.offset)


def _continuous_styles(groups: list[tuple[str, list[Section]]]) -> set[str]:
    """Number styles numbered through the document: more groups continue the previous group
    of the style (its first number is the previous last + 1) than restart at 1."""
    votes: dict[str, list[int]] = {}
    last: dict[str, int] = {}
    for style, group in groups:
        if style in last:
            first = group[0].heading.ordinal
            v = votes.setdefault(style, [0, 0])
            if first == 1:
                v[0] += 1
            elif first == last[style] + 1:
                v[1] += 1
        last[style] = group[-1].heading.ordinal
    return {s for s, (restart, cont) in votes.items() if cont > restart}


@rule("STR006", "heading-number-form", severity="error",
      summary="标题序号写法不规范（如“（一）、”“一.”“1、”）")
def heading_number_form(ctx: CheckContext) -> Iterator[Hit]:
    """标题序号后的标点不符合规范。

    **作用 What it does**
    按 GB/T 9704 和《党政机关公文处理工作条例》的结构层次序数：“一、”“（一）”“1.”“（1）”。
    “（一）、”“（1）、”（括号后加顿号）、“一.”“一，”（一级序号后用点或逗号）、“1、”“1，”
    （三级序号后用顿号或逗号）都会被指出。

    **为什么重要 Why it matters**
    序号写法是公文格式审核的基本项，不规范的写法说明文稿未经校对。

    **示例 Example**
    （一）、健全依法决策机制

    **应改为 Use instead**
    （一）健全依法决策机制
    """
    for sec in ctx.report.walk():
        h = sec.heading
        num = h.number.strip()
        if h.style in ("none", "part"):
            continue
        if h.style in ("paren-cn", "paren-arabic"):
            fixed = num[: -len(h.separator)] if h.separator else num
        elif h.style == "cn":
            fixed = num[:-1] + "、"
        else:
            fixed = num[:-1] + "."
        if fixed == num or (h.style == "arabic" and num.endswith("．")):
            continue
        p = h.paragraph
        start = p.offset + (len(p.text) - len(p.text.lstrip()))
        yield Hit(start, start + len(num), f"标题序号“{num}”写法不规范", suggestion=f"改为“{fixed}”")


@rule("STR007", "enumeration-sequence", severity="warning",
      summary="“一是……二是……”列举序号跳号或重复")
def enumeration_sequence(ctx: CheckContext) -> Iterator[Hit]:
    """段内“一是……二是……三是……”的列举序号跳号或重复。

    **作用 What it does**
    在同一段落中，从“一是”开始的列举应依次为“二是”“三是”……。

    **为什么重要 Why it matters**
    删改内容后忘记重排序号是常见疏漏。

    **示例 Example**
    一是加强学习。二是完善制度。四是强化监督。

    **应改为 Use instead**
    一是加强学习。二是完善制度。三是强化监督。
    """
    for seq in ctx.report.enumerations:
        if not seq or seq[0].ordinal != 1:
            continue
        expected = 1
        for e in seq:
            if e.ordinal != expected:
                yield Hit(e.offset, e.offset + len(e.marker),
                          f"列举序号不连续：此处应为第{expected}项，实际写作“{e.marker}”",
                          suggestion="按顺序重排“一是、二是、三是……”")
            expected = e.ordinal + 1


_FINAL_PUNCT = "。，；：、,.;:！？!?"


@rule("STR012", "heading-final-punctuation", severity="warning",
      summary="独立成行的标题末尾有标点")
def heading_final_punctuation(ctx: CheckContext) -> Iterator[Hit]:
    """独立成行的标题末尾带有标点。

    **作用 What it does**
    一级标题末尾不加标点；独立成行的下级标题末尾不用逗号、分号、冒号、顿号。
    （下级标题后接正文的“段首标题”以句号结尾，不在此列；前一段以冒号引出的列举条目
    “（1）……；（2）……。”，以及紧接着下一条（同一编号形式的下一个序号、以分号或句号结尾）
    的条目，是列举而不是标题，也不在此列。）

    **为什么重要 Why it matters**
    GB/T 15834 与公文格式惯例：标题末尾不用点号。

    **示例 Example**
    一、主要举措和成效。

    **应改为 Use instead**
    一、主要举措和成效
    """
    for sec in ctx.report.walk():
        h = sec.heading
        if h.run_in:
            continue
        title = h.title.rstrip()
        if not title:
            continue
        last = title[-1]
        bad = last in _FINAL_PUNCT if h.level == 1 else last in "，；：、,;:"
        if bad and h.level > 1 and last in "，；、,;" and _after_lead_in(ctx.report, h.paragraph):
            continue  # an item of a list a colon opens (按以下方式处理：⏎（1）……；⏎（2）……。)
        if bad:
            p = h.paragraph
            at = p.offset + len(h.number) + len(title) - 1
            yield Hit(at, at + 1, f"标题末尾不应有标点“{last}”",
                      suggestion=f"删去标题末尾的“{last}”")


def _after_lead_in(report: Report, p: Paragraph) -> bool:
    """Whether ``p`` is an item of a list, not a heading: the paragraph before it (blank
    lines aside) ends with a colon, or is an item of the same list ending with ；/，; or the
    paragraph after it is the next item of the same numbering, ending with ；/。 as items of a
    list do (（1）……；⏎（2）……；⏎（3）……。 under a lead-in that ends with a period)."""
    before = [q for q in report.paragraphs[:p.line - 1] if q.text.strip()]
    if before:
        prev = before[-1].text.rstrip()
        if prev.endswith(("：", ":")) or (prev.endswith(("；", ";", "，", ",")) and
                                         parse_heading(before[-1]) is not None):
            return True
    after = next((q for q in report.paragraphs[p.line:] if q.text.strip()), None)
    if after is None or not after.text.rstrip().endswith(("；", ";", "。")):
        return False
    here, nxt = parse_heading(p), parse_heading(after)
    return here is not None and nxt is not None and nxt.style == here.style \
        and nxt.level == here.level and nxt.ordinal == here.ordinal + 1


@rule("STR013", "document-read-note", severity="info",
      summary="读取文档时的说明（如含未接受的修订，已按接受后的文本审核）")
def document_read_note(ctx: CheckContext) -> Iterator[Hit]:
    """读取 .docx 时需要告诉审核人的情况。

    **作用 What it does**
    文档中有未接受的修订（按“接受全部修订”后的文本审核）、有未能读取的嵌入内容等情况时，
    给出一条提示，指向文档开头。

    **为什么重要 Why it matters**
    审核结果针对的是接受修订后的文本；如果修订尚未定稿，审核人应知道这一点。

    **示例 Example**
    送审稿中保留着修订痕迹，删除的文字和插入的文字都还在。

    **应改为 Use instead**
    定稿前在 Word 中“接受所有修订”，再重新审核。
    """
    r = ctx.report
    if not r.paragraphs:
        return
    at = next((p.offset for p in r.paragraphs if p.text.strip()), 0)
    for note in r.reader_notes:
        yield Hit(at, at, note)
