"""``drafter check PATH... --export 审核意见.xlsx|.docx|.csv``: the legal office's 审核意见表.

One row per (file, rule, paragraph) across all files checked (:mod:`.rows`), in the contract's
columns (DESIGN.md "Additions"), as

- ``.xlsx`` (:mod:`.workbook`): sheet 审核意见 with a frozen header, filters, widths and
  wrapped text, and sheet 汇总 with one row per unit (errors, warnings, infos, by category,
  on time or late);
- ``.docx`` (:mod:`.letter`): a GB/T 9704 审核意见 with one table per unit;
- ``.csv``: UTF-8 with a byte-order mark (Excel opens it as UTF-8), the same columns.

Written atomically; an existing file only with ``force``.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import TYPE_CHECKING

from drafter.checker.export.rows import COLUMNS, review_rows, unit_summaries

if TYPE_CHECKING:  # pragma: no cover
    from drafter.checker.export.rows import ReviewRow, UnitSummary
    from drafter.checker.output import FileResult

EXPORT_SUFFIXES = (".xlsx", ".docx", ".csv")
DEFAULT_TITLE = "法治政府建设年度报告审核意见表"

__all__ = ["EXPORT_SUFFIXES", "COLUMNS", "check_export_path", "export_bytes", "export_review",
           "review_rows", "unit_summaries", "rows_bytes", "restrict"]


def check_export_path(path: str | os.PathLike[str], force: bool = False) -> Path:
    """The export path, checked before any report is read: a known type, writable, and not
    an existing file unless ``force``. Raises OutputError."""
    from drafter.errors import OutputError
    from drafter.io import check_output_path

    p = Path(path)
    if p.suffix.lower() not in EXPORT_SUFFIXES:
        raise OutputError(f"{p}：审核意见表应为 .xlsx、.docx 或 .csv 文件",
                          "例如 --export 审核意见.xlsx")
    check_output_path(p, force)
    return p


def export_bytes(results: list["FileResult"], suffix: str, title: str = DEFAULT_TITLE) -> bytes:
    """The 审核意见表 of ``results`` as the bytes of a ``suffix`` (.xlsx/.docx/.csv) file."""
    rows = review_rows(results)
    return rows_bytes(rows, unit_summaries(results, rows), suffix, title)


def restrict(rows: list["ReviewRow"], units: list["UnitSummary"], severities: set[str] | None = None,
             categories: set[str] | None = None) -> tuple[list["ReviewRow"], list["UnitSummary"]]:
    """The rows of the chosen severities and categories (None: all), numbered again, and the
    units' counts of those rows (the web page's filters applied to its downloads)."""
    import dataclasses

    kept = [dataclasses.replace(r) for r in rows
            if (not severities or r.severity in severities)
            and (not categories or r.category in categories)]
    for i, r in enumerate(kept, start=1):
        r.number = i
    out = []
    for i, u in enumerate(units):
        mine = [r for r in kept if r.file_index == i]
        out.append(dataclasses.replace(
            u, rows=len(mine), severities={k: sum(r.severity == k for r in mine) for k in u.severities},
            categories={c: n for c in u.categories
                        if (n := sum(r.category == c for r in mine))}))
    return kept, out


def rows_bytes(rows: list["ReviewRow"], units: list["UnitSummary"], suffix: str,
               title: str = DEFAULT_TITLE) -> bytes:
    """The 审核意见表 of ready rows and unit summaries (see :func:`review_rows`)."""
    suffix = suffix.lower()
    if suffix == ".xlsx":
        from drafter.checker.export.workbook import workbook_bytes

        return workbook_bytes(rows, units, title)
    if suffix == ".docx":
        from drafter.checker.export.letter import letter_bytes

        return letter_bytes(rows, units, title)
    if suffix == ".csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        writer.writerows(row.values() for row in rows)
        return buf.getvalue().encode("utf-8-sig")
    raise ValueError(f"unknown export type {suffix!r}")


def export_review(results: list["FileResult"], path: str | os.PathLike[str],
                  force: bool = False, title: str = DEFAULT_TITLE) -> tuple[Path, int]:
    """Write the 审核意见表 to ``path`` (its suffix decides the format); returns (path, rows)."""
    from drafter.io import atomic_write_bytes

    p = check_export_path(path, force)
    data = export_bytes(results, p.suffix, title)
    atomic_write_bytes(p, data, force=force)
    return p, len(review_rows(results))
