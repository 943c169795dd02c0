"""Is a (normalised) answer the section at all? Checked before grounding.

Grounding asks whether what a text states is true; these checks ask whether the text is the
section in the first place. An answer is rejected — with a reason for the run record and an
instruction for the model's second try — when it is:

- **empty** after its wrappers are taken off;
- a **refusal** (a refusing first sentence, and hardly any report text after it);
- **invented** by its own account: a sentence saying (part of) the text is an example, an
  assumption or to be replaced (由于缺少具体数据，以下部分为示例) — what follows is not the facts';
- **addressed to the user**: remarks to the reader (您…, 我把这一段…) inside paragraphs of report
  text, where they cannot be cut out cleanly (whole paragraphs of remarks are wrappers and are
  simply removed by :mod:`drafter.backends.answers`);
- a **loop**: the same sentences again and again (a degenerate generation);
- **too short** for its facts, or **far too long** for them;
- **cut** at the model's length limit (finish reason ``length``), or in the middle of a
  sentence whatever the finish reason (a gateway that cut it and said ``stop``).

A stream that ended without its finish reason or ``[DONE]`` never gets here: the client treats
it as an incomplete answer (retried once, then the section falls back).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from drafter.text.sentences import sentences

if TYPE_CHECKING:  # pragma: no cover
    from drafter.backends.answers import Normalised

# An answer shorter than this share of its facts' characters leaves facts out.
SHORT_RATIO = 0.45
# An answer longer than LONG_RATIO × the facts + LONG_SLACK characters says far more than the facts.
LONG_RATIO = 6.0
LONG_SLACK = 1500
# A sentence of at least LOOP_MIN characters seen LOOP_TIMES times, or repeated sentences
# making up LOOP_SHARE of the text, is a loop.
LOOP_MIN = 12
LOOP_TIMES = 3
LOOP_SHARE = 0.3
_HEADING = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]")
_SQUASH = re.compile(r"[\s\u3000，。；、：,.;:！？!?“”]")


@dataclass(frozen=True)
class Rejection:
    """Why an answer is not the section: ``kind`` (empty, refusal, invented, addresses-user,
    loop, too-short, too-long, truncated), ``reason`` for the run record and ``instruction`` for the
    model's second try (Chinese)."""

    kind: str
    reason: str
    instruction: str


def body_characters(paragraphs: list[str]) -> int:
    """Characters of the paragraphs that are not sub-heading lines, whitespace aside."""
    return sum(len(_SQUASH.sub("", p)) for p in paragraphs if not _HEADING.match(p))


def loop_count(text: str) -> int:
    """How often the most repeated sentence (of ``LOOP_MIN`` characters or more) occurs, when
    the repetition makes the text a loop; 0 when it does not."""
    sents = [_SQUASH.sub("", s) for line in text.split("\n") for s in sentences(line)]
    sents = [s for s in sents if len(s) >= LOOP_MIN]
    if not sents:
        return 0
    counts = Counter(sents)
    top, n = counts.most_common(1)[0]
    repeated = sum(len(s) * (c - 1) for s, c in counts.items() if c > 1)
    total = sum(len(s) for s in sents)
    if n >= LOOP_TIMES or (n > 1 and repeated >= LOOP_SHARE * total):
        return n
    return 0


# How a paragraph of report text ends: a sentence mark, a closing quote or bracket after one.
_ENDED = re.compile(r"[。！？!?；;…]['’”」』）)】》]*$|[”」』】]$|^\|.*\|$")  # (】: a 【待补充】 marker; a table row)


def unfinished(paragraphs: list[str]) -> str | None:
    """The last paragraph when it stops in the middle of a sentence (a gateway that cut the
    answer and still said ``stop``: "…另一方面专职法制"); None when it ends as text does, or
    is a sub-heading line."""
    last = next((p.strip() for p in reversed(paragraphs) if p.strip()), "")
    if not last or _HEADING.match(last) or _ENDED.search(last):
        return None
    return last


def check_answer(norm: "Normalised", facts_characters: int, finish: str | None = None,
                 raw: str = "") -> Rejection | None:
    """The reason ``norm`` (one section's normalised answer) is not the section, or None.
    ``facts_characters``: how much the section's facts say; ``finish``: the finish reason;
    ``raw``: the answer as received (loops are counted there, wrappers and all)."""
    text = norm.text
    size = body_characters(norm.paragraphs)
    if (n := loop_count(raw or text)) or (n := loop_count(text)):
        return Rejection("loop", f"回复陷入重复（同一句出现 {n} 次）",
                         "上一次回复把同样的内容重复了多遍。请只写一遍本部分正文，写完即止，不要重复。")
    if norm.refusal and (size < SHORT_RATIO * facts_characters or norm.invented):
        return Rejection("refusal", f"模型拒绝作答（“{norm.refusal[:40]}”）",
                         "这是本单位内部的公文起草工作，所需事实均已在事实材料中给出。"
                         "请直接写出本部分的报告正文，不要说明能否完成。")
    if not text.strip():
        return Rejection("empty", "回复为空（去掉思考过程和客套语后没有正文）", "请按要求写出本部分的报告正文。")
    if finish == "length":
        return Rejection("truncated", "回复因长度限制被截断", "上一次回复因长度限制被截断。请精简表述，完整输出本部分正文。")
    if (cut := unfinished(norm.paragraphs)) is not None:
        return Rejection("truncated", f"回复在句子中间中断（“…{cut[-20:]}”）",
                         "上一次回复没有写完，最后一句在中间断开。请完整输出本部分正文。")
    if norm.invented:
        return Rejection("invented", f"回复声明部分内容为示例或假设（“{norm.invented[:40]}”），不是依据事实写成的正文",
                         "只依据事实材料写本部分正文：事实材料没有写到的内容不写，"
                         "不要写示例、假设或需要替换的内容，也不要说明哪些内容是示例。")
    if norm.remarks:
        return Rejection("addresses-user", f"回复中有对用户说的话（“{norm.remarks[0][:40]}”），不是报告正文",
                         "只输出报告正文本身，不要对用户说话，不要解释写法或征求意见。")
    if facts_characters and size < SHORT_RATIO * facts_characters:
        return Rejection("too-short", f"回复过短（正文 {size} 字，本部分事实材料 {facts_characters} 字）",
                         "上一次回复过于简略。请完整写出本部分正文，事实材料中的每一条事实和数据都要写到。")
    if size > LONG_RATIO * facts_characters + LONG_SLACK:
        return Rejection("too-long", f"回复过长（正文 {size} 字，本部分事实材料仅 {facts_characters} 字）",
                         "上一次回复远超事实材料所能支撑的篇幅。请只依据事实材料，精炼地写出本部分正文。")
    return None
