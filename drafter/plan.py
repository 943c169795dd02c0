"""The plan: what each mandated section of the draft needs — its facts (rendered, so a backend
never formats a number), exemplar paragraphs from earlier reports, and last year's planned
items this year's facts should answer.

``make_plan(facts, corpus=...) -> Plan``; ``Plan.to_json()`` is what ``--run-dir`` stores as
``plan.json``. A mandated section without facts gets a spec with ``missing=True``: the
backend drafts a visible 【待补充】 marker instead of dropping the section.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from drafter.facts.model import Facts, Metric, text_of, to_confirm
from drafter.facts.render import Renderer, sentence
from drafter.sections import MANDATED_KEYS
from drafter.text.numerals import ordinal_text

# Sections whose items are this year's work, i.e. can answer last year's plans.
ANSWERING_KEYS = ("measures", "leadership", "other")
# Sections whose one item is written as a plain paragraph, without a （一） heading.
_SINGLE_ITEM_PLAIN = ("leadership", "other")
_CAUSE_LEAD = re.compile(r"^(?:究其原因[，,：:]?|(?:主要)?原因(?:主要)?(?:是|在于|有|[：:])|主要是|主要由于|由于|是)+")


@dataclass
class ItemSpec:
    """One item of a section, ready to write: ``statements`` are clauses without final
    punctuation, with every ``{id}`` expanded; ``metrics`` are figures not yet stated;
    ``outcome`` is the item's 成效 (its closing sentence), None when the facts give none."""

    source: str
    title: str | None = None
    statements: list[str] = field(default_factory=list)
    metrics: list[str] = field(default_factory=list)
    problem: str | None = None
    causes: list[str] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    # Statements and causes the facts mark 待核实 (confirm: true), as drafted above.
    confirm: list[str] = field(default_factory=list)
    outcome: str | None = None

    @property
    def empty(self) -> bool:
        return not self.statements and not self.metrics and not self.problem


@dataclass
class Confirm:
    """A value the facts mark 待核实 (``confirm: true``) and how the draft writes it: ``text``
    (a statement, a cause, a metric's name and quantity), ``section`` its section key (None:
    a metric, wherever it is stated) and ``also`` a shorter form to look for (the quantity)."""

    text: str
    section: str | None = None
    also: str | None = None


@dataclass
class PlanLink:
    """One of last year's planned items and the item of this year that answers it (if any)."""

    number: int
    text: str
    answered_by: str | None = None
    how: str | None = None  # "explicit" (answers: in the facts) | "matched" | "weak" (drafter.text.plans)
    score: float = 0.0
    detail: str = ""  # the rest of the planned item (its body), used for matching


@dataclass
class Exemplar:
    text: str
    year: int | None
    source: str
    score: float


@dataclass
class SectionSpec:
    key: str
    number: int
    heading: str
    unit: str
    short: str
    year: int
    seed: str
    items: list[ItemSpec] = field(default_factory=list)
    missing: bool = False
    exemplars: list[Exemplar] = field(default_factory=list)
    previous_plans: list[PlanLink] = field(default_factory=list)
    previous_figures: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def next_year(self) -> int:
        return self.year + 1

    @property
    def numbered_heading(self) -> str:
        return f"{ordinal_text(self.number)}、{self.heading}"

    @property
    def subheadings(self) -> list[str]:
        """The numbered sub-headings the section's text must carry: （一）title per titled
        item — none when one item of ``leadership``/``other`` is written as a plain paragraph
        (a （一） with no （二） reads as a mistake; the template backend writes it so)."""
        if self.key in _SINGLE_ITEM_PLAIN and len(self.items) == 1:
            return []
        titles = [it.title for it in self.items if it.title]
        return [f"（{ordinal_text(i)}）{t}" for i, t in enumerate(titles, start=1)]

    @property
    def gap_reason(self) -> str | None:
        """Why this section can only be drafted as a visible 【待补充】 marker (facts missing),
        or None: such a section is the template's to write, and there is nothing to ground."""
        if self.missing:
            return "本部分没有事实材料，由模板写出待补充标记"
        if self.key == "shortcomings" and any(it.problem and not it.causes for it in self.items):
            return "有不足未写原因，由模板写出待补充标记"
        return None


@dataclass
class Plan:
    facts_path: str
    unit: str
    year: int
    sections: list[SectionSpec]
    previous_plans: list[PlanLink] = field(default_factory=list)
    previous_plans_source: str | None = None
    unused_metrics: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    confirms: list[Confirm] = field(default_factory=list)
    # Last year's report (drafter.report.Report) for the checker's plan rules; not serialised.
    previous_report: Any = field(default=None, repr=False, compare=False)

    def section(self, key: str) -> SectionSpec | None:
        return next((s for s in self.sections if s.key == key), None)

    @property
    def unanswered_plans(self) -> list[PlanLink]:
        return [p for p in self.previous_plans if p.answered_by is None]

    def to_json(self) -> dict[str, Any]:
        data = asdict(replace(self, previous_report=None))
        data.pop("previous_report")
        data["unanswered_plans"] = [asdict(p) for p in self.unanswered_plans]
        return data


def make_plan(facts: Facts, facts_path: str | Path = "", corpus: Any = None,
              exemplars_per_section: int = 3, exemplars: bool = True) -> Plan:
    """Build the plan. ``corpus`` is a :class:`drafter.corpus.Corpus` or None (no exemplars,
    previous plans only from the facts file). ``exemplars=False`` skips the BM25 retrieval
    (about 0.2 s of imports) when nothing will read the exemplars."""
    from drafter.corpus.history import History, previous_plans
    from drafter.facts.yoy import fill_previous_values
    from drafter.prompts import load_patterns

    frame = load_patterns("frame")
    notes: list[str] = []
    history = History.for_facts(corpus, facts, notes)
    # Last year's figures (corpus facts) for metrics without previous_value: {id.yoy} computes.
    last = history.last_facts()
    facts = fill_previous_values(facts, last)
    renderer = Renderer(facts)
    seed = f"{facts.unit.name}|{facts.year}"
    keys = list(MANDATED_KEYS) + (["other"] if facts.sections.other else [])
    specs: list[SectionSpec] = []
    for n, key in enumerate(keys, start=1):
        heading = frame.fill(frame.raw(f"headings.{key}"), year=facts.year, next_year=facts.year + 1)
        spec = SectionSpec(key=key, number=n, heading=heading, unit=facts.unit.name,
                           short=facts.unit.short, year=facts.year, seed=seed)
        spec.items = [_item_spec(facts, renderer, key, i, item)
                      for i, item in enumerate(facts.sections.items(key))]
        spec.missing = not spec.items
        specs.append(spec)
    plan = Plan(facts_path=str(facts_path), unit=facts.unit.name, year=facts.year, sections=specs,
                notes=notes)
    plan.unused_metrics = _unused_metrics(facts, renderer)
    plan.confirms = _confirms(facts, specs) + _unconfirmed_previous(facts, last, specs)

    plan.previous_report = history.last_report()
    items, plan.previous_plans_source = previous_plans(facts=facts, history=history)
    plan.previous_plans = [PlanLink(p.number, p.text, detail=p.detail) for p in items]
    _answer_plans(plan)
    figures = {m.id: {"label": m.label, "value": m.value, "unit": m.unit, "approx": m.approx}
               for m in history.metrics() if m.id}
    index = history.exemplar_index() if exemplars else None
    for spec in specs:
        if spec.key in ANSWERING_KEYS:
            spec.previous_plans = [p for p in plan.previous_plans
                                   if p.answered_by is None or p.answered_by.startswith(f"sections.{spec.key}")]
        spec.previous_figures = figures
        if index is not None:
            query = " ".join([spec.heading] + [t for it in spec.items for t in _item_texts(it)])
            spec.exemplars = [Exemplar(h.passage.text, h.passage.year, h.passage.source, round(h.score, 3))
                              for h in index.search(spec.key, query, exemplars_per_section)]
    return plan


def _item_spec(facts: Facts, r: Renderer, key: str, i: int, item: Any) -> ItemSpec:
    source = f"sections.{key}[{i}]"
    before = set(r.used)
    r.used.clear()
    if key == "shortcomings":
        causes = [_cause(r.expand(text_of(c))) for c in item.causes]
        spec = ItemSpec(source=source, title=r.expand(item.title) if item.title else None,
                        problem=sentence(r.expand(item.problem)), causes=causes,
                        confirm=[t for c, t in zip(item.causes, causes) if to_confirm(c) and t])
    else:
        statements = [sentence(r.expand(text_of(s))) for s in item.facts]
        metrics = []
        index = facts.metric_index()
        for ref in item.metrics:
            m: Metric = index[ref] if isinstance(ref, str) else ref
            if m.id and m.id in r.used:
                continue  # already stated in a statement (or as a part of a stated total)
            metrics.append(r.metric_full(m))
        outcome = sentence(r.expand(item.outcome)) if item.outcome else None
        spec = ItemSpec(source=source, title=r.expand(item.title), statements=[s for s in statements if s],
                        metrics=metrics, answers=list(item.answers), outcome=outcome or None,
                        confirm=[t for s, t in zip(item.facts, statements) if to_confirm(s) and t])
    r.used |= before
    return spec


def _confirms(facts: Facts, specs: list[SectionSpec]) -> list[Confirm]:
    """Everything marked 待核实, in report order: statements and causes, then metrics."""
    from drafter.facts.render import metric_quantity

    out = [Confirm(text, spec.key) for spec in specs for it in spec.items for text in it.confirm]
    r = Renderer(facts)
    for m in facts.all_metrics():
        if to_confirm(m):
            out.append(Confirm(r.metric_total(m), None, metric_quantity(m)))
    return out


def _unconfirmed_previous(facts: Facts, last: Any, specs: list[SectionSpec]) -> list[Confirm]:
    """A change the draft states (同比下降79.5%) from last year's figure as imported and not
    yet confirmed (``confirm: true`` in last year's facts, :command:`drafter corpus add`): the
    change is only as right as that figure, so it is marked 待核实 too, with why."""
    if last is None:
        return []
    from drafter.facts.model import to_confirm
    from drafter.facts.yoy import same_metric

    r = Renderer(facts)
    texts = [t for spec in specs for it in spec.items for t in _item_texts(it)]
    previous = last.all_metrics()
    out = []
    for m in facts.all_metrics():
        p = same_metric(m, previous)
        if p is None or not to_confirm(p) or m.previous_value != p.value:
            continue
        change = r.metric_yoy(m)
        if change and any(change in t for t in texts):
            line = re.search(r"line (\d+)", p.source or "")
            where = f"第{line.group(1)}行" if line else ""
            out.append(Confirm(f"“{change}”按上年数值{p.value}{p.unit}计算，该数值取自导入的上年报告{where}，"
                               "尚未核实", None, change))
    return out


def _cause(text: str) -> str:
    return _CAUSE_LEAD.sub("", sentence(text)).lstrip("，,")


def _item_texts(it: ItemSpec) -> list[str]:
    return [t for t in [it.title, it.problem, *it.statements, *it.causes, *it.metrics, it.outcome] if t]


def _unused_metrics(facts: Facts, r: Renderer) -> list[str]:
    out = []
    for m in facts.metrics:
        if not m.id or m.id in r.used:
            continue
        if m.part_of and m.part_of in r.used:
            continue
        out.append(f"{m.id}（{m.label}）")
    return out


def _answer_plans(plan: Plan) -> None:
    """Link each of last year's plans to this year's item that answers it: explicitly
    (``answers:`` in the facts) or by the shared matcher (:mod:`drafter.text.plans`, the
    same one the checker's PLN rules use)."""
    if not plan.previous_plans:
        return
    items = [it for s in plan.sections if s.key in ANSWERING_KEYS for it in s.items]
    for it in items:
        for n in it.answers:
            if 1 <= n <= len(plan.previous_plans):
                link = plan.previous_plans[n - 1]
                link.answered_by, link.how, link.score = _describe(it), "explicit", 1.0
    from drafter.text.plans import Candidate, PlanItem, match_plans

    open_links = [link for link in plan.previous_plans if not link.answered_by]
    matches = match_plans([PlanItem(link.number, link.text, link.detail) for link in open_links],
                          [Candidate(it, " ".join(_item_texts(it)), it.title or "") for it in items])
    for link, m in zip(open_links, matches):
        link.score = round(m.score, 2)
        if m.status != "unanswered" and m.candidate is not None:
            link.answered_by = _describe(m.candidate.ref)
            link.how = "matched" if m.status == "answered" else "weak"


def _describe(it: ItemSpec) -> str:
    return f"{it.source}（{it.title}）" if it.title else it.source


__all__ = ["make_plan", "Plan", "SectionSpec", "ItemSpec", "PlanLink", "Exemplar", "Confirm"]
