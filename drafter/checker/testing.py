"""Run a rule case (from ``checker/cases/<FAMILY>.yaml``) — used by the tests and evaluations."""

from __future__ import annotations

from importlib.resources import files

from drafter.checker import CheckOptions, check_report, get_rule
from drafter.checker.finding import Finding
from drafter.report import Report
from drafter.report.structure import build_report


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
    report = build_report(lines, path="<case>", fmt="txt", reader_notes=case.get("reader_notes"))
    if "docx" in case:  # a layout case: the report as a .docx variant (drafter.checker.layout_variants)
        from drafter.checker.layout_variants import variant_report

        return variant_report(report, case["docx"] or {})
    return report


def run_case(rule_id: str, case: dict, options: CheckOptions | None = None) -> list[Finding]:
    """Findings of one rule on one case (its ``options`` may set facts/profile/previous)."""
    r = get_rule(rule_id)
    if r is None:
        raise KeyError(rule_id)
    opts = options or case_options(case)
    return check_report(case_report(case), opts, [r])


def case_options(case: dict) -> CheckOptions:
    """CheckOptions of a case: ``profile``; ``form`` (submitted | published | auto); ``facts``
    (a facts mapping or YAML text, loaded through the real loader); ``previous`` (the text of
    last year's report); ``config`` (the text of a drafter.toml)."""
    opts = CheckOptions(profile=case.get("profile"), form=case.get("form") or "auto")
    if case.get("config") is not None:
        from drafter.config import parse_config

        opts.config = parse_config(case["config"], "<case config>")
    if case.get("facts") is not None:
        from drafter.facts import parse_facts

        raw = case["facts"]
        if not isinstance(raw, str):
            import io

            from ruamel.yaml import YAML

            buf = io.StringIO()
            YAML(typ="safe", pure=True).dump(raw, buf)
            raw = buf.getvalue()
        opts.facts = parse_facts(raw, "<case facts>")
    if case.get("previous") is not None:
        lines = case["previous"].split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        opts.previous = build_report(lines, path="<previous>", fmt="txt")
    return opts
