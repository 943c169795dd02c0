"""What grounding says about a text: :class:`Verdict`, a list of :class:`Problem` (each one
telling the writer what to do, in Chinese) and what was checked."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One reason a text is not accepted. ``kind``: number, year, date, docnum, name, org,
    place, title, placeholder, markdown, english, missing, empty. ``message`` tells the writer
    what to do (Chinese)."""

    kind: str
    quote: str
    message: str


@dataclass
class Verdict:
    problems: list[Problem] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.ok:
            n = ", ".join(f"{k} {v}" for k, v in self.checked.items() if v)
            return f"通过（已核对：{n}）" if n else "通过（未发现需核对的数字、名称或标题）"
        return "；".join(p.message for p in self.problems)

    def to_dict(self) -> dict:
        return {"ok": self.ok, "checked": dict(self.checked),
                "problems": [{"kind": p.kind, "quote": p.quote, "message": p.message}
                             for p in self.problems]}
