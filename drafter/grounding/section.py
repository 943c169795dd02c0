"""The grounding stage of the pipeline: a :class:`SectionGrounding` per section (what its text
is checked against), built lazily for all sections by :class:`Groundings`."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Iterator

from drafter.grounding.check import Grounding
from drafter.grounding.known import Known
from drafter.grounding.verdict import Verdict

if TYPE_CHECKING:  # pragma: no cover
    from drafter.plan import SectionSpec


@dataclass
class SectionGrounding:
    """The grounding stage for one section (every backend's text passes through it): what the
    section's text is checked against — the section's given facts (:meth:`Grounding.from_spec`)
    and what is known beyond them (:class:`Known`), the sub-headings it must carry, the
    statements whose figures and people it must all state, and whether it must state causes.
    ``skip`` says why a section is not checked (drafted as a visible 【待补充】 marker: there is
    nothing to ground)."""

    spec: "SectionSpec"
    grounding: Grounding | None = None
    headings: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    needs_causes: bool = False
    skip: str | None = None
    _verdicts: dict[str, Verdict] = field(default_factory=dict, repr=False)

    @classmethod
    def for_spec(cls, spec: "SectionSpec", known: Known | None = None) -> "SectionGrounding":
        from drafter.sections import requires_causes

        if spec.gap_reason:
            return cls(spec, skip=spec.gap_reason)
        sg = cls(spec, Grounding.from_spec(spec, known), spec.subheadings,
                 [t for it in spec.items for t in (*it.statements, *it.metrics)],
                 requires_causes(spec.key))
        sg.check("\n".join(sg.figures[:1]))  # first use of the number parser (cn2an) now
        return sg

    def check(self, text: str) -> Verdict:
        """The verdict on ``text`` (one section's paragraphs joined with newlines); a skipped
        section's verdict checks nothing and says so (``checked`` is empty). The same text is
        checked once (a backend's own check and the pipeline's stage share the verdict)."""
        if self.grounding is None:
            return Verdict()
        if text not in self._verdicts:
            self._verdicts[text] = self.grounding.check(text, headings=self.headings,
                                                        needs_causes=self.needs_causes, figures=self.figures)
        v = self._verdicts[text]
        return Verdict(list(v.problems), dict(v.checked))


class Groundings(Mapping):
    """The grounding stage's :class:`SectionGrounding` per section key, built on first use
    (thread-safe). A backend that waits on the network builds them meanwhile (:meth:`prepare`,
    in the pipeline's ``idle`` work), so building them costs no wall time there."""

    def __init__(self, specs: "Iterable[SectionSpec]", known: Known | None = None) -> None:
        self._specs = {s.key: s for s in specs}
        self._known = known
        self._built: dict[str, SectionGrounding] = {}
        self._lock = threading.Lock()

    def __getitem__(self, key: str) -> SectionGrounding:
        with self._lock:
            if key not in self._built:
                self._built[key] = SectionGrounding.for_spec(self._specs[key], self._known)
            return self._built[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)

    def prepare(self) -> None:
        """Build every section's grounding now."""
        for key in self._specs:
            self[key]
