"""One section drafted by a model: ask, take the wrappers off, check, repair once, keep what is
true, or fall back.

Per round: the answer is normalised (:mod:`drafter.backends.answers`: reasoning, prefaces,
closing offers and Markdown come off — never a reason to ask again), checked for being the
section at all (:mod:`drafter.backends.validity`: refusal, remarks to the user, loop, too
short or long, cut at the length limit), then grounded (:class:`drafter.grounding.SectionGrounding`).
A rejected or ungrounded first answer gets one repair round that says exactly what to change.
If the second answer fails too — a model that repeats itself does — the sentences that state
what the facts do not are removed from the latest checked answer and the rest is checked again
(status ``trimmed``); when that leaves a given fact out, only the clauses holding the problems
are removed instead; when that fails too, the template writes the section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from drafter.backends.llm_client import CallFailed
from drafter.backends.llm_record import Round, SectionOutcome, problems_text

if TYPE_CHECKING:  # pragma: no cover
    from typing import Mapping

    from drafter.backends.base import DraftEvents
    from drafter.backends.llm_client import Client
    from drafter.grounding import SectionGrounding
    from drafter.plan import SectionSpec

# Grounding problems that sit in one sentence: removing that sentence removes the problem.
LOCAL_PROBLEMS = frozenset({"number", "year", "name", "title", "place", "org", "docnum", "date",
                            "placeholder", "english", "markdown"})


@dataclass
class Job:
    """One section, ready to send: its messages, what its answers are checked against
    (``grounds[spec.key]``, looked up when the first answer is in: it may still be being built)
    and how they are normalised."""

    spec: "SectionSpec"
    grounds: "Mapping[str, SectionGrounding]"
    messages: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ground(self) -> "SectionGrounding":
        return self.grounds[self.spec.key]

    @property
    def template_reason(self) -> str | None:
        """Why the template writes this section (facts missing), or None."""
        return self.spec.gap_reason

    @classmethod
    def prepare(cls, spec: "SectionSpec", grounds: "Mapping[str, SectionGrounding]") -> "Job":
        from drafter.backends.llm_prompts import section_messages

        return cls(spec, grounds, [] if spec.gap_reason else section_messages(spec))

    def normalise(self, text: str) -> Any:
        from drafter.backends.answers import normalise

        s = self.spec
        return normalise(text, heading=s.numbered_heading, subheadings=s.subheadings,
                         topics=[it.title for it in s.items if it.title])

    def facts_characters(self) -> int:
        from drafter.backends.validity import body_characters

        s = self.spec
        return body_characters([t for it in s.items
                                for t in (it.problem or "", *it.statements, *it.metrics, *it.causes) if t])


async def draft_section(client: "Client", job: Job, out: SectionOutcome, events: "DraftEvents") -> None:
    """Draft ``job``'s section into ``out`` (see the module docstring). A fatal CallFailed
    (the endpoint refuses the key, address or model) propagates."""
    from drafter.backends.llm_prompts import repair_message, retry_message
    from drafter.backends.validity import check_answer

    spec = job.spec
    if job.template_reason:
        fallback(spec, out, job.template_reason, status="template")
        return
    messages = job.messages
    facts_chars = job.facts_characters()
    candidates: list[tuple[Round, list[str]]] = []  # grounded answers, for trimming
    for kind in ("draft", "repair"):
        rnd = Round(kind, [{"role": r, "content": c} for r, c in messages])
        out.rounds.append(rnd)
        if kind == "repair":
            events.section_status(spec.key, "修正中")
        try:
            c = await client.complete(messages, on_chunk=lambda n: events.section_progress(spec.key, n),
                                      on_status=lambda s: events.section_status(spec.key, s))
        except CallFailed as e:
            rnd.error = e.reason
            if e.fatal:
                raise
            if kind == "draft" or not candidates:
                fallback(spec, out, f"{'修正' if kind == 'repair' else '起草'}请求失败：{e.reason}")
                return
            break  # the repair call failed: the first answer may still be trimmed
        rnd.response, rnd.latency_s, rnd.cached, rnd.faults = c.text, c.latency_s, c.cached, c.attempts
        rnd.prompt_tokens, rnd.completion_tokens, rnd.finish = c.prompt_tokens, c.completion_tokens, c.finish
        rnd.characters, rnd.reasoning_characters = len(c.text), len(c.reasoning)
        norm = job.normalise(c.text)
        rnd.removed, rnd.text = norm.removed_ids(), norm.text
        rejection = check_answer(norm, facts_chars, c.finish, c.text)
        if rejection is not None:
            rnd.rejection = {"kind": rejection.kind, "reason": rejection.reason}
            follow = retry_message(spec, rejection.instruction)
        else:
            verdict = job.ground.check(norm.text)
            rnd.verdict = verdict.to_dict()
            if verdict.ok:
                _accept(out, "accepted" if kind == "draft" else "repaired", norm.paragraphs)
                return
            candidates.append((rnd, norm.paragraphs))
            follow = repair_message(spec, [p.message for p in verdict.problems])
        messages = messages + [("assistant", c.text), ("user", follow)]
    for rnd, paragraphs in reversed(candidates):
        for level in ("item", "sentence", "clause"):
            kept, removed = trim(job.ground, paragraphs, rnd.verdict or {}, level)
            # A given sub-heading left without its text is no section: the clause level may
            # keep some of it, else the section falls back.
            if removed and not bare_headings(job.ground, kept) - bare_headings(job.ground, paragraphs) \
                    and job.ground.check("\n".join(kept)).ok:
                rnd.trimmed = removed
                _accept(out, "trimmed", kept)
                return
    last = out.rounds[-1]
    if last.error:
        fallback(spec, out, f"修正请求失败：{last.error}；初稿问题：" + problems_text(candidates[-1][0].verdict or {}))
    elif last.rejection:
        first = out.rounds[0].rejection
        same = first and first["kind"] == last.rejection["kind"]
        fallback(spec, out, ("两次回复均不可用：" if same else "修正后的回复仍不可用：") + last.rejection["reason"])
    else:
        fallback(spec, out, "修正后仍未通过核查：" + problems_text(last.verdict or {}))


def _accept(out: SectionOutcome, status: str, paragraphs: list[str]) -> None:
    out.status, out.paragraphs = status, list(paragraphs)


_CLAUSE = re.compile(r"[^，；：,;:]*[，；：,;:]?")  # (not at 、: a list item is no clause)


def bare_headings(ground: "SectionGrounding", paragraphs: list[str]) -> set[str]:
    """The given sub-headings of ``paragraphs`` with no text under them (the next paragraph
    is a sub-heading too, or there is none)."""
    headings = set(ground.headings)
    return {p for i, p in enumerate(paragraphs) if p in headings
            and (i + 1 == len(paragraphs) or paragraphs[i + 1] in headings)}


def trim(ground: "SectionGrounding", paragraphs: list[str], verdict: dict[str, Any],
         level: str = "sentence") -> tuple[list[str], list[str]]:
    """``paragraphs`` without the list items that are exactly a local problem of ``verdict``
    (``level`` "item", :func:`_without_items`), or without the sentences ("sentence") or the
    clauses ("clause": the stretch between two of ，；：) that hold one — an
    untraceable number, name, title … — and what was removed. Sub-heading lines stay; a
    paragraph left empty goes. Nothing is removed when a problem is not local (a missing
    figure or heading: removing text cannot fix it)."""
    from drafter.text.sentences import sentence_spans

    problems = verdict.get("problems") or []
    if not problems or any(p["kind"] not in LOCAL_PROBLEMS or not p["quote"] for p in problems):
        return paragraphs, []
    quotes = [p["quote"] for p in problems]
    headings = set(ground.headings)
    if level == "item":
        return _without_items(paragraphs, quotes, headings)
    kept: list[str] = []
    removed: list[str] = []
    for para in paragraphs:
        if para in headings:
            kept.append(para)
            continue
        parts = []
        for s, e in sentence_spans(para):
            sent = para[s:e]
            if not any(q in sent for q in quotes):
                parts.append(sent)
            elif level == "sentence":
                removed.append(sent)
            else:
                parts.append(_without_clauses(sent, quotes, removed))
        if "".join(parts).strip("，；：、,;:。 "):
            kept.append("".join(parts))
    # A quote no removed piece holds (split across sentences or clauses) cannot be trimmed.
    if any(not any(q in r for r in removed) for q in quotes):
        return paragraphs, []
    return kept, removed


def _without_items(paragraphs: list[str], quotes: list[str], headings: set[str]
                   ) -> tuple[list[str], list[str]]:
    """``paragraphs`` without the list items that are exactly one of ``quotes`` ("律师林思远、
    王嘉宁担任法律顾问" without "、王嘉宁"): the least a trim can take, the sentence reads on.
    Nothing is removed unless every quote stands as such an item."""
    kept = list(paragraphs)
    for q in quotes:
        at = next(((i, m) for i, para in enumerate(kept) if para not in headings
                   and (m := _item(para, q)) is not None), None)
        if at is None:
            return paragraphs, []
        i, m = at
        kept[i] = kept[i][:m.start()] + kept[i][m.end():]
    return kept, list(quotes)


def _item(para: str, quote: str) -> re.Match[str] | None:
    """``quote`` as an item of a 、 list in ``para``, with its 、 ("、王嘉宁" before 、，。 and
    the like, or "王嘉宁、" at a clause's start); None for a quote without Chinese text."""
    if not re.search(r"[\u4e00-\u9fff]", quote):
        return None
    q = re.escape(quote)
    return re.search(rf"、{q}(?=[、，。；和及与等担任为])", para) \
        or re.search(rf"(?<=[，。；：\s]){q}、", para)


def _without_clauses(sentence: str, quotes: list[str], removed: list[str]) -> str:
    """``sentence`` without its clauses that hold one of ``quotes``; the sentence's end mark
    is kept."""
    end = sentence[len(sentence.rstrip("。！？!?")):]
    body = sentence[: len(sentence) - len(end)]
    clauses = [c for c in _CLAUSE.findall(body) if c]
    keep = []
    for c in clauses:
        if any(q in c for q in quotes):
            removed.append(c.rstrip("，；：、,;:"))
        else:
            keep.append(c)
    text = "".join(keep).rstrip("，；：、,;:")
    return text + end if text else ""


def fallback(spec: "SectionSpec", out: SectionOutcome, reason: str, status: str = "fallback") -> None:
    from drafter.backends.template import TemplateBackend

    out.status, out.reason = status, reason
    out.paragraphs = [p for p in TemplateBackend().draft_section(spec) if p.strip()]
