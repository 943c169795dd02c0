"""The LLM backend's messages, from the data files under ``prompts/llm/`` (loaded and
validated by :mod:`drafter.prompts`): ``system.yaml`` is shared; ``<section key>.yaml`` holds
the section's ``purpose`` and its ``user`` template; ``repair.yaml`` holds the follow-up
message of the second round (``user`` when the answer failed grounding, ``retry`` when it was
not the section at all).

:func:`section_messages` turns a :class:`drafter.plan.SectionSpec` into the variables: the
section's facts as structured data (YAML), the sub-headings to use, retrieved exemplar
paragraphs quoted as reference material, and last year's plans to answer.

What models misread, and how the variables avoid it:

- a section written without sub-headings (one item of 第一责任人/其他) does not show its item's
  title as 主题 — models turned it into a heading;
- last year's plans are listed where this year's facts can answer them: the answered ones in
  the section whose item answers them, the unanswered ones only under 主要举措 (listing them
  under 第一责任人 invited invented follow-through);
- exemplars from earlier reports keep their wording but not their figures: every number in
  them is shown as ×, so last year's counts and years cannot slip into this year's text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from drafter.prompts import PromptFile, load_prompt as _load

if TYPE_CHECKING:  # pragma: no cover
    from drafter.plan import SectionSpec

NONE = "（无）"


def load_prompt(name: str) -> PromptFile:
    """``prompts/llm/<name>.yaml``."""
    return _load("llm", name)


# -- from a section spec to messages ----------------------------------------------------

# Sections whose one item is written as a plain paragraph, without a （一） heading (as the
# template backend does: a heading numbered （一） with no （二） reads as a mistake).
_SINGLE_ITEM_PLAIN = ("leadership", "other")


def subheadings(spec: "SectionSpec") -> list[str]:
    """The numbered sub-headings the section must use: （一）title per titled item."""
    from drafter.text.numerals import ordinal_text

    titles = [it.title for it in spec.items if it.title]
    if spec.key in _SINGLE_ITEM_PLAIN and len(spec.items) == 1:
        return []
    return [f"（{ordinal_text(i)}）{t}" for i, t in enumerate(titles, start=1)]


def facts_data(spec: "SectionSpec") -> list[dict[str, Any]]:
    """The section's items as plain data (what the model may use, nothing else)."""
    given = subheadings(spec)
    heads = iter(given)
    out = []
    for it in spec.items:
        d: dict[str, Any] = {}
        if it.title and given:
            d["小标题"] = next(heads)
        if it.problem:
            d["不足"] = it.problem
            d["原因"] = list(it.causes)
        if it.statements:
            d["事实"] = list(it.statements)
        if it.metrics:
            d["数据"] = list(it.metrics)
        if it.outcome:
            d["成效"] = it.outcome
        out.append(d)
    return out


def _yaml(data: Any) -> str:
    import yaml

    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000).strip()


_BLOCK_TAG = re.compile(r"[<＜〈《]\s*/?\s*参考材料\s*[>＞〉》]")
# Figures in exemplars (Arabic digits, and Chinese numerals before a measure word) → ×;
# 《》 titles keep theirs (a year range is part of a document's name).
_EXEMPLAR_FIGURE = re.compile(r"《[^《》]*》|\d+(?:[.,]\d+)*"
                              r"|(?:[二两三四五六七八九十百千万]|一(?=[零〇一二两三四五六七八九十百千万]))"
                              r"[零〇一二两三四五六七八九十百千万]*(?=[件份项个条名人次期场批家户起万元%％])")


def _mask_figures(text: str) -> str:
    return _EXEMPLAR_FIGURE.sub(lambda m: m.group() if m.group().startswith("《") else "×", text)


def _exemplars(spec: "SectionSpec") -> str:
    if not spec.exemplars:
        return NONE
    lines = ["<参考材料>"]
    for i, ex in enumerate(spec.exemplars, start=1):
        year = f"{ex.year}年报告" if ex.year else "往年报告"
        # Earlier reports are untrusted: a passage may not close the block and pose as instructions.
        text = _mask_figures(_BLOCK_TAG.sub("", " ".join(ex.text.split())))
        lines.append(f"[{i}]（{year}）" + text)
    lines.append("</参考材料>")
    return "\n".join(lines)


def _previous_plans(spec: "SectionSpec") -> str:
    plans = [p for p in spec.previous_plans if p.answered_by or spec.key == "measures"]
    if not plans:
        return NONE
    lines = []
    for p in plans:
        state = "事实材料中有对应事项" if p.answered_by else "事实材料中未见落实情况，不要编造"
        lines.append(f"{p.number}. {p.text}（{state}）")
    return "\n".join(lines)


def section_values(spec: "SectionSpec") -> dict[str, Any]:
    heads = subheadings(spec)
    return {
        "unit": spec.unit, "short": spec.short, "year": spec.year, "next_year": spec.next_year,
        "heading": spec.numbered_heading,
        "facts": _yaml(facts_data(spec)) if spec.items else NONE,
        "subheadings": "\n".join(heads) if heads else "（无：本部分不设小标题）",
        "exemplars": _exemplars(spec),
        "previous_plans": _previous_plans(spec),
    }


def section_messages(spec: "SectionSpec") -> list[tuple[str, str]]:
    """[("system", …), ("user", …)] for one section."""
    values = section_values(spec)
    section = load_prompt(spec.key)
    values["purpose"] = section.text("purpose", **values)
    system = load_prompt("system").text("text", **values)
    return [("system", system), ("user", section.text("user", **values))]


def repair_message(spec: "SectionSpec", problems: list[str]) -> str:
    """The second round's request after grounding problems (one numbered line each)."""
    text = "\n".join(f"{i}. {p}" for i, p in enumerate(dict.fromkeys(problems), start=1))
    return load_prompt("repair").text("user", heading=spec.numbered_heading, problems=text)


def retry_message(spec: "SectionSpec", instruction: str) -> str:
    """The second round's request after an answer that was not the section (refusal, loop …)."""
    return load_prompt("repair").text("retry", heading=spec.numbered_heading, instruction=instruction)
