"""The rule registry: one table of rule codes, selection by ID or prefix, docs from code.

A rule is a function ``(ctx: CheckContext) -> Iterable[Hit]`` registered with
:func:`rule`. Its docstring has four parts — *What it does / Why it matters / Example /
Use instead* — and its pass/fail examples live in ``checker/cases/<FAMILY>.yaml``, which one
table-driven test runs. Codes are never reused: retired codes stay in ``RETIRED``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import Callable, Iterable

from drafter.checker.finding import CATEGORIES, SEVERITIES, Hit
from drafter.errors import DrafterError

FAMILIES: dict[str, str] = {
    "STR": "structure", "CNT": "count", "PH": "placeholder", "NAM": "name", "LAW": "law",
    "INS": "institution", "TYP": "typo", "DAT": "date", "FMT": "format", "FAC": "fact",
    "PLN": "plan", "STY": "style",
    # Findings a language model proposed and drafter verified (drafter.review, --llm); each
    # LLM rule names its own category (typo, law, name, fact, style).
    "LLM": "typo",
}
# Modules under drafter/checker/rules/ that define rules; each registers on import.
RULE_MODULES = ("structure", "forms", "counts", "flows", "dates", "as_of", "placeholders", "names", "laws",
                "institutions", "typos", "repeats", "punctuation", "pairs", "spacing", "layout", "facts", "plans", "llm")
RETIRED: dict[str, str] = {}  # code -> why it was retired; never reuse these codes

_ID_RE = re.compile(r"^([A-Z]{2,3})(\d{3})$")
_NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    category: str
    severity: str
    func: Callable[..., Iterable[Hit]]
    summary: str  # one Chinese line for tables
    # "rules": check_report runs it; "llm": a documented code for findings that
    # drafter.review makes from a model's proposals (check --llm), never run by check_report.
    source: str = "rules"

    @property
    def family(self) -> str:
        m = _ID_RE.match(self.id)
        return m.group(1) if m else self.id

    @property
    def doc(self) -> str:
        import inspect  # not at module level: inspect is a costly import for `drafter check`

        return inspect.cleandoc(self.func.__doc__ or "")

    def sections(self) -> dict[str, str]:
        """The docstring split into its headed parts (What it does, Why it matters …)."""
        out: dict[str, str] = {}
        current = "summary"
        for line in self.doc.splitlines():
            m = re.match(r"^\*\*(.+?)\*\*\s*$", line.strip())
            if m:
                current = m.group(1)
                out[current] = ""
            else:
                out[current] = (out.get(current, "") + line + "\n")
        return {k: v.strip() for k, v in out.items()}


_RULES: dict[str, Rule] = {}


class UnknownRuleError(DrafterError):
    """``--select``/``--ignore`` named a code or prefix that matches no rule (exit 2)."""

    def __init__(self, code: str):
        super().__init__(f"未知的规则编号或前缀“{code}”", "运行 drafter rules 查看全部规则")
        self.code = code


def rule(id: str, name: str, *, severity: str, summary: str, category: str | None = None,
         source: str = "rules"):
    """Register a rule function under ``id`` (e.g. ``STR001``) and kebab-case ``name``.

    ``source="llm"`` registers the code of a finding made by LLM-assisted review: the
    function only carries the documentation and is never run by check_report."""
    m = _ID_RE.match(id)
    if not m or m.group(1) not in FAMILIES:
        raise ValueError(f"bad rule id {id!r}")
    if not _NAME_RE.match(name):
        raise ValueError(f"bad rule name {name!r}")
    cat = category or FAMILIES[m.group(1)]
    if cat not in CATEGORIES or severity not in SEVERITIES:
        raise ValueError(f"bad category/severity for {id}")
    if id in RETIRED:
        raise ValueError(f"rule id {id} is retired and must not be reused")
    if source not in ("rules", "llm"):
        raise ValueError(f"bad source {source!r} for {id}")

    def deco(func):
        if id in _RULES and _RULES[id].func is not func:
            raise ValueError(f"duplicate rule id {id}")
        _RULES[id] = Rule(id=id, name=name, category=cat, severity=severity, func=func,
                          summary=summary, source=source)
        return func

    return deco


@cache
def _load_all() -> None:
    for mod in RULE_MODULES:
        try:
            import_module(f"drafter.checker.rules.{mod}")
        except ModuleNotFoundError as e:
            # A family not written yet is simply absent; any other import error is a bug.
            if e.name != f"drafter.checker.rules.{mod}":
                raise


def all_rules() -> list[Rule]:
    _load_all()
    return sorted(_RULES.values(), key=lambda r: r.id)


def get_rule(rule_id: str) -> Rule | None:
    _load_all()
    return _RULES.get(rule_id.upper())


def select_rules(select: Iterable[str] | None = None,
                 ignore: Iterable[str] | None = None) -> list[Rule]:
    """Rules chosen by ``--select``/``--ignore``: each item an ID (CNT001) or a prefix (CNT).

    Raises UnknownRuleError (a DrafterError: exit 2) naming an item that matches no rule.
    """
    rules = all_rules()
    known = {r.id for r in rules} | {r.family for r in rules}

    def norm(items: Iterable[str] | None) -> list[str]:
        out = []
        for raw in items or []:
            for part in str(raw).split(","):
                part = part.strip().upper()
                if not part:
                    continue
                if part != "ALL" and not any(k.startswith(part) for k in known):
                    raise UnknownRuleError(part)
                out.append(part)
        return out

    sel, ign = norm(select), norm(ignore)
    chosen = [r for r in rules if not sel or "ALL" in sel or any(r.id.startswith(s) for s in sel)]
    return [r for r in chosen if not any(r.id.startswith(i) for i in ign)]


@cache
def rule_cases(family: str) -> list[dict]:
    """The pass/fail examples of a family, from ``checker/cases/<FAMILY>.yaml`` and
    ``checker/cases/<FAMILY>_*.yaml``."""
    from importlib.resources import files

    from drafter.datafiles import load_case_file

    res = files("drafter.checker").joinpath("cases", f"{family}.yaml")
    out = (load_case_file(res) or []) if res.is_file() else []
    # More cases of a family may live in cases/<FAMILY>_<topic>.yaml (FMT_layout.yaml).
    extra = sorted((r for r in files("drafter.checker").joinpath("cases").iterdir()
                    if r.name.startswith(f"{family}_") and r.name.endswith(".yaml")),
                   key=lambda r: r.name)
    for r in extra:
        out = out + (load_case_file(r) or [])
    return out


def cases_for(rule_id: str) -> dict[str, list[dict]]:
    rid = rule_id.upper()
    m = _ID_RE.match(rid)
    fam = m.group(1) if m else rid
    for entry in rule_cases(fam):
        if entry.get("rule") == rid:
            return {"fail": entry.get("fail", []), "pass": entry.get("pass", [])}
    return {"fail": [], "pass": []}
