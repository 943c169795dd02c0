"""Report files checked together: read in order, then every rule over all of them
(:func:`drafter.checker.check_reports`: a rule's data stays in the CPU caches from one report
to the next), one :class:`FileResult` per file. ``drafter check FOLDER`` uses it, in one
process or in each worker of a pool.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable

from drafter.checker import CheckOptions, Finding, Rule, check_reports
from drafter.checker.output import FileResult
from drafter.errors import DrafterError
from drafter.report import Report
from drafter.report.readers import read_report

BATCH_FILES = 32  # files read and checked together at most
BATCH_BYTES = 2 * 1024 * 1024  # ... and bytes of them (~700,000 characters of text)


def file_result(path: str, report: Report, findings: list[Finding], rules: Iterable[Rule],
                review: dict[str, Any] | None = None) -> FileResult:
    """The result of one checked file: its findings, size, unit and deadline (审核意见表)."""
    from drafter.checker.export.rows import describe_report

    unit, deadline = describe_report(report, findings, list(rules))
    return FileResult(path=path, findings=findings,
                      stats={"characters": report.characters,
                             "paragraphs": len(report.body_paragraphs())}, review=review,
                      unit=unit, deadline=deadline)


def check_files(paths: list[Path], options: CheckOptions,
                rules: list[Rule]) -> list[FileResult | DrafterError]:
    """Each file's result, in order. A file that cannot be read gives its error in its place
    and ends the batch there (the check of a folder stops at its first unreadable file)."""
    read: list[tuple[Path, Report]] = []
    error: list[DrafterError] = []
    for path in paths:
        try:
            read.append((path, read_report(path)))
        except DrafterError as e:
            error.append(e)
            break
    found = check_reports([report for _, report in read], options, rules)
    return [file_result(str(path), report, f, rules) for (path, report), f in zip(read, found)] \
        + error


def batches(paths: list[Path], size: int = BATCH_FILES, max_bytes: int = BATCH_BYTES,
            workers: int = 0) -> list[list[Path]]:
    """``paths`` in order, cut into runs of at most ``size`` files and ``max_bytes`` bytes (a
    file larger than that is a batch of its own).

    For a pool of ``workers`` processes the runs shrink toward the end ("guided" scheduling):
    each holds at most the files not yet batched over twice the workers, and at least
    ``MIN_SHARE`` (the last ones, fewer). Large runs first keep a rule's data in the caches
    over many reports; small ones last let the workers finish together, instead of one
    waiting for the other's last large run."""
    out: list[list[Path]] = []
    current: list[Path] = []
    total = 0
    cap = _cap(len(paths), size, workers)
    for i, p in enumerate(paths):
        try:
            n = os.stat(p).st_size
        except OSError:
            n = 0  # read_report says what is wrong with it
        if current and (len(current) >= cap or total + n > max_bytes):
            out.append(current)
            current, total = [], 0
            cap = _cap(len(paths) - i, size, workers)
        current.append(p)
        total += n
    if current:
        out.append(current)
    return out


MIN_SHARE = 2  # files of a shrinking batch at least (see batches)


def _cap(remaining: int, size: int, workers: int) -> int:
    if workers <= 0:
        return size
    return min(size, max(MIN_SHARE, -(-remaining // (2 * workers))))
