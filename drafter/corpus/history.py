"""The one place that answers "last year": a unit's earlier years in the corpus — last year's
facts, report, planned items and figures, and exemplar passages from every earlier year.

Everything that reads the past goes through here: the drafting plan (plans to answer,
year-over-year figures, exemplars), the checker (PLN: were last year's plans answered? FAC:
last year's value of a metric), the pre-filled facts workbook, and import. A year's file is
loaded once per :class:`History`; one that cannot be loaded is noted (``notes``, Chinese) and
treated as absent, never guessed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from drafter.corpus.store import Corpus, YearEntry
from drafter.errors import DrafterError
from drafter.text.plans import PlanItem

if TYPE_CHECKING:  # pragma: no cover
    from drafter.facts.model import Facts, Metric
    from drafter.report import Report

FACTS_PLANS_SOURCE = "事实文件 previous_plans"


class History:
    """A unit's years before ``year`` in ``corpus`` (None: no corpus, so nothing is known).

    ``strict``: a file that cannot be loaded raises its DrafterError (the user asked for that
    year explicitly) instead of being noted and treated as absent."""

    def __init__(self, corpus: Corpus | None, slug: str | None, year: int,
                 notes: list[str] | None = None, strict: bool = False) -> None:
        self.corpus, self.slug, self.year, self.strict = corpus, slug, year, strict
        self.notes = notes if notes is not None else []
        self.entries: list[YearEntry] = (corpus.earlier(slug, year)
                                         if corpus is not None and slug else [])
        self.last: YearEntry | None = next((e for e in self.entries if e.year == year - 1), None)
        self._loaded: dict[tuple[int, str], Any] = {}

    # -- finding the unit ----------------------------------------------------------------
    @classmethod
    def for_facts(cls, corpus: Corpus | str | None, facts: "Facts",
                  notes: list[str] | None = None) -> "History":
        """The history of the facts file's unit (``unit.slug``)."""
        c = open_corpus(corpus)
        h = cls(c, facts.unit.slug, facts.year, notes)
        if c is not None and not facts.unit.slug:
            h.notes.append("事实文件未填写 unit.slug，未使用语料库中的往年报告")
        return h

    @classmethod
    def for_report(cls, corpus: Corpus | str, report: "Report",
                   facts: "Facts | None" = None) -> "History | None":
        """The history of a report's unit: by ``facts.unit.slug``, else by the unit name in the
        report's title; the year read from the report (else the facts). None when the unit or
        the year cannot be told."""
        from drafter.report.info import reporting_year, unit_name

        c = open_corpus(corpus)
        found = reporting_year(report)
        year = found[0] if found else (facts.year if facts is not None else None)
        if c is None or year is None:
            return None
        slug = facts.unit.slug if facts is not None and facts.unit.slug else None
        slug = slug or slug_by_name(c, unit_name(report))
        return cls(c, slug, year) if slug else None

    # -- last year's files ----------------------------------------------------------------
    def last_facts(self) -> "Facts | None":
        if self.last is None or self.last.facts_path is None:
            return None
        return self._load(self.last, "facts", self.last.load_facts, "上年事实文件无法使用")

    def last_report(self) -> "Report | None":
        if self.last is None or self.last.report_path is None:
            return None
        return self._load(self.last, "report", self.last.load_report, "上年报告无法读取")

    def _load(self, entry: YearEntry, what: str, loader: Callable[[], Any], note: str) -> Any:
        key = (entry.year, what)
        if key not in self._loaded:
            try:
                self._loaded[key] = loader()
            except DrafterError as e:
                if self.strict:
                    raise
                self.notes.append(f"{note}：{e.one_line()}")
                self._loaded[key] = None
        return self._loaded[key]

    # -- what last year says --------------------------------------------------------------
    def plan_items(self) -> tuple[list[PlanItem], str | None]:
        """Last year's planned items: its facts file's plans, else its report's plans section."""
        lf = self.last_facts()
        if lf is not None and lf.sections.plans:
            src = str(self.last.facts_path)  # type: ignore[union-attr]
            return facts_plan_items(lf, src), src
        report = self.last_report()
        if report is not None:
            from drafter.report.plans import report_plan_items

            items = report_plan_items(report)
            return items, str(self.last.report_path)  # type: ignore[union-attr]
        return [], None

    def metrics(self) -> "list[Metric]":
        """Last year's metrics (its facts file), for year-over-year figures."""
        lf = self.last_facts()
        return lf.all_metrics() if lf is not None else []

    def exemplar_passages(self) -> list[Any]:
        """Paragraphs of every earlier report, cut by mandated section (for exemplars)."""
        from drafter.corpus.split import split_sections

        passages: list[Any] = []
        for e in self.entries:
            if e.report_path is None:
                continue
            report = self._load(e, "report", e.load_report, "往年报告无法读取")
            if report is not None:
                for st in split_sections(report, e.year):
                    passages.extend(st.passages)
        return passages

    def exemplar_index(self) -> Any:
        """A BM25 index over :meth:`exemplar_passages` (None when there are none)."""
        from drafter.corpus.retrieval import ExemplarIndex

        passages = self.exemplar_passages()
        return ExemplarIndex(passages) if passages else None


def open_corpus(corpus: Corpus | str | Any) -> Corpus | None:
    """A Corpus from a Corpus, a folder path, or None; InputError when the folder is missing."""
    if corpus is None or isinstance(corpus, Corpus):
        return corpus
    return Corpus.open(corpus)


def facts_plan_items(facts: "Facts", source: str = "") -> list[PlanItem]:
    """A facts file's own plans section (the items it plans for next year)."""
    from drafter.facts.render import Renderer, sentence

    r = Renderer(facts)
    out = []
    for i, it in enumerate(facts.sections.plans):
        detail = "，".join(sentence(r.expand(s)) for s in it.facts)
        out.append(PlanItem(i + 1, sentence(r.expand(it.title)), detail, None, source))
    return out


def previous_plans(*, facts: "Facts | None" = None, previous: "Report | None" = None,
                   history: History | None = None) -> tuple[list[PlanItem], str | None]:
    """Last year's planned items and where they came from (None: none found).

    In order: ``previous`` (last year's report, given explicitly), the facts file's own
    ``previous_plans``, then the corpus ``history`` (last year's facts plans, else its report).
    """
    if previous is not None:
        from drafter.report.plans import report_plan_items

        return report_plan_items(previous), str(previous.path)
    own = facts.previous_plan_texts() if facts is not None else None
    if own is not None:
        return ([PlanItem(i + 1, t, "", None, FACTS_PLANS_SOURCE) for i, t in enumerate(own)],
                FACTS_PLANS_SOURCE)
    if history is None:
        return [], None
    return history.plan_items()


def slug_by_name(corpus: Corpus, name: str | None) -> str | None:
    """The corpus unit whose newest readable year (facts, else report title) carries ``name``
    — written the same way, else (one unit only) as its full name or abbreviation
    (荥阳市科技工业和信息化局 / 荥阳市科工信局: :func:`drafter.corpus.units.same_unit`)."""
    if not name:
        return None
    from drafter.corpus.units import same_unit

    names = {slug: _unit_name(corpus, slug) for slug in corpus.units}
    exact = [slug for slug, n in names.items() if n == name]
    if exact:
        return exact[0]
    close = [slug for slug, n in names.items() if same_unit(n, name)]
    return close[0] if len(close) == 1 else None


def _unit_name(corpus: Corpus, slug: str) -> str | None:
    """The unit name of ``slug``'s newest readable year (its facts, else its report)."""
    from drafter.report.info import unit_name

    for e in reversed(corpus.history(slug)):
        try:
            if e.facts_path is not None:
                lf = e.load_facts()
                return lf.unit.name if lf is not None else None
            if e.report_path is not None:
                r = e.load_report()
                return unit_name(r) if r is not None else None
        except DrafterError:
            continue
    return None
