"""The wrapper table (``drafter/data/answer_wrappers.yaml``) and the wrappers that come off a
whole answer before it is read as text: reasoning blocks and code fences.

:mod:`drafter.backends.answers` normalises a section's answer with them (and the rest of the
table); the review (``drafter check --llm``) may reuse :func:`strip_reasoning` and
:func:`strip_fences`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from drafter.datafiles import load_data

@dataclass(frozen=True)
class Pattern:
    """One row of the wrapper table."""

    id: str
    kind: str
    regex: re.Pattern[str]
    family: str
    example: str
    source: str


@cache
def wrapper_patterns() -> dict[str, list[Pattern]]:
    """The wrapper table by kind (reasoning, fence, preface, closing, remark, refusal, markdown)."""
    rows = (load_data("answer_wrappers.yaml") or {}).get("patterns") or []
    out: dict[str, list[Pattern]] = {}
    for r in rows:
        out.setdefault(r["kind"], []).append(Pattern(
            str(r["id"]), str(r["kind"]), re.compile(r["pattern"], re.M), str(r.get("family") or ""),
            str(r.get("example") or ""), str(r.get("source") or "")))
    return out


def _md(pid: str) -> re.Pattern[str]:
    return next(p.regex for p in wrapper_patterns()["markdown"] if p.id == pid)


@dataclass(frozen=True)
class Removed:
    """A piece of the answer that was not report text: the table row (``what``) and the text."""

    what: str
    text: str


_ORDINAL_HEAD = re.compile(r"^(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、.．]"
                           r"|\d{1,2}[.．、)）]|第[一二三四五六七八九十]{1,3}[、，,]?)\s*")

# Somebody addressed, or the writer speaking (我 not as in 我局, 我县 …).
_ADDRESSED = re.compile(r"[您你]|(?<!自)我(?![局县市区镇乡省厅委办院们国党司处科部室所站队街中单旗])")


# -- reasoning and fences ---------------------------------------------------------------------

def _strip_reasoning(text: str, removed: list[Removed] | None = None) -> str:
    for p in wrapper_patterns().get("reasoning", []):
        def cut(m: re.Match[str], pid: str = p.id) -> str:
            answer = _answer_after_unclosed(m.group()) if pid == "think-unclosed" else ""
            if removed is not None:
                removed.append(Removed(pid, m.group()[:len(m.group()) - len(answer)]))
            return "\n" + answer
        text = p.regex.sub(cut, text)
    return text


# Words of a model thinking about its task (用户要求…, 先看事实材料, 我需要…), never of the
# report; and a question to itself.
_THINKING = re.compile(r"用户|事实材料|材料里|提示词|题目|要求我|我(?:需要|应该|要|得|先|再|来|想)"
                       r"|先看|让我|(?<![良更最美友较很])好的|嗯|首先看|检查一下|确认一下|注意[:：]|[？?]")
_BLOCKS = re.compile(r"\n\s*\n")


def _answer_after_unclosed(block: str) -> str:
    """The answer that follows a reasoning block whose closing tag never came (Qwen3 served
    without a reasoning parser sometimes drops ``</think>``): the blank-line separated blocks at
    the end that read as report text — ending as sentences or headings do, with no thinking
    words, no question and nobody addressed — after at least one block of thinking; "" when
    there is none (the reasoning was cut off before any answer)."""
    blocks = _BLOCKS.split(block)
    k = len(blocks)
    while k > 1 and _reads_as_text(blocks[k - 1]):
        k -= 1
    if k == len(blocks):
        return ""
    return "\n\n".join(blocks[k:]).strip()


def _reads_as_text(block: str) -> bool:
    t = block.strip()
    if not t:
        return True  # (a trailing blank)
    lines = [line.strip() for line in t.split("\n") if line.strip()]
    return all(
        (_ORDINAL_HEAD.match(line) is not None and len(line) <= 40)
        or (re.search(r"[。！；”）]$", line) is not None and len(re.findall(r"[\u4e00-\u9fff]", line)) >= 4)
        for line in lines) and not _THINKING.search(t) and not _ADDRESSED.search(t)


def strip_reasoning(text: str) -> str:
    """``text`` without reasoning blocks in any form (see the module docstring)."""
    return _strip_reasoning(text).strip()


def _strip_fences(text: str, removed: list[Removed] | None = None) -> str:
    fences = wrapper_patterns().get("fence", [])
    out = []
    for line in text.split("\n"):
        hit = next((p for p in fences if p.regex.fullmatch(line)), None)
        if hit is None:
            out.append(line)
        elif removed is not None:
            removed.append(Removed(hit.id, line.strip()))
    return "\n".join(out)


def strip_fences(text: str) -> str:
    """``text`` without code-fence lines (```` ```json ````, ```` ``` ````), content kept."""
    return _strip_fences(text).strip()


