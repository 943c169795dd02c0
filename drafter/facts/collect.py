"""Validate facts and collect *every* problem in one pass, for the YAML loader and the workbook
reader alike: a user who made five mistakes sees five lines, not five rounds.

pydantic reports all type errors of a file at once, but the checks on the whole file
(:func:`drafter.facts.validate.check_facts`: sums, dates, references) need a valid model. So
each invalid value is replaced by a harmless stand-in of the right shape ("patched"), the copy
is validated again and checked, and problems inside or about a patched value are dropped (a
stand-in must not cause a complaint of its own). What the file lacks to be drafted well —
causes not written, a mandated section left empty — are *notices*
(:func:`drafter.facts.validate.check_completeness`): the draft is still written, with a visible
【待补充】 marker there.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from drafter.facts.model import ID_PATTERN, Facts, facts_class
from drafter.facts.validate import Loc, Problem, check_completeness, check_facts

_MAX_ROUNDS = 4
# Stand-ins by field name (a None stand-in removes the key: the field is optional).
_STANDINS: dict[str, Any] = {
    "title": "_", "problem": "_", "label": "_", "unit": "_", "name": "_", "role": "_", "text": "_",
    "value": 0, "previous_value": 0, "year": 2000, "recipients": ["_"], "sections": {},
    "metrics": [], "people": [], "organisations": [], "facts": [], "causes": [], "answers": [],
    "measures": [], "shortcomings": [], "leadership": [], "plans": [], "other": [],
    "exhaustive": False, "confirm": False, "seal": False, "layout": {}, "type": "department",
    "short": "我局", "font_profile": "gb2312",
}
# Stand-ins for a list element, by the name of its list.
_ELEMENTS: dict[str, Any] = {
    "metrics": {"label": "_", "value": 0, "unit": "_", "previous_value": 0},
    "people": {"name": "_", "role": "_"}, "organisations": {"name": "_"},
    "measures": {"title": "_"}, "leadership": {"title": "_"}, "plans": {"title": "_"},
    "other": {"title": "_"}, "shortcomings": {"problem": "_", "causes": ["_"]},
    "facts": "_", "causes": "_", "recipients": "_", "previous_plans": "_", "answers": 1,
}


@dataclass
class Collected:
    """The outcome of validating facts data: the model (None when even the patched copy is
    invalid, or there are errors), ``errors`` (the file cannot be used as it is) and
    ``notices`` (it can, but the draft will have gaps), each as (field path, message)."""

    facts: Facts | None
    errors: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)


def validate_collecting(data: Any, masked: list[Loc] | None = None) -> Collected:
    """Validate ``data`` (plain dicts and lists, as parsed) into Facts, collecting all problems.
    ``masked`` are paths of values the caller already reported and left out (a total the
    workbook reader could not find): nothing is checked about them again."""
    from pydantic import ValidationError

    from drafter.facts.messages import clean_loc, problems_of

    errors: list[Problem] = []
    masked = list(masked or [])
    work = data
    facts: Facts | None = None
    for round_ in range(_MAX_ROUNDS):
        try:
            facts = facts_class(work).model_validate(work)  # imported years: ImportedFacts
            break
        except ValidationError as e:
            errs = e.errors()
            if round_ == 0:
                errors += problems_of(errs)
                work = copy.deepcopy(data)
            patched = [loc for err in errs
                       if (loc := _patch(work, clean_loc(err["loc"]), err.get("type", "")))]
            if not patched:
                break
            masked += patched
    if facts is None:
        return Collected(None, errors)
    if any(loc[:1] in (("year",), ("date",)) for loc in masked):
        masked.append(("date",))

    def hidden(loc: Loc) -> bool:  # a problem inside a stand-in
        return any(tuple(loc[:len(m)]) == m for m in masked)

    def touches(loc: Loc) -> bool:  # a value that is, holds or lies in a stand-in
        return any(tuple(loc[:len(m)]) == m or tuple(m[:len(loc)]) == tuple(loc) for m in masked)

    errors += [(loc, msg) for loc, msg in check_facts(facts, skip=touches) if not hidden(loc)]
    notices = [(loc, msg) for loc, msg in check_completeness(facts) if not hidden(loc)]
    return Collected(None if errors else facts, errors, notices)


def _patch(data: Any, loc: Loc, kind: str) -> Loc | None:
    """Replace the value at ``loc`` (or remove an unknown key) so that it validates; returns
    the path patched, or None when nothing could be done."""
    if not loc:
        return None
    parent = data
    for part in loc[:-1]:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return None
    leaf = loc[-1]
    if kind == "extra_forbidden" and isinstance(parent, dict):
        parent.pop(leaf, None)
        return loc
    if isinstance(leaf, int):
        if not isinstance(parent, list) or leaf >= len(parent):
            return None
        owner = next((p for p in reversed(loc[:-1]) if isinstance(p, str)), "")
        standin = _ELEMENTS.get(owner)
        if standin is None:
            return None
        if owner == "metrics" and len(loc) > 2:  # an item's metric: a reference or inline
            standin = "_" if isinstance(parent[leaf], str) else _ELEMENTS["metrics"]
        parent[leaf] = _keep_id(copy.deepcopy(standin), parent[leaf])
        return loc
    if not isinstance(parent, dict):
        return None
    if leaf == "date":
        year = data.get("year") if isinstance(data, dict) else None
        year = year if isinstance(year, int) and 2000 <= year <= 2100 else 2000
        parent[leaf] = dt.date(year + 1, 2, 1)
        return loc
    if leaf == "unit" and parent is data:
        parent[leaf] = {"name": "_"}
        return loc
    if leaf in _STANDINS:
        parent[leaf] = copy.deepcopy(_STANDINS[leaf])
        return loc
    if leaf in parent:
        del parent[leaf]  # optional fields (id, approx, part_of, slug, …)
        return loc
    return None


def _keep_id(standin: Any, original: Any) -> Any:
    """A stand-in metric, person or organisation keeps the original's id (references to it
    are not the problem)."""
    if isinstance(standin, dict) and isinstance(original, dict):
        ident = original.get("id")
        if isinstance(ident, str) and re.match(ID_PATTERN, ident):
            standin["id"] = ident
    return standin
