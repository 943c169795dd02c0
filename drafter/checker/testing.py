"""Run a rule case (from ``checker/cases/<FAMILY>.yaml``) — used by the tests and evaluations."""

from __future__ import annotations

from importlib.resources import files

from drafter.checker import CheckOptions, check_report, get_rule
from drafter.checker.finding import Finding
from drafter.report import Report
from drafter.structure import build_report


def skeleton() -> str:
    return files("drafter.checker").joinpath("cases", "_skeleton.txt").read_text(encoding="utf-8")


def case_text(case: dict) -> str:
    if "text" in case:
        return case["text"]
    frag = case.get("fragment", "")
    text = skeleton().replace("{fragment}\n", f"{frag}\n" if frag else "")
    return text


def case_report(case: dict) -> Report:
    text = case_text(case)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return build_report(lines, path="<case>", fmt="txt", reader_notes=case.get("reader_notes"))


def run_case(rule_id: str, case: dict, options: CheckOptions | None = None) -> list[Finding]:
    """Findings of one rule on one case (its ``options`` may set facts/profile/previous)."""
    r = get_rule(rule_id)
    if r is None:
        raise KeyError(rule_id)
    opts = options or CheckOptions(profile=case.get("profile"))
    return check_report(case_report(case), opts, [r])
