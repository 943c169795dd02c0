"""The draft's progress on a terminal: one rich progress bar per section (text received, state,
time), driven by the run's :class:`~drafter.backends.base.DraftEvents`. Silent when stderr is
not a terminal (scripts, CI, pipes)."""

from __future__ import annotations

import os
import sys
from typing import Any

from drafter.backends.base import DraftEvents

EXPECTED_CHARACTERS = 1500  # a section's length, for the bar's scale before it is done


class TerminalProgress(DraftEvents):
    """``with TerminalProgress() as events: draft(request, events=events)``."""

    def __init__(self, enabled: bool | None = None) -> None:
        if enabled is None and not _may_be_terminal():
            enabled = False
        self.console: Any = None
        if enabled is not False:  # rich (~0.06 s to import) only when bars may be shown
            from rich.console import Console

            self.console = Console(stderr=True)
        self.enabled = self.console.is_terminal if enabled is None else enabled
        self.tasks: dict[str, Any] = {}
        self.bar: Any = None

    def __enter__(self) -> "TerminalProgress":
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None

    def sections_planned(self, specs: list[Any]) -> None:
        if not self.enabled:
            return
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        from drafter.sections import label
        from drafter.text.numerals import ordinal_text

        self.bar = Progress(TextColumn("{task.fields[label]}"), BarColumn(),
                            TextColumn("{task.completed:>5.0f} 字"), TextColumn("{task.fields[state]}"),
                            TimeElapsedColumn(), console=self.console)
        for s in specs:
            self.tasks[s.key] = self.bar.add_task("", total=EXPECTED_CHARACTERS, state="排队中",
                                                  label=f"{ordinal_text(s.number)}、{label(s.key)}")
        self.bar.start()

    def section_started(self, key: str) -> None:
        self.section_status(key, "起草中")

    def section_progress(self, key: str, characters: int) -> None:
        if self.bar is not None:
            self.bar.advance(self.tasks[key], characters)

    def section_status(self, key: str, state: str) -> None:
        if self.bar is not None:
            self.bar.update(self.tasks[key], state=state)

    def section_done(self, key: str, state: str) -> None:
        if self.bar is not None:
            task = self.tasks[key]
            done = max(self.bar.tasks[task].completed, 1)
            self.bar.update(task, state=state, total=done, completed=done)

    def stage(self, name: str) -> None:
        if name in ("ground", "check") and self.bar is not None:
            self.bar.stop()  # the sections are drafted: what follows prints below the bars
            self.bar = None


def _may_be_terminal() -> bool:
    """False when rich would certainly not see a terminal on stderr (not a tty, and neither
    TTY_COMPATIBLE nor FORCE_COLOR says otherwise), so it need not be imported to ask."""
    if "TTY_COMPATIBLE" in os.environ or "FORCE_COLOR" in os.environ:
        return True
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
