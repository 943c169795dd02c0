"""The checker's fast paths give exactly the findings of the slow ones.

Each shortcut skips work only when a cheap necessary condition fails: the name rules skip the
segmenter when no two names could be compared, PH001 tries on a paragraph only the patterns
the whole report could match, TYP001 converts paragraph by paragraph only when the whole text
changes. Here each is compared with the path it short-cuts, on every evaluation report, their
mutants and the rule cases.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from drafter.checker import CheckOptions, check_report, get_rule
from drafter.checker.context import CheckContext
from drafter.report.structure import build_report

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "evaluations" / "cases"


def _texts() -> list[str]:
    from drafter.checker.registry import rule_cases
    from drafter.checker.testing import case_text
    from evaluations.mutations import clean_sources, generate

    files = sorted(CASES.glob("**/*.txt"))
    out = [f.read_text(encoding="utf-8") for f in files]
    out += [m.text for m in generate(clean_sources(CASES / "reports"), 20240301, 1)]
    for family in ("NAM", "PH", "TYP"):
        for entry in rule_cases(family):
            for case in entry.get("fail", []) + entry.get("pass", []):
                out.append(case_text(case))
    return out


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return _texts()


def _hits(rule_id: str, text: str) -> list[tuple]:
    report = build_report(text.split("\n"), path="<t>", fmt="txt")
    return [(h.start, h.end, h.message) for h in get_rule(rule_id).func(CheckContext(report, CheckOptions())) or ()]


def test_the_name_rules_find_the_same_without_their_segmenter_free_shortcut(texts, monkeypatch):
    from drafter.checker.rules import names

    fast = [(_hits("NAM001", t), _hits("NAM002", t)) for t in texts]
    monkeypatch.setattr(names, "person_pairs_possible", lambda text: True)
    monkeypatch.setattr(names, "_any_variant", lambda text, found: True)
    slow = [(_hits("NAM001", t), _hits("NAM002", t)) for t in texts]
    assert fast == slow
    assert any(a or b for a, b in fast)  # the comparison saw findings, not only silence


def test_placeholder_patterns_tried_per_paragraph_are_those_the_report_could_match(texts):
    from drafter.text.placeholders import find_placeholders, possible_placeholders

    found = 0
    for t in texts:
        possible = possible_placeholders(t)
        for line in t.split("\n"):
            assert find_placeholders(line, possible) == find_placeholders(line)
            found += bool(find_placeholders(line))
    assert found


def test_opencc_converts_a_text_line_by_line(texts):
    from drafter.checker.rules.typos import to_simplified

    samples = texts + ["後來決定在這裏\n裏面的決策", "乾坤\n昇"]
    for t in samples:
        assert to_simplified(t) == "\n".join(to_simplified(line) for line in t.split("\n"))


def test_restated_figures_are_the_same_without_the_reference_signal_shortcut(texts, monkeypatch):
    from drafter.checker import restated

    fast = [_hits("CNT002", t) for t in texts]
    monkeypatch.setattr(restated, "_all_after_possible", lambda text, start, end: True)
    monkeypatch.setattr(restated, "_label_may_match", lambda text, first, f, needs_total: True)
    slow = [_hits("CNT002", t) for t in texts]
    assert fast == slow
    assert any(fast)


def test_the_all_after_search_agrees_with_the_window_by_window_test(texts):
    from drafter.checker.restated import _ALL_AFTER, _all_after_possible

    checked = found = 0
    for text in texts[:40] + ["办理案件均已办结", "案件全部", "都", "悉数归还，都已"]:
        for start in range(0, len(text), 3):
            for end in (start, start + 3, start + 9, start + 16):
                slow = any(_ALL_AFTER.match(text[i:i + 4]) for i in range(start + 4, end + 1))
                assert _all_after_possible(text, start, end) is slow, (text[start:end + 4], start)
                checked += 1
                found += slow
    assert checked > 10_000 and found > 100


def test_reports_checked_rule_by_rule_get_the_findings_of_one_by_one(texts):
    from drafter.checker import check_reports

    sample = texts[:60]
    reports = [build_report(t.split("\n"), path=f"<{i}>", fmt="txt") for i, t in enumerate(sample)]
    together = check_reports(reports, CheckOptions())
    alone = [check_report(build_report(t.split("\n"), path=f"<{i}>", fmt="txt"), CheckOptions())
             for i, t in enumerate(sample)]
    assert [[f.to_json() for f in fs] for fs in together] == [[f.to_json() for f in fs] for fs in alone]
    assert sum(map(len, together)) > 100


def test_a_typical_report_is_checked_without_loading_the_segmenter():
    code = ("import sys; from drafter.api import CheckRequest, check_paths; "
            "check_paths(CheckRequest(paths=[sys.argv[1]])); print('rjieba' in sys.modules)")
    report = CASES / "reports" / "16_tongxi_county_gov.txt"
    out = subprocess.run([sys.executable, "-c", code, str(report)], capture_output=True,
                         text=True, check=True, timeout=120)
    assert out.stdout.strip() == "False"


def test_the_whole_check_is_unchanged_by_the_shortcuts(texts, monkeypatch):
    from drafter.checker import restated
    from drafter.checker.rules import names

    sample = texts[:40]
    fast = [[f.to_json() for f in check_report(build_report(t.split("\n"), path="<t>", fmt="txt"))]
            for t in sample]
    monkeypatch.setattr(names, "person_pairs_possible", lambda text: True)
    monkeypatch.setattr(names, "_any_variant", lambda text, found: True)
    monkeypatch.setattr(restated, "_all_after_possible", lambda text, start, end: True)
    monkeypatch.setattr(restated, "_label_may_match", lambda text, first, f, needs_total: True)
    slow = [[f.to_json() for f in check_report(build_report(t.split("\n"), path="<t>", fmt="txt"))]
            for t in sample]
    assert fast == slow
