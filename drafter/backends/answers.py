"""Model answers → the report's plain structure, before anything checks them.

Chat models rarely answer with the bare text they were asked for. Depending on the family and
how it is served, the answer comes inside a reasoning block, after a preface addressed to the
user, before an offer to revise, in Markdown, or with remarks about the writing in between.
None of that is the report's text, and none of it is a reason to ask the model again: the
repair round is for substance. This module takes the wrappers off, table-driven — every pattern
is a row of ``drafter/data/answer_wrappers.yaml`` with the model family that writes it, an
example and a source — and says what it removed:

- :func:`strip_reasoning` — ``<think>…</think>`` blocks, a leading ``…</think>`` whose opening
  tag the chat template sent, empty blocks, an unclosed block (the answer never came);
- :func:`strip_fences` — ```` ``` ```` fence lines around the answer;
- :func:`normalise` — both of the above, then prefaces and closing offers (sentence by
  sentence, from the ends), paragraphs of remarks to the user, Markdown (headings become the
  section's own sub-heading lines, bullet and numbered lists become 一是/二是 runs, emphasis,
  rules, quotes, code and links are unwrapped), and a repeated level-1 heading.

The table itself, and the reasoning and fence cutting, live in :mod:`drafter.backends.wrappers`
(re-exported here); the review (``drafter check --llm``) may reuse :func:`strip_reasoning` and
:func:`strip_fences`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from drafter.backends.wrappers import (
    _ADDRESSED,
    _ORDINAL_HEAD,
    Pattern,
    Removed,
    _md,
    _strip_fences,
    _strip_reasoning,
    strip_fences,
    strip_reasoning,
    wrapper_patterns,
)
from drafter.text.numerals import ordinal_text
from drafter.text.sentences import sentence_spans

__all__ = ["Normalised", "Pattern", "Removed", "normalise", "strip_fences", "strip_reasoning",
           "wrapper_patterns"]


@dataclass
class Normalised:
    """An answer in the report's structure. ``paragraphs``: sub-heading lines and body
    paragraphs; ``removed``: what was taken off; ``remarks``: sentences addressed to the user
    that stand inside paragraphs of report text (they cannot be cut out cleanly: the answer is
    rejected as one that addresses the user); ``refusal``: a refusing sentence at the start;
    ``invented``: a sentence saying (part of) the text is an example or an assumption."""

    paragraphs: list[str] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    refusal: str | None = None
    invented: str | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    def removed_ids(self) -> list[str]:
        """The table rows that removed something, each once, in order."""
        return list(dict.fromkeys(r.what for r in self.removed))


# -- paragraphs ---------------------------------------------------------------------------------

@dataclass
class _Para:
    text: str
    kind: str = "text"  # text | heading (a given sub-heading) | item (a list item)


_WS = re.compile(r"[ \t\u3000\u00a0]+")
_QUOTED = re.compile(r"“[^“”\n]*”|《[^《》\n]*》|「[^「」\n]*」")
_RUN_IN = re.compile(r"^(?:[一二三四五六七八九十]{1,3}是|首先|其次|再次|最后|第[一二三四五六七八九十]{1,3}|其[一二三四五六七八九十])")
_TRAIL = re.compile(r"[\s。；;，,：:.、]+$")
_SQUASH = re.compile(r"[\s\u3000。；;：:，,、“”\"'（）()]")


def _squash(s: str) -> str:
    return _SQUASH.sub("", s)


_OPENERS = "（(【[〔「“*_ \u3000"


def _matches(kind: str, sentence: str) -> Pattern | None:
    """The first row of ``kind`` matching ``sentence``; quoted text is blanked, and a wrapper
    in brackets（以上内容可根据实际情况修改完善）is matched without them."""
    bare = _QUOTED.sub(lambda m: "□" * len(m.group()), sentence.strip()).lstrip(_OPENERS)
    return next((p for p in wrapper_patterns().get(kind, []) if p.regex.search(bare)), None)


def _first_hit(sentence: str, kinds: Iterable[str]) -> Pattern | None:
    for k in kinds:
        if (p := _matches(k, sentence)) is not None:
            return p
    return None


def _markdown_lines(lines: list[str], removed: list[Removed]) -> list[_Para]:
    """Lines → paragraphs: Markdown line markers off (rules dropped, list items marked)."""
    heading, rule, bullet, numbered, quote, label, bracketed = (_md(i) for i in (
        "md-heading", "md-rule", "md-bullet", "md-numbered", "md-quote", "md-label",
        "md-bracket-line"))
    lines = _emoji_bullets(_tables([raw.strip() for raw in lines], removed), removed)
    bare: list[tuple[str, str]] = []  # each line without its quote, heading and label marks
    for line, kind in lines:
        if line and rule.fullmatch(line):
            removed.append(Removed("md-rule", line))
            line = ""
        for rx, pid in ((quote, "md-quote"), (heading, "md-heading"), (label, "md-label")):
            if line and (m := rx.match(line)):
                removed.append(Removed(pid, m.group().strip()))
                line = line[m.end():]
        if line and (m := bracketed.fullmatch(line)):  # 【（一）…】: a heading the model marked
            removed.append(Removed("md-bracket-line", "【】"))
            line = m.group(1).strip()
        bare.append((line, kind))
    listed = _numbered_items(bare, numbered)
    out: list[_Para] = []
    for i, (line, kind) in enumerate(bare):
        if not line:
            continue
        if m := bullet.match(line):
            removed.append(Removed("md-bullet", m.group().strip()))
            line, kind = line[m.end():], "item"
        elif i in listed and (m := numbered.match(line)):
            removed.append(Removed("md-numbered", m.group().strip()))
            line, kind = line[m.end():], "item"
        line = _inline(line, removed)
        line = _CJK_GAP.sub("", _WS.sub(" ", line)).strip()
        if line:
            out.append(_Para(line, kind))
    return out


# A space beside a Chinese character or mark is the model's layout, not the text's
# ("**坚持立规与清规并重。** 全年…" leaves "并重。 全年"); between Latin words it stays.
_CJK_GAP = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]) +| +(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])")


def _emoji_bullets(lines: list[str], removed: list[Removed]) -> list[tuple[str, str]]:
    """Each line without its emoji, and its kind: lines led by the same emoji as the line
    before or after them (✅ 审查合同48份 / ✅ 举办培训6期) are list items, unless a numbered
    heading follows the emoji; a line led by an emoji of its own (📌 a lead sentence) is text."""
    emoji = _md("md-emoji")
    lead_rx = re.compile(rf"\s*((?:{emoji.pattern})+)")
    leads = [(m.group(1) if (m := lead_rx.match(line)) else "") for line in lines]
    filled = [i for i, line in enumerate(lines) if line]
    out: list[tuple[str, str]] = []
    for i, line in enumerate(lines):
        if not emoji.search(line):
            out.append((line, "text"))
            continue
        removed.extend(Removed("md-emoji", m.group()) for m in emoji.finditer(line))
        rest = emoji.sub("", line).strip()
        k = filled.index(i)
        near = [leads[filled[j]] for j in (k - 1, k + 1) if 0 <= j < len(filled)]
        item = bool(leads[i]) and leads[i] in near and not _ORDINAL_HEAD.match(rest)
        out.append((rest, "item" if item else "text"))
    return out


_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")
_COUNT = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
# The unit a count column names: 数量（项）, 金额(万元), or 件数 / 人数 / 次数.
_COLUMN_UNIT = re.compile(r"[（(]([^（）()]{1,4})[）)]$|^[^（）()]*?(件|人|次|项|个|份|场|期|家|起|宗|条)数$")


def _tables(lines: list[str], removed: list[Removed]) -> list[str]:
    """Two-column Markdown tables of counts as one sentence, appended to a lead-in ending in
    ：("具体构成如下：行政许可312项，行政处罚3107项，…。"); a table it cannot read that way
    (more columns, no unit, cells that are not counts) stays as it is, for the checks to report."""
    row = _md("md-table")
    out: list[str] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and row.match(lines[j]):
            j += 1
        sentence = _table_sentence(lines[i:j]) if j - i >= 3 else None
        if sentence is None:
            out.append(lines[i])
            i += 1
            continue
        removed.extend(Removed("md-table", line) for line in lines[i:j])
        lead = next((k for k in range(len(out) - 1, -1, -1) if out[k]), None)
        if lead is not None and re.search(r"[：:]$", out[lead]):
            out[lead] += sentence
        else:
            out.append(sentence)
        i = j
    return out


def _table_sentence(rows: list[str]) -> str | None:
    cells = [[c.strip() for c in r.strip().strip("|").split("|")] for r in rows]
    if not _TABLE_RULE.match(rows[1].strip()) or any(len(c) != 2 for c in cells):
        return None
    m = _COLUMN_UNIT.search(cells[0][1])
    unit = m and (m.group(1) or m.group(2))
    items = []
    for label, value in cells[2:]:
        label = re.sub(r"^(其中)[：:]\s*", r"\1", label.replace("**", ""))
        if not unit or not label or not _COUNT.match(value.replace("**", "")):
            return None
        items.append(f"{label}{value.replace('**', '')}{unit}")
    return "，".join(items) + "。" if items else None


def _numbered_items(lines: list[tuple[str, str]], numbered: re.Pattern[str]) -> set[int]:
    """The indexes of the lines that are items of a numbered list. "2．7项决策事项…" is item 2
    when item 1 or 3 stands beside it; alone, a number right after the mark is a decimal
    ("1.5万元…")."""
    nums: dict[int, int] = {}
    for i, (line, _) in enumerate(lines):
        if m := numbered.match(line):  # 1. 1、 1） or ①
            nums[i] = int(m.group(1)) if m.group(1) else ord(m.group(2)) - 0x245F
    out = {i for i in nums if not lines[i][0][numbered.match(lines[i][0]).end():][:1].isdigit()}
    filled = [i for i in range(len(lines)) if lines[i][0]]
    for i in set(nums) - out:
        k = filled.index(i)
        near = [filled[j] for j in (k - 1, k + 1) if 0 <= j < len(filled)]
        if any(nums.get(j) in (nums[i] - 1, nums[i] + 1) for j in near):
            out.add(i)
    return out


def _inline(line: str, removed: list[Removed]) -> str:
    for pid in ("md-link", "md-citation", "md-code", "md-emphasis"):
        rx = _md(pid)

        def keep(m: re.Match[str], pid: str = pid) -> str:
            removed.append(Removed(pid, m.group()))
            return next(g for g in m.groups() if g is not None) if m.groups() else ""
        line = rx.sub(keep, line)
    return line.replace("**", "").replace("__", "")


def _trim_ends(paras: list[_Para], removed: list[Removed]) -> None:
    """Prefaces from the start and closing offers from the end, sentence by sentence; a note
    block (说明：…) goes with everything after it."""
    while paras:
        p = paras[0]
        spans = sentence_spans(p.text, colon=True)
        k = 0
        # (A refusing or apologising sentence before the text goes too: 抱歉，我无法核实…。
        # 以下内容仅根据所给材料整理： — whether the rest is the section, validity decides.)
        while k < len(spans) and (hit := _first_hit(p.text[spans[k][0]:spans[k][1]],
                                                    ("preface", "remark", "refusal"))):
            sentence = p.text[spans[k][0]:spans[k][1]]
            rest = _after_preface_clause(sentence)
            if rest:  # "根据您提供的材料，2023年我县……": the clause goes, the sentence stays
                removed.append(Removed(hit.id, sentence[:len(sentence) - len(rest)]))
                p.text = (rest + p.text[spans[k][1]:]).strip()
                spans, k = sentence_spans(p.text, colon=True), 0
                break
            removed.append(Removed(hit.id, sentence))
            k += 1
        if k == len(spans):
            paras.pop(0)
            continue
        if k:
            p.text = p.text[spans[k][0]:].strip()
        break
    # A note before the text (说明：本段内容均取自事实材料……) goes alone; after text, a note
    # block goes with everything after it.
    while paras and (note := _matches("closing", paras[0].text)) is not None \
            and note.id == "closing-note" and len(paras) > 1:
        removed.append(Removed("closing-note", paras.pop(0).text))
    for i, p in enumerate(paras):
        note = _matches("closing", p.text)
        if note is not None and note.id == "closing-note":
            removed.extend(Removed("closing-note", q.text) for q in paras[i:])
            del paras[i:]
            break
    while paras:
        p = paras[-1]
        spans = sentence_spans(p.text, colon=True)
        k = len(spans)
        # (A closing set between dashes, "—— 以上为本部分正文，共计约1100字 ——", as without.)
        while k > 0 and (hit := _first_hit(p.text[spans[k - 1][0]:spans[k - 1][1]].strip(_DASHES),
                                           ("closing", "remark"))):
            removed.append(Removed(hit.id, p.text[spans[k - 1][0]:spans[k - 1][1]]))
            k -= 1
        if k == 0:
            paras.pop()
            continue
        if k < len(spans):
            p.text = p.text[:spans[k - 1][1]].strip()
        break


_DASHES = "—－-~～ \u3000"


def _after_preface_clause(sentence: str) -> str:
    """What follows a preface clause that opens a sentence of report text ("好的，" or
    "根据您提供的材料，" then 2023年我县……), when that rest is report text itself (no
    preface, remark or closing of its own, nobody addressed); "" otherwise."""
    cut = re.search(r"[，,]", sentence)
    if cut is None:
        return ""
    head, rest = sentence[:cut.end()], sentence[cut.end():].strip()
    # A sentence of its own: ends as one, says something (not "供参考：", "具体如下：").
    if not re.search(r"[。！？；]$", rest) or len(re.findall(r"[\u4e00-\u9fff]", rest)) < 8 \
            or _first_hit(head, ("preface",)) is None or _ADDRESSED.search(rest) \
            or _first_hit(rest, ("preface", "remark", "closing", "refusal", "invented")):
        return ""
    return rest


def _remark_paragraphs(paras: list[_Para], removed: list[Removed]) -> list[str]:
    """Drop paragraphs made only of remarks to the user (an apology between paragraphs of
    text included: 抱歉，材料中没有提供局长的姓名，以下按职务表述。); return remark sentences
    that stand inside report text."""
    inside: list[str] = []
    keep: list[_Para] = []
    for p in paras:
        sents = [p.text[s:e] for s, e in sentence_spans(p.text, colon=True)]
        hits = [_first_hit(s, ("remark", "closing", "preface", "refusal")) for s in sents]
        if sents and all(hits):
            removed.extend(Removed(h.id, s) for h, s in zip(hits, sents) if h)
            continue
        inside += [s for s in sents if _matches("remark", s)]
        keep.append(p)
    paras[:] = keep
    return inside


def _core(text: str) -> str:
    return _squash(_TRAIL.sub("", _ORDINAL_HEAD.sub("", text)))


# The report's own title repeated in a section ("示例县人民政府关于2023年度法治政府建设情况的报告").
_REPORT_TITLE = re.compile(r"^[^。，；：:！？]{0,40}关于[^。，；：:！？]{2,60}的(?:报告|情况报告|工作报告)$")


def _headings(paras: list[_Para], heading: str, subheadings: Sequence[str],
              topics: Sequence[str], removed: list[Removed]) -> list[_Para]:
    """Given sub-headings written in any form become the exact given line; a repeated level-1
    heading, or a topic turned into a heading where the section has none, is dropped."""
    titles = {_core(h): h for h in subheadings}
    section = {_core(heading), _core(re.sub(r"^[一二三四五六七八九十]+、", "", heading))} - {""}
    dropped = {_core(t) for t in topics} - {""} if not subheadings else set()
    out: list[_Para] = []
    for p in paras:
        core = _core(p.text)
        if core in section or core in dropped or _REPORT_TITLE.match(p.text):
            removed.append(Removed("heading-echo", p.text))
            continue
        if core in titles:
            out.append(_Para(titles[core], "heading"))
            continue
        m = re.match(r"(.+?)[。：:；;\s]+(.+)$", _ORDINAL_HEAD.sub("", p.text))
        if m and _squash(m.group(1)) in titles:
            out += [_Para(titles[_squash(m.group(1))], "heading"), _Para(m.group(2).strip(), p.kind)]
        else:
            out.append(p)
    return out


def _merge_lists(paras: list[_Para], removed: list[Removed]) -> list[str]:
    """Runs of list items → one paragraph of 一是/二是 (joined to a lead-in ending in ：)."""
    out: list[str] = []
    i = 0
    while i < len(paras):
        p = paras[i]
        if p.kind != "item":
            out.append(p.text)
            i += 1
            continue
        j = i
        while j < len(paras) and paras[j].kind == "item":
            j += 1
        items = [_TRAIL.sub("", q.text) for q in paras[i:j]]
        items = [t for t in items if t]
        if len(items) == 1:
            run = items[0] + "。"
        else:
            sep = "。" if any("。" in t for t in items) else "；"
            run = sep.join(t if _RUN_IN.match(t) else f"{ordinal_text(n)}是{t}"
                           for n, t in enumerate(items, start=1)) + "。"
        if out and re.search(r"[：:]$", out[-1]) and i > 0 and paras[i - 1].kind == "text":
            out[-1] += run
        else:
            out.append(run)
        i = j
    return out


def normalise(text: str, *, heading: str = "", subheadings: Sequence[str] = (),
              topics: Sequence[str] = ()) -> Normalised:
    """``text`` (a model's answer for one section) in the report's structure.

    ``heading`` is the section's level-1 heading (dropped when the model repeats it);
    ``subheadings`` the given sub-heading lines (（一）…), which any rendering of them becomes;
    ``topics`` the items' titles of a section written without sub-headings (a line with only
    a topic is a heading the model added, and is dropped)."""
    removed: list[Removed] = []
    body = _strip_reasoning((text or "").replace("\r\n", "\n").replace("\r", "\n"), removed)
    body = _strip_fences(body, removed)
    result = Normalised(removed=removed)
    head = " ".join(body.split())[:400]
    first = [head[s:e] for s, e in sentence_spans(head, colon=True)[:2]]
    result.refusal = next((s for s in first if _matches("refusal", s)), None)
    result.invented = next((s for line in body.split("\n") for a, b in sentence_spans(line, colon=True)
                            if _matches("invented", s := line[a:b])), None)
    paras = _markdown_lines(body.split("\n"), removed)
    _trim_ends(paras, removed)
    result.remarks = _remark_paragraphs(paras, removed)
    paras = _headings(paras, heading, subheadings, topics, removed)
    result.paragraphs = [p for p in _merge_lists(paras, removed) if p.strip()]
    return result
