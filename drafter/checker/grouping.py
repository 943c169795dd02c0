"""Mechanical findings counted per paragraph: a reviewer wants one note "本段半角标点12处，已可
自动修正", not twelve notes of one character each.

A finding is *mechanical* when every change it proposes is a safe fix that ``--fix`` applies
(punctuation width, spaces, 〈〉, 文号 brackets, variant characters: its Edits preserve the
words, :func:`drafter.checker.fix.preserves_content`). The Word comments of ``--annotate`` and
the rows of ``--export`` use :func:`mechanical_note` for such a group.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # pragma: no cover
    from drafter.checker.finding import Finding
    from drafter.report import Report

# What one fix of each mechanical rule is called in a note ("本段半角标点12处"); a rule not
# listed is named by its summary.
FIX_NOUNS = {"FMT001": "半角标点", "FMT002": "书名号内的书名号", "FMT003": "书名号之间的顿号",
             "FMT004": "数字与汉字之间的空格", "FMT005": "全角数字", "FMT006": "句中断行",
             "FMT007": "文号括号", "TYP001": "异体字或繁体字"}


def is_mechanical(f: "Finding", text: str | None = None) -> bool:
    """Whether ``--fix`` can fix the finding by itself (its edits change no word); with
    ``text`` (the report text) each edit is checked to keep the words."""
    if not f.edits:
        return False
    if text is None:
        return True
    from drafter.checker.fix import preserves_content

    return all(preserves_content(text, e) for e in f.edits)


def fix_count(fs: Iterable["Finding"]) -> int:
    """How many places the findings mark: their edits, or one each when they carry one edit
    for several marks."""
    return sum(max(1, len(f.edits or ())) for f in fs)


def mechanical_note(rule: str, count: int) -> str:
    """本段半角标点12处，已可自动修正（drafter check --fix）."""
    from drafter.checker.registry import get_rule

    noun = FIX_NOUNS.get(rule)
    if noun is None:
        r = get_rule(rule)
        noun = f"“{r.summary}”" if r is not None else "同类问题"
    return f"本段{noun}{count}处，已可自动修正（drafter check --fix）"


def group_for_comments(findings: list["Finding"], report: "Report | None" = None
                       ) -> list["Finding"]:
    """One finding per rule per paragraph for mechanical findings (anchored on the first,
    with a note of how many places), every other finding unchanged; in the input order."""
    text = report.text if report is not None else None
    groups: dict[tuple[str, int | None], list["Finding"]] = {}
    for f in findings:
        if is_mechanical(f, text):
            groups.setdefault((f.rule, f.line), []).append(f)
    out: list["Finding"] = []
    done: set[tuple[str, int | None]] = set()
    for f in findings:
        key = (f.rule, f.line)
        if key not in groups or f not in groups[key]:
            out.append(f)
            continue
        if key in done:
            continue
        done.add(key)
        members = groups[key]
        n = fix_count(members)
        if n == 1:
            out.append(f)
        else:
            out.append(replace(f, message=mechanical_note(f.rule, n), suggestion=None))
    return out
