"""FMT009 — paired marks left unpaired (“…, 《…, …）, ”…“) and a punctuation mark typed twice
(，，, 。。) within a paragraph (GB/T 15834-2011: 引号、书名号、括号 are paired marks; one
point mark ends a pause)."""

from __future__ import annotations

import re
from typing import Iterator

from drafter.checker.context import CheckContext
from drafter.checker.finding import Edit, Hit
from drafter.checker.registry import rule

# Opening → closing mark; a half-width parenthesis pairs with a full-width one (FMT001 widens it).
_PAIRS = {"“": "”", "《": "》", "（": "）", "(": ")"}
_CLOSING = {"”": "“", "》": "《", "）": "（", ")": "("}
_NAMES = {"“": "引号", "《": "书名号", "（": "括号", "(": "括号"}
# A list marker is a closing parenthesis alone after a number (1）, 一）, a）), at the start of
# the paragraph or after one of these (GB/T 15834-2011 4.14: a sequence number may take a
# single bracket).
_BEFORE_MARKER = frozenset(" \u3000\t，、；：。,;:")
_CN_ORDINALS = frozenset("一二三四五六七八九十")
_MARK = re.compile("[“”《》（）()]")
_MARK_OR_LINE = re.compile("[“”《》（）()\n]")
# Two point marks in a row: the same one twice (，，) or two that end one pause (，。); not
# 。。。 typed for an ellipsis (PH001 reports it where it stands for a figure).
_DOUBLED = re.compile(r"(?<!。)(?!。。。)[，、；：。]{2,}|！！+|？？+")
_ANY_DOUBLED = re.compile(r"[，、；：。][，、；：。]|！！|？？")  # (a fast first look at a report)


@rule("FMT009", "unpaired-or-doubled-marks", severity="warning",
      summary="引号、书名号、括号不成对（“…、《…、…）、”…“），或标点连用（，，、。。）")
def unpaired_or_doubled_marks(ctx: CheckContext) -> Iterator[Hit]:
    """成对的标点缺了一半、前后颠倒，或同一处连打了两个点号。

    **作用 What it does**
    在每一段内核对引号“”、书名号《》、括号（）是否成对：有开无合（“跑一次、《……办法）、
    有合无开（……）、前后颠倒（”枫桥经验“）都提示，颠倒的引号附安全修正。多段连续引用时
    各段开头用前引号、只在末段用后引号（GB/T 15834-2011 4.5.3），段首前引号在下一段开头
    再次出现时不报告；段首的“1）”“一）”等序号不算括号。同一处连用两个点号（，，、。。、，。）
    也提示；同一个标点重复的附安全修正，删去多余的一个。

    **为什么重要 Why it matters**
    引号、书名号缺一半会让读者分不清引用或文件名称到哪里为止；标点连用是改稿时删改不净的
    痕迹，在正式公文中十分显眼。

    **示例 Example**
    全面推行“一网通办，组织学习《中华人民共和国行政复议法，，提升依法行政能力。

    **应改为 Use instead**
    全面推行“一网通办”，组织学习《中华人民共和国行政复议法》，提升依法行政能力。
    """
    paragraphs = [p for p in ctx.report.paragraphs if p.text.strip()]
    # Each line's marks, from one scan of the whole text (Report.text: one line a paragraph).
    marks = "".join(_MARK_OR_LINE.findall(ctx.text)).split("\n")
    unpaired = [[] if _balanced(marks[p.line - 1]) else _unpaired(p.text) for p in paragraphs]
    doubled = _ANY_DOUBLED.search(ctx.text) is not None
    for i in range(len(paragraphs) - 1):
        if unpaired[i] and unpaired[i + 1]:
            _broken_line(unpaired[i], unpaired[i + 1])
    for i, p in enumerate(paragraphs):
        found = unpaired[i]
        if not found and not doubled:
            continue
        text, base = p.text, p.offset
        nxt = paragraphs[i + 1].text.lstrip() if i + 1 < len(paragraphs) else ""
        swapped = _reversed_quotes(text, found)
        if swapped is not None:
            a, b = swapped
            found = [f for f in found if f[0] not in (a, b)]
            yield Hit(base + a, base + b + 1, "引号前后颠倒，应为“……”",
                      suggestion=f"“{text[a + 1:b]}”",
                      edits=(Edit(base + a, base + a + 1, "“"), Edit(base + b, base + b + 1, "”")))
        for at, mark, why in found:
            if mark == "“" and not text[:at].strip() and nxt.startswith("“"):
                continue  # a quotation over several paragraphs: each opens, the last closes
            yield Hit(base + at, base + at + 1, f"{_NAMES.get(mark) or _NAMES[_CLOSING[mark]]}"
                      f"不成对：{why}", suggestion="补全或删去不成对的标点")
        for m in _DOUBLED.finditer(text) if doubled else ():
            marks = m.group()
            same = len(set(marks)) == 1
            yield Hit(base + m.start(), base + m.end(), f"标点“{marks}”连用，只应保留一个",
                      suggestion=marks[0] if same else "保留其中一个",
                      edits=(Edit(base + m.start() + 1, base + m.end(), ""),) if same else ())


def _broken_line(here: list[tuple[int, str, str]], after: list[tuple[int, str, str]]) -> None:
    """Drop the marks a line break split from their pairs: opened and not closed at the end
    of one paragraph, closed without an opening in the next (FMT006 reports the break)."""
    for k in range(len(here) - 1, -1, -1):
        mark = here[k][1]
        if mark not in _PAIRS:
            continue
        j = next((j for j, f in enumerate(after) if f[1] == _PAIRS[mark]
                  or (mark in "（(" and f[1] in "）)")), None)
        if j is None:
            break
        del here[k], after[j]


_PAIRED = ("“”", "《》", "（）", "()", "（)", "(）")


def _balanced(marks: str) -> bool:
    """Whether every mark of ``marks`` (a line's paired marks, in order) has its other half,
    nested properly: adjacent pairs are taken out until none is left (string operations in
    compiled code: most paragraphs need no closer look)."""
    while marks:
        before = marks
        for pair in _PAIRED:
            marks = marks.replace(pair, "")
        if marks == before:
            return False
    return True


def _is_marker(text: str, i: int) -> bool:
    """Whether the ）at ``i`` ends a list marker: one or two digits, one to three Chinese
    numerals or one Latin letter, at the start or after a space or a point mark."""
    k = i
    while k > 0 and i - k < 3 and (text[k - 1] in _CN_ORDINALS or text[k - 1].isdigit()):
        k -= 1
    if k == i and i > 0 and text[i - 1].isascii() and text[i - 1].isalpha():
        k -= 1
    if k == i or (i - k > 2 and any(c.isdigit() for c in text[k:i])):
        return False
    return k == 0 or text[k - 1] in _BEFORE_MARKER


def _reversed_quotes(text: str, found: list[tuple[int, str, str]]) -> tuple[int, int] | None:
    """(index of ”, index of “) when the only unpaired quotes of ``text`` are a closing one
    and, after it with no quote between, an opening one: a pair typed the wrong way round."""
    quotes = [at for at, mark, _ in found if mark in "“”"]
    if len(quotes) != 2:
        return None
    a, b = quotes
    if text[a] != "”" or text[b] != "“" or any(c in "“”" for c in text[a + 1:b]) or b - a > 41:
        return None
    return a, b


def _unpaired(text: str) -> list[tuple[int, str, str]]:
    """(index, mark, why) of each paired mark of ``text`` without its other half, by index."""
    out: list[tuple[int, str, str]] = []
    quote: int | None = None
    stack: list[tuple[int, str]] = []  # open 《 and （
    for mk in _MARK.finditer(text):  # (the marks only: a scan in compiled code)
        i, ch = mk.start(), mk.group()
        if ch in "）)" and _is_marker(text, i):
            continue  # a list marker's ）closes nothing
        if ch == "“":
            if quote is not None:
                out.append((quote, "“", "前引号后面没有对应的后引号"))
            quote = i
        elif ch == "”":
            if quote is None:
                out.append((i, "”", "后引号前面没有对应的前引号"))
            quote = None
        elif ch in _PAIRS:
            stack.append((i, ch))
        else:
            opener = _CLOSING[ch]
            # （ pairs with ) and ( with ）: the width is FMT001's concern.
            matches = ("（", "(") if opener in "（(" else (opener,)
            j = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][1] in matches), None)
            if j is None:
                out.append((i, ch, f"“{ch}”前面没有对应的“{_CLOSING[ch]}”"))
                continue
            for at, mark in stack[j + 1:]:  # opened inside and never closed
                out.append((at, mark, f"“{mark}”后面没有对应的“{_PAIRS[mark]}”"))
            del stack[j:]
    if quote is not None:
        out.append((quote, "“", "前引号后面没有对应的后引号"))
    out += [(at, mark, f"“{mark}”后面没有对应的“{_PAIRS[mark]}”") for at, mark in stack]
    return sorted(out)
