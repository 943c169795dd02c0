"""FMT — spacing, digits and line breaks: "2023 年", full-width digits, "具\\n体".

These are the artefacts of copying text out of PDFs, web pages and other systems (REPORT-RULES.md
§5). Every fix here is mechanical (remove spaces, narrow digits, join a broken line), so each
finding carries Edits for ``drafter check --fix``. Joining lines is skipped for .docx.
"""

from __future__ import annotations

import re
from typing import Iterator

from drafter.checker.context import CheckContext
from drafter.checker.finding import Edit, Hit
from drafter.checker.registry import rule
from drafter.checker.rules.punctuation import is_hanzi
from drafter.report import Paragraph, Report

_SPACE = " \t\u3000\u00a0"
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*%?")
_FULLWIDTH_DIGITS = re.compile(r"[０-９]+(?:．[０-９]+)?")
# A line may end a sentence with these (closing quotes/brackets after them are skipped first).
_FINAL = "。！？；：…!?;:"
_CLOSERS = "”’）)】》」』〕"
_LABEL_LINE = re.compile(r"^\s*[\u4e00-\u9fff]{1,8}[：:]")
_TABLE_ROW = re.compile(r"\t|\S[ \u3000]{2,}\S|[｜|│]")  # cells: tabs, wide gaps, bars
# A line ending with one of these cannot end a sentence, however short it is.
_CONTINUES = "，,、的和与及或在对把被将从向为以“‘（(《〈"
# A wrapped line (PDF, web copy) is a full line; a shorter one without a continuation mark is
# more likely a separate item (a recipient without its colon, a caption) than a broken sentence.
MIN_WRAPPED_LINE = 15
_MD_BLOCK = re.compile(r"^\s*(?:\||```|~~~|<!--|>)")


def spaced_numbers(text: str) -> Iterator[tuple[int, int, list[tuple[int, int]], str, str]]:
    """Numbers with spaces between them and a Chinese character.

    Yields (quote start, quote end, [space spans], number, the CJK char after it or ""). Left
    alone, as layout rather than a stray space: a number written after a Latin word ("Windows
    10 系统"); a gap with a tab in it (the cells of a table copied as text: "序号\t2024年");
    a gap before the label of the next field ("2026-03-06　　来源：…", a web page's date line);
    the space between a date and a time of day ("2026年3月6日 09:30"); the gap after a part
    label that opens a heading ("第一部分　2025年度…"); a wide gap before a whole date (the
    印发 line of a 版记: "××办公室　　2025年2月10日印发").
    """
    for m in _NUMBER.finditer(text):
        s, e = m.start(), m.end()
        spaces: list[tuple[int, int]] = []
        qs, qe = s, e
        j = s
        while j > 0 and text[j - 1] in _SPACE:
            j -= 1
        if j < s and j > 0 and is_hanzi(text[j - 1]):
            if not _layout_gap(text[j:s]) and not _TIME.match(text, s) and not _PART_LABEL.search(text, 0, j) \
                    and not (len(text[j:s]) >= 2 and _FULL_DATE.match(text, s)):
                spaces.append((j, s))
                qs = j - 1
        elif j < s and j > 0 and text[j - 1].isascii() and text[j - 1].isalpha():
            continue  # "Windows 10 系统", "iPhone 15 手机": a product name, not an artefact
        k = e
        while k < len(text) and text[k] in _SPACE:
            k += 1
        after = ""
        if k > e and k < len(text) and is_hanzi(text[k]) and not _layout_gap(text[e:k]) \
                and not (_wide(text[e:k]) and _FIELD_LABEL.match(text, k)):
            spaces.append((e, k))
            qe = k + 1
            after = text[k]
        if spaces:
            yield qs, qe, spaces, m.group(0), after


def _layout_gap(gap: str) -> bool:
    """A gap that lays out columns: one with a tab (a table copied as text)."""
    return "\t" in gap


def _wide(gap: str) -> bool:
    """A gap wider than a stray space: two spaces or more, or a full-width one."""
    return len(gap) > 1 or "\u3000" in gap


# The label that opens the next field of a line ("来源：", "浏览次数:"), after a wide gap.
_FIELD_LABEL = re.compile(r"[\u4e00-\u9fff]{2,8}[：:]")
# A part label opening a heading line, then its title ("第一部分　2025年度法治政府建设情况").
_PART_LABEL = re.compile(r"^\s*第[一二三四五六七八九十\d]{1,3}(?:部分|章|节|篇)$")
# A whole date set off by a wide gap: a column of the line ("××办公室　　2025年2月10日印发",
# the 版记 of GB/T 9704-2012 7.4.3).
_FULL_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
# A time of day ("09:30", "9:30:15") after a date.
_TIME = re.compile(r"\d{1,2}[:：]\d{2}(?![\d.])")


@rule("FMT004", "space-between-digits-and-cjk", severity="warning",
      summary="数字与汉字之间有多余空格（“2023 年”“23 号”）")
def space_between_digits_and_cjk(ctx: CheckContext) -> Iterator[Hit]:
    """阿拉伯数字与汉字之间夹有空格。

    **作用 What it does**
    查找“2023 年”“23 号”“255 项”“我局 31 项”这类数字与汉字之间的空格（半角、全角空格都算），
    给出删除空格的安全修正。同一文件中另有不带空格的同样写法（如“2023年”）时，在消息中指出
    前后不一致。英文产品名后的数字（“Windows 10 系统”）不报告；排版用的空白也不报告：
    表格复制成文字后单元格之间的制表符、网页发布信息栏目之间的空格（“2026-03-06　　来源：”）、
    日期与时刻之间的空格（“6日 09:30”）、“第一部分”等部分序号与标题之间的空格。

    **为什么重要 Why it matters**
    GB/T 15835-2011 要求数字用法前后一致；数字两侧的空格是从 PDF 或表格复制时留下的痕迹，
    排版后会出现明显的空隙。

    **示例 Example**
    一、2023 年度法治政府建设工作情况（同一文件中又写“2023年”）

    **应改为 Use instead**
    一、2023年度法治政府建设工作情况
    """
    text = ctx.text
    if not any(c in text for c in _SPACE):
        return
    for p in ctx.report.paragraphs:
        if not p.text.strip() or not any(c in p.text for c in _SPACE):
            continue
        for qs, qe, spaces, number, after in spaced_numbers(p.text):
            quote = p.text[qs:qe]
            tight = re.sub(f"[{_SPACE}]+", "", quote)
            msg = f"数字与汉字之间不应有空格：“{quote}”"
            if after and re.search(rf"(?<![\d.,]){re.escape(number + after)}", text):
                msg += f"；文中其他处写作“{number}{after}”，前后不一致"
            yield Hit(p.offset + qs, p.offset + qe, msg, suggestion=tight,
                      edits=tuple(Edit(p.offset + a, p.offset + b, "") for a, b in spaces))


@rule("FMT005", "fullwidth-digits", severity="info",
      summary="使用了全角数字（１２３），应使用半角阿拉伯数字")
def fullwidth_digits(ctx: CheckContext) -> Iterator[Hit]:
    """正文中使用了全角阿拉伯数字。

    **作用 What it does**
    查找“２０２３年”“１２件”这类全角数字（每段报告一次，引用第一处），给出改为半角的安全修正。
    全文混用全角、半角数字时在消息中指出。

    **为什么重要 Why it matters**
    GB/T 15835-2011 要求同一文件数字形式统一；公文排版中阿拉伯数字使用半角，全角数字在仿宋
    字体下宽窄不一。

    **示例 Example**
    全年审核规范性文件１２件。

    **应改为 Use instead**
    全年审核规范性文件12件。
    """
    mixed = bool(re.search(r"\d", ctx.text))
    for p in ctx.report.paragraphs:
        runs = list(_FULLWIDTH_DIGITS.finditer(p.text))
        if not runs:
            continue
        edits = tuple(Edit(p.offset + m.start(), p.offset + m.end(), _narrow(m.group(0)))
                      for m in runs)
        first = runs[0]
        msg = f"本段有{len(runs)}处全角数字，应使用半角阿拉伯数字"
        if mixed:
            msg += "（全文全角、半角数字混用）"
        yield Hit(p.offset + first.start(), p.offset + first.end(), msg,
                  suggestion=_narrow(first.group(0)), edits=edits)


def _narrow(s: str) -> str:
    return "".join(chr(ord(c) - 0xFEE0) if "０" <= c <= "９" else "." if c == "．" else c
                   for c in s)


def _heading_paragraphs(report: Report) -> dict[int, bool]:
    """id(paragraph) → whether its heading is run-in (body text follows in the paragraph)."""
    return {id(s.heading.paragraph): s.heading.run_in for s in report.walk()}


def _ends_sentence(text: str) -> bool:
    t = text.rstrip(_SPACE)
    t = t.rstrip(_CLOSERS) if t and t[-1] in _CLOSERS and len(t.rstrip(_CLOSERS)) else t
    return not t or t[-1] in _FINAL


def broken_lines(report: Report) -> Iterator[tuple[Paragraph, Paragraph]]:
    """Pairs of adjacent paragraphs where the first stops mid-sentence and the second goes on.

    The first must be body text (or a run-in heading) that does not end with sentence-final
    punctuation and is either a full line (``MIN_WRAPPED_LINE`` characters or more) or ends
    with a mark that cannot end a sentence (，、的和…); the second must follow it directly (no
    blank line) and be ordinary text, not a heading, the 署名, the date or a "标签：" line.
    Table cells and table rows typed with spaces or tabs are never joined.
    """
    heads = _heading_paragraphs(report)
    paras = report.paragraphs
    for p, q in zip(paras, paras[1:]):
        if p.in_table or q.in_table or not p.text.strip() or not q.text.strip():
            continue
        if p.role not in ("body", "lead", "heading") or q.role not in ("body", "lead"):
            continue
        if id(p) in heads and not heads[id(p)]:
            continue  # a heading on its own line ends without punctuation by design
        if id(q) in heads or _ends_sentence(p.text):
            continue
        if _LABEL_LINE.match(q.text) or (_LABEL_LINE.match(p.text) and len(p.text) < 30):
            continue
        if _TABLE_ROW.search(p.text.strip()) or _TABLE_ROW.search(q.text.strip()):
            continue  # rows of a table typed with spaces or tabs
        tail = p.text.rstrip(_SPACE)
        if len(tail.strip()) < MIN_WRAPPED_LINE and tail[-1] not in _CONTINUES:
            continue
        if report.format == "md" and (_MD_BLOCK.match(p.text) or _MD_BLOCK.match(q.text)):
            continue
        yield p, q


@rule("FMT006", "line-break-in-sentence", severity="warning",
      summary="句子或词语中间被换行断开（如“具⏎体”）")
def line_break_in_sentence(ctx: CheckContext) -> Iterator[Hit]:
    """一句话（甚至一个词）被换行断成了两行。

    **作用 What it does**
    某行不以句末标点（。！？；：）结尾、也不是标题、主送机关、署名或日期，而紧接着的下一行
    继续这句话时，报告断行处（引用断开处两侧的字，如“具⏎体”），并给出把两行接起来的安全
    修正（.docx 中两个段落不自动合并，只报告）。

    **为什么重要 Why it matters**
    从 PDF 或网页复制文字时常把一句话断成两段，排版后会出现莫名其妙的空行和首行缩进，
    “具体”被拆成“具”“体”两段更是明显错误。

    **示例 Example**
    在市委、市政府的正确领导和市司法局的具
    体指导下，我局……

    **应改为 Use instead**
    在市委、市政府的正确领导和市司法局的具体指导下，我局……
    """
    for p, q in broken_lines(ctx.report):
        last = p.offset + len(p.text.rstrip(_SPACE)) - 1
        first = q.offset + (len(q.text) - len(q.text.lstrip(_SPACE)))
        a, b = ctx.text[last], ctx.text[first]
        joiner = " " if (a.isascii() and a.isalnum() and b.isascii() and b.isalnum()) else ""
        unit = "段" if ctx.report.format == "docx" else "行"
        yield Hit(last, first + 1,
                  f"第{p.line}{unit}在句子中间断开，与下一{unit}应为同一段：“{a}⏎{b}”",
                  suggestion=f"{a}{joiner}{b}", edits=(Edit(last + 1, first, joiner),))
