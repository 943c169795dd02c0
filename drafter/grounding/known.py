"""What is true beyond one section's facts: the whole facts file's names, 文号, dates and
titles, the titles of the unit's earlier reports, and the user's local data (:class:`Known`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from drafter.text.titles import title_texts

if TYPE_CHECKING:  # pragma: no cover
    from drafter.facts.model import Facts
    from drafter.plan import Plan


@dataclass(frozen=True)
class Known:
    """What is true beyond one section's facts: ``text`` — everything the facts file states
    (a person, organisation, place, 文号, date or title named anywhere in it is real);
    ``titles`` — further document titles (the unit's earlier reports in the corpus; the local
    data of the user's ``drafter.toml``); ``names`` — further names of people, organisations
    and places (local data). Numbers are never taken from here: a figure is only true for the
    section whose facts give it."""

    text: str = ""
    titles: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()

    @classmethod
    def build(cls, facts: "Facts | None" = None, reports: Iterable[str] = (),
              titles: Iterable[str] = (), names: Iterable[str] = ()) -> "Known":
        """From a facts file, the texts of earlier reports (their 《》 titles) and local data."""
        keys = {_title_key(t) for r in reports for t in title_texts(r)} | {_title_key(t) for t in titles}
        return cls("\n".join(facts_texts(facts)) if facts is not None else "", frozenset(keys),
                   frozenset(n for n in names if n))

    @classmethod
    def for_plan(cls, facts: "Facts", plan: "Plan", titles: Iterable[str] = (),
                 names: Iterable[str] = ()) -> "Known":
        """For a draft: the facts file, last year's report and the exemplars of every section."""
        reports = [ex.text for s in plan.sections for ex in s.exemplars]
        if plan.previous_report is not None:
            reports.append(plan.previous_report.text)
        return cls.build(facts, reports, titles, names)


def facts_texts(facts: "Facts") -> list[str]:
    """Every piece of text the facts state, with ``{id}`` placeholders rendered."""
    from drafter.facts.render import Renderer, format_quantity
    from drafter.facts.validate import text_fields

    r = Renderer(facts)
    out = [facts.unit.name, facts.unit.short, facts.unit.superior or "", *facts.recipients,
           f"{facts.year}年", f"{facts.date.year}年{facts.date.month}月{facts.date.day}日"]
    for text, _loc in text_fields(facts):
        out.append(r.expand(text))
    for m in facts.all_metrics():
        out.append(f"{m.label}{format_quantity(m.value, m.unit, m.approx)}")
        if m.previous_value is not None:
            out.append(f"{m.label}{format_quantity(m.previous_value, m.unit)}")
    for p in facts.people:
        out.append(f"{p.org or ''}{p.title or ''}{p.name}，{p.role}")
    for o in facts.organisations:
        out.append(f"{o.name}，{o.role or ''}")
    out.extend(r.cite(d, full=True) for d in facts.documents)
    out.extend(facts.previous_plan_texts() or [])
    return [t for t in out if t]


def _title_key(title: str) -> str:
    from drafter.text.laws import punct_key

    return punct_key(title)
