"""What a rule sees: the report, the options, and shared analyses computed once per report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, TypeVar

from drafter.report import Report

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


@dataclass
class CheckContext:
    report: Report
    options: CheckOptions = field(default_factory=CheckOptions)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """Compute a shared analysis (numbers, tokens, reporting year …) once per report."""
        if key not in self._memo:
            if self.options.cancel is not None and self.options.cancel.is_set():
                from drafter.errors import Cancelled

                raise Cancelled(f"{self.report.path}：审核已取消（服务正在停止）", "请稍后重新提交")
            self._memo[key] = compute()
        return self._memo[key]

    @property
    def text(self) -> str:
        return self.memo("text", lambda: self.report.text)
