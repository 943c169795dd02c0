"""What the LLM backend records about each section: every round (request, answer, what was
stripped, why it was rejected, the grounding verdict) and the outcome, in words a user reads.

States of a section (``SectionOutcome.status``):

| status     | shown as            | meaning                                                        |
|------------|---------------------|----------------------------------------------------------------|
| accepted   | 通过                | the first answer passed every check                            |
| repaired   | 修正后通过          | the second answer (after the repair note) passed               |
| trimmed    | 删去未核实内容后通过 | sentences stating what the facts do not were removed; the rest passed |
| fallback   | 改用模板            | no answer could be used; the template wrote the section        |
| template   | 使用模板            | facts missing: the template writes the 【待补充】 marker        |
| failed     | 未完成              | the run ended (endpoint refused the key, address or model)     |
| pending    | 未开始              | the run ended before this section was drafted                  |

No section is ever shown as 通过 unless an answer passed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STATUS_TEXT = {"accepted": "通过", "repaired": "修正后通过", "trimmed": "删去未核实内容后通过",
               "fallback": "改用模板", "template": "使用模板", "failed": "未完成", "pending": "未开始"}
# Wrapper table ids (drafter/data/answer_wrappers.yaml) grouped for the summary line.
_REMOVED_TEXT = {"think-block": "思考过程", "think-closing-only": "思考过程", "think-unclosed": "思考过程",
                 "fence": "代码块标记", "heading-echo": "重复的标题", "closing-note": "附注"}
_REMOVED_KIND = {"preface": "开头客套语", "closing": "结尾客套语", "remark": "对用户说的话",
                 "md": "Markdown 标记"}


@dataclass
class Round:
    """One request/response of a section: ``kind`` is ``draft`` or ``repair``."""

    kind: str
    messages: list[dict[str, str]]
    response: str | None = None
    latency_s: float | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    characters: int = 0
    reasoning_characters: int = 0
    finish: str | None = None
    cached: bool = False
    faults: list[str] = field(default_factory=list)
    error: str | None = None
    removed: list[str] = field(default_factory=list)  # wrapper table ids that removed something
    text: str | None = None  # the answer after normalisation (what was checked)
    rejection: dict[str, str] | None = None  # {kind, reason}: not the section at all
    verdict: dict[str, Any] | None = None
    trimmed: list[str] = field(default_factory=list)  # sentences removed before acceptance


@dataclass
class SectionOutcome:
    key: str
    heading: str
    status: str = "pending"
    reason: str | None = None
    rounds: list[Round] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def reached(self) -> bool:
        """Whether the endpoint answered at least once for this section."""
        return any(r.response is not None for r in self.rounds)

    @property
    def problems(self) -> list[dict[str, Any]]:
        """The grounding problems of the rounds, and rejections as problems of their own kind."""
        out: list[dict[str, Any]] = []
        for r in self.rounds:
            if r.rejection:
                out.append({"kind": r.rejection["kind"], "quote": "", "message": r.rejection["reason"]})
            if r.verdict:
                out += r.verdict["problems"]
        return out

    def line(self) -> str:
        text = f"{self.heading}：{STATUS_TEXT[self.status]}"
        notes: list[str] = []
        if self.status in ("repaired", "trimmed"):
            first = next((r for r in self.rounds if r.rejection or (r.verdict and not r.verdict["ok"])), None)
            if first is not None:
                notes.append("初稿问题：" + (first.rejection["reason"] if first.rejection
                                         else problems_text(first.verdict or {})))
            if self.status == "trimmed":
                notes.append(f"删去 {sum(len(r.trimmed) for r in self.rounds)} 句")
        elif self.reason:
            notes.append(self.reason)
        removed = removed_text(self.rounds)
        if removed and self.status in ("accepted", "repaired", "trimmed"):
            notes.append("已去除" + removed)
        return text + (f"（{'；'.join(notes)}）" if notes else "")


def problems_text(verdict: dict[str, Any], limit: int = 3) -> str:
    msgs = [p["message"].split("：")[0] for p in verdict.get("problems", [])]
    more = f" 等 {len(msgs)} 处" if len(msgs) > limit else ""
    return "；".join(msgs[:limit]) + more


def removed_text(rounds: list[Round]) -> str:
    """What was taken off the used answers, in words (思考过程、开头客套语 …)."""
    words: list[str] = []
    for r in rounds:
        for pid in r.removed:
            w = _REMOVED_TEXT.get(pid) or _REMOVED_KIND.get(pid.split("-")[0])
            if w and w not in words:
                words.append(w)
    return "、".join(words)


def section_report(o: SectionOutcome) -> dict[str, Any]:
    """One section in ``run.json`` / ``run-report.json``."""
    return {"key": o.key, "heading": o.heading, "status": o.status,
            "status_text": STATUS_TEXT[o.status], "reason": o.reason, "rounds": len(o.rounds),
            "seconds": o.seconds, "removed": removed_text(o.rounds),
            "trimmed": [s for r in o.rounds for s in r.trimmed], "problems": o.problems}
