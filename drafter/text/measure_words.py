"""Measure words (量词) against the noun they count (``data/measure_words.yaml``).

A figure is written "label + quantity": 清理规范性文件 + 10件. When the staff count people
but the label ends with something those people hold — 注销执法证件 + 2名 — the quantity
belongs before the holders, not after the thing: :func:`counted_phrase` writes
注销2名人员的执法证件. When a person measure word stands on a plain thing (清理规范性文件10名)
nothing sensible can be written, and :func:`measure_word_problem` says so in Chinese.

Nouns the lexicon does not list are left alone: precision first.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from drafter.datafiles import load_data


@dataclass(frozen=True)
class MeasureWords:
    person_units: frozenset[str]
    holder: str
    holder_units: frozenset[str]
    person_nouns: tuple[str, ...]  # longest first, for suffix matching
    personal_items: tuple[str, ...]
    things: tuple[str, ...]

    def noun(self, label: str) -> tuple[str, str] | None:
        """(kind, noun) of the longest listed noun the label ends with: kind is ``person``,
        ``item`` (something a person holds) or ``thing``; None when none is listed."""
        best: tuple[str, str] | None = None
        for kind, words in (("person", self.person_nouns), ("item", self.personal_items),
                            ("thing", self.things)):
            for w in words:
                if label.endswith(w) and (best is None or len(w) > len(best[1])):
                    best = (kind, w)
        return best


def person_noun_at(text: str) -> str | None:
    """The longest person noun ``text`` begins with (2名法律顾问列席… → 法律顾问), or None."""
    return next((w for w in measure_words().person_nouns if text.startswith(w)), None)


def _words(groups: object) -> tuple[str, ...]:
    out = {str(w) for g in groups or [] for w in g.get("words", [])}  # type: ignore[union-attr]
    return tuple(sorted(out, key=len, reverse=True))


@cache
def measure_words() -> MeasureWords:
    data = load_data("measure_words.yaml") or {}
    return MeasureWords(person_units=frozenset(_words(data.get("person_units"))),
                        holder=str(data.get("holder") or "人员"),
                        holder_units=frozenset(str(u) for u in data.get("holder_units") or []),
                        person_nouns=_words(data.get("person_nouns")),
                        personal_items=_words(data.get("personal_items")),
                        things=_words(data.get("things")))


def counted_phrase(label: str, quantity: str, unit: str) -> str:
    """``label`` and ``quantity`` (already formatted, e.g. ``2名``) as one phrase: normally
    label then quantity (清理规范性文件10件); for people counted by what they hold, the
    quantity before the holders (注销执法证件, 2名 → 注销2名人员的执法证件)."""
    mw = measure_words()
    if unit in mw.person_units:
        found = mw.noun(label)
        if found is not None and found[0] == "item":
            head = label[: len(label) - len(found[1])]
            holder = mw.holder if unit in mw.holder_units else ""
            return f"{head}{quantity}{holder}的{found[1]}"
    return f"{label}{quantity}"


def measure_word_problem(label: str, unit: str) -> str | None:
    """Why ``unit`` cannot count the noun of ``label`` (Chinese), or None when it can or the
    noun is not listed."""
    mw = measure_words()
    # Only the measure words that can only count people (名、位): 人次/人 on a thing is the
    # usual count of the people a matter concerns (上级转办案件12人次, 调解纠纷涉及300人).
    if unit not in mw.holder_units:
        return None
    found = mw.noun(label)
    if found is None or found[0] != "thing":
        return None
    return (f"单位“{unit}”用于计数人，而“{label}”计数的是“{found[1]}”：请改用件、份、项、个等"
            f"（如果计数的是人，请在名称中写明，如“{label}涉及人员”）")
