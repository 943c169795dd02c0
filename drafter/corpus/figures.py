"""The counted figures of an earlier report, as facts metrics: each with its label as written,
its value and unit, its approximation (余/多/约/近) and, when the sentence gives them, its
parts (其中…, or figures right after a total that add up to it exactly).

The numbers are :func:`drafter.text.numbers.extract_quantities` — the checker's extractor —
so the import reads the same figures a check sees. The label is the clause around the figure
with the figure taken out and filler (全年, 共, 其中, 我局 …) dropped: 清理规范性文件 (before
the figure), 执法人员 (after it: 5名执法人员), 对我局印发的文件进行了审理 (around it).
Words that run on to the next figure are this one's only as far as the noun it counts (136名
执法人员中…19名 → 执法人员), and 名/位 count the person named next to them. A figure without
words around it, with an approximation the facts cannot state (超过, 以上, 左右 …), or that the
facts file cannot record (a rate over 100 %, 名 counting a thing) is not imported and is listed
instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from drafter.corpus.respectively import respectively
from drafter.text.measure_words import measure_word_problem, measure_words, person_noun_at
from drafter.text.numbers import Quantity, extract_quantities, without_tail

if TYPE_CHECKING:  # pragma: no cover
    from drafter.report import Paragraph, Report

_HARD = set("，。；：！？,;:!?\n")
_OPEN, _CLOSE = "（(", "）)"
_SENTENCE = re.compile(r"[。！？；;!?]")
_FILLER = re.compile(
    r"^(?:其中|另有|另外|此外|同时|并且|并|还|已经|已|均|先后|分别|共计|总计|合计|一共|总共|共有|共"
    r"|全年度|全年|年内|本年度|本年|今年|当年|一年来|截至目前|目前|现有|通过|"
    r"(?:我|本)(?:局|委|办|厅|中心|单位|部门|区|县|市))+")
_APPROX_WORDS = {"余": "余", "多": "多", "约": "约", "近": "近"}
_HEAD = re.compile(r"^[^\d零〇一二两三四五六七八九十百千万亿]*")
_CONNECTIVE_END = re.compile(r"(?:以及|和|及|与|、|并|或)$")
# A preposition opening a label before a whole area or nothing (在全区8个…, 对31家企业…):
# not part of the name (对本局印发的40份文件 keeps it: 本局 is dropped as filler after it).
_PREPOSITION = re.compile(r"^(?:在|对)(?=全|$)")
# The words of a total right before its number (…共计7916件).
_TOTAL_END = re.compile(r"(?:共计|合计|总计|累计|一共|总共|共)[ \u3000]*$")
_TAIL_APPROX = re.compile(r"(?<=[\d零〇一二两三四五六七八九十百千万亿])[ \u3000]?(余|多)")


@dataclass
class Figure:
    """One counted figure of the report: ``value`` and ``unit`` as written (2146.8 万元),
    ``approx`` (余/多/约/近 or None), ``label`` as written, ``line``; ``part_of`` is the index of
    its total in the figure list, ``exhaustive`` (on a total) that its parts add up to it."""

    label: str
    value: float
    unit: str
    approx: str | None
    line: int
    raw: str
    start: int = 0  # offsets of the figure in its paragraph's text
    end: int = 0
    part_of: int | None = None
    exhaustive: bool = False


@dataclass(frozen=True)
class Skipped:
    """A figure not imported: the text as written, its line and why (Chinese)."""

    raw: str
    line: int
    why: str


def report_figures(report: "Report", skip_keys: tuple[str, ...] = ("plans",)
                   ) -> tuple[list[Figure], list[Skipped]]:
    """Every counted figure of the report's body outside the ``skip_keys`` sections (next
    year's plans are not this year's figures), with the ones that could not be imported."""
    skip_lines = _lines_of(report, skip_keys)
    figures: list[Figure] = []
    skipped: list[Skipped] = []
    for p in report.paragraphs:
        if p.role in ("blank", "title", "recipient", "signature", "date") or p.line in skip_lines:
            continue
        figures_here: list[tuple[Figure, Quantity]] = []
        qs = extract_quantities(p.text)
        paired = respectively(p.text, qs) if "分别" in p.text else {}
        for i, q in enumerate(qs):
            if i in paired and paired[i] is None:
                skipped.append(Skipped(q.raw.strip(), p.line, "“分别”前后列出的名称与数字个数不一致"))
                continue
            fig, why = _figure(p, qs, i, figures_here, paired.get(i))
            if fig is None:
                skipped.append(Skipped(q.raw.strip(), p.line, why))
                continue
            figures_here.append((fig, q))
        base = len(figures)
        figures.extend(f for f, _q in figures_here)
        _link_parts(p.text, figures_here, base)
    return figures, skipped


def _lines_of(report: "Report", keys: tuple[str, ...]) -> set[int]:
    out: set[int] = set()
    for sec in report.sections:
        if sec.key in keys or set(sec.extra_keys) & set(keys):
            out.update(q.line for q in sec.all_paragraphs())
            out.add(sec.line)
    return out


def _figure(p: "Paragraph", qs: list[Quantity], i: int, earlier: list[tuple[Figure, Quantity]],
            paired: str | None = None) -> tuple[Figure | None, str]:
    """The figure ``qs[i]`` of paragraph ``p``, or why it cannot be imported; ``paired``: its
    label when a "分别" construction gives it (:mod:`drafter.corpus.respectively`)."""
    q = qs[i]
    approx = _approx(q)
    if approx is False:
        return None, "约数写法无法在事实文件中表示（只能用 余/多/约/近）"
    if paired:
        return _recorded(p, q, paired, approx)
    before, after, shared = _label_parts(p.text, qs, i)
    if shared:
        # The words run on to the next figure, whose label they are too ("136名执法人员中具有
        # 法律专业背景的仅19名", "27件规范性文件中废止3件", "8个工作站和87个服务室"): this
        # figure counts the noun they begin with — the persons a 名/位 counts, the X of "X中"
        # (among the X), the items before 和/及/、.
        own = _own_part(after, q.unit or "")
        if own is not None:
            after = own
        elif (cut := _before_connective(after)) or not before.strip(" \u3000"):
            after = cut
    elif i and _CONNECTIVE_END.search(p.text, qs[i - 1].end, q.start):
        # The second of two figures joined by 和/及/与 (8个工作站和87个服务室推行…): the words
        # before the connective are the first one's; this one counts the noun after it.
        before, after = "", _noun_head(after)
    label = _join(before, after)
    if not label and earlier and earlier[-1][1].end == q.start:
        label = earlier[-1][0].label  # 20批500余人次: the same thing counted twice
    if q.is_percent and _BARE_CHANGE.match(label) and earlier and \
            not _SENTENCE.search(p.text, earlier[-1][1].end, q.start):
        # 收到申请132件，同比增长21.1%: the change of the figure before it, named by it
        label = earlier[-1][0].label + label
    if not label:
        return None, "数字前后没有说明所计何事"
    unit = {10000: "万", 100000000: "亿"}.get(q.scale, "") + (q.unit or "")
    if measure_word_problem(label, unit):
        # 安排2名法律顾问列席并发表意见, 法律顾问2名实行轮值制度: 名 counts the persons named
        # right after it or right before it, not the 意见/制度 the clause ends with.
        noun = person_noun_at(after.lstrip(" \u3000"))
        if noun:
            label = _join(before, noun)
        elif (measure_words().noun(before.rstrip(" \u3000")) or ("", ""))[0] == "person":
            label = before.strip(" \u3000")
    return _recorded(p, q, label, approx)


def _recorded(p: "Paragraph", q: Quantity, label: str, approx: str | None) -> tuple[Figure | None, str]:
    """The figure as the facts file records it, or why it cannot be."""
    from drafter.facts.validate import value_problems  # (pydantic: only when importing)

    value = q.value / q.scale if q.scale > 1 else q.value
    value = round(value, max(q.decimals, 0) + 4)
    unit = {10000: "万", 100000000: "亿"}.get(q.scale, "") + (q.unit or "")
    wrong = value_problems(label, value, unit)
    if wrong:  # the facts file would not load: listed, not imported
        return None, f"事实文件不能这样记录（{wrong[0][1]}）"
    return Figure(label, int(value) if float(value).is_integer() else value, unit,
                  approx or None, p.line, q.raw.strip(), q.start, q.end), ""


# A label that is only a change (同比增长, 较上年下降): it belongs to the figure before it.
_BARE_CHANGE = re.compile(r"^(?:同比|环比|较上年|比上年|较去年|比去年|较上年同期|比上年同期)?"
                          r"(?:增长|下降|上升|减少|提高|降低|增加)了?$")


def _approx(q: Quantity) -> str | bool | None:
    """余/多/约/近 as written; None for an exact figure; False for one the facts cannot state."""
    if not q.approx:
        return None
    raw = q.raw.strip()
    head = _HEAD.match(raw).group()
    if head:
        return _APPROX_WORDS.get(head, False)
    tail = _TAIL_APPROX.search(raw)
    return tail.group() if tail else False


def _label_parts(text: str, qs: list[Quantity], i: int) -> tuple[str, str, bool]:
    """The words of the figure's clause before it (filler dropped) and after it, and whether
    those after it run on to the next figure (its words too)."""
    q = qs[i]
    floor = qs[i - 1].end if i else 0
    ceil = qs[i + 1].start if i + 1 < len(qs) else len(text)
    before = _scan(text, q.start, floor, -1)
    after = _scan(text, q.end, ceil, 1)
    shared = i + 1 < len(qs) and q.end + len(after) == ceil and bool(after.strip(" \u3000"))
    if text[q.start - len(before) - 1:q.start - len(before)] == "、" and _TOTAL_END.search(before):
        # 投诉、举报、咨询共计7916件: a total of listed nouns is named by the whole list
        before = _scan(text, q.start, floor, -1, through="、")
    before = _FILLER.sub("", _PREPOSITION.sub("", before.lstrip("、和及与")))
    before = without_tail(before)
    return before, after.rstrip("、"), shared


def _own_part(after: str, unit: str) -> str | None:
    """The head of words shared with the next figure that this figure counts: the person
    noun right after a 名/位 (执法人员中具有… → 执法人员), else the listed noun before a
    "中" (规范性文件中废止 → 规范性文件), nothing when they begin with "中" (办理案件20件中
    涉企案件8件: they are the next figure's); None when none of these applies."""
    words = after.strip(" \u3000")
    if words.startswith("中"):
        return ""
    if unit in measure_words().holder_units:
        noun = person_noun_at(words)
        if noun:
            return noun
    k = words.find("中")
    while k > 0:
        if measure_words().noun(words[:k]) is not None:
            return words[:k]
        k = words.find("中", k + 1)
    return None


# Where the noun a figure counts ends, after its measure word (87个社区法律服务室推行… → 社区法律
# 服务室): a verb, adverb, preposition, conjunction or particle after its first word, or these.
_NOUN_STOP_POS = ("v", "d", "p", "c", "u", "r")
_NOUN_STOP_WORDS = frozenset(("全部", "均", "都", "全", "各", "分别", "共", "已", "等"))


def _noun_head(words: str) -> str:
    """The noun phrase ``words`` open with (社区全部建立调解组织 → 社区); the words as they are
    when the segmenter sees no end to it."""
    from drafter.text.segment import tokens

    words = words.strip(" \u3000")
    toks = tokens(words)
    for k, t in enumerate(toks):
        if k and ((t.pos.startswith(_NOUN_STOP_POS) and not t.pos.startswith("vn"))
                  or t.word in _NOUN_STOP_WORDS or not t.word.strip()):
            return words[:t.start]
    return words


def _before_connective(words: str) -> str:
    """Shared words that would be this figure's whole label (nothing stands before it), cut
    before a final connective (8个街道工作站和87个… → 街道工作站); else nothing: as they are,
    they would name the next figure too, one name with two numbers."""
    words = words.strip(" \u3000")
    m = _CONNECTIVE_END.search(words)
    return words[:m.start()] if m and m.start() > 0 else ""


def _join(before: str, after: str) -> str:
    return (before.rstrip(" \u3000") + after.lstrip(" \u3000")).strip(" \u3000")


def _scan(text: str, start: int, limit: int, step: int, through: str = "") -> str:
    """The words from ``start`` to the clause boundary (or ``limit``) in direction ``step``;
    punctuation inside （） does not end the clause (6个县（市、区）), nor the marks of
    ``through``."""
    depth = 0
    j = start
    while (j > limit if step < 0 else j < limit):
        ch = text[j - 1] if step < 0 else text[j]
        if ch in (_CLOSE if step < 0 else _OPEN):
            depth += 1
        elif ch in (_OPEN if step < 0 else _CLOSE):
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and (ch in _HARD or ch == "、") and ch not in through:
            break
        j += step
    return text[j:start] if step < 0 else text[start:j]


def _link_parts(text: str, figs: list[tuple[Figure, Quantity]], base: int) -> None:
    """Mark parts within each sentence: figures after 其中 (same unit) belong to the total
    before it; figures right after a total that add up to it exactly (共清理10份，失效2份、
    废止3份、有效5份) are its parts."""
    for sentence in _sentences(text, figs):
        k = 0
        while k < len(sentence):
            j, total = sentence[k]
            run = _parts_after(text, sentence, k)
            if run:
                values = [figs[x][0].value for x, _f in run]
                exact = total.approx is None and all(figs[x][0].approx is None for x, _f in run)
                if exact and sum(values) > total.value + 1e-9:
                    k += 1
                    continue  # more parts than the total: the report's own slip, not linked
                for x, f in run:
                    f.part_of = base + j
                total.exhaustive = exact and abs(sum(values) - total.value) < 1e-9
                k += len(run) + 1
                continue
            k += 1


def _sentences(text: str, figs: list[tuple[Figure, Quantity]]) -> Iterator[list[tuple[int, Figure]]]:
    bounds = [m.end() for m in _SENTENCE.finditer(text)] + [len(text) + 1]
    group: list[tuple[int, Figure]] = []
    b = 0
    for idx, (f, q) in enumerate(figs):
        while q.start >= bounds[b]:
            if group:
                yield group
            group, b = [], b + 1
        group.append((idx, f))
    if group:
        yield group


def _parts_after(text: str, sentence: list[tuple[int, Figure]], k: int
                 ) -> list[tuple[int, Figure]]:
    """The parts of ``sentence[k]`` as a total, or []."""
    _j, total = sentence[k]
    rest = sentence[k + 1:]
    same = []
    for x, f in rest:
        if f.unit != total.unit:
            break
        same.append((x, f))
    if not same:
        return []
    # 其中 between the total and its first following figure: those are its parts.
    if "其中" in text[total.end:same[0][1].start]:
        return same
    if any(f.approx for _x, f in same) or total.approx:
        return []
    acc = 0.0
    for n, (_x, f) in enumerate(same, start=1):
        acc += f.value
        if n >= 2 and abs(acc - total.value) < 1e-9:
            return same[:n]
        if acc > total.value:
            break
    return []
