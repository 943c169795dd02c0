"""FMT — punctuation (GB/T 15834-2011 and the 公文 conventions of GB/T 9704-2012).

Half-width marks in Chinese text, ``< >`` nested in 《》, 顿号 between adjacent 书名号 or
quotations, 文号 brackets (〔〕) and year ranges in titles. Spacing, digits and broken lines are
in ``spacing.py``. Fixes that only change the width or shape of a mark carry Edits, so
``drafter check --fix`` can apply them; nothing here ever changes a word, a name or a number.
"""

from __future__ import annotations

import re
from typing import Iterator

from drafter.checker.context import CheckContext
from drafter.checker.finding import Edit, Hit
from drafter.checker.registry import rule
from drafter.text.refs import DOC_NUMBER

CN_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】〔〕…—·「」『』"
FULL_WIDTH = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！", ".": "。"}
# What may end a sentence right before its full stop besides a Chinese character (100%.).
_BEFORE_STOP = frozenset("%％）)》”")
_MARKS = "".join(c for c in FULL_WIDTH if c != ".")
# A half-width full stop that may end a Chinese sentence (what halfwidth_marks reports).
_STOP_DOT = re.compile(rf"[\u3000-\uffff{re.escape(''.join(sorted(_BEFORE_STOP)))}]\.")
_URL = re.compile(r"(?:https?://|ftp://|www\.)[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]+"
                  r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_DOC_CODE_STOP = set("的了在于对按据依照将把由经及和与为以是等即见、")
_DOC_CODE_VERB = re.compile(r"^(?:落实|执行|根据|依据|按照|贯彻|印发|转发|参照|对照|遵照|结合|学习|依照|"
                            r"对|按|依|据|见|即|以及|和|及|与|将)+")


def is_cn(ch: str) -> bool:
    """A CJK ideograph or a Chinese (full-width) punctuation mark."""
    return bool(ch) and ("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"
                         or ch in CN_PUNCT)


def is_hanzi(ch: str) -> bool:
    return bool(ch) and ("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")


def _neighbour(text: str, i: int, step: int) -> tuple[str, int]:
    """The nearest non-space character from ``i`` in direction ``step`` and its index."""
    j = i + step
    while 0 <= j < len(text) and text[j] in " \t\u3000":
        j += step
    return (text[j], j) if 0 <= j < len(text) else ("", j)


def url_spans(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _URL.finditer(text):
        end = m.end()
        while end > m.start() and text[end - 1] in ",.;:!?)":
            end -= 1  # a URL does not end with the sentence's punctuation
        out.append((m.start(), end))
    return out


def _in_spans(i: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= i < e for s, e in spans)


def halfwidth_marks(text: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) for every half-width , : ; ( ) ? ! used in Chinese text, and a
    half-width . ending a Chinese sentence (after a Chinese character or 100%, before a Chinese
    character or the end).

    Left alone: marks inside URLs and e-mail addresses, 1,234 and 8:30 (digits on both sides,
    no space), marks between Latin words, parentheses after ``]`` (Markdown links) and the
    brackets of a 文号 (FMT007 handles those).
    """
    skip = url_spans(text)
    for m in DOC_NUMBER.finditer(text):
        skip += [(m.start(1), m.start(1) + 1), (m.start(3), m.start(3) + 1)]
    out: list[tuple[int, int, str]] = []
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for i, ch in enumerate(text):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            pairs[stack.pop()] = i
    closing = {c: o for o, c in pairs.items()}
    for i, ch in enumerate(text):
        if ch not in FULL_WIDTH or _in_spans(i, skip):
            continue
        left, li = _neighbour(text, i, -1)
        right, ri = _neighbour(text, i, 1)
        if ch in "()":
            o = i if ch == "(" else closing.get(i)
            c = pairs.get(i) if ch == "(" else i
            if o is not None and c is not None:
                if o > 0 and text[o - 1] == "]":
                    continue  # Markdown link [text](url)
                outer_l, _ = _neighbour(text, o, -1)
                outer_r, _ = _neighbour(text, c, 1)
                inside = text[o + 1:c]
                if not (is_cn(outer_l) or is_cn(outer_r) or any(is_cn(x) for x in inside)):
                    continue
                out.append((i, i + 1, FULL_WIDTH[ch]))
                continue
            if not (is_cn(left) or is_cn(right)):
                continue
            out.append((i, i + 1, FULL_WIDTH[ch]))
            continue
        if ch in ",:" and left.isdigit() and right.isdigit() and li == i - 1 and ri == i + 1:
            continue  # 1,234 · 8:30 · 1:1000
        if ch == "." and not ((is_cn(left) or left in _BEFORE_STOP) and (is_cn(right) or not right)):
            continue  # 1.5万元, 1.健全制度 (a heading number), No.1, file.docx: only a full stop
        if not (is_cn(left) or is_cn(right)):
            continue
        # Swallow the spaces around the mark when Chinese text is on that side ("政, 加快").
        s = li + 1 if is_cn(left) else i
        e = ri if is_cn(right) else i + 1
        out.append((s, e, FULL_WIDTH[ch]))
    return out


@rule("FMT001", "halfwidth-punctuation", severity="warning",
      summary="中文文本中使用了半角标点（, : ; ( ) ? ! 以及句末的 .）")
def halfwidth_punctuation(ctx: CheckContext) -> Iterator[Hit]:
    """中文文本中使用了半角标点 , : ; ( ) ? ! 和句末的 .。

    **作用 What it does**
    按 GB/T 15834-2011，汉字之间和汉字前后的逗号、冒号、分号、括号、问号、叹号应使用全角，
    中文句末的句号用“。”而不是半角的“.”（“1.5万元”、标题序号“1.”、网址不在此列）。
    每段只报告一次（消息中给出处数，引用第一处），但为每一处都附上安全修正，
    `drafter check --fix` 会全部改为全角。数字中的“1,234”、时刻“8:30”、网址、邮箱、英文短语
    中的半角标点不报告。
    级别为“警告”而不是“错误”：半角标点不改变文意，可以机械修正，但正式公文中必须改正。

    **为什么重要 Why it matters**
    半角标点在仿宋字体中又窄又偏，一眼就能看出是从网页或其他系统复制的文字，影响公文的规范性。

    **示例 Example**
    2023年,在市委、市政府的领导下,我局(市科工信局)持续推进依法行政。

    **应改为 Use instead**
    2023年，在市委、市政府的领导下，我局（市科工信局）持续推进依法行政。
    """
    for p in ctx.report.paragraphs:
        if not any(ch in p.text for ch in _MARKS) and not ("." in p.text and _STOP_DOT.search(p.text)):
            continue  # (a paragraph with decimals only, 1.5万元, has nothing to report)
        marks = halfwidth_marks(p.text)
        if not marks:
            continue
        first = next(i for i in range(marks[0][0], marks[0][1]) if p.text[i] in FULL_WIDTH)
        ctx_text = p.text[max(0, first - 6):first + 6].replace("\n", "")
        edits = tuple(Edit(p.offset + s, p.offset + e, r) for s, e, r in marks)
        chars = "".join(sorted({p.text[i] for s, e, _ in marks for i in range(s, e)
                                if p.text[i] in FULL_WIDTH}))
        yield Hit(p.offset + first, p.offset + first + 1,
                  f"本段有{len(marks)}处半角标点（{chars}），中文文本应使用全角标点；"
                  f"首处：“{ctx_text}”",
                  suggestion="改为全角：" + "".join(FULL_WIDTH[c] for c in chars),
                  edits=edits)


@rule("FMT002", "nested-book-title-marks", severity="warning",
      summary="书名号内的书名号应使用〈〉，不用 < > 或《》")
def nested_book_title_marks(ctx: CheckContext) -> Iterator[Hit]:
    """书名号里面套用的书名号写成了 < >、<< >> 或第二层《》。

    **作用 What it does**
    GB/T 15834-2011 规定书名号里边还要用书名号时，外面一层用双书名号，里边一层用单书名号
    〈〉。查找《》内部的 < >、《》，以及用作书名号的 << >>，给出改为〈〉（或《》）的安全修正。

    **为什么重要 Why it matters**
    < > 是数学符号，公文引用文件标题时写成 < > 是照抄网页或系统导出的痕迹。

    **示例 Example**
    《中共××市委关于印发<××实施方案>的通知》

    **应改为 Use instead**
    《中共××市委关于印发〈××实施方案〉的通知》
    """
    text = ctx.text
    for s, e, depth in ctx.book_title_spans:
        if depth == 0:
            inner = text[s + 1:e - 1]
            for m in re.finditer(r"<([^<>《》\n]{1,80})>", inner):
                a = s + 1 + m.start()
                b = s + 1 + m.end()
                yield Hit(a, b, "书名号内的书名号应使用单书名号〈〉，不用 < >",
                          suggestion=f"〈{m.group(1)}〉",
                          edits=(Edit(a, a + 1, "〈"), Edit(b - 1, b, "〉")))
        else:
            yield Hit(s, e, "书名号内的书名号应使用单书名号〈〉",
                      suggestion=f"〈{text[s + 1:e - 1]}〉",
                      edits=(Edit(s, s + 1, "〈"), Edit(e - 1, e, "〉")))
    for m in re.finditer(r"<<([^<>\n]{1,80})>>", text):
        yield Hit(m.start(), m.end(), "书名号应使用《》，不用 << >>",
                  suggestion=f"《{m.group(1)}》",
                  edits=(Edit(m.start(), m.start() + 2, "《"), Edit(m.end() - 2, m.end(), "》")))


_ADJACENT = re.compile(r"(?:《[^《》\n]{1,80}》、)+《[^《》\n]{1,80}》|(?:“[^“”\n]{1,30}”、)+“[^“”\n]{1,30}”")


@rule("FMT003", "dunhao-between-titles", severity="warning",
      summary="相邻书名号（引号）之间不用顿号")
def dunhao_between_titles(ctx: CheckContext) -> Iterator[Hit]:
    """并列的书名号（或引号）之间加了顿号。

    **作用 What it does**
    GB/T 15834-2011（4.5.3.5）：标有书名号或引号的并列成分之间通常不用顿号；若书名号后还有
    括注，顿号可用。查找“》、《”连写的一串书名号（每串报告一次，附删除顿号的安全修正）。
    引号之间的顿号（“”、“”）只作提示。

    **为什么重要 Why it matters**
    这是公文核稿最常改的标点问题之一。

    **示例 Example**
    学习《行政许可法》、《行政复议法》、《行政处罚法》等法律法规。

    **应改为 Use instead**
    学习《行政许可法》《行政复议法》《行政处罚法》等法律法规。（有括注时可用顿号：
    《××条例》（2019年修订）、《××办法》。）
    """
    text = ctx.text
    if "》、《" not in text and "”、“" not in text:
        return  # every match of _ADJACENT contains one of them
    for m in _ADJACENT.finditer(text):
        run = m.group(0)
        quotes = run.startswith("“")
        close = "”" if quotes else "》"
        idx = [m.start() + i for i, ch in enumerate(run)
               if ch == "、" and i > 0 and run[i - 1] == close]
        first = idx[0]
        yield Hit(first - 1, first + 2,
                  f"并列的{'引号' if quotes else '书名号'}之间不用顿号（这一串共{len(idx)}处）",
                  suggestion=f"{close}{'“' if quotes else '《'}",
                  severity="info" if quotes else None,
                  edits=tuple(Edit(i, i + 1, "") for i in idx))


def _doc_code(text: str, bracket: int) -> int:
    """Where the issuing-office code before a 文号 bracket starts (e.g. 豫发 in 豫发〔2021〕)."""
    j = bracket
    while j > 0 and bracket - j < 8 and is_hanzi(text[j - 1]) and text[j - 1] not in _DOC_CODE_STOP:
        j -= 1
    m = _DOC_CODE_VERB.match(text[j:bracket])
    if m and m.end() < bracket - j:
        j += m.end()
    return j


@rule("FMT007", "document-number-brackets", severity="warning",
      summary="文号年份应使用六角括号〔〕（不用 [ ]、【】、( )）")
def document_number_brackets(ctx: CheckContext) -> Iterator[Hit]:
    """文号中的年份没有用六角括号〔〕。

    **作用 What it does**
    按 GB/T 9704-2012（7.2.4 发文字号）：年份用六角括号“〔〕”括入，发文顺序号不加“第”字。
    查找“机关代字+括号年份+序号+号”形式的文号，括号写成 [ ]、【】、( )、（）、［］时给出改为〔〕的
    安全修正；序号前有“第”字时一并指出（“第”字不自动删除）。

    **为什么重要 Why it matters**
    文号是文件的唯一标识，格式不规范会被认为引用不严谨。

    **示例 Example**
    豫发[2021]23号、国办发（2018）118号、郑编【2021】第31号

    **应改为 Use instead**
    豫发〔2021〕23号、国办发〔2018〕118号、郑编〔2021〕31号
    """
    text = ctx.text
    for m in DOC_NUMBER.finditer(text):
        wrong_brackets = m.group(1) != "〔" or m.group(3) != "〕"
        has_di = bool(m.group(4))
        if not (wrong_brackets or has_di):
            continue
        start = _doc_code(text, m.start(1))
        code = text[start:m.start(1)]
        right = f"{code}〔{m.group(2)}〕{m.group(5)}号"
        problems = []
        if wrong_brackets:
            problems.append(f"年份应使用六角括号〔〕，不用“{m.group(1)}{m.group(3)}”")
        if has_di:
            problems.append("发文顺序号前不加“第”字")
        edits = (Edit(m.start(1), m.start(1) + 1, "〔"), Edit(m.start(3), m.start(3) + 1, "〕")) \
            if wrong_brackets else None
        yield Hit(start, m.end(), "文号格式不规范：" + "；".join(problems), suggestion=right,
                  edits=edits)


# The dash of a year range may be typed as a hyphen, an en dash, a tilde, 至/到 or the
# character 一 (yī, which looks like the 一字线 "—").
_YEAR_RANGE = re.compile(r"([（(])\s*((?:19|20)\d{2})\s*([-－–—~～至到一‐‑―])\s*((?:19|20)\d{2})\s*(年?)\s*([）)])")


@rule("FMT008", "year-range-in-title", severity="warning",
      summary="标题中的年份区间应写作“（2021—2025年）”")
def year_range_in_title(ctx: CheckContext) -> Iterator[Hit]:
    """文件标题中的年份区间写法不规范。

    **作用 What it does**
    在书名号《》内查找括注的年份区间，如“(2021-2025)”“（2021-2025年）”“（2021～2025年）”，
    以及把一字线误打成汉字“一”的“（2021一2025年）”，
    规范写法是全角括号、一字线“—”并带“年”字：“（2021—2025年）”。只给出建议，不自动修改
    文件标题（半角括号由 FMT001 修正）。

    **为什么重要 Why it matters**
    《法治政府建设实施纲要（2021—2025年）》等文件名称是固定的，写错连接号或漏写“年”会被视为
    引用不准确。

    **示例 Example**
    《法治政府建设实施纲要(2021-2025)》

    **应改为 Use instead**
    《法治政府建设实施纲要（2021—2025年）》
    """
    text = ctx.text
    for s, e, _ in ctx.book_title_spans:
        for m in _YEAR_RANGE.finditer(text, s, e):
            good = (m.group(1) == "（" and m.group(3) == "—" and m.group(5) == "年"
                    and m.group(6) == "）" and " " not in m.group(0))
            if good:
                continue
            right = f"（{m.group(2)}—{m.group(4)}年）"
            yield Hit(m.start(), m.end(),
                      f"标题中的年份区间“{m.group(0)}”写法不规范，应为“{right}”", suggestion=right)
