"""What a rule sees: the report, the options, and the shared analyses of the report.

The analyses several rule families read are typed, lazily computed attributes of
:class:`CheckContext` (ruff's semantic model): ``ctx.quantities``, ``ctx.breakdowns``,
``ctx.report_date``, ``ctx.reporting_year``, ``ctx.person_uses`` … — each computed once per
report, on first use, so a check that selects no rule needing one never pays for it. An analysis
private to one rule module is a function of the context decorated with :func:`per_report`
(computed once per report, cached on the context under the function itself, not a string).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, wraps
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from drafter.report import Report

if TYPE_CHECKING:  # pragma: no cover
    from drafter.checker.metrics import Breakdown
    from drafter.report.info import Evidence, ReportDate, UnitInfo
    from drafter.text.names import NameUse
    from drafter.text.numbers import Quantity
    from drafter.text.placeholders import PlaceholderPattern

T = TypeVar("T")


@dataclass
class CheckOptions:
    """Options of one check run.

    ``facts`` is a loaded facts model (``drafter.facts``) or None; names, figures and
    institutions in it are the reference when given. ``previous`` is last year's report
    (a Report) for the plan rules, or None. ``profile`` names a locality profile in
    ``checker/data/profiles.yaml``; None means the default. ``form`` is the form to check the
    report as: ``submitted``, ``published`` or ``auto`` (the form the text shows, see
    ``Report.form``). ``config`` is the loaded ``drafter.toml`` (:class:`drafter.config.Config`:
    local titles, institutions and names, a local profile) or None.
    """

    facts: Any = None
    previous: Report | None = None
    corpus: Any = None
    profile: str | None = None
    # Set (``.is_set()`` true) to stop the check between two rules: the web server stopping.
    cancel: Any = None
    form: str = "auto"
    config: Any = None


@dataclass(eq=False)
class CheckContext:
    """One report under check: ``report``, ``options`` and the shared analyses below.

    Every analysis is pure (a function of the report, and of the options where it says so)
    and computed at most once; rules must not modify what they get.
    """

    report: Report
    options: CheckOptions = field(default_factory=CheckOptions)
    _private: dict[Callable[..., Any], Any] = field(default_factory=dict, repr=False)

    @cached_property
    def text(self) -> str:
        """``report.text``: every offset of a Hit is an index into it."""
        return self.report.text

    # ---- figures ----

    @cached_property
    def quantities(self) -> list[Quantity]:
        """Every count, amount and percentage of the report's paragraphs, each with its line
        (:func:`drafter.text.numbers.quantities`)."""
        from drafter.text.numbers import quantities

        return quantities(self.report)

    @cached_property
    def breakdowns(self) -> list[Breakdown]:
        """Every checkable "total … 其中 parts" and "total, part, part" statement
        (:func:`drafter.checker.metrics.breakdowns`)."""
        from drafter.checker.metrics import breakdowns

        return breakdowns(self.report, self.quantities, lambda: self.placeholder_patterns)

    @cached_property
    def placeholder_patterns(self) -> "tuple[PlaceholderPattern, ...]":
        """The placeholder patterns the report's text could match somewhere
        (:func:`drafter.text.placeholders.possible_placeholders`): no other can match in any
        part of it."""
        from drafter.text.placeholders import possible_placeholders

        return possible_placeholders(self.text)

    # ---- years, date, unit ----

    @cached_property
    def report_date(self) -> ReportDate | None:
        """The 成文日期 as written and read; None when the report has none."""
        from drafter.report.info import report_date

        return report_date(self.report)

    @cached_property
    def year_mentions(self) -> list[tuple[int, Evidence]]:
        """Every statement of the reporting year, strongest first (title, lead, headings,
        plans headings, 成文日期; :func:`drafter.report.info.year_mentions`)."""
        from drafter.report.info import year_mentions

        return year_mentions(self.report, self.report_date)

    def reporting_year_from(self, exclude: tuple[str, ...] = ()) -> tuple[int, Evidence] | None:
        """The reporting year from the :attr:`year_mentions` not of the ``exclude`` sources."""
        from drafter.report.info import reporting_year

        return reporting_year(self.report, exclude, self.year_mentions)

    @cached_property
    def reporting_year(self) -> tuple[int, Evidence] | None:
        """The year the report is about, from every source (title, lead, headings, plans
        headings, 成文日期), with where it was read; None if nothing says."""
        return self.reporting_year_from()

    @cached_property
    def stated_year(self) -> tuple[int, Evidence] | None:
        """The reporting year read from the text itself (title, lead, measures headings), not
        from the 成文日期 or the plans headings — for rules that compare those with it."""
        return self.reporting_year_from(("date", "plans"))

    @cached_property
    def unit_info(self) -> UnitInfo | None:
        """The reporting unit, its type (government | department) and the evidence."""
        from drafter.report.info import unit_info

        return unit_info(self.report)

    # ---- names and titles ----

    @cached_property
    def person_uses(self) -> list[NameUse]:
        """Names standing right before or after a role word (:func:`drafter.text.names.person_uses`)."""
        from drafter.text.names import person_uses

        return person_uses(self.text)

    @cached_property
    def book_title_spans(self) -> list[tuple[int, int, int]]:
        """(start, end, depth) of every 《…》 pair of the whole text, depth 0 outermost."""
        from drafter.text.titles import book_title_spans

        return book_title_spans(self.text)


def per_report(compute: Callable[[CheckContext], T]) -> Callable[[CheckContext], T]:
    """Make ``compute(ctx)`` — an analysis private to one rule module — run once per report.

    The result is cached on the context, keyed by the function itself: typed by its return
    annotation, and no two modules can collide on a name.
    """
    @wraps(compute)
    def get(ctx: CheckContext) -> T:
        cache = ctx._private
        if get in cache:
            return cache[get]
        value = cache[get] = compute(ctx)
        return value

    return get
