"""The template backend (default): formal 公文 prose from the facts alone — offline and
deterministic (the same facts give the same draft).

The sentences are the staff's own statements (already rendered by the plan, so every figure
is a facts value) joined with connectives and framed by the patterns in
``prompts/template/*.yaml``. Variation comes from choosing a pattern variant by a stable
hash of the unit and year, rotated per item, so consecutive items do not read as a form.
"""

from __future__ import annotations

import hashlib
import re

from drafter.prompts import PromptFile, load_patterns
from drafter.backends.base import Backend
from drafter.plan import ItemSpec, SectionSpec
from drafter.text.numerals import ordinal_text

# A statement that already opens with a time or a connective needs none added.
_TIME_START = re.compile(r"^(?:全年|年内|今年|本年|一年来|\d{4}\s*年|上半年|下半年|年初|年底|年中|同年|\d{1,2}\s*月)")
_LINK_START = re.compile(r"^(?:同时|此外|另外|与此同时|在此基础上|并且?|还|另|而且|此后|随后)")
_ENUMERATED = re.compile(r"[一二三四五六七八九十]是")


class TemplateBackend(Backend):
    """Drafts each section from its spec with the sentence patterns; never adds a number."""

    name = "template"
    uses_exemplars = False  # prose from the facts alone; the plan may skip retrieval

    def __init__(self, model: str | None = None):
        self.common = load_patterns("common")

    def draft_section(self, spec: SectionSpec) -> list[str]:
        pats = load_patterns(spec.key)
        method = getattr(self, f"_{spec.key}")
        return method(spec, pats)

    # -- sections -------------------------------------------------------------------------

    def _measures(self, spec: SectionSpec, pats: PromptFile) -> list[str]:
        if spec.missing:
            return [pats.fill(pats.raw("gap_section"), year=spec.year)]
        out: list[str] = []
        for i, item in enumerate(spec.items):
            out.append(pats.fill(pats.raw("heading"), ordinal=ordinal_text(i + 1), title=item.title))
            if item.empty:
                out.append(pats.fill(pats.raw("gap_item"), title=item.title))
            else:
                out.append(self._compose(spec, item, i))
        return out

    def _leadership(self, spec: SectionSpec, pats: PromptFile) -> list[str]:
        if spec.missing:
            return [pats.fill(pats.raw("gap_section"))]
        return self._titled_paragraphs(spec, pats)

    def _other(self, spec: SectionSpec, pats: PromptFile) -> list[str]:
        return self._titled_paragraphs(spec, pats)

    def _shortcomings(self, spec: SectionSpec, pats: PromptFile) -> list[str]:
        if spec.missing:
            return [pats.fill(pats.raw("gap_section"))]
        intro = pats.render("intro", spec.seed, short=spec.short)
        sentences = [self._problem(spec, pats, item, i) for i, item in enumerate(spec.items)]
        if any(item.title for item in spec.items):
            heads = [pats.fill(pats.raw("run_in_heading"), ordinal=ordinal_text(i + 1),
                               title=item.title or "")
                     if item.title else "" for i, item in enumerate(spec.items)]
            return [intro] + [h + s for h, s in zip(heads, sentences)]
        if len(sentences) == 1:
            return [intro + sentences[0]]
        enumerated = [f"{ordinal_text(i + 1)}是{s}" for i, s in enumerate(sentences)]
        if len(enumerated) <= 3:
            return [intro + "".join(enumerated)]
        return [intro] + enumerated

    def _plans(self, spec: SectionSpec, pats: PromptFile) -> list[str]:
        values = {"short": spec.short, "next_year": spec.next_year}
        if spec.missing:
            return [pats.fill(pats.raw("gap_section"), **values)]
        if all(not it.empty for it in spec.items):
            out = [pats.render("intro", spec.seed, **values)]
            for i, item in enumerate(spec.items):
                head = pats.fill(pats.raw("run_in_heading"), ordinal=ordinal_text(i + 1), title=item.title)
                out.append(head + self._compose(spec, item, i, openers=False))
            return out
        # Some items are titles only: one paragraph "一是…；二是…".
        entries = ["，".join([item.title or "", *item.statements, *item.metrics]).strip("，")
                   for item in spec.items]
        sep = "。" if any(_has_stop(e) for e in entries) else "；"
        items = sep.join(f"{ordinal_text(i + 1)}是{e}" for i, e in enumerate(entries))
        return [pats.render("enumerated", spec.seed, items=items, **values)]

    # -- building blocks --------------------------------------------------------------------

    def _titled_paragraphs(self, spec: SectionSpec, pats: PromptFile) -> list[str]:
        """One paragraph per item; with several items each opens with a run-in （一） title."""
        out = []
        several = len(spec.items) > 1
        for i, item in enumerate(spec.items):
            body = (self._compose(spec, item, i) if not item.empty
                    else pats.fill(pats.raw("gap_item"), title=item.title))
            head = pats.fill(pats.raw("run_in_heading"), ordinal=ordinal_text(i + 1),
                             title=item.title) if several else ""
            out.append(head + body)
        return out

    def _problem(self, spec: SectionSpec, pats: PromptFile, item: ItemSpec, i: int) -> str:
        problem = item.problem or ""
        causes = item.causes
        if not causes:
            return pats.fill(pats.raw("no_cause"), problem=problem)
        if len(causes) == 1:
            return pats.render("one_cause", spec.seed, i, problem=problem, cause=causes[0])
        if len(causes) == 2:
            return pats.render("two_causes", spec.seed, i, problem=problem,
                               cause1=causes[0], cause2=causes[1])
        return pats.render("many_causes", spec.seed, i, problem=problem, causes="；".join(causes))

    def _compose(self, spec: SectionSpec, item: ItemSpec, index: int, openers: bool = True) -> str:
        """An item's statements and figures as one paragraph of prose or of 一是…二是…."""
        c = self.common
        statements = list(item.statements)
        metrics_text = _join_metrics(item.metrics)
        parts: list[str] = []
        # 一是…二是… suits parallel measures; a leadership paragraph opens with its topic.
        enumerate_ = (spec.key in ("measures", "other") and len(statements) >= 3
                      and not any(_ENUMERATED.search(s) for s in statements)
                      and _pick(spec.seed, f"{spec.key}.form", index, 2) == 0)
        if enumerate_:
            if any(_has_stop(s) for s in statements):
                sep = "。"
            else:
                sep = c.choose("enumeration_separators", spec.seed, index)
            items = [c.fill(c.raw("enumeration_item"), ordinal=ordinal_text(k + 1), text=s)
                     for k, s in enumerate(statements)]
            parts.append(sep.join(items) + "。")
        else:
            for k, s in enumerate(statements):
                if k == 0:
                    prefix = (c.render("openers", spec.seed, index, year=spec.year)
                              if openers and not _TIME_START.match(s) else "")
                else:
                    prefix = ("" if _LINK_START.match(s)
                              else c.choose("connectors", spec.seed, index + k))
                parts.append(f"{prefix}{s}。")
        if metrics_text:
            if not openers:
                parts.append(f"{metrics_text}。")
            else:
                sentence = c.render("metrics_sentence", spec.seed, index, year=spec.year,
                                    metrics=metrics_text)
                if parts and sentence[:3] == parts[0][:3]:  # not the paragraph's own opener again
                    sentence = c.render("metrics_sentence", spec.seed, index + 1, year=spec.year,
                                        metrics=metrics_text)
                parts.append(sentence)
        return "".join(parts)


def _join_metrics(metrics: list[str]) -> str:
    """Figures joined by ，— or by ；after one with a 其中 clause, so its parts stay its own."""
    out = ""
    for i, m in enumerate(metrics):
        if i:
            out += "；" if "其中" in metrics[i - 1] else "，"
        out += m
    return out


def _has_stop(text: str) -> bool:
    return "。" in text or "；" in text


def _pick(seed: str, slot: str, index: int, n: int) -> int:
    h = int(hashlib.sha1(f"{seed}|{slot}".encode()).hexdigest()[:8], 16)
    return (h + index) % n
