"""The functions the CLI (and the web page) call: one place for each job."""

from __future__ import annotations

from pathlib import Path

from drafter.checker import CheckOptions, check_report, select_rules
from drafter.checker.output import FileResult
from drafter.paths import collect_report_paths
from drafter.readers import read_report


def check_options(facts: str | Path | None = None, profile: str | None = None,
                  previous: str | Path | None = None, corpus: str | Path | None = None
                  ) -> CheckOptions:
    """Load what ``--facts`` / ``--previous`` / ``--corpus`` name into CheckOptions."""
    opts = CheckOptions(profile=profile)
    if facts:
        from drafter.facts import load_facts

        opts.facts = load_facts(facts)
    if previous:
        opts.previous = read_report(previous)
    if corpus:
        opts.corpus = str(corpus)
    return opts


def check_paths(paths: list[str], select: str | None = None, ignore: str | None = None,
                facts: str | Path | None = None, profile: str | None = None,
                options: CheckOptions | None = None) -> list[FileResult]:
    """Read and check every report under ``paths``; raises InputError on unreadable input.

    ``select``/``ignore`` raise ValueError naming an unknown rule code or prefix.
    """
    rules = select_rules(select.split(",") if select else None,
                         ignore.split(",") if ignore else None)
    opts = options or check_options(facts=facts, profile=profile)
    results = []
    for path in collect_report_paths(paths):
        report = read_report(path)
        findings = check_report(report, opts, rules)
        results.append(FileResult(path=str(path), findings=findings,
                                  stats={"characters": report.characters,
                                         "paragraphs": len(report.body_paragraphs())}))
    return results
