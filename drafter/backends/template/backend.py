"""The template backend (default): formal 公文 prose from the facts alone — offline and
deterministic (the same facts give the same draft).

The sentences are the staff's own statements (already rendered by the plan, so every figure
is a facts value), never rewritten: the template plans what goes around them — an opener for
each paragraph, a connector where the relation between two statements licenses one, a
一是…二是… run where the statements are parallel verb phrases, and the item's outcome as its
closing sentence (:mod:`drafter.backends.template.compose`). An :class:`OpenerBook` keeps any
opener from repeating within a section or more than twice in the report. All wording is data
in ``prompts/template/*.yaml``; variants rotate by a stable hash of the unit and year.
"""

from __future__ import annotations

from typing import Any

from drafter.backends.base import Backend, DraftEvents
from drafter.backends.template.book import Limits, OpenerBook, opener, rotation, sentences
from drafter.backends.template.compose import Composer
from drafter.backends.template.sentences import cues
from drafter.errors import ConfigError
from drafter.plan import ItemSpec, SectionSpec
from drafter.text.numerals import ordinal_text
from drafter.prompts import PromptFile, load_patterns


class TemplateBackend(Backend):
    """Drafts each section from its spec with the sentence patterns; never adds a number."""

    name = "template"
    uses_exemplars = False  # prose from the facts alone; the plan may skip retrieval

    def __init__(self, model: str | None = None):
        self.openers = load_patterns("openers")
        self.connectors = load_patterns("connectors")
        self.lists = load_patterns("lists")

    def draft_sections(self, specs: list[SectionSpec], events: DraftEvents | None = None,
                       grounding: Any = None, idle: Any = None) -> list[list[str]]:
        """All sections of one report against one opener book, so no opener is used more
        than twice in the report. ``idle`` (work a waiting backend may do meanwhile) is not
        needed here: nothing is awaited, the pipeline does that work itself."""
        events = events or DraftEvents()
        book = self._book(specs[0]) if specs else None
        out = []
        for spec in specs:
            events.section_started(spec.key)
            out.append(self._draft(spec, book))
            events.section_done(spec.key, "已起草")
        return out

    def draft_section(self, spec: SectionSpec) -> list[str]:
        """One section on its own (no opener repeats within it)."""
        return self._draft(spec, self._book(spec))

    # -- the book and the composer -------------------------------------------------------------

    def _book(self, spec: SectionSpec) -> OpenerBook:
        lim = self.openers.get("limits") or {}
        book = OpenerBook(Limits(**{k: int(v) for k, v in lim.items()}))
        # The lead (frame.yaml) opens the report with "{year}年，": it counts.
        frame = load_patterns("frame")
        for text in frame.variants("lead", spec.year)[:1]:
            first = opener(text).replace("{year}", str(spec.year)).replace("{short}", spec.short)
            if "{" not in first:
                book.record(first + "，")
                book.use_time(first)
        return book

    def _draft(self, spec: SectionSpec, book: OpenerBook | None) -> list[str]:
        book = book or self._book(spec)
        book.enter()
        c = Composer(seed=spec.seed, year=spec.year, short=spec.short, cues=cues(spec.short),
                     book=book, openers=self.openers, connectors=self.connectors, lists=self.lists)
        pats = load_patterns(spec.key)
        return getattr(self, f"_{spec.key}")(spec, pats, c)

    # -- sections ---------------------------------------------------------------------------------

    def _measures(self, spec: SectionSpec, pats: PromptFile, c: Composer) -> list[str]:
        if spec.missing:
            return [pats.fill(pats.raw("gap_section"), year=spec.year)]
        out: list[str] = []
        listed = False
        for i, item in enumerate(spec.items):
            out.append(pats.fill(pats.raw("heading"), ordinal=ordinal_text(i + 1), title=item.title))
            if item.empty:
                out.append(pats.fill(pats.raw("gap_item"), title=item.title))
                listed = False
                continue
            paras, listed = c.item("measures", item, i, prev_list=listed)
            out.extend(paras)
        return out

    def _leadership(self, spec: SectionSpec, pats: PromptFile, c: Composer) -> list[str]:
        if spec.missing:
            return [pats.fill(pats.raw("gap_section"))]
        return self._titled_paragraphs(spec, pats, c)

    def _other(self, spec: SectionSpec, pats: PromptFile, c: Composer) -> list[str]:
        return self._titled_paragraphs(spec, pats, c)

    def _shortcomings(self, spec: SectionSpec, pats: PromptFile, c: Composer) -> list[str]:
        if spec.missing:
            return [pats.fill(pats.raw("gap_section"))]
        intro = self._chosen(pats, "intro", spec, 0, c.book, short=spec.short)
        sentences_ = [self._problem(spec, pats, item, i, c.book) for i, item in enumerate(spec.items)]
        hi = int(self.lists.get("max_items", 5))
        if any(item.title for item in spec.items):
            heads = [pats.fill(pats.raw("run_in_heading"), ordinal=ordinal_text(i + 1),
                               title=item.title or "")
                     if item.title else "" for i, item in enumerate(spec.items)]
            out = [intro] + [h + s for h, s in zip(heads, sentences_)]
        elif len(sentences_) == 1:
            out = [intro + sentences_[0]]
        elif len(sentences_) > hi:  # a long run becomes numbered sub-items
            out = [intro] + [pats.fill(pats.raw("numbered_item"), ordinal=ordinal_text(i + 1), text=s)
                             for i, s in enumerate(sentences_)]
        else:
            enumerated = [self.lists.fill(self.lists.raw("item"), ordinal=ordinal_text(i + 1), text=s)
                          for i, s in enumerate(sentences_)]
            out = [intro + "".join(enumerated)] if len(enumerated) <= 3 else [intro] + enumerated
        return out  # the book has the intro and each problem's sentences (_chosen)

    def _plans(self, spec: SectionSpec, pats: PromptFile, c: Composer) -> list[str]:
        values = {"short": spec.short, "next_year": spec.next_year}
        if spec.missing:
            return [pats.fill(pats.raw("gap_section"), **values)]
        hi = int(self.lists.get("max_items", 5))
        if all(not it.empty for it in spec.items) or len(spec.items) > hi:
            out = [self._chosen(pats, "intro", spec, 0, c.book, **values)]
            for i, item in enumerate(spec.items):
                head = pats.fill(pats.raw("run_in_heading"), ordinal=ordinal_text(i + 1), title=item.title)
                if item.empty:
                    out.append(head)
                    continue
                paras, _ = c.item("plans", item, i, lead=head)
                out.extend(paras)
            return out
        # Titles only (a few): one paragraph "一是…；二是…".
        entries = ["，".join([item.title or "", *item.statements, *item.metrics]).strip("，")
                   for item in spec.items]
        sep = "。" if any("。" in e or "；" in e for e in entries) else "；"
        items = sep.join(self.lists.fill(self.lists.raw("item"), ordinal=ordinal_text(i + 1), text=e)
                         for i, e in enumerate(entries))
        return [self._chosen(pats, "enumerated", spec, 0, c.book, items=items, **values)]

    # -- building blocks --------------------------------------------------------------------------

    def _titled_paragraphs(self, spec: SectionSpec, pats: PromptFile, c: Composer) -> list[str]:
        """One paragraph per item; with several items each opens with a run-in （一） title."""
        out: list[str] = []
        several = len(spec.items) > 1
        listed = False
        for i, item in enumerate(spec.items):
            head = pats.fill(pats.raw("run_in_heading"), ordinal=ordinal_text(i + 1),
                             title=item.title) if several else ""
            if item.empty:
                out.append(head + pats.fill(pats.raw("gap_item"), title=item.title))
                continue
            paras, listed = c.item(spec.key, item, i, prev_list=listed, lead=head)
            out.extend(paras)
        return out

    def _problem(self, spec: SectionSpec, pats: PromptFile, item: ItemSpec, i: int,
                 book: OpenerBook) -> str:
        problem, causes = item.problem or "", item.causes
        if not causes:
            return pats.fill(pats.raw("no_cause"), problem=problem)
        if len(causes) == 1:
            return self._chosen(pats, "one_cause", spec, i, book, problem=problem, cause=causes[0])
        if len(causes) == 2:
            return self._chosen(pats, "two_causes", spec, i, book, problem=problem,
                                cause1=causes[0], cause2=causes[1])
        return self._chosen(pats, "many_causes", spec, i, book, problem=problem,
                            causes="；".join(causes))

    def _chosen(self, pats: PromptFile, slot: str, spec: SectionSpec, index: int,
                book: OpenerBook, **values: object) -> str:
        """A variant of ``slot`` whose sentence openers the book still allows (rotating from
        the seed), registered as used; the first variant when none is free."""
        node = pats.raw(slot)
        variants = node if isinstance(node, list) else [node]
        causes = [str(v) for k, v in values.items() if k.startswith("cause")]
        usable = []
        for v in variants:
            entry = v if isinstance(v, dict) else {"text": v}
            if int(entry.get("min_year", 0)) > spec.year:
                continue
            if entry.get("plain_causes") and any("，" in x for x in causes):
                continue
            usable.append(pats.fill(str(entry["text"]), **values))
        if not usable:
            raise ConfigError(f"{pats.where}：“{slot}”没有可用的句式", "请对照 prompts/README.md 补齐")
        order = rotation(spec.seed, f"{pats.name}.{slot}", index, len(usable))
        for k in order:
            text = usable[k]
            own = {str(values.get("problem", ""))}
            if all(book.opener_ok(s) for s in sentences(text) if s.rstrip("。") not in own):
                book.record(text)
                return text
        text = usable[order[0]]
        book.record(text)
        return text
